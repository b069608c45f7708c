# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the engine's live tests (seed.sh, ipt.sh, robust.sh, ctl.sh):
# per-run namespaces removed by an EXIT trap with the engine, the three
# namespaces below, the engine's start and stop, check counting.  Never
# touches the root namespace; every wait is bounded.
#
#   lan 192.168.1.3/24 --- router (engine; veths without addresses) --- remote
#        default via .1      veth-lan=192.168.1.1  veth-wan=203.0.113.1   203.0.113.178/24
#
# el_init TOOL...: root and every TOOL, or exit 77; then LAN RTR REM (the
# namespaces' names), TMP (scratch), SOCK ($TMP/engine.sock), EPID, FAILS.
# The script sets ENGINE first.

el_init() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
	done
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	P=mr-$$
	LAN=$P-lan RTR=$P-rtr REM=$P-rem
	TMP=$(mktemp -d) || exit 1
	SOCK=$TMP/engine.sock
	EPID=
	FAILS=0
	trap cleanup EXIT
	trap 'exit 1' INT TERM
}

cleanup() {
	[ -n "$EPID" ] && kill "$EPID" 2>/dev/null
	# the namespaces' processes (socat listeners) go with them
	for ns in "$LAN" "$RTR" "$REM"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}

in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# summary: PASS or the failure count; succeeds when nothing failed
summary() {
	[ "$FAILS" = 0 ] && echo PASS || echo "FAILED: $FAILS"
	[ "$FAILS" = 0 ]
}

# setup [LAN_ADDR...]: the namespaces as drawn (lan addresses default
# 192.168.1.3); the router's veths up without addresses, forwarding and
# IPv6 off.  A function remote_hook, if defined, runs once the remote's
# address is set, before its link comes up.
# shellcheck disable=SC2120
setup() {
	local a i
	ip netns add "$LAN" && ip netns add "$RTR" && ip netns add "$REM" || return 1
	ip -n "$RTR" link add veth-lan type veth peer name eth0 netns "$LAN" || return 1
	ip -n "$RTR" link add veth-wan type veth peer name eth0 netns "$REM" || return 1
	in_ns "$RTR" sysctl -qw net.ipv4.ip_forward=0
	for i in veth-lan veth-wan; do
		# no IPv6 either: the kernel must stay off these wires
		in_ns "$RTR" sysctl -qw net.ipv6.conf.$i.disable_ipv6=1
		ip -n "$RTR" link set $i up
	done
	for a in "${@:-192.168.1.3}"; do
		ip -n "$LAN" addr add "$a/24" dev eth0
	done
	ip -n "$LAN" link set eth0 up
	ip -n "$LAN" link set lo up
	ip -n "$LAN" route add default via 192.168.1.1
	ip -n "$REM" addr add 203.0.113.178/24 dev eth0
	if declare -F remote_hook >/dev/null; then remote_hook; fi
	ip -n "$REM" link set eth0 up
	ip -n "$REM" link set lo up
}

# engine_start ARG...: `$ENGINE engine' in the router with inside
# veth-lan=192.168.1.1/24, outside veth-wan=203.0.113.1/24 and ARGs, its
# stderr in $TMP/engine.log; 0 once it says "running" (and, with
# WAIT_SOCK set, $SOCK exists) within 5 s, else the log and 1
engine_start() {
	# not through in_ns: $! must be the engine itself, for kill and wait
	ip netns exec "$RTR" "$ENGINE" engine --inside veth-lan=192.168.1.1/24 \
		--outside veth-wan=203.0.113.1/24 "$@" 2>"$TMP/engine.log" &
	EPID=$!
	for _ in $(seq 50); do
		grep -q running "$TMP/engine.log" &&
			{ [ -z "${WAIT_SOCK:-}" ] || [ -S "$SOCK" ]; } && return 0
		kill -0 "$EPID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/engine.log"
	return 1
}

# engine_stop: SIGTERM, then up to 3 s; a failure "engine did not stop on
# SIGTERM" and 1 if it did not, else its exit status in ENGINE_RC
engine_stop() {
	kill -TERM "$EPID"
	for _ in $(seq 30); do
		kill -0 "$EPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$EPID" 2>/dev/null; then
		bad "engine did not stop on SIGTERM"
		return 1
	fi
	wait "$EPID"
	ENGINE_RC=$?
	EPID=
}

# stop_engine: engine_stop, the exit status checked, the log shown
stop_engine() {
	engine_stop || return
	if [ "$ENGINE_RC" = 0 ]; then
		ok "engine exit 0 on SIGTERM"
	else
		bad "engine exit $ENGINE_RC"
	fi
	sed 's/^/  /' "$TMP/engine.log"
}

# tcp_talk SRV_NS PORT SAY CLI_NS DATA DST: a one-shot server in SRV_NS
# on PORT (10 s at most) answering the output of the shell command SAY,
# then what it gets; DATA sent from CLI_NS to socat address TCP:DST (5 s
# at most); prints what the client got back
tcp_talk() {
	ip netns exec "$1" timeout 10 socat -T5 "TCP-LISTEN:$2,reuseaddr" \
		SYSTEM:"$3; cat" >/dev/null 2>&1 &
	local srv=$!
	sleep 0.2
	echo "$5" | in_ns "$4" timeout 5 socat -T2 - "TCP:$6"
	wait "$srv" 2>/dev/null
}

# intrude ADDR...: a listener on the lan's port 7777 (4 s at most); the
# remote routes 192.168.1.0/24 via 203.0.113.1 and connects to each ADDR's
# 7777; 0 when nothing reached the listener
intrude() {
	local srv a
	ip netns exec "$LAN" timeout 4 socat -T3 TCP-LISTEN:7777,reuseaddr \
		OPEN:"$TMP/got",creat >/dev/null 2>&1 &
	srv=$!
	sleep 0.2
	in_ns "$REM" ip route add 192.168.1.0/24 via 203.0.113.1
	for a in "$@"; do
		echo intruder | in_ns "$REM" timeout 2 socat -T1 - "TCP:$a:7777" \
			>/dev/null 2>&1
	done
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	[ ! -s "$TMP/got" ]
}
