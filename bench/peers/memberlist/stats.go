package main

import (
	"encoding/json"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/memberlist"
)

// statsWriter appends one JSON line of counters per period (and one at
// stop) to its own file, never to the event log (the event log only holds
// events of the contract). The harness reads the lines nearest to its
// window's ends.
type statsWriter struct {
	f    *os.File
	self string
	t    *dropTransport
	m    *memberlist.Memberlist
	t0   time.Time
}

type statsLine struct {
	Ts           int64  `json:"ts"`
	Node         string `json:"node"`
	UptimeMs     int64  `json:"uptime_ms"`
	Members      int    `json:"members"`
	DatagramSent uint64 `json:"datagrams_sent"`
	BytesSent    uint64 `json:"bytes_sent"`
	DatagramRecv uint64 `json:"datagrams_recv"`
	BytesRecv    uint64 `json:"bytes_recv"`
	RecvDropped  uint64 `json:"recv_dropped"`
	StreamBytesS uint64 `json:"stream_bytes_sent"`
	StreamBytesR uint64 `json:"stream_bytes_recv"`
	StreamsOpen  uint64 `json:"streams_opened"`
	CPUUserMs    int64  `json:"cpu_user_ms"`
	CPUSysMs     int64  `json:"cpu_sys_ms"`
}

func newStatsWriter(path, self string, t *dropTransport, m *memberlist.Memberlist) (*statsWriter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0644)
	if err != nil {
		return nil, err
	}
	return &statsWriter{f: f, self: self, t: t, m: m, t0: time.Now()}, nil
}

func (s *statsWriter) loop(period time.Duration) {
	for range time.Tick(period) {
		s.write()
	}
}

func (s *statsWriter) write() {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	c := &s.t.c
	now := time.Now()
	l := statsLine{
		Ts: now.UnixNano() / int64(time.Millisecond), Node: s.self,
		UptimeMs:     int64(now.Sub(s.t0) / time.Millisecond),
		Members:      s.m.NumMembers(),
		DatagramSent: atomic.LoadUint64(&c.udpSent),
		BytesSent:    atomic.LoadUint64(&c.udpBytesSent),
		DatagramRecv: atomic.LoadUint64(&c.udpRecv),
		BytesRecv:    atomic.LoadUint64(&c.udpBytesRecv),
		RecvDropped:  atomic.LoadUint64(&c.udpDropped),
		StreamBytesS: atomic.LoadUint64(&c.tcpBytesSent),
		StreamBytesR: atomic.LoadUint64(&c.tcpBytesRcv),
		StreamsOpen:  atomic.LoadUint64(&c.streams),
		CPUUserMs:    ru.Utime.Nano() / 1e6,
		CPUSysMs:     ru.Stime.Nano() / 1e6,
	}
	b, _ := json.Marshal(&l)
	s.f.Write(append(b, '\n'))
}
