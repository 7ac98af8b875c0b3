#!/usr/bin/env bash
# Benchmarks of the exception path, as root, not part of "make check".
# One process per core: the primary on CPU 0 (its lcore 0), one worker on
# CPU 1, both busy-polling (--idle-us 0). On a 2-core machine the peer's and
# the kernel's own work share those cores, so the figures are a floor.
#   1. kernel-path packet rate: a net_null port makes 64-byte frames as fast
#      as the worker polls; the worker sends all to the kernel ring, the
#      primary writes them into vEth1. Rate = frames the kernel took per s.
#   2. TCP through DPDK: the namespace peer sends SIZE MiB to a listener on
#      vEth0 (net_tap port, wire through a bridge), timed end to end.
# Usage: tests/bench/bench_kernel_path.sh [SECONDS] [SIZE_MB]
. "$(dirname "$0")/../integration/lib.sh"
SECS=${1:-5}
SIZE_MB=${2:-256}
mpk_init bench
MPK_EAL_EXTRA="--vdev net_null0,size=64"

# Pinned and busy: replace the test defaults.
nsenter --net="/run/netns/$HOST" -- "$B/mpkni-primary" --file-prefix "$PREFIX" -l 0 \
	--vdev "net_tap0,iface=$WIRE" $MPK_EAL_EXTRA -- --workers 1 --idle-us 0 --kni-policy link=ignore \
	>"$LOGDIR/primary.log" 2>&1 &
PRIMARY_PID=$!
MPK_PIDS+=("$PRIMARY_PID")
mpk_wait 20 test -S "/var/run/dpdk/$PREFIX/mpkni_cli.sock" || fail "primary did not start"
mpk_wait 5 test -f "/var/run/dpdk/$PREFIX/mpkni.info" || fail "primary not ready"
nsenter --net="/run/netns/$HOST" -- "$B/mpkni-worker" --file-prefix "$PREFIX" -- \
	--mode kernel --cpus 1 --idle-us 0 >"$LOGDIR/worker.log" 2>&1 &
W=$!
MPK_PIDS+=("$W")
mpk_wait 20 mpk_worker_running "$W" || fail "worker did not attach"
# net_null has no link up/down: "ignore" lets the kernel side come up alone.
in_host ip link set vEth1 up
mpk_wire

# 1. Kernel-path packet rate.
mpk_cli clear counters >/dev/null
sleep "$SECS"
ktx=$(mpk_col "show kni" NAME vEth1 TX-PKTS)
kdrop=$(mpk_col "show kni" NAME vEth1 TX-DROP)
rx=$(mpk_col "show ports" PORT 1 RX)
rfull=$(mpk_col "show ports" PORT 1 DROP-RING)
say "kernel path (net_null 64 B -> worker -> ring -> primary -> vEth1), ${SECS} s:"
say "  worker rx $(( rx / SECS )) pkt/s; kernel took $(( ktx / SECS )) pkt/s;" \
	"ring-full drops $(( rfull / SECS ))/s; kernel refused $(( kdrop / SECS ))/s"
mpk_cli show rings | grep -E '^NAME|_1 '

# The null port floods: take it out of the way for the TCP run.
in_host ip link set vEth1 down

# 2. TCP through DPDK.
head -c "${SIZE_MB}M" /dev/zero >"$LOGDIR/blob"
nsenter --net="/run/netns/$HOST" -- timeout 120 nc -l "$HOST_IP" 5001 >/dev/null &
NC=$!
MPK_PIDS+=("$NC")
mpk_wait 5 in_host sh -c "ss -ltn | grep -q ':5001 '" || fail "listener did not start"
t0=$(date +%s.%N)
in_peer timeout 120 nc -N "$HOST_IP" 5001 <"$LOGDIR/blob" || fail "TCP client failed"
wait "$NC"
t1=$(date +%s.%N)
secs=$(echo "$t1 - $t0" | bc -l)
say "TCP peer -> vEth0 through DPDK: ${SIZE_MB} MiB in $(printf '%.2f' "$secs") s =" \
	"$(echo "$SIZE_MB * 8 * 1.048576 / $secs" | bc -l | cut -c1-6) Mbit/s;" \
	"frames to the kernel $(mpk_col "show kni" NAME vEth0 TX-PKTS)"
