package analyze

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 6 of the analysis: the findings (TRIAD.md section 5), one rule per code.

// facts are what the finding rules read: the results of stages 1 to 5, never changed by a
// rule.
type facts struct {
	ev      *evidence
	clk     *clocks
	obs     *observations
	st      *statuses
	ivs     []Interval    // the timed intervals: nil when there are none
	untimed []untimedSnap // the snapshots whose time is unknown, with their intervals
	plan    *plan         // the planned stops, and the timed intervals they make planned
	grace   time.Duration
}

// A rule raises the findings of one code. A rule that needs no triad (no intervals: it
// reads the observations alone) also runs when the inputs are not a triad.
type rule struct {
	code      string
	find      func(c *facts) []Finding
	needsNone bool
}

// rules are the finding rules, in the order their findings are listed when they start at the
// same moment with the same severity.
var rules = []rule{
	{"failed-rejoin", failedRejoin, false},
	{"dual-master", dualMaster, false},
	{"masterless", outage(Masterless, func(d time.Duration) Severity {
		if d > 10*time.Minute {
			return SeverityCritical
		}
		return SeverityWarning
	}), false},
	{"no-quorum", outage(NoQuorum, func(time.Duration) Severity { return SeverityCritical }), false},
	{"server-down", serverDown, false},
	{"master-not-returned", masterNotReturned, false},
	{"tertiary-master", tertiaryMaster, false},
	{"order-mismatch", orderMismatch, true},
	{"clock-skew", clockSkew, false},
	{"vendor-daemon-exit", vendorExits, true},
	{"vendor-daemon-down", vendorDaemonDown, false},
	{"restart-loop", restartLoops, true},
	{"evidence-gap", evidenceGaps, false},
	{"planned-shutdown", plannedShutdowns, true},
}

// findings is stage 6: every rule's findings, each finished (short ones dropped, evidence
// sorted and bounded), in time order. Without intervals (the inputs are not a triad, or hold
// too little), only the rules that need none run.
func findings(c *facts) []Finding {
	var out []Finding
	for _, r := range rules {
		if c.ivs == nil && !r.needsNone {
			continue
		}
		for _, f := range r.find(c) {
			if f, ok := finish(f); ok {
				out = append(out, f)
			}
		}
	}
	for _, f := range untimedFindings(c) {
		f, _ := finish(f)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Start.IsZero() != y.Start.IsZero() {
			return y.Start.IsZero() // those with no time after the others, as their intervals
		}
		if !x.Start.Equal(y.Start) {
			return x.Start.Before(y.Start)
		}
		if x.Severity.rank() != y.Severity.rank() {
			return x.Severity.rank() > y.Severity.rank()
		}
		if x.Code != y.Code {
			return x.Code < y.Code
		}
		return x.Server < y.Server
	})
	return out
}

// minFinding: intervals shorter than this raise no finding (start-up and rounding flicker).
const minFinding = 10 * time.Second

const maxEvidence = 12

// finish makes a rule's finding ready for the report (evidence sorted, without repeats, and
// bounded); ok is false for one too short to raise.
func finish(f Finding) (Finding, bool) {
	if f.End.Sub(f.Start) < minFinding && f.interval >= 0 && !f.Start.IsZero() {
		return f, false
	}
	f.Evidence = dedupe(f.Evidence)
	if len(f.Evidence) > maxEvidence {
		// keep the first lines (how it began) and the last ones (how it stood at the end)
		f.Evidence = append(f.Evidence[:maxEvidence-3:maxEvidence-3], f.Evidence[len(f.Evidence)-3:]...)
	}
	return f, true
}

// failedRejoin: one per failed return, over the first contiguous run of failed-rejoin
// intervals in which the server is not up.
func failedRejoin(c *facts) []Finding {
	var out []Finding
	for _, e := range c.st.episodes {
		if !e.failed {
			continue
		}
		name := c.ev.id.names[e.server]
		rs := c.runs(func(iv *Interval) bool {
			return iv.State == FailedRejoin && !iv.Start.Before(e.start) && (e.end.IsZero() || iv.Start.Before(e.end)) && notUp(iv, name)
		})
		if len(rs) == 0 {
			continue
		}
		// The first contiguous run: an evidence gap (unknown) ends what the evidence can say.
		start, end := c.span(rs[0])
		refs := append([]Ref(nil), e.refs...)
		refs = append(refs, c.lastLmstatLine(e.server, start, end)...)
		how := msg.New("finding.failed-rejoin.how.joining")
		if st := c.statusAt(e.server, end.Add(-time.Nanosecond)); st == StatusUnresponsive {
			how = msg.New("finding.failed-rejoin.how.unresponsive")
		}
		text := msg.New("finding.failed-rejoin", "server", name, "start", e.start, "grace", c.grace, "how", how,
			"dur", end.Sub(start), "others", c.ev.others(e.server))
		if !e.end.IsZero() {
			text = text.And(msg.New("finding.failed-rejoin.later", "status", msg.Status(c.statusAt(e.server, e.end)), "at", e.end))
		}
		text = text.And(msg.New("finding.failed-rejoin.cpu"))
		out = append(out, Finding{Code: "failed-rejoin", Severity: SeverityCritical, Server: name, Start: start, End: end,
			Msg: text, Evidence: refs, interval: rs[0].first})
	}
	return out
}

