#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tests/lib/test_notify.py RUMOR: `rumor agent` under Type=notify.

Plays systemd's part: a Unix datagram socket named in NOTIFY_SOCKET. The
agent must send READY=1 once it listens, and STOPPING=1 when SIGTERM makes
it leave; it then exits 0. Skips (77) when rumor was built without
libsystemd.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile


def main():
    rumor = sys.argv[1]
    ldd = subprocess.run(["ldd", rumor], capture_output=True, text=True)
    if "libsystemd" not in ldd.stdout:
        print("skip: rumor built without libsystemd (Type=simple only)")
        return 77
    with tempfile.TemporaryDirectory(prefix="rumor-notify-") as d:
        path = os.path.join(d, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(30)
        env = dict(os.environ, NOTIFY_SOCKET=path)
        agent = subprocess.Popen(
            [rumor, "agent", "--bind", "127.0.0.1:0", "--quiet",
             "--control", os.path.join(d, "a.sock"), "--state-dir", d],
            env=env, stderr=subprocess.DEVNULL)
        try:
            got = sock.recv(4096).decode()
            if "READY=1" not in got:
                print(f"FAIL: first notification {got!r}, want READY=1")
                return 1
            agent.send_signal(signal.SIGTERM)
            seen = ""
            while "STOPPING=1" not in seen:
                seen += sock.recv(4096).decode() + "\n"
            rc = agent.wait(timeout=30)
        finally:
            if agent.poll() is None:
                agent.kill()
        if rc != 0:
            print(f"FAIL: agent exited {rc} after SIGTERM")
            return 1
    print("ok: READY=1 once listening, STOPPING=1 on SIGTERM, exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
