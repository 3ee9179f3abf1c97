#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/test_no_gnuplot.sh RUMOR: `make test` installs no --bench packages,
# so on a fresh machine bench_quick must skip (77) without gnuplot, not fail.
# Runs bench/run.sh --quick with a PATH holding the tools it needs but not
# gnuplot, and expects exit 77 and the reason.
set -u
here=$(cd "$(dirname "$0")" && pwd)
rumor=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
for t in bash dirname mkdir cat date python3 env sed; do
	p=$(command -v "$t") || { echo "SKIP: no $t" >&2; exit 77; }
	ln -s "$p" "$tmp/bin/$t"
done
timeout 120 env PATH="$tmp/bin" bash "$here/run.sh" --quick --rumor "$rumor" \
	--out "$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err" >&2
if [ "$rc" != 77 ]; then
	echo "FAIL: run.sh --quick without gnuplot exited $rc, expected 77" >&2
	exit 1
fi
grep -q "SKIP: no \(gnuplot\|go\)" "$tmp/err" || { echo "FAIL: no reason" >&2; exit 1; }
echo "ok: skipped with the reason"
