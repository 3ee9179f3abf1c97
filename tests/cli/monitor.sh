#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/monitor.sh RUMOR: `rumor monitor` exits 0 after the agent's
# stop line (SIGTERM), 1 with a message when the agent is SIGKILLed
# (issue 17 item 8). Real agents on 127.0.0.1, ephemeral ports.
set -u
rumor=$1
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0

# run_case SIGNAL WANT_RC [--json]
run_case() {
	local sig=$1 want=$2 json=${3:-} d rc i
	d=$tmp/$sig$json
	mkdir "$d"
	"$rumor" agent --bind 127.0.0.1:0 --state-dir "$d" \
		--control "$d/c.sock" --quiet 2>"$d/agent.err" &
	local agent=$!
	pids+=("$agent")
	for i in $(seq 1 100); do
		[ -S "$d/c.sock" ] && break
		sleep 0.1
	done
	timeout 60 "$rumor" monitor $json --control "$d/c.sock" \
		>"$d/out" 2>"$d/err" &
	local mon=$!
	sleep 0.5
	kill "-$sig" "$agent"
	wait "$mon"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "FAIL: monitor $json after SIG$sig: exit $rc, want $want"
		cat "$d/out" "$d/err"
		fails=$((fails + 1))
	elif [ "$want" = 1 ] && ! grep -q "without stopping" "$d/err"; then
		echo "FAIL: monitor after SIG$sig: no message"
		fails=$((fails + 1))
	else
		echo "ok: monitor $json after SIG$sig exits $rc: $(cat "$d/err")"
	fi
}
run_case TERM 0
run_case TERM 0 --json
run_case KILL 1
run_case KILL 1 --json
[ "$fails" = 0 ]
