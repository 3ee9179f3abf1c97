# SPDX-License-Identifier: MIT
"""Percentiles (nearest rank, as rumor analyze) and least-squares fits."""

import math


def pct(values, p):
    """Nearest-rank percentile: the ceil(p/100 * n)-th smallest."""
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    k = max(1, math.ceil(p / 100.0 * len(v)))
    return v[k - 1]


def summary(values):
    v = [x for x in values if x is not None]
    return {"n": len(v), "p50": pct(v, 50), "p99": pct(v, 99),
            "max": max(v) if v else None}


def linfit(xs, ys):
    """y = a + b x by least squares: (a, b, r2)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    r2 = 1.0 - ss_res / ss_tot if ss_tot else 1.0
    return a, b, r2


def growth_fits(ns, ys):
    """Fits of y against N: constant, a+bN, a+b lnN, and the power law
    y = c N^k (least squares of ln y on ln N). Each with its R^2 (of y
    itself, so they compare) and the residual RMS."""
    pts = [(n, y) for n, y in zip(ns, ys) if y is not None and y > 0]
    if len(pts) < 3:
        return None
    xs, vs = [p[0] for p in pts], [p[1] for p in pts]
    my = sum(vs) / len(vs)
    ss_tot = sum((y - my) ** 2 for y in vs)

    def r2_of(pred):
        ss = sum((y - pred(x)) ** 2 for x, y in zip(xs, vs))
        rms = math.sqrt(ss / len(xs))
        return (1.0 - ss / ss_tot if ss_tot else 1.0), rms

    out = {}
    a, b, _ = linfit(xs, vs)
    out["linear"] = {"a": a, "b": b, "formula": "%.4g + %.4g*N" % (a, b)}
    out["linear"]["r2"], out["linear"]["rms"] = r2_of(lambda x: a + b * x)
    a2, b2, _ = linfit([math.log(x) for x in xs], vs)
    out["log"] = {"a": a2, "b": b2, "formula": "%.4g + %.4g*ln(N)" % (a2, b2)}
    out["log"]["r2"], out["log"]["rms"] = r2_of(
        lambda x: a2 + b2 * math.log(x))
    a3, k, _ = linfit([math.log(x) for x in xs], [math.log(y) for y in vs])
    c = math.exp(a3)
    out["power"] = {"c": c, "k": k, "formula": "%.4g*N^%.3f" % (c, k)}
    out["power"]["r2"], out["power"]["rms"] = r2_of(lambda x: c * x ** k)
    out["const"] = {"a": my, "formula": "%.4g" % my, "r2": 0.0,
                    "rms": math.sqrt(ss_tot / len(xs))}
    best = max(("linear", "log", "power"), key=lambda m: out[m]["r2"])
    out["best"] = best
    # relative spread: when all points lie within a few % of their mean,
    # R^2 compares noise and "no growth" is the honest fit
    out["spread"] = max(abs(y - my) for y in vs) / my if my else 0.0
    return out
