# SPDX-License-Identifier: MIT
"""Static text at the end of docs/benchmarks.md: method, fairness, limits."""

NOTES = """## Method, fairness and limits

**Same run, same conditions.** For each N the rumor, rumor-lean,
memberlist and memberlist-long clusters run at the same time, so machine
load (the machine is shared: see the load average above) affects all of
them alike; they are killed at the same moments, at the same position in
their member lists; the drop rate and the measurement windows are the
same. Every ratio in this page divides two figures of the same run. The
frontier runs every setting of both systems at once, the same way.

**Defaults against defaults.** rumor: heartbeats every 100 ms straight
to 3 ring monitors, news pushed to 3 members, digest anti-entropy every
10 s, `T_suspect` 1 s + `T_fail` 0.5 s, failure only on a quorum of
accusers (docs/architecture.md). memberlist: `DefaultLANConfig()` (probe
every 1 s with a 500 ms timeout, 3 indirect probes, TCP fallback ping,
suspicion timeout `4 * max(1, log10(N)) * 1 s` shortened by confirmations
(Lifeguard), gossip every 200 ms to 3 members, push/pull every 30 s,
compression on). memberlist's node name travels in every message: with
short names (`n0`, `n1`, ..., what a deployment usually has) it is
cheaper than with names as long as rumor's ids (`127.0.0.1:PORT#MS`,
*memberlist-long*); both are shown, and every comparison uses the short
names.

**What is counted as traffic.** Every byte of UDP and TCP payload a
member sends, twice: by the member's own counters (rumor: `bytes_sent` +
`stream_bytes_sent` of `rumor members --stats`; memberlist: the transport
wrapper's `WriteTo` and stream writes) and by the kernel outside the
process (an nftables table counting by source address, headers
subtracted: *Honest bytes*). The frontier and the bar use the kernel's
count.

**The memberlist peer** (`bench/peers/memberlist`, about 480 lines of Go)
runs one member per process with `DefaultLANConfig()`, a transport wrapper
around memberlist's own `NetTransport` (receive drop, byte counters) and
writes rumor's event log: `start`, `joined`, `join` and `fail`/`leave`
from the `EventDelegate` (`NotifyLeave` with state dead or left),
`suspect` from memberlist's own log line for a failed probe (there is no
delegate for it; only the prober's own suspicion shows), `left`, `stop`.
Member ids in its log are `127.x.y.z:PORT#V`, rumor's form (V: start ms,
or with short names the member's number; memberlist's node name is the id
or `nV`). memberlist never
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
make bench                      # about 35 minutes; writes docs/benchmarks.md and docs/bench-*.png
bench/run.sh --quick            # CI smoke run, under a minute, into build-bench/bench-quick
bench/run.sh --only real --out /tmp/b --docs /tmp/b   # one part
```

Raw data (every run's analysis, every member's log) stay in
`bench/out/DATE/` (`results.json`, `real/n*/CLUSTER/`), which git
ignores. `bench/README.md` describes the harness.
"""
