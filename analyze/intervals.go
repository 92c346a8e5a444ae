package analyze

import (
	"sort"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 5 of the analysis: the points and the coverage become maximal intervals (TRIAD.md
// section 4: a run of one state with the same masters and the same servers not up) and one
// lane of statuses per server.

// intervals is stage 5: the intervals and the lanes (nil when nothing is covered).
func intervals(ev *evidence, o *observations, st *statuses) ([]Interval, []Lane) {
	ivs := buildIntervals(ev, o, st)
	if len(ivs) == 0 {
		return nil, nil
	}
	lanes := buildLanes(ev, o, st, ivs) // from the statuses as they were, before nameReturns
	nameReturns(ivs, st)
	explainUnknown(ev, o, st, ivs)
	return ivs, lanes
}

// explainUnknown says, for each unknown interval, why (TRIAD.md 4): no input covers the time;
// or which servers no input speaks for, since when, and while which member whose log could
// have told was not up; and which inputs would settle it: the logs that are missing, lmstat
// where it does not cover.
func explainUnknown(ev *evidence, o *observations, st *statuses, ivs []Interval) {
	lm := o.lmCover
	for k := range ivs {
		iv := &ivs[k]
		if iv.State != Unknown {
			continue
		}
		for i := 0; i < ev.n; i++ {
			if !ev.hasLog(i) {
				iv.Settle = append(iv.Settle, msg.New("interval.settle.log", "server", ev.id.names[i]))
			}
		}
		if !inSpans(lm, iv.Start) {
			iv.Settle = append(iv.Settle, msg.New("interval.settle.lmstat"))
		}
		if !o.covered(iv.Start) {
			iv.Why = msg.New("interval.why.uncovered")
			continue
		}
		var unknown, silent []string
		since := iv.Start
		for i, s := range iv.Servers {
			switch {
			case s.Status == StatusUnknown:
				unknown = append(unknown, s.Server)
				// since when: the first point of the run of unknown that holds the interval's start
				for x := len(st.points) - 1; x >= 0; x-- {
					p := &st.points[x]
					if p.at.After(iv.Start) {
						continue
					}
					if p.status[i] != StatusUnknown {
						break
					}
					if p.at.Before(since) {
						since = p.at
					}
				}
			case s.Status != StatusUp && ev.hasLog(i):
				silent = append(silent, s.Server)
			}
		}
		if len(unknown) == 0 {
			iv.Why = msg.New("interval.why.undecided") // every status known, a master claim not
			continue
		}
		iv.Why = msg.New("interval.why.servers", "servers", unknown, "since", since)
		switch len(silent) {
		case 0:
		case 1:
			iv.Why = iv.Why.And(msg.New("interval.why.while.one", "server", silent[0]))
		default:
			iv.Why = iv.Why.And(msg.New("interval.why.while", "servers", silent))
		}
	}
}

// buildIntervals is stage 5's first half: the intervals from the first covered moment to the
// last, unknown where no input covers the time, with the usage counted into them.
func buildIntervals(ev *evidence, o *observations, st *statuses) []Interval {
	if len(o.cover) == 0 {
		return nil
	}
	var out []Interval
	first, last := o.cover[0].start, o.cover[len(o.cover)-1].end
	// Boundaries: every point, every coverage edge.
	times := []time.Time{first}
	for _, p := range st.points {
		if !p.at.Before(first) && p.at.Before(last) {
			times = append(times, p.at)
		}
	}
	for _, c := range o.cover {
		times = append(times, c.start, c.end)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	init := st.initial
	pi := -1
	var cur *Interval
	for k, t := range times {
		if !t.Before(last) || (k > 0 && t.Equal(times[k-1])) {
			continue
		}
		for pi+1 < len(st.points) && !st.points[pi+1].at.After(t) {
			pi++
		}
		p := &init
		if pi >= 0 {
			p = &st.points[pi]
		}
		state := p.state
		if !o.covered(t) {
			state = Unknown
		}
		masters := ev.names(p.masters)
		servers := make([]ServerState, ev.n)
		for i := range servers {
			servers[i] = ServerState{Server: ev.id.names[i], Status: p.status[i]}
		}
		if state == Unknown && !o.covered(t) {
			masters = nil
			for i := range servers {
				servers[i].Status = StatusUnknown
			}
		}
		if cur != nil && cur.State == state && equalStrings(cur.Masters, masters) && sameNotUp(cur.Servers, servers) {
			continue
		}
		if cur != nil {
			cur.End = t
			out = append(out, *cur)
		}
		cur = &Interval{Start: t, State: state, Masters: masters, Servers: servers}
		if pi >= 0 && p.at.Equal(t) {
			cur.Evidence = p.refs
		}
	}
	if cur != nil {
		cur.End = last
		out = append(out, *cur)
	}
	countUsage(out, o.usage)
	return out
}

// nameReturns lists a server that failed to rejoin by what it did when its grace ran out
// (joining, or unresponsive: accepting connections without answering), as the finding
// describes it: a failed-rejoin interval starts at the server's return, when it was only
// joining, so the status at its start would name the stuck server by its first minute.
func nameReturns(ivs []Interval, st *statuses) {
	for k := range ivs {
		iv := &ivs[k]
		if iv.State != FailedRejoin {
			continue
		}
		for _, e := range st.episodes {
			if !e.failed || iv.Start.Before(e.start) || (!e.end.IsZero() && !iv.Start.Before(e.end)) {
				continue
			}
			if s := st.statusAt(e.server, iv.End.Add(-time.Nanosecond)); s == StatusUnresponsive || s == StatusJoining {
				iv.Servers[e.server].Status = s
			}
		}
	}
}

// buildLanes is stage 5's second half: each server's status through the intervals, split
// where a point inside an interval changed it. Spans outside the coverage are unknown.
func buildLanes(ev *evidence, o *observations, st *statuses, ivs []Interval) []Lane {
	var lanes []Lane
	for i := 0; i < ev.n; i++ {
		lane := Lane{Server: ev.id.names[i]}
		add := func(t time.Time, status Status, master bool, refs []Ref) {
			if n := len(lane.Spans); n > 0 && lane.Spans[n-1].Status == status && lane.Spans[n-1].Master == master {
				return
			}
			if n := len(lane.Spans); n > 0 {
				lane.Spans[n-1].End = t
			}
			lane.Spans = append(lane.Spans, StatusSpan{Start: t, Status: status, Master: master, Evidence: refs})
		}
		k := 0
		for _, iv := range ivs {
			add(iv.Start, iv.Servers[i].Status, containsStr(iv.Masters, ev.id.names[i]), iv.Evidence)
			if iv.State == Unknown && !o.covered(iv.Start) {
				continue
			}
			for k < len(st.points) && !st.points[k].at.After(iv.Start) {
				k++
			}
			for ; k < len(st.points) && st.points[k].at.Before(iv.End); k++ {
				p := &st.points[k]
				master := false
				for _, m := range p.masters {
					master = master || m == i
				}
				add(p.at, p.status[i], master, p.refs)
			}
		}
		if n := len(lane.Spans); n > 0 {
			lane.Spans[n-1].End = ivs[len(ivs)-1].End
		}
		lanes = append(lanes, lane)
	}
	return lanes
}

func equalStrings(x, y []string) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// sameNotUp: the same servers are not up (a server going from down to joining does not
// start a new interval).
func sameNotUp(x, y []ServerState) bool {
	for i := range x {
		if (x[i].Status == StatusUp) != (y[i].Status == StatusUp) {
			return false
		}
	}
	return true
}

// countUsage adds the usage minutes into the intervals that hold them.
func countUsage(ivs []Interval, usage []parser.Usage) {
	k := 0
	for _, u := range usage {
		for k < len(ivs) && !u.Minute.Before(ivs[k].End) {
			k++
		}
		if k == len(ivs) {
			break
		}
		if u.Minute.Before(ivs[k].Start) {
			continue
		}
		us := &ivs[k].Usage
		us.Out += u.Counts[parser.UsageOut]
		us.In += u.Counts[parser.UsageIn]
		us.Denied += u.Counts[parser.UsageDenied]
		us.Queued += u.Counts[parser.UsageQueued]
		us.Other += u.Counts[parser.UsageOther]
	}
}
