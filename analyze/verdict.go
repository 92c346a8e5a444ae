package analyze

import (
	"fmt"
	"strings"

	"github.com/lmtriad/lmtriad/analyze/msg"

	"github.com/lmtriad/lmtriad/parser"
)

// verdict: the most severe finding (ties: the earliest) and the exit code (TRIAD.md section 5).
func (a *analysis) verdict() {
	v := &a.rep.Verdict
	ivs := a.rep.Intervals
	v.State = ivs[len(ivs)-1].State
	v.Severity = SeverityOK
	var best *Finding
	for k := range a.rep.Findings {
		f := &a.rep.Findings[k]
		if best == nil || f.Severity.rank() > best.Severity.rank() ||
			(f.Severity.rank() == best.Severity.rank() && f.Start.Before(best.Start)) {
			best = f
		}
	}
	if best == nil {
		v.Msg = msg.New("verdict.none", "state", msg.State(v.State))
		v.Summary = v.Msg.String()
		return
	}
	v.Finding = best
	v.Severity = best.Severity
	if best.Severity.rank() >= SeverityWarning.rank() {
		v.ExitCode = 1
	}
	if iv := a.intervalAt(best); iv != nil {
		v.State = iv.State
	}
	v.Msg = msg.New("verdict.finding", "summary", best.Msg)
	if best.Fix != nil && best.Fix.Ref != "" {
		v.Msg = v.Msg.And(msg.New("verdict.fix", "ref", best.Fix.Ref))
	}
	if best.Severity == SeverityInfo {
		v.Msg = msg.New("verdict.info", "summary", v.Msg)
	}
	v.Summary = v.Msg.String()
}

func (a *analysis) intervalAt(f *Finding) *Interval {
	if f.interval >= 0 && f.interval < len(a.rep.Intervals) {
		return &a.rep.Intervals[f.interval]
	}
	return nil
}

// notes say what the evidence at hand cannot show.
func (a *analysis) notes() {
	var logs, snaps int
	for _, in := range a.rep.Inputs {
		switch in.Kind {
		case "debuglog":
			if in.Skipped == "" {
				logs++
			}
		case "lmstat":
			if in.Skipped == "" {
				snaps++
			}
		}
	}
	add := func(t msg.Text) { a.rep.Notes = append(a.rep.Notes, t) }
	if snaps == 0 {
		add(msg.New("note.no-lmstat"))
	}
	if logs == 0 {
		add(msg.New("note.no-logs"))
	} else {
		var missing []string
		for i, n := range a.id.names[:a.n] {
			if !a.hasLog[i] {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			add(msg.New("note.missing-log", "servers", missing))
		}
	}
	if a.lic == nil {
		add(msg.New("note.no-license", "source", a.rep.Triad.Source))
	}
}

// Timeline builds the merged replay: every triad event and every lmstat snapshot that changed
// something, in corrected-time order, with the state after it.
func (a *analysis) timeline() {
	pi := 0
	for k, o := range a.obs {
		for pi+1 < len(a.points) && a.points[pi].lastObs <= k {
			pi++
		}
		p := a.points[pi]
		e := TimelineEntry{Time: o.at, Server: a.name(o.observer), Ref: a.ref(o), State: p.state, Masters: a.names(p.masters)}
		if o.ev != nil {
			e.What = o.ev.Kind.String()
			if o.ev.Peer != "" {
				e.What += " " + o.ev.Peer
			}
		} else {
			what, changed := describeSnapshot(o.snap, o.prev)
			if !changed {
				continue
			}
			e.What = what
		}
		a.rep.Timeline = append(a.rep.Timeline, e)
	}
}

// describeSnapshot sums up a snapshot and tells whether it differs from the previous one.
func describeSnapshot(s, prev *parser.Snapshot) (string, bool) {
	sum := func(s *parser.Snapshot) string {
		if s == nil {
			return ""
		}
		if s.Failed != nil {
			return "lmstat failed"
		}
		if s.NotRunning != nil {
			return "no server answered"
		}
		var parts []string
		for _, sl := range s.Servers {
			st := "UP"
			if sl.Master {
				st = "UP (MASTER)"
			}
			if sl.Status == parser.ServerError {
				st = fmt.Sprintf("%d", sl.Code.Major)
			}
			parts = append(parts, strings.TrimSpace(sl.Name)+" "+st)
		}
		return strings.Join(parts, ", ")
	}
	now := sum(s)
	return now, prev == nil || now != sum(prev)
}
