# SPDX-License-Identifier: GPL-2.0-or-later
# masqrule translate: nft text, exit codes, error locations with carets.

load helpers

@test "translate iptables: a filter rule" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -p tcp --dport 22 -j ACCEPT
	assert_success
	assert_output "nft 'add rule ip filter INPUT tcp dport 22 counter accept'"
	assert_equal "$stderr" ''
}

@test "translate iptables: nat rules" {
	run --separate-stderr mr translate --dialect iptables -- -t nat -A POSTROUTING -o eth0 -j MASQUERADE
	assert_success
	assert_output "nft 'add rule ip nat POSTROUTING oifname \"eth0\" counter masquerade'"

	run --separate-stderr mr translate --dialect iptables -- -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080
	assert_success
	assert_output "nft 'add rule ip nat PREROUTING iifname \"eth0\" tcp dport 80 counter dnat to 192.168.1.10:8080'"
}

@test "translate iptables: option spellings give the same text" {
	local want="nft 'add rule ip filter INPUT ip saddr 10.0.0.0/8 tcp dport 22 counter accept'"

	run mr translate --dialect iptables -- -A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT
	assert_success
	assert_output "$want"
	run mr translate --dialect iptables -- --append=INPUT --source 10.0.0.7/8 --proto tcp --dport=22 --jump ACCEPT
	assert_success
	assert_output "$want"
	run mr translate --dialect iptables -- -AINPUT -s10/8 -ptcp --dport ssh -jACCEPT
	assert_success
	assert_output "$want"
}

@test "translate iptables: negation before the option and before the argument" {
	run mr translate --dialect iptables -- -A INPUT ! -s 10.0.0.0/8 -j DROP
	assert_success
	assert_output "nft 'add rule ip filter INPUT ip saddr != 10.0.0.0/8 counter drop'"
	run mr translate --dialect iptables -- -A INPUT -s ! 10.0.0.0/8 -j DROP
	assert_success
	assert_output "nft 'add rule ip filter INPUT ip saddr != 10.0.0.0/8 counter drop'"
}

@test "translate iptables: an address list gives one rule per address" {
	run mr translate --dialect iptables -- -A FORWARD -s 1.2.3.4,5.6.7.8 -j DROP
	assert_success
	assert_output "nft 'add rule ip filter FORWARD ip saddr 1.2.3.4 counter drop'
nft 'add rule ip filter FORWARD ip saddr 5.6.7.8 counter drop'"
}

@test "translate ip6tables family" {
	run mr translate --dialect ip6tables -- -A INPUT -s 2001:db8::/32 -j ACCEPT
	assert_success
	assert_output "nft 'add rule ip6 filter INPUT ip6 saddr 2001:db8::/32 counter accept'"
}

@test "translate: the output matches iptables-translate where it is installed" {
	command -v iptables-translate >/dev/null || skip "iptables-translate not installed"
	local l want
	while IFS= read -r l; do
		want="$(iptables-translate $l)"
		run --separate-stderr mr translate --dialect iptables -- $l
		assert_success
		assert_output "$want"
	done <<'CMDS'
-A INPUT -p tcp --dport 22 -j ACCEPT
-t nat -A POSTROUTING -o eth0 -j MASQUERADE
-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
-A INPUT ! -s 10.0.0.0/8 -j DROP
-N foo
-A INPUT -p udp -m multiport --dports 53,67:68 -j ACCEPT
-I INPUT 2 -i lo -j ACCEPT
-A INPUT -p icmp --icmp-type echo-request -j ACCEPT
-F INPUT
-t nat -A POSTROUTING -s 192.168.1.0/24 -o ppp0 -p tcp -j MASQUERADE --to-ports 1024-65535
-t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 3128
-A INPUT -p tcp --syn -j DROP
-A FORWARD -i eth1+ -o eth0 -j ACCEPT
CMDS
}

# ------------------------------------------------------------------
# errors: <cmdline>:1:COL, the line, a caret under the bad word

@test "bad address: located at the address, exit 2" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -s 1.2.3.999 -j ACCEPT
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "<cmdline>:1:13: error: host/network \`1.2.3.999' not found
-A INPUT -s 1.2.3.999 -j ACCEPT
            ^~~~~~~~~"
}

@test "unknown option: caret over the whole option word" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT --bogus -j ACCEPT
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:10: error: unknown option \"--bogus\"
-A INPUT --bogus -j ACCEPT
         ^~~~~~~"
}

@test "invalid letter in a cluster: caret under that letter" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -fq
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:12: error: invalid option -- 'q'
-A INPUT -fq
           ^"
}

@test "missing argument: caret under the option" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -j
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:11: error: option \"-j\" requires an argument
-A INPUT -j
          ^"
}

