#!/usr/bin/env bash
# Kernel requests with the default policy, apply: each change made with
# "ip link" on vEth0 is made on the port too, checked on both sides: the
# kernel interface in sysfs, the port through DPDK telemetry (/ethdev/info,
# /ethdev/link_status). An MTU change while two workers carry pings pauses
# and resumes them; the pings go on. A change the port cannot make is
# reverted on the kernel side and counted rejected, and requests in a quick
# row are all applied, in order.
. "$(dirname "$0")/lib.sh"
mpk_init kniapply
# A second port that refuses most requests: net_null (no-rx: it would
# otherwise make up packets without end).
MPK_EAL_EXTRA="--vdev net_null0,no-rx=1"

mpk_start_primary --workers 2
mpk_start_worker --mode kernel
mpk_start_worker --mode kernel
mpk_wire

sysfs() { host_sysfs "vEth$1/$2"; }
flags() { printf '%d' "$(sysfs "$1" flags)"; }
req() { mpk_kni_req "vEth$1" "$2" "$3"; }
carrier_is() { [ "$(host_sysfs vEth0/carrier)" = "$1" ]; }
# change PORT KIND RESULT IP-LINK-ARGS...: makes the change on vEth<PORT> and
# waits until the KIND request counts one more RESULT (APPLIED, REJECTED...).
change() {
	local port=$1 kind=$2 col=$3 before i v
	shift 3
	before=$(req "$port" "$kind" "$col")
	in_host ip link set "vEth$port" "$@" || fail "ip link set vEth$port $* failed"
	for i in $(seq 50); do
		v=$(req "$port" "$kind" "$col")
		[ "$v" -eq $((before + 1)) ] && return 0
		sleep 0.1
	done
	fail "vEth$port $*: $kind $col is $v, not $((before + 1)): $(mpk_cli show kni requests)"
}

# --- MTU under traffic -----------------------------------------------------
in_peer ping -i 0.005 -c 1500 -W 1 "$HOST_IP" >"$LOGDIR/ping" 2>&1 &
PING=$!
MPK_PIDS+=("$PING")
sleep 1
t0=$(date +%s%N)
change 0 mtu APPLIED mtu 1400
t1=$(date +%s%N)
[ "$(sysfs 0 mtu)" = 1400 ] || fail "kernel MTU is $(sysfs 0 mtu)"
[ "$(mpk_tel /ethdev/info,0 mtu)" = 1400 ] || fail "port MTU is $(mpk_tel /ethdev/info,0 mtu)"
wait "$PING"
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$LOGDIR/ping")
say "mtu 1400 applied in $(( (t1 - t0) / 1000000 )) ms (as seen by polling the CLI); pings across it: $(grep 'packet loss' "$LOGDIR/ping")"
in_peer ping -c 20 -i 0.01 -W 1 "$HOST_IP" >/dev/null || fail "pings do not resume after the MTU change"
[ "$(mpk_cli show workers | awk '$3 == "running"' | wc -l)" -eq 2 ] || fail "a worker stopped"
# The new MTU carries full-size frames both ways (no fragmentation allowed).
in_peer ip link set "$PEER_IF" mtu 1400
in_peer ping -c 3 -M do -s $((1400 - 28)) -W 1 "$HOST_IP" >/dev/null || fail "1400-byte frames do not pass"
awk -v l="$loss" 'BEGIN { exit !(l < 100) }' || fail "all pings lost"

# --- MTU the port cannot carry: rejected, kernel side put back --------------
change 0 mtu REJECTED mtu 9000
[ "$(sysfs 0 mtu)" = 1400 ] || fail "kernel MTU not reverted: $(sysfs 0 mtu)"
[ "$(mpk_tel /ethdev/info,0 mtu)" = 1400 ] || fail "port MTU changed"
req 0 mtu LAST | grep -q "mtu_9000_rejected" || fail "last mtu request: $(req 0 mtu LAST)"
grep -q "request mtu 9000: rejected" "$LOGDIR/primary.log" || fail "no log line for the rejection"

# --- requests in a row: none lost, in order ---------------------------------
in_host sh -c 'ip link set vEth0 mtu 1300; ip link set vEth0 mtu 1280; ip link set vEth0 mtu 1360'
mpk_wait 5 sh -c "[ \$(grep -c 'request mtu 1360: applied' $LOGDIR/primary.log) -eq 1 ]" ||
	fail "the last of three quick MTU requests was not applied"
