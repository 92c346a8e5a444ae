package analyze

import (
	"fmt"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// window cuts a finished report to [since, until] (either may be zero: no bound). The states
// were decided on all the evidence, since a later fact decides an earlier span; only what is
// reported is cut. Every time-bearing field of the report is cut here (TestWindowClipsEveryTime
// walks the Report type to keep it so): intervals, with their usage counted again from the
// usage minutes; lanes; findings; the timeline. Left as they are: the inputs (they describe
// the files) and evidence lines (each keeps the time it was written); and what has no time
// (a snapshot pasted without its header, its findings and its timeline entry), which may
// lie in the window as well as outside it.
func (r *Report) window(since, until time.Time, usage []parser.Usage) error {
	w := timeWindow{since, until}
	var ivs []Interval
	timed, kept := 0, 0 // intervals with a time, before and after the cut
	for _, iv := range r.Intervals {
		if iv.Start.IsZero() {
			ivs = append(ivs, iv)
			continue
		}
		timed++
		if !w.overlaps(iv.Start, iv.End) {
			continue
		}
		kept++
		iv.Start, iv.End = w.clip(iv.Start, iv.End)
		iv.Usage = Usage{}
		ivs = append(ivs, iv)
	}
	r.Intervals = ivs
	if len(ivs) == 0 {
		return fmt.Errorf("%w: nothing in the window %s to %s", ErrNoEvidence, bound(since, "the start"), bound(until, "the end"))
	}
	countUsage(ivs, usage)

	for k := range r.Lanes {
		var spans []StatusSpan
		for _, sp := range r.Lanes[k].Spans {
			if !w.overlaps(sp.Start, sp.End) {
				continue
			}
			sp.Start, sp.End = w.clip(sp.Start, sp.End)
			spans = append(spans, sp)
		}
		r.Lanes[k].Spans = spans
	}

	var fs []Finding
	for _, f := range r.Findings {
		if f.Start.IsZero() {
			if f.interval >= 0 {
				f.interval += kept - timed // the untimed intervals follow the timed ones
			}
			fs = append(fs, f)
			continue
		}
		end := f.End
		if end.Equal(f.Start) {
			end = end.Add(time.Nanosecond) // a finding at one instant
		}
		if !w.overlaps(f.Start, end) {
			continue
		}
		f.Start, f.End = w.clip(f.Start, f.End)
		if f.interval >= 0 {
			f.interval = intervalIndex(ivs, f.Start)
		}
		fs = append(fs, f)
	}
	r.Findings = fs

	var tl []TimelineEntry
	for _, e := range r.Timeline {
		if e.Time.IsZero() || w.holds(e.Time) {
			tl = append(tl, e)
		}
	}
	r.Timeline = tl

	from, to := any(msg.New("note.window.start")), any(msg.New("note.window.end"))
	if !since.IsZero() {
		from = since
	}
	if !until.IsZero() {
		to = until
	}
	r.Notes = append(r.Notes, msg.New("note.window", "from", from, "to", to))
	return nil
}

// timeWindow is [since, until]; a zero bound is open.
type timeWindow struct{ since, until time.Time }

// overlaps tells whether [start, end) meets the window.
func (w timeWindow) overlaps(start, end time.Time) bool {
	return (w.until.IsZero() || start.Before(w.until)) && (w.since.IsZero() || end.After(w.since))
}

// holds tells whether t is inside the window.
func (w timeWindow) holds(t time.Time) bool {
	return (w.since.IsZero() || !t.Before(w.since)) && (w.until.IsZero() || !t.After(w.until))
}

// clip cuts [start, end] to the window.
func (w timeWindow) clip(start, end time.Time) (time.Time, time.Time) {
	if !w.since.IsZero() && start.Before(w.since) {
		start = w.since
	}
	if !w.until.IsZero() && end.After(w.until) {
		end = w.until
	}
	return start, end
}

func bound(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return clock(t)
}
