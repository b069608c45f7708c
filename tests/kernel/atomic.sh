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
topo_ns a; A=$REPLY
seed=$top/tests/golden/native/seed.in

in_ns "$A" nft add table ip other
in_ns "$A" "$MRTEST" install "$seed" 2>/dev/null
in_ns "$A" nft list ruleset >"$tmp/before"

cat >"$tmp/loop.in" <<'EOT'
iptables -N a
iptables -N b
iptables -A a -j b
iptables -A b -s 192.168.1.9 -j a
iptables -A INPUT -j a
EOT
! in_ns "$A" "$MRTEST" install "$tmp/loop.in" 2>"$tmp/err"
check "a loop the kernel refuses is refused"
line=$(grep -m1 error "$tmp/err")
grep -q "loop.in:[45]:" "$tmp/err"
check "the kernel error names the input line ($line)"
in_ns "$A" nft list ruleset | cmp -s - "$tmp/before"
check "the refused batch left the ruleset as it was"

in_ns "$A" "$MRTEST" -n install "$top/tests/golden/ipchains/howto.in" 2>/dev/null
check "test mode accepts a valid file"
in_ns "$A" nft list ruleset | cmp -s - "$tmp/before"
check "test mode changed nothing"
! in_ns "$A" "$MRTEST" -n install "$tmp/loop.in" 2>/dev/null
check "test mode reports what the kernel refuses"

# a rule masqrule never writes (no counter)
in_ns "$A" nft add rule ip masqrule forward ip saddr 10.9.9.9 drop
in_ns "$A" "$MRTEST" read >"$tmp/r" 2>"$tmp/rerr"
grep -q "chain forward: rule handle" "$tmp/rerr" && ! grep -q 10.9.9.9 "$tmp/r"
check "a rule written with nft is reported as foreign, not listed as ours"

# race: two installers and a writer of another table
"$MRTEST" print "$seed" >"$tmp/seed.nft" 2>/dev/null
"$MRTEST" print "$top/tests/golden/ipchains/howto.in" >"$tmp/howto.nft" 2>/dev/null
( for i in $(seq 40); do in_ns "$A" nft add table ip t$i; in_ns "$A" nft delete table ip t$i; done ) &
w=$!
( for i in $(seq 15); do in_ns "$A" "$MRTEST" install "$seed" 2>>"$tmp/e1" || echo "rc $?" >>"$tmp/f1"; done ) &
p1=$!
( for i in $(seq 15); do in_ns "$A" "$MRTEST" install "$top/tests/golden/ipchains/howto.in" 2>>"$tmp/e2" || echo "rc $?" >>"$tmp/f2"; done ) &
p2=$!
wait $p1 $p2 $w
[ ! -s "$tmp/f1" ] && [ ! -s "$tmp/f2" ]
check "concurrent installers all succeed"
cat "$tmp/f1" "$tmp/f2" 2>/dev/null | sort | uniq -c
grep -h "error" "$tmp/e1" "$tmp/e2" | sort | uniq -c | head -5
in_ns "$A" nft flush table ip other
in_ns "$A" nft delete table ip other
in_ns "$A" nft list ruleset >"$tmp/after"
for f in seed howto; do
	topo_ns "cmp-$f"
	in_ns "$REPLY" nft -f "$tmp/$f.nft"
	in_ns "$REPLY" nft list ruleset >"$tmp/$f.list"
done
cmp -s "$tmp/after" "$tmp/seed.list" || cmp -s "$tmp/after" "$tmp/howto.list"
check "the result is one of the two rulesets, whole"

topo_summary
