#!/bin/sh
# SPDX-License-Identifier: MIT
# SIGHUP reopens the log (logrotate), stderr lines carry a level and
# --log-level filters them (issue 13). Usage: test_sighup.sh RUMOR_BIN.
set -u
R=$1
D=$(mktemp -d /tmp/rumor-sighup-XXXXXX)
BASE=$((20000 + ($$ + 29) % 20000))
pids=""
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$D/0.err"; exit 1; }
wait_for() { # file pattern
	for _ in $(seq 1 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

"$R" agent --bind 127.0.0.1:$BASE --control "$D/0.sock" --state-dir "$D" \
	--log "$D/a.jsonl" 2>"$D/0.err" &
a=$!
pids="$pids $a"
wait_for "$D/a.jsonl" '"ev":"joined"' || fail "no joined line"
mv "$D/a.jsonl" "$D/a.jsonl.1" # as logrotate does
kill -HUP $a
wait_for "$D/0.err" "SIGHUP: log $D/a.jsonl reopened" || fail "no reopen said"
"$R" agent --bind 127.0.0.1:$((BASE + 1)) --join 127.0.0.1:$BASE \
	--control "$D/1.sock" --state-dir "$D" --log-level warn \
	2>"$D/1.err" &
pids="$pids $!"
wait_for "$D/a.jsonl" '"ev":"join"' || fail "the new file got no join line"
grep -q '"ev":"join"' "$D/a.jsonl.1" && fail "the rotated file still written"
kill -0 $a || fail "SIGHUP killed the agent"
"$R" members --control "$D/0.sock" >/dev/null || fail "agent not answering"
# levels: info lines say "info" after the clock
grep -Eq '^[0-9:.]+ info  join +127\.0\.0\.1' "$D/0.err" ||
	fail "no leveled event line"
grep -Eq '^[0-9:.]+ info  SIGHUP' "$D/0.err" || fail "no leveled say line"
# --log-level warn: no event lines
sleep 0.5
grep -q " info  join" "$D/1.err" && fail "--log-level warn printed info"
"$R" agent --bind 127.0.0.1:$((BASE + 9)) --log-level loud 2>"$D/bad.err" &&
	fail "bad level accepted"
grep -q -- "--log-level 'loud': not error, warn, info or debug" "$D/bad.err" ||
	fail "bad level message"
kill -TERM $a
wait $a || fail "agent did not exit 0 after SIGTERM"
grep -q '"ev":"stop"' "$D/a.jsonl" || fail "stop not in the new file"
echo PASS
