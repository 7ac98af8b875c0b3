/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Snapshots of the shared figures for the CLI and telemetry. Reads only; the
 * baseline recorded by "clear counters" lives here, in the primary's private
 * memory, and is subtracted from every figure, so clearing never writes a
 * counter that another process owns.
 */
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_version.h>

#include "config.h"
#include "counters.h"
#include "netdev.h"
#include "primary.h"
#include "query.h"

/* Everything a query can subtract, taken as one snapshot. */
struct baseline {
	struct mpkni_q_counters slot_q[MPKNI_MAX_SLOTS][MPKNI_MAX_PORTS];
	struct mpkni_q_counters primary_q[MPKNI_MAX_SLOTS][MPKNI_MAX_PORTS];
	struct mpkni_kni_counters kni[MPKNI_MAX_PORTS];
	struct rte_eth_stats hw[MPKNI_MAX_PORTS];
};

static struct mpkni_primary *P;
static struct baseline base;

void
mpkni_query_bind(struct mpkni_primary *p)
{
	P = p;
	memset(&base, 0, sizeof(base));
}

static const char *
state_name(uint32_t st)
{
	static const char *const names[] = {
		[MPKNI_SLOT_FREE] = "free", [MPKNI_SLOT_CLAIMING] = "claiming",
		[MPKNI_SLOT_RUNNING] = "running", [MPKNI_SLOT_LEAVING] = "leaving",
		[MPKNI_SLOT_DEAD] = "dead",
	};

	return st < RTE_DIM(names) ? names[st] : "?";
}

unsigned int
mpkni_query_workers(struct mpkni_worker_row *rows, unsigned int max)
{
	unsigned int s, q, n = 0;

	for (s = 0; s < P->nb_slots && n < max; s++) {
		const struct mpkni_slot *sl = &P->sh->slots[s];
		struct mpkni_worker_row *r = &rows[n++];
		uint32_t st = __atomic_load_n(&sl->state, __ATOMIC_ACQUIRE);

		memset(r, 0, sizeof(*r));
		r->slot = s;
		r->state = state_name(st);
		r->attaches = sl->attaches;
		if (st != MPKNI_SLOT_FREE) {
			r->pid = sl->pid;
			r->lcore = sl->lcore;
			snprintf(r->nf, sizeof(r->nf), "%s", sl->nf_name);
		} else {
			snprintf(r->nf, sizeof(r->nf), "-");
		}
		for (q = 0; q < P->nb_ports; q++) {
			struct mpkni_q_counters d;

			mpkni_q_delta(&d, &sl->q[q], &base.slot_q[s][q]);
			r->rx += d.rx;
			r->fwd += d.fwd;
			r->to_kernel += d.to_kernel;
			r->dropped += mpkni_q_dropped(&d);
		}
	}
	return n;
}

static void
ring_row(struct mpkni_ring_row *r, const struct rte_ring *ring, unsigned int s, unsigned int q)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", ring->name);
	r->slot = s;
	r->port = P->sh->ports[q].port_id;
	r->size = rte_ring_get_capacity(ring);
	r->in_use = rte_ring_count(ring);
	r->free = r->size - r->in_use;
}

