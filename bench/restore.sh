#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Loading a ruleset into the kernel (issue 3): the same iptables-save file
# (filter FORWARD rules with varied matches -- addresses, interfaces,
# tcp/udp ports and port ranges, conntrack state, icmp type, REJECT --
# plus a nat POSTROUTING MASQUERADE) of 1,000 / 10,000 / 50,000 rules
# loaded by `masqrule restore`, `iptables-nft-restore` and `nft -f` (the
# file as iptables-restore-translate writes it), each run in a fresh
# network namespace (unshare -n).  Then, with 50,000 rules loaded, the
# same restore again over them, and one `masqrule -A` / `iptables-nft -A`.  Prints median wall and CPU
# (user + system) time, peak RSS, and masqrule / iptables-nft-restore.
# Targets: restore no slower than iptables-nft-restore, at most half its
# memory; -A under 50 ms.  Root only; never touches the root namespace.
# Usage: bench/restore.sh [RUNS] [SIZES...]   (MASQRULE=path: an
# optimized build, e.g. build-release/cli/masqrule)
set -eu
cd "$(dirname "$0")/.."
MASQRULE=$(realpath "${MASQRULE:-build/cli/masqrule}")
runs=${1:-5}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)
for t in iptables-nft-restore iptables-restore-translate iptables-nft nft unshare; do
	command -v $t >/dev/null || { echo "restore.sh: needs $t: skipped"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "restore.sh: needs root: skipped"; exit 77; }
tmp=$(mktemp -d)
NS=()
cleanup() {
	local ns
	for ns in "${NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

gen() {
	echo "*filter"
	echo ":INPUT ACCEPT [0:0]"
	echo ":FORWARD DROP [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	awk -v n="$1" 'BEGIN {
	for (i = 0; i < n; i++) {
		a = int(i / 65536) % 256; b = int(i / 256) % 256; c = i % 256
		k = i % 5
		if (k == 0)
			printf "-A FORWARD -s 10.%d.%d.%d/32 -p tcp -m tcp --dport %d -j ACCEPT\n", a, b, c, 1024 + i % 60000
		else if (k == 1)
			printf "-A FORWARD -d 172.16.%d.%d/32 -i eth%d -p udp -m udp --sport %d -j DROP\n", b, c, i % 4, 1 + i % 60000
		else if (k == 2)
			printf "-A FORWARD -s 10.%d.%d.0/24 -o eth%d -p tcp -m tcp --dport %d:%d -j REJECT --reject-with icmp-port-unreachable\n", a, b, i % 4, 1000 + i % 1000, 2000 + i % 1000
		else if (k == 3)
			printf "-A FORWARD -s 10.%d.%d.%d/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n", a, b, c
		else
			printf "-A FORWARD -d 10.%d.%d.%d/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT\n", a, b, c
	} }'
	echo "COMMIT"
	echo "*nat"
	echo ":PREROUTING ACCEPT [0:0]"
	echo ":INPUT ACCEPT [0:0]"
	echo ":OUTPUT ACCEPT [0:0]"
	echo ":POSTROUTING ACCEPT [0:0]"
	echo "-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE"
	echo "COMMIT"
}

