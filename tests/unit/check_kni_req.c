/* SPDX-License-Identifier: BSD-3-Clause */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kni_req.h"

static const struct mpkni_link_state base = {
	.mtu = 1500, .mac = { 2, 0, 0, 0, 0, 1 }, .up = 1, .promisc = 0, .allmulti = 0,
};

START_TEST(test_no_change_makes_no_request)
{
	struct mpkni_req r[MPKNI_REQ_MAX];

	ck_assert_uint_eq(mpkni_req_diff(&base, &base, r), 0);
}
END_TEST

START_TEST(test_each_kind_alone_makes_one_request)
{
	struct mpkni_req r[MPKNI_REQ_MAX];
	struct mpkni_link_state s;

	s = base;
	s.mtu = 1400;
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 1);
	ck_assert_int_eq(r[0].kind, MPKNI_REQ_MTU);
	ck_assert_uint_eq(r[0].mtu, 1400);

	s = base;
	s.mac[5] = 9;
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 1);
	ck_assert_int_eq(r[0].kind, MPKNI_REQ_MAC);
	ck_assert_uint_eq(r[0].mac[5], 9);

	s = base;
	s.up = 0;
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 1);
	ck_assert_int_eq(r[0].kind, MPKNI_REQ_LINK);
	ck_assert_uint_eq(r[0].on, 0);

	s = base;
	s.promisc = 1;
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 1);
	ck_assert_int_eq(r[0].kind, MPKNI_REQ_PROMISC);
	ck_assert_uint_eq(r[0].on, 1);

	s = base;
	s.allmulti = 1;
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 1);
	ck_assert_int_eq(r[0].kind, MPKNI_REQ_ALLMULTI);
}
END_TEST

START_TEST(test_several_changes_come_in_kind_order)
{
	struct mpkni_req r[MPKNI_REQ_MAX];
	struct mpkni_link_state s = base;

	s.allmulti = 1;
	s.up = 0;
	s.mtu = 9000;
	s.promisc = 1;
	s.mac[0] = 6;
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 5);
	ck_assert_int_eq(r[0].kind, MPKNI_REQ_MTU);
	ck_assert_int_eq(r[1].kind, MPKNI_REQ_MAC);
	ck_assert_int_eq(r[2].kind, MPKNI_REQ_LINK);
	ck_assert_int_eq(r[3].kind, MPKNI_REQ_PROMISC);
	ck_assert_int_eq(r[4].kind, MPKNI_REQ_ALLMULTI);
}
END_TEST

START_TEST(test_flag_values_other_than_one_count_as_on)
{
	struct mpkni_req r[MPKNI_REQ_MAX];
	struct mpkni_link_state s = base;

	s.up = 7; /* still up: no request */
	ck_assert_uint_eq(mpkni_req_diff(&base, &s, r), 0);
}
END_TEST

START_TEST(test_settle_keeps_applied_and_ignored_drops_rejected)
{
	struct mpkni_link_state k = base;
	struct mpkni_req r = { .kind = MPKNI_REQ_MTU, .mtu = 1400 };

	mpkni_req_settle(&k, &r, MPKNI_REQ_REJECTED);
	ck_assert_uint_eq(k.mtu, 1500);
	mpkni_req_settle(&k, &r, MPKNI_REQ_IGNORED);
	ck_assert_uint_eq(k.mtu, 1400);
	r.mtu = 1300;
	mpkni_req_settle(&k, &r, MPKNI_REQ_APPLIED);
	ck_assert_uint_eq(k.mtu, 1300);
	r.kind = MPKNI_REQ_LINK;
	r.on = 0;
	mpkni_req_settle(&k, &r, MPKNI_REQ_APPLIED);
	ck_assert_uint_eq(k.up, 0);
}
END_TEST

START_TEST(test_revert_event_after_reject_makes_no_request)
{
	/* A rejected request is reverted on the kernel side; the kernel then
	 * reports the old state, which must not become a request of its own. */
	struct mpkni_req r[MPKNI_REQ_MAX];
	struct mpkni_link_state k = base, seen = base;

	seen.promisc = 1;
	ck_assert_uint_eq(mpkni_req_diff(&k, &seen, r), 1);
	mpkni_req_settle(&k, &r[0], MPKNI_REQ_REJECTED);
	ck_assert_uint_eq(mpkni_req_diff(&k, &base, r), 0);
}
END_TEST

START_TEST(test_requests_in_a_row_are_each_seen_in_order)
{
	/* Two MTU changes queued before the first is handled: both requests,
	 * the first first. */
	struct mpkni_req r[MPKNI_REQ_MAX];
	struct mpkni_link_state k = base, e1 = base, e2 = base;

	e1.mtu = 1400;
	e2.mtu = 1300;
	ck_assert_uint_eq(mpkni_req_diff(&k, &e1, r), 1);
	ck_assert_uint_eq(r[0].mtu, 1400);
	mpkni_req_settle(&k, &r[0], MPKNI_REQ_APPLIED);
	ck_assert_uint_eq(mpkni_req_diff(&k, &e2, r), 1);
	ck_assert_uint_eq(r[0].mtu, 1300);
}
END_TEST

