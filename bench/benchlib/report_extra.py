# SPDX-License-Identifier: MIT
"""docs/benchmarks.md sections of issue 14 and 12: the frontier (rumor's
and memberlist's settings, bytes against detection and false failures),
honest bytes (own counters against the kernel's count), sick members, and
the simulator at scale; and the frontier plot."""

import os

from .report import f, sec, ratio, md_table, _det, _gnuplot, _write


def _wire(c):
    b = c["background"]
    return b.get("wire_per_s")


def _bytes(c):
    """Bytes/s per member: the wire count when there is one, else own."""
    w = _wire(c)
    return w if w is not None else c["background"]["bytes_per_s"]


def _ff(c):
    a = c["analysis"]
    return a["false_failed_members"], a["false_failures"], c["member_hours"]


def _points(r):
    fr = (r.get("real") or {}).get("frontier")
    if not fr:
        return None, []
    pts = []
    for name in fr["names"]:
        c = fr["detect"]["clusters"].get(name)
        s30 = fr["soak"]["clusters"].get(name + "@30%")
        s10 = fr["soak"]["clusters"].get(name + "@10%")
        if not c:
            continue
        pts.append({"name": name, "kind": c["kind"],
                    "flags": " ".join(fr["extra"].get(name) or []) or
                    "(defaults)",
                    "bytes": _bytes(c), "own": c["background"]["bytes_per_s"],
                    "first": _det(c, "first", "p50"),
                    "all": _det(c, "all", "p50"),
                    "all99": _det(c, "all", "p99"),
                    "kills": c["analysis"]["crash_summary"]["count"],
                    "undetected": c["analysis"]["crash_summary"]
                    ["undetected"],
                    "ff30": _ff(s30) if s30 else None,
                    "ff10": _ff(s10) if s10 else None})
    return fr, pts


def _bar(pts):
    """Per memberlist setting: the fastest rumor setting that sends no
    more bytes, and whether it detects (all, p50) in at most half the time
    with no more falsely failed members at 30% drop."""
    rows, met = [], True
    rs = [p for p in pts if p["kind"] == "rumor" and p["bytes"] is not None
          and p["all"] is not None]
    for m in [p for p in pts if p["kind"] == "memberlist"]:
        cand = [p for p in rs if p["bytes"] <= m["bytes"]]
        if not cand or m["all"] is None:
            rows.append([m["name"], f(m["bytes"]), sec(m["all"]),
                         "none as cheap", "-", "-", "-", "**no**"])
            met = False
            continue
        best = min(cand, key=lambda p: p["all"])
        ffr = best["ff30"][0] if best["ff30"] else None
        ffm = m["ff30"][0] if m["ff30"] else None
        ok = best["all"] <= 0.5 * m["all"] and ffr is not None and \
            ffm is not None and ffr <= ffm
        met = met and ok
        rows.append([m["name"], f(m["bytes"]), sec(m["all"]), best["name"],
                     f(best["bytes"]), sec(best["all"]),
                     ratio(best["all"], m["all"]),
                     "%s / %s" % (f(ffr), f(ffm)),
                     "yes" if ok else "**no**"])
    return rows, met


