// memberlist-peer runs ONE HashiCorp memberlist member (DefaultLANConfig) on
// loopback and writes rumor's JSON-lines event log (docs/event-log.md), so
// that `rumor analyze` computes the same figures for memberlist as for
// rumor. It is the memberlist side of bench/ (docs/benchmarks.md).
//
//	memberlist-peer --bind 127.0.0.1:0 [--join HOST:PORT]... --log FILE
//	                [--stats FILE] [--stats-ms 1000] [--drop-rate P] [--seed S]
//	                [--name NAME] [--version V] [--config lan|SCALE]
//
// The member id in the event log is host:port#version with version = Unix
// ms at start (or --version V), the form of rumor's ids. memberlist's own
// node name, which it sends in every message, is that id unless --name sets
// a short one (n0, n1, ...): names travel in every datagram, so the
// benchmark shows both. With --name the event log still writes ids; other
// members' ids are host:port#V where V is the number in their name (the
// harness numbers members: the name n12 goes with --version 12).
// --config SCALE multiplies DefaultLANConfig's ProbeInterval, ProbeTimeout,
// GossipInterval and PushPullInterval by SCALE (0.25 = 4x faster).
// SIGUSR1: deaf (drop every received datagram), SIGUSR2: back to
// --drop-rate. SIGTERM/SIGINT: leave (1 s), log `left` and `stop`, exit 0.
// SIGKILL is the crash the benchmark injects.
//
// Build (GOPATH mode, Debian packages only, no network):
//
//	GO111MODULE=off GOPROXY=off GOPATH=/usr/share/gocode go build -o memberlist-peer .
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/memberlist"
)

type seeds []string

func (s *seeds) String() string     { return strings.Join(*s, ",") }
func (s *seeds) Set(v string) error { *s = append(*s, v); return nil }

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "memberlist-peer: "+format+"\n", args...)
	os.Exit(1)
}

// parseRate accepts 0.3 or 30%.
func parseRate(s string) (float64, error) {
	v, pct := s, false
	if strings.HasSuffix(v, "%") {
		v, pct = strings.TrimSuffix(v, "%"), true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("--drop-rate '%s': not a number", s)
	}
	if pct {
		f /= 100
	}
	if f < 0 || f > 1 {
		return 0, fmt.Errorf("--drop-rate '%s': out of range (0..1 or 0%%..100%%)", s)
	}
	return f, nil
}

