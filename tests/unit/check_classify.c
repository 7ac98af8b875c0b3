/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the frame classifier of the split network function.
 * Frames are built field by field by the helpers below, so each test reads as
 * the packet it sends. Checksums stay zero: the classifier never looks at them.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "classify.h"

#define FRAME_MAX 1024
#define ETH_MIN_LEN 60 /* without FCS: shorter frames are padded by the sender */

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_LLDP 0x88cc

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define NH_HOPOPTS 0
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_AH 51
#define NH_ICMPV6 58
#define NH_NONE 59
#define NH_DSTOPTS 60

/* IPv4 addresses in host order; the builders write them big-endian. */
#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define OWN4 IP4(192, 0, 2, 1)
#define OWN4_2 IP4(198, 51, 100, 1)
#define PEER4 IP4(192, 0, 2, 2)
#define OTHER4 IP4(203, 0, 113, 9)

#define OWN6 "2001:db8::1"
#define OWN6_LL "fe80::1"
#define PEER6 "2001:db8::2"
#define PEER6_LL "fe80::2"
#define OTHER6 "2001:db8:ffff::9"

static const uint8_t mac_self[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_peer[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_v4mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t mac_v6mc[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x01 };
static const uint8_t mac_lldp[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };

/* The kernel interface's addresses, as the primary would publish them. */
static struct mpkni_addr_set own;

struct pkt {
	uint8_t b[FRAME_MAX];
	uint32_t len;
};

/* ---- Frame builders ---- */

static void
put8(struct pkt *p, uint8_t v)
{
	/* Not ck_assert: it records a mark per call, slow in the fuzz loops. */
	if (p->len >= FRAME_MAX)
		ck_abort_msg("frame too long");
	p->b[p->len++] = v;
}

static void
put16(struct pkt *p, uint16_t v)
{
	put8(p, (uint8_t)(v >> 8));
	put8(p, (uint8_t)v);
}

static void
put32(struct pkt *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p, (uint16_t)v);
}

static void
put_bytes(struct pkt *p, const void *d, uint32_t n)
{
	if (p->len + n > FRAME_MAX)
		ck_abort_msg("frame too long");
	memcpy(p->b + p->len, d, n);
	p->len += n;
}

static void
put_fill(struct pkt *p, uint8_t v, uint32_t n)
{
	while (n-- > 0)
		put8(p, v);
}

static void
set16(struct pkt *p, uint32_t off, uint16_t v)
{
	p->b[off] = (uint8_t)(v >> 8);
	p->b[off + 1] = (uint8_t)v;
}

static void
v6addr(uint8_t out[16], const char *s)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, out), 1);
}

static void
put_v6(struct pkt *p, const char *s)
{
	uint8_t a[16];

	v6addr(a, s);
	put_bytes(p, a, sizeof(a));
}

/* Destination and source MACs; the caller adds tags and the ethertype. */
static void
eth(struct pkt *p, const uint8_t dst[6])
{
	p->len = 0;
	put_bytes(p, dst, 6);
	put_bytes(p, mac_peer, 6);
}

static void
vlan_tag(struct pkt *p, uint16_t tpid, uint16_t vid)
{
	put16(p, tpid);
	put16(p, vid);
}

static void
ethertype(struct pkt *p, uint16_t type)
{
	put16(p, type);
}

static void
arp_body(struct pkt *p, uint16_t op, uint32_t sip, uint32_t tip)
{
	static const uint8_t unknown_mac[6];

	put16(p, 1);              /* Ethernet */
	put16(p, ETHERTYPE_IPV4);
	put8(p, 6);
	put8(p, 4);
	put16(p, op);
	put_bytes(p, mac_peer, 6);
	put32(p, sip);
	put_bytes(p, op == 1 ? unknown_mac : mac_self, 6);
	put32(p, tip);
}

/* Starts an IPv4 header with opt_len bytes of NOP options (a multiple of 4);
 * returns its offset for ipv4_end(), which sets the total length. */
static uint32_t
ipv4_begin(struct pkt *p, uint8_t proto, uint32_t src, uint32_t dst, uint32_t opt_len)
{
	uint32_t off = p->len;

	put8(p, (uint8_t)(0x40 | (5 + opt_len / 4)));
	put8(p, 0);               /* DSCP/ECN */
	put16(p, 0);              /* total length, set by ipv4_end() */
	put16(p, 0x1234);         /* identification */
	put16(p, 0);              /* flags and fragment offset */
	put8(p, 64);              /* TTL */
	put8(p, proto);
	put16(p, 0);              /* checksum */
	put32(p, src);
	put32(p, dst);
	put_fill(p, 1, opt_len);
	return off;
}

static void
ipv4_end(struct pkt *p, uint32_t ip_off)
{
	set16(p, ip_off + 2, (uint16_t)(p->len - ip_off));
}

/* Flags and fragment offset in 8-byte units. */
static void
ipv4_set_frag(struct pkt *p, uint32_t ip_off, uint16_t offset8, int more)
{
	set16(p, ip_off + 6, (uint16_t)(offset8 | (more ? 0x2000 : 0)));
}

/* Starts an IPv6 header; ipv6_end() sets the payload length. */
static uint32_t
ipv6_begin(struct pkt *p, uint8_t nh, const char *src, const char *dst)
{
	uint32_t off = p->len;

	put32(p, 0x60000000);     /* version, traffic class, flow label */
	put16(p, 0);              /* payload length, set by ipv6_end() */
	put8(p, nh);
	put8(p, 64);              /* hop limit */
	put_v6(p, src);
	put_v6(p, dst);
	return off;
}

static void
ipv6_end(struct pkt *p, uint32_t ip_off)
{
	set16(p, ip_off + 4, (uint16_t)(p->len - ip_off - 40));
}

/* Hop-by-hop, routing or destination options header of 8 * (units + 1)
 * bytes; zero bytes are Pad1 options. */
static void
ext_hdr(struct pkt *p, uint8_t nh, uint8_t units)
{
	put8(p, nh);
	put8(p, units);
	put_fill(p, 0, 8u * (units + 1u) - 2);
}

