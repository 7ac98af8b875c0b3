#!/usr/bin/env bash
# A clean detach under traffic (issue 3): a worker that gets SIGTERM or
# SIGINT finishes its burst, hands its slot back and exits 0; its rings are
# left empty or drained by the primary; every count still adds up; nothing of
# it stays behind in the runtime directory; a new worker takes the slot.
# The peer pings vEth0 all along and sends UDP from many ports (so that both
# workers carry traffic); the ping loss across each detach is reported.
. "$(dirname "$0")/lib.sh"
mpk_init cleandetach

mpk_start_primary --workers 2
mpk_start_worker --mode kernel
W[0]=$WORKER_PID
mpk_start_worker --mode kernel
W[1]=$WORKER_PID
mpk_wire
mpk_wait 5 mpk_rings_quiet || fail "rings not quiet at the start"
files0=$(mpk_runtime_files)
heap0=$(mpk_tel "/eal/heap_info,0" Alloc_size)

slot_of() { mpk_col "show workers" PID "$1" SLOT; }

# detach SIGNAL SLOT: stops the worker of SLOT with SIGNAL under traffic.
detach() {
	local sig=$1 slot=$2 victim rc t0 t1 pings=() p out lost=0 sent=0 n log
	victim=${W[$slot]}
	mpk_cli clear counters >/dev/null
	# Four ping flows (four ICMP ids), 400 requests each, 4 s.
	for p in 1 2 3 4; do
		nsenter --net="/run/netns/$PEER" -- ping -q -c 400 -i 0.01 -W 2 "$HOST_IP" \
			>"$LOGDIR/ping_${sig}_$p.out" 2>&1 &
		pings+=($!)
		MPK_PIDS+=($!)
	done
	# ICMP between two hosts is one flow to the queue hash; 16 UDP flows
	# (1000 datagrams in 4 s) make sure both workers carry traffic.
	nsenter --net="/run/netns/$PEER" -- python3 -c "$MPK_UDP_PY" "$HOST_IP" 9 1000 16 250 &
	pings+=($!)
	MPK_PIDS+=($!)
	sleep 1
	rx_before=$(mpk_col "show workers" SLOT "$slot" RX)
	[ "$rx_before" -gt 0 ] || fail "worker $victim carries no traffic: $(mpk_cli show workers)"
	t0=$(date +%s%N)
	kill -"$sig" "$victim"
	wait "$victim"
	rc=$?
	mpk_forget_pid "$victim"
	t1=$(date +%s%N)
	say "SIG$sig: worker $victim (slot $slot, rx $rx_before so far) exited $rc after $(( (t1 - t0) / 1000000 )) ms"
	[ "$rc" -eq 0 ] || fail "worker $victim exited $rc on SIG$sig, not 0"
	log=$(grep -l "pid $victim attached" "$LOGDIR"/worker*.log)
	grep -q "slot $slot: detached" "$log" || fail "worker $victim did not say it detached: $(cat "$log")"
	mpk_wait 5 mpk_slot_free "$slot" || fail "slot $slot not free after SIG$sig: $(mpk_cli show workers)"
	grep -q "slot $slot: worker pid $victim left; slot reclaimed" "$LOGDIR/primary.log" ||
		fail "the primary did not log a clean leave of $victim"
	# While the slot has no worker the primary serves its queues itself:
	# nothing may wait in the slot's rings.
	n=$(mpk_cli show rings | awk -v k="mpkni_k${slot}_0" -v w="mpkni_w${slot}_0" \
		'$1 == k || $1 == w { s += $3 } END { print s + 0 }')
	[ "$n" -eq 0 ] || fail "the free slot's rings hold $n packets: $(mpk_cli show rings)"
	mpk_start_worker --mode kernel --slot "$slot"
	W[slot]=$WORKER_PID
	mpk_worker_running "$WORKER_PID" || fail "the new worker is not running"
	say "SIG$sig: worker $WORKER_PID took slot $slot"
	for p in "${pings[@]}"; do
		wait "$p" || true
		mpk_forget_pid "$p"
	done
	for p in 1 2 3 4; do
		out=$(cat "$LOGDIR/ping_${sig}_$p.out")
		n=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p')
		[ -n "$n" ] || fail "ping $p printed no summary: $out"
		read -r s r <<<"$n"
		sent=$((sent + s))
		lost=$((lost + s - r))
	done
	say "SIG$sig: ping loss across the detach: $lost of $sent"
	# A clean detach loses at most what was in flight in the kernel and
	# on the wire while the hand-over happened: a few packets, not a burst.
	[ "$lost" -le 32 ] || fail "SIG$sig: $lost of $sent pings lost across a clean detach"
	mpk_check_accounting
	[ "$(mpk_cli show rings | awk 'NR > 1 && $8 != 0' | wc -l)" -eq 0 ] ||
		fail "rings dropped packets: $(mpk_cli show rings)"
}

detach TERM 0
detach INT 1
detach TERM 1

# The runtime directory holds what it held with two workers: the detached
# workers removed their own files...
files1=$(mpk_runtime_files)
say "runtime files: $files0 at the start, $files1 now"
[ "$files1" -eq "$files0" ] || fail "runtime files $files0 -> $files1: $(ls "/var/run/dpdk/$PREFIX")"
# And freed what their EAL allocated in the shared heap.
heap1=$(mpk_tel "/eal/heap_info,0" Alloc_size)
say "DPDK heap allocated: $heap0 bytes at the start, $heap1 now"
[ "$heap1" -eq "$heap0" ] || fail "the DPDK heap went from $heap0 to $heap1 bytes across clean detaches"
mpk_cli show workers
say PASS
