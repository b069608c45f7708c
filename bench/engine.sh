#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The userspace engine against the kernel's own masquerade, on the test
# network of tests/e2e/lib.sh (lan 192.168.1.3 -- router -- remote
# 203.0.113.178, peers' TSO/GSO off in both runs):
#
#  1 small packets: 64-byte UDP frames from the lan (trafgen, or iperf3
#    -u -l 64 -b 0 without it), the rate the remote's interface received;
#  2 TCP bulk: iperf3, what the remote received;
#  3 the offline path (bench/engine_offline.c): ns per packet with 1,000
#    and 1,000,000 established entries, the injected clock;
#  4 memory: the engine's bytes per masquerade entry (and the resident
#    memory the entries took).
#
# The kernel router has a masquerade rule written by hand for nft; the
# engine runs `masqrule engine' with the seed ipchains rules.  Prints the
# figures, the ratios engine/kernel and whether the targets are met
# (>= 90% small packets, >= 50% bulk, < 150 ns at a million entries,
# <= 128 bytes/entry).
#
#   bench/engine.sh [SECONDS]     (default 3 per traffic measurement,
#                                  the median of 5, MR_BENCH_REPS)
#
# Builds a release build in build-bench (or $MR_BENCH_BUILD); set
# MR_BENCH_GEN=iperf3 to send the small packets with iperf3.  Needs root,
# iperf3, socat; trafgen (netsniff-ng) for the small-packet rate.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SECS=${1:-3}
BUILD=${MR_BENCH_BUILD:-$top/build-bench}
# MR_BENCH_GEN=iperf3 uses iperf3 for the small packets even with trafgen
GEN=${MR_BENCH_GEN:-trafgen}
REPS=${MR_BENCH_REPS:-5}	# traffic runs per figure; the median is shown
command -v trafgen >/dev/null || GEN=iperf3

if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup "$BUILD" "$top" -Dbuildtype=release >/dev/null || exit 1
fi
ninja -C "$BUILD" cli/masqrule bench/mr-bench-engine >/dev/null || exit 1
MASQRULE=$BUILD/cli/masqrule
# shellcheck source=../tests/e2e/lib.sh
. "$top/tests/e2e/lib.sh"
e2e_need ip iperf3 socat timeout

# The remote counts and drops the UDP sink traffic itself (no
# port-unreachable flood); only masqueraded packets count.
remote_sink() {
	in_ns $REM nft -f - <<'EOF'
table ip bench_sink {
	chain in {
		type filter hook input priority 0;
		ip saddr 203.0.113.1 udp dport 9 counter drop
		ip saddr 203.0.113.1 udp dport 5201 counter
		udp dport 9 drop
	}
}
EOF
}

sink_packets() {
	in_ns $REM nft list chain ip bench_sink in |
		sed -n 's/.*saddr 203.0.113.1 .*counter packets \([0-9]*\) .*/\1/p' |
		awk '{ n += $1 } END { print n + 0 }'
}

# 64-byte frames lan -> remote:9 for SECS; prints packets/s the remote
# received from 203.0.113.1 (masqueraded; iperf3's go to its port 5201).
small_rate() {
	local mac gen t0 t1 r0 r1
	mac=$(in_ns $RTR cat /sys/class/net/eth1/address)
	if [ "$GEN" = trafgen ]; then
		# 14 + 20 + 8 + 22 = 64 bytes without the FCS
		in_ns $LAN timeout -s INT $((SECS + 3)) trafgen -o eth0 \
			--cpus 1 -q "{ eth(da=$mac, type=0x0800),
			  ipv4(sa=192.168.1.3, da=203.0.113.178, ttl=64, df),
			  udp(sp=5000, dp=9), fill(0x41, 22) }" \
			>/dev/null 2>&1 &
	else
		in_ns $REM timeout $((SECS + 4)) iperf3 -s -1 -p 5201 \
			>/dev/null 2>&1 &
		sleep 0.3
		in_ns $LAN timeout $((SECS + 3)) iperf3 -c 203.0.113.178 -u \
			-l 64 -b 0 -t $((SECS + 2)) >/dev/null 2>&1 &
	fi
	gen=$!
	sleep 1
	t0=$(date +%s.%N); r0=$(sink_packets)
	sleep "$SECS"
	t1=$(date +%s.%N); r1=$(sink_packets)
	kill -INT $gen 2>/dev/null
	wait $gen 2>/dev/null
	awk -v a="$r0" -v b="$r1" -v s="$t0" -v e="$t1" \
		'BEGIN { printf "%.0f\n", (b - a) / (e - s) }'
}