static void
frag_hdr(struct pkt *p, uint8_t nh, uint16_t offset8, int more)
{
	put8(p, nh);
	put8(p, 0);
	put16(p, (uint16_t)((offset8 << 3) | (more ? 1 : 0)));
	put32(p, 0xabcd);         /* identification */
}

static void
tcp_syn(struct pkt *p, uint16_t dport)
{
	put16(p, 40000);
	put16(p, dport);
	put32(p, 1);              /* sequence */
	put32(p, 0);              /* acknowledgement */
	put8(p, 0x50);            /* data offset 5 */
	put8(p, 0x02);            /* SYN */
	put16(p, 65535);
	put16(p, 0);
	put16(p, 0);
}

static void
udp(struct pkt *p, uint16_t dport, uint32_t data_len)
{
	put16(p, 40000);
	put16(p, dport);
	put16(p, (uint16_t)(8 + data_len));
	put16(p, 0);
	put_fill(p, 0xa5, data_len);
}

/* ICMP and ICMPv6 echo requests share their layout; only the type differs. */
static void
echo(struct pkt *p, uint8_t type)
{
	put8(p, type);
	put8(p, 0);
	put16(p, 0);
	put16(p, 0x77);           /* identifier */
	put16(p, 1);              /* sequence */
	put_fill(p, 0x5a, 16);
}

/* Neighbour solicitation (135) or advertisement (136) about target. */
static void
nd(struct pkt *p, uint8_t type, const char *target)
{
	put8(p, type);
	put8(p, 0);
	put16(p, 0);
	put32(p, type == 136 ? 0x60000000 : 0); /* NA: solicited, override */
	put_v6(p, target);
	put8(p, type == 136 ? 2 : 1); /* target / source link-layer address option */
	put8(p, 1);
	put_bytes(p, mac_peer, 6);
}

/* ---- Whole frames, one per kind; also used by the truncation test ---- */

static void
build_arp_request(struct pkt *p)
{
	eth(p, mac_self);
	ethertype(p, ETHERTYPE_ARP);
	arp_body(p, 1, PEER4, OWN4);
}

static void
build_arp_reply(struct pkt *p)
{
	eth(p, mac_self);
	ethertype(p, ETHERTYPE_ARP);
	arp_body(p, 2, PEER4, OWN4);
}

static void
build_broadcast_arp(struct pkt *p)
{
	eth(p, mac_bcast);
	ethertype(p, ETHERTYPE_ARP);
	arp_body(p, 1, PEER4, OWN4);
}

static void
build_icmp_echo_transit(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_ICMP, PEER4, OTHER4, 0);
	echo(p, 8);
	ipv4_end(p, ip);
}

static void
build_icmp_echo_own(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_ICMP, PEER4, OWN4, 0);
	echo(p, 8);
	ipv4_end(p, ip);
}

static void
build_tcp_own4(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_TCP, PEER4, OWN4, 0);
	tcp_syn(p, 179);
	ipv4_end(p, ip);
}

static void
build_udp_other4(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_UDP, PEER4, OTHER4, 0);
	udp(p, 53, 32);
	ipv4_end(p, ip);
}

static void
build_ipv4_options_tcp_own(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_TCP, PEER4, OWN4, 40);
	tcp_syn(p, 22);
	ipv4_end(p, ip);
}

static void
build_ipv4_multicast_udp(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_UDP, PEER4, IP4(224, 0, 0, 5), 0);
	udp(p, 520, 24);
	ipv4_end(p, ip);
}

static void
build_vlan_icmp(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	vlan_tag(p, ETHERTYPE_VLAN, 100);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_ICMP, PEER4, OTHER4, 0);
	echo(p, 8);
	ipv4_end(p, ip);
}

static void
build_vlan_arp(struct pkt *p)
{
	eth(p, mac_self);
	vlan_tag(p, ETHERTYPE_VLAN, 100);
	ethertype(p, ETHERTYPE_ARP);
	arp_body(p, 2, PEER4, OWN4);
}

static void
build_qinq_udp_other4(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	vlan_tag(p, ETHERTYPE_QINQ, 10);
	vlan_tag(p, ETHERTYPE_VLAN, 20);
	ethertype(p, ETHERTYPE_IPV4);
	ip = ipv4_begin(p, PROTO_UDP, PEER4, OTHER4, 0);
	udp(p, 4789, 50);
	ipv4_end(p, ip);
}

static void
build_qinq_ipv6_tcp_own(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	vlan_tag(p, ETHERTYPE_QINQ_OLD, 10);
	vlan_tag(p, ETHERTYPE_VLAN, 20);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, PROTO_TCP, PEER6, OWN6);
	tcp_syn(p, 179);
	ipv6_end(p, ip);
}

static void
build_ipv6_ns_unicast(struct pkt *p)
{
	uint32_t ip;

	/* Neighbour unreachability detection: a unicast solicitation. */
	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, NH_ICMPV6, PEER6_LL, OWN6_LL);
	nd(p, 135, OWN6_LL);
	ipv6_end(p, ip);
}

static void
build_ipv6_ns_multicast(struct pkt *p)
{
	uint32_t ip;

	/* Address resolution: to the solicited-node group and its MAC. */
	eth(p, mac_v6mc);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, NH_ICMPV6, PEER6_LL, "ff02::1:ff00:1");
	nd(p, 135, OWN6);
	ipv6_end(p, ip);
}

static void
build_ipv6_frag_icmpv6(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, NH_FRAGMENT, PEER6, OTHER6);
	frag_hdr(p, NH_ICMPV6, 0, 1);
	echo(p, 128);
	ipv6_end(p, ip);
}

static void
build_ipv6_ext_chain_tcp_own(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, NH_HOPOPTS, PEER6, OWN6);
	ext_hdr(p, NH_DSTOPTS, 0);
	ext_hdr(p, NH_ROUTING, 1);
	ext_hdr(p, NH_FRAGMENT, 0);
	frag_hdr(p, NH_DSTOPTS, 0, 0);
	ext_hdr(p, PROTO_TCP, 2);
	tcp_syn(p, 179);
	ipv6_end(p, ip);
}

