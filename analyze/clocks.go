package analyze

import (
	"sort"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 2 of the analysis: the clocks (TRIAD.md section 6). An offset is that clock minus the
// reference clock (the first SERVER line's host with a log): +150 s means the clock runs 150 s
// ahead, and its times are corrected by subtracting 150 s.

// maxSkew bounds the offsets considered: mirrored lines further apart are not the same moment.
const maxSkew = time.Hour

// pairWindow is how far apart two mirrored lines may be and still be one moment.
const pairWindow = 3 * time.Second

// clocks is stage 2's result: every clock's offset, and how it was found.
type clocks struct {
	offset []time.Duration // per member, then lmstat last
	loc    *time.Location  // the zone corrected times are shown in; nil keeps each time's own
	skew   []Skew          // for the report: the members, then lmstat when there is lmstat
	warn   []msg.Text
}

// fix corrects a time read on observer i's clock (a member, or lmstat after them) to the
// reference clock.
func (c *clocks) fix(t time.Time, i int) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.Add(-c.offset[i])
	if c.loc != nil {
		t = t.In(c.loc)
	}
	return t
}

// fixer is fix for observer i.
func (c *clocks) fixer(i int) func(time.Time) time.Time {
	return func(t time.Time) time.Time { return c.fix(t, i) }
}

// skewer estimates the clocks of one analysis.
type skewer struct {
	ev  *evidence
	cfg Config
	*clocks
}

// estimateClocks is stage 2: given offsets first, then offsets estimated from mirrored log
// lines (both ends of a connection log "Connected to" each other within a second), then
// lmstat's from the bounds its snapshots put against log lines, then the servers that share
// no mirrored line from bounds.
func estimateClocks(ev *evidence, cfg Config) *clocks {
	s := &skewer{ev: ev, cfg: cfg, clocks: &clocks{offset: make([]time.Duration, len(ev.id.names)+1), loc: cfg.Location}}
	s.estimate()
	return s.clocks
}

func (a *skewer) estimate() {
	n := len(a.ev.id.names)
	ref := -1
	for i := 0; i < a.ev.n; i++ {
		if a.ev.hasLog(i) {
			ref = i
			break
		}
	}
	skews := make([]Skew, n)
	known := make([]bool, n)
	for i, name := range a.ev.id.names {
		skews[i] = Skew{Server: name, Method: "none"}
		if d, ok := givenSkew(a.cfg.Skew, name); ok {
			skews[i].Offset, skews[i].Method = d, "given"
			a.offset[i], known[i] = d, true
		}
	}
	if ref >= 0 && !known[ref] {
		skews[ref].Method = "reference"
		known[ref] = true
	}
	// Grow the known set through the best-supported pairs.
	for {
		best, bestFrom, bestPairs := -1, -1, 0
		var bestD time.Duration
		for j := 0; j < a.ev.n; j++ {
			if known[j] || !a.ev.hasLog(j) {
				continue
			}
			for i := 0; i < a.ev.n; i++ {
				if !known[i] || !a.ev.hasLog(i) {
					continue
				}
				d, pairs := a.mirrored(i, j)
				if pairs > bestPairs || (pairs == bestPairs && pairs > 0 && i == ref && bestFrom != ref) {
					best, bestFrom, bestPairs, bestD = j, i, pairs, d
				}
			}
		}
		if best < 0 {
			break
		}
		off := a.offset[bestFrom] + bestD
		a.offset[best], known[best] = off, true
		skews[best].Offset, skews[best].Method, skews[best].Pairs = off, "estimated", bestPairs
	}
	lm := Skew{Server: lmstatObserver, Method: "none"}
	defer func() {
		a.skew = append(a.skew[:0], skews[:a.ev.n]...)
		if len(a.ev.lmstat) > 0 {
			a.skew = append(a.skew, lm)
		}
	}()
	defer func() { a.boundedServers(skews, known, lm) }() // runs first: lm is final by then
	if len(a.ev.lmstat) == 0 {
		return
	}
	if d, ok := a.cfg.Skew[lmstatObserver]; ok {
		lm.Offset, lm.Method = d, "given"
		a.offset[n] = d
	} else if ref < 0 {
		lm.Method = "reference" // no logs: lmstat's clock is the only one
	} else if lo, hi, k := a.lmstatBounds(known); k > 0 {
		if lo > hi {
			a.warn = append(a.warn, msg.New("warn.lmstat-clock", "lo", lo, "hi", hi))
		} else {
			// The middle of the bounds would put an on-time host about half a minute off,
			// since a snapshot's run time is known only to its minute: take the smallest offset
			// the bounds allow.
			off := smallest(lo, hi)
			lm.Offset, lm.Method, lm.Pairs = off, "estimated", k
			a.offset[n] = off
		}
	}
}

