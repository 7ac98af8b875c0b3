/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A kernel network interface by name, through ioctls: what the primary reads
 * of a kernel interface for the CLI, and what it puts back when a kernel
 * request is rejected.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <net/if_arp.h>

#include "netdev.h"

int
mpkni_netdev_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	int s, rc = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	snprintf(ifr->ifr_name, IF_NAMESIZE, "%s", name);
	if (ioctl(s, req, ifr) < 0)
		rc = -errno;
	close(s);
	return rc;
}

int
mpkni_netdev_read_state(const char *name, struct mpkni_link_state *st, int *running)
{
	struct ifreq ifr;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&ifr, 0, sizeof(ifr));
	rc = mpkni_netdev_ioctl(name, SIOCGIFMTU, &ifr);
	if (rc < 0)
		return rc;
	st->mtu = (uint32_t)ifr.ifr_mtu;
	rc = mpkni_netdev_ioctl(name, SIOCGIFHWADDR, &ifr);
	if (rc < 0)
		return rc;
	memcpy(st->mac, ifr.ifr_hwaddr.sa_data, 6);
	rc = mpkni_netdev_ioctl(name, SIOCGIFFLAGS, &ifr);
	if (rc < 0)
		return rc;
	st->up = !!(ifr.ifr_flags & IFF_UP);
	st->promisc = !!(ifr.ifr_flags & IFF_PROMISC);
	st->allmulti = !!(ifr.ifr_flags & IFF_ALLMULTI);
	if (running != NULL)
		*running = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	return 0;
}

static int
set_flag(const char *name, short flag, int on)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = mpkni_netdev_ioctl(name, SIOCGIFFLAGS, &ifr);
	if (rc < 0)
		return rc;
	if (on)
		ifr.ifr_flags |= flag;
	else
		ifr.ifr_flags &= (short)~flag;
	return mpkni_netdev_ioctl(name, SIOCSIFFLAGS, &ifr);
}

int
mpkni_netdev_restore(const char *name, enum mpkni_req_kind kind, const struct mpkni_link_state *st)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	switch (kind) {
	case MPKNI_REQ_MTU:
		ifr.ifr_mtu = (int)st->mtu;
		return mpkni_netdev_ioctl(name, SIOCSIFMTU, &ifr);
	case MPKNI_REQ_MAC:
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, st->mac, 6);
		return mpkni_netdev_ioctl(name, SIOCSIFHWADDR, &ifr);
	case MPKNI_REQ_LINK:
		return set_flag(name, IFF_UP, st->up);
	case MPKNI_REQ_PROMISC:
		return set_flag(name, IFF_PROMISC, st->promisc);
	case MPKNI_REQ_ALLMULTI:
		return set_flag(name, IFF_ALLMULTI, st->allmulti);
	default:
		return -EINVAL;
	}
}
