package analyze

import (
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 8 of the analysis: the verdict, and notes on what the evidence cannot show.

// verdict is the most severe finding (ties: the earliest) and the exit code (TRIAD.md
// section 5). It points into rep.Findings.
func verdict(rep *Report) Verdict {
	var v Verdict
	ivs := rep.Intervals
	v.State = ivs[len(ivs)-1].State
	v.Severity = SeverityOK
	var best *Finding
	for k := range rep.Findings {
		f := &rep.Findings[k]
		if best == nil || f.Severity.rank() > best.Severity.rank() ||
			(f.Severity.rank() == best.Severity.rank() && f.Start.Before(best.Start)) {
			best = f
		}
	}
	if best == nil {
		v.Msg = msg.New("verdict.none", "state", msg.State(v.State))
		return v
	}
	v.Finding = best
	v.Severity = best.Severity
	if best.Severity.rank() >= SeverityWarning.rank() {
		v.ExitCode = 1
	}
	if k := best.interval; k >= 0 && k < len(ivs) {
		v.State = ivs[k].State
	}
	v.Msg = msg.New("verdict.finding", "summary", best.Msg)
	if best.Severity == SeverityInfo {
		v.Msg = msg.New("verdict.info", "summary", v.Msg)
	}
	return v
}

// notes say what the evidence at hand cannot show.
func notes(ev *evidence, inputs []InputInfo) []msg.Text {
	var out []msg.Text
	var logs, snaps int
	for _, in := range inputs {
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
	return out
}
