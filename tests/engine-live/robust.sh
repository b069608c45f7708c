#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The live engine's robustness, between three namespaces as seed.sh:
#
#   lan 192.168.1.3/24 --- router (engine) --- remote 203.0.113.178/24
#
# Checks: a ping to an address of the outside prefix that no host has
# gets "Destination Host Unreachable" from 192.168.1.1 (ARP resolution
# failed); a ping flood passes while a 20,000-rule ruleset is sent over
# the control socket (read on the engine's worker thread), with its loss
# and round trip times reported (a SET whose client hangs up is still
# applied); a neighbour whose MAC changes is reached
# again once its entry expires (base reachable time shortened to 1 s
# through MASQRULE_NEIGH_REACHABLE_MS; the remote sends no gratuitous ARP).
#
# usage: robust.sh ENGINE   (run as `ENGINE engine --inside ...').
# Exit 77 if a tool is missing or not root.
set -u

ENGINE=${1:?usage: robust.sh ENGINE}
PY=/usr/bin/python3
. "$(dirname "$0")/lib.sh"
el_init ip ping timeout $PY
now_ms() { date +%s%3N; }

# no gratuitous ARP on a MAC change: only expiry may find the new one
remote_hook() {
	in_ns $REM sysctl -qw net.ipv4.conf.all.arp_notify=0
	in_ns $REM sysctl -qw net.ipv4.conf.default.arp_notify=0
	in_ns $REM sysctl -qw net.ipv4.conf.eth0.arp_notify=0
}

start_engine() {
	printf '%s\n' 'ipchains -P forward DENY' \
		'ipchains -A forward -s 192.168.1.0/24 -j MASQ' >"$TMP/rules"
	WAIT_SOCK=1 MASQRULE_NEIGH_REACHABLE_MS=1000 engine_start \
		--rules "$TMP/rules" --dialect ipchains --socket "$SOCK"
}

# A minimal control client (engine/ctl.h): GET the generation, SET the
# file's text on it.  Prints "status ms".
cat >"$TMP/ctl.py" <<'EOF'
import socket, struct, sys, time
MAGIC, GET, SET, OK = 0x4d524331, 1, 2, 0x100
HDR = struct.Struct('=IHHQII')

def call(path, op, gen, data=b''):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(path)
    s.sendall(HDR.pack(MAGIC, op, 0, gen, len(data), 0) + data)
    h = b''
    while len(h) < HDR.size:
        c = s.recv(HDR.size - len(h))
        if not c:
            raise SystemExit('closed')
        h += c
    magic, st, _, gen, n, _ = HDR.unpack(h)
    body = b''
    while len(body) < n:
        body += s.recv(n - len(body))
    s.close()
    return st, gen, body

def hangup(path, gen, text):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(HDR.pack(MAGIC, SET, 0, gen, len(text), 0) + text)
    s.close()

path, text = sys.argv[1], open(sys.argv[2], 'rb').read()
st, gen, _ = call(path, GET, 0)
if len(sys.argv) > 3:
    # a client that leaves at once still gets its change, and the
    # engine serves the next one
    hangup(path, gen, text)
    for _ in range(100):
        time.sleep(0.05)
        st, gen2, _ = call(path, GET, 0)
        if gen2 == gen + 1:
            break
    print('ok' if gen2 == gen + 1 else 'gen %d -> %d' % (gen, gen2))
    sys.exit(0)
t0 = time.monotonic()
st, gen2, body = call(path, SET, gen, text)
ms = int((time.monotonic() - t0) * 1000)
print('ok' if st == OK and gen2 == gen + 1 else 'status %#x' % st, ms)
EOF

big_ruleset() {
	{
		echo '*legacy'
		echo ':input ACCEPT [0:0]'
		echo ':forward DENY [0:0]'
		echo ':output ACCEPT [0:0]'
		echo '-A forward -s 192.168.1.0/24 -j MASQ'
		$PY -c '
for i in range(20000):
    print("-A forward -s 10.%d.%d.0/24 -d 198.51.100.%d -j ACCEPT"
          % (i >> 8, i & 255, i % 250 + 1))'
		echo 'COMMIT'
	} >"$TMP/big.rules"
}

