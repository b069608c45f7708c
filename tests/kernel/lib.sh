# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by tests/kernel/*.sh: tests/lib/topo.sh (namespaces, the test
# network, checks, probes) and the backend's test driver.
. "$(dirname "$0")/../lib/topo.sh"
MRTEST=${MRTEST:-$top/build/backend/mr-backend-test}

# kt_need [TOOL...]: root, nft, the test driver and the TOOLs, or skip
kt_need() { topo_need nft "$MRTEST" "$@"; }
