#!/usr/bin/env bash
# The primary goes away (issue 3).
#  1. SIGKILL: both workers exit with code 3 within 5 s, saying "the primary
#     (pid P) died". A primary restarted with the same prefix cleans up the
#     dead one's runtime and hugepage files, starts, a worker attaches and
#     pings work again (the kernel interfaces are new: addresses again, and
#     the net_tap interface back into the bridge: mpk_rewire).
#  2. SIGTERM: the workers see "the primary is stopping" and exit 0, the
#     primary exits 0, and no hugepage file of the prefix and no runtime
#     directory remain.
# Printed figures: how long each worker took to notice, the files left by
# the dead primary and what the restarted one kept of them.
. "$(dirname "$0")/lib.sh"
mpk_init primarydeath

# wait_exit PID T0 SECONDS: waits until SECONDS after T0 (date +%s%N) for
# PID to exit, polling every 10 ms, then reaps it; sets RC and MS (how long
# after T0 it was seen gone).
wait_exit() {
	local pid=$1 t0=$2 end=$(($2 + $3 * 1000000000))
	while ! mpk_exited "$pid" && [ "$(date +%s%N)" -lt "$end" ]; do
		sleep 0.01
	done
	MS=$(( ($(date +%s%N) - t0) / 1000000 ))
	mpk_exited "$pid" || fail "pid $pid still runs $3 s after it was told"
	wait "$pid"
	RC=$?
	mpk_forget_pid "$pid"
}

mpk_start_primary --workers 2
files_fresh=$(mpk_runtime_files)
huge_fresh=$(mpk_hugepage_files)
mpk_start_worker --mode kernel
W0=$WORKER_PID
L0=$WORKER_LOG
mpk_start_worker --mode kernel
W1=$WORKER_PID
L1=$WORKER_LOG
mpk_wire
in_peer ping -q -c 10 -i 0.02 -W 2 "$HOST_IP" >/dev/null || fail "ping failed"

# --- 1. SIGKILL -------------------------------------------------------------
P=$PRIMARY_PID
t_kill=$(date +%s%N)
kill -KILL "$P"
wait_exit "$P" "$t_kill" 5
[ "$RC" -eq 137 ] || fail "the primary exited $RC, not 137"
for w in "$W0:$L0" "$W1:$L1"; do
	pid=${w%%:*}
	log=${w#*:}
	# Within 5 s of the kill.
	wait_exit "$pid" "$t_kill" 5
	say "worker $pid exited $RC, $MS ms after the kill:" "$(grep 'the primary' "$log" | head -1)"
	[ "$RC" -eq 3 ] || fail "worker $pid exited $RC, not 3: $(cat "$log")"
	grep -q "the primary (pid $P) died" "$log" || fail "worker $pid did not say the primary died"
done

# What the dead primary left: its runtime directory, the workers' EAL files
# (they exit without rte_eal_cleanup when the primary is gone) and its
# hugepage files. Its kernel interfaces go with the last process that held
# their descriptors.
files_dead=$(mpk_runtime_files)
huge_dead=$(mpk_hugepage_files)
say "left by the dead primary: $files_dead runtime files ($files_fresh when fresh)," \
	"$huge_dead hugepage files ($huge_fresh)"
stale=
for f in config mpkni.info mpkni_cli.sock; do
	[ ! -e "/var/run/dpdk/$PREFIX/$f" ] || stale="$stale $f"
done
say "stale among them:${stale:- none of config, mpkni.info, mpkni_cli.sock}"
mpk_wait 5 sh -c "! ip netns exec $HOST ip link show vEth0 >/dev/null 2>&1" ||
	fail "vEth0 outlived the primary"
mpk_wait 5 sh -c "! ip netns exec $HOST ip link show $WIRE >/dev/null 2>&1" ||
	fail "$WIRE outlived the primary and its workers"

# A new primary of the prefix starts over the stale files.
t0=$(date +%s%N)
mpk_restart_primary --workers 2
say "restarted primary $PRIMARY_PID ready after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
mpk_cli show version >/dev/null || fail "the restarted primary does not answer"
files_new=$(mpk_runtime_files)
huge_new=$(mpk_hugepage_files)
say "after the restart: $files_new runtime files, $huge_new hugepage files"
[ "$files_new" -eq "$files_fresh" ] ||
	fail "runtime files: $files_new after the restart, $files_fresh fresh: $(ls "/var/run/dpdk/$PREFIX")"
[ "$huge_new" -eq "$huge_fresh" ] || fail "hugepage files: $huge_new after the restart, $huge_fresh fresh"
mpk_start_worker --mode kernel
W0=$WORKER_PID
L0=$WORKER_LOG
mpk_rewire
mpk_wait 10 in_peer ping -c1 -W1 "$HOST_IP" || fail "no ping reply after the restart"
in_peer ping -q -c 20 -i 0.02 -W 2 "$HOST_IP" >/dev/null || fail "ping after the restart failed"
say "a worker attached to the restarted primary and pings work again"
mpk_check_accounting

# --- 2. SIGTERM -------------------------------------------------------------
mpk_start_worker --mode kernel
W1=$WORKER_PID
L1=$WORKER_LOG
P=$PRIMARY_PID
t_term=$(date +%s%N)
kill -TERM "$P"
for w in "$W0:$L0" "$W1:$L1"; do
	pid=${w%%:*}
	log=${w#*:}
	wait_exit "$pid" "$t_term" 5
	say "worker $pid exited $RC, $MS ms after the SIGTERM: $(grep 'the primary' "$log" | head -1)"
	[ "$RC" -eq 0 ] || fail "worker $pid exited $RC, not 0: $(cat "$log")"
	grep -q "the primary is stopping" "$log" || fail "worker $pid did not say the primary is stopping"
done
wait_exit "$P" "$t_term" 10
say "the primary exited $RC, $MS ms after the SIGTERM"
[ "$RC" -eq 0 ] || fail "the primary exited $RC on SIGTERM"
grep -q "did not leave" "$LOGDIR/primary.log" && fail "the primary waited for a worker in vain"
left=$(find /dev/hugepages -maxdepth 1 -name "${PREFIX}map_*" | wc -l)
[ "$left" -eq 0 ] || fail "$left hugepage files of the prefix remain"
[ ! -e "/var/run/dpdk/$PREFIX" ] || fail "/var/run/dpdk/$PREFIX remains: $(ls -a "/var/run/dpdk/$PREFIX")"
say "after a clean stop: no hugepage file of the prefix, no runtime directory"
say PASS
