#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# End-to-end test library: the test network of testing.md, a router that
# either backend configures, and bounded TCP/UDP/ICMP probes.
#
#   lan 192.168.1.3, .4 -- eth1 router eth0 -- remote 203.0.113.178
#        default via .1     192.168.1.1 | 203.0.113.1
#
# kernel: the router namespace has both addresses, forwarding on, and
#         `masqrule restore -f FILE' installs the rules;
# engine: the router's veths have no kernel addresses, forwarding and IPv6
#         are off, `masqrule engine' owns them (the peers' TSO/GSO off,
#         so that every segment crosses the engine on its own; GSO frames
#         are taken too, docs/engine.md "Live mode").
#
# Sourced by run.sh and bench/engine.sh.  Needs: MASQRULE (the program),
# root, ip, socat, ping, timeout.  Every namespace name carries the run's
# pid; e2e_cleanup (installed as the EXIT trap by e2e_setup) removes them.

E2E_P=mr-$$
LAN=$E2E_P-lan RTR=$E2E_P-rtr REM=$E2E_P-rem
E2E_TMP=
E2E_EPID=
E2E_PIDS=()
E2E_BACKEND=
E2E_LOG=

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

e2e_need() {	# tools...: exit 77 unless all are there and we are root
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
	done
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	[ -x "$MASQRULE" ] || { echo "SKIP: no $MASQRULE"; exit 77; }
}

e2e_cleanup() {
	local p ns
	e2e_engine_stop >/dev/null 2>&1
	for p in "${E2E_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	# what else runs in the namespaces (servers) goes with them
	for ns in $LAN $RTR $REM; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$E2E_TMP" ] && rm -rf "$E2E_TMP"
	E2E_PIDS=()
	E2E_TMP=
}

# Peers' offloads off: segments one by one through the engine (its
# per-segment path; GSO super-frames take another).
e2e_offloads_off() {	# ns dev
	command -v ethtool >/dev/null || return 0
	in_ns "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1
}

e2e_setup() {	# BACKEND (kernel|engine)
	E2E_BACKEND=$1
	E2E_TMP=$(mktemp -d) || return 1
	E2E_LOG=$E2E_TMP/router.log
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM
	ip netns add $LAN && ip netns add $RTR && ip netns add $REM || return 1
	ip -n $RTR link add eth1 type veth peer name eth0 netns $LAN || return 1
	ip -n $RTR link add eth0 type veth peer name eth0 netns $REM || return 1
	for ns in $LAN $RTR $REM; do
		ip -n $ns link set lo up
		in_ns $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		in_ns $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n $LAN addr add 192.168.1.3/24 dev eth0
	ip -n $LAN addr add 192.168.1.4/24 dev eth0
	ip -n $REM addr add 203.0.113.178/24 dev eth0
	ip -n $LAN link set eth0 up
	ip -n $REM link set eth0 up
	ip -n $RTR link set eth0 up
	ip -n $RTR link set eth1 up
	ip -n $LAN route add default via 192.168.1.1
	if [ "$1" = kernel ]; then
		ip -n $RTR addr add 192.168.1.1/24 dev eth1
		ip -n $RTR addr add 203.0.113.1/24 dev eth0
		in_ns $RTR sysctl -qw net.ipv4.ip_forward=1
	else
		in_ns $RTR sysctl -qw net.ipv4.ip_forward=0
		e2e_offloads_off $LAN eth0
		e2e_offloads_off $REM eth0
	fi
}

# Background processes to kill at the end.
e2e_bg() { E2E_PIDS+=("$1"); }

e2e_engine_stop() {
	[ -n "$E2E_EPID" ] || return 0
	kill -TERM "$E2E_EPID" 2>/dev/null
	for _ in $(seq 30); do
		kill -0 "$E2E_EPID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$E2E_EPID" 2>/dev/null
	wait "$E2E_EPID" 2>/dev/null
	local rc=$?
	E2E_EPID=
	return $rc
}

