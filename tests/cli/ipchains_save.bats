# SPDX-License-Identifier: GPL-2.0-or-later
# ipchains-save files (dialects.md 3.8): ":chain policy" lines, then the
# rules as ipchains arguments without the tool's name.  Read with
# --dialect ipchains, such a file is one block of the legacy table.

load helpers

write_savefile()
{
	write_file ipchains.save <<'RULES'
:input ACCEPT
:forward DENY
:output ACCEPT
:ppp-in -
-A input -s 0.0.0.0/0.0.0.0 -d 0.0.0.0/0.0.0.0 -i lo -j ACCEPT
-A input -s 0.0.0.0/0.0.0.0 -d 0.0.0.0/0.0.0.0 -i ppp0 -j ppp-in
-A forward -s 192.168.1.0/255.255.255.0 -d 0.0.0.0/0.0.0.0 -j MASQ
-A ppp-in -s 0.0.0.0/0.0.0.0 -d 0.0.0.0/0.0.0.0 22:22 -p 6 -y -j ACCEPT
-A ppp-in -s 0.0.0.0/0.0.0.0 53:53 -d 0.0.0.0/0.0.0.0 1024:65535 -p 17 -j ACCEPT
-A ppp-in -s 0.0.0.0/0.0.0.0 -d 0.0.0.0/0.0.0.0 -p ! 6 -j DENY -l
RULES
}

SAVED='*legacy
:input ACCEPT [0:0]
:forward DROP [0:0]
:output ACCEPT [0:0]
:accounting ACCEPT [0:0]
:ppp-in - [0:0]
-A input -i lo -j ACCEPT
-A input -i ppp0 -j ppp-in
-A forward -s 192.168.1.0/24 -j MASQUERADE
-A ppp-in -p tcp -m tcp --dport 22 --tcp-flags SYN,RST,ACK SYN -j ACCEPT
-A ppp-in -p udp -m udp --sport 53 --dport 1024:65535 -j ACCEPT
-A ppp-in ! -p tcp --log-packet -j DROP
COMMIT'

@test "save reads an ipchains-save file as a block of the legacy table" {
	write_savefile
	run --separate-stderr mr save -f "$TMP/ipchains.save" --dialect ipchains
	assert_success
	assert_equal "$stderr" ''
	assert_output "$SAVED"
	# and what save printed reads back to itself, in the native dialect
	printf '%s\n' "$output" > "$TMP/pass1"
	run --separate-stderr mr save -f "$TMP/pass1"
	assert_success
	assert_output "$SAVED"
}

@test "without --dialect ipchains a chain line needs a table block" {
	write_savefile
	run --separate-stderr mr check -f "$TMP/ipchains.save"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" \
		"$TMP/ipchains.save:1:1: error: chain line outside a table block"
}

@test "a tool word or a table header ends the ipchains-save block" {
	write_file mixed.rules <<'RULES'
:input DENY
-A input -s 0/0 -d 0/0 -i lo -j ACCEPT
modprobe ip_masq_ftp
-A input -s 0/0 -d 0/0 80 -p tcp -j ACCEPT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
RULES
	run --separate-stderr mr save --dialect ipchains -f "$TMP/mixed.rules"
	assert_success
	assert_equal "$stderr" ''
	assert_output '*legacy
:input DROP [0:0]
:forward ACCEPT [0:0]
:output ACCEPT [0:0]
:accounting ACCEPT [0:0]
-A input -i lo -j ACCEPT
-A input -p tcp -m tcp --dport 80 -j ACCEPT
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
modprobe ip_masq_ftp'
}

@test "check reports the mistakes of an ipchains-save file where they are" {
	write_file bad.save <<'RULES'
:input ACCEPT
:output FOO
-A input -s 0/0 -d 0/0 99999 -p 6 -j ACCEPT
-A output -j MASQ
RULES
	local f="$TMP/bad.save"
	run --separate-stderr mr check --dialect ipchains -f "$f"
	assert_failure 2
	assert_equal "$stderr" "$f:2:9: error: Bad policy name \`FOO'
:output FOO
        ^~~
$f:3:24: error: invalid port/service \`99999' specified
-A input -s 0/0 -d 0/0 99999 -p 6 -j ACCEPT
                       ^~~~~
$f:4:14: error: masquerading not allowed for input and output chains
-A output -j MASQ
             ^~~~"
}

@test "restore replaces the legacy table; --noflush appends to it" {
	unshare -n true 2>/dev/null || skip "cannot create a network namespace"
	write_savefile
	local f="$TMP/ipchains.save"
	# twice: the second restore replaces what the first installed
	run unshare -n sh -c "'$MASQRULE' restore -f '$f' --dialect ipchains &&
		'$MASQRULE' restore -f '$f' --dialect ipchains &&
		'$MASQRULE' save"
	assert_success
	assert_output "$SAVED"
	run unshare -n sh -c "'$MASQRULE' restore -f '$f' --dialect ipchains &&
		'$MASQRULE' --dialect ipchains restore --noflush -f '$f' &&
		'$MASQRULE' save"
	assert_success
	[ "$(printf '%s\n' "$output" | grep -c -- '-A input -i lo -j ACCEPT')" = 2 ]
}

@test "translate reads an ipchains-save file" {
	write_savefile
	run --separate-stderr mr translate --dialect ipchains -f "$TMP/ipchains.save"
	assert_success
	assert_equal "$stderr" ''
	assert_line --partial 'chain input {'
	assert_line --partial 'iifname "lo" counter accept'
	assert_line --partial 'chain in_ppp-in {'
}

@test "--dialect may follow a subcommand's own options" {
	unshare -n true 2>/dev/null || skip "cannot create a network namespace"
	write_savefile
	run --separate-stderr unshare -n "$MASQRULE" restore --test \
		-f "$TMP/ipchains.save" --dialect ipchains
	assert_success
	assert_equal "$stderr" ''
}
