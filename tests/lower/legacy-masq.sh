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
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
MASQRULE=${MASQRULE:-$top/build/cli/masqrule}
P=mr-$$-
LAN=${P}lan RT=${P}rt REM=${P}rem
tmp=$(mktemp -d)
pids=()
pass=0
fail=0

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for n in "$LAN" "$RT" "$REM"; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

for t in ip nft socat conntrack timeout; do
	if ! command -v "$t" >/dev/null; then
		echo "legacy-masq: $t missing: skipped"
		exit 77
	fi
done
if [ "$(id -u)" != 0 ] || ! ip netns add "$LAN" 2>/dev/null; then
	echo "legacy-masq: needs root and network namespaces: skipped"
	exit 77
fi

topology() {
	ip netns add "$RT"
	ip netns add "$REM"
	for n in "$LAN" "$RT" "$REM"; do
		ip -n "$n" link set lo up
	done
	ip link add "${P}a" netns "$LAN" type veth peer name "${P}b" netns "$RT"
	ip link add "${P}c" netns "$RT" type veth peer name "${P}d" netns "$REM"
	ip -n "$LAN" link set "${P}a" name eth0
	ip -n "$RT" link set "${P}b" name eth1
	ip -n "$RT" link set "${P}c" name eth0
	ip -n "$REM" link set "${P}d" name eth0
	ip -n "$LAN" addr add 192.168.1.3/24 dev eth0
	ip -n "$LAN" addr add 192.168.1.4/24 dev eth0
	ip -n "$RT" addr add 192.168.1.1/24 dev eth1
	ip -n "$RT" addr add 203.0.113.1/24 dev eth0
	ip -n "$REM" addr add 203.0.113.178/24 dev eth0
	for n in "$LAN" "$RT" "$REM"; do
		ip -n "$n" link set eth0 up
	done
	ip -n "$RT" link set eth1 up
	ip -n "$LAN" route add default via 192.168.1.1
	ip netns exec "$RT" sysctl -qw net.ipv4.ip_forward=1
}

# A TCP server in namespace $1 on $2:$3 that answers "$4 ADDR port PORT"
# with its peer's address and port (socat's SYSTEM takes no ':').
serve() {
	ip netns exec "$1" socat "TCP-LISTEN:$3,bind=$2,reuseaddr,fork" \
		SYSTEM:"echo $4 \$SOCAT_PEERADDR port \$SOCAT_PEERPORT" \
		2>/dev/null &
	pids+=($!)
}

# Connect from namespace $1 (source address $2) to $3:$4; prints the
# answer, or "ERR <socat message>".  The client sends nothing: data the
# server never reads would make its close a reset, which can eat the
# answer.
connect() {
	local out
	if out=$(ip netns exec "$1" timeout 5 socat -u -T3 \
		 "TCP:$3:$4,bind=$2,connect-timeout=2" - 2>&1); then
		echo "$out"
	else
		echo "ERR $out"
	fi
}

check() {	# name, condition result (0 = pass), detail
	if [ "$2" = 0 ]; then
		pass=$((pass + 1))
		echo "ok   $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: $3"
	fi
}

# Translate the script on stdin and load it into the router.
load() {	# name
	cat >"$tmp/in"
	if ! "$MASQRULE" translate -f "$tmp/in" >"$tmp/nft" 2>"$tmp/err"; then
		check "$1: translate" 1 "$(head -5 "$tmp/err")"
		return 1
	fi
	if ! ip netns exec "$RT" nft -f "$tmp/nft" 2>"$tmp/err"; then
		check "$1: nft -f" 1 "$(head -5 "$tmp/err")"
		return 1
	fi
	ip netns exec "$RT" conntrack -F >/dev/null 2>&1
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

topology
serve "$REM" 203.0.113.178 8888 remote
serve "$REM" 203.0.113.178 80 remote
serve "$LAN" 192.168.1.3 80 lan
serve "$LAN" 192.168.1.3 9999 lan
serve "$RT" 0.0.0.0 8080 router
sleep 0.5

# 1: the seed scenario
if load seed <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	masq_src_ok "$a"
	check "seed: 192.168.1.3 masqueraded to 203.0.113.1:61000-65095" $? "$a"
	n=$(ip netns exec "$RT" conntrack -L -p tcp --dport 8888 2>/dev/null | grep -c 'mark=536870912')
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
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	case $a in ERR*) r=0 ;; *) r=1 ;; esac
	check "deny-first: 192.168.1.3 blocked" $r "$a"
	a=$(connect "$LAN" 192.168.1.4 203.0.113.178 8888)
	masq_src_ok "$a"
	check "deny-first: 192.168.1.4 masqueraded" $? "$a"

	# 3: an unsolicited connection from outside never reaches the lan
	ip -n "$REM" route add 192.168.1.0/24 via 203.0.113.1
	a=$(connect "$REM" 203.0.113.178 192.168.1.3 9999)
	case $a in ERR*) r=0 ;; *) r=1 ;; esac
	check "deny-first: remote cannot open a connection to the lan" $r "$a"
	ip -n "$REM" route del 192.168.1.0/24 via 203.0.113.1
fi

# 4: the input chain judges forwarded packets (2.2 order input, forward, output)
if load input-sees-forwarded <<'EOF'
ipchains -P forward DENY
ipchains -A input -i eth1 -s 192.168.1.4 -j DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	a=$(connect "$LAN" 192.168.1.4 203.0.113.178 8888)
	case $a in ERR*) r=0 ;; *) r=1 ;; esac
	check "input: DENY in input stops a forwarded connection" $r "$a"
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	masq_src_ok "$a"
	check "input: other hosts still masqueraded" $? "$a"
