package analyze

import (
	"fmt"
	"strings"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 7 of the analysis: the merged timeline of the report.

// timeline builds the merged replay: every triad event and every lmstat snapshot that changed
// something, in corrected-time order, with the state after it.
func timeline(ev *evidence, o *observations, st *statuses) []TimelineEntry {
	var out []TimelineEntry
	pi := 0
	for k := range o.list {
		o := &o.list[k]
		for pi+1 < len(st.points) && st.points[pi].lastObs <= k {
			pi++
		}
		p := st.points[pi]
		e := TimelineEntry{Time: o.at, Server: ev.name(o.observer), Ref: o.ref(), State: p.state, Masters: ev.names(p.masters)}
		if o.ev != nil {
			e.What = msg.New("timeline.what", "kind", msg.New("event."+o.ev.Kind.String()))
			if o.ev.Peer != "" {
				e.What = msg.New("timeline.what.peer", "kind", msg.New("event."+o.ev.Kind.String()), "peer", msg.Raw(o.ev.Peer))
			}
		} else {
			what, changed := describeSnapshot(o.snap, o.prev)
			if !changed {
				continue
			}
			e.What = what
		}
		out = append(out, e)
	}
	return out
}

// describeSnapshot sums up a snapshot ("server1 UP (MASTER), server2 -96, ...") and tells
// whether it differs from the previous one. A month of runs a minute apart mostly repeats
// itself: a run that sums up as the one before (sameSummary) is told apart without making
// the text, and the text returned then is zero.
func describeSnapshot(s, prev *parser.Snapshot) (msg.Text, bool) {
	if prev != nil && sameSummary(s, prev) {
		return msg.Text{}, false
	}
	sum := func(s *parser.Snapshot) msg.Text {
		switch {
		case s.Failed != nil:
			return msg.New("timeline.lmstat.failed")
		case s.NotRunning != nil:
			return msg.New("timeline.lmstat.none")
		}
		var parts []msg.Text
		for _, sl := range s.Servers {
			st := "UP"
			if sl.Master {
				st = "UP (MASTER)"
			}
			if sl.Status == parser.ServerError {
				st = fmt.Sprintf("%d", sl.Code.Major)
			}
			parts = append(parts, msg.New("timeline.lmstat.server", "server", msg.Raw(strings.TrimSpace(sl.Name)), "status", msg.Raw(st)))
		}
		return msg.New("timeline.lmstat", "servers", msg.Join(parts))
	}
	now := sum(s)
	return now, prev == nil || now.String() != sum(prev).String()
}

// sameSummary tells two snapshots that describeSnapshot sums up the same: both failed, or
// both found lmgrd not running, or the same servers in the same order with the same status
// (UP, UP (MASTER), or an error's major code).
func sameSummary(a, b *parser.Snapshot) bool {
	switch {
	case (a.Failed != nil) != (b.Failed != nil):
		return false
	case a.Failed != nil:
		return true
	case (a.NotRunning != nil) != (b.NotRunning != nil):
		return false
	case a.NotRunning != nil:
		return true
	case len(a.Servers) != len(b.Servers):
		return false
	}
	for i := range a.Servers {
		x, y := &a.Servers[i], &b.Servers[i]
		if x.Status != y.Status || strings.TrimSpace(x.Name) != strings.TrimSpace(y.Name) {
			return false
		}
		if x.Status == parser.ServerError && x.Code.Major != y.Code.Major || x.Status != parser.ServerError && x.Master != y.Master {
			return false
		}
	}
	return true
}
