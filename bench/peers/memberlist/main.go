// memberlist-peer runs ONE HashiCorp memberlist member (DefaultLANConfig) on
// loopback and writes rumor's JSON-lines event log (docs/event-log.md), so
// that `rumor analyze` computes the same figures for memberlist as for
// rumor. It is the memberlist side of bench/ (docs/benchmarks.md).
//
//	memberlist-peer --bind 127.0.0.1:0 [--join HOST:PORT]... --log FILE
//	                [--stats FILE] [--stats-ms 1000] [--drop-rate P] [--seed S]
//
// The member id is host:port#version with version = Unix ms at start, the
// form of rumor's ids. SIGTERM/SIGINT: leave (1 s), log `left` and `stop`,
// exit 0. SIGKILL is the crash the benchmark injects.
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
	tr := newDropTransport(inner, drop, rand.New(rand.NewSource(*seed)))
	port = inner.GetAutoBindPort()
	version := time.Now().UnixNano() / int64(time.Millisecond)
	ev.self = fmt.Sprintf("%s:%d#%d", host, port, version)
	ev.line("start", "", "")

	conf := memberlist.DefaultLANConfig()
	conf.Name = ev.self
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
