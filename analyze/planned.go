package analyze

import (
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Planned stops (TRIAD.md section 5, "Planned stops"): a server or the triad stopped on purpose,
// by a "SHUTDOWN request from USER at node HOST" in a server's log or by lmdown's output in an
// lmstat file. A planned window runs from the stop until every stopped server is up again;
// every interval in it whose servers not up are all stopped ones is planned, provided the
// first starts within one heartbeat timeout after the stop took effect. It is not planned if a
// stopped server is not up again before the evidence ends, or returns and fails to rejoin; a
// crash of another server in the window ends the planned reading from then on. The findings
// of planned intervals (server-down, masterless, no-quorum), and the stopped servers' vendor
// daemon findings between the request and the stop, are info, planned, and say so. A stop "for
// vendor V" stops one vendor daemon: its vendor-daemon-down is planned in the same way.

// shutdownWait is how long lmgrd takes to stop after a shutdown request when its own exit is
// not in the evidence (lmdown: "Please wait 1 minute for lmgrd processes to shutdown").
const shutdownWait = 60 * time.Second

// stop is one planned stop.
type stop struct {
	servers    []int  // the members it stopped; for a vendor stop, the one whose vendor daemon
	vendor     string // for vendor "V": that vendor daemon only; lmgrd keeps running
	user, node string // who asked and from where; empty when the evidence does not say
	lmdown     *Ref   // lmdown's output (the line saying the servers shut down); nil for a request
	at         time.Time
	effect     time.Time // when it took effect: the stopped lmgrd's exit, else at + 60 s
	between    bool      // lmdown output placed between two runs: at and effect are those runs
	refs       []Ref

	// Decided against the intervals.
	planned bool      // its spans are planned: the stopped servers were all up again, none failed to rejoin
	back    time.Time // when every stopped server (or the vendor daemon) was up again
	why     string    // why its spans are not planned: not-back, failed-rejoin, unseen; "" when they are
	crash   string    // another server that went down in the window, ending the planned reading
	crashAt time.Time
}

// plan is the planned stops and the intervals they make planned.
type plan struct {
	stops  []stop
	ivStop []int // per timed interval: the stop whose planned span it is, -1 for none
}

// plannedStops finds the planned stops in the observations and lmstat outputs and, when there
// are intervals (ivs and st set), decides which intervals each makes planned.
func plannedStops(ev *evidence, o *observations, st *statuses, ivs []Interval) *plan {
	p := &plan{stops: stopsOf(ev, o), ivStop: make([]int, len(ivs))}
	for k := range p.ivStop {
		p.ivStop[k] = -1
	}
	if st == nil || len(ivs) == 0 {
		return p
	}
	for k := range p.stops {
		if p.stops[k].vendor != "" {
			p.vendorWindow(k, o)
		} else {
			p.window(k, ev, o, st, ivs)
		}
	}
	return p
}

// stopsOf reads the stops: the shutdown requests of the members' logs (those of one user from
// one node within two minutes make one stop of the servers that logged them), and lmdown's
// outputs in the lmstat files.
func stopsOf(ev *evidence, o *observations) []stop {
	var out []stop
	list := o.list
	for k := range list {
		x := &list[k]
		if x.ev == nil || x.ev.Kind != parser.EvShutdownRequest || x.observer >= ev.n {
			continue
		}
		i, e := x.observer, x.ev
		if e.Vendor == "" {
			merged := false
			for s := range out {
				y := &out[s]
				if y.lmdown == nil && y.vendor == "" && y.user == e.Why && y.node == e.Peer && x.at.Sub(y.at) <= 2*time.Minute && !containsInt(y.servers, i) {
					y.servers = append(y.servers, i)
					y.refs = append(y.refs, x.ref())
					merged = true
					break
				}
			}
			if merged {
				continue
			}
		}
		out = append(out, stop{servers: []int{i}, vendor: e.Vendor, user: e.Why, node: e.Peer, at: x.at, refs: []Ref{x.ref()}})
	}
	n := len(ev.id.names) // lmstat's clock
	for _, f := range ev.lmstat {
		fix := o.fix(n)
		for _, s := range f.Stops {
			ref := Ref{File: f.Name, Line: s.At, Text: s.Text}
			y := stop{lmdown: &ref}
			named := false
			for _, h := range s.Hosts {
				if i, ok := ev.member(h); ok && !containsInt(y.servers, i) {
					y.servers = append(y.servers, i)
				}
				named = true
			}
			if named && len(y.servers) == 0 {
				continue // it stopped another license server
			}
			if !named { // lmdown -q names none: it stops the triad
				for i := 0; i < ev.n; i++ {
					y.servers = append(y.servers, i)
				}
			}
			sort.Ints(y.servers)
			switch {
			case !s.Time.IsZero():
				y.at = fix(s.Time)
			case !s.Prev.IsZero() || !s.Next.IsZero():
				// between the runs around it: it took effect by the run after it
				y.between = true
				y.at, y.effect = fix(s.Prev), fix(s.Next)
				if y.at.IsZero() {
					y.at = y.effect.Add(-shutdownWait)
				}
			}
			ref.Time = y.at
			y.refs = []Ref{ref}
			out = append(out, y)
		}
	}
	out = mergeRequests(out)
	for k := range out {
		y := &out[k]
		if y.at.IsZero() || !y.effect.IsZero() {
			continue
		}
		// It took effect at the stopped lmgrd's exit, the latest of them; at + 60 s for a
		// server whose exit is not in the evidence.
		for _, i := range y.servers {
			t := y.at.Add(shutdownWait)
			if y.vendor == "" {
				if ex, ref, ok := exitAfter(o, i, y.at); ok {
					t = ex
					y.refs = append(y.refs, ref)
				}
			}
			if t.After(y.effect) {
				y.effect = t
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].at.Before(out[b].at) })
	return out
}

// mergeRequests makes one stop of lmdown's output and the SHUTDOWN requests its servers
// logged for it: the logs say who asked, from where and when, to the second.
func mergeRequests(stops []stop) []stop {
	gone := make([]bool, len(stops))
	for a := range stops {
		d := &stops[a]
		if d.lmdown == nil || d.at.IsZero() {
			continue
		}
		until := d.at.Add(2 * time.Minute) // stamped: the request is about its stamp
		if d.between {
			until = d.effect // between the runs around it
		}
		for b := range stops {
			r := &stops[b]
			if gone[b] || r.lmdown != nil || r.vendor != "" || r.at.Before(d.at.Add(-shutdownWait)) || r.at.After(until) {
				continue
			}
			inside := true
			for _, i := range r.servers {
				inside = inside && containsInt(d.servers, i)
			}
			if !inside || (d.user != "" && (d.user != r.user || d.node != r.node)) {
				continue
			}
			if d.user == "" || r.at.Before(d.at) || d.between {
				d.at = r.at
			}
			d.user, d.node, d.between, d.effect = r.user, r.node, false, time.Time{}
			d.refs = append(d.refs, r.refs...)
			gone[b] = true
		}
	}
	var out []stop
	for k := range stops {
		if !gone[k] {
			out = append(out, stops[k])
		}
	}
	return out
}

// exitAfter is member i's own lmgrd exit (EXITING DUE TO SIGNAL) within two minutes after t.
func exitAfter(o *observations, i int, t time.Time) (time.Time, Ref, bool) {
	for k := range o.list {
		x := &o.list[k]
		if x.at.Before(t) || x.observer != i || x.ev == nil {
			continue
		}
		if x.at.Sub(t) > 2*time.Minute {
			break
		}
		if x.ev.Kind == parser.EvExiting {
			return x.at, x.ref(), true
		}
	}
	return time.Time{}, Ref{}, false
}

// window decides the planned spans of stop k of lmgrd (TRIAD.md section 5).
func (p *plan) window(k int, ev *evidence, o *observations, st *statuses, ivs []Interval) {
	s := &p.stops[k]
	if s.at.IsZero() {
		return
	}
	stopped := map[int]bool{}
	for _, i := range s.servers {
		stopped[i] = true
	}
	// A server whose status is unknown there (its log just ends, no input covers it) did not
	// go down for all the evidence says (TRIAD.md 3: a log that simply stops is not a crash).
	allStopped := func(iv *Interval) bool {
		for i, x := range iv.Servers {
			if x.Status != StatusUp && x.Status != StatusUnknown && !stopped[i] {
				return false
			}
		}
		return true
	}
	anyNotUp := func(iv *Interval) bool { return len(iv.NotUp()) > 0 }
	// The first interval that shows the stop: the first with a server not up from the stop on
	// (a few seconds' slack for the clocks), if all those are stopped ones and it starts
	// within one heartbeat timeout after the stop took effect.
	limit := s.effect.Add(ev.triad.HeartbeatTimeout)
	first := -1
	for x := range ivs {
		iv := &ivs[x]
		if !iv.End.After(s.at) {
			continue
		}
		if iv.Start.After(limit) {
			break
		}
		if !anyNotUp(iv) {
			continue
		}
		if allStopped(iv) && !iv.Start.Before(s.at.Add(-10*time.Second)) {
			first = x
		}
		break
	}
	if first < 0 {
		s.why = "unseen"
		return
	}
	// The window: until every stopped server is up again.
	end := -1
	crash := -1
	for x := first; x < len(ivs); x++ {
		iv := &ivs[x]
		up := true
		for _, i := range s.servers {
			up = up && iv.Servers[i].Status == StatusUp
		}
		if up {
			end = x
			break
		}
		if iv.State == FailedRejoin {
			s.why = "failed-rejoin"
			return
		}
		if crash < 0 && !allStopped(iv) {
			crash = x
			for _, y := range iv.NotUp() {
				if i := indexOf(ev.id.names, y.Server); i >= 0 && !stopped[i] && y.Status != StatusUnknown {
					s.crash, s.crashAt = y.Server, iv.Start
					break
				}
			}
		}
	}
	if end < 0 {
		s.why = "not-back"
		return
	}
	s.back = ivs[end].Start
	for _, e := range st.episodes {
		if stopped[e.server] && e.failed && !e.start.Before(s.at) && !e.start.After(s.back) {
			s.why = "failed-rejoin"
			return
		}
	}
	s.planned = true
	last := end
	if crash >= 0 {
		last = crash
	}
	for x := first; x < last; x++ {
		if p.ivStop[x] < 0 {
			p.ivStop[x] = k
		}
	}
}

// vendorWindow decides a stop of one vendor daemon: planned if lmgrd starts it again (Started,
// REStarted, or lmgrd's own new start) before the evidence ends.
func (p *plan) vendorWindow(k int, o *observations) {
	s := &p.stops[k]
	i := s.servers[0]
	for x := range o.list {
		y := &o.list[x]
		if y.ev == nil || y.observer != i || y.at.Before(s.at) {
			continue
		}
		switch y.ev.Kind {
		case parser.EvVendorDown, parser.EvVendorExited, parser.EvVendorExiting:
			if s.effect.Equal(s.at.Add(shutdownWait)) && y.at.Before(s.effect) && sameVendor(y.ev, s.vendor) {
				s.effect = y.at // it stopped then
			}
		case parser.EvVendorStarted, parser.EvVendorRestarted, parser.EvVendorServing, parser.EvStart:
			if y.ev.Kind == parser.EvStart || strings.EqualFold(y.ev.Vendor, s.vendor) {
				s.back, s.planned = y.at, true
				return
			}
		}
	}
	s.why = "not-back"
}

func sameVendor(e *parser.Event, v string) bool {
	name := e.Vendor
	if name == "" {
		name = e.Daemon
	}
	return strings.EqualFold(name, v)
}

// forInterval is the stop whose planned span interval k is in, nil for none.
func (p *plan) forInterval(k int) *stop {
	if p == nil || k < 0 || k >= len(p.ivStop) || p.ivStop[k] < 0 {
		return nil
	}
	return &p.stops[p.ivStop[k]]
}

// forVendor is the planned stop that explains a vendor daemon finding of member i for vendor
// (code vendor-daemon-down or vendor-daemon-exit) starting at t: a planned stop of that server
// whose request came before t and which took effect after it; for a stop of that vendor
// daemon alone, one that began within one heartbeat timeout after it took effect. Nil for none.
func (p *plan) forVendor(i int, vendor string, t time.Time, hb time.Duration) *stop {
	if p == nil {
		return nil
	}
	for k := range p.stops {
		s := &p.stops[k]
		if !s.planned || !containsInt(s.servers, i) || t.Before(s.at.Add(-time.Second)) {
			continue
		}
		switch {
		case s.vendor == "" && !t.After(s.effect):
			return s
		case s.vendor != "" && strings.EqualFold(s.vendor, vendor) && !t.After(s.effect.Add(hb)):
			return s
		}
	}
	return nil
}

// how says how a stop was asked for: the request and who made it from where, or lmdown.
func (s *stop) how() msg.Text {
	if s.lmdown != nil && s.user == "" {
		return msg.New("finding.planned.lmdown", "at", msg.Raw(s.lmdown.At()))
	}
	if s.vendor != "" {
		return msg.New("finding.planned.request.vendor", "user", msg.Raw(s.user), "node", msg.Raw(s.node), "vendor", msg.Raw(s.vendor))
	}
	return msg.New("finding.planned.request", "user", msg.Raw(s.user), "node", msg.Raw(s.node))
}

// note is what a planned span's finding adds to its summary.
func (s *stop) note() msg.Text {
	return msg.New("finding.planned", "how", s.how(), "at", s.at)
}

// plannedShutdowns: the planned-shutdown findings (info), one per stop, naming who asked and
// from where when the evidence says; for the whole triad its server is null, else one per
// stopped server.
func plannedShutdowns(c *facts) []Finding {
	var out []Finding
	for k := range c.plan.stops {
		s := &c.plan.stops[k]
		names := c.ev.names(s.servers)
		var who msg.Text
		servers := []string{""}
		switch {
		case s.vendor != "":
			who = msg.New("finding.planned.who.vendor", "vendor", msg.Raw(s.vendor), "server", names[0])
			servers = names
		case len(s.servers) == c.ev.n && c.ev.n > 1:
			who = msg.New("finding.planned.who.triad", "servers", names)
		default:
			servers = names
			who = msg.New("finding.planned.who.servers", "servers", names)
			if len(names) == 1 {
				who = msg.New("finding.planned.who.server", "server", names[0])
			}
		}
		var text msg.Text
		switch {
		case s.at.IsZero():
			text = msg.New("finding.planned-shutdown.untimed", "who", who, "how", s.how())
		case s.between:
			text = msg.New("finding.planned-shutdown.between", "who", who, "how", s.how(), "start", s.at, "end", s.effect)
		default:
			text = msg.New("finding.planned-shutdown", "who", who, "how", s.how(), "start", s.at, "end", s.effect)
		}
		switch {
		case c.ivs == nil || s.at.IsZero():
		case s.planned && s.vendor != "":
			text = text.And(msg.New("finding.planned.vendor-back", "vendor", msg.Raw(s.vendor), "at", s.back))
		case s.planned:
			text = text.And(msg.New("finding.planned.back", "at", s.back))
			if s.crash != "" {
				text = text.And(msg.New("finding.planned.crash", "server", s.crash, "at", s.crashAt))
			}
		case s.vendor != "":
			text = text.And(msg.New("finding.planned.vendor-not-back", "vendor", msg.Raw(s.vendor)))
		default:
			text = text.And(msg.New("finding.planned."+s.why, "servers", names))
		}
		for _, server := range servers {
			out = append(out, Finding{Code: "planned-shutdown", Severity: SeverityInfo, Server: server, Start: s.at, End: s.effect,
				Msg: text, Evidence: append([]Ref(nil), s.refs...), Planned: true, interval: -1})
		}
	}
	return out
}

// planned makes f a planned span's finding of stop s: info, planned, and its summary says so.
func planned(f Finding, s *stop) Finding {
	if s == nil {
		return f
	}
	f.Severity, f.Planned = SeverityInfo, true
	f.Msg = f.Msg.And(s.note())
	return f
}

func containsInt(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}
