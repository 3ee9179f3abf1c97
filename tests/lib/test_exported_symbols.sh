#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/lib/test_exported_symbols.sh LIBRUMOR_SO EXPECTED: the dynamic
# symbols librumor.so defines are exactly the list in EXPECTED (one per
# line, sorted), so an accidental export (a function without `static` or
# marked RUMOR_API by mistake) or a lost one fails here.
set -euo pipefail
lib=$1 expected=$2
got=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
if ! diff -u "$expected" <(printf '%s\n' "$got"); then
	echo "exported symbols of $lib differ from $expected (- expected," \
		"+ exported)" >&2
	exit 1
fi
echo "ok: $(printf '%s\n' "$got" | wc -l) exported symbols"
