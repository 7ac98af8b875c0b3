#!/usr/bin/env bash
# Orphan queues (issue 3): a primary with two slots and one worker. The port
# spreads flows over both rx queues (net_tap: tun's flow hash), and queue 1
# has no worker: the primary serves it itself.
#   --orphan kernel (default): traffic spread over both queues all arrives
#       at the kernel; the port received more than the worker did.
#   --orphan drop: what arrives on the orphan queue is dropped and counted
#       (DROP-NF of the port), the worker's share reaches the kernel, and
#       every count adds up.
# Traffic: N UDP datagrams from 64 source ports to a sink on vEth0's
# address, which counts the distinct ones it gets.
. "$(dirname "$0")/lib.sh"
mpk_init orphan
N=2000
PORT=5005

start_sink() {
	nsenter --net="/run/netns/$HOST" -- python3 -c "$MPK_UDP_SINK_PY" "$HOST_IP" "$PORT" "$N" 2 20 \
		>"$LOGDIR/sink.out" &
	SINK=$!
	MPK_PIDS+=("$SINK")
	mpk_wait 5 mpk_udp_port_open "$PORT" || fail "the UDP sink did not start"
}

# send_and_count: N datagrams, 64 flows, 2000/s; sets GOT (the sink's count).
send_and_count() {
	mpk_udp_flows "$HOST_IP" "$PORT" "$N" 64 2000 || fail "the UDP sender failed"
	wait "$SINK" || fail "the UDP sink failed"
	mpk_forget_pid "$SINK"
	GOT=$(cat "$LOGDIR/sink.out")
}

# --- orphan policy "kernel" -------------------------------------------------
mpk_start_primary --workers 2
mpk_start_worker --mode kernel --slot 0
W=$WORKER_PID
mpk_wire
[ "$(mpk_slot_state 1)" = free ] || fail "slot 1 should have no worker"
mpk_wait 5 mpk_rings_quiet || fail "rings not quiet"
start_sink
mpk_cli clear counters >/dev/null
krx0=$(host_sysfs vEth0/statistics/rx_packets)
send_and_count
mpk_wait 5 mpk_rings_quiet || fail "rings did not drain"
krx=$(( $(host_sysfs vEth0/statistics/rx_packets) - krx0 ))
prx=$(mpk_col "show ports" PORT 0 RX)
ptk=$(mpk_col "show ports" PORT 0 TO-KERNEL)
wrx=$(mpk_col "show workers" SLOT 0 RX)
say "kernel policy: $N datagrams sent, $GOT at the sink; vEth0 rx +$krx;" \
	"port rx $prx (worker $wrx, primary's orphan queue $((prx - wrx)))"
[ "$wrx" -gt 0 ] || fail "the worker received nothing: the flows were not spread"
[ "$prx" -gt "$wrx" ] || fail "the orphan queue received nothing (port rx $prx, worker rx $wrx)"
[ "$GOT" -eq "$N" ] || fail "only $GOT of $N datagrams reached the kernel's socket"
[ "$krx" -ge "$N" ] || fail "vEth0 received only $krx frames for $N datagrams"
[ "$ptk" -eq "$prx" ] || fail "kernel policy: port rx $prx but to-kernel $ptk"
mpk_check_accounting

# --- orphan policy "drop" ---------------------------------------------------
kill -TERM "$W"
wait "$W" || fail "the worker did not exit 0"
mpk_forget_pid "$W"
P=$PRIMARY_PID
kill -TERM "$P"
wait "$P" || fail "the primary did not exit 0"
mpk_forget_pid "$P"
mpk_restart_primary --workers 2 --orphan drop
mpk_start_worker --mode kernel --slot 0
W=$WORKER_PID
mpk_rewire
# ARP frames are all one flow to the queue hash: with the orphan queue's
# traffic dropped, resolution may never succeed. Static neighbours.
VETH_MAC=$(in_host cat /sys/class/net/vEth0/address 2>/dev/null || mpk_col "show kni" NAME vEth0 MAC)
in_peer ip neigh replace "$HOST_IP" lladdr "$VETH_MAC" dev "$PEER_IF"
in_host ip neigh replace "$PEER_IP" lladdr "$PEER_MAC" dev vEth0
mpk_wait 5 mpk_rings_quiet || fail "rings not quiet"
start_sink
mpk_cli clear counters >/dev/null
send_and_count
mpk_wait 5 mpk_rings_quiet || fail "rings did not drain"
prx=$(mpk_col "show ports" PORT 0 RX)
pdrop=$(mpk_col "show ports" PORT 0 DROP-NF)
ptk=$(mpk_col "show ports" PORT 0 TO-KERNEL)
wrx=$(mpk_col "show workers" SLOT 0 RX)
wtk=$(mpk_col "show workers" SLOT 0 TO-KERNEL)
say "drop policy: $N datagrams sent, $GOT at the sink;" \
	"port rx $prx = worker $wrx + orphan queue $((prx - wrx)); dropped (DROP-NF) $pdrop"
[ "$wrx" -gt 0 ] || fail "the worker received nothing: the flows were not spread"
[ "$pdrop" -gt 0 ] || fail "nothing dropped on the orphan queue"
# Everything the orphan queue received was dropped and counted, nothing
# more; everything the worker received went to the kernel.
[ "$((prx - wrx))" -eq "$pdrop" ] || fail "orphan queue rx $((prx - wrx)) != dropped $pdrop"
[ "$ptk" -eq "$wtk" ] && [ "$wtk" -eq "$wrx" ] ||
	fail "to-kernel: port $ptk, worker $wtk, worker rx $wrx"
[ "$GOT" -lt "$N" ] || fail "all $N datagrams arrived although the orphan queue drops"
[ $((GOT + pdrop)) -ge "$N" ] || fail "$GOT received + $pdrop dropped < $N sent"
[ "$GOT" -le "$wtk" ] || fail "the sink got $GOT but the worker passed only $wtk to the kernel"
mpk_check_accounting
say PASS
