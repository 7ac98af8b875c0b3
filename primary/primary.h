/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The primary's private context: what it created and must release. One
 * instance, built by main.c and passed to each module; only the query module
 * keeps a pointer (query_bind) because libcli and telemetry callbacks have no
 * context argument of ours.
 *
 * Owner and callers: the primary only.
 */
#ifndef MPKNI_PRIMARY_H
#define MPKNI_PRIMARY_H

#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "args.h"
#include "kni.h"
#include "kni_req.h"
#include "layout.h"
#include "names.h"

struct mpkni_primary {
	struct mpkni_primary_opts opts;
	char prefix[80];
	char runtime_dir[MPKNI_PATH_MAX];
	struct mpkni_shared *sh;                 /* the shared memzone */
	const struct rte_memzone *mz;
	struct rte_mempool *pool;
	struct rte_ring *rings[MPKNI_MAX_SLOTS][MPKNI_MAX_PORTS];      /* to the kernel */
	struct rte_ring *wire_rings[MPKNI_MAX_SLOTS][MPKNI_MAX_PORTS]; /* to the wire */
	const struct mpkni_kni_backend *kni_be;
	struct mpkni_kni *kni[MPKNI_MAX_PORTS];
	int link_up[MPKNI_MAX_PORTS];            /* carrier last pushed to each */
	int slot_lock_fd[MPKNI_MAX_SLOTS];       /* keeps the lock files in place */
	int pidfd[MPKNI_MAX_SLOTS];              /* -1 when the slot has no process */
	/* Kernel requests (kni_requests.c, the rtnetlink thread writes; the
	 * CLI reads): the kernel side as last accepted, and the figures. */
	struct mpkni_link_state kni_known[MPKNI_MAX_PORTS];
	uint64_t req_count[MPKNI_MAX_PORTS][MPKNI_REQ_MAX][MPKNI_REQ_RESULT_MAX];
	char req_last[MPKNI_MAX_PORTS][MPKNI_REQ_MAX][96];
	/* The service loop's acknowledgement of a port pause (port_pause.c). */
	uint32_t svc_pause_ack[MPKNI_MAX_PORTS];
	uint16_t nb_ports;
	uint16_t nb_ports_started;
	uint16_t nb_slots;
	volatile int quit;                       /* set by SIGINT/SIGTERM */
};

/* Shared-state setup and teardown (state.c): memzone, rings, lock files and
 * the run-information file. Each returns 0 or a negative errno, logged once. */
int mpkni_state_create(struct mpkni_primary *p);
/* Last step of start-up: makes the primary visible to workers. */
int mpkni_state_publish(struct mpkni_primary *p);
void mpkni_state_destroy(struct mpkni_primary *p);

/* Ports (ports.c): configure nb_slots queue pairs on every port and start
 * them; stop and close them at the end. */
int mpkni_ports_start(struct mpkni_primary *p);
void mpkni_ports_stop(struct mpkni_primary *p);

/* Kernel interfaces (kni_setup.c): one per port, named, with the port's MAC
 * and MTU, carrier following the port's link. */
int mpkni_kni_setup(struct mpkni_primary *p);
void mpkni_kni_teardown(struct mpkni_primary *p);
void mpkni_kni_sync_link(struct mpkni_primary *p);

/* Kernel requests (kni_requests.c), on the rtnetlink thread: init takes the
 * interfaces' current state as accepted; event handles one observed state in
 * order; resync re-reads every interface (after a netlink overrun). */
void mpkni_kni_req_init(struct mpkni_primary *p);
void mpkni_kni_req_event(struct mpkni_primary *p, unsigned int idx,
			 const struct mpkni_link_state *seen);
void mpkni_kni_req_resync(struct mpkni_primary *p);

/* Pausing a port (port_pause.c): workers and the service loop keep off it
 * until resumed. pause returns 0, or -ETIMEDOUT (the port is then resumed)
 * when a poller did not acknowledge within timeout_ms. */
int mpkni_port_pause(struct mpkni_primary *p, unsigned int idx, unsigned int timeout_ms);
void mpkni_port_resume(struct mpkni_primary *p, unsigned int idx);

/* For the service loop: 1 while port idx is paused (and acknowledged). */
static inline int
mpkni_port_paused(struct mpkni_primary *p, unsigned int idx)
{
	uint32_t g = __atomic_load_n(&p->sh->ctl[idx].pause_gen, __ATOMIC_ACQUIRE);

	if (!(g & 1))
		return 0;
	if (p->svc_pause_ack[idx] != g)
		__atomic_store_n(&p->svc_pause_ack[idx], g, __ATOMIC_RELEASE);
	return 1;
}

/* Worker slots (slots.c): the hand-over with claiming workers, liveness by
 * pidfd, and reclaiming a slot whose worker exited. Called from the service
 * loop only. Returns non-zero when a slot changed state. */
int mpkni_slots_poll(struct mpkni_primary *p);
/* At shutdown: asks workers to leave and waits up to timeout_ms for them. */
void mpkni_slots_shutdown(struct mpkni_primary *p, unsigned int timeout_ms);

/* The service loop (service.c), on the main lcore until p->quit. */
void mpkni_service_run(struct mpkni_primary *p);
/* One pass of the loop; returns the packets it moved (tests and the loop). */
unsigned int mpkni_service_once(struct mpkni_primary *p);
/* Empties both rings of a slot whose worker is gone: the kernel ring into
 * the kernel interface, the to-wire ring out of the slot's tx queue. */
void mpkni_service_drain_slot(struct mpkni_primary *p, unsigned int slot, unsigned int port);

/* After rte_eal_cleanup(): removes the prefix's hugepage files and runtime
 * directory (eal_files.c). */
void mpkni_eal_files_purge(const char *prefix, const char *runtime_dir);
/* After a worker died: removes the EAL files of that pid that no live
 * process holds (its memseg list copies and its IPC socket). */
void mpkni_eal_files_purge_pid(const char *runtime_dir, int pid);

/* Figures for the CLI and telemetry (query.c). */
void mpkni_query_bind(struct mpkni_primary *p);

/* Telemetry commands /mpkni/... (telemetry.c). */
int mpkni_telemetry_register(void);

/* A control thread following rtnetlink for the kernel interfaces
 * (rtnl_watch.c): publishes their addresses for the workers' classifiers. */
int mpkni_rtnl_watch_start(struct mpkni_primary *p);
void mpkni_rtnl_watch_stop(void);

#endif /* MPKNI_PRIMARY_H */
