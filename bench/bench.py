#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rumor benchmarks: simulator, real processes on loopback, and the same
measurements of HashiCorp memberlist side by side (docs/benchmarks.md).

Usually run through bench/run.sh (`make bench`), which builds rumor and the
memberlist peer first:

  bench.py --rumor BIN [--memberlist BIN] --out DIR [--docs DIR] [--quick]

--quick is the CI smoke run (under a minute): the same code paths at
tiny sizes; it checks that every figure came out and writes its report
into --out only. Exit status: 0, 1 when a run failed or a figure is
missing, 2 on a usage error.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import real, report, sim, sysinfo  # noqa: E402

# rumor tuned to memberlist's bandwidth at N=16 (calibrated in the
# simulator against the earlier tuning, which sent 140 B/s per member on
# loopback to memberlist's 130; docs/benchmarks.md). Two ring monitors, so
# that one lost or restarted monitor leaves the other, and T_suspect of 4
# heartbeats: one monitor with 3 (the earlier tuning) failed 273 live
# members' pairs per 8 member-hours at 30% loss in the simulator, this one 17.
# The far timeout stays derived (2 T_suspect + 10 (1 + rho) T_gossip).
TUNED = ["--heartbeat-ms", "1200", "--monitors", "2", "--gossip-ms", "3000",
         "--fanout", "2", "--gossip-entries", "2", "--suspect-ms", "4800",
         "--fail-ms", "2400"]

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
        "sizes": [8, 16, 32, 64],
        # settle: news of the start-up join storm drains slowly at the
        # tuned settings (a news-only datagram holds gossip_entries = 2
        # items: ~50 s at N=16); the background window must not include it
        "base": {"bg_s": 15, "kills": 10, "restart_after_s": 5,
                 "converge_s": 45, "settle_s": 40},
        # memberlist's detection grows with log N: ~7 s at N=16, ~9-12 s
        # at 64; the tail lets the last crash be detected before the end
        "period_s": {"8": 10, "16": 10, "32": 11, "64": 11},
        "tail_s": {"8": 14, "16": 14, "32": 16, "64": 16},
        "drop": {"n": 16, "rates": [0.1, 0.3], "bg_s": 15, "kills": 6,
                 "period_s": 10, "restart_after_s": 5, "tail_s": 14,
                 "converge_s": 45, "settle_s": 40},
    },
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
    },
}


def log(msg):
    print(msg, flush=True)


def clusters_for(rumor, memberlist, drop=None):
    cs = [{"name": "rumor", "kind": "rumor", "bin": rumor},
          {"name": "rumor-tuned", "kind": "rumor", "bin": rumor,
           "extra": TUNED}]
    if memberlist:
        cs.append({"name": "memberlist", "kind": "memberlist",
                   "bin": memberlist})
    if drop is not None:
        for c in cs:
            c["drop"] = drop
            c["name"] += "@%g%%" % (drop * 100)
    return cs


def run_real(cfg, rumor, memberlist, out, seed=1):
    res = {}
    sockdir = tempfile.mkdtemp(prefix="rumor-bench-")
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
                                      sockdir, log=log)
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
                                   sockdir, log=log)
            res["drop"]["wall_s"] = time.monotonic() - t0
            res["drop"]["rates"] = d["rates"]
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rumor")
    ap.add_argument("--render", metavar="RESULTS_JSON",
                    help="only write the report (and plots) again from the "
                    "results.json of an earlier run")
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