static void
build_ipv6_udp_other(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, PROTO_UDP, PEER6, OTHER6);
	udp(p, 443, 100);
	ipv6_end(p, ip);
}

static void
build_ipv6_multicast_unicast_mac(struct pkt *p)
{
	uint32_t ip;

	eth(p, mac_self);
	ethertype(p, ETHERTYPE_IPV6);
	ip = ipv6_begin(p, PROTO_UDP, PEER6_LL, "ff02::9");
	udp(p, 521, 20);
	ipv6_end(p, ip);
}

static void
build_lldp(struct pkt *p)
{
	eth(p, mac_lldp);
	ethertype(p, ETHERTYPE_LLDP);
	put_fill(p, 0, 46);
}

static void
build_lldp_unicast(struct pkt *p)
{
	eth(p, mac_self);
	ethertype(p, ETHERTYPE_LLDP);
	put_fill(p, 0, 46);
}

/* ---- Fixtures and assertions ---- */

static void
setup_own(void)
{
	memset(&own, 0, sizeof(own));
	own.nb_v4 = 2;
	own.v4[0] = htonl(OWN4);
	own.v4[1] = htonl(OWN4_2);
	own.nb_v6 = 2;
	v6addr(own.v6[0], OWN6);
	v6addr(own.v6[1], OWN6_LL);
}

static enum mpkni_pkt_class
classify(const struct pkt *p)
{
	return mpkni_classify(p->b, p->len, &own);
}

/* Classifies a heap copy of exactly len bytes, so that ASan or valgrind
 * catches any read past the end. */
static enum mpkni_pkt_class
classify_exact(const uint8_t *b, uint32_t len)
{
	enum mpkni_pkt_class c;
	uint8_t *copy;

	copy = malloc(len);
	if (len > 0 && copy == NULL)
		ck_abort_msg("out of memory");
	if (len > 0)
		memcpy(copy, b, len);
	c = mpkni_classify(copy, len, &own);
	free(copy);
	return c;
}

#define ck_assert_class(got, want) \
	ck_assert_msg((got) == (want), "class %s, expected %s", \
		mpkni_class_name(got), mpkni_class_name(want))

/* ---- Ethernet ---- */

START_TEST(test_runt_frame_is_malformed)
{
	struct pkt p;
	uint32_t len;

	build_tcp_own4(&p);
	for (len = 0; len < 14; len++)
		ck_assert_class(mpkni_classify(p.b, len, &own), MPKNI_CLASS_MALFORMED);
	ck_assert_class(mpkni_classify(NULL, 0, &own), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_broadcast_arp_is_l2_multicast)
{
	struct pkt p;

	build_broadcast_arp(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_L2_MULTICAST);
}
END_TEST

START_TEST(test_ipv4_multicast_mac_is_l2_multicast)
{
	struct pkt p;

	build_ipv4_multicast_udp(&p);
	memcpy(p.b, mac_v4mc, 6);
	ck_assert_class(classify(&p), MPKNI_CLASS_L2_MULTICAST);
}
END_TEST

START_TEST(test_lldp_to_bridge_group_is_l2_multicast)
{
	struct pkt p;

	build_lldp(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_L2_MULTICAST);
}
END_TEST

START_TEST(test_group_bit_wins_over_short_frame)
{
	struct pkt p;

	/* Only the Ethernet header: the group bit decides before any IPv4 check. */
	eth(&p, mac_v4mc);
	ethertype(&p, ETHERTYPE_IPV4);
	ck_assert_class(classify(&p), MPKNI_CLASS_L2_MULTICAST);
}
END_TEST

START_TEST(test_unknown_ethertype_is_non_ip)
{
	struct pkt p;

	build_lldp_unicast(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_NON_IP);
	set16(&p, 12, 0x88b5);    /* local experimental */
	ck_assert_class(classify(&p), MPKNI_CLASS_NON_IP);
	set16(&p, 12, 46);        /* an 802.3 length field */
	ck_assert_class(classify(&p), MPKNI_CLASS_NON_IP);
	p.len = 14;
	ck_assert_class(classify(&p), MPKNI_CLASS_NON_IP);
}
END_TEST

/* ---- ARP ---- */

START_TEST(test_arp_request_goes_to_kernel)
{
	struct pkt p;

	build_arp_request(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ARP);
	ck_assert(mpkni_class_to_kernel(classify(&p)));
}
END_TEST

START_TEST(test_arp_reply_is_arp)
{
	struct pkt p;

	build_arp_reply(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ARP);
}
END_TEST

START_TEST(test_short_arp_is_still_arp)
{
	struct pkt p;
	uint32_t len;

	/* The kernel judges ARP bodies; the classifier only needs the ethertype. */
	build_arp_reply(&p);
	for (len = 14; len <= p.len; len++)
		ck_assert_class(mpkni_classify(p.b, len, &own), MPKNI_CLASS_ARP);
}
END_TEST

START_TEST(test_arp_without_own_addresses_is_arp)
{
	struct pkt p;

	build_arp_request(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, NULL), MPKNI_CLASS_ARP);
}
END_TEST

/* ---- VLAN ---- */

START_TEST(test_vlan_tagged_icmp_is_icmp)
{
	struct pkt p;

	build_vlan_icmp(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMP);
}
END_TEST

START_TEST(test_vlan_tagged_arp_is_arp)
{
	struct pkt p;

	build_vlan_arp(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ARP);
}
END_TEST

