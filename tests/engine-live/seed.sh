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
for t in ip socat ping timeout; do
	command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

P=mr-$$
LAN=$P-lan RTR=$P-rtr REM=$P-rem
TMP=$(mktemp -d) || exit 1
EPID=
FAILS=0

cleanup() {
	[ -n "$EPID" ] && kill "$EPID" 2>/dev/null
	# the namespaces' processes (socat listeners) go with them
	for ns in $LAN $RTR $REM; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

setup() {
	ip netns add $LAN && ip netns add $RTR && ip netns add $REM || return 1
	ip -n $RTR link add veth-lan type veth peer name eth0 netns $LAN || return 1
	ip -n $RTR link add veth-wan type veth peer name eth0 netns $REM || return 1
	in_ns $RTR sysctl -qw net.ipv4.ip_forward=0
	for i in veth-lan veth-wan; do
		# no IPv6 either: the kernel must stay off these wires
		in_ns $RTR sysctl -qw net.ipv6.conf.$i.disable_ipv6=1
		ip -n $RTR link set $i up
	done
	ip -n $LAN addr add 192.168.1.3/24 dev eth0
	ip -n $LAN link set eth0 up
	ip -n $LAN link set lo up
	ip -n $LAN route add default via 192.168.1.1
	ip -n $REM addr add 203.0.113.178/24 dev eth0
	ip -n $REM link set eth0 up
	ip -n $REM link set lo up
}

start_engine() {
	printf '%s\n' 'ipchains -P forward DENY' \
		'ipchains -A forward -s 192.168.1.0/24 -j MASQ' >"$TMP/rules"
	# not through in_ns: $! must be the engine itself, for kill and wait
	ip netns exec $RTR "$ENGINE" engine --inside veth-lan=192.168.1.1/24 \
		--outside veth-wan=203.0.113.1/24 --rules "$TMP/rules" \
		--dialect ipchains 2>"$TMP/engine.log" &
	EPID=$!
	for _ in $(seq 50); do
		grep -q running "$TMP/engine.log" && return 0
		kill -0 $EPID 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/engine.log"
	return 1
}

# A TCP echo-ish server on remote that reports the peer it saw.
check_tcp() {
	ip netns exec $REM timeout 10 socat -T5 TCP-LISTEN:8888,reuseaddr \
		SYSTEM:'echo "peer $SOCAT_PEERADDR:$SOCAT_PEERPORT"; cat' \
		>/dev/null 2>&1 &
	local srv=$! out port
	sleep 0.2
	out=$(echo hello | in_ns $LAN timeout 5 socat -T2 - TCP:203.0.113.178:8888)
	wait $srv 2>/dev/null
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
	ip netns exec $LAN timeout 4 socat -T3 TCP-LISTEN:7777,reuseaddr \
		OPEN:"$TMP/got",creat >/dev/null 2>&1 &
	local srv=$!
	sleep 0.2
	in_ns $REM ip route add 192.168.1.0/24 via 203.0.113.1
	echo intruder | in_ns $REM timeout 2 socat -T1 - TCP:192.168.1.3:7777 \
		>/dev/null 2>&1
	echo intruder | in_ns $REM timeout 2 socat -T1 - TCP:203.0.113.1:7777 \
		>/dev/null 2>&1
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	if [ -s "$TMP/got" ]; then
		bad "unsolicited connection reached the lan"
	else
		ok "unsolicited connections from remote never arrived"
	fi
}

stop_engine() {
	kill -TERM $EPID
	for _ in $(seq 30); do
		kill -0 $EPID 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 $EPID 2>/dev/null; then
		bad "engine did not stop on SIGTERM"
		return
	fi
	wait $EPID
	local rc=$?
	EPID=
	[ $rc = 0 ] && ok "engine exit 0 on SIGTERM" || bad "engine exit $rc"
	sed 's/^/  /' "$TMP/engine.log"
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
[ $FAILS = 0 ] && echo PASS || echo "FAILED: $FAILS"
[ $FAILS = 0 ]