unsigned int
mpkni_query_rings(struct mpkni_ring_row *rows, unsigned int max)
{
	unsigned int s, q, n = 0;

	for (s = 0; s < P->nb_slots; s++) {
		for (q = 0; q < P->nb_ports && n + 2 <= max; q++) {
			const struct mpkni_kni_counters *kc = &P->sh->kni[q], *kb = &base.kni[q];
			struct mpkni_q_counters d, pd;
			struct mpkni_ring_row *r;

			mpkni_q_delta(&d, &P->sh->slots[s].q[q], &base.slot_q[s][q]);
			mpkni_q_delta(&pd, &P->sh->primary_q[s][q], &base.primary_q[s][q]);

			/* Kernel ring: the worker enqueues, the primary dequeues. */
			r = &rows[n++];
			ring_row(r, P->rings[s][q], s, q);
			r->hwm = P->sh->slots[s].q[q].ring_hwm;
			r->enqueued = d.to_kernel;
			r->dequeued = kc->ring_dequeued[s] - kb->ring_dequeued[s];
			r->dropped_full = d.drop_ring_full;

			/* To-wire ring: the primary enqueues; the worker dequeues,
			 * or the primary when it reclaims the slot. */
			r = &rows[n++];
			ring_row(r, P->wire_rings[s][q], s, q);
			r->hwm = kc->wire_hwm[s];
			r->enqueued = kc->wire_enqueued[s] - kb->wire_enqueued[s];
			r->dequeued = d.from_kernel_tx + d.from_kernel_drop + d.from_kernel_lost +
				      pd.from_kernel_tx + pd.from_kernel_drop;
			r->dropped_full = kc->wire_full[s] - kb->wire_full[s];
		}
	}
	return n;
}

unsigned int
mpkni_query_kni(struct mpkni_kni_row *rows, unsigned int max)
{
	unsigned int q, s, n = 0;

	for (q = 0; q < P->nb_ports && n < max; q++) {
		const struct mpkni_port_info *pi = &P->sh->ports[q];
		const struct mpkni_kni_counters *c = &P->sh->kni[q], *b = &base.kni[q];
		struct mpkni_kni_row *r = &rows[n++];

		struct mpkni_link_state st;

		memset(r, 0, sizeof(*r));
		snprintf(r->name, sizeof(r->name), "%s", pi->kni_name);
		r->port = pi->port_id;
		r->ifindex = pi->kni_ifindex;
		/* The kernel's own view: with an "ignore" policy it may differ
		 * from the port's. */
		if (mpkni_netdev_read_state(pi->kni_name, &st, &r->link_up) == 0) {
			r->mtu = st.mtu;
			memcpy(r->mac, st.mac, 6);
		}
		r->tx_packets = c->tx_packets - b->tx_packets;
		r->tx_octets = c->tx_octets - b->tx_octets;
		r->tx_dropped = c->tx_dropped - b->tx_dropped;
		r->rx_packets = c->rx_packets - b->rx_packets;
		r->rx_octets = c->rx_octets - b->rx_octets;
		r->rx_dropped = c->rx_dropped - b->rx_dropped;
		for (s = 0; s < P->nb_slots; s++)
			r->rx_dropped += c->wire_full[s] - b->wire_full[s];
	}
	return n;
}

/* The port's figures summed over every rx queue's poller, since the baseline. */
static void
port_sum(unsigned int q, struct mpkni_q_counters *acc)
{
	struct mpkni_q_counters d;
	unsigned int s;

	memset(acc, 0, sizeof(*acc));
	for (s = 0; s < P->nb_slots; s++) {
		mpkni_q_delta(&d, &P->sh->slots[s].q[q], &base.slot_q[s][q]);
		mpkni_q_add(acc, &d);
	}
	for (s = 0; s < P->nb_slots; s++) {
		mpkni_q_delta(&d, &P->sh->primary_q[s][q], &base.primary_q[s][q]);
		mpkni_q_add(acc, &d);
	}
}