START_TEST(test_vlan_tagged_ipv6_ns_is_icmpv6)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	vlan_tag(&p, ETHERTYPE_VLAN, 7);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_ICMPV6, PEER6_LL, OWN6_LL);
	nd(&p, 135, OWN6_LL);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_qinq_udp_to_other_host_is_transit)
{
	struct pkt p;

	build_qinq_udp_other4(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
}
END_TEST

START_TEST(test_qinq_9100_tcp_to_own_ipv6_is_local)
{
	struct pkt p;

	build_qinq_ipv6_tcp_own(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_qinq_88a8_tcp_to_own_ipv4_is_local)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	vlan_tag(&p, ETHERTYPE_QINQ, 1);
	vlan_tag(&p, ETHERTYPE_VLAN, 2);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_TCP, PEER4, OWN4_2, 0);
	tcp_syn(&p, 179);
	ipv4_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_truncated_vlan_tag_is_malformed)
{
	struct pkt p;
	uint32_t len;

	build_vlan_arp(&p);
	for (len = 14; len < 18; len++)
		ck_assert_class(mpkni_classify(p.b, len, &own), MPKNI_CLASS_MALFORMED);
	build_qinq_udp_other4(&p);
	for (len = 18; len < 22; len++)
		ck_assert_class(mpkni_classify(p.b, len, &own), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_third_vlan_tag_is_non_ip)
{
	struct pkt p;
	uint32_t ip;

	/* Only two tags are skipped: a third one is an ethertype we do not know. */
	eth(&p, mac_self);
	vlan_tag(&p, ETHERTYPE_QINQ, 1);
	vlan_tag(&p, ETHERTYPE_VLAN, 2);
	vlan_tag(&p, ETHERTYPE_VLAN, 3);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_UDP, PEER4, OTHER4, 0);
	udp(&p, 53, 0);
	ipv4_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_NON_IP);
}
END_TEST

/* ---- IPv4 ---- */

START_TEST(test_icmp_echo_is_icmp)
{
	struct pkt p;

	build_icmp_echo_transit(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMP);
}
END_TEST

START_TEST(test_icmp_to_own_ipv4_is_icmp_not_local)
{
	struct pkt p;

	build_icmp_echo_own(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMP);
}
END_TEST

START_TEST(test_tcp_to_own_ipv4_is_local)
{
	struct pkt p;

	build_tcp_own4(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_tcp_to_second_own_ipv4_is_local)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_TCP, PEER4, OWN4_2, 0);
	tcp_syn(&p, 80);
	ipv4_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_udp_to_other_host_is_transit)
{
	struct pkt p;

	build_udp_other4(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
	ck_assert(!mpkni_class_to_kernel(classify(&p)));
}
END_TEST

START_TEST(test_ipv4_multicast_destination_is_l3_multicast)
{
	struct pkt p;

	build_ipv4_multicast_udp(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_L3_MULTICAST);
	/* The top of 224.0.0.0/4 is still multicast, 240.0.0.0 is not. */
	p.b[14 + 16] = 239;
	ck_assert_class(classify(&p), MPKNI_CLASS_L3_MULTICAST);
	p.b[14 + 16] = 240;
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
}
END_TEST

START_TEST(test_ipv4_icmp_to_multicast_group_is_l3_multicast)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_ICMP, PEER4, IP4(224, 0, 0, 1), 0);
	echo(&p, 8);
	ipv4_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_L3_MULTICAST);
}
END_TEST

START_TEST(test_ipv4_limited_broadcast_is_l3_multicast)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_UDP, IP4(0, 0, 0, 0), IP4(255, 255, 255, 255), 0);
	udp(&p, 67, 240);
	ipv4_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_L3_MULTICAST);
}
END_TEST

START_TEST(test_ipv4_options_header_length)
{
	struct pkt p;

	/* 40 bytes of options (IHL 15) before TCP to an own address. */
	build_ipv4_options_tcp_own(&p);
	ck_assert_uint_eq(p.b[14] & 0x0f, 15);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
	/* Options count in the header length, so a total length covering only
	 * part of them is malformed. */
	set16(&p, 14 + 2, 59);
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
	set16(&p, 14 + 2, 60);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
	/* And so is a frame ending inside them. */
	ck_assert_class(mpkni_classify(p.b, 14 + 59, &own), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_bad_ihl_is_malformed)
{
	struct pkt p;
	uint32_t ip;
	uint8_t ihl;

	build_udp_other4(&p);
	for (ihl = 0; ihl < 5; ihl++) {
		p.b[14] = (uint8_t)(0x40 | ihl);
		ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
	}
	/* IHL 15 claims a 60-byte header in a 28-byte packet. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_UDP, PEER4, OTHER4, 0);
	udp(&p, 53, 0);
	ipv4_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
	p.b[14] = 0x4f;
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_bad_ipv4_version_is_malformed)
{
	struct pkt p;

	build_tcp_own4(&p);
	p.b[14] = 0x65;
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
	p.b[14] = 0x05;
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_truncated_ipv4_is_malformed)
{
	struct pkt p;

	build_tcp_own4(&p);
	ck_assert_class(mpkni_classify(p.b, 14 + 19, &own), MPKNI_CLASS_MALFORMED);
	ck_assert_class(mpkni_classify(p.b, p.len - 1, &own), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_ipv4_total_length_too_long_is_malformed)
{
	struct pkt p;

	build_udp_other4(&p);
	set16(&p, 14 + 2, (uint16_t)(p.len - 14 + 1));
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_ipv4_total_length_below_header_is_malformed)
{
	struct pkt p;

	build_udp_other4(&p);
	set16(&p, 14 + 2, 19);
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
	/* A bare header with no payload is fine. */
	set16(&p, 14 + 2, 20);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
}
END_TEST

START_TEST(test_ipv4_ethernet_padding_is_accepted)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_TCP, PEER4, OWN4, 0);
	ipv4_end(&p, ip);
	ck_assert_uint_lt(p.len, ETH_MIN_LEN);
	put_fill(&p, 0xee, ETH_MIN_LEN - p.len);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_ipv4_icmp_fragments_are_icmp)
{
	struct pkt p;

	build_icmp_echo_transit(&p);
	ipv4_set_frag(&p, 14, 0, 1);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMP);
	/* A later fragment carries no ICMP header but must follow the first. */
	ipv4_set_frag(&p, 14, 185, 0);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMP);
}
END_TEST

START_TEST(test_ipv4_udp_fragment_to_own_address_is_local)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV4);
	ip = ipv4_begin(&p, PROTO_UDP, PEER4, OWN4, 0);
	put_fill(&p, 0x33, 64);
	ipv4_end(&p, ip);
	ipv4_set_frag(&p, ip, 100, 1);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

/* ---- IPv6 ---- */