START_TEST(test_decide_by_policy)
{
	ck_assert_int_eq(mpkni_req_decide(MPKNI_POLICY_APPLY), MPKNI_REQ_APPLIED);
	ck_assert_int_eq(mpkni_req_decide(MPKNI_POLICY_IGNORE), MPKNI_REQ_IGNORED);
	ck_assert_int_eq(mpkni_req_decide(MPKNI_POLICY_REJECT), MPKNI_REQ_REJECTED);
}
END_TEST

START_TEST(test_policy_parse_sets_named_kinds_only)
{
	enum mpkni_req_policy p[MPKNI_REQ_MAX] = { 0 };
	char err[128];

	ck_assert_int_eq(mpkni_req_policy_parse("mtu=reject,promisc=ignore", p, err, sizeof(err)),
			 0);
	ck_assert_int_eq(p[MPKNI_REQ_MTU], MPKNI_POLICY_REJECT);
	ck_assert_int_eq(p[MPKNI_REQ_PROMISC], MPKNI_POLICY_IGNORE);
	ck_assert_int_eq(p[MPKNI_REQ_MAC], MPKNI_POLICY_APPLY);
	ck_assert_int_eq(p[MPKNI_REQ_LINK], MPKNI_POLICY_APPLY);
	ck_assert_int_eq(mpkni_req_policy_parse("all=ignore,link=apply", p, err, sizeof(err)), 0);
	ck_assert_int_eq(p[MPKNI_REQ_MTU], MPKNI_POLICY_IGNORE);
	ck_assert_int_eq(p[MPKNI_REQ_ALLMULTI], MPKNI_POLICY_IGNORE);
	ck_assert_int_eq(p[MPKNI_REQ_LINK], MPKNI_POLICY_APPLY);
}
END_TEST

START_TEST(test_policy_parse_errors_leave_policies_unchanged)
{
	enum mpkni_req_policy p[MPKNI_REQ_MAX] = { 0 };
	char err[128];
	int i;
	static const char *const bad[] = {
		"", "mtu", "mtu=", "=apply", "mtu=maybe", "speed=apply", "mtu=apply,",
		"mtu=apply,,link=ignore", "mtuu=apply", "mt=apply", "promisc=ignore,link",
	};

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		err[0] = '\0';
		ck_assert_msg(mpkni_req_policy_parse(bad[i], p, err, sizeof(err)) == -EINVAL,
			      "'%s' accepted", bad[i]);
		ck_assert_msg(err[0] != '\0', "no message for '%s'", bad[i]);
	}
	/* "promisc=ignore,link" failed as a whole: promisc is still apply. */
	for (i = 0; i < MPKNI_REQ_MAX; i++)
		ck_assert_int_eq(p[i], MPKNI_POLICY_APPLY);
	ck_assert_int_eq(mpkni_req_policy_parse(NULL, p, err, sizeof(err)), -EINVAL);
}
END_TEST

START_TEST(test_format_and_names)
{
	struct mpkni_req r = { .kind = MPKNI_REQ_MAC, .mac = { 0x02, 0xaa, 0, 0, 0, 0x0f } };
	char b[64];

	mpkni_req_format(&r, b, sizeof(b));
	ck_assert_str_eq(b, "mac 02:aa:00:00:00:0f");
	r.kind = MPKNI_REQ_MTU;
	r.mtu = 1400;
	mpkni_req_format(&r, b, sizeof(b));
	ck_assert_str_eq(b, "mtu 1400");
	r.kind = MPKNI_REQ_LINK;
	r.on = 0;
	mpkni_req_format(&r, b, sizeof(b));
	ck_assert_str_eq(b, "link down");
	r.kind = MPKNI_REQ_ALLMULTI;
	r.on = 1;
	mpkni_req_format(&r, b, sizeof(b));
	ck_assert_str_eq(b, "allmulti on");
	ck_assert_str_eq(mpkni_req_kind_name(MPKNI_REQ_PROMISC), "promisc");
	ck_assert_str_eq(mpkni_req_policy_name(MPKNI_POLICY_REJECT), "reject");
	ck_assert_str_eq(mpkni_req_result_name(MPKNI_REQ_IGNORED), "ignored");
	ck_assert_str_eq(mpkni_req_kind_name(MPKNI_REQ_MAX), "?");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kni_req");
	TCase *d = tcase_create("diff"), *p = tcase_create("policy");
	SRunner *sr;
	int failed;

	tcase_add_test(d, test_no_change_makes_no_request);
	tcase_add_test(d, test_each_kind_alone_makes_one_request);
	tcase_add_test(d, test_several_changes_come_in_kind_order);
	tcase_add_test(d, test_flag_values_other_than_one_count_as_on);
	tcase_add_test(d, test_settle_keeps_applied_and_ignored_drops_rejected);
	tcase_add_test(d, test_revert_event_after_reject_makes_no_request);
	tcase_add_test(d, test_requests_in_a_row_are_each_seen_in_order);
	tcase_add_test(p, test_decide_by_policy);
	tcase_add_test(p, test_policy_parse_sets_named_kinds_only);
	tcase_add_test(p, test_policy_parse_errors_leave_policies_unchanged);
	tcase_add_test(p, test_format_and_names);
	suite_add_tcase(s, d);
	suite_add_tcase(s, p);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
