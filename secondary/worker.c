/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's poll loop. Per port, each pass:
 *   rx queue <slot> -> network function -> verdicts:
 *     kernel  -> the kernel ring of (slot, port); full: dropped and counted
 *     forward -> tx queue <slot> of the chosen port; refused: dropped and counted
 *     drop    -> freed and counted
 *   to-wire ring of (slot, port) -> tx queue <slot>   (what the kernel sends)
 * Every packet is counted once where it ends, in the slot's own counters
 * (this process is their only writer).
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "attach.h"
#include "worker.h"

#define IDLE_PASSES 64

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void
usage(void)
{
	printf("usage: mpkni-worker [EAL options] [-- options]\n"
	       "  --mode NAME        network function: kernel or split (default split)\n"
	       "  --slot N           claim slot N (default: the first free one)\n"
	       "  --idle-us N        sleep after idle polls, microseconds; 0 busy-polls (default 0)\n"
	       "  --cpus LIST        CPUs the worker may run on (default: all it may use)\n"
	       "  --attach-timeout-ms N  how long to wait for the primary (default 5000)\n"
	       "EAL options: --file-prefix P finds the primary (default %s); the lcore id\n"
	       "and --proc-type are chosen by mpkni.\n", MPKNI_DEFAULT_PREFIX);
}

struct worker {
	struct mpkni_attach at;
	const struct mpkni_nf *nf;
	struct mpkni_addr_set addrs[MPKNI_MAX_PORTS]; /* local copies of the primary's */
	uint32_t addrs_seq[MPKNI_MAX_PORTS];
};

/* Refreshes the local copy of a port's kernel addresses when the primary
 * has published new ones (a sequence count, odd while it writes). */
static inline void
sync_addrs(struct worker *w, unsigned int q)
{
	const struct mpkni_addrs *a = &w->at.sh->addrs[q];
	uint32_t s1 = __atomic_load_n(&a->seq, __ATOMIC_ACQUIRE);
	uint32_t s2;

	if (s1 == w->addrs_seq[q] || (s1 & 1))
		return;
	w->addrs[q] = a->set;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	s2 = __atomic_load_n(&a->seq, __ATOMIC_RELAXED);
	if (s1 == s2)
		w->addrs_seq[q] = s1;
}

/* While the primary reconfigures a port, its workers keep off it. */
static inline int
port_paused(struct worker *w, unsigned int q)
{
	uint32_t g = __atomic_load_n(&w->at.sh->ctl[q].pause_gen, __ATOMIC_ACQUIRE);

	if (!(g & 1))
		return 0;
	if (w->at.slot->pause_ack[q] != g)
		__atomic_store_n(&w->at.slot->pause_ack[q], g, __ATOMIC_RELEASE);
	return 1;
}

/* What the kernel sends, handed over by the primary for this slot's queue. */
static unsigned int
kernel_to_wire(struct worker *w, unsigned int q)
{
	struct mpkni_q_counters *c = &w->at.slot->q[q];
	struct rte_mbuf *pkts[MPKNI_BURST];
	unsigned int n;
	uint16_t sent;

	n = rte_ring_sc_dequeue_burst(w->at.wire_rings[q], (void **)pkts, MPKNI_BURST, NULL);
	if (n == 0)
		return 0;
	sent = rte_eth_tx_burst(w->at.sh->ports[q].port_id, (uint16_t)w->at.slot_id, pkts,
				(uint16_t)n);
	c->from_kernel_tx += sent;
	if (sent < n) {
		c->from_kernel_drop += n - sent;
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	}
	return n;
}

static unsigned int
poll_port(struct worker *w, unsigned int q)
{
	struct mpkni_shared *sh = w->at.sh;
	struct mpkni_q_counters *c = &w->at.slot->q[q];
	const uint16_t slot = (uint16_t)w->at.slot_id, nb_ports = sh->nb_ports;
	struct rte_mbuf *pkts[MPKNI_BURST], *kern[MPKNI_BURST], *drop[MPKNI_BURST];
	struct rte_mbuf *fwd[MPKNI_MAX_PORTS][MPKNI_BURST];
	uint16_t verdicts[MPKNI_BURST], nfwd[MPKNI_MAX_PORTS] = { 0 };
	uint16_t n, i, nk = 0, nd = 0, d;
	uint64_t octets = 0;
	struct mpkni_nf_ctx ctx = {
		.port = (uint16_t)q, .port_id = sh->ports[q].port_id, .nb_ports = nb_ports,
		.slot = slot, .kni_addrs = &w->addrs[q], .user = w->nf->user,
	};

	n = rte_eth_rx_burst(ctx.port_id, slot, pkts, MPKNI_BURST);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		octets += pkts[i]->pkt_len;
	c->rx += n;
	c->rx_octets += octets;

	sync_addrs(w, q);
	w->nf->burst(&ctx, pkts, n, verdicts);
	for (i = 0; i < n; i++) {
		uint16_t v = verdicts[i];

		if (v == MPKNI_VERDICT_KERNEL)
			kern[nk++] = pkts[i];
		else if (v < nb_ports)
			fwd[v][nfwd[v]++] = pkts[i];
		else
			drop[nd++] = pkts[i];
	}
	if (nd > 0) {
		c->drop_nf += nd;
		rte_pktmbuf_free_bulk(drop, nd);
	}
	if (nk > 0) {
		unsigned int free_space;
		unsigned int k = rte_ring_sp_enqueue_burst(w->at.rings[q], (void **)kern, nk,
							   &free_space);
		uint64_t used = rte_ring_get_capacity(w->at.rings[q]) - free_space;

		c->to_kernel += k;
		if (used > c->ring_hwm)
			c->ring_hwm = used;
		if (k < nk) {
			c->drop_ring_full += nk - k;
			rte_pktmbuf_free_bulk(&kern[k], nk - k);
		}
	}
	for (d = 0; d < nb_ports; d++) {
		uint16_t sent;

		if (nfwd[d] == 0)
			continue;
		sent = rte_eth_tx_burst(sh->ports[d].port_id, slot, fwd[d], nfwd[d]);
		c->fwd += sent;
		if (sent < nfwd[d]) {
			c->drop_tx_full += nfwd[d] - sent;
			rte_pktmbuf_free_bulk(&fwd[d][sent], nfwd[d] - sent);
		}
	}
	return n;
}

