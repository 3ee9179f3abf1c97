#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/killed_mid_command.sh RUMOR: a client waiting for an agent that
# is SIGKILLed meanwhile says the agent closed the connection (killed or
# stopping?), not that the command is queued: nothing will carry it out.
set -u
rumor=$1
tmp=$(mktemp -d)
"$rumor" agent --bind 127.0.0.1:0 --state-dir "$tmp" --control "$tmp/c.sock" \
	--quiet 2>"$tmp/agent.err" &
agent=$!
trap 'kill -KILL $agent 2>/dev/null; rm -rf "$tmp"' EXIT
for i in $(seq 1 100); do
	[ -S "$tmp/c.sock" ] && break
	sleep 0.1
done
kill -STOP "$agent"
"$rumor" members --control "$tmp/c.sock" >"$tmp/out" 2>&1 &
client=$!
sleep 1
kill -KILL "$agent"
wait "$client"
rc=$?
out=$(cat "$tmp/out")
echo "members while the agent was killed: exit $rc: $out"
[ "$rc" != 0 ] || { echo "FAIL: exit 0"; exit 1; }
[[ "$out" == *"closed the connection without answering"* ]] ||
	{ echo "FAIL: not said that the agent closed the connection"; exit 1; }
[[ "$out" != *"queued"* ]] || { echo "FAIL: said queued"; exit 1; }
