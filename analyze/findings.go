package analyze

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/analyze/msg"
	"github.com/lmtriad/lmtriad/parser"
)

//go:embed fixes.json fixes.ja.json
var fixFiles embed.FS

// Fixes are the remedies by finding code, in English, kept as data in fixes.json so that
// support staff can edit them without touching code; fixes.ja.json holds them in Japanese.
var Fixes = mustFixes("fixes.json")

var fixesJa = mustFixes("fixes.ja.json")

func mustFixes(name string) map[string]Fix {
	b, err := fixFiles.ReadFile(name)
	if err != nil {
		panic("analyze: " + err.Error()) // embedded at build time
	}
	m := map[string]Fix{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic("analyze: " + name + ": " + err.Error()) // embedded at build time; a test reads it too
	}
	return m
}

// FixIn is the remedy for a finding code in a language, nil when there is none.
func FixIn(code, lang string) *Fix {
	m := Fixes
	if lang == "ja" {
		m = fixesJa
	}
	f, ok := m[code]
	if !ok {
		return nil
	}
	return &f
}

func fixFor(code string) *Fix {
	f, ok := Fixes[code]
	if !ok {
		return nil
	}
	return &f
}

// minFinding: intervals shorter than this raise no finding (start-up and rounding flicker).
const minFinding = 10 * time.Second

const maxEvidence = 12

