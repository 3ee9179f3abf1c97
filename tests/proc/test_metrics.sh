#!/bin/sh
# SPDX-License-Identifier: MIT
# Prometheus metrics with real agents (issue 13): a curl scrape of
# /metrics shows the members by status after a SIGKILL, the suspicion-to-
# failure histogram counts it, and `promtool check metrics` accepts the
# text when promtool is installed. Usage: test_metrics.sh RUMOR_BIN.
set -u
R=$1
command -v curl >/dev/null || { echo "SKIP: no curl"; exit 77; }
D=$(mktemp -d /tmp/rumor-metrics-XXXXXX)
BASE=$((20000 + ($$ + 13) % 20000))
M=$((BASE + 50))
pids=""
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -5 "$D/0.err"; exit 1; }
scrape() { curl -sf "http://127.0.0.1:$M/metrics" >"$D/m.txt"; }

"$R" agent --bind 127.0.0.1:$BASE --control "$D/0.sock" --state-dir "$D" \
	--metrics-bind 127.0.0.1:$M 2>"$D/0.err" &
pids="$pids $!"
sleep 0.3
for i in 1 2 3; do
	"$R" agent --bind 127.0.0.1:$((BASE + i)) --join 127.0.0.1:$BASE \
		--control "$D/$i.sock" --state-dir "$D" --quiet 2>/dev/null &
	pids="$pids $!"
	victim=$!
done
for _ in $(seq 1 100); do
	scrape && grep -q '^rumor_members{status="alive"} 4$' "$D/m.txt" && break
	sleep 0.1
done
grep -q '^rumor_members{status="alive"} 4$' "$D/m.txt" ||
	fail "4 alive not shown: $(grep rumor_members "$D/m.txt")"
kill -9 "$victim"
for _ in $(seq 1 150); do
	scrape && grep -q '^rumor_members{status="failed"} 1$' "$D/m.txt" && break
	sleep 0.1
done
grep -q '^rumor_members{status="alive"} 3$' "$D/m.txt" || fail "3 alive"
grep -q '^rumor_members{status="failed"} 1$' "$D/m.txt" || fail "1 failed"
grep -q '^rumor_suspicion_to_failure_seconds_count 1$' "$D/m.txt" ||
	fail "histogram: $(grep suspicion_to "$D/m.txt")"
grep -q '^rumor_messages_sent_total{kind="heartbeat"} [1-9]' "$D/m.txt" ||
	fail "no heartbeats counted"
grep -q '^# TYPE rumor_bytes_received_total counter$' "$D/m.txt" ||
	fail "no TYPE line"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$M/x")" = 404 ] ||
	fail "unknown path is not 404"
if command -v promtool >/dev/null; then
	promtool check metrics <"$D/m.txt" || fail "promtool check metrics"
	echo "promtool check metrics: ok"
else
	echo "promtool not installed: format check skipped"
fi
# a port in use is an error naming the flag
"$R" agent --bind 127.0.0.1:$((BASE + 9)) --state-dir "$D" \
	--control "$D/9.sock" --metrics-bind 127.0.0.1:$M 2>"$D/busy.err" &&
	fail "a busy metrics port was accepted"
grep -q -- "--metrics-bind 127.0.0.1:$M: cannot listen" "$D/busy.err" ||
	fail "busy message: $(cat "$D/busy.err")"
echo PASS
