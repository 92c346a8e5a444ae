package sim

import (
	"container/heap"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Phase 1: a discrete-event simulation of the triad. It decides what each lmgrd does and when,
// and writes down every line that is not a usage line (those are few: a fault makes tens of
// lines), the true state after each change, and the periodic line sources (TIMESTAMP, log
// storms) that the renderer expands while streaming.

type daemonKind uint8

const (
	dLmgrd daemonKind = iota
	dVendor
)

// factKind is what a log line tells an observer (TRIAD.md section 3).
type factKind uint8

const (
	fNone          factKind = iota
	fStart                  // banner: the writer (re)started, it is joining
	fMasterIs               // CONNECTED, master is P / selected (EXISTING) master P
	fLostMaster             // Lost connection to master
	fLostQuorum             // lmgrd lost quorum
	fExiting                // lmgrd EXITING DUE TO SIGNAL 15: the writer stopped
	fLost                   // Lost connection to P
	fConnected              // Connected to P: the link is up (it speaks for P only when P's log is missing)
	fCannotConnect          // Cannot connect to P after incoming connection: P runs but has not rejoined
)

// line is one debug-log line at a true time.
type line struct {
	t      int64
	daemon daemonKind
	text   string
	fact   factKind
	peer   int8
	ins    bool // not a line: the IN (SHUTDOWN) lines of the serving vendor daemon's checkouts go here
}

type runState uint8

const (
	rDown runState = iota
	rJoining
	rUp
	rHung
)

type downHow uint8

const (
	downNever downHow = iota
	downMachine
	downProcess
	downShutdown
)

// tpoint is the true state of the triad from t on.
type tpoint struct {
	t      int64
	run    [3]runState
	view   [3]int8 // the master each server accepts (itself when it claims master), -1 none
	vendor [3]bool
	noq    [3]bool // it logged that it lost quorum (lmstat: -20)
	relink [3]bool // isolated before, now connected again to another such server: up for the quorum until their election
	down   [3]downHow
	legit  int8 // the master the quorum elected, -1 none
}

// storm is a periodic source of "Connection to P TIMED OUT" pairs from a hung server.
type storm struct {
	server    int
	from, to  int64
	every     int64
	peerNames []string
}

// Note is one moment of the story, for the README and truth.json.
type Note struct {
	At     time.Time `json:"at"`
	Server string    `json:"server,omitempty"`
	What   string    `json:"what"`
}

type pserver struct {
	run          runState
	view         int
	vendor       bool
	noq          bool
	down         downHow
	conns        [3]bool
	epoch        int
	mismatch     bool // its license file has another SERVER order (from its last start)
	pendMismatch bool
	order        []string
	runStart     int64
	hangStart    int64
	storm        int // index into planner.storms while hung with a storm, -1 otherwise
	joinPending  bool
	reiso        bool // it was isolated and has connected to a peer again: joining until it accepts a master
	split        bool
	splitDur     int64
	joinDelay    int64
}

type planned struct {
	lines  [3][]line
	points []tpoint
	storms []storm
	notes  []noteAt
	orders [3][]string // a server's own SERVER order when it differs, else nil
	cuts   []cutRec    // network partitions
}

type noteAt struct {
	t      int64
	server int
	what   string
}

type planner struct {
	m      *model
	fl     [3]flavor
	s      [3]*pserver
	legit  int
	alpha  bool // a SERVER order mismatch was logged: elections use alphabetical order
	q      evq
	seq    int
	out    *planned
	runs   [3][][2]int64 // non-hung lmgrd runs, for TIMESTAMP lines
	elecAt int64
	pid    int
	err    error
	now    int64
	cut    [3]bool // the servers a partition in effect cuts off (all false: none)
	cutOn  bool
	cutID  int
	cutBy  *mfault // the partition in effect
}

type pevent struct {
	t   int64
	seq int
	fn  func()
}

type evq []pevent

func (q evq) Len() int { return len(q) }
func (q evq) Less(i, j int) bool {
	if q[i].t != q[j].t {
		return q[i].t < q[j].t
	}
	return q[i].seq < q[j].seq
}
func (q evq) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *evq) Push(x any)   { *q = append(*q, x.(pevent)) }
func (q *evq) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

func (p *planner) at(t int64, fn func()) {
	p.seq++
	heap.Push(&p.q, pevent{t, p.seq, fn})
}