unsigned int
mpkni_query_ports(struct mpkni_port_row *rows, unsigned int max)
{
	unsigned int q, n = 0;

	for (q = 0; q < P->nb_ports && n < max; q++) {
		const struct mpkni_port_info *pi = &P->sh->ports[q];
		struct mpkni_port_row *r = &rows[n++];
		struct mpkni_q_counters acc;
		struct rte_eth_link link;
		struct rte_eth_stats st;
		uint16_t mtu = 0;

		struct rte_ether_addr mac;

		memset(r, 0, sizeof(*r));
		r->port = pi->port_id;
		rte_eth_dev_get_name_by_port(pi->port_id, r->name);
		if (rte_eth_macaddr_get(pi->port_id, &mac) == 0)
			memcpy(r->mac, mac.addr_bytes, 6);
		r->promisc = rte_eth_promiscuous_get(pi->port_id) == 1;
		r->allmulti = rte_eth_allmulticast_get(pi->port_id) == 1;
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(pi->port_id, &link);
		r->link_up = link.link_status == RTE_ETH_LINK_UP;
		r->speed_mbps = link.link_speed;
		rte_eth_dev_get_mtu(pi->port_id, &mtu);
		r->mtu = mtu;
		r->nb_rxq = pi->nb_rxq;
		r->nb_txq = pi->nb_txq;
		port_sum(q, &acc);
		r->rx = acc.rx;
		r->fwd = acc.fwd;
		r->to_kernel = acc.to_kernel;
		r->drop_nf = acc.drop_nf;
		r->drop_ring_full = acc.drop_ring_full;
		r->drop_tx_full = acc.drop_tx_full;
		r->lost = acc.lost;
		r->balanced = mpkni_q_balanced(&acc);
		if (rte_eth_stats_get(pi->port_id, &st) == 0) {
			r->hw_ipackets = st.ipackets - base.hw[q].ipackets;
			r->hw_opackets = st.opackets - base.hw[q].opackets;
			r->hw_imissed = st.imissed - base.hw[q].imissed;
		}
	}
	return n;
}

int
mpkni_query_mempool(struct mpkni_mempool_row *row)
{
	const struct rte_mempool *mp = P->pool;
	unsigned int lcore;

	memset(row, 0, sizeof(*row));
	snprintf(row->name, sizeof(row->name), "%s", mp->name);
	row->size = mp->size;
	row->avail = rte_mempool_avail_count(mp);
	row->in_use = rte_mempool_in_use_count(mp);
	row->cache_size = mp->cache_size;
	if (mp->cache_size != 0)
		for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
			row->in_caches += mp->local_cache[lcore].len;
	return 0;
}

unsigned int
mpkni_query_kni_requests(struct mpkni_kni_req_row *rows, unsigned int max)
{
	unsigned int q, k, n = 0;

	for (q = 0; q < P->nb_ports; q++) {
		for (k = 0; k < MPKNI_REQ_MAX && n < max; k++) {
			struct mpkni_kni_req_row *r = &rows[n++];
			const uint64_t *c = P->req_count[q][k];

			memset(r, 0, sizeof(*r));
			snprintf(r->name, sizeof(r->name), "%s", P->sh->ports[q].kni_name);
			r->port = P->sh->ports[q].port_id;
			r->kind = mpkni_req_kind_name((enum mpkni_req_kind)k);
			r->policy = mpkni_req_policy_name(P->opts.kni_policy[k]);
			r->applied = c[MPKNI_REQ_APPLIED];
			r->ignored = c[MPKNI_REQ_IGNORED];
			r->rejected = c[MPKNI_REQ_REJECTED];
			snprintf(r->last, sizeof(r->last), "%s", P->req_last[q][k]);
		}
	}
	return n;
}

const char *
mpkni_query_version(void)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "mpkni %s, %s, shared layout %u", PACKAGE_VERSION,
		 rte_version(), MPKNI_LAYOUT_VERSION);
	return buf;
}

void
mpkni_query_clear(void)
{
	unsigned int s, q;

	for (s = 0; s < P->nb_slots; s++)
		for (q = 0; q < P->nb_ports; q++)
			base.slot_q[s][q] = P->sh->slots[s].q[q];
	for (s = 0; s < P->nb_slots; s++)
		for (q = 0; q < P->nb_ports; q++)
			base.primary_q[s][q] = P->sh->primary_q[s][q];
	for (q = 0; q < P->nb_ports; q++) {
		base.kni[q] = P->sh->kni[q];
		rte_eth_stats_get(P->sh->ports[q].port_id, &base.hw[q]);
	}
}
