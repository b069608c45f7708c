# SPDX-License-Identifier: GPL-2.0-or-later
# argv[0] dispatch: masqrule answers as the tools it stands in for.
# Only commands that fail before anything is applied are run through
# the "run" names (iptables, ipchains ...), so no test touches a ruleset.

load helpers

setup()
{
	common_setup
	mkdir "$TMP/bin"
}

# link NAME: a symlink called NAME to the binary under test
link()
{
	ln -s "$MASQRULE" "$TMP/bin/$1"
}

@test "iptables-translate behaves as masqrule translate --dialect iptables" {
	link iptables-translate
	local args=(-t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE)

	run --separate-stderr mr translate --dialect iptables -- "${args[@]}"
	assert_success
	local want="$output"
	assert_equal "$want" "nft 'add rule ip nat POSTROUTING oifname \"eth0\" ip saddr 192.168.1.0/24 counter masquerade'"

	run --separate-stderr "$TMP/bin/iptables-translate" "${args[@]}"
	assert_success
	assert_output "$want"
	assert_equal "$stderr" ''
}

@test "iptables-translate found through PATH" {
	link iptables-translate
	run --separate-stderr env PATH="$TMP/bin:$PATH" iptables-translate -A INPUT -p tcp --dport 22 -j ACCEPT
	assert_success
	assert_output "nft 'add rule ip filter INPUT tcp dport 22 counter accept'"
}

@test "iptables-translate is iptables, not the native dialect: MASQ is a chain" {
	link iptables-translate
	run --separate-stderr "$TMP/bin/iptables-translate" -A forward -j MASQ
	assert_success
	assert_output "nft 'add rule ip filter forward counter jump MASQ'"
	# the same words in the native dialect mean 2.2 masquerading
	run --separate-stderr mr translate -- -A forward -j MASQ
	assert_success
	assert_output --partial 'masquerade'
	refute_output --partial 'jump MASQ'
}

@test "iptables-translate: errors say <cmdline> and exit 2" {
	link iptables-translate
	run --separate-stderr "$TMP/bin/iptables-translate" -A INPUT -s 1.2.3.999 -j ACCEPT
	assert_failure 2
	assert_output ''
	assert_equal "${stderr_lines[0]}" "<cmdline>:1:13: error: host/network \`1.2.3.999' not found"
	assert_equal "${stderr_lines[1]}" "-A INPUT -s 1.2.3.999 -j ACCEPT"
	assert_equal "${stderr_lines[2]}" "            ^~~~~~~~~"
}

@test "masqrule's own options are no options of iptables-translate" {
	link iptables-translate
	run --separate-stderr "$TMP/bin/iptables-translate" --dialect ipchains -A forward -j MASQ
	assert_failure 2
	[[ "${stderr_lines[0]}" == "<cmdline>:1:1: error: "* ]]
}

@test "ip6tables-translate gives ip6 rules" {
	link ip6tables-translate
	run --separate-stderr "$TMP/bin/ip6tables-translate" -A INPUT -s 2001:db8::1 -j DROP
	assert_success
	assert_output "nft 'add rule ip6 filter INPUT ip6 saddr 2001:db8::1 counter drop'"
	run --separate-stderr "$TMP/bin/ip6tables-translate" -A INPUT -s 10.0.0.1 -j DROP
	assert_failure 2
}

@test "ipchains name reads ipchains syntax and says how to get help" {
	link ipchains
	run --separate-stderr "$TMP/bin/ipchains" -A forward -s 300.1.1.1 -j MASQ
	assert_failure 2
	assert_output ''
	assert_equal "${stderr_lines[0]}" "<cmdline>:1:15: error: host/network \`300.1.1.1' not found"
	assert_equal "${stderr_lines[2]}" "              ^~~~~~~~~"
	[[ "$stderr" == *"ipchains -h"* ]]
}

@test "ipfwadm and iptables names read their own syntax" {
	link ipfwadm
	link iptables
	run --separate-stderr "$TMP/bin/ipfwadm" -F -a bogus
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "<cmdline>:1:7: error: invalid policy \"bogus\" specified"
	run --separate-stderr "$TMP/bin/iptables" -A INPUT --bogus
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "<cmdline>:1:10: error: unknown option \"--bogus\""
	# an ipchains-only option is unknown to iptables
	run --separate-stderr "$TMP/bin/iptables" -A INPUT -y
	assert_failure 2
}

@test "an unknown name behaves as masqrule" {
	link something-else
	run --separate-stderr "$TMP/bin/something-else" --version
	assert_success
	assert_output --regexp '^masqrule '
	run --separate-stderr "$TMP/bin/something-else" translate --dialect iptables -- -F
	assert_success
	assert_output "nft flush table ip filter"
}
