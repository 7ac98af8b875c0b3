/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the EAL leaves on disk: after the primary's rte_eal_cleanup(), the
 * hugepage files of the file prefix in every hugetlbfs mount and the runtime
 * directory, which the primary removes at the end of a clean stop so that a
 * stopped toolkit holds no hugepages (a file still mapped by a process that
 * did not leave stays allocated until that process exits); and the files a
 * killed worker leaves, removed when its slot is reclaimed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
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

/* 1 when nobody holds the lock of an EAL fbarray file: its owner is gone. */
static int
fbarray_unused(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), unused;

	if (fd < 0)
		return 0;
	unused = flock(fd, LOCK_EX | LOCK_NB) == 0;
	close(fd);
	return unused;
}

/* 1 when nobody listens on an EAL IPC socket any more (as the EAL decides
 * when a message to a secondary is refused). */
static int
socket_dead(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, dead;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	dead = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == ECONNREFUSED;
	close(fd);
	return dead;
}

/*
 * A worker that did not run rte_eal_cleanup() (killed, crashed) leaves its
 * own EAL files in the runtime directory: its private copies of the memseg
 * lists, "fbarray_<list>_<pid>" (about 400 KB of tmpfs each, one per list),
 * and its IPC socket "mp_socket_<pid>_<tsc>". The EAL removes them only when
 * a new primary starts, so every crash would cost the machine ~1.6 MB until
 * then. Only files of that pid whose lock is free or whose socket refuses
 * are removed: a live process's files are never touched.
 */
void
mpkni_eal_files_purge_pid(const char *runtime_dir, int pid)
{
	char suffix[24], sock_prefix[40], path[MPKNI_PATH_MAX + 256];
	size_t slen, plen, nlen;
	struct dirent *e;
	DIR *d;

	if (pid <= 0)
		return;
	snprintf(suffix, sizeof(suffix), "_%d", pid);
	snprintf(sock_prefix, sizeof(sock_prefix), "mp_socket_%d_", pid);
	slen = strlen(suffix);
	plen = strlen(sock_prefix);
	d = opendir(runtime_dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		nlen = strlen(e->d_name);
		if (snprintf(path, sizeof(path), "%s/%s", runtime_dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		if (strncmp(e->d_name, "fbarray_", 8) == 0 && nlen > slen &&
		    strcmp(e->d_name + nlen - slen, suffix) == 0) {
			if (fbarray_unused(path) && unlink(path) == 0)
				MPKNI_LOG(DEBUG, "removed %s of dead worker pid %d", e->d_name,
					  pid);
		} else if (strncmp(e->d_name, sock_prefix, plen) == 0) {
			if (socket_dead(path) && unlink(path) == 0)
				MPKNI_LOG(DEBUG, "removed %s of dead worker pid %d", e->d_name,
					  pid);
		}
	}
	closedir(d);
}
