# shellcheck shell=bash
# Helpers of the integration tests and the demo. Each run gets its own DPDK
# file prefix and its own network namespaces:
#   $HOST  the primary's namespace: the kernel interface vEth0 (198.18.0.1),
#          the net_tap port's interface $WIRE and a NOARP bridge joining it
#          to one end of a veth pair: the "wire"
#   $PEER  the other end of the wire ($PEER_IF, 198.18.0.2): the remote host
# The primary, the workers and every client run in $HOST; nothing touches the
# machine's own interfaces. mpk_cleanup (on EXIT) stops every process by pid,
# deletes the namespaces and removes the prefix's runtime and hugepage files.
# Addresses are from 198.18.0.0/15 and 2001:db8::/32, reserved for tests and
# documentation, and exist only inside these namespaces.

set -u

B=${MPKNI_BUILDDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../build" && pwd)}
HOST_IP=198.18.0.1
PEER_IP=198.18.0.2
HOST_IP6=2001:db8::1
PEER_IP6=2001:db8::2
PEER_MAC=02:00:00:00:00:02
WIRE_MAC=02:00:00:00:00:0a

MPK_PIDS=()
PRIMARY_PID=

say() { printf '%s: %s\n' "$MPK_NAME" "$*"; }
fail() {
	printf '%s: FAIL: %s\n' "$MPK_NAME" "$*" >&2
	mpk_dump_logs >&2
	exit 1
}

mpk_dump_logs() {
	local f
	for f in "$LOGDIR"/*.log; do
		[ -f "$f" ] || continue
		echo "---- $f (last 25 lines)"
		tail -n 25 "$f"
	done
}

# mpk_init NAME: names, namespaces and the cleanup trap for this run.
mpk_init() {
	MPK_NAME=$1
	if [ "$(id -u)" -ne 0 ]; then
		echo "$MPK_NAME: needs root (hugepages, TAP, namespaces): skipped"
		exit 77
	fi
	local id="mk$$"
	PREFIX="mpkt_${MPK_NAME}_$$"
	HOST="${id}h"
	PEER="${id}p"
	WIRE="${id}w"
	BR="${id}br"
	VH="${id}a"
	PEER_IF="${id}b"
	LOGDIR=$(mktemp -d "/tmp/mpkni-$MPK_NAME.XXXXXX")
	# For commands that take a command (timeout, xargs): "${HOSTNS[@]}" cmd.
	HOSTNS=(nsenter "--net=/run/netns/$HOST" --)
	trap mpk_cleanup EXIT
	ip netns add "$HOST" || fail "cannot create namespace $HOST"
	ip netns add "$PEER" || fail "cannot create namespace $PEER"
	in_host ip link set lo up
	in_peer ip link set lo up
	# No IPv6 duplicate-address wait: the tests' addresses are unique.
	ip netns exec "$HOST" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip netns exec "$PEER" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

# nsenter execs the command itself, so a background nsenter started directly
# (not through these functions, which add a subshell) has $! = the command's
# pid; ip netns exec forks and would hide it. Reading the namespace's sysfs
# needs ip netns exec, which remounts /sys: host_sysfs.
in_host() { nsenter --net="/run/netns/$HOST" -- "$@"; }
in_peer() { nsenter --net="/run/netns/$PEER" -- "$@"; }
host_sysfs() { ip netns exec "$HOST" cat "/sys/class/net/$1"; }

mpk_stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	sleep 0.2
}

mpk_cleanup() {
	local rc=$? pid
	set +e
	for pid in "${MPK_PIDS[@]}"; do
		[ "$pid" = "$PRIMARY_PID" ] || mpk_stop_pid "$pid"
	done
	[ -n "$PRIMARY_PID" ] && mpk_stop_pid "$PRIMARY_PID"
	ip netns del "$HOST" 2>/dev/null
	ip netns del "$PEER" 2>/dev/null
	rm -rf "/var/run/dpdk/$PREFIX"
	rm -f /dev/hugepages/"${PREFIX}"map_* 2>/dev/null
	[ "$rc" -eq 0 ] && rm -rf "$LOGDIR"
	exit "$rc"
}

# mpk_wait SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
mpk_wait() {
	local t=$1 i
	shift
	for i in $(seq $((t * 10))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# mpk_start_primary [PRIMARY OPTIONS]: the primary with one net_tap port, and
# whatever EAL options MPK_EAL_EXTRA adds (e.g. a second port).
mpk_start_primary() {
	# shellcheck disable=SC2086
	nsenter --net="/run/netns/$HOST" -- "$B/mpkni-primary" --file-prefix "$PREFIX" \
		--vdev "net_tap0,iface=$WIRE" ${MPK_EAL_EXTRA:-} \
		-- --idle-us 100 "$@" >"$LOGDIR/primary.log" 2>&1 &
	PRIMARY_PID=$!
	MPK_PIDS+=("$PRIMARY_PID")
	mpk_wait 20 test -S "/var/run/dpdk/$PREFIX/mpkni_cli.sock" ||
		fail "primary did not become ready"
	mpk_wait 5 test -f "/var/run/dpdk/$PREFIX/mpkni.info" || fail "primary published nothing"
}

# mpk_wire: the bridge, the veth pair, the peer and the addresses.
mpk_wire() {
	in_host ip link set "$WIRE" address "$WIRE_MAC"
	in_host ip link add "$BR" type bridge
	# The bridge only forwards: no ARP, no IPv6, so frames for vEth0 can
	# reach it only through the DPDK port.
	in_host ip link set "$BR" arp off
	ip netns exec "$HOST" sysctl -qw "net.ipv6.conf.$BR.disable_ipv6=1"
	in_host ip link add "$VH" type veth peer name "$PEER_IF" netns "$PEER"
	ip netns exec "$HOST" sysctl -qw "net.ipv6.conf.$VH.disable_ipv6=1" \
		"net.ipv6.conf.$WIRE.disable_ipv6=1"
	in_host ip link set "$WIRE" master "$BR"
	in_host ip link set "$VH" master "$BR"
	in_host ip link set "$BR" up
	in_host ip link set "$VH" up
	in_host ip link set "$WIRE" up
	in_peer ip link set "$PEER_IF" address "$PEER_MAC"
	in_peer ip addr add "$PEER_IP/24" dev "$PEER_IF"
	in_peer ip addr add "$PEER_IP6/64" dev "$PEER_IF" nodad
	in_peer ip link set "$PEER_IF" up
	in_host ip addr add "$HOST_IP/24" dev vEth0
	in_host ip addr add "$HOST_IP6/64" dev vEth0 nodad
	in_host ip link set vEth0 up
	mpk_wait 10 in_peer ping -c1 -W1 "$HOST_IP" || fail "no ping reply through the wire"
}

# mpk_start_worker [WORKER OPTIONS]: prints nothing; sets WORKER_PID. The
# program is mpkni-worker, or MPK_WORKER_BIN (a custom network function).
mpk_start_worker() {
	local n=${#MPK_PIDS[@]}
	nsenter --net="/run/netns/$HOST" -- "$B/${MPK_WORKER_BIN:-mpkni-worker}" \
		--file-prefix "$PREFIX" -- \
		--idle-us 100 "$@" \
		>"$LOGDIR/worker$n.log" 2>&1 &
	WORKER_PID=$!
	WORKER_LOG="$LOGDIR/worker$n.log"
	MPK_PIDS+=("$WORKER_PID")
	mpk_wait 20 mpk_worker_running "$WORKER_PID" || fail "worker $WORKER_PID did not attach"
}

mpk_cli() { in_host "$B/mpkni-cli" --file-prefix "$PREFIX" "$@"; }

mpk_worker_running() {
	mpk_cli show workers | awk -v p="$1" '$2 == p && $3 == "running" { f = 1 } END { exit !f }'
}

# mpk_col "show X" KEYCOL KEY COL: the value in column COL of the row whose
# column KEYCOL is KEY, by the table's header names.
mpk_col() {
	local cmd=$1 keycol=$2 key=$3 col=$4
	# shellcheck disable=SC2086
	mpk_cli $cmd | awk -v kc="$keycol" -v k="$key" -v c="$col" '
		NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h[kc] == k { print $h[c]; found = 1; exit }
		END { exit !found }'
}

# mpk_kni_req IFACE KIND COL: column COL of "show kni requests" for one
# interface and request kind (APPLIED, IGNORED, REJECTED, LAST...).
mpk_kni_req() {
	mpk_cli show kni requests | awk -v n="$1" -v k="$2" -v c="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["NAME"] == n && $h["KIND"] == k { print $h[c] }'
}

# mpk_at_least N CMD...: CMD prints a number that is at least N (for mpk_wait).
mpk_at_least() {
	local want=$1 v
	shift
	v=$("$@") && [ "$v" -ge "$want" ]
}

# mpk_sum "show X" COL: the sum of column COL over all rows.
mpk_sum() {
	local cmd=$1 col=$2
	# shellcheck disable=SC2086
	mpk_cli $cmd | awk -v c="$col" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ s += $h[c] } END { print s + 0 }'
}

# The accounting of DESIGN.md, checked once traffic has stopped:
#   per port:      rx = fwd + to_kernel + drops (the BALANCED column)
#   per interface: to_kernel = kernel tx + kernel dropped + still in kernel rings
#   per ring:      enqueued = dequeued + in use
# The figures come from several CLI reads, and the kernels of both namespaces
# keep talking (IPv6 neighbour discovery, MLD) after a test's traffic: a frame
# that moves between two reads skews one reading. So the check passes on the
# first of up to 20 readings (0.1 s apart) that holds, and fails if none does.
mpk_check_accounting() {
	local i bal tk ktx kdrop inrings rings
	mpk_wait 5 mpk_rings_quiet || fail "rings did not drain"
	for i in $(seq 20); do
		bal=$(mpk_col "show ports" PORT 0 BALANCED)
		tk=$(mpk_col "show ports" PORT 0 TO-KERNEL)
		ktx=$(mpk_col "show kni" NAME vEth0 TX-PKTS)
		kdrop=$(mpk_col "show kni" NAME vEth0 TX-DROP)
		rings=$(mpk_cli show rings)
		inrings=$(printf '%s\n' "$rings" |
			awk 'NR > 1 && $1 ~ /^mpkni_k/ { s += $3 } END { print s + 0 }')
		if [ "$bal" = yes ] && [ "$tk" -eq $((ktx + kdrop + inrings)) ] &&
			printf '%s\n' "$rings" | awk 'NR > 1 && $6 != $7 + $3 { bad = 1 } END { exit bad }'; then
			say "accounting holds: to_kernel $tk = kernel tx $ktx + dropped $kdrop + in rings $inrings"
			return 0
		fi
		sleep 0.1
	done
	[ "$bal" = yes ] || fail "port 0 accounting unbalanced: $(mpk_cli show ports)"
	[ "$tk" -eq $((ktx + kdrop + inrings)) ] ||
		fail "to_kernel $tk != kernel tx $ktx + dropped $kdrop + in rings $inrings"
	fail "a ring's enqueued != dequeued + in use: $rings"
}

mpk_rings_quiet() {
	mpk_cli show rings | awk 'NR > 1 && $3 != 0 { busy = 1 } END { exit busy }'
}

# mpk_tel "/ethdev/info,0" KEY...: one value of a DPDK telemetry reply,
# read with dpdk-telemetry.py like any collector would.
mpk_tel() {
	local cmd=$1
	shift
	printf '%s\n' "$cmd" | in_host dpdk-telemetry.py -f "$PREFIX" 2>/dev/null |
		python3 -c '
import json, sys
key = sys.argv[1].split(",")[0]
for line in sys.stdin:
    at = line.find("{\"" + key + "\"")
    if at < 0:
        continue
    v = json.loads(line[at:])[key]
    for k in sys.argv[2:]:
        v = v[k]
    print(v)
    sys.exit(0)
sys.exit(1)' "$cmd" "$@"
}

# ---- Workers coming, going and crashing -----------------------------------

# mpk_slot_state SLOT: free, claiming, running, leaving or dead.
mpk_slot_state() { mpk_col "show workers" SLOT "$1" STATE; }
mpk_slot_free() { [ "$(mpk_slot_state "$1")" = free ]; }

# mpk_mempool COL: a column of "show mempool" (IN-USE, AVAIL, IN-CACHES...).
# IN-USE is what rte_mempool_in_use_count says: mbufs neither in the pool's
# ring nor in any lcore's cache (rx descriptors, rings, packets in flight).
mpk_mempool() { mpk_col "show mempool" NAME mpkni_mbufs "$1"; }

# mpk_runtime_files: how many files the prefix's runtime directory holds.
mpk_runtime_files() { find "/var/run/dpdk/$PREFIX" -mindepth 1 2>/dev/null | wc -l; }
# mpk_hugepage_files: how many hugepage files of the prefix exist.
mpk_hugepage_files() { find /dev/hugepages -maxdepth 1 -name "${PREFIX}map_*" 2>/dev/null | wc -l; }
mpk_hugepages_free() { awk '$1 == "HugePages_Free:" { print $2 }' /proc/meminfo; }

# mpk_rewire: after a primary of the prefix was restarted, the kernel
# interfaces it owns are new ones: vEth0 needs its addresses again and the
# net_tap interface $WIRE its MAC and its place in the bridge. The bridge,
# the veth pair and the peer (mpk_wire) are still there. Does not test the
# path: with --orphan drop a ping may not get through.
mpk_rewire() {
	mpk_wait 10 in_host ip link show "$WIRE" || fail "no interface $WIRE after the restart"
	mpk_wait 10 in_host ip link show vEth0 || fail "no vEth0 after the restart"
	in_host ip link set "$WIRE" address "$WIRE_MAC"
	ip netns exec "$HOST" sysctl -qw "net.ipv6.conf.$WIRE.disable_ipv6=1"
	in_host ip link set "$WIRE" master "$BR"
	in_host ip link set "$WIRE" up
	in_host ip addr add "$HOST_IP/24" dev vEth0
	in_host ip addr add "$HOST_IP6/64" dev vEth0 nodad
	in_host ip link set vEth0 up
	# The new vEth0 has a new MAC: forget the old one.
	in_peer ip neigh flush dev "$PEER_IF"
}

# A UDP sender for the peer: COUNT datagrams to DST:PORT from FLOWS sockets
# (FLOWS source ports, so FLOWS flows, spread over the port's queues by flow
# hash), at PPS datagrams a second (0: as fast as it can). Each payload is
# "mpkni-" and the datagram's number. In the foreground:
#   mpk_udp_flows DST PORT COUNT FLOWS PPS
# in the background, so that $! is python's pid:
#   nsenter --net="/run/netns/$PEER" -- python3 -c "$MPK_UDP_PY" DST PORT COUNT FLOWS PPS &
MPK_UDP_PY='
import socket, sys, time
dst, port, count, flows, pps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
socks = []
for i in range(flows):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 0))
    socks.append(s)
t0 = time.monotonic()
for i in range(count):
    socks[i % flows].sendto(b"mpkni-%07d" % i, (dst, port))
    if pps > 0:
        d = t0 + (i + 1) / pps - time.monotonic()
        if d > 0:
            time.sleep(d)
'
mpk_udp_flows() { in_peer python3 -c "$MPK_UDP_PY" "$@"; }

# mpk_forget_pid PID: once a test has waited for PID (it is reaped), the
# clean-up must not signal that pid: the kernel may give it to another
# process (pid_max may be small, and tests start many processes).
mpk_forget_pid() {
	local keep=() p
	for p in "${MPK_PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	MPK_PIDS=("${keep[@]}")
	[ "$PRIMARY_PID" != "$1" ] || PRIMARY_PID=
}

# A UDP sink for the host: counts the distinct "mpkni-" datagrams that reach
# IP:PORT and prints the count when COUNT arrived, or IDLE seconds passed
# without one after the first, or MAX seconds in all. In the background:
#   nsenter --net="/run/netns/$HOST" -- python3 -c "$MPK_UDP_SINK_PY" IP PORT COUNT IDLE MAX >FILE &
# then "mpk_wait 5 mpk_udp_port_open PORT" before sending.
MPK_UDP_SINK_PY='
import socket, sys, time
ip, port, count, idle, most = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 16 << 20)
s.bind((ip, port))
seen = set()
end = time.monotonic() + most
while len(seen) < count:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(min(left, idle) if seen else left)
    try:
        d = s.recv(2048)
    except socket.timeout:
        break
    if d.startswith(b"mpkni-"):
        seen.add(d)
print(len(seen), flush=True)
'
mpk_udp_port_open() { in_host ss -lun | grep -q ":$1 "; }

# mpk_exited PID: the process has exited (gone, or a zombie not yet waited
# for: kill -0 still succeeds on those).
mpk_exited() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -z "$st" ] || [ "$st" = Z ]
}

# mpk_restart_primary [PRIMARY OPTIONS]: a new primary of the same prefix,
# as mpk_start_primary starts one, once the previous one is gone; its log
# goes to primary.log, the previous log is kept as primary-N.log. Ready when
# it logged "ready" (the prefix may still hold a dead primary's CLI socket
# and info file, so their existence proves nothing). Sets PRIMARY_PID.
mpk_restart_primary() {
	local n=1
	while [ -e "$LOGDIR/primary-$n.log" ]; do n=$((n + 1)); done
	[ ! -e "$LOGDIR/primary.log" ] || mv "$LOGDIR/primary.log" "$LOGDIR/primary-$n.log"
	# shellcheck disable=SC2086
	nsenter --net="/run/netns/$HOST" -- "$B/mpkni-primary" --file-prefix "$PREFIX" \
		--vdev "net_tap0,iface=$WIRE" ${MPK_EAL_EXTRA:-} \
		-- --idle-us 100 "$@" >"$LOGDIR/primary.log" 2>&1 &
	PRIMARY_PID=$!
	MPK_PIDS+=("$PRIMARY_PID")
	for _ in $(seq 200); do
		grep -q '^mpkni: ready:' "$LOGDIR/primary.log" && return 0
		mpk_exited "$PRIMARY_PID" && fail "the restarted primary exited"
		sleep 0.1
	done
	fail "the restarted primary did not become ready"
}

# mpk_check_accounting_killed KILLS: after KILLS workers were SIGKILLed under
# traffic the accounting still holds exactly: when the primary reclaims a dead
# worker's slot it settles the slot's counters from its rings' figures, and
# what the worker held when it died is counted LOST, never silently gone. A
# dying worker holds at most one rx burst and one to-wire burst.
mpk_check_accounting_killed() {
	local kills=$1 lost
	mpk_check_accounting
	lost=$(mpk_col "show ports" PORT 0 LOST)
	say "after $kills kills: $lost packets counted lost (held by dying workers)"
	[ "$lost" -le $((64 * kills)) ] || fail "$lost lost is more than two bursts a kill"
}
