/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI server: accepts clients on a Unix stream socket and gives each its
 * own thread and its own libcli context, so that one slow or vanished client
 * never holds up another, and libcli needs no locking of its own.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libcli.h>

#include "cli_server.h"

/* Sessions beyond this are turned away, so a runaway script cannot exhaust
 * threads on the control cores. */
#define CLI_MAX_SESSIONS 32
/* A client gets this long to send its request line. */
#define CLI_REQ_TIMEOUT_MS 10000
/* An operator idle this long is logged out. */
#define CLI_IDLE_TIMEOUT_S 600
/* A client that stops reading blocks its session at most this long per send. */
#define CLI_SEND_TIMEOUT_S 30
#define CLI_HOSTNAME "mpkni"
#define CLI_BANNER \
	"mpkni command line. 'help' lists commands, 'enable' allows privileged ones, " \
	"'exit' leaves."

struct cli_session {
	struct mpkni_cli_server *srv;
	int fd;
	int dead;                /* a send failed: stop writing to the client */
	struct cli_session *next;
};

struct mpkni_cli_server {
	int listen_fd;
	int wake[2];             /* stop() writes here to interrupt run()'s poll */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t sock_dev;          /* identity of our socket file, so that stop() */
	ino_t sock_ino;          /* never removes one that replaced it */
	pthread_mutex_t lock;    /* protects the fields below */
	pthread_cond_t cond;
	int stopping;
	int running;
	unsigned int nsessions;
	struct cli_session *sessions;
};

static void
default_log(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One call, so lines of concurrent sessions do not interleave. */
	fprintf(stderr, "mpkni-cli-server: %s\n", msg);
}

void (*mpkni_cli_log)(const char *fmt, ...) = default_log;

/*
 * Sends text to a one-shot client. Carriage returns are dropped and other
 * control characters (tabs aside) become '?', so that no output line can
 * start with the trailer's record separator.
 */
static void
session_send_text(struct cli_session *sess, const char *text, size_t len, int newline)
{
	char buf[256];
	size_t n = 0;
	size_t i;

	for (i = 0; i <= len && !sess->dead; i++) {
		if (i < len) {
			unsigned char c = (unsigned char)text[i];

			if (c == '\r')
				continue;
			if (c < 0x20 && c != '\t' && c != '\n')
				c = '?';
			else if (c == 0x7f)
				c = '?';
			buf[n++] = (char)c;
		} else if (newline) {
			buf[n++] = '\n';
		}
		if (n == sizeof(buf) || (i == len && n > 0)) {
			if (mpkni_cli_write_all(sess->fd, buf, n) < 0)
				sess->dead = 1;
			n = 0;
		}
	}
}

/* libcli's print callback in one-shot mode: one output line, newline added. */
static void
oneshot_print(struct cli_def *cli, const char *line)
{
	struct cli_session *sess = cli_get_context(cli);

	session_send_text(sess, line, strlen(line), 1);
}

/*
 * libcli's built-in "count" filter and its pattern errors write to
 * cli->client directly instead of going through the print callback; this
 * stream carries those writes to the one-shot client too.
 */
static ssize_t
oneshot_stream_write(void *cookie, const char *buf, size_t len)
{
	session_send_text(cookie, buf, len, 0);
	return (ssize_t)len;
}

static void
session_error(struct cli_session *sess, const char *msg)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "error: %s\n", msg);

	if (n > 0)
		(void)mpkni_cli_write_all(sess->fd, line, (size_t)n < sizeof(line) ? (size_t)n :
			       sizeof(line) - 1);
}

static struct cli_def *
session_cli_new(struct cli_session *sess)
{
	struct cli_def *cli = cli_init();

	if (cli == NULL)
		return NULL;
	cli_set_hostname(cli, CLI_HOSTNAME);
	cli_set_context(cli, sess);
	/* There is nothing to configure: hide libcli's empty config mode. */
	cli_unregister_command(cli, "configure");
	mpkni_cli_register_commands(cli);
	return cli;
}

