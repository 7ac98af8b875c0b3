/* SPDX-License-Identifier: BSD-3-Clause */
#include "counters.h"

void
mpkni_q_delta(struct mpkni_q_counters *out, const struct mpkni_q_counters *cur,
	      const struct mpkni_q_counters *base)
{
	out->rx = cur->rx - base->rx;
	out->rx_octets = cur->rx_octets - base->rx_octets;
	out->fwd = cur->fwd - base->fwd;
	out->to_kernel = cur->to_kernel - base->to_kernel;
	out->drop_nf = cur->drop_nf - base->drop_nf;
	out->drop_ring_full = cur->drop_ring_full - base->drop_ring_full;
	out->drop_tx_full = cur->drop_tx_full - base->drop_tx_full;
	out->ring_hwm = cur->ring_hwm;
	out->from_kernel_tx = cur->from_kernel_tx - base->from_kernel_tx;
	out->from_kernel_drop = cur->from_kernel_drop - base->from_kernel_drop;
	out->lost = cur->lost - base->lost;
	out->from_kernel_lost = cur->from_kernel_lost - base->from_kernel_lost;
}

void
mpkni_q_add(struct mpkni_q_counters *acc, const struct mpkni_q_counters *d)
{
	acc->rx += d->rx;
	acc->rx_octets += d->rx_octets;
	acc->fwd += d->fwd;
	acc->to_kernel += d->to_kernel;
	acc->drop_nf += d->drop_nf;
	acc->drop_ring_full += d->drop_ring_full;
	acc->drop_tx_full += d->drop_tx_full;
	if (d->ring_hwm > acc->ring_hwm)
		acc->ring_hwm = d->ring_hwm;
	acc->from_kernel_tx += d->from_kernel_tx;
	acc->from_kernel_drop += d->from_kernel_drop;
	acc->lost += d->lost;
	acc->from_kernel_lost += d->from_kernel_lost;
}

uint64_t
mpkni_q_dropped(const struct mpkni_q_counters *c)
{
	return c->drop_nf + c->drop_ring_full + c->drop_tx_full + c->lost;
}

int
mpkni_q_balanced(const struct mpkni_q_counters *c)
{
	return c->rx == c->fwd + c->to_kernel + mpkni_q_dropped(c);
}

void
mpkni_q_settle(struct mpkni_q_counters *c, const struct mpkni_q_counters *pq,
	       uint64_t ring_dequeued, uint64_t wire_enqueued)
{
	uint64_t placed, taken;

	/* The worker counts after it enqueues: the ring knows better. */
	if (ring_dequeued > c->to_kernel)
		c->to_kernel = ring_dequeued;
	placed = c->fwd + c->to_kernel + mpkni_q_dropped(c);
	if (c->rx > placed)
		c->lost += c->rx - placed;
	taken = c->from_kernel_tx + c->from_kernel_drop + c->from_kernel_lost +
		pq->from_kernel_tx + pq->from_kernel_drop;
	if (wire_enqueued > taken)
		c->from_kernel_lost += wire_enqueued - taken;
}
