#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -L in each dialect's own listing format, read back from the kernel with
# the counters of real packets (issue 3, "Read back"; docs/listing.md).
# The standard network of tests/lib/topo.sh, the router's interfaces
# lan0 and wan0: lan (192.168.1.3) -- router (192.168.1.1 / 203.0.113.1)
# -- rem (203.0.113.178, no route back: replies need the masquerading).
# Rules go into the router with masqrule in each dialect, lan pings rem three
# times, the listing is compared byte for byte.  A rule changed with nft
# is reported, not listed as masqrule's.  Never touches the root
# namespace.  Run: MASQRULE=build/cli/masqrule tests/apply/list.sh
set -u
. "$(dirname "$0")/../lib/topo.sh"
topo_need nft "$M"
RT_IN=lan0 RT_OUT=wan0
topo_standard
# same WHAT FILE: the expected text on stdin equals FILE (diff if not)
same() {
	diff -u - "$2" >"$tmp/diff"
	check "$1" $? "$(printf '\n'; cat "$tmp/diff")"
}

ping3() { in_ns "$LAN" ping -n -q -c 3 -i 0.2 -W 1 203.0.113.178 >/dev/null 2>&1; }
reset_gw() { in_ns "$RT" nft flush ruleset; }
H='num      pkts      bytes target     prot opt in     out     source               destination         '

# --- iptables -------------------------------------------------------
mr -A FORWARD -s 192.168.1.0/24 -p icmp -j ACCEPT &&
	mr -A FORWARD -d 192.168.1.0/24 -m state --state ESTABLISHED,RELATED -j ACCEPT &&
	mr -P FORWARD DROP &&
	mr -t nat -A POSTROUTING -s 192.168.1.0/24 -o wan0 -j MASQUERADE
check "iptables rules applied"
ping3
check "iptables: ping through MASQUERADE"
mr --dialect iptables -L FORWARD -n -v -x --line-numbers >"$tmp/out"
same "iptables -L FORWARD -n -v -x --line-numbers" "$tmp/out" <<EOF2
Chain FORWARD (policy DROP 0 packets, 0 bytes)
$H
1           3      252 ACCEPT     1    --  *      *       192.168.1.0/24       0.0.0.0/0           
2           3      252 ACCEPT     0    --  *      *       0.0.0.0/0            192.168.1.0/24       state RELATED,ESTABLISHED
EOF2
mr --dialect iptables -t nat -L POSTROUTING -v --line-numbers >"$tmp/out"
same "iptables -t nat -L POSTROUTING -v --line-numbers" "$tmp/out" <<EOF2
Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)
num   pkts bytes target     prot opt in     out     source               destination         
1        1    84 MASQUERADE  all  --  any    wan0    192.168.1.0/24       anywhere            
EOF2

# a rule changed behind masqrule's back: reported, not listed
h=$(in_ns "$RT" nft -a list chain ip masqrule filter_FORWARD |
	sed -n 's/.*ip saddr 192.168.1.0\/24 .*# handle \([0-9]*\)$/\1/p')
in_ns "$RT" nft replace rule ip masqrule filter_FORWARD handle "$h" \
	ip saddr 192.168.9.0/24 counter accept
mr -L FORWARD -n >"$tmp/out" 2>"$tmp/err"
grep -q "not masqrule's\|changed" "$tmp/err" && ! grep -q 192.168.9 "$tmp/out"
check "a rule changed with nft is reported, not listed"
reset_gw

# --- policy counters (the base chain's NFTA_CHAIN_COUNTERS) ----------
mr -A FORWARD -d 10.9.9.9 -j ACCEPT && mr -P FORWARD DROP
check "iptables: a DROP policy that pings will hit"
ping3
mr -L FORWARD -n -v -x >"$tmp/out"
grep -q '^Chain FORWARD (policy DROP 3 packets, 252 bytes)$' "$tmp/out"
check "iptables -L -v: the policy's packets" $? "$(printf '\n'; cat "$tmp/out")"
mr save -c >"$tmp/out"
grep -qx ':FORWARD DROP \[3:252\]' "$tmp/out"
check "save -c: the policy's [packets:bytes]" $? "$(printf '\n'; cat "$tmp/out")"
mr restore -c <<'EOF2'
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [7:700]
:OUTPUT ACCEPT [0:0]
[5:500] -A FORWARD -s 10.1.1.1/32 -j ACCEPT
COMMIT
EOF2
check "restore -c of policy and rule counters"
mr save -c >"$tmp/out"
grep -qx ':FORWARD DROP \[7:700\]' "$tmp/out" &&
	grep -qx -- '\[5:500\] -A FORWARD -s 10.1.1.1/32 -j ACCEPT' "$tmp/out"
check "... are in the kernel: save -c reads 7/700 and 5/500 back" $? \
	"$(printf '\n'; cat "$tmp/out")"
mr -P INPUT DROP && mr save -c >"$tmp/out" &&
	grep -qx ':FORWARD DROP \[7:700\]' "$tmp/out" &&
	grep -qx -- '\[5:500\] -A FORWARD -s 10.1.1.1/32 -j ACCEPT' "$tmp/out"
