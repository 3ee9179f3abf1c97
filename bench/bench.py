#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rumor benchmarks: simulator, real processes on loopback, and the same
measurements of HashiCorp memberlist side by side (docs/benchmarks.md).

Usually run through bench/run.sh (`make bench`), which builds rumor and the
memberlist peer first:

  bench.py --rumor BIN [--memberlist BIN] --out DIR [--docs DIR] [--quick]
  bench.py --render RESULTS_JSON --out DIR [--docs DIR]
  bench.py --render-frontier RESULTS_DIR --out DIR [--docs DIR]

--quick is the CI smoke run (under a minute): the same code paths at
tiny sizes; it checks that every figure came out and writes its report
into --out only. Exit status: 0, 1 when a run failed or a figure is
missing, 2 on a usage error. --render and --render-frontier run nothing:
they write the whole report, or only its frontier section and plot, again
from the results of an earlier run (bench/results/ keeps the frontier run
that docs/benchmarks.md shows).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import netacct, real, report, sick, sim, sysinfo  # noqa: E402

# rumor's cheapest named setting, next to the defaults in the per-N runs
TUNED = ["--profile", "lean"]

# The frontier (issue 14): settings from cheapest to fastest, N=32.
# rumor: its profiles plus points from its knobs; memberlist:
# DefaultLANConfig's ProbeInterval, ProbeTimeout and GossipInterval scaled
# together by x (SuspicionMult 4 as in DefaultLANConfig; the suspicion
# timeout SuspicionMult * log(N+1) * ProbeInterval scales with them).
RUMOR_POINTS = [
    ("rumor-hb1500m2", ["--heartbeat-ms", "1500", "--monitors", "2",
                        "--suspect-ms", "7500", "--fail-ms", "3750"]),
    ("rumor-hb600m2", ["--heartbeat-ms", "600", "--monitors", "2",
                       "--suspect-ms", "3600", "--fail-ms", "1800"]),
    ("rumor-lean", ["--profile", "lean"]),
    ("rumor-wan", ["--profile", "wan"]),
    ("rumor-hb200", ["--heartbeat-ms", "200", "--suspect-ms", "1000",
                     "--fail-ms", "500"]),
    ("rumor-lan", []),
    ("rumor-lan500", ["--suspect-ms", "500", "--fail-ms", "250"]),
    ("rumor-fast", ["--heartbeat-ms", "50", "--suspect-ms", "500",
                    "--fail-ms", "250"]),
]
ML_SCALES = [4, 2, 1, 0.5, 0.25]


def ml_flags(x):
    return ["--probe-ms", "%d" % (1000 * x), "--probe-timeout-ms",
            "%d" % (500 * x), "--gossip-ms", "%d" % (200 * x),
            "--suspicion-mult", "4"]


def frontier_clusters(rumor, memberlist, drop=None):
    cs = [{"name": n, "kind": "rumor", "bin": rumor, "extra": e}
          for n, e in RUMOR_POINTS]
    if memberlist:
        cs += [{"name": "memberlist-x%g" % x, "kind": "memberlist",
                "bin": memberlist, "extra": ml_flags(x), "short": True,
                "scale": x} for x in ML_SCALES]
    if drop is not None:
        for c in cs:
            c["drop"] = drop
            c["name"] += "@%g%%" % (drop * 100)
    return cs


