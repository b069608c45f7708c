#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite: install, build (plain and ASan+UBSan), then run
# every suite against the sanitizer build.  Prints one summary line.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
bash scripts/setup.sh || exit 1
bash scripts/build.sh asan || exit 1

export MASQRULE=$top/build-asan/cli/masqrule
export TXLATE_DIR=${TXLATE_DIR:-$top/../shared/conformance/iptables-txlate}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0
failed=0
failed_names=""

suite() {	# name, command...
	local name=$1
	shift
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
	fi
}

# live namespace tests (suite engine-live) run once, in the sanitizer build
suite "unit (build)" meson test -C build --print-errorlogs --no-suite engine-live
suite "unit (asan)" meson test -C build-asan --print-errorlogs
suite golden bash tests/golden/run.sh
suite conformance /usr/bin/python3 tests/conformance/txlate.py
suite acceptance /usr/bin/python3 tests/conformance/tfiles.py
for f in tests/cli/*.bats; do
	[ -e "$f" ] && suite "cli $(basename "$f")" bats "$f"
done
suite "nft -f load" bash tests/lower/nft-load.sh
suite "legacy semantics, real packets" bash tests/lower/legacy-masq.sh
export MRTEST=$top/build-asan/backend/mr-backend-test
suite "kernel: install = nft -f" bash tests/kernel/install-equals-nft.sh
suite "kernel: atomic batches" bash tests/kernel/atomic.sh
suite "kernel: seed masquerade" bash tests/kernel/seed-masq.sh
suite "apply to the kernel" bash tests/apply/apply.sh
suite "listings from the kernel" bash tests/apply/list.sh
suite "kernel: concurrent CLI" bash tests/kernel/concurrent-cli.sh
suite "kernel: masquerade table" bash tests/kernel/masq-table.sh
suite "kernel: helpers through the CLI" bash tests/kernel/helpers-cli.sh
suite "e2e: kernel backend" bash tests/e2e/run.sh kernel
suite "e2e: engine backend" bash tests/e2e/run.sh engine
[ -x tests/fuzz/run.sh ] && suite fuzz bash tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"

echo
[ -n "$failed_names" ] && echo "failed suites:$failed_names"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
