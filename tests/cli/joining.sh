#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/joining.sh RUMOR: an agent whose seed never answers is still
# joining; `rumor members` (table and --json) and `members --stats` say so
# instead of showing a plain alive member (issue 17 item 7). A real agent
# on 127.0.0.1:0 whose --join names a port nothing listens on.
set -u
rumor=$1
tmp=$(mktemp -d)
# a port nobody listens on: bind one, then close it
dead=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null) ||
	{ echo "SKIP: no python3 to find a free port"; exit 77; }
"$rumor" agent --bind 127.0.0.1:0 --join "127.0.0.1:$dead" --state-dir "$tmp" \
	--control "$tmp/c.sock" --quiet 2>"$tmp/agent.err" &
agent=$!
trap 'kill -KILL $agent 2>/dev/null; rm -rf "$tmp"' EXIT
for i in $(seq 1 100); do
	[ -S "$tmp/c.sock" ] && break
	sleep 0.1
done
fails=0
check() {
	if [[ "$2" != *"$3"* ]]; then
		echo "FAIL: $1: want '$3' in: $2"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}
check table "$("$rumor" members --control "$tmp/c.sock" 2>&1)" "joining"
check json "$("$rumor" members --json --control "$tmp/c.sock" 2>&1)" \
	'"joining":true'
check stats "$("$rumor" members --stats --control "$tmp/c.sock" 2>&1)" \
	'"joining":true'
[ "$fails" = 0 ]