func plan(m *model) (*planned, error) {
	p := &planner{m: m, legit: -1, out: &planned{}, pid: 1800 + int(uint64(m.seed)%97)*4}
	for i := range p.s {
		p.s[i] = &pserver{view: -1, storm: -1}
		p.fl[i] = flavorOf(m.servers[i].platform, m.servers[i].ver)
	}
	p.record(m.start)
	for i := range m.servers {
		p.at(m.servers[i].start, func() { p.start(i, nil) })
	}
	for k := range m.faults {
		f := &m.faults[k]
		p.at(f.at, func() { p.fault(f) })
	}
	for p.q.Len() > 0 && p.err == nil {
		ev := heap.Pop(&p.q).(pevent)
		if ev.t >= m.end {
			break
		}
		p.now = ev.t
		ev.fn()
	}
	if p.err != nil {
		return nil, p.err
	}
	// Close what is still open at the end.
	for i, s := range p.s {
		if s.run != rDown && s.run != rHung {
			p.runs[i] = append(p.runs[i], [2]int64{s.runStart, m.end})
		}
		if s.storm >= 0 {
			p.out.storms[s.storm].to = m.end
		}
	}
	p.timestamps()
	for i := range p.out.lines {
		ls := p.out.lines[i]
		sort.SliceStable(ls, func(a, b int) bool { return ls[a].t < ls[b].t })
		for len(ls) > 0 && ls[len(ls)-1].t >= m.end {
			ls = ls[:len(ls)-1]
		}
		p.out.lines[i] = ls
	}
	return p.out, nil
}

func (p *planner) name(i int) string { return p.m.servers[i].name }

func (p *planner) fail(f *mfault, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("scenario %s: fault %d (%s %s at %s): %s", p.m.sc.Name, f.idx+1, f.Kind, p.name(f.server),
			time.Unix(f.at, 0).In(p.m.loc).Format("2006-01-02 15:04:05"), fmt.Sprintf(format, args...))
	}
}

func (p *planner) note(t int64, server int, format string, args ...any) {
	p.out.notes = append(p.out.notes, noteAt{t, server, fmt.Sprintf(format, args...)})
}

func (p *planner) nextPid() int {
	p.pid += 4 + p.pid%7*4
	if p.pid > 9000 {
		p.pid = 1800 + p.pid%400
	}
	return p.pid
}

// log appends a line to server i's log.
func (p *planner) log(i int, t int64, d daemonKind, text string) *line {
	p.out.lines[i] = append(p.out.lines[i], line{t: t, daemon: d, text: text, peer: -1})
	return &p.out.lines[i][len(p.out.lines[i])-1]
}

func (p *planner) logFact(i int, t int64, text string, k factKind, peer int) {
	l := p.log(i, t, dLmgrd, text)
	l.fact, l.peer = k, int8(peer)
}

// wall is what server i's clock reads at true time t.
func (p *planner) wall(i int, t int64) time.Time {
	return time.Unix(t+p.m.servers[i].offset, 0).In(p.m.loc)
}

// record notes the true state after a change.
func (p *planner) record(t int64) {
	tp := tpoint{t: t, legit: int8(p.legit)}
	for i, s := range p.s {
		tp.run[i], tp.view[i], tp.vendor[i], tp.noq[i], tp.down[i] = s.run, int8(s.view), s.vendor, s.noq, s.down
		for j, o := range p.s {
			tp.relink[i] = tp.relink[i] || (j != i && s.reiso && o.reiso && s.conns[j])
		}
	}
	pts := p.out.points
	if n := len(pts); n > 0 {
		last := pts[n-1]
		last.t = t
		if last == tp {
			return
		}
		if pts[n-1].t == t {
			pts[n-1] = tp
			return
		}
	}
	p.out.points = append(pts, tp)
}

func (p *planner) running(i int) bool {
	r := p.s[i].run
	return r == rJoining || r == rUp
}

