#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/killed_mid_command.sh RUMOR: a client waiting for an agent that
# is SIGKILLed meanwhile says the agent closed the connection (killed or
# stopping?), not that the command is queued: nothing will carry it out.
set -u
rumor=$1
. "$(dirname "$0")/agent.sh"
start_agent --quiet
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
