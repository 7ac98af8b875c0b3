/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pausing a port so that it can be reconfigured (an MTU change may need the
 * port stopped) without racing the processes that poll it. The primary makes
 * the port's pause generation odd; every poller of the port (each running
 * worker, and the primary's own service loop) acknowledges the value between
 * bursts and keeps off the port until the generation is even again. A slot
 * that is not running cannot be inside a burst: a worker that starts running
 * during the pause checks the generation before its first poll.
 */
#include <errno.h>
#include <time.h>

#include "log.h"
#include "primary.h"

static int
all_acked(struct mpkni_primary *p, unsigned int idx, uint32_t gen)
{
	unsigned int s;

	if (__atomic_load_n(&p->svc_pause_ack[idx], __ATOMIC_ACQUIRE) != gen)
		return 0;
	for (s = 0; s < p->nb_slots; s++) {
		const struct mpkni_slot *sl = &p->sh->slots[s];
		uint32_t st = __atomic_load_n(&sl->state, __ATOMIC_ACQUIRE);

		if ((st == MPKNI_SLOT_RUNNING || st == MPKNI_SLOT_LEAVING) &&
		    __atomic_load_n(&sl->pause_ack[idx], __ATOMIC_ACQUIRE) != gen)
			return 0;
	}
	return 1;
}

int
mpkni_port_pause(struct mpkni_primary *p, unsigned int idx, unsigned int timeout_ms)
{
	struct timespec step = { .tv_sec = 0, .tv_nsec = 200000 };
	uint32_t gen = p->sh->ctl[idx].pause_gen + 1;
	unsigned int waited_us = 0;

	__atomic_store_n(&p->sh->ctl[idx].pause_gen, gen, __ATOMIC_RELEASE);
	while (!all_acked(p, idx, gen)) {
		if (waited_us >= timeout_ms * 1000) {
			MPKNI_LOG(ERR, "port %u: pollers did not pause within %u ms",
				  p->sh->ports[idx].port_id, timeout_ms);
			mpkni_port_resume(p, idx);
			return -ETIMEDOUT;
		}
		nanosleep(&step, NULL);
		waited_us += 200;
	}
	return 0;
}

void
mpkni_port_resume(struct mpkni_primary *p, unsigned int idx)
{
	uint32_t gen = p->sh->ctl[idx].pause_gen;

	if (gen & 1)
		__atomic_store_n(&p->sh->ctl[idx].pause_gen, gen + 1, __ATOMIC_RELEASE);
}
