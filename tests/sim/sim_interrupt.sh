#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/sim/sim_interrupt.sh RUMOR: `rumor sim` stopped by SIGTERM (or SIGINT) stops
# at the next virtual ms, says where, writes its log up to there (it lost
# its buffered lines: a small run's log was empty) and exits 1.
set -u
rumor=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$rumor" sim --nodes 50 --duration 24h --log "$tmp/x.jsonl" \
	>"$tmp/out" 2>"$tmp/err" &
sim=$!
sleep 1.5
kill -TERM "$sim"
wait "$sim"
rc=$?
cat "$tmp/err"
[ "$rc" = 1 ] || { echo "FAIL: exit $rc, want 1"; exit 1; }
grep -q "rumor sim: SIGTERM at [0-9]* ms of virtual time: stopping there" \
	"$tmp/err" || { echo "FAIL: not said"; exit 1; }
lines=$(wc -l <"$tmp/x.jsonl")
stops=$(grep -c '"ev":"stop"' "$tmp/x.jsonl")
echo "log: $lines lines, $stops stop lines"
[ "$lines" -gt 100 ] || { echo "FAIL: log has $lines lines"; exit 1; }
[ "$stops" = 50 ] || { echo "FAIL: $stops stop lines, want 50"; exit 1; }
tail -c 1 "$tmp/x.jsonl" | od -c | grep -q '\\n' ||
	{ echo "FAIL: the log ends inside a line"; exit 1; }