@test "bad port: caret under the port" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -p tcp --dport 99999 -j DROP
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:25: error: invalid port/service \`99999' specified
-A INPUT -p tcp --dport 99999 -j DROP
                        ^~~~~"
}

@test "a word with spaces is shown quoted and the caret follows the quoting" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -s "1.2.3.4 x" -j ACCEPT
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:13: error: host/network \`1.2.3.4 x' not found
-A INPUT -s \"1.2.3.4 x\" -j ACCEPT
            ^~~~~~~~~~~"
}

@test "several '!' flags" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT ! ! -s 1.2.3.4 -j DROP
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:12: error: Multiple \`!' flags not allowed
-A INPUT ! ! -s 1.2.3.4 -j DROP
           ^"
}

@test "an empty interface name is refused, as iptables does" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -i "" -j ACCEPT
	assert_failure 2
	assert_output ''
	[[ "${stderr_lines[0]}" == "<cmdline>:1:13: error: "* ]]
}

@test "a target in the wrong table" {
	run --separate-stderr mr translate --dialect iptables -- -A INPUT -j MASQUERADE
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "<cmdline>:1:13: error: MASQUERADE target: only valid in nat table, not filter
-A INPUT -j MASQUERADE
            ^~~~~~~~~~"
}

@test "an unknown chain in a rule-by-rule command is no error (iptables-translate)" {
	run mr translate --dialect iptables -- -A MYCHAIN -j ACCEPT
	assert_success
	assert_output "nft 'add rule ip filter MYCHAIN counter accept'"
}

# ------------------------------------------------------------------
# files

@test "translate -f: iptables-restore-translate's script form" {
	write_file nat.rules <<'RULES'
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
RULES
	run --separate-stderr mr translate --dialect iptables -f "$TMP/nat.rules"
	assert_success
	assert_output 'add table ip nat
add chain ip nat POSTROUTING { type nat hook postrouting priority 100; policy accept; }
add rule ip nat POSTROUTING oifname "eth0" counter masquerade'
}

@test "translate -f: a block without COMMIT is an error at the table line" {
	write_file open.rules <<'RULES'
*nat
-A POSTROUTING -o eth0 -j MASQUERADE
RULES
	run --separate-stderr mr translate --dialect iptables -f "$TMP/open.rules"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "$TMP/open.rules:1:1: error: COMMIT expected for table \"nat\" started here
*nat
^~~~"
}

@test "translate -f: every bad line is reported, whatever kind of error" {
	write_file bad.rules <<'RULES'
ipchains -A forward -s 192.168.1.0/24 -j MASQ
ipchains -A forward -s 10.0.0.0/8 -j NOSUCH
ipchains -A input -s 1.2.3.4 -j DENY -q
RULES
	run --separate-stderr mr translate -f "$TMP/bad.rules"
	assert_failure
	assert_output ''
	[[ "$stderr" == *"bad.rules:2:38: error: Couldn't load target"* ]]
	[[ "$stderr" == *"bad.rules:3:39: error: invalid option -- 'q'"* ]]
}

# ------------------------------------------------------------------
# the native dialect: iptables syntax with the 2.2 chains and targets

@test "native forward MASQUERADE and ipchains MASQ translate to the same nft text" {
	run --separate-stderr mr translate -- -A forward -s 192.168.1.0/24 -j MASQUERADE
	assert_success
	local native="$output"
	[[ "$native" == *masquerade* ]]
	[[ "$native" == *"192.168.1.0/24"* ]]

	run --separate-stderr mr translate --dialect ipchains -- -A forward -s 192.168.1.0/24 -j MASQ
	assert_success
	assert_output "$native"
}

@test "native MASQ spelling is MASQUERADE" {
	run mr translate -- -A forward -s 192.168.1.0/24 -j MASQUERADE
	assert_success
	local want="$output"
	run mr translate -- -A forward -s 192.168.1.0/24 -j MASQ
	assert_success
	assert_output "$want"
}

@test "native: a DENY policy and a MASQ rule from ipchains and from ipfwadm agree" {
	write_file chains.rules <<'RULES'
ipchains -P forward DENY
ipchains -A forward -s 192.168.1.0/24 -j MASQ
RULES
	write_file native.rules <<'RULES'
-P forward DENY
-A forward -s 192.168.1.0/24 -j MASQUERADE
RULES
	write_file fwadm.rules <<'RULES'
ipfwadm -F -p deny
ipfwadm -F -a m -S 192.168.1.0/24 -D 0.0.0.0/0
RULES
	run --separate-stderr mr translate -f "$TMP/chains.rules"
	assert_success
	local want="$output"
	[[ "$want" == *"policy drop"* ]]
	run --separate-stderr mr translate -f "$TMP/native.rules"
	assert_success
	assert_output "$want"
	run --separate-stderr mr translate -f "$TMP/fwadm.rules"
	assert_success
	assert_output "$want"
}

@test "ipchains errors are located too" {
	run --separate-stderr mr translate --dialect ipchains -- -A forward -s 300.1.1.1 -j MASQ
	assert_failure 2
	assert_equal "$stderr" "<cmdline>:1:15: error: host/network \`300.1.1.1' not found
-A forward -s 300.1.1.1 -j MASQ
              ^~~~~~~~~"
}
