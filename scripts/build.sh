#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/build.sh [BUILD_DIR] [CMAKE_ARGS...]: install missing Debian
# packages, build SDL3 for rumor-viz once (scripts/build-sdl3.sh: ~75 s the
# first time, then nothing), configure (once) and build.
# RUMOR_NO_VIZ=1 skips SDL3 and rumor-viz; a failed SDL3 build only warns:
# everything but rumor-viz still builds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
if [ "${RUMOR_NO_VIZ:-0}" = 1 ]; then
	scripts/install-deps.sh
	set -- -DRUMOR_VIZ=OFF "$@"
else
	scripts/install-deps.sh --viz
	if ! RUMOR_SKIP_DEPS=1 scripts/build-sdl3.sh >/dev/null; then
		echo "build.sh: SDL3 could not be built; rumor-viz is skipped" \
			"(see scripts/build-sdl3.sh)" >&2
	fi
fi
if [ ! -f "$build/CMakeCache.txt" ] || [ $# -gt 0 ]; then
	cmake -S . -B "$build" "$@" >/dev/null
fi
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" -- --no-print-directory
