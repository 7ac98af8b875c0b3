/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The primary's service loop, on its main lcore. Each pass, per port:
 *   kernel ring of every slot -> kernel interface            (worker -> kernel)
 *   kernel interface -> to-wire ring of the flow's slot       (kernel -> wire)
 *     or, if that slot has no worker, straight out of its tx queue
 *   rx queues of slots without a worker -> kernel interface, or dropped,
 *     by the orphan policy
 * and, once a millisecond, the slot hand-overs and liveness checks. Idle, it
 * sleeps on the kernel interfaces' descriptors for at most --idle-us.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "flowhash.h"
#include "log.h"
#include "primary.h"

#define IDLE_PASSES 64

static inline uint64_t
sum_octets(struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t o = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		o += pkts[i]->pkt_len;
	return o;
}

/* Hands n packets of port idx to its kernel interface and counts them. */
static inline void
to_kernel(struct mpkni_primary *p, unsigned int idx, struct rte_mbuf **pkts, uint16_t n)
{
	struct mpkni_kni_counters *kc = &p->sh->kni[idx];
	uint64_t octets;
	uint16_t sent;

	sent = p->kni_be->tx_burst(p->kni[idx], pkts, n, &octets);
	kc->tx_packets += sent;
	kc->tx_octets += octets;
	kc->tx_dropped += n - sent;
}

/* Sends on tx queue s of port idx, which the primary may use only while
 * slot s has no worker; returns how many the port refused (freed). */
static inline uint16_t
tx_orphan(struct mpkni_primary *p, unsigned int idx, uint16_t s, struct rte_mbuf **pkts,
	  uint16_t n)
{
	uint16_t sent = rte_eth_tx_burst(p->sh->ports[idx].port_id, s, pkts, n);

	if (sent < n)
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	return n - sent;
}

static unsigned int
rings_to_kernel(struct mpkni_primary *p, unsigned int idx)
{
	struct rte_mbuf *pkts[MPKNI_BURST];
	unsigned int s, moved = 0;

	for (s = 0; s < p->nb_slots; s++) {
		unsigned int n = rte_ring_sc_dequeue_burst(p->rings[s][idx], (void **)pkts,
							   MPKNI_BURST, NULL);

		if (n == 0)
			continue;
		p->sh->kni[idx].ring_dequeued[s] += n;
		to_kernel(p, idx, pkts, n);
		moved += n;
	}
	return moved;
}

static void
to_wire_slot(struct mpkni_primary *p, unsigned int idx, uint16_t s, int orphan,
	     struct rte_mbuf **pkts, uint16_t n)
{
	struct mpkni_kni_counters *kc = &p->sh->kni[idx];
	unsigned int k, free_space, used;

	if (orphan) {
		uint16_t refused = tx_orphan(p, idx, s, pkts, n);

		kc->rx_direct += n - refused;
		kc->rx_dropped += refused;
		return;
	}
	k = rte_ring_sp_enqueue_burst(p->wire_rings[s][idx], (void **)pkts, n, &free_space);
	kc->wire_enqueued[s] += k;
	used = rte_ring_get_capacity(p->wire_rings[s][idx]) - free_space;
	if (used > kc->wire_hwm[s])
		kc->wire_hwm[s] = used;
	if (k < n) {
		kc->wire_full[s] += n - k;
		rte_pktmbuf_free_bulk(&pkts[k], n - k);
	}
}

static unsigned int
kernel_to_wire(struct mpkni_primary *p, unsigned int idx, const int *orphan)
{
	struct mpkni_kni_counters *kc = &p->sh->kni[idx];
	struct rte_mbuf *pkts[MPKNI_BURST], *by_slot[MPKNI_MAX_SLOTS][MPKNI_BURST];
	uint16_t nb[MPKNI_MAX_SLOTS] = { 0 };
	struct mpkni_kni_rx_note note;
	uint16_t n, i, s;

	n = p->kni_be->rx_burst(p->kni[idx], p->pool, pkts, MPKNI_BURST, &note);
	kc->rx_nombuf += note.nomem;
	kc->rx_packets += n + note.oversize;
	kc->rx_dropped += note.oversize;
	if (n == 0)
		return note.oversize;
	kc->rx_octets += sum_octets(pkts, n);
	for (i = 0; i < n; i++) {
		s = (uint16_t)(mpkni_flow_hash(rte_pktmbuf_mtod(pkts[i], const void *),
					       pkts[i]->data_len) % p->nb_slots);
		by_slot[s][nb[s]++] = pkts[i];
	}
	for (s = 0; s < p->nb_slots; s++)
		if (nb[s] > 0)
			to_wire_slot(p, idx, s, orphan[s], by_slot[s], nb[s]);
	return n;
}

