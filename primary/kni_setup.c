/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One kernel interface per port: named <prefix><port id>, with the port's MAC
 * (so the kernel answers ARP for the port) and MTU, and a carrier that
 * follows the port's link, as rte_kni_update_link did.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "log.h"
#include "netdev.h"
#include "primary.h"

int
mpkni_kni_setup(struct mpkni_primary *p)
{
	unsigned int i;
	int rc;

	p->kni_be = &mpkni_kni_tap;
	for (i = 0; i < p->nb_ports; i++) {
		struct mpkni_port_info *pi = &p->sh->ports[i];
		struct mpkni_kni_conf conf = { .port_id = pi->port_id, .mtu = p->sh->ctl[i].mtu };

		if (mpkni_kni_name(conf.name, sizeof(conf.name), p->opts.kni_prefix,
				   pi->port_id) < 0) {
			MPKNI_LOG(ERR, "kernel interface name %s%u is too long", p->opts.kni_prefix,
				  pi->port_id);
			rc = -ENAMETOOLONG;
			goto err;
		}
		memcpy(conf.mac, pi->mac, 6);
		rc = p->kni_be->alloc(&conf, &p->kni[i]);
		if (rc < 0)
			goto err;
		snprintf(pi->kni_name, sizeof(pi->kni_name), "%s", conf.name);
		pi->kni_ifindex = p->kni_be->ifindex(p->kni[i]);
		/* The port starts all-multicast (the kernel needs IPv6 neighbour
		 * discovery); the kernel side says so, so that the two agree and
		 * "ip link set ... allmulticast off" is a request like any other. */
		if (rte_eth_allmulticast_get(pi->port_id) == 1) {
			struct mpkni_link_state st = { .allmulti = 1 };

			rc = mpkni_netdev_restore(conf.name, MPKNI_REQ_ALLMULTI, &st);
			if (rc < 0)
				MPKNI_LOG(WARNING, "%s: cannot set ALLMULTI: %s", conf.name,
					  strerror(-rc));
		}
		MPKNI_LOG(INFO, "port %u: kernel interface %s (ifindex %d, %s backend)",
			  pi->port_id, pi->kni_name, pi->kni_ifindex, p->kni_be->name);
	}
	mpkni_kni_sync_link(p);
	return 0;
err:
	mpkni_kni_teardown(p);
	return rc;
}

void
mpkni_kni_sync_link(struct mpkni_primary *p)
{
	unsigned int i;

	for (i = 0; i < p->nb_ports; i++) {
		struct rte_eth_link link;
		int up;

		/* A paused port may be stopped for reconfiguration. */
		if (p->kni[i] == NULL || mpkni_port_paused(p, i))
			continue;
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(p->sh->ports[i].port_id, &link) < 0)
			continue;
		up = link.link_status == RTE_ETH_LINK_UP;
		if (up == p->link_up[i])
			continue;
		if (p->kni_be->update_link(p->kni[i], up) == 0) {
			p->link_up[i] = up;
			MPKNI_LOG(INFO, "%s: carrier %s (port %u link %s)",
				  p->sh->ports[i].kni_name, up ? "on" : "off",
				  p->sh->ports[i].port_id, up ? "up" : "down");
		}
	}
}

void
mpkni_kni_teardown(struct mpkni_primary *p)
{
	unsigned int i;

	for (i = MPKNI_MAX_PORTS; i-- > 0;) {
		if (p->kni[i] != NULL) {
			p->kni_be->release(p->kni[i]);
			p->kni[i] = NULL;
		}
	}
}
