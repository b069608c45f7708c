#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The masquerade table on the kernel backend (issue 3 item 5): a router
# configured only with masqrule commands masquerades real UDP and TCP
# flows; the timeouts set with ipchains -M -S, ipfwadm -M -s and
# masqrule --masq-timeouts are read back from conntrack -L (the witness)
# and from -M -L in the three layouts, which must agree with it and with
# what the remote host saw.
#
#   lan 192.168.1.3 -- router 192.168.1.1 | 203.0.113.1 -- remote 203.0.113.178
#
# Needs root, ip, nft, socat, conntrack: exits 77 (skipped) without them.
# Run: MASQRULE=build/cli/masqrule tests/kernel/masq-table.sh
set -u
. "$(dirname "$0")/../lib/topo.sh"
topo_need ip nft socat conntrack timeout "$M"
# the legacy names, as libexec/masqrule/ installs them
ln -s "$M" "$tmp/ipchains"
ln -s "$M" "$tmp/ipfwadm"

rt() { in_ns "$RT" "$@"; }
between() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# One UDP datagram from lan port $1; prints what the remote saw as its
# source ("203.0.113.1 PORT").
udp_flow() { topo_udp "$LAN" 203.0.113.178 9999 "sourceport=$1"; }

# conntrack's timeout of the UDP entry from lan port $1.
ct_udp_timeout() {
	rt conntrack -L -p udp --orig-src 192.168.1.3 --sport "$1" 2>/dev/null |
		awk '{ print $3; exit }'
}

topo_standard
# the remote host answers with the source it saw ("ADDR PORT"), and keeps
# a TCP connection open for 4 s
topo_serve "$REM" 20 UDP-RECVFROM:9999
topo_serve "$REM" 20 TCP-LISTEN:8888 'echo $SOCAT_PEERADDR $SOCAT_PEERPORT; sleep 4'
topo_listening "$REM" udp 9999 && topo_listening "$REM" tcp 8888

# 1: the router, configured with masqrule commands of three dialects
rt "$M" -P forward DROP &&
	rt "$M" -A forward -s 192.168.1.0/24 -j MASQUERADE &&
	rt "$M" --dialect ipchains -M -S 7200 10 160
check "router: masqrule -A forward ... MASQUERADE, ipchains -M -S 7200 10 160" $? ""
rt nft list table ip masqrule >"$tmp/ruleset" 2>&1
grep -q "established : 7200, fin_wait : 10" "$tmp/ruleset" &&
	grep -q "unreplied : 160, replied : 160" "$tmp/ruleset"
check "ct timeout objects in the kernel" $? "$(grep -A3 'ct timeout' "$tmp/ruleset")"

# 2: an empty table: the legacy title only
out=$(rt "$tmp/ipchains" -M -L -n)
[ "$out" = "IP masquerading entries" ]
check "ipchains -M -L with no entries: title only" $? "$out"

