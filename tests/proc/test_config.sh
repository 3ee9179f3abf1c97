#!/bin/sh
# SPDX-License-Identifier: MIT
# --config FILE (libinih; flags override it) and --advertise with a
# wildcard --bind (issue 13). Usage: test_config.sh RUMOR_BIN.
set -u
R=$1
D=$(mktemp -d /tmp/rumor-config-XXXXXX)
BASE=$((20000 + ($$ + 41) % 20000))
pids=""
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$D"/*.err; exit 1; }

cat >"$D/a.ini" <<EOC
; the introducer
[agent]
bind = 127.0.0.1:$BASE
control = $D/0.sock
state-dir = $D
tag = role=web
quiet = yes
fanout = 99
EOC
# fanout 99 is out of range: the command line's --fanout overrides it
"$R" agent --config "$D/a.ini" --fanout 4 2>"$D/0.err" &
pids="$pids $!"
cat >"$D/b.ini" <<EOC
bind = 0.0.0.0:$((BASE + 1))
advertise = 127.0.0.1:$((BASE + 1))
join = 127.0.0.1:$BASE
control = $D/1.sock
state-dir = $D
tag = zone=a
EOC
sleep 0.3
"$R" agent --config="$D/b.ini" --tag role=db 2>"$D/1.err" &
pids="$pids $!"
for _ in $(seq 1 100); do
	"$R" members --control "$D/0.sock" --json 2>/dev/null >"$D/m.json"
	grep -q "\"member\":\"127.0.0.1:$((BASE + 1))#" "$D/m.json" && break
	sleep 0.05
done
grep -q "\"member\":\"127.0.0.1:$((BASE + 1))#[0-9]*\",\"status\":\"alive\"" \
	"$D/m.json" || fail "advertised member not listed: $(cat "$D/m.json")"
grep -q '"tags":{"role":"db","zone":"a"}' "$D/m.json" ||
	fail "config and flag tags not both there: $(cat "$D/m.json")"
"$R" members --control "$D/1.sock" --tag role=web --json | grep -q "127.0.0.1:$BASE#" ||
	fail "the introducer's config tag not seen"
# a DNS name in --join (resolved by the agent, again on each retry)
"$R" agent --bind 127.0.0.1:$((BASE + 2)) --join localhost:$BASE \
	--control "$D/2.sock" --state-dir "$D" --quiet 2>"$D/2.err" &
pids="$pids $!"
for _ in $(seq 1 100); do
	"$R" members --control "$D/2.sock" --status alive --json 2>/dev/null |
		grep -c '"member"' >"$D/n2"
	[ "$(cat "$D/n2")" = 3 ] && break
	sleep 0.1
done
[ "$(cat "$D/n2")" = 3 ] || fail "--join localhost did not join"
"$R" agent --bind 127.0.0.1:$((BASE + 8)) --join no-such-host.invalid:1 \
	--state-dir "$D" --control "$D/8.sock" 2>"$D/dns.err" &&
	fail "an unresolvable name was accepted"
grep -q -- "--join no-such-host.invalid:1:" "$D/dns.err" ||
	fail "dns message: $(cat "$D/dns.err")"
# errors name the file and the key
printf 'bind = 127.0.0.1:1\nfanot = 3\n' >"$D/bad.ini"
"$R" agent --config "$D/bad.ini" 2>"$D/bad.err" && fail "bad key accepted"
grep -q -- "--config $D/bad.ini: unknown key 'fanot'" "$D/bad.err" ||
	fail "bad key message: $(cat "$D/bad.err")"
# a bad value in the file: the flag's message, then which file set it
printf 'bind = 127.0.0.1:1\nheartbeat-ms = banana\n' >"$D/bad3.ini"
"$R" agent --config "$D/bad3.ini" 2>"$D/bad.err" && fail "bad value accepted"
grep -q -- "(--heartbeat-ms is set in --config $D/bad3.ini)" "$D/bad.err" ||
	fail "bad value message: $(cat "$D/bad.err")"
printf 'bind = 127.0.0.1:1\nquiet = maybe\n' >"$D/bad2.ini"
"$R" agent --config "$D/bad2.ini" 2>"$D/bad.err" && fail "bad switch accepted"
grep -q "quiet = 'maybe': not true or false" "$D/bad.err" || fail "switch msg"
"$R" agent --config "$D/none.ini" 2>"$D/bad.err" && fail "missing file"
grep -q "cannot read it" "$D/bad.err" || fail "missing file message"
"$R" agent --bind 0.0.0.0:$((BASE + 7)) 2>"$D/bad.err" && fail "wildcard"
grep -q "or add --advertise" "$D/bad.err" || fail "wildcard message"
echo PASS
