package analyze

import (
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 8 of the analysis: the verdict, and notes on what the evidence cannot show.

// verdict is the finding that matters most (TRIAD.md section 5): the highest severity; among
// equal severity, the one with the longest time without licenses served; then one still
// going at the end of the evidence; then the latest. Info findings are never the verdict:
// with nothing at warning or above, the verdict is ok and says the state the evidence ends
// in. It points into rep.Findings.
func verdict(rep *Report) Verdict {
	var v Verdict
	ivs := rep.Intervals
	// The state the evidence ends in: the last timed interval's; a snapshot whose time is
	// unknown (listed after them) says it only when there is no other.
	last := len(ivs) - 1
	for k := last; k >= 0; k-- {
		if !ivs[k].End.IsZero() {
			last = k
			break
		}
	}
	end := ivs[last].End
	v.State = ivs[last].State
	v.Severity = SeverityOK
	var best *Finding
	infos := 0
	for k := range rep.Findings {
		f := &rep.Findings[k]
		if f.Severity.rank() < SeverityWarning.rank() {
			infos++
			continue
		}
		if best == nil || matters(f, best, end) {
			best = f
		}
	}
	if best == nil {
		v.Msg = msg.New("verdict.none", "state", msg.State(v.State))
		if infos > 0 {
			v.Msg = msg.New("verdict.info", "state", msg.State(v.State), "n", infos)
		}
		// Nothing found is not all well when the evidence could not tell the state for a while
		// (one log of three, a silence): say how long, so that OK is not read as a clean bill.
		var unknown time.Duration
		for _, iv := range ivs {
			if iv.State == Unknown && !iv.Start.IsZero() && !iv.End.IsZero() {
				unknown += iv.End.Sub(iv.Start)
			}
		}
		if unknown >= 10*time.Second {
			v.Msg = v.Msg.And(msg.New("verdict.unknown-time", "duration", unknown))
		}
		return v
	}
	for k := range rep.Findings {
		if f := &rep.Findings[k]; f != best && f.Severity.rank() >= SeverityWarning.rank() {
			v.Others++
		}
	}
	v.Finding = best
	v.Severity = best.Severity
	v.ExitCode = 1
	if k := best.interval; k >= 0 && k < len(ivs) {
		v.State = ivs[k].State
	}
	v.Msg = msg.New("verdict.finding", "summary", best.Msg)
	return v
}

// matters tells whether finding f matters more than g for the verdict; end is the end of the
// evidence.
func matters(f, g *Finding, end time.Time) bool {
	if f.Severity.rank() != g.Severity.rank() {
		return f.Severity.rank() > g.Severity.rank()
	}
	if a, b := withoutLicenses(f), withoutLicenses(g); a != b {
		return a > b
	}
	if a, b := !f.End.Before(end), !g.End.Before(end); a != b {
		return a // still going at the end of the evidence
	}
	return f.Start.After(g.Start)
}

// withoutLicenses is how long a finding says licenses were not served: the span of a
// masterless or no-quorum run, or of the master's vendor daemon being down; zero for others.
func withoutLicenses(f *Finding) time.Duration {
	switch f.Code {
	case string(Masterless), string(NoQuorum), "vendor-daemon-down":
		return f.End.Sub(f.Start)
	}
	return 0
}

// notes say what the evidence at hand cannot show.
func notes(ev *evidence, inputs []InputInfo) []msg.Text {
	var out []msg.Text
	var logs, snaps int
	for _, in := range inputs {
		switch in.Kind {
		case "debuglog":
			if in.Skipped.IsZero() {
				logs++
			}
		case "lmstat":
			if in.Skipped.IsZero() {
				snaps++
			}
		}
	}
	add := func(t msg.Text) { out = append(out, t) }
	if snaps == 0 {
		add(msg.New("note.no-lmstat"))
	}
	if logs == 0 {
		add(msg.New("note.no-logs"))
	} else {
		var missing []string
		for i, n := range ev.id.names[:ev.n] {
			if !ev.hasLog(i) {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			add(msg.New("note.missing-log", "servers", missing))
		}
	}
	if ev.lic == nil {
		add(msg.New("note.no-license", "source", ev.triad.Source))
	}
	switch n := len(ev.untimed); {
	case n == 1:
		add(msg.New("note.untimed.one", "at", msg.Raw(ev.untimed[0].ref().At())))
	case n > 1:
		add(msg.New("note.untimed", "count", n, "at", msg.Raw(ev.untimed[0].ref().At())))
	}
	return out
}
