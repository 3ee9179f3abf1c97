# SPDX-License-Identifier: MIT
"""Real processes on loopback: several clusters (rumor at defaults, rumor
tuned, memberlist) of N members each, run at the same time so that they
share the machine's load, the same kill schedule, the same receive drop
rate and the same measurement windows.

Timeline of one run:
  start N members per cluster (member 0 first, the others join through it),
  wait until every member lists N alive, settle,
  background window: counters, CPU ticks and RSS of every member at both
    ends (no faults in it),
  kills: every `period` s one member of each cluster (the same position in
    each cluster's list of live members) gets SIGKILL, a `crash` line going
    to that cluster's scenario log; `restart_after` s later a new member
    (fresh port, new id) joins through up to 3 live members, so N stays,
  tail: time for the last detection, then SIGTERM (leave) for all,
  `rumor analyze --json` per cluster on its scenario and member logs.
"""

import json
import os
import random
import statistics
import subprocess
import time

from .cluster import Cluster, now_ms, proc_cpu_ticks, proc_rss_kib, CLK_TCK


def _sample(clusters):
    out = {}
    acct = clusters[0].acct if clusters else None
    wire = acct.sample() if acct else {}
    for c in clusters:
        for m in c.live():
            w = wire.get(getattr(m, "host", None))
            out[(c.name, m.index)] = (c.counters(m), proc_cpu_ticks(m.pid),
                                      time.monotonic(), w)
    return out


def _window(clusters, a, b):
    """Per cluster: mean bytes/s, datagrams/s, stream bytes/s, CPU %, RSS."""
    res = {}
    for c in clusters:
        rates, dgrams, streams, cpus, rss = [], [], [], [], []
        w_udp, w_tcp, udp = [], [], []
        for m in c.live():
            key = (c.name, m.index)
            if key not in a or key not in b:
                continue
            (ca, ta, wa, xa), (cb, tb, wb, xb) = a[key], b[key]
            if xa is not None and xb is not None and wb > wa:
                w_udp.append((xb["udp"] - xa["udp"]) / (wb - wa))
                w_tcp.append((xb["tcp"] - xa["tcp"]) / (wb - wa))
            if ca and cb and cb["ts"] > ca["ts"]:
                dt = (cb["ts"] - ca["ts"]) / 1000.0
                sb = 0
                if ca["stream_bytes"] is not None and \
                        cb["stream_bytes"] is not None:
                    sb = cb["stream_bytes"] - ca["stream_bytes"]
                # own counters: UDP + TCP payload
                rates.append((cb["bytes"] - ca["bytes"] + sb) / dt)
                udp.append((cb["bytes"] - ca["bytes"]) / dt)
                dgrams.append((cb["datagrams"] - ca["datagrams"]) / dt)
                if ca["stream_bytes"] is not None and \
                        cb["stream_bytes"] is not None:
                    streams.append((cb["stream_bytes"] -
                                    ca["stream_bytes"]) / dt)
            if ta is not None and tb is not None and wb > wa:
                cpus.append(100.0 * (tb - ta) / CLK_TCK / (wb - wa))
            r = proc_rss_kib(m.pid)
            if r:
                rss.append(r)
        res[c.name] = {
            "members_measured": len(rates),
            "bytes_per_s": statistics.mean(rates) if rates else None,
            "udp_bytes_per_s": statistics.mean(udp) if udp else None,
            "bytes_per_s_max": max(rates) if rates else None,
            "datagrams_per_s": statistics.mean(dgrams) if dgrams else None,
            "stream_bytes_per_s": statistics.mean(streams) if streams
            else None,
            "cpu_pct": statistics.mean(cpus) if cpus else None,
            "cpu_pct_max": max(cpus) if cpus else None,
            "rss_kib": statistics.median(rss) if rss else None,
            "rss_kib_max": max(rss) if rss else None,
            # counted outside the process (netacct): UDP and TCP payload
            "wire_udp_per_s": statistics.mean(w_udp) if w_udp else None,
            "wire_tcp_per_s": statistics.mean(w_tcp) if w_tcp else None,
            "wire_per_s": statistics.mean(
                [u + t for u, t in zip(w_udp, w_tcp)]) if w_udp else None,
        }
    return res


def _wait_converged(clusters, n, timeout):
    """Seconds until every member of every cluster lists n alive, per
    cluster (None: not within timeout)."""
    t0 = time.monotonic()
    done = {}
    while time.monotonic() - t0 < timeout and len(done) < len(clusters):
        for c in clusters:
            if c.name in done:
                continue
            if all(c.alive_count(m) == n for m in c.live()):
                done[c.name] = time.monotonic() - t0
        time.sleep(0.5)
    return {c.name: done.get(c.name) for c in clusters}


