#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job: install what is needed, build, and show the seed scenario's
# masquerade rule in all three historic syntaxes (and the native one)
# compiled to nftables.
set -eu
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
bash examples/seed-translate.sh build/cli/masqrule
