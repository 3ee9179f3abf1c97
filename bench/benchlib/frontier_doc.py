# SPDX-License-Identifier: MIT
"""bench.py --render-frontier DIR: the frontier section of benchmarks.md
and bench-frontier.png again from the results of a frontier run, without
running anything.

DIR/frontier.json holds {"real": {"frontier": F}} with F as run_frontier
returns it (a whole run's results.json has the same "real"/"frontier"
keys, so DIR may hold one of those instead). DIR/run.json, optional, says
where and when that run was (keys how, start_utc, end_utc, time_source,
machine, load, rumor, memberlist: text), printed at the top of the
section; with it the header's "every figure from that one run" sentence
is corrected. In DEST/benchmarks.md the section from its "## The
frontier" heading to the next "## " heading is replaced; the rest of the
page stays as it was."""

import json
import os

from . import report_extra

HEAD = "## The frontier"
ONE_RUN = "Every figure below comes from that one run;"
ONE_RUN_BUT = ("Every figure below comes from that one run except the "
               "frontier section, which comes from its own run (stated "
               "there);")


def load(src):
    """The results of DIR (see the module's comment); raises OSError or
    ValueError (bad JSON, no frontier in it)."""
    path = os.path.join(src, "frontier.json")
    if not os.path.exists(path):
        path = os.path.join(src, "results.json")
    with open(path) as fh:
        r = json.load(fh)
    if not (r.get("real") or {}).get("frontier"):
        raise ValueError("%s: no real.frontier results in it" % path)
    prov = os.path.join(src, "run.json")
    if os.path.exists(prov):
        with open(prov) as fh:
            r["frontier_run"] = json.load(fh)
    return r


def splice(page, section, corrected):
    """page with its frontier section replaced by section; None when the
    page has no such section."""
    lines = page.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.startswith(HEAD)),
                 None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("## ")), len(lines))
    out = "\n".join(lines[:start] + [section.rstrip("\n"), ""] +
                    lines[end:])
    return out.replace(ONE_RUN, ONE_RUN_BUT) if corrected else out


def write(src, out, dest, root):
    """Re-render DEST/benchmarks.md's frontier section and
    DEST/bench-frontier.png from src; plot data goes to out/plot-data.
    Returns the problems (empty list: all written)."""
    try:
        r = load(src)
    except (OSError, ValueError) as e:
        return ["--render-frontier: %s" % e]
    page_path = os.path.join(dest, "benchmarks.md")
    try:
        with open(page_path) as fh:
            page = fh.read()
    except OSError as e:
        return ["--render-frontier: %s" % e]
    new = splice(page, report_extra.frontier(r), "frontier_run" in r)
    if new is None:
        return ["--render-frontier: %s has no '%s' section" % (page_path,
                                                               HEAD)]
    problems = []
    report_extra.plot_frontier(r, os.path.join(out, "plot-data"), dest, root,
                               problems)
    with open(page_path, "w") as fh:
        fh.write(new)
    return problems
