package analyze

import (
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Snapshots whose time is unknown: lmstat output pasted without its header, and no --at to
// place it (TRIAD.md sections 2, 5 and 7). Such a snapshot is on no timeline. It is
// classified on its own, by the same sweep and the same rules as a run would be with no other
// evidence around it; its interval has no start and no end and comes after the timed ones,
// and it raises the findings of its state (see untimedFindings), with no time either.

// untimedRun is a paste whose time is unknown.
type untimedRun struct {
	file *parser.File
	run  parser.Run
}

// untimedSnap is an untimed run as classified: its interval, and where it is in the report.
type untimedSnap struct {
	untimedRun
	snap  *parser.Snapshot
	iv    Interval
	index int // of its interval in Report.Intervals
}

// ref is the evidence line of an untimed run: its first line.
func (u *untimedRun) ref() Ref {
	return Ref{File: u.file.Name, Line: u.run.Line, Text: u.run.Text}
}

// untimedAt is where an untimed snapshot is put to be classified on its own: any time would
// do, since nothing else is on that timeline; it is never shown.
var untimedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// classifyUntimed classifies each untimed snapshot on its own: a sweep over that snapshot
// alone, stamped at a time of its own, with no log and no other run; its state is the one
// the rules give that moment (a -16 is unresponsive, not a failed rejoin, for nothing shows
// a return; servers it does not list are unknown). The warnings are the sweep's.
func classifyUntimed(ev *evidence, cfg Config) ([]untimedSnap, []msg.Text) {
	var out []untimedSnap
	var warn []msg.Text
	for _, u := range ev.untimed {
		g := *u.file
		r := u.run
		r.Time, r.Exact = untimedAt, true
		g.Runs, g.Untimed = []parser.Run{r}, nil
		one := &evidence{id: ev.id, n: ev.n, triad: ev.triad, lic: ev.lic, logs: make([][]*parser.File, len(ev.id.names)),
			lmstat: []*parser.File{&g}, infoOf: map[*parser.File]int{}}
		clk := &clocks{offset: make([]time.Duration, len(ev.id.names)+1)}
		st := sweep(one, observe(one, clk, time.Time{}), cfg)
		for _, w := range st.warn {
			warn = appendOnce(warn, w)
		}
		var p *point
		for k := range st.points {
			if st.points[k].at.Equal(untimedAt) {
				p = &st.points[k]
			}
		}
		if p == nil {
			continue // it lists no member: it says nothing of the triad
		}
		iv := Interval{State: p.state, Masters: ev.names(p.masters), Servers: make([]ServerState, ev.n)}
		var unknown []string
		for i := range iv.Servers {
			iv.Servers[i] = ServerState{Server: ev.id.names[i], Status: p.status[i]}
			if p.status[i] == StatusUnknown {
				unknown = append(unknown, ev.id.names[i])
			}
		}
		for _, x := range p.refs {
			x.Time = time.Time{} // the time it was placed at for the sweep is no time of its
			iv.Evidence = append(iv.Evidence, x)
		}
		if len(iv.Evidence) == 0 {
			iv.Evidence = []Ref{u.ref()}
		}
		if iv.State == Unknown {
			iv.Why = msg.New("interval.why.undecided")
			if len(unknown) > 0 {
				iv.Why = msg.New("interval.why.untimed", "servers", unknown)
			}
			iv.Settle = []msg.Text{msg.New("interval.settle.lmstat")}
		}
		out = append(out, untimedSnap{untimedRun: u, snap: &u.file.Snapshots[u.run.Snap], iv: iv})
	}
	return out, warn
}

// untimedEntry is an untimed snapshot's line in the merged timeline: after every timed one,
// with no time.
func untimedEntry(u *untimedSnap) TimelineEntry {
	what, _ := describeSnapshot(u.snap, nil)
	return TimelineEntry{Server: lmstatObserver, Ref: u.ref(), What: what, State: u.iv.State, Masters: u.iv.Masters}
}

// untimedFindings are the findings an untimed snapshot raises (TRIAD.md section 5): those of
// its state, with no time, and so without the 10 s rule or the duration thresholds (each at
// its lowest severity); the tertiary claiming master, and the vendor daemon down on the only
// master, as the rules of those codes see them in a run.
func untimedFindings(c *facts) []Finding {
	var out []Finding
	for k := range c.untimed {
		u := &c.untimed[k]
		iv := u.iv
		when := msg.New("finding.untimed.when", "at", msg.Raw(u.ref().At()))
		refs := append([]Ref(nil), iv.Evidence...)
		add := func(code string, sev Severity, server string, text msg.Text) {
			out = append(out, Finding{Code: code, Severity: sev, Server: server, Msg: text, Evidence: refs, interval: u.index})
		}
		switch iv.State {
		case DualMaster:
			add("dual-master", SeverityWarning, "", msg.New("finding.dual-master.untimed", "when", when, "masters", iv.Masters))
		case NoQuorum:
			add("no-quorum", SeverityCritical, "", msg.New("finding.no-quorum.untimed", "when", when).And(notUpText(iv)))
		case Masterless:
			add("masterless", SeverityWarning, "", msg.New("finding.masterless.untimed", "when", when).And(notUpText(iv)))
		case Degraded:
			for i, s := range iv.Servers {
				if !notUpStatus(s.Status) {
					continue
				}
				key := "finding.server-down.untimed"
				if s.Status == StatusIsolated {
					key = "finding.server-down.untimed.partition"
				}
				add("server-down", SeverityWarning, s.Server, msg.New(key, "when", when, "server", s.Server,
					"status", msg.Status(s.Status), "others", c.ev.others(i)))
			}
		}
		if c.ev.n >= 3 && containsStr(iv.Masters, c.ev.id.names[2]) {
			tert := c.ev.id.names[2]
			add("tertiary-master", SeverityWarning, tert, msg.New("finding.tertiary-master.untimed", "when", when, "server", tert))
		}
		if len(iv.Masters) == 1 {
			master := iv.Masters[0]
			for _, v := range u.snap.Vendors {
				if v.Up || v.Code.Major != -97 || !c.ev.isMember(v.On, indexOf(c.ev.id.names, master)) {
					continue
				}
				line := Ref{File: u.file.Name, Line: u.run.Line - u.snap.Line + v.Line, Text: v.Text}
				out = append(out, Finding{Code: "vendor-daemon-down", Severity: SeverityWarning, Server: master,
					Msg:      msg.New("finding.vendor-daemon-down.untimed", "when", when, "vendor", msg.Raw(v.Name), "server", master),
					Evidence: append(append([]Ref(nil), refs...), line), interval: u.index})
			}
		}
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
