# SPDX-License-Identifier: MIT
# tests/cli/agent.sh, sourced by the tests in tests/cli (with $rumor set):
# start_agent [FLAGS...] starts "$rumor" agent on 127.0.0.1:0 with its
# state and control socket (c.sock) in a new directory $tmp, stderr in
# $tmp/agent.err, and FLAGS; sets $agent; waits up to 10 s for the socket;
# at exit kills the agent (a stopped one too) and the pids in $hold, and
# removes $tmp.
hold=""
start_agent() {
	tmp=$(mktemp -d)
	"$rumor" agent --bind 127.0.0.1:0 --state-dir "$tmp" \
		--control "$tmp/c.sock" "$@" 2>"$tmp/agent.err" &
	agent=$!
	trap 'kill -CONT $agent 2>/dev/null; kill -KILL $agent $hold 2>/dev/null; rm -rf "$tmp"' EXIT
	for _ in $(seq 1 100); do
		[ -S "$tmp/c.sock" ] && break
		sleep 0.1
	done
}
