/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "flowhash.h"

static inline uint32_t
rd16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The finaliser of MurmurHash3: spreads every input bit over the output. */
static inline uint32_t
mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static inline int
has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

uint32_t
mpkni_flow_hash(const void *frame, uint32_t len)
{
	const uint8_t *p = frame;
	uint32_t off = 12, type, addrs = 0, ports = 0;
	uint8_t proto;
	int tags;

	if (p == NULL || len < 14)
		return 0;
	type = rd16(p + off);
	for (tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); tags++) {
		off += 4;
		if (len < off + 2)
			return 0;
		type = rd16(p + off);
	}
	off += 2;
	if (type == 0x0800) {
		uint32_t ihl;

		if (len < off + 20 || (p[off] >> 4) != 4)
			return 0;
		ihl = (uint32_t)(p[off] & 0xf) * 4;
		proto = p[off + 9];
		/* XOR keeps the hash the same both ways. */
		addrs = rd32(p + off + 12) ^ rd32(p + off + 16);
		if (has_ports(proto) && (rd16(p + off + 6) & 0x1fff) == 0 && ihl >= 20 &&
		    len >= off + ihl + 4)
			ports = rd16(p + off + ihl) ^ rd16(p + off + ihl + 2);
	} else if (type == 0x86dd) {
		int i;

		if (len < off + 40 || (p[off] >> 4) != 6)
			return 0;
		proto = p[off + 6];
		for (i = 0; i < 4; i++)
			addrs ^= rd32(p + off + 8 + 4 * i) ^ rd32(p + off + 24 + 4 * i);
		if (has_ports(proto) && len >= off + 44)
			ports = rd16(p + off + 40) ^ rd16(p + off + 42);
	} else {
		return 0;
	}
	return mix(addrs ^ mix(ports << 8 | proto));
}
