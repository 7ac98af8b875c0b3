/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "names.h"

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int
mpkni_parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int
copy_str(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -EINVAL;
	strcpy(dst, src);
	return 0;
}

void
mpkni_primary_opts_default(struct mpkni_primary_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->workers = 2;
	o->ring_size = 1024;
	o->orphan_policy = MPKNI_ORPHAN_KERNEL;
	strcpy(o->kni_prefix, MPKNI_KNI_PREFIX);
}

static int
valid_ifname_prefix(const char *p)
{
	size_t i, n = strlen(p);

	/* Room for a port number up to 99 within IFNAMSIZ (16, with its NUL). */
	if (n == 0 || n > 11)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] == '/' || p[i] == ':' || p[i] <= ' ' || p[i] > '~')
			return 0;
	return 1;
}

int
mpkni_primary_opts_parse(struct mpkni_primary_opts *o, int argc, char **argv,
			 char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "workers", required_argument, NULL, 'w' },
		{ "ring-size", required_argument, NULL, 'r' },
		{ "mbufs", required_argument, NULL, 'm' },
		{ "idle-us", required_argument, NULL, 'i' },
		{ "orphan", required_argument, NULL, 'o' },
		{ "kni-prefix", required_argument, NULL, 'k' },
		{ "kni-policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (mpkni_parse_uint(optarg, 1, MPKNI_MAX_SLOTS, &o->workers) < 0)
				return fail(err, errlen, "--workers must be 1..%d, not '%s'",
					    MPKNI_MAX_SLOTS, optarg);
			break;
		case 'r':
			if (mpkni_parse_uint(optarg, 64, 65536, &v) < 0 || (v & (v - 1)) != 0)
				return fail(err, errlen,
					    "--ring-size must be a power of two in 64..65536, not '%s'",
					    optarg);
			o->ring_size = v;
			break;
		case 'm':
			if (mpkni_parse_uint(optarg, 1024, 16u << 20, &o->nb_mbufs) < 0)
				return fail(err, errlen, "--mbufs must be 1024..16777216, not '%s'",
					    optarg);
			break;
		case 'i':
			if (mpkni_parse_uint(optarg, 0, 1000000, &o->idle_us) < 0)
				return fail(err, errlen, "--idle-us must be 0..1000000, not '%s'",
					    optarg);
			break;
		case 'o':
			if (strcmp(optarg, "kernel") == 0)
				o->orphan_policy = MPKNI_ORPHAN_KERNEL;
			else if (strcmp(optarg, "drop") == 0)
				o->orphan_policy = MPKNI_ORPHAN_DROP;
			else
				return fail(err, errlen, "--orphan must be 'kernel' or 'drop', not '%s'",
					    optarg);
			break;
		case 'k':
			if (!valid_ifname_prefix(optarg) ||
			    copy_str(o->kni_prefix, sizeof(o->kni_prefix), optarg) < 0)
				return fail(err, errlen,
					    "--kni-prefix must be 1..11 printable characters without '/', ':' or spaces, not '%s'",
					    optarg);
			break;
		case 'p':
			if (mpkni_req_policy_parse(optarg, o->kni_policy, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'h':
			o->help = 1;
			break;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind]);
	return 0;
}

void
mpkni_worker_opts_default(struct mpkni_worker_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->slot = -1;
	o->attach_timeout_ms = 5000;
}

static int
valid_cpu_list(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == ',' || s[i] == '-'))
			return 0;
	return 1;
}

int
mpkni_worker_opts_parse(struct mpkni_worker_opts *o, int argc, char **argv,
			char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "slot", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "idle-us", required_argument, NULL, 'i' },
		{ "attach-timeout-ms", required_argument, NULL, 't' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (mpkni_parse_uint(optarg, 0, MPKNI_MAX_SLOTS - 1, &v) < 0)
				return fail(err, errlen, "--slot must be 0..%d, not '%s'",
					    MPKNI_MAX_SLOTS - 1, optarg);
			o->slot = (int)v;
			break;
		case 'm':
			if (copy_str(o->mode, sizeof(o->mode), optarg) < 0 || optarg[0] == '\0')
				return fail(err, errlen, "--mode: bad value '%s'", optarg);
			break;
		case 'i':
			if (mpkni_parse_uint(optarg, 0, 1000000, &o->idle_us) < 0)
				return fail(err, errlen, "--idle-us must be 0..1000000, not '%s'",
					    optarg);
			break;
		case 't':
			if (mpkni_parse_uint(optarg, 1, 600000, &o->attach_timeout_ms) < 0)
				return fail(err, errlen,
					    "--attach-timeout-ms must be 1..600000, not '%s'", optarg);
			break;
		case 'c':
			if (!valid_cpu_list(optarg) ||
			    copy_str(o->cpus, sizeof(o->cpus), optarg) < 0)
				return fail(err, errlen, "--cpus must be a CPU list like 1 or 0-1,3, not '%s'",
					    optarg);
			break;
		case 'h':
			o->help = 1;
			break;
		case ':':
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int
is_opt(const char *arg, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n] == '\0') {
		*value = NULL;
		return 1;
	}
	return 0;
}

int
mpkni_eal_scan(struct mpkni_eal_scan *s, int argc, char **argv, char *err, size_t errlen)
{
	const char *val;
	int i;

	memset(s, 0, sizeof(*s));
	s->eal_argc = argc;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			s->eal_argc = i;
			break;
		}
		if (is_opt(a, "--file-prefix", &val)) {
			if (val == NULL) {
				if (i + 1 >= argc)
					return fail(err, errlen, "--file-prefix needs a value");
				val = argv[++i];
			}
			if (mpkni_prefix_valid(val) < 0)
				return fail(err, errlen,
					    "bad --file-prefix '%s': use 1..64 of A-Z a-z 0-9 _ . -",
					    val);
			s->file_prefix = val;
		} else if (strcmp(a, "-l") == 0 || strcmp(a, "-c") == 0 ||
			   strncmp(a, "-l", 2) == 0 || strncmp(a, "-c", 2) == 0 ||
			   is_opt(a, "--lcores", &val) || is_opt(a, "--main-lcore", &val)) {
			s->has_lcores = 1;
		} else if (is_opt(a, "--proc-type", &val)) {
			s->has_proc_type = 1;
		} else if (strcmp(a, "-a") == 0 || strcmp(a, "-b") == 0 ||
			   strncmp(a, "-a", 2) == 0 || strncmp(a, "-b", 2) == 0 ||
			   is_opt(a, "--allow", &val) || is_opt(a, "--block", &val) ||
			   strcmp(a, "--no-pci") == 0) {
			s->has_dev_selection = 1;
		}
	}
	return 0;
}
