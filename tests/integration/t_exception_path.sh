#!/usr/bin/env bash
# The exception path end to end: a primary, two workers in "kernel" mode, a
# TAP port whose wire leads to a namespace peer. The peer's pings are answered
# and a multi-megabyte TCP transfer to a listener on vEth0 arrives
# byte-identical, both only through the DPDK path; the CLI lists both workers
# by pid and every count adds up.
. "$(dirname "$0")/lib.sh"
mpk_init exception
SIZE_MB=${MPKNI_TRANSFER_MB:-32}

mpk_start_primary --workers 2
mpk_start_worker --mode kernel
W0=$WORKER_PID
mpk_start_worker --mode kernel
W1=$WORKER_PID
mpk_wire

# Both workers listed by pid, running, in distinct slots and lcores.
for pid in $W0 $W1; do
	mpk_worker_running "$pid" || fail "worker $pid not listed as running: $(mpk_cli show workers)"
done
[ "$(mpk_cli show workers | awk 'NR > 1 && $3 == "running" { print $4 }' | sort -u | wc -l)" -eq 2 ] ||
	fail "the two workers do not have two distinct lcores"
mpk_cli clear counters >/dev/null || fail "clear counters failed"
k_rx0=$(host_sysfs vEth0/statistics/rx_packets)

# 100 pings, all answered.
out=$(in_peer ping -c 100 -i 0.01 -W 2 "$HOST_IP") || fail "ping failed: $out"
loss=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
say "ping: $(printf '%s\n' "$out" | tail -2 | tr '\n' ' ')"
[ "$loss" = 0 ] || fail "ping loss $loss%"

# A multi-megabyte TCP transfer from the peer to a listener on vEth0.
head -c "${SIZE_MB}M" /dev/urandom >"$LOGDIR/blob"
nsenter --net="/run/netns/$HOST" -- timeout 60 nc -l "$HOST_IP" 5001 >"$LOGDIR/blob.out" &
NC=$!
MPK_PIDS+=("$NC")
mpk_wait 5 in_host sh -c "ss -ltn | grep -q ':5001 '" || fail "listener did not start"
t0=$(date +%s.%N)
in_peer timeout 60 nc -N "$HOST_IP" 5001 <"$LOGDIR/blob" || fail "TCP client failed"
wait "$NC" || fail "listener failed"
t1=$(date +%s.%N)
cmp -s "$LOGDIR/blob" "$LOGDIR/blob.out" || fail "received data differs from what was sent"
say "TCP: ${SIZE_MB} MiB byte-identical in $(echo "$t1 - $t0" | bc -l | cut -c1-5) s"

# Only through the DPDK path: every frame the kernel received on vEth0 was
# written by the primary, and the workers received what the peer sent.
k_rx=$(( $(host_sysfs vEth0/statistics/rx_packets) - k_rx0 ))
ktx=$(mpk_col "show kni" NAME vEth0 TX-PKTS)
wrx=$(mpk_sum "show workers" RX)
min_segs=$(( SIZE_MB * 1048576 / 1500 ))
[ "$ktx" -ge $((100 + min_segs)) ] ||
	fail "only $ktx frames reached the kernel through the primary (expected >= $((100 + min_segs)))"
[ "$k_rx" -eq "$ktx" ] || fail "vEth0 received $k_rx frames but the primary wrote $ktx"
[ "$wrx" -ge $((100 + min_segs)) ] || fail "workers received only $wrx frames"
for pid in $W0 $W1; do
	rx=$(mpk_col "show workers" PID "$pid" RX)
	say "worker $pid: rx $rx"
done
fk=$(mpk_col "show kni" NAME vEth0 RX-PKTS)
[ "$fk" -ge 100 ] || fail "only $fk frames came back from the kernel"
say "kernel path: $ktx frames to the kernel, $fk from it"

mpk_check_accounting
mpk_cli show workers
mpk_cli show rings
mpk_cli show kni
say PASS
