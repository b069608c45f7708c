#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# masqrule against the kernel (issue 3), each step in its own namespace:
# commands change the ruleset and read it back; restore is all or
# nothing; save -> restore -> save is a fixpoint; a rule added with nft
# is reported, not listed as masqrule's.  Never touches the root
# namespace's ruleset.  Run: MASQRULE=build/cli/masqrule tests/apply/apply.sh
set -u
. "$(dirname "$0")/../lib/topo.sh"
topo_need nft "$M"
topo_ns apply; RT=$REPLY
inns() { in_ns "$RT" "$@"; }

mr -A forward -s 192.168.1.0/24 -j MASQUERADE
check "masqrule -A forward ... -j MASQUERADE"
inns nft list chain ip masqrule forward | grep -q "ip saddr 192.168.1.0/24 counter packets 0 bytes 0 jump mr_masq"
check "the lowered rule is in the kernel"
mr -t nat -A POSTROUTING -o eth0 -j MASQUERADE && mr -P forward DENY &&
	mr -N userchain && mr --dialect ip6tables -A INPUT -s ::1 -j ACCEPT
check "more commands (nat, policy, user chain, ip6)"
mr save >"$tmp/s1"
grep -qx -- "-A forward -s 192.168.1.0/24 -j MASQUERADE" "$tmp/s1" &&
	grep -qx ":forward DROP \[0:0\]" "$tmp/s1" &&
	grep -qx ":userchain - \[0:0\]" "$tmp/s1" &&
	grep -qx "\*filter ip6" "$tmp/s1"
check "save reads the model back from the kernel"
mr -S forward | grep -qx -- "-A forward -s 192.168.1.0/24 -j MASQUERADE"
check "-S lists from the kernel"
mr -t nat -S POSTROUTING | grep -qx -- "-A POSTROUTING -o eth0 -j MASQUERADE"
check "-t nat -S in iptables -S form"
mr -L -n -v --line-numbers -t nat | grep -q "^1 .*MASQUERADE .* eth0 "
check "-L -n -v --line-numbers"
mr -C forward -s 192.168.1.0/24 -j MASQUERADE
check "-C finds the rule"
! mr -C forward -s 192.168.9.0/24 -j MASQUERADE 2>/dev/null
check "-C misses another rule"
mr -D forward 1 && ! mr save | grep -q -- "-A forward"
check "-D forward 1"
mr -A forward -s 192.168.1.0/24 -j MASQUERADE
mr --dialect ipmasqadm portfw -a -P tcp -L 203.0.113.1 8080 -R 192.168.1.3 80

inns nft list ruleset >"$tmp/n1"
mr save >"$tmp/s1"
mr restore <"$tmp/s1" && mr save >"$tmp/s2" && cmp -s "$tmp/s1" "$tmp/s2"
check "save -> restore -> save is a fixpoint (port forwards included)"
printf '*filter\n-A INPUT -j ACCEPT\n-A INPUT -j NOSUCH\nCOMMIT\n' >"$tmp/bad"
inns nft list ruleset >"$tmp/n1"
! mr restore -f "$tmp/bad" 2>"$tmp/err" && grep -q "bad:3:" "$tmp/err"
check "restore of a file with an error fails at its line"
inns nft list ruleset | cmp -s - "$tmp/n1"
check "... and changes nothing"
printf '*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n' | mr restore --test &&
	inns nft list ruleset | cmp -s - "$tmp/n1"
check "restore --test changes nothing"
printf '*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n' | mr restore --noflush &&
	mr -S INPUT | grep -qx -- "-A INPUT -i lo -j ACCEPT" &&
	mr save | grep -qx -- "-A forward -s 192.168.1.0/24 -j MASQUERADE"
check "restore --noflush keeps the other tables"

# -A / -I / -D of an iptables table change the kernel in place: the other
# rules keep their handles and counters, and the model still reads back
inns ip link set lo up
inns ping -c2 -W1 127.0.0.1 >/dev/null 2>&1
lo_rule() {	# handle and packets of the -i lo rule
	inns nft -a list chain ip masqrule filter_INPUT |
		sed -n 's/.*iifname "lo" counter packets \([0-9]*\) .*# handle \([0-9]*\)/\2 \1/p'
}
read -r h1 c1 < <(lo_rule)
mr -A INPUT -s 10.9.9.9 -j DROP && mr -I INPUT 2 -s 10.9.9.8 -j DROP &&
	mr -I INPUT -s 10.9.9.7 -j DROP
check "-A, -I 2, -I into filter INPUT"
read -r h2 c2 < <(lo_rule)
[ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "${c1:-0}" -gt 0 ] && [ "$c2" -ge "$c1" ]
check "... the other rule keeps its handle ($h1 -> $h2) and counter ($c1 -> $c2 packets)"
printf '%s\n' "-A INPUT -s 10.9.9.7/32 -j DROP" "-A INPUT -i lo -j ACCEPT" \
	"-A INPUT -s 10.9.9.8/32 -j DROP" "-A INPUT -s 10.9.9.9/32 -j DROP" >"$tmp/want"
mr -S INPUT | grep -- '^-A' | cmp -s - "$tmp/want"
check "... in iptables' order"
mr save >"$tmp/s4" 2>"$tmp/err" && [ ! -s "$tmp/err" ]
check "save after in-place changes reads back without a warning"
mr restore <"$tmp/s4" && mr save >"$tmp/s5" && cmp -s "$tmp/s4" "$tmp/s5"
check "... and save -> restore -> save is still a fixpoint"
mr -C INPUT -s 10.9.9.8 -j DROP && ! mr -C INPUT -s 10.9.9.6 -j DROP 2>/dev/null
check "-C in place"
mr -D INPUT -s 10.9.9.8/32 -j DROP && mr -D INPUT 1 &&
	[ "$(mr -S INPUT | grep -c -- '^-A')" = 2 ] && ! mr -S INPUT | grep -q 10.9.9.[78]
check "-D by rule and by number"
! mr -D INPUT 5 2>"$tmp/err" && grep -q "Index of deletion too big" "$tmp/err" &&
	! mr -A INPUT -j nosuch 2>"$tmp/err" && grep -q "nosuch" "$tmp/err" &&
	! mr -A NOCHAIN -j ACCEPT 2>/dev/null
check "in place, the tool's checks still hold (index, jump target, chain)"
mr -D INPUT -s 10.9.9.9/32 -j DROP
mr save >"$tmp/s6"
printf '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.8.8.8/32 -j ACCEPT\nCOMMIT\n' | mr restore &&
	[ "$(mr -S INPUT | grep -- '^-A')" = "-A INPUT -s 10.8.8.8/32 -j ACCEPT" ] &&
	mr save | grep -qx -- "-A forward -s 192.168.1.0/24 -j MASQUERADE"
check "restore replaces the tables it has (their rules not read back), keeps the others"
mr restore <"$tmp/s6" && mr save | cmp -s - "$tmp/s6"
check "... and back"

inns nft add rule ip masqrule forward counter drop
mr save >"$tmp/s3" 2>"$tmp/err"
grep -q "not masqrule's" "$tmp/err" && ! grep -q -- "-j DROP" "$tmp/s3"
check "a rule added with nft is reported, not listed"
inns ping -c1 -W1 127.0.0.1 >/dev/null 2>&1
mr save -c 2>/dev/null | grep -q "^\[[0-9]*:[0-9]*\] -A" 
check "save -c prints counters"

topo_summary
