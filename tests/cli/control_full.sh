#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/control_full.sh RUMOR: with more idle clients on the control
# socket than it serves (64), `rumor members` says "too many clients"
# (it said "no answer to 'members'"), and once they have been idle 5 s a
# new client gets their place (issue 17 item 6). A real agent.
set -u
rumor=$1
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
. "$(dirname "$0")/agent.sh"
start_agent --quiet
# 70 clients that connect and say nothing, held for 30 s
python3 -c '
import socket, sys, time
s = []
for i in range(70):
    c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); s.append(c)
open(sys.argv[2], "w").write("ready")
time.sleep(30)' "$tmp/c.sock" "$tmp/ready" &
hold=$!
for i in $(seq 1 100); do
	[ -f "$tmp/ready" ] && break
	sleep 0.1
done
out=$("$rumor" members --control "$tmp/c.sock" 2>&1)
echo "with 70 fresh idle clients: $out"
[[ "$out" == *"too many clients"* ]] || { echo "FAIL: no 'too many clients'"; exit 1; }
sleep 6
out=$("$rumor" members --control "$tmp/c.sock" 2>&1) ||
	{ echo "FAIL: after 6 s idle: $out"; exit 1; }
echo "after they were idle 6 s: $out"
