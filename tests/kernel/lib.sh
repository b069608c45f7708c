# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by tests/kernel/*.sh: the test driver, throwaway namespaces, and
# a skip (exit 77) where root, nft or namespaces are missing.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
MRTEST=${MRTEST:-$top/build/backend/mr-backend-test}
NAMESPACES=()

kt_cleanup() {
	local ns
	for ns in "${NAMESPACES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "${tmp:-}" ] && rm -rf "$tmp"
}
trap kt_cleanup EXIT

kt_need() {
	if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null ||
	   [ ! -x "$MRTEST" ]; then
		echo "$(basename "$0"): needs root, nft and $MRTEST: skipped"
		exit 77
	fi
	tmp=$(mktemp -d)
}

# kt_ns NAME: a new namespace mr-$$-NAME, its name in $REPLY
kt_ns() {
	REPLY=mr-$$-$1
	ip netns add "$REPLY" || { echo "cannot create namespace: skipped"; exit 77; }
	NAMESPACES+=("$REPLY")
	ip -n "$REPLY" link set lo up
}

kt_in() {	# kt_in NS cmd...
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}
