#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fuzz the front end (tests/fuzz/fuzz_parse.c) and the engine's packet
# path (tests/fuzz/fuzz_packet.c) for a while, half the time each.
#
#   tests/fuzz/run.sh [SECONDS]        default 60 in all
#
# Builds a clang build directory with AddressSanitizer, UndefinedBehavior-
# Sanitizer and libFuzzer (build-fuzz, or $MR_FUZZ_BUILD) if needed, with
# -fsanitize=fuzzer-no-link on everything so that the engine library
# carries coverage counters, then runs each fuzzer on a working copy of
# its seeds (tests/fuzz/corpus, inputs of up to 4096 bytes;
# tests/fuzz/corpus-packet, up to 2048).  Exits non-zero on any crash,
# leak, timeout or sanitizer report; the input that caused it is left in
# tests/fuzz/crashes/ (packet path: tests/fuzz/crashes/packet/; or
# $MR_FUZZ_ARTIFACTS).  Reproduce one with
#
#   build-fuzz/tests/fuzz/fuzz_parse tests/fuzz/crashes/crash-...
#   build-fuzz/tests/fuzz/fuzz_packet tests/fuzz/crashes/packet/crash-...
#
# The inputs in tests/fuzz/crashes (bugs found before) are run first, as
# regression tests, together with the seeds.
#
# Environment: MR_FUZZ_FIXPOINT=1 also checks that save output reads back
# to itself; MR_FUZZ_JOBS=N runs N fuzzer processes in parallel;
# MR_FUZZ_ARGS adds libFuzzer options.
set -eu

seconds="${1:-60}"
case "$seconds" in
''|*[!0-9]*)
	echo "usage: $0 [SECONDS]" >&2
	exit 2
	;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
build="${MR_FUZZ_BUILD:-$top/build-fuzz}"
artifacts="${MR_FUZZ_ARTIFACTS:-$here/crashes}"
jobs="${MR_FUZZ_JOBS:-1}"

cov=-fsanitize=fuzzer-no-link
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$top" \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debugoptimized -Dc_args="$cov"
elif ! grep -q -- "$cov" "$build/meson-info/intro-buildoptions.json" 2>/dev/null; then
	meson configure "$build" -Dc_args="$cov"
fi
if ! ninja -C "$build" tests/fuzz/fuzz_parse; then
	echo "$0: cannot build the fuzzer (is tests/fuzz in tests/meson.build," \
	     "and is $build a clang build with b_sanitize=address?)" >&2
	exit 2
fi
packet=""
if [ -d "$top/engine" ]; then
	if ! ninja -C "$build" tests/fuzz/fuzz_packet; then
		echo "$0: cannot build fuzz_packet" >&2
		exit 2
	fi
	packet="$build/tests/fuzz/fuzz_packet"
fi

# New inputs go to working corpora; the seeds in the tree stay as they are.
mkdir -p "$build/fuzz-corpus" "$build/fuzz-corpus-packet" "$artifacts" \
	"$artifacts/packet" "$here/crashes/packet"

# Words the parser reacts to, so that mutations reach deep code quickly.
dict="$build/fuzz.dict"
cat > "$dict" <<'EOF'
"\x0a"
" -A "
" -I "
" -D "
" -R "
" -N "
" -X "
" -E "
" -P "
" -F "
" -Z "
" -L "
" -S "
" -C "
" -M "
" -t nat"
" -j "
" -g "
" -m "
" -p tcp"
" -p udp"
" -p icmp"
" -s "
" -d "
" -i "
" -o "
" ! "
" -- "
"--dport"
"--sport"
"--dports"
"--to-ports"
"--to-destination"
"--to-source"
"--state"
"--ctstate"
"--comment"
"--log-prefix"
"--set-mark"
"--tcp-flags"
"--syn"
"--icmp-type"
"--reject-with"
"--limit"
"--via-addr"
"--fwmark"
"--mangle-tos"
"--copy-netlink"
"--log-packet"
"--acct-dir"
"--masq-timeouts"
"*nat"
"*filter"
"*mangle"
"*raw"
"*legacy"
":INPUT ACCEPT [0:0]"
":user - [0:0]"
"COMMIT"
"[1:2]"
"iptables"
"ip6tables"
"ipchains"
"ipfwadm"
"ipmasqadm"
"ipportfw"
"modprobe"
"insmod"
"INPUT"
"FORWARD"
"POSTROUTING"
"PREROUTING"
"input"
"forward"
"output"
"MASQ"
"MASQUERADE"
"DNAT"
"SNAT"
"REDIRECT"
"NETMAP"
"ACCEPT"
"DENY"
"REJECT"
"RETURN"
"LOG"
"MARK"
"192.168.1.0/24"
"0/0"
"1024:65535"
"ports="
"ip_masq_ftp"
"portfw"
"autofw"
"mfw"
"\\"
"\""
"'"
"#"
EOF

par=""
if [ "$jobs" -gt 1 ]; then
	par="-jobs=$jobs -workers=$jobs"
fi

# run_fuzzer NAME SECONDS MAX_LEN ARTIFACTS LIBFUZZER-OPTIONS-AND-DIRS...
run_fuzzer() {
	name=$1 secs=$2 maxlen=$3 art=$4
	shift 4
	log="$build/$name.log"
	rc=0
	# with -jobs, each worker logs to fuzz-N.log in the current directory
	cd "$build"
	rm -f fuzz-[0-9]*.log
	ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}" \
		"$build/tests/fuzz/$name" -max_len="$maxlen" \
			-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$art/" -print_final_stats=1 \
			$par ${MR_FUZZ_ARGS:-} "$@" > "$log" 2>&1 || rc=$?
	for l in fuzz-[0-9]*.log; do
		[ -f "$l" ] || continue
		cat "$l" >> "$log"
		rm -f "$l"
	done
	if [ "$rc" -ne 0 ] ||
	   grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
		grep -E -A40 'ERROR: |runtime error:' "$log" | head -n 80 >&2 ||
			tail -n 40 "$log" >&2
		echo "$0: $name found a problem (exit $rc); full log: $log;" \
		     "reproducers in $art" >&2
		return 1
	fi
	tail -n 12 "$log"
	echo "$0: $name: no problem found in $secs s"
}

# Half the budget each (all of it to the parser without the engine).
first=$seconds
[ -n "$packet" ] && first=$((seconds / 2))
[ "$first" -gt 0 ] || first=1
status=0
run_fuzzer fuzz_parse "$first" 4096 "$artifacts" -dict="$dict" \
	"$build/fuzz-corpus" "$here/corpus" "$here/crashes" || status=1
if [ -n "$packet" ]; then
	rest=$((seconds - first))
	[ "$rest" -gt 0 ] || rest=1
	run_fuzzer fuzz_packet "$rest" 2048 "$artifacts/packet" \
		"$build/fuzz-corpus-packet" "$here/corpus-packet" \
		"$here/crashes/packet" || status=1
fi
exit $status
