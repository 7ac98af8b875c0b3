/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attaching a worker to the primary and detaching it. Internal to the worker
 * library; callers: worker.c only.
 *
 * Before the EAL: checks that a primary of this file prefix is alive and of
 * this layout version (one clear line and a non-zero exit otherwise, in
 * seconds), claims a slot by locking its file (the kernel drops the lock when
 * the process dies, however it dies), and derives the slot's lcore id, unique
 * among live processes, which the EAL is then started with.
 * After the EAL: the slot hand-over with the primary (FREE -> CLAIMING, and
 * the primary's RUNNING once it stopped serving the slot's queues).
 */
#ifndef MPKNI_ATTACH_H
#define MPKNI_ATTACH_H

#include <rte_mempool.h>
#include <rte_ring.h>

#include "args.h"
#include "layout.h"
#include "names.h"

struct mpkni_attach {
	int argc;
	char **argv;
	struct mpkni_eal_scan scan;
	char prefix[80];
	char runtime_dir[MPKNI_PATH_MAX];
	struct mpkni_worker_opts opts;
	struct mpkni_shared *sh;
	struct mpkni_slot *slot;
	struct rte_mempool *pool;
	struct rte_ring *rings[MPKNI_MAX_PORTS];      /* this slot's kernel rings */
	struct rte_ring *wire_rings[MPKNI_MAX_PORTS]; /* this slot's to-wire rings */
	unsigned int slot_id;
	unsigned int lcore;
	int lock_fd;
	int primary_pidfd;
	int eal_up;
};

/* Reads the arguments. Returns 0 or the exit code to leave with (2: bad
 * arguments, printed once). a->opts.help asks the caller for its usage. */
int mpkni_attach_parse(struct mpkni_attach *a, int argc, char **argv);

/* Everything up to a RUNNING slot. Returns 0 or the exit code to leave with
 * (1: cannot attach); the reason is printed once. */
int mpkni_attach(struct mpkni_attach *a, const char *nf_name);

/* 1 while the primary process is alive. */
int mpkni_attach_primary_alive(const struct mpkni_attach *a);

/* Hands the slot back (LEAVING, mempool cache flushed) and ends the EAL,
 * unless the primary is gone. */
void mpkni_detach(struct mpkni_attach *a, int primary_gone);

#endif /* MPKNI_ATTACH_H */
