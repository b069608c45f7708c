#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# masqrule against the kernel (issue 3), each step in its own namespace:
# commands change the ruleset and read it back; restore is all or
# nothing; save -> restore -> save is a fixpoint; a rule added with nft
# is reported, not listed as masqrule's.  Never touches the root
# namespace's ruleset.  Run: MASQRULE=build/cli/masqrule tests/apply/apply.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
M=${MASQRULE:-$top/build/cli/masqrule}
NS=mr-$$-apply
fail=0

cleanup() {
	ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "${tmp:-}"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || [ ! -x "$M" ]; then
	echo "apply.sh: needs root, nft and $M: skipped"
	exit 77
fi
tmp=$(mktemp -d)
ip netns add "$NS" || { echo "cannot create namespace: skipped"; exit 77; }
inns() { ip netns exec "$NS" "$@"; }
mr() { ip netns exec "$NS" "$M" "$@"; }
check() {	# check WHAT: fail unless the previous command succeeded
	if [ $? -ne 0 ]; then echo "FAIL $1"; fail=$((fail + 1)); else echo "ok   $1"; fi
}

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

inns nft list ruleset >"$tmp/n1"
mr save >"$tmp/s1"
mr restore <"$tmp/s1" && mr save >"$tmp/s2" && cmp -s "$tmp/s1" "$tmp/s2"
check "save -> restore -> save is a fixpoint"
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

inns nft add rule ip masqrule forward counter drop
mr save >"$tmp/s3" 2>"$tmp/err"
grep -q "not masqrule's" "$tmp/err" && ! grep -q -- "-j DROP" "$tmp/s3"
check "a rule added with nft is reported, not listed"
inns ping -c1 -W1 127.0.0.1 >/dev/null 2>&1
mr save -c 2>/dev/null | grep -q "^\[[0-9]*:[0-9]*\] -A" 
check "save -c prints counters"

echo "$fail failed"
[ "$fail" = 0 ]
