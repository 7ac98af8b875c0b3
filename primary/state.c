/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared state the primary creates before any worker may attach: the
 * memzone, two SP/SC rings per (slot, port), a lock file per slot and, last,
 * the run-information file that tells workers the primary is ready.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "log.h"
#include "primary.h"
#include "runinfo.h"

static unsigned int
lcore_base(void)
{
	unsigned int lcore, max = 0;

	RTE_LCORE_FOREACH(lcore)
		if (lcore > max)
			max = lcore;
	return max + 1;
}

static struct rte_ring *
create_ring(const char *name, unsigned int size)
{
	struct rte_ring *r = rte_ring_create(name, size, rte_socket_id(),
					     RING_F_SP_ENQ | RING_F_SC_DEQ);

	if (r == NULL)
		MPKNI_LOG(ERR, "cannot create ring %s: %s", name, rte_strerror(rte_errno));
	return r;
}

static int
create_rings(struct mpkni_primary *p)
{
	unsigned int s, q;
	char name[RTE_RING_NAMESIZE];

	for (s = 0; s < p->nb_slots; s++) {
		for (q = 0; q < p->nb_ports; q++) {
			mpkni_ring_name(name, sizeof(name), s, q);
			p->rings[s][q] = create_ring(name, p->opts.ring_size);
			if (p->rings[s][q] == NULL)
				return -rte_errno;
			mpkni_wire_ring_name(name, sizeof(name), s, q);
			p->wire_rings[s][q] = create_ring(name, p->opts.ring_size);
			if (p->wire_rings[s][q] == NULL)
				return -rte_errno;
		}
	}
	return 0;
}

static int
create_slot_locks(struct mpkni_primary *p)
{
	char path[MPKNI_PATH_MAX];
	unsigned int s;

	for (s = 0; s < p->nb_slots; s++) {
		mpkni_slot_lock_path(path, sizeof(path), p->runtime_dir, s);
		p->slot_lock_fd[s] = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (p->slot_lock_fd[s] < 0) {
			int rc = -errno;

			MPKNI_LOG(ERR, "cannot create %s: %s", path, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int
mpkni_state_create(struct mpkni_primary *p)
{
	struct mpkni_shared *sh;
	unsigned int s;
	int rc;

	/* A primary of this prefix that died left its info file: no worker
	 * may read it before this primary publishes its own. */
	mpkni_runinfo_remove(p->runtime_dir);
	for (s = 0; s < MPKNI_MAX_SLOTS; s++) {
		p->slot_lock_fd[s] = -1;
		p->pidfd[s] = -1;
	}
	p->mz = rte_memzone_reserve_aligned(MPKNI_MZ_STATE, sizeof(*sh), rte_socket_id(), 0,
					    RTE_CACHE_LINE_SIZE);
	if (p->mz == NULL) {
		MPKNI_LOG(ERR, "cannot reserve memzone %s: %s", MPKNI_MZ_STATE,
			  rte_strerror(rte_errno));
		return -rte_errno;
	}
	sh = p->mz->addr;
	memset(sh, 0, sizeof(*sh));
	sh->layout_version = MPKNI_LAYOUT_VERSION;
	sh->primary_pid = getpid();
	sh->lcore_base = lcore_base();
	sh->nb_slots = p->nb_slots;
	sh->nb_ports = p->nb_ports;
	sh->orphan_policy = p->opts.orphan_policy;
	sh->start_time = (uint64_t)time(NULL);
	sh->tsc_hz = rte_get_tsc_hz();
	p->sh = sh;
	if (sh->lcore_base + p->nb_slots > RTE_MAX_LCORE) {
		MPKNI_LOG(ERR, "lcore ids %u..%u for workers exceed RTE_MAX_LCORE %d",
			  sh->lcore_base, sh->lcore_base + p->nb_slots - 1, RTE_MAX_LCORE);
		return -ERANGE;
	}

	rc = create_rings(p);
	if (rc < 0)
		return rc;
	rc = create_slot_locks(p);
	if (rc < 0)
		return rc;
	return 0;
}

/* Last step of start-up: the magic and the info file tell workers to come. */
int
mpkni_state_publish(struct mpkni_primary *p)
{
	struct mpkni_runinfo ri = {
		.layout_version = MPKNI_LAYOUT_VERSION,
		.primary_pid = p->sh->primary_pid,
		.lcore_base = p->sh->lcore_base,
		.nb_slots = p->nb_slots,
	};
	int rc;

	__atomic_store_n(&p->sh->magic, MPKNI_MAGIC, __ATOMIC_RELEASE);
	rc = mpkni_runinfo_write(p->runtime_dir, &ri);
	if (rc < 0)
		MPKNI_LOG(ERR, "cannot write %s/mpkni.info: %s", p->runtime_dir, strerror(-rc));
	return rc;
}

void
mpkni_state_destroy(struct mpkni_primary *p)
{
	char path[MPKNI_PATH_MAX];
	unsigned int s, q;

	mpkni_runinfo_remove(p->runtime_dir);
	for (s = MPKNI_MAX_SLOTS; s-- > 0;) {
		if (p->pidfd[s] >= 0) {
			close(p->pidfd[s]);
			p->pidfd[s] = -1;
		}
		if (p->slot_lock_fd[s] >= 0) {
			mpkni_slot_lock_path(path, sizeof(path), p->runtime_dir, s);
			unlink(path);
			close(p->slot_lock_fd[s]);
			p->slot_lock_fd[s] = -1;
		}
	}
	for (s = 0; s < p->nb_slots; s++)
		for (q = 0; q < p->nb_ports; q++) {
			rte_ring_free(p->wire_rings[s][q]);
			rte_ring_free(p->rings[s][q]);
			p->wire_rings[s][q] = NULL;
			p->rings[s][q] = NULL;
		}
	if (p->mz != NULL) {
		rte_memzone_free(p->mz);
		p->mz = NULL;
		p->sh = NULL;
	}
}
