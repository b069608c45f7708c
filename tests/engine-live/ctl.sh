#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The engine's control socket, live: the engine starts without rules and
# `masqrule --backend engine' changes them while traffic runs.
#
#   lan 192.168.1.3 and .4/24 --- router (engine) --- remote 203.0.113.178/24
#
# Checks: no capability left after start (CapEff, NoNewPrivs), socket mode
# 0600; the boot ruleset (policies ACCEPT); ipchains -P forward DENY blocks
# a connection, -A ... -j MASQ lets it through, -I ... -j DENY for .4 blocks
# only .4; -S / -L / save show the rules; -M -L shows a live connection;
# a rule the engine cannot run is refused at the user's word; a restore
# file with an error changes nothing and names its line; concurrent
# clients lose no change (stale generations retried); restore --test;
# the legacy name ipchains through MASQRULE_BACKEND; exit 0 on SIGTERM and
# the socket removed; restarted with --user nobody: that uid, no capability.
#
# usage: ctl.sh ENGINE MASQRULE  (ENGINE run as `ENGINE engine --inside
# ...'; MASQRULE the client).  Exit 77 if a tool is missing or not root.
set -u

ENGINE=${1:?usage: ctl.sh ENGINE MASQRULE}
MR=${2:?usage: ctl.sh ENGINE MASQRULE}
. "$(dirname "$0")/lib.sh"
el_init ip socat timeout

# the client, in the root namespace: only the socket connects it
mr() { timeout 10 "$MR" --backend engine --socket "$SOCK" "$@"; }
ipc() { mr --dialect ipchains "$@"; }

# the remote answers 192.168.1.0/24 too: unmasqueraded packets would
# come back, so "blocked" means the engine dropped them
setup_ctl() {
	setup 192.168.1.3 192.168.1.4 || return 1
	ip -n $REM route add 192.168.1.0/24 via 203.0.113.1
}

check_privs() {
	local eff nnp mode
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$EPID/status)
	nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/$EPID/status)
	mode=$(stat -c %a "$SOCK")
	if [ "$eff" = 0000000000000000 ] && [ "$nnp" = 1 ] && [ "$mode" = 600 ]; then
		ok "after start: CapEff $eff, NoNewPrivs $nnp, socket mode $mode"
	else
		bad "privileges: CapEff '$eff' NoNewPrivs '$nnp' socket mode '$mode'"
	fi
}

# One TCP connection from lan address $1; prints the peer the remote saw.
tcp_from() {
	ip netns exec $REM timeout 4 socat -T2 TCP-LISTEN:8888,reuseaddr \
		SYSTEM:'echo "peer $SOCAT_PEERADDR"' >/dev/null 2>&1 &
	local srv=$!
	sleep 0.2
	in_ns $LAN timeout 2 socat -T1 - TCP:203.0.113.178:8888,bind="$1" \
		</dev/null 2>/dev/null
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
}

expect_tcp() {	# FROM WANT(peer address or "none") WHAT
	local got
	got=$(tcp_from "$1" | sed -n 's/^peer //p')
	if [ "${got:-none}" = "$2" ]; then
		ok "$3: tcp from $1 -> ${got:-blocked}"
	else
		bad "$3: tcp from $1: remote saw '${got:-nothing}', want '$2'"
	fi
}

# Background traffic through the changes: bounded in count and time.
traffic() {
	in_ns $LAN timeout 20 ping -q -c 150 -i 0.1 -W 1 203.0.113.178 \
		>/dev/null 2>&1 &
}

check_boot() {
	local out
	out=$(mr -t legacy -S 2>&1)
	if grep -q 'forward ACCEPT' <<<"$out" && grep -q 'input ACCEPT' <<<"$out"; then
		ok "boot ruleset: policies ACCEPT"
	else
		bad "boot ruleset: '$out'"
	fi
}

check_listings() {
	local s l n sv
	s=$(mr -t legacy -S 2>&1)
	l=$(ipc -L -n 2>&1)
	n=$(mr -L forward -n 2>&1)	# native: ipchains' layout for legacy
	sv=$(mr save 2>&1)
	if grep -q -- '-P forward DROP' <<<"$s" &&
	   grep -q '^target  *prot opt  *source  *destination  *ports' <<<"$n" &&
	   [ "$(grep -c -- '-A forward' <<<"$s")" = 2 ] &&
	   grep -q -- '-A forward -s 192.168.1.4/32 -j DROP' <<<"$s" &&
	   grep -q 'Chain forward (policy' <<<"$l" &&
	   grep -q '192.168.1.0/24' <<<"$l" && grep -q '^\*legacy' <<<"$sv"; then
		ok "-S, -L and save show the rules"
	else
		bad "listings: -S '$s' -L '$l' native -L '$n' save '$sv'"
	fi
}

# A connection held open while -M -L reads the table.
check_masq_list() {
	ip netns exec $REM timeout 5 socat -T4 TCP-LISTEN:8889,reuseaddr \
		SYSTEM:'sleep 3' >/dev/null 2>&1 &
	local srv=$! cli out
	sleep 0.2
	in_ns $LAN timeout 4 socat -T3 - TCP:203.0.113.178:8889,bind=192.168.1.3 \
		</dev/null >/dev/null 2>&1 &
	cli=$!
	sleep 0.5
	out=$(ipc -M -L -n 2>&1)
	kill $cli $srv 2>/dev/null
	wait $cli $srv 2>/dev/null
	if grep -E '192\.168\.1\.3' <<<"$out" | grep -q '8889'; then
		ok "-M -L: $(grep 8889 <<<"$out" | head -1)"
	else
		bad "-M -L: '$out'"
	fi
}

