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
. "$(dirname "$0")/lib.sh"
el_init ip socat timeout

start_engine() {
	printf '%s\n' \
	    'iptables -P FORWARD DROP' \
	    'iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT' \
	    'iptables -A FORWARD -i veth-lan -j ACCEPT' \
	    'iptables -A FORWARD -i veth-wan -p tcp -d 192.168.1.3 --dport 80 -m state --state NEW -j ACCEPT' \
	    'iptables -t nat -A POSTROUTING -o veth-wan -j MASQUERADE' \
	    'iptables -t nat -A PREROUTING -i veth-wan -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.3:80' \
	    >"$TMP/rules"
	engine_start --rules "$TMP/rules" --socket "$SOCK"
}

# lan -> remote from source port 40123: the remote sees 203.0.113.1:40123.
check_masq() {
	local out
	out=$(tcp_talk $REM 8888 'echo "peer $SOCAT_PEERADDR:$SOCAT_PEERPORT"' \
		$LAN hello 203.0.113.178:8888,sourceport=40123)
	if grep -qx 'peer 203.0.113.1:40123' <<<"$out" &&
	   grep -qx hello <<<"$out"; then
		ok "masquerade kept the source port: remote saw 203.0.113.1:40123"
	else
		bad "masquerade: got '$out'"
	fi
}

# remote -> 203.0.113.1:8080 reaches the lan server on 80, from the client.
check_dnat() {
	local out
	out=$(tcp_talk $LAN 80 'echo "server saw $SOCAT_PEERADDR"' \
		$REM request 203.0.113.1:8080)
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
	if intrude 192.168.1.3; then
		ok "NEW from remote to the lan dropped by the FORWARD policy"
	else
		bad "unsolicited connection reached the lan"
	fi
}

setup || { echo "FAIL: namespace setup"; exit 1; }
start_engine || { echo "FAIL: engine did not start"; exit 1; }
check_masq
check_dnat
check_frag
check_unsolicited
stop_engine
summary