// dualMaster: a dual-master run; critical when longer than 2 minutes.
func dualMaster(c *facts) []Finding {
	var out []Finding
	for _, r := range c.runs(func(iv *Interval) bool { return iv.State == DualMaster }) {
		start, end := c.span(r)
		sev := SeverityWarning
		if end.Sub(start) > 2*time.Minute {
			sev = SeverityCritical
		}
		refs := c.edgeEvidence(r)
		refs = append(refs, c.eventsIn(parser.EvThoughtMaster, start, end.Add(time.Minute))...)
		refs = append(refs, c.masterLines(start, end.Add(time.Minute))...)
		out = append(out, Finding{Code: "dual-master", Severity: sev, Start: start, End: end,
			Msg:      msg.New("finding.dual-master", "masters", c.ivs[r.first].Masters, "dur", end.Sub(start), "start", start, "end", end),
			Evidence: refs, interval: r.first})
	}
	return out
}

// outage is the rule of a state in which no licenses are served (masterless, no-quorum):
// one finding per run, its severity by the run's length.
func outage(state State, sev func(time.Duration) Severity) func(c *facts) []Finding {
	return func(c *facts) []Finding {
		var out []Finding
		for _, r := range c.plannedRuns(func(iv *Interval) bool { return iv.State == state }) {
			start, end := c.span(r)
			text := msg.New("finding."+string(state), "dur", end.Sub(start), "start", start, "end", end)
			if down := notUpText(c.ivs[r.first]); !down.IsZero() {
				text = text.And(down)
			}
			for i, s := range c.ivs[r.first].Servers {
				if s.Status == StatusDown {
					if _, at := c.downEvidence(i, start); !at.IsZero() && !at.Before(start.Add(-time.Second)) {
						if note := c.lossNote(i, at); !note.IsZero() {
							text = text.And(note)
						}
					}
				}
			}
			out = append(out, planned(Finding{Code: string(state), Severity: sev(end.Sub(start)), Start: start, End: end,
				Msg: text, Evidence: c.edgeEvidence(r), interval: r.first}, c.plan.forInterval(r.first)))
		}
		return out
	}
}

// serverDown: a server not up (down, isolated, joining or unresponsive) while the other two
// serve (TRIAD.md 5), one finding per run however its status changes inside it (down, then
// joining); the summary says which, and an isolated server is a network partition, not a dead
// machine. A run that is a failed rejoin is that finding's, not this one's. Per point, not per
// interval: an interval lists statuses at its start, and a status may change inside it.
func serverDown(c *facts) []Finding {
	var out []Finding
	for i, name := range c.ev.id.names[:c.ev.n] {
		var parts []plannedPart // the runs, split where a planned stop's span begins or ends
		for _, sp := range c.pointRuns(func(p *point) bool { return p.state == Degraded && notUpStatus(p.status[i]) }) {
			parts = append(parts, c.plannedParts(sp.start, sp.end)...)
		}
		for _, part := range parts {
			start, end := part.start, part.end
			var seq []Status // the statuses it went through, in order
			for k := range c.st.points {
				p := &c.st.points[k]
				if p.at.Before(start) || !p.at.Before(end) {
					continue
				}
				if s := p.status[i]; notUpStatus(s) && (len(seq) == 0 || seq[len(seq)-1] != s) {
					seq = append(seq, s)
				}
			}
			if len(seq) == 0 {
				seq = []Status{c.statusAt(i, start)}
			}
			refs, downAt := c.downEvidence(i, start)
			key := "finding.server-down"
			switch {
			case containsStatus(seq, StatusIsolated):
				key = "finding.server-down.partition"
				refs = append(refs, c.isolationEvidence(i, start, end)...)
			case len(seq) > 1 || seq[0] != StatusDown:
				key = "finding.server-down.not-up"
			}
			how := make([]msg.Text, len(seq))
			for k, s := range seq {
				how[k] = msg.New("finding.server-down.how", "status", msg.Status(s))
				if k > 0 {
					how[k] = msg.New("finding.server-down.then", "status", msg.Status(s))
				}
			}
			text := msg.New(key, "server", name, "dur", end.Sub(start), "start", start, "end", end,
				"others", c.ev.others(i), "how", msg.Join(how))
			if key != "finding.server-down.partition" {
				text = text.And(c.lossNote(i, downAt))
			}
			out = append(out, planned(Finding{Code: "server-down", Severity: SeverityWarning, Server: name, Start: start, End: end,
				Msg: text, Evidence: refs, interval: intervalIndex(c.ivs, start)}, part.stop))
		}
	}
	return out
}