fi

# 5: the output chain sees forwarded packets after masquerading
if load output-after-masq <<'EOF'
ipchains -P forward DENY
ipchains -A output -i eth0 -s 192.168.1.0/24 -j DENY
ipchains -A forward -i eth0 -s 192.168.1.0/24 -j MASQ
EOF
then
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	masq_src_ok "$a"
	check "output: an anti-leak DENY of lan sources lets masqueraded packets out" $? "$a"
fi
if load output-sees-masq-source <<'EOF'
ipchains -P forward DENY
ipchains -A output -i eth0 -p tcp -s 203.0.113.1 -d 203.0.113.178 8888 -j DENY
ipchains -A forward -i eth0 -s 192.168.1.0/24 -j MASQ
EOF
then
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	case $a in ERR*) r=0 ;; *) r=1 ;; esac
	check "output: a DENY of the masquerading address stops forwarded packets" $r "$a"
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 80)
	masq_src_ok "$a"
	check "output: other ports pass" $? "$a"
fi

# 6: REJECT in forward answers host-unreachable
if load reject <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.3 -j REJECT
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
then
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	case $a in *"No route to host"*) r=0 ;; *) r=1 ;; esac
	check "reject: forward REJECT is host-unreachable" $r "$a"
fi

# 7: ipfwadm: masquerade policy, transparent redirect in input
if load ipfwadm <<'EOF'
ipfwadm -F -p masquerade
ipfwadm -I -a accept -P tcp -S 0/0 -D 203.0.113.178 80 -r 8080
EOF
then
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	masq_src_ok "$a"
	check "ipfwadm: -F -p masquerade masquerades" $? "$a"
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 80)
	case $a in "router 192.168.1.3 port "*) r=0 ;; *) r=1 ;; esac
	check "ipfwadm: -I -r 8080 redirects to the router" $r "$a"
fi

# 8: port forwarding, replies of the inside server masqueraded back
if load portfw <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
ipmasqadm portfw -a -P tcp -L 203.0.113.1 8080 -R 192.168.1.3 80
EOF
then
	a=$(connect "$REM" 203.0.113.178 203.0.113.1 8080)
	case $a in "lan 203.0.113.178 port "*) r=0 ;; *) r=1 ;; esac
	check "portfw: 203.0.113.1:8080 reaches 192.168.1.3:80" $r "$a"
fi

# 9: masquerade timeouts become a ct timeout policy (udp: 160 s, where
# the kernel's default for an unreplied flow is 30 s)
if load timeouts <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
ipchains -M -S 7200 10 160
EOF
then
	echo x | ip netns exec "$LAN" timeout 2 socat -u - \
		UDP-SENDTO:203.0.113.178:5353,bind=192.168.1.3:5353 2>/dev/null
	t=$(ip netns exec "$RT" conntrack -L -p udp --orig-port-dst 5353 2>/dev/null |
	    awk '{ print $3; exit }')
	[ -n "$t" ] && [ "$t" -gt 100 ]
	check "timeouts: masqueraded udp flow expires after 160 s" $? "timeout '$t'"
fi

# 10: a whole HOWTO firewall, whose input and output rules were written
# for 2.2's packet path (replies to the masq address pass input, lan
# replies pass output after demasquerading)
if load howto <"$here/inputs/ipchains-howto.in"; then
	a=$(connect "$LAN" 192.168.1.3 203.0.113.178 8888)
	masq_src_ok "$a"
	check "howto: lan to remote masqueraded through the stronger firewall" $? "$a"
	ip -n "$REM" route add 192.168.1.0/24 via 203.0.113.1
	a=$(connect "$REM" 203.0.113.178 192.168.1.3 9999)
	case $a in ERR*) r=0 ;; *) r=1 ;; esac
	check "howto: remote cannot open a connection to the lan" $r "$a"
	ip -n "$REM" route del 192.168.1.0/24 via 203.0.113.1
fi

# 11: FTP helper.  Active FTP's data connection comes back in: it passes
# forward policy DENY only as a helper-expected connection of a
# masqueraded one.
ftp_get() {	# curl options...
	ip netns exec "$LAN" curl -s --max-time 5 --interface 192.168.1.3 "$@" \
		ftp://203.0.113.178/hello.txt 2>&1
}
if command -v curl >/dev/null &&
   /usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null; then
	mkdir -p "$tmp/ftp"
	echo hello >"$tmp/ftp/hello.txt"
	ip netns exec "$REM" /usr/bin/python3 -m pyftpdlib -i 203.0.113.178 \
		-p 21 -d "$tmp/ftp" >/dev/null 2>&1 &
	pids+=($!)
	sleep 1
	if load ftp-nohelper <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
EOF
	then
		a=$(ftp_get -P -)
		[ "$a" != hello ]
		check "ftp: active FTP fails without the helper" $? "$a"
	fi
	if load ftp <<'EOF'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
modprobe ip_masq_ftp
EOF
	then
		a=$(ftp_get)
		[ "$a" = hello ]
		check "ftp: passive FTP through the masquerade" $? "$a"
		a=$(ftp_get -P -)
		[ "$a" = hello ]
		check "ftp: active FTP through the masquerade with ip_masq_ftp" $? "$a"
	fi
else
	echo "skip ftp: curl or python3-pyftpdlib missing"
fi

echo "legacy-masq: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
