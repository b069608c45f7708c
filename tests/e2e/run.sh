#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One end-to-end suite for both backends (issue 3 item 2, issue 4 item 6):
# the same scenarios (rules files in cases/) and the same checks with real
# packets, the router configured by masqrule either in the kernel or as
# the userspace engine.  See lib.sh for the network.
#
#   MASQRULE=build/cli/masqrule tests/e2e/run.sh kernel|engine
#
# Prints `ok', `FAIL' or `gap' per check and a summary; exit 0 when
# nothing failed, 77 without root or a needed tool.
#
# What a backend cannot do yet is named here and printed as `gap' (never
# skipped silently), e.g. ENGINE_GAPS="iptables-masq portfw".  Empty
# since the engine took the iptables model, DNAT and port forwarding
# (another developer's work, landing while this suite was written); the
# engine refuses REDIRECT with a message at the rule's line, which is
# checked, not a gap.  E2E_TRY_GAPS=1 runs listed gaps anyway.
ENGINE_GAPS=""
KERNEL_GAPS=""
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
MASQRULE=${MASQRULE:-$top/build/cli/masqrule}
BACKEND=${1:-}
case $BACKEND in
kernel|engine) ;;
*) echo "usage: $0 kernel|engine" >&2; exit 2 ;;
esac
# shellcheck source=lib.sh
. "$here/lib.sh"

e2e_need ip socat ping timeout curl
[ "$BACKEND" = kernel ] && e2e_need nft conntrack
/usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null ||
	{ echo "SKIP: no python3-pyftpdlib"; exit 77; }
CASES=$here/cases
PASS=0 FAILS=0 GAPS=0

ok() { echo "ok   $BACKEND: $*"; PASS=$((PASS + 1)); }
bad() { echo "FAIL $BACKEND: $*"; FAILS=$((FAILS + 1)); }
check() {	# name status detail
	if [ "$2" = 0 ]; then ok "$1"; else bad "$1: $3"; fi
}

is_gap() {	# scenario
	local g list
	[ -n "${E2E_TRY_GAPS:-}" ] && return 1
	[ "$BACKEND" = engine ] && list=$ENGINE_GAPS || list=$KERNEL_GAPS
	for g in $list; do
		[ "$g" = "$1" ] && return 0
	done
	return 1
}

# Configure the router with cases/NAME.rules; false (and a FAIL) when the
# backend refused it.
use() {	# name
	if configure_router "$BACKEND" "$CASES/$1.rules"; then
		return 0
	fi
	bad "$1: the router refused the rules: $(head -c 300 "$E2E_LOG")"
	return 1
}

# scenario NAME: run scn_NAME unless it is a named gap
scenario() {
	if is_gap "$1"; then
		echo "gap  $BACKEND: $1 (listed in ${BACKEND^^}_GAPS)"
		GAPS=$((GAPS + 1))
		return
	fi
	use "$1" && "scn_$1" "$1"
}

# The lan host SRC reaches the remote's 8888 through the masquerade:
# bytes both ways, the remote saw 203.0.113.1 (and 2.2's port range).
seed_tcp() {	# name src legacy(1|0)
	local a r=1
	a=$(tcp_talk $LAN "$2" 203.0.113.178 8888)
	case $a in
	"remote 203.0.113.1 port "*" got hello")
		r=0
		[ "$3" = 1 ] && ! legacy_port "$a" && r=1 ;;
	esac
	check "$1: tcp $2 -> 203.0.113.178:8888 both ways, remote saw ${a#remote }" $r "$a"
}

blocked_tcp() {	# name ns src dst port
	local a
	a=$(tcp_talk "$2" "$3" "$4" "$5")
	case $a in ERR*) ok "$1" ;; *) bad "$1: got '$a'" ;; esac
}

seed_udp() {	# name
	local a r=1
	a=$(udp_talk $LAN 192.168.1.3 203.0.113.178 9999)
	case $a in "udp 203.0.113.1 port "*" got hello") legacy_port "$a" && r=0 ;; esac
	check "$1: udp both ways, remote saw ${a#udp }" $r "$a"
}