# TCP bulk lan -> remote for SECS; prints Mbit/s the receiver got.
bulk_rate() {
	in_ns $REM timeout $((SECS + 6)) iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
	local srv=$!
	sleep 0.3
	in_ns $LAN timeout $((SECS + 5)) iperf3 -c 203.0.113.178 -p 5202 \
		-t "$SECS" -J 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print(0)'
	wait $srv 2>/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() {	# backend: prints "small PPS bulk MBPS", medians of REPS runs
	local s b
	e2e_setup "$1" || { echo "setup failed" >&2; return 1; }
	e2e_offloads_off $LAN eth0
	e2e_offloads_off $REM eth0
	remote_sink
	if [ "$1" = kernel ]; then
		in_ns $RTR nft -f - <<'EOF' || return 1
table ip bench_masq {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "eth0" ip saddr 192.168.1.0/24 masquerade
	}
}
EOF
	else
		printf '%s\n' 'ipchains -P forward DENY' \
			'ipchains -A forward -s 192.168.1.0/24 -j MASQ' \
			>"$E2E_TMP/rules"
		e2e_engine_start "$E2E_TMP/rules" ||
			{ cat "$E2E_LOG" >&2; return 1; }
	fi
	# a first packet makes the masquerade entry / conntrack entry
	ping_ok $LAN 203.0.113.178 || echo "warning: no ping through" >&2
	s=$(for _ in $(seq "$REPS"); do small_rate; done | median)
	b=$(for _ in $(seq "$REPS"); do bulk_rate; done | median)
	[ "$1" = engine ] && e2e_engine_stop
	echo "small $s bulk $b"
	e2e_cleanup
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
	ok = op == ">=" ? v >= t : op == "<" ? v < t : v <= t
	print ok ? "met" : "NOT met" }'; }

echo "bench/engine.sh: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "figures are indicative on a shared machine"
echo "small packets from: $GEN"
# one after the other: $(...) waits for each to clean up
k=$(measure kernel)
e=$(measure engine)
read -r _ ks _ kb <<<"$k"
read -r _ es _ eb <<<"$e"
echo
printf '%-34s %12s %12s %8s\n' "" kernel engine ratio
printf '%-34s %12s %12s %8s\n' "64-byte UDP, packets/s received" \
	"$ks" "$es" "$(ratio "$es" "$ks")"
printf '%-34s %12s %12s %8s\n' "TCP bulk, Mbit/s received" \
	"$kb" "$eb" "$(ratio "$eb" "$kb")"
echo
"$BUILD/bench/mr-bench-engine" --entries 1000 --entries 1000000 \
	--packets 1048576 --rounds 2 >"${TMPDIR:-/tmp}/mr-bench-$$.txt" || exit 1
off=${TMPDIR:-/tmp}/mr-bench-$$.txt
# one frame at a time, and bursts of 32 as a ring delivers them
ns1k=$(awk '$1 == "entries" && $2 == 1000 { print $6 }' "$off")
ns1m=$(awk '$1 == "entries" && $2 == 1000000 { print $6 }' "$off")
bs1k=$(awk '$1 == "burst" && $4 == 1000 { print $6 }' "$off")
bs1m=$(awk '$1 == "burst" && $4 == 1000000 { print $6 }' "$off")
bpe=$(awk '$1 == "entries" && $2 == 1000000 { print $10 }' "$off")
rss=$(awk '$1 == "entries" && $2 == 1000000 { print $12 }' "$off")
sent=$(awk '$1 == "entries" && $2 == 1000000 { print $8 }' "$off")
rm -f "$off"
echo "offline path, one frame at a time: ${ns1k} ns/packet at 1,000 entries," \
     "${ns1m} at 1,000,000 (frames sent per frame: $sent)"
echo "offline path, eng_input_burst() of 32: ${bs1k} ns/packet at 1,000," \
     "${bs1m} at 1,000,000"
echo "memory: $bpe bytes per entry (engine), $rss bytes per entry resident"
echo
echo "targets:"
echo "  small packets >= 90% of the kernel: $(ratio "$es" "$ks") $(met "$(ratio "$es" "$ks")" '>=' 0.9)"
echo "  TCP bulk >= 50% of the kernel:      $(ratio "$eb" "$kb") $(met "$(ratio "$eb" "$kb")" '>=' 0.5)"
echo "  < 150 ns/packet at 1M entries:      $bs1m (bursts) $(met "$bs1m" '<' 150)"
echo "  <= 128 bytes/entry:                 $bpe $(met "$bpe" '<=' 128)"