static unsigned int
serve_queue(struct mpkni_primary *p, unsigned int idx, uint16_t q)
{
	struct mpkni_q_counters *c = &p->sh->primary_q[q][idx];
	struct rte_mbuf *pkts[MPKNI_BURST];
	uint16_t n;

	n = rte_eth_rx_burst(p->sh->ports[idx].port_id, q, pkts, MPKNI_BURST);
	if (n == 0)
		return 0;
	c->rx += n;
	c->rx_octets += sum_octets(pkts, n);
	if (p->opts.orphan_policy == MPKNI_ORPHAN_KERNEL) {
		c->to_kernel += n;
		to_kernel(p, idx, pkts, n);
	} else {
		c->drop_nf += n;
		rte_pktmbuf_free_bulk(pkts, n);
	}
	return n;
}

/* A slot's queues are the primary's to serve while no worker polls them. */
static inline int
slot_orphan(const struct mpkni_primary *p, unsigned int s)
{
	uint32_t st = __atomic_load_n(&p->sh->slots[s].state, __ATOMIC_ACQUIRE);

	return st == MPKNI_SLOT_FREE || st == MPKNI_SLOT_DEAD;
}

unsigned int
mpkni_service_once(struct mpkni_primary *p)
{
	unsigned int idx, s, moved = 0;
	int orphan[MPKNI_MAX_SLOTS];

	for (s = 0; s < p->nb_slots; s++)
		orphan[s] = slot_orphan(p, s);
	for (idx = 0; idx < p->nb_ports; idx++) {
		if (mpkni_port_paused(p, idx))
			continue;
		moved += rings_to_kernel(p, idx);
		moved += kernel_to_wire(p, idx, orphan);
		for (s = 0; s < p->nb_slots; s++)
			if (orphan[s])
				moved += serve_queue(p, idx, s);
	}
	return moved;
}

void
mpkni_service_drain_slot(struct mpkni_primary *p, unsigned int slot, unsigned int idx)
{
	struct mpkni_q_counters *c = &p->sh->primary_q[slot][idx];
	struct rte_mbuf *pkts[MPKNI_BURST];
	unsigned int n;

	while ((n = rte_ring_sc_dequeue_burst(p->rings[slot][idx], (void **)pkts, MPKNI_BURST,
					      NULL)) > 0) {
		p->sh->kni[idx].ring_dequeued[slot] += n;
		to_kernel(p, idx, pkts, n);
	}
	while ((n = rte_ring_sc_dequeue_burst(p->wire_rings[slot][idx], (void **)pkts,
					      MPKNI_BURST, NULL)) > 0) {
		uint16_t refused = tx_orphan(p, idx, (uint16_t)slot, pkts, (uint16_t)n);

		c->from_kernel_tx += n - refused;
		c->from_kernel_drop += refused;
	}
}

/* Sleeps until a kernel interface has a frame for us or idle_us passed. */
static void
idle_wait(struct mpkni_primary *p)
{
	struct pollfd fds[MPKNI_MAX_PORTS];
	struct timespec ts = {
		.tv_sec = p->opts.idle_us / 1000000,
		.tv_nsec = (long)(p->opts.idle_us % 1000000) * 1000,
	};
	unsigned int i;

	for (i = 0; i < p->nb_ports; i++) {
		fds[i].fd = p->kni_be->fd(p->kni[i]);
		fds[i].events = POLLIN;
		fds[i].revents = 0;
	}
	ppoll(fds, p->nb_ports, &ts, NULL);
}

void
mpkni_service_run(struct mpkni_primary *p)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t next_slots = 0, next_link = 0;
	unsigned int idle = 0;

	while (!p->quit) {
		uint64_t now;

		if (mpkni_service_once(p) > 0) {
			idle = 0;
		} else if (++idle >= IDLE_PASSES && p->opts.idle_us > 0) {
			idle_wait(p);
		}
		now = rte_rdtsc();
		if (now >= next_slots) {
			mpkni_slots_poll(p);
			next_slots = now + hz / 1000;
		}
		if (now >= next_link) {
			mpkni_kni_sync_link(p);
			next_link = now + hz / 10;
		}
	}
}
