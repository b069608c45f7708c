#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install every Debian package masqrule's build, tests and benchmarks need.
# Safe to run again: apt-get skips what is already installed.
set -eu

PKGS=(
	# build
	build-essential meson ninja-build pkg-config flex bison
	libmnl-dev libnftnl-dev libpcap-dev libcmocka-dev
	# sanitizers and fuzzing
	clang libclang-rt-14-dev
	# CLI tests
	bats bats-assert bats-support
	# peers and witnesses
	nftables iptables conntrack iproute2 iputils-ping socat netcat-openbsd
	iperf3 tcpdump curl python3 python3-scapy python3-pyftpdlib
	hyperfine time ethtool netsniff-ng
)

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: run as root (apt-get install)" >&2
	exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
