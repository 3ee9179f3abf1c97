# SPDX-License-Identifier: MIT
"""Simulator benchmarks: `rumor sim` runs analysed by `rumor analyze`.

- detection: crash/restart pairs (a member is crashed, and restarted as a
  new id once everyone should have noticed, so N stays constant) at
  several times and members per run, several seeds per (N, loss);
- soak: no faults, false failures per member-hour against loss;
- bandwidth: bytes per member per second against N at 0 loss, from the
  sim's own byte counter (its summary line), in steady state (the
  difference of two durations removes the start-up and join phase);
- speed: virtual seconds per wall second at N=1000 (runs alone).
"""

import concurrent.futures
import json
import os
import random
import re
import subprocess
import tempfile
import time

from .sysinfo import loadavg

from .stats import summary

SUMMARY = re.compile(r"(\d+) members, (\d+) ms virtual, ([\d.]+) s wall, "
                     r"(\d+) datagrams sent.*?(\d+) bytes/member/s")


def run_sim(rumor, args, log=None):
    """One `rumor sim` run: its summary line, our wall time and the
    child's CPU time (user+sys, from wait4)."""
    argv = [rumor, "sim"] + list(args) + (["--log", log] if log else [])
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdout=out, stderr=out)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv),
                                                p.returncode, text[-400:]))
    m = SUMMARY.search(text)
    if not m:
        raise RuntimeError("%s: no summary line in %r" % (" ".join(argv),
                                                          text[-300:]))
    return {"args": " ".join(args), "members": int(m.group(1)),
            "virtual_ms": int(m.group(2)), "sim_wall_s": float(m.group(3)),
            "datagrams": int(m.group(4)),
            "bytes_per_member_s": int(m.group(5)), "wall_s": wall,
            "cpu_s": ru.ru_utime + ru.ru_stime}


