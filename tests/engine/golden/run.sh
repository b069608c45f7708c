#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Offline golden tests of the engine: for each scenario, input pcaps made
# by gen.py go through mr-engine-offline; the frames sent out of each
# interface, printed by pcapdump.py (checksums recomputed), must equal
# SCENARIO.expected.  UPDATE=1 rewrites the expectations (review the diff).
# usage: run.sh PATH/TO/mr-engine-offline [SCENARIO...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
shift
py=/usr/bin/python3
[ $# -gt 0 ] && names=("$@") || names=($(cd "$here" && ls *.rules | sed 's/\.rules$//'))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for n in "${names[@]}"; do
	d=$tmp/$n
	mkdir -p "$d"
	"$py" "$here/gen.py" "$n" "$d" || { echo "FAIL $n (gen)"; fail=$((fail + 1)); continue; }
	extra=()
	[ -f "$here/$n.args" ] && read -ra extra < "$here/$n.args"
	"$bin" --rules "$here/$n.rules" "${extra[@]}" \
		--if eth0=192.168.1.1/24,mac=02:00:00:00:00:01 \
		--if eth1=203.0.113.1/24,mac=02:00:00:00:00:02 \
		--neigh 203.0.113.178=02:00:00:00:02:b2 \
		--seed 1 --in eth0="$d/eth0.pcap" --in eth1="$d/eth1.pcap" \
		--out eth0="$d/out0.pcap" --out eth1="$d/out1.pcap" \
		--stats --list > "$d/stats" 2>&1 || { echo "FAIL $n (run)"; cat "$d/stats"; fail=$((fail + 1)); continue; }
	{
		echo "== out eth0 (to the lan)"
		"$py" "$here/pcapdump.py" "$d/out0.pcap"
		echo "== out eth1 (to the outside)"
		"$py" "$here/pcapdump.py" "$d/out1.pcap"
		echo "== engine"
		grep -v '^entries' "$d/stats"
	} > "$d/got"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$d/got" "$here/$n.expected"
	fi
	if diff -u "$here/$n.expected" "$d/got"; then
		pass=$((pass + 1))
	else
		echo "FAIL $n"
		fail=$((fail + 1))
	fi
done
echo "engine golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