START_TEST(test_ipv6_neighbour_solicitation_is_icmpv6)
{
	struct pkt p;

	build_ipv6_ns_unicast(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_ipv6_neighbour_advertisement_to_other_host_is_icmpv6)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_ICMPV6, PEER6, OTHER6);
	nd(&p, 136, PEER6);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_ipv6_multicast_ns_with_multicast_mac_is_l2_multicast)
{
	struct pkt p;

	build_ipv6_ns_multicast(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_L2_MULTICAST);
}
END_TEST

START_TEST(test_ipv6_multicast_destination_with_unicast_mac_is_l3_multicast)
{
	struct pkt p;

	build_ipv6_multicast_unicast_mac(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_L3_MULTICAST);
	/* Multicast wins over ICMPv6 too. */
	build_ipv6_ns_multicast(&p);
	memcpy(p.b, mac_self, 6);
	ck_assert_class(classify(&p), MPKNI_CLASS_L3_MULTICAST);
}
END_TEST

START_TEST(test_ipv6_echo_to_own_address_is_icmpv6_not_local)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_ICMPV6, PEER6, OWN6);
	echo(&p, 128);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_ipv6_tcp_to_own_address_is_local)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, PROTO_TCP, PEER6, OWN6);
	tcp_syn(&p, 179);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_ipv6_udp_to_other_host_is_transit)
{
	struct pkt p;

	build_ipv6_udp_other(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
}
END_TEST

START_TEST(test_ipv6_fragment_header_then_icmpv6)
{
	struct pkt p;

	build_ipv6_frag_icmpv6(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_ipv6_hop_by_hop_then_icmpv6)
{
	struct pkt p;
	uint32_t ip;

	/* As MLD carries a router alert option, but to a unicast address. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_HOPOPTS, PEER6_LL, OWN6_LL);
	put8(&p, NH_ICMPV6);
	put8(&p, 0);
	put8(&p, 5);              /* router alert */
	put8(&p, 2);
	put16(&p, 0);             /* MLD */
	put8(&p, 1);              /* PadN */
	put8(&p, 0);
	put8(&p, 130);            /* multicast listener query */
	put_fill(&p, 0, 27);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_ipv6_extension_chain_then_tcp_to_own_is_local)
{
	struct pkt p;

	build_ipv6_ext_chain_tcp_own(&p);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_ipv6_non_first_fragment_classified_by_destination)
{
	struct pkt p;
	uint32_t ip;

	/* A later UDP fragment has no UDP header: its destination decides. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_FRAGMENT, PEER6, OTHER6);
	frag_hdr(&p, 17, 181, 0);
	put_fill(&p, 0x44, 32);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_FRAGMENT, PEER6, OWN6);
	frag_hdr(&p, 17, 181, 0);
	put_fill(&p, 0x44, 32);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_ipv6_later_fragment_of_icmpv6_joins_the_first)
{
	struct pkt p;
	uint32_t ip;

	/* Like IPv4 ICMP fragments: all of the datagram goes to the kernel,
	 * which alone can reassemble it. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_FRAGMENT, PEER6, OTHER6);
	frag_hdr(&p, NH_ICMPV6, 181, 0);
	put_fill(&p, 0x44, 32);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_ipv6_no_next_header_is_by_destination)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_DSTOPTS, PEER6, OTHER6);
	ext_hdr(&p, NH_NONE, 0);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
	v6addr(p.b + 14 + 24, OWN6);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

START_TEST(test_ipv6_ah_is_not_walked)
{
	struct pkt p;
	uint32_t ip;

	/* Only the four listed extension headers are walked: ICMPv6 behind an
	 * authentication header is classified by its destination. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_AH, PEER6, OTHER6);
	put8(&p, NH_ICMPV6);
	put8(&p, 4);
	put_fill(&p, 0, 22);
	echo(&p, 128);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_TRANSIT);
}
END_TEST

START_TEST(test_ipv6_payload_length_too_long_is_malformed)
{
	struct pkt p;

	build_ipv6_udp_other(&p);
	set16(&p, 14 + 4, (uint16_t)(p.len - 14 - 40 + 1));
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_truncated_ipv6_header_is_malformed)
{
	struct pkt p;

	build_ipv6_udp_other(&p);
	ck_assert_class(mpkni_classify(p.b, 14 + 39, &own), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_bad_ipv6_version_is_malformed)
{
	struct pkt p;

	build_ipv6_udp_other(&p);
	p.b[14] = 0x40;
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_truncated_ipv6_extension_header_is_malformed)
{
	struct pkt p;
	uint32_t ip;

	/* Exact-size copies: reading past the payload would also be past the
	 * buffer, which ASan reports. The header claims 24 bytes, the payload holds 8. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_DSTOPTS, PEER6, OTHER6);
	ext_hdr(&p, PROTO_UDP, 0);
	p.b[ip + 40 + 1] = 2;
	ipv6_end(&p, ip);
	ck_assert_class(classify_exact(p.b, p.len), MPKNI_CLASS_MALFORMED);

	/* Only the next-header byte of a hop-by-hop header. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_HOPOPTS, PEER6, OTHER6);
	put8(&p, NH_ICMPV6);
	ipv6_end(&p, ip);
	ck_assert_class(classify_exact(p.b, p.len), MPKNI_CLASS_MALFORMED);

	/* Half a fragment header. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_FRAGMENT, PEER6, OTHER6);
	put32(&p, (uint32_t)NH_ICMPV6 << 24);
	ipv6_end(&p, ip);
	ck_assert_class(classify_exact(p.b, p.len), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_ipv6_extension_header_in_padding_is_malformed)
{
	struct pkt p;
	uint32_t ip;

	/* The header is in the frame, but after the payload length: padding. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_HOPOPTS, PEER6, OTHER6);
	ipv6_end(&p, ip);
	ext_hdr(&p, NH_NONE, 0);
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_ipv6_extension_header_chain_is_capped_at_eight)
{
	struct pkt p;
	uint32_t ip, i;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_DSTOPTS, PEER6, OTHER6);
	for (i = 0; i < 7; i++)
		ext_hdr(&p, NH_DSTOPTS, 0);
	ext_hdr(&p, NH_ICMPV6, 0);
	echo(&p, 128);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_ICMPV6);

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_DSTOPTS, PEER6, OTHER6);
	for (i = 0; i < 8; i++)
		ext_hdr(&p, NH_DSTOPTS, 0);
	ext_hdr(&p, NH_ICMPV6, 0);
	echo(&p, 128);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);

	/* The fragment header counts too. */
	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_DSTOPTS, PEER6, OTHER6);
	for (i = 0; i < 8; i++)
		ext_hdr(&p, NH_DSTOPTS, 0);
	p.b[p.len - 8] = NH_FRAGMENT;
	frag_hdr(&p, NH_ICMPV6, 0, 0);
	echo(&p, 128);
	ipv6_end(&p, ip);
	ck_assert_class(classify(&p), MPKNI_CLASS_MALFORMED);
}
END_TEST

START_TEST(test_ipv6_ethernet_padding_is_accepted)
{
	struct pkt p;
	uint32_t ip;

	eth(&p, mac_self);
	ethertype(&p, ETHERTYPE_IPV6);
	ip = ipv6_begin(&p, NH_NONE, PEER6, OWN6);
	ipv6_end(&p, ip);
	put_fill(&p, 0xee, 10);
	ck_assert_class(classify(&p), MPKNI_CLASS_LOCAL);
}
END_TEST

/* ---- Own addresses ---- */

START_TEST(test_null_own_addresses)
{
	struct pkt p;

	build_tcp_own4(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, NULL), MPKNI_CLASS_TRANSIT);
	build_qinq_ipv6_tcp_own(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, NULL), MPKNI_CLASS_TRANSIT);
	build_icmp_echo_own(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, NULL), MPKNI_CLASS_ICMP);
	build_ipv6_ns_unicast(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, NULL), MPKNI_CLASS_ICMPV6);
}
END_TEST

