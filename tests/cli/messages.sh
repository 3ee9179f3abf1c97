#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/messages.sh RUMOR [RUMOR_VIZ]: bad input to every command is
# refused with the exit code and a message naming the flag, the value and
# the allowed range (issue 17 items 10-14). Each case:
#   expect CODE 'text the output must contain' COMMAND...
# No agent runs; nothing listens on the ports named.
set -u
rumor=$1
viz=${2:-}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {
	local want_rc=$1 want=$2 out rc
	shift 2
	out=$(timeout 60 "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want_rc" ] || [[ "$out" != *"$want"* ]]; then
		echo "FAIL: $*"
		echo "  exit $rc, want $want_rc; output: ${out:0:600}"
		echo "  wanted: $want"
		fails=$((fails + 1))
	else
		echo "ok: $* -> ${out%%$'\n'*}"
	fi
}

# item 10: rumor sim --nodes
expect 2 "--nodes: '100000' is out of range (allowed: 1..60000)" \
	"$rumor" sim --nodes 100000
expect 2 "--nodes: '0' is out of range (allowed: 1..60000)" \
	"$rumor" sim --nodes 0
# item 11
expect 2 "--bind 127.0.0.1:70000: port: '70000' is out of range (allowed: 0..65535)" \
	"$rumor" agent --bind 127.0.0.1:70000
expect 2 "--heartbeat-ms: '999999999999' is out of range (allowed: 10..60000)" \
	"$rumor" agent --bind 127.0.0.1:0 --heartbeat-ms 999999999999
expect 2 "--fanout: 'x' is not a whole number (allowed: 1..16)" \
	"$rumor" agent --bind 127.0.0.1:0 --fanout x
expect 2 "--count: '100000000' is out of range (allowed: 1..1000000)" \
	"$rumor" ping --count 100000000 127.0.0.1:1
expect 2 "drop-rate: '-1' is not a rate (allowed: 0..1 or 0%..100%)" \
	"$rumor" set drop-rate -1 --agent 127.0.0.1:1
expect 2 "--duration: '99999999h' is out of range (allowed: 1ms..1000000000s)" \
	"$rumor" sim --duration 99999999h
expect 2 "--nodes: '3' is out of range (allowed: 4..64)" \
	"$rumor" demo --nodes 3
expect 2 "--partition-grace: '-5' is not a duration such as 90s, 1.5s or 500ms (allowed: 0ms..24h)" \
	"$rumor" analyze --partition-grace -5 x.jsonl
# item 13: an action past the end
expect 2 "--crash: '1@100s' is at or after the end of the run (--duration 5s)" \
	"$rumor" sim --crash 1@100s --duration 5s
if [ -n "$viz" ]; then
	expect 2 "--at: '5x' is not a duration such as 90s, 1.5s or 500ms" \
		"$viz" --at 5x x.jsonl
	expect 2 "--quit-after: '0' is out of range (allowed: 1.." \
		"$viz" --quit-after 0 x.jsonl
fi
# item 12: messages that said something else
mkdir "$tmp/dir"
expect 2 "Is a directory (give the dbg.log file)" "$rumor" mp1-grade "$tmp/dir"
expect 2 "rumor analyze: unknown option '--bogus' (try --help)" \
	"$rumor" analyze --bogus x.jsonl
touch "$tmp/file"
expect 2 "--state-dir $tmp/file: not a directory" \
	"$rumor" agent --bind 127.0.0.1:0 --state-dir "$tmp/file"
# a wildcard id is a command-line error (exit 2, was 1 from the agent)
expect 2 "--bind 0.0.0.0:3999: give the address others reach this member at" \
	"$rumor" agent --bind 0.0.0.0:3999
expect 2 "--advertise 0.0.0.0:1: a wildcard address" \
	"$rumor" agent --bind 127.0.0.1:0 --advertise 0.0.0.0:1
expect 2 "--suspect-ms: out of range (--heartbeat-ms..3600000): it is 1000" \
	"$rumor" agent --bind 127.0.0.1:0 --heartbeat-ms 1.5s
# a directory given as --config was read as an empty file
expect 2 "--config $tmp/dir: not a regular file" \
	"$rumor" agent --config "$tmp/dir" --bind 127.0.0.1:0
port=$((20000 + RANDOM % 20000))
expect 124 "--join names only this agent's own address: starting a new group" \
	timeout 2 "$rumor" agent --bind "127.0.0.1:$port" \
	--join "127.0.0.1:$port" --state-dir "$tmp/dir" --control "$tmp/c.sock"
# item 4: a join across address families is refused
expect 2 "--join [::1]:3000 is IPv6 but --bind 127.0.0.1:0 is IPv4" \
	"$rumor" agent --bind 127.0.0.1:0 --join "[::1]:3000"
# item 13: timestamps out of range are refused with FILE:LINE
printf '{"ts":5,"node":"a","ev":"start"}\n{"ts":-1000,"node":"a","ev":"start"}\n' \
	>"$tmp/ts.jsonl"
expect 0 "ts.jsonl:2: \"ts\" -1000 is out of range (allowed: 0..253402300799999 ms" \
	"$rumor" analyze "$tmp/ts.jsonl"
# item 14: a random file: 20 bad lines shown, then a count, as analyze does
for i in $(seq 1 100); do echo "garbage line $i"; done >"$tmp/junk.jsonl"
echo '{"ts":5,"node":"a","ev":"start"}' >>"$tmp/junk.jsonl"
expect 0 "100 malformed lines skipped (the first 20 shown)" \
	"$rumor" analyze "$tmp/junk.jsonl"
if [ -n "$viz" ]; then
	expect 0 "rumor-viz: 100 malformed lines skipped (the first 20 shown)" \
		"$viz" --dump-state "$tmp/junk.jsonl"
	n=$("$viz" --dump-state "$tmp/junk.jsonl" 2>&1 >/dev/null |
		grep -c "junk.jsonl:")
	if [ "$n" != 20 ]; then
		echo "FAIL: rumor-viz printed $n bad lines, want 20"
		fails=$((fails + 1))
	fi
fi
[ "$fails" = 0 ] || { echo "$fails case(s) failed"; exit 1; }
