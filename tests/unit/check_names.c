/* SPDX-License-Identifier: BSD-3-Clause */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

START_TEST(test_runtime_dir_as_root_is_var_run)
{
	char b[MPKNI_PATH_MAX];

	ck_assert_int_eq(mpkni_runtime_dir(b, sizeof(b), "mpkni", 1, "/run/user/1000"), 0);
	ck_assert_str_eq(b, "/var/run/dpdk/mpkni");
}
END_TEST

START_TEST(test_runtime_dir_as_user_uses_xdg_then_tmp)
{
	char b[MPKNI_PATH_MAX];

	ck_assert_int_eq(mpkni_runtime_dir(b, sizeof(b), "p", 0, "/run/user/1000"), 0);
	ck_assert_str_eq(b, "/run/user/1000/dpdk/p");
	ck_assert_int_eq(mpkni_runtime_dir(b, sizeof(b), "p", 0, NULL), 0);
	ck_assert_str_eq(b, "/tmp/dpdk/p");
	ck_assert_int_eq(mpkni_runtime_dir(b, sizeof(b), "p", 0, ""), 0);
	ck_assert_str_eq(b, "/tmp/dpdk/p");
}
END_TEST

START_TEST(test_names_that_do_not_fit_are_refused)
{
	char b[12];

	ck_assert_int_eq(mpkni_runtime_dir(b, sizeof(b), "mpkni", 1, NULL), -ENAMETOOLONG);
	ck_assert_int_eq(mpkni_ring_name(b, 8, 15, 7), -ENAMETOOLONG);
	ck_assert_int_eq(mpkni_kni_name(b, 5, "vEth", 10), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_ring_names_are_distinct_and_fit_rte_ring_names)
{
	char a[64], b[64];
	unsigned int s1, p1, s2, p2;

	for (s1 = 0; s1 < 16; s1++)
		for (p1 = 0; p1 < 8; p1++) {
			ck_assert_int_eq(mpkni_ring_name(a, sizeof(a), s1, p1), 0);
			ck_assert_ptr_nonnull(strstr(a, "mpkni"));
			/* RTE_RING_NAMESIZE is 32 with its prefix of 3 ("RG_"). */
			ck_assert_uint_lt(strlen(a), 29);
			for (s2 = 0; s2 < 16; s2++)
				for (p2 = 0; p2 < 8; p2++) {
					if (s1 == s2 && p1 == p2)
						continue;
					mpkni_ring_name(b, sizeof(b), s2, p2);
					ck_assert_str_ne(a, b);
				}
		}
}
END_TEST

START_TEST(test_kni_name_is_prefix_and_port)
{
	char b[16];

	ck_assert_int_eq(mpkni_kni_name(b, sizeof(b), MPKNI_KNI_PREFIX, 0), 0);
	ck_assert_str_eq(b, "vEth0");
	ck_assert_int_eq(mpkni_kni_name(b, sizeof(b), "kni", 7), 0);
	ck_assert_str_eq(b, "kni7");
}
END_TEST

START_TEST(test_socket_and_lock_paths_live_in_runtime_dir)
{
	char b[MPKNI_PATH_MAX];

	ck_assert_int_eq(mpkni_cli_sock_path(b, sizeof(b), "/var/run/dpdk/x"), 0);
	ck_assert_str_eq(b, "/var/run/dpdk/x/mpkni_cli.sock");
	ck_assert_int_eq(mpkni_slot_lock_path(b, sizeof(b), "/var/run/dpdk/x", 3), 0);
	ck_assert_str_eq(b, "/var/run/dpdk/x/mpkni_slot3.lock");
}
END_TEST

START_TEST(test_prefix_validation)
{
	char longp[80];

	ck_assert_int_eq(mpkni_prefix_valid("mpkni"), 0);
	ck_assert_int_eq(mpkni_prefix_valid("t-1.a_B"), 0);
	ck_assert_int_eq(mpkni_prefix_valid(""), -EINVAL);
	ck_assert_int_eq(mpkni_prefix_valid(NULL), -EINVAL);
	ck_assert_int_eq(mpkni_prefix_valid("."), -EINVAL);
	ck_assert_int_eq(mpkni_prefix_valid(".."), -EINVAL);
	ck_assert_int_eq(mpkni_prefix_valid("a/b"), -EINVAL);
	ck_assert_int_eq(mpkni_prefix_valid("a b"), -EINVAL);
	memset(longp, 'a', 65);
	longp[65] = '\0';
	ck_assert_int_eq(mpkni_prefix_valid(longp), -EINVAL);
	longp[64] = '\0';
	ck_assert_int_eq(mpkni_prefix_valid(longp), 0);
}
END_TEST

static Suite *
names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, test_runtime_dir_as_root_is_var_run);
	tcase_add_test(tc, test_runtime_dir_as_user_uses_xdg_then_tmp);
	tcase_add_test(tc, test_names_that_do_not_fit_are_refused);
	tcase_add_test(tc, test_ring_names_are_distinct_and_fit_rte_ring_names);
	tcase_add_test(tc, test_kni_name_is_prefix_and_port);
	tcase_add_test(tc, test_socket_and_lock_paths_live_in_runtime_dir);
	tcase_add_test(tc, test_prefix_validation);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(names_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
