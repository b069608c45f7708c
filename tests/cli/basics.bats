# SPDX-License-Identifier: GPL-2.0-or-later
# masqrule's own options: help, version, unknown subcommands and dialects.

load helpers

@test "--help prints the usage on stdout and exits 0" {
	run --separate-stderr mr --help
	assert_success
	assert_line --index 0 --partial 'usage: masqrule'
	assert_line --partial 'masqrule translate [--dialect NAME]'
	assert_line --partial 'masqrule save'
	assert_line --partial 'masqrule check'
	assert_equal "$stderr" ''
}

@test "help as a word works like --help" {
	run --separate-stderr mr help
	assert_success
	assert_line --index 0 --partial 'usage: masqrule'
}

@test "--version prints the version and exits 0" {
	run --separate-stderr mr --version
	assert_success
	assert_output --regexp '^masqrule [0-9]+\.[0-9]+\.[0-9]+$'
	assert_equal "$stderr" ''
}

@test "no arguments: usage on stderr, exit 2" {
	run --separate-stderr mr
	assert_failure 2
	assert_output ''
	[[ "$stderr" == usage:* ]]
}

@test "an unknown subcommand is a bad native command: exit 2 with a caret" {
	run --separate-stderr mr frobnicate
	assert_failure 2
	assert_output ''
	assert_equal "${stderr_lines[0]}" "<cmdline>:1:1: error: Bad argument \`frobnicate'"
	assert_equal "${stderr_lines[1]}" "frobnicate"
	assert_equal "${stderr_lines[2]}" "^~~~~~~~~~"
	# and at most a hint where to find help
	[ "${#stderr_lines[@]}" -le 4 ]
	[[ "${#stderr_lines[@]}" -eq 3 || "${stderr_lines[3]}" == *--help* ]]
}

@test "an unknown dialect is refused before anything runs: exit 2" {
	run --separate-stderr mr translate --dialect klingon -- -L
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "masqrule: unknown dialect \`klingon'"

	run --separate-stderr mr --dialect=klingon -L
	assert_failure 2
	assert_equal "$stderr" "masqrule: unknown dialect \`klingon'"
}

@test "every dialect named in the usage is known" {
	local d
	for d in masqrule iptables ip6tables ipchains ipfwadm ipmasqadm ipportfw modprobe; do
		run --separate-stderr mr check --dialect "$d" -f /dev/null
		assert_success
		assert_equal "$stderr" ''
	done
}

@test "check needs input: usage, exit 2" {
	# (save without input reads the kernel: tests/apply/apply.sh)
	run --separate-stderr mr check
	assert_failure 2
	[[ "$stderr" == usage:* ]]
}

@test "a file that cannot be read: message naming it, exit 1" {
	run --separate-stderr mr save -f "$TMP/missing.rules"
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" "$TMP/missing.rules: No such file or directory"
	run --separate-stderr mr translate -f "$TMP/missing.rules"
	assert_failure 1
	run --separate-stderr mr check -f "$TMP/missing.rules"
	assert_failure 1
}

@test "input from stdin with -f -" {
	run --separate-stderr bash -c "printf '%s\n' '-t nat -A POSTROUTING -o eth0 -j MASQUERADE' | '$MASQRULE' save --dialect iptables -f -"
	assert_success
	assert_output --partial '-A POSTROUTING -o eth0 -j MASQUERADE'
}

@test "errors in stdin input are located at <stdin>" {
	run --separate-stderr bash -c "printf '%s\n' '-A INPUT --bogus' | '$MASQRULE' check --dialect iptables -f -"
	assert_failure 2
	[[ "$stderr" == "<stdin>:1:10: error: unknown option \"--bogus\""* ]]
}
