#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Concurrent writers (issue 3, item 7): in one namespace, two processes
# each run masqrule 200 times at the same time (different rules), -A and
# -I into the same chain (the in-place path of kmodel_edit); then 50 -A
# into a netfilter chain against 50 -A into the legacy table (whose
# commands read, change and reinstall the whole model).  Every command
# must succeed without a message (the generation check makes a loser redo
# its read and change on the new state), and the end must hold every rule
# exactly once: counted with masqrule -S and with nft.
# Run: MASQRULE=build/cli/masqrule tests/kernel/concurrent-cli.sh
set -u
. "$(dirname "$0")/lib.sh"
N=${N:-200}
topo_need nft "$M"
topo_ns cc; RT=$REPLY

# writer NAME CMD...: N commands, each with a different source address
# (the last word is a printf format for it); status and messages kept
writer() {
	local name=$1 fmt=${*: -1} i rc=0
	set -- "${@:2:$#-2}"
	for ((i = 0; i < N; i++)); do
		mr "$@" "$(printf "$fmt" $((i >> 8)) $((i & 255)))" \
			>>"$tmp/$name.out" 2>&1 || rc=1
	done
	echo "$rc" >"$tmp/$name.rc"
}

# wait_all NAME...: every writer exited 0 and printed nothing
writers_ok() {
	local n
	for n in "$@"; do
		[ "$(cat "$tmp/$n.rc")" = 0 ] && [ ! -s "$tmp/$n.out" ] || {
			echo "  $n: status $(cat "$tmp/$n.rc"), $(wc -l <"$tmp/$n.out") lines:"
			head -3 "$tmp/$n.out" | sed 's/^/    /'
			return 1
		}
	done
}

# 1: the same chain, -A and -I racing (the in-place path; the very first
# commands find no model and take the whole-model path)
start=$(date +%s)
writer a -A FORWARD -j DROP -s "10.3.%d.%d" &
writer b -I FORWARD -j DROP -s "10.4.%d.%d" &
wait
took=$(( $(date +%s) - start ))
writers_ok a b
check "$N x -A FORWARD and $N x -I FORWARD at the same time: all succeeded, no message ($took s)"
total=$(mr -S FORWARD | grep -c '^-A FORWARD')
ktotal=$(in_ns "$RT" nft list chain ip masqrule filter_FORWARD | grep -c 'ip saddr 10\.')
[ "$total" = $((2 * N)) ] && [ "$ktotal" = "$total" ]
check "end: $total rules (masqrule -S), $ktotal (nft), want $((2 * N))"
[ "$(mr -S FORWARD | sort -u | grep -c '^-A FORWARD')" = "$total" ]
check "no rule twice"
last=$(printf '%d.%d' $(((N - 1) >> 8)) $(((N - 1) & 255)))
mr -S FORWARD | sed -n 2p | grep -q -- "-s 10.4.$last/32" &&
	mr -S FORWARD | tail -1 | grep -q -- "-s 10.3.$last/32"
check "-I went to the head, -A to the end"

# 2: the in-place path against the whole-model path (legacy table:
# read, apply, reinstall everything), fewer: the latter is slower
M2=$((N / 4))
start=$(date +%s)
N=$M2 writer nf -A FORWARD -j ACCEPT -s "10.1.%d.%d" &
N=$M2 writer leg -A input -j ACCEPT -s "10.2.%d.%d" &
wait
took=$(( $(date +%s) - start ))
writers_ok nf leg
check "$M2 x -A FORWARD and $M2 x -A input (legacy) at the same time: all succeeded, no message ($took s)"
n_nf=$(mr -S FORWARD | grep -c '^-A FORWARD')
n_leg=$(mr -S input | grep -c '^-A input')
k_nf=$(in_ns "$RT" nft list chain ip masqrule filter_FORWARD | grep -c 'ip saddr 10\.')
k_leg=$(in_ns "$RT" nft list chain ip masqrule input | grep -c 'ip saddr 10\.')
[ "$n_nf" = $((2 * N + M2)) ] && [ "$n_leg" = $M2 ] &&
	[ "$k_nf" = "$n_nf" ] && [ "$k_leg" = "$n_leg" ]
check "end: FORWARD $n_nf (-S) $k_nf (nft), want $((2 * N + M2)); input $n_leg (-S) $k_leg (nft), want $M2"
mr save >"$tmp/s1" 2>"$tmp/err" && [ ! -s "$tmp/err" ]
check "save reads it all back without a warning"

topo_summary