START_TEST(test_empty_own_addresses)
{
	struct mpkni_addr_set none;
	struct pkt p;

	memset(&none, 0, sizeof(none));
	build_tcp_own4(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, &none), MPKNI_CLASS_TRANSIT);
	build_qinq_ipv6_tcp_own(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, &none), MPKNI_CLASS_TRANSIT);
}
END_TEST

START_TEST(test_own_address_count_is_clamped)
{
	struct mpkni_addr_set *set;
	struct pkt p;

	/* An exact-size heap copy, so an over-read is caught under ASan. */
	set = malloc(sizeof(*set));
	ck_assert_ptr_nonnull(set);
	memset(set, 0, sizeof(*set));
	set->nb_v4 = UINT32_MAX;
	set->nb_v6 = MPKNI_MAX_ADDRS + 1;
	build_udp_other4(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, set), MPKNI_CLASS_TRANSIT);
	build_ipv6_udp_other(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, set), MPKNI_CLASS_TRANSIT);
	/* The last slot is still searched. */
	set->v4[MPKNI_MAX_ADDRS - 1] = htonl(OTHER4);
	v6addr(set->v6[MPKNI_MAX_ADDRS - 1], OTHER6);
	build_udp_other4(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, set), MPKNI_CLASS_LOCAL);
	build_ipv6_udp_other(&p);
	ck_assert_class(mpkni_classify(p.b, p.len, set), MPKNI_CLASS_LOCAL);
	free(set);
}
END_TEST

/* ---- Robustness ---- */

struct kind {
	const char *name;
	void (*build)(struct pkt *p);
	enum mpkni_pkt_class cls;
	/* Shortest truncation that keeps the class: shorter ones are malformed.
	 * 0 means only the whole frame keeps it. */
	uint32_t min_ok;
};

static const struct kind kinds[] = {
	{ "arp request", build_arp_request, MPKNI_CLASS_ARP, 14 },
	{ "arp reply", build_arp_reply, MPKNI_CLASS_ARP, 14 },
	{ "broadcast arp", build_broadcast_arp, MPKNI_CLASS_L2_MULTICAST, 14 },
	{ "icmp echo", build_icmp_echo_transit, MPKNI_CLASS_ICMP, 0 },
	{ "icmp echo to own", build_icmp_echo_own, MPKNI_CLASS_ICMP, 0 },
	{ "tcp to own v4", build_tcp_own4, MPKNI_CLASS_LOCAL, 0 },
	{ "udp transit v4", build_udp_other4, MPKNI_CLASS_TRANSIT, 0 },
	{ "ipv4 options", build_ipv4_options_tcp_own, MPKNI_CLASS_LOCAL, 0 },
	{ "ipv4 multicast", build_ipv4_multicast_udp, MPKNI_CLASS_L3_MULTICAST, 0 },
	{ "vlan icmp", build_vlan_icmp, MPKNI_CLASS_ICMP, 0 },
	{ "vlan arp", build_vlan_arp, MPKNI_CLASS_ARP, 18 },
	{ "qinq udp", build_qinq_udp_other4, MPKNI_CLASS_TRANSIT, 0 },
	{ "qinq ipv6 tcp own", build_qinq_ipv6_tcp_own, MPKNI_CLASS_LOCAL, 0 },
	{ "ipv6 ns unicast", build_ipv6_ns_unicast, MPKNI_CLASS_ICMPV6, 0 },
	{ "ipv6 ns multicast", build_ipv6_ns_multicast, MPKNI_CLASS_L2_MULTICAST, 14 },
	{ "ipv6 frag icmpv6", build_ipv6_frag_icmpv6, MPKNI_CLASS_ICMPV6, 0 },
	{ "ipv6 ext chain", build_ipv6_ext_chain_tcp_own, MPKNI_CLASS_LOCAL, 0 },
	{ "ipv6 udp transit", build_ipv6_udp_other, MPKNI_CLASS_TRANSIT, 0 },
	{ "ipv6 multicast", build_ipv6_multicast_unicast_mac, MPKNI_CLASS_L3_MULTICAST, 0 },
	{ "lldp", build_lldp, MPKNI_CLASS_L2_MULTICAST, 14 },
	{ "lldp unicast", build_lldp_unicast, MPKNI_CLASS_NON_IP, 14 },
};