FULL = {
    "sim": {
        "detect": {"ns": [16, 100, 1000], "losses": [0, 0.1, 0.3],
                   "seeds": {"16": 4, "100": 3, "1000": 1},
                   "crashes": {"16": 20, "100": 20, "1000": 12},
                   "spacing_s": 4},
        "soak": [{"n": 16, "seeds": 2, "duration_s": 3600},
                 {"n": 100, "seeds": 1, "duration_s": 600}],
        "losses_soak": [0, 0.01, 0.03, 0.1, 0.3],
        "bw": {"ns": [8, 16, 32, 64, 100, 200, 500], "d1": 20, "d2": 40},
        "speed": {"n": 1000, "d1": 10, "d2": 40},
    },
    "real": {
        "sizes": [16, 64],
        # settle: news of the start-up join storm drains slowly at the
        # tuned settings (a news-only datagram holds gossip_entries = 2
        # items: ~50 s at N=16); the background window must not include it
        "base": {"bg_s": 15, "kills": 8, "restart_after_s": 5,
                 "converge_s": 45, "settle_s": 15},
        # memberlist's detection grows with log N: ~7 s at N=16, ~9-12 s
        # at 64; the tail lets the last crash be detected before the end
        "period_s": {"8": 10, "16": 10, "32": 11, "64": 11},
        "tail_s": {"8": 14, "16": 14, "32": 16, "64": 16},
        "drop": None,
        # detection and bytes: kills every 12 s; memberlist-x4 takes
        # ~30 s to be detected by all, so its crashes overlap (each is
        # analysed on its own)
        "frontier": {"n": 32, "bg_s": 15, "kills": 5, "period_s": 12,
                     "restart_after_s": 5, "tail_s": 40, "converge_s": 60,
                     "settle_s": 10},
        # false failures: no faults but the receive drop, 32 members for
        # soak_s (240 s = 2.1 member-hours per cluster)
        "soak": {"n": 32, "soak_s": 240, "rates": [0.3],
                 "bar_rates": [0.1], "converge_s": 90, "settle_s": 5},
        "sick": {"n": 16, "kinds": ["deaf", "oneway", "slow"], "dur_s": 20,
                 "crash_at_s": 5, "tail_s": 20, "stop_ms": 300,
                 "converge_s": 45, "settle_s": 10},
    },
    "scale": [{"n": 5000, "duration_s": 60, "crash_at_s": 40},
              {"n": 1000, "duration_s": 120, "crash_at_s": 60}],
}

QUICK = {
    "sim": {
        "detect": {"ns": [16, 32], "losses": [0, 0.1],
                   "seeds": {"16": 1, "32": 1}, "crashes": {"16": 4,
                                                             "32": 4},
                   "spacing_s": 4},
        "soak": [{"n": 16, "seeds": 1, "duration_s": 300}],
        "losses_soak": [0, 0.1, 0.3],
        "bw": {"ns": [16, 32, 64], "d1": 5, "d2": 10},
        "speed": {"n": 100, "d1": 5, "d2": 10},
    },
    "real": {
        "sizes": [4],
        "base": {"bg_s": 3, "kills": 2, "restart_after_s": 3,
                 "converge_s": 20, "settle_s": 1},
        "period_s": {"4": 8},
        "tail_s": {"4": 9},
        "drop": None,
        "frontier": {"n": 4, "bg_s": 3, "kills": 1, "period_s": 8,
                     "restart_after_s": 3, "tail_s": 9, "converge_s": 20,
                     "settle_s": 1, "points": 2},
        "soak": {"n": 4, "soak_s": 10, "rates": [0.3], "bar_rates": [],
                 "converge_s": 20, "settle_s": 1},
        "sick": {"n": 5, "kinds": ["deaf", "slow"], "dur_s": 8,
                 "crash_at_s": 2, "tail_s": 8, "stop_ms": 300,
                 "converge_s": 20, "settle_s": 1},
    },
    "scale": [{"n": 200, "duration_s": 20, "crash_at_s": 10}],
}


def log(msg):
    print(msg, flush=True)


def clusters_for(rumor, memberlist, drop=None):
    cs = [{"name": "rumor", "kind": "rumor", "bin": rumor},
          {"name": "rumor-lean", "kind": "rumor", "bin": rumor,
           "extra": TUNED}]
    if memberlist:
        cs.append({"name": "memberlist", "kind": "memberlist",
                   "bin": memberlist, "short": True})
        cs.append({"name": "memberlist-long", "kind": "memberlist",
                   "bin": memberlist})
    if drop is not None:
        for c in cs:
            c["drop"] = drop
            c["name"] += "@%g%%" % (drop * 100)
    return cs


def _pick(cs, k):
    """k settings spread from the cheapest to the fastest (quick mode)."""
    if k is None or len(cs) <= k:
        return cs
    return [cs[round(i * (len(cs) - 1) / (k - 1))] for i in range(k)]


