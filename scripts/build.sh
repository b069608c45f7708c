#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build masqrule: build/ (optimised) and build-asan/ (AddressSanitizer +
# UBSan, used by the test suites).  Usage: scripts/build.sh [asan]
set -eu
cd "$(dirname "$0")/.."

setup() {	# dir, meson options...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir" >/dev/null
}

setup build
if [ "${1:-}" = asan ]; then
	setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug
fi
