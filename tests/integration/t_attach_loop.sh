#!/usr/bin/env bash
# Attach, SIGKILL, attach, dozens of times under light traffic (issue 3): no
# slot, ring, lcore or mbuf leaks, nothing left in the runtime directory or
# hugetlbfs. Two slots; each round kills the worker of one slot and attaches
# a new one into it, so that one worker always serves while the other slot
# changes hands. Every other round the new worker is started at once, while
# the primary may still be reclaiming the slot (the worker waits for it).
#
# Workers are killed only once attached: a worker killed inside
# rte_eal_init() may die holding one of the EAL's shared locks (memory
# hotplug, tailq, ethdev ownership), which no process can release; that is
# DPDK's multi-process design, not something mpkni can mend.
#
# Printed figures: the rounds done, and every leak figure before and after.
. "$(dirname "$0")/lib.sh"
mpk_init attachloop
ROUNDS=${MPKNI_ATTACH_ROUNDS:-30}
BUDGET=40   # seconds for the loop; at least 10 rounds must fit

mpk_start_primary --workers 2
mpk_start_worker --mode kernel --slot 0
W[0]=$WORKER_PID
mpk_start_worker --mode kernel --slot 1
W[1]=$WORKER_PID
mpk_wire
BASE=$(( $(mpk_col "show workers" SLOT 0 LCORE) ))

# figures: mempool in use, in caches, runtime files, hugepage files of the
# prefix, bytes allocated in the DPDK heap (shared by every process of the
# prefix), free hugepages of the machine (only printed: other tests may run).
figures() {
	echo "$(mpk_mempool IN-USE) $(mpk_mempool IN-CACHES) $(mpk_runtime_files)" \
		"$(mpk_hugepage_files) $(mpk_tel "/eal/heap_info,0" Alloc_size)" \
		"$(mpk_hugepages_free)"
}
mpk_wait 5 mpk_rings_quiet || fail "rings not quiet at the start"
sleep 0.5
read -r inuse0 cache0 files0 huge0 heap0 hpfree0 <<<"$(figures)"
mpk_cli clear counters >/dev/null

# Light traffic all along: 16 UDP flows at 200 datagrams/s, and pings.
nsenter --net="/run/netns/$PEER" -- python3 -c "$MPK_UDP_PY" "$HOST_IP" 9 20000 16 200 &
UDPGEN=$!
MPK_PIDS+=("$UDPGEN")
nsenter --net="/run/netns/$PEER" -- ping -q -i 0.02 -W 1 "$HOST_IP" >"$LOGDIR/ping.out" 2>&1 &
PING=$!
MPK_PIDS+=("$PING")

start=$(date +%s)
done_rounds=0
for r in $(seq "$ROUNDS"); do
	[ $(( $(date +%s) - start )) -lt "$BUDGET" ] || break
	s=$((r % 2))
	victim=${W[$s]}
	# A moment of traffic at a random point before the kill.
	sleep "0.$(printf '%03d' $((RANDOM % 200)))"
	kill -KILL "$victim"
	wait "$victim"
	rc=$?
	mpk_forget_pid "$victim"
	[ "$rc" -eq 137 ] || fail "round $r: worker $victim exited $rc, not 137"
	if [ $((r % 2)) -eq 0 ]; then
		mpk_wait 5 mpk_slot_free "$s" || fail "round $r: slot $s not reclaimed"
	fi
	mpk_start_worker --mode kernel --slot "$s"
	W[s]=$WORKER_PID
	mpk_worker_running "${W[$((1 - s))]}" || fail "round $r: the other worker is not running"
	done_rounds=$r
done
t=$(( $(date +%s) - start ))
say "$done_rounds rounds of attach / SIGKILL / attach in $t s"
[ "$done_rounds" -ge 10 ] || fail "only $done_rounds rounds in $BUDGET s"

# SIGINT: ping prints its summary.
kill -INT "$PING"
kill -TERM "$UDPGEN"
wait "$UDPGEN"
wait "$PING"
mpk_forget_pid "$UDPGEN"
mpk_forget_pid "$PING"
say "ping during the loop: $(grep -E 'transmitted' "$LOGDIR/ping.out" || cat "$LOGDIR/ping.out")"

# Slots: both running with the last workers, each on its own lcore
# (lcore_base + slot), and every kill was reclaimed: the slot's attach
# count is 1 + the rounds that hit it.
out=$(mpk_cli show workers)
printf '%s\n' "$out"
for s in 0 1; do
	row=$(printf '%s\n' "$out" | awk -v s="$s" 'NR > 1 && $1 == s')
	read -r _ pid state lcore _ _ _ _ _ attaches <<<"$row"
	[ "$pid" = "${W[$s]}" ] && [ "$state" = running ] ||
		fail "slot $s: $row, expected worker ${W[$s]} running"
	[ "$lcore" -eq $((BASE + s)) ] || fail "slot $s: lcore $lcore, not $((BASE + s))"
	want=$((1 + (done_rounds + 1 - s) / 2))
	[ "$attaches" -eq "$want" ] || fail "slot $s: $attaches attaches, expected $want"
done
[ "$(printf '%s\n' "$out" | awk 'NR > 1 && $3 != "running"' | wc -l)" -eq 0 ] ||
	fail "a slot is neither free nor held by a live worker"

# Rings, mbufs, caches, files.
mpk_wait 5 mpk_rings_quiet || fail "rings in use after the loop: $(mpk_cli show rings)"
sleep 0.5
read -r inuse1 cache1 files1 huge1 heap1 hpfree1 <<<"$(figures)"
say "mempool in use: $inuse0 -> $inuse1; in lcore caches: $cache0 -> $cache1"
say "runtime files: $files0 -> $files1; hugepage files of the prefix: $huge0 -> $huge1;" \
	"free hugepages (machine-wide): $hpfree0 -> $hpfree1"
# A kill leaks at most what the victim held mid-burst; under 200 packets/s
# a kill rarely lands in a burst at all: two bursts for the whole loop.
d=$((inuse1 - inuse0))
[ "${d#-}" -le 64 ] || fail "mempool in use $inuse0 -> $inuse1 after $done_rounds kills"
# Caches: at most a flush threshold (1.5 x 256) on each live lcore: the
# primary's and the two workers'; a dead lcore's cache is flushed at reclaim.
[ "$cache1" -le $((3 * 384)) ] || fail "$cache1 mbufs in lcore caches"
[ "$files1" -eq "$files0" ] || fail "runtime files $files0 -> $files1: $(ls "/var/run/dpdk/$PREFIX")"
[ "$huge1" -eq "$huge0" ] || fail "hugepage files of the prefix $huge0 -> $huge1"
# The shared heap: a killed worker cannot free what its EAL allocated there.
# The worker gives back the service library's 150 KB right after
# rte_eal_init(); what remains is net_tap's per-process queue table (256
# bytes with its malloc header) of each killed worker: allow 512 a kill.
say "DPDK heap allocated: $heap0 -> $heap1 bytes ($(( (heap1 - heap0) / done_rounds )) a kill)"
[ $((heap1 - heap0)) -le $((512 * done_rounds)) ] ||
	fail "the DPDK heap grew by $((heap1 - heap0)) bytes in $done_rounds kills"

# The primary still answers and the path still works; every count adds up.
mpk_cli show version >/dev/null || fail "the primary does not answer"
in_peer ping -q -c 10 -i 0.02 -W 2 "$HOST_IP" >/dev/null || fail "ping after the loop failed"
mpk_check_accounting_killed "$done_rounds"
say PASS
