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
// whether it differs from the previous one.
func describeSnapshot(s, prev *parser.Snapshot) (msg.Text, bool) {
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
