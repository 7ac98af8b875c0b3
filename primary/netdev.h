/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A kernel network interface by name. Owner: nobody (the kernel holds the
 * state). Callers: the primary only (the TAP backend, the kernel-request
 * handler, the CLI's queries). Each returns 0 or a negative errno.
 */
#ifndef MPKNI_NETDEV_H
#define MPKNI_NETDEV_H

#include <net/if.h>

#include "kni_req.h"

/* One SIOC* ioctl on the interface called name (ifr_name is filled in). */
int mpkni_netdev_ioctl(const char *name, unsigned long req, struct ifreq *ifr);

/* Its MTU, MAC and IFF_UP/PROMISC/ALLMULTI flags; *running (if not NULL) is
 * 1 when it is up with a carrier. */
int mpkni_netdev_read_state(const char *name, struct mpkni_link_state *st, int *running);

/* Puts one kind of its state back to the value in st. */
int mpkni_netdev_restore(const char *name, enum mpkni_req_kind kind,
		      const struct mpkni_link_state *st);

#endif /* MPKNI_NETDEV_H */
