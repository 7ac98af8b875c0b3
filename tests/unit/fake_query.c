/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in for query.c with fixed, distinctive figures, so the CLI tests
 * can check every column without DPDK or shared memory. Each figure is
 * unique across all tables, so a value found in the wrong column shows.
 *
 * The knobs below are called by check_cli.c; the server threads call the
 * query functions concurrently, hence the atomics.
 */
#include <stdio.h>
#include <string.h>

#include "query.h"

#define FAKE_NAMED_RINGS 3

static unsigned int clear_calls;
static unsigned int ring_rows = FAKE_NAMED_RINGS;
static int mempool_ret;
static const char *version;

void fake_query_reset(void);
unsigned int fake_query_clear_calls(void);
void fake_query_set_ring_rows(unsigned int n);
void fake_query_set_mempool_ret(int ret);
void fake_query_set_version(const char *v);

void
fake_query_reset(void)
{
	__atomic_store_n(&clear_calls, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ring_rows, FAKE_NAMED_RINGS, __ATOMIC_SEQ_CST);
	__atomic_store_n(&mempool_ret, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&version, NULL, __ATOMIC_SEQ_CST);
}

unsigned int
fake_query_clear_calls(void)
{
	return __atomic_load_n(&clear_calls, __ATOMIC_SEQ_CST);
}

/* More rows than the three named ones make long outputs for the tests of
 * clients that vanish mid-output. */
void
fake_query_set_ring_rows(unsigned int n)
{
	__atomic_store_n(&ring_rows, n, __ATOMIC_SEQ_CST);
}

/* Replaces the version text, e.g. with control characters. */
void
fake_query_set_version(const char *v)
{
	__atomic_store_n(&version, v, __ATOMIC_SEQ_CST);
}

void
fake_query_set_mempool_ret(int ret)
{
	__atomic_store_n(&mempool_ret, ret, __ATOMIC_SEQ_CST);
}

unsigned int
mpkni_query_workers(struct mpkni_worker_row *rows, unsigned int max)
{
	static const struct mpkni_worker_row fake[] = {
		{ .slot = 0, .pid = 4242, .state = "running", .lcore = 3, .attaches = 2,
		  .nf = "l2fwd", .rx = 1000001, .fwd = 900002, .to_kernel = 90003,
		  .dropped = 9996 },
		{ .slot = 1, .pid = 0, .state = "free", .lcore = 0, .attaches = 0,
		  .nf = "", .rx = 0, .fwd = 0, .to_kernel = 0, .dropped = 0 },
		{ .slot = 2, .pid = 31337, .state = "dead", .lcore = 5, .attaches = 7,
		  .nf = "my nf", .rx = 18446744073709551615ULL, .fwd = 12345678901ULL,
		  .to_kernel = 11, .dropped = 13 },
	};
	unsigned int n = sizeof(fake) / sizeof(fake[0]);

	if (n > max)
		n = max;
	memcpy(rows, fake, n * sizeof(fake[0]));
	return n;
}

unsigned int
mpkni_query_rings(struct mpkni_ring_row *rows, unsigned int max)
{
	static const struct mpkni_ring_row fake[FAKE_NAMED_RINGS] = {
		{ .name = "mpkni_k0_0", .slot = 0, .port = 0, .size = 1023, .in_use = 17,
		  .free = 1006, .hwm = 511, .enqueued = 700001, .dequeued = 699984,
		  .dropped_full = 42 },
		{ .name = "mpkni_k0_1", .slot = 0, .port = 1, .size = 1023, .in_use = 0,
		  .free = 1023, .hwm = 64, .enqueued = 8000002, .dequeued = 8000002,
		  .dropped_full = 0 },
		{ .name = "mpkni_k1_0", .slot = 1, .port = 0, .size = 2047, .in_use = 3,
		  .free = 2044, .hwm = 1999, .enqueued = 55, .dequeued = 52,
		  .dropped_full = 77 },
	};
	unsigned int n = __atomic_load_n(&ring_rows, __ATOMIC_SEQ_CST);
	unsigned int i;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		if (i < FAKE_NAMED_RINGS) {
			rows[i] = fake[i];
			continue;
		}
		memset(&rows[i], 0, sizeof(rows[i]));
		snprintf(rows[i].name, sizeof(rows[i].name), "mpkni_x%u", i);
		rows[i].size = 4095;
		rows[i].free = 4095;
		rows[i].enqueued = 1000000000000ULL + i;
		rows[i].dequeued = 1000000000000ULL + i;
	}
	return n;
}

