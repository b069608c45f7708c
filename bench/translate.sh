#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Translation speed: a 50,000-rule iptables-save file (99% filter ACCEPT
# rules with a source address and a tcp port, 1% nat MASQUERADE rules)
# parsed, checked and printed as nft by `masqrule translate -f` and by
# `iptables-restore-translate -f`, in the same run.  Prints the median
# times, their ratio and peak memory (target: masqrule >= 5x faster,
# < 30 MiB).  Usage: bench/translate.sh [RULES] [RUNS]
set -eu
cd "$(dirname "$0")/.."
MASQRULE=${MASQRULE:-build/cli/masqrule}
rules=${1:-50000}
runs=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file=$tmp/rules.save

gen() {
	local n=$1 nat=$(( $1 / 100 )) i
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD DROP [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	for ((i = 0; i < n - nat; i++)); do
		echo "-A FORWARD -s 10.$((i >> 16 & 255)).$((i >> 8 & 255)).$((i & 255))/32 -p tcp -m tcp --dport $((1024 + i % 60000)) -j ACCEPT"
	done
	echo "COMMIT"
	echo "*nat"
	echo ":PREROUTING ACCEPT [0:0]"
	echo ":INPUT ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo ":POSTROUTING ACCEPT [0:0]"
	for ((i = 0; i < nat; i++)); do
		echo "-A POSTROUTING -s 192.168.$((i >> 8 & 255)).$((i & 255))/32 -o eth$((i % 4)) -j MASQUERADE"
	done
	echo "COMMIT"
}
gen "$rules" >"$file"

# median CPU seconds (user + system: steadier than wall time on a busy
# machine) over $runs runs; peak RSS (KiB) of the last
measure() {
	local times=() i
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f "%U %S %M" -o "$tmp/t" "$@" >/dev/null
		times+=("$(awk '{print $1 + $2}' "$tmp/t")")
	done
	med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	rss=$(cut -d' ' -f3 "$tmp/t")
}

measure "$MASQRULE" translate -f "$file"
m_t=$med m_rss=$rss
measure iptables-restore-translate -f "$file"
i_t=$med i_rss=$rss

printf 'rules: %d, runs: %d\n' "$rules" "$runs"
printf 'masqrule translate -f         median %6.3f s  peak %6.1f MiB\n' "$m_t" "$(awk "BEGIN{print $m_rss/1024}")"
printf 'iptables-restore-translate -f median %6.3f s  peak %6.1f MiB\n' "$i_t" "$(awk "BEGIN{print $i_rss/1024}")"
printf 'speed ratio (iptables-restore-translate / masqrule): %.1fx (target >= 5x)\n' \
	"$(awk "BEGIN{print $i_t/($m_t+0.0005)}")"
