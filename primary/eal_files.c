/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the EAL leaves on disk after rte_eal_cleanup(): the hugepage files of
 * the file prefix in every hugetlbfs mount, and the runtime directory. The
 * primary removes them at the end of a clean stop, once its workers are gone,
 * so that a stopped toolkit holds no hugepages. (A file still mapped by a
 * process that did not leave stays allocated until that process exits.)
 */
#include <dirent.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "primary.h"

static void
purge_dir(const char *dir, const char *name_prefix)
{
	size_t n = name_prefix != NULL ? strlen(name_prefix) : 0;
	char path[MPKNI_PATH_MAX * 2];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (n > 0 && strncmp(e->d_name, name_prefix, n) != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

void
mpkni_eal_files_purge(const char *prefix, const char *runtime_dir)
{
	char map_prefix[96];
	struct mntent *m;
	FILE *f;

	snprintf(map_prefix, sizeof(map_prefix), "%smap_", prefix);
	f = setmntent("/proc/mounts", "r");
	if (f != NULL) {
		while ((m = getmntent(f)) != NULL)
			if (strcmp(m->mnt_type, "hugetlbfs") == 0)
				purge_dir(m->mnt_dir, map_prefix);
		endmntent(f);
	}
	purge_dir(runtime_dir, NULL);
	rmdir(runtime_dir);
}
