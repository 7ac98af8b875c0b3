/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker slots seen from the primary: the hand-over of a slot's queues to a
 * claiming worker, liveness by pidfd (the kernel tells us the moment a worker
 * process exits, however it exits), and the reclaim of a slot whose worker is
 * gone: its rings drained (to the kernel, out of its tx queue) and reset,
 * its lcore's mempool cache flushed back to the pool, the files its EAL left
 * in the runtime directory removed, and the slot freed for a replacement.
 *
 * Runs on the service lcore only, between passes of the loop, so that
 * "the primary serves this slot's queues" and "a worker polls them" never
 * overlap: the primary stops serving before it answers CLAIMING with RUNNING,
 * and resumes only once the worker's process has exited.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "counters.h"
#include "log.h"
#include "primary.h"

static int
pidfd_open_pid(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static inline uint32_t
state_get(const struct mpkni_slot *sl)
{
	return __atomic_load_n(&sl->state, __ATOMIC_ACQUIRE);
}

static inline void
state_set(struct mpkni_slot *sl, uint32_t st)
{
	__atomic_store_n(&sl->state, st, __ATOMIC_RELEASE);
}

static void
hand_over(struct mpkni_primary *p, unsigned int s)
{
	struct mpkni_slot *sl = &p->sh->slots[s];
	int fd = pidfd_open_pid(sl->pid);

	if (fd < 0) {
		MPKNI_LOG(WARNING, "slot %u: claiming worker pid %d is already gone", s,
			  (int)sl->pid);
		state_set(sl, MPKNI_SLOT_DEAD);
		return;
	}
	p->pidfd[s] = fd;
	sl->attaches++;
	MPKNI_LOG(INFO, "slot %u: worker pid %d attached on lcore %u (%s)", s, (int)sl->pid,
		  sl->lcore, sl->nf_name);
	state_set(sl, MPKNI_SLOT_RUNNING);
}

static void
reclaim(struct mpkni_primary *p, unsigned int s, int clean)
{
	struct mpkni_slot *sl = &p->sh->slots[s];
	struct rte_mempool_cache *cache;
	unsigned int idx;

	/* Draining sends on the slot's tx queues: not while a port is being
	 * reconfigured. The slot stays dead and is reclaimed on a later pass. */
	for (idx = 0; idx < p->nb_ports; idx++) {
		if (mpkni_port_paused(p, idx)) {
			state_set(sl, MPKNI_SLOT_DEAD);
			return;
		}
	}
	for (idx = 0; idx < p->nb_ports; idx++) {
		mpkni_service_drain_slot(p, s, idx);
		/* A worker killed between moving a ring's head and its tail leaves
		 * the ring inconsistent; with the worker gone and both rings
		 * drained, a reset is safe. */
		rte_ring_reset(p->rings[s][idx]);
		rte_ring_reset(p->wire_rings[s][idx]);
	}
	/* A worker killed mid-burst could not count it: make its counters
	 * whole from the rings' figures (see layout.h). */
	for (idx = 0; idx < p->nb_ports; idx++)
		mpkni_q_settle(&sl->q[idx], &p->sh->primary_q[s][idx],
			       p->sh->kni[idx].ring_dequeued[s], p->sh->kni[idx].wire_enqueued[s]);
	cache = rte_mempool_default_cache(p->pool, p->sh->lcore_base + s);
	if (cache != NULL)
		rte_mempool_cache_flush(cache, p->pool);
	if (p->pidfd[s] >= 0) {
		close(p->pidfd[s]);
		p->pidfd[s] = -1;
	}
	mpkni_eal_files_purge_pid(p->runtime_dir, sl->pid);
	MPKNI_LOG(INFO, "slot %u: worker pid %d %s; slot reclaimed", s, (int)sl->pid,
		  clean ? "left" : "died");
	sl->pid = 0;
	state_set(sl, MPKNI_SLOT_FREE);
}

int
mpkni_slots_poll(struct mpkni_primary *p)
{
	struct pollfd fds[MPKNI_MAX_SLOTS];
	unsigned int slot_of[MPKNI_MAX_SLOTS];
	unsigned int s, n = 0;
	int changed = 0;

	for (s = 0; s < p->nb_slots; s++) {
		struct mpkni_slot *sl = &p->sh->slots[s];

		switch (state_get(sl)) {
		case MPKNI_SLOT_CLAIMING:
			hand_over(p, s);
			changed = 1;
			break;
		case MPKNI_SLOT_DEAD:
			reclaim(p, s, 0);
			changed = 1;
			break;
		default:
			break;
		}
		if (p->pidfd[s] >= 0) {
			fds[n].fd = p->pidfd[s];
			fds[n].events = POLLIN;
			fds[n].revents = 0;
			slot_of[n++] = s;
		}
	}
	if (n == 0 || poll(fds, n, 0) <= 0)
		return changed;
	for (s = 0; s < n; s++) {
		if (fds[s].revents == 0)
			continue;
		/* The process has exited: nobody polls this slot any more. */
		reclaim(p, slot_of[s], state_get(&p->sh->slots[slot_of[s]]) == MPKNI_SLOT_LEAVING);
		changed = 1;
	}
	return changed;
}

static int
any_worker(const struct mpkni_primary *p)
{
	unsigned int s;

	for (s = 0; s < p->nb_slots; s++)
		if (state_get(&p->sh->slots[s]) != MPKNI_SLOT_FREE)
			return 1;
	return 0;
}

void
mpkni_slots_shutdown(struct mpkni_primary *p, unsigned int timeout_ms)
{
	uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz() / 1000 * timeout_ms;
	struct timespec ms = { .tv_sec = 0, .tv_nsec = 1000000 };
	unsigned int s;

	__atomic_store_n(&p->sh->stopping, 1, __ATOMIC_RELEASE);
	while (any_worker(p) && rte_rdtsc() < deadline) {
		mpkni_service_once(p);
		mpkni_slots_poll(p);
		nanosleep(&ms, NULL);
	}
	for (s = 0; s < p->nb_slots; s++)
		if (state_get(&p->sh->slots[s]) != MPKNI_SLOT_FREE)
			MPKNI_LOG(WARNING, "slot %u: worker pid %d did not leave within %u ms", s,
				  (int)p->sh->slots[s].pid, timeout_ms);
	/* What the last workers handed over still goes to the kernel. */
	mpkni_service_once(p);
}
