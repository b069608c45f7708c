#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job: install what is needed, build, show the seed scenario's
# masquerade rule in all three historic syntaxes (and the native one)
# compiled to nftables, then run the seed scenario for real: lan host
# 192.168.1.3 -> router -> remote 203.0.113.178:8888, in throwaway network
# namespaces, with the router's ruleset installed by masqrule's kernel
# backend, then again with masqrule's userspace engine as the router;
# the remote host reports the address and port it saw.
set -eu
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
bash examples/seed-translate.sh build/cli/masqrule
echo "### the seed scenario in network namespaces: kernel backend"
MASQRULE=build/cli/masqrule MRTEST=build/backend/mr-backend-test \
	bash tests/kernel/seed-masq.sh
echo "### the seed scenario in network namespaces: userspace engine"
bash tests/engine-live/seed.sh build/cli/masqrule
