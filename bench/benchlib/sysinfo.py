# SPDX-License-Identifier: MIT
"""Date, machine and versions for the report's header."""

import os
import platform
import subprocess
import time


def _cmd(argv, cwd=None):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, cwd=cwd,
                           timeout=20)
        return (p.stdout or p.stderr).strip().splitlines()[0] \
            if p.returncode == 0 and (p.stdout or p.stderr).strip() else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _mem_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1048576.0
    except OSError:
        pass
    return None


def loadavg():
    try:
        return [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    except OSError:
        return None


def collect(root, rumor_bin, go_bin):
    memberlist = _cmd(["dpkg-query", "-W", "-f", "${Version}",
                       "golang-github-hashicorp-memberlist-dev"])
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": _cpu_model(),
            "mem_gib": _mem_gib(),
            "kernel": platform.release(),
            "loadavg_start": loadavg(),
        },
        "versions": {
            "rumor": _cmd(["git", "describe", "--always", "--dirty",
                           "--tags"], cwd=root),
            "gcc": _cmd(["gcc", "--version"]),
            "go": _cmd([go_bin or "go", "version"]),
            "memberlist": ("golang-github-hashicorp-memberlist-dev " +
                           memberlist) if memberlist else None,
            "gnuplot": _cmd(["gnuplot", "--version"]),
            "python": platform.python_version(),
            "rumor_bin": rumor_bin,
        },
    }
