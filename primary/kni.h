/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel interfaces: one per port, the kernel's side of the exception path.
 *
 * Owner: the primary. Callers: the primary only; workers never touch a kernel
 * interface (they hand packets over through the rings). rx/tx run on the
 * service lcore only: each interface is single-threaded per direction, as
 * rte_kni and capsule's KNI were. The shape is rte_kni's (alloc, rx_burst,
 * tx_burst, update_link, release) behind a backend table, so that another
 * backend (virtio-user with vhost-net, rte_kni) can be added without touching
 * the callers. The one backend today is a TAP device (kni_tap.c).
 */
#ifndef MPKNI_KNI_H
#define MPKNI_KNI_H

#include <stdint.h>
#include <net/if.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

struct mpkni_kni;

struct mpkni_kni_conf {
	char name[IF_NAMESIZE];
	uint8_t mac[6];
	uint32_t mtu;
	uint16_t port_id;
};

/* What an rx burst saw besides the packets it returns. */
struct mpkni_kni_rx_note {
	uint16_t nomem;          /* 1: stopped because the pool was empty */
	uint16_t oversize;       /* frames read and dropped: bigger than an mbuf */
};

struct mpkni_kni_backend {
	const char *name;
	int (*alloc)(const struct mpkni_kni_conf *conf, struct mpkni_kni **out);
	uint16_t (*tx_burst)(struct mpkni_kni *k, struct rte_mbuf **pkts, uint16_t n,
			     uint64_t *octets);
	uint16_t (*rx_burst)(struct mpkni_kni *k, struct rte_mempool *mp,
			     struct rte_mbuf **pkts, uint16_t n, struct mpkni_kni_rx_note *note);
	int (*update_link)(struct mpkni_kni *k, int up);
	int (*fd)(const struct mpkni_kni *k);
	int (*ifindex)(const struct mpkni_kni *k);
	void (*release)(struct mpkni_kni *k);
};

extern const struct mpkni_kni_backend mpkni_kni_tap;

/*
 * Semantics every backend keeps:
 * - alloc: creates the interface named conf->name with the port's MAC and MTU,
 *   administratively down (the user brings it up), carrier off until
 *   update_link. Returns 0 or a negative errno, logged once.
 * - tx_burst: toward the kernel. Retries while the kernel takes packets and
 *   stops at the first round in which it takes none. Returns how many the
 *   kernel took; the caller frees nothing: every mbuf passed in is consumed
 *   (sent ones and refused ones alike are freed here), and refused ones are
 *   n - return value, which the caller counts as dropped. *octets is set
 *   to the bytes of the frames the kernel took.
 * - rx_burst: from the kernel, at most n packets into mbufs of mp; note
 *   tells what was dropped or skipped on the way, for the caller to count.
 * - update_link: pushes the port's link state to the interface's carrier.
 * - fd: a descriptor that becomes readable when the kernel has packets for
 *   us, so an idle service loop can sleep on it; -1 if none.
 */

#endif /* MPKNI_KNI_H */
