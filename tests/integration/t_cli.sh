#!/usr/bin/env bash
# The CLI and the other clients: mpkni-cli one-shot and interactive, exit
# codes, libcli filters, clear counters, the socket's mode, clients that leave
# mid-output; the same figures over DPDK telemetry (dpdk-telemetry.py), and
# dpdk-proc-info attaching as a secondary beside the workers.
. "$(dirname "$0")/lib.sh"
mpk_init cli

mpk_start_primary --workers 2
mpk_start_worker --mode kernel
W0=$WORKER_PID
mpk_start_worker --mode split
W1=$WORKER_PID
mpk_wire
in_peer ping -c 20 -i 0.02 -W 2 "$HOST_IP" >/dev/null || fail "ping failed"

SOCK=/var/run/dpdk/$PREFIX/mpkni_cli.sock
[ "$(stat -c %a "$SOCK")" = 600 ] || fail "CLI socket mode is $(stat -c %a "$SOCK"), not 600"

mpk_cli show version | grep -q "DPDK 22.11" || fail "show version: $(mpk_cli show version)"
for t in workers rings kni ports mempool; do
	out=$(mpk_cli show "$t") || fail "show $t exited non-zero"
	[ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ] || fail "show $t printed no rows: $out"
done
say "every show command answers"

# Unknown and malformed commands: an error, non-zero, the server goes on.
mpk_cli show nonsense >"$LOGDIR/o" 2>&1 && fail "an unknown command exited 0"
mpk_cli frobnicate >"$LOGDIR/o" 2>&1 && fail "an unknown command exited 0"
mpk_cli show workers extra-arg >"$LOGDIR/o" 2>&1 && fail "a stray argument exited 0"
mpk_cli show version >/dev/null || fail "the server stopped after bad commands"

# Filters.
out=$(mpk_cli show rings '|' include mpkni_k0)
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && printf '%s\n' "$out" | grep -q '^mpkni_k0_0 ' ||
	fail "include filter: $out"

# Workers listed by pid with their function.
[ "$(mpk_col "show workers" PID "$W0" NF)" = kernel ] || fail "worker $W0 not listed as kernel"
[ "$(mpk_col "show workers" PID "$W1" NF)" = split ] || fail "worker $W1 not listed as split"

# Interactive, with commands on a pipe.
out=$(printf 'show workers\nenable\nclear counters\nshow kni\nexit\n' | mpk_cli)
printf '%s\n' "$out" | grep -q "^ *[0-9]* *$W0 running" || fail "interactive show workers: $out"
printf '%s\n' "$out" | grep -q "counters cleared" || fail "interactive clear counters: $out"
[ "$(mpk_col "show kni" NAME vEth0 TX-PKTS)" -eq 0 ] || fail "counters not cleared"
[ "$(mpk_sum "show workers" RX)" -eq 0 ] || fail "worker counters not cleared"
in_peer ping -c 10 -i 0.02 -W 2 "$HOST_IP" >/dev/null || fail "ping failed"
mpk_wait 5 mpk_rings_quiet
[ "$(mpk_sum "show workers" RX)" -ge 10 ] || fail "counters do not count after clear"
mpk_check_accounting

# Clients that go away mid-output do not hurt the server.
for i in $(seq 50); do
	mpk_cli show rings | head -c 10 >/dev/null
done
mpk_cli show version >/dev/null || fail "the server stopped after clients left early"
kill -0 "$PRIMARY_PID" || fail "the primary died"

# DPDK telemetry: the same figures.
tel() { printf '%s\n' "$1" | in_host dpdk-telemetry.py -f "$PREFIX" 2>&1; }
out=$(tel /mpkni/workers)
printf '%s\n' "$out" | grep -q "\"pid\": $W0" || fail "telemetry /mpkni/workers: $out"
printf '%s\n' "$out" | grep -q "\"pid\": $W1" || fail "telemetry /mpkni/workers: $out"
tel_rx=$(tel /mpkni/kni | python3 -c '
import json, sys
text = sys.stdin.read()
doc = json.loads(text[text.index("{\"/mpkni/kni\""):].split("\n")[0])
print(doc["/mpkni/kni"]["vEth0"]["tx_packets"])')
[ "$tel_rx" = "$(mpk_col "show kni" NAME vEth0 TX-PKTS)" ] ||
	fail "telemetry tx_packets $tel_rx != CLI $(mpk_col "show kni" NAME vEth0 TX-PKTS)"
tel /ethdev/list | grep -q '\[0\]' || fail "telemetry /ethdev/list"
say "telemetry agrees with the CLI (vEth0 tx_packets $tel_rx)"

# dpdk-proc-info attaches as one more secondary and leaves; the workers go on.
in_host timeout 30 dpdk-proc-info --file-prefix "$PREFIX" --no-pci -- --stats >"$LOGDIR/procinfo" 2>&1 ||
	fail "dpdk-proc-info failed: $(tail -5 "$LOGDIR/procinfo")"
grep -q "RX-packets" "$LOGDIR/procinfo" || fail "dpdk-proc-info printed no port stats"
in_peer ping -c 5 -i 0.05 -W 2 "$HOST_IP" >/dev/null || fail "ping failed after dpdk-proc-info"
mpk_worker_running "$W0" && mpk_worker_running "$W1" || fail "a worker stopped"
say PASS
