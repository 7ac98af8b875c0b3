#!/usr/bin/env bash
# The demo, as root on Debian 12: installs and builds what is missing, then
# starts a primary with one TAP port, attaches two workers, and lets a peer in
# a network namespace ping the kernel interface vEth0 and send it a file over
# TCP, all through DPDK. Prints the CLI's tables, then stops everything.
#   scripts/demo.sh          run and clean up
#   scripts/demo.sh --keep   leave it running until Enter, to try mpkni-cli
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
export MPKNI_BUILDDIR=$top/build
KEEP=${1:-}
. "$top/tests/integration/lib.sh"
set +e
mpk_init demo

step() { printf '\n== %s\n' "$*"; }
step "primary: one net_tap port (the wire), 2 worker slots, vEth0 toward the kernel"
mpk_start_primary --workers 2
step "two workers attach: slot 0 runs 'kernel', slot 1 runs 'split'"
mpk_start_worker --mode kernel
mpk_start_worker --mode split
mpk_wire
say "vEth0 is $HOST_IP in namespace $HOST; the peer is $PEER_IP in namespace $PEER"

step "the peer pings vEth0 (ARP and ICMP cross DPDK, the workers and the primary)"
in_peer ping -c 10 -i 0.1 "$HOST_IP" | tail -2

step "the peer opens a TCP connection to vEth0 and sends 8 MiB"
head -c 8M /dev/urandom >"$LOGDIR/blob"
nsenter --net="/run/netns/$HOST" -- timeout 30 nc -l "$HOST_IP" 5001 >"$LOGDIR/blob.out" &
NC=$!
MPK_PIDS+=("$NC")
mpk_wait 5 in_host sh -c "ss -ltn | grep -q ':5001 '"
in_peer timeout 30 nc -N "$HOST_IP" 5001 <"$LOGDIR/blob"
wait "$NC"
cmp -s "$LOGDIR/blob" "$LOGDIR/blob.out" && say "8 MiB received byte-identical" ||
	say "the transfer differs!"
mpk_wait 5 mpk_rings_quiet

for t in workers rings kni ports mempool; do
	step "mpkni-cli --file-prefix $PREFIX show $t"
	mpk_cli show "$t"
done
if [ "$KEEP" = "--keep" ]; then
	step "running; try: ip netns exec $HOST $B/mpkni-cli --file-prefix $PREFIX"
	read -r -p "press Enter to stop " _
fi
step "stopping (workers, primary, namespaces, hugepage files)"
