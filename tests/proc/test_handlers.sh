#!/bin/sh
# SPDX-License-Identifier: MIT
# Event handlers with real agents (issue 13): a handler script records the
# failure of a SIGKILLed agent (with RUMOR_EVENT, RUMOR_SELF and the
# member's line on stdin); a handler past its timeout is killed and said,
# and gossip goes on meanwhile. Usage: test_handlers.sh RUMOR_BIN.
set -u
R=$1
D=$(mktemp -d /tmp/rumor-handlers-XXXXXX)
BASE=$((20000 + ($$ + 7) % 20000))
pids=""
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -20 "$D/0.err"; exit 1; }
cat >"$D/h.sh" <<'EOS'
#!/bin/sh
while read -r line; do
	echo "$RUMOR_EVENT $RUMOR_SELF $line" >>"$(dirname "$0")/events.txt"
done
echo "handled $RUMOR_EVENT"
exit 3
EOS
chmod +x "$D/h.sh"

"$R" agent --bind 127.0.0.1:$BASE --control "$D/0.sock" --state-dir "$D" \
	--log "$D/0.jsonl" --quiet --handler-timeout-ms 500 \
	--event-handler "member-join,member-failed=$D/h.sh" \
	--event-handler "member-suspect=sleep 30.$$" 2>"$D/0.err" &
pids="$pids $!"
sleep 0.3
for i in 1 2 3; do
	"$R" agent --bind 127.0.0.1:$((BASE + i)) --join 127.0.0.1:$BASE \
		--control "$D/$i.sock" --state-dir "$D" --quiet --tag role=web \
		2>/dev/null &
	pids="$pids $!"
	victim=$!
done
for _ in $(seq 1 200); do
	[ "$(grep -c member-join "$D/events.txt" 2>/dev/null)" = 3 ] && break
	sleep 0.05
done
[ "$(grep -c member-join "$D/events.txt")" = 3 ] || fail "no 3 joins"
kill -9 "$victim"
t0=$(date +%s%N)
for _ in $(seq 1 300); do
	grep -q member-failed "$D/events.txt" 2>/dev/null && break
	sleep 0.05
done
ms=$((($(date +%s%N) - t0) / 1000000))
grep -q member-failed "$D/events.txt" || fail "the failure was not recorded"
echo "handler recorded the failure $ms ms after SIGKILL"
grep -q "^member-failed 127.0.0.1:$BASE#[0-9]* 127.0.0.1:$((BASE + 3))#[0-9]* 127.0.0.1:$((BASE + 3)) failed role=web$" \
	"$D/events.txt" || fail "bad line: $(grep member-failed "$D/events.txt")"
grep -q "(member-failed): exit 3 in [0-9]* ms; output: handled member-failed" \
	"$D/0.err" || fail "exit status and output not said"
grep -q "'sleep 30.$$' (member-suspect): killed after 500 ms (timeout)" \
	"$D/0.err" || fail "the timeout was not enforced"
# what the handler started dies with it (its process group is killed)
sleep 0.3
pgrep -f "^sleep 30[.]$$" >/dev/null &&
	fail "the timed-out handler's child lives on: $(pgrep -af "^sleep 30[.]$$")"
# gossip went on: the survivors are still listed alive
[ "$("$R" members --control "$D/0.sock" --status alive --json |
	grep -c '"member"')" = 3 ] || fail "survivors not alive"
# fast handlers queued back to back (the joins at start): a run that ends
# within a millisecond once freed itself before its output pipe closed and
# libuv aborted the agent (uv__finish_close assertion) in 5 of 6 tries
fast=""
for i in 4 5 6 7 8; do
	"$R" agent --bind 127.0.0.1:$((BASE + i)) --join 127.0.0.1:$BASE \
		--control "$D/$i.sock" --state-dir "$D" \
		--event-handler 'echo hi' --event-handler 'exit 127' \
		2>"$D/$i.err" &
	pids="$pids $!"
	fast="$fast $!"
done
sleep 3
for p in $fast; do
	kill -0 "$p" 2>/dev/null || fail "an agent with fast handlers died: $(grep -h -i "assert\|abort" "$D"/[4-8].err | head -3)"
done
runs=$(cat "$D"/[4-8].err | grep -c "event handler 'echo hi' (member-join): exit 0")
[ "$runs" -ge 15 ] || fail "only $runs fast handler runs said"
echo "fast handlers: $runs runs of 'echo hi', all 5 agents alive"
# a bad event name is a usage error naming the flag
"$R" agent --bind 127.0.0.1:$((BASE + 9)) --event-handler "member-jion=x" \
	2>"$D/bad.err" && fail "bad event accepted"
grep -q -- "--event-handler 'member-jion=x': not \[EVENTS=\]CMD" "$D/bad.err" ||
	fail "bad event message: $(cat "$D/bad.err")"
echo PASS
