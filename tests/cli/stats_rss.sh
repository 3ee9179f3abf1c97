#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/stats_rss.sh RUMOR: `rumor members --stats` never shows rss_kib
# above max_rss_kib, and max_rss_kib never goes down (issue 17 item 9: an
# idle agent showed 2860 vs 2756). A real agent on 127.0.0.1:0.
set -u
rumor=$1
. "$(dirname "$0")/agent.sh"
start_agent --quiet
prev=0
for i in 1 2 3 4 5; do
	out=$("$rumor" members --stats --json --control "$tmp/c.sock") || {
		echo "FAIL: members --stats: $out"
		exit 1
	}
	rss=$(echo "$out" | grep -o '"rss_kib": *[0-9]*' | grep -o '[0-9]*$')
	max=$(echo "$out" | grep -o '"max_rss_kib": *[0-9]*' | grep -o '[0-9]*$')
	echo "rss_kib $rss max_rss_kib $max"
	if [ -z "$rss" ] || [ -z "$max" ] || [ "$rss" -gt "$max" ] ||
		[ "$max" -lt "$prev" ]; then
		echo "FAIL: rss_kib $rss, max_rss_kib $max (before: $prev)"
		exit 1
	fi
	prev=$max
	sleep 0.2
done
