#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load test of the nft printer: for every golden input (tests/golden/**/*.in)
# and every lowering input (tests/lower/inputs/*.in), print the translation
# with `masqrule translate -f FILE` and load it with `nft -f -` in a
# throwaway network namespace.  A file masqrule itself refuses is skipped
# (error cases); a translation nft refuses is a failure.  A script that
# replaces "table ip masqrule" is loaded twice (it must replace itself).
# Beside a lowering input, NAME.nft is the expected translation.
# Then every input, and those of tests/lower/whole/ (iptables rulesets that
# `translate` would print rule by rule), is also applied whole to one model
# and lowered by tests/lower/lower_dump.c, built here against the grammar
# library beside $MASQRULE, and that script is loaded the same way: what
# the kernel backend will install.
# Needs root, ip and nft: exits 77 (skipped) without them.
set -u
. "$(dirname "$0")/../lib/topo.sh"
topo_need ip nft
topo_ns load; ns=$REPLY
skip=0

load() {	# label: loads $tmp/out into a clean namespace
	in_ns "$ns" nft flush ruleset
	if ! in_ns "$ns" nft -f - <"$tmp/out" 2>"$tmp/nerr"; then
		echo "FAIL $1: nft -f refused it"
		sed 's/^/    /' "$tmp/nerr" | head -20
		return 1
	fi
	if grep -q '^delete table ip6\? masqrule$' "$tmp/out" &&
	   ! in_ns "$ns" nft -f - <"$tmp/out" 2>"$tmp/nerr"; then
		echo "FAIL $1: loading it a second time failed"
		sed 's/^/    /' "$tmp/nerr" | head -10
		return 1
	fi
	return 0
}

# lower_dump against the library masqrule was built from (sanitizers
# included).
build_dump() {
	local lib
	lib=$(dirname "$MASQRULE")/../grammar/libmrgrammar.a
	[ -f "$lib" ] || return 1
	for san in "" "-fsanitize=address,undefined"; do
		# shellcheck disable=SC2086
		cc -std=c11 -D_GNU_SOURCE $san -I"$top/grammar" \
		   -I"$(dirname "$lib")" -o "$tmp/lower_dump" \
		   "$here/lower_dump.c" "$lib" -lm 2>/dev/null && return 0
	done
	return 1
}
have_dump=0
build_dump && have_dump=1 || echo "note: lower_dump not built: whole-model lowering not loaded"

while IFS= read -r in; do
	rel=${in#"$top"/}
	if [ "$have_dump" = 1 ]; then
		ASAN_OPTIONS=detect_leaks=1 "$tmp/lower_dump" "$in" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" = 0 ]; then
			if load "$rel (lowered whole)"; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
			fi
		elif [ "$rc" = 1 ] && ! grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
			skip=$((skip + 1))
			echo "skip $rel (lowered whole: refused with errors)"
		else
			fail=$((fail + 1))
			echo "FAIL $rel (lowered whole): lower_dump exit $rc"
			head -20 "$tmp/err" | sed 's/^/    /'
		fi
	fi
	[ "${in#"$here"/whole/}" != "$in" ] && continue
	if ! "$MASQRULE" translate -f "$in" >"$tmp/out" 2>"$tmp/err" ||
	   [ ! -s "$tmp/out" ]; then
		skip=$((skip + 1))
		echo "skip $rel (masqrule translate refuses it)"
		continue
	fi
	exp=${in%.in}.nft
	if [ "${in#"$here"/}" != "$in" ] &&
	   { [ -f "$exp" ] || [ "${GOLDEN_UPDATE:-0}" = 1 ]; }; then
		if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
			cp "$tmp/out" "$exp"
		fi
		if ! cmp -s "$exp" "$tmp/out"; then
			fail=$((fail + 1))
			echo "FAIL $rel: translation differs from ${exp#"$top"/}"
			diff -u "$exp" "$tmp/out" | head -40
			continue
		fi
	fi
	if load "$rel"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done < <(find "$top/tests/golden" "$here/inputs" "$here/whole" -name '*.in' \
	     2>/dev/null | sort)

echo "nft-load: $pass loaded, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
