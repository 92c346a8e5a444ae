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

// lmstatCoverage: a run (each time lmstat answered, failed runs left out) covers the time to the next one when they are at most three
// median intervals apart, and the last one covers one median interval after it (60 s when
// the file holds one snapshot).
func lmstatCoverage(runs []time.Time, fix func(time.Time) time.Time) []span {
	if len(runs) == 0 {
		return nil
	}
	times := make([]time.Time, 0, len(runs))
	for _, t := range runs {
		times = append(times, fix(t))
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	med := time.Minute
	if len(times) > 1 {
		d := make([]time.Duration, 0, len(times)-1)
		for i := 1; i < len(times); i++ {
			d = append(d, times[i].Sub(times[i-1]))
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		med = d[len(d)/2]
		if med <= 0 {
			med = time.Minute
		}
	}
	var out []span
	cur := span{times[0], times[0]}
	for _, t := range times[1:] {
		if t.Sub(cur.end) <= 3*med {
			cur.end = t
			continue
		}
		cur.end = cur.end.Add(med)
		out = append(out, cur)
		cur = span{t, t}
	}
	cur.end = cur.end.Add(med)
	return append(out, cur)
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
