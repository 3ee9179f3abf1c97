#!/usr/bin/env bash
# scripts/build.sh [BUILD_DIR] [CMAKE_ARGS...]: install missing Debian
# packages, configure (once) and build. Builds rumor-viz too when SDL3 has
# been built by scripts/build-sdl3.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
scripts/install-deps.sh
if [ ! -f "$build/CMakeCache.txt" ] || [ $# -gt 0 ]; then
	cmake -S . -B "$build" "$@" >/dev/null
fi
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" -- --no-print-directory
