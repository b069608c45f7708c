#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers on the kernel backend (issue 3 item 6), through the CLI only:
# module lines (modprobe / insmod ... ports=) in `masqrule restore -f`
# files and the native `masqrule --masq-helper NAME[,ports=P,...]` become ct
# helper objects and the rules that attach them.  A real FTP server
# (pyftpdlib) on the remote host at 21 and 2121, curl on the lan host,
# through a router configured only with masqrule commands: passive works;
# active works with the helper and fails without it; 2121 works only after
# ports=21,2121.  Every helper Linux has loads; the ones it lacks get a
# message naming the engine backend.
#
#   lan 192.168.1.3 -- router 192.168.1.1 | 203.0.113.1 -- remote 203.0.113.178
#
# Needs root, ip, nft, curl, /usr/bin/python3 with pyftpdlib: exits 77
# (skipped) without them.  Run: MASQRULE=build/cli/masqrule tests/kernel/helpers-cli.sh
set -u
. "$(dirname "$0")/../lib/topo.sh"
topo_need ip nft curl timeout "$M"
topo_have_ftp || { echo "helpers-cli: python3-pyftpdlib missing: skipped"; exit 77; }

expect_ftp() {	# name, want (hello or fail), port, curl options
	local name=$1 want=$2 a
	shift 2
	a=$(topo_ftp_get "$@")
	if [ "$want" = hello ]; then
		[ "$a" = hello ]
	else
		[ "$a" != hello ]
	fi
	check "$name" $? "$a"
}

topo_standard
topo_ftp_serve 21 2121
check "pyftpdlib listens on 203.0.113.178:21 and :2121" $? ""

# 1: the router with masqrule commands only, no helper: forward policy
# DENY, so an active data connection comes in only as a helper's
# expected connection
mr --dialect ipchains -P forward DENY &&
	mr --dialect ipchains -A forward -s 192.168.1.0/24 -j MASQ
check "router: ipchains -P forward DENY, -A forward -s 192.168.1.0/24 -j MASQ" $? ""
expect_ftp "no helper: passive FTP works" hello 21
expect_ftp "no helper: active FTP fails" fail 21 -P -

# 2: modprobe ip_masq_ftp from a command file
cat >"$tmp/ftp.rules" <<'RULES'
# 2.2 boot script lines
/sbin/modprobe ip_masq_ftp
RULES
mr restore --noflush -f "$tmp/ftp.rules"
check "restore -f: modprobe ip_masq_ftp" $? ""
in_ns "$RT" nft list table ip masqrule >"$tmp/rs" 2>&1
grep -q 'type "ftp" protocol tcp' "$tmp/rs" &&
	grep -q 'tcp dport 21 ct helper set "mr_ftp"' "$tmp/rs"
check "ct helper mr_ftp attached to tcp port 21" $? "$(grep -n helper "$tmp/rs")"
expect_ftp "ip_masq_ftp: passive FTP works" hello 21
expect_ftp "ip_masq_ftp: active FTP works" hello 21 -P -
expect_ftp "ip_masq_ftp: active FTP on 2121 fails (helper on 21 only)" fail 2121 -P -
expect_ftp "ip_masq_ftp: passive FTP on 2121 works" hello 2121

# 3: insmod ... ports=21,2121 (2.4 module name)
echo "insmod ip_conntrack_ftp ports=21,2121" >"$tmp/ftp2.rules"
mr restore --noflush -f "$tmp/ftp2.rules"
check "restore -f: insmod ip_conntrack_ftp ports=21,2121" $? ""
in_ns "$RT" nft list chain ip masqrule mr_helpers 2>&1 |
	grep -q 'tcp dport { 21, 2121 } ct helper set "mr_ftp"'
check "the helper is attached to 21 and 2121" $? ""
expect_ftp "ports=21,2121: active FTP on 2121 works" hello 2121 -P -
expect_ftp "ports=21,2121: active FTP on 21 works" hello 21 -P -

