/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI server against fake query figures (fake_query.c): each test starts
 * a server on a socket in a fresh temporary directory, runs it on a thread,
 * and talks to it as mpkni-cli does, through cli_proto.c, or byte by byte
 * where the test is about the protocol itself.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <libcli.h>

#include "cli_server.h"
#include "names.h"

/* fake_query.c */
void fake_query_reset(void);
unsigned int fake_query_clear_calls(void);
void fake_query_set_ring_rows(unsigned int n);
void fake_query_set_mempool_ret(int ret);
void fake_query_set_version(const char *v);

#define FAKE_VERSION "mpkni 9.8.7-fake (DPDK 22.11.99, layout 1)"
#define MAX_TOKENS 32

static char tmpdir[64];
static char sock_path[MPKNI_PATH_MAX];
static struct mpkni_cli_server *srv;
static pthread_t run_thread;
static int run_started;

static void *
run_main(void *arg)
{
	mpkni_cli_server_run(arg);
	return NULL;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Runs line one-shot; returns the output (to free) and sets *status. */
static char *
exec_capture(const char *line, int *status, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	*status = -12345;
	*ret = mpkni_cli_exec(sock_path, line, out, status);
	fclose(out);
	return buf;
}

/* As exec_capture, for a command expected to go through. */
static char *
exec_ok(const char *line, int *status)
{
	int ret;
	char *out = exec_capture(line, status, &ret);

	ck_assert_msg(ret == 0, "exec '%s': %s", line, strerror(-ret));
	return out;
}

static void
start_server(void)
{
	int status;
	int ret = -1;
	int i;

	ck_assert_int_eq(mpkni_cli_server_open(&srv, sock_path), 0);
	ck_assert_int_eq(pthread_create(&run_thread, NULL, run_main, srv), 0);
	run_started = 1;
	/* A full round trip proves run() has been entered, which stop()
	 * relies on. */
	for (i = 0; i < 200 && ret != 0; i++) {
		free(exec_capture("show version", &status, &ret));
		if (ret != 0)
			sleep_ms(10);
	}
	ck_assert_int_eq(ret, 0);
}

static void
stop_server(void)
{
	if (srv == NULL)
		return;
	mpkni_cli_server_stop(srv);
	srv = NULL;
	if (run_started) {
		pthread_join(run_thread, NULL);
		run_started = 0;
	}
}

static void
setup(void)
{
	fake_query_reset();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mpkni-check-cli.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(mpkni_cli_sock_path(sock_path, sizeof(sock_path), tmpdir), 0);
	srv = NULL;
	run_started = 0;
	start_server();
}

static void
teardown(void)
{
	char path[MPKNI_PATH_MAX + 16];

	stop_server();
	snprintf(path, sizeof(path), "%s/stale.sock", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/plain.file", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

/* A raw connection that never blocks a test for long. */
static int
raw_connect(void)
{
	struct timeval tv = { .tv_sec = 5 };
	int fd = mpkni_cli_connect(sock_path);

	ck_assert_msg(fd >= 0, "connect: %s", strerror(-fd));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void
raw_send(int fd, const char *s)
{
	ck_assert_int_eq(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* Reads until the server closes (or 5 s of silence); returns the bytes read,
 * NUL-terminated, to free. */
static char *
raw_read_all(int fd, size_t *lenp)
{
	size_t cap = 4096;
	size_t len = 0;
	char *buf = malloc(cap);

	ck_assert_ptr_nonnull(buf);
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/* Reads until needle shows up in what came so far; fails after 5 s. */
static void
raw_read_until(int fd, const char *needle)
{
	char buf[8192];
	size_t len = 0;

	while (len + 1 < sizeof(buf)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len - 1);

		ck_assert_msg(n > 0, "no '%s' from the server", needle);
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, needle) != NULL)
			return;
	}
	ck_abort_msg("no '%s' from the server", needle);
}

static unsigned int
count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Line number i (from 0) of s, copied into buf. */
static const char *
nth_line(const char *s, unsigned int i, char *buf, size_t size)
{
	const char *end;
	size_t len;

	while (i-- > 0) {
		s = strchr(s, '\n');
		ck_assert_ptr_nonnull(s);
		s++;
	}
	end = strchr(s, '\n');
	ck_assert_ptr_nonnull(end);
	len = (size_t)(end - s);
	ck_assert_uint_lt(len, size);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/* Checks that a line splits into exactly the expected whitespace-separated
 * fields, the way awk would see them. */
static void
check_fields(const char *line, const char *const *want, unsigned int n)
{
	char copy[1024];
	char *save = NULL;
	char *tok;
	unsigned int i = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		ck_assert_msg(i < n, "extra field '%s' in '%s'", tok, line);
		ck_assert_msg(strcmp(tok, want[i]) == 0, "field %u is '%s', not '%s', in '%s'",
			      i, tok, want[i], line);
		i++;
	}
	ck_assert_msg(i == n, "%u fields instead of %u in '%s'", i, n, line);
}

/* Checks a whole table: its header, then exactly nrows rows. */
static void
check_table(const char *out, const char *const *header, unsigned int ncols,
	    const char *const *rows, unsigned int nrows)
{
	char line[1024];
	unsigned int i;

	ck_assert_uint_eq(count_lines(out), nrows + 1);
	check_fields(nth_line(out, 0, line, sizeof(line)), header, ncols);
	for (i = 0; i < nrows; i++)
		check_fields(nth_line(out, i + 1, line, sizeof(line)), rows + i * ncols, ncols);
}

/* Offset just past field f of line (the field's last character + 1). */
static size_t
field_end(const char *line, unsigned int f)
{
	size_t i = 0;

	for (;;) {
		while (line[i] == ' ')
			i++;
		while (line[i] != ' ' && line[i] != '\0')
			i++;
		if (f-- == 0)
			return i;
	}
}

START_TEST(test_show_workers_prints_fake_rows_with_pids)
{
	static const char *const header[] = {
		"SLOT", "PID", "STATE", "LCORE", "NF", "RX", "FWD", "TO-KERNEL", "DROPPED",
		"ATTACHES",
	};
	static const char *const rows[] = {
		"0", "4242", "running", "3", "l2fwd", "1000001", "900002", "90003", "9996", "2",
		"1", "-", "free", "0", "-", "0", "0", "0", "0", "0",
		"2", "31337", "dead", "5", "my_nf", "18446744073709551615", "12345678901", "11",
		"13", "7",
	};
	int status;
	char *out = exec_ok("show workers", &status);

	ck_assert_int_eq(status, CLI_OK);
	check_table(out, header, 10, rows, 3);
	free(out);
}
END_TEST

START_TEST(test_show_rings_columns_and_numbers)
{
	static const char *const header[] = {
		"NAME", "SIZE", "IN-USE", "FREE", "HWM", "ENQUEUED", "DEQUEUED", "DROP-FULL",
	};
	static const char *const rows[] = {
		"mpkni_k0_0", "1023", "17", "1006", "511", "700001", "699984", "42",
		"mpkni_k0_1", "1023", "0", "1023", "64", "8000002", "8000002", "0",
		"mpkni_k1_0", "2047", "3", "2044", "1999", "55", "52", "77",
	};
	char head[1024];
	char row[1024];
	unsigned int r;
	unsigned int f;
	int status;
	char *out = exec_ok("show rings", &status);

	ck_assert_int_eq(status, CLI_OK);
	check_table(out, header, 8, rows, 3);
	/* Fixed width: every number ends under the end of its heading. */
	nth_line(out, 0, head, sizeof(head));
	for (r = 1; r <= 3; r++) {
		nth_line(out, r, row, sizeof(row));
		for (f = 1; f < 8; f++)
			ck_assert_uint_eq(field_end(row, f), field_end(head, f));
	}
	free(out);
}
END_TEST

START_TEST(test_show_kni_link_mac_and_directions)
{
	static const char *const header[] = {
		"NAME", "PORT", "IFINDEX", "MTU", "MAC", "LINK", "TX-PKTS", "TX-BYTES", "TX-DROP",
		"RX-PKTS", "RX-BYTES", "RX-DROP",
	};
	static const char *const rows[] = {
		"vEth0", "0", "17", "1500", "02:00:5e:10:00:01", "up", "300001", "45000151", "31",
		"200002", "28000282", "29",
		"vEth1", "1", "18", "9000", "aa:bb:cc:dd:ee:ff", "down", "5", "640", "0",
		"6", "768", "1",
	};
	int status;
	char *out = exec_ok("show kni", &status);

	ck_assert_int_eq(status, CLI_OK);
	check_table(out, header, 12, rows, 2);
	free(out);

	/* The direction legend is in the help. */
	out = exec_ok("help", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_ptr_nonnull(strstr(out, "TX = toward the kernel, RX = from the kernel"));
	free(out);
}
END_TEST

START_TEST(test_show_ports_balanced_column)
{
	static const char *const header[] = {
		"PORT", "NAME", "MAC", "LINK", "SPEED", "MTU", "RXQ", "TXQ", "RX", "FWD",
		"TO-KERNEL", "DROP-NF", "DROP-RING", "DROP-TX", "LOST", "BALANCED", "PROMISC",
		"ALLMULTI",
	};
	static const char *const rows[] = {
		"0", "net_tap0", "02:11:22:33:44:55", "up", "10000", "1500", "3", "4", "1000",
		"600", "300", "50", "30", "20", "0", "yes", "on", "off",
		"1", "net_tap1", "02:66:77:88:99:aa", "down", "0", "9000", "2", "2", "777",
		"700", "70", "1", "2", "3", "5", "no", "off", "off",
	};
	int status;
	char *out = exec_ok("show ports", &status);

	ck_assert_int_eq(status, CLI_OK);
	check_table(out, header, 18, rows, 2);
	free(out);
}
END_TEST

START_TEST(test_show_kni_requests_one_row_per_kind)
{
	static const char *const header[] = {
		"NAME", "PORT", "KIND", "POLICY", "APPLIED", "IGNORED", "REJECTED", "LAST",
	};
	/* Blanks in LAST become '_' so that the row stays eight awk fields. */
	static const char *const rows[] = {
		"vEth0", "0", "mtu", "apply", "3", "0", "1",
		"mtu_9000_rejected:_larger_than_an_mbuf_carries_(at_most_2030)",
		"vEth0", "0", "promisc", "ignore", "0", "2", "0", "-",
	};
	int status;
	char *out = exec_ok("show kni requests", &status);

	ck_assert_int_eq(status, CLI_OK);
	check_table(out, header, 8, rows, 2);
	free(out);
	/* "show kni" itself still shows the interfaces. */
	out = exec_ok("show kni", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_ptr_nonnull(strstr(out, "TX-PKTS"));
	free(out);
}
END_TEST

START_TEST(test_show_mempool)
{
	static const char *const header[] = {
		"NAME", "SIZE", "IN-USE", "AVAIL", "CACHE", "IN-CACHES",
	};
	static const char *const rows[] = {
		"mpkni_mbufs", "16383", "2048", "14335", "250", "731",
	};
	int status;
	char *out = exec_ok("show mempool", &status);

	ck_assert_int_eq(status, CLI_OK);
	check_table(out, header, 6, rows, 1);
	free(out);
}
END_TEST

START_TEST(test_show_mempool_failure_is_an_error)
{
	int status;
	char *out;

	fake_query_set_mempool_ret(-ENODEV);
	out = exec_ok("show mempool", &status);
	ck_assert_int_ne(status, CLI_OK);
	ck_assert_ptr_nonnull(strstr(out, "mempool unavailable"));
	free(out);
}
END_TEST

START_TEST(test_show_version)
{
	int status;
	char *out = exec_ok("show version", &status);

	ck_assert_int_eq(status, CLI_OK);
	ck_assert_str_eq(out, FAKE_VERSION "\n");
	free(out);

	/* libcli's unique prefixes work one-shot too. */
	out = exec_ok("sh ver", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_str_eq(out, FAKE_VERSION "\n");
	free(out);
}
END_TEST

START_TEST(test_unknown_command_fails_and_server_goes_on)
{
	int status;
	char *out = exec_ok("frobnicate the widgets", &status);

	ck_assert_int_ne(status, CLI_OK);
	ck_assert_msg(strstr(out, "frobnicate") != NULL, "libcli's error missing: '%s'", out);
	free(out);

	out = exec_ok("show bogus", &status);
	ck_assert_int_ne(status, CLI_OK);
	free(out);

	out = exec_ok("show workers extra", &status);
	ck_assert_int_ne(status, CLI_OK);
	free(out);

	out = exec_ok("show version", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_str_eq(out, FAKE_VERSION "\n");
	free(out);
}
END_TEST

START_TEST(test_include_filter_keeps_matching_rows)
{
	char line[1024];
	int status;
	char *out = exec_ok("show rings | include mpkni_k0", &status);

	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 2);
	ck_assert_ptr_nonnull(strstr(nth_line(out, 0, line, sizeof(line)), "mpkni_k0_0"));
	ck_assert_ptr_nonnull(strstr(nth_line(out, 1, line, sizeof(line)), "mpkni_k0_1"));
	ck_assert_ptr_null(strstr(out, "mpkni_k1_0"));
	ck_assert_ptr_null(strstr(out, "NAME"));
	free(out);

	out = exec_ok("show ports | include no", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 1);
	ck_assert_ptr_nonnull(strstr(out, "net_tap1"));
	free(out);
}
END_TEST

START_TEST(test_abbreviated_and_regex_filters)
{
	int status;
	char *out;

	/* libcli accepts "inc" for "include"; its own filter then matched on
	 * garbage. */
	out = exec_ok("show rings | inc mpkni_k1", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 1);
	ck_assert_ptr_nonnull(strstr(out, "mpkni_k1_0"));
	free(out);

	out = exec_ok("show rings | ex mpkni_k", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 1);
	ck_assert_ptr_nonnull(strstr(out, "NAME"));
	free(out);

	out = exec_ok("show rings | gr -vi name", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 3);
	ck_assert_ptr_null(strstr(out, "NAME"));
	free(out);

	out = exec_ok("show rings | egrep k0_[01]", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 2);
	free(out);

	out = exec_ok("show rings | grep [", &status);
	ck_assert_int_ne(status, CLI_OK);
	ck_assert_ptr_nonnull(strstr(out, "invalid pattern"));
	free(out);
}
END_TEST

START_TEST(test_count_filter_output_reaches_oneshot_client)
{
	int status;
	char *out = exec_ok("show rings | count", &status);

	/* libcli writes the count to cli->client directly, not through the
	 * print callback: the header and three rows. */
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_str_eq(out, "4\n");
	free(out);
}
END_TEST

START_TEST(test_clear_counters_calls_query_clear)
{
	int status;
	char *out;

	ck_assert_uint_eq(fake_query_clear_calls(), 0);
	out = exec_ok("clear counters", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_str_eq(out, "counters cleared\n");
	ck_assert_uint_eq(fake_query_clear_calls(), 1);
	free(out);
}
END_TEST

START_TEST(test_interactive_clear_counters_needs_enable)
{
	char *out;
	int fd;

	fd = raw_connect();
	raw_send(fd, "INTERACTIVE\nclear counters\r\nexit\r\n");
	out = raw_read_all(fd, NULL);
	close(fd);
	ck_assert_uint_eq(fake_query_clear_calls(), 0);
	ck_assert_ptr_null(strstr(out, "counters cleared"));
	free(out);

	fd = raw_connect();
	raw_send(fd, "INTERACTIVE\nenable\r\nclear counters\r\nexit\r\n");
	out = raw_read_all(fd, NULL);
	close(fd);
	ck_assert_uint_eq(fake_query_clear_calls(), 1);
	ck_assert_ptr_nonnull(strstr(out, "counters cleared"));
	ck_assert_ptr_nonnull(strstr(out, "mpkni#"));
	free(out);
}
END_TEST

START_TEST(test_socket_mode_is_0600)
{
	struct stat st;

	ck_assert_int_eq(stat(sock_path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
}
END_TEST

START_TEST(test_client_vanishing_mid_output_leaves_server_serving)
{
	char buf[64];
	char *out = NULL;
	int status = -1;
	int ret = -1;
	int i;

	/* 129 lines, ~90 bytes each: sessions are mid-output when the client
	 * goes, in each of three ways. */
	fake_query_set_ring_rows(128);
	for (i = 0; i < 300; i++) {
		int fd = raw_connect();

		switch (i % 3) {
		case 0:
			raw_send(fd, "EXEC show rings\n");
			break;
		case 1:
			raw_send(fd, "EXEC show rings\n");
			ck_assert_int_gt(read(fd, buf, sizeof(buf)), 0);
			break;
		default:
			raw_send(fd, "INTERACTIVE\nshow rings\r\nshow rings\r\n");
			break;
		}
		close(fd);
	}
	/* Sessions still ending may briefly fill the server's table. */
	for (i = 0; i < 200 && ret != 0; i++) {
		free(out);
		out = exec_capture("show rings", &status, &ret);
		if (ret != 0)
			sleep_ms(10);
	}
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_uint_eq(count_lines(out), 129);
	free(out);
}
END_TEST

START_TEST(test_malformed_first_line_gets_error)
{
	static const char *const bad[] = { "HELLO\n", "exec show version\n", "\n",
					   "INTERACTIVE please\n" };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = raw_connect();
		size_t len;
		char *out;

		raw_send(fd, bad[i]);
		out = raw_read_all(fd, &len);
		close(fd);
		ck_assert_msg(strncmp(out, "error: ", 7) == 0, "reply to %u: '%s'", i, out);
		ck_assert_uint_eq(count_lines(out), 1);
		ck_assert_ptr_null(memchr(out, MPKNI_CLI_TRAILER, len));
		free(out);
	}
}
END_TEST

START_TEST(test_overlong_request_gets_error)
{
	char *req = malloc(MPKNI_CLI_REQ_MAX + 16);
	char *out;
	int fd;

	ck_assert_ptr_nonnull(req);
	memset(req, 'x', MPKNI_CLI_REQ_MAX + 14);
	memcpy(req, "EXEC ", 5);
	req[MPKNI_CLI_REQ_MAX + 14] = '\n';
	req[MPKNI_CLI_REQ_MAX + 15] = '\0';
	fd = raw_connect();
	/* The server may close before reading it all: ignore send errors. */
	(void)send(fd, req, strlen(req), MSG_NOSIGNAL);
	out = raw_read_all(fd, NULL);
	close(fd);
	ck_assert_msg(strncmp(out, "error: ", 7) == 0, "reply: '%s'", out);
	free(out);
	free(req);
}
END_TEST

START_TEST(test_trailer_cannot_be_forged_by_output)
{
	int status;
	char *out;

	/* Figures are text from shared memory: a record separator at the start
	 * of a line of output must arrive as output, not end the reply. */
	fake_query_set_version("first\n\x1e" "0\nlast");
	out = exec_ok("show version", &status);
	ck_assert_int_eq(status, CLI_OK);
	ck_assert_str_eq(out, "first\n?0\nlast\n");
	free(out);

	/* One request is one line. */
	ck_assert_int_eq(mpkni_cli_exec(sock_path, "show version\nclear counters", stdout,
					&status), -EINVAL);
	ck_assert_uint_eq(fake_query_clear_calls(), 0);
}
END_TEST

START_TEST(test_interactive_show_version)
{
	char *out;
	int fd;

	fd = raw_connect();
	raw_send(fd, "INTERACTIVE\n");
	raw_read_until(fd, "mpkni> ");
	raw_send(fd, "show version\r\n");
	raw_send(fd, "exit\r\n");
	out = raw_read_all(fd, NULL);
	close(fd);
	ck_assert_msg(strstr(out, FAKE_VERSION "\r\n") != NULL, "got '%s'", out);
	/* No telnet negotiation on a Unix socket. */
	ck_assert_ptr_null(strchr(out, '\xff'));
	free(out);
}
END_TEST

static void *
late_run_main(void *arg)
{
	sleep_ms(100);
	mpkni_cli_server_run(arg);
	return NULL;
}

START_TEST(test_stop_before_run_is_entered_waits_for_it)
{
	/* The primary stops the server on an error path right after starting
	 * its thread: stop must wait for run() rather than free under it. */
	struct mpkni_cli_server *s;
	char path[MPKNI_PATH_MAX];
	pthread_t t;

	snprintf(path, sizeof(path), "%s/late.sock", tmpdir);
	ck_assert_int_eq(mpkni_cli_server_open(&s, path), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, late_run_main, s), 0);
	mpkni_cli_server_stop(s);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_server_stop_returns_and_removes_socket)
{
	struct stat st;
	char c;
	int idle_fd;
	int inter_fd;

	/* One client that never sends its request, one interactive session:
	 * stop() must end both. */
	idle_fd = raw_connect();
	inter_fd = raw_connect();
	raw_send(inter_fd, "INTERACTIVE\n");
	raw_read_until(inter_fd, "mpkni> ");

	stop_server();

	ck_assert_int_eq(stat(sock_path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	free(raw_read_all(inter_fd, NULL));
	ck_assert_int_eq(read(idle_fd, &c, 1), 0);
	close(inter_fd);
	close(idle_fd);
	ck_assert_int_lt(mpkni_cli_connect(sock_path), 0);
}
END_TEST

static unsigned int log_calls;

static void
count_log(const char *fmt, ...)
{
	(void)fmt;
	log_calls++;
}

START_TEST(test_open_replaces_stale_socket_only)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	void (*saved)(const char *, ...) = mpkni_cli_log;
	struct mpkni_cli_server *other;
	char path[MPKNI_PATH_MAX + 16];
	int fd;

	mpkni_cli_log = count_log;

	/* A live server keeps its socket. */
	log_calls = 0;
	ck_assert_int_eq(mpkni_cli_server_open(&other, sock_path), -EADDRINUSE);
	ck_assert_ptr_null(other);
	ck_assert_uint_eq(log_calls, 1);

	/* A plain file is not ours to remove. */
	snprintf(path, sizeof(path), "%s/plain.file", tmpdir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	log_calls = 0;
	ck_assert_int_eq(mpkni_cli_server_open(&other, path), -EEXIST);
	ck_assert_uint_eq(log_calls, 1);

	/* A socket nobody listens on is stale: replaced. */
	snprintf(path, sizeof(path), "%s/stale.sock", tmpdir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(path), sizeof(addr.sun_path));
	memcpy(addr.sun_path, path, strlen(path) + 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	log_calls = 0;
	ck_assert_int_eq(mpkni_cli_server_open(&other, path), 0);
	ck_assert_uint_eq(log_calls, 0);
	mpkni_cli_server_close(other);
	ck_assert_int_eq(access(path, F_OK), -1);

	mpkni_cli_log = saved;
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("server");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_show_workers_prints_fake_rows_with_pids);
	tcase_add_test(tc, test_show_rings_columns_and_numbers);
	tcase_add_test(tc, test_show_kni_link_mac_and_directions);
	tcase_add_test(tc, test_show_ports_balanced_column);
	tcase_add_test(tc, test_show_kni_requests_one_row_per_kind);
	tcase_add_test(tc, test_show_mempool);
	tcase_add_test(tc, test_show_mempool_failure_is_an_error);
	tcase_add_test(tc, test_show_version);
	tcase_add_test(tc, test_unknown_command_fails_and_server_goes_on);
	tcase_add_test(tc, test_include_filter_keeps_matching_rows);
	tcase_add_test(tc, test_abbreviated_and_regex_filters);
	tcase_add_test(tc, test_count_filter_output_reaches_oneshot_client);
	tcase_add_test(tc, test_clear_counters_calls_query_clear);
	tcase_add_test(tc, test_interactive_clear_counters_needs_enable);
	tcase_add_test(tc, test_socket_mode_is_0600);
	tcase_add_test(tc, test_client_vanishing_mid_output_leaves_server_serving);
	tcase_add_test(tc, test_malformed_first_line_gets_error);
	tcase_add_test(tc, test_overlong_request_gets_error);
	tcase_add_test(tc, test_trailer_cannot_be_forged_by_output);
	tcase_add_test(tc, test_interactive_show_version);
	tcase_add_test(tc, test_server_stop_returns_and_removes_socket);
	tcase_add_test(tc, test_stop_before_run_is_entered_waits_for_it);
	tcase_add_test(tc, test_open_replaces_stale_socket_only);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
