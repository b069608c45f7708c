#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Packet test of the lowered legacy model: ipchains / ipfwadm / ipmasqadm
# scripts are translated by `masqrule translate -f` and the nft text is
# loaded with `nft -f` into a router namespace; real TCP connections then
# show that the old kernels' behaviour holds:
#
#   lan 192.168.1.3, .4 -- router 192.168.1.1 | 203.0.113.1 -- remote 203.0.113.178
#
#  1 seed: forward policy DENY + MASQ: the remote sees 203.0.113.1 with a
#    source port in 61000-65095, replies pass the DENY policy;
#  2 a DENY before MASQ blocks 192.168.1.3 while 192.168.1.4 works;
#  3 nothing from outside reaches the lan unasked;
#  4 the input chain sees forwarded packets;
#  5 the output chain sees forwarded packets after masquerading;
#  6 REJECT in forward answers host-unreachable;
#  7 ipfwadm: -p masquerade policy and an input REDIRECT (-r);
#  8 ipmasqadm portfw;
#  9 ipchains -M -S: the masqueraded UDP flow gets the 2.2 timeout;
# 10 the HOWTO's "stronger" ipchains firewall (inputs/ipchains-howto.in),
#    policies REJECT everywhere: lan to remote works, nothing comes in;
# 11 modprobe ip_masq_ftp: passive and active FTP through the masquerade
#    (active only with the helper), when curl and pyftpdlib are there.
#
# Needs root, ip, nft, socat, conntrack: exits 77 (skipped) without them.
# Namespaces are per run (mr-$$-*) and removed on exit; every connection
# attempt is bounded by a timeout.
set -u
. "$(dirname "$0")/../lib/topo.sh"
topo_need ip nft socat conntrack timeout

# A TCP server in namespace $1 on $2:$3 that answers "$4 ADDR port PORT"
# with its peer's address and port, for 120 s at most.
serve() {
	topo_serve "$1" 120 "TCP-LISTEN:$3,bind=$2" \
		"echo $4 \$SOCAT_PEERADDR port \$SOCAT_PEERPORT"
}

# Connect from namespace $1 (source address $2) to $3:$4; prints the
# answer, or "ERR <socat message>".
connect() { topo_tcp "$1" "$3" "$4" "bind=$2"; }

# Translate the script on stdin and load it into the router.
load() {	# name
	cat >"$tmp/in"
	if ! "$MASQRULE" translate -f "$tmp/in" >"$tmp/nft" 2>"$tmp/err"; then
		check "$1: translate" 1 "$(head -5 "$tmp/err")"
		return 1
	fi
	if ! in_ns "$RT" nft -f "$tmp/nft" 2>"$tmp/err"; then
		check "$1: nft -f" 1 "$(head -5 "$tmp/err")"
		return 1
	fi
	in_ns "$RT" conntrack -F >/dev/null 2>&1
	return 0
}

masq_src_ok() {	# answer "remote 203.0.113.1 port P", P in the 2.2 range
	local port
	case $1 in
	"remote 203.0.113.1 port "*) port=${1##* } ;;
	*) return 1 ;;
	esac
	[ "$port" -ge 61000 ] && [ "$port" -le 65095 ]
}

# expect NAME PATTERN NS SRC DST PORT: connect's answer matches the case
# PATTERN, or (PATTERN masq) is masqueraded as masq_src_ok says
expect() {
	local name=$1 pat=$2 a r=1
	shift 2
	a=$(connect "$@")
	if [ "$pat" = masq ]; then
		masq_src_ok "$a" && r=0
	else
		# shellcheck disable=SC2254 # PATTERN is a pattern
		case $a in $pat) r=0 ;; esac
	fi
	check "$name" $r "$a"
}

# no_way_in NAME: even with a route back, the remote cannot open a
# connection to the lan
no_way_in() {
	ip -n "$REM" route add 192.168.1.0/24 via 203.0.113.1
	expect "$1" 'ERR*' "$REM" 203.0.113.178 192.168.1.3 9999
	ip -n "$REM" route del 192.168.1.0/24 via 203.0.113.1
}

topo_standard 192.168.1.3 192.168.1.4
serve "$REM" 203.0.113.178 8888 remote
serve "$REM" 203.0.113.178 80 remote
serve "$LAN" 192.168.1.3 80 lan
serve "$LAN" 192.168.1.3 9999 lan
serve "$RT" 0.0.0.0 8080 router
topo_listening "$REM" tcp 8888 80 && topo_listening "$LAN" tcp 80 9999 &&
	topo_listening "$RT" tcp 8080

# 1: the seed scenario
if load seed <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	expect "seed: 192.168.1.3 masqueraded to 203.0.113.1:61000-65095" masq \
		"$LAN" 192.168.1.3 203.0.113.178 8888
	n=$(in_ns "$RT" conntrack -L -p tcp --dport 8888 2>/dev/null | grep -c 'mark=536870912')
	[ "$n" -ge 1 ]
	check "seed: the router's conntrack entry carries masqrule's mark" $? "$n entries"
fi

