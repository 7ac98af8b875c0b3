/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI's commands. Each one only formats what a query.h function returns,
 * so the CLI and telemetry always show the same figures.
 *
 * Tables are one header line and one line per row, in fixed-width columns
 * separated by at least one space, numbers in plain decimal, and no cell ever
 * empty or containing blanks, so that scripts can split rows with awk.
 */
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcli.h>

#include "cli_server.h"
#include "layout.h"
#include "kni_req.h"
#include "query.h"

/* Rows per query: more than any table holds today. */
#define CLI_MAX_ROWS 64
#define NROWS(a) ((unsigned int)(sizeof(a) / sizeof((a)[0])))
#define CLI_MAX_RINGS (2 * MPKNI_MAX_SLOTS * MPKNI_MAX_PORTS)
/* Wide enough for a port's device name (63 characters) and any number. */
#define CLI_CELL 72
#define CLI_MAX_COLS 20

struct col {
	const char *title;
	int width;
	int right;               /* numbers are right-aligned */
};

struct table {
	const struct col *cols;
	unsigned int ncols;
	char cell[CLI_MAX_COLS][CLI_CELL];
};

#define L(t, w) { (t), (w), 0 }
#define R(t, w) { (t), (w), 1 }
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

static const struct col worker_cols[] = {
	R("SLOT", 4), R("PID", 8), L("STATE", 9), R("LCORE", 5), L("NF", 16),
	R("RX", 14), R("FWD", 14), R("TO-KERNEL", 14), R("DROPPED", 14), R("ATTACHES", 8),
};

static const struct col ring_cols[] = {
	L("NAME", 16), R("SIZE", 8), R("IN-USE", 8), R("FREE", 8), R("HWM", 8),
	R("ENQUEUED", 14), R("DEQUEUED", 14), R("DROP-FULL", 12),
};

static const struct col kni_cols[] = {
	L("NAME", 10), R("PORT", 4), R("IFINDEX", 7), R("MTU", 5), L("MAC", 17), L("LINK", 4),
	R("TX-PKTS", 14), R("TX-BYTES", 16), R("TX-DROP", 10),
	R("RX-PKTS", 14), R("RX-BYTES", 16), R("RX-DROP", 10),
};

static const struct col port_cols[] = {
	R("PORT", 4), L("NAME", 16), L("MAC", 17), L("LINK", 4), R("SPEED", 6), R("MTU", 5),
	R("RXQ", 3), R("TXQ", 3), R("RX", 14), R("FWD", 14), R("TO-KERNEL", 14),
	R("DROP-NF", 10), R("DROP-RING", 10), R("DROP-TX", 10), R("LOST", 6), L("BALANCED", 8),
	L("PROMISC", 7), L("ALLMULTI", 8),
};

static const struct col kni_req_cols[] = {
	L("NAME", 10), R("PORT", 4), L("KIND", 8), L("POLICY", 6), R("APPLIED", 8),
	R("IGNORED", 8), R("REJECTED", 8), L("LAST", 60),
};

static const struct col mempool_cols[] = {
	L("NAME", 16), R("SIZE", 8), R("IN-USE", 8), R("AVAIL", 8), R("CACHE", 6),
	R("IN-CACHES", 9),
};

/* Copies a text field so that it stays one awk field: blanks and control
 * characters become '_', and an empty field shows as "-". */
static void
set_text(struct table *t, unsigned int i, const char *s)
{
	size_t n;

	if (s == NULL || s[0] == '\0')
		s = "-";
	for (n = 0; s[n] != '\0' && n < CLI_CELL - 1; n++) {
		unsigned char c = (unsigned char)s[n];

		t->cell[i][n] = (c <= ' ' || c == 0x7f) ? '_' : (char)c;
	}
	t->cell[i][n] = '\0';
}

static void
set_u64(struct table *t, unsigned int i, uint64_t v)
{
	snprintf(t->cell[i], CLI_CELL, "%" PRIu64, v);
}