// notUpStatus: a status that leaves a server out of the triad while it is known.
func notUpStatus(s Status) bool {
	return s == StatusDown || s == StatusIsolated || s == StatusJoining || s == StatusUnresponsive
}

func containsStatus(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isolationEvidence are the lines that show member i cut off in [from, to]: its own lost
// quorum, lmstat's -20 for it.
func (c *facts) isolationEvidence(i int, from, to time.Time) []Ref {
	var out []Ref
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.at.Before(from.Add(-c.ev.triad.HeartbeatTimeout)) || o.at.After(to) {
			continue
		}
		switch {
		case o.ev != nil && o.observer == i && (o.ev.Kind == parser.EvLostQuorum || o.ev.Kind == parser.EvLostAll):
			out = append(out, o.ref())
		case o.snap != nil && len(out) < 2:
			for _, sl := range o.snap.Servers {
				if sl.Code.Major == -20 && c.ev.isMember(sl.Name, i) {
					out = append(out, Ref{File: o.file, Line: o.lineOf(sl.Line), Text: sl.Text, Time: o.at})
				}
			}
		}
	}
	return out
}

// tertiaryMaster: the third SERVER line's host claims master.
func tertiaryMaster(c *facts) []Finding {
	if c.ev.n < 3 {
		return nil
	}
	var out []Finding
	tert := c.ev.id.names[2]
	for _, r := range c.runs(func(iv *Interval) bool { return containsStr(iv.Masters, tert) }) {
		start, end := c.span(r)
		out = append(out, Finding{Code: "tertiary-master", Severity: SeverityWarning, Server: tert, Start: start, End: end,
			Msg:      msg.New("finding.tertiary-master", "server", tert, "start", start, "end", end),
			Evidence: c.edgeEvidence(r), interval: r.first})
	}
	return out
}

// orderMismatch: one per server that logged it.
func orderMismatch(c *facts) []Finding {
	var out []Finding
	seen := map[int]bool{}
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.ev == nil || o.ev.Kind != parser.EvOrderMismatch || seen[o.observer] {
			continue
		}
		seen[o.observer] = true
		who := c.ev.name(o.observer)
		out = append(out, Finding{Code: "order-mismatch", Severity: SeverityWarning, Server: who, Start: o.at, End: o.at,
			Msg:      msg.New("finding.order-mismatch", "server", who),
			Evidence: []Ref{o.ref()}, interval: -1})
	}
	return out
}

// clockSkew: a server's estimated offset over a minute either way (TRIAD.md section 5): not
// the lmstat host's, and not one the user gave, which is known already.
func clockSkew(c *facts) []Finding {
	var out []Finding
	for _, s := range c.clk.skew {
		if s.Server == lmstatObserver || s.Method != "estimated" {
			continue
		}
		if s.Offset > time.Minute || s.Offset < -time.Minute {
			out = append(out, Finding{Code: "clock-skew", Severity: SeverityWarning, Server: s.Server,
				Start: c.ivs[0].Start, End: c.ivs[len(c.ivs)-1].End,
				Msg:      msg.New("finding.clock-skew."+aheadBehind(s.Offset), "server", s.Server, "offset", abs(s.Offset), "method", s.Method),
				interval: -1})
		}
	}
	return out
}

// evidenceGaps: a span inside the incident that no input covers.
func evidenceGaps(c *facts) []Finding {
	var out []Finding
	cover := c.obs.cover
	for k := 1; k < len(cover); k++ {
		start, end := cover[k-1].end, cover[k].start
		if end.Sub(start) < minFinding {
			continue
		}
		out = append(out, Finding{Code: "evidence-gap", Severity: SeverityInfo, Start: start, End: end,
			Msg:      msg.New("finding.evidence-gap", "start", start, "end", end, "dur", end.Sub(start)),
			interval: -1})
	}
	return out
}

