/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpkni-cli: talks to the CLI of the mpkni primary serving a DPDK file prefix.
 *
 *   mpkni-cli [--file-prefix P] COMMAND WORDS...   one command, then exit:
 *       0 when it succeeded, 1 when it failed or is unknown, 2 when no
 *       primary answers or the arguments are wrong
 *   mpkni-cli [--file-prefix P]                    an interactive session
 *
 * It needs no DPDK: the socket path comes from names.c, the protocol from
 * cli_proto.c (see cli_server.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "cli_server.h"
#include "names.h"

#define EXIT_CMD_FAILED 1
#define EXIT_NO_SERVER 2
#define EXIT_USAGE 2

static struct termios saved_tty;
static volatile sig_atomic_t tty_raw;

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: mpkni-cli [--file-prefix PREFIX] [COMMAND WORDS...]\n"
		"\n"
		"Runs COMMAND on the mpkni primary serving PREFIX (default '%s') and\n"
		"prints its output; without a command, opens an interactive session\n"
		"('help' lists commands, 'enable' allows privileged ones, 'exit' leaves).\n"
		"\n"
		"Options:\n"
		"  --file-prefix PREFIX  the primary's DPDK --file-prefix\n"
		"  -h, --help            show this help\n"
		"\n"
		"Exit status: 0 success, 1 the command failed or is unknown,\n"
		"2 no primary answers or bad arguments.\n",
		MPKNI_DEFAULT_PREFIX);
}

static void
tty_restore(void)
{
	if (tty_raw) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
		tty_raw = 0;
	}
}

/* Only async-signal-safe calls: the terminal must come back even when the
 * session is killed. */