func (p *planner) fault(f *mfault) {
	i := f.server
	s := p.s[i]
	switch f.Kind {
	case KindCrash:
		if s.run == rDown {
			p.fail(f, "it is already down")
			return
		}
		how := downMachine
		if f.Process {
			how = downProcess
		}
		hung := s.run == rHung
		p.stop(i, how)
		if f.Process {
			p.note(p.now, i, "lmgrd on %s dies", p.name(i))
		} else {
			p.note(p.now, i, "%s's machine crashes", p.name(i))
		}
		if !hung {
			delay := p.m.hbTime
			if f.Process {
				delay = 0
			}
			p.detectLater(i, p.now+delay, durSec(f.Election, p.m.t.election))
		}
	case KindShutdown:
		if s.run == rDown {
			p.fail(f, "it is already down")
			return
		}
		if s.run == rHung {
			p.stop(i, downShutdown)
			p.note(p.now, i, "the hung lmgrd and vendor daemon on %s are stopped", p.name(i))
			return
		}
		user := orDefault(f.User, "admin")
		p.log(i, p.now, dLmgrd, "SHUTDOWN request from "+user+" at node "+p.name(i))
		p.log(i, p.now, dLmgrd, "lmgrd will now shut down all the vendor daemons")
		if s.vendor {
			p.log(i, p.now, dVendor, "daemon shutdown requested - shutting down")
			if p.legit == i {
				p.log(i, p.now, dVendor, "").ins = true
			}
		}
		p.logFact(i, p.now, "EXITING DUE TO SIGNAL 15", fExiting, -1)
		p.stop(i, downShutdown)
		p.note(p.now, i, "%s is shut down (lmdown)", p.name(i))
		p.detectLater(i, p.now, durSec(f.Election, p.m.t.election))
	case KindRestart, KindHang, KindSplitBrain:
		if s.run == rHung {
			p.stop(i, downProcess)
		}
		if s.run != rDown {
			p.fail(f, "it is running: a return needs a server that is down")
			return
		}
		p.start(i, f)
	case KindVendorExit:
		if s.run != rUp || !s.vendor {
			p.fail(f, "its vendor daemon is not running")
			return
		}
		n := max(f.Repeat, 1)
		every := durSec(f.Every, 600)
		for k := 0; k < n; k++ {
			p.at(p.now+int64(k)*every, func() { p.vendorExit(i, f, k) })
		}
	case KindPartition:
		p.partition(f)
	case KindOrderMismatch:
		s.pendMismatch = true
		s.order = f.Order
		p.out.orders[i] = f.Order
		p.note(p.now, i, "%s's license file gets the SERVER order %s (used from its next start)", p.name(i), strings.Join(f.Order, ", "))
	}
}

// start is a cold start (f nil) or a return.
func (p *planner) start(i int, f *mfault) {
	s := p.s[i]
	t := p.now
	s.epoch++
	s.run = rJoining
	s.view, s.vendor, s.noq, s.conns, s.joinPending, s.split, s.reiso = -1, false, false, [3]bool{}, false, false, false
	for j := range p.s {
		p.s[j].conns[i] = false
	}
	if s.pendMismatch {
		s.mismatch = true
	}
	kind := "cold"
	if f != nil {
		kind = f.Kind
	}
	wall := p.wall(i, t)
	banner := p.fl[i].banner(p.name(i), wall)
	for _, text := range p.fl[i].startup(p.name(i), wall, p.nextPid(), p.m.servers[i].licPath, p.m.port) {
		if text == banner {
			p.logFact(i, t, text, fStart, -1)
		} else {
			p.log(i, t, dLmgrd, text)
		}
	}
	for _, j := range p.peers(i) {
		p.log(i, t, dLmgrd, "Trying connection to "+p.name(j))
	}
	switch kind {
	case "cold":
		p.note(t, i, "lmgrd on %s starts", p.name(i))
	case KindHang:
		p.note(t, i, "%s comes back but hangs: it never rejoins", p.name(i))
	case KindSplitBrain:
		p.note(t, i, "%s comes back", p.name(i))
	default:
		p.note(t, i, "%s comes back", p.name(i))
	}
	if kind == KindHang {
		p.hang(i, f)
		p.record(t)
		return
	}
	s.runStart = t
	s.joinDelay = p.m.t.join
	connect := p.m.t.connect
	if f != nil {
		connect = durSec(f.Connect, p.m.t.rejoinConnect)
		s.joinDelay = durSec(f.Join, p.m.t.join)
		if f.Kind == KindSplitBrain {
			s.split = true
			s.splitDur = max(durSec(f.Duration, 90), 5)
		}
	}
	for _, j := range p.peers(i) {
		if p.running(j) {
			ei, ej := s.epoch, p.s[j].epoch
			p.at(t+connect, func() { p.connect(i, j, ei, ej) })
			if !p.reach(i, j) {
				p.timeOutAcrossCut(i, j, ei, ej)
			}
		}
	}
	p.record(t)
}

