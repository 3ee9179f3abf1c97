#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/test.sh [BUILD_DIR] [CMAKE_ARGS...]: build, then run every test
# under ctest. A skipped test (exit 77) is shown as skipped, with its reason.
# RUMOR_CTEST_ARGS adds ctest arguments (make test-asan: -LE slow).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
scripts/build.sh "$@"
cd "$build"
# shellcheck disable=SC2086 # word splitting of the extra arguments is meant
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" --timeout 600 \
	${RUMOR_CTEST_ARGS:-}
