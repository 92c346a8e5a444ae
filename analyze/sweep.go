package analyze

import (
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
	*statuses
}

// sweep is stage 4.
func sweep(ev *evidence, o *observations, cfg Config) *statuses {
	a := &sweeper{ev: ev, obs: o, grace: cfg.RejoinGrace, n: ev.n, statuses: &statuses{}}
	a.run()
	return a.statuses
}

// srv is what is known of one member while sweeping the timeline.
type srv struct {
	status      Status
	quorum      bool      // connected to a quorum (false when it answers -20 or lost quorum)
	view        int       // the master its own log names, -1 for none
	logStatusAt time.Time // last time a log line set its status
	logMasterAt time.Time // last time log lines changed whether it is named master
	lmMaster    bool      // the latest snapshot marks it (MASTER)
	lmMasterAt  time.Time // the earliest moment that snapshot may have been taken
	lmSeen      bool
	lmExact     bool // that snapshot had a stamp line: its time is exact
	episode     int  // index into episodes while returning, -1 otherwise
}

// episode is a return of a server: from its banner (or first answer after being down) until
// it is up or down again.
type episode struct {
	server int
	start  time.Time
	end    time.Time // zero while still open at the end of the evidence
	refs   []Ref
	failed bool
}

// point is the triad as known after all observations at one moment.
type point struct {
	at       time.Time
	status   []Status
	quorum   []bool
	masters  []int // members claiming master, in member order
	episodes []int // open episodes
	startOK  bool  // no server was up since the earliest return among joining servers
	refs     []Ref
	state    State
	firstObs int // index into observations.list of the first observation at this moment
	lastObs  int
}

func (a *sweeper) start() []srv {
	s := make([]srv, a.n)
	for i := range s {
		s[i] = srv{status: StatusUnknown, view: -1, episode: -1}
		if a.ev.startsCold(i) {
			// Its log begins with lmgrd starting: before that, lmgrd was not running.
			s[i].status = StatusDown
		}
	}
	return s
}

func (a *sweeper) run() {
	st := a.start()
	var lastUp time.Time
	everUp := false
	list := a.obs.list
	for i := 0; i < len(list); {
		j := i
		var refs []Ref
		for ; j < len(list) && list[j].at.Equal(list[i].at); j++ {
			refs = append(refs, a.apply(st, &list[j])...)
		}
		p := a.snapshot(st, list[i].at)
		p.refs, p.firstObs, p.lastObs = refs, i, j
		// starting: none up, some joining, and no server up since they started.
		earliest := time.Time{}
		for _, e := range p.episodes {
			if s := a.episodes[e].start; earliest.IsZero() || s.Before(earliest) {
				earliest = s
			}
		}
		p.startOK = !everUp || (!earliest.IsZero() && lastUp.Before(earliest))
		for _, s := range p.status {
			if s == StatusUp {
				lastUp, everUp = p.at, true
			}
		}
		if n := len(a.points); n > 0 && len(refs) == 0 && samePoint(&a.points[n-1], &p) {
			// Nothing changed (an lmstat run that repeats the one before, a line of no
			// consequence): the point before stands for this moment too.
			a.points[n-1].lastObs = j
			i = j
			continue
		}
		a.points = append(a.points, p)
		i = j
	}
	a.classify()
}