def frontier(r):
    fr, pts = _points(r)
    if not fr:
        return ""
    rows = []
    for p in pts:
        rows.append([p["name"], "`%s`" % p["flags"], f(p["bytes"]),
                     f(p["own"]), sec(p["first"]), sec(p["all"]),
                     sec(p["all99"]), "%d/%d" % (p["undetected"], p["kills"]),
                     "%s (%s pairs) in %.1f h" % p["ff30"] if p["ff30"]
                     else "-",
                     "%s (%s pairs) in %.1f h" % p["ff10"] if p["ff10"]
                     else "-"])
    bar, met = _bar(pts)
    d, s = fr["detect"]["spec"], fr["soak"]["spec"]
    lean = next((p for p in pts if p["name"] == "rumor-lean"), None)
    mdef = next((p for p in pts if p["name"] == "memberlist-x1"), None)
    bar2 = ""
    if lean and mdef and lean["ff30"] and lean["ff10"]:
        ok = (lean["bytes"] <= mdef["bytes"] and
              lean["first"] is not None and lean["all"] is not None and
              mdef["first"] and mdef["all"] and
              lean["first"] <= 0.5 * mdef["first"] and
              lean["all"] <= 0.5 * mdef["all"] and
              lean["ff30"][0] == 0 and lean["ff10"][0] == 0 and
              lean["ff30"][2] >= 2 and lean["ff10"][2] >= 2)
        bar2 = ("At memberlist's default bandwidth (memberlist-x1, short "
                "names, %s B/s): rumor-lean sends %s B/s, detects first in "
                "%s s (%s of memberlist's %s s) and by all in %s s (%s of "
                "%s s), and falsely failed %d members in %.1f member-hours "
                "at 10%% drop and %d in %.1f at 30%%: the bar is **%s**."
                % (f(mdef["bytes"]), f(lean["bytes"]), sec(lean["first"]),
                   ratio(lean["first"], mdef["first"]), sec(mdef["first"]),
                   sec(lean["all"]), ratio(lean["all"], mdef["all"]),
                   sec(mdef["all"]), lean["ff10"][0], lean["ff10"][2],
                   lean["ff30"][0], lean["ff30"][2],
                   "met" if ok else "not met"))
    return "\n".join([
        "## The frontier: bytes against detection, N=%d" % d["n"],
        "",
        _provenance(r, fr),
        "Every setting of both systems ran **at the same time** (%d "
        "clusters of %d real processes on loopback): %g s of background "
        "(bytes), then %d SIGKILLs every %g s (a new member joins %g s "
        "after each). Then, in a second run, every setting again at 30%% "
        "receive drop (and rumor-lean and memberlist's defaults at 10%%), "
        "no kills, %g s after convergence: false failures = distinct "
        "members failed while running (and `fail` pairs) in the "
        "member-hours shown. memberlist-x*k*: `DefaultLANConfig()` with "
        "ProbeInterval, ProbeTimeout and GossipInterval multiplied by *k* "
        "(SuspicionMult 4; its suspicion timeout scales with "
        "ProbeInterval), short node names. *bytes/s* = UDP + TCP payload "
        "sent per member, counted by the kernel outside the process (see "
        "*Honest bytes*); *own* = the member's own counters."
        % (len(fr["detect"]["clusters"]), d["n"], d["bg_s"], d["kills"],
           d["period_s"], d["restart_after_s"], s["bg_s"]),
        "",
        md_table(["setting", "flags", "bytes/s", "own B/s",
                  "first p50 (s)", "all p50", "all p99",
                  "undetected pairs / kills", "falsely failed @30%",
                  "falsely failed @10%"], rows),
        "![frontier](bench-frontier.png)",
        "",
        "**The bar** (issue 14): at every bandwidth memberlist reaches, "
        "rumor detects (by all, p50) in at most half of memberlist's time "
        "with no more falsely failed members at 30%% drop. Per memberlist "
        "setting, the fastest rumor setting that sends no more bytes: "
        "**%s**." % ("met" if met else "not met"),
        "",
        md_table(["memberlist", "B/s", "all p50 (s)", "rumor",
                  "B/s", "all p50 (s)", "rumor / memberlist",
                  "falsely failed @30% rumor / memberlist", "met"], bar),
        bar2,
        "",
        _dominated(pts),
        _caveats(pts),
    ])


def _provenance(r, fr):
    """The paragraph saying when and where a frontier run of its own
    (bench.py --render-frontier, r["frontier_run"]) ran; "" without one."""
    p = r.get("frontier_run")
    if not p:
        return ""
    return ("**This section comes from its own run**, not from the `make "
            "bench` run of the header (every other section does): %s; "
            "%s to %s UTC (detection phase %.0f s, false-failure soak "
            "%.0f s), on %s, load average %s. rumor: %s. memberlist: %s. "
            "Rendered by `bench/bench.py --render-frontier` from that run's "
            "results.\n" % (p["how"], p["start_utc"], p["end_utc"][-8:],
                             fr["detect"]["wall_s"], fr["soak"]["wall_s"],
                             p["machine"], p["load"], p["rumor"],
                             p["memberlist"]))