# the helper's traces in -M -L: from 192.168.1.30 the rewritten PORT /
# EPRT line is one byte shorter (192.168.1.30 -> 203.0.113.1), which
# conntrack's sequence adjustment records as 2.2's delta; the data
# connection the server opened back is listed too
ip -n "$LAN" addr add 192.168.1.30/24 dev eth0
a=$(in_ns "$LAN" curl -sS --max-time 4 --interface 192.168.1.30 -P - \
	ftp://203.0.113.178:21/hello.txt 2>&1)
out=$(mr -M -L -n -v)
[ "$a" = hello ] &&
	echo "$out" | grep -Eq "^tcp .* -1 +0 192\.168\.1\.30:[0-9]+ +203\.0\.113\.1:[0-9]+ +203\.0\.113\.178:21$" &&
	echo "$out" | grep -E "^tcp .* 192\.168\.1\.30:[0-9]+ +203\.0\.113\.1:[0-9]+ +203\.0\.113\.178:[0-9]+$" |
	grep -vq ":21$"
check "-M -L -v: the FTP control entry's delta -1 and the data entry" $? "$a / $out"
out=$(mr --dialect ipchains -M -L)
echo "$out" | grep -Eq "^TCP  [0-9]+:[0-9]{2}\.00 192\.168\.1\.30 +203\.0\.113\.178 +[0-9]+ \(6[0-9]{4}\) -> ftp$"
check "ipchains -M -L names port 21 ftp (pinned services table)" $? "$out"

# 4: the native form
mr --masq-helper-remove ftp && ! mr save | grep -q "^modprobe"
check "masqrule --masq-helper-remove ftp" $? "$(mr save | grep modprobe)"
expect_ftp "helper removed: active FTP fails again" fail 21 -P -
mr --masq-helper ftp,ports=2121 && mr save | grep -qx "modprobe nf_conntrack_ftp ports=2121"
check "masqrule --masq-helper ftp,ports=2121 (saved as a modprobe line)" $? "$(mr save | tail -2)"
expect_ftp "--masq-helper ftp,ports=2121: active FTP on 2121 works" hello 2121 -P -
expect_ftp "--masq-helper ftp,ports=2121: active FTP on 21 fails" fail 21 -P -

# 5: every helper Linux has, as module lines and natively, loads
cat >"$tmp/all.rules" <<'RULES'
modprobe ip_masq_ftp
modprobe ip_masq_irc
insmod ip_conntrack_tftp ports=69,1069
modprobe nf_conntrack_sip
modprobe ip_conntrack_pptp
modprobe nf_conntrack_amanda
modprobe nf_conntrack_h323
modprobe nf_nat_snmp_basic
RULES
mr restore --noflush -f "$tmp/all.rules"
check "restore -f: the eight kernel helpers' module lines" $? ""
in_ns "$RT" nft list table ip masqrule >"$tmp/rs" 2>&1
bad=
for h in 'type "ftp" protocol tcp' 'type "irc" protocol tcp' \
	 'type "tftp" protocol udp' 'type "sip" protocol udp' \
	 'type "sip" protocol tcp' 'type "pptp" protocol tcp' \
	 'type "amanda" protocol udp' 'type "Q.931" protocol tcp' \
	 'type "RAS" protocol udp' 'type "snmp" protocol udp' \
	 'tcp dport 21 ct helper set "mr_ftp"' \
	 'tcp dport 6667 ct helper set "mr_irc"' \
	 'udp dport { 69, 1069 } ct helper set "mr_tftp"' \
	 'udp dport 5060 ct helper set "mr_sip"' \
	 'tcp dport 5060 ct helper set "mr_sip_tcp"' \
	 'tcp dport 1723 ct helper set "mr_pptp"' \
	 'udp dport 10080 ct helper set "mr_amanda"' \
	 'tcp dport 1720 ct helper set "mr_Q..931"' \
	 'udp dport 1719 ct helper set "mr_RAS"' \
	 'udp dport 161 ct helper set "mr_snmp"'; do
	grep -qF "$h" "$tmp/rs" || bad="$bad [$h]"
done
[ -z "$bad" ]
check "all ct helper objects and attaching rules are in the kernel" $? "missing:$bad"
bad=
for h in ftp irc tftp sip pptp amanda h323 snmp; do
	mr --masq-helper-remove "$h" && mr --masq-helper "$h" || bad="$bad $h"
done
in_ns "$RT" nft list table ip masqrule >"$tmp/rs2" 2>&1
[ -z "$bad" ] && [ "$(grep -c "ct helper set" "$tmp/rs2")" = 20 ]
check "masqrule --masq-helper NAME for each of the eight" $? "failed:$bad"

# 6: helpers Linux lacks: never silently dropped; the message names the
# engine backend; when refused, nothing changed
mr save >"$tmp/before"
for mod in ip_masq_raudio ip_masq_cuseeme ip_masq_vdolive ip_masq_quake; do
	echo "modprobe $mod" >"$tmp/$mod.rules"
	out=$(mr restore --noflush -f "$tmp/$mod.rules" 2>&1)
	rc=$?
	# refused at its line, naming the engine; nothing changed
	r=1
	[ $rc != 0 ] &&
		echo "$out" | grep -q "$mod.rules:1:.*${mod#ip_masq_}.*masqrule engine" &&
		mr save | cmp -s - "$tmp/before" && r=0
	check "modprobe $mod: refused at its line, naming the engine backend" $r "$out"
done
out=$(mr --masq-helper vdolive 2>&1)
echo "$out" | grep -q "vdolive.*masqrule engine"
check "masqrule --masq-helper vdolive: message names the engine backend" $? "$out"

topo_summary