#define NB_KINDS (sizeof(kinds) / sizeof(kinds[0]))

START_TEST(test_every_truncation_of_each_kind_is_safe)
{
	enum mpkni_pkt_class c, want;
	uint32_t k, len, min_ok;
	struct pkt p;

	for (k = 0; k < NB_KINDS; k++) {
		kinds[k].build(&p);
		ck_assert_msg(classify_exact(p.b, p.len) == kinds[k].cls, "%s: whole frame is %s",
			kinds[k].name, mpkni_class_name(classify_exact(p.b, p.len)));
		min_ok = kinds[k].min_ok != 0 ? kinds[k].min_ok : p.len;
		for (len = 0; len < p.len; len++) {
			c = classify_exact(p.b, len);
			want = len < min_ok ? MPKNI_CLASS_MALFORMED : kinds[k].cls;
			if (c >= MPKNI_CLASS_MAX || c != want)
				ck_abort_msg("%s cut to %u bytes: %s, expected %s", kinds[k].name,
					len, mpkni_class_name(c), mpkni_class_name(want));
		}
	}
}
END_TEST

START_TEST(test_ethernet_padding_keeps_class_of_each_kind)
{
	enum mpkni_pkt_class c;
	struct pkt p;
	uint32_t k;

	for (k = 0; k < NB_KINDS; k++) {
		kinds[k].build(&p);
		put_fill(&p, 0xff, 24);
		c = classify_exact(p.b, p.len);
		ck_assert_msg(c == kinds[k].cls, "%s padded: %s", kinds[k].name,
			mpkni_class_name(c));
	}
}
END_TEST

/* xorshift32: deterministic, so a failure reproduces. */
static uint32_t
prng(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

START_TEST(test_random_bytes_never_crash)
{
	static const uint16_t types[] = {
		ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_ARP, ETHERTYPE_VLAN,
		ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD,
	};
	uint32_t state = 0x6d706b6e, counts[MPKNI_CLASS_MAX] = { 0 };
	enum mpkni_pkt_class c;
	uint32_t i, j, len;
	uint8_t *buf;

	for (i = 0; i < 200000; i++) {
		len = prng(&state) % 160;
		buf = malloc(len);
		if (len > 0 && buf == NULL)
			ck_abort_msg("out of memory");
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)prng(&state);
		/* Steer most frames past the first rules, or nearly all would end
		 * as multicast or non-IP. */
		if (len > 0 && (i & 3) != 0)
			buf[0] &= 0xfe;
		for (j = 12; j + 1 < len && j <= 20 && (i & 3) != 0; j += 4) {
			uint16_t t = types[prng(&state) % 6];

			buf[j] = (uint8_t)(t >> 8);
			buf[j + 1] = (uint8_t)t;
			if (t == ETHERTYPE_IPV4 || t == ETHERTYPE_IPV6) {
				if (j + 2 < len)
					buf[j + 2] = t == ETHERTYPE_IPV4 ? 0x45 : 0x60;
				break;
			}
		}
		c = mpkni_classify(buf, len, (i & 1) ? &own : NULL);
		free(buf);
		if ((unsigned int)c >= MPKNI_CLASS_MAX)
			ck_abort_msg("iteration %u: class %d", i, (int)c);
		counts[c]++;
	}
	/* The steering worked: the IP paths were reached. */
	ck_assert_uint_gt(counts[MPKNI_CLASS_MALFORMED], 0);
	ck_assert_uint_gt(counts[MPKNI_CLASS_NON_IP], 0);
	ck_assert_uint_gt(counts[MPKNI_CLASS_ARP], 0);
}
END_TEST

START_TEST(test_mutated_frames_never_crash)
{
	uint32_t state = 12345, counts[MPKNI_CLASS_MAX] = { 0 };
	uint32_t i, j, n, len, extra;
	enum mpkni_pkt_class c;
	struct pkt p;
	uint8_t *buf;

	/* Valid frames with a few bytes overwritten reach the deep paths
	 * (extension headers, options) far more often than random bytes. */
	for (i = 0; i < 200000; i++) {
		kinds[prng(&state) % NB_KINDS].build(&p);
		n = 1 + prng(&state) % 4;
		for (j = 0; j < n; j++)
			p.b[prng(&state) % p.len] = (uint8_t)prng(&state);
		extra = prng(&state) % 16;
		len = prng(&state) % (p.len + extra + 1);
		buf = malloc(len);
		if (len > 0 && buf == NULL)
			ck_abort_msg("out of memory");
		for (j = 0; j < len; j++)
			buf[j] = j < p.len ? p.b[j] : (uint8_t)prng(&state);
		c = mpkni_classify(buf, len, &own);
		free(buf);
		if ((unsigned int)c >= MPKNI_CLASS_MAX)
			ck_abort_msg("iteration %u: class %d", i, (int)c);
		counts[c]++;
	}
	for (j = 0; j < MPKNI_CLASS_MAX; j++)
		ck_assert_msg(counts[j] > 0, "class %s never seen", mpkni_class_name(j));
}
END_TEST

/* ---- Names ---- */

START_TEST(test_class_names_are_unique)
{
	static const char *const expected[MPKNI_CLASS_MAX] = {
		"transit", "arp", "icmp", "icmpv6", "l2-multicast", "l3-multicast",
		"local", "malformed", "non-ip",
	};
	unsigned int i, j;

	for (i = 0; i < MPKNI_CLASS_MAX; i++) {
		ck_assert_str_eq(mpkni_class_name(i), expected[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(mpkni_class_name(i), mpkni_class_name(j));
	}
}
END_TEST

START_TEST(test_out_of_range_class_name_is_unknown)
{
	ck_assert_str_eq(mpkni_class_name(MPKNI_CLASS_MAX), "unknown");
	ck_assert_str_eq(mpkni_class_name((enum mpkni_pkt_class)-1), "unknown");
}
END_TEST

START_TEST(test_only_transit_stays_in_data_plane)
{
	unsigned int i;

	for (i = 0; i < MPKNI_CLASS_MAX; i++)
		ck_assert_int_eq(mpkni_class_to_kernel(i), i != MPKNI_CLASS_TRANSIT);
}
END_TEST

static TCase *
tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup_own, NULL);
	suite_add_tcase(s, tc);
	return tc;
}

