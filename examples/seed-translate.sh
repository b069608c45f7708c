#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The seed scenario's masquerade rule (lan 192.168.1.0/24 behind the
# router) in each syntax, and the nftables ruleset masqrule makes of it.
set -eu
MASQRULE=${1:-masqrule}

show() {	# title, dialect, args...
	local title=$1 dialect=$2
	shift 2
	echo "### $title"
	echo "\$ masqrule translate --dialect $dialect -- $*"
	"$MASQRULE" translate --dialect "$dialect" -- "$@"
	echo
}

show "ipfwadm (Linux 2.0)" ipfwadm -F -a m -S 192.168.1.0/24 -D 0.0.0.0/0
show "ipchains (Linux 2.2)" ipchains -A forward -s 192.168.1.0/24 -j MASQ
show "iptables (Linux 2.4+)" iptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE
show "masqrule (native)" masqrule -A forward -s 192.168.1.0/24 -j MASQUERADE
