/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI's figures as DPDK telemetry commands, so dpdk-telemetry.py and
 * collectors built on it read them: /mpkni/workers, /mpkni/rings, /mpkni/kni,
 * /mpkni/kni_requests, /mpkni/ports, /mpkni/mempool, /mpkni/version. Each formats the rows of the
 * query module, the single source of figures.
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "log.h"
#include "primary.h"
#include "query.h"

#define MAX_ROWS (2 * MPKNI_MAX_SLOTS * MPKNI_MAX_PORTS)

/* Adds a dict named key to d and returns it, or NULL. */
static struct rte_tel_data *
sub_dict(struct rte_tel_data *d, const char *key)
{
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	if (rte_tel_data_add_dict_container(d, key, c, 0) < 0) {
		rte_tel_data_free(c);
		return NULL;
	}
	return c;
}

static void
mac_str(char *buf, size_t len, const uint8_t *m)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mpkni_worker_row rows[MPKNI_MAX_SLOTS];
	unsigned int i, n = mpkni_query_workers(rows, RTE_DIM(rows));

	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++) {
		char key[16];
		struct rte_tel_data *c;

		snprintf(key, sizeof(key), "%u", rows[i].slot);
		c = sub_dict(d, key);
		if (c == NULL)
			return -ENOMEM;
		rte_tel_data_add_dict_int(c, "pid", rows[i].pid);
		rte_tel_data_add_dict_string(c, "state", rows[i].state);
		rte_tel_data_add_dict_u64(c, "lcore", rows[i].lcore);
		rte_tel_data_add_dict_string(c, "nf", rows[i].nf);
		rte_tel_data_add_dict_u64(c, "attaches", rows[i].attaches);
		rte_tel_data_add_dict_u64(c, "rx", rows[i].rx);
		rte_tel_data_add_dict_u64(c, "fwd", rows[i].fwd);
		rte_tel_data_add_dict_u64(c, "to_kernel", rows[i].to_kernel);
		rte_tel_data_add_dict_u64(c, "dropped", rows[i].dropped);
	}
	return 0;
}

static int
tel_rings(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mpkni_ring_row rows[MAX_ROWS];
	unsigned int i, n = mpkni_query_rings(rows, RTE_DIM(rows));

	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++) {
		struct rte_tel_data *c = sub_dict(d, rows[i].name);

		if (c == NULL)
			return -ENOMEM;
		rte_tel_data_add_dict_u64(c, "slot", rows[i].slot);
		rte_tel_data_add_dict_u64(c, "port", rows[i].port);
		rte_tel_data_add_dict_u64(c, "size", rows[i].size);
		rte_tel_data_add_dict_u64(c, "in_use", rows[i].in_use);
		rte_tel_data_add_dict_u64(c, "free", rows[i].free);
		rte_tel_data_add_dict_u64(c, "hwm", rows[i].hwm);
		rte_tel_data_add_dict_u64(c, "enqueued", rows[i].enqueued);
		rte_tel_data_add_dict_u64(c, "dequeued", rows[i].dequeued);
		rte_tel_data_add_dict_u64(c, "dropped_full", rows[i].dropped_full);
	}
	return 0;
}

static int
tel_kni(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mpkni_kni_row rows[MPKNI_MAX_PORTS];
	unsigned int i, n = mpkni_query_kni(rows, RTE_DIM(rows));

	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++) {
		struct rte_tel_data *c = sub_dict(d, rows[i].name);
		char mac[18];

		if (c == NULL)
			return -ENOMEM;
		mac_str(mac, sizeof(mac), rows[i].mac);
		rte_tel_data_add_dict_u64(c, "port", rows[i].port);
		rte_tel_data_add_dict_int(c, "ifindex", rows[i].ifindex);
		rte_tel_data_add_dict_u64(c, "mtu", rows[i].mtu);
		rte_tel_data_add_dict_string(c, "mac", mac);
		rte_tel_data_add_dict_string(c, "link", rows[i].link_up ? "up" : "down");
		rte_tel_data_add_dict_u64(c, "tx_packets", rows[i].tx_packets);
		rte_tel_data_add_dict_u64(c, "tx_octets", rows[i].tx_octets);
		rte_tel_data_add_dict_u64(c, "tx_dropped", rows[i].tx_dropped);
		rte_tel_data_add_dict_u64(c, "rx_packets", rows[i].rx_packets);
		rte_tel_data_add_dict_u64(c, "rx_octets", rows[i].rx_octets);
		rte_tel_data_add_dict_u64(c, "rx_dropped", rows[i].rx_dropped);
	}
	return 0;
}

