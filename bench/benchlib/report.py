# SPDX-License-Identifier: MIT
"""docs/benchmarks.md and its PNG plots (gnuplot) from results.json."""

import math
import os
import shutil
import subprocess

from .stats import growth_fits

SYSTEMS = ("rumor", "rumor-lean", "memberlist", "memberlist-long")
FLAT = 0.05  # every point within 5 % of the mean: no growth to fit


def f(x, fmt="%.0f", none="-"):
    return none if x is None else fmt % x


def sec(ms):
    return f(None if ms is None else ms / 1000.0, "%.2f")


def ratio(a, b):
    if a is None or b is None:
        return "-"
    if b == 0:
        return "both 0" if a == 0 else "inf"
    return "%.2f" % (a / b)


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


# ---- real-process helpers ----------------------------------------------

def _sys(res, name):
    return res["clusters"].get(name)


def _det(c, which, p):
    return c["analysis"]["crash_summary"][which + "_detect_ms"][p] \
        if c else None


def _ff_rate(c):
    if not c or not c["member_hours"]:
        return None
    return c["analysis"]["false_failed_members"] / c["member_hours"]


def _bg(c, key):
    return c["background"][key] if c else None


# ---- plots ---------------------------------------------------------------

def _write(path, lines):
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def _gnuplot(root, script, datadir, out, problems):
    if not shutil.which("gnuplot"):
        problems.append("gnuplot not found: %s not drawn" % out)
        return
    p = subprocess.run(["gnuplot", "-e", "dir='%s'; out='%s'" % (datadir,
                                                                 out),
                        os.path.join(root, "bench", "plots", script)],
                       capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(out):
        problems.append("gnuplot %s: %s" % (script, p.stderr.strip()[-300:]))


def plots(r, datadir, dest, root, problems):
    os.makedirs(datadir, exist_ok=True)
    made = []
    s = r.get("sim")
    if s:
        t = s["tables"]
        for loss in s["config_losses"]:
            rows = []
            for n in s["config_ns"]:
                d = t["detect"].get("%d/%g" % (n, loss))
                if d:
                    rows.append("%d %s %s %s %s" % (
                        n, *[f(None if v is None else v / 1000.0, "%.3f",
                               "NaN") for v in (
                            d["first"]["p50"], d["first"]["p99"],
                            d["all"]["p50"], d["all"]["p99"])]))
            _write(os.path.join(datadir, "sim-detect-%g.dat" % (loss * 100)),
                   ["# N first_p50_s first_p99_s all_p50_s all_p99_s"] + rows)
        for n in sorted({v["n"] for v in t["soak"].values()}):
            rows = ["%g %.4f %d" % (v["loss"] * 100, v["per_member_hour"],
                                    v["false_failed_members"])
                    for v in sorted(t["soak"].values(),
                                    key=lambda v: v["loss"])
                    if v["n"] == n]
            _write(os.path.join(datadir, "sim-soak-%d.dat" % n),
                   ["# loss_pct per_member_hour members"] + rows)
        for n in s["config_ns"]:
            rows = []
            for loss in s["config_losses"]:
                runs = s["detect"].get("%d/%g" % (n, loss))
                if runs:
                    mh = sum(n * x["virtual_ms"] / 3.6e6 for x in runs)
                    ffm = sum(x["false_failed_members"] for x in runs)
                    rows.append("%g %.4f %d" % (loss * 100, ffm / mh, ffm))
            _write(os.path.join(datadir, "sim-churn-%d.dat" % n),
                   ["# loss_pct per_member_hour members"] + rows)
        _write(os.path.join(datadir, "sim-bw.dat"),
               ["# N bytes_per_member_s"] +
               ["%d %.1f" % (n, v) for n, v in t["bw"]])
        fit = r.get("fits", {}).get("sim_bw")
        _write(os.path.join(datadir, "fits.gp"), [_gp_fit(fit)])
        out = os.path.join(dest, "bench-sim-detection.png")
        _gnuplot(root, "sim-detection.gp", datadir, out, problems)
        made.append(out)
        out = os.path.join(dest, "bench-sim-false-failures.png")
        _gnuplot(root, "sim-false-failures.gp", datadir, out, problems)
        made.append(out)
    real = r.get("real")
    for name in SYSTEMS:
        _write(os.path.join(datadir, "real-%s.dat" % name), ["NaN " * 7 +
                                                             "NaN"])
    if not s:  # the bandwidth plot still reads these
        _write(os.path.join(datadir, "sim-bw.dat"), ["NaN NaN"])
        _write(os.path.join(datadir, "fits.gp"), [_gp_fit(None)])
    if real:
        sizes = sorted(int(k[1:]) for k in real if k.startswith("n"))
        for name in SYSTEMS:
            rows = []
            for n in sizes:
                c = _sys(real["n%d" % n], name)
                if not c:
                    continue
                rows.append("%d %s" % (n, " ".join(
                    f(v, "%.4f", "NaN") for v in (
                        _none_div(_det(c, "first", "p50"), 1000),
                        _none_div(_det(c, "first", "p99"), 1000),
                        _none_div(_det(c, "all", "p50"), 1000),
                        _none_div(_det(c, "all", "p99"), 1000),
                        _bg(c, "bytes_per_s"), _bg(c, "cpu_pct"),
                        _none_div(_bg(c, "rss_kib"), 1024)))))
            _write(os.path.join(datadir, "real-%s.dat" % name),
                   ["# N first_p50 first_p99 all_p50 all_p99 (s) "
                    "bytes_per_s cpu_pct rss_mib"] +
                   (rows or ["NaN " * 7 + "NaN"]))
        out = os.path.join(dest, "bench-real-detection.png")
        _gnuplot(root, "real-detection.gp", datadir, out, problems)
        made.append(out)
        out = os.path.join(dest, "bench-real-cost.png")
        _gnuplot(root, "real-cost.gp", datadir, out, problems)
        made.append(out)
    if s or real:
        out = os.path.join(dest, "bench-bandwidth.png")
        _gnuplot(root, "bandwidth.gp", datadir, out, problems)
        made.append(out)
    return made


def _gp_fit(ft):
    """bestfit(x) and its key title for gnuplot (the best fit by R^2)."""
    if not ft:
        return 'bestfit(x) = 1/0; bestlabel = "no fit"'
    b = ft["best"]
    expr = {"linear": "%r + %r*x" % (ft["linear"]["a"], ft["linear"]["b"]),
            "log": "%r + %r*log(x)" % (ft["log"]["a"], ft["log"]["b"]),
            "power": "%r * x**%r" % (ft["power"]["c"], ft["power"]["k"])}[b]
    return 'bestfit(x) = %s; bestlabel = "best fit (simulator): %s"' % (
        expr, ft[b]["formula"])


def _none_div(x, d):
    return None if x is None else x / d


# ---- fits -----------------------------------------------------------------

def fits(r):
    out = {}
    s = r.get("sim")
    if s:
        bw = s["tables"]["bw"]
        out["sim_bw"] = growth_fits([n for n, _ in bw], [v for _, v in bw])
        for which in ("first", "all"):
            pts = [(n, s["tables"]["detect"].get("%d/0" % n))
                   for n in s["config_ns"]]
            pts = [(n, d[which]["p50"]) for n, d in pts if d]
            if len(pts) >= 3:
                out["sim_%s" % which] = growth_fits([p[0] for p in pts],
                                                    [p[1] for p in pts])
    real = r.get("real")
    if real:
        sizes = sorted(int(k[1:]) for k in real if k.startswith("n"))
        for name in SYSTEMS:
            cs = [(n, _sys(real["n%d" % n], name)) for n in sizes]
            cs = [(n, c) for n, c in cs if c]
            if len(cs) < 3:
                continue
            out["real_bw_" + name] = growth_fits(
                [n for n, _ in cs], [_bg(c, "bytes_per_s") for _, c in cs])
            out["real_all_" + name] = growth_fits(
                [n for n, _ in cs], [_det(c, "all", "p50") for _, c in cs])
    return out


def fit_line(label, ft, unit):
    if not ft:
        return "- %s: too few points to fit" % label
    parts = ["%s `%s` R²=%.3f" % (m, ft[m]["formula"], ft[m]["r2"])
             for m in ("linear", "log", "power")]
    if ft.get("spread", 1.0) < FLAT:
        return ("- %s (%s): %s. Best: %s, but every point is within %.1f %% "
                "of the mean %s: **nearly flat**." % (
                    label, unit, "; ".join(parts), ft["best"],
                    100.0 * ft["spread"], ft["const"]["formula"]))
    return "- %s (%s): %s. **Best: %s.**" % (label, unit, "; ".join(parts),
                                            ft["best"])


# ---- checks (quick mode: the harness must not rot) -----------------------

def check(r):
    problems = []
    s = r.get("sim")
    if s:
        for key, d in s["tables"]["detect"].items():
            if not d["crashes"] or d["first"]["p50"] is None:
                problems.append("sim detection %s: no crash detected" % key)
        if not s["tables"]["soak"]:
            problems.append("sim soak: no result")
        if not s["tables"]["bw"] or min(v for _, v in s["tables"]["bw"]) <= 0:
            problems.append("sim bandwidth: no bytes counted")
        if not s["speed"]["overall"] > 0:
            problems.append("sim speed: not measured")
    real = r.get("real")
    if real:
        for key, res in real.items():
            if not (key.startswith("n") or key == "drop"):
                continue
            for name, c in res["clusters"].items():
                cs = c["analysis"]["crash_summary"]
                if cs["count"] < res["spec"]["kills"]:
                    problems.append("real %s %s: %d crashes analysed, %d "
                                    "kills" % (key, name, cs["count"],
                                               res["spec"]["kills"]))
                if cs["all_detect_ms"]["n"] == 0:
                    problems.append("real %s %s: no crash detected by all"
                                    % (key, name))
                if not c["background"]["bytes_per_s"]:
                    problems.append("real %s %s: no bytes counted"
                                    % (key, name))
                if c["background"]["cpu_pct"] is None or \
                        c["background"]["rss_kib"] is None:
                    problems.append("real %s %s: no CPU/RSS" % (key, name))
    fr = (real or {}).get("frontier")
    if fr:
        for name, c in fr["detect"]["clusters"].items():
            if c["background"]["bytes_per_s"] is None:
                problems.append("frontier %s: no bytes counted" % name)
    if real and real.get("wire", {}).get("enabled"):
        for key in (k for k in real if k.startswith("n")):
            for name, c in real[key]["clusters"].items():
                if not c["background"].get("wire_per_s"):
                    problems.append("real %s %s: no bytes on the wire"
                                    % (key, name))
    return problems


def write(r, out, dest, root):
    """Write dest/benchmarks.md and dest/bench-*.png; return problems."""
    from . import report_md
    if r.get("sim"):
        cfg = r["config"]["sim"]["detect"]
        r["sim"]["config_ns"] = cfg["ns"]
        r["sim"]["config_losses"] = cfg["losses"]
    problems = check(r)
    r["fits"] = fits(r)
    os.makedirs(dest, exist_ok=True)
    made = plots(r, os.path.join(out, "plot-data"), dest, root, problems)
    from . import report_extra
    made += report_extra.plot_frontier(r, os.path.join(out, "plot-data"),
                                       dest, root, problems)
    text = report_md.render(r, [os.path.basename(p) for p in made
                                if os.path.exists(p)])
    with open(os.path.join(dest, "benchmarks.md"), "w") as fh:
        fh.write(text)
    return problems


__all__ = ["write", "f", "sec", "ratio", "md_table", "fit_line", "math"]