def run_frontier(cfg, rumor, memberlist, out, sockdir, acct, seed):
    fr, so = cfg["frontier"], cfg["soak"]
    k = fr.get("points")
    cs = _pick(frontier_clusters(rumor, None), k)
    if memberlist:
        cs += _pick(frontier_clusters(None, memberlist)[len(RUMOR_POINTS):],
                    k)
    spec = {kk: v for kk, v in fr.items() if kk != "points"}
    spec.update(drop=0.0, seed=seed, clusters=cs)
    log("  frontier N=%d: %d clusters at once, %d kills every %g s" % (
        fr["n"], len(cs), fr["kills"], fr["period_s"]))
    t0 = time.monotonic()
    res = {"detect": real.run(spec, rumor, os.path.join(out, "frontier"),
                              sockdir, log=log, acct=acct)}
    res["detect"]["wall_s"] = time.monotonic() - t0
    # the soak: every setting at 30% drop, plus the cheapest rumor
    # setting and memberlist's defaults at the bar's other drop rates
    soak = []
    names = [c["name"] for c in cs]
    for rate in so["rates"]:
        soak += [dict(c, drop=rate, name=c["name"] + "@%g%%" % (rate * 100))
                 for c in cs]
    for rate in so["bar_rates"]:
        soak += [dict(c, drop=rate, name=c["name"] + "@%g%%" % (rate * 100))
                 for c in cs if c["name"] in ("rumor-lean", "memberlist-x1")]
    spec = {"n": so["n"], "drop": 0.0, "seed": seed + 7, "clusters": soak,
            "bg_s": so["soak_s"], "kills": 0, "period_s": 1,
            "restart_after_s": 0, "tail_s": 0,
            "converge_s": so["converge_s"], "settle_s": so["settle_s"]}
    log("  frontier soak N=%d: %d clusters at once for %g s" % (
        so["n"], len(soak), so["soak_s"]))
    t0 = time.monotonic()
    res["soak"] = real.run(spec, rumor, os.path.join(out, "frontier-soak"),
                           sockdir, log=log, acct=acct)
    res["soak"]["wall_s"] = time.monotonic() - t0
    res["names"] = names
    res["scales"] = {c["name"]: c.get("scale") for c in cs}
    res["extra"] = {c["name"]: c.get("extra", []) for c in cs}
    return res


def run_sick(cfg, rumor, memberlist, out, sockdir, acct):
    sc = dict(cfg["sick"])
    sc["systems"] = [{"name": "rumor", "kind": "rumor", "bin": rumor}]
    if memberlist:
        sc["systems"].append({"name": "memberlist", "kind": "memberlist",
                              "bin": memberlist, "short": True})
    log("  sick members N=%d: %s, %d clusters at once" % (
        sc["n"], "/".join(sc["kinds"]),
        len(sc["kinds"]) * len(sc["systems"])))
    t0 = time.monotonic()
    r = sick.run(sc, rumor, os.path.join(out, "sick"), sockdir, acct,
                 log=log)
    r["wall_s"] = time.monotonic() - t0
    return r