unsigned int
mpkni_query_kni(struct mpkni_kni_row *rows, unsigned int max)
{
	static const struct mpkni_kni_row fake[] = {
		{ .name = "vEth0", .port = 0, .ifindex = 17, .mtu = 1500,
		  .mac = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 }, .link_up = 1,
		  .tx_packets = 300001, .tx_octets = 45000151, .tx_dropped = 31,
		  .rx_packets = 200002, .rx_octets = 28000282, .rx_dropped = 29 },
		{ .name = "vEth1", .port = 1, .ifindex = 18, .mtu = 9000,
		  .mac = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, .link_up = 0,
		  .tx_packets = 5, .tx_octets = 640, .tx_dropped = 0,
		  .rx_packets = 6, .rx_octets = 768, .rx_dropped = 1 },
	};
	unsigned int n = sizeof(fake) / sizeof(fake[0]);

	if (n > max)
		n = max;
	memcpy(rows, fake, n * sizeof(fake[0]));
	return n;
}

unsigned int
mpkni_query_ports(struct mpkni_port_row *rows, unsigned int max)
{
	static const struct mpkni_port_row fake[] = {
		{ .port = 0, .name = "net_tap0", .mac = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 },
		  .link_up = 1, .speed_mbps = 10000, .mtu = 1500, .nb_rxq = 3, .nb_txq = 4,
		  .rx = 1000, .fwd = 600, .to_kernel = 300, .drop_nf = 50,
		  .drop_ring_full = 30, .drop_tx_full = 20, .hw_ipackets = 1001,
		  .hw_opackets = 602, .hw_imissed = 1, .balanced = 1, .promisc = 1,
		  .allmulti = 0 },
		{ .port = 1, .name = "net_tap1", .mac = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa },
		  .link_up = 0, .speed_mbps = 0, .mtu = 9000, .nb_rxq = 2, .nb_txq = 2,
		  .rx = 777, .fwd = 700, .to_kernel = 70, .drop_nf = 1,
		  .drop_ring_full = 2, .drop_tx_full = 3, .lost = 5, .balanced = 0 },
	};
	unsigned int n = sizeof(fake) / sizeof(fake[0]);

	if (n > max)
		n = max;
	memcpy(rows, fake, n * sizeof(fake[0]));
	return n;
}

unsigned int
mpkni_query_kni_requests(struct mpkni_kni_req_row *rows, unsigned int max)
{
	static const struct mpkni_kni_req_row fake[] = {
		{ .name = "vEth0", .port = 0, .kind = "mtu", .policy = "apply", .applied = 3,
		  .ignored = 0, .rejected = 1,
		  .last = "mtu 9000 rejected: larger than an mbuf carries (at most 2030)" },
		{ .name = "vEth0", .port = 0, .kind = "promisc", .policy = "ignore", .applied = 0,
		  .ignored = 2, .rejected = 0, .last = "" },
	};
	unsigned int n = sizeof(fake) / sizeof(fake[0]);

	if (n > max)
		n = max;
	memcpy(rows, fake, n * sizeof(fake[0]));
	return n;
}

int
mpkni_query_mempool(struct mpkni_mempool_row *row)
{
	int ret = __atomic_load_n(&mempool_ret, __ATOMIC_SEQ_CST);

	if (ret < 0)
		return ret;
	memset(row, 0, sizeof(*row));
	snprintf(row->name, sizeof(row->name), "mpkni_mbufs");
	row->size = 16383;
	row->in_use = 2048;
	row->avail = 14335;
	row->cache_size = 250;
	row->in_caches = 731;
	return 0;
}

const char *
mpkni_query_version(void)
{
	const char *v = __atomic_load_n(&version, __ATOMIC_SEQ_CST);

	return v != NULL ? v : "mpkni 9.8.7-fake (DPDK 22.11.99, layout 1)";
}

void
mpkni_query_clear(void)
{
	__atomic_add_fetch(&clear_calls, 1, __ATOMIC_SEQ_CST);
}
