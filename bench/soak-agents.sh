#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Load soak of real agents on loopback (issue 6): N agents (default 64) at a
# receive drop rate (default 10%) for M minutes (default 10), then:
#
#   - false failures: `fail` lines in any agent's log (nothing is crashed,
#     so every one is false), and suspicions (refuted or not);
#   - each agent's RSS after warm-up and at the end (KiB), and its open
#     descriptors (/proc/PID/fd) at both times;
#   - CPU per agent and bytes sent per agent per second (from `stats`).
#
# usage: bench/soak-agents.sh [--agents N] [--minutes M] [--drop P]
#          [--base-port P] [--out DIR] [--key-file F] [--warmup S]
# Ports P..P+N-1 (default 21000, below the ephemeral range). Results in
# DIR (default bench/out/soak-agents-DATE): agent logs, samples.csv,
# summary.txt. Every agent is killed on any exit (trap), by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."

agents=64 minutes=10 drop=0.1 base=21000 warmup=30 key=""
out="bench/out/soak-agents-$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
	case "$1" in
	--agents) agents=$2; shift ;;
	--minutes) minutes=$2; shift ;;
	--drop) drop=$2; shift ;;
	--base-port) base=$2; shift ;;
	--out) out=$2; shift ;;
	--key-file) key=$2; shift ;;
	--warmup) warmup=$2; shift ;;
	-h | --help) sed -n '2,17p' "$0"; exit 0 ;;
	*) echo "soak-agents.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
	esac
	shift
done
rumor=${RUMOR:-build/bin/rumor}
[ -x "$rumor" ] || { echo "soak-agents.sh: $rumor not built (make)" >&2; exit 1; }
mkdir -p "$out/state"
chmod 700 "$out/state"

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

keyargs=()
[ -n "$key" ] && keyargs=(--key-file "$key")
start_agent() { # index
	local i=$1 port=$((base + $1)) join=()
	[ "$i" -gt 0 ] && join=(--join "127.0.0.1:$base")
	"$rumor" agent --bind "127.0.0.1:$port" "${join[@]}" --quiet \
		--drop-rate "$drop" --log "$out/a$i.jsonl" \
		--control "$out/a$i.sock" --state-dir "$out/state" "${keyargs[@]}" \
		2>"$out/a$i.stderr" &
	pids[$i]=$!
}

echo "starting $agents agents on 127.0.0.1:$base.. at ${drop} receive drop"
for ((i = 0; i < agents; i++)); do
	start_agent "$i"
	[ "$i" -eq 0 ] && sleep 0.3
done

alive_at() { # index -> number of alive entries it lists
	"$rumor" members --json --control "$out/a$1.sock" 2>/dev/null |
		grep -c '"status":"alive"' || true
}
t0=$(date +%s)
for ((i = 0; i < agents; i++)); do
	until [ "$(alive_at "$i")" -eq "$agents" ]; do
		if [ $(($(date +%s) - t0)) -gt 120 ]; then
			echo "not converged after 120 s (a$i lists $(alive_at "$i"))" >&2
			exit 1
		fi
		sleep 0.5
	done
done
echo "converged in $(($(date +%s) - t0)) s; warm-up ${warmup} s"
sleep "$warmup"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
sample() { # label
	for ((i = 0; i < agents; i++)); do
		echo "$1,$(($(date +%s) - t0)),a$i,$(rss "${pids[$i]}"),$(fds "${pids[$i]}")"
	done >>"$out/samples.csv"
}
echo "label,seconds,agent,rss_kib,fds" >"$out/samples.csv"
sample start
for ((m = 1; m <= minutes; m++)); do
	sleep 60
	for ((i = 0; i < agents; i++)); do
		kill -0 "${pids[$i]}" 2>/dev/null || { echo "a$i died" >&2; exit 1; }
	done
	sample "min$m"
	echo "  minute $m: fail lines so far $(cat "$out"/a*.jsonl | grep -c '"ev":"fail"' || true)"
done
for ((i = 0; i < agents; i++)); do
	"$rumor" members --stats --control "$out/a$i.sock" >"$out/a$i.stats.json"
done

# stop (leave) everyone, then summarise
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()

fails=$(cat "$out"/a*.jsonl | grep '"ev":"fail"' | grep -vc '"ev":"fail".*"via":"superseded"' || true)
suspects=$(cat "$out"/a*.jsonl | grep -c '"ev":"suspect"' || true)
summary() {
	echo "agents $agents, receive drop $drop, $minutes min after ${warmup} s warm-up"
	echo "false failures (fail lines): $fails; suspicions: $suspects"
	awk -F, '$1=="start"{s[$3]=$4; f[$3]=$5} $1!="start" && $1!="label"{e[$3]=$4; g[$3]=$5}
	END {
		for (a in s) {
			n++; d = e[a] - s[a]; if (d > dmax) dmax = d; if (d < dmin || n == 1) dmin = d
			if (s[a] > smax) smax = s[a]; if (e[a] > emax) emax = e[a]
			ss += s[a]; es += e[a]; if (f[a] != g[a]) fdchg++
		}
		printf "RSS KiB start mean %.0f max %d; end mean %.0f max %d; change per agent %d..%d\n", ss/n, smax, es/n, emax, dmin, dmax
		printf "agents whose fd count changed: %d (of %d)\n", fdchg, n
	}' "$out/samples.csv"
	cat "$out"/a*.stats.json | python3 -c '
import json, sys
s = [json.loads(l) for l in sys.stdin if l.strip()]
up = sum(x["uptime_ms"] for x in s) / len(s) / 1000
cpu = sum(x["cpu_user_ms"] + x["cpu_sys_ms"] for x in s) / len(s) / 1000
b = sum(x["bytes_sent"] for x in s) / len(s) / up
print("per agent: %.1f%% of a core, %.0f B/s sent, %.1f datagrams/s" % (100 * cpu / up, b,
      sum(x["datagrams_sent"] for x in s) / len(s) / up))' 2>/dev/null || true
}
summary | tee "$out/summary.txt"
[ "$fails" -eq 0 ]
