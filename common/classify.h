/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classification of received frames for the split network function: the
 * control plane goes to the Linux kernel, the data plane forwards the rest.
 *
 * Owner: none; pure functions with no DPDK dependency, so the rules can be
 * unit tested without EAL or hugepages. Callers: workers (split NF) and tests.
 *
 * Precedence, the first rule that matches wins:
 *   1. frame shorter than an Ethernet header            -> MALFORMED
 *   2. group bit set in the destination MAC             -> L2_MULTICAST
 *   3. up to two VLAN tags (0x8100, 0x88a8, 0x9100) are skipped;
 *      a truncated tag                                  -> MALFORMED
 *   4. ARP, however short its body                      -> ARP
 *   5. IPv4: bad header                                 -> MALFORMED
 *            224.0.0.0/4 or 255.255.255.255 destination -> L3_MULTICAST
 *            protocol ICMP (any fragment)               -> ICMP
 *            destination is an own address              -> LOCAL
 *            otherwise                                  -> TRANSIT
 *   6. IPv6: bad header or extension header chain       -> MALFORMED
 *            ff00::/8 destination                       -> L3_MULTICAST
 *            ICMPv6 after the extension headers (any
 *            fragment)                                  -> ICMPV6
 *            destination is an own address              -> LOCAL
 *            otherwise                                  -> TRANSIT
 *   7. any other ethertype (a third VLAN tag included)  -> NON_IP
 *
 * ICMP and ICMPv6 are reported before LOCAL: both go to the kernel, but the
 * per-class counters say more when a ping to the router counts as ICMP.
 * A multicast destination is reported before the protocol for the same
 * reason: L2/L3 multicast counters then cover all group traffic.
 */
#ifndef MPKNI_CLASSIFY_H
#define MPKNI_CLASSIFY_H

#include <stdint.h>

#include "layout.h"

/** What a received frame is, as far as the split network function cares. */
enum mpkni_pkt_class {
	MPKNI_CLASS_TRANSIT = 0,   /**< None of the below: the data plane forwards it. */
	MPKNI_CLASS_ARP,           /**< ARP, request or reply, to a unicast MAC. */
	MPKNI_CLASS_ICMP,          /**< IPv4 ICMP, any fragment. */
	MPKNI_CLASS_ICMPV6,        /**< Includes neighbour discovery (NS/NA/RS/RA/redirect)
				    *   and MLD. */
	MPKNI_CLASS_L2_MULTICAST,  /**< Ethernet broadcast or multicast destination
				    *   (group bit). */
	MPKNI_CLASS_L3_MULTICAST,  /**< IPv4 224.0.0.0/4 or 255.255.255.255, IPv6 ff00::/8
				    *   destination with a unicast MAC. */
	MPKNI_CLASS_LOCAL,         /**< IPv4/IPv6 destination is one of the kernel
				    *   interface's own addresses. */
	MPKNI_CLASS_MALFORMED,     /**< Truncated or malformed frame. */
	MPKNI_CLASS_NON_IP,        /**< An ethertype other than IPv4/IPv6/ARP (e.g. LLDP
				    *   0x88cc to a unicast MAC): the kernel's business. */
	MPKNI_CLASS_MAX
};

/**
 * Classify one Ethernet frame.
 *
 * Reads only bytes [0, len) of frame, with no alignment assumption, and
 * returns a valid class for any input. IPv4 bytes after the total length and
 * IPv6 bytes after the payload length are Ethernet padding and ignored.
 * IPv6 extension headers walked: hop-by-hop (0), routing (43), fragment (44)
 * and destination options (60), at most 8 of them; any other next header
 * (AH and ESP included) ends the walk and the destination decides. A fragment
 * with a non-zero offset is ICMPV6 if its fragment header says so (the
 * kernel must see every fragment to reassemble), else classified by its
 * destination, as its upper header is in another fragment.
 *
 * @param frame
 *   The frame, starting at the Ethernet header. May be NULL only if len is 0.
 * @param len
 *   Length of the frame in bytes.
 * @param own
 *   The kernel interface's addresses, or NULL for none. It must be a stable
 *   copy (the caller snapshots the shared one under its sequence count);
 *   counts above MPKNI_MAX_ADDRS are treated as MPKNI_MAX_ADDRS.
 * @return
 *   The class, always below MPKNI_CLASS_MAX.
 */
enum mpkni_pkt_class
mpkni_classify(const void *frame, uint32_t len, const struct mpkni_addr_set *own);

/**
 * Short name of a class, for counters and logs: "transit", "arp", "icmp",
 * "icmpv6", "l2-multicast", "l3-multicast", "local", "malformed", "non-ip".
 *
 * @return
 *   A static string; "unknown" for a value that is not a class.
 */
const char *
mpkni_class_name(enum mpkni_pkt_class c);

/**
 * Whether a class belongs to the kernel: everything except transit, so that
 * malformed and unknown frames are the kernel's to count and drop.
 */
static inline int
mpkni_class_to_kernel(enum mpkni_pkt_class c)
{
	return c != MPKNI_CLASS_TRANSIT;
}

#endif /* MPKNI_CLASSIFY_H */
