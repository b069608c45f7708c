#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# For every golden and lowering input that lowers: install it with the
# backend in one namespace, load the lowered ruleset's nft text (what
# print_ruleset_nft prints: the same as `masqrule translate`) with
# `nft -f` in another, and compare `nft list ruleset` of both -- the
# kernel's own view, nft as the independent witness.  The bytecode
# (nft --debug=netlink) is compared too; a difference there is reported
# but only a text difference fails (see docs/backend.md: nft 1.0.6 merges
# "!=" payload tests, which the backend deliberately does not).
# Then the ruleset is read back (backend_read) and printed: every rule
# either prints as before or is reported as not decoded.
set -u
. "$(dirname "$0")/lib.sh"
kt_need
topo_ns a; A=$REPLY
topo_ns b; B=$REPLY
skip=0 bytecode=0

dbg() {	# bytecode listing without handles and kernel set names
	in_ns "$1" nft --debug=netlink list ruleset 2>&1 |
		sed -E 's/^(ip6? masqrule [^ ]+) [0-9 ]+$/\1/; s/__set[0-9]+/__setN/g'
}

while IFS= read -r in; do
	rel=${in#"$top"/}
	in_ns "$A" nft flush ruleset
	in_ns "$B" nft flush ruleset
	if ! "$MRTEST" print "$in" >"$tmp/p.nft" 2>"$tmp/err"; then
		skip=$((skip + 1))
		continue
	fi
	if ! in_ns "$B" nft -f "$tmp/p.nft" 2>"$tmp/err"; then
		echo "skip $rel: nft -f refuses the translation"
		skip=$((skip + 1))
		continue
	fi
	if ! in_ns "$A" "$MRTEST" install "$in" 2>"$tmp/err"; then
		echo "FAIL $rel: install failed"
		sed 's/^/    /' "$tmp/err" | grep -v warning | head -6
		fail=$((fail + 1))
		continue
	fi
	in_ns "$A" nft list ruleset >"$tmp/a"
	in_ns "$B" nft list ruleset >"$tmp/b"
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "FAIL $rel: nft list ruleset differs (- nft -f, + backend)"
		diff -u "$tmp/b" "$tmp/a" | head -30
		fail=$((fail + 1))
		continue
	fi
	if ! cmp -s <(dbg "$A") <(dbg "$B"); then
		echo "note $rel: same listing, different bytecode"
		bytecode=$((bytecode + 1))
	fi
	# read back: decoded rules print as installed, the rest is named
	in_ns "$A" "$MRTEST" read >"$tmp/r" 2>"$tmp/rerr"
	missing=$(diff "$tmp/p.nft" "$tmp/r" | grep -c '^<')
	named=$(grep -c 'rule handle\|objects' "$tmp/rerr")
	if grep -vxF -f "$tmp/p.nft" "$tmp/r" | grep -q . ||
	   { [ "$missing" -gt 0 ] && [ "$named" -eq 0 ]; }; then
		echo "FAIL $rel: read back shows something else"
		diff -u "$tmp/p.nft" "$tmp/r" | head -20
		fail=$((fail + 1))
		continue
	fi
	pass=$((pass + 1))
done < <(find "$top/tests/golden" "$top/tests/lower/inputs" \
	     "$top/tests/lower/whole" -name '*.in' 2>/dev/null | sort)

echo "install-equals-nft: $pass same, $fail failed, $skip not lowerable, $bytecode with other bytecode"
[ "$fail" -eq 0 ]
