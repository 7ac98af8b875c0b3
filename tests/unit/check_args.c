/* SPDX-License-Identifier: BSD-3-Clause */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

#define ARGV(...) ((char *[]){ "prog", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "prog", __VA_ARGS__ }) / sizeof(char *)))

static char err[MPKNI_ERR_LEN];

static int
primary(struct mpkni_primary_opts *o, int argc, char **argv)
{
	mpkni_primary_opts_default(o);
	err[0] = '\0';
	return mpkni_primary_opts_parse(o, argc, argv, err, sizeof(err));
}

static int
worker(struct mpkni_worker_opts *o, int argc, char **argv)
{
	mpkni_worker_opts_default(o);
	err[0] = '\0';
	return mpkni_worker_opts_parse(o, argc, argv, err, sizeof(err));
}

START_TEST(test_primary_defaults)
{
	struct mpkni_primary_opts o;
	char *argv[] = { "prog", NULL };

	ck_assert_int_eq(primary(&o, 1, argv), 0);
	ck_assert_uint_eq(o.workers, 2);
	ck_assert_uint_eq(o.ring_size, 1024);
	ck_assert_uint_eq(o.idle_us, 0);
	ck_assert_uint_eq(o.orphan_policy, MPKNI_ORPHAN_KERNEL);
	ck_assert_str_eq(o.kni_prefix, "vEth");
	ck_assert_int_eq(o.kni_policy[MPKNI_REQ_MTU], MPKNI_POLICY_APPLY);
	ck_assert_int_eq(o.kni_policy[MPKNI_REQ_ALLMULTI], MPKNI_POLICY_APPLY);
}
END_TEST

START_TEST(test_primary_all_options)
{
	struct mpkni_primary_opts o;

	ck_assert_int_eq(primary(&o, ARGC("--workers", "4", "--ring-size=256", "--mbufs", "20000",
					  "--idle-us", "0", "--orphan", "drop",
					  "--kni-prefix", "kni"),
				 ARGV("--workers", "4", "--ring-size=256", "--mbufs", "20000",
				      "--idle-us", "0", "--orphan", "drop", "--kni-prefix", "kni")), 0);
	ck_assert_uint_eq(o.workers, 4);
	ck_assert_uint_eq(o.ring_size, 256);
	ck_assert_uint_eq(o.nb_mbufs, 20000);
	ck_assert_uint_eq(o.idle_us, 0);
	ck_assert_uint_eq(o.orphan_policy, MPKNI_ORPHAN_DROP);
	ck_assert_str_eq(o.kni_prefix, "kni");
}
END_TEST

