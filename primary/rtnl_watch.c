/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A control thread that follows rtnetlink for the kernel interfaces:
 * - link messages become kernel requests (kni_requests.c), handled here one
 *   at a time in the kernel's order, off the data path;
 * - address messages make it publish the interfaces' IPv4/IPv6 addresses in
 *   shared memory, so that a worker's "split" function can send traffic for
 *   them to the kernel. It is the only writer of mpkni_shared.addrs[]; each
 *   write is bracketed by a sequence count (odd while writing).
 */
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <rte_lcore.h>

#include "log.h"
#include "primary.h"

static struct {
	struct mpkni_primary *p;
	int nl;
	int stop_fd;
	pthread_t tid;
	int running;
} w = { .nl = -1, .stop_fd = -1 };

static void
publish(struct mpkni_addrs *a, const struct mpkni_addr_set *set)
{
	uint32_t seq = a->seq;

	__atomic_store_n(&a->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	a->set = *set;
	__atomic_store_n(&a->seq, seq + 2, __ATOMIC_RELEASE);
}

static void
refresh(void)
{
	struct mpkni_addr_set sets[MPKNI_MAX_PORTS];
	struct ifaddrs *ifa, *i;
	unsigned int idx;

	if (getifaddrs(&ifa) != 0) {
		MPKNI_LOG(WARNING, "getifaddrs: %s", strerror(errno));
		return;
	}
	memset(sets, 0, sizeof(sets));
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		for (idx = 0; idx < w.p->nb_ports; idx++) {
			struct mpkni_addr_set *s = &sets[idx];

			if (strcmp(i->ifa_name, w.p->sh->ports[idx].kni_name) != 0)
				continue;
			if (i->ifa_addr->sa_family == AF_INET && s->nb_v4 < MPKNI_MAX_ADDRS) {
				s->v4[s->nb_v4++] =
					((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			} else if (i->ifa_addr->sa_family == AF_INET6 &&
				   s->nb_v6 < MPKNI_MAX_ADDRS) {
				memcpy(s->v6[s->nb_v6++],
				       &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
			}
		}
	}
	freeifaddrs(ifa);
	for (idx = 0; idx < w.p->nb_ports; idx++)
		if (memcmp(&w.p->sh->addrs[idx].set, &sets[idx], sizeof(sets[idx])) != 0)
			publish(&w.p->sh->addrs[idx], &sets[idx]);
}

static void
link_message(const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	struct mpkni_link_state seen;
	const struct rtattr *a;
	unsigned int idx;
	int len;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	for (idx = 0; idx < w.p->nb_ports; idx++)
		if (w.p->sh->ports[idx].kni_ifindex == ifi->ifi_index)
			break;
	if (idx == w.p->nb_ports)
		return;
	/* What the message does not carry stays as last accepted. */
	seen = w.p->kni_known[idx];
	seen.up = !!(ifi->ifi_flags & IFF_UP);
	seen.promisc = !!(ifi->ifi_flags & IFF_PROMISC);
	seen.allmulti = !!(ifi->ifi_flags & IFF_ALLMULTI);
	len = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_MTU && RTA_PAYLOAD(a) >= sizeof(uint32_t))
			memcpy(&seen.mtu, RTA_DATA(a), sizeof(uint32_t));
		else if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6)
			memcpy(seen.mac, RTA_DATA(a), 6);
	}
	mpkni_kni_req_event(w.p, idx, &seen);
}

/* Reads every pending message; returns 1 if addresses may have changed. */
static int
read_messages(char *buf, size_t size)
{
	int addrs = 0;

	for (;;) {
		ssize_t n = recv(w.nl, buf, size, MSG_DONTWAIT);
		const struct nlmsghdr *nh;
		int len;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			/* Messages were lost: take the whole state anew. */
			MPKNI_LOG(WARNING, "rtnetlink overrun; re-reading the interfaces");
			mpkni_kni_req_resync(w.p);
			addrs = 1;
			continue;
		}
		if (n <= 0)
			return addrs;
		len = (int)n;
		for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_type == RTM_NEWLINK)
				link_message(nh);
			else if (nh->nlmsg_type == RTM_NEWADDR || nh->nlmsg_type == RTM_DELADDR)
				addrs = 1;
		}
	}
}

static void *
watch_thread(void *arg)
{
	static char buf[65536];

	(void)arg;
	mpkni_kni_req_init(w.p);
	refresh();
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = w.nl, .events = POLLIN },
			{ .fd = w.stop_fd, .events = POLLIN },
		};

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			MPKNI_LOG(ERR, "rtnetlink watch: poll: %s", strerror(errno));
			break;
		}
		if (fds[1].revents != 0)
			break;
		if (fds[0].revents != 0 && read_messages(buf, sizeof(buf)))
			refresh();
	}
	return NULL;
}

int
mpkni_rtnl_watch_start(struct mpkni_primary *p)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	int rc;

	w.p = p;
	w.nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (w.nl < 0 || bind(w.nl, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		MPKNI_LOG(ERR, "cannot open rtnetlink: %s", strerror(-rc));
		goto err;
	}
	w.stop_fd = eventfd(0, EFD_CLOEXEC);
	if (w.stop_fd < 0) {
		rc = -errno;
		MPKNI_LOG(ERR, "eventfd: %s", strerror(-rc));
		goto err;
	}
	rc = rte_ctrl_thread_create(&w.tid, "mpkni-rtnl", NULL, watch_thread, NULL);
	if (rc != 0) {
		MPKNI_LOG(ERR, "cannot start the rtnetlink thread: %s", strerror(rc));
		rc = -rc;
		goto err;
	}
	w.running = 1;
	return 0;
err:
	mpkni_rtnl_watch_stop();
	return rc;
}

void
mpkni_rtnl_watch_stop(void)
{
	uint64_t one = 1;

	if (w.running) {
		if (write(w.stop_fd, &one, sizeof(one)) != sizeof(one))
			MPKNI_LOG(WARNING, "cannot wake the rtnetlink thread");
		pthread_join(w.tid, NULL);
		w.running = 0;
	}
	if (w.stop_fd >= 0)
		close(w.stop_fd);
	if (w.nl >= 0)
		close(w.nl);
	w.stop_fd = -1;
	w.nl = -1;
}
