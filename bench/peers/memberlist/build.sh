#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/peers/memberlist/build.sh OUT: build memberlist-peer into OUT from
# Debian's Go sources only: GOPATH mode (GO111MODULE=off) over
# /usr/share/gocode, GOPROXY=off and GOFLAGS=-mod= unset, so nothing is
# downloaded. Needs golang-go and golang-github-hashicorp-memberlist-dev
# (scripts/install-deps.sh --bench). GOCACHE defaults to OUT's directory.
# Exit 0 and OUT built, or 1 with the reason on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
if ! command -v go >/dev/null; then
	echo "build.sh: no 'go' (Debian package golang-go)" >&2
	exit 1
fi
src=/usr/share/gocode/src/github.com/hashicorp/memberlist
if [ ! -d "$src" ]; then
	echo "build.sh: $src missing (Debian package" \
		"golang-github-hashicorp-memberlist-dev)" >&2
	exit 1
fi
cd "$here"
export GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH=/usr/share/gocode
export GOCACHE=${GOCACHE:-$(dirname "$out")/go-cache}
go build -o "$out" .