START_TEST(test_primary_workers_out_of_range)
{
	struct mpkni_primary_opts o;

	ck_assert_int_eq(primary(&o, ARGC("--workers", "0"), ARGV("--workers", "0")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--workers"));
	ck_assert_int_eq(primary(&o, ARGC("--workers", "17"), ARGV("--workers", "17")), -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--workers", "2x"), ARGV("--workers", "2x")), -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--workers", "-1"), ARGV("--workers", "-1")), -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--workers", ""), ARGV("--workers", "")), -EINVAL);
}
END_TEST

START_TEST(test_primary_ring_size_must_be_power_of_two)
{
	struct mpkni_primary_opts o;

	ck_assert_int_eq(primary(&o, ARGC("--ring-size", "1000"), ARGV("--ring-size", "1000")),
			 -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--ring-size", "32"), ARGV("--ring-size", "32")),
			 -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--ring-size", "4096"), ARGV("--ring-size", "4096")), 0);
}
END_TEST

START_TEST(test_primary_bad_orphan_policy_and_prefix)
{
	struct mpkni_primary_opts o;

	ck_assert_int_eq(primary(&o, ARGC("--orphan", "keep"), ARGV("--orphan", "keep")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "keep"));
	ck_assert_int_eq(primary(&o, ARGC("--kni-prefix", "a/b"), ARGV("--kni-prefix", "a/b")),
			 -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--kni-prefix", "abcdefghijkl"),
				 ARGV("--kni-prefix", "abcdefghijkl")), -EINVAL);
	ck_assert_int_eq(primary(&o, ARGC("--kni-prefix", ""), ARGV("--kni-prefix", "")), -EINVAL);
}
END_TEST

START_TEST(test_primary_kni_policy)
{
	struct mpkni_primary_opts o;
	int k;

	ck_assert_int_eq(primary(&o, ARGC("--kni-policy", "mtu=reject,link=ignore"),
				 ARGV("--kni-policy", "mtu=reject,link=ignore")), 0);
	ck_assert_int_eq(o.kni_policy[MPKNI_REQ_MTU], MPKNI_POLICY_REJECT);
	ck_assert_int_eq(o.kni_policy[MPKNI_REQ_LINK], MPKNI_POLICY_IGNORE);
	ck_assert_int_eq(o.kni_policy[MPKNI_REQ_MAC], MPKNI_POLICY_APPLY);
	/* Given twice, the later one wins for the kinds it names. */
	ck_assert_int_eq(primary(&o, ARGC("--kni-policy", "all=reject", "--kni-policy", "mac=apply"),
				 ARGV("--kni-policy", "all=reject", "--kni-policy", "mac=apply")), 0);
	for (k = 0; k < MPKNI_REQ_MAX; k++)
		ck_assert_int_eq(o.kni_policy[k],
				 k == MPKNI_REQ_MAC ? MPKNI_POLICY_APPLY : MPKNI_POLICY_REJECT);
	ck_assert_int_eq(primary(&o, ARGC("--kni-policy", "mtu=later"),
				 ARGV("--kni-policy", "mtu=later")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "later"));
}
END_TEST

START_TEST(test_primary_unknown_missing_and_stray)
{
	struct mpkni_primary_opts o;

	ck_assert_int_eq(primary(&o, ARGC("--bogus"), ARGV("--bogus")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--bogus"));
	ck_assert_int_eq(primary(&o, ARGC("--workers"), ARGV("--workers")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "needs a value"));
	ck_assert_int_eq(primary(&o, ARGC("stray"), ARGV("stray")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "stray"));
}
END_TEST

START_TEST(test_worker_defaults)
{
	struct mpkni_worker_opts o;
	char *argv[] = { "prog", NULL };

	ck_assert_int_eq(worker(&o, 1, argv), 0);
	ck_assert_int_eq(o.slot, -1);
	ck_assert_str_eq(o.mode, "");
	ck_assert_uint_eq(o.idle_us, 0);
	ck_assert_uint_eq(o.attach_timeout_ms, 5000);
	ck_assert_str_eq(o.cpus, "");
}
END_TEST

START_TEST(test_worker_all_options)
{
	struct mpkni_worker_opts o;

	ck_assert_int_eq(worker(&o, ARGC("--slot", "3", "--mode", "kernel", "--idle-us", "50",
					 "--cpus", "0-1,3", "--attach-timeout-ms", "900"),
				ARGV("--slot", "3", "--mode", "kernel", "--idle-us", "50",
				     "--cpus", "0-1,3", "--attach-timeout-ms", "900")), 0);
	ck_assert_int_eq(o.slot, 3);
	ck_assert_str_eq(o.mode, "kernel");
	ck_assert_uint_eq(o.idle_us, 50);
	ck_assert_str_eq(o.cpus, "0-1,3");
	ck_assert_uint_eq(o.attach_timeout_ms, 900);
}
END_TEST

START_TEST(test_worker_bad_values)
{
	struct mpkni_worker_opts o;

	ck_assert_int_eq(worker(&o, ARGC("--slot", "16"), ARGV("--slot", "16")), -EINVAL);
	ck_assert_int_eq(worker(&o, ARGC("--slot", "x"), ARGV("--slot", "x")), -EINVAL);
	ck_assert_int_eq(worker(&o, ARGC("--cpus", "a"), ARGV("--cpus", "a")), -EINVAL);
	ck_assert_int_eq(worker(&o, ARGC("--cpus", ""), ARGV("--cpus", "")), -EINVAL);
	ck_assert_int_eq(worker(&o, ARGC("--mode", ""), ARGV("--mode", "")), -EINVAL);
	ck_assert_int_eq(worker(&o, ARGC("--attach-timeout-ms", "0"),
				ARGV("--attach-timeout-ms", "0")), -EINVAL);
	ck_assert_int_eq(worker(&o, ARGC("--idle-us", "1000001"), ARGV("--idle-us", "1000001")),
			 -EINVAL);
}
END_TEST

START_TEST(test_eal_scan_finds_prefix_in_both_forms)
{
	struct mpkni_eal_scan s;

	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--file-prefix", "t1", "--", "--slot", "1"),
					ARGV("--file-prefix", "t1", "--", "--slot", "1"), err,
					sizeof(err)), 0);
	ck_assert_str_eq(s.file_prefix, "t1");
	ck_assert_int_eq(s.eal_argc, 3);
	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--file-prefix=t2"), ARGV("--file-prefix=t2"), err,
					sizeof(err)), 0);
	ck_assert_str_eq(s.file_prefix, "t2");
	ck_assert_int_eq(s.eal_argc, 2);
}
END_TEST

