/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line options of mpkni-primary and mpkni-worker, after the EAL's.
 *
 * Owner: nobody; pure parsing with no EAL dependency, so every bad input is
 * unit-tested. Callers: the primary (mpkni_primary_opts_parse) and workers
 * (mpkni_worker_opts_parse, mpkni_eal_scan). On error each returns -EINVAL and
 * writes one human-readable line (no trailing newline) to err; the caller prints
 * it once and exits non-zero.
 */
#ifndef MPKNI_ARGS_H
#define MPKNI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "kni_req.h"
#include "layout.h"

#define MPKNI_ERR_LEN 256

struct mpkni_primary_opts {
	unsigned int workers;      /* worker slots (1..MPKNI_MAX_SLOTS), default 2 */
	unsigned int ring_size;    /* worker-to-kernel ring size, power of two, default 1024 */
	unsigned int nb_mbufs;     /* 0: computed from ports, queues and rings */
	unsigned int idle_us;      /* service loop sleep when idle; 0 busy-polls (default 0) */
	unsigned int orphan_policy; /* enum mpkni_orphan_policy, default kernel */
	char kni_prefix[12];       /* kernel interfaces are <prefix><port>, default "vEth" */
	enum mpkni_req_policy kni_policy[MPKNI_REQ_MAX]; /* per request kind, default apply */
	int help;
};

struct mpkni_worker_opts {
	int slot;                  /* -1: the first free slot */
	char mode[16];             /* a shipped function's name; "" until given */
	unsigned int idle_us;      /* sleep after idle polls; 0 busy-polls (default 0) */
	unsigned int attach_timeout_ms; /* how long to wait for the primary's hand-over */
	char cpus[64];             /* CPU list the worker's lcore may run on, "" for all */
	int help;
};

void mpkni_primary_opts_default(struct mpkni_primary_opts *o);
int mpkni_primary_opts_parse(struct mpkni_primary_opts *o, int argc, char **argv,
			     char *err, size_t errlen);

void mpkni_worker_opts_default(struct mpkni_worker_opts *o);
int mpkni_worker_opts_parse(struct mpkni_worker_opts *o, int argc, char **argv,
			    char *err, size_t errlen);

/* What the toolkit must know of the EAL arguments before it calls the EAL. */
struct mpkni_eal_scan {
	const char *file_prefix;   /* NULL when not given */
	int has_lcores;            /* -l, -c, --lcores or --main-lcore given */
	int has_proc_type;         /* --proc-type given */
	int has_dev_selection;     /* -a/--allow, -b/--block or --no-pci given */
	int eal_argc;              /* arguments before "--" (argv[0] included) */
};

/* Scans argv up to "--" without modifying it. Rejects an invalid prefix. */
int mpkni_eal_scan(struct mpkni_eal_scan *s, int argc, char **argv, char *err, size_t errlen);

/* Parses an unsigned decimal in [min, max]; 0 or -EINVAL. */
int mpkni_parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *out);

#endif /* MPKNI_ARGS_H */
