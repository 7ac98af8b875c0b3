/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "runinfo.h"

static int
info_path(char *buf, size_t len, const char *dir, const char *suffix)
{
	int n = snprintf(buf, len, "%s/mpkni.info%s", dir, suffix);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

int
mpkni_runinfo_write(const char *runtime_dir, const struct mpkni_runinfo *ri)
{
	char tmp[MPKNI_PATH_MAX], path[MPKNI_PATH_MAX];
	FILE *f;
	int rc;

	if (info_path(tmp, sizeof(tmp), runtime_dir, ".tmp") < 0 ||
	    info_path(path, sizeof(path), runtime_dir, "") < 0)
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "layout_version=%" PRIu32 "\nprimary_pid=%" PRId32 "\n"
		"lcore_base=%" PRIu32 "\nnb_slots=%" PRIu32 "\n",
		ri->layout_version, ri->primary_pid, ri->lcore_base, ri->nb_slots);
	rc = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int
mpkni_runinfo_read(const char *runtime_dir, struct mpkni_runinfo *ri)
{
	char path[MPKNI_PATH_MAX], line[128];
	unsigned int seen = 0;
	FILE *f;

	if (info_path(path, sizeof(path), runtime_dir, "") < 0)
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (f == NULL)
		return errno == ENOENT ? -ENOENT : -errno;
	memset(ri, 0, sizeof(*ri));
	while (fgets(line, sizeof(line), f) != NULL) {
		long long v;
		char key[32];
		char end;

		if (sscanf(line, "%31[a-z_]=%lld%c", key, &v, &end) != 3 || end != '\n' ||
		    v < 0 || v > INT32_MAX)
			continue;
		if (strcmp(key, "layout_version") == 0) {
			ri->layout_version = (uint32_t)v;
			seen |= 1;
		} else if (strcmp(key, "primary_pid") == 0) {
			ri->primary_pid = (int32_t)v;
			seen |= 2;
		} else if (strcmp(key, "lcore_base") == 0) {
			ri->lcore_base = (uint32_t)v;
			seen |= 4;
		} else if (strcmp(key, "nb_slots") == 0) {
			ri->nb_slots = (uint32_t)v;
			seen |= 8;
		}
	}
	fclose(f);
	/* The layout version alone is enough to refuse a foreign primary. */
	if (!(seen & 1))
		return -EPROTO;
	return seen == 15 ? 0 : -EPROTO;
}

void
mpkni_runinfo_remove(const char *runtime_dir)
{
	char path[MPKNI_PATH_MAX];

	if (info_path(path, sizeof(path), runtime_dir, "") == 0)
		unlink(path);
}
