/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A symmetric flow hash of an Ethernet frame: both directions of a flow hash
 * the same, so the primary sends a flow's kernel replies out of the queue
 * pair that receives the flow (see layout.h).
 *
 * Owner: nobody; pure. Callers: the primary (kernel-to-wire path) and tests.
 */
#ifndef MPKNI_FLOWHASH_H
#define MPKNI_FLOWHASH_H

#include <stdint.h>

/* IPv4/IPv6 addresses, the protocol and, for TCP/UDP/SCTP first fragments,
 * the ports; VLAN tags are skipped. Frames that are not IP, or too short to
 * tell, hash to 0. Never reads beyond len. */
uint32_t mpkni_flow_hash(const void *frame, uint32_t len);

#endif /* MPKNI_FLOWHASH_H */