// givenSkew is the offset --skew gives for a member, matched by host name (any case, or
// its short name).
func givenSkew(given map[string]time.Duration, name string) (time.Duration, bool) {
	keys := make([]string, 0, len(given))
	for k := range given {
		keys = append(keys, k)
	}
	sort.Strings(keys) // two spellings of one host: the same one wins every time
	for _, k := range keys {
		if k != lmstatObserver && hostKey(k) == hostKey(name) {
			return given[k], true
		}
	}
	for _, k := range keys {
		if k != lmstatObserver && shortKey(k) == shortKey(name) {
			return given[k], true
		}
	}
	return 0, false
}

// smallest is the offset nearest zero in the bounds (lo, hi]: zero when they allow it; the
// lower bound is open (an earlier observation ran strictly before the change), so one second
// inside it.
func smallest(lo, hi time.Duration) time.Duration {
	switch {
	case lo >= 0:
		return min(lo+time.Second, hi)
	case hi < 0:
		return hi
	}
	return 0
}

// boundedServers estimates the servers that share no mirrored line with a known clock from
// bounds (TRIAD.md section 6): a known peer's "Lost connection to X" comes after X's last
// line before it went silent, and, once lmstat's clock is placed, lmstat's snapshots bound
// X's return (its banner) and its death (its last line).
func (a *skewer) boundedServers(skews []Skew, known []bool, lm Skew) {
	n := len(a.ev.id.names)
	for j := 0; j < a.ev.n; j++ {
		if known[j] || !a.ev.hasLog(j) {
			continue
		}
		lo, hi, k := -maxSkew, maxSkew, 0
		lower := func(d time.Duration) {
			if d > lo {
				lo = d
			}
			k++
		}
		deaths := a.silences(j) // j's clock
		// A known peer lost j after j's last line: off_j >= last - lost.
		for i := 0; i < a.ev.n; i++ {
			if !known[i] || i == j {
				continue
			}
			for _, f := range a.ev.logs[i] {
				for _, e := range f.Events {
					if (e.Kind != parser.EvLost && e.Kind != parser.EvTimedOut) || !a.isPeer(e.Peer, j) {
						continue
					}
					lost := a.fix(e.Time, i)
					if d, ok := nearest(deaths, lost); ok && !a.lostPeer(j, i, lost.Add(-maxSkew), d) {
						lower(d.Sub(lost))
					}
				}
			}
		}
		if lm.Method != "none" {
			// lmstat shows j down then back: its banner came between the two runs; up then
			// down: its last line came before the later run.
			for _, f := range a.ev.lmstat {
				runs := f.Runs
				for x := 1; x < len(runs); x++ {
					if runs[x].Snap == runs[x-1].Snap {
						continue // the same as the run before: no change between them
					}
					was, _ := snapStatus(a, &f.Snapshots[runs[x-1].Snap], j)
					now, _ := snapStatus(a, &f.Snapshots[runs[x].Snap], j)
					b0 := a.fix(runs[x-1].Time, n).Add(-59 * time.Second)
					a1 := a.fix(runs[x].Time, n)
					if runs[x-1].Exact {
						b0 = a.fix(runs[x-1].Time, n)
					}
					switch {
					case was == StatusDown && (now == StatusUp || now == StatusUnresponsive):
						if t := a.rawEventNear(j, parser.EvStart, a1); !t.IsZero() {
							// b0 < t - off <= a1
							lower(t.Sub(a1))
							if d := t.Sub(b0); d < hi {
								hi = d
							}
						}
					case was == StatusUp && now == StatusDown:
						if d, ok := nearest(deaths, a1); ok {
							lower(d.Sub(a1))
						}
					}
				}
			}
		}
		if k == 0 {
			continue
		}
		if lo > hi {
			continue // the bounds disagree: leave the clock alone
		}
		off := smallest(lo, hi)
		a.offset[j], known[j] = off, true
		skews[j].Offset, skews[j].Method, skews[j].Pairs = off, "estimated", k
	}
}

