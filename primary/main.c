/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpkni-primary [EAL options] -- [options]
 *
 * Start-up in order, teardown in reverse: EAL, mbuf pool, shared state
 * (memzone, rings, slot locks), ports, kernel interfaces, rtnetlink watcher,
 * CLI, telemetry, and last the "ready" publication that lets workers attach.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>

#include "args.h"
#include "cli_server.h"
#include "log.h"
#include "primary.h"

#define POOL_CACHE 256
#define NB_DESC_BUDGET 1024 /* rx + tx descriptors per queue pair */
#define MAX_EAL_ARGS 128

static struct mpkni_primary primary;

static void
on_signal(int sig)
{
	(void)sig;
	primary.quit = 1;
}

static void
usage(void)
{
	printf("usage: mpkni-primary [EAL options] -- [options]\n"
	       "  --workers N        worker slots, 1..%d (default 2)\n"
	       "  --ring-size N      worker-to-kernel ring size, power of two (default 1024)\n"
	       "  --mbufs N          mbuf pool size (default: computed)\n"
	       "  --idle-us N        sleep when idle, microseconds; 0 busy-polls (default 0)\n"
	       "  --orphan POLICY    queues without a worker: kernel or drop (default kernel)\n"
	       "  --kni-prefix NAME  kernel interfaces are NAME<port> (default vEth)\n"
	       "EAL defaults added unless given: --file-prefix %s -l 0 --no-pci\n"
	       "Ports come from the EAL, e.g. --vdev net_tap0,iface=wire0\n",
	       MPKNI_MAX_SLOTS, MPKNI_DEFAULT_PREFIX);
}

