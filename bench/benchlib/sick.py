# SPDX-License-Identifier: MIT
"""Sick members on real processes, rumor and memberlist side by side
(issue 12): in each cluster one member is made sick for `dur_s` seconds,
and `crash_at_s` into the sickness another member gets SIGKILL. Kinds:

- deaf: the sick member drops every datagram it receives (rumor: `set
  drop-rate 1` on its control socket; memberlist peer: SIGUSR1);
- oneway: nothing from half of the other members reaches it (nftables
  drop in the input hook, UDP and TCP; its own packets pass);
- slow: SIGSTOP for `stop_ms` every second (a stalled loop), SIGCONT
  after.

All clusters run at once (the same load). Reported per cluster: `fail`s
of healthy members (false failures, the sick member excluded: it may be
failed), whether the sick one was failed, and the detection of the crash.
"""

import os
import signal
import threading
import time

from .cluster import Cluster
from .real import analyze, start_all

KINDS = ("deaf", "oneway", "slow")


def _stop_bursts(clusters_members, stop_ms, until, ev):
    while time.monotonic() < until and not ev.is_set():
        for m in clusters_members:
            if m.running():
                os.kill(m.pid, signal.SIGSTOP)
        time.sleep(stop_ms / 1000.0)
        for m in clusters_members:
            if m.running():
                os.kill(m.pid, signal.SIGCONT)
        time.sleep(max(0.0, 1.0 - stop_ms / 1000.0))


def run(spec, rumor_bin, outdir, sockdir, acct, log=print):
    """spec: {n, kinds, systems: [{name, kind, bin, extra, short}],
    dur_s, crash_at_s, tail_s, stop_ms, converge_s, settle_s}."""
    n = spec["n"]
    clusters, roles = [], {}
    for kind in spec["kinds"]:
        if kind == "oneway" and not acct.enabled:
            continue
        for sysd in spec["systems"]:
            c = Cluster("%s-%s" % (sysd["name"], kind), sysd["kind"],
                        os.path.join(outdir, "%s-%s" % (sysd["name"], kind)),
                        sysd["bin"], sockdir, extra=sysd.get("extra", ()),
                        acct=acct, index=200 + len(clusters),
                        short_names=sysd.get("short", False))
            clusters.append(c)
            roles[c.name] = (kind, sysd["name"])
    res = {"spec": dict(spec, systems=[s["name"] for s in spec["systems"]]),
           "clusters": {}}
    ev = threading.Event()
    try:
        start_all(clusters, n, spec, log)
        sick = {c.name: c.members[n // 2] for c in clusters}
        victim = {c.name: c.members[n // 2 + 2] for c in clusters}
        t0 = time.monotonic()
        stopped = []
        for c in clusters:
            kind, s = roles[c.name], sick[c.name]
            if kind[0] == "deaf":
                c.set_deaf(s, True)
            elif kind[0] == "oneway":
                others = [m for m in c.members if m is not s]
                acct.cut([(m.host, s.host) for m in others[::2]])
            else:
                stopped.append(s)
        th = threading.Thread(target=_stop_bursts, args=(
            stopped, spec["stop_ms"], t0 + spec["dur_s"], ev), daemon=True)
        th.start()
        time.sleep(spec["crash_at_s"])
        for c in clusters:
            c.kill(victim[c.name])
        time.sleep(max(0.0, t0 + spec["dur_s"] - time.monotonic()))
        ev.set()
        th.join()
        for c in clusters:
            if roles[c.name][0] == "deaf":
                c.set_deaf(sick[c.name], False)
        acct.heal()
        for m in stopped:
            os.kill(m.pid, signal.SIGCONT)
        time.sleep(spec["tail_s"])
    finally:
        ev.set()
        acct.heal()
        for c in clusters:
            for m in c.live():
                try:
                    os.kill(m.pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            c.stop()
    for c in clusters:
        an = analyze(rumor_bin, c)
        s_id = Cluster.current_id(sick[c.name])
        s_addr = sick[c.name].addr
        ffl = an.get("false_failure_list", [])
        healthy = [f for f in ffl
                   if not str(f.get("member", "")).startswith(s_addr + "#")]
        crashes = [x for x in an["crashes"] if x["cause"] == "crash"]
        kind, system = roles[c.name]
        res["clusters"][c.name] = {
            "kind": kind, "system": system,
            "sick": s_id,
            "false_failures_healthy": len(healthy),
            "healthy_failed_members": len(set(f.get("member")
                                              for f in healthy)),
            "sick_failed": len(ffl) - len(healthy),
            "crash": {k: crashes[0][k] for k in (
                "first_detect_ms", "all_detect_ms", "survivors",
                "detected")} if crashes else None,
        }
    return res