func (a *analysis) add(f Finding) {
	if f.End.Sub(f.Start) < minFinding && f.interval >= 0 {
		return
	}
	f.Evidence = dedupe(f.Evidence)
	if len(f.Evidence) > maxEvidence {
		// keep the first lines (how it began) and the last ones (how it stood at the end)
		f.Evidence = append(f.Evidence[:maxEvidence-3:maxEvidence-3], f.Evidence[len(f.Evidence)-3:]...)
	}
	if f.Fix == nil {
		f.Fix = fixFor(f.Code)
	}
	f.Summary = f.Msg.String()
	a.rep.Findings = append(a.rep.Findings, f)
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

func (a *analysis) runs(pred func(iv *Interval) bool) []run {
	var out []run
	ivs := a.rep.Intervals
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

func (a *analysis) span(r run) (time.Time, time.Time) {
	return a.rep.Intervals[r.first].Start, a.rep.Intervals[r.last].End
}

// edgeEvidence is the evidence that began a run and the one that ended it.
func (a *analysis) edgeEvidence(r run) []Ref {
	ivs := a.rep.Intervals
	var refs []Ref
	for k := r.first; k <= r.last; k++ {
		refs = append(refs, ivs[k].Evidence...)
	}
	if r.last+1 < len(ivs) {
		refs = append(refs, ivs[r.last+1].Evidence...)
	}
	return refs
}

func (a *analysis) findings() {
	ivs := a.rep.Intervals
	grace := a.cfg.RejoinGrace

	// failed-rejoin, one per failed return.
	for _, e := range a.episodes {
		if !e.failed {
			continue
		}
		name := a.id.names[e.server]
		rs := a.runs(func(iv *Interval) bool {
			return iv.State == FailedRejoin && !iv.Start.Before(e.start) && (e.end.IsZero() || iv.Start.Before(e.end)) && notUp(iv, name)
		})
		if len(rs) == 0 {
			continue
		}
		// The first contiguous run: an evidence gap (unknown) ends what the evidence can say.
		start, end := a.span(rs[0])
		refs := append([]Ref(nil), e.refs...)
		refs = append(refs, a.lastLmstatLine(e.server, start, end)...)
		how := msg.New("finding.failed-rejoin.how.joining")
		if st := a.statusAt(e.server, end.Add(-time.Nanosecond)); st == StatusUnresponsive {
			how = msg.New("finding.failed-rejoin.how.unresponsive")
		}
		text := msg.New("finding.failed-rejoin", "server", name, "start", e.start, "grace", grace, "how", how,
			"dur", end.Sub(start), "others", a.others(e.server))
		if !e.end.IsZero() {
			text = text.And(msg.New("finding.failed-rejoin.later", "status", msg.Status(a.statusAt(e.server, e.end)), "at", e.end))
		}
		text = text.And(msg.New("finding.failed-rejoin.cpu"))
		a.add(Finding{Code: "failed-rejoin", Severity: SeverityCritical, Server: name, Start: start, End: end,
			Msg: text, Evidence: refs, interval: rs[0].first})
	}

	// dual-master.
	for _, r := range a.runs(func(iv *Interval) bool { return iv.State == DualMaster }) {
		start, end := a.span(r)
		sev := SeverityWarning
		if end.Sub(start) > 2*time.Minute {
			sev = SeverityCritical
		}
		refs := a.edgeEvidence(r)
		refs = append(refs, a.eventsIn(parser.EvThoughtMaster, start, end.Add(time.Minute))...)
		refs = append(refs, a.masterLines(start, end.Add(time.Minute))...)
		a.add(Finding{Code: "dual-master", Severity: sev, Start: start, End: end,
			Msg:      msg.New("finding.dual-master", "masters", ivs[r.first].Masters, "dur", end.Sub(start), "start", start, "end", end),
			Evidence: refs, interval: r.first})
	}

	// masterless and no-quorum.
	for _, c := range []struct {
		state State
		sev   func(time.Duration) Severity
	}{
		{Masterless, func(d time.Duration) Severity {
			if d > 10*time.Minute {
				return SeverityCritical
			}
			return SeverityWarning
		}},
		{NoQuorum, func(time.Duration) Severity { return SeverityCritical }},
	} {
		for _, r := range a.runs(func(iv *Interval) bool { return iv.State == c.state }) {
			start, end := a.span(r)
			text := msg.New("finding."+string(c.state), "dur", end.Sub(start), "start", start, "end", end)
			if down := a.notUpText(ivs[r.first]); !down.IsZero() {
				text = text.And(down)
			}
			for i, s := range ivs[r.first].Servers {
				if s.Status == StatusDown {
					if _, at := a.downEvidence(i, start); !at.IsZero() && !at.Before(start.Add(-time.Second)) {
						if note := a.lossNote(i, at); !note.IsZero() {
							text = text.And(note)
						}
					}
				}
			}
			a.add(Finding{Code: string(c.state), Severity: c.sev(end.Sub(start)), Start: start, End: end,
				Msg:      text,
				Evidence: a.edgeEvidence(r), interval: r.first})
		}
	}

	// server-down: a server down while the other two serve. Per point, not per interval: an
	// interval lists statuses at its start, and a server may go from down to joining inside it.
	for i, name := range a.id.names[:a.n] {
		for _, sp := range a.pointRuns(func(p *point) bool { return p.state == Degraded && p.status[i] == StatusDown }) {
			start, end := sp.start, sp.end
			refs, downAt := a.downEvidence(i, start)
			a.add(Finding{Code: "server-down", Severity: SeverityWarning, Server: name, Start: start, End: end,
				Msg: msg.New("finding.server-down", "server", name, "dur", end.Sub(start), "start", start, "end", end,
					"others", a.others(i)).And(a.lossNote(i, downAt)),
				Evidence: refs, interval: a.intervalIndex(start)})
		}
	}

	a.masterNotReturned()

	// tertiary-master.
	if a.n >= 3 {
		tert := a.id.names[2]
		for _, r := range a.runs(func(iv *Interval) bool { return containsStr(iv.Masters, tert) }) {
			start, end := a.span(r)
			a.add(Finding{Code: "tertiary-master", Severity: SeverityWarning, Server: tert, Start: start, End: end,
				Msg:      msg.New("finding.tertiary-master", "server", tert, "start", start, "end", end),
				Evidence: a.edgeEvidence(r), interval: r.first})
		}
	}

	// order-mismatch: one per server that logged it.
	seen := map[int]bool{}
	for _, o := range a.obs {
		if o.ev == nil || o.ev.Kind != parser.EvOrderMismatch || seen[o.observer] {
			continue
		}
		seen[o.observer] = true
		a.add(Finding{Code: "order-mismatch", Severity: SeverityWarning, Server: a.name(o.observer), Start: o.at, End: o.at,
			Msg:      msg.New("finding.order-mismatch", "server", a.name(o.observer)),
			Evidence: []Ref{a.ref(o)}, interval: -1})
	}

	// clock-skew.
	for _, s := range a.rep.Clock.Skew {
		// A server's estimated offset (TRIAD.md section 5): not the lmstat host's, and not one
		// the user gave, which is known already.
		if s.Server == lmstatObserver || s.Method != "estimated" {
			continue
		}
		if s.Offset > time.Minute || s.Offset < -time.Minute {
			a.add(Finding{Code: "clock-skew", Severity: SeverityWarning, Server: s.Server,
				Start: a.rep.Intervals[0].Start, End: a.rep.Intervals[len(ivs)-1].End,
				Msg:      msg.New("finding.clock-skew."+aheadBehind(s.Offset), "server", s.Server, "offset", abs(s.Offset), "method", s.Method),
				interval: -1})
		}
	}

	a.vendorFindings()

	// evidence-gap.
	for k := 1; k < len(a.cover); k++ {
		start, end := a.cover[k-1].end, a.cover[k].start
		if end.Sub(start) < minFinding {
			continue
		}
		a.add(Finding{Code: "evidence-gap", Severity: SeverityInfo, Start: start, End: end,
			Msg:      msg.New("finding.evidence-gap", "start", start, "end", end, "dur", end.Sub(start)),
			interval: -1})
	}

	sort.SliceStable(a.rep.Findings, func(i, j int) bool {
		x, y := a.rep.Findings[i], a.rep.Findings[j]
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
}

// masterNotReturned: the primary came back while another server was master and the master
// stayed there (expected without PRIMARY_IS_MASTER); not when the primary wins a fresh election.
func (a *analysis) masterNotReturned() {
	if a.rep.Triad.PrimaryIsMaster || a.n < 2 {
		return
	}
	primary := a.id.names[0]
	ivs := a.rep.Intervals
	for _, e := range a.episodes {
		if e.server != 0 {
			continue
		}
		before := a.pointBefore(e.start)
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
			if iv.Masters[0] == a.id.names[other] && !a.primaryRegains(m, other) {
				key := "finding.master-not-returned"
				if a.lic == nil {
					key = "finding.master-not-returned.no-license"
				}
				refs := append([]Ref{e.refs[0]}, iv.Evidence...)
				a.add(Finding{Code: "master-not-returned", Severity: SeverityInfo, Server: primary, Start: e.start, End: iv.Start,
					Msg:      msg.New(key, "server", primary, "start", e.start, "master", a.id.names[other]),
					Evidence: refs, interval: -1})
			}
			break
		}
	}
}

// primaryRegains tells whether the master moves back to the primary from other, in the
// intervals from k on, while both stay up (a handover, not an election after other failed):
// then the master did not stay where it was.
func (a *analysis) primaryRegains(k, other int) bool {
	ivs := a.rep.Intervals
	for ; k < len(ivs); k++ {
		if ivs[k].Servers[0].Status != StatusUp || ivs[k].Servers[other].Status != StatusUp {
			return false
		}
		if len(ivs[k].Masters) == 1 && ivs[k].Masters[0] == a.id.names[0] {
			return true
		}
	}
	return false
}

// pointBefore is the last point strictly before t.
func (a *analysis) pointBefore(t time.Time) *point {
	var p *point
	for k := range a.points {
		if !a.points[k].at.Before(t) {
			break
		}
		p = &a.points[k]
	}
	return p
}

// vendorFindings: vendor daemon exits (outside orderly shutdowns and elections) and restart loops.
func (a *analysis) vendorFindings() {
	type key struct {
		server int
		vendor string
	}
	windows := map[int]bool{} // by observer: it is a Windows server
	for _, o := range a.obs {
		if o.ev != nil && o.ev.Kind == parser.EvStart && strings.Contains(o.ev.Text, "(IBM PC)") {
			windows[o.observer] = true
		}
	}
	quietUntil := map[int]time.Time{} // exits expected until then: shutdown or election
	last := map[key]time.Time{}
	lastFinding := map[key]int{} // the index of the finding an exit's first line raised
	restarts := map[key][]obs{}
	for _, o := range a.obs {
		e := o.ev
		if e == nil {
			continue
		}
		switch e.Kind {
		case parser.EvShutdownRequest, parser.EvLostMaster, parser.EvLostQuorum, parser.EvVendorDown, parser.EvExiting:
			quietUntil[o.observer] = o.at.Add(2 * time.Minute)
		case parser.EvVendorRestarted:
			k := key{o.observer, e.Vendor}
			restarts[k] = append(restarts[k], o)
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
					f := &a.rep.Findings[fi]
					f.Evidence = append(f.Evidence, a.ref(o))
					if f.End.Before(o.at) {
						f.End = o.at
					}
				}
				continue
			}
			last[k] = o.at
			lastFinding[k] = len(a.rep.Findings)
			reason := exitReason(e, windows[o.observer])
			a.add(Finding{Code: "vendor-daemon-exit", Severity: SeverityWarning, Server: a.name(o.observer), Start: o.at, End: o.at,
				Msg:      msg.New("finding.vendor-daemon-exit", "vendor", vendor, "server", a.name(o.observer), "at", o.at, "reason", reason),
				Evidence: []Ref{a.ref(o)}, interval: -1})
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
					refs = append(refs, a.ref(o))
				}
				a.add(Finding{Code: "restart-loop", Severity: SeverityCritical, Server: a.name(k.server), Start: rs[i].at, End: rs[j].at,
					Msg:      msg.New("finding.restart-loop", "server", a.name(k.server), "vendor", k.vendor, "count", j-i+1, "dur", rs[j].at.Sub(rs[i].at)),
					Evidence: refs, interval: -1})
				i = j + 1
				continue
			}
			i++
		}
	}
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

