# SPDX-License-Identifier: GPL-2.0-or-later
# masqrule save / check on files: every bad line reported with
# file:line:col, and save output that reads back to itself.

load helpers

# save FILE twice (the second time from the first output); both identical
fixpoint()
{
	local in="$1"; shift

	run --separate-stderr mr save "$@" -f "$in"
	assert_success
	assert_equal "$stderr" ''
	[ -n "$output" ]
	printf '%s\n' "$output" > "$TMP/pass1"
	run --separate-stderr mr save "$@" -f "$TMP/pass1"
	assert_success
	assert_equal "$stderr" ''
	printf '%s\n' "$output" > "$TMP/pass2"
	run diff -u "$TMP/pass1" "$TMP/pass2"
	assert_success
}

@test "save and check report every bad line with file:line:col, exit 2" {
	write_file bad.rules <<'RULES'
*filter
:INPUT ACCEPT [0:0]
-A INPUT -s 1.2.3.999 -j ACCEPT
-A INPUT -j ACCEPT
-A INPUT --bogus
-A INPUT -p tcp --dport 99999 -j DROP
-A INPUT -m nosuchmatch -j DROP
COMMIT
RULES
	local f="$TMP/bad.rules" cmd
	for cmd in save check; do
		run --separate-stderr mr "$cmd" --dialect iptables -f "$f"
		assert_failure 2
		assert_output ''
		assert_equal "$stderr" "$f:3:13: error: host/network \`1.2.3.999' not found
-A INPUT -s 1.2.3.999 -j ACCEPT
            ^~~~~~~~~
$f:5:10: error: unknown option \"--bogus\"
-A INPUT --bogus
         ^~~~~~~
$f:6:25: error: invalid port/service \`99999' specified
-A INPUT -p tcp --dport 99999 -j DROP
                        ^~~~~
$f:7:13: error: Couldn't load match \`nosuchmatch':No such file or directory
-A INPUT -m nosuchmatch -j DROP
            ^~~~~~~~~~~"
	done
}

@test "model errors are reported per line too (exit 1 when they come first)" {
	write_file model.rules <<'RULES'
-A NOCHAIN -j DROP
-N sub
-N sub
-A INPUT -j nosuch
-X INPUT
RULES
	local f="$TMP/model.rules"
	run --separate-stderr mr check --dialect iptables -f "$f"
	assert_failure 1
	assert_equal "$stderr" "$f:1:4: error: No chain/target/match by that name
-A NOCHAIN -j DROP
   ^~~~~~~
$f:3:4: error: Chain already exists
-N sub
   ^~~
$f:4:13: error: Couldn't load target \`nosuch': no such chain
-A INPUT -j nosuch
            ^~~~~~
$f:5:4: error: Can't delete built-in chain
-X INPUT
   ^~~~~"
}

@test "errors in a script of several tools: each line in its own dialect" {
	write_file mixed.rules <<'RULES'
# comment line
ipchains -P forward DENY
ipchains -A forward -s 300.1.1.1 -j MASQ

ipfwadm -F -a bogus
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
/sbin/ipchains -A forward -j ACCEPT -z
iptables -A INPUT -j MASQ
RULES
	local f="$TMP/mixed.rules"
	run --separate-stderr mr save -f "$f"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$f:3:24: error: host/network \`300.1.1.1' not found"* ]]
	[[ "$stderr" == *"$f:5:15: error: "* ]]
	[[ "$stderr" == *"$f:7:38: error: "* ]]
	[[ "$stderr" == *"$f:8:"* ]]
	# and nothing for the good lines
	[[ "$stderr" != *"$f:2:"* ]]
	[[ "$stderr" != *"$f:6:"* ]]
}

@test "check of a good file is silent and succeeds" {
	write_file good.rules <<'RULES'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
modprobe ip_masq_ftp
RULES
	run --separate-stderr mr check -f "$TMP/good.rules"
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
}

@test "a missing COMMIT and a table opened twice" {
	write_file open.rules <<'RULES'
*filter
-A INPUT -j ACCEPT
*nat
COMMIT
*mangle
RULES
	local f="$TMP/open.rules"
	run --separate-stderr mr check --dialect iptables -f "$f"
	assert_failure 2
	[[ "$stderr" == *"$f:3:1: error: COMMIT expected before a new table"* ]]
	[[ "$stderr" == *"$f:5:"*"COMMIT expected for table \"mangle\""* ]]
}

@test "UTF-8 in comments and arguments is ordinary text" {
	write_file utf8.rules <<'RULES'
# Regeln für das LAN – ä ö ü
-A INPUT -m comment --comment "café" -j ACCEPT
RULES
	run --separate-stderr timeout 10 "$MASQRULE" save --dialect iptables -f "$TMP/utf8.rules"
	assert_success
	# quoted, as iptables-save quotes bytes outside its safe set
	assert_line '-A INPUT -m comment --comment "café" -j ACCEPT'
	run --separate-stderr timeout 10 "$MASQRULE" translate --dialect iptables -- -A INPUT -m comment --comment "café" -j ACCEPT
	assert_success
	assert_output "nft 'add rule ip filter INPUT counter accept comment \"café\"'"
}

@test "a warning alone does not fail the file" {
	write_file warn.rules <<'RULES'
modprobe ip_masq_nosuch
RULES
	run --separate-stderr mr check -f "$TMP/warn.rules"
	assert_success
	[[ "$stderr" == "$TMP/warn.rules:1:10: warning: "* ]]
}

# ------------------------------------------------------------------
# save output

@test "save: iptables-save form of a restore file" {
	write_file nat.rules <<'RULES'
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 192.168.1.7/24 -o ppp0 -j MASQUERADE
COMMIT
RULES
	run --separate-stderr mr save --dialect iptables -f "$TMP/nat.rules"
	assert_success
	assert_output '*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 192.168.1.0/24 -o ppp0 -j MASQUERADE
COMMIT'
}

@test "save -c keeps counters; without -c rule counters are left out" {
	write_file cnt.rules <<'RULES'
*filter
:INPUT DROP [10:1000]
[3:300] -A INPUT -i lo -j ACCEPT
COMMIT
RULES
	run --separate-stderr mr save -c --dialect iptables -f "$TMP/cnt.rules"
	assert_success
	assert_line ':INPUT DROP [10:1000]'
	assert_line '[3:300] -A INPUT -i lo -j ACCEPT'
	run --separate-stderr mr save --dialect iptables -f "$TMP/cnt.rules"
	assert_success
	assert_line '-A INPUT -i lo -j ACCEPT'
	refute_line --partial '[3:300]'
}

@test "fixpoint: an iptables-save file of a NAT gateway" {
	write_file gw.rules <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080
-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128
-A POSTROUTING -o eth0 -j MASQUERADE
-A POSTROUTING -o ppp0 -p tcp -j MASQUERADE --to-ports 61000-65095
-A POSTROUTING -s 10.1.0.0/16 -o eth0 -j SNAT --to-source 1.2.3.4
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ext-in - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A INPUT -s 10.0.0.0/16 -p tcp -m tcp --sport 1024:65535 --dport 22 --syn -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type echo-request -j ACCEPT
-A INPUT -p tcp -m multiport --dports 21,80,443,6000:6063 -j REJECT --reject-with tcp-reset
-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG --log-prefix "IN-drop: "
-A INPUT ! -s 192.168.0.0/16 -i eth0 -f -j DROP
-A INPUT ! -p tcp -j ext-in
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -s 192.168.1.0/24 -i eth1 -o eth0 -j ACCEPT
-A FORWARD -d 0.0.0.255/0.0.0.255 -j DROP
-A ext-in -m comment --comment "user \"chain\" #1" -j RETURN
COMMIT
RULES
	fixpoint "$TMP/gw.rules" --dialect iptables
	fixpoint "$TMP/gw.rules" --dialect iptables -c
	fixpoint "$TMP/gw.rules" --dialect iptables --iptables
}

@test "fixpoint: iptables command lines in odd spellings" {
	write_file cmds.rules <<'RULES'
-t nat -A POSTROUTING -s 192.168.1/24 -o eth0 -j MASQUERADE
-A INPUT -p TCP --dport www -j ACCEPT
-A INPUT -p 17 --sport :1023 -j DROP
-A INPUT --proto tcp --dport 1024: -m state --state NEW,INVALID -j LOG --log-level info
-N user
-A user -m mark --mark 0x1/0xff -j MARK --set-mark 2
-I INPUT 2 -j user
-A FORWARD -s 1.1.1.1,2.2.2.2 -j DROP
RULES
	fixpoint "$TMP/cmds.rules" --dialect iptables
}

@test "fixpoint: a 2.0/2.2 script with helpers and timeouts" {
	write_file legacy.rules <<'RULES'
ipfwadm -F -p deny
ipfwadm -F -a m -S 192.168.0.0/24 -D 0.0.0.0/0
ipfwadm -I -a accept -S 0/0 67 -D 0/0 68 -W eth0 -P udp
ipfwadm -F -a accept -b -P tcp -S 0.0.0.0/0 1024:65535 -D 192.1.2.10 25
ipfwadm -A out -i -S 192.1.2.0/24 -D 0.0.0.0/0
ipfwadm -M -s 7200 10 60
ipchains -A input -p tcp ! -y -j ACCEPT
ipchains -A input -d 127.0.0.0/8 ! -i lo -j REJECT -l
ipchains -A forward -p tcp -s 10.0.0.0/8 -d 0.0.0.255/0.0.0.255 137:139 -j REJECT
ipchains -N PUB_IN
ipchains -A input -i ppp0 -j PUB_IN
ipchains -A input -p tcp -d 1.2.3.4 80 -j REDIRECT 3128
ipchains -I input -p tcp -y -d 1.2.3.4/32 80 -m 1
modprobe ip_masq_ftp ports=21,2121
insmod ip_masq_irc
RULES
	fixpoint "$TMP/legacy.rules"
	fixpoint "$TMP/legacy.rules" -c
}

@test "fixpoint: ip6tables" {
	write_file v6.rules <<'RULES'
-A INPUT -s 2001:db8::1/64 -p ipv6-icmp -j ACCEPT
-A INPUT -d ::1 -j ACCEPT
-A FORWARD -s 2001:db8::/ffff:ffff:: -j DROP
RULES
	fixpoint "$TMP/v6.rules" --dialect ip6tables
}

@test "save --iptables matches iptables-save after iptables-restore" {
	command -v iptables-legacy-restore >/dev/null || skip "iptables-legacy not installed"
	unshare -n true 2>/dev/null || skip "cannot create a network namespace"
	write_file ipt.rules <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport www -j DNAT --to 192.168.1.10:8080
-A POSTROUTING -s 192.168.1.7/24 -o ppp0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --syn --dport 22 -m state --state NEW,ESTABLISHED -j ACCEPT
-A INPUT -p icmp --icmp-type echo-request -j ACCEPT
-A INPUT -m limit -j LOG --log-level info --log-prefix "FW: "
-A FORWARD -d 0.0.0.255/0.0.0.255 -j REJECT
COMMIT
RULES
	# the reference: restore into a private namespace, save back
	run unshare -n sh -c "iptables-legacy-restore < '$TMP/ipt.rules' && iptables-legacy-save"
	assert_success
	printf '%s\n' "$output" | grep -v '^#' > "$TMP/want"
	run --separate-stderr mr save --iptables --dialect iptables -f "$TMP/ipt.rules"
	assert_success
	printf '%s\n' "$output" > "$TMP/got"
	# the same blocks, line for line; the order of tables is not significant
	mkdir "$TMP/w" "$TMP/g"
	awk -v d="$TMP/w" '/^\*/ { f = d "/" substr($0, 2) } f { print > f }' "$TMP/want"
	awk -v d="$TMP/g" '/^\*/ { f = d "/" substr($0, 2) } f { print > f }' "$TMP/got"
	[ -s "$TMP/w/nat" ] && [ -s "$TMP/w/filter" ]
	run diff -ru "$TMP/w" "$TMP/g"
	assert_success
}