// samePoint tells two points that classify alike: the same statuses, masters, open return
// episodes and start condition.
func samePoint(x, y *point) bool {
	if x.startOK != y.startOK || len(x.masters) != len(y.masters) || len(x.episodes) != len(y.episodes) {
		return false
	}
	for i := range x.status {
		if x.status[i] != y.status[i] || x.quorum[i] != y.quorum[i] {
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
	p := point{at: at, status: make([]Status, a.n), quorum: make([]bool, a.n)}
	for i, s := range st {
		p.status[i], p.quorum[i] = s.status, s.quorum
		if s.episode >= 0 {
			p.episodes = append(p.episodes, s.episode)
		}
	}
	for x := range st {
		if st[x].status != StatusUp {
			continue
		}
		logClaim := false
		for y := range st {
			if st[y].status == StatusUp && st[y].view == x {
				logClaim = true
			}
		}
		claim := logClaim
		lm := st[x].lmMasterAt.After(st[x].logMasterAt) ||
			(st[x].lmMasterAt.Equal(st[x].logMasterAt) && !st[x].lmExact) // a stamped tie goes to the log
		if st[x].lmSeen && lm {
			claim = st[x].lmMaster
		}
		if claim {
			p.masters = append(p.masters, x)
		}
	}
	return p
}

// apply folds one observation into the members' state and returns the evidence lines that
// changed something.
func (a *sweeper) apply(st []srv, o *obs) []Ref {
	if o.snap != nil {
		return a.applySnapshot(st, o)
	}
	e := o.ev
	ref := Ref{File: o.file, Line: e.Line, Text: e.Text, Time: o.at}
	me := o.observer
	if me >= a.n {
		return nil
	}
	self := &st[me]
	peer, peerOK := a.ev.member(e.Peer)
	changed := false
	setStatus := func(i int, s Status, q bool) {
		x := &st[i]
		if x.status != s || x.quorum != q {
			changed = true
		}
		prev := x.status
		x.status, x.quorum, x.logStatusAt = s, q, o.at
		a.track(st, i, prev, ref, o.at, e.Kind == parser.EvStart && i == me)
	}
	setView := func(v int) {
		if self.view == v {
			return
		}
		if self.view >= 0 {
			st[self.view].logMasterAt = o.at
		}
		if v >= 0 {
			st[v].logMasterAt = o.at
		}
		self.view = v
		changed = true
	}
	switch e.Kind {
	case parser.EvStart, parser.EvExiting:
		// A restart or an exit closes every connection this server had.
		for p := 0; p < a.n; p++ {
			if p != me {
				a.link(me, p, false)
			}
		}
	}
	switch e.Kind {
	case parser.EvStart:
		if self.status != StatusJoining && self.status != StatusUnresponsive {
			setStatus(me, StatusJoining, false)
		} else if self.episode >= 0 {
			a.episodes[self.episode].refs = append(a.episodes[self.episode].refs, ref)
		}
		setView(-1)
	case parser.EvMasterIs, parser.EvSelectedMaster:
		setStatus(me, StatusUp, true)
		if peerOK {
			setView(peer)
			if peer != me && !a.ev.hasLog(peer) && (st[peer].status != StatusUp || !st[peer].quorum || self.status == StatusUp) {
				setStatus(peer, StatusUp, true)
			}
		}
		// "CONNECTED" is logged once a quorum is up and everyone has selected the master, and
		// "selected (EXISTING) master" joins a triad that runs: the peers linked to the
		// observer that have no log of their own are in it too.
		for p := 0; p < a.n; p++ {
			if p != me && !a.ev.hasLog(p) && a.linked(me, p) {
				setStatus(p, StatusUp, true)
			}
		}
	case parser.EvLostMaster:
		setView(-1)
	case parser.EvLostQuorum, parser.EvLostAll:
		if self.status == StatusUp {
			setStatus(me, StatusUp, false)
		}
		setView(-1)
	case parser.EvExiting:
		setStatus(me, StatusDown, false)
		setView(-1)
	case parser.EvLost, parser.EvTimedOut:
		if peerOK {
			a.link(me, peer, false)
		}
		// Only a server that is up speaks for its peers.
		if self.status == StatusUp && peerOK && peer != me {
			if s := st[peer].status; s == StatusUp || s == StatusUnknown {
				setStatus(peer, StatusDown, false)
			}
		} else if self.episode >= 0 {
			a.episodes[self.episode].refs = append(a.episodes[self.episode].refs, ref)
		}
	case parser.EvConnected:
		// A link that came up says the peer is running. It decides the peer's status only
		// when the peer has no log of its own (its own log speaks for its life cycle): joined
		// when the observer is in the triad, else joining with it.
		if peerOK && peer != me {
			a.link(me, peer, true)
			if !a.ev.hasLog(peer) && (st[peer].status != StatusUp || !st[peer].quorum || self.status == StatusUp) {
				// (An up observer's line is also a newer word than a snapshot of the same
				// minute, and restores the quorum of a peer lmstat saw alone.)
				switch {
				case self.status == StatusUp:
					setStatus(peer, StatusUp, true)
				case st[peer].status == StatusDown:
					// It runs again; whether it has joined, a later line or lmstat says.
					setStatus(peer, StatusJoining, false)
				}
				// From an observer still joining, an unknown peer stays unknown: it may be
				// starting too (a cold start) or up in a running triad (a restart).
			}
		}
	case parser.EvTrying, parser.EvNoMasterStart:
		if self.episode >= 0 {
			a.episodes[self.episode].refs = append(a.episodes[self.episode].refs, ref)
		}
	case parser.EvCannotConnect:
		if peerOK && st[peer].episode >= 0 {
			ep := &a.episodes[st[peer].episode]
			ep.refs = append(ep.refs, ref)
		}
	}
	if changed {
		return []Ref{ref}
	}
	return nil
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

func (a *sweeper) linked(x, y int) bool {
	if x > y {
		x, y = y, x
	}
	return a.links[[2]int{x, y}]
}

// track keeps return episodes as a member's status changes.
// A return (TRIAD.md section 4) is a server's banner, or its first lmstat answer other than
// down after being down (ret); joining inferred from a peer's link is not one.
func (a *sweeper) track(st []srv, i int, prev Status, ref Ref, at time.Time, ret bool) {
	x := &st[i]
	switch x.status {
	case StatusJoining, StatusUnresponsive:
		if x.episode < 0 && ret && prev != StatusJoining && prev != StatusUnresponsive {
			a.episodes = append(a.episodes, episode{server: i, start: at, refs: []Ref{ref}})
			x.episode = len(a.episodes) - 1
		} else if x.episode >= 0 && prev != x.status {
			a.episodes[x.episode].refs = append(a.episodes[x.episode].refs, ref)
		}
	default:
		if x.episode < 0 && x.status == StatusUp && prev == StatusDown {
			// back and answering at once (lmstat down, then UP): a return that rejoined at once
			a.episodes = append(a.episodes, episode{server: i, start: at, end: at, refs: []Ref{ref}})
		}
		if x.episode >= 0 {
			a.episodes[x.episode].end = at
			if x.status == StatusUp {
				a.episodes[x.episode].refs = append(a.episodes[x.episode].refs, ref)
			}
			x.episode = -1
		}
	}
}

func (a *sweeper) applySnapshot(st []srv, o *obs) []Ref {
	s := o.snap
	if s.Failed != nil {
		return nil // it says nothing about single servers (counted by stage 3)
	}
	since := o.at.Add(-o.window) // the run may have started this early
	var refs []Ref
	set := func(i int, status Status, q bool, ref Ref) {
		x := &st[i]
		if !x.logStatusAt.Before(since) {
			// A log line inside the snapshot's minute (from its first second) is newer and
			// exact; against a stamped snapshot of the same second, the line wins the tie.
			return
		}
		if x.status == status && x.quorum == q {
			return
		}
		prev := x.status
		x.status, x.quorum = status, q
		a.track(st, i, prev, ref, o.at, prev == StatusDown)
		refs = append(refs, ref)
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
			set(i, StatusUp, false, ref)
		case -23:
			set(i, StatusUp, true, ref)
		}
	}
	if !anyTrue(marks) && s.NotRunning == nil {
		// No (MASTER) mark: lmstat compares names with strcmp, so an FQDN against a short name
		// hides the mark. The vendor daemon answering on a server that is UP names the master.
		for _, v := range s.Vendors {
			i, ok := a.ev.member(v.On)
			if !v.Up || !ok || st[i].status != StatusUp {
				continue
			}
			marks[i] = true
			a.warn = appendOnce(a.warn, msg.New("warn.vendor-master", "at", msg.Raw(Ref{File: o.file, Line: o.lineOf(v.Line)}.At()),
				"vendor", msg.Raw(v.Name), "host", msg.Raw(v.On), "server", a.ev.id.names[i]))
			break
		}
	}
	if len(s.Servers) > 0 || s.NotRunning != nil {
		for i := 0; i < a.n; i++ {
			if !listed[i] && s.NotRunning == nil {
				continue
			}
			x := &st[i]
			if x.lmSeen && x.lmMaster != marks[i] && len(refs) == 0 {
				refs = append(refs, hdr)
			}
			x.lmMaster, x.lmMasterAt, x.lmSeen, x.lmExact = marks[i], since, true, o.window == 0
		}
	}
	if len(refs) > 0 {
		return refs
	}
	return nil
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

func (a *sweeper) stateOf(p *point) State {
	var unknown []int
	for i, s := range p.status {
		if s == StatusUnknown {
			unknown = append(unknown, i)
		}
	}
	var result State
	for mask := 0; mask < 1<<len(unknown); mask++ {
		status := append([]Status(nil), p.status...)
		quorum := append([]bool(nil), p.quorum...)
		for b, i := range unknown {
			if mask&(1<<b) != 0 {
				status[i], quorum[i] = StatusUp, true
			} else {
				status[i], quorum[i] = StatusDown, false
			}
		}
		s := a.rules(p, status, quorum)
		if mask == 0 {
			result = s
		} else if s != result {
			return Unknown
		}
	}
	return result
}

func (a *sweeper) rules(p *point, status []Status, quorum []bool) State {
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
		}
	}
	if up == 0 && joining > 0 && len(p.masters) == 0 && p.startOK {
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
		for _, m := range p.masters {
			if m != e.server {
				master = true
			}
		}
		if othersUp >= 2 && master {
			return FailedRejoin
		}
	}
	switch {
	case len(p.masters) >= 2:
		return DualMaster
	case inq < 2:
		return NoQuorum
	case len(p.masters) == 0:
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
