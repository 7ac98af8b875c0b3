/* SPDX-License-Identifier: BSD-3-Clause */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runinfo.h"

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_runinfo.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char p[128];

	mpkni_runinfo_remove(dir);
	snprintf(p, sizeof(p), "%s/mpkni.info", dir);
	unlink(p);
	rmdir(dir);
}

static void
write_raw(const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/mpkni.info", dir);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_written_info_reads_back)
{
	struct mpkni_runinfo w = { .layout_version = 7, .primary_pid = 4242, .lcore_base = 3,
				   .nb_slots = 16 };
	struct mpkni_runinfo r;

	ck_assert_int_eq(mpkni_runinfo_write(dir, &w), 0);
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), 0);
	ck_assert_uint_eq(r.layout_version, 7);
	ck_assert_int_eq(r.primary_pid, 4242);
	ck_assert_uint_eq(r.lcore_base, 3);
	ck_assert_uint_eq(r.nb_slots, 16);
}
END_TEST

START_TEST(test_missing_file_is_enoent)
{
	struct mpkni_runinfo r;

	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), -ENOENT);
}
END_TEST

START_TEST(test_removed_file_is_enoent)
{
	struct mpkni_runinfo w = { 1, 2, 3, 4 }, r;

	ck_assert_int_eq(mpkni_runinfo_write(dir, &w), 0);
	mpkni_runinfo_remove(dir);
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), -ENOENT);
}
END_TEST

START_TEST(test_truncated_file_is_eproto_but_keeps_version)
{
	struct mpkni_runinfo r;

	/* A foreign version must still be told, even with the rest missing. */
	write_raw("layout_version=9\nprimary_pid=1\n");
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), -EPROTO);
	ck_assert_uint_eq(r.layout_version, 9);
}
END_TEST

START_TEST(test_garbage_is_eproto)
{
	struct mpkni_runinfo r;

	write_raw("this is not\nan info file\nlayout_version=abc\n");
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), -EPROTO);
	write_raw("");
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), -EPROTO);
	write_raw("layout_version=-1\nprimary_pid=1\nlcore_base=1\nnb_slots=1\n");
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), -EPROTO);
}
END_TEST

START_TEST(test_unknown_keys_are_ignored)
{
	struct mpkni_runinfo r;

	write_raw("future=1\nlayout_version=1\nprimary_pid=5\nlcore_base=1\nnb_slots=2\n");
	ck_assert_int_eq(mpkni_runinfo_read(dir, &r), 0);
	ck_assert_int_eq(r.primary_pid, 5);
}
END_TEST

START_TEST(test_write_to_missing_dir_fails)
{
	struct mpkni_runinfo w = { 1, 2, 3, 4 };

	ck_assert_int_eq(mpkni_runinfo_write("/nonexistent/dir", &w), -ENOENT);
}
END_TEST

static Suite *
runinfo_suite(void)
{
	Suite *s = suite_create("runinfo");
	TCase *tc = tcase_create("runinfo");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_written_info_reads_back);
	tcase_add_test(tc, test_missing_file_is_enoent);
	tcase_add_test(tc, test_removed_file_is_enoent);
	tcase_add_test(tc, test_truncated_file_is_eproto_but_keeps_version);
	tcase_add_test(tc, test_garbage_is_eproto);
	tcase_add_test(tc, test_unknown_keys_are_ignored);
	tcase_add_test(tc, test_write_to_missing_dir_fails);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(runinfo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
