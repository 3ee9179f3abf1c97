#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds SDL3 3.2.10 and SDL3_ttf 3.2.2 (for rumor-viz) from Debian 13's
# source packages into a prefix outside the work tree, so every clone on the
# machine reuses it. Idempotent: when the prefix already holds both libraries
# it prints the prefix and exits 0.
#
#   scripts/build-sdl3.sh            build if missing, print the prefix
#   scripts/build-sdl3.sh --force    rebuild even when present
#
# Environment:
#   RUMOR_SDL3_PREFIX   install prefix   (default ~/.cache/rumor/sdl3)
#   RUMOR_CACHE_DIR     downloads, apt state and build trees
#                                        (default $XDG_CACHE_HOME/rumor or ~/.cache/rumor)
#   RUMOR_SKIP_DEPS=1   do not run scripts/install-deps.sh --viz first
#   JOBS                parallel build jobs (default 2)
#
# The sources come from `apt-get source` with a private apt configuration: its
# own sources.list (one trixie deb-src line), lists, cache and state under
# $RUMOR_CACHE_DIR/apt. The system's apt sources are neither read nor changed
# and the download needs no root. apt checks the .dsc and tarballs against the
# trixie Sources index, whose InRelease is verified with the system's
# debian-archive-keyring (it carries the trixie keys), so nothing is
# downloaded unauthenticated. dpkg-source then only warns that it cannot
# verify the uploader's signature on the .dsc (the Debian developers' keyring
# is not installed); that check is redundant with apt's and not disabled.
set -euo pipefail

SDL3_VERSION=3.2.10+ds-1
SDL3_TTF_VERSION=3.2.2+ds-1
MIRROR=${RUMOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
JOBS=${JOBS:-2}

here=$(cd "$(dirname "$0")" && pwd)
cache=${RUMOR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rumor}
prefix=${RUMOR_SDL3_PREFIX:-$cache/sdl3}
stamp="$prefix/.rumor-sdl3-stamp"
want_stamp="libsdl3 $SDL3_VERSION libsdl3-ttf $SDL3_TTF_VERSION"

force=0
for arg in "$@"; do
	case "$arg" in
	--force) force=1 ;;
	-h | --help)
		sed -n '2,25p' "$0"
		exit 0
		;;
	*)
		echo "build-sdl3.sh: unknown option '$arg' (try --help)" >&2
		exit 2
		;;
	esac
done

log() { echo "build-sdl3.sh: $*" >&2; }

installed() {
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ] &&
		[ -e "$prefix/lib/libSDL3.so" ] &&
		[ -e "$prefix/lib/libSDL3_ttf.so" ] &&
		[ -f "$prefix/lib/cmake/SDL3/SDL3Config.cmake" ] &&
		[ -f "$prefix/lib/cmake/SDL3_ttf/SDL3_ttfConfig.cmake" ]
}

if [ $force -eq 0 ] && installed; then
	echo "$prefix"
	exit 0
fi

if [ "${RUMOR_SKIP_DEPS:-0}" != 1 ]; then
	"$here/install-deps.sh" --viz || {
		log "missing build dependencies; run scripts/install-deps.sh --viz as root"
		exit 1
	}
fi
for tool in apt-get dpkg-source cmake pkg-config cc flock; do
	command -v "$tool" >/dev/null || {
		log "'$tool' not found; run scripts/install-deps.sh --viz"
		exit 1
	}
done

mkdir -p "$cache" "$prefix"
# One build at a time per cache (two clones, or CI beside a developer).
exec 9>"$cache/.build-sdl3.lock"
flock 9
if [ $force -eq 0 ] && installed; then
	echo "$prefix"
	exit 0
fi

start=$(date +%s)

# ---- download with a private apt configuration ----
apt="$cache/apt"
mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" \
	"$apt/lists/partial" "$apt/cache/archives/partial" "$apt/state"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" \
	>"$apt/etc/sources.list"
apt_opts=(
	-o "Dir::Etc::SourceList=$apt/etc/sources.list"
	-o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
	-o "Dir::Etc::Preferences=$apt/etc/preferences"
	-o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
	-o "Dir::State=$apt/state"
	-o "Dir::State::Lists=$apt/lists"
	-o "Dir::State::status=/var/lib/dpkg/status"
	-o "Dir::Cache=$apt/cache"
)
# As root apt drops to the _apt user for downloads, which cannot write into
# a private directory under root's home; keep the download as the caller.
[ "$(id -u)" -eq 0 ] && apt_opts+=(-o "APT::Sandbox::User=root")
export DEBIAN_FRONTEND=noninteractive