// lostPeer tells whether server j's own log lost peer i (or the master, or quorum) between
// from and to (j's clock): the loss was mutual, a partition or a peer's failure rather than
// j's death, and j's going silent later says nothing about its clock.
func (a *skewer) lostPeer(j, i int, from, to time.Time) bool {
	for _, f := range a.ev.logs[j] {
		for _, e := range f.Events {
			switch e.Kind {
			case parser.EvLost, parser.EvTimedOut:
				if !a.isPeer(e.Peer, i) {
					continue
				}
			case parser.EvLostMaster, parser.EvLostQuorum, parser.EvLostAll:
			default:
				continue
			}
			if !e.Time.Before(from) && !e.Time.After(to) {
				return true
			}
		}
	}
	return false
}

// silences are the times, on server i's own clock, of its log's last line before each
// restart banner and at its end: when it may have died.
func (a *skewer) silences(i int) []time.Time {
	var out []time.Time
	for _, f := range a.ev.logs[i] {
		for _, e := range f.Events {
			if e.Kind == parser.EvStart && !e.Prev.IsZero() {
				out = append(out, e.Prev)
			}
		}
		if !f.Last.IsZero() {
			out = append(out, f.Last)
		}
	}
	return out
}

// nearest is the time in ts nearest t, within maxSkew.
func nearest(ts []time.Time, t time.Time) (time.Time, bool) {
	var best time.Time
	for _, x := range ts {
		if d := abs(x.Sub(t)); d < maxSkew && (best.IsZero() || d < abs(best.Sub(t))) {
			best = x
		}
	}
	return best, !best.IsZero()
}

// rawEventNear is the time, on server i's own clock, of its line of that kind nearest t.
func (a *skewer) rawEventNear(i int, kind parser.EventKind, t time.Time) time.Time {
	var ts []time.Time
	for _, f := range a.ev.logs[i] {
		for _, e := range f.Events {
			if e.Kind == kind {
				ts = append(ts, e.Time)
			}
		}
	}
	x, _ := nearest(ts, t)
	return x
}

func (a *skewer) isPeer(name string, j int) bool {
	p, ok := a.ev.id.lookup(name)
	return ok && p == j
}

// mirrored estimates clock j minus clock i from lines both logs wrote at one moment: the
// densest cluster of differences wins; its median is the estimate.
func (a *skewer) mirrored(i, j int) (time.Duration, int) {
	type key struct {
		kind parser.EventKind
		peer int
	}
	collect := func(me, other int) map[key][]time.Time {
		m := map[key][]time.Time{}
		for _, f := range a.ev.logs[me] {
			for _, e := range f.Events {
				p, ok := a.ev.id.lookup(e.Peer)
				if !ok {
					continue
				}
				// Only the two ends of one connection log at one moment for sure: a member
				// that joins late logs "CONNECTED, master is" when it joins, not with the others.
				if e.Kind == parser.EvConnected && p == other {
					m[key{e.Kind, -1}] = append(m[key{e.Kind, -1}], e.Time)
				}
			}
		}
		return m
	}
	mi, mj := collect(i, j), collect(j, i)
	var ds []time.Duration
	for k, ts := range mi {
		for _, ti := range ts {
			for _, tj := range mj[k] {
				if d := tj.Sub(ti); d > -maxSkew && d < maxSkew {
					ds = append(ds, d)
				}
			}
		}
	}
	if len(ds) == 0 {
		return 0, 0
	}
	sort.Slice(ds, func(x, y int) bool { return ds[x] < ds[y] })
	bestLo, bestN := 0, 0
	for lo, hi := 0, 0; lo < len(ds); lo++ {
		for hi < len(ds) && ds[hi]-ds[lo] <= pairWindow {
			hi++
		}
		if c := hi - lo; c > bestN || (c == bestN && abs(ds[lo]) < abs(ds[bestLo])) {
			bestLo, bestN = lo, c
		}
	}
	cluster := ds[bestLo : bestLo+bestN]
	return cluster[len(cluster)/2], bestN
}