check "a change elsewhere keeps the counters" $? "$(printf '\n'; cat "$tmp/out")"
mr -L -Z -n -v -x >"$tmp/out" &&
	grep -q '^Chain FORWARD (policy DROP 7 packets, 700 bytes)$' "$tmp/out" &&
	mr save -c >"$tmp/out" && grep -qx ':FORWARD DROP \[0:0\]' "$tmp/out" &&
	grep -qx -- '\[0:0\] -A FORWARD -s 10.1.1.1/32 -j ACCEPT' "$tmp/out"
check "-L -Z lists the counters, then zeroes them" $? "$(printf '\n'; cat "$tmp/out")"
ping3
mr save -c | grep -qx ':FORWARD DROP \[3:252\]' &&
	mr -Z FORWARD && mr save -c >"$tmp/out" && grep -qx ':FORWARD DROP \[0:0\]' "$tmp/out"
check "-Z zeroes the policy counters" $? "$(printf '\n'; cat "$tmp/out")"
reset_gw

# --- ipchains -------------------------------------------------------
mr --dialect ipchains -P forward DENY &&
	mr --dialect ipchains -A forward -s 192.168.1.0/24 -d 0/0 -j MASQ &&
	mr --dialect ipchains -A input -p icmp -s 0/0 echo-request -l -j ACCEPT
check "ipchains rules applied"
ping3
check "ipchains: ping through MASQ"
mr --dialect ipchains -L -n -v -x --line-numbers >"$tmp/out"
same "ipchains -L -n -v -x --line-numbers" "$tmp/out" <<'EOF2'
Chain input (policy ACCEPT: 0 packets, 0 bytes):
num      pkts      bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports
1           3        252 ACCEPT     icmp ----l- 0xFF 0x00  *                              0.0.0.0/0            0.0.0.0/0             8 ->   *
Chain forward (policy DENY: 0 packets, 0 bytes):
num      pkts      bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports
1           3        252 MASQ       all  ------ 0xFF 0x00  *                              192.168.1.0/24       0.0.0.0/0             n/a
Chain output (policy ACCEPT: 0 packets, 0 bytes):
EOF2
mr --dialect ipchains -L forward >"$tmp/out"
same "ipchains -L forward" "$tmp/out" <<'EOF2'
Chain forward (policy DENY):
target     prot opt     source                destination           ports
MASQ       all  ------  192.168.1.0/24       anywhere              n/a
EOF2
mr -L forward -n >"$tmp/native" && mr --dialect ipchains -L forward -n |
	cmp -s - "$tmp/native"
check "native -L of the legacy table is ipchains' format"
reset_gw

# --- ipfwadm --------------------------------------------------------
mr --dialect ipfwadm -F -p deny &&
	mr --dialect ipfwadm -F -a m -S 192.168.1.0/24 -D 0/0 -W wan0 &&
	mr --dialect ipfwadm -A in -a -P icmp -S 192.168.1.0/24
check "ipfwadm rules applied"
ping3
check "ipfwadm: ping through acc/m"
mr --dialect ipfwadm -F -l -n -e -x >"$tmp/out"
same "ipfwadm -F -l -n -e -x" "$tmp/out" <<'EOF2'
IP firewall forward rules, default policy: deny
    pkts      bytes type  prot opt  tosa tosx ifname  ifaddress       source               destination          ports
       3        252 acc/m all  ---- 0xFF 0x00 wan0    0.0.0.0         192.168.1.0/24       0.0.0.0/0            n/a
EOF2
mr --dialect ipfwadm -A -l -n >"$tmp/out"
same "ipfwadm -A -l -n" "$tmp/out" <<'EOF2'
IP accounting rules
 pkts bytes dir prot source               destination          ports
    3   252 in  icmp 192.168.1.0/24       0.0.0.0/0            *
EOF2
reset_gw

# --- port forwarding ------------------------------------------------
mr --dialect ipmasqadm portfw -a -P tcp -L 203.0.113.1 8080 -R 192.168.1.2 80 &&
	mr --dialect ipmasqadm portfw -a -P udp -L 203.0.113.1 53 -R 192.168.1.2 53 -p 5
check "ipmasqadm portfw -a"
mr --dialect ipmasqadm portfw -l -n >"$tmp/out"
same "ipmasqadm portfw -l -n" "$tmp/out" <<'EOF2'
prot localaddr            rediraddr               lport    rport  pcnt  pref
UDP  203.0.113.1          192.168.1.2                53       53     5     5
TCP  203.0.113.1          192.168.1.2              8080       80    10    10
EOF2
mr --dialect ipportfw -L >"$tmp/out"
same "ipportfw -L" "$tmp/out" < <(printf '%-63s\n\n' \
	'Prot LAddr    LPort > RAddr    RPort PrCnt  Pref' \
	'UDP  CB007101    53 > C0A80102    53     5     5' \
	'TCP  CB007101  8080 > C0A80102    80    10    10')

topo_summary
