#!/usr/bin/env bash
# Makes a fresh Debian 12 machine ready for mpkni, as root: installs what is
# missing, reserves hugepages, and builds the tree in ./build.
# Usage: scripts/setup.sh        (idempotent; prints what it does)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
PKGS=(build-essential autoconf automake libtool pkg-config
      libdpdk-dev dpdk-dev dpdk libcli-dev check
      iproute2 iputils-ping netcat-openbsd python3 procps bc util-linux)

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: run as root (hugepages, TAP devices and network namespaces need it)" >&2
	exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "setup.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 512 x 2 MiB pages: room for a primary and its workers with tests running.
want=${MPKNI_HUGEPAGES:-512}
have=$(cat /proc/sys/vm/nr_hugepages)
if [ "$have" -lt "$want" ]; then
	echo "$want" > /proc/sys/vm/nr_hugepages
	have=$(cat /proc/sys/vm/nr_hugepages)
	[ "$have" -ge "$want" ] || echo "setup.sh: only $have hugepages could be reserved" >&2
fi
mkdir -p /dev/hugepages
mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages

cd "$top"
[ -x configure ] || autoreconf -fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure --enable-werror
make -j"$(nproc)"
echo "setup.sh: built in $top/build"