static void
session_oneshot(struct cli_session *sess, const char *line)
{
	cookie_io_functions_t io = { .write = oneshot_stream_write };
	struct cli_def *cli;
	char trailer[32];
	FILE *stream;
	int rc;
	int n;

	cli = session_cli_new(sess);
	if (cli == NULL) {
		session_error(sess, "out of memory");
		return;
	}
	stream = fopencookie(sess, "w", io);
	if (stream == NULL) {
		session_error(sess, "out of memory");
		cli_done(cli);
		return;
	}
	/* Unbuffered, so it interleaves with the print callback's lines. */
	setvbuf(stream, NULL, _IONBF, 0);
	cli->client = stream;
	cli_print_callback(cli, oneshot_print);
	/* The socket is reachable by its owner only, so trust it fully. */
	cli_set_privilege(cli, PRIVILEGE_PRIVILEGED);

	rc = cli_run_command(cli, line);

	n = snprintf(trailer, sizeof(trailer), "%c%d\n", MPKNI_CLI_TRAILER, rc);
	if (!sess->dead)
		(void)mpkni_cli_write_all(sess->fd, trailer, (size_t)n);

	cli->client = NULL;
	fclose(stream);
	cli_done(cli);
}

static void
session_interactive(struct cli_session *sess)
{
	struct cli_def *cli;
	int loop_fd;
	int rc;

	/*
	 * cli_loop() fdopen()s the descriptor and fclose()s it when it returns;
	 * giving it a duplicate keeps sess->fd valid until the session ends, so
	 * that stop() can always shut the socket down without racing a close.
	 */
	loop_fd = fcntl(sess->fd, F_DUPFD_CLOEXEC, 0);
	if (loop_fd < 0) {
		session_error(sess, "out of file descriptors");
		return;
	}
	/* libcli waits with select(), which cannot watch higher descriptors. */
	if (loop_fd >= FD_SETSIZE) {
		session_error(sess, "too many open files for an interactive session");
		close(loop_fd);
		return;
	}
	cli = session_cli_new(sess);
	if (cli == NULL) {
		session_error(sess, "out of memory");
		close(loop_fd);
		return;
	}
	cli_telnet_protocol(cli, 0);
	cli_set_banner(cli, CLI_BANNER);
	cli_set_idle_timeout(cli, CLI_IDLE_TIMEOUT_S);

	rc = cli_loop(cli, loop_fd);

	if (cli->client != NULL) {
		fclose(cli->client);
		cli->client = NULL;
	} else if (rc != CLI_OK) {
		/* cli_loop() failed before it took the descriptor over. */
		close(loop_fd);
	}
	cli_done(cli);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Reads the request line one byte at a time: whatever follows the newline
 * belongs to cli_loop() in an interactive session and must stay unread.
 * Returns the line's length (newline and a trailing '\r' removed), -ECONNRESET
 * when the client went away, -ETIMEDOUT, or -EINVAL for an overlong or binary
 * line.
 */
static int
read_request(int fd, char *buf, size_t size)
{
	int64_t deadline = now_ms() + CLI_REQ_TIMEOUT_MS;
	size_t len = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t n;
		char c;
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -ECONNRESET;
		if (c == '\n')
			break;
		if (c == '\0' || len + 1 >= size)
			return -EINVAL;
		buf[len++] = c;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return (int)len;
}

static void
session_end(struct cli_session *sess)
{
	struct mpkni_cli_server *s = sess->srv;
	struct cli_session **pp;

	pthread_mutex_lock(&s->lock);
	for (pp = &s->sessions; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == sess) {
			*pp = sess->next;
			break;
		}
	}
	/* Closed under the lock: stop() shuts sockets down under it too, and
	 * must never hit a descriptor number that was reused meanwhile. */
	close(sess->fd);
	s->nsessions--;
	pthread_cond_broadcast(&s->cond);
	/* After this unlock, stop() may free s: touch nothing of it. */
	pthread_mutex_unlock(&s->lock);
	free(sess);
}