func dedupe(refs []Ref) []Ref {
	seen := map[string]bool{}
	var out []Ref
	for _, r := range refs {
		k := r.At()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// run is a maximal sequence of intervals that satisfy a predicate.
type run struct{ first, last int }

func (c *facts) runs(pred func(iv *Interval) bool) []run {
	var out []run
	ivs := c.ivs
	for i := 0; i < len(ivs); i++ {
		if !pred(&ivs[i]) {
			continue
		}
		j := i
		for j+1 < len(ivs) && pred(&ivs[j+1]) && ivs[j+1].Start.Equal(ivs[j].End) {
			j++
		}
		out = append(out, run{i, j})
		i = j
	}
	return out
}

// plannedRuns are runs, each split where the planned stop its intervals belong to changes: a
// planned span's finding is not an outage's (TRIAD.md section 5).
func (c *facts) plannedRuns(pred func(iv *Interval) bool) []run {
	var out []run
	for _, r := range c.runs(pred) {
		for k := r.first; k <= r.last; k++ {
			if k > r.first && c.plan.forInterval(k) == c.plan.forInterval(k-1) {
				out[len(out)-1].last = k
				continue
			}
			out = append(out, run{k, k})
		}
	}
	return out
}

// plannedParts splits [start, end) where the planned stop of the intervals it crosses changes.
func (c *facts) plannedParts(start, end time.Time) []plannedPart {
	var out []plannedPart
	for k := range c.ivs {
		iv := &c.ivs[k]
		if !iv.End.After(start) || !iv.Start.Before(end) {
			continue
		}
		s := c.plan.forInterval(k)
		if n := len(out); n > 0 && out[n-1].stop == s {
			out[n-1].end = minTime(iv.End, end)
			continue
		}
		out = append(out, plannedPart{maxTime(iv.Start, start), minTime(iv.End, end), s})
	}
	if len(out) == 0 {
		return []plannedPart{{start, end, nil}}
	}
	out[0].start, out[len(out)-1].end = start, end
	return out
}

type plannedPart struct {
	start, end time.Time
	stop       *stop
}

func (c *facts) span(r run) (time.Time, time.Time) {
	return c.ivs[r.first].Start, c.ivs[r.last].End
}

// edgeEvidence is the evidence that began a run and the one that ended it.
func (c *facts) edgeEvidence(r run) []Ref {
	ivs := c.ivs
	var refs []Ref
	for k := r.first; k <= r.last; k++ {
		refs = append(refs, ivs[k].Evidence...)
	}
	if r.last+1 < len(ivs) {
		refs = append(refs, ivs[r.last+1].Evidence...)
	}
	return refs
}

// masterNotReturned: the primary came back while another server was master and the master
// stayed there (expected without PRIMARY_IS_MASTER); not when the primary wins a fresh election.
func masterNotReturned(c *facts) []Finding {
	if c.ev.triad.PrimaryIsMaster || c.ev.n < 2 {
		return nil
	}
	var out []Finding
	primary := c.ev.id.names[0]
	ivs := c.ivs
	for _, e := range c.st.episodes {
		if e.server != 0 {
			continue
		}
		before := c.pointBefore(e.start)
		if before == nil || len(before.masters) != 1 || before.masters[0] == 0 {
			continue
		}
		other := before.masters[0]
		for m := range ivs {
			iv := ivs[m]
			if iv.Start.Before(e.start) || iv.Servers[0].Status != StatusUp || len(iv.Masters) != 1 {
				continue
			}
			if iv.State != Normal && iv.State != Degraded && iv.State != FailedRejoin {
				continue
			}
			if iv.Masters[0] == c.ev.id.names[other] && !c.primaryRegains(m, other) {
				key := "finding.master-not-returned"
				if c.ev.lic == nil {
					key = "finding.master-not-returned.no-license"
				}
				var refs []Ref
				if len(e.refs) > 0 { // a return first seen at an edge of the evidence has no line of its own
					refs = append(refs, e.refs[0])
				}
				refs = append(refs, iv.Evidence...)
				out = append(out, Finding{Code: "master-not-returned", Severity: SeverityInfo, Server: primary, Start: e.start, End: iv.Start,
					Msg:      msg.New(key, "server", primary, "start", e.start, "master", c.ev.id.names[other]),
					Evidence: refs, interval: -1})
			}
			break
		}
	}
	return out
}

// primaryRegains tells whether the master moves back to the primary from other, in the
// intervals from k on, while both stay up (a handover, not an election after other failed):
// then the master did not stay where it was.
func (c *facts) primaryRegains(k, other int) bool {
	ivs := c.ivs
	for ; k < len(ivs); k++ {
		if ivs[k].Servers[0].Status != StatusUp || ivs[k].Servers[other].Status != StatusUp {
			return false
		}
		if len(ivs[k].Masters) == 1 && ivs[k].Masters[0] == c.ev.id.names[0] {
			return true
		}
	}
	return false
}

// pointBefore is the last point strictly before t.
func (c *facts) pointBefore(t time.Time) *point {
	var p *point
	for k := range c.st.points {
		if !c.st.points[k].at.Before(t) {
			break
		}
		p = &c.st.points[k]
	}
	return p
}

// vendorSpan is a span in which a vendor daemon was not running on a server.
type vendorSpan struct {
	server     int
	vendor     string
	start, end time.Time
	refs       []Ref // what began it, and what ended it
}

// vendorDaemonDown: the vendor daemon is not running on the master, so that vendor's
// licenses are not served (TRIAD.md section 5): lmstat's -97 on the master, or the master's
// own log from an exit or shutdown of the vendor daemon until lmgrd starts it again. It counts
// only while exactly one server is master: without one, the outage is masterless or no-quorum
// already. Warning; critical over 10 minutes.
func vendorDaemonDown(c *facts) []Finding {
	var spans []vendorSpan
	spans = append(spans, c.vendorDownInLogs()...)
	spans = append(spans, c.vendorDownInLmstat()...)
	// Keep each span's part where its server is the only master.
	var parts []vendorSpan
	for _, sp := range spans {
		for _, m := range c.soleMaster(sp.server) {
			start, end := maxTime(sp.start, m.start), minTime(sp.end, m.end)
			if start.Before(end) {
				part := sp
				part.start, part.end = start, end
				parts = append(parts, part)
			}
		}
	}
	// One finding per vendor and server over overlapping or touching parts (lmstat and the log
	// may both show one outage).
	sort.SliceStable(parts, func(i, j int) bool {
		x, y := parts[i], parts[j]
		if x.vendor != y.vendor {
			return x.vendor < y.vendor
		}
		if x.server != y.server {
			return x.server < y.server
		}
		return x.start.Before(y.start)
	})
	var merged []vendorSpan
	for _, p := range parts {
		if n := len(merged); n > 0 && merged[n-1].vendor == p.vendor && merged[n-1].server == p.server && !p.start.After(merged[n-1].end) {
			last := &merged[n-1]
			last.end = maxTime(last.end, p.end)
			last.refs = append(last.refs, p.refs...)
			continue
		}
		merged = append(merged, p)
	}
	var out []Finding
	for _, m := range merged {
		d := m.end.Sub(m.start)
		sev := SeverityWarning
		if d > 10*time.Minute {
			sev = SeverityCritical
		}
		who := c.ev.id.names[m.server]
		f := Finding{Code: "vendor-daemon-down", Severity: sev, Server: who, Start: m.start, End: m.end,
			Msg:      msg.New("finding.vendor-daemon-down", "vendor", msg.Raw(m.vendor), "server", who, "dur", d, "start", m.start, "end", m.end),
			Evidence: m.refs, interval: intervalIndex(c.ivs, m.start)}
		out = append(out, planned(f, c.plan.forVendor(m.server, m.vendor, m.start, c.ev.triad.HeartbeatTimeout)))
	}
	return out
}

// vendorDownInLogs are the spans in which a server's own log shows a vendor daemon not
// running: from its exit (either line of it) or shutdown until lmgrd starts it again, or the
// end of what the log covers.
func (c *facts) vendorDownInLogs() []vendorSpan {
	type key struct {
		server int
		vendor string
	}
	open := map[key]*vendorSpan{}
	var out []vendorSpan
	for k := range c.obs.list {
		o := &c.obs.list[k]
		e := o.ev
		if e == nil || o.observer >= c.ev.n {
			continue
		}
		vendor := e.Vendor
		if vendor == "" {
			vendor = e.Daemon
		}
		kk := key{o.observer, vendor}
		switch e.Kind {
		case parser.EvVendorExited, parser.EvVendorExiting, parser.EvVendorDown:
			if sp := open[kk]; sp != nil {
				sp.refs = append(sp.refs, o.ref())
				continue
			}
			open[kk] = &vendorSpan{server: o.observer, vendor: vendor, start: o.at, refs: []Ref{o.ref()}}
		case parser.EvVendorStarted, parser.EvVendorRestarted, parser.EvVendorServing:
			if sp := open[kk]; sp != nil {
				sp.end = o.at
				sp.refs = append(sp.refs, o.ref())
				out = append(out, *sp)
				delete(open, kk)
			}
		}
	}
	keys := make([]key, 0, len(open))
	for k := range open {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].server != keys[j].server {
			return keys[i].server < keys[j].server
		}
		return keys[i].vendor < keys[j].vendor
	})
	for _, k := range keys {
		sp := open[k]
		sp.end = c.obs.coverEnd(sp.start) // silence is not health, nor a restart
		out = append(out, *sp)
	}
	// A snapshot that shows the vendor daemon UP on the server, taken surely after the span
	// began, ends it: the log may not hold the line that started it again.
	for k := range out {
		sp := &out[k]
		for x := range c.obs.list {
			o := &c.obs.list[x]
			if o.snap == nil || !o.at.Add(-o.window).After(sp.start) || !o.at.Before(sp.end) {
				continue
			}
			if c.vendorUp(o.snap, sp.vendor, sp.server) {
				sp.end = o.at
				sp.refs = append(sp.refs, o.ref())
				break
			}
		}
	}
	return out
}

