package analyze

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// Stage 3 of the analysis: every log event and lmstat run on one timeline of corrected times.

const lmstatObserver = "lmstat"

// obs is one observation on the merged timeline: a log event or an lmstat run.
type obs struct {
	at       time.Time // corrected for skew
	observer int       // member index, or the number of names for lmstat
	file     string
	line     int
	ev       *parser.Event
	snap     *parser.Snapshot
	prev     *parser.Snapshot // the previous snapshot of the same file, for the timeline
	window   time.Duration    // lmstat: how long before at the run may have started
	text     string           // lmstat: the run's header line
	delta    int              // lmstat: the run's lines are its snapshot's shifted by delta
}

// lineOf is the line in the file of an lmstat run's line n (numbered as in its snapshot).
func (o *obs) lineOf(n int) int { return n + o.delta }

// ref is the evidence line of an observation: the log line, or the lmstat run's header.
func (o *obs) ref() Ref {
	if o.ev != nil {
		return Ref{File: o.file, Line: o.ev.Line, Text: o.ev.Text, Time: o.at}
	}
	return Ref{File: o.file, Line: o.line, Text: o.text, Time: o.at}
}

// observations is stage 3's result.
type observations struct {
	list    []obs          // in corrected-time order, then by observer, file and line
	usage   []parser.Usage // usage counts per minute, corrected, in time order
	cover   []span         // the times some input covers: sorted, disjoint
	end     time.Time      // Config.End: nothing covers the time after it (zero: no bound)
	lmCover []span         // the times the lmstat outputs cover: sorted, disjoint, cut at end
	inputs  []InputInfo    // the inputs with their spans corrected
	events  int            // log events and lmstat runs: Stats.Events

	failedRuns  int // lmstat runs that failed as a whole ("Error getting status")
	firstFailed Ref

	clk *clocks
}

// observe is stage 3: it corrects every time with the clocks and merges the observations,
// the usage counts and the coverage of all inputs.
func observe(ev *evidence, clk *clocks, end time.Time) *observations {
	o := &observations{inputs: append([]InputInfo(nil), ev.inputs...), clk: clk}
	n := len(ev.id.names)
	// Each lmstat output's coverage, worked out once: the inputs' gaps, the triad's coverage
	// and the sweep's all rest on it.
	lmCov := map[*parser.File][]span{}
	for _, f := range ev.lmstat {
		lmCov[f] = lmstatCoverage(runTimes(f), clk.fixer(n))
	}
	for f, k := range ev.infoOf {
		in := &o.inputs[k]
		switch f.Kind {
		case parser.KindDebugLog:
			if i, ok := ev.serverOf(f); ok {
				in.First, in.Last = clk.fix(f.First, i), clk.fix(f.Last, i)
				for _, g := range f.Gaps {
					in.Gaps = append(in.Gaps, Span{clk.fix(g.Start, i), clk.fix(g.End, i)})
				}
			}
		case parser.KindLmstat:
			in.First, in.Last = clk.fix(f.First, n), clk.fix(f.Last, n)
			cov, ok := lmCov[f]
			if !ok {
				cov = lmstatCoverage(runTimes(f), clk.fixer(n))
			}
			for c := 1; c < len(cov); c++ {
				in.Gaps = append(in.Gaps, Span{cov[c-1].end, cov[c].start})
			}
		}
	}

	events, minutes := 0, 0 // what the lists below will hold at most
	for i := 0; i < n; i++ {
		for _, f := range ev.logs[i] {
			events, minutes = events+len(f.Events), minutes+len(f.Usage)
		}
	}
	for _, f := range ev.lmstat {
		events += len(f.Runs)
	}
	o.list, o.usage = make([]obs, 0, events), make([]parser.Usage, 0, minutes)
	for i := 0; i < n; i++ {
		earlier := map[string]bool{} // lines of this server's earlier files: overlaps count once
		var covered time.Time        // the end of what the earlier files of this server hold
		for _, f := range ev.logs[i] {
			mine := map[string]bool{}
			for k := range f.Events {
				e := &f.Events[k]
				key := e.Time.String() + "\x00" + e.Text
				mine[key] = true
				if earlier[key] {
					continue
				}
				o.list = append(o.list, obs{at: clk.fix(e.Time, i), observer: i, file: f.Name, line: e.Line, ev: ev.reread(e, i)})
				o.events++
			}
			for _, u := range f.Usage {
				if !covered.IsZero() && !u.Minute.After(covered) {
					continue // the earlier file holds this minute already
				}
				u.Minute = clk.fix(u.Minute, i)
				o.usage = append(o.usage, u)
			}
			if !f.First.IsZero() {
				o.cover = append(o.cover, logCoverage(f, clk.fixer(i))...)
			}
			if f.Last.After(covered) {
				covered = f.Last
			}
			for k := range mine {
				earlier[k] = true
			}
		}
	}
	for _, f := range ev.lmstat {
		o.events += len(f.Runs)
		var prev *parser.Snapshot
		for _, run := range f.Runs {
			s := &f.Snapshots[run.Snap]
			w := 59 * time.Second
			if run.Exact {
				w = 0
			}
			o.list = append(o.list, obs{at: clk.fix(run.Time, n), observer: n, file: f.Name, line: run.Line, text: run.Text,
				delta: run.Line - s.Line, snap: s, prev: prev, window: w})
			prev = s
		}
		o.cover = append(o.cover, lmCov[f]...)
		o.lmCover = append(o.lmCover, lmCov[f]...)
	}
	slices.SortStableFunc(o.list, func(x, y obs) int {
		if c := x.at.Compare(y.at); c != 0 {
			return c
		}
		if c := cmp.Compare(x.observer, y.observer); c != 0 {
			return c
		}
		if c := strings.Compare(x.file, y.file); c != 0 {
			return c
		}
		return cmp.Compare(x.line, y.line)
	})
	slices.SortStableFunc(o.usage, func(x, y parser.Usage) int { return x.Minute.Compare(y.Minute) })
	if n := len(o.list); !end.IsZero() && n > 0 && !o.list[n-1].at.Before(end) {
		end = o.list[n-1].at.Add(time.Second) // the last observation covers its own second
	}
	o.end = end
	o.cover = capSpans(union(o.cover), end)
	o.lmCover = capSpans(union(o.lmCover), end)
	for k := range o.list {
		x := &o.list[k]
		if x.snap != nil && x.snap.Failed != nil {
			o.failedRuns++
			if o.failedRuns == 1 {
				o.firstFailed = Ref{File: x.file, Line: x.lineOf(x.snap.Failed.Line), Text: trimText(x.snap.Failed.Text)}
			}
		}
	}
	return o
}

// fix corrects times of observer i (a member, or lmstat after them).
func (o *observations) fix(i int) func(time.Time) time.Time { return o.clk.fixer(i) }

// covered tells whether some input covers t.
func (o *observations) covered(t time.Time) bool {
	for _, c := range o.cover {
		if !t.Before(c.start) && t.Before(c.end) {
			return true
		}
	}
	return false
}

// coverEnd is the end of the covered span holding t.
func (o *observations) coverEnd(t time.Time) time.Time {
	for _, c := range o.cover {
		if !t.Before(c.start) && t.Before(c.end) {
			return c.end
		}
	}
	return t
}

// lastCovered is the end of the evidence.
func (o *observations) lastCovered() time.Time {
	if n := len(o.cover); n > 0 {
		return o.cover[n-1].end
	}
	return time.Time{}
}

func trimText(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}
