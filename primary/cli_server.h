/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The operator CLI of the primary: a libcli server on a Unix stream socket,
 * and the client side of its small protocol.
 *
 * Owner: the primary. Callers of the server functions: the primary only
 * (mpkni_cli_server_open and mpkni_cli_server_stop from its main thread,
 * mpkni_cli_server_run on a DPDK control thread, whose CPU affinity every
 * session thread inherits, so sessions never run on data-path cores). Callers
 * of the client functions: mpkni-cli and the unit tests.
 *
 * Protocol. The client connects to the socket (mode 0600, so only its owner,
 * root in production, gets in) and sends one request line:
 *
 *   "EXEC <command line>\n"  one-shot: the server runs the line with
 *                            cli_run_command() at PRIVILEGE_PRIVILEGED, sends
 *                            the output as "\n"-terminated lines, then the
 *                            trailer "\x1e<status>\n" (ASCII record separator
 *                            and libcli's decimal return code, CLI_OK = 0),
 *                            and closes. Output lines never contain control
 *                            characters, so the trailer cannot be mistaken for
 *                            output.
 *   "INTERACTIVE\n"          libcli's own line editor (cli_loop, no telnet
 *                            negotiation) takes over the connection: the
 *                            client sends raw keystrokes ("\r" ends a line)
 *                            and shows what comes back. The session starts
 *                            unprivileged; "enable" needs no password.
 *
 * Anything else gets one line starting with "error: " and the connection
 * is closed, without a trailer.
 */
#ifndef MPKNI_CLI_SERVER_H
#define MPKNI_CLI_SERVER_H

#include <stdio.h>

#define MPKNI_CLI_REQ_EXEC "EXEC "
#define MPKNI_CLI_REQ_INTERACTIVE "INTERACTIVE"
#define MPKNI_CLI_TRAILER '\x1e'
/* Longest request line, the newline included. */
#define MPKNI_CLI_REQ_MAX 4096

struct cli_def;
struct mpkni_cli_server;

/* Where the server reports its failures, one message per call, without a
 * trailing newline; to stderr unless replaced (the primary may point it at
 * the DPDK log). Set it before opening a server. */
extern void (*mpkni_cli_log)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Creates the socket at sock_path (unlinking a stale one first), mode 0600,
 * and listens. Returns 0 and *out, or a negative errno, logged once. */
int mpkni_cli_server_open(struct mpkni_cli_server **out, const char *sock_path);

/* Accepts clients until mpkni_cli_server_stop(); each one gets a detached
 * thread. Blocks; call it once, on the thread meant to own the sessions. */
void mpkni_cli_server_run(struct mpkni_cli_server *s);

/* From another thread: makes run() return (waiting for it to have been
 * entered, if its thread has not got there yet), ends every session (their
 * sockets are shut down), waits for them, removes the socket file and frees
 * s. */
void mpkni_cli_server_stop(struct mpkni_cli_server *s);

/* The same for a server whose run() will never be called. */
void mpkni_cli_server_close(struct mpkni_cli_server *s);

/* Registers every mpkni command on cli, and output filters that replace
 * libcli's include/exclude/grep/egrep (cli_cmds.c). */
void mpkni_cli_register_commands(struct cli_def *cli);

/* Client side (cli_proto.c). */

/* Connects to the server's socket. Returns the fd or a negative errno. */
int mpkni_cli_connect(const char *sock_path);

/* Writes all of buf to fd, retrying short writes; on a socket, never raises
 * SIGPIPE. 0 or a negative errno. */
int mpkni_cli_write_all(int fd, const void *buf, size_t len);

/* Runs one command line one-shot, copying its output lines to out. Returns
 * 0 with *status set to libcli's return code (CLI_OK = 0 on success), the
 * negative errno of a failed connect, or -EPROTO when the server closed
 * without a trailer (its error line, if any, went to out). */
int mpkni_cli_exec(const char *sock_path, const char *line, FILE *out, int *status);

#endif /* MPKNI_CLI_SERVER_H */
