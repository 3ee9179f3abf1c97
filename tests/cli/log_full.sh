#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/log_full.sh RUMOR: an agent whose --log cannot be written
# (/dev/full: ENOSPC on every line) says so, counts the lost lines and
# exits 1 as --help promises (issue 17 item 3; it exited 0).
set -u
rumor=$1
[ -w /dev/full ] || { echo "SKIP: no writable /dev/full"; exit 77; }
. "$(dirname "$0")/agent.sh"
start_agent --log /dev/full
sleep 0.3
kill -TERM "$agent"
wait "$agent"
rc=$?
cat "$tmp/agent.err"
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, want 1"; exit 1; }
grep -q "log /dev/full: [0-9]* lines lost" "$tmp/agent.err" ||
	{ echo "FAIL: no count of lost lines"; exit 1; }
echo ok
