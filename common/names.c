/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"

static int
fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, len, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int
mpkni_runtime_dir(char *buf, size_t len, const char *prefix, int is_root, const char *xdg)
{
	const char *base = "/var/run";

	if (!is_root)
		base = (xdg != NULL && xdg[0] != '\0') ? xdg : "/tmp";
	return fmt(buf, len, "%s/dpdk/%s", base, prefix);
}

int
mpkni_runtime_dir_self(char *buf, size_t len, const char *prefix)
{
	return mpkni_runtime_dir(buf, len, prefix, getuid() == 0, getenv("XDG_RUNTIME_DIR"));
}

int
mpkni_cli_sock_path(char *buf, size_t len, const char *runtime_dir)
{
	return fmt(buf, len, "%s/mpkni_cli.sock", runtime_dir);
}

int
mpkni_slot_lock_path(char *buf, size_t len, const char *runtime_dir, unsigned int slot)
{
	return fmt(buf, len, "%s/mpkni_slot%u.lock", runtime_dir, slot);
}

int
mpkni_ring_name(char *buf, size_t len, unsigned int slot, unsigned int port)
{
	return fmt(buf, len, "mpkni_k%u_%u", slot, port);
}

int
mpkni_wire_ring_name(char *buf, size_t len, unsigned int slot, unsigned int port)
{
	return fmt(buf, len, "mpkni_w%u_%u", slot, port);
}

int
mpkni_kni_name(char *buf, size_t len, const char *prefix, unsigned int port)
{
	return fmt(buf, len, "%s%u", prefix, port);
}

int
mpkni_prefix_valid(const char *prefix)
{
	size_t n = prefix != NULL ? strlen(prefix) : 0;
	size_t i;

	if (n == 0 || n > 64 || strcmp(prefix, ".") == 0 || strcmp(prefix, "..") == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = prefix[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return -EINVAL;
	}
	return 0;
}
