#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/join_not_rumor.sh RUMOR: --join to a TCP server that is not a
# rumor agent says what came back, instead of "connection timed out"
# although the connection was accepted (issue 17 item 12). Two servers on
# 127.0.0.1 (python3): one answers like a web server, one says nothing.
set -u
rumor=$1
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
pids=()
trap 'kill -KILL "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
python3 -c '
import socket, sys, time
def server(reply):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16); return s
web, quiet = server(1), server(0)
open(sys.argv[1], "w").write("%d %d" % (web.getsockname()[1], quiet.getsockname()[1]))
web.settimeout(0.05); quiet.settimeout(0.05); held = []
end = time.time() + 40
while time.time() < end:
    try:
        c, _ = web.accept(); c.sendall(b"HTTP/1.0 400 Bad request\r\n\r\n"); c.close()
    except socket.timeout: pass
    try:
        c, _ = quiet.accept(); held.append(c)
    except socket.timeout: pass
' "$tmp/ports" &
pids+=($!)
for i in $(seq 1 100); do
	[ -s "$tmp/ports" ] && break
	sleep 0.1
done
read -r web quiet <"$tmp/ports"
fails=0
for case in "web:$web:HTTP/1.0 400 Bad" "quiet:$quiet:nothing came back"; do
	name=${case%%:*}; rest=${case#*:}; port=${rest%%:*}; want=${rest#*:}
	"$rumor" agent --bind 127.0.0.1:0 --join "127.0.0.1:$port" \
		--state-dir "$tmp" --control "$tmp/$name.sock" 2>"$tmp/$name.err" &
	pids+=($!)
	for i in $(seq 1 100); do
		grep -q "join via" "$tmp/$name.err" && break
		sleep 0.1
	done
	line=$(grep -m1 "join via" "$tmp/$name.err")
	if [[ "$line" == *"connection was accepted"* && "$line" == *"$want"* ]]; then
		echo "ok: $name: $line"
	else
		echo "FAIL: $name: want 'connection was accepted' and '$want' in: $line"
		fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ]
