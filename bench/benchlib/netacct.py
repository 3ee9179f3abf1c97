# SPDX-License-Identifier: MIT
"""Bytes a member sends, counted outside the process by the kernel.

Every member binds its own loopback address (127.B.C.K: B from the
harness's pid, C the cluster, K the member; all of 127/8 is local on
Linux, no setup needed) and both rumor and the memberlist peer open their
TCP streams from that address too. One nftables table of the harness's
own, `inet rumor_bench_PID`, counts in the output hook every IPv4 packet
by source address: UDP in one set, TCP in another keyed by source address
and TCP data offset. Payload = counted IP bytes minus the headers:
20 + 8 per UDP datagram, 20 + 4 * doff per TCP segment (no IP options on
loopback). Both systems are counted by the same rules.

Needs root (CAP_NET_ADMIN) and nft; without them `Accounting.enabled` is
False, members bind 127.0.0.1 and the outside figures are None.
"""

import json
import os
import shutil
import subprocess

DOFFS = range(5, 16)


def _nft(args, stdin=None):
    return subprocess.run(["nft"] + args, input=stdin, capture_output=True,
                          text=True, check=False)


class Accounting:
    def __init__(self):
        self.table = "rumor_bench_%d" % os.getpid()
        self.base = 100 + os.getpid() % 100
        self.enabled = False
        self.reason = None
        self.addrs = set()
        if os.geteuid() != 0 or not shutil.which("nft"):
            self.reason = "needs root and nft"
            return
        script = """
table inet %(t)s {
  set udp_out { typeof ip saddr; counter; size 65535; }
  set tcp_out { typeof ip saddr . tcp doff; counter; size 65535; }
  set cut { typeof ip saddr . ip daddr; }
  chain inp {
    type filter hook input priority filter; policy accept;
    ip saddr . ip daddr @cut drop
  }
  chain out {
    type filter hook output priority filter; policy accept;
    meta l4proto udp ip saddr @udp_out
    meta l4proto tcp ip saddr . tcp doff @tcp_out
  }
}
""" % {"t": self.table}
        p = _nft(["-f", "-"], script)
        if p.returncode != 0:
            self.reason = "nft: " + p.stderr.strip()[-200:]
            return
        self.enabled = True

    def addr(self, cluster_idx, member_idx):
        """The loopback address of a member (registered for counting),
        or 127.0.0.1 when accounting is off."""
        if not self.enabled:
            return "127.0.0.1"
        if member_idx > 253 or cluster_idx > 255:
            raise ValueError("netacct: member %d of cluster %d: too many"
                             % (member_idx, cluster_idx))
        a = "127.%d.%d.%d" % (self.base, cluster_idx, member_idx + 1)
        if a not in self.addrs:
            tcp = ", ".join("%s . %d" % (a, d) for d in DOFFS)
            p = _nft(["-f", "-"],
                     "add element inet %s udp_out { %s }\n"
                     "add element inet %s tcp_out { %s }\n"
                     % (self.table, a, self.table, tcp))
            if p.returncode != 0:
                raise RuntimeError("nft add element: " + p.stderr.strip())
            self.addrs.add(a)
        return a

    def _set(self, name):
        p = _nft(["-j", "list", "set", "inet", self.table, name])
        if p.returncode != 0:
            raise RuntimeError("nft list set: " + p.stderr.strip())
        for obj in json.loads(p.stdout)["nftables"]:
            if "set" in obj:
                return obj["set"].get("elem", [])
        return []

    def sample(self):
        """{addr: {udp, tcp, udp_pkts, tcp_pkts}} payload bytes sent so
        far by every registered address ({} when off)."""
        if not self.enabled:
            return {}
        out = {a: {"udp": 0, "tcp": 0, "udp_pkts": 0, "tcp_pkts": 0}
               for a in self.addrs}
        for e in self._set("udp_out"):
            e = e["elem"]
            c = out.setdefault(e["val"], dict(udp=0, tcp=0, udp_pkts=0,
                                              tcp_pkts=0))
            c["udp"] += e["counter"]["bytes"] - 28 * e["counter"]["packets"]
            c["udp_pkts"] += e["counter"]["packets"]
        for e in self._set("tcp_out"):
            e = e["elem"]
            a, doff = e["val"]["concat"]
            c = out.setdefault(a, dict(udp=0, tcp=0, udp_pkts=0,
                                       tcp_pkts=0))
            k = e["counter"]["packets"]
            c["tcp"] += e["counter"]["bytes"] - k * (20 + 4 * doff)
            c["tcp_pkts"] += k
        return out

    def cut(self, pairs):
        """Drop every packet from a to b for each (a, b) in pairs (one
        way: b to a still passes), UDP and TCP."""
        if pairs:
            el = ", ".join("%s . %s" % p for p in pairs)
            p = _nft(["add", "element", "inet", self.table, "cut",
                      "{ %s }" % el])
            if p.returncode != 0:
                raise RuntimeError("nft add cut: " + p.stderr.strip())

    def heal(self):
        """Remove every cut."""
        if self.enabled:
            _nft(["flush", "set", "inet", self.table, "cut"])

    def close(self):
        if self.enabled:
            _nft(["delete", "table", "inet", self.table])
            self.enabled = False