[ "$(req 0 mtu APPLIED)" -eq 4 ] || fail "$(req 0 mtu APPLIED) MTU requests applied, not 4"
[ "$(mpk_tel /ethdev/info,0 mtu)" = 1360 ] || fail "port MTU $(mpk_tel /ethdev/info,0 mtu), not the last asked"
order=$(sed -n 's/.*request mtu \([0-9]*\): applied.*/\1/p' "$LOGDIR/primary.log" | tail -3 | tr '\n' ' ')
[ "$order" = "1300 1280 1360 " ] || fail "requests applied out of order: $order"
change 0 mtu APPLIED mtu 1500
in_peer ip link set "$PEER_IF" mtu 1500

# --- MAC ---------------------------------------------------------------------
change 0 mac APPLIED address 02:00:00:00:aa:01
[ "$(sysfs 0 address)" = 02:00:00:00:aa:01 ] || fail "kernel MAC $(sysfs 0 address)"
[ "$(mpk_tel /ethdev/info,0 mac_addr)" = 02:00:00:00:AA:01 ] ||
	[ "$(mpk_tel /ethdev/info,0 mac_addr)" = 02:00:00:00:aa:01 ] ||
	fail "port MAC $(mpk_tel /ethdev/info,0 mac_addr)"

# --- link down / up ------------------------------------------------------------
change 0 link APPLIED down
[ $(( $(flags 0) & 1 )) -eq 0 ] || fail "kernel side still up"
[ "$(mpk_tel /ethdev/link_status,0 status)" = DOWN ] || fail "port link $(mpk_tel /ethdev/link_status,0 status)"
change 0 link APPLIED up
[ "$(mpk_tel /ethdev/link_status,0 status)" = UP ] || fail "port link did not come back up"
mpk_wait 5 carrier_is 1 ||
	fail "vEth0 carrier did not follow the port's link"
in_peer ip neigh flush dev "$PEER_IF"
mpk_wait 10 in_peer ping -c 1 -W 1 "$HOST_IP" || fail "no ping after link down/up and a new MAC"

# --- carrier follows the port's link, whatever changed it: here the wire ------
in_host ip link set "$WIRE" down
mpk_wait 5 carrier_is 0 ||
	fail "vEth0 carrier stayed on with the port's link down"
[ "$(mpk_tel /ethdev/link_status,0 status)" = DOWN ] || fail "port link not down with its wire"
in_host ip link set "$WIRE" up
mpk_wait 5 carrier_is 1 ||
	fail "vEth0 carrier did not come back with the port's link"
say "carrier: followed the port's link down and up (now $(host_sysfs vEth0/carrier))"
grep -q "vEth0: carrier off (port 0 link down)" "$LOGDIR/primary.log" || fail "no carrier log line"

# --- promiscuous, all-multicast ------------------------------------------------
change 0 promisc APPLIED promisc on
[ $(( $(flags 0) & 0x100 )) -ne 0 ] || fail "kernel side not promiscuous"
[ "$(mpk_tel /ethdev/info,0 promiscuous)" = 1 ] || fail "port not promiscuous"
change 0 promisc APPLIED promisc off
[ "$(mpk_tel /ethdev/info,0 promiscuous)" = 0 ] || fail "port still promiscuous"
[ $(( $(flags 0) & 0x200 )) -ne 0 ] || fail "vEth0 does not start all-multicast like its port"
[ "$(mpk_tel /ethdev/info,0 all_multicast)" = 1 ] || fail "port does not start all-multicast"
change 0 allmulti APPLIED allmulticast off
[ $(( $(flags 0) & 0x200 )) -eq 0 ] || fail "kernel side still all-multicast"
[ "$(mpk_tel /ethdev/info,0 all_multicast)" = 0 ] || fail "port still all-multicast"
change 0 allmulti APPLIED allmulticast on
[ "$(mpk_tel /ethdev/info,0 all_multicast)" = 1 ] || fail "port not all-multicast again"

# --- a port that refuses: net_null has no link up/down (it takes MTU, MAC,
# promiscuous and all-multicast changes) ------------------------------------
for change in "up:link"; do
	what=${change%%:*}
	kind=${change##*:}
	before=$(flags 1)/$(sysfs 1 mtu)
	# shellcheck disable=SC2086
	change 1 "$kind" REJECTED $what
	[ "$(flags 1)/$(sysfs 1 mtu)" = "$before" ] ||
		fail "vEth1 not reverted after '$what': $(flags 1)/$(sysfs 1 mtu), was $before"
	say "net_null: '$what' -> $(req 1 "$kind" LAST)"
done
[ $(( $(flags 1) & 1 )) -eq 0 ] || fail "vEth1 left up after the port refused"

out=$(mpk_tel /mpkni/kni_requests "vEth0/mtu" applied) || fail "telemetry /mpkni/kni_requests"
[ "$out" = 5 ] || fail "telemetry says $out mtu requests applied"
mpk_cli show kni requests
mpk_check_accounting
say PASS
