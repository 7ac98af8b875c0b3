/* SPDX-License-Identifier: BSD-3-Clause */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"

/* A worker's counters after 100 received: 40 forwarded, 50 to the kernel,
 * 4 dropped by its function, 3 with the ring full, 3 refused by tx; 20 taken
 * from its to-wire ring: 19 sent, 1 refused. */
static struct mpkni_q_counters
worker_whole(void)
{
	struct mpkni_q_counters c;

	memset(&c, 0, sizeof(c));
	c.rx = 100;
	c.rx_octets = 6400;
	c.fwd = 40;
	c.to_kernel = 50;
	c.drop_nf = 4;
	c.drop_ring_full = 3;
	c.drop_tx_full = 3;
	c.ring_hwm = 17;
	c.from_kernel_tx = 19;
	c.from_kernel_drop = 1;
	return c;
}

START_TEST(test_whole_counters_are_balanced)
{
	struct mpkni_q_counters c = worker_whole();

	ck_assert_int_eq(mpkni_q_balanced(&c), 1);
	ck_assert_uint_eq(mpkni_q_dropped(&c), 10);
	c.rx++;
	ck_assert_int_eq(mpkni_q_balanced(&c), 0);
	c.lost++;
	ck_assert_int_eq(mpkni_q_balanced(&c), 1);
	ck_assert_uint_eq(mpkni_q_dropped(&c), 11);
}
END_TEST

START_TEST(test_delta_is_the_figures_since_the_baseline)
{
	struct mpkni_q_counters base = worker_whole(), cur = worker_whole(), d;

	cur.rx += 10;
	cur.to_kernel += 7;
	cur.fwd += 3;
	cur.ring_hwm = 5;
	cur.lost += 0;
	mpkni_q_delta(&d, &cur, &base);
	ck_assert_uint_eq(d.rx, 10);
	ck_assert_uint_eq(d.to_kernel, 7);
	ck_assert_uint_eq(d.fwd, 3);
	ck_assert_uint_eq(d.drop_nf, 0);
	ck_assert_uint_eq(d.from_kernel_tx, 0);
	/* A level, not a count: it is not subtracted. */
	ck_assert_uint_eq(d.ring_hwm, 5);
	ck_assert_int_eq(mpkni_q_balanced(&d), 1);
}
END_TEST

START_TEST(test_sum_over_pollers_keeps_the_balance)
{
	struct mpkni_q_counters a = worker_whole(), b = worker_whole(), acc;

	b.ring_hwm = 99;
	memset(&acc, 0, sizeof(acc));
	mpkni_q_add(&acc, &a);
	mpkni_q_add(&acc, &b);
	ck_assert_uint_eq(acc.rx, 200);
	ck_assert_uint_eq(acc.from_kernel_tx, 38);
	ck_assert_uint_eq(acc.ring_hwm, 99);
	ck_assert_int_eq(mpkni_q_balanced(&acc), 1);
}
END_TEST

START_TEST(test_settle_leaves_a_clean_worker_alone)
{
	struct mpkni_q_counters c = worker_whole(), before = c, pq;

	memset(&pq, 0, sizeof(pq));
	mpkni_q_settle(&c, &pq, 50, 20);
	ck_assert_mem_eq(&c, &before, sizeof(c));
}
END_TEST

START_TEST(test_settle_counts_what_was_enqueued_but_not_counted)
{
	/* Killed between enqueueing 8 on the kernel ring and counting them:
	 * the primary dequeued 58, the worker counted 50. */
	struct mpkni_q_counters c = worker_whole(), pq;

	memset(&pq, 0, sizeof(pq));
	c.rx += 8;
	ck_assert_int_eq(mpkni_q_balanced(&c), 0);
	mpkni_q_settle(&c, &pq, 58, 20);
	ck_assert_uint_eq(c.to_kernel, 58);
	ck_assert_uint_eq(c.lost, 0);
	ck_assert_int_eq(mpkni_q_balanced(&c), 1);
}
END_TEST

START_TEST(test_settle_counts_a_burst_in_hand_as_lost)
{
	/* Killed with 32 received and counted, but not yet placed. */
	struct mpkni_q_counters c = worker_whole(), pq;

	memset(&pq, 0, sizeof(pq));
	c.rx += 32;
	mpkni_q_settle(&c, &pq, 50, 20);
	ck_assert_uint_eq(c.lost, 32);
	ck_assert_uint_eq(c.to_kernel, 50);
	ck_assert_int_eq(mpkni_q_balanced(&c), 1);
}
END_TEST

START_TEST(test_settle_counts_to_wire_packets_taken_but_not_counted)
{
	/* 30 put on the to-wire ring: the worker counted 20, the primary
	 * drained 4 at reclaim, 6 were in the dead worker's hands. */
	struct mpkni_q_counters c = worker_whole(), pq;

	memset(&pq, 0, sizeof(pq));
	pq.from_kernel_tx = 3;
	pq.from_kernel_drop = 1;
	mpkni_q_settle(&c, &pq, 50, 30);
	ck_assert_uint_eq(c.from_kernel_lost, 6);
	/* Settling twice (a slot reclaimed again) adds nothing. */
	mpkni_q_settle(&c, &pq, 50, 30);
	ck_assert_uint_eq(c.from_kernel_lost, 6);
	ck_assert_uint_eq(c.lost, 0);
}
END_TEST

START_TEST(test_settle_is_cumulative_over_workers_of_a_slot)
{
	/* A replacement keeps counting on the slot's counters; a second death
	 * settles only the new gap. */
	struct mpkni_q_counters c = worker_whole(), pq;

	memset(&pq, 0, sizeof(pq));
	c.rx += 5;
	mpkni_q_settle(&c, &pq, 50, 20);
	ck_assert_uint_eq(c.lost, 5);
	c.rx += 100;
	c.to_kernel += 100;
	c.rx += 2;
	mpkni_q_settle(&c, &pq, 150, 20);
	ck_assert_uint_eq(c.lost, 7);
	ck_assert_int_eq(mpkni_q_balanced(&c), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("counters");
	TCase *v = tcase_create("views"), *st = tcase_create("settle");
	SRunner *sr;
	int failed;

	tcase_add_test(v, test_whole_counters_are_balanced);
	tcase_add_test(v, test_delta_is_the_figures_since_the_baseline);
	tcase_add_test(v, test_sum_over_pollers_keeps_the_balance);
	tcase_add_test(st, test_settle_leaves_a_clean_worker_alone);
	tcase_add_test(st, test_settle_counts_what_was_enqueued_but_not_counted);
	tcase_add_test(st, test_settle_counts_a_burst_in_hand_as_lost);
	tcase_add_test(st, test_settle_counts_to_wire_packets_taken_but_not_counted);
	tcase_add_test(st, test_settle_is_cumulative_over_workers_of_a_slot);
	suite_add_tcase(s, v);
	suite_add_tcase(s, st);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
