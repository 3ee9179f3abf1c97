#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/netns: five hosts in network namespaces, one agent each, on a bridge
# (in a namespace of its own, so the host's network is not touched):
#
#   NSh1 eth0 10.77.0.1 --+
#   NSh2 eth0 10.77.0.2 --+-- v1..v5 -- br0 (NSbr)
#   ...                   |
#   NSh5 eth0 10.77.0.5 --+
#
# Then test_netns (C) runs the agents through `ip netns exec`: a crash and a
# leave detected across hosts. Exit 77 (skipped) with the reason when this
# cannot run here: not root, no `ip`, or namespaces/veth/bridge refused.
#
# usage: netns_test.sh TEST_NETNS_BINARY
set -u
test_bin=$1

skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "not root: network namespaces need root (CI runs as root)"
command -v ip >/dev/null 2>&1 || skip "no 'ip' command (Debian package iproute2)"

# namespaces left by an earlier run that was killed (SIGKILL skips traps)
for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(rn[0-9][0-9]*\)\(h[1-5]\|br\).*/\1\2/p'); do
	pid=$(echo "$ns" | sed 's/^rn\([0-9]*\).*/\1/')
	kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null
done

tag=rn$$
hosts="1 2 3 4 5"
cleanup() {
	for i in $hosts; do ip netns del "${tag}h$i" 2>/dev/null; done
	ip netns del "${tag}br" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() {
	out=$("$@" 2>&1) || skip "'$*' failed: $out"
}

step ip netns add "${tag}br"
step ip -n "${tag}br" link set lo up
step ip -n "${tag}br" link add br0 type bridge
step ip -n "${tag}br" link set br0 up
for i in $hosts; do
	h="${tag}h$i"
	step ip netns add "$h"
	step ip -n "${tag}br" link add "v$i" type veth peer name eth0 netns "$h"
	step ip -n "${tag}br" link set "v$i" master br0
	step ip -n "${tag}br" link set "v$i" up
	step ip -n "$h" addr add "10.77.0.$i/24" dev eth0
	step ip -n "$h" link set eth0 up
	step ip -n "$h" link set lo up
done
# the veths need a moment (DAD is off for IPv4; the bridge forwards at once)
"$test_bin" "$tag"
