/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Snapshots of the figures the CLI and telemetry show.
 *
 * Owner: the primary. Callers: primary only, from any control thread (the CLI
 * sessions, the telemetry handlers); the functions only read shared memory and
 * never block the data path. Every figure is already net of the baseline that
 * mpkni_query_clear() recorded, so "clear counters" is a view, and no process
 * writes another's counters.
 */
#ifndef MPKNI_QUERY_H
#define MPKNI_QUERY_H

#include <stdint.h>
#include <net/if.h>

#include "layout.h"

struct mpkni_worker_row {
	uint16_t slot;
	int32_t pid;             /* 0 when the slot has no worker */
	const char *state;       /* "free", "claiming", "running", "leaving", "dead" */
	uint32_t lcore;
	uint32_t attaches;
	char nf[32];
	uint64_t rx;
	uint64_t fwd;
	uint64_t to_kernel;
	uint64_t dropped;        /* all drop reasons together, lost included */
};

struct mpkni_ring_row {
	char name[32];
	uint16_t slot;
	uint16_t port;
	uint32_t size;           /* usable capacity */
	uint32_t in_use;
	uint32_t free;
	uint64_t hwm;
	uint64_t enqueued;
	uint64_t dequeued;
	uint64_t dropped_full;
};

struct mpkni_kni_row {
	char name[IF_NAMESIZE];
	uint16_t port;
	int32_t ifindex;
	uint32_t mtu;
	uint8_t mac[6];
	int link_up;             /* the kernel interface's operational carrier */
	uint64_t tx_packets;     /* toward the kernel */
	uint64_t tx_octets;
	uint64_t tx_dropped;
	uint64_t rx_packets;     /* from the kernel */
	uint64_t rx_octets;
	uint64_t rx_dropped;
};

struct mpkni_port_row {
	uint16_t port;
	char name[64];           /* the device name, e.g. net_tap0 */
	uint8_t mac[6];
	int link_up;
	uint32_t speed_mbps;
	uint32_t mtu;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	uint64_t rx;             /* sum over all rx queues (workers and primary) */
	uint64_t fwd;
	uint64_t to_kernel;
	uint64_t drop_nf;
	uint64_t drop_ring_full;
	uint64_t drop_tx_full;
	uint64_t lost;           /* held by workers that died (see layout.h) */
	uint64_t hw_ipackets;    /* the PMD's own figures, for comparison */
	uint64_t hw_opackets;
	uint64_t hw_imissed;
	int balanced;            /* rx == fwd + to_kernel + all drops + lost */
	int promisc;             /* the port's own promiscuous and all-multicast modes */
	int allmulti;
};

/* One kind of kernel request on one kernel interface. */
struct mpkni_kni_req_row {
	char name[IF_NAMESIZE];
	uint16_t port;
	const char *kind;        /* "mtu", "mac", "link", "promisc", "allmulti" */
	const char *policy;      /* "apply", "ignore", "reject" */
	uint64_t applied;
	uint64_t ignored;
	uint64_t rejected;
	char last[96];           /* the latest request and its result, "" if none */
};

struct mpkni_mempool_row {
	char name[32];
	uint32_t size;
	uint32_t in_use;
	uint32_t avail;
	uint32_t cache_size;
	uint32_t in_caches;      /* sum over all lcores' caches */
};

/* Each fills up to max rows and returns how many it filled. */
unsigned int mpkni_query_workers(struct mpkni_worker_row *rows, unsigned int max);
unsigned int mpkni_query_rings(struct mpkni_ring_row *rows, unsigned int max);
unsigned int mpkni_query_kni(struct mpkni_kni_row *rows, unsigned int max);
unsigned int mpkni_query_ports(struct mpkni_port_row *rows, unsigned int max);
int mpkni_query_mempool(struct mpkni_mempool_row *row);
unsigned int mpkni_query_kni_requests(struct mpkni_kni_req_row *rows, unsigned int max);

/* "show version": the toolkit's version, the DPDK version and the layout. */
const char *mpkni_query_version(void);

/* Records the current figures as the baseline later queries subtract. */
void mpkni_query_clear(void);

#endif /* MPKNI_QUERY_H */
