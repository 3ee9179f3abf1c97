#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/lib/test_install.sh SOURCE_DIR BUILD_DIR: install into a temporary
# prefix, then, from the installed tree only:
#  - build examples/ with `pkg-config --cflags --libs rumor` and with
#    find_package(rumor) (CMake), and run them: two_in_one converges;
#    watch_web joins real `rumor agent` processes and lists the one tagged
#    role=web (started with the installed etc/rumor/agent.ini), not the
#    untagged one;
#  - `rumor --version` runs; the man pages, unit, pc and CMake files exist;
#  - rumor-viz (when built) resolves SDL3 inside the prefix for a user whose
#    HOME has no SDL3 cache (ldd with HOME elsewhere).
set -euo pipefail
src=$1 build=$2
tmp=$(mktemp -d /tmp/rumor-install-XXXXXX)
agent_pid= agent2_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null || true
	[ -n "$agent2_pid" ] && kill -9 "$agent2_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test_install: FAIL: $*" >&2; exit 1; }
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" ||
	fail "cmake --install (see $tmp/install.log)"
for f in bin/rumor lib/librumor.so.0 lib/librumor.a include/rumor/agent.h \
	lib/pkgconfig/rumor.pc lib/cmake/rumor/rumorConfig.cmake \
	lib/cmake/rumor/rumorConfigVersion.cmake lib/systemd/system/rumor.service \
	etc/logrotate.d/rumor etc/rumor/agent.ini share/doc/rumor/LICENSE; do
	[ -e "$prefix/$f" ] || fail "$f not installed"
done
grep -q "ExecStart=$prefix/bin/rumor agent" "$prefix/lib/systemd/system/rumor.service" ||
	fail "rumor.service does not start $prefix/bin/rumor"
if command -v scdoc >/dev/null; then
	[ -s "$prefix/share/man/man1/rumor.1" ] || fail "man page rumor.1 missing"
fi
# (outputs are captured first: with pipefail, `cmd | grep -q` fails when
# grep quits early and cmd gets SIGPIPE)
out=$("$prefix/bin/rumor" --version)
[[ $out == "rumor "[0-9]* ]] || fail "rumor --version: $out"

# pkg-config build (RUNPATH into the prefix: no LD_LIBRARY_PATH needed)
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
mkdir -p "$tmp/pc"
for ex in watch_web two_in_one; do
	# shellcheck disable=SC2046 # pkg-config's output is meant to split
	cc -Wall -Wextra -Werror "$src/examples/$ex.c" -o "$tmp/pc/$ex" \
		$(pkg-config --cflags --libs rumor) -Wl,-rpath,"$prefix/lib" ||
		fail "building $ex with pkg-config"
done
out=$(ldd "$tmp/pc/two_in_one")
[[ $out == *"librumor.so.0 => $prefix/lib/"* ]] ||
	fail "two_in_one does not use the installed librumor.so.0: $out"
out=$("$tmp/pc/two_in_one")
[[ $out == "converged in"* ]] || fail "two_in_one (pkg-config): $out"

# find_package(rumor) build
cmake -S "$src/examples" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" \
	>"$tmp/cm.log" 2>&1 || fail "configuring examples with find_package"
cmake --build "$tmp/cm" >>"$tmp/cm.log" 2>&1 || fail "building examples (CMake)"
out=$("$tmp/cm/two_in_one")
[[ $out == "converged in"* ]] || fail "two_in_one (CMake): $out"

# watch_web (default filter role=web) against two real agent processes of
# the installed rumor: "web" (--tag role=web, configured by the installed
# etc/rumor/agent.ini, its bind overridden) must be reported and listed;
# "plain" (no tags), in the group before watch_web joins, must not be.
port=$(( 20000 + RANDOM % 20000 )) port2=$(( port + 1 ))
"$prefix/bin/rumor" agent --config "$prefix/etc/rumor/agent.ini" \
	--bind 127.0.0.1:$port --tag role=web --control "$tmp/a.sock" \
	--state-dir "$tmp" --quiet 2>"$tmp/agent.err" &
agent_pid=$!
"$prefix/bin/rumor" agent --bind 127.0.0.1:$port2 --join 127.0.0.1:$port \
	--control "$tmp/b.sock" --state-dir "$tmp" --quiet 2>"$tmp/agent2.err" &
agent2_pid=$!
for _ in $(seq 100); do # both listed by the web agent (<= 20 s)
	out=$("$prefix/bin/rumor" members --control "$tmp/a.sock" 2>/dev/null || true)
	[[ $out == *"127.0.0.1:$port2#"* ]] && break
	sleep 0.2
done
[[ $out == *"127.0.0.1:$port2#"* ]] ||
	fail "the untagged agent did not join: $(cat "$tmp/agent2.err")"
"$tmp/cm/watch_web" 127.0.0.1:$port 3 >"$tmp/watch.out" 2>"$tmp/watch.err" ||
	fail "watch_web exited non-zero: $(cat "$tmp/watch.err")"
grep -q "^join 127.0.0.1:$port#" "$tmp/watch.out" ||
	fail "watch_web did not report the role=web agent: $(cat "$tmp/watch.out")"
grep -q "^members:.*127.0.0.1:$port#" "$tmp/watch.out" ||
	fail "watch_web did not list the role=web agent"
if grep -q "127.0.0.1:$port2#" "$tmp/watch.out"; then
	fail "watch_web listed the untagged agent: $(cat "$tmp/watch.out")"
fi
grep -q '^left (ok)' "$tmp/watch.out" || fail "watch_web did not leave"
kill -TERM "$agent_pid" "$agent2_pid"
wait "$agent_pid" || fail "the agent did not exit 0 after SIGTERM"
agent_pid=
wait "$agent2_pid" || fail "the untagged agent did not exit 0 after SIGTERM"
agent2_pid=

# rumor-viz: SDL3 from the prefix, whoever runs it
if [ -x "$prefix/bin/rumor-viz" ]; then
	out=$(HOME=/nonexistent XDG_CACHE_HOME=/nonexistent ldd "$prefix/bin/rumor-viz")
	[[ $out == *"libSDL3.so.0 => $prefix/bin/../lib/rumor/"* ]] ||
		fail "rumor-viz does not find SDL3 in the prefix: $out"
	[[ $out != *"not found"* ]] || fail "rumor-viz: $out"
	out=$(readelf -d "$prefix/bin/rumor-viz")
	[[ $out != *.cache* ]] || fail "rumor-viz RUNPATH points into a cache"
fi
echo "ok: installed into $prefix; examples built with pkg-config and CMake ran"
