# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the namespace tests (tests/kernel, tests/apply, tests/lower):
# per-run namespaces removed by an EXIT trap, the standard test network,
# check counting and bounded socat / FTP probes.  Never touches the root
# namespace; every wait is bounded.
#
#   lan 192.168.1.3[, .4] eth0 -- eth1 router eth0 -- eth0 remote 203.0.113.178
#        default via .1     192.168.1.1 | 203.0.113.1
#
# Sourcing it sets here (the script's folder), top (the checkout), M and
# MASQRULE (the program), the EXIT trap; topo_need makes $tmp.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
MASQRULE=${MASQRULE:-$top/build/cli/masqrule}
M=$MASQRULE
TOPO_NAME=$(basename "$0" .sh)
P=mr-$$-
NAMESPACES=()
pass=0
fail=0
tmp=

topo_cleanup() {
	local ns
	jobs -p | xargs -r kill 2>/dev/null
	for ns in "${NAMESPACES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap topo_cleanup EXIT
trap 'exit 1' INT TERM

# topo_need TOOL...: root and every TOOL (a command, or a path that must be
# executable), or exit 77 (skipped); then a scratch folder $tmp
topo_need() {
	local t
	for t in "$@"; do
		case $t in
		*/*) [ -x "$t" ] ;;
		*) command -v "$t" >/dev/null ;;
		esac || { echo "$TOPO_NAME: $t missing: skipped"; exit 77; }
	done
	[ "$(id -u)" = 0 ] || { echo "$TOPO_NAME: needs root: skipped"; exit 77; }
	tmp=$(mktemp -d)
}

# topo_ns NAME: a new namespace mr-$$-NAME (lo up, no IPv6), in $REPLY
topo_ns() {
	REPLY=$P$1
	ip netns add "$REPLY" 2>/dev/null ||
		{ echo "$TOPO_NAME: cannot create namespace: skipped"; exit 77; }
	NAMESPACES+=("$REPLY")
	ip -n "$REPLY" link set lo up
	in_ns "$REPLY" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
}

in_ns() {	# in_ns NS cmd...
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# masqrule in the router namespace
mr() { ip netns exec "$RT" "$M" "$@"; }

# topo_standard [LAN_ADDR...]: namespaces $LAN, $RT, $REM as drawn above
# (lan addresses default 192.168.1.3); the router's interfaces are named
# $RT_IN and $RT_OUT (default eth1, eth0); forwarding on in the router
topo_standard() {
	local a
	RT_IN=${RT_IN:-eth1} RT_OUT=${RT_OUT:-eth0}
	topo_ns lan; LAN=$REPLY
	topo_ns rt; RT=$REPLY
	topo_ns rem; REM=$REPLY
	ip -n "$RT" link add "$RT_IN" type veth peer name eth0 netns "$LAN"
	ip -n "$RT" link add "$RT_OUT" type veth peer name eth0 netns "$REM"
	for a in "${@:-192.168.1.3}"; do
		ip -n "$LAN" addr add "$a/24" dev eth0
	done
	ip -n "$RT" addr add 192.168.1.1/24 dev "$RT_IN"
	ip -n "$RT" addr add 203.0.113.1/24 dev "$RT_OUT"
	ip -n "$REM" addr add 203.0.113.178/24 dev eth0
	ip -n "$LAN" link set eth0 up
	ip -n "$RT" link set "$RT_IN" up
	ip -n "$RT" link set "$RT_OUT" up
	ip -n "$REM" link set eth0 up
	ip -n "$LAN" route add default via 192.168.1.1
	in_ns "$RT" sysctl -qw net.ipv4.ip_forward=1
}

# check NAME [STATUS [DETAIL]]: count and print "ok   NAME" when STATUS
# (default: the previous command's) is 0, else "FAIL NAME[: DETAIL]"
check() {
	local r=$?
	[ $# -ge 2 ] && r=$2
	if [ "$r" = 0 ]; then
		pass=$((pass + 1))
		echo "ok   $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1${3:+: $3}"
	fi
}

# topo_summary: the counts; succeeds when nothing failed
topo_summary() {
	echo "$TOPO_NAME: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# topo_wait SECONDS CMD...: 0 once CMD succeeds, polled every 0.1 s
topo_wait() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		"${@:2}" && return 0
		sleep 0.1
	done
	return 1
}

# topo_listening NS tcp|udp PORT...: 0 once all the ports listen in NS (5 s)
topo_listening() {
	local ns=$1 opt=-Hltn n=$(($# - 2)) f=() p
	[ "$2" = udp ] && opt=-Hlun
	for p in "${@:3}"; do
		f+=(${f:+or} "sport = :$p")
	done
	topo_wait 5 topo_nlisten "$ns" "$opt" "${f[*]}" "$n"
}
topo_nlisten() { [ "$(in_ns "$1" ss "$2" "$3" | wc -l)" -ge "$4" ]; }

# topo_serve NS SECONDS LISTEN [SHELL]: a forking socat server on socat
# address LISTEN (TCP-LISTEN:..., UDP-RECVFROM:...) in NS for at most
# SECONDS; each peer gets SHELL's output, by default what the server saw
# as its source, "ADDR PORT" (socat's SYSTEM takes no ':').  The default
# reads a UDP peer's datagram first: written to a shell that has already
# exited, it would end socat (EPIPE) before the answer is sent.
topo_serve() {
	local sh=${4:-'echo $SOCAT_PEERADDR $SOCAT_PEERPORT'}
	case ${4:-}$3 in UDP*) sh="read -r x; $sh" ;; esac
	in_ns "$1" timeout "$2" socat "$3,fork,reuseaddr" SYSTEM:"$sh" \
		2>/dev/null &
}

# topo_tcp NS DST PORT [OPTIONS [SECONDS]]: connect from NS (socat address
# OPTIONS such as bind=ADDR or sourceport=P) and print the answer, then
# "ERR <socat message>" if it failed; at most SECONDS (5), 2 to connect.
# The client sends nothing: data the server never reads would make its
# close a reset, which can eat the answer.
topo_tcp() {
	local secs=${5:-5} err
	err=$(mktemp -p "$tmp") || return 1
	in_ns "$1" timeout "$secs" socat -u -T$((secs - 2)) \
		"TCP:$2:$3,connect-timeout=2${4:+,$4}" - 2>"$err" ||
		echo "ERR $(cat "$err")"
	rm -f "$err"
}

# topo_udp NS DST PORT [OPTIONS]: one datagram "x" from NS (socat address
# OPTIONS such as sourceport=P); prints the first answer, if one comes
# within 3 s (the client stops early on an ICMP error)
topo_udp() {
	local out pid
	out=$(mktemp -p "$tmp") || return 1
	echo x | in_ns "$1" timeout 3 socat -T3 -t3 - "UDP:$2:$3${4:+,$4}" \
		>"$out" 2>/dev/null &
	pid=$!
	topo_wait 3 topo_answered "$out" "$pid"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	cat "$out"
	rm -f "$out"
}
topo_answered() { [ -s "$1" ] || ! kill -0 "$2" 2>/dev/null; }

# topo_ftp_serve PORT...: anonymous read-only FTP servers (pyftpdlib) on
# the remote's 203.0.113.178, serving hello.txt ("hello"), for 60 s at
# most; 0 once they listen
topo_ftp_serve() {
	local port
	mkdir -p "$tmp/ftp"
	echo hello >"$tmp/ftp/hello.txt"
	for port in "$@"; do
		in_ns "$REM" timeout 60 /usr/bin/python3 -m pyftpdlib \
			-i 203.0.113.178 -p "$port" -d "$tmp/ftp" >/dev/null 2>&1 &
	done
	topo_listening "$REM" tcp "$@"
}

# topo_ftp_get PORT [curl options]: hello.txt's text fetched by the lan's
# 192.168.1.3 through the router within 4 s, or curl's error.  -P - is
# active FTP (PORT/EPRT with the lan address).
topo_ftp_get() {
	local port=$1
	shift
	in_ns "$LAN" curl -sS --max-time 4 --interface 192.168.1.3 \
		"$@" "ftp://203.0.113.178:$port/hello.txt" 2>&1
}

# topo_have_ftp: curl and pyftpdlib are there
topo_have_ftp() {
	command -v curl >/dev/null &&
		/usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null
}
