/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdint.h>
#include <string.h>

#include "classify.h"

#define ETH_HDR_LEN 14
#define ETH_TYPE_OFF 12
#define VLAN_TAG_LEN 4
#define MAX_VLAN_TAGS 2

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100

#define IPV4_MIN_HDR_LEN 20
#define IPV4_PROTO_ICMP 1

#define IPV6_HDR_LEN 40
#define IPV6_FRAG_HDR_LEN 8
#define IPV6_MAX_EXT_HDRS 8
#define IPV6_NH_HOPOPTS 0
#define IPV6_NH_ROUTING 43
#define IPV6_NH_FRAGMENT 44
#define IPV6_NH_ICMPV6 58
#define IPV6_NH_DSTOPTS 60

/* Fields are read byte by byte: frames need not be aligned, and this also
 * makes the code independent of the host's byte order. */
static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
clamp_count(uint32_t n)
{
	/* The set comes from shared memory: never trust its count for bounds. */
	return n < MPKNI_MAX_ADDRS ? n : MPKNI_MAX_ADDRS;
}

static int
is_own_v4(const struct mpkni_addr_set *own, const uint8_t *dst)
{
	uint32_t n, i, a;

	if (own == NULL)
		return 0;
	/* Both sides in network byte order: compare the raw 32 bits. */
	memcpy(&a, dst, sizeof(a));
	n = clamp_count(own->nb_v4);
	for (i = 0; i < n; i++)
		if (own->v4[i] == a)
			return 1;
	return 0;
}

static int
is_own_v6(const struct mpkni_addr_set *own, const uint8_t *dst)
{
	uint32_t n, i;

	if (own == NULL)
		return 0;
	n = clamp_count(own->nb_v6);
	for (i = 0; i < n; i++)
		if (memcmp(own->v6[i], dst, 16) == 0)
			return 1;
	return 0;
}

static enum mpkni_pkt_class
classify_ipv4(const uint8_t *ip, uint32_t avail, const struct mpkni_addr_set *own)
{
	const uint8_t *dst = ip + 16;
	uint32_t hlen, tlen;

	if (avail < IPV4_MIN_HDR_LEN || (ip[0] >> 4) != 4)
		return MPKNI_CLASS_MALFORMED;
	hlen = (uint32_t)(ip[0] & 0x0f) * 4;
	if (hlen < IPV4_MIN_HDR_LEN || hlen > avail)
		return MPKNI_CLASS_MALFORMED;
	/* Bytes beyond the total length are Ethernet padding of short frames. */
	tlen = rd16(ip + 2);
	if (tlen < hlen || tlen > avail)
		return MPKNI_CLASS_MALFORMED;

	if ((dst[0] & 0xf0) == 0xe0 ||
	    (dst[0] == 0xff && dst[1] == 0xff && dst[2] == 0xff && dst[3] == 0xff))
		return MPKNI_CLASS_L3_MULTICAST;
	/* Later fragments have no ICMP header, but they must join the first one. */
	if (ip[9] == IPV4_PROTO_ICMP)
		return MPKNI_CLASS_ICMP;
	if (is_own_v4(own, dst))
		return MPKNI_CLASS_LOCAL;
	return MPKNI_CLASS_TRANSIT;
}