// peers are the other two servers in SERVER-line order.
func (p *planner) peers(i int) []int {
	var out []int
	for j := range p.s {
		if j != i {
			out = append(out, j)
		}
	}
	return out
}

// hang: the server's lmgrd listens (lmstat -16) but never connects [KGTN 2010112602].
func (p *planner) hang(i int, f *mfault) {
	s := p.s[i]
	t := p.now
	s.run = rHung
	s.hangStart = t
	e := s.epoch
	alive := func() bool { return s.epoch == e && s.run == rHung }
	for _, j := range p.peers(i) {
		if p.running(j) {
			ej := p.s[j].epoch
			p.at(t+p.m.t.cannot, func() {
				if alive() && p.s[j].epoch == ej && p.running(j) && p.reach(i, j) {
					p.logFact(j, p.now, "Cannot connect to "+p.name(i)+" after incoming connection", fCannotConnect, i)
				}
			})
		}
	}
	timedOut := func() {
		if alive() {
			for _, j := range p.peers(i) {
				p.log(i, p.now, dLmgrd, "Connection to "+p.name(j)+" TIMED OUT")
			}
		}
	}
	p.at(t+33, timedOut)
	p.at(t+48, func() {
		if !alive() {
			return
		}
		p.log(i, p.now, dLmgrd, "INTERNAL error: Please report the following to your vendor")
		p.log(i, p.now, dLmgrd, "ATTEMPT TO START VENDOR DAEMON "+p.m.vendor+" with NO MASTER")
		p.vendorLines(i, p.now, false, false) // with no master it serves no feature: no feature list
	})
	if !f.Storm {
		for _, d := range []int64{113, 193, 273} {
			p.at(t+d, timedOut)
		}
		return
	}
	every := max(durSec(f.Every, 2), 1)
	st := storm{server: i, from: t + 48 + every, to: p.m.end, every: every}
	for _, j := range p.peers(i) {
		st.peerNames = append(st.peerNames, p.name(j))
	}
	s.storm = len(p.out.storms)
	p.out.storms = append(p.out.storms, st)
	p.note(t+48+every, i, "%s's log fills with TIMED OUT lines (a pair every %ds)", p.name(i), every)
}

// stop ends server i's lmgrd at the current time.
func (p *planner) stop(i int, how downHow) {
	s := p.s[i]
	if s.run == rJoining || s.run == rUp {
		p.runs[i] = append(p.runs[i], [2]int64{s.runStart, p.now})
	}
	if s.storm >= 0 {
		p.out.storms[s.storm].to = p.now
		s.storm = -1
	}
	s.run, s.down, s.vendor, s.view, s.noq, s.joinPending, s.split, s.reiso = rDown, how, false, -1, false, false, false, false
	s.epoch++
	s.conns = [3]bool{}
	if p.legit == i {
		p.legit = -1
	}
	p.record(p.now)
}

// detectLater: at td the peers of server i notice it is gone.
func (p *planner) detectLater(i int, td int64, election int64) {
	e := p.s[i].epoch
	p.at(td, func() { p.detect(i, e, election) })
}

func (p *planner) detect(i, e int, election int64) {
	if p.s[i].epoch != e {
		return // it came back before its peers noticed
	}
	t := p.now
	var lost [3][]int
	var losers []int
	for j, s := range p.s {
		if j == i || !s.conns[i] || !p.running(j) {
			continue
		}
		lost[j] = []int{i}
		losers = append(losers, j)
	}
	p.lose(t, lost)
	if len(losers) > 0 {
		names := make([]string, len(losers))
		for k, j := range losers {
			names[k] = p.name(j)
		}
		p.note(t, -1, "%s lose %s", strings.Join(names, " and "), p.name(i))
	}
	p.record(t)
	p.maybeElection(t, election)
}

