#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/lib/test_version.sh RUMOR VERSION_H: `rumor --version` and `rumor
# version` print the release and wire versions of include/rumor/version.h.
set -euo pipefail
rumor=$1 header=$2
v=$(sed -n 's/^#define RUMOR_VERSION_STRING "\(.*\)"/\1/p' "$header")
w=$(sed -n 's/^#define RUMOR_WIRE_VERSION \([0-9]*\)/\1/p' "$header")
want="rumor $v (wire protocol version $w)"
for arg in --version version; do
	got=$("$rumor" "$arg")
	if [ "$got" != "$want" ]; then
		echo "rumor $arg: got '$got', want '$want'" >&2
		exit 1
	fi
done
echo "ok: $want"
