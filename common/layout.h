/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared-memory contract between the primary and its workers.
 *
 * Owner: the primary creates the memzone MPKNI_MZ_STATE and fills the
 * "identity" part before any worker can attach. Callers: both process kinds;
 * every field's comment names its only writer. Change the layout only
 * together with MPKNI_LAYOUT_VERSION: a worker refuses a primary whose
 * version differs.
 *
 * Each group of fields with its own writer sits on its own cache lines, so
 * that a worker writing its counters never invalidates the line the primary
 * writes (and the other way round). Counters are plain 64-bit stores by their
 * single writer; readers load them without locks and may see a value that is
 * one burst old, never a torn one (aligned 64-bit stores are atomic on the
 * platforms DPDK supports).
 */
#ifndef MPKNI_LAYOUT_H
#define MPKNI_LAYOUT_H

#include <stdint.h>
#include <net/if.h>

#define MPKNI_LAYOUT_VERSION 2u
#define MPKNI_MAGIC 0x6d706b6eu /* "mpkn" */

#define MPKNI_MAX_SLOTS 16
#define MPKNI_MAX_PORTS 8
#define MPKNI_MAX_ADDRS 8

#define MPKNI_CACHE_LINE 64
#define MPKNI_ALIGNED __attribute__((aligned(MPKNI_CACHE_LINE)))

/* Object names in DPDK's shared namespace (one namespace per file prefix). */
#define MPKNI_MZ_STATE "mpkni_state"
#define MPKNI_POOL_NAME "mpkni_mbufs"

/*
 * Queues and rings. Port queue pair s belongs to slot s: its worker polls rx
 * queue s and sends on tx queue s; while the slot has no worker the primary
 * does both. Per (slot, port) two SP/SC rings carry what crosses processes:
 *   kernel ring  "mpkni_k<slot>_<port>": worker -> primary -> kernel
 *   to-wire ring "mpkni_w<slot>_<port>": kernel -> primary -> worker -> tx queue s
 * The primary picks the to-wire slot by a symmetric flow hash, so both
 * directions of a flow use one queue pair; PMDs that pin a flow's receive
 * queue to the queue it was last sent on (tun/tap) then keep it on a worker.
 *
 * Burst sizes: the kernel side is read 32 at a time, as rte_kni and capsule do. */
#define MPKNI_BURST 32

/* Lifecycle of a worker slot. Transitions and their only writer:
 *   FREE     -> CLAIMING  worker, by compare-and-swap, holding the slot's lock file
 *   CLAIMING -> RUNNING   primary, after it stopped serving the slot's queues
 *   RUNNING  -> LEAVING   worker, after its last burst (clean detach)
 *   CLAIMING, RUNNING, LEAVING -> FREE   primary, once the worker's process has exited:
 *                         it drains and resets the rings, flushes the lcore's mempool
 *                         cache and settles the counters (reclaim)
 *   any of them -> DEAD   primary, when that reclaim must wait (a port is paused, or the
 *                         claiming process was gone before the hand-over)
 *   DEAD     -> FREE      primary, by the reclaim on a later pass
 */
enum mpkni_slot_state {
	MPKNI_SLOT_FREE = 0,
	MPKNI_SLOT_CLAIMING,
	MPKNI_SLOT_RUNNING,
	MPKNI_SLOT_LEAVING,
	MPKNI_SLOT_DEAD,
};

/*
 * Figures of one (slot, port) queue pair, kept by whoever polls it: the
 * slot's worker in slots[s].q, the primary in primary_q[s] while the slot
 * has no worker. Every
 * received packet ends in exactly one of fwd, to_kernel, a drop_* field or
 * lost:
 *   rx = fwd + to_kernel + drop_nf + drop_ring_full + drop_tx_full + lost
 * and every packet taken from the slot's to-wire ring in one of
 *   from_kernel_tx + from_kernel_drop + from_kernel_lost.
 * A worker killed mid-burst cannot count what it was doing; when the primary
 * reclaims its slot it settles the slot's counters from the rings' figures
 * (it is their only writer from the worker's death to the next claim), and
 * what no figure can place is counted lost: never silently gone.
 */
struct mpkni_q_counters {
	uint64_t rx;             /* packets taken from the rx queue */
	uint64_t rx_octets;
	uint64_t fwd;            /* accepted by tx_burst on a port */
	uint64_t to_kernel;      /* enqueued on the kernel ring (or written by the primary) */
	uint64_t drop_nf;        /* the network function said drop, or named no valid port */
	uint64_t drop_ring_full; /* kernel ring full */
	uint64_t drop_tx_full;   /* tx queue refused them */
	uint64_t ring_hwm;       /* highest kernel-ring occupancy seen after an enqueue */
	uint64_t from_kernel_tx;   /* taken from the to-wire ring and sent */
	uint64_t from_kernel_drop; /* taken from the to-wire ring, refused by tx */
	uint64_t lost;             /* received by a worker that died before it said where to */
	uint64_t from_kernel_lost; /* taken from the to-wire ring by a worker that then died */
} MPKNI_ALIGNED;

