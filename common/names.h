/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names and paths both process kinds (and the CLI client) derive from a DPDK
 * file prefix, a slot and a port. One place builds them so the two sides can
 * never disagree.
 *
 * Owner: nobody; pure functions. Callers: primary, workers, mpkni-cli, tests.
 * Each returns 0, or -ENAMETOOLONG when the result does not fit in len.
 */
#ifndef MPKNI_NAMES_H
#define MPKNI_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define MPKNI_DEFAULT_PREFIX "mpkni"
#define MPKNI_PATH_MAX 256

/* DPDK's runtime directory of a file prefix, by DPDK's own rule: as root
 * /var/run/dpdk/<prefix>; otherwise $XDG_RUNTIME_DIR/dpdk/<prefix>, falling
 * back to /tmp/dpdk/<prefix>. is_root and xdg are passed in to keep this pure. */
int mpkni_runtime_dir(char *buf, size_t len, const char *prefix, int is_root, const char *xdg);

/* The same, for the calling process. */
int mpkni_runtime_dir_self(char *buf, size_t len, const char *prefix);

/* Files of the runtime directory: the CLI socket, a slot's lock file. */
int mpkni_cli_sock_path(char *buf, size_t len, const char *runtime_dir);
int mpkni_slot_lock_path(char *buf, size_t len, const char *runtime_dir, unsigned int slot);

/* The rings of (slot, port): worker-to-kernel "mpkni_k<slot>_<port>" and
 * kernel-to-wire "mpkni_w<slot>_<port>". */
int mpkni_ring_name(char *buf, size_t len, unsigned int slot, unsigned int port);
int mpkni_wire_ring_name(char *buf, size_t len, unsigned int slot, unsigned int port);

/* The kernel interface name of a port: "<prefix><port>", by default
 * "vEth<port>", the name DPDK's KNI users know. */
#define MPKNI_KNI_PREFIX "vEth"
int mpkni_kni_name(char *buf, size_t len, const char *prefix, unsigned int port);

/* A file prefix is usable when it is 1..64 characters of [A-Za-z0-9_.-] and
 * not "." or "..". Returns 0 or -EINVAL. */
int mpkni_prefix_valid(const char *prefix);

#endif /* MPKNI_NAMES_H */