# The engine cannot redirect: refused here, at the user's word.
check_refusal() {
	local before after err
	before=$(mr -t legacy -S)
	err=$(ipc -A input -p tcp -j REDIRECT 8080 2>&1)
	local rc=$?
	after=$(mr -t legacy -S)
	if [ $rc != 0 ] && grep -q '<cmdline>' <<<"$err" &&
	   grep -q '\^' <<<"$err" && [ "$before" = "$after" ]; then
		ok "refused rule at the user's word: $(head -1 <<<"$err")"
	else
		bad "refusal: rc $rc, '$err'"
	fi
}

check_restore_error() {
	local before after err rc
	printf '%s\n' '*legacy' ':forward ACCEPT [0:0]' \
		'-A forward -s 10.1.0.0/16 -j ACCEPT' \
		'-A forward -p tcp --dport 99999 -j ACCEPT' 'COMMIT' >"$TMP/bad.rules"
	before=$(mr -t legacy -S)
	err=$(mr restore -f "$TMP/bad.rules" 2>&1)
	rc=$?
	after=$(mr -t legacy -S)
	if [ $rc != 0 ] && grep -q "bad.rules:4:" <<<"$err" &&
	   [ "$before" = "$after" ]; then
		ok "restore with an error changed nothing: $(head -1 <<<"$err")"
	else
		bad "restore error: rc $rc '$err'; before '$before' after '$after'"
	fi
}

# Eight clients at once: each adds a rule; stale generations are retried.
check_concurrent() {
	local i n pids=
	for i in 1 2 3 4 5 6 7 8; do
		ipc -A input -s 10.9.0.$i -j ACCEPT &
		pids="$pids $!"
	done
	wait $pids
	n=$(mr -t legacy -S | grep -c -- '-A input -s 10\.9\.0\.')
	if [ "$n" = 8 ]; then
		ok "8 concurrent clients: 8 rules"
	else
		bad "concurrent clients: $n rules of 8"
	fi
	ipc -F input
}

# restore --test: checked by the engine, nothing changed; the legacy name
# ipchains (a symlink) reaches the engine through the environment.
check_test_and_argv0() {
	local before after out
	printf '%s\n' '*legacy' ':forward ACCEPT [0:0]' 'COMMIT' >"$TMP/ok.rules"
	ln -s "$(readlink -f "$MR")" "$TMP/ipchains"
	before=$(mr -t legacy -S)
	mr restore --test -f "$TMP/ok.rules" || bad "restore --test refused"
	after=$(mr -t legacy -S)
	out=$(MASQRULE_BACKEND=engine MASQRULE_SOCKET=$SOCK timeout 10 \
		"$TMP/ipchains" -L forward -n 2>&1)
	# ipchains' own layout: DENY and MASQ, not iptables' words
	if [ "$before" = "$after" ] && grep -q '^Chain forward (policy DENY)' <<<"$out" &&
	   grep -q '^MASQ  *all .*192\.168\.1\.0/24' <<<"$out"; then
		ok "restore --test changed nothing; ipchains -L via MASQRULE_BACKEND"
	else
		bad "restore --test / argv0: before '$before' after '$after' -L '$out'"
	fi
}

# Again with --user nobody: that uid, still no capability, still served.
check_user() {
	local uid eff out
	ip netns exec $RTR "$ENGINE" engine --inside veth-lan=192.168.1.1/24 \
		--outside veth-wan=203.0.113.1/24 --socket "$SOCK" \
		--user nobody 2>"$TMP/engine.log" &
	EPID=$!
	for _ in $(seq 50); do
		grep -q running "$TMP/engine.log" && break
		sleep 0.1
	done
	uid=$(awk '/^Uid:/ { print $3 }' /proc/$EPID/status 2>/dev/null)
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$EPID/status 2>/dev/null)
	out=$(mr -t legacy -S 2>&1)
	kill -TERM $EPID
	wait $EPID
	local rc=$?
	EPID=
	if [ "$uid" = "$(id -u nobody)" ] && [ "$eff" = 0000000000000000 ] &&
	   grep -q 'forward ACCEPT' <<<"$out" && [ $rc = 0 ]; then
		ok "--user nobody: uid $uid, CapEff $eff, served, exit 0"
	else
		bad "--user nobody: uid '$uid' CapEff '$eff' -S '$out' exit $rc"
		cat "$TMP/engine.log"
	fi
}

stop_engine() {
	engine_stop || return
	local rc=$ENGINE_RC
	if [ $rc = 0 ] && [ ! -e "$SOCK" ]; then
		ok "engine exit 0 on SIGTERM, socket removed"
	else
		bad "engine exit $rc, socket $(ls "$SOCK" 2>&1)"
	fi
	sed 's/^/  /' "$TMP/engine.log"
}

setup_ctl || { echo "FAIL: namespace setup"; exit 1; }
engine_start --socket "$SOCK" || { echo "FAIL: engine did not start"; exit 1; }
check_privs
check_boot
traffic
ipc -P forward DENY || bad "ipchains -P forward DENY"
expect_tcp 192.168.1.3 none "forward DENY"
ipc -A forward -s 192.168.1.0/24 -j MASQ || bad "ipchains -A forward ... MASQ"
expect_tcp 192.168.1.3 203.0.113.1 "MASQ added"
ipc -I forward -s 192.168.1.4 -j DENY || bad "ipchains -I forward ... DENY"
expect_tcp 192.168.1.4 none ".4 denied"
expect_tcp 192.168.1.3 203.0.113.1 ".4 denied"
check_listings
check_masq_list
check_refusal
check_restore_error
check_concurrent
check_test_and_argv0
stop_engine
check_user
summary
