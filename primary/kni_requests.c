/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel requests, as rte_kni_handle_request did them: the user changes a
 * kernel interface with the usual tools (ip link set vEth0 mtu 1400 | down |
 * address .. | promisc on | allmulticast on), the rtnetlink thread sees the
 * new state, and each change becomes a request for the port, handled by its
 * kind's policy:
 *   apply   the port does the same; if it refuses, the kernel side is put
 *           back and the request counts as rejected, with the port's reason
 *   ignore  the kernel keeps the change, the port is left alone
 *   reject  the kernel side is put back
 * Requests are handled one at a time, in the order the kernel reported them,
 * on the rtnetlink thread: never on the data path. An MTU change pauses the
 * port's pollers first, since some PMDs must stop the port to change it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "log.h"
#include "netdev.h"
#include "primary.h"

#define PAUSE_TIMEOUT_MS 1000

/* The largest frame a kernel-interface read fits in one mbuf of the pool. */
static uint32_t
pool_max_mtu(const struct mpkni_primary *p)
{
	uint32_t room = rte_pktmbuf_data_room_size(p->pool) - RTE_PKTMBUF_HEADROOM;

	return room - RTE_ETHER_HDR_LEN - RTE_ETHER_CRC_LEN;
}

static int
apply_mtu(struct mpkni_primary *p, unsigned int idx, uint32_t mtu, char *why, size_t len)
{
	uint16_t port = p->sh->ports[idx].port_id;
	struct rte_eth_dev_info info;
	int rc, restart = 0;

	if (mtu > pool_max_mtu(p)) {
		snprintf(why, len, "larger than an mbuf carries (at most %u)", pool_max_mtu(p));
		return -EINVAL;
	}
	if (rte_eth_dev_info_get(port, &info) == 0 && (mtu < info.min_mtu || mtu > info.max_mtu)) {
		snprintf(why, len, "outside the port's range %u..%u", info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	rc = mpkni_port_pause(p, idx, PAUSE_TIMEOUT_MS);
	if (rc < 0) {
		snprintf(why, len, "pollers did not pause");
		return rc;
	}
	rc = rte_eth_dev_set_mtu(port, (uint16_t)mtu);
	if (rc == -EBUSY) {
		/* This PMD changes the MTU only while stopped. */
		restart = 1;
		rc = rte_eth_dev_stop(port);
		if (rc == 0)
			rc = rte_eth_dev_set_mtu(port, (uint16_t)mtu);
	}
	if (restart) {
		int rc2 = rte_eth_dev_start(port);

		if (rc2 < 0) {
			MPKNI_LOG(ERR, "port %u: restart after the MTU change failed: %s", port,
				  strerror(-rc2));
			rc = rc < 0 ? rc : rc2;
		}
	}
	if (rc == 0)
		p->sh->ctl[idx].mtu = mtu;
	mpkni_port_resume(p, idx);
	if (rc < 0)
		snprintf(why, len, "port refused: %s", strerror(-rc));
	return rc;
}

static int
apply(struct mpkni_primary *p, unsigned int idx, const struct mpkni_req *r, char *why,
      size_t len)
{
	uint16_t port = p->sh->ports[idx].port_id;
	struct rte_ether_addr mac;
	int rc;

	switch (r->kind) {
	case MPKNI_REQ_MTU:
		return apply_mtu(p, idx, r->mtu, why, len);
	case MPKNI_REQ_MAC:
		memcpy(mac.addr_bytes, r->mac, 6);
		rc = rte_eth_dev_default_mac_addr_set(port, &mac);
		if (rc == 0)
			memcpy(p->sh->ports[idx].mac, r->mac, 6);
		break;
	case MPKNI_REQ_LINK:
		rc = r->on ? rte_eth_dev_set_link_up(port) : rte_eth_dev_set_link_down(port);
		break;
	case MPKNI_REQ_PROMISC:
		rc = r->on ? rte_eth_promiscuous_enable(port) : rte_eth_promiscuous_disable(port);
		break;
	case MPKNI_REQ_ALLMULTI:
		rc = r->on ? rte_eth_allmulticast_enable(port) : rte_eth_allmulticast_disable(port);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (rc < 0)
		snprintf(why, len, "port refused: %s", strerror(-rc));
	return rc;
}

static void
handle(struct mpkni_primary *p, unsigned int idx, const struct mpkni_req *r)
{
	const char *name = p->sh->ports[idx].kni_name;
	enum mpkni_req_result res = mpkni_req_decide(p->opts.kni_policy[r->kind]);
	char what[48], why[80] = "";
	int rc;

	mpkni_req_format(r, what, sizeof(what));
	if (res == MPKNI_REQ_APPLIED && apply(p, idx, r, why, sizeof(why)) < 0)
		res = MPKNI_REQ_REJECTED;
	if (res == MPKNI_REQ_REJECTED) {
		if (why[0] == '\0')
			snprintf(why, sizeof(why), "policy reject");
		rc = mpkni_netdev_restore(name, r->kind, &p->kni_known[idx]);
		if (rc < 0)
			MPKNI_LOG(ERR, "%s: cannot put %s back: %s", name,
				  mpkni_req_kind_name(r->kind), strerror(-rc));
	}
	mpkni_req_settle(&p->kni_known[idx], r, res);
	p->req_count[idx][r->kind][res]++;
	snprintf(p->req_last[idx][r->kind], sizeof(p->req_last[idx][r->kind]), "%s %s%s%s", what,
		 mpkni_req_result_name(res), why[0] != '\0' ? ": " : "", why);
	MPKNI_LOG(INFO, "%s: request %s: %s%s%s", name, what, mpkni_req_result_name(res),
		  why[0] != '\0' ? ": " : "", why);
}

void
mpkni_kni_req_event(struct mpkni_primary *p, unsigned int idx,
		    const struct mpkni_link_state *seen)
{
	struct mpkni_req reqs[MPKNI_REQ_MAX];
	unsigned int i, n = mpkni_req_diff(&p->kni_known[idx], seen, reqs);

	for (i = 0; i < n; i++)
		handle(p, idx, &reqs[i]);
}

void
mpkni_kni_req_resync(struct mpkni_primary *p)
{
	struct mpkni_link_state seen;
	unsigned int idx;

	for (idx = 0; idx < p->nb_ports; idx++)
		if (mpkni_netdev_read_state(p->sh->ports[idx].kni_name, &seen, NULL) == 0)
			mpkni_kni_req_event(p, idx, &seen);
}

void
mpkni_kni_req_init(struct mpkni_primary *p)
{
	unsigned int idx;

	for (idx = 0; idx < p->nb_ports; idx++) {
		const char *name = p->sh->ports[idx].kni_name;

		if (mpkni_netdev_read_state(name, &p->kni_known[idx], NULL) < 0)
			MPKNI_LOG(WARNING, "%s: cannot read its state", name);
	}
}
