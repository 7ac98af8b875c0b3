/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The primary's run-information file, "mpkni.info" in the runtime directory.
 *
 * A worker must choose its lcore id and know the layout version before it
 * calls the EAL (the EAL fixes the lcore id at init, and a wrong layout must
 * fail in one clear line, not in a fault). The memzone holds the same facts;
 * this small file makes them readable before the EAL exists.
 *
 * Owner: the primary writes it once (atomically, by rename) after its memzone
 * is ready and removes it at shutdown. Callers: the primary writes; workers
 * and tests read. No EAL dependency.
 */
#ifndef MPKNI_RUNINFO_H
#define MPKNI_RUNINFO_H

#include <stdint.h>

struct mpkni_runinfo {
	uint32_t layout_version;
	int32_t primary_pid;
	uint32_t lcore_base;
	uint32_t nb_slots;
};

/* 0 or a negative errno. */
int mpkni_runinfo_write(const char *runtime_dir, const struct mpkni_runinfo *ri);

/* 0; -ENOENT when there is no file; -EPROTO when it is malformed. */
int mpkni_runinfo_read(const char *runtime_dir, struct mpkni_runinfo *ri);

void mpkni_runinfo_remove(const char *runtime_dir);

#endif /* MPKNI_RUNINFO_H */
