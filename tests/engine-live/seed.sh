#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The engine live between three namespaces:
#
#   lan 192.168.1.3/24 --- router (engine; veths without addresses) --- remote
#        default via .1      veth-lan=192.168.1.1  veth-wan=203.0.113.1   203.0.113.178/24
#
# ipchains rules: forward DENY, MASQ for 192.168.1.0/24.  Checks TCP both
# ways (the remote sees 203.0.113.1 and a port in 61000-65095), UDP, ping
# through and to the router's own addresses, TTL exceeded, and that an
# unsolicited connection from remote never reaches the lan.
#
# usage: seed.sh ENGINE   (ENGINE is masqrule or mr-engine-live: run as
# `ENGINE engine --inside ...').  Exit 77 if a tool is missing or not root.
set -u

ENGINE=${1:?usage: seed.sh ENGINE}
. "$(dirname "$0")/lib.sh"
el_init ip socat ping timeout

start_engine() {
	printf '%s\n' 'ipchains -P forward DENY' \
		'ipchains -A forward -s 192.168.1.0/24 -j MASQ' >"$TMP/rules"
	engine_start --rules "$TMP/rules" --dialect ipchains
}

# A TCP echo-ish server on remote that reports the peer it saw.
check_tcp() {
	local out port
	out=$(tcp_talk $REM 8888 'echo "peer $SOCAT_PEERADDR:$SOCAT_PEERPORT"' \
		$LAN hello 203.0.113.178:8888)
	port=$(sed -n 's/^peer 203\.0\.113\.1:\([0-9]*\)$/\1/p' <<<"$out")
	if [ -n "$port" ] && [ "$port" -ge 61000 ] && [ "$port" -le 65095 ] &&
	   grep -qx hello <<<"$out"; then
		ok "tcp both ways, remote saw 203.0.113.1:$port"
	else
		bad "tcp: got '$out'"
	fi
}

check_udp() {
	ip netns exec $REM timeout 10 socat -T3 UDP-RECVFROM:9999 \
		SYSTEM:'echo "peer $SOCAT_PEERADDR:$SOCAT_PEERPORT"' \
		>/dev/null 2>&1 &
	local srv=$! out
	sleep 0.2
	out=$(echo ping | in_ns $LAN timeout 5 socat -T2 - UDP:203.0.113.178:9999)
	wait $srv 2>/dev/null
	if grep -Eq '^peer 203\.0\.113\.1:(6[1-4][0-9]{3}|650[0-8][0-9]|6509[0-5])$' <<<"$out"; then
		ok "udp: $out"
	else
		bad "udp: got '$out'"
	fi
}

check_ping() {
	local from=$1 to=$2
	if in_ns "$from" timeout 5 ping -c 2 -i 0.2 -W 2 "$to" >/dev/null 2>&1; then
		ok "ping $from -> $to"
	else
		bad "ping $from -> $to"
	fi
}

# TTL 1 through the router: time exceeded from its inside address.
check_ttl() {
	local out
	out=$(in_ns $LAN timeout 5 ping -c 1 -t 1 -W 2 203.0.113.178 2>&1)
	if grep -q 'From 192.168.1.1 .*Time to live exceeded' <<<"$out"; then
		ok "ttl 1: time exceeded from 192.168.1.1"
	else
		bad "ttl 1: got '$out'"
	fi
}

# remote -> lan: no route; remote -> the outside address: no entry.
check_unsolicited() {
	if intrude 192.168.1.3 203.0.113.1; then
		ok "unsolicited connections from remote never arrived"
	else
		bad "unsolicited connection reached the lan"
	fi
}

setup || { echo "FAIL: namespace setup"; exit 1; }
start_engine || { echo "FAIL: engine did not start"; exit 1; }
check_tcp
check_udp
check_ping $LAN 203.0.113.178
check_ping $LAN 192.168.1.1
check_ping $LAN 203.0.113.1
check_ping $REM 203.0.113.1
check_ttl
check_unsolicited
stop_engine
summary