# No host at 203.0.113.99: after the engine's three ARP tries, the ping
# gets host unreachable from the address facing the lan.
check_unreachable() {
	local t0 t1 out
	t0=$(now_ms)
	out=$(in_ns $LAN timeout 8 ping -c 1 -W 6 203.0.113.99 2>&1)
	t1=$(now_ms)
	if grep -q 'From 192.168.1.1 .*Destination Host Unreachable' <<<"$out" &&
	   [ $((t1 - t0)) -le 4500 ]; then
		ok "host unreachable from 192.168.1.1 after $((t1 - t0)) ms"
	else
		bad "unreachable: $((t1 - t0)) ms, got '$out'"
	fi
}

# 1500 pings 2 ms apart (3 s) while the big ruleset goes in.
check_flood_restore() {
	local out loss rtt set
	big_ruleset
	in_ns $LAN timeout 20 ping -q -i 0.002 -c 1500 -W 1 203.0.113.178 \
		>"$TMP/flood" 2>&1 &
	local fpid=$!
	sleep 0.5
	set=$(timeout 20 $PY "$TMP/ctl.py" "$SOCK" "$TMP/big.rules" 2>&1)
	wait $fpid
	out=$(cat "$TMP/flood")
	loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$out")
	rtt=$(sed -n 's/^rtt .* = \([0-9.\/]*\) ms.*/\1/p' <<<"$out")
	echo "  restore of 20,000 rules: $set (status, ms); flood: $(grep -o '[0-9]* packets transmitted, [0-9]* received' <<<"$out"), ${loss:-?}% loss, rtt min/avg/max/mdev $rtt ms"
	if [ "${set%% *}" = ok ] && [ -n "$loss" ] &&
	   awk -v l="$loss" 'BEGIN { exit !(l <= 1) }'; then
		ok "flood through a 20,000-rule restore: ${loss}% loss"
	else
		bad "flood/restore: set '$set' loss '${loss:-?}'"
	fi
}

# A SET whose client hangs up at once: applied, and the socket goes on.
check_hangup() {
	local out
	out=$(timeout 20 $PY "$TMP/ctl.py" "$SOCK" "$TMP/big.rules" hangup 2>&1)
	if [ "$out" = ok ] && kill -0 $EPID 2>/dev/null; then
		ok "a SET whose client left is applied, the engine serves on"
	else
		bad "hangup: '$out'"
	fi
}

# The remote takes a new MAC and says nothing: the engine's entry goes
# stale, its probes to the old MAC fail, a broadcast finds the new one.
check_mac_change() {
	local t0 t1 i got=
	in_ns $LAN timeout 5 ping -c 2 -i 0.2 -W 2 203.0.113.178 >/dev/null 2>&1 ||
		{ bad "mac change: remote not reachable before"; return; }
	ip -n $REM link set eth0 address 02:00:5e:10:00:01 2>/dev/null || {
		ip -n $REM link set eth0 down
		ip -n $REM link set eth0 address 02:00:5e:10:00:01
		ip -n $REM link set eth0 up
	}
	t0=$(now_ms)
	for i in $(seq 40); do
		if in_ns $LAN timeout 2 ping -c 1 -W 0.5 203.0.113.178 \
			>/dev/null 2>&1; then
			got=1
			break
		fi
		sleep 0.1
	done
	t1=$(now_ms)
	if [ -n "$got" ]; then
		ok "new MAC reached again after $((t1 - t0)) ms"
	else
		bad "new MAC not reached in $((t1 - t0)) ms"
	fi
}

setup || { echo "FAIL: namespace setup"; exit 1; }
start_engine || { echo "FAIL: engine did not start"; exit 1; }
check_unreachable
check_mac_change
check_flood_restore
check_hangup
stop_engine
summary
