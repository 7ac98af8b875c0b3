/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker library: everything a network function needs to run as an mpkni
 * worker. A network function is one callback over a burst that gives each
 * packet a verdict; mpkni_worker_main() does the rest: finds the primary,
 * claims a slot and a unique lcore, attaches as a DPDK secondary, polls the
 * slot's rx queue of every port, carries out the verdicts, keeps the slot's
 * counters, and leaves cleanly on SIGINT/SIGTERM or when the primary stops.
 *
 * Owner: each worker process. Callers: worker processes only.
 *
 *	static void
 *	my_burst(const struct mpkni_nf_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
 *		 uint16_t *verdicts)
 *	{
 *		for (uint16_t i = 0; i < n; i++)
 *			verdicts[i] = MPKNI_VERDICT_KERNEL;
 *	}
 *	static const struct mpkni_nf my_nf = { .name = "mine", .burst = my_burst };
 *	int main(int argc, char **argv) { return mpkni_worker_main(argc, argv, &my_nf); }
 */
#ifndef MPKNI_WORKER_H
#define MPKNI_WORKER_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "layout.h"

/* Verdicts. Any other value v forwards the packet out of port index v
 * (0 .. nb_ports - 1) on the worker's own tx queue; an index out of range
 * drops it (counted as drop_nf). */
#define MPKNI_VERDICT_DROP   UINT16_MAX
#define MPKNI_VERDICT_KERNEL (UINT16_MAX - 1)

struct mpkni_nf_ctx {
	uint16_t port;           /* index of the port the burst came from */
	uint16_t port_id;        /* its DPDK port id */
	uint16_t nb_ports;
	uint16_t slot;
	/* The addresses of this port's kernel interface, current as of the burst. */
	const struct mpkni_addr_set *kni_addrs;
	void *user;              /* mpkni_nf.user */
};

/* Must set verdicts[i] for every i < n; must not free or keep the mbufs. */
typedef void (*mpkni_nf_burst_t)(const struct mpkni_nf_ctx *ctx, struct rte_mbuf **pkts,
				 uint16_t n, uint16_t *verdicts);

struct mpkni_nf {
	const char *name;
	mpkni_nf_burst_t burst;
	void *user;
};

/* The shipped functions: "kernel" sends everything to the kernel (DPDK's KNI
 * example); "split" sends the control plane to the kernel (see classify.h)
 * and forwards the rest out of the paired port (0<->1, 2<->3; a last unpaired
 * port forwards out of itself). */
extern const struct mpkni_nf mpkni_nf_kernel;
extern const struct mpkni_nf mpkni_nf_split;

/* The shipped function of that name, or NULL. */
const struct mpkni_nf *mpkni_nf_find(const char *name);

/*
 * Runs a worker: argv is "[EAL options] [-- worker options]" as for
 * mpkni-worker. With nf NULL the function is chosen by --mode. Returns the
 * process exit code: 0 after a clean detach, 1 when it could not attach (one
 * line on stderr says why), 2 for bad arguments, 3 when the primary died.
 */
int mpkni_worker_main(int argc, char **argv, const struct mpkni_nf *nf);

#endif /* MPKNI_WORKER_H */
