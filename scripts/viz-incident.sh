#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real-cluster incident for rumor-viz: N real agents on 127.0.0.1 (free
# ports) with --trace, one SIGKILLed, the others stopped with SIGTERM
# (they leave). Only the members' own logs are written: no ground truth,
# as after a real incident.
#
#   scripts/viz-incident.sh OUTDIR [N=5] [KILL_AFTER_S=2] [RUN_AFTER_S=4]
#
# RUMOR_BIN names the rumor binary (default build/bin/rumor). OUTDIR gets
# member-0.jsonl ... member-(N-1).jsonl; member 2 is killed.
set -euo pipefail
out=${1:?usage: viz-incident.sh OUTDIR [N] [KILL_AFTER_S] [RUN_AFTER_S]}
n=${2:-5}
kill_after=${3:-2}
run_after=${4:-4}
bin=${RUMOR_BIN:-build/bin/rumor}
mkdir -p "$out"
rm -f "$out"/member-*.jsonl
state=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$state"
}
trap cleanup EXIT

start() { # index, extra args...
	local i=$1
	shift
	"$bin" agent --bind 127.0.0.1:0 --log "$out/member-$i.jsonl" --trace \
		--quiet --state-dir "$state" --control "$state/$i.sock" "$@" \
		2>"$state/$i.err" &
	pids+=($!)
}
# the port an agent reported in its start line
port_of() {
	local f=$out/member-$1.jsonl
	for _ in $(seq 100); do
		if [ -s "$f" ]; then
			sed -n '1s/.*"node":"127\.0\.0\.1:\([0-9]*\)#.*/\1/p' "$f"
			return
		fi
		sleep 0.1
	done
	echo "viz-incident.sh: agent $1 did not start" >&2
	exit 1
}
start 0
seed=$(port_of 0)
for i in $(seq 1 $((n - 1))); do start "$i" --join "127.0.0.1:$seed"; done
for i in $(seq 1 $((n - 1))); do port_of "$i" >/dev/null; done
sleep "$kill_after"
kill -KILL "${pids[2]}"
sleep "$run_after"
for i in "${!pids[@]}"; do
	[ "$i" = 2 ] || kill -TERM "${pids[$i]}"
done
wait 2>/dev/null || true
pids=()