func (a *analysis) ref(o obs) Ref {
	if o.ev != nil {
		return Ref{File: o.file, Line: o.ev.Line, Text: o.ev.Text, Time: o.at}
	}
	return Ref{File: o.file, Line: o.line, Text: o.text, Time: o.at}
}

func (a *analysis) eventsIn(k parser.EventKind, from, to time.Time) []Ref {
	var out []Ref
	for _, o := range a.obs {
		if o.ev != nil && o.ev.Kind == k && !o.at.Before(from) && !o.at.After(to) {
			out = append(out, a.ref(o))
		}
	}
	return out
}

// lastLmstatLine is the last lmstat line about server i inside [from, to].
func (a *analysis) lastLmstatLine(i int, from, to time.Time) []Ref {
	for k := len(a.obs) - 1; k >= 0; k-- {
		o := a.obs[k]
		if o.snap == nil || o.at.After(to) {
			continue
		}
		if o.at.Before(from) {
			break
		}
		for _, sl := range o.snap.Servers {
			if j, ok := a.id.lookup(sl.Name); ok && j == i {
				return []Ref{{File: o.file, Line: sl.Line + o.delta, Text: sl.Text, Time: o.at}}
			}
		}
	}
	return nil
}

// lastHeard is the time of server i's last own log line at or before t (zero when unknown):
// the line before the silence that a later restart banner ends, or the log's last line.
func (a *analysis) lastHeard(i int, t time.Time) time.Time {
	var best time.Time
	for _, f := range a.logs[i] {
		for _, e := range f.Events {
			if e.Kind == parser.EvStart && !e.Prev.IsZero() {
				if p := a.fix(e.Prev, i); !p.After(t) && a.fix(e.Time, i).After(t) && p.After(best) {
					best = p
				}
			}
		}
		if l := a.fix(f.Last, i); !l.After(t) && l.After(best) {
			best = l
		}
	}
	return best
}

