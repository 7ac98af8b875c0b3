#!/usr/bin/env bash
# The shipped network functions do what they say.
#   split:  ARP, ICMP, ICMPv6 (neighbour discovery), traffic to vEth0's own
#           addresses and broadcast/multicast go to the kernel; UDP to another
#           host is forwarded (out of the same port: there is one).
#   kernel: everything goes to the kernel, the same UDP included.
# One worker slot, so every packet of the port passes through the worker.
. "$(dirname "$0")/lib.sh"
mpk_init modes
N=300
OTHER_IP=198.18.0.99

mpk_start_primary --workers 1
mpk_start_worker --mode split
SPLIT=$WORKER_PID
mpk_wire
PORT_MAC=$(mpk_col "show kni" NAME vEth0 MAC)
# Frames to an address that is not vEth0's, addressed to the port's MAC, as
# a router next to us would send them.
in_peer ip neigh replace "$OTHER_IP" lladdr "$PORT_MAC" dev "$PEER_IF"

send_udp() {
	in_peer python3 - "$1" "$N" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"mpkni-%05d" % i, (sys.argv[1], 9))
PY
}

# figures: worker rx, fwd, to-kernel, kernel tx, vEth0 rx (kernel counter).
figures() {
	echo "$(mpk_col "show workers" SLOT 0 RX) $(mpk_col "show workers" SLOT 0 FWD)" \
		"$(mpk_col "show workers" SLOT 0 TO-KERNEL) $(mpk_col "show kni" NAME vEth0 TX-PKTS)" \
		"$(host_sysfs vEth0/statistics/rx_packets)"
}

# --- split ---------------------------------------------------------------
in_peer ip neigh flush dev "$PEER_IF"
in_peer ip neigh replace "$OTHER_IP" lladdr "$PORT_MAC" dev "$PEER_IF"
in_peer ping -c 5 -i 0.05 -W 2 "$HOST_IP" >/dev/null || fail "split: IPv4 ping (ARP + ICMP) failed"
in_peer ping -6 -c 5 -i 0.05 -W 2 "$HOST_IP6" >/dev/null ||
	fail "split: IPv6 ping (neighbour discovery + ICMPv6) failed"
nsenter --net="/run/netns/$HOST" -- timeout 20 nc -l "$HOST_IP" 5002 >"$LOGDIR/tcp.out" &
NC=$!
MPK_PIDS+=("$NC")
mpk_wait 5 in_host sh -c "ss -ltn | grep -q ':5002 '" || fail "listener did not start"
head -c 200000 /dev/urandom >"$LOGDIR/tcp.in"
in_peer timeout 20 nc -N "$HOST_IP" 5002 <"$LOGDIR/tcp.in" || fail "split: TCP to vEth0 failed"
wait "$NC"
cmp -s "$LOGDIR/tcp.in" "$LOGDIR/tcp.out" || fail "split: TCP to vEth0's address corrupted"
say "split: ARP, ICMP, ICMPv6/ND and TCP to the local address reach the kernel"

mpk_wait 5 mpk_rings_quiet
read -r rx0 fwd0 tk0 ktx0 krx0 <<<"$(figures)"
send_udp "$OTHER_IP"
mpk_wait 5 mpk_at_least $((fwd0 + N)) mpk_col "show workers" SLOT 0 FWD ||
	fail "split: transit UDP not forwarded: $(mpk_cli show workers)"
read -r rx1 fwd1 tk1 ktx1 krx1 <<<"$(figures)"
say "split: $N transit datagrams: rx +$((rx1 - rx0)) fwd +$((fwd1 - fwd0)) to-kernel +$((tk1 - tk0)) vEth0 rx +$((krx1 - krx0))"
[ $((fwd1 - fwd0)) -eq "$N" ] || fail "split: forwarded $((fwd1 - fwd0)), not $N"
[ $((tk1 - tk0)) -lt "$N" ] || fail "split: transit traffic went to the kernel"
[ $((krx1 - krx0)) -lt "$N" ] || fail "split: vEth0 received the transit traffic"
mpk_check_accounting

# --- kernel ----------------------------------------------------------------
mpk_stop_pid "$SPLIT"
mpk_wait 5 mpk_slot_free 0 ||
	fail "the split worker's slot was not freed"
mpk_start_worker --mode kernel --slot 0
in_peer ip neigh replace "$OTHER_IP" lladdr "$PORT_MAC" dev "$PEER_IF"
in_peer ping -c 3 -i 0.05 -W 2 "$HOST_IP" >/dev/null || fail "kernel: ping failed"
mpk_wait 5 mpk_rings_quiet
read -r rx0 fwd0 tk0 ktx0 krx0 <<<"$(figures)"
send_udp "$OTHER_IP"
mpk_wait 5 mpk_at_least $((ktx0 + N)) mpk_col "show kni" NAME vEth0 TX-PKTS ||
	fail "kernel: the UDP did not reach the kernel: $(mpk_cli show kni)"
read -r rx1 fwd1 tk1 ktx1 krx1 <<<"$(figures)"
say "kernel: $N datagrams: rx +$((rx1 - rx0)) fwd +$((fwd1 - fwd0)) to-kernel +$((tk1 - tk0)) vEth0 rx +$((krx1 - krx0))"
[ $((fwd1 - fwd0)) -eq 0 ] || fail "kernel: forwarded $((fwd1 - fwd0)) packets"
[ $((tk1 - tk0)) -ge "$N" ] || fail "kernel: only $((tk1 - tk0)) to the kernel"
[ $((krx1 - krx0)) -ge "$N" ] || fail "kernel: vEth0 received only $((krx1 - krx0))"
mpk_check_accounting
say PASS
