#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The seed scenario through the kernel backend: lan 192.168.1.3 -> router
# (configured by running "masqrule -A forward -s 192.168.1.0/24 -j
# MASQUERADE" in its namespace) -> remote 203.0.113.178:8888.  The remote
# side records what it saw: the source must be 203.0.113.1 with a port in
# the 2.2 range 61000-65095, and the bytes must arrive and come back.
# masqrule -S and -M -L on the router, and conntrack, are the witnesses.
set -u
. "$(dirname "$0")/lib.sh"
kt_need socat "$M"
topo_standard
L=$LAN R=$RT X=$REM

echo "router# masqrule -A forward -s 192.168.1.0/24 -j MASQUERADE"
in_ns "$R" "$M" -A forward -s 192.168.1.0/24 -j MASQUERADE ||
	{ echo "FAIL masqrule -A"; exit 1; }

# the remote host answers with the peer it saw, then echoes
topo_serve "$X" 20 TCP-LISTEN:8888 'echo "$SOCAT_PEERADDR:$SOCAT_PEERPORT"; cat'
topo_listening "$X" tcp 8888
out=$(printf 'hello through masq\n' |
	in_ns "$L" timeout 10 socat -T 3 - TCP:203.0.113.178:8888)
peer=$(echo "$out" | head -1)
reply=$(echo "$out" | sed 1d)
echo "remote saw: $peer; lan got back: $reply"
echo "router# masqrule -S forward"
in_ns "$R" "$M" -S forward
echo "router# masqrule -M -L -n"
in_ns "$R" "$M" -M -L -n | tee "$tmp/masq"
fail=0
grep -q "192.168.1.3" "$tmp/masq" || { echo "FAIL -M -L lists no entry"; fail=1; }
[ "$reply" = "hello through masq" ] || { echo "FAIL bytes"; fail=1; }
addr=${peer%:*}
port=${peer##*:}
[ "$addr" = 203.0.113.1 ] || { echo "FAIL source address $addr"; fail=1; }
if ! [ "$port" -ge 61000 ] 2>/dev/null || [ "$port" -gt 65095 ]; then
	echo "FAIL source port $port outside 61000-65095"
	fail=1
fi
[ "$fail" = 0 ] && echo "seed-masq: ok"
exit "$fail"