def _dominated(pts):
    """rumor settings another rumor setting beats on both axes: no more
    bytes and a shorter detection by all (p50)."""
    rs = [p for p in pts if p["kind"] == "rumor" and p["bytes"] is not None
          and p["all"] is not None]
    out = []
    for p in rs:
        by = [q for q in rs if q is not p and q["bytes"] <= p["bytes"] and
              q["all"] < p["all"]]
        if by:
            out.append("%s (%s B/s, %s s) by %s" % (
                p["name"], f(p["bytes"]), sec(p["all"]), ", ".join(
                    "%s (%s B/s, %s s)" % (q["name"], f(q["bytes"]),
                                           sec(q["all"])) for q in by)))
    if not out:
        return ""
    return ("Dominated (another rumor setting sends no more bytes and is "
            "detected by all sooner): %s.\n" % "; ".join(out))


# What a setting's row cannot show (keyed by setting name).
CAVEATS = {
    "rumor-wan": "rumor-wan's T_suspect (2.5 s, 10 heartbeats) is meant "
    "for slow, lossy links, not for this trade-off of bytes against "
    "detection.",
    "rumor-lan500": "rumor-lan500 sends the defaults' heartbeats but "
    "its monitors suspect a member after 0.5 s of silence and may fail it "
    "`T_suspect + T_fail` = 0.75 s after its last heartbeat (the "
    "defaults: 1 s and 1.5 s), so a member whose event loop stalls has "
    "half the defaults' margin before it is suspected and must refute. "
    "The false failures above are at receive drop only; the sick-member "
    "runs (deaf, one-way, slow) used the defaults: lan500 was not soaked "
    "with sick members.",
}


def _caveats(pts):
    out = [CAVEATS[p["name"]] for p in pts if p["name"] in CAVEATS]
    return " ".join(out) + "\n" if out else ""


def honest(r):
    real = r.get("real") or {}
    keys = sorted((k for k in real if k.startswith("n")),
                  key=lambda k: int(k[1:]))
    rows = []
    for k in keys:
        for name, c in real[k]["clusters"].items():
            b = c["background"]
            rows.append([k[1:], name, f(b.get("udp_bytes_per_s")),
                         f(b["stream_bytes_per_s"]), f(b["bytes_per_s"]),
                         f(b.get("wire_udp_per_s")),
                         f(b.get("wire_tcp_per_s")), f(b.get("wire_per_s")),
                         ratio(b.get("wire_per_s"), b["bytes_per_s"])])
    if not rows:
        return ""
    w = real.get("wire", {})
    return "\n".join([
        "## Honest bytes: own counters and the kernel's count",
        "",
        "Every member binds its own loopback address (127.B.C.K) and opens "
        "its TCP streams from it (rumor's agent binds a stream's source to "
        "its bind address; the memberlist peer dials with that local "
        "address); an nftables table of the benchmark's counts, in the "
        "output hook, every packet by source address, and payload = IP "
        "bytes - 28 per UDP datagram - (20 + 4 * data offset) per TCP "
        "segment (`bench/benchlib/netacct.py`). The same rules count both "
        "systems. Background window, no faults. %s"
        % ("" if w.get("enabled") else "**Off in this run: %s.**"
           % w.get("reason")),
        "",
        md_table(["N", "system", "own UDP B/s", "own TCP", "own total",
                  "wire UDP", "wire TCP", "wire total", "wire / own"],
                 rows),
    ])