// lose: at t each server j loses its links to the servers lost[j] and logs "Lost connection to"
// each; then an up server left with no link logs that it lost quorum (it is isolated), and one
// that lost its master (but not its quorum) logs that and waits for an election (FORMATS.md
// 1.4: the v9.2 main loop logs one or the other, then shuts its vendor daemons down). It
// returns the servers that lost their quorum.
func (p *planner) lose(t int64, lost [3][]int) []int {
	var isolated []int
	for j, s := range p.s {
		if len(lost[j]) == 0 {
			continue
		}
		masterLost := false
		for _, k := range lost[j] {
			s.conns[k] = false
			p.logFact(j, t, "Lost connection to "+p.name(k), fLost, k)
			masterLost = masterLost || s.view == k
		}
		others := 0
		for k := range s.conns {
			if s.conns[k] {
				others++
			}
		}
		if s.run == rJoining && s.reiso && others == 0 {
			// isolated, connected again, and alone again before it accepted a master: its
			// quorum is lost once more
			s.run, s.reiso, s.joinPending = rUp, false, false
		} else if s.run != rUp {
			continue
		}
		switch {
		case others == 0:
			p.logFact(j, t, "lmgrd lost quorum.  lmgrd will now only", fLostQuorum, -1)
			p.log(j, t, dLmgrd, "process connection requests from other lmgrd processes")
			p.shutVendors(j, t)
			s.view, s.noq = -1, true
			if p.legit == j {
				p.legit = -1
			}
			isolated = append(isolated, j)
		case masterLost:
			p.logFact(j, t, "Lost connection to master", fLostMaster, -1)
			p.log(j, t, dLmgrd, "lmgrd will now attempt to select a new master")
			p.shutVendors(j, t)
			s.view = -1
		}
	}
	return isolated
}

func (p *planner) shutVendors(j int, t int64) {
	if !p.s[j].vendor {
		return
	}
	p.log(j, t, dLmgrd, "lmgrd will now shut down all vendor daemons")
	p.log(j, t, dLmgrd, "SHUTting down "+p.m.vendor)
	p.s[j].vendor = false
}

func (p *planner) connect(i, j, ei, ej int) {
	si, sj := p.s[i], p.s[j]
	if si.epoch != ei || sj.epoch != ej || !p.running(i) || !p.running(j) || si.conns[j] || !p.reach(i, j) {
		return
	}
	t := p.now
	p.logFact(i, t, "Connected to "+p.name(j), fConnected, j)
	p.logFact(j, t, "Connected to "+p.name(i), fConnected, i)
	si.conns[j], sj.conns[i] = true, true
	ui, uj := p.unisolate(i), p.unisolate(j)
	if ui || uj {
		p.record(t)
	}
	if si.mismatch != sj.mismatch {
		for _, k := range []int{i, j} {
			p.log(k, t, dLmgrd, "License File SERVER line order mismatch.")
			p.log(k, t, dLmgrd, "Using alphabetical order")
		}
		if !p.alpha {
			p.note(t, -1, "%s and %s find their SERVER lines in different order: from now on the triad uses alphabetical order", p.name(min(i, j)), p.name(max(i, j)))
		}
		p.alpha = true
	}
	p.afterConnect(t)
}

// validMaster tells a server that claims master.
func (p *planner) validMaster(m int) bool {
	return m >= 0 && p.s[m].run == rUp && p.s[m].view == m
}

// afterConnect: joining servers that reach a master join it; otherwise an election may follow.
func (p *planner) afterConnect(t int64) {
	for x, s := range p.s {
		if s.run != rJoining || s.joinPending {
			continue
		}
		if p.masterFor(x) >= 0 {
			s.joinPending = true
			e := s.epoch
			p.at(t+s.joinDelay, func() { p.join(x, e) })
		}
	}
	delay := p.m.t.coldElection
	for _, s := range p.s {
		if s.run == rUp || s.reiso {
			delay = p.m.t.election
		}
	}
	p.maybeElection(t, delay)
}

// masterFor is the master that a connected, up peer of x accepts, or -1.
func (p *planner) masterFor(x int) int {
	for y, sy := range p.s {
		if y != x && p.s[x].conns[y] && sy.run == rUp && p.validMaster(sy.view) {
			return sy.view
		}
	}
	return -1
}