static void
set_mac(struct table *t, unsigned int i, const uint8_t mac[6])
{
	snprintf(t->cell[i], CLI_CELL, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void
print_cells(struct cli_def *cli, const struct table *t, int header)
{
	char line[CLI_MAX_COLS * (CLI_CELL + 1) + 1];
	size_t pos = 0;
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		const struct col *c = &t->cols[i];
		const char *text = header ? c->title : t->cell[i];
		int last = i + 1 == t->ncols;
		int n;

		/* The last column is not padded, so lines carry no trailing
		 * blanks. */
		n = snprintf(line + pos, sizeof(line) - pos, "%s%*s",
			     i > 0 ? " " : "",
			     c->right ? c->width : (last ? 0 : -c->width), text);
		if (n < 0 || (size_t)n >= sizeof(line) - pos)
			break;
		pos += (size_t)n;
	}
	cli_print(cli, "%s", line);
}

static void
table_init(struct table *t, const struct col *cols, unsigned int ncols)
{
	t->cols = cols;
	t->ncols = ncols;
}

/* The show commands take no arguments; refuse stray words rather than
 * silently ignoring what may be a typo'd filter. */
static int
no_args(struct cli_def *cli, const char *command, int argc, char **argv)
{
	if (argc == 0)
		return 0;
	cli_error(cli, "%% \"%s\" takes no arguments (unexpected \"%s\")", command, argv[0]);
	return -1;
}

static int
cmd_show_version(struct cli_def *cli, const char *command, char **argv, int argc)
{
	const char *v;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	v = mpkni_query_version();
	cli_print(cli, "%s", v != NULL ? v : "unknown");
	return CLI_OK;
}

static int
cmd_show_workers(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct mpkni_worker_row rows[CLI_MAX_ROWS];
	struct table t;
	unsigned int n;
	unsigned int i;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	n = mpkni_query_workers(rows, CLI_MAX_ROWS);
	table_init(&t, worker_cols, NCOLS(worker_cols));
	print_cells(cli, &t, 1);
	for (i = 0; i < n && i < CLI_MAX_ROWS; i++) {
		const struct mpkni_worker_row *r = &rows[i];

		set_u64(&t, 0, r->slot);
		if (r->pid > 0)
			set_u64(&t, 1, (uint64_t)r->pid);
		else
			set_text(&t, 1, "-");
		set_text(&t, 2, r->state);
		set_u64(&t, 3, r->lcore);
		set_text(&t, 4, r->nf);
		set_u64(&t, 5, r->rx);
		set_u64(&t, 6, r->fwd);
		set_u64(&t, 7, r->to_kernel);
		set_u64(&t, 8, r->dropped);
		set_u64(&t, 9, r->attaches);
		print_cells(cli, &t, 0);
	}
	return CLI_OK;
}

static int
cmd_show_rings(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct mpkni_ring_row rows[CLI_MAX_RINGS];
	struct table t;
	unsigned int n;
	unsigned int i;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	n = mpkni_query_rings(rows, CLI_MAX_RINGS);
	table_init(&t, ring_cols, NCOLS(ring_cols));
	print_cells(cli, &t, 1);
	for (i = 0; i < n && i < CLI_MAX_RINGS; i++) {
		const struct mpkni_ring_row *r = &rows[i];

		set_text(&t, 0, r->name);
		set_u64(&t, 1, r->size);
		set_u64(&t, 2, r->in_use);
		set_u64(&t, 3, r->free);
		set_u64(&t, 4, r->hwm);
		set_u64(&t, 5, r->enqueued);
		set_u64(&t, 6, r->dequeued);
		set_u64(&t, 7, r->dropped_full);
		print_cells(cli, &t, 0);
	}
	return CLI_OK;
}

static int
cmd_show_kni(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct mpkni_kni_row rows[CLI_MAX_ROWS];
	struct table t;
	unsigned int n;
	unsigned int i;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	n = mpkni_query_kni(rows, CLI_MAX_ROWS);
	table_init(&t, kni_cols, NCOLS(kni_cols));
	print_cells(cli, &t, 1);
	for (i = 0; i < n && i < CLI_MAX_ROWS; i++) {
		const struct mpkni_kni_row *r = &rows[i];
		char name[IF_NAMESIZE + 1];

		/* The query fills a fixed array; never trust a terminator. */
		memcpy(name, r->name, IF_NAMESIZE);
		name[IF_NAMESIZE] = '\0';
		set_text(&t, 0, name);
		set_u64(&t, 1, r->port);
		if (r->ifindex > 0)
			set_u64(&t, 2, (uint64_t)r->ifindex);
		else
			set_text(&t, 2, "-");
		set_u64(&t, 3, r->mtu);
		set_mac(&t, 4, r->mac);
		set_text(&t, 5, r->link_up ? "up" : "down");
		set_u64(&t, 6, r->tx_packets);
		set_u64(&t, 7, r->tx_octets);
		set_u64(&t, 8, r->tx_dropped);
		set_u64(&t, 9, r->rx_packets);
		set_u64(&t, 10, r->rx_octets);
		set_u64(&t, 11, r->rx_dropped);
		print_cells(cli, &t, 0);
	}
	return CLI_OK;
}

/* One row per (interface, request kind); LAST is the kind's latest request
 * and what became of it, e.g. "mtu_9000_rejected:_port_refused:_...". */
static int
cmd_show_kni_requests(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct mpkni_kni_req_row rows[MPKNI_MAX_PORTS * MPKNI_REQ_MAX];
	struct table t;
	unsigned int n, i;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	n = mpkni_query_kni_requests(rows, NROWS(rows));
	table_init(&t, kni_req_cols, NCOLS(kni_req_cols));
	print_cells(cli, &t, 1);
	for (i = 0; i < n; i++) {
		const struct mpkni_kni_req_row *r = &rows[i];

		set_text(&t, 0, r->name);
		set_u64(&t, 1, r->port);
		set_text(&t, 2, r->kind);
		set_text(&t, 3, r->policy);
		set_u64(&t, 4, r->applied);
		set_u64(&t, 5, r->ignored);
		set_u64(&t, 6, r->rejected);
		set_text(&t, 7, r->last);
		print_cells(cli, &t, 0);
	}
	return CLI_OK;
}

static int
cmd_show_ports(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct mpkni_port_row rows[CLI_MAX_ROWS];
	struct table t;
	unsigned int n;
	unsigned int i;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	n = mpkni_query_ports(rows, CLI_MAX_ROWS);
	table_init(&t, port_cols, NCOLS(port_cols));
	print_cells(cli, &t, 1);
	for (i = 0; i < n && i < CLI_MAX_ROWS; i++) {
		const struct mpkni_port_row *r = &rows[i];
		char name[sizeof(r->name) + 1];

		memcpy(name, r->name, sizeof(r->name));
		name[sizeof(r->name)] = '\0';
		set_u64(&t, 0, r->port);
		set_text(&t, 1, name);
		set_mac(&t, 2, r->mac);
		set_text(&t, 3, r->link_up ? "up" : "down");
		set_u64(&t, 4, r->speed_mbps);
		set_u64(&t, 5, r->mtu);
		set_u64(&t, 6, r->nb_rxq);
		set_u64(&t, 7, r->nb_txq);
		set_u64(&t, 8, r->rx);
		set_u64(&t, 9, r->fwd);
		set_u64(&t, 10, r->to_kernel);
		set_u64(&t, 11, r->drop_nf);
		set_u64(&t, 12, r->drop_ring_full);
		set_u64(&t, 13, r->drop_tx_full);
		set_u64(&t, 14, r->lost);
		set_text(&t, 15, r->balanced ? "yes" : "no");
		set_text(&t, 16, r->promisc ? "on" : "off");
		set_text(&t, 17, r->allmulti ? "on" : "off");
		print_cells(cli, &t, 0);
	}
	return CLI_OK;
}

static int
cmd_show_mempool(struct cli_def *cli, const char *command, char **argv, int argc)
{
	struct mpkni_mempool_row row;
	struct table t;
	char name[sizeof(row.name) + 1];
	int ret;

	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	memset(&row, 0, sizeof(row));
	ret = mpkni_query_mempool(&row);
	if (ret < 0) {
		cli_error(cli, "%% mempool unavailable: %s", strerror(-ret));
		return CLI_ERROR;
	}
	memcpy(name, row.name, sizeof(row.name));
	name[sizeof(row.name)] = '\0';
	table_init(&t, mempool_cols, NCOLS(mempool_cols));
	print_cells(cli, &t, 1);
	set_text(&t, 0, name);
	set_u64(&t, 1, row.size);
	set_u64(&t, 2, row.in_use);
	set_u64(&t, 3, row.avail);
	set_u64(&t, 4, row.cache_size);
	set_u64(&t, 5, row.in_caches);
	print_cells(cli, &t, 0);
	return CLI_OK;
}

static int
cmd_clear_counters(struct cli_def *cli, const char *command, char **argv, int argc)
{
	if (no_args(cli, command, argc, argv) < 0)
		return CLI_ERROR;
	mpkni_query_clear();
	cli_print(cli, "counters cleared");
	return CLI_OK;
}

/*
 * libcli 1.10's "include", "exclude", "grep" and "egrep" filters decide what
 * to do by comparing the typed word with their full name: an abbreviation
 * ("| inc x", which libcli accepts) falls through to a half-initialised
 * regex and filters on garbage, and leaks it. These replacements know their
 * kind from the entry that registered them, so any accepted prefix works.
 */
struct match_state {
	int regex;
	int invert;
	char *text;              /* substring filters */
	regex_t re;              /* regex filters */
};

static int
match_filter(struct cli_def *cli, const char *string, void *data)
{
	struct match_state *st = data;
	int hit;

	(void)cli;
	if (string == NULL) {
		/* libcli's teardown call */
		if (st->regex)
			regfree(&st->re);
		free(st->text);
		free(st);
		return CLI_OK;
	}
	if (st->regex)
		hit = regexec(&st->re, string, 0, NULL, 0) == 0;
	else
		hit = strstr(string, st->text) != NULL;
	return hit != st->invert ? CLI_OK : CLI_ERROR;
}

static int
match_init(struct cli_def *cli, struct cli_filter *filt, int regex, int cflags, int invert)
{
	const char *pattern = cli_get_optarg_value(cli, "search_pattern", NULL);
	const char *flags = cli_get_optarg_value(cli, "search_flags", NULL);
	struct match_state *st;
	int ret;

	if (pattern == NULL) {
		cli_error(cli, "%% missing search pattern");
		return CLI_ERROR;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return CLI_ERROR;
	st->regex = regex;
	st->invert = invert;
	for (; flags != NULL && *flags != '\0'; flags++) {
		if (*flags == 'v')
			st->invert = !st->invert;
		else if (*flags == 'i')
			cflags |= REG_ICASE;
	}
	if (regex) {
		ret = regcomp(&st->re, pattern, cflags | REG_NOSUB);
		if (ret != 0) {
			char msg[128];

			regerror(ret, &st->re, msg, sizeof(msg));
			cli_error(cli, "%% invalid pattern \"%s\": %s", pattern, msg);
			free(st);
			return CLI_ERROR;
		}
	} else {
		st->text = strdup(pattern);
		if (st->text == NULL) {
			free(st);
			return CLI_ERROR;
		}
	}
	/* Only now: libcli tears down (with a NULL string) what has a filter. */
	filt->filter = match_filter;
	filt->data = st;
	return CLI_OK;
}

static int
init_include(struct cli_def *cli, int argc, char **argv, struct cli_filter *filt)
{
	(void)argc;
	(void)argv;
	return match_init(cli, filt, 0, 0, 0);
}

static int
init_exclude(struct cli_def *cli, int argc, char **argv, struct cli_filter *filt)
{
	(void)argc;
	(void)argv;
	return match_init(cli, filt, 0, 0, 1);
}

static int
init_grep(struct cli_def *cli, int argc, char **argv, struct cli_filter *filt)
{
	(void)argc;
	(void)argv;
	return match_init(cli, filt, 1, 0, 0);
}

static int
init_egrep(struct cli_def *cli, int argc, char **argv, struct cli_filter *filt)
{
	(void)argc;
	(void)argv;
	return match_init(cli, filt, 1, REG_EXTENDED, 0);
}

/* "-" followed by any of v (invert), i (ignore case), e (pattern follows). */
static int
grep_flags_valid(struct cli_def *cli, const char *name, const char *value)
{
	(void)cli;
	(void)name;
	if (value == NULL || value[0] != '-' || value[1] == '\0')
		return CLI_ERROR;
	return strspn(value + 1, "vie") == strlen(value + 1) ? CLI_OK : CLI_ERROR;
}

struct filter_spec {
	const char *name;
	int (*init)(struct cli_def *, int, char **, struct cli_filter *);
	int has_flags;
	const char *help;
};

static const struct filter_spec filter_table[] = {
	{ "include", init_include, 0, "Include lines that contain the text" },
	{ "exclude", init_exclude, 0, "Exclude lines that contain the text" },
	{ "grep", init_grep, 1, "Include lines that match a regex (flags: -v, -i, -e)" },
	{ "egrep", init_egrep, 1, "Include lines that match an extended regex (flags: -v, -i, -e)" },
};

static void
register_filters(struct cli_def *cli)
{
	unsigned int i;

	for (i = 0; i < sizeof(filter_table) / sizeof(filter_table[0]); i++) {
		const struct filter_spec *f = &filter_table[i];
		struct cli_command *c;

		cli_unregister_filter(cli, f->name);
		c = cli_register_filter(cli, f->name, f->init, match_filter,
					PRIVILEGE_UNPRIVILEGED, MODE_ANY, f->help);
		if (c == NULL)
			continue;
		if (f->has_flags)
			cli_register_optarg(c, "search_flags", CLI_CMD_HYPHENATED_OPTION,
					    PRIVILEGE_UNPRIVILEGED, MODE_ANY,
					    "Search flags (-[vie])", NULL, grep_flags_valid, NULL);
		cli_register_optarg(c, "search_pattern",
				    CLI_CMD_ARGUMENT | CLI_CMD_REMAINDER_OF_LINE,
				    PRIVILEGE_UNPRIVILEGED, MODE_ANY, "Search pattern",
				    NULL, NULL, NULL);
	}
}

typedef int (*cmd_fn)(struct cli_def *, const char *, char **, int);

struct cmd_spec {
	int parent;              /* index of the parent entry, -1 at the top */
	const char *name;
	cmd_fn fn;               /* NULL for a word that only groups others */
	int privilege;
	const char *help;
};

/* Parents come before their children. */
static const struct cmd_spec cmd_table[] = {
	/* 0 */ { -1, "show", NULL, PRIVILEGE_UNPRIVILEGED, "Show state and counters" },
	{ 0, "version", cmd_show_version, PRIVILEGE_UNPRIVILEGED,
	  "mpkni and DPDK versions, shared-memory layout" },
	{ 0, "workers", cmd_show_workers, PRIVILEGE_UNPRIVILEGED,
	  "Worker slots: pid, state, lcore, network function, packet counters" },
	{ 0, "rings", cmd_show_rings, PRIVILEGE_UNPRIVILEGED,
	  "Rings: mpkni_k* worker to kernel, mpkni_w* kernel to wire; use, high-water mark, drops" },
	/* 4 */ { 0, "kni", cmd_show_kni, PRIVILEGE_UNPRIVILEGED,
	  "Kernel interfaces; TX = toward the kernel, RX = from the kernel" },
	{ 4, "requests", cmd_show_kni_requests, PRIVILEGE_UNPRIVILEGED,
	  "Kernel requests (mtu, mac, link, promisc, allmulti) per interface: policy, counts, last" },
	{ 0, "ports", cmd_show_ports, PRIVILEGE_UNPRIVILEGED,
	  "Ethernet ports: link, queues, where received packets went, balance check" },
	{ 0, "mempool", cmd_show_mempool, PRIVILEGE_UNPRIVILEGED,
	  "Packet buffer pool: size, in use, available, held in lcore caches" },
	/* 8 */ { -1, "clear", NULL, PRIVILEGE_PRIVILEGED, "Reset figures" },
	{ 8, "counters", cmd_clear_counters, PRIVILEGE_PRIVILEGED,
	  "Start every counter from zero again (a view: nothing is written)" },
};

#define CMD_COUNT (sizeof(cmd_table) / sizeof(cmd_table[0]))

void
mpkni_cli_register_commands(struct cli_def *cli)
{
	struct cli_command *reg[CMD_COUNT];
	unsigned int i;

	for (i = 0; i < CMD_COUNT; i++) {
		const struct cmd_spec *c = &cmd_table[i];
		struct cli_command *parent = c->parent >= 0 ? reg[c->parent] : NULL;

		reg[i] = NULL;
		/* A child whose parent failed to register would land at the
		 * top level under a misleading name: skip it. */
		if (c->parent >= 0 && parent == NULL)
			continue;
		reg[i] = cli_register_command(cli, parent, c->name, c->fn, c->privilege,
					      MODE_EXEC, c->help);
	}
	register_filters(cli);
}