static void *
session_main(void *arg)
{
	struct cli_session *sess = arg;
	char req[MPKNI_CLI_REQ_MAX];
	size_t exec_len = strlen(MPKNI_CLI_REQ_EXEC);
	sigset_t set;
	int n;

	/*
	 * libcli writes with plain write(): a client gone mid-output would
	 * raise SIGPIPE. Blocked here, it stays pending on this thread and is
	 * discarded when the thread exits, whatever the process does with it.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	n = read_request(sess->fd, req, sizeof(req));
	if (n == -ETIMEDOUT) {
		session_error(sess, "no request received in time");
	} else if (n == -EINVAL) {
		session_error(sess, "request line too long or not text");
	} else if (n >= 0 && strncmp(req, MPKNI_CLI_REQ_EXEC, exec_len) == 0) {
		session_oneshot(sess, req + exec_len);
	} else if (n >= 0 && strcmp(req, MPKNI_CLI_REQ_INTERACTIVE) == 0) {
		session_interactive(sess);
	} else if (n >= 0) {
		session_error(sess, "unknown request; expected 'EXEC <command>' or 'INTERACTIVE'");
	}
	session_end(sess);
	return NULL;
}

static void
session_start(struct mpkni_cli_server *s, int fd)
{
	struct timeval tv = { .tv_sec = CLI_SEND_TIMEOUT_S };
	const char *refusal = NULL;
	struct cli_session *sess;
	pthread_attr_t attr;
	pthread_t tid;
	int ret;

	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));

	sess = calloc(1, sizeof(*sess));
	if (sess == NULL) {
		(void)mpkni_cli_write_all(fd, "error: out of memory\n", 21);
		close(fd);
		return;
	}
	sess->srv = s;
	sess->fd = fd;

	pthread_mutex_lock(&s->lock);
	if (s->stopping)
		refusal = "error: the primary is shutting down\n";
	else if (s->nsessions >= CLI_MAX_SESSIONS)
		refusal = "error: too many CLI sessions, try again later\n";
	if (refusal == NULL) {
		sess->next = s->sessions;
		s->sessions = sess;
		s->nsessions++;
	}
	pthread_mutex_unlock(&s->lock);
	if (refusal != NULL) {
		(void)mpkni_cli_write_all(fd, refusal, strlen(refusal));
		close(fd);
		free(sess);
		return;
	}

	ret = pthread_attr_init(&attr);
	if (ret == 0) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		ret = pthread_create(&tid, &attr, session_main, sess);
		pthread_attr_destroy(&attr);
	}
	if (ret != 0) {
		mpkni_cli_log("cannot start a session thread: %s", strerror(ret));
		session_error(sess, "cannot start a session");
		session_end(sess);
	}
}

/* Refuses to take over a path that is not a socket, or a socket that still
 * has a server behind it; removes a stale one. */
static int
remove_stale_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;
	int ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(addr.sun_path, path);
	ret = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	close(fd);
	if (ret == 0)
		return -EADDRINUSE;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int
mpkni_cli_server_open(struct mpkni_cli_server **out, const char *sock_path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct mpkni_cli_server *s;
	struct stat st;
	const char *what;
	int ret;

	*out = NULL;
	if (strlen(sock_path) >= sizeof(addr.sun_path)) {
		mpkni_cli_log("socket path too long: %s", sock_path);
		return -ENAMETOOLONG;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		mpkni_cli_log("out of memory");
		return -ENOMEM;
	}
	s->listen_fd = -1;
	s->wake[0] = s->wake[1] = -1;
	strcpy(s->path, sock_path);
	strcpy(addr.sun_path, sock_path);

	what = "cannot take over the socket path";
	ret = remove_stale_socket(sock_path);
	if (ret < 0)
		goto fail_free;

	what = "cannot create the wake-up pipe";
	if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		ret = -errno;
		goto fail_free;
	}
	what = "cannot create the socket";
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0) {
		ret = -errno;
		goto fail_pipe;
	}
	/* Linux creates the file with the socket's own mode: setting it before
	 * bind() leaves no moment when others could connect. */
	(void)fchmod(s->listen_fd, 0600);
	what = "cannot bind the socket";
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		ret = -errno;
		goto fail_sock;
	}
	what = "cannot restrict the socket to its owner";
	if (chmod(sock_path, 0600) < 0 || lstat(sock_path, &st) < 0) {
		ret = -errno;
		goto fail_unlink;
	}
	s->sock_dev = st.st_dev;
	s->sock_ino = st.st_ino;
	what = "cannot listen on the socket";
	if (listen(s->listen_fd, 16) < 0) {
		ret = -errno;
		goto fail_unlink;
	}
	what = "cannot initialise the session lock";
	ret = -pthread_mutex_init(&s->lock, NULL);
	if (ret < 0)
		goto fail_unlink;
	ret = -pthread_cond_init(&s->cond, NULL);
	if (ret < 0)
		goto fail_mutex;

	/* run() is expected from here on: stop() waits until it has returned,
	 * even if the thread that calls it has not started yet. */
	s->running = 1;
	*out = s;
	return 0;

