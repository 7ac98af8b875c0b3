/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: every port gets one queue pair per worker slot, and no more. The
 * primary has none of its own: PMDs such as net_tap feed every rx queue that
 * exists and pin a flow to the queue it was last sent on, so a queue of the
 * primary's would take flows away from the workers (see layout.h).
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "log.h"
#include "primary.h"

#define NB_DESC 512

static int
port_start(struct mpkni_primary *p, unsigned int idx, uint16_t port_id)
{
	struct mpkni_port_info *pi = &p->sh->ports[idx];
	uint16_t nb_q = p->nb_slots, nb_rxd = NB_DESC, nb_txd = NB_DESC, q;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	uint16_t mtu = RTE_ETHER_MTU;
	int rc;

	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc < 0) {
		MPKNI_LOG(ERR, "port %u: cannot get device info: %s", port_id, strerror(-rc));
		return rc;
	}
	if (info.max_rx_queues < nb_q || info.max_tx_queues < nb_q) {
		MPKNI_LOG(ERR, "port %u (%s) has at most %u rx / %u tx queues; %u workers need %u: "
			  "use --workers %u or fewer", port_id, info.driver_name,
			  info.max_rx_queues, info.max_tx_queues, p->nb_slots, nb_q,
			  RTE_MIN(info.max_rx_queues, info.max_tx_queues));
		return -ENOTSUP;
	}
	memset(&conf, 0, sizeof(conf));
	/* Spread flows over the workers where the device can. */
	if (info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP & info.flow_type_rss_offloads;
	}
	rc = rte_eth_dev_configure(port_id, nb_q, nb_q, &conf);
	if (rc < 0) {
		MPKNI_LOG(ERR, "port %u: configure with %u queue pairs failed: %s", port_id, nb_q,
			  strerror(-rc));
		return rc;
	}
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (rc < 0) {
		MPKNI_LOG(ERR, "port %u: descriptor counts refused: %s", port_id, strerror(-rc));
		return rc;
	}
	for (q = 0; q < nb_q; q++) {
		rc = rte_eth_rx_queue_setup(port_id, q, nb_rxd, rte_eth_dev_socket_id(port_id),
					    NULL, p->pool);
		if (rc < 0) {
			MPKNI_LOG(ERR, "port %u: rx queue %u setup failed: %s", port_id, q,
				  strerror(-rc));
			return rc;
		}
		rc = rte_eth_tx_queue_setup(port_id, q, nb_txd, rte_eth_dev_socket_id(port_id),
					    NULL);
		if (rc < 0) {
			MPKNI_LOG(ERR, "port %u: tx queue %u setup failed: %s", port_id, q,
				  strerror(-rc));
			return rc;
		}
	}
	rc = rte_eth_dev_start(port_id);
	if (rc < 0) {
		MPKNI_LOG(ERR, "port %u (%s): start failed: %s", port_id, info.driver_name,
			  strerror(-rc));
		return rc;
	}
	/* The kernel needs broadcast and multicast (ARP, IPv6 neighbour
	 * discovery); a device that cannot filter them in is still usable. */
	rc = rte_eth_allmulticast_enable(port_id);
	if (rc < 0 && rc != -ENOTSUP)
		MPKNI_LOG(WARNING, "port %u: all-multicast not enabled: %s", port_id,
			  strerror(-rc));

	rte_eth_macaddr_get(port_id, &mac);
	pi->port_id = port_id;
	pi->nb_rxq = nb_q;
	pi->nb_txq = nb_q;
	memcpy(pi->mac, mac.addr_bytes, 6);
	rte_eth_dev_get_mtu(port_id, &mtu);
	p->sh->ctl[idx].mtu = mtu;
	MPKNI_LOG(INFO, "port %u (%s): %u queue pairs, %u/%u descriptors, MTU %u", port_id,
		  info.driver_name, nb_q, nb_rxd, nb_txd, mtu);
	return 0;
}

int
mpkni_ports_start(struct mpkni_primary *p)
{
	unsigned int idx = 0;
	uint16_t port_id;
	int rc;

	RTE_ETH_FOREACH_DEV(port_id) {
		rc = port_start(p, idx, port_id);
		if (rc < 0) {
			/* Close the ones already started; this one closes too. */
			p->nb_ports_started = idx;
			mpkni_ports_stop(p);
			rte_eth_dev_close(port_id);
			return rc;
		}
		idx++;
	}
	p->nb_ports_started = idx;
	return 0;
}

void
mpkni_ports_stop(struct mpkni_primary *p)
{
	unsigned int idx;

	for (idx = p->nb_ports_started; idx-- > 0;) {
		uint16_t port_id = p->sh->ports[idx].port_id;
		int rc = rte_eth_dev_stop(port_id);

		if (rc < 0)
			MPKNI_LOG(WARNING, "port %u: stop failed: %s", port_id, strerror(-rc));
		rte_eth_dev_close(port_id);
	}
	p->nb_ports_started = 0;
}