def run_real(cfg, rumor, memberlist, out, seed=1):
    res = {}
    sockdir = tempfile.mkdtemp(prefix="rumor-bench-")
    acct = netacct.Accounting()
    res["wire"] = {"enabled": acct.enabled, "reason": acct.reason}
    log("  bytes on the wire: %s" % ("nftables table inet " + acct.table
                                     if acct.enabled else "off (%s)"
                                     % acct.reason))
    try:
        for n in cfg["sizes"]:
            spec = dict(cfg["base"], n=n, drop=0.0, seed=seed + n,
                        period_s=cfg["period_s"][str(n)],
                        tail_s=cfg["tail_s"][str(n)],
                        clusters=clusters_for(rumor, memberlist))
            t0 = time.monotonic()
            log("  real N=%d: %d clusters, %d kills every %g s" % (
                n, len(spec["clusters"]), spec["kills"], spec["period_s"]))
            res["n%d" % n] = real.run(spec, rumor,
                                      os.path.join(out, "real", "n%d" % n),
                                      sockdir, log=log, acct=acct)
            res["n%d" % n]["wall_s"] = time.monotonic() - t0
            res["n%d" % n]["loadavg_end"] = sysinfo.loadavg()
        d = cfg.get("drop")
        if d:
            cs = []
            for rate in d["rates"]:
                cs += clusters_for(rumor, memberlist, drop=rate)
            spec = {k: v for k, v in d.items() if k != "rates"}
            spec.update(drop=0.0, seed=seed + 1000, clusters=cs)
            t0 = time.monotonic()
            log("  real N=%d at receive drop %s: %d clusters at once" % (
                d["n"], "/".join("%g%%" % (r * 100) for r in d["rates"]),
                len(cs)))
            res["drop"] = real.run(spec, rumor,
                                   os.path.join(out, "real", "drop"),
                                   sockdir, log=log, acct=acct)
            res["drop"]["wall_s"] = time.monotonic() - t0
            res["drop"]["rates"] = d["rates"]
        if cfg.get("sick"):
            res["sick"] = run_sick(cfg, rumor, memberlist, out, sockdir,
                                   acct)
        if cfg.get("frontier"):
            res["frontier"] = run_frontier(cfg, rumor, memberlist, out,
                                           sockdir, acct, seed + 2000)
    finally:
        acct.close()
        shutil.rmtree(sockdir, ignore_errors=True)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rumor")
    ap.add_argument("--render", metavar="RESULTS_JSON",
                    help="only write the report (and plots) again from the "
                    "results.json of an earlier run")
    ap.add_argument("--render-frontier", metavar="DIR",
                    help="only write the frontier section of --docs "
                    "benchmarks.md (and bench-frontier.png) again from "
                    "DIR/frontier.json (and DIR/run.json: when, where), "
                    "the results of a frontier run of its own")
    ap.add_argument("--memberlist", help="memberlist-peer binary (omit: "
                    "rumor only)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", help="write benchmarks.md and the PNGs here")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", choices=["sim", "real"],
                    help="run one part (for development)")
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    a = ap.parse_args()
    if a.render:
        with open(a.render) as fh:
            results = json.load(fh)
        problems = report.write(results, a.out, a.docs or a.out, a.root)
        for p in problems:
            log("bench: MISSING: " + p)
        return 1 if problems else 0
    if a.render_frontier:
        from benchlib import frontier_doc
        problems = frontier_doc.write(a.render_frontier, a.out,
                                      a.docs or a.out, a.root)
        for p in problems:
            log("bench: MISSING: " + p)
        return 1 if problems else 0
    if not a.rumor:
        ap.error("--rumor is required")
    cfg = QUICK if a.quick else FULL
    os.makedirs(a.out, exist_ok=True)
    t0 = time.monotonic()
    results = sysinfo.collect(a.root, a.rumor, shutil.which("go"))
    results["mode"] = "quick" if a.quick else "full"
    results["config"] = cfg
    results["tuned"] = TUNED
    results["memberlist_bin"] = a.memberlist
    log("bench: %s mode, output in %s" % (results["mode"], a.out))
    if a.only != "real":
        log("simulator: scale")
        t = time.monotonic()
        results["scale"] = sim.scale(cfg["scale"], a.rumor,
                                     os.path.join(a.out, "scale"), log=log)
        results["scale_wall_s"] = time.monotonic() - t
        log("simulator")
        t = time.monotonic()
        results["sim"] = sim.run(cfg["sim"], a.rumor,
                                 os.path.join(a.out, "sim"), jobs=a.jobs,
                                 log=log)
        results["sim"]["wall_s"] = time.monotonic() - t
    if a.only != "sim":
        log("real processes on loopback")
        t = time.monotonic()
        results["real"] = run_real(cfg["real"], a.rumor, a.memberlist,
                                   a.out)
        results["real_wall_s"] = time.monotonic() - t
    results["wall_s"] = time.monotonic() - t0
    results["machine"]["loadavg_end"] = sysinfo.loadavg()
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    dest = a.docs or a.out
    problems = report.write(results, a.out, dest, a.root)
    log("bench: %.0f s; report %s" % (results["wall_s"],
                                       os.path.join(dest, "benchmarks.md")))
    for p in problems:
        log("bench: MISSING: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
