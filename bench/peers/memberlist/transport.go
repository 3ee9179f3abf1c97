package main

import (
	"math"
	"math/rand"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/memberlist"
)

// dropTransport wraps memberlist's NetTransport: it drops the configured
// fraction of received datagrams (the semantic of rumor's --drop-rate: the
// receiver discards them; streams are not affected) and counts what is sent
// and received. It implements only memberlist.Transport, so memberlist
// reaches it through its shim and every send passes WriteTo/DialTimeout.
type dropTransport struct {
	inner *memberlist.NetTransport
	drop  uint64 // math.Float64bits of the receive drop rate
	base  float64
	local net.IP
	rngMu sync.Mutex
	rng   *rand.Rand
	out   chan *memberlist.Packet
	conns chan net.Conn
	c     counters
}

type counters struct {
	udpSent, udpBytesSent     uint64
	udpRecv, udpBytesRecv     uint64
	udpDropped                uint64
	tcpBytesSent, tcpBytesRcv uint64
	streams                   uint64
}

func newDropTransport(inner *memberlist.NetTransport, local net.IP, drop float64, rng *rand.Rand) *dropTransport {
	t := &dropTransport{inner: inner, drop: math.Float64bits(drop), base: drop, local: local, rng: rng,
		out: make(chan *memberlist.Packet), conns: make(chan net.Conn)}
	go t.filter()
	go t.accept()
	return t
}

func (t *dropTransport) filter() {
	for p := range t.inner.PacketCh() {
		atomic.AddUint64(&t.c.udpRecv, 1)
		atomic.AddUint64(&t.c.udpBytesRecv, uint64(len(p.Buf)))
		if drop := math.Float64frombits(atomic.LoadUint64(&t.drop)); drop > 0 {
			t.rngMu.Lock()
			x := t.rng.Float64()
			t.rngMu.Unlock()
			if x < drop {
				atomic.AddUint64(&t.c.udpDropped, 1)
				continue
			}
		}
		t.out <- p
	}
}

// setDeaf makes the member drop every received datagram (deaf, like
// `rumor set drop-rate 1`) or go back to the --drop-rate it started with.
func (t *dropTransport) setDeaf(deaf bool) {
	v := t.base
	if deaf {
		v = 1
	}
	atomic.StoreUint64(&t.drop, math.Float64bits(v))
}

func (t *dropTransport) FinalAdvertiseAddr(ip string, port int) (net.IP, int, error) {
	return t.inner.FinalAdvertiseAddr(ip, port)
}

func (t *dropTransport) WriteTo(b []byte, addr string) (time.Time, error) {
	atomic.AddUint64(&t.c.udpSent, 1)
	atomic.AddUint64(&t.c.udpBytesSent, uint64(len(b)))
	return t.inner.WriteTo(b, addr)
}

func (t *dropTransport) PacketCh() <-chan *memberlist.Packet { return t.out }

// DialTimeout dials as NetTransport does (net.Dialer, "tcp"), but from the
// bound address, so that the stream's bytes carry the member's address
// (the benchmark counts sent bytes by source address, as it does rumor's).
func (t *dropTransport) DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	if t.local != nil && !t.local.IsUnspecified() {
		d.LocalAddr = &net.TCPAddr{IP: t.local}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	atomic.AddUint64(&t.c.streams, 1)
	return &countedConn{Conn: c, c: &t.c}, nil
}

// accept wraps incoming streams. One goroutine and one channel for the
// transport's life: memberlist calls StreamCh() on every loop iteration.
func (t *dropTransport) accept() {
	for c := range t.inner.StreamCh() {
		t.conns <- &countedConn{Conn: c, c: &t.c}
	}
}

func (t *dropTransport) StreamCh() <-chan net.Conn { return t.conns }

func (t *dropTransport) Shutdown() error { return t.inner.Shutdown() }

// countedConn counts the bytes of a stream (TCP: push/pull, fallback
// pings, joins) in both directions.
type countedConn struct {
	net.Conn
	c *counters
}

func (c *countedConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	atomic.AddUint64(&c.c.tcpBytesSent, uint64(n))
	return n, err
}

func (c *countedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	atomic.AddUint64(&c.c.tcpBytesRcv, uint64(n))
	return n, err
}