func (p *planner) join(x, e int) {
	s := p.s[x]
	if s.epoch != e || s.run != rJoining {
		return
	}
	s.joinPending = false
	t := p.now
	m := p.masterFor(x)
	if m < 0 {
		p.maybeElection(t, p.m.t.election)
		return
	}
	switch {
	case s.split && m != x:
		p.logFact(x, t, "CONNECTED, master is "+p.name(x), fMasterIs, x)
		p.log(x, t, dLmgrd, "Starting vendor daemons ... ")
		p.vendorLines(x, t, false, true)
		s.run, s.view, s.noq, s.reiso = rUp, x, false, false
		p.note(t, x, "%s wrongly declares itself master while %s is master: two masters", p.name(x), p.name(m))
		p.record(t)
		d := s.splitDur
		p.at(t+d-2, func() {
			if s.epoch != e || s.view != x {
				return
			}
			base := p.fl[x].exitBase()
			p.log(x, p.now, dVendor, "ERROR: "+p.name(m)+" thought "+p.name(x)+" was master")
			p.log(x, p.now, dVendor, fmt.Sprintf("EXITING DUE TO SIGNAL %d Exit reason 11", base+11))
			s.vendor = false
			p.record(p.now)
		})
		p.at(t+d, func() {
			if s.epoch != e || s.view != x {
				return
			}
			if !s.vendor {
				p.log(x, p.now, dLmgrd, fmt.Sprintf("%s exited with status %d (%s)", p.m.vendor, p.fl[x].exitBase()+11, exitWhy[11]))
			}
			s.split = false
			if p.validMaster(m) && s.conns[m] {
				p.logFact(x, p.now, "selected (EXISTING) master "+p.name(m), fMasterIs, m)
				p.log(x, p.now, dLmgrd, "Starting vendor daemons ... ")
				p.vendorLines(x, p.now, false, true)
				s.view = m
				p.note(p.now, x, "%s accepts %s as master", p.name(x), p.name(m))
			} else {
				s.view = -1
			}
			p.record(p.now)
			p.maybeElection(p.now, p.m.t.election)
		})
	case p.m.pim && x == 0 && m != 0 && !p.alpha:
		for y, sy := range p.s {
			if y == x || (sy.run == rUp && s.conns[y]) {
				p.logFact(y, t, "CONNECTED, master is "+p.name(x), fMasterIs, x)
				sy.view = x
			}
		}
		p.log(x, t, dLmgrd, "Starting vendor daemons ... ")
		p.vendorLines(x, t, false, true)
		s.run, s.noq, s.reiso = rUp, false, false
		p.legit = x
		p.note(t, x, "PRIMARY_IS_MASTER: the master moves back from %s to %s", p.name(m), p.name(x))
		p.record(t)
	default:
		p.logFact(x, t, "selected (EXISTING) master "+p.name(m), fMasterIs, m)
		p.log(x, t, dLmgrd, "Starting vendor daemons ... ")
		p.vendorLines(x, t, false, true)
		s.run, s.view, s.noq, s.reiso = rUp, m, false, false
		p.note(t, x, "%s rejoins; %s stays master", p.name(x), p.name(m))
		p.record(t)
	}
}

// vendorLines writes a vendor daemon's start: lmgrd's Started/REStarted line and the vendor's
// version line now; when it runs (run), its feature list (and on Windows lmgrd's port line) a
// second later, and it serves from then on. A vendor daemon started with no master (a hung
// return) writes only its first line, as in the sample.
func (p *planner) vendorLines(i int, t int64, restart, run bool) {
	fl := p.fl[i]
	word := "Started "
	if restart {
		word = "REStarted "
	}
	pid := p.nextPid()
	if fl.windows {
		p.log(i, t, dLmgrd, fmt.Sprintf("%s%s (pid %d)", word, p.m.vendor, pid))
	} else {
		p.log(i, t, dLmgrd, fmt.Sprintf("%s%s (internet tcp_port %d pid %d)", word, p.m.vendor, p.m.vport, pid))
	}
	if v := fl.vendorVersion(); v != "" {
		p.log(i, t, dVendor, v)
	}
	if !run {
		return
	}
	for _, text := range featureList(p.name(i), p.m.features) {
		p.log(i, t+1, dVendor, text)
	}
	if fl.windows {
		p.log(i, t+1, dLmgrd, p.m.vendor+" using TCP-port "+strconv.Itoa(p.m.vport))
	}
	s := p.s[i]
	e := s.epoch
	p.at(t+1, func() {
		if s.epoch == e && s.run == rUp && !s.vendor {
			s.vendor = true
			p.record(p.now)
		}
	})
}

