# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup of the masqrule CLI tests (bats-core, bats-support, bats-assert).
#
# MASQRULE names the binary under test (default: the build tree's).

bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

MASQRULE="$(realpath "${MASQRULE:-$BATS_TEST_DIRNAME/../../build/cli/masqrule}")"

# A fresh directory per test, removed afterwards.
common_setup()
{
	if [ ! -x "$MASQRULE" ]; then
		echo "masqrule binary not found: $MASQRULE (set MASQRULE)" >&2
		return 1
	fi
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/mr-cli.XXXXXX")"
}

common_teardown()
{
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
}

setup()
{
	common_setup
}

teardown()
{
	common_teardown
}

mr()
{
	"$MASQRULE" "$@"
}

# write_file NAME: stdin becomes $TMP/NAME
write_file()
{
	cat > "$TMP/$1"
}
