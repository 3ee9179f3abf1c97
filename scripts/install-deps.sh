#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages rumor builds and tests with. Idempotent: when
# everything is present it prints nothing and exits 0. Needs root (or sudo)
# only when something is missing.
#
#   scripts/install-deps.sh          core, agent, simulator, tests
#   scripts/install-deps.sh --viz    also what the SDL3 build and rumor-viz need
#   scripts/install-deps.sh --bench  also gnuplot and Go (memberlist comparison)
#   scripts/install-deps.sh --promtool  also Debian's prometheus (96 MB), whose
#                                    promtool checks proc_metrics' scrape (CI)
set -euo pipefail

packages=(build-essential cmake pkg-config git libuv1-dev libmsgpack-dev
	libsodium-dev libcmocka-dev libjansson-dev uthash-dev libxxhash-dev iproute2
	libmicrohttpd-dev libinih-dev curl
	procps nftables
	clang faketime scdoc libsystemd-dev)
for arg in "$@"; do
	case "$arg" in
	--viz) packages+=(libpng-dev fonts-dejavu-core libfreetype-dev
		libx11-dev libxext-dev libxrandr-dev libxcursor-dev libxi-dev
		libxss-dev libxtst-dev libxfixes-dev dpkg-dev libharfbuzz-dev xz-utils
		libgif-dev xvfb xauth) ;;
	--bench) packages+=(gnuplot-nox golang-go python3
		golang-github-hashicorp-memberlist-dev) ;;
	--promtool) packages+=(prometheus) ;;
	-h | --help)
		sed -n '2,11p' "$0"
		exit 0
		;;
	*)
		echo "install-deps.sh: unknown option '$arg' (try --help)" >&2
		exit 2
		;;
	esac
done

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "install-deps.sh: need root to install: ${missing[*]}" >&2
		exit 1
	}
	sudo="sudo"
fi
echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