// electorate: running servers without a master, each connected to another of them.
func (p *planner) electorate() []int {
	var cand []int
	for x, s := range p.s {
		if (s.run == rJoining) || (s.run == rUp && s.view < 0) {
			cand = append(cand, x)
		}
	}
	var out []int
	for _, x := range cand {
		for _, y := range cand {
			if x != y && p.s[x].conns[y] {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func (p *planner) maybeElection(t int64, delay int64) {
	if p.elecAt != 0 {
		return
	}
	for x := range p.s {
		if p.validMaster(x) && p.legit == x {
			return
		}
	}
	if len(p.electorate()) < 2 {
		return
	}
	p.elecAt = t + delay
	p.at(t+delay, p.election)
}

// order is the SERVER order elections use: file order, or alphabetical after a mismatch.
func (p *planner) order() []int {
	o := []int{0, 1, 2}
	if p.alpha {
		sort.Slice(o, func(a, b int) bool { return strings.ToLower(p.name(o[a])) < strings.ToLower(p.name(o[b])) })
	}
	return o
}

func (p *planner) election() {
	p.elecAt = 0
	t := p.now
	for x := range p.s {
		if p.validMaster(x) && p.legit == x {
			p.afterConnect(t)
			return
		}
	}
	el := p.electorate()
	if len(el) < 2 {
		return
	}
	in := map[int]bool{}
	for _, x := range el {
		in[x] = true
	}
	m := -1
	for _, x := range p.order()[:2] { // the third in order is never master
		if in[x] {
			m = x
			break
		}
	}
	if m < 0 {
		return
	}
	for _, x := range el {
		s := p.s[x]
		p.logFact(x, t, "CONNECTED, master is "+p.name(m), fMasterIs, m)
		p.log(x, t, dLmgrd, "Starting vendor daemons ... ")
		p.vendorLines(x, t, false, true)
		s.run, s.view, s.noq, s.joinPending, s.reiso = rUp, m, false, false, false
	}
	p.legit = m
	names := make([]string, len(el))
	for k, x := range el {
		names[k] = p.name(x)
	}
	p.note(t, m, "%s agree that %s is master", strings.Join(names, ", "), p.name(m))
	p.record(t)
}

func (p *planner) vendorExit(i int, f *mfault, k int) {
	s := p.s[i]
	if s.run != rUp || !s.vendor {
		return // the server or its vendor daemon went down meanwhile
	}
	t := p.now
	reason := f.Reason
	if reason == 0 {
		reason = 5
	}
	status := p.fl[i].exitBase() + reason
	switch reason {
	case 5:
		p.log(i, t, dVendor, "Lost connection to lmgrd, heartbeat timeout expired, exiting.")
	case 7:
		p.log(i, t, dVendor, "No master, exiting")
	}
	p.log(i, t, dVendor, fmt.Sprintf("EXITING DUE TO SIGNAL %d Exit reason %d", status, reason))
	if p.legit == i {
		p.log(i, t, dVendor, "").ins = true
	}
	s.vendor = false
	p.record(t)
	why := exitWhy[reason]
	if why == "" {
		why = "Unknown"
	}
	p.log(i, t+1, dLmgrd, fmt.Sprintf("%s exited with status %d (%s)", p.m.vendor, status, why))
	down := durSec(f.Down, 0)
	if restartable(reason) {
		p.log(i, t+1, dLmgrd, "Since this is an unknown status, license server ")
		p.log(i, t+1, dLmgrd, "manager (lmgrd) will attempt to re-start the vendor daemon.")
	} else {
		p.log(i, t+1, dLmgrd, "Please correct problem and restart daemons")
		if f.Down == 0 {
			down = 300
		}
	}
	p.note(t, i, "the vendor daemon %s on %s exits (status %d, exit reason %d)", p.m.vendor, p.name(i), status, reason)
	e := s.epoch
	p.at(t+1+down, func() {
		if s.epoch != e || s.run != rUp || s.vendor {
			return
		}
		p.vendorLines(i, p.now, true, true)
		if down > 0 {
			p.note(p.now, i, "%s's vendor daemon is started again", p.name(i))
		}
	})
}

// timestamps adds lmgrd's TIMESTAMP lines, every 6 h from each start while it runs.
func (p *planner) timestamps() {
	for i, runs := range p.runs {
		for _, r := range runs {
			for t := r[0] + 6*3600; t < r[1] && t < p.m.end; t += 6 * 3600 {
				w := p.wall(i, t)
				y, mo, d := w.Date()
				p.log(i, t, dLmgrd, fmt.Sprintf("TIMESTAMP %d/%d/%d", int(mo), d, y))
			}
		}
	}
}