static int
tel_kni_requests(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mpkni_kni_req_row rows[MPKNI_MAX_PORTS * MPKNI_REQ_MAX];
	unsigned int i, n = mpkni_query_kni_requests(rows, RTE_DIM(rows));

	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++) {
		char key[64];
		struct rte_tel_data *c;

		snprintf(key, sizeof(key), "%.*s/%.12s", IF_NAMESIZE, rows[i].name, rows[i].kind);
		c = sub_dict(d, key);
		if (c == NULL)
			return -ENOMEM;
		rte_tel_data_add_dict_string(c, "policy", rows[i].policy);
		rte_tel_data_add_dict_u64(c, "applied", rows[i].applied);
		rte_tel_data_add_dict_u64(c, "ignored", rows[i].ignored);
		rte_tel_data_add_dict_u64(c, "rejected", rows[i].rejected);
		rte_tel_data_add_dict_string(c, "last",
					     rows[i].last[0] != '\0' ? rows[i].last : "-");
	}
	return 0;
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mpkni_port_row rows[MPKNI_MAX_PORTS];
	unsigned int i, n = mpkni_query_ports(rows, RTE_DIM(rows));

	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++) {
		char key[16], mac[18];
		struct rte_tel_data *c;

		snprintf(key, sizeof(key), "%u", rows[i].port);
		c = sub_dict(d, key);
		if (c == NULL)
			return -ENOMEM;
		mac_str(mac, sizeof(mac), rows[i].mac);
		rte_tel_data_add_dict_string(c, "name", rows[i].name);
		rte_tel_data_add_dict_string(c, "mac", mac);
		rte_tel_data_add_dict_string(c, "link", rows[i].link_up ? "up" : "down");
		rte_tel_data_add_dict_u64(c, "mtu", rows[i].mtu);
		rte_tel_data_add_dict_u64(c, "rx", rows[i].rx);
		rte_tel_data_add_dict_u64(c, "fwd", rows[i].fwd);
		rte_tel_data_add_dict_u64(c, "to_kernel", rows[i].to_kernel);
		rte_tel_data_add_dict_u64(c, "drop_nf", rows[i].drop_nf);
		rte_tel_data_add_dict_u64(c, "drop_ring_full", rows[i].drop_ring_full);
		rte_tel_data_add_dict_u64(c, "drop_tx_full", rows[i].drop_tx_full);
		rte_tel_data_add_dict_u64(c, "lost", rows[i].lost);
		rte_tel_data_add_dict_int(c, "balanced", rows[i].balanced);
		rte_tel_data_add_dict_int(c, "promiscuous", rows[i].promisc);
		rte_tel_data_add_dict_int(c, "all_multicast", rows[i].allmulti);
	}
	return 0;
}

static int
tel_mempool(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct mpkni_mempool_row r;

	mpkni_query_mempool(&r);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", r.name);
	rte_tel_data_add_dict_u64(d, "size", r.size);
	rte_tel_data_add_dict_u64(d, "in_use", r.in_use);
	rte_tel_data_add_dict_u64(d, "avail", r.avail);
	rte_tel_data_add_dict_u64(d, "cache_size", r.cache_size);
	rte_tel_data_add_dict_u64(d, "in_caches", r.in_caches);
	return 0;
}

static int
tel_version(const char *cmd, const char *params, struct rte_tel_data *d)
{
	return rte_tel_data_string(d, mpkni_query_version());
}

int
mpkni_telemetry_register(void)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/mpkni/workers", tel_workers, "Worker slots: pid, state, lcore, counters." },
		{ "/mpkni/rings", tel_rings, "Worker-to-kernel rings: size, use, counters." },
		{ "/mpkni/kni", tel_kni, "Kernel interfaces: link, MTU, MAC, counters." },
		{ "/mpkni/kni_requests", tel_kni_requests,
		  "Kernel requests per interface and kind: policy, counts, last result." },
		{ "/mpkni/ports", tel_ports, "Ports: link, MTU, accounting per port." },
		{ "/mpkni/mempool", tel_mempool, "The mbuf pool: size, in use, available." },
		{ "/mpkni/version", tel_version, "mpkni, DPDK and shared layout versions." },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(cmds); i++) {
		int rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);

		if (rc < 0) {
			MPKNI_LOG(ERR, "cannot register telemetry command %s: %s", cmds[i].cmd,
				  strerror(-rc));
			return rc;
		}
	}
	return 0;
}