static void
on_signal(int sig)
{
	if (tty_raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
tty_make_raw(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
	struct sigaction sa;
	struct termios raw;
	unsigned int i;

	if (tcgetattr(STDIN_FILENO, &saved_tty) < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(tty_restore);

	/* libcli does its own echo and line editing, and sends "\r\n". */
	raw = saved_tty;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) < 0)
		return -errno;
	tty_raw = 1;
	return 0;
}

/*
 * Relays stdin to the session and the session to stdout until the server
 * closes. From a terminal, keystrokes go as they are; from a pipe or file,
 * each "\n" becomes the "\r" that ends a line in libcli, the end of input
 * half-closes the socket (so the session ends after the last command) and
 * the "\r" of libcli's "\r\n" is dropped from the output.
 */
static int
relay(int sock, int is_tty)
{
	struct pollfd pfd[2] = {
		{ .fd = sock, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	char buf[4096];
	nfds_t nfds = 2;

	for (;;) {
		ssize_t n;
		ssize_t i;

		if (poll(pfd, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[0].revents != 0) {
			n = read(sock, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return 0;
			if (!is_tty) {
				ssize_t j = 0;

				for (i = 0; i < n; i++)
					if (buf[i] != '\r')
						buf[j++] = buf[i];
				n = j;
			}
			if (mpkni_cli_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
				return -errno;
		}
		if (nfds > 1 && pfd[1].revents != 0) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				/* Commands already sent still run and answer. */
				shutdown(sock, SHUT_WR);
				nfds = 1;
				continue;
			}
			if (!is_tty) {
				for (i = 0; i < n; i++)
					if (buf[i] == '\n')
						buf[i] = '\r';
			}
			if (mpkni_cli_write_all(sock, buf, (size_t)n) < 0)
				return 0;
		}
	}
}

static int
no_server(const char *prefix, const char *sock_path, int err)
{
	fprintf(stderr, "mpkni-cli: no mpkni primary is serving file prefix '%s' (socket %s: %s)\n",
		prefix, sock_path, strerror(-err));
	return EXIT_NO_SERVER;
}

static int
interactive(const char *sock_path, const char *prefix)
{
	static const char req[] = MPKNI_CLI_REQ_INTERACTIVE "\n";
	int is_tty = isatty(STDIN_FILENO);
	int sock;
	int ret;

	sock = mpkni_cli_connect(sock_path);
	if (sock < 0)
		return no_server(prefix, sock_path, sock);
	ret = mpkni_cli_write_all(sock, req, sizeof(req) - 1);
	if (ret == 0 && is_tty)
		ret = tty_make_raw();
	if (ret == 0)
		ret = relay(sock, is_tty);
	tty_restore();
	close(sock);
	/* The server leaves the cursor after its last prompt. */
	if (is_tty)
		fputc('\n', stdout);
	if (ret < 0)
		fprintf(stderr, "mpkni-cli: session failed: %s\n", strerror(-ret));
	return ret < 0 ? EXIT_CMD_FAILED : EXIT_SUCCESS;
}

static char *
join_words(int argc, char **argv)
{
	size_t len = 1;
	char *line;
	char *p;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	line = malloc(len);
	if (line == NULL)
		return NULL;
	p = line;
	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i > 0)
			*p++ = ' ';
		memcpy(p, argv[i], n);
		p += n;
	}
	*p = '\0';
	return line;
}

static int
one_shot(const char *sock_path, int argc, char **argv, const char *prefix)
{
	char *line = join_words(argc, argv);
	int status = -1;
	int ret;

	if (line == NULL) {
		fprintf(stderr, "mpkni-cli: out of memory\n");
		return EXIT_CMD_FAILED;
	}
	ret = mpkni_cli_exec(sock_path, line, stdout, &status);
	free(line);
	if (fflush(stdout) != 0 && ret == 0) {
		fprintf(stderr, "mpkni-cli: cannot write the output: %s\n", strerror(errno));
		return EXIT_CMD_FAILED;
	}
	switch (ret) {
	case 0:
		return status == 0 ? EXIT_SUCCESS : EXIT_CMD_FAILED;
	case -EINVAL:
		fprintf(stderr, "mpkni-cli: a command is a single line\n");
		return EXIT_USAGE;
	case -E2BIG:
		fprintf(stderr, "mpkni-cli: command too long\n");
		return EXIT_USAGE;
	case -EPROTO:
		fprintf(stderr, "mpkni-cli: the primary ended the session without a status\n");
		return EXIT_NO_SERVER;
	default:
		return no_server(prefix, sock_path, ret);
	}
}

int
main(int argc, char **argv)
{
	const char *prefix = MPKNI_DEFAULT_PREFIX;
	char dir[MPKNI_PATH_MAX];
	char sock_path[MPKNI_PATH_MAX];
	int i;

	/* Options come first; the first other word starts the command, so
	 * that command words may begin with '-' (e.g. "| grep -v x"). */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return EXIT_SUCCESS;
		} else if (strcmp(a, "--file-prefix") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "mpkni-cli: --file-prefix needs a value\n");
				usage(stderr);
				return EXIT_USAGE;
			}
			prefix = argv[++i];
		} else if (strncmp(a, "--file-prefix=", 14) == 0) {
			prefix = a + 14;
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-') {
			fprintf(stderr, "mpkni-cli: unknown option '%s'\n", a);
			usage(stderr);
			return EXIT_USAGE;
		} else {
			break;
		}
	}

	if (mpkni_prefix_valid(prefix) < 0) {
		fprintf(stderr, "mpkni-cli: invalid file prefix '%s' "
			"(1 to 64 of A-Z a-z 0-9 _ . -)\n", prefix);
		return EXIT_USAGE;
	}
	if (mpkni_runtime_dir_self(dir, sizeof(dir), prefix) < 0 ||
	    mpkni_cli_sock_path(sock_path, sizeof(sock_path), dir) < 0) {
		fprintf(stderr, "mpkni-cli: runtime path of prefix '%s' too long\n", prefix);
		return EXIT_USAGE;
	}

	if (i < argc)
		return one_shot(sock_path, argc - i, argv + i, prefix);
	return interactive(sock_path, prefix);
}