// lmstatBounds bounds lmstat's clock offset against the (already corrected) logs: a change an
// lmstat snapshot pair shows (a server down then answering, a new (MASTER) mark) happened
// after the earlier snapshot ran and before the later one did; each ran some time within its
// printed minute (exactly at a stamp line's time).
func (a *skewer) lmstatBounds(known []bool) (lo, hi time.Duration, k int) {
	lo, hi = -maxSkew, maxSkew
	runWindow := func(r parser.Run) (time.Time, time.Time) {
		if r.Exact {
			return r.Time, r.Time
		}
		return r.Time.Add(-59 * time.Second), r.Time
	}
	for _, f := range a.ev.lmstat {
		runs := f.Runs
		for x := 1; x < len(runs); x++ {
			if runs[x].Snap == runs[x-1].Snap {
				continue // the same as the run before: no change between them
			}
			before, after := &f.Snapshots[runs[x-1].Snap], &f.Snapshots[runs[x].Snap]
			afterTime := runs[x].Time
			for i := 0; i < a.ev.n; i++ {
				if !a.ev.hasLog(i) || !known[i] {
					continue
				}
				was, wasMaster := snapStatus(a, before, i)
				now, nowMaster := snapStatus(a, after, i)
				var t time.Time
				switch {
				case was == StatusDown && (now == StatusUp || now == StatusUnresponsive):
					t = a.logEventNear(i, parser.EvStart, -1, afterTime)
				case now == StatusUp && !wasMaster && nowMaster:
					t = a.logEventNear(-1, parser.EvMasterIs, i, afterTime)
				default:
					continue
				}
				if t.IsZero() {
					continue
				}
				b0, _ := runWindow(runs[x-1])
				_, a1 := runWindow(runs[x])
				// before ran before t: b0-L < t  => L > b0-t ; after ran at or after t: a1-L >= t => L <= a1-t
				if d := b0.Sub(t); d > lo {
					lo = d
				}
				if d := a1.Sub(t); d < hi {
					hi = d
				}
				k++
			}
		}
	}
	return lo, hi, k
}

// snapStatus reads member i's line in a snapshot.
func snapStatus(a *skewer, s *parser.Snapshot, i int) (Status, bool) {
	if s.Failed != nil {
		return StatusUnknown, false
	}
	if s.NotRunning != nil {
		return StatusDown, false
	}
	for _, sl := range s.Servers {
		j, ok := a.ev.id.lookup(sl.Name)
		if !ok || j != i {
			continue
		}
		if sl.Status == parser.ServerUp {
			return StatusUp, sl.Master
		}
		switch sl.Code.Major {
		case -96, -15:
			return StatusDown, false
		case -16:
			return StatusUnresponsive, false
		}
		return StatusUnknown, false
	}
	return StatusUnknown, false
}

// logEventNear is the corrected time of the log line of that kind (written by member by, or by
// anyone when by is -1; naming peer, or any when peer is -1) that comes last at or before the
// lmstat time t (within maxSkew), or zero: the change a snapshot shows happened before it.
func (a *skewer) logEventNear(by int, kind parser.EventKind, peer int, t time.Time) time.Time {
	var best time.Time
	for i := 0; i < a.ev.n; i++ {
		if by >= 0 && i != by {
			continue
		}
		for _, f := range a.ev.logs[i] {
			for _, e := range f.Events {
				if e.Kind != kind {
					continue
				}
				if peer >= 0 {
					if p, ok := a.ev.id.lookup(e.Peer); !ok || p != peer {
						continue
					}
				}
				at := a.fix(e.Time, i)
				if !at.After(t) && t.Sub(at) <= maxSkew && at.After(best) {
					best = at
				}
			}
		}
	}
	return best
}