src="$cache/src"
mkdir -p "$src"
if [ ! -f "$src/libsdl3_$SDL3_VERSION.dsc" ] ||
	[ ! -f "$src/libsdl3-ttf_$SDL3_TTF_VERSION.dsc" ]; then
	log "fetching trixie source index"
	apt-get -q "${apt_opts[@]}" update >"$cache/apt-update.log" 2>&1 || {
		cat "$cache/apt-update.log" >&2
		log "apt-get update (private trixie deb-src) failed"
		exit 1
	}
	log "downloading libsdl3 $SDL3_VERSION and libsdl3-ttf $SDL3_TTF_VERSION"
	(cd "$src" && apt-get -q "${apt_opts[@]}" source --download-only \
		"libsdl3=$SDL3_VERSION" "libsdl3-ttf=$SDL3_TTF_VERSION") \
		>"$cache/apt-source.log" 2>&1 || {
		cat "$cache/apt-source.log" >&2
		log "apt-get source failed"
		exit 1
	}
fi

# ---- unpack (fresh each time: a half-extracted tree must not survive) ----
work="$cache/build"
logs="$cache/logs"
rm -rf "$work"
mkdir -p "$work" "$logs"
for dsc in "libsdl3_$SDL3_VERSION.dsc" "libsdl3-ttf_$SDL3_TTF_VERSION.dsc"; do
	dpkg-source -x "$src/$dsc" "$work/${dsc%%_*}" >"$work/${dsc%%_*}.unpack.log" 2>&1 || {
		cat "$work/${dsc%%_*}.unpack.log" >&2
		log "dpkg-source -x $dsc failed"
		exit 1
	}
done

# ---- SDL3: minimal, X11 + offscreen + dummy video, no audio/camera/GPU ----
# The joystick subsystem stays on: SDL 3.2.10 fails to link without it.
log "building SDL3 (log: $logs/sdl3.log)"
rm -f "$stamp"
{
	cmake -S "$work/libsdl3" -B "$work/libsdl3/_build" -G "Unix Makefiles" \
		-DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
		-DSDL_SHARED=ON -DSDL_STATIC=OFF -DSDL_TEST_LIBRARY=OFF \
		-DSDL_TESTS=OFF -DSDL_EXAMPLES=OFF -DSDL_INSTALL_DOCS=OFF \
		-DSDL_AUDIO=OFF -DSDL_CAMERA=OFF -DSDL_GPU=OFF -DSDL_VULKAN=OFF \
		-DSDL_RENDER_VULKAN=OFF -DSDL_RENDER_GPU=OFF \
		-DSDL_WAYLAND=OFF -DSDL_KMSDRM=OFF -DSDL_X11=ON \
		-DSDL_OFFSCREEN=ON -DSDL_DUMMYVIDEO=ON -DSDL_JOYSTICK=ON \
		-DSDL_HIDAPI_LIBUSB=OFF -DSDL_IBUS=OFF -DSDL_DBUS=OFF
	cmake --build "$work/libsdl3/_build" -j "$JOBS"
	cmake --install "$work/libsdl3/_build"
} >"$logs/sdl3.log" 2>&1 || {
	tail -40 "$logs/sdl3.log" >&2
	log "SDL3 build failed (full log: $logs/sdl3.log)"
	exit 1
}

# ---- SDL3_ttf against it: system freetype + harfbuzz, no SVG emoji ----
log "building SDL3_ttf (log: $logs/sdl3-ttf.log)"
{
	cmake -S "$work/libsdl3-ttf" -B "$work/libsdl3-ttf/_build" -G "Unix Makefiles" \
		-DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_PREFIX_PATH="$prefix" \
		-DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
		-DCMAKE_INSTALL_RPATH="$prefix/lib" \
		-DBUILD_SHARED_LIBS=ON -DSDLTTF_VENDORED=OFF \
		-DSDLTTF_HARFBUZZ=ON -DSDLTTF_PLUTOSVG=OFF -DSDLTTF_SAMPLES=OFF \
		-DSDLTTF_STRICT=ON
	cmake --build "$work/libsdl3-ttf/_build" -j "$JOBS"
	cmake --install "$work/libsdl3-ttf/_build"
} >"$logs/sdl3-ttf.log" 2>&1 || {
	tail -40 "$logs/sdl3-ttf.log" >&2
	log "SDL3_ttf build failed (full log: $logs/sdl3-ttf.log)"
	exit 1
}

echo "$want_stamp" >"$stamp"
rm -rf "$work"
log "done in $(($(date +%s) - start)) s"
echo "$prefix"