static unsigned long
free_hugepages(void)
{
	unsigned long n = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Free: %lu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* A live primary holds a lock on its prefix's config file. */
static int
primary_running(const char *prefix)
{
	char dir[MPKNI_PATH_MAX], path[MPKNI_PATH_MAX + 8];

	if (mpkni_runtime_dir_self(dir, sizeof(dir), prefix) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/config", dir);
	return rte_eal_primary_proc_alive(path);
}

/* The EAL arguments with the toolkit's defaults added where the user gave none. */
static int
build_eal_args(int argc, char **argv, const struct mpkni_eal_scan *scan, char **out)
{
	int n = 0, i;

	if (scan->eal_argc + 6 > MAX_EAL_ARGS)
		return -E2BIG;
	for (i = 0; i < scan->eal_argc; i++)
		out[n++] = argv[i];
	if (scan->file_prefix == NULL)
		out[n++] = (char *)"--file-prefix=" MPKNI_DEFAULT_PREFIX;
	if (!scan->has_lcores)
		out[n++] = (char *)"-l0";
	if (!scan->has_proc_type)
		out[n++] = (char *)"--proc-type=primary";
	if (!scan->has_dev_selection)
		out[n++] = (char *)"--no-pci";
	out[n] = NULL;
	return n;
}

static unsigned int
pool_size(const struct mpkni_primary *p)
{
	unsigned int per_port = (p->nb_slots + 1u) * NB_DESC_BUDGET +
				p->nb_slots * p->opts.ring_size + 2 * MPKNI_BURST;
	unsigned int n = p->nb_ports * per_port +
			 (p->sh->lcore_base + p->nb_slots) * POOL_CACHE * 3 / 2;

	return RTE_MAX(n, 8191u);
}

static void *
cli_thread(void *arg)
{
	mpkni_cli_server_run(arg);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct mpkni_primary *p = &primary;
	struct mpkni_cli_server *cli = NULL;
	struct mpkni_eal_scan scan;
	char *eal_argv[MAX_EAL_ARGS];
	char err[MPKNI_ERR_LEN], sock[MPKNI_PATH_MAX];
	pthread_t cli_tid;
	int eal_argc, used, rc, exit_code = EXIT_FAILURE;
	unsigned int nb_mbufs;

	if (mpkni_eal_scan(&scan, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "mpkni-primary: %s\n", err);
		return 2;
	}
	mpkni_primary_opts_default(&p->opts);
	if (scan.eal_argc < argc) {
		rc = mpkni_primary_opts_parse(&p->opts, argc - scan.eal_argc,
					      argv + scan.eal_argc, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "mpkni-primary: %s (see --help)\n", err);
			return 2;
		}
	}
	if (p->opts.help) {
		usage();
		return 0;
	}
	if (free_hugepages() == 0) {
		fprintf(stderr, "mpkni-primary: no free hugepages; reserve some first: "
			"echo 512 > /proc/sys/vm/nr_hugepages (and mount hugetlbfs on /dev/hugepages)\n");
		return EXIT_FAILURE;
	}
	eal_argc = build_eal_args(argc, argv, &scan, eal_argv);
	if (eal_argc < 0) {
		fprintf(stderr, "mpkni-primary: too many EAL arguments\n");
		return 2;
	}
	snprintf(p->prefix, sizeof(p->prefix), "%s",
		 scan.file_prefix != NULL ? scan.file_prefix : MPKNI_DEFAULT_PREFIX);
	if (primary_running(p->prefix)) {
		fprintf(stderr, "mpkni-primary: a primary is already running with file prefix "
			"'%s'; stop it or pick another --file-prefix\n", p->prefix);
		return EXIT_FAILURE;
	}

	used = rte_eal_init(eal_argc, eal_argv);
	if (used < 0) {
		fprintf(stderr, "mpkni-primary: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		fprintf(stderr, "mpkni-primary: must run as the DPDK primary process\n");
		goto out_eal;
	}
	snprintf(p->runtime_dir, sizeof(p->runtime_dir), "%s", rte_eal_get_runtime_dir());

	p->nb_slots = p->opts.workers;
	p->nb_ports = rte_eth_dev_count_avail();
	if (p->nb_ports == 0 || p->nb_ports > MPKNI_MAX_PORTS) {
		fprintf(stderr, "mpkni-primary: %u ports; need 1..%d (give them to the EAL, "
			"e.g. --vdev net_tap0,iface=wire0)\n", p->nb_ports, MPKNI_MAX_PORTS);
		goto out_eal;
	}

	rc = mpkni_state_create(p);
	if (rc < 0)
		goto out_state;
	nb_mbufs = p->opts.nb_mbufs != 0 ? p->opts.nb_mbufs : pool_size(p);
	p->pool = rte_pktmbuf_pool_create(MPKNI_POOL_NAME, nb_mbufs, POOL_CACHE, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (p->pool == NULL) {
		MPKNI_LOG(ERR, "cannot create mbuf pool of %u: %s", nb_mbufs,
			  rte_strerror(rte_errno));
		goto out_state;
	}
	rc = mpkni_ports_start(p);
	if (rc < 0)
		goto out_pool;
	rc = mpkni_kni_setup(p);
	if (rc < 0)
		goto out_ports;
	rc = mpkni_rtnl_watch_start(p);
	if (rc < 0)
		goto out_kni;
	mpkni_query_bind(p);
	if (mpkni_cli_sock_path(sock, sizeof(sock), p->runtime_dir) < 0 ||
	    mpkni_cli_server_open(&cli, sock) < 0)
		goto out_rtnl;
	rc = rte_ctrl_thread_create(&cli_tid, "mpkni-cli", NULL, cli_thread, cli);
	if (rc != 0) {
		MPKNI_LOG(ERR, "cannot start the CLI thread: %s", strerror(rc));
		goto out_cli_open;
	}
	rc = mpkni_telemetry_register();
	if (rc < 0)
		goto out_cli;
	rc = rte_pdump_init();
	if (rc < 0)
		MPKNI_LOG(WARNING, "packet capture (dpdk-dumpcap) unavailable: %s",
			  rte_strerror(rte_errno));

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (mpkni_state_publish(p) < 0)
		goto out_pdump;
	MPKNI_LOG(INFO, "ready: prefix %s, %u ports, %u worker slots (lcores %u..%u), "
		  "%u mbufs, CLI %s", p->prefix, p->nb_ports, p->nb_slots, p->sh->lcore_base,
		  p->sh->lcore_base + p->nb_slots - 1, nb_mbufs, sock);

	mpkni_service_run(p);

	MPKNI_LOG(INFO, "stopping");
	mpkni_slots_shutdown(p, 3000);
	exit_code = EXIT_SUCCESS;
out_pdump:
	rte_pdump_uninit();
out_cli:
	mpkni_cli_server_stop(cli);
	pthread_join(cli_tid, NULL);
	cli = NULL;
out_cli_open:
	mpkni_cli_server_close(cli);
out_rtnl:
	mpkni_rtnl_watch_stop();
out_kni:
	mpkni_kni_teardown(p);
out_ports:
	mpkni_ports_stop(p);
out_pool:
	rte_mempool_free(p->pool);
out_state:
	mpkni_state_destroy(p);
out_eal:
	rte_eal_cleanup();
	if (p->runtime_dir[0] != '\0')
		mpkni_eal_files_purge(p->prefix, p->runtime_dir);
	return exit_code;
}
