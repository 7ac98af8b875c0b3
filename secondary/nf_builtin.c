/* SPDX-License-Identifier: BSD-3-Clause */
/* The network functions mpkni-worker ships: "kernel" and "split". */
#include <string.h>

#include <rte_mbuf.h>

#include "classify.h"
#include "worker.h"

static void
kernel_burst(const struct mpkni_nf_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
	     uint16_t *verdicts)
{
	uint16_t i;

	(void)ctx;
	(void)pkts;
	for (i = 0; i < n; i++)
		verdicts[i] = MPKNI_VERDICT_KERNEL;
}

static void
split_burst(const struct mpkni_nf_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
	    uint16_t *verdicts)
{
	uint16_t out = ctx->port ^ 1;
	uint16_t i;

	if (out >= ctx->nb_ports)
		out = ctx->port;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		/* Headers past the first segment are not looked at: such a
		 * frame classifies as truncated and goes to the kernel. */
		enum mpkni_pkt_class c = mpkni_classify(rte_pktmbuf_mtod(m, const void *),
							m->data_len, ctx->kni_addrs);

		verdicts[i] = mpkni_class_to_kernel(c) ? MPKNI_VERDICT_KERNEL : out;
	}
}

const struct mpkni_nf mpkni_nf_kernel = { .name = "kernel", .burst = kernel_burst };
const struct mpkni_nf mpkni_nf_split = { .name = "split", .burst = split_burst };

const struct mpkni_nf *
mpkni_nf_find(const char *name)
{
	if (strcmp(name, mpkni_nf_kernel.name) == 0)
		return &mpkni_nf_kernel;
	if (strcmp(name, mpkni_nf_split.name) == 0)
		return &mpkni_nf_split;
	return NULL;
}
