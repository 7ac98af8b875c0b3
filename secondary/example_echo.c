/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpkni-echo: an example network function written against worker.h. It
 * answers UDP echo (port 7) for the kernel interface's own IPv4 addresses in
 * the data plane, and gives everything else to the kernel, so ARP, ping, SSH
 * and the rest keep working through the Linux stack.
 *
 * The reply is the request with Ethernet, IPv4 and UDP source and destination
 * swapped, sent back out of the port it came in on. Swapping keeps both
 * checksums valid: each is a one's-complement sum, and the sum does not
 * depend on the order of its words.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "worker.h"

#define ECHO_PORT 7

static int
own_v4(const struct mpkni_addr_set *own, uint32_t addr)
{
	uint32_t i;

	for (i = 0; i < own->nb_v4 && i < MPKNI_MAX_ADDRS; i++)
		if (own->v4[i] == addr)
			return 1;
	return 0;
}

/* 1 if m is a UDP echo request to one of our addresses, turned into its reply. */
static int
echo(struct rte_mbuf *m, const struct mpkni_addr_set *own)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct rte_ether_addr mac;
	uint32_t ihl, addr;
	uint16_t port;

	if (m->data_len < sizeof(*eth) + sizeof(*ip) + sizeof(*udp) ||
	    eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return 0;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ihl = (uint32_t)(ip->version_ihl & 0x0f) * 4;
	if (ip->next_proto_id != IPPROTO_UDP || ihl < sizeof(*ip) ||
	    m->data_len < sizeof(*eth) + ihl + sizeof(*udp) ||
	    (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
						   RTE_IPV4_HDR_OFFSET_MASK)) != 0 ||
	    !own_v4(own, ip->dst_addr))
		return 0;
	udp = (struct rte_udp_hdr *)((uint8_t *)ip + ihl);
	if (udp->dst_port != rte_cpu_to_be_16(ECHO_PORT))
		return 0;

	rte_ether_addr_copy(&eth->src_addr, &mac);
	rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
	rte_ether_addr_copy(&mac, &eth->dst_addr);
	addr = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = addr;
	port = udp->src_port;
	udp->src_port = udp->dst_port;
	udp->dst_port = port;
	return 1;
}

static void
echo_burst(const struct mpkni_nf_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
	   uint16_t *verdicts)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		verdicts[i] = echo(pkts[i], ctx->kni_addrs) ? ctx->port : MPKNI_VERDICT_KERNEL;
}

static const struct mpkni_nf echo_nf = { .name = "echo", .burst = echo_burst };

int
main(int argc, char **argv)
{
	return mpkni_worker_main(argc, argv, &echo_nf);
}
