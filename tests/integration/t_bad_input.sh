#!/usr/bin/env bash
# Bad input gets one clear line and a non-zero exit, in seconds: a worker
# with no primary, with a primary of another layout version, asking for a
# taken or missing slot, with lcore options; a primary with bad options, no
# ports, or a prefix already in use; a CLI with no primary.
. "$(dirname "$0")/lib.sh"
mpk_init badinput

# expect_fail CODE PATTERN CMD...: CMD exits with CODE within 10 s and its
# stderr has exactly one mpkni line, matching PATTERN.
expect_fail() {
	local want=$1 pat=$2 rc lines
	shift 2
	timeout 10 "$@" >"$LOGDIR/out" 2>"$LOGDIR/err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, not $want: $(cat "$LOGDIR/err")"
	lines=$(grep -c '^mpkni' "$LOGDIR/err")
	[ "$lines" -eq 1 ] || fail "'$*' printed $lines mpkni lines: $(cat "$LOGDIR/err")"
	grep -q -- "$pat" "$LOGDIR/err" || fail "'$*' did not say '$pat': $(cat "$LOGDIR/err")"
	say "ok ($rc): $(grep '^mpkni' "$LOGDIR/err")"
}

# No primary at all.
t0=$(date +%s)
expect_fail 1 "no mpkni primary is running with file prefix '$PREFIX'" \
	"$B/mpkni-worker" --file-prefix "$PREFIX"
[ $(( $(date +%s) - t0 )) -le 3 ] || fail "the worker took more than 3 s to give up"
expect_fail 2 "no mpkni primary is serving file prefix '$PREFIX'" \
	"$B/mpkni-cli" --file-prefix "$PREFIX" show workers
expect_fail 2 "bad --file-prefix" "$B/mpkni-worker" --file-prefix ../etc
expect_fail 2 "mpkni picks each worker's lcore" "$B/mpkni-worker" -l 3 --file-prefix "$PREFIX"
expect_fail 2 "unknown --mode 'bogus'" "$B/mpkni-worker" --file-prefix "$PREFIX" -- --mode bogus
expect_fail 2 "unknown option '--frobnicate'" "$B/mpkni-primary" -- --frobnicate
expect_fail 2 "--workers must be 1..16" "$B/mpkni-primary" -- --workers 99

# A primary without ports.
expect_fail 1 "0 ports; need 1..8" "${HOSTNS[@]}" "$B/mpkni-primary" --file-prefix "${PREFIX}x" \
	--no-huge -m 64
rm -rf "/var/run/dpdk/${PREFIX}x"

mpk_start_primary --workers 2
# A second primary on the same prefix is refused.
expect_fail 1 "a primary is already running with file prefix '$PREFIX'" "${HOSTNS[@]}" "$B/mpkni-primary" --file-prefix "$PREFIX" \
	--vdev net_null0
kill -0 "$PRIMARY_PID" || fail "the first primary died"
mpk_cli show version >/dev/null || fail "the first primary stopped answering"

mpk_start_worker --mode kernel --slot 1
W=$WORKER_PID
expect_fail 1 "slot 1 is taken by worker pid $W" \
	"${HOSTNS[@]}" "$B/mpkni-worker" --file-prefix "$PREFIX" -- --slot 1
expect_fail 1 "slot 5 does not exist: the primary has 2 slots" \
	"${HOSTNS[@]}" "$B/mpkni-worker" --file-prefix "$PREFIX" -- --slot 5
mpk_start_worker --mode kernel
expect_fail 1 "all 2 worker slots of the primary are taken" \
	"${HOSTNS[@]}" "$B/mpkni-worker" --file-prefix "$PREFIX"

# A primary of another layout version: its info file says so.
sed -i 's/^layout_version=.*/layout_version=99/' "/var/run/dpdk/$PREFIX/mpkni.info"
mpk_stop_pid "$W"
expect_fail 1 "uses shared layout version 99; this worker needs version [0-9]" \
	"${HOSTNS[@]}" "$B/mpkni-worker" --file-prefix "$PREFIX"
[ "$(mpk_cli show workers | awk 'NR > 1 && $3 == "running"' | wc -l)" -eq 1 ] ||
	fail "the refused workers changed the slot table: $(mpk_cli show workers)"
say PASS