# Start the engine on the router's veths with FILE; 0 once it runs.
e2e_engine_start() {	# FILE
	e2e_engine_stop
	# not through in_ns: $! must be the engine itself, for kill and wait
	ip netns exec $RTR "$MASQRULE" engine --inside eth1=192.168.1.1/24 \
		--outside eth0=203.0.113.1/24 --rules "$1" >"$E2E_LOG" 2>&1 &
	E2E_EPID=$!
	for _ in $(seq 50); do
		grep -q running "$E2E_LOG" && return 0
		kill -0 $E2E_EPID 2>/dev/null || break
		sleep 0.1
	done
	wait "$E2E_EPID" 2>/dev/null
	E2E_EPID=
	return 1
}

# The kernel router: an empty ruleset and conntrack table, then the file.
e2e_kernel_apply() {	# FILE
	in_ns $RTR nft flush ruleset
	in_ns $RTR conntrack -F >/dev/null 2>&1
	in_ns $RTR timeout 10 "$MASQRULE" restore -f "$1" >"$E2E_LOG" 2>&1
}

# configure_router BACKEND FILE: the router runs FILE's rules; the
# backend's messages are in $E2E_LOG.
configure_router() {
	case $1 in
	kernel) e2e_kernel_apply "$2" ;;
	engine) e2e_engine_start "$2" ;;
	*) echo "configure_router: unknown backend $1" >&2; return 2 ;;
	esac
}

# A TCP server in NS on ADDR:PORT: it reads one line and answers
# "TAG PEERADDR port PEERPORT got LINE" (socat's SYSTEM takes no ':').
serve_tcp() {	# ns addr port tag
	ip netns exec "$1" socat -T5 "TCP-LISTEN:$3,bind=$2,reuseaddr,fork" \
		SYSTEM:"read l; echo $4 \$SOCAT_PEERADDR port \$SOCAT_PEERPORT got \$l" \
		2>/dev/null &
	e2e_bg $!
}

serve_udp() {	# ns addr port tag
	ip netns exec "$1" socat -T5 "UDP-RECVFROM:$3,bind=$2,fork" \
		SYSTEM:"read l; echo $4 \$SOCAT_PEERADDR port \$SOCAT_PEERPORT got \$l" \
		2>/dev/null &
	e2e_bg $!
}

# Connect from NS (source SRC) to DST:PORT, send "hello"; prints the
# answer or "ERR ...".  At most 4 s.
tcp_talk() {	# ns src dst port
	local out
	if out=$(echo hello | ip netns exec "$1" timeout 4 socat -t2 -T3 - \
		 "TCP:$3:$4,bind=$2,connect-timeout=2" 2>&1) && [ -n "$out" ]; then
		echo "$out"
	else
		echo "ERR ${out:-no answer}"
	fi
}

udp_talk() {	# ns src dst port
	local out
	out=$(echo hello | ip netns exec "$1" timeout 4 socat -t2 -T2 - \
	      "UDP:$3:$4,bind=$2" 2>&1)
	echo "${out:-ERR no answer}"
}

# ping: 0 when answered
ping_ok() {	# ns dst [src]
	ip netns exec "$1" timeout 4 ping -c 2 -i 0.2 -W 2 ${3:+-I $3} "$2" \
		>/dev/null 2>&1
}

# TTL 1 through the router; prints the address the time exceeded came from.
ttl_probe() {	# ns dst
	ip netns exec "$1" timeout 4 ping -n -c 1 -t 1 -W 2 "$2" 2>&1 |
		sed -n 's/^From \([0-9.]*\).*Time to live exceeded.*/\1/p'
}

# "TAG 203.0.113.1 port P got hello" with P in 2.2's 61000-65095
legacy_port() {	# answer
	local port
	port=$(sed -n 's/^[a-z]* [0-9.]* port \([0-9]*\) got .*/\1/p' <<<"$1")
	[ -n "$port" ] && [ "$port" -ge 61000 ] && [ "$port" -le 65095 ]
}
