#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cli/control_raw.sh RUMOR: control commands typed by hand without
# their argument say what is missing (they said "unknown command
# 'force-leave'" or "unknown setting 'drop-rate'"). Skips without python3.
set -u
rumor=$1
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
. "$(dirname "$0")/agent.sh"
start_agent --quiet
ask() {
	python3 - "$tmp/c.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().readline().strip())
PY
}
bad=0
expect() {
	local got
	got=$(ask "$1")
	if [ "$got" = "$2" ]; then
		echo "ok: '$1' -> $got"
	else
		echo "FAIL: '$1' -> '$got', want '$2'"
		bad=1
	fi
}
expect "force-leave" "error force-leave needs a member id (HOST:PORT#VERSION)"
expect "set" "error set needs a setting and a value (set drop-rate P, set deaf|mute on|off)"
expect "set drop-rate" "error set drop-rate needs a value (P in [0,1] or N%)"
expect "set mute" "error set mute needs a value (on or off)"
expect "tags set" "error tags set needs KEY=VALUE..."
expect "tags delete" "error tags delete needs KEY..."
exit $bad