// lossNote explains how a server was lost, from the silence of its own log before its peers
// noticed: at once means lmgrd died and its sockets closed; about one heartbeat timeout means
// the machine or its network failed.
func (a *analysis) lossNote(i int, lost time.Time) msg.Text {
	last := a.lastHeard(i, lost)
	if last.IsZero() {
		return msg.Text{}
	}
	d := lost.Sub(last)
	name := a.id.names[i]
	switch {
	case d <= 10*time.Second:
		return msg.New("finding.loss.at-once", "server", name, "last", last)
	case d <= a.hbTimeout+30*time.Second:
		return msg.New("finding.loss.heartbeat", "server", name, "last", last, "gap", d, "timeout", a.hbTimeout)
	}
	return msg.New("finding.loss.silent", "server", name, "gap", d)
}

// pointRuns are the covered spans where the points satisfy pred.
func (a *analysis) pointRuns(pred func(p *point) bool) []span {
	var out []span
	last := a.rep.Intervals[len(a.rep.Intervals)-1].End
	for k := range a.points {
		p := &a.points[k]
		end := last
		if k+1 < len(a.points) {
			end = a.points[k+1].at
		}
		if !pred(p) || !a.covered(p.at) {
			continue
		}
		if c := a.coverEnd(p.at); c.Before(end) {
			end = c // silence is not health: a run stops where the evidence does
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

// coverEnd is the end of the covered span holding t.
func (a *analysis) coverEnd(t time.Time) time.Time {
	for _, c := range a.cover {
		if !t.Before(c.start) && t.Before(c.end) {
			return c.end
		}
	}
	return t
}

// intervalIndex is the index of the interval holding t.
func (a *analysis) intervalIndex(t time.Time) int {
	for k, iv := range a.rep.Intervals {
		if !t.Before(iv.Start) && t.Before(iv.End) {
			return k
		}
	}
	return -1
}

// masterLines are the lmstat lines of snapshots in [from, to] that hold two or more
// (MASTER) marks.
func (a *analysis) masterLines(from, to time.Time) []Ref {
	var out []Ref
	for _, o := range a.obs {
		if o.snap == nil || o.at.Before(from) || o.at.After(to) {
			continue
		}
		var lines []Ref
		for _, sl := range o.snap.Servers {
			if sl.Master {
				lines = append(lines, Ref{File: o.file, Line: sl.Line + o.delta, Text: sl.Text, Time: o.at})
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
func (a *analysis) downEvidence(i int, t time.Time) ([]Ref, time.Time) {
	for k := len(a.points) - 1; k > 0; k-- {
		p := a.points[k]
		if p.at.After(t) {
			continue
		}
		if p.status[i] == StatusDown && a.points[k-1].status[i] != StatusDown {
			return p.refs, p.at
		}
	}
	return nil, time.Time{}
}

func (a *analysis) statusAt(i int, t time.Time) Status {
	s := StatusUnknown
	for _, p := range a.points {
		if p.at.After(t) {
			break
		}
		s = p.status[i]
	}
	return s
}

func (a *analysis) others(i int) []string {
	var out []string
	for j, n := range a.id.names[:a.n] {
		if j != i {
			out = append(out, n)
		}
	}
	return out
}

// notUpText names the servers not up at an interval's start: " (server1 down)".
func (a *analysis) notUpText(iv Interval) msg.Text {
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