// vendorUp tells whether a snapshot shows vendor daemon v UP on member i.
func (c *facts) vendorUp(s *parser.Snapshot, v string, i int) bool {
	for _, vl := range s.Vendors {
		if vl.Up && strings.EqualFold(vl.Name, v) && c.ev.isMember(vl.On, i) {
			return true
		}
	}
	return false
}

// vendorDownInLmstat are the spans in which lmstat says a vendor daemon is down on the
// master (-97): from the run that says so until the next run of the same output.
func (c *facts) vendorDownInLmstat() []vendorSpan {
	var out []vendorSpan
	next := map[string]time.Time{} // file -> time of the run after the current one
	list := c.obs.list
	for k := len(list) - 1; k >= 0; k-- {
		o := &list[k]
		if o.snap == nil {
			continue
		}
		end, ok := next[o.file]
		next[o.file] = o.at
		if o.snap.Failed != nil {
			continue
		}
		if !ok {
			end = c.obs.coverEnd(o.at)
		}
		// The run's master: its one (MASTER) mark; with none, only where a name spelled
		// otherwise than its SERVER line may hide the mark (then the status line's "on" host).
		// A run with no master was taken while there was none: the outage is masterless or
		// no-quorum already (TRIAD.md 3), not a vendor daemon's.
		master, marks, hidden := -1, 0, c.ev.spelledOtherwise(o.snap)
		for _, sl := range o.snap.Servers {
			if j, ok := c.ev.member(sl.Name); ok && sl.Master {
				master, marks = j, marks+1
			}
		}
		for _, v := range o.snap.Vendors {
			if v.Up || v.Code.Major != -97 {
				continue
			}
			i, ok := c.ev.member(v.On)
			if !ok || !(marks == 1 && master == i || marks == 0 && hidden) {
				continue
			}
			// The master's own log is newer and exact: lmgrd starting the vendor daemon
			// inside the run's minute means the run saw it before it started; a start
			// before the next run ends the outage there.
			end := end
			if t := c.vendorStart(i, v.Name, o.at.Add(-o.window), end); !t.IsZero() {
				if !t.After(o.at) {
					continue
				}
				end = t
			}
			out = append(out, vendorSpan{server: i, vendor: v.Name, start: o.at, end: end,
				refs: []Ref{{File: o.file, Line: o.lineOf(v.Line), Text: v.Text, Time: o.at}}})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out
}

// vendorStart is the time of the first line of member i's log in [from, to] in which lmgrd
// starts vendor daemon v (Started or REStarted), zero when there is none.
func (c *facts) vendorStart(i int, v string, from, to time.Time) time.Time {
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.at.Before(from) {
			continue
		}
		if o.at.After(to) {
			break
		}
		if o.ev != nil && o.observer == i && (o.ev.Kind == parser.EvVendorStarted || o.ev.Kind == parser.EvVendorRestarted || o.ev.Kind == parser.EvVendorServing) &&
			strings.EqualFold(o.ev.Vendor, v) {
			return o.at
		}
	}
	return time.Time{}
}

// soleMaster are the covered spans in which member i is the only server claiming master.
func (c *facts) soleMaster(i int) []span {
	return c.pointRuns(func(p *point) bool { return len(p.masters) == 1 && p.masters[0] == i })
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// windowsServers are the members whose banner says they run Windows ("(IBM PC)"): their exit
// statuses count from another base.
func windowsServers(c *facts) map[int]bool {
	out := map[int]bool{}
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.ev != nil && o.ev.Kind == parser.EvStart && strings.Contains(o.ev.Text, "(IBM PC)") {
			out[o.observer] = true
		}
	}
	return out
}

// vendorExits: vendor daemon exits, outside orderly shutdowns and elections (exits are
// expected for two minutes after those) and lmgrd's own requests; the two lines of one exit
// (the vendor's and lmgrd's) make one finding.
func vendorExits(c *facts) []Finding {
	type key struct {
		server int
		vendor string
	}
	windows := windowsServers(c)
	var out []Finding
	quietUntil := map[int]time.Time{} // exits expected until then: shutdown or election
	last := map[key]time.Time{}
	lastFinding := map[key]int{} // the index of the finding an exit's first line raised
	for k := range c.obs.list {
		o := &c.obs.list[k]
		e := o.ev
		if e == nil {
			continue
		}
		switch e.Kind {
		case parser.EvShutdownRequest, parser.EvLostMaster, parser.EvLostQuorum, parser.EvVendorDown, parser.EvExiting:
			quietUntil[o.observer] = o.at.Add(2 * time.Minute)
		case parser.EvVendorExited, parser.EvVendorExiting:
			vendor := e.Vendor
			if vendor == "" {
				vendor = e.Daemon
			}
			k := key{o.observer, vendor}
			if o.at.Before(quietUntil[o.observer]) || e.Reason == 14 {
				continue
			}
			if t, ok := last[k]; ok && o.at.Sub(t) <= 30*time.Second {
				// the other line of the same exit: add it as evidence to that exit's finding
				if fi, ok := lastFinding[k]; ok {
					f := &out[fi]
					f.Evidence = append(f.Evidence, o.ref())
					if f.End.Before(o.at) {
						f.End = o.at
					}
				}
				continue
			}
			last[k] = o.at
			lastFinding[k] = len(out)
			who := c.ev.name(o.observer)
			f := Finding{Code: "vendor-daemon-exit", Severity: SeverityWarning, Server: who, Start: o.at, End: o.at,
				Msg:      msg.New("finding.vendor-daemon-exit", "vendor", vendor, "server", who, "at", o.at, "reason", exitReason(e, windows[o.observer])),
				Evidence: []Ref{o.ref()}, interval: -1}
			out = append(out, planned(f, c.plan.forVendor(o.observer, vendor, o.at, c.ev.triad.HeartbeatTimeout)))
		}
	}
	return out
}

// restartLoops: lmgrd restarts the same vendor daemon 3 or more times within 30 minutes.
func restartLoops(c *facts) []Finding {
	type key struct {
		server int
		vendor string
	}
	restarts := map[key][]*obs{}
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.ev != nil && o.ev.Kind == parser.EvVendorRestarted {
			k := key{o.observer, o.ev.Vendor}
			restarts[k] = append(restarts[k], o)
		}
	}
	keys := make([]key, 0, len(restarts))
	for k := range restarts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].server != keys[j].server {
			return keys[i].server < keys[j].server
		}
		return keys[i].vendor < keys[j].vendor
	})
	var out []Finding
	for _, k := range keys {
		rs := restarts[k]
		for i := 0; i+2 < len(rs); {
			j := i
			for j+1 < len(rs) && rs[j+1].at.Sub(rs[i].at) <= 30*time.Minute {
				j++
			}
			if j-i+1 >= 3 {
				var refs []Ref
				for _, o := range rs[i : j+1] {
					refs = append(refs, o.ref())
				}
				who := c.ev.name(k.server)
				out = append(out, Finding{Code: "restart-loop", Severity: SeverityCritical, Server: who, Start: rs[i].at, End: rs[j].at,
					Msg:      msg.New("finding.restart-loop", "server", who, "vendor", k.vendor, "count", j-i+1, "dur", rs[j].at.Sub(rs[i].at)),
					Evidence: refs, interval: -1})
				i = j + 1
				continue
			}
			i++
		}
	}
	return out
}

