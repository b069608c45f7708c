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
kt_need
M=${MASQRULE:-$top/build/cli/masqrule}
[ -x "$M" ] || { echo "seed-masq: needs $M: skipped"; exit 77; }
command -v socat >/dev/null || { echo "seed-masq: needs socat: skipped"; exit 77; }
kt_ns lan; L=$REPLY
kt_ns rtr; R=$REPLY
kt_ns rem; X=$REPLY

ip link add mr$$l type veth peer name mr$$r netns "$R"
ip link set mr$$l netns "$L"
ip -n "$L" link set mr$$l name eth0
ip -n "$R" link set mr$$r name lan0
ip -n "$R" link add wan0 type veth peer name eth0 netns "$X"
ip -n "$L" addr add 192.168.1.3/24 dev eth0
ip -n "$R" addr add 192.168.1.1/24 dev lan0
ip -n "$R" addr add 203.0.113.1/24 dev wan0
ip -n "$X" addr add 203.0.113.178/24 dev eth0
for ns in "$L:eth0" "$R:lan0" "$R:wan0" "$X:eth0"; do
	ip -n "${ns%%:*}" link set "${ns#*:}" up
done
ip -n "$L" route add default via 192.168.1.1
kt_in "$R" sysctl -qw net.ipv4.ip_forward=1

echo "router# masqrule -A forward -s 192.168.1.0/24 -j MASQUERADE"
kt_in "$R" "$M" -A forward -s 192.168.1.0/24 -j MASQUERADE ||
	{ echo "FAIL masqrule -A"; exit 1; }

# the remote host writes the peer it saw, then echoes
kt_in "$X" timeout 20 socat -T 10 TCP-LISTEN:8888,reuseaddr \
	SYSTEM:'echo "$SOCAT_PEERADDR:$SOCAT_PEERPORT" >&2; cat' 2>"$tmp/peer" &
sleep 1
reply=$(printf 'hello through masq\n' |
	kt_in "$L" timeout 10 socat -T 3 - TCP:203.0.113.178:8888)
sleep 0.5
peer=$(head -1 "$tmp/peer")
echo "remote saw: $peer; lan got back: $reply"
echo "router# masqrule -S forward"
kt_in "$R" "$M" -S forward
echo "router# masqrule -M -L -n"
kt_in "$R" "$M" -M -L -n | tee "$tmp/masq"
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
