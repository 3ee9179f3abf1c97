# SPDX-License-Identifier: MIT
"""Local clusters of member processes on 127.0.0.1: rumor agents or
memberlist peers (bench/peers/memberlist), started, killed, polled and
measured the same way.

Every member binds port 0 (no clash with other users of the shared
machine); its id host:port#version is read from its `start` line. Each
cluster keeps its own directory: member-K.jsonl (event log), member-K.stderr,
for memberlist member-K.stats (counters), and scenario.jsonl, the ground
truth (`crash` lines written just before the SIGKILL) that `rumor analyze`
reads beside the member logs.
"""

import ctypes
import json
import os
import signal
import socket
import subprocess
import time

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def now_ms():
    return time.time_ns() // 1_000_000


def _die_with_parent():
    # a harness killed by any means takes its members with it
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Member:
    def __init__(self, index, proc, log, stats=None, control=None):
        self.index = index
        self.proc = proc
        self.log = log
        self.stats = stats      # memberlist: counters file
        self.control = control  # rumor: control socket
        self.id = None
        self.addr = None
        self.killed_ms = None

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.killed_ms is None and self.proc.poll() is None


class Cluster:
    """kind: 'rumor' or 'memberlist'. extra: flags for every member."""

    def __init__(self, name, kind, directory, binary, sockdir,
                 drop_rate=0.0, extra=(), seed=1, acct=None, index=0,
                 short_names=False):
        """acct: a netacct.Accounting (each member gets its own loopback
        address, counted outside the process) or None (127.0.0.1).
        index: the cluster's number in the run (its addresses).
        short_names: memberlist node names n0, n1, ... instead of ids."""
        self.name = name
        self.acct = acct
        self.index = index
        self.short_names = short_names
        self.kind = kind
        self.dir = directory
        self.bin = binary
        self.sockdir = sockdir
        self.drop = drop_rate
        self.extra = list(extra)
        self.seed = seed
        self.members = []
        os.makedirs(directory, exist_ok=True)
        self.scenario = os.path.join(directory, "scenario.jsonl")
        open(self.scenario, "w").close()

    # -- processes ---------------------------------------------------
    def _argv(self, k, seeds):
        log = os.path.join(self.dir, "member-%d.jsonl" % k)
        host = self.acct.addr(self.index, k) if self.acct else "127.0.0.1"
        if self.kind == "rumor":
            ctl = os.path.join(self.sockdir, "%s-%d.sock" % (self.name, k))
            argv = [self.bin, "agent", "--bind", host + ":0", "--log", log,
                    "--control", ctl, "--state-dir", self.sockdir, "--quiet",
                    "--drop-rate", repr(self.drop)]
            for s in seeds:
                argv += ["--join", s]
            return argv + self.extra, log, None, ctl
        stats = os.path.join(self.dir, "member-%d.stats" % k)
        argv = [self.bin, "--bind", host + ":0", "--log", log,
                "--stats", stats, "--stats-ms", "500",
                "--drop-rate", repr(self.drop),
                "--seed", str(self.seed * 100003 + k + 1)]
        if self.short_names:
            argv += ["--name", "n%d" % k, "--version", str(k)]
        for s in seeds:
            argv += ["--join", s]
        return argv + self.extra, log, stats, None

    def spawn(self, seeds):
        """Start one member joining through seeds (addresses); no wait."""
        k = len(self.members)
        argv, log, stats, ctl = self._argv(k, seeds)
        for f in (log, stats):
            if f and os.path.exists(f):
                os.unlink(f)
        err = open(os.path.join(self.dir, "member-%d.stderr" % k), "w")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=err, stderr=err,
                                preexec_fn=_die_with_parent)
        err.close()
        m = Member(k, proc, log, stats, ctl)
        m.host = argv[argv.index("--bind") + 1].rsplit(":", 1)[0]
        self.members.append(m)
        return m

    def wait_started(self, m, timeout=10.0):
        """Read the member's id from its first log line."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if m.proc.poll() is not None:
                raise RuntimeError("%s member %d exited with %s (see %s)" % (
                    self.name, m.index, m.proc.returncode,
                    m.log.replace(".jsonl", ".stderr")))
            try:
                with open(m.log) as f:
                    line = f.readline()
                if line.endswith("\n"):
                    m.id = json.loads(line)["node"]
                    m.addr = m.id.split("#")[0]
                    return m
            except FileNotFoundError:
                pass
            time.sleep(0.02)
        raise RuntimeError("%s member %d: no start line within %.0f s"
                           % (self.name, m.index, timeout))

    def live(self):
        return [m for m in self.members if m.running()]

    @staticmethod
    def current_id(m):
        """The id in the member's last log line: a rumor agent that was
        declared failed rejoins under a new version, so its start id may
        be stale by the time it is killed."""
        try:
            with open(m.log, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 8192))
                lines = f.read().split(b"\n")
            for line in reversed(lines):  # a cut first line fails to parse
                try:
                    return json.loads(line)["node"]
                except (ValueError, KeyError):
                    continue
        except OSError:
            pass
        return m.id

    def kill(self, m):
        """SIGKILL with a ground-truth `crash` line (ts just before) naming
        the member's current id."""
        m.id = self.current_id(m)
        ts = now_ms()
        with open(self.scenario, "a") as f:
            f.write(json.dumps({"ts": ts, "node": "scenario", "ev": "crash",
                                "member": m.id}) + "\n")
        os.kill(m.pid, signal.SIGKILL)
        m.killed_ms = ts
        m.proc.wait()

    def stop(self, grace=3.0, leave=False):
        """End the run. Default SIGKILL without a `crash` line: to the
        analyzer the members stay running to the end of their logs, so a
        crash nobody detected counts as undetected (members that left
        would not count as survivors). leave=True: SIGTERM (they leave),
        SIGKILL stragglers after grace s."""
        for m in self.live():
            try:
                m.proc.send_signal(signal.SIGTERM if leave else
                                   signal.SIGKILL)
            except ProcessLookupError:
                pass
        end = time.monotonic() + grace
        for m in self.members:
            left = max(0.0, end - time.monotonic())
            try:
                m.proc.wait(timeout=left)
            except subprocess.TimeoutExpired:
                m.proc.kill()
                m.proc.wait()

    def set_deaf(self, m, deaf):
        """Make m drop every datagram it receives (rumor: `set drop-rate
        1` on its control socket; memberlist peer: SIGUSR1) or go back to
        the cluster's drop rate."""
        if self.kind == "rumor":
            self._control(m, "set drop-rate %s" % ("1" if deaf else
                                                   repr(self.drop)))
        else:
            os.kill(m.pid, signal.SIGUSR1 if deaf else signal.SIGUSR2)

    # -- observation -------------------------------------------------
    def _control(self, m, cmd):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2.0)
        try:
            s.connect(m.control)
            s.sendall(cmd.encode() + b"\n")
            data = b""
            while True:
                x = s.recv(65536)
                if not x:
                    break
                data += x
        finally:
            s.close()
        lines = data.decode().splitlines()
        if not lines or not lines[0].startswith("ok"):
            raise RuntimeError("%s: %s: %r" % (m.control, cmd, lines[:1]))
        return lines[1:]

    @staticmethod
    def _last_stats(m):
        last = None
        try:
            with open(m.stats) as f:
                for line in f:
                    if line.endswith("\n"):
                        last = line
        except FileNotFoundError:
            return None
        return json.loads(last) if last else None

    def alive_count(self, m):
        """Members m lists as alive, itself included (None: unknown)."""
        try:
            if self.kind == "rumor":
                rows = [json.loads(x) for x in self._control(m, "members")]
                return sum(1 for r in rows if r.get("status") == "alive")
            st = self._last_stats(m)
            return st["members"] if st else None
        except (OSError, RuntimeError, ValueError):
            return None

    def counters(self, m):
        """{ts, bytes_sent, datagrams_sent, stream_bytes_sent|None}."""
        try:
            if self.kind == "rumor":
                st = json.loads(self._control(m, "stats")[0])
                return {"ts": now_ms(), "bytes": st["bytes_sent"],
                        "datagrams": st["datagrams_sent"],
                        "stream_bytes": st.get("stream_bytes_sent")}
            st = self._last_stats(m)
            if st is None:
                return None
            return {"ts": st["ts"], "bytes": st["bytes_sent"],
                    "datagrams": st["datagrams_sent"],
                    "stream_bytes": st["stream_bytes_sent"]}
        except (OSError, RuntimeError, ValueError, IndexError, KeyError):
            return None


def proc_cpu_ticks(pid):
    """utime+stime of a process in clock ticks (None when gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def proc_rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