# 2: rules before MASQ still win
if load deny-first <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.3/32 -j DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	expect "deny-first: 192.168.1.3 blocked" 'ERR*' \
		"$LAN" 192.168.1.3 203.0.113.178 8888
	expect "deny-first: 192.168.1.4 masqueraded" masq \
		"$LAN" 192.168.1.4 203.0.113.178 8888

	# 3: an unsolicited connection from outside never reaches the lan
	no_way_in "deny-first: remote cannot open a connection to the lan"
fi

# 4: the input chain judges forwarded packets (2.2 order input, forward, output)
if load input-sees-forwarded <<'EOF'
ipchains -P forward DENY
ipchains -A input -i eth1 -s 192.168.1.4 -j DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	expect "input: DENY in input stops a forwarded connection" 'ERR*' \
		"$LAN" 192.168.1.4 203.0.113.178 8888
	expect "input: other hosts still masqueraded" masq \
		"$LAN" 192.168.1.3 203.0.113.178 8888
fi

# 5: the output chain sees forwarded packets after masquerading
if load output-after-masq <<'EOF'
ipchains -P forward DENY
ipchains -A output -i eth0 -s 192.168.1.0/24 -j DENY
ipchains -A forward -i eth0 -s 192.168.1.0/24 -j MASQ
EOF
then
	expect "output: an anti-leak DENY of lan sources lets masqueraded packets out" masq \
		"$LAN" 192.168.1.3 203.0.113.178 8888
fi
if load output-sees-masq-source <<'EOF'
ipchains -P forward DENY
ipchains -A output -i eth0 -p tcp -s 203.0.113.1 -d 203.0.113.178 8888 -j DENY
ipchains -A forward -i eth0 -s 192.168.1.0/24 -j MASQ
EOF
then
	expect "output: a DENY of the masquerading address stops forwarded packets" 'ERR*' \
		"$LAN" 192.168.1.3 203.0.113.178 8888
	expect "output: other ports pass" masq \
		"$LAN" 192.168.1.3 203.0.113.178 80
fi

# 6: REJECT in forward answers host-unreachable
if load reject <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.3 -j REJECT
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	expect "reject: forward REJECT is host-unreachable" '*No route to host*' \
		"$LAN" 192.168.1.3 203.0.113.178 8888
fi

# 7: ipfwadm: masquerade policy, transparent redirect in input
if load ipfwadm <<'EOF'
ipfwadm -F -p masquerade
ipfwadm -I -a accept -P tcp -S 0/0 -D 203.0.113.178 80 -r 8080
EOF
then
	expect "ipfwadm: -F -p masquerade masquerades" masq \
		"$LAN" 192.168.1.3 203.0.113.178 8888
	expect "ipfwadm: -I -r 8080 redirects to the router" 'router 192.168.1.3 port *' \
		"$LAN" 192.168.1.3 203.0.113.178 80
fi

# 8: port forwarding, replies of the inside server masqueraded back
if load portfw <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
ipmasqadm portfw -a -P tcp -L 203.0.113.1 8080 -R 192.168.1.3 80
EOF
then
	expect "portfw: 203.0.113.1:8080 reaches 192.168.1.3:80" 'lan 203.0.113.178 port *' \
		"$REM" 203.0.113.178 203.0.113.1 8080
fi

# 9: masquerade timeouts become a ct timeout policy (udp: 160 s, where
# the kernel's default for an unreplied flow is 30 s)
if load timeouts <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
ipchains -M -S 7200 10 160
EOF
then
	topo_udp "$LAN" 203.0.113.178 5353 bind=192.168.1.3:5353 >/dev/null
	t=$(in_ns "$RT" conntrack -L -p udp --orig-port-dst 5353 2>/dev/null |
	    awk '{ print $3; exit }')
	[ -n "$t" ] && [ "$t" -gt 100 ]
	check "timeouts: masqueraded udp flow expires after 160 s" $? "timeout '$t'"
fi

# 10: a whole HOWTO firewall, whose input and output rules were written
# for 2.2's packet path (replies to the masq address pass input, lan
# replies pass output after demasquerading)
if load howto <"$here/inputs/ipchains-howto.in"; then
	expect "howto: lan to remote masqueraded through the stronger firewall" masq \
		"$LAN" 192.168.1.3 203.0.113.178 8888
	no_way_in "howto: remote cannot open a connection to the lan"
fi

# 11: FTP helper.  Active FTP's data connection comes back in: it passes
# forward policy DENY only as a helper-expected connection of a
# masqueraded one.
if topo_have_ftp; then
	topo_ftp_serve 21
	if load ftp-nohelper <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
	then
		a=$(topo_ftp_get 21 -P -)
		[ "$a" != hello ]
		check "ftp: active FTP fails without the helper" $? "$a"
	fi
	if load ftp <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
modprobe ip_masq_ftp
EOF
	then
		a=$(topo_ftp_get 21)
		[ "$a" = hello ]
		check "ftp: passive FTP through the masquerade" $? "$a"
		a=$(topo_ftp_get 21 -P -)
		[ "$a" = hello ]
		check "ftp: active FTP through the masquerade with ip_masq_ftp" $? "$a"
	fi
else
	echo "skip ftp: curl or python3-pyftpdlib missing"
fi

topo_summary