// exitReason decodes a vendor daemon exit: "Exit reason N" is the EXIT_ offset, else the
// status less the platform's base (23 on Windows, 32 on Linux; FORMATS.md 1.5). The reasons'
// names are in the message catalogues (exit.N).
func exitReason(e *parser.Event, windows bool) msg.Text {
	n := e.Reason
	if n < 0 && e.Status > 0 {
		base := 32 // Linux
		if windows {
			base = 23
		}
		if d := e.Status - base; d >= 1 && d <= 20 {
			n = d
		}
	}
	known := n >= 1 && n <= 20
	desc := msg.New(fmt.Sprintf("exit.%d", n))
	switch {
	case e.Why != "" && known:
		return msg.New("exit.status-why-desc", "status", e.Status, "why", msg.Raw(e.Why), "desc", desc)
	case e.Why != "":
		return msg.New("exit.status-why", "status", e.Status, "why", msg.Raw(e.Why))
	case known:
		return msg.New("exit.status-desc", "status", e.Status, "reason", n, "desc", desc)
	}
	return msg.New("exit.status", "status", e.Status)
}

func (c *facts) eventsIn(k parser.EventKind, from, to time.Time) []Ref {
	var out []Ref
	for x := range c.obs.list {
		o := &c.obs.list[x]
		if o.ev != nil && o.ev.Kind == k && !o.at.Before(from) && !o.at.After(to) {
			out = append(out, o.ref())
		}
	}
	return out
}

