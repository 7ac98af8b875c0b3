/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_service.h>
#include <rte_service_component.h>

#include "attach.h"
#include "runinfo.h"

#define MAX_EAL_ARGS 128
#define POLL_MS 1

static int
say(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
say(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("mpkni-worker: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int
config_alive(const struct mpkni_attach *a)
{
	char path[MPKNI_PATH_MAX + 8];

	snprintf(path, sizeof(path), "%s/config", a->runtime_dir);
	return rte_eal_primary_proc_alive(path);
}

int
mpkni_attach_primary_alive(const struct mpkni_attach *a)
{
	struct pollfd pfd = { .fd = a->primary_pidfd, .events = POLLIN };

	if (a->primary_pidfd < 0)
		return config_alive(a);
	return poll(&pfd, 1, 0) == 0;
}

/* Waits for the primary's run-information file: it is written last, so a
 * worker started together with the primary waits for it to be ready. */
static int
read_runinfo(struct mpkni_attach *a, struct mpkni_runinfo *ri)
{
	uint64_t deadline = now_ms() + a->opts.attach_timeout_ms;
	int rc;

	for (;;) {
		if (!config_alive(a))
			return say(1, "no mpkni primary is running with file prefix '%s' (%s)",
				   a->prefix, a->runtime_dir);
		rc = mpkni_runinfo_read(a->runtime_dir, ri);
		if (rc == 0)
			break;
		if (rc == -EPROTO && ri->layout_version != 0 &&
		    ri->layout_version != MPKNI_LAYOUT_VERSION)
			break;
		if (now_ms() >= deadline)
			return say(1, "the primary with file prefix '%s' is not an mpkni primary, "
				   "or did not become ready within %u ms", a->prefix,
				   a->opts.attach_timeout_ms);
		sleep_ms(20);
	}
	if (ri->layout_version != MPKNI_LAYOUT_VERSION)
		return say(1, "the primary (pid %d) uses shared layout version %u; this worker "
			   "needs version %u: run a worker of the primary's release",
			   (int)ri->primary_pid, ri->layout_version, MPKNI_LAYOUT_VERSION);
	return 0;
}

static int
try_lock(struct mpkni_attach *a, unsigned int slot, int *holder)
{
	char path[MPKNI_PATH_MAX], buf[16];
	int fd, n;

	*holder = 0;
	if (mpkni_slot_lock_path(path, sizeof(path), a->runtime_dir, slot) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int rc = -errno;

		n = (int)pread(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			sscanf(buf, "%d", holder);
		}
		close(fd);
		return rc;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		/* The pid is only for messages; the lock is what counts. */
	}
	a->lock_fd = fd;
	a->slot_id = slot;
	return 0;
}

static int
claim_slot_lock(struct mpkni_attach *a, const struct mpkni_runinfo *ri)
{
	int holder, rc;
	unsigned int s;

	if (a->opts.slot >= 0) {
		if ((unsigned int)a->opts.slot >= ri->nb_slots)
			return say(1, "slot %d does not exist: the primary has %u slots (0..%u)",
				   a->opts.slot, ri->nb_slots, ri->nb_slots - 1);
		rc = try_lock(a, (unsigned int)a->opts.slot, &holder);
		if (rc == -EWOULDBLOCK)
			return say(1, "slot %d is taken by worker pid %d", a->opts.slot, holder);
		if (rc < 0)
			return say(1, "cannot lock slot %d: %s", a->opts.slot, strerror(-rc));
		return 0;
	}
	for (s = 0; s < ri->nb_slots; s++) {
		rc = try_lock(a, s, &holder);
		if (rc == 0)
			return 0;
		if (rc != -EWOULDBLOCK)
			return say(1, "cannot lock slot %u: %s", s, strerror(-rc));
	}
	return say(1, "all %u worker slots of the primary are taken", ri->nb_slots);
}

/* The CPUs the lcore may run on: --cpus, or every CPU this process may use. */
static void
cpu_list(const struct mpkni_attach *a, char *buf, size_t len)
{
	cpu_set_t set;
	size_t off = 0;
	int cpu;

	if (a->opts.cpus[0] != '\0' || sched_getaffinity(0, sizeof(set), &set) != 0) {
		snprintf(buf, len, "%s", a->opts.cpus[0] != '\0' ? a->opts.cpus : "0");
		return;
	}
	buf[0] = '\0';
	for (cpu = 0; cpu < CPU_SETSIZE && off + 8 < len; cpu++)
		if (CPU_ISSET(cpu, &set))
			off += (size_t)snprintf(buf + off, len - off, "%s%d", off ? "," : "", cpu);
}

static int
start_eal(struct mpkni_attach *a)
{
	const struct mpkni_eal_scan *scan = &a->scan;
	static char lcores[96], prefix[96];
	char *eal_argv[MAX_EAL_ARGS], cpus[64];
	int n = 0, i;

	if (scan->eal_argc + 5 > MAX_EAL_ARGS)
		return say(2, "too many EAL arguments");
	for (i = 0; i < scan->eal_argc; i++)
		eal_argv[n++] = a->argv[i];
	cpu_list(a, cpus, sizeof(cpus));
	snprintf(lcores, sizeof(lcores), "--lcores=%u@(%s)", a->lcore, cpus);
	eal_argv[n++] = lcores;
	eal_argv[n++] = (char *)"--proc-type=secondary";
	if (scan->file_prefix == NULL) {
		snprintf(prefix, sizeof(prefix), "--file-prefix=%s", a->prefix);
		eal_argv[n++] = prefix;
	}
	if (!scan->has_dev_selection)
		eal_argv[n++] = (char *)"--no-pci";
	eal_argv[n] = NULL;
	if (rte_eal_init(n, eal_argv) < 0)
		return say(1, "EAL initialisation as a secondary of prefix '%s' failed: %s",
			   a->prefix, rte_strerror(rte_errno));
	a->eal_up = 1;
	/* rte_eal_init() sets up the service-core library in every process,
	 * in the shared heap: about 150 KB (per-lcore state for RTE_MAX_LCORE
	 * lcores) that only rte_eal_cleanup() frees. A worker whose devices
	 * registered no service never uses it: give that memory back now, so
	 * that a worker that is killed does not leave it allocated in the
	 * primary's hugepages until the primary stops. (rte_eal_cleanup() then
	 * has nothing left to free there.) */
	if (rte_service_get_count() == 0)
		rte_service_finalize();
	return 0;
}

static int
find_shared(struct mpkni_attach *a, const struct mpkni_runinfo *ri)
{
	const struct rte_memzone *mz = rte_memzone_lookup(MPKNI_MZ_STATE);
	char name[RTE_RING_NAMESIZE];
	unsigned int q;

	if (mz == NULL)
		return say(1, "the primary of prefix '%s' has no %s memzone: not an mpkni primary",
			   a->prefix, MPKNI_MZ_STATE);
	a->sh = mz->addr;
	if (__atomic_load_n(&a->sh->magic, __ATOMIC_ACQUIRE) != MPKNI_MAGIC ||
	    a->sh->layout_version != MPKNI_LAYOUT_VERSION || a->sh->primary_pid != ri->primary_pid)
		return say(1, "the primary's shared state does not match its mpkni.info "
			   "(layout %u, pid %d): restart the primary", a->sh->layout_version,
			   (int)a->sh->primary_pid);
	a->slot = &a->sh->slots[a->slot_id];
	a->pool = rte_mempool_lookup(MPKNI_POOL_NAME);
	if (a->pool == NULL)
		return say(1, "mbuf pool %s not found", MPKNI_POOL_NAME);
	for (q = 0; q < a->sh->nb_ports; q++) {
		mpkni_ring_name(name, sizeof(name), a->slot_id, q);
		a->rings[q] = rte_ring_lookup(name);
		if (a->rings[q] == NULL)
			return say(1, "ring %s not found", name);
		mpkni_wire_ring_name(name, sizeof(name), a->slot_id, q);
		a->wire_rings[q] = rte_ring_lookup(name);
		if (a->wire_rings[q] == NULL)
			return say(1, "ring %s not found", name);
	}
	a->primary_pidfd = (int)syscall(SYS_pidfd_open, a->sh->primary_pid, 0);
	if (a->primary_pidfd < 0)
		return say(1, "the primary (pid %d) is gone", (int)a->sh->primary_pid);
	return 0;
}

/* Waits until the slot's state is want; fails if the primary goes away. */
static int
wait_state(struct mpkni_attach *a, uint32_t want, const char *what)
{
	uint64_t deadline = now_ms() + a->opts.attach_timeout_ms;

	while (__atomic_load_n(&a->slot->state, __ATOMIC_ACQUIRE) != want) {
		if (!mpkni_attach_primary_alive(a))
			return say(1, "the primary (pid %d) exited while %s",
				   (int)a->sh->primary_pid, what);
		if (__atomic_load_n(&a->sh->stopping, __ATOMIC_ACQUIRE))
			return say(1, "the primary is stopping");
		if (now_ms() >= deadline)
			return say(1, "slot %u: timed out after %u ms %s", a->slot_id,
				   a->opts.attach_timeout_ms, what);
		sleep_ms(POLL_MS);
	}
	return 0;
}

static int
hand_over(struct mpkni_attach *a, const char *nf_name)
{
	uint32_t expected = MPKNI_SLOT_FREE;
	int rc;

	/* A previous worker of this slot may have died a moment ago: its lock
	 * is gone at once, but the primary still has to reclaim the slot. */
	rc = wait_state(a, MPKNI_SLOT_FREE, "waiting for the primary to reclaim the slot");
	if (rc != 0)
		return rc;
	a->slot->pid = getpid();
	a->slot->lcore = a->lcore;
	a->slot->attach_time = (uint64_t)time(NULL);
	snprintf(a->slot->nf_name, sizeof(a->slot->nf_name), "%s", nf_name);
	if (!__atomic_compare_exchange_n(&a->slot->state, &expected, MPKNI_SLOT_CLAIMING, 0,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return say(1, "slot %u changed state under its lock (%u): restart the primary",
			   a->slot_id, expected);
	return wait_state(a, MPKNI_SLOT_RUNNING, "waiting for the primary's hand-over");
}

int
mpkni_attach_parse(struct mpkni_attach *a, int argc, char **argv)
{
	char err[MPKNI_ERR_LEN];

	memset(a, 0, sizeof(*a));
	a->lock_fd = -1;
	a->primary_pidfd = -1;
	a->argc = argc;
	a->argv = argv;
	mpkni_worker_opts_default(&a->opts);
	if (mpkni_eal_scan(&a->scan, argc, argv, err, sizeof(err)) < 0)
		return say(2, "%s", err);
	if (a->scan.has_lcores)
		return say(2, "do not pass -l, -c, --lcores or --main-lcore: mpkni picks each "
			   "worker's lcore id so that no two processes share one; use --cpus "
			   "after -- to choose CPUs");
	if (a->scan.has_proc_type)
		return say(2, "do not pass --proc-type: a worker is always a secondary");
	if (a->scan.eal_argc < argc &&
	    mpkni_worker_opts_parse(&a->opts, argc - a->scan.eal_argc, argv + a->scan.eal_argc,
				    err, sizeof(err)) < 0)
		return say(2, "%s (see --help)", err);
	snprintf(a->prefix, sizeof(a->prefix), "%s",
		 a->scan.file_prefix != NULL ? a->scan.file_prefix : MPKNI_DEFAULT_PREFIX);
	if (mpkni_runtime_dir_self(a->runtime_dir, sizeof(a->runtime_dir), a->prefix) < 0)
		return say(2, "file prefix too long");
	return 0;
}

int
mpkni_attach(struct mpkni_attach *a, const char *nf_name)
{
	struct mpkni_runinfo ri;
	int rc;

	rc = read_runinfo(a, &ri);
	if (rc != 0)
		return rc;
	rc = claim_slot_lock(a, &ri);
	if (rc != 0)
		return rc;
	a->lcore = ri.lcore_base + a->slot_id;
	rc = start_eal(a);
	if (rc != 0)
		return rc;
	rc = find_shared(a, &ri);
	if (rc != 0)
		return rc;
	return hand_over(a, nf_name);
}

void
mpkni_detach(struct mpkni_attach *a, int primary_gone)
{
	if (a->slot != NULL &&
	    __atomic_load_n(&a->slot->state, __ATOMIC_ACQUIRE) == MPKNI_SLOT_RUNNING) {
		struct rte_mempool_cache *cache = rte_mempool_default_cache(a->pool,
									   rte_lcore_id());

		if (cache != NULL)
			rte_mempool_cache_flush(cache, a->pool);
		__atomic_store_n(&a->slot->state, MPKNI_SLOT_LEAVING, __ATOMIC_RELEASE);
	}
	if (a->primary_pidfd >= 0)
		close(a->primary_pidfd);
	/* With the primary gone the EAL's shared state may be half torn down;
	 * exiting is the only safe clean-up. */
	if (a->eal_up && !primary_gone)
		rte_eal_cleanup();
	if (a->lock_fd >= 0)
		close(a->lock_fd);
}
