/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client side of the CLI protocol (see cli_server.h), shared by mpkni-cli
 * and the unit tests so that both speak exactly the same thing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_server.h"

int
mpkni_cli_connect(const char *sock_path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(sock_path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

int
mpkni_cli_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == ENOTSOCK)
			n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copies the server's output to out until the connection closes, picking the
 * trailer out of the stream byte by byte, so lines of any length pass.
 */
static int
read_reply(int fd, FILE *out, int *status)
{
	char buf[4096];
	char num[16];
	size_t numlen = 0;
	int at_line_start = 1;
	int in_trailer = 0;
	int have_status = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		size_t start = 0;
		ssize_t i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			char c = buf[i];

			if (in_trailer) {
				if (c == '\n') {
					num[numlen] = '\0';
					*status = (int)strtol(num, NULL, 10);
					have_status = 1;
					in_trailer = 0;
					at_line_start = 1;
				} else if (numlen + 1 < sizeof(num)) {
					num[numlen++] = c;
				}
				start = (size_t)i + 1;
				continue;
			}
			if (at_line_start && c == MPKNI_CLI_TRAILER) {
				if ((size_t)i > start)
					fwrite(buf + start, 1, (size_t)i - start, out);
				in_trailer = 1;
				numlen = 0;
				start = (size_t)i + 1;
				continue;
			}
			at_line_start = c == '\n';
		}
		if ((size_t)n > start && !in_trailer)
			fwrite(buf + start, 1, (size_t)n - start, out);
	}
	fflush(out);
	return have_status ? 0 : -EPROTO;
}

int
mpkni_cli_exec(const char *sock_path, const char *line, FILE *out, int *status)
{
	size_t plen = strlen(MPKNI_CLI_REQ_EXEC);
	size_t len = strlen(line);
	char *req;
	int fd;
	int ret;

	/* One request is one line: an embedded newline would smuggle a second
	 * one past the server's parser. */
	if (strpbrk(line, "\r\n") != NULL)
		return -EINVAL;
	if (plen + len + 1 >= MPKNI_CLI_REQ_MAX)
		return -E2BIG;
	req = malloc(plen + len + 2);
	if (req == NULL)
		return -ENOMEM;
	memcpy(req, MPKNI_CLI_REQ_EXEC, plen);
	memcpy(req + plen, line, len);
	req[plen + len] = '\n';

	fd = mpkni_cli_connect(sock_path);
	if (fd < 0) {
		free(req);
		return fd;
	}
	ret = mpkni_cli_write_all(fd, req, plen + len + 1);
	free(req);
	/* A server that turned us away may close before reading the request:
	 * its error line is still there to read. */
	if (ret == 0 || ret == -EPIPE || ret == -ECONNRESET)
		ret = read_reply(fd, out, status);
	close(fd);
	return ret;
}