static Suite *
classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc;

	tc = tcase(s, "ethernet");
	tcase_add_test(tc, test_runt_frame_is_malformed);
	tcase_add_test(tc, test_broadcast_arp_is_l2_multicast);
	tcase_add_test(tc, test_ipv4_multicast_mac_is_l2_multicast);
	tcase_add_test(tc, test_lldp_to_bridge_group_is_l2_multicast);
	tcase_add_test(tc, test_group_bit_wins_over_short_frame);
	tcase_add_test(tc, test_unknown_ethertype_is_non_ip);

	tc = tcase(s, "arp");
	tcase_add_test(tc, test_arp_request_goes_to_kernel);
	tcase_add_test(tc, test_arp_reply_is_arp);
	tcase_add_test(tc, test_short_arp_is_still_arp);
	tcase_add_test(tc, test_arp_without_own_addresses_is_arp);

	tc = tcase(s, "vlan");
	tcase_add_test(tc, test_vlan_tagged_icmp_is_icmp);
	tcase_add_test(tc, test_vlan_tagged_arp_is_arp);
	tcase_add_test(tc, test_vlan_tagged_ipv6_ns_is_icmpv6);
	tcase_add_test(tc, test_qinq_udp_to_other_host_is_transit);
	tcase_add_test(tc, test_qinq_9100_tcp_to_own_ipv6_is_local);
	tcase_add_test(tc, test_qinq_88a8_tcp_to_own_ipv4_is_local);
	tcase_add_test(tc, test_truncated_vlan_tag_is_malformed);
	tcase_add_test(tc, test_third_vlan_tag_is_non_ip);

	tc = tcase(s, "ipv4");
	tcase_add_test(tc, test_icmp_echo_is_icmp);
	tcase_add_test(tc, test_icmp_to_own_ipv4_is_icmp_not_local);
	tcase_add_test(tc, test_tcp_to_own_ipv4_is_local);
	tcase_add_test(tc, test_tcp_to_second_own_ipv4_is_local);
	tcase_add_test(tc, test_udp_to_other_host_is_transit);
	tcase_add_test(tc, test_ipv4_multicast_destination_is_l3_multicast);
	tcase_add_test(tc, test_ipv4_icmp_to_multicast_group_is_l3_multicast);
	tcase_add_test(tc, test_ipv4_limited_broadcast_is_l3_multicast);
	tcase_add_test(tc, test_ipv4_options_header_length);
	tcase_add_test(tc, test_bad_ihl_is_malformed);
	tcase_add_test(tc, test_bad_ipv4_version_is_malformed);
	tcase_add_test(tc, test_truncated_ipv4_is_malformed);
	tcase_add_test(tc, test_ipv4_total_length_too_long_is_malformed);
	tcase_add_test(tc, test_ipv4_total_length_below_header_is_malformed);
	tcase_add_test(tc, test_ipv4_ethernet_padding_is_accepted);
	tcase_add_test(tc, test_ipv4_icmp_fragments_are_icmp);
	tcase_add_test(tc, test_ipv4_udp_fragment_to_own_address_is_local);

	tc = tcase(s, "ipv6");
	tcase_add_test(tc, test_ipv6_neighbour_solicitation_is_icmpv6);
	tcase_add_test(tc, test_ipv6_neighbour_advertisement_to_other_host_is_icmpv6);
	tcase_add_test(tc, test_ipv6_multicast_ns_with_multicast_mac_is_l2_multicast);
	tcase_add_test(tc, test_ipv6_multicast_destination_with_unicast_mac_is_l3_multicast);
	tcase_add_test(tc, test_ipv6_echo_to_own_address_is_icmpv6_not_local);
	tcase_add_test(tc, test_ipv6_tcp_to_own_address_is_local);
	tcase_add_test(tc, test_ipv6_udp_to_other_host_is_transit);
	tcase_add_test(tc, test_ipv6_fragment_header_then_icmpv6);
	tcase_add_test(tc, test_ipv6_hop_by_hop_then_icmpv6);
	tcase_add_test(tc, test_ipv6_extension_chain_then_tcp_to_own_is_local);
	tcase_add_test(tc, test_ipv6_non_first_fragment_classified_by_destination);
	tcase_add_test(tc, test_ipv6_later_fragment_of_icmpv6_joins_the_first);
	tcase_add_test(tc, test_ipv6_no_next_header_is_by_destination);
	tcase_add_test(tc, test_ipv6_ah_is_not_walked);
	tcase_add_test(tc, test_ipv6_payload_length_too_long_is_malformed);
	tcase_add_test(tc, test_truncated_ipv6_header_is_malformed);
	tcase_add_test(tc, test_bad_ipv6_version_is_malformed);
	tcase_add_test(tc, test_truncated_ipv6_extension_header_is_malformed);
	tcase_add_test(tc, test_ipv6_extension_header_in_padding_is_malformed);
	tcase_add_test(tc, test_ipv6_extension_header_chain_is_capped_at_eight);
	tcase_add_test(tc, test_ipv6_ethernet_padding_is_accepted);

	tc = tcase(s, "own-addresses");
	tcase_add_test(tc, test_null_own_addresses);
	tcase_add_test(tc, test_empty_own_addresses);
	tcase_add_test(tc, test_own_address_count_is_clamped);

	tc = tcase(s, "robustness");
	/* The loops run hundreds of thousands of frames; sanitizers slow them. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_every_truncation_of_each_kind_is_safe);
	tcase_add_test(tc, test_ethernet_padding_keeps_class_of_each_kind);
	tcase_add_test(tc, test_random_bytes_never_crash);
	tcase_add_test(tc, test_mutated_frames_never_crash);

	tc = tcase(s, "names");
	tcase_add_test(tc, test_class_names_are_unique);
	tcase_add_test(tc, test_out_of_range_class_name_is_unknown);
	tcase_add_test(tc, test_only_transit_stays_in_data_plane);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(classify_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