// lastLmstatLine is the last lmstat line about server i inside [from, to].
func (c *facts) lastLmstatLine(i int, from, to time.Time) []Ref {
	for k := len(c.obs.list) - 1; k >= 0; k-- {
		o := &c.obs.list[k]
		if o.snap == nil || o.at.After(to) {
			continue
		}
		if o.at.Before(from) {
			break
		}
		for _, sl := range o.snap.Servers {
			if c.ev.isMember(sl.Name, i) {
				return []Ref{{File: o.file, Line: o.lineOf(sl.Line), Text: sl.Text, Time: o.at}}
			}
		}
	}
	return nil
}

// lastHeard is the time of server i's last own log line at or before t (zero when unknown):
// the line before the silence that a later restart banner ends, or the log's last line.
func (c *facts) lastHeard(i int, t time.Time) time.Time {
	var best time.Time
	for _, f := range c.ev.logs[i] {
		for _, e := range f.Events {
			if e.Kind == parser.EvStart && !e.Prev.IsZero() {
				if p := c.clk.fix(e.Prev, i); !p.After(t) && c.clk.fix(e.Time, i).After(t) && p.After(best) {
					best = p
				}
			}
		}
		if l := c.clk.fix(f.Last, i); !l.After(t) && l.After(best) {
			best = l
		}
	}
	return best
}

