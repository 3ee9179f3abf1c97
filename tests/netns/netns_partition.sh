#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/netns: a 3|3 partition of six hosts in network namespaces. Six
# hosts on bridge br0, and a second bridge br1 with no port, both in a
# namespace of their own (the host's network is not touched):
#
#   TAGh1..h3 eth0 10.77.1.1-3 --+-- v1..v3 -- br0 (TAGbr)
#   TAGh4..h6 eth0 10.77.1.4-6 --+-- v4..v6 -- br0  -> moved to br1 to cut
#
# test_netns_partition (C) runs one agent per host through `ip netns exec`,
# cuts the group by moving v4..v6 to br1 (`ip link set vN master br1`: only
# iproute2 needed, no iptables or nft), heals by moving them back, and
# checks both sides fail each other while cut and become one membership
# after the heal. Exit 77 (skipped) with the reason when this cannot run
# here: not root, no `ip`, or namespaces/veth/bridge refused.
#
# usage: netns_partition.sh TEST_BINARY
set -u
test_bin=$1

skip() {
	echo "SKIP: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "not root: network namespaces need root (CI runs as root)"
command -v ip >/dev/null 2>&1 || skip "no 'ip' command (Debian package iproute2)"

# namespaces left by an earlier run that was killed (SIGKILL skips traps)
for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(rp[0-9][0-9]*\)\(h[1-6]\|br\).*/\1\2/p'); do
	pid=$(echo "$ns" | sed 's/^rp\([0-9]*\).*/\1/')
	kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null
done

tag=rp$$
hosts="1 2 3 4 5 6"
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
for br in br0 br1; do
	step ip -n "${tag}br" link add $br type bridge
	step ip -n "${tag}br" link set $br up
done
for i in $hosts; do
	h="${tag}h$i"
	step ip netns add "$h"
	step ip -n "${tag}br" link add "v$i" type veth peer name eth0 netns "$h"
	step ip -n "${tag}br" link set "v$i" master br0
	step ip -n "${tag}br" link set "v$i" up
	step ip -n "$h" addr add "10.77.1.$i/24" dev eth0
	step ip -n "$h" link set eth0 up
	step ip -n "$h" link set lo up
done
"$test_bin" "$tag"
