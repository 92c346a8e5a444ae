package analyze

import (
	"sort"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// span is a covered time range [start, end].
type span struct{ start, end time.Time }

// logCoverage: a debug log covers its server from its first to its last line, except for
// silences longer than 6h15m (lmgrd writes TIMESTAMP every 6 h, so a longer one means the log
// is missing).
func logCoverage(f *parser.File, fix func(time.Time) time.Time) []span {
	var out []span
	start := f.First
	for _, g := range f.Gaps {
		out = append(out, span{fix(start), fix(g.Start)})
		start = g.End
	}
	return append(out, span{fix(start), fix(f.Last)})
}

// lmstatCoverage: a run that answered covers the time to the next run when they are at most
// three median intervals apart, and the last one covers one median interval after it (60 s when
// the file holds one run). A failed run (Error getting status, a collector's failed poll)
// covers nothing and ends the coverage of the run before it (TRIAD.md 4).
func lmstatCoverage(runs []lmRun, fix func(time.Time) time.Time) []span {
	if len(runs) == 0 {
		return nil
	}
	rs := make([]lmRun, 0, len(runs))
	for _, r := range runs {
		rs = append(rs, lmRun{fix(r.at), r.failed})
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].at.Before(rs[j].at) })
	med := time.Minute
	if len(rs) > 1 {
		d := make([]time.Duration, 0, len(rs)-1)
		for i := 1; i < len(rs); i++ {
			d = append(d, rs[i].at.Sub(rs[i-1].at))
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		med = d[len(d)/2]
		if med <= 0 {
			med = time.Minute
		}
	}
	var out []span
	var cur *span
	for _, r := range rs {
		switch {
		case r.failed:
			if cur != nil {
				if cur.end = cur.end.Add(med); r.at.Sub(cur.end) <= 2*med {
					cur.end = r.at // a failed run within reach ends the coverage there
				}
				out = append(out, *cur)
				cur = nil
			}
		case cur == nil:
			cur = &span{r.at, r.at}
		case r.at.Sub(cur.end) <= 3*med:
			cur.end = r.at
		default:
			cur.end = cur.end.Add(med)
			out = append(out, *cur)
			cur = &span{r.at, r.at}
		}
	}
	if cur != nil {
		cur.end = cur.end.Add(med)
		out = append(out, *cur)
	}
	return out
}

// capSpans cuts sorted spans at end (zero: no cut).
func capSpans(spans []span, end time.Time) []span {
	if end.IsZero() {
		return spans
	}
	var out []span
	for _, s := range spans {
		if !s.start.Before(end) {
			break
		}
		if s.end.After(end) {
			s.end = end
		}
		out = append(out, s)
	}
	return out
}

// union merges spans into sorted, disjoint spans.
func union(in []span) []span {
	s := append([]span(nil), in...)
	sort.Slice(s, func(i, j int) bool { return s[i].start.Before(s[j].start) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && !x.start.After(out[n-1].end) {
			if x.end.After(out[n-1].end) {
				out[n-1].end = x.end
			}
			continue
		}
		out = append(out, x)
	}
	return out
}