// lossNote explains how a server was lost, from the silence of its own log before its peers
// noticed: at once means lmgrd died and its sockets closed; about one heartbeat timeout means
// the machine or its network failed.
func (c *facts) lossNote(i int, lost time.Time) msg.Text {
	last := c.lastHeard(i, lost)
	if last.IsZero() {
		return msg.Text{}
	}
	d := lost.Sub(last)
	name := c.ev.id.names[i]
	hb := c.ev.triad.HeartbeatTimeout
	switch {
	case c.exitsAt(i, last):
		// its last line is its lmgrd's own exit: an orderly stop, however late lmstat saw it
		return msg.New("finding.loss.exited", "server", name, "last", last)
	case d <= 10*time.Second:
		return msg.New("finding.loss.at-once", "server", name, "last", last)
	case d <= hb+30*time.Second:
		return msg.New("finding.loss.heartbeat", "server", name, "last", last, "gap", d, "timeout", hb)
	}
	return msg.New("finding.loss.silent", "server", name, "gap", d)
}

// exitsAt tells whether member i's own log has its lmgrd exiting (EXITING DUE TO SIGNAL) at t.
func (c *facts) exitsAt(i int, t time.Time) bool {
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.at.After(t) {
			break
		}
		if o.at.Equal(t) && o.observer == i && o.ev != nil && o.ev.Kind == parser.EvExiting {
			return true
		}
	}
	return false
}

// pointRuns are the covered spans where the points satisfy pred.
func (c *facts) pointRuns(pred func(p *point) bool) []span {
	var out []span
	last := c.ivs[len(c.ivs)-1].End
	points := c.st.points
	for k := range points {
		p := &points[k]
		end := last
		if k+1 < len(points) {
			end = points[k+1].at
		}
		if !pred(p) || !c.obs.covered(p.at) {
			continue
		}
		if ce := c.obs.coverEnd(p.at); ce.Before(end) {
			end = ce // silence is not health: a run stops where the evidence does
		}
		if !p.at.Before(end) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].end.Equal(p.at) {
			out[n-1].end = end
			continue
		}
		out = append(out, span{p.at, end})
	}
	return out
}

// intervalIndex is the index of the interval holding t, -1 when none does.
func intervalIndex(ivs []Interval, t time.Time) int {
	for k, iv := range ivs {
		if !t.Before(iv.Start) && t.Before(iv.End) {
			return k
		}
	}
	return -1
}

// masterLines are the lmstat lines of snapshots in [from, to] that hold two or more
// (MASTER) marks.
func (c *facts) masterLines(from, to time.Time) []Ref {
	var out []Ref
	for k := range c.obs.list {
		o := &c.obs.list[k]
		if o.snap == nil || o.at.Before(from) || o.at.After(to) {
			continue
		}
		var lines []Ref
		for _, sl := range o.snap.Servers {
			if sl.Master {
				lines = append(lines, Ref{File: o.file, Line: o.lineOf(sl.Line), Text: sl.Text, Time: o.at})
			}
		}
		if len(lines) >= 2 {
			out = append(out, lines...)
		}
	}
	return out
}

// downEvidence is the evidence of the point where server i last went down at or before t,
// and its time.
func (c *facts) downEvidence(i int, t time.Time) ([]Ref, time.Time) {
	points := c.st.points
	for k := len(points) - 1; k > 0; k-- {
		p := points[k]
		if p.at.After(t) {
			continue
		}
		if p.status[i] == StatusDown && points[k-1].status[i] != StatusDown {
			return p.refs, p.at
		}
	}
	return nil, time.Time{}
}

func (c *facts) statusAt(i int, t time.Time) Status { return c.st.statusAt(i, t) }

// notUpText names the servers not up at an interval's start: " (server1 down)".
func notUpText(iv Interval) msg.Text {
	var parts []msg.Text
	for _, s := range iv.Servers {
		if s.Status != StatusUp {
			parts = append(parts, msg.New("finding.not-up.one", "server", s.Server, "status", msg.Status(s.Status)))
		}
	}
	if len(parts) == 0 {
		return msg.Text{}
	}
	return msg.New("finding.not-up", "servers", msg.Join(parts))
}

func notUp(iv *Interval, name string) bool {
	for _, s := range iv.Servers {
		if s.Server == name {
			return s.Status != StatusUp
		}
	}
	return false
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func aheadBehind(d time.Duration) string {
	if d < 0 {
		return "behind"
	}
	return "ahead"
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// clock prints a time for a sentence: RFC 3339 with its offset.
func clock(t time.Time) string { return t.Format(time.RFC3339) }
