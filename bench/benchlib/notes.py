# SPDX-License-Identifier: MIT
"""Static text at the end of docs/benchmarks.md: method, fairness, limits."""

NOTES = """## Method, fairness and limits

**Same run, same conditions.** For each N the rumor, rumor-tuned and
memberlist clusters run at the same time, so machine load (the machine is
shared: see the load average above) affects all of them alike; they are
killed at the same moments, at the same position in their member lists;
the drop rate and the measurement windows are the same. Every ratio in
this page divides two figures of the same run.

**Defaults against defaults.** rumor: `T_heartbeat` 100 ms to 3 ring
monitors, gossip every 200 ms to 3 members with at most 16 entries,
`T_suspect` 1 s + `T_fail` 0.5 s, anti-entropy every 10 s. memberlist:
`DefaultLANConfig()` (probe every 1 s with a 500 ms timeout, 3 indirect
probes, TCP fallback ping, suspicion timeout `4 * max(1, log10(N)) * 1 s`
shortened by confirmations (Lifeguard), gossip every 200 ms to 3 members,
push/pull every 30 s, compression on). rumor detects faster because it
spends bandwidth: every member sends heartbeats 10 times a second. A
rumor gossip datagram carries at most 16 entries and heartbeats go to 3
monitors whatever N, so its bytes per member stop growing once N passes
about 16 (the simulator's slow growth beyond that is the longer news
lists of larger groups).
*rumor-tuned* spends memberlist's bandwidth instead (its flags are in the
first table; calibrated once on this machine at N=16, not re-fitted per
run: the table shows how close it came).

**What is counted as traffic.** Both sides count the UDP payload they
send (rumor: the agent's `bytes_sent`; memberlist: the transport wrapper's
`WriteTo`), i.e. without IP/UDP headers. memberlist's TCP (push/pull,
fallback pings, joins) is counted separately as *streams*; rumor's agent
exposes no byte counter for its join and anti-entropy streams, so that
column is n/a for rumor (its anti-entropy is one exchange every 10 s per
member).

**The memberlist peer** (`bench/peers/memberlist`, about 480 lines of Go)
runs one member per process with `DefaultLANConfig()`, a transport wrapper
around memberlist's own `NetTransport` (receive drop, byte counters) and
writes rumor's event log: `start`, `joined`, `join` and `fail`/`leave`
from the `EventDelegate` (`NotifyLeave` with state dead or left),
`suspect` from memberlist's own log line for a failed probe (there is no
delegate for it; only the prober's own suspicion shows), `left`, `stop`.
Member ids are `127.0.0.1:PORT#START_MS`, rumor's form. memberlist never
logs a refutation, so no `alive` lines; a member it falsely failed that
refutes comes back under the same name, where rumor rejoins under a new
version: both count once per (observer, member) pair in *false failures*
and once per id in *members*, which can undercount a memberlist member
falsely failed twice in one run.

**Receive drop** is the same on both sides: the receiver discards that
fraction of the datagrams it gets, before the protocol sees them. TCP is
not affected on either side, which helps memberlist (its TCP fallback ping
still answers when UDP is lossy) and rumor's joins.

**Limits.** Loopback has no real network delay or loss besides the
injected drop; all members share 2 cores with each other and with other
work, so CPU figures are small numbers measured in 10 ms clock ticks (mean
over members; treat differences below 0.05 % as noise). The real
false-failure runs are short (about half a member-day at most): a zero
there means "none seen", not "none". The simulator's ids are shorter than
real ones (`127.0.0.1:3007#36` against a 13-digit version), so its bytes
per member are lower than the agents' at the same N.

## Reproduce

```
make bench                      # about 16 minutes; writes docs/benchmarks.md and docs/bench-*.png
bench/run.sh --quick            # CI smoke run, under a minute, into build-bench/bench-quick
bench/run.sh --only real --out /tmp/b --docs /tmp/b   # one part
```

Raw data (every run's analysis, every member's log) stay in
`bench/out/DATE/` (`results.json`, `real/n*/CLUSTER/`), which git
ignores. `bench/README.md` describes the harness.
"""