# UDP to a closed port of the remote: its port-unreachable, sent to
# 203.0.113.1, is translated back and reaches the lan host's socket.
udp_refused() {	# name
	local a
	a=$(echo hello | in_ns $LAN timeout 4 socat -T2 - \
	    UDP:203.0.113.178:9998,bind=192.168.1.3 2>&1)
	case $a in *"Connection refused"*) r=0 ;; *) r=1 ;; esac
	check "$1: udp to a closed port: the ICMP error comes back to the lan" $r "$a"
}

# The remote host with a route to the lan opens connections to a lan
# host's service and to the router's outside address: neither arrives.
unsolicited() {	# name
	ip -n $REM route add 192.168.1.0/24 via 203.0.113.1
	blocked_tcp "$1: unsolicited remote -> 192.168.1.3:80 never arrives" \
		$REM 203.0.113.178 192.168.1.3 80
	blocked_tcp "$1: unsolicited remote -> 203.0.113.1:80 never reaches the lan" \
		$REM 203.0.113.178 203.0.113.1 80
	ip -n $REM route del 192.168.1.0/24 via 203.0.113.1
}

# What the router holds, read independently of the connection.
router_witness() {	# name
	local n
	if [ "$BACKEND" = kernel ]; then
		n=$(in_ns $RTR conntrack -L -p tcp --dport 8888 2>/dev/null |
		    grep -c 'dst=203.0.113.1 ')
		[ "$n" -ge 1 ]
		check "$1: router conntrack holds the masqueraded flow" $? "$n"
		in_ns $RTR "$MASQRULE" -S forward 2>/dev/null | grep -q -- '-j MASQ'
		check "$1: masqrule -S forward reads the MASQ rule back" $? "$(in_ns $RTR "$MASQRULE" -S forward 2>&1 | head -3)"
	else
		e2e_engine_stop
		grep -Eq 'masq new [1-9]' "$E2E_LOG"
		check "$1: engine counted new masquerade entries" $? "$(tail -1 "$E2E_LOG")"
	fi
}

scn_ipchains-seed() {
	local from
	seed_tcp "$1" 192.168.1.3 1
	seed_tcp "$1" 192.168.1.4 1
	seed_udp "$1"
	udp_refused "$1"
	ping_ok $LAN 203.0.113.178
	check "$1: ping lan -> remote" $? ""
	ping_ok $LAN 192.168.1.1
	check "$1: ping lan -> router inside address" $? ""
	ping_ok $REM 203.0.113.1
	check "$1: ping remote -> router outside address" $? ""
	from=$(ttl_probe $LAN 203.0.113.178)
	[ "$from" = 192.168.1.1 ]
	check "$1: ttl 1 -> time exceeded from 192.168.1.1" $? "from '$from'"
	unsolicited "$1"
	router_witness "$1"
}

scn_ipchains-deny-first() {
	blocked_tcp "$1: DENY before MASQ blocks 192.168.1.3" \
		$LAN 192.168.1.3 203.0.113.178 8888
	seed_tcp "$1" 192.168.1.4 1
}

scn_ipfwadm-masq() {
	seed_tcp "$1" 192.168.1.3 1
	seed_udp "$1"
	unsolicited "$1"
}

scn_ipfwadm-policy() {
	seed_tcp "$1" 192.168.1.3 1
}

scn_iptables-masq() {
	seed_tcp "$1" 192.168.1.3 0
	unsolicited "$1"
}

scn_native-masq() {
	seed_tcp "$1" 192.168.1.3 1
	unsolicited "$1"
}

forwarded() {	# name: the remote reaches 192.168.1.3:80 through 203.0.113.1:8080
	local a
	a=$(tcp_talk $REM 203.0.113.178 203.0.113.1 8080)
	case $a in "lan 203.0.113.178 port "*" got hello") r=0 ;; *) r=1 ;; esac
	check "$1: remote -> 203.0.113.1:8080 reaches 192.168.1.3:80" $r "$a"
	seed_tcp "$1" 192.168.1.3 "$2"
}

scn_portfw() { forwarded "$1" 1; }
scn_iptables-dnat() { forwarded "$1" 0; }

