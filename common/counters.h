/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arithmetic on the queue-pair counters of layout.h: differences from a
 * baseline ("clear counters" is a view), sums over pollers, the balance
 * every port must keep, and the settling of a dead worker's counters.
 *
 * Owner: nobody; pure functions, no EAL. Callers: the primary (queries,
 * slot reclaim) and tests. None writes a counter another process owns:
 * settle is called by the primary on a dead worker's slot only, when it is
 * the slot's one writer.
 */
#ifndef MPKNI_COUNTERS_H
#define MPKNI_COUNTERS_H

#include <stdint.h>

#include "layout.h"

/* out = cur - base, field by field (ring_hwm is copied: it is a level). */
void mpkni_q_delta(struct mpkni_q_counters *out, const struct mpkni_q_counters *cur,
		   const struct mpkni_q_counters *base);

/* acc += d, field by field (ring_hwm: the maximum). */
void mpkni_q_add(struct mpkni_q_counters *acc, const struct mpkni_q_counters *d);

/* Every received packet that did not go to a port or the kernel. */
uint64_t mpkni_q_dropped(const struct mpkni_q_counters *c);

/* 1 when rx = fwd + to_kernel + drops + lost. */
int mpkni_q_balanced(const struct mpkni_q_counters *c);

/*
 * Settles the counters c of a slot whose worker died, once both its rings
 * are drained: ring_dequeued is all the primary ever took from the slot's
 * kernel ring, wire_enqueued all it put on the slot's to-wire ring, and pq
 * the primary's own counters for the slot (what it drained from the to-wire
 * ring). Makes c balanced: what the worker enqueued but had not counted is
 * counted to the kernel; what it received or took and never placed is lost.
 * A clean worker's counters are already whole and do not change.
 */
void mpkni_q_settle(struct mpkni_q_counters *c, const struct mpkni_q_counters *pq,
		    uint64_t ring_dequeued, uint64_t wire_enqueued);

#endif /* MPKNI_COUNTERS_H */