def start_all(clusters, n, spec, log):
    """Start n members per cluster (member 0 first, the others join
    through it), wait until all list n alive (spec converge_s), log it,
    settle (spec settle_s). Returns {cluster: seconds or None}."""
    for c in clusters:
        c.wait_started(c.spawn([]))
    for _ in range(n - 1):
        for c in clusters:
            c.spawn([c.members[0].addr])
    for c in clusters:
        for m in c.members[1:]:
            c.wait_started(m)
    conv = _wait_converged(clusters, n, spec["converge_s"])
    log("    converged: " + ", ".join(
        "%s %s" % (k, "%.1f s" % v if v is not None else "NOT")
        for k, v in conv.items()))
    time.sleep(spec.get("settle_s", 2.0))
    return conv


def _sleep_until(t):
    d = t - time.monotonic()
    if d > 0:
        time.sleep(d)


def analyze(rumor_bin, c):
    logs = sorted(os.path.join(c.dir, f) for f in os.listdir(c.dir)
                  if f.startswith("member-") and f.endswith(".jsonl"))
    out = subprocess.run([rumor_bin, "analyze", "--json", c.scenario] + logs,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError("rumor analyze failed for %s: %s"
                           % (c.dir, out.stderr[-500:]))
    with open(os.path.join(c.dir, "analysis.json"), "w") as f:
        f.write(out.stdout)
    return json.loads(out.stdout)


def run(spec, rumor_bin, outdir, sockdir, log=print, acct=None):
    """spec: {n, drop, bg_s, kills, period_s, restart_after_s, tail_s,
    converge_s, seed, clusters: [{name, kind, bin, extra}]}."""
    n = spec["n"]
    rng = random.Random(spec["seed"])
    clusters = [Cluster(cs["name"], cs["kind"],
                        os.path.join(outdir, cs["name"]), cs["bin"], sockdir,
                        drop_rate=cs.get("drop", spec["drop"]),
                        extra=cs.get("extra", ()), seed=spec["seed"],
                        acct=acct, index=i,
                        short_names=cs.get("short", False))
                for i, cs in enumerate(spec["clusters"])]
    t_start = now_ms()
    result = {"spec": {k: v for k, v in spec.items() if k != "clusters"},
              "clusters": {}}
    try:
        conv = start_all(clusters, n, spec, log)

        a = _sample(clusters)
        time.sleep(spec["bg_s"])
        b = _sample(clusters)
        bg = _window(clusters, a, b)

        t = time.monotonic()
        for i in range(spec["kills"]):
            _sleep_until(t + i * spec["period_s"])
            k = rng.randrange(n)
            victims = []
            for c in clusters:
                live = c.live()
                victims.append((c, live[k % len(live)]))
            for c, v in victims:
                c.kill(v)
            time.sleep(spec["restart_after_s"])
            picks = rng.sample(range(n - 1), min(3, n - 1))
            for c in clusters:
                live = c.live()
                seeds = [live[p % len(live)].addr for p in picks]
                c.wait_started(c.spawn(seeds))
        _sleep_until(t + (spec["kills"] - 1) * spec["period_s"]
                     + spec["tail_s"])
        t_end = now_ms()
        # members that lived through the whole run: traffic with churn
        whole = _window(clusters, a, _sample(clusters))
    finally:
        for c in clusters:
            c.stop()

    for c in clusters:
        an = analyze(rumor_bin, c)
        member_ms = 0
        for m in c.members:
            end = m.killed_ms if m.killed_ms else t_end
            member_ms += max(0, end - t_start)
        result["clusters"][c.name] = {
            "kind": c.kind,
            "extra": c.extra,
            "drop": c.drop,
            "converge_s": conv.get(c.name),
            "background": bg[c.name],
            "whole_run": whole[c.name],
            "analysis": {k: an[k] for k in (
                "crash_summary", "false_failures", "false_failed_members",
                "unknown_failures", "duration_ms", "members")},
            "crashes": [{k: x[k] for k in ("member", "first_suspect_ms",
                                            "first_detect_ms",
                                            "all_detect_ms", "survivors",
                                            "detected")}
                        for x in an["crashes"] if x["cause"] == "crash"],
            "member_hours": member_ms / 3.6e6,
        }
    return result