# REDIRECT: on the kernel the connection lands on the router's 3128; the
# engine has no local ports and must refuse the rules, saying why.
redirect() {	# name
	local a
	if [ "$BACKEND" = engine ]; then
		bad "$1: the engine accepted a REDIRECT rule"
		return
	fi
	a=$(tcp_talk $LAN 192.168.1.3 203.0.113.178 80)
	case $a in "router 192.168.1.3 port "*" got hello") r=0 ;; *) r=1 ;; esac
	check "$1: lan -> 203.0.113.178:80 lands on the router's 3128" $r "$a"
	seed_tcp "$1" 192.168.1.3 1
}
scn_ipchains-redirect() { redirect "$1"; }
scn_ipfwadm-redirect() { redirect "$1"; }

engine_refuses_redirect() {	# name
	if configure_router engine "$CASES/$1.rules"; then
		bad "$1: the engine accepted a REDIRECT rule"
		e2e_engine_stop
		return
	fi
	grep -q 'REDIRECT' "$E2E_LOG" && grep -q "$1.rules:[0-9]" "$E2E_LOG"
	check "$1: the engine refuses REDIRECT at its line" $? "$(head -c 300 "$E2E_LOG")"
}

# FTP through the masquerade, passive and active (the data connection
# comes back in: only the helper lets it).  Each case names its helper
# (modprobe ip_masq_ftp, or ip_conntrack_ftp + ip_nat_ftp).
ftp_get() {	# curl options...
	in_ns $LAN timeout 6 curl -s --max-time 5 --interface 192.168.1.3 "$@" \
		ftp://203.0.113.178/hello.txt 2>&1
}

scn_ftp() {
	local a
	a=$(ftp_get)
	[ "$a" = hello ]
	check "$1: passive FTP (curl) through the masquerade" $? "$a"
	a=$(ftp_get --ftp-port -)
	[ "$a" = hello ]
	check "$1: active FTP (curl --ftp-port) with the helper" $? "$a"
}

scn_iptables-ftp() { scn_ftp "$1"; }

ftp_nohelper() {
	local a
	use ipchains-seed || return
	a=$(ftp_get --ftp-port -)
	[ "$a" != hello ]
	check "ftp-nohelper: active FTP fails without the helper" $? "$a"
}

start_servers() {
	serve_tcp $REM 203.0.113.178 8888 remote
	serve_udp $REM 203.0.113.178 9999 udp
	serve_tcp $LAN 192.168.1.3 80 lan
	[ "$BACKEND" = kernel ] && serve_tcp $RTR 0.0.0.0 3128 router
	mkdir -p "$E2E_TMP/ftp"
	echo hello >"$E2E_TMP/ftp/hello.txt"
	ip netns exec $REM /usr/bin/python3 -m pyftpdlib -i 203.0.113.178 \
		-p 21 -d "$E2E_TMP/ftp" >"$E2E_TMP/ftpd.log" 2>&1 &
	e2e_bg $!
	for _ in $(seq 30); do
		in_ns $REM ss -ltn 2>/dev/null | grep -q ':21 ' && return 0
		sleep 0.1
	done
	echo "warning: the FTP server did not start: $(head -3 "$E2E_TMP/ftpd.log")"
}

SECONDS=0
e2e_setup "$BACKEND" || { echo "FAIL $BACKEND: namespace setup"; exit 1; }
start_servers
scenario ipchains-seed
scenario ipchains-deny-first
scenario ipfwadm-masq
scenario ipfwadm-policy
scenario iptables-masq
scenario native-masq
scenario portfw
scenario iptables-dnat
if [ "$BACKEND" = engine ]; then
	engine_refuses_redirect ipchains-redirect
	engine_refuses_redirect ipfwadm-redirect
else
	scenario ipchains-redirect
	scenario ipfwadm-redirect
fi
scenario ftp
scenario iptables-ftp
ftp_nohelper
[ "$BACKEND" = engine ] && e2e_engine_stop
secs=$SECONDS
echo "e2e $BACKEND: $PASS ok, $FAILS failed, $GAPS gaps (${secs}s)"
[ "$FAILS" = 0 ]