def analyze(rumor, log):
    p = subprocess.run([rumor, "analyze", "--json", log],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise RuntimeError("rumor analyze %s: %s" % (log, p.stderr[-400:]))
    return json.loads(p.stdout)


def crash_schedule(n, seed, crashes, t0_s, spacing_s):
    """--crash/--restart pairs: member i (never 0, the introducer) crashes
    at t0 + j*spacing and restarts spacing later. Returns (args, end_s)."""
    rng = random.Random(seed * 7919 + n)
    pool = list(range(1, n))
    args, t = [], t0_s
    last = []
    for _ in range(crashes):
        choices = [m for m in pool if m not in last] or pool
        m = rng.choice(choices)
        last = (last + [m])[-2:]  # not one still down
        args += ["--crash", "%d@%ds" % (m, t),
                 "--restart", "%d@%ds" % (m, t + spacing_s)]
        t += spacing_s
    return args, t


def _detect_job(rumor, tmp, n, loss, seed, crashes, spacing):
    sched, end = crash_schedule(n, seed, crashes, 10, spacing)
    args = ["--nodes", str(n), "--loss", str(loss), "--seed", str(seed),
            "--duration", "%ds" % (end + 2)] + sched
    log = os.path.join(tmp, "det-%d-%g-%d.jsonl" % (n, loss, seed))
    r = run_sim(rumor, args, log)
    an = analyze(rumor, log)
    os.unlink(log)
    r["crashes"] = [{k: c[k] for k in ("first_detect_ms", "all_detect_ms",
                                        "p50_detect_ms", "survivors",
                                        "detected")}
                    for c in an["crashes"] if c["cause"] == "crash"]
    r["false_failures"] = an["false_failures"]
    r["false_failed_members"] = an["false_failed_members"]
    return ("detect", n, loss, r)


def _soak_job(rumor, tmp, n, loss, seed, duration_s):
    args = ["--nodes", str(n), "--loss", str(loss), "--seed", str(seed),
            "--duration", "%ds" % duration_s]
    log = os.path.join(tmp, "soak-%d-%g-%d.jsonl" % (n, loss, seed))
    r = run_sim(rumor, args, log)
    an = analyze(rumor, log)
    os.unlink(log)
    r["false_failures"] = an["false_failures"]
    r["false_failed_members"] = an["false_failed_members"]
    r["member_hours"] = n * duration_s / 3600.0
    return ("soak", n, loss, r)


def _bw_job(rumor, n, d1, d2):
    a = run_sim(rumor, ["--nodes", str(n), "--duration", "%ds" % d1])
    b = run_sim(rumor, ["--nodes", str(n), "--duration", "%ds" % d2])
    steady = (b["bytes_per_member_s"] * d2 - a["bytes_per_member_s"] * d1) \
        / float(d2 - d1)
    return ("bw", n, 0.0, {"short": a, "long": b,
                           "bytes_per_member_s": steady,
                           "overall_bytes_per_member_s":
                           b["bytes_per_member_s"]})


def run(cfg, rumor, tmp, jobs=2, log=print):
    """cfg: {detect: {ns, losses, seeds: {n: k}, crashes: {n: c},
    spacing_s}, soak: [{n, seeds, duration_s}], losses_soak,
    bw: {ns, d1, d2}, speed: {n, d1, d2}}."""
    os.makedirs(tmp, exist_ok=True)
    work = []
    d = cfg["detect"]
    for n in sorted(d["ns"], reverse=True):  # the long ones first
        for loss in d["losses"]:
            for seed in range(1, d["seeds"][str(n)] + 1):
                work.append((_detect_job, (rumor, tmp, n, loss, seed,
                                           d["crashes"][str(n)],
                                           d["spacing_s"])))
    for s in cfg["soak"]:
        for loss in cfg["losses_soak"]:
            for seed in range(1, s["seeds"] + 1):
                work.append((_soak_job, (rumor, tmp, s["n"], loss, seed,
                                         s["duration_s"])))
    for n in cfg["bw"]["ns"]:
        work.append((_bw_job, (rumor, n, cfg["bw"]["d1"], cfg["bw"]["d2"])))

    res = {"detect": {}, "soak": {}, "bw": {}}
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = [ex.submit(f, *a) for f, a in work]
        for i, fut in enumerate(concurrent.futures.as_completed(futs)):
            kind, n, loss, r = fut.result()
            res[kind].setdefault("%d/%g" % (n, loss), []).append(r)
            if (i + 1) % 10 == 0 or i + 1 == len(futs):
                log("    sim: %d/%d runs (%.0f s)" % (i + 1, len(futs),
                                                      time.monotonic() - t0))

    # alone on the machine (for this harness): the speed figure
    sp = cfg["speed"]
    load0 = loadavg()
    a = run_sim(rumor, ["--nodes", str(sp["n"]), "--duration",
                        "%ds" % sp["d1"]])
    b = run_sim(rumor, ["--nodes", str(sp["n"]), "--duration",
                        "%ds" % sp["d2"]])
    res["bw"]["%d/0" % sp["n"]] = [{
        "bytes_per_member_s": (b["bytes_per_member_s"] * sp["d2"] -
                               a["bytes_per_member_s"] * sp["d1"]) /
        float(sp["d2"] - sp["d1"]),
        "overall_bytes_per_member_s": b["bytes_per_member_s"]}]
    res["speed"] = {
        "n": sp["n"], "short": a, "long": b,
        "overall": sp["d2"] / b["wall_s"],
        "steady": (sp["d2"] - sp["d1"]) / max(1e-9, b["wall_s"] - a["wall_s"]),
        "steady_cpu": (sp["d2"] - sp["d1"]) / max(1e-9, b["cpu_s"] -
                                                 a["cpu_s"]),
        "loadavg": [load0, loadavg()],
    }
    res["tables"] = tables(res)
    return res


def tables(res):
    det = {}
    for key, runs in res["detect"].items():
        first = [c["first_detect_ms"] for r in runs for c in r["crashes"]]
        alld = [c["all_detect_ms"] for r in runs for c in r["crashes"]]
        det[key] = {
            "runs": len(runs),
            "crashes": len(first),
            "first": summary(first), "all": summary(alld),
            "undetected": sum(1 for x in alld if x is None),
            "false_failures": sum(r["false_failures"] for r in runs),
            "bytes_per_member_s": sum(r["bytes_per_member_s"]
                                      for r in runs) / len(runs),
            "wall_s": sum(r["wall_s"] for r in runs),
        }
    soak = {}
    for key, runs in res["soak"].items():
        n, loss = key.split("/")
        mh = sum(r["member_hours"] for r in runs)
        ffm = sum(r["false_failed_members"] for r in runs)
        soak[key] = {"n": int(n), "loss": float(loss), "runs": len(runs),
                     "member_hours": mh,
                     "false_failures": sum(r["false_failures"]
                                           for r in runs),
                     "false_failed_members": ffm,
                     "per_member_hour": ffm / mh if mh else None}
    bw = sorted([int(k.split("/")[0]), v[0]["bytes_per_member_s"]]
                for k, v in res["bw"].items())
    return {"detect": det, "soak": soak, "bw": bw}


def scale(cfgs, rumor, tmp, log=print):
    """Large N in the simulator: one run per {n, duration_s, crash_at_s},
    alone: wall and CPU time, peak RSS (wait4's ru_maxrss) and from the
    log, detection of the crash, false failures and join convergence.
    Memory per known member = peak RSS / N^2 (every member's table holds
    every member)."""
    os.makedirs(tmp, exist_ok=True)
    out = []
    for c in cfgs:
        n = c["n"]
        lg = os.path.join(tmp, "scale-%d.jsonl" % n)
        args = ["--nodes", str(n), "--duration", "%ds" % c["duration_s"],
                "--crash", "%d@%ds" % (n // 2, c["crash_at_s"]),
                "--seed", "1"]
        argv = [rumor, "sim"] + args + ["--log", lg]
        t0 = time.monotonic()
        with tempfile.TemporaryFile("w+") as fh:
            p = subprocess.Popen(argv, stdout=fh, stderr=fh)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.monotonic() - t0
            fh.seek(0)
            text = fh.read()
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("%s: %s" % (" ".join(argv), text[-400:]))
        m = SUMMARY.search(text)
        an = analyze(rumor, lg)
        os.unlink(lg)
        cr = [x for x in an["crashes"] if x["cause"] == "crash"]
        r = {"n": n, "args": " ".join(args), "wall_s": wall,
             "cpu_s": ru.ru_utime + ru.ru_stime,
             "max_rss_kib": ru.ru_maxrss,
             "bytes_per_member_s": int(m.group(5)) if m else None,
             "summary": text.strip().splitlines()[-1] if text else "",
             "crash": {k: cr[0][k] for k in ("first_detect_ms",
                                             "all_detect_ms", "detected",
                                             "survivors")} if cr else None,
             "false_failures": an["false_failures"],
             "join": an["join_summary"]}
        r["bytes_per_known_member"] = ru.ru_maxrss * 1024.0 / (n * n)
        log("    sim N=%d %d s: %.1f s wall, %.0f MiB peak, %.0f B per "
            "known member" % (n, c["duration_s"], wall,
                              ru.ru_maxrss / 1024.0,
                              r["bytes_per_known_member"]))
        out.append(r)
    return out
