#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/leave_stopped.sh RUMOR: `rumor leave` to a stopped agent
# (SIGSTOP) fails after its 5 s, and says the command is queued, which is
# what happens: after SIGCONT the agent leaves (issue 17 item 5; it said
# only "no answer to 'leave'").
set -u
rumor=$1
. "$(dirname "$0")/agent.sh"
start_agent --quiet
kill -STOP "$agent"
out=$("$rumor" leave --control "$tmp/c.sock" 2>&1)
rc=$?
echo "leave while stopped: exit $rc: $out"
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, want 1"; exit 1; }
[[ "$out" == *"the command is queued"* ]] || { echo "FAIL: not said queued"; exit 1; }
kill -CONT "$agent"
for i in $(seq 1 100); do
	kill -0 "$agent" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$agent" 2>/dev/null; then
	echo "FAIL: the queued leave did not happen within 10 s of SIGCONT"
	exit 1
fi
wait "$agent"
echo "after SIGCONT the agent left and exited $?, as the message said"
