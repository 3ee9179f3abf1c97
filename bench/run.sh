#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh [--quick] [--out DIR] [--rumor BIN] [--docs DIR] [--only sim|real]
# bench/run.sh --render-frontier DIR [--docs DIR]
#
# `make bench`: builds rumor (build-bench, -DRUMOR_VIZ=OFF) and the
# memberlist peer (Go, GOPATH mode, Debian packages only), runs
# bench/bench.py and writes docs/benchmarks.md and docs/bench-*.png.
# About 16 minutes on 2 cores. Installs what is missing through
# scripts/install-deps.sh --bench.
#
# --quick: the CI smoke run (under a minute): tiny sizes, report and plots
# into --out (default build-bench/bench-quick) only, never into docs/.
# It exits 77 (skip) when python3, go or gnuplot is missing, and runs
# rumor alone (saying so) when memberlist's sources are missing.
#
# --render-frontier DIR: run nothing; write docs/benchmarks.md's frontier
# section and docs/bench-frontier.png again from DIR/frontier.json and
# DIR/run.json (bench/results/frontier-*: a frontier run of its own).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0 out="" rumor="" docs="" only=() render=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--out) out=$2; shift ;;
	--rumor) rumor=$2; shift ;;
	--docs) docs=$2; shift ;;
	--only) only=(--only "$2"); shift ;;
	--render-frontier) render=$2; shift ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done

build=$root/build-bench
if [ -n "$render" ]; then
	out=${out:-$build/render-frontier}
	exec python3 "$root/bench/bench.py" --render-frontier "$render" \
		--out "$out" --docs "${docs:-$root/docs}"
fi
if [ "$quick" = 0 ]; then
	"$root/scripts/install-deps.sh" --bench
fi
if [ -z "$rumor" ]; then
	if [ ! -f "$build/CMakeCache.txt" ]; then
		cmake -S "$root" -B "$build" -DRUMOR_VIZ=OFF >/dev/null
	fi
	cmake --build "$build" -j2 --target rumor -- --no-print-directory >/dev/null
	rumor=$build/bin/rumor
fi
export PYTHONDONTWRITEBYTECODE=1
py=$(command -v python3 || true)
if [ -z "$py" ]; then
	echo "run.sh: SKIP: no python3 (Debian package python3)" >&2
	exit 77
fi
if [ "$quick" = 1 ]; then
	for t in go gnuplot; do
		if ! command -v $t >/dev/null; then
			echo "run.sh: SKIP: no $t (scripts/install-deps.sh --bench)" >&2
			exit 77
		fi
	done
fi
if [ "$quick" = 1 ]; then
	out=${out:-$build/bench-quick}
else
	out=${out:-$root/bench/out/$(date +%Y%m%d-%H%M%S)}
	docs=${docs:-$root/docs}
fi
mkdir -p "$out"
ml=()
if "$root/bench/peers/memberlist/build.sh" "$out/bin/memberlist-peer" \
	2>"$out/memberlist-build.log"; then
	ml=(--memberlist "$out/bin/memberlist-peer")
else
	cat "$out/memberlist-build.log" >&2
	if [ "$quick" = 0 ]; then
		echo "run.sh: the memberlist peer did not build (above)" >&2
		exit 1
	fi
	echo "run.sh: memberlist peer not built: rumor only" >&2
fi
args=(--rumor "$rumor" --out "$out" "${ml[@]}" "${only[@]}")
[ "$quick" = 1 ] && args+=(--quick)
[ -n "$docs" ] && args+=(--docs "$docs")
exec "$py" "$root/bench/bench.py" "${args[@]}"