def sick(r):
    sk = (r.get("real") or {}).get("sick")
    if not sk:
        return ""
    sp = sk["spec"]
    rows = []
    for name, c in sorted(sk["clusters"].items(),
                          key=lambda kv: (kv[1]["kind"], kv[1]["system"])):
        cr = c["crash"] or {}
        rows.append([c["kind"], c["system"], c["false_failures_healthy"],
                     c["healthy_failed_members"], c["sick_failed"],
                     sec(cr.get("first_detect_ms")),
                     sec(cr.get("all_detect_ms")),
                     "%s/%s" % (cr.get("detected", "-"),
                                cr.get("survivors", "-"))])
    return "\n".join([
        "## Sick members (real processes), rumor and memberlist side by "
        "side",
        "",
        "N=%d, both at defaults, all %d clusters at once. In each, one "
        "member is sick for %g s; %g s into it another member gets "
        "SIGKILL. *deaf*: it drops every datagram it receives (rumor: "
        "`rumor set drop-rate 1` on its control socket; memberlist peer: "
        "SIGUSR1, the same drop in its transport); *oneway*: nothing from "
        "half of the other members reaches it (nftables drop, UDP and "
        "TCP), its own packets pass; *slow*: SIGSTOP for %d ms of every "
        "second (a stalled loop). Healthy members failed = `fail` pairs "
        "(and distinct members) naming anyone but the sick member; the "
        "sick member may be failed (its `fail` pairs shown)."
        % (sp["n"], len(sk["clusters"]), sp["dur_s"], sp["crash_at_s"],
           sp["stop_ms"]),
        "",
        md_table(["sickness", "system", "healthy failed (pairs)",
                  "healthy members failed", "sick one failed (pairs)",
                  "crash: first (s)", "crash: all (s)",
                  "crash detected by / survivors"], rows),
    ])


def scale(r):
    sc = r.get("scale")
    if not sc:
        return ""
    rows = []
    for x in sc:
        cr = x["crash"] or {}
        j = x["join"] or {}
        rows.append([x["n"], "`rumor sim %s`" % x["args"],
                     "%.1f" % x["wall_s"], "%.1f" % x["cpu_s"],
                     "%.0f" % (x["max_rss_kib"] / 1024.0),
                     "%.0f" % x["bytes_per_known_member"],
                     f(x["bytes_per_member_s"]),
                     sec(cr.get("first_detect_ms")),
                     sec(cr.get("all_detect_ms")), x["false_failures"],
                     sec((j.get("all_ms") or {}).get("p50")),
                     sec((j.get("all_ms") or {}).get("p99"))])
    return "\n".join([
        "## The simulator at scale",
        "",
        "One `rumor sim` run each, alone, one crash. Memory per known "
        "member = peak RSS / N² (every member's table lists every member). "
        "bytes/s per member over the whole run, the join storm of all N "
        "members included. Join: ms from a member's start until every "
        "member lists it (p50/p99).",
        "",
        md_table(["N", "command", "wall (s)", "CPU (s)", "peak RSS MiB",
                  "B per known member", "bytes/s per member",
                  "crash first (s)", "crash all (s)", "false failures",
                  "join by all p50 (s)", "p99"], rows),
    ])


def plot_frontier(r, datadir, dest, root, problems):
    fr, pts = _points(r)
    if not fr:
        return []
    os.makedirs(datadir, exist_ok=True)
    for kind in ("rumor", "memberlist"):
        rows = []
        for p in pts:
            if p["kind"] != kind or p["bytes"] is None:
                continue
            ff = p["ff30"][0] / p["ff30"][2] if p["ff30"] and \
                p["ff30"][2] else None
            rows.append("%.1f %s %s \"%s\"" % (
                p["bytes"], f(None if p["all"] is None else p["all"] / 1e3,
                              "%.3f", "NaN"),
                f(ff, "%.3f", "NaN"), p["name"]))
        _write(os.path.join(datadir, "frontier-%s.dat" % kind),
               ["# bytes_per_s all_p50_s ff30_per_member_hour name"] +
               (rows or ["NaN NaN NaN \"\""]))
    out = os.path.join(dest, "bench-frontier.png")
    _gnuplot(root, "frontier.gp", datadir, out, problems)
    return [out]