/* One worker slot. The state, pid and lcore are the handshake fields; the rest
 * is written by the slot's worker only. */
struct mpkni_slot {
	uint32_t state;          /* enum mpkni_slot_state; see transitions above */
	int32_t pid;             /* worker: set while CLAIMING */
	uint32_t lcore;          /* worker: its EAL lcore id */
	uint32_t attaches;       /* primary: how many workers have run in this slot */
	uint64_t attach_time;    /* worker: seconds since the epoch when it attached */
	char nf_name[32];        /* worker: the network function's name */
	uint32_t pause_ack[MPKNI_MAX_PORTS]; /* worker: last pause generation seen per port */
	struct mpkni_q_counters q[MPKNI_MAX_PORTS]; /* worker */
} MPKNI_ALIGNED;

/* The addresses of one kernel interface. */
struct mpkni_addr_set {
	uint32_t nb_v4;
	uint32_t nb_v6;
	uint32_t v4[MPKNI_MAX_ADDRS];          /* network byte order */
	uint8_t v6[MPKNI_MAX_ADDRS][16];
};

/* A kernel interface's addresses, so workers can tell traffic for the kernel.
 * Written by the primary under a sequence count: odd while writing. */
struct mpkni_addrs {
	uint32_t seq;
	struct mpkni_addr_set set;
} MPKNI_ALIGNED;

/* Run-time control of one port, written by the primary. */
struct mpkni_port_ctl {
	/* Odd: workers must stop polling the port and acknowledge the value in
	 * their slot's pause_ack[port]; even: they may poll it. */
	uint32_t pause_gen;
	uint32_t mtu;
} MPKNI_ALIGNED;

/* Kernel-interface figures of one port, written by the primary only. "tx" is
 * toward the kernel, "rx" is from the kernel, as in rte_kni and capsule.
 * Every frame read from the kernel ends in one place:
 *   rx_packets = rx_dropped + rx_direct + sum(wire_enqueued) + sum(wire_full)
 */
struct mpkni_kni_counters {
	uint64_t tx_packets;
	uint64_t tx_octets;
	uint64_t tx_dropped;     /* the kernel took none of them after retries */
	uint64_t rx_packets;     /* read from the kernel interface */
	uint64_t rx_octets;
	uint64_t rx_dropped;     /* too big for an mbuf, or refused by a tx queue */
	uint64_t rx_nombuf;      /* reads skipped because the pool was empty */
	uint64_t rx_direct;      /* sent by the primary on a worker-less slot's tx queue */
	uint64_t ring_dequeued[MPKNI_MAX_SLOTS]; /* from the kernel ring of (slot, port) */
	uint64_t wire_enqueued[MPKNI_MAX_SLOTS]; /* onto the to-wire ring of (slot, port) */
	uint64_t wire_full[MPKNI_MAX_SLOTS];     /* dropped: that ring was full */
	uint64_t wire_hwm[MPKNI_MAX_SLOTS];      /* highest occupancy after an enqueue */
} MPKNI_ALIGNED;

/* Identity of one port, written once by the primary before workers attach. */
struct mpkni_port_info {
	uint16_t port_id;        /* DPDK port id */
	uint16_t nb_rxq;         /* nb_slots: queue pair s belongs to slot s */
	uint16_t nb_txq;
	uint8_t mac[6];
	char kni_name[IF_NAMESIZE];
	int32_t kni_ifindex;
};

struct mpkni_shared {
	/* Identity: primary, once, before it publishes the memzone. */
	uint32_t magic;
	uint32_t layout_version;
	int32_t primary_pid;
	uint32_t lcore_base;     /* worker of slot s runs as lcore lcore_base + s */
	uint16_t nb_slots;
	uint16_t nb_ports;
	uint32_t orphan_policy;  /* enum mpkni_orphan_policy */
	uint64_t start_time;
	uint64_t tsc_hz;
	struct mpkni_port_info ports[MPKNI_MAX_PORTS];

	/* Primary at run time. */
	uint32_t stopping MPKNI_ALIGNED; /* non-zero: workers must leave */
	struct mpkni_port_ctl ctl[MPKNI_MAX_PORTS];
	struct mpkni_addrs addrs[MPKNI_MAX_PORTS];
	struct mpkni_kni_counters kni[MPKNI_MAX_PORTS];
	/* The queues the primary serves while their slot has no worker:
	 * [slot][port]. */
	struct mpkni_q_counters primary_q[MPKNI_MAX_SLOTS][MPKNI_MAX_PORTS];

	/* Handshake fields as above; counters by each slot's worker. */
	struct mpkni_slot slots[MPKNI_MAX_SLOTS];
};

/* What the primary does with packets on rx queues that no worker polls. */
enum mpkni_orphan_policy {
	MPKNI_ORPHAN_KERNEL = 0,
	MPKNI_ORPHAN_DROP,
};

#endif /* MPKNI_LAYOUT_H */