fail_mutex:
	pthread_mutex_destroy(&s->lock);
fail_unlink:
	unlink(sock_path);
fail_sock:
	close(s->listen_fd);
fail_pipe:
	close(s->wake[1]);
	close(s->wake[0]);
fail_free:
	free(s);
	mpkni_cli_log("%s %s: %s", what, sock_path, strerror(-ret));
	return ret;
}

void
mpkni_cli_server_run(struct mpkni_cli_server *s)
{
	int failures = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = s->listen_fd, .events = POLLIN },
			{ .fd = s->wake[0], .events = POLLIN },
		};
		int stopping;
		int fd;

		pthread_mutex_lock(&s->lock);
		stopping = s->stopping;
		pthread_mutex_unlock(&s->lock);
		if (stopping)
			break;

		if (poll(pfd, 2, -1) < 0) {
			if (errno != EINTR)
				mpkni_cli_log("poll: %s", strerror(errno));
			continue;
		}
		if (pfd[1].revents != 0)
			continue;
		if (!(pfd[0].revents & POLLIN))
			continue;

		fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
				continue;
			/* Out of descriptors or memory: report it once in a
			 * while and back off instead of spinning. */
			if (failures++ % 100 == 0)
				mpkni_cli_log("accept: %s", strerror(errno));
			poll(&pfd[1], 1, 100);
			continue;
		}
		failures = 0;
		session_start(s, fd);
	}

	pthread_mutex_lock(&s->lock);
	s->running = 0;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void
mpkni_cli_server_close(struct mpkni_cli_server *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->running = 0;
	pthread_mutex_unlock(&s->lock);
	mpkni_cli_server_stop(s);
}

void
mpkni_cli_server_stop(struct mpkni_cli_server *s)
{
	struct cli_session *sess;
	struct stat st;
	ssize_t n;

	if (s == NULL)
		return;

	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_mutex_unlock(&s->lock);
	do {
		n = write(s->wake[1], "x", 1);
	} while (n < 0 && errno == EINTR);

	pthread_mutex_lock(&s->lock);
	while (s->running)
		pthread_cond_wait(&s->cond, &s->lock);
	/* Every blocked read, send or cli_loop() wait returns at once. */
	for (sess = s->sessions; sess != NULL; sess = sess->next)
		shutdown(sess->fd, SHUT_RDWR);
	while (s->nsessions > 0)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);

	if (lstat(s->path, &st) == 0 && st.st_dev == s->sock_dev && st.st_ino == s->sock_ino)
		unlink(s->path);
	close(s->listen_fd);
	close(s->wake[1]);
	close(s->wake[0]);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
