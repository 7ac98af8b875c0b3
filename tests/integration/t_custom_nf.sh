#!/usr/bin/env bash
# A custom network function is one callback linked with the worker library:
# mpkni-echo answers UDP echo for vEth0's address in the data plane and gives
# the rest to the kernel. The peer's datagrams come back from the worker, the
# kernel never sees them, and ping still goes through the kernel.
. "$(dirname "$0")/lib.sh"
mpk_init customnf
N=200

mpk_start_primary --workers 1
MPK_WORKER_BIN=mpkni-echo mpk_start_worker
[ "$(mpk_col "show workers" SLOT 0 NF)" = echo ] || fail "the worker does not run 'echo'"
mpk_wire
in_peer ping -c 5 -i 0.05 -W 1 "$HOST_IP" >/dev/null || fail "ping through the kernel failed"
mpk_wait 5 mpk_rings_quiet

krx0=$(host_sysfs vEth0/statistics/rx_packets)
fwd0=$(mpk_col "show workers" SLOT 0 FWD)
got=$(in_peer python3 - "$HOST_IP" "$N" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
got = 0
for i in range(int(sys.argv[2])):
    msg = b"mpkni-echo-%05d" % i
    s.sendto(msg, (sys.argv[1], 7))
    try:
        data, peer = s.recvfrom(2048)
        if data == msg and peer == (sys.argv[1], 7):
            got += 1
    except socket.timeout:
        pass
print(got)
PY
)
krx=$(( $(host_sysfs vEth0/statistics/rx_packets) - krx0 ))
fwd=$(( $(mpk_col "show workers" SLOT 0 FWD) - fwd0 ))
say "echo: $got of $N datagrams answered by the worker; worker fwd +$fwd; vEth0 rx +$krx"
[ "$got" -eq "$N" ] || fail "only $got of $N echoes came back"
[ "$fwd" -eq "$N" ] || fail "the worker forwarded $fwd, not $N"
[ "$krx" -lt "$N" ] || fail "the kernel received the echo traffic ($krx frames)"
in_peer ping -c 3 -i 0.05 -W 1 "$HOST_IP" >/dev/null || fail "ping failed after the echo traffic"
mpk_check_accounting
say PASS
