#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# All or nothing: a file with a rule the kernel refuses (a jump loop that
# only the kernel detects) leaves the ruleset exactly as it was and the
# error names the rule's line; test mode (-n) changes nothing; a rule
# added with nft is reported, not shown as masqrule's; two installers
# racing with a third writer both succeed (generation retry) and leave
# one of the two rulesets whole.
set -u
. "$(dirname "$0")/lib.sh"
kt_need
kt_ns a; A=$REPLY
fail=0
seed=$top/tests/golden/native/seed.in

check() {	# check WHAT: fail unless the previous command succeeded
	if [ $? -ne 0 ]; then echo "FAIL $1"; fail=$((fail + 1)); else echo "ok   $1"; fi
}

kt_in "$A" nft add table ip other
kt_in "$A" "$MRTEST" install "$seed" 2>/dev/null
kt_in "$A" nft list ruleset >"$tmp/before"

cat >"$tmp/loop.in" <<'EOT'
iptables -N a
iptables -N b
iptables -A a -j b
iptables -A b -s 192.168.1.9 -j a
iptables -A INPUT -j a
EOT
! kt_in "$A" "$MRTEST" install "$tmp/loop.in" 2>"$tmp/err"
check "a loop the kernel refuses is refused"
grep -q "loop.in:[45]:" "$tmp/err"
check "the kernel error names the input line ($(grep -m1 error "$tmp/err"))"
kt_in "$A" nft list ruleset | cmp -s - "$tmp/before"
check "the refused batch left the ruleset as it was"

kt_in "$A" "$MRTEST" -n install "$top/tests/golden/ipchains/howto.in" 2>/dev/null
check "test mode accepts a valid file"
kt_in "$A" nft list ruleset | cmp -s - "$tmp/before"
check "test mode changed nothing"
! kt_in "$A" "$MRTEST" -n install "$tmp/loop.in" 2>/dev/null
check "test mode reports what the kernel refuses"

# a rule masqrule never writes (no counter)
kt_in "$A" nft add rule ip masqrule forward ip saddr 10.9.9.9 drop
kt_in "$A" "$MRTEST" read >"$tmp/r" 2>"$tmp/rerr"
grep -q "chain forward: rule handle" "$tmp/rerr" && ! grep -q 10.9.9.9 "$tmp/r"
check "a rule written with nft is reported as foreign, not listed as ours"

# race: two installers and a writer of another table
"$MRTEST" print "$seed" >"$tmp/seed.nft" 2>/dev/null
"$MRTEST" print "$top/tests/golden/ipchains/howto.in" >"$tmp/howto.nft" 2>/dev/null
( for i in $(seq 40); do kt_in "$A" nft add table ip t$i; kt_in "$A" nft delete table ip t$i; done ) &
w=$!
( for i in $(seq 15); do kt_in "$A" "$MRTEST" install "$seed" 2>>"$tmp/e1" || echo "rc $?" >>"$tmp/f1"; done ) &
p1=$!
( for i in $(seq 15); do kt_in "$A" "$MRTEST" install "$top/tests/golden/ipchains/howto.in" 2>>"$tmp/e2" || echo "rc $?" >>"$tmp/f2"; done ) &
p2=$!
wait $p1 $p2 $w
[ ! -s "$tmp/f1" ] && [ ! -s "$tmp/f2" ]
check "concurrent installers all succeed"
cat "$tmp/f1" "$tmp/f2" 2>/dev/null | sort | uniq -c
grep -h "error" "$tmp/e1" "$tmp/e2" | sort | uniq -c | head -5
kt_in "$A" nft flush table ip other
kt_in "$A" nft delete table ip other
kt_in "$A" nft list ruleset >"$tmp/after"
for f in seed howto; do
	kt_ns "cmp-$f"
	kt_in "$REPLY" nft -f "$tmp/$f.nft"
	kt_in "$REPLY" nft list ruleset >"$tmp/$f.list"
done
cmp -s "$tmp/after" "$tmp/seed.list" || cmp -s "$tmp/after" "$tmp/howto.list"
check "the result is one of the two rulesets, whole"

echo "atomic: $fail failed"
[ "$fail" -eq 0 ]
