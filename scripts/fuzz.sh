#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) in
# build-fuzz/ and runs each one from the checked-in seed corpus.
#
#   scripts/fuzz.sh                 every target, 60 s each
#   scripts/fuzz.sh --ci            the same, as CI runs it (bounded; exit 1
#                                   on any crash, leak or timeout found)
#   scripts/fuzz.sh --time S [TARGET...]   S seconds each (targets:
#                                   datagram, stream)
#
# New inputs go to build-fuzz/corpus/TARGET (the seeds in tests/fuzz/corpus
# are only read); a crash leaves its input in build-fuzz/artifacts/ and is
# replayed with build-fuzz/bin/fuzz_TARGET FILE (or, without clang,
# build/bin/fuzz_replay_TARGET FILE). Add it to tests/fuzz/corpus/TARGET
# once fixed: the corpus ctests then guard against the regression.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=60
targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--ci) secs=60 ;;
	--time)
		secs=${2:?--time needs seconds}
		shift
		;;
	-h | --help)
		sed -n '2,16p' "$0"
		exit 0
		;;
	datagram | stream) targets+=("$1") ;;
	*)
		echo "fuzz.sh: unknown argument '$1' (try --help)" >&2
		exit 2
		;;
	esac
	shift
done
[ ${#targets[@]} -gt 0 ] || targets=(datagram stream)

cc=$(command -v clang || true)
if [ -z "$cc" ]; then
	echo "fuzz.sh: clang not found (scripts/install-deps.sh installs it)" >&2
	exit 1
fi
build=build-fuzz
mkdir -p "$build"
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g"
cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DRUMOR_FUZZ=ON -DRUMOR_VIZ=OFF -DRUMOR_WERROR=OFF \
	-DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
	>"$build/cmake.log" 2>&1 || {
	cat "$build/cmake.log" >&2
	exit 1
}
for t in "${targets[@]}"; do
	cmake --build "$build" -j2 --target "fuzz_$t" >"$build/build.log" 2>&1 || {
		tail -30 "$build/build.log" >&2
		exit 1
	}
done

mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
	work="$build/corpus/$t"
	mkdir -p "$work"
	echo "fuzz_$t: $secs s from $(ls tests/fuzz/corpus/$t | wc -l) seeds"
	# -rss_limit_mb: ASan's quarantine alone holds ~256 MB
	if ! "$build/bin/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=1024 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$t-" \
		"$work" "tests/fuzz/corpus/$t" >"$build/fuzz_$t.log" 2>&1; then
		echo "fuzz_$t: FAILED (log $build/fuzz_$t.log):" >&2
		grep -E "ERROR|SUMMARY|Test unit written" "$build/fuzz_$t.log" >&2 || tail -20 "$build/fuzz_$t.log" >&2
		status=1
		continue
	fi
	grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ *DONE" \
		"$build/fuzz_$t.log" | sed "s/^/fuzz_$t: /"
	echo "fuzz_$t: no crash; corpus now $(ls "$work" | wc -l) inputs"
done
exit $status
