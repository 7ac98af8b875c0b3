# shellcheck shell=bash
# The body of t_kni_ignore.sh and t_kni_reject.sh: every request kind under
# --kni-policy all=$POLICY, each checked on both sides, the kernel interface
# in sysfs and the port through DPDK telemetry. The port must never change;
# the kernel side keeps the change (ignore) or is put back (reject).
. "$(dirname "$0")/lib.sh"
mpk_init "kni$POLICY"
mpk_start_primary --workers 1 --kni-policy "all=$POLICY"
mpk_start_worker --mode kernel

sysfs() { host_sysfs "vEth0/$1"; }
flags() { printf '%d' "$(sysfs flags)"; }
count() { mpk_kni_req vEth0 "$1" "$2"; }
COL=$(echo "$POLICY" | tr a-z A-Z)ED
[ "$COL" = IGNOREED ] && COL=IGNORED

# change KIND IP-LINK-ARGS...: one more request of KIND counted under COL,
# none applied.
change() {
	local kind=$1 before i v
	shift
	before=$(count "$kind" "$COL")
	in_host ip link set vEth0 "$@" || fail "ip link set vEth0 $* failed"
	for i in $(seq 50); do
		v=$(count "$kind" "$COL")
		[ "$v" -eq $((before + 1)) ] && break
		sleep 0.1
	done
	[ "$v" -eq $((before + 1)) ] || fail "$kind: $COL $v, not $((before + 1))"
	[ "$(count "$kind" APPLIED)" -eq 0 ] || fail "$kind: a request was applied"
	say "$kind: ip link set vEth0 $* -> $(count "$kind" LAST)"
}
# expect KERNEL-VALUE-IF-IGNORED KERNEL-VALUE-IF-REJECTED ACTUAL WHAT
expect() {
	local want=$1
	[ "$POLICY" = reject ] && want=$2
	[ "$3" = "$want" ] || fail "$4 is '$3', not '$want'"
}

port_mac=$(mpk_tel /ethdev/info,0 mac_addr)
kernel_mac=$(sysfs address)

change mtu mtu 1400
expect 1400 1500 "$(sysfs mtu)" "kernel MTU"
[ "$(mpk_tel /ethdev/info,0 mtu)" = 1500 ] || fail "port MTU changed"

change mac address 02:00:00:00:bb:02
expect 02:00:00:00:bb:02 "$kernel_mac" "$(sysfs address)" "kernel MAC"
[ "$(mpk_tel /ethdev/info,0 mac_addr)" = "$port_mac" ] || fail "port MAC changed"

change link up
expect 1 0 $(( $(flags) & 1 )) "kernel IFF_UP"
[ "$(mpk_tel /ethdev/link_status,0 status)" = UP ] || fail "port link changed"
if [ "$POLICY" = ignore ]; then
	change link down
	[ $(( $(flags) & 1 )) -eq 0 ] || fail "kernel side still up"
	[ "$(mpk_tel /ethdev/link_status,0 status)" = UP ] || fail "port link went down"
fi

change promisc promisc on
expect 256 0 $(( $(flags) & 0x100 )) "kernel IFF_PROMISC"
[ "$(mpk_tel /ethdev/info,0 promiscuous)" = 0 ] || fail "port became promiscuous"

change allmulti allmulticast off
expect 0 512 $(( $(flags) & 0x200 )) "kernel IFF_ALLMULTI"
[ "$(mpk_tel /ethdev/info,0 all_multicast)" = 1 ] || fail "port left all-multicast"

mpk_cli show kni requests
say PASS