# med FILE COLUMN: median of a column
med() {
	sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

# measure NAME CMD...: $runs runs, each in a new namespace; stdin from
# $input.  Appends "NAME wall cpu rss" medians to $tmp/results.
measure() {
	local name=$1 i
	shift
	: >"$tmp/t.all"
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" unshare -n "$@" <"$input" >/dev/null
		awk '{ print $1, $2 + $3, $4 }' "$tmp/t" >>"$tmp/t.all"
	done
	echo "$name $(med "$tmp/t.all" 1) $(med "$tmp/t.all" 2) $(med "$tmp/t.all" 3)" >>"$tmp/results"
}

# measure_in NS NAME CMD...: the same, in an existing namespace (the
# command changes it: each run adds one rule)
measure_in() {
	local ns=$1 name=$2 i
	shift 2
	: >"$tmp/t.all"
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" ip netns exec "$ns" "$@" "10.250.0.$i" >/dev/null
		awk '{ print $1, $2 + $3, $4 }' "$tmp/t" >>"$tmp/t.all"
	done
	echo "$name $(med "$tmp/t.all" 1) $(med "$tmp/t.all" 2) $(med "$tmp/t.all" 3)" >>"$tmp/results"
}

: >"$tmp/results"
for n in "${sizes[@]}"; do
	gen "$n" >"$tmp/r$n.save"
	iptables-restore-translate -f "$tmp/r$n.save" >"$tmp/r$n.nft"
	input=$tmp/r$n.save
	measure "masqrule-restore/$n" "$MASQRULE" restore
	measure "iptables-nft-restore/$n" iptables-nft-restore
	input=$tmp/r$n.nft
	measure "nft-f/$n" nft -f -
done

# measure_over NS NAME CMD...: a restore of the same file over the
# ruleset the namespace has
measure_over() {
	local ns=$1 name=$2 i
	shift 2
	: >"$tmp/t.all"
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" ip netns exec "$ns" "$@" <"$input" >/dev/null
		awk '{ print $1, $2 + $3, $4 }' "$tmp/t" >>"$tmp/t.all"
	done
	echo "$name $(med "$tmp/t.all" 1) $(med "$tmp/t.all" 2) $(med "$tmp/t.all" 3)" >>"$tmp/results"
}

# with the largest ruleset loaded: the restore again, then one -A
n=${sizes[-1]}
input=$tmp/r$n.save
ip netns add "mr-$$-bm" && NS+=("mr-$$-bm")
ip netns exec "mr-$$-bm" "$MASQRULE" restore -f "$tmp/r$n.save"
measure_over "mr-$$-bm" "masqrule-restore-over/$n" "$MASQRULE" restore
ip netns add "mr-$$-bi" && NS+=("mr-$$-bi")
ip netns exec "mr-$$-bi" iptables-nft-restore "$tmp/r$n.save"
measure_over "mr-$$-bi" "iptables-nft-restore-over/$n" iptables-nft-restore
input=/dev/null
measure_in "mr-$$-bm" "masqrule-A/$n" "$MASQRULE" -A FORWARD -j ACCEPT -s
measure_in "mr-$$-bi" "iptables-nft-A/$n" iptables-nft -A FORWARD -j ACCEPT -s
got=$(ip netns exec "mr-$$-bm" nft list chain ip masqrule filter_FORWARD | grep -c 'ip saddr 10.250.0.')
[ "$got" = "$runs" ] || echo "WARNING: masqrule -A left $got rules, not $runs"

printf 'runs: %d (medians), masqrule: %s\n' "$runs" "$MASQRULE"
printf '%-34s %9s %9s %9s %8s %8s\n' what wall_s cpu_s rss_MiB wall/ipt rss/ipt
while read -r name wall cpu rss; do
	what=${name%/*} size=${name#*/}
	case $what in
	masqrule-restore) ref=iptables-nft-restore/$size ;;
	masqrule-restore-over) ref=iptables-nft-restore-over/$size ;;
	masqrule-A) ref=iptables-nft-A/$size ;;
	*) ref= ;;
	esac
	if [ -n "$ref" ]; then
		read -r _ rwall _ rrss < <(grep "^$ref " "$tmp/results")
		ratio=$(awk "BEGIN { printf \"%.2f %.2f\", $wall / ($rwall + 0.0005), $rss / $rrss }")
	else
		ratio="- -"
	fi
	printf '%-34s %9.3f %9.3f %9.1f %8s %8s\n' "$name" "$wall" "$cpu" \
		"$(awk "BEGIN { print $rss / 1024 }")" $ratio
done <"$tmp/results"