/* Returns 0 when told to stop, 3 when the primary died. */
static int
run(struct worker *w)
{
	const struct timespec idle = {
		.tv_sec = w->at.opts.idle_us / 1000000,
		.tv_nsec = (long)(w->at.opts.idle_us % 1000000) * 1000,
	};
	uint64_t hz = rte_get_tsc_hz(), next_check = 0;
	unsigned int q, idle_passes = 0, moved;

	while (!quit) {
		moved = 0;
		for (q = 0; q < w->at.sh->nb_ports; q++)
			if (!port_paused(w, q))
				moved += poll_port(w, q) + kernel_to_wire(w, q);
		if (moved > 0)
			idle_passes = 0;
		else if (++idle_passes >= IDLE_PASSES && w->at.opts.idle_us > 0)
			nanosleep(&idle, NULL);

		if (rte_rdtsc() >= next_check) {
			next_check = rte_rdtsc() + hz / 10;
			if (!mpkni_attach_primary_alive(&w->at)) {
				fprintf(stderr, "mpkni-worker: slot %u: the primary (pid %d) died; "
					"exiting\n", w->at.slot_id, (int)w->at.sh->primary_pid);
				return 3;
			}
			if (__atomic_load_n(&w->at.sh->stopping, __ATOMIC_ACQUIRE)) {
				fprintf(stderr, "mpkni-worker: slot %u: the primary is stopping; "
					"leaving\n", w->at.slot_id);
				return 0;
			}
		}
	}
	return 0;
}

int
mpkni_worker_main(int argc, char **argv, const struct mpkni_nf *nf)
{
	static struct worker w;
	const struct mpkni_slot *sl;
	unsigned int q;
	int rc;

	memset(&w, 0, sizeof(w));
	rc = mpkni_attach_parse(&w.at, argc, argv);
	if (rc != 0)
		return rc;
	if (w.at.opts.help) {
		usage();
		return 0;
	}
	if (nf != NULL && w.at.opts.mode[0] != '\0') {
		fprintf(stderr, "mpkni-worker: --mode does not apply: this worker runs '%s'\n",
			nf->name);
		return 2;
	}
	if (nf == NULL) {
		nf = mpkni_nf_find(w.at.opts.mode[0] != '\0' ? w.at.opts.mode : "split");
		if (nf == NULL) {
			fprintf(stderr, "mpkni-worker: unknown --mode '%s': use kernel or split\n",
				w.at.opts.mode);
			return 2;
		}
	}
	w.nf = nf;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = mpkni_attach(&w.at, nf->name);
	if (rc != 0) {
		mpkni_detach(&w.at, 0);
		return rc;
	}
	fprintf(stderr, "mpkni-worker: pid %d attached to slot %u (lcore %u, function %s, "
		"%u ports)\n", (int)getpid(), w.at.slot_id, w.at.lcore, nf->name,
		w.at.sh->nb_ports);
	rc = run(&w);
	sl = w.at.slot;
	for (q = 0; q < w.at.sh->nb_ports; q++)
		fprintf(stderr, "mpkni-worker: slot %u port %u: rx %" PRIu64 " fwd %" PRIu64
			" to-kernel %" PRIu64 " from-kernel %" PRIu64 "\n", w.at.slot_id,
			w.at.sh->ports[q].port_id, sl->q[q].rx, sl->q[q].fwd, sl->q[q].to_kernel,
			sl->q[q].from_kernel_tx);
	fprintf(stderr, "mpkni-worker: slot %u: %s\n", w.at.slot_id,
		rc == 0 ? "detached" : "the primary is gone");
	mpkni_detach(&w.at, rc == 3);
	return rc;
}