# 3: a UDP flow, read from the remote, conntrack and -M -L
seen=$(udp_flow 4000)
mport=${seen#203.0.113.1 }
[ "${seen%% *}" = 203.0.113.1 ] && between "$mport" 61000 65095
check "udp: the remote sees 203.0.113.1 with a port in 61000-65095" $? "$seen"
t=$(ct_udp_timeout 4000)
between "$t" 150 160
check "udp: conntrack -L shows the 160 s timeout" $? "timeout '$t'"
line=$(rt "$M" -M -L -n | grep "192.168.1.3:4000 ")
set -- $line
[ "$1" = udp ] && [ "$2" = - ] && between "$3" 150 160 &&
	[ "$5" = "203.0.113.1:$mport" ] && [ "$6" = 203.0.113.178:9999 ]
check "udp: masqrule -M -L -n agrees with conntrack and the remote" $? "$line"

# 4: a TCP connection held open: ESTABLISHED with the 7200 s timeout
topo_tcp "$LAN" 203.0.113.178 8888 sourceport=4001 6 >"$tmp/tcp" &
topo_wait 2 test -s "$tmp/tcp"
t=$(rt conntrack -L -p tcp --orig-src 192.168.1.3 --sport 4001 2>/dev/null |
	awk '{ print $3, $4; exit }')
between "${t% *}" 7190 7200 && [ "${t#* }" = ESTABLISHED ]
check "tcp: conntrack -L shows ESTABLISHED with the 7200 s timeout" $? "'$t'"
tport=$(sed -n 's/^203\.0\.113\.1 \([0-9]*\)$/\1/p' "$tmp/tcp")
line=$(rt "$M" -M -L -n | grep "192.168.1.3:4001 ")
set -- $line
[ "$1" = tcp ] && [ "$2" = ESTABLISHED ] && between "$3" 7190 7200 &&
	[ -n "$tport" ] && [ "$5" = "203.0.113.1:$tport" ]
check "tcp: masqrule -M -L -n: ESTABLISHED, 7200 s, the port the remote saw" $? "$line / $tport"

# 5: the legacy layouts of the same entries
out=$(rt "$tmp/ipchains" -M -L -n)
echo "$out" | grep -Eq "^TCP  1(19:5[0-9]|20:00)\.00 192\.168\.1\.3 +203\.0\.113\.178 +4001 \($tport\) -> 8888$" &&
	echo "$out" | grep -Eq "^UDP  02:(3[0-9]|40)\.00 192\.168\.1\.3 +203\.0\.113\.178 +4000 \($mport\) -> 9999$" &&
	[ "$(echo "$out" | sed -n 2p)" = "prot expire   source               destination          ports" ]
check "ipchains -M -L -n layout" $? "$out"
out=$(rt "$tmp/ipchains" -M -L -n -v)
echo "$out" | grep -Eq "^prot expire      initseq delta prevd source" &&
	echo "$out" | grep -Eq "^UDP  02:[0-9]{2}\.00 +0 +0 +0 192\.168\.1\.3 "
check "ipchains -M -L -v adds initseq delta prevd" $? "$out"
out=$(rt "$tmp/ipfwadm" -M -l -n)
echo "$out" | grep -Eq "^udp  02:[0-9]{2}\.00 192\.168\.1\.3 +203\.0\.113\.178 +4000 \($mport\) -> 9999$"
check "ipfwadm -M -l -n layout" $? "$out"
out=$(rt "$tmp/ipfwadm" -M -l -n -e)
echo "$out" | grep -Eq "^tcp  1(19:5[0-9]|20:00)\.00 +0 +0 +0 192\.168\.1\.3 +203\.0\.113\.178 +4001 "
check "ipfwadm -M -l -e adds initseq delta prevd" $? "$out"

# ICMP: a masqueraded ping is listed with its ids
in_ns "$LAN" ping -c1 -W2 203.0.113.178 >/dev/null 2>&1
line=$(rt "$M" -M -L -n | grep "^icmp ")
set -- $line
[ "$1" = icmp ] && between "$3" 1 30 && [ "${4%:*}" = 192.168.1.3 ] &&
	[ "${5%:*}" = 203.0.113.1 ] && [ "${6%:*}" = 203.0.113.178 ]
check "icmp: a masqueraded ping is listed" $? "$line"

# 6: ipfwadm -M -s and masqrule --masq-timeouts reach new connections
rt "$tmp/ipfwadm" -M -s 0 0 45
seen=$(udp_flow 4002)
t=$(ct_udp_timeout 4002)
between "$t" 40 45
check "ipfwadm -M -s 0 0 45: a new UDP flow gets 45 s" $? "timeout '$t' ($seen)"
rt "$M" --masq-timeouts 0 0 30
seen=$(udp_flow 4003)
t=$(ct_udp_timeout 4003)
line=$(rt "$M" -M -L -n | grep "192.168.1.3:4003 ")
set -- $line
between "$t" 25 30 && between "$3" 25 30
check "masqrule --masq-timeouts 0 0 30: conntrack and -M -L show 30 s" $? "timeout '$t', '$line'"

# 7: what masqrule did not masquerade is not listed: the router's own flow
topo_udp "$RT" 203.0.113.178 9999 sourceport=4004 >/dev/null
rt conntrack -L -p udp --sport 4004 2>/dev/null | grep -q 203.0.113.1 &&
	! rt "$M" -M -L -n | grep -q ":4004 "
check "the router's own (unmasqueraded) flow is in conntrack, not in -M -L" $? ""

topo_summary