START_TEST(test_eal_scan_flags)
{
	struct mpkni_eal_scan s;

	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("-l", "1"), ARGV("-l", "1"), err, sizeof(err)), 0);
	ck_assert_int_eq(s.has_lcores, 1);
	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--lcores=1@0"), ARGV("--lcores=1@0"), err,
					sizeof(err)), 0);
	ck_assert_int_eq(s.has_lcores, 1);
	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--proc-type=auto"), ARGV("--proc-type=auto"), err,
					sizeof(err)), 0);
	ck_assert_int_eq(s.has_proc_type, 1);
	ck_assert_int_eq(s.has_lcores, 0);
	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("-a", "0000:00:04.0"), ARGV("-a", "0000:00:04.0"),
					err, sizeof(err)), 0);
	ck_assert_int_eq(s.has_dev_selection, 1);
	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--vdev", "net_null0"), ARGV("--vdev", "net_null0"),
					err, sizeof(err)), 0);
	ck_assert_int_eq(s.has_dev_selection, 0);
	ck_assert_ptr_null(s.file_prefix);
}
END_TEST

START_TEST(test_eal_scan_options_after_separator_are_not_eal)
{
	struct mpkni_eal_scan s;

	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--", "-l", "--file-prefix", "x"),
					ARGV("--", "-l", "--file-prefix", "x"), err, sizeof(err)), 0);
	ck_assert_int_eq(s.has_lcores, 0);
	ck_assert_ptr_null(s.file_prefix);
	ck_assert_int_eq(s.eal_argc, 1);
}
END_TEST

START_TEST(test_eal_scan_rejects_bad_prefix)
{
	struct mpkni_eal_scan s;

	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--file-prefix", "../x"),
					ARGV("--file-prefix", "../x"), err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "../x"));
	ck_assert_int_eq(mpkni_eal_scan(&s, ARGC("--file-prefix"), ARGV("--file-prefix"), err,
					sizeof(err)), -EINVAL);
}
END_TEST

START_TEST(test_parse_uint_bounds)
{
	unsigned int v;

	ck_assert_int_eq(mpkni_parse_uint("10", 1, 10, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(mpkni_parse_uint("11", 1, 10, &v), -EINVAL);
	ck_assert_int_eq(mpkni_parse_uint(" 1", 0, 10, &v), -EINVAL);
	ck_assert_int_eq(mpkni_parse_uint("+1", 0, 10, &v), -EINVAL);
	ck_assert_int_eq(mpkni_parse_uint("99999999999999999999", 0, 10, &v), -EINVAL);
	ck_assert_int_eq(mpkni_parse_uint(NULL, 0, 10, &v), -EINVAL);
}
END_TEST

static Suite *
args_suite(void)
{
	Suite *s = suite_create("args");
	TCase *p = tcase_create("primary"), *w = tcase_create("worker"), *e = tcase_create("eal");

	tcase_add_test(p, test_primary_defaults);
	tcase_add_test(p, test_primary_all_options);
	tcase_add_test(p, test_primary_workers_out_of_range);
	tcase_add_test(p, test_primary_ring_size_must_be_power_of_two);
	tcase_add_test(p, test_primary_bad_orphan_policy_and_prefix);
	tcase_add_test(p, test_primary_kni_policy);
	tcase_add_test(p, test_primary_unknown_missing_and_stray);
	tcase_add_test(w, test_worker_defaults);
	tcase_add_test(w, test_worker_all_options);
	tcase_add_test(w, test_worker_bad_values);
	tcase_add_test(e, test_eal_scan_finds_prefix_in_both_forms);
	tcase_add_test(e, test_eal_scan_flags);
	tcase_add_test(e, test_eal_scan_options_after_separator_are_not_eal);
	tcase_add_test(e, test_eal_scan_rejects_bad_prefix);
	tcase_add_test(e, test_parse_uint_bounds);
	suite_add_tcase(s, p);
	suite_add_tcase(s, w);
	suite_add_tcase(s, e);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(args_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
