/* SPDX-License-Identifier: BSD-3-Clause */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flowhash.h"

/* Builds Ethernet + IPv4 + TCP/UDP (or IPv6) headers into f; returns length. */
static uint32_t
ipv4(uint8_t *f, uint32_t sa, uint32_t da, uint8_t proto, uint16_t sp, uint16_t dp,
     int vlan)
{
	uint32_t o = 12;

	memset(f, 0, 128);
	if (vlan) {
		f[o] = 0x81;
		f[o + 1] = 0x00;
		o += 4;
	}
	f[o] = 0x08;
	f[o + 1] = 0x00;
	o += 2;
	f[o] = 0x45;
	f[o + 9] = proto;
	f[o + 12] = sa >> 24; f[o + 13] = sa >> 16; f[o + 14] = sa >> 8; f[o + 15] = sa;
	f[o + 16] = da >> 24; f[o + 17] = da >> 16; f[o + 18] = da >> 8; f[o + 19] = da;
	f[o + 20] = sp >> 8; f[o + 21] = sp;
	f[o + 22] = dp >> 8; f[o + 23] = dp;
	return o + 40;
}

static uint32_t
ipv6(uint8_t *f, uint8_t a, uint8_t b, uint16_t sp, uint16_t dp)
{
	memset(f, 0, 128);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 6] = 17;
	f[14 + 8 + 15] = a;
	f[14 + 24 + 15] = b;
	f[54] = sp >> 8; f[55] = sp;
	f[56] = dp >> 8; f[57] = dp;
	return 14 + 40 + 8;
}

START_TEST(test_both_directions_of_a_tcp_flow_hash_the_same)
{
	uint8_t a[128], b[128];
	uint32_t la = ipv4(a, 0xc6120002, 0xc6120001, 6, 40000, 5001, 0);
	uint32_t lb = ipv4(b, 0xc6120001, 0xc6120002, 6, 5001, 40000, 0);

	ck_assert_uint_eq(mpkni_flow_hash(a, la), mpkni_flow_hash(b, lb));
	ck_assert_uint_ne(mpkni_flow_hash(a, la), 0);
}
END_TEST

START_TEST(test_both_directions_of_an_ipv6_flow_hash_the_same)
{
	uint8_t a[128], b[128];

	ck_assert_uint_eq(mpkni_flow_hash(a, ipv6(a, 1, 2, 1000, 53)),
			  mpkni_flow_hash(b, ipv6(b, 2, 1, 53, 1000)));
}
END_TEST

START_TEST(test_vlan_tag_does_not_change_the_hash)
{
	uint8_t a[128], b[128];

	ck_assert_uint_eq(mpkni_flow_hash(a, ipv4(a, 1, 2, 17, 3, 4, 0)),
			  mpkni_flow_hash(b, ipv4(b, 1, 2, 17, 3, 4, 1)));
}
END_TEST

START_TEST(test_flows_spread_over_slots)
{
	unsigned int count[4] = { 0 }, i;
	uint8_t f[128];

	for (i = 0; i < 4000; i++)
		count[mpkni_flow_hash(f, ipv4(f, 0x0a000001, 0x0a000002, 6, 1024 + i, 80, 0)) % 4]++;
	for (i = 0; i < 4; i++) {
		ck_assert_uint_gt(count[i], 800);
		ck_assert_uint_lt(count[i], 1200);
	}
}
END_TEST

START_TEST(test_non_ip_and_short_frames_hash_to_zero)
{
	uint8_t f[128];
	uint32_t len = ipv4(f, 1, 2, 6, 3, 4, 0), l;

	for (l = 0; l < 34; l++)
		ck_assert_uint_eq(mpkni_flow_hash(f, l), 0);
	f[12] = 0x08;
	f[13] = 0x06; /* ARP */
	ck_assert_uint_eq(mpkni_flow_hash(f, len), 0);
	ck_assert_uint_eq(mpkni_flow_hash(NULL, 60), 0);
}
END_TEST

START_TEST(test_every_truncation_is_safe)
{
	uint8_t f[128];
	uint32_t len = ipv6(f, 1, 2, 3, 4), l;

	/* Exact-size heap copies so that an over-read shows under a sanitiser. */
	for (l = 0; l <= len; l++) {
		uint8_t *c = malloc(l ? l : 1);

		memcpy(c, f, l);
		(void)mpkni_flow_hash(c, l);
		free(c);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("flowhash");
	TCase *tc = tcase_create("flowhash");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_both_directions_of_a_tcp_flow_hash_the_same);
	tcase_add_test(tc, test_both_directions_of_an_ipv6_flow_hash_the_same);
	tcase_add_test(tc, test_vlan_tag_does_not_change_the_hash);
	tcase_add_test(tc, test_flows_spread_over_slots);
	tcase_add_test(tc, test_non_ip_and_short_frames_hash_to_zero);
	tcase_add_test(tc, test_every_truncation_is_safe);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