static enum mpkni_pkt_class
classify_ipv6(const uint8_t *ip, uint32_t avail, const struct mpkni_addr_set *own)
{
	const uint8_t *dst = ip + 24;
	uint32_t end, off, hlen, nb_ext;
	uint8_t nh;

	if (avail < IPV6_HDR_LEN || (ip[0] >> 4) != 6)
		return MPKNI_CLASS_MALFORMED;
	if (rd16(ip + 4) > avail - IPV6_HDR_LEN)
		return MPKNI_CLASS_MALFORMED;

	if (dst[0] == 0xff)
		return MPKNI_CLASS_L3_MULTICAST;

	/* Extension headers must fit in the payload, not merely in the frame:
	 * what follows the payload is padding. */
	end = IPV6_HDR_LEN + rd16(ip + 4);
	off = IPV6_HDR_LEN;
	nh = ip[6];
	for (nb_ext = 0;; nb_ext++) {
		switch (nh) {
		case IPV6_NH_HOPOPTS:
		case IPV6_NH_ROUTING:
		case IPV6_NH_DSTOPTS:
			if (nb_ext == IPV6_MAX_EXT_HDRS || end - off < 2)
				return MPKNI_CLASS_MALFORMED;
			hlen = ((uint32_t)ip[off + 1] + 1) * 8;
			if (hlen > end - off)
				return MPKNI_CLASS_MALFORMED;
			nh = ip[off];
			off += hlen;
			break;
		case IPV6_NH_FRAGMENT:
			if (nb_ext == IPV6_MAX_EXT_HDRS || end - off < IPV6_FRAG_HDR_LEN)
				return MPKNI_CLASS_MALFORMED;
			/* A later fragment carries no upper header, but it must go
			 * where the first one went for the datagram to reassemble,
			 * as IPv4 fragments of ICMP do. */
			if ((rd16(ip + off + 2) & 0xfff8) != 0) {
				if (ip[off] == IPV6_NH_ICMPV6)
					return MPKNI_CLASS_ICMPV6;
				goto by_destination;
			}
			nh = ip[off];
			off += IPV6_FRAG_HDR_LEN;
			break;
		case IPV6_NH_ICMPV6:
			return MPKNI_CLASS_ICMPV6;
		default:
			/* An upper layer, no next header (59), or a header we do not
			 * walk: only the destination is left to decide. */
			goto by_destination;
		}
	}

by_destination:
	return is_own_v6(own, dst) ? MPKNI_CLASS_LOCAL : MPKNI_CLASS_TRANSIT;
}

enum mpkni_pkt_class
mpkni_classify(const void *frame, uint32_t len, const struct mpkni_addr_set *own)
{
	const uint8_t *p = frame;
	uint32_t off, tags;
	uint16_t type;

	if (p == NULL || len < ETH_HDR_LEN)
		return MPKNI_CLASS_MALFORMED;
	if (p[0] & 0x01)
		return MPKNI_CLASS_L2_MULTICAST;

	type = rd16(p + ETH_TYPE_OFF);
	off = ETH_HDR_LEN;
	for (tags = 0; tags < MAX_VLAN_TAGS; tags++) {
		if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ &&
		    type != ETHERTYPE_QINQ_OLD)
			break;
		/* A tag is the TCI and the next ethertype, right after this one. */
		if (len - off < VLAN_TAG_LEN)
			return MPKNI_CLASS_MALFORMED;
		type = rd16(p + off + 2);
		off += VLAN_TAG_LEN;
	}

	switch (type) {
	case ETHERTYPE_ARP:
		/* The kernel validates ARP bodies itself. */
		return MPKNI_CLASS_ARP;
	case ETHERTYPE_IPV4:
		return classify_ipv4(p + off, len - off, own);
	case ETHERTYPE_IPV6:
		return classify_ipv6(p + off, len - off, own);
	default:
		return MPKNI_CLASS_NON_IP;
	}
}

static const char *const class_names[MPKNI_CLASS_MAX] = {
	[MPKNI_CLASS_TRANSIT] = "transit",
	[MPKNI_CLASS_ARP] = "arp",
	[MPKNI_CLASS_ICMP] = "icmp",
	[MPKNI_CLASS_ICMPV6] = "icmpv6",
	[MPKNI_CLASS_L2_MULTICAST] = "l2-multicast",
	[MPKNI_CLASS_L3_MULTICAST] = "l3-multicast",
	[MPKNI_CLASS_LOCAL] = "local",
	[MPKNI_CLASS_MALFORMED] = "malformed",
	[MPKNI_CLASS_NON_IP] = "non-ip",
};

const char *
mpkni_class_name(enum mpkni_pkt_class c)
{
	/* The cast also catches negative values forced into the enum. */
	if ((unsigned int)c >= MPKNI_CLASS_MAX)
		return "unknown";
	return class_names[c];
}
