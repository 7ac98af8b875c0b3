/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TAP backend of the kernel interface: a tun/tap device the primary opens
 * itself (not DPDK's net_tap PMD, which would make the kernel side a port that
 * workers could poll). DPDK recommends TAP or virtio-user in place of rte_kni,
 * which 23.11 removed and Debian's 22.11 does not build.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <net/if_arp.h>
#include <linux/if_tun.h>

#include <rte_mbuf.h>

#include "kni.h"
#include "log.h"
#include "netdev.h"

/* A frame bigger than the mbuf spills here, so read() tells its true size and
 * the frame is dropped and counted instead of silently truncated. */
#define SPILL_SIZE 65536

struct mpkni_kni {
	int fd;
	int ifindex;
	char name[IF_NAMESIZE];
	uint8_t spill[SPILL_SIZE];
};

static int
tap_update_link(struct mpkni_kni *k, int up)
{
	int carrier = up ? 1 : 0;

	if (ioctl(k->fd, TUNSETCARRIER, &carrier) < 0)
		return -errno;
	return 0;
}

static int
tap_alloc(const struct mpkni_kni_conf *conf, struct mpkni_kni **out)
{
	struct mpkni_kni *k;
	struct ifreq ifr;
	int rc;

	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0) {
		rc = -errno;
		MPKNI_LOG(ERR, "cannot open /dev/net/tun for %s: %s", conf->name, strerror(-rc));
		goto err_free;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IF_NAMESIZE, "%s", conf->name);
	if (ioctl(k->fd, TUNSETIFF, &ifr) < 0) {
		rc = -errno;
		MPKNI_LOG(ERR, "cannot create TAP interface %s: %s%s", conf->name, strerror(-rc),
			  rc == -EBUSY || rc == -EINVAL ? " (is the name used by another device?)" : "");
		goto err_close;
	}
	snprintf(k->name, sizeof(k->name), "%s", ifr.ifr_name);

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, conf->mac, 6);
	rc = mpkni_netdev_ioctl(k->name, SIOCSIFHWADDR, &ifr);
	if (rc < 0) {
		MPKNI_LOG(ERR, "cannot set the MAC of %s: %s", k->name, strerror(-rc));
		goto err_close;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)conf->mtu;
	rc = mpkni_netdev_ioctl(k->name, SIOCSIFMTU, &ifr);
	if (rc < 0) {
		MPKNI_LOG(ERR, "cannot set MTU %u on %s: %s", conf->mtu, k->name, strerror(-rc));
		goto err_close;
	}
	rc = tap_update_link(k, 0);
	if (rc < 0) {
		MPKNI_LOG(ERR, "cannot set the carrier of %s: %s", k->name, strerror(-rc));
		goto err_close;
	}
	k->ifindex = (int)if_nametoindex(k->name);
	*out = k;
	return 0;

err_close:
	close(k->fd);
err_free:
	free(k);
	return rc;
}

/* 0 when the kernel took the frame, -EAGAIN when it should be retried, or
 * another negative errno when the frame is refused for good. */
static int
write_frame(int fd, struct rte_mbuf *m)
{
	struct iovec iov[16];
	int nseg = 0;
	ssize_t r;

	for (; m != NULL && nseg < 16; m = m->next, nseg++) {
		iov[nseg].iov_base = rte_pktmbuf_mtod(m, void *);
		iov[nseg].iov_len = m->data_len;
	}
	if (m != NULL)
		return -EMSGSIZE;
	r = writev(fd, iov, nseg);
	if (r >= 0)
		return 0;
	if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
		return -EAGAIN;
	return -errno;
}

static uint16_t
tap_tx_burst(struct mpkni_kni *k, struct rte_mbuf **pkts, uint16_t n, uint64_t *octets)
{
	uint16_t i = 0, sent = 0;
	int progress = 1;

	*octets = 0;
	/* Retry while the kernel makes progress; a round that takes nothing
	 * ends the burst and the rest is dropped (capsule's KniTx::transmit). */
	while (i < n && progress) {
		progress = 0;
		while (i < n) {
			int rc = write_frame(k->fd, pkts[i]);

			if (rc == -EAGAIN)
				break;
			if (rc == 0) {
				sent++;
				*octets += pkts[i]->pkt_len;
			}
			rte_pktmbuf_free(pkts[i]);
			i++;
			progress = 1;
		}
	}
	if (i < n)
		rte_pktmbuf_free_bulk(&pkts[i], n - i);
	return sent;
}

static uint16_t
tap_rx_burst(struct mpkni_kni *k, struct rte_mempool *mp, struct rte_mbuf **pkts, uint16_t n,
	     struct mpkni_kni_rx_note *note)
{
	uint16_t got = 0;

	note->nomem = 0;
	note->oversize = 0;
	if (rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0) {
		note->nomem = 1;
		return 0;
	}
	while (got < n) {
		struct rte_mbuf *m = pkts[got];
		uint16_t room = rte_pktmbuf_tailroom(m);
		struct iovec iov[2] = {
			{ .iov_base = rte_pktmbuf_mtod(m, void *), .iov_len = room },
			{ .iov_base = k->spill, .iov_len = sizeof(k->spill) },
		};
		ssize_t r = readv(k->fd, iov, 2);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if ((size_t)r > room) {
			/* The kernel's MTU exceeds what an mbuf carries. */
			note->oversize++;
			continue;
		}
		m->data_len = (uint16_t)r;
		m->pkt_len = (uint32_t)r;
		got++;
	}
	if (got < n)
		rte_pktmbuf_free_bulk(&pkts[got], n - got);
	return got;
}

static int
tap_fd(const struct mpkni_kni *k)
{
	return k->fd;
}

static int
tap_ifindex(const struct mpkni_kni *k)
{
	return k->ifindex;
}

static void
tap_release(struct mpkni_kni *k)
{
	if (k == NULL)
		return;
	close(k->fd);
	free(k);
}

const struct mpkni_kni_backend mpkni_kni_tap = {
	.name = "tap",
	.alloc = tap_alloc,
	.tx_burst = tap_tx_burst,
	.rx_burst = tap_rx_burst,
	.update_link = tap_update_link,
	.fd = tap_fd,
	.ifindex = tap_ifindex,
	.release = tap_release,
};
