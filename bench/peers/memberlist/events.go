package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// eventLog writes rumor's event-log lines (one write() per line on an
// O_APPEND file, as src/log does) from memberlist's EventDelegate and from
// memberlist's own log lines, which are the only place where a local
// suspicion and a local suspect timeout show (memberlist has no delegate
// for them). It is also the io.Writer behind memberlist's logger.
type eventLog struct {
	mu      sync.Mutex
	f       *os.File
	self    string            // member id
	name    string            // memberlist node name
	ids     map[string]string // node name -> member id
	verbose bool
	// short: node names are n<V>; the log writes ids host:port#V
	short bool
	// members this process declared failed itself (suspect timeout)
	local map[string]bool
	// when this process last logged a suspicion of a member: memberlist
	// logs every failed probe of a suspect, the event log gets one line
	// per member per suspectQuiet (memberlist tells no refutation of
	// others, so a set alone would hide a later suspicion)
	suspected map[string]time.Time
}

const suspectQuiet = 5 * time.Second

var (
	reSuspect = regexp.MustCompile(`memberlist: Suspect (.+) has failed, no acks received`)
	reMarking = regexp.MustCompile(`memberlist: Marking (.+) as failed, suspect timeout reached`)
)

func openEventLog(path string, verbose bool) (*eventLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0644)
	if err != nil {
		return nil, err
	}
	return &eventLog{f: f, verbose: verbose, local: map[string]bool{}, ids: map[string]string{},
		suspected: map[string]time.Time{}}, nil
}

type record struct {
	Ts     int64  `json:"ts"`
	Node   string `json:"node"`
	Ev     string `json:"ev"`
	Member string `json:"member,omitempty"`
	Via    string `json:"via,omitempty"`
}

// line writes one event; member and via may be empty.
func (l *eventLog) line(ev, member, via string) {
	r := record{Ts: time.Now().UnixNano() / int64(time.Millisecond),
		Node: l.self, Ev: ev, Member: member, Via: via}
	b, _ := json.Marshal(&r)
	b = append(b, '\n')
	l.mu.Lock()
	l.f.Write(b)
	l.mu.Unlock()
}

// Write receives memberlist's log output, one line per call.
func (l *eventLog) Write(p []byte) (int, error) {
	if l.verbose {
		os.Stderr.Write(p)
	}
	if m := reSuspect.FindSubmatch(p); m != nil {
		name := string(m[1])
		now := time.Now()
		l.mu.Lock()
		last, seen := l.suspected[name]
		first := !seen || now.Sub(last) > suspectQuiet
		if first {
			l.suspected[name] = now
		}
		id := l.idOfName(name)
		l.mu.Unlock()
		if first {
			l.line("suspect", id, "timeout")
		}
	} else if m := reMarking.FindSubmatch(p); m != nil {
		l.mu.Lock()
		l.local[string(m[1])] = true
		l.mu.Unlock()
	}
	return len(p), nil
}

// id is the member id of a node: its name, or with short names
// host:port#V from its address and the number V in its name n<V>.
func (l *eventLog) id(n *memberlist.Node) string {
	if !l.short {
		return n.Name
	}
	return fmt.Sprintf("%s:%d#%s", n.Addr, n.Port, strings.TrimPrefix(n.Name, "n"))
}

// idOfName maps a name from memberlist's log lines to an id (short
// names: learnt at the node's join; callers hold l.mu).
func (l *eventLog) idOfName(name string) string {
	if id, ok := l.ids[name]; ok {
		return id
	}
	return name
}

func (l *eventLog) NotifyJoin(n *memberlist.Node) {
	if n.Name == l.name {
		return
	}
	l.mu.Lock()
	delete(l.suspected, n.Name)
	l.ids[n.Name] = l.id(n)
	l.mu.Unlock()
	l.line("join", l.id(n), "gossip")
}

func (l *eventLog) NotifyLeave(n *memberlist.Node) {
	if n.Name == l.name {
		return
	}
	if n.State == memberlist.StateLeft {
		l.line("leave", l.id(n), "gossip")
		return
	}
	l.mu.Lock()
	via := "gossip"
	if l.local[n.Name] {
		via = "timeout"
		delete(l.local, n.Name)
	}
	l.mu.Unlock()
	l.line("fail", l.id(n), via)
}

func (l *eventLog) NotifyUpdate(*memberlist.Node) {}