func main() {
	var join seeds
	bind := flag.String("bind", "127.0.0.1:0", "HOST:PORT to bind (UDP and TCP); port 0 = any free port")
	flag.Var(&join, "join", "HOST:PORT of a live member (repeatable)")
	logPath := flag.String("log", "", "event log (JSON lines, rumor's contract), required")
	statsPath := flag.String("stats", "", "append a counters line every --stats-ms to this file")
	statsMs := flag.Int("stats-ms", 1000, "stats period in ms")
	dropArg := flag.String("drop-rate", "0", "drop this fraction of received datagrams (0.3 or 30%)")
	seed := flag.Int64("seed", 0, "seed of the drop generator (0 = from the clock)")
	verbose := flag.Bool("verbose", false, "copy memberlist's own log to stderr")
	name := flag.String("name", "", "memberlist node name (default: the member id)")
	versionArg := flag.Int64("version", -1, "version in the member id, >= 0 (default: Unix ms at start)")
	probeMs := flag.Int("probe-ms", 1000, "ProbeInterval in ms (DefaultLANConfig: 1000)")
	probeTimeoutMs := flag.Int("probe-timeout-ms", 500, "ProbeTimeout in ms (500)")
	gossipMs := flag.Int("gossip-ms", 200, "GossipInterval in ms (200)")
	suspicionMult := flag.Int("suspicion-mult", 4, "SuspicionMult (4)")
	flag.Parse()
	if flag.NArg() > 0 {
		fatalf("unexpected argument '%s'", flag.Arg(0))
	}
	if *logPath == "" {
		fatalf("--log FILE is required")
	}
	drop, err := parseRate(*dropArg)
	if err != nil {
		fatalf("%v", err)
	}
	host, portStr, err := net.SplitHostPort(*bind)
	if err != nil || net.ParseIP(host) == nil {
		fatalf("--bind '%s': not a numeric HOST:PORT", *bind)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		fatalf("--bind '%s': bad port", *bind)
	}
	if *statsMs < 10 {
		fatalf("--stats-ms %d: out of range (10..)", *statsMs)
	}
	if *probeMs < 10 || *probeTimeoutMs < 1 || *probeTimeoutMs >= *probeMs ||
		*gossipMs < 1 || *suspicionMult < 1 {
		fatalf("--probe-ms %d --probe-timeout-ms %d --gossip-ms %d --suspicion-mult %d: "+
			"out of range (probe-ms >= 10 > probe-timeout-ms >= 1, gossip-ms >= 1, suspicion-mult >= 1)",
			*probeMs, *probeTimeoutMs, *gossipMs, *suspicionMult)
	}
	if *seed == 0 {
		*seed = time.Now().UnixNano()
	}

	ev, err := openEventLog(*logPath, *verbose)
	if err != nil {
		fatalf("--log %s: %v", *logPath, err)
	}
	logger := log.New(ev, "", 0)
	inner, err := memberlist.NewNetTransport(&memberlist.NetTransportConfig{
		BindAddrs: []string{host}, BindPort: port, Logger: logger})
	if err != nil {
		fatalf("bind %s: %v", *bind, err)
	}
	tr := newDropTransport(inner, net.ParseIP(host), drop, rand.New(rand.NewSource(*seed)))
	port = inner.GetAutoBindPort()
	version := *versionArg
	if version < 0 {
		version = time.Now().UnixNano() / int64(time.Millisecond)
	}
	ev.self = fmt.Sprintf("%s:%d#%d", host, port, version)
	ev.short = *name != ""
	ev.line("start", "", "")

	conf := memberlist.DefaultLANConfig()
	conf.Name = ev.self
	if *name != "" {
		conf.Name = *name
	}
	ev.name = conf.Name
	conf.ProbeInterval = time.Duration(*probeMs) * time.Millisecond
	conf.ProbeTimeout = time.Duration(*probeTimeoutMs) * time.Millisecond
	conf.GossipInterval = time.Duration(*gossipMs) * time.Millisecond
	conf.SuspicionMult = *suspicionMult
	conf.BindAddr, conf.BindPort = host, port
	conf.AdvertiseAddr, conf.AdvertisePort = host, port
	conf.Transport = tr
	conf.Events = ev
	conf.Logger = logger
	m, err := memberlist.Create(conf)
	if err != nil {
		fatalf("create: %v", err)
	}

	var st *statsWriter
	if *statsPath != "" {
		if st, err = newStatsWriter(*statsPath, ev.self, tr, m); err != nil {
			fatalf("--stats %s: %v", *statsPath, err)
		}
		go st.loop(time.Duration(*statsMs) * time.Millisecond)
	}

	go deafOnSignal(tr)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	if len(join) == 0 {
		ev.line("joined", "", "self")
	} else {
		go joinLoop(m, join, ev)
	}
	<-sig
	ev.line("left", "", "self")
	if err := m.Leave(time.Second); err != nil {
		fmt.Fprintf(os.Stderr, "memberlist-peer: leave: %v\n", err)
	}
	m.Shutdown()
	if st != nil {
		st.write()
	}
	ev.line("stop", "", "")
}

// joinLoop retries the seeds (as rumor's agent does) until one answers.
func joinLoop(m *memberlist.Memberlist, join []string, ev *eventLog) {
	backoff := 200 * time.Millisecond
	for {
		if _, err := m.Join(join); err == nil {
			ev.line("joined", "", "introducer")
			return
		} else {
			fmt.Fprintf(os.Stderr, "memberlist-peer: join %v: %v (retrying)\n", join, err)
		}
		time.Sleep(backoff)
		if backoff < 2*time.Second {
			backoff *= 2
		}
	}
}

// deafOnSignal: SIGUSR1 makes the member deaf, SIGUSR2 ends it.
func deafOnSignal(t *dropTransport) {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	for s := range c {
		t.setDeaf(s == syscall.SIGUSR1)
	}
}
