#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The engine live with iptables rules, between three namespaces as in
# seed.sh (the router's veths carry no addresses; the engine owns them):
#
#   lan 192.168.1.3/24 --- router (engine) --- remote 203.0.113.178/24
#
# Rules: FORWARD DROP with ESTABLISHED,RELATED and the lan accepted,
# MASQUERADE -o veth-wan, DNAT 8080 -> 192.168.1.3:80.  Checks that the
# remote sees 203.0.113.1 with the client's own source port (Linux keeps
# it while free), that a connection to 203.0.113.1:8080 reaches the lan
# server from the real client address and gets its answer, that a UDP
# datagram larger than the MTU arrives whole, that an unsolicited
# connection never reaches the lan, and exit 0 on SIGTERM.
#
# usage: ipt.sh ENGINE   (as seed.sh).  Exit 77 without root or a tool.
set -u

ENGINE=${1:?usage: ipt.sh ENGINE}
for t in ip socat timeout; do
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
	printf '%s\n' \
	    'iptables -P FORWARD DROP' \
	    'iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT' \
	    'iptables -A FORWARD -i veth-lan -j ACCEPT' \
	    'iptables -A FORWARD -i veth-wan -p tcp -d 192.168.1.3 --dport 80 -m state --state NEW -j ACCEPT' \
	    'iptables -t nat -A POSTROUTING -o veth-wan -j MASQUERADE' \
	    'iptables -t nat -A PREROUTING -i veth-wan -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.3:80' \
	    >"$TMP/rules"
	ip netns exec $RTR "$ENGINE" engine --inside veth-lan=192.168.1.1/24 \
		--outside veth-wan=203.0.113.1/24 --rules "$TMP/rules" \
		--socket "$TMP/ctl.sock" 2>"$TMP/engine.log" &
	EPID=$!
	for _ in $(seq 50); do
		grep -q running "$TMP/engine.log" && return 0
		kill -0 $EPID 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/engine.log"
	return 1
}

# lan -> remote from source port 40123: the remote sees 203.0.113.1:40123.
check_masq() {
	ip netns exec $REM timeout 10 socat -T5 TCP-LISTEN:8888,reuseaddr \
		SYSTEM:'echo "peer $SOCAT_PEERADDR:$SOCAT_PEERPORT"; cat' \
		>/dev/null 2>&1 &
	local srv=$! out
	sleep 0.2
	out=$(echo hello | in_ns $LAN timeout 5 socat -T2 - \
		TCP:203.0.113.178:8888,sourceport=40123)
	wait $srv 2>/dev/null
	if grep -qx 'peer 203.0.113.1:40123' <<<"$out" &&
	   grep -qx hello <<<"$out"; then
		ok "masquerade kept the source port: remote saw 203.0.113.1:40123"
	else
		bad "masquerade: got '$out'"
	fi
}

# remote -> 203.0.113.1:8080 reaches the lan server on 80, from the client.
check_dnat() {
	ip netns exec $LAN timeout 10 socat -T5 TCP-LISTEN:80,reuseaddr \
		SYSTEM:'echo "server saw $SOCAT_PEERADDR"; cat' \
		>/dev/null 2>&1 &
	local srv=$! out
	sleep 0.2
	out=$(echo request | in_ns $REM timeout 5 socat -T2 - TCP:203.0.113.1:8080)
	wait $srv 2>/dev/null
	if grep -qx 'server saw 203.0.113.178' <<<"$out" &&
	   grep -qx request <<<"$out"; then
		ok "dnat 8080 -> 192.168.1.3:80, replies translated back"
	else
		bad "dnat: got '$out'"
	fi
}

# 3000 bytes in one UDP datagram: fragmented by the lan's stack,
# reassembled, masqueraded and split again by the engine.
check_frag() {
	ip netns exec $REM timeout 6 socat -T3 -u UDP-RECV:9999 \
		OPEN:"$TMP/udp",creat >/dev/null 2>&1 &
	local srv=$! n
	sleep 0.2
	head -c 3000 /dev/urandom >"$TMP/sent"
	in_ns $LAN timeout 3 socat -u OPEN:"$TMP/sent" UDP:203.0.113.178:9999
	sleep 0.5
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	if cmp -s "$TMP/sent" "$TMP/udp"; then
		ok "a 3000-byte udp datagram arrived whole"
	else
		n=$(stat -c %s "$TMP/udp" 2>/dev/null || echo none)
		bad "fragmented udp: received $n bytes"
	fi
}

check_unsolicited() {
	ip netns exec $LAN timeout 4 socat -T3 TCP-LISTEN:7777,reuseaddr \
		OPEN:"$TMP/got",creat >/dev/null 2>&1 &
	local srv=$!
	sleep 0.2
	in_ns $REM ip route add 192.168.1.0/24 via 203.0.113.1
	echo intruder | in_ns $REM timeout 2 socat -T1 - TCP:192.168.1.3:7777 \
		>/dev/null 2>&1
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	if [ -s "$TMP/got" ]; then
		bad "unsolicited connection reached the lan"
	else
		ok "NEW from remote to the lan dropped by the FORWARD policy"
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
check_masq
check_dnat
check_frag
check_unsolicited
stop_engine
[ $FAILS = 0 ] && echo PASS || echo "FAILED: $FAILS"
[ $FAILS = 0 ]
