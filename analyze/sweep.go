package analyze

import (
	"slices"
	"sort"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 4 of the analysis: the status sweep. Every observation, in time order, updates what is
// known of each server (TRIAD.md sections 3 and 4); after each moment the statuses are a
// point, classified into a triad state once the return episodes are known.

// statuses is stage 4's result: the points in time order and the return episodes.
type statuses struct {
	points   []point
	episodes []episode
	initial  point // what is known before the first observation, at the first covered moment
	warn     []msg.Text
}

// sweeper folds the observations into points.
type sweeper struct {
	ev    *evidence
	obs   *observations
	grace time.Duration
	n     int
	links map[[2]int]bool // member pairs whose connection a log says is up

	ownCover [][]span // per member: when its own log speaks (TRIAD.md 4: not in a silence that ends in a restart)
	// per member whose log begins with lmgrd starting: its first line. Before it the log says
	// lmgrd was not running, unless a peer's log says otherwise (see resolve).
	firstLine []time.Time
	muted     map[int]bool // observations (by index) that must not speak for a peer: see muteLosses

	// The evidence of the moment being swept: the lines that changed something, by
	// observation, and the headers of lmstat runs that changed only a master mark.
	changed map[int][]Ref
	headers map[int]Ref

	vendorMaster map[string]bool // lmstat file and host already warned of (warn.vendor-master)
	lostNow      map[int]int     // members up that lost a link this moment: the observation (see lastLink)
	*statuses
}

// sweep is stage 4.
func sweep(ev *evidence, o *observations, cfg Config) *statuses {
	a := &sweeper{ev: ev, obs: o, grace: cfg.RejoinGrace, n: ev.n, statuses: &statuses{}}
	a.covers()
	a.muteLosses()
	a.run()
	return a.statuses
}

// say is one input's word on a server's status: what it said, when, and the line.
type say struct {
	status Status
	quorum bool      // up and in a quorum (lmstat UP or -23; joined, in its own log)
	at     time.Time // when it was said; for an lmstat run, the earliest moment it may have run
	obs    int       // the observation that said it, -1 for none (a cold start)
	ref    Ref
	set    bool
}

// srv is what is known of one member while sweeping the timeline. Each input's word is kept
// on its own, so that it can stop counting when its input stops speaking (TRIAD.md 4,
// "Evidence over time"); its status at a moment is the newest word that still counts.
type srv struct {
	own  say   // its own log
	lm   say   // the latest lmstat run that lists it
	peer []say // what each peer's log says of it: Connected to (up or joining), Lost connection to (down)
	last say   // the newest word said of it (by its own log, lmstat or a peer's log), kept when that word stops counting

	status, base Status // resolved at the last moment: with the peers' word, and without it
	quorum       bool
	wasMaster    bool // it claimed master when it became unknown

	view        int       // the master its own log names, -1 for none
	logMasterAt time.Time // last time log lines changed whether it is named master
	lmMaster    bool      // the latest snapshot marks it (MASTER)
	lmMasterAt  time.Time // the earliest moment that snapshot may have been taken
	lmSeen      bool
	lmExact     bool   // that snapshot had a stamp line: its time is exact
	episode     int    // index into episodes while returning, -1 otherwise
	isolated    bool   // its own log last said it lost its quorum: its next Connected to a peer is a return
	ownLinks    bool   // its log holds its start: every link it has since is in its log
	mine        []bool // the peers its own log last said it is connected to
	ret         bool   // a return was seen at the moment being swept (banner, answer after down, reconnection)
	pending     []Ref  // lines of that moment for the return's evidence, before its episode opens
}

// episode is a return of a server: from its banner (or first answer after being down, or
// first connection after being isolated) until it is up or down again.
type episode struct {
	server int
	start  time.Time
	end    time.Time // zero while still open at the end of the evidence
	refs   []Ref
	failed bool
}

// point is the triad as known after all observations at one moment.
type point struct {
	at         time.Time
	status     []Status
	quorum     []bool
	wasMaster  []bool // unknown members that claimed master when they became unknown
	masters    []int  // members claiming master, in member order
	episodes   []int  // open episodes
	startOK    bool   // no server was up since the earliest return among joining servers
	startMaybe bool   // startOK, but only possibly: a server may have run unseen since then
	refs       []Ref
	state      State
	firstObs   int // index into observations.list of the first observation at this moment, -1 for an edge
	lastObs    int
}

// covers works out when each input speaks. A member's own log speaks from its first line to
// its last (inclusive: a line stands for its second), except in silences over 6h15m and in a
// silence that ends in a new start banner: that silence proves the server went down at some
// moment of it, so from its last line before the silence to the banner the log says nothing
// (TRIAD.md 4), unless that line is lmgrd's own exit, which says when. A log that
// begins with lmgrd starting also says that lmgrd was not running before it. lmstat speaks
// where its runs cover.
func (a *sweeper) covers() {
	a.ownCover = make([][]span, a.n)
	a.firstLine = make([]time.Time, a.n)
	for i := 0; i < a.n; i++ {
		var spans []span
		for _, f := range a.ev.logs[i] {
			for _, c := range logCoverage(f, a.obs.fix(i)) {
				c.end = c.end.Add(time.Second)
				spans = append(spans, c)
			}
		}
		spans = union(spans)
		if a.ev.startsCold(i) && len(spans) > 0 {
			a.firstLine[i] = spans[0].start
			spans[0].start = time.Time{} // before its first line, lmgrd was not running
		}
		for _, f := range a.ev.logs[i] {
			exited := false // the line before is lmgrd's own exit
			for k := range f.Events {
				e := &f.Events[k]
				if e.Kind == parser.EvStart && !e.Prev.IsZero() && !exited {
					spans = cut(spans, span{a.obs.fix(i)(e.Prev), a.obs.fix(i)(e.Time)})
				}
				exited = e.Kind == parser.EvExiting
			}
		}
		a.ownCover[i] = capSpans(spans, a.obs.end)
	}
}

// cut removes c from the sorted, disjoint spans.
func cut(spans []span, c span) []span {
	if !c.start.Before(c.end) {
		return spans
	}
	var out []span
	for _, s := range spans {
		if !s.end.After(c.start) || !s.start.Before(c.end) {
			out = append(out, s)
			continue
		}
		if s.start.Before(c.start) {
			out = append(out, span{s.start, c.start})
		}
		if c.end.Before(s.end) {
			out = append(out, span{c.end, s.end})
		}
	}
	return out
}

func inSpans(spans []span, t time.Time) bool {
	for _, c := range spans {
		if !t.Before(c.start) && t.Before(c.end) {
			return true
		}
	}
	return false
}

// muteLosses finds the Lost connection lines that must not speak for the peer they name
// (TRIAD.md 3): those of a server that loses both peers within one heartbeat timeout and then
// its quorum. From its side a network partition and two crashed peers look the same.
func (a *sweeper) muteLosses() {
	a.muted = map[int]bool{}
	hb := a.ev.triad.HeartbeatTimeout
	list := a.obs.list
	for k := range list {
		o := &list[k]
		if o.ev == nil || (o.ev.Kind != parser.EvLostQuorum && o.ev.Kind != parser.EvLostAll) {
			continue
		}
		var lines []int
		lost := make([]bool, a.n)
		for x := k - 1; x >= 0 && o.at.Sub(list[x].at) <= hb; x-- {
			p := &list[x]
			if p.ev == nil || p.observer != o.observer || p.ev.Kind != parser.EvLost {
				continue
			}
			if peer, ok := a.ev.member(p.ev.Peer); ok && peer != o.observer {
				lines = append(lines, x)
				lost[peer] = true
			}
		}
		both := true
		for p := range lost {
			both = both && (p == o.observer || lost[p])
		}
		if both {
			for _, x := range lines {
				a.muted[x] = true
			}
		}
	}
}

func (a *sweeper) start() []srv {
	s := make([]srv, a.n)
	for i := range s {
		s[i] = srv{status: StatusUnknown, base: StatusUnknown, view: -1, episode: -1, peer: make([]say, a.n), mine: make([]bool, a.n)}
		if a.ev.startsCold(i) {
			// Its log begins with lmgrd starting: before that, lmgrd was not running.
			s[i].own = say{status: StatusDown, obs: -1, set: true}
		}
	}
	return s
}

// edges are the moments an input starts or stops speaking, where a status may change
// without an observation.
func (a *sweeper) edges() []time.Time {
	var out []time.Time
	add := func(spans []span) {
		for _, s := range spans {
			if !s.start.IsZero() {
				out = append(out, s.start)
			}
			out = append(out, s.end)
		}
	}
	for _, c := range a.ownCover {
		add(c)
	}
	add(a.obs.lmCover)
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func (a *sweeper) run() {
	st := a.start()
	var lastUp, lastMaybe time.Time
	everUp, everMaybe := false, false
	list := a.obs.list
	edges := a.edges()
	e := 0
	emit := func(at time.Time, first, last int, refs []Ref) {
		for i := range st {
			st[i].ret, st[i].pending = false, nil
		}
		p := a.snapshot(st, at)
		p.refs, p.firstObs, p.lastObs = refs, first, last
		// starting: none up, some joining, and no server up since they started. An unknown
		// server may have run until it became known again (a silence that ends in its
		// banner, an lmstat gap): then a cold start is only possible. So is it when a server
		// answers -16 run after run while its own log is silent: it may have restarted
		// between two runs, unseen, and its return be as late as the latest run.
		if n := len(a.points); n > 0 && slices.Contains(a.points[n-1].status, StatusUnknown) {
			lastMaybe, everMaybe = at, true
		}
		var earliest, latest time.Time
		for _, e := range p.episodes {
			ep := a.episodes[e]
			s, late := ep.start, ep.start
			if w := st[ep.server].lm; st[ep.server].status == StatusUnresponsive && w.set && w.status == StatusUnresponsive &&
				w.at.After(s) && !(st[ep.server].own.set && inSpans(a.ownCover[ep.server], at)) {
				late = w.at
			}
			if earliest.IsZero() || s.Before(earliest) {
				earliest = s
			}
			if latest.IsZero() || late.Before(latest) {
				latest = late
			}
		}
		p.startOK = !everUp || (!latest.IsZero() && lastUp.Before(latest))
		sure := (!everUp || (!earliest.IsZero() && lastUp.Before(earliest))) &&
			(!everMaybe || (!earliest.IsZero() && lastMaybe.Before(earliest)))
		for _, s := range p.status {
			if s == StatusIsolated {
				p.startOK = false // a server still runs: no cold start
			}
		}
		p.startMaybe = p.startOK && !sure
		for _, s := range p.status {
			if s == StatusUp || s == StatusIsolated {
				// running: a server isolated before a return is no cold start either
				lastUp, everUp = p.at, true
			}
		}
		if n := len(a.points); n > 0 && len(refs) == 0 && samePoint(&a.points[n-1], &p) {
			// Nothing changed (an lmstat run that repeats the one before, a line of no
			// consequence): the point before stands for this moment too.
			if last >= 0 {
				a.points[n-1].lastObs = last
			}
			return
		}
		a.points = append(a.points, p)
	}
	edge := func(t time.Time) {
		if n := len(a.points); n > 0 && !t.After(a.points[n-1].at) {
			return
		}
		a.resolve(st, t, -1, -1)
		emit(t, -1, -1, nil)
	}
	for i := 0; i < len(list); {
		at := list[i].at
		for ; e < len(edges) && edges[e].Before(at); e++ {
			edge(edges[e])
		}
		a.changed, a.headers = map[int][]Ref{}, map[int]Ref{}
		j := i
		for ; j < len(list) && list[j].at.Equal(at); j++ {
			a.apply(st, j)
		}
		a.lastLink(st)
		a.resolve(st, at, i, j)
		// The moment's evidence, in the order of the observations: each line that changed
		// something once; a run's header when the run changed only a master mark.
		var refs []Ref
		for k := i; k < j; k++ {
			seen := map[string]bool{}
			for _, r := range a.changed[k] {
				if !seen[r.At()] {
					seen[r.At()] = true
					refs = append(refs, r)
				}
			}
			if h, ok := a.headers[k]; ok && len(a.changed[k]) == 0 {
				refs = append(refs, h)
			}
		}
		emit(at, i, j, refs)
		i = j
	}
	for ; e < len(edges); e++ {
		edge(edges[e])
	}
	a.classify()
}

// resolve decides every member's status at t from the words that count then (TRIAD.md 4,
// "Which evidence wins" and "Evidence over time"):
//   - its own log's word while the log speaks (its life cycle), against lmstat's latest run
//     while lmstat covers t: the newer wins, a log line on a tie (it is exact; a run is known
//     only to its minute);
//   - when its own log is silent: lmstat's latest run unless its own log said something newer
//     before falling silent (a superseded word does not come back), and its peers' words
//     (Connected to it: up; Lost connection to it: down), which stand as long as the peer is
//     up and its log speaks; the newest wins.
//
// A member none of them speaks for is unknown. Observations first..last are the ones at t:
// the lines among them that changed a status are the moment's evidence (a.changed), and
// returns are tracked.
func (a *sweeper) resolve(st []srv, t time.Time, first, last int) {
	type word struct {
		s     *say
		isLog bool
	}
	newest := func(ws ...word) *say {
		var best *say
		bestLog := false
		for _, w := range ws {
			if w.s == nil || !w.s.set {
				continue
			}
			if best == nil || w.s.at.After(best.at) || (w.s.at.Equal(best.at) && w.isLog && !bestLog) {
				best, bestLog = w.s, w.isLog
			}
		}
		return best
	}
	lmCovers := inSpans(a.obs.lmCover, t)
	ownSpeaks := func(i int) bool { return st[i].own.set && inSpans(a.ownCover[i], t) }
	lmWord := func(i int) *say {
		if lmCovers {
			return &st[i].lm
		}
		return nil
	}
	// Who speaks for its peers: a member up by its own word (or lmstat's), whose log covers t.
	speaks := make([]bool, a.n)
	for i := range st {
		if !inSpans(a.ownCover[i], t) || st[i].isolated || !ownSpeaks(i) {
			continue
		}
		b := newest(word{&st[i].own, true}, word{lmWord(i), false})
		speaks[i] = b != nil && b.status == StatusUp
	}
	for i := range st {
		x := &st[i]
		var best *say
		// Before the first line of a log that begins with lmgrd starting, the log says its lmgrd
		// was not running then; but that may be only its latest start (lmgrd rewrites its log
		// when it starts, or the customer sent the current session only): where a peer's
		// log, or lmstat, says more, that counts (TRIAD.md 4: a log covers its server from its
		// first line). A peer's Connected to it up to 5 s before its banner is part of that start.
		prefix := !a.firstLine[i].IsZero() && t.Before(a.firstLine[i])
		if ownSpeaks(i) && !prefix {
			best = newest(word{&x.own, true}, word{lmWord(i), false})
		} else if prefix {
			// Once any input has spoken of it before its start (a peer's link, an lmstat
			// answer), it ran before its log: the log no longer says it was down before.
			early := a.firstLine[i].Add(-5 * time.Second)
			ws := []word{{lmWord(i), false}}
			if !x.last.set || !x.last.at.Before(early) {
				ws = append(ws, word{&x.own, true})
			}
			for p := range x.peer {
				if w := &x.peer[p]; p != i && speaks[p] && w.set && w.at.Before(early) {
					ws = append(ws, word{w, true})
				}
			}
			best = newest(ws...)
		} else {
			ws := []word{}
			// A word older than the newest said of the server counts only where the two
			// agree: otherwise that word superseded it, and it does not come back.
			counts := func(w *say) bool {
				l := x.last
				return w.set && (!l.set || !w.at.Before(l.at) || (w.status == l.status && w.quorum == l.quorum))
			}
			if lm := lmWord(i); lm != nil && counts(lm) {
				ws = append(ws, word{lm, false})
			}
			for p := range x.peer {
				if p != i && speaks[p] && counts(&x.peer[p]) {
					ws = append(ws, word{&x.peer[p], true})
				}
			}
			best = newest(ws...)
		}
		status, quorum := StatusUnknown, false
		if best != nil {
			status, quorum = best.status, best.quorum
		}
		if status == StatusJoining {
			// An up server names it master after its return: a master is a member, so it has
			// joined, though its own line saying so is missing (a cut, a wording not known).
			for y := range st {
				if y != i && st[y].view == i && (st[y].status == StatusUp || (st[y].own.set && st[y].own.status == StatusUp && st[y].own.at.Equal(t))) {
					status, quorum = StatusUp, true
					break
				}
			}
		}
		if status != StatusUp && status != StatusUnknown {
			// A member that is not one (down, isolated, returning) is no longer master,
			// nor does it name one: a log line naming it, or its own, from before does not
			// make it master again when it is up again by a peer's word or a later line.
			for y := range st {
				if st[y].view == i {
					st[y].view = -1
				}
			}
			x.view = -1
		}
		if status == x.status && quorum == x.quorum {
			continue
		}
		prev := x.status
		if status == StatusUnknown {
			x.wasMaster = a.claims(st, i, t.Add(-time.Nanosecond)) // as it was until now
		}
		x.status, x.quorum = status, quorum
		var ref Ref
		if best != nil && best.obs >= first && best.obs < last && first >= 0 {
			ref = best.ref
			a.changed[best.obs] = append(a.changed[best.obs], ref)
		}
		a.track(st, i, prev, ref, t, x.ret)
	}
}

// apply folds observation k into the members' words, and notes it as evidence when it
// changed the master a log names; status changes are found by resolve.
func (a *sweeper) apply(st []srv, k int) {
	o := &a.obs.list[k]
	if o.snap != nil {
		a.applySnapshot(st, k)
		return
	}
	e := o.ev
	ref := Ref{File: o.file, Line: e.Line, Text: e.Text, Time: o.at}
	me := o.observer
	if me >= a.n {
		return
	}
	self := &st[me]
	peer, peerOK := a.ev.member(e.Peer)
	// up: the observer is up, as resolved before this moment or as its own log has just said
	// (lines of one second are read in order: "CONNECTED, master is" then "Connected to X").
	// Its own log speaking again after a gap (a second file of it, a rotated log) brings back
	// its word, as resolve does: a server up by it speaks for its peers from its first line.
	resumed := self.status == StatusUnknown && inSpans(a.ownCover[me], o.at) && !(self.lm.set && self.lm.at.After(self.own.at))
	up := self.status == StatusUp || (self.own.set && self.own.status == StatusUp && (self.own.at.Equal(o.at) || resumed))
	own := func(s Status, q bool) {
		self.own = say{status: s, quorum: q, at: o.at, obs: k, ref: ref, set: true}
		self.last = self.own
	}
	about := func(i int, s Status, q bool) {
		w := say{status: s, quorum: q, at: o.at, obs: k, ref: ref, set: true}
		st[i].peer[me] = w
		if l := st[i].last; !l.set || !w.at.Before(l.at) {
			st[i].last = w
		}
	}
	// setView changes the master the observer's log names. says: the line is about the master
	// (it names one, or says the master is gone); a server that restarts, exits or loses its
	// quorum stops naming one, which says nothing of the master itself. Only a line that
	// changes whether a server is named master dates that (logMasterAt, against lmstat's
	// marks): naming the master lmstat already marks confirms the mark.
	setView := func(v int, says bool) {
		if self.view == v {
			return
		}
		if old := self.view; old >= 0 && says {
			st[old].logMasterAt = o.at
			if old == me && v >= 0 && v != me {
				// The master's own line names another: its claim ends, also where another
				// server's log last named it (TRIAD.md 1: the old master's own such line
				// ends its claim; that server's line may be missing).
				for y := range st {
					if y != me && st[y].view == me {
						st[y].view = -1
					}
				}
			}
		}
		if v >= 0 && says && !a.claims(st, v, o.at) {
			st[v].logMasterAt = o.at
		}
		if v == 0 && says && a.ev.triad.PrimaryIsMaster {
			// PRIMARY_IS_MASTER: the primary takes the master role back, so that there is no
			// dual master (TRIAD.md 1): a claim of another server that rests on an older
			// (MASTER) mark ends here (one its own log makes stands).
			for x := 1; x < a.n; x++ {
				st[x].logMasterAt = o.at
			}
		}
		self.view = v
		a.changed[k] = append(a.changed[k], ref)
	}
	episodeRef := func(i int) {
		switch {
		case st[i].episode >= 0:
			ep := &a.episodes[st[i].episode]
			ep.refs = append(ep.refs, ref)
		case st[i].ret:
			st[i].pending = append(st[i].pending, ref) // its episode opens at the end of the moment
		}
	}
	switch e.Kind {
	case parser.EvStart, parser.EvExiting:
		// A restart or an exit closes every connection this server had: what it said of its
		// peers ends. A restart also ends what they said of it before (a peer's Connected to
		// it up to 5 s before its banner is part of that start: TRIAD.md 4).
		for p := 0; p < a.n; p++ {
			if p == me {
				continue
			}
			a.link(me, p, false)
			self.mine[p] = false
			st[p].peer[me] = say{}
			if w := self.peer[p]; e.Kind == parser.EvStart && !(w.set && w.status != StatusDown && o.at.Sub(w.at) <= 5*time.Second) {
				self.peer[p] = say{}
			}
		}
	}
	switch e.Kind {
	case parser.EvStart:
		if self.status == StatusJoining || self.status == StatusUnresponsive {
			episodeRef(me)
		}
		own(StatusJoining, false)
		self.ret, self.isolated, self.ownLinks = true, false, true
		setView(-1, false)
	case parser.EvMasterIs, parser.EvSelectedMaster:
		own(StatusUp, true)
		self.isolated = false
		if peerOK {
			setView(peer, true)
		}
		// "CONNECTED" is logged once a quorum is up and everyone has selected the master, and
		// "selected (EXISTING) master" joins a triad that runs: the peers linked to the
		// observer are in it too. A master it has no link to (it learnt of it through the
		// peer it is linked to) is not its word: no line of its log could end it.
		for p := 0; p < a.n; p++ {
			if p != me && a.linked(me, p) {
				about(p, StatusUp, true)
			}
		}
	case parser.EvLostMaster:
		// "Lost connection to master" is a lost connection to the master it named: where the
		// line about that server is missing (a wording not known, a cut), the link still
		// stood and would keep a crashed master up and master (TRIAD.md 3).
		if m := self.view; m >= 0 && m != me && a.linked(me, m) {
			a.link(me, m, false)
			if up {
				about(m, StatusDown, false)
			} else {
				st[m].peer[me] = say{}
			}
		}
		setView(-1, true)
	case parser.EvLostQuorum, parser.EvLostAll:
		// Outside every quorum, serving nothing, while it keeps logging: isolated. What it
		// said of its peers no longer counts (from its side a partition and crashed peers
		// look the same).
		a.isolate(st, me, k, ref)
	case parser.EvExiting:
		own(StatusDown, false)
		self.isolated = false
		setView(-1, false)
	case parser.EvLost:
		if peerOK && peer != me {
			had := self.mine[peer] || a.linked(me, peer)
			a.link(me, peer, false)
			self.mine[peer] = false
			switch {
			case a.muted[k] || !up:
				// It cannot tell a partition from the peer's death; or, not up, it speaks of
				// its own trouble, not of its peers (TRIAD.md 3).
				st[peer].peer[me] = say{}
			default:
				about(peer, StatusDown, false)
			}
			if up && had && self.ownLinks {
				// Perhaps its last link: decided at the end of the moment (lastLink), when
				// every line of that second, its peers' too, has been read.
				if a.lostNow == nil {
					a.lostNow = map[int]int{}
				}
				a.lostNow[me] = k
			}
		}
		if !up {
			episodeRef(me)
		}
	case parser.EvTimedOut, parser.EvCannotConnect:
		// The observer could not (re)connect: it ends no link that was up; about a returning
		// peer it is a rejoin failure, not a loss, and evidence of the return. It is no word on
		// the peer's status: the peer's lmgrd may be stopped a moment later without any line of
		// the observer's saying so (there is no link to lose), so it would outlive the return.
		if peerOK && peer != me {
			episodeRef(peer)
		}
		episodeRef(me)
	case parser.EvConnected:
		if peerOK && peer != me {
			a.link(me, peer, true)
			self.mine[peer] = true
			if self.isolated {
				// The partition healed: its return, joining until it has joined.
				own(StatusJoining, false)
				self.ret, self.isolated = true, false
			}
			switch {
			case up:
				about(peer, StatusUp, true)
			case st[peer].status == StatusDown:
				// It runs again; whether it has joined, a later line or lmstat says.
				about(peer, StatusJoining, false)
			}
			// From an observer still joining, an unknown peer stays unknown: it may be
			// starting too (a cold start) or up in a running triad (a restart).
		}
	case parser.EvTrying, parser.EvNoMasterStart:
		episodeRef(me)
	}
}

// link records whether the connection between two members is up, as a log says.
func (a *sweeper) link(x, y int, up bool) {
	if a.links == nil {
		a.links = map[[2]int]bool{}
	}
	if x > y {
		x, y = y, x
	}
	a.links[[2]int{x, y}] = up
}

// lastLink ends the moment's losses: a member up that lost a link this moment and has none
// left, as its own log or a peer's says (a peer's Connected to it stands for a line its own
// log may lack), is outside every quorum (2 of 3 connected), whether or not its "lost quorum"
// line follows (a wording not known, a cut): isolated, and what it said of its peers no
// longer counts (TRIAD.md 3).
func (a *sweeper) lastLink(st []srv) {
	for me, k := range a.lostNow {
		self := &st[me]
		left := false
		for p := 0; p < a.n; p++ {
			left = left || (p != me && (self.mine[p] || a.linked(me, p)))
		}
		if left || self.isolated || !self.own.set || self.own.status != StatusUp {
			continue
		}
		o := &a.obs.list[k]
		a.isolate(st, me, k, Ref{File: o.file, Line: o.ev.Line, Text: o.ev.Text, Time: o.at})
	}
	a.lostNow = nil
}

// isolate makes member me isolated by its own log's line k (ref): outside every quorum,
// serving nothing, while it keeps logging. What it said of its peers no longer counts (from
// its side a partition and crashed peers look the same), nor does it name a master.
func (a *sweeper) isolate(st []srv, me, k int, ref Ref) {
	self := &st[me]
	self.own = say{status: StatusIsolated, at: a.obs.list[k].at, obs: k, ref: ref, set: true}
	self.last = self.own
	self.isolated = true
	for p := 0; p < a.n; p++ {
		if p != me {
			st[p].peer[me] = say{}
		}
	}
	if self.view >= 0 {
		self.view = -1
		a.changed[k] = append(a.changed[k], ref)
	}
}

func (a *sweeper) linked(x, y int) bool {
	if x > y {
		x, y = y, x
	}
	return a.links[[2]int{x, y}]
}

// track keeps return episodes as a member's status changes.
// A return (TRIAD.md section 4) is a server's banner, its first lmstat answer other than
// down after being down, or its first connection to a peer after being isolated (ret);
// joining inferred from a peer's link is not one.
func (a *sweeper) track(st []srv, i int, prev Status, ref Ref, at time.Time, ret bool) {
	x := &st[i]
	var refs []Ref
	if ref.File != "" {
		refs = []Ref{ref}
	}
	switch x.status {
	case StatusJoining, StatusUnresponsive:
		// A return; or, unknown before (the evidence begins, or resumes after a gap), its
		// return was before this evidence and the grace counts from here (TRIAD.md 4).
		if x.episode < 0 && (ret || prev == StatusUnknown) && prev != StatusJoining && prev != StatusUnresponsive {
			a.episodes = append(a.episodes, episode{server: i, start: at, refs: append(refs, x.pending...)})
			x.episode = len(a.episodes) - 1
		} else if x.episode >= 0 && prev != x.status {
			a.episodes[x.episode].refs = append(a.episodes[x.episode].refs, refs...)
		}
	case StatusUnknown:
		if x.episode >= 0 && !at.Before(a.obs.lastCovered()) {
			return // the evidence ends: the return is still open
		}
		fallthrough
	default:
		if x.episode < 0 && x.status == StatusUp && prev == StatusDown {
			// back and answering at once (lmstat down, then UP): a return that rejoined at once
			a.episodes = append(a.episodes, episode{server: i, start: at, end: at, refs: refs})
		}
		if x.episode >= 0 {
			a.episodes[x.episode].end = at
			if x.status == StatusUp {
				a.episodes[x.episode].refs = append(a.episodes[x.episode].refs, refs...)
			}
			x.episode = -1
		}
	}
}

func (a *sweeper) applySnapshot(st []srv, k int) {
	o := &a.obs.list[k]
	s := o.snap
	if s.Failed != nil {
		return // it says nothing about single servers (counted by stage 3)
	}
	since := o.at.Add(-o.window) // the run may have started this early
	set := func(i int, status Status, q bool, ref Ref) {
		x := &st[i]
		if x.status == StatusDown && status != StatusDown {
			x.ret = true // its first answer after being down
		}
		x.lm = say{status: status, quorum: q, at: since, obs: k, ref: ref, set: true}
		if !x.last.set || since.After(x.last.at) {
			x.last = x.lm
		}
	}
	marks := make([]bool, a.n)
	listed := make([]bool, a.n) // members the snapshot has a line for: it says nothing of others
	hdr := Ref{File: o.file, Line: o.line, Text: o.text, Time: o.at}
	if s.NotRunning != nil {
		ref := Ref{File: o.file, Line: o.lineOf(s.NotRunning.Line), Text: s.NotRunning.Text, Time: o.at}
		for i := 0; i < a.n; i++ {
			set(i, StatusDown, false, ref)
		}
	}
	for _, sl := range s.Servers {
		i, ok := a.ev.member(sl.Name)
		if !ok {
			continue
		}
		ref := Ref{File: o.file, Line: o.lineOf(sl.Line), Text: sl.Text, Time: o.at}
		listed[i] = true
		if sl.Status == parser.ServerUp {
			set(i, StatusUp, true, ref)
			if sl.Master {
				marks[i] = true
			}
			continue
		}
		switch sl.Code.Major {
		case -96, -15, -14, -7, -95:
			set(i, StatusDown, false, ref)
		case -16:
			set(i, StatusUnresponsive, false, ref)
		case -20:
			set(i, StatusIsolated, false, ref) // no majority: running, outside every quorum
		case -23:
			set(i, StatusUp, true, ref)
		}
	}
	// A server the run's "License server status:" list names, with no server line that could be
	// read (an error lmtriad does not know, warned of as a wording): the run cannot say how it
	// answered, so what an older run said of it ends (its master mark is left as it was: its
	// status is unknown, not known to be without the mark).
	if s.NotRunning == nil {
		for _, name := range s.Listed {
			if i, ok := a.ev.member(name); ok && !listed[i] {
				set(i, StatusUnknown, false, hdr)
			}
		}
	}
	// hidden: no (MASTER) mark, while a listed name is spelled otherwise than its SERVER line
	// (FQDN, case): lmstat compares names with strcmp, so the marks may be hidden (TRIAD.md 4):
	// the run then says nothing of who is master, but where a vendor daemon answers (below).
	// Its "Vendor daemon status (on X)" line alone is no proof: X is lmstat's last master_node,
	// which is the queried server itself when its reply was not OK (FORMATS.md 2.2).
	hidden := false
	if !anyTrue(marks) && s.NotRunning == nil {
		hidden = a.ev.spelledOtherwise(s)
		// The vendor daemon answering on a server that is UP names the master.
		for _, v := range s.Vendors {
			i, ok := a.ev.member(v.On)
			if !v.Up || !ok || !listed[i] || st[i].lm.status != StatusUp {
				continue
			}
			marks[i] = true
			if a.vendorMaster == nil {
				a.vendorMaster = map[string]bool{}
			}
			if key := o.file + "\x00" + v.On; !a.vendorMaster[key] { // once per file and host
				a.vendorMaster[key] = true
				a.warn = appendOnce(a.warn, msg.New("warn.vendor-master", "at", msg.Raw(Ref{File: o.file, Line: o.lineOf(v.Line)}.At()),
					"vendor", msg.Raw(v.Name), "host", msg.Raw(v.On), "server", a.ev.id.names[i]))
			}
			break
		}
	}
	if len(s.Servers) > 0 || s.NotRunning != nil {
		for i := 0; i < a.n; i++ {
			if !listed[i] && s.NotRunning == nil {
				continue
			}
			if hidden && !marks[i] {
				continue // its mark may be hidden: the run does not say it is not master
			}
			x := &st[i]
			if x.lmSeen && x.lmMaster != marks[i] {
				a.headers[k] = hdr
			}
			x.lmMaster, x.lmMasterAt, x.lmSeen, x.lmExact = marks[i], since, true, o.window == 0
		}
	}
}

// samePoint tells two points that classify alike: the same statuses, masters, open return
// episodes and start condition.
func samePoint(x, y *point) bool {
	if x.startOK != y.startOK || x.startMaybe != y.startMaybe || len(x.masters) != len(y.masters) || len(x.episodes) != len(y.episodes) {
		return false
	}
	for i := range x.status {
		if x.status[i] != y.status[i] || x.quorum[i] != y.quorum[i] || x.wasMaster[i] != y.wasMaster[i] {
			return false
		}
	}
	for i := range x.masters {
		if x.masters[i] != y.masters[i] {
			return false
		}
	}
	for i := range x.episodes {
		if x.episodes[i] != y.episodes[i] {
			return false
		}
	}
	return true
}

// snapshot records the current statuses and computes who claims master.
func (a *sweeper) snapshot(st []srv, at time.Time) point {
	p := point{at: at, status: make([]Status, a.n), quorum: make([]bool, a.n), wasMaster: make([]bool, a.n)}
	for i, s := range st {
		p.status[i], p.quorum[i] = s.status, s.quorum
		// unknown: if up, then master if it was when it became unknown, or if an up server's
		// log names it master
		named := false
		for y := range st {
			named = named || (st[y].status == StatusUp && st[y].view == i)
		}
		p.wasMaster[i] = s.status == StatusUnknown && (s.wasMaster || named)
		if s.episode >= 0 {
			p.episodes = append(p.episodes, s.episode)
		}
	}
	for x := range st {
		if st[x].status == StatusUp && a.claims(st, x, at) {
			p.masters = append(p.masters, x)
		}
	}
	return p
}

// claims tells whether member x claims master at t: as the latest snapshot marks it, or as
// the logs of the up servers name it, whichever is newer. A snapshot's mark counts only
// while lmstat covers t: after its last run, a mark of the old master does not stand against
// the log lines that name the new one.
func (a *sweeper) claims(st []srv, x int, t time.Time) bool {
	logClaim := false
	for y := range st {
		if st[y].status == StatusUp && st[y].view == x {
			logClaim = true
		}
	}
	lm := st[x].lmMasterAt.After(st[x].logMasterAt) ||
		(st[x].lmMasterAt.Equal(st[x].logMasterAt) && !st[x].lmExact) // a stamped tie goes to the log
	if st[x].lmSeen && lm && inSpans(a.obs.lmCover, t) {
		return st[x].lmMaster
	}
	return logClaim
}

func anyTrue(b []bool) bool {
	for _, x := range b {
		if x {
			return true
		}
	}
	return false
}

// classify decides each point's state (TRIAD.md section 4), once the return episodes are known.
func (a *sweeper) classify() {
	lastCovered := a.obs.lastCovered()
	for k := range a.episodes {
		e := &a.episodes[k]
		deadline := e.start.Add(a.grace)
		if e.end.IsZero() {
			e.failed = !lastCovered.Before(deadline)
		} else {
			e.failed = e.end.After(deadline)
		}
	}
	for k := range a.points {
		a.points[k].state = a.stateOf(&a.points[k])
	}
	if len(a.obs.cover) > 0 {
		a.initial = a.initialPoint(a.obs.cover[0].start)
	}
}

func (a *sweeper) initialPoint(at time.Time) point {
	st := a.start()
	p := a.snapshot(st, at)
	p.startOK = true
	p.state = a.stateOf(&p)
	return p
}

// stateOf classifies a point. A server whose status is unknown could be down, up (and then
// still master if it was master when it became unknown, or an up server's log names it), or
// joining (started again at some moment nobody saw: then the joining servers may be a cold
// start); an unresponsive server (lmstat -16) may as well be joining, as a server answers -16
// while it elects. Where the possibilities give different states, the state is unknown.
func (a *sweeper) stateOf(p *point) State {
	type choice struct {
		server int
		opts   []Status
	}
	var choices []choice
	isolated := false
	for i, s := range p.status {
		switch s {
		case StatusUnknown:
			choices = append(choices, choice{i, []Status{StatusDown, StatusUp, StatusJoining}})
		case StatusUnresponsive:
			choices = append(choices, choice{i, []Status{StatusUnresponsive, StatusJoining}})
		case StatusIsolated:
			isolated = true
		}
	}
	if p.startMaybe {
		// a cold start is possible, not sure: both (server -1: true, then false), before an
		// unknown server's unseen return may make it possible again
		choices = append([]choice{{-1, []Status{StatusUp, StatusDown}}}, choices...)
	}
	var result State
	pick := make([]int, len(choices))
	for first := true; ; first = false {
		status := append([]Status(nil), p.status...)
		quorum := append([]bool(nil), p.quorum...)
		masters := p.masters
		q := *p
		for k, c := range choices {
			i := c.server
			if i < 0 {
				q.startOK = q.startOK && pick[k] == 0
				continue
			}
			switch status[i] = c.opts[pick[k]]; status[i] {
			case StatusUp:
				quorum[i] = true
				if p.wasMaster[i] {
					masters = append(append([]int(nil), masters...), i)
				}
			case StatusDown:
				quorum[i] = false
			case StatusJoining:
				quorum[i] = false
				if p.status[i] == StatusUnknown && !isolated {
					q.startOK = true // its unseen return may be after every server that was up
				}
			}
		}
		s := a.rules(&q, status, quorum, masters)
		if first {
			result = s
		} else if s != result {
			return Unknown
		}
		// the next combination
		k := 0
		for ; k < len(choices); k++ {
			if pick[k]++; pick[k] < len(choices[k].opts) {
				break
			}
			pick[k] = 0
		}
		if k == len(choices) {
			return result
		}
	}
}

func (a *sweeper) rules(p *point, status []Status, quorum []bool, masters []int) State {
	up, joining, inq := 0, 0, 0
	for i, s := range status {
		switch s {
		case StatusUp:
			up++
			if quorum[i] {
				inq++
			}
		case StatusJoining:
			joining++
			if quorum[i] {
				inq++ // isolated servers that reconnected: in the quorum until their election ends
			}
		}
	}
	if up == 0 && joining > 0 && len(masters) == 0 && p.startOK {
		return Starting
	}
	for _, k := range p.episodes {
		e := a.episodes[k]
		if !e.failed || p.at.Before(e.start) {
			continue
		}
		if s := status[e.server]; s != StatusJoining && s != StatusUnresponsive {
			continue
		}
		othersUp, master := 0, false
		for i, s := range status {
			if i != e.server && s == StatusUp && quorum[i] {
				othersUp++
			}
		}
		for _, m := range masters {
			if m != e.server {
				master = true
			}
		}
		if othersUp >= 2 && master {
			return FailedRejoin
		}
	}
	switch {
	case len(masters) >= 2:
		return DualMaster
	case inq < 2:
		return NoQuorum
	case len(masters) == 0:
		return Masterless
	case up == 2:
		return Degraded
	}
	return Normal
}

// statusAt is member i's status at t, as the last point at or before t has it.
func (st *statuses) statusAt(i int, t time.Time) Status {
	s := StatusUnknown
	for _, p := range st.points {
		if p.at.After(t) {
			break
		}
		s = p.status[i]
	}
	return s
}
