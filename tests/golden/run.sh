#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests: every tests/golden/**/NAME.in is a file of commands; each
# expectation file present beside it is checked:
#   NAME.save  masqrule save -f NAME.in            (and save of that = itself)
#   NAME.ipt   masqrule save --iptables -f NAME.in (and iptables-restore --test
#              accepts it, in a throwaway network namespace)
#   NAME.nft   masqrule translate -f NAME.in
#   NAME.err   masqrule check -f NAME.in: first line "exit N", then stderr
# NAME.opts, if present, holds masqrule options for reading NAME.in (e.g.
# "--dialect ipchains" for a file of lines without a tool word).
# GOLDEN_UPDATE=1 rewrites the expectations from the current output: read
# every changed file before committing it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
MASQRULE=${MASQRULE:-$here/../../build/cli/masqrule}
MASQRULE=$(cd "$(dirname "$MASQRULE")" && pwd)/$(basename "$MASQRULE")
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {	# name, expected file, actual file
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$3" "$2"
	fi
	if cmp -s "$2" "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1"
		diff -u "$2" "$3" | head -40
	fi
}

have_restore=0
if command -v iptables-nft-restore >/dev/null && unshare -n true 2>/dev/null; then
	have_restore=1
fi

while IFS= read -r in; do
	dir=$(dirname "$in")
	name=$(basename "$in" .in)
	rel=${in#"$here"/}
	cd "$dir" || exit 1
	opts=()
	if [ -f "$name.opts" ]; then
		read -ra opts <"$name.opts"
	fi
	if [ -f "$name.save" ]; then
		"$MASQRULE" save "${opts[@]}" -f "$name.in" >"$tmp/out" 2>"$tmp/err"
		check "$rel (save)" "$name.save" "$tmp/out"
		"$MASQRULE" save -f "$tmp/out" >"$tmp/out2" 2>>"$tmp/err"
		check "$rel (save fixpoint)" "$tmp/out" "$tmp/out2"
	fi
	if [ -f "$name.ipt" ]; then
		"$MASQRULE" save --iptables "${opts[@]}" -f "$name.in" >"$tmp/out" 2>"$tmp/err"
		check "$rel (iptables-save form)" "$name.ipt" "$tmp/out"
		if [ "$have_restore" = 1 ]; then
			if unshare -n iptables-nft-restore --test <"$tmp/out" 2>"$tmp/rerr"; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAIL $rel (iptables-restore --test)"
				head -5 "$tmp/rerr"
			fi
		fi
	fi
	if [ -f "$name.nft" ]; then
		"$MASQRULE" translate "${opts[@]}" -f "$name.in" >"$tmp/out" 2>"$tmp/err"
		check "$rel (nft)" "$name.nft" "$tmp/out"
	fi
	if [ -f "$name.err" ]; then
		"$MASQRULE" check "${opts[@]}" -f "$name.in" >/dev/null 2>"$tmp/err"
		{ echo "exit $?"; cat "$tmp/err"; } >"$tmp/out"
		check "$rel (errors)" "$name.err" "$tmp/out"
	fi
	cd "$here" || exit 1
done < <(find "$here" -name '*.in' | sort)

echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
