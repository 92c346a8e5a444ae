package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Truth is what really happened, and what each set of evidence could show of it (truth.json).
type Truth struct {
	Schema                  string        `json:"schema"` // lmtriad.truth/v1
	Scenario                string        `json:"scenario"`
	Timezone                string        `json:"timezone"`
	Start                   time.Time     `json:"start"`
	End                     time.Time     `json:"end"`
	RejoinGraceSeconds      int64         `json:"rejoin_grace_seconds"`
	HeartbeatTimeoutSeconds int64         `json:"heartbeat_timeout_seconds"`
	ToleranceSeconds        int64         `json:"tolerance_seconds"` // max(2 lmstat intervals, 3 min)
	PrimaryIsMaster         bool          `json:"primary_is_master"`
	Servers                 []TruthServer `json:"servers"`
	Lmstat                  *TruthLmstat  `json:"lmstat,omitempty"`
	Files                   []string      `json:"files"`
	Story                   []Note        `json:"story"`
	Partitions              []Partition   `json:"partitions,omitempty"` // network partitions (fault kind partition)
	True                    Timeline      `json:"true"`
	Observed                Observations  `json:"observed"`

	sim *simState // for Observe
}

// TruthServer is one member as simulated.
type TruthServer struct {
	Name          string `json:"name"`
	Role          string `json:"role"`
	HostID        string `json:"hostid"`
	Platform      string `json:"platform"`
	Version       string `json:"version"`
	OffsetSeconds int64  `json:"offset_seconds"` // its clock minus true time
	Log           string `json:"log"`
	Lines         int    `json:"lines"`
}

// TruthLmstat describes the lmstat output.
type TruthLmstat struct {
	File            string    `json:"file"`
	IntervalSeconds int64     `json:"interval_seconds"`
	Second          int64     `json:"second"` // runs at this second of each interval of its clock
	OffsetSeconds   int64     `json:"offset_seconds"`
	Stamps          bool      `json:"stamps"`
	Snapshots       int       `json:"snapshots"`
	FirstRun        time.Time `json:"first_run,omitempty"`
	LastRun         time.Time `json:"last_run,omitempty"`
	Gaps            []Span    `json:"gaps,omitempty"` // collection stopped: no run in [start, end)
}

// Partition is one network partition: from Start to End (when the network was back, possibly
// after the end of the evidence) the network cut Servers off from the Others; every lmgrd kept
// running. Noticed is when both sides gave each other up, one heartbeat timeout after Start
// (absent when no link crossed the cut then: the network was back before, or the servers on one
// side were down).
type Partition struct {
	Servers []string   `json:"servers"`
	Others  []string   `json:"others"`
	Start   time.Time  `json:"start"`
	End     time.Time  `json:"end"`
	Noticed *time.Time `json:"noticed,omitempty"`
}

// Span is a time span [start, end).
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Timeline is a list of intervals and, for comparisons, their states in order.
type Timeline struct {
	States    []string   `json:"states"`
	Intervals []Interval `json:"intervals"`
}

// Interval is a maximal run of one state with the same masters and the same servers not up,
// as the analyzer reports them.
type Interval struct {
	Start   time.Time         `json:"start"`
	End     time.Time         `json:"end"`
	Seconds int64             `json:"seconds"`
	State   string            `json:"state"`
	Masters []string          `json:"masters"`
	Servers map[string]string `json:"servers"` // statuses at the interval's start
}

// Observed is what one set of evidence can show. Its times are on its reference clock (true
// time plus ReferenceOffsetSeconds): the first SERVER line's host for "both" and "logs", the
// lmstat host for "lmstat", as the analyzer reads them.
type Observed struct {
	Files                  []string `json:"files"`
	Reference              string   `json:"reference"`
	ReferenceOffsetSeconds int64    `json:"reference_offset_seconds"`
	Timeline
}

// Observations are the three evidence sets.
type Observations struct {
	Both   *Observed `json:"both"`
	Lmstat *Observed `json:"lmstat,omitempty"` // nil when no lmstat was collected
	Logs   *Observed `json:"logs"`
}

// EvidenceSets names the sets of evidence truth.json describes.
var EvidenceSets = []string{"both", "lmstat", "logs"}

// Evidence returns one set of evidence by name ("both", "lmstat", "logs"); nil when the
// incident has no such evidence (no lmstat output).
func (tr Truth) Evidence(name string) *Observed {
	switch name {
	case "both":
		return tr.Observed.Both
	case "lmstat":
		return tr.Observed.Lmstat
	case "logs":
		return tr.Observed.Logs
	}
	return nil
}

// JSON is truth.json.
func (tr Truth) JSON() []byte {
	b, err := json.MarshalIndent(tr, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// ---- statuses and rules (TRIAD.md section 4) ----

type status uint8

const (
	stUnknown status = iota
	stUp
	stJoining
	stDown
	stUnresponsive
	stIsolated // its lmgrd runs outside every quorum (lost quorum, lmstat -20): not up
)

var statusNames = [...]string{"unknown", "up", "joining", "down", "unresponsive", "isolated"}

// State names.
const (
	Unknown      = "unknown"
	Starting     = "starting"
	FailedRejoin = "failed-rejoin"
	DualMaster   = "dual-master"
	NoQuorum     = "no-quorum"
	Masterless   = "masterless"
	Degraded     = "degraded"
	Normal       = "normal"
)

type episode struct {
	server     int
	start, end int64 // end < 0 while open
	failed     bool
}

// opoint is the triad as known after everything at one moment.
type opoint struct {
	t        int64
	st       [3]status
	q        [3]bool
	relink   [3]bool // joining servers that count as up for the quorum (the exception of TRIAD.md section 4)
	was      [3]bool // unknown servers that claimed master when they became unknown
	masters  []int
	episodes []int // open
	startOK  bool
	// startOK, but only possibly: an unknown server may have run since the joining servers
	// started, or a -16 server's return may have been later than seen
	startMaybe bool
	state      string
}

type span struct{ start, end int64 }

// classifier turns points into intervals.
type classifier struct {
	points   []opoint
	episodes []episode
	cover    []span
	grace    int64
	names    [3]string
}

func (c *classifier) classify() {
	c.cover = unionSpans(c.cover)
	var lastCovered int64 = math.MinInt64
	if n := len(c.cover); n > 0 {
		lastCovered = c.cover[n-1].end
	}
	for k := range c.episodes {
		e := &c.episodes[k]
		deadline := e.start + c.grace
		if e.end < 0 {
			e.failed = lastCovered >= deadline
		} else {
			e.failed = e.end > deadline
		}
	}
	for k := range c.points {
		c.points[k].state = c.stateOf(&c.points[k])
	}
}

// stateOf: an unknown server could be down, up (and then master if it was when it became
// unknown, or an up server names it) or joining (returned unseen: perhaps a cold start); an
// unresponsive one (lmstat -16) may as well be joining, as a server answers -16 while it
// elects. When the possibilities give different states, the state is unknown.
func (c *classifier) stateOf(p *opoint) string {
	var unknown, stuck []int
	running := false // an isolated lmgrd runs: no cold start
	for i, s := range p.st {
		switch s {
		case stUnknown:
			unknown = append(unknown, i)
		case stUnresponsive:
			stuck = append(stuck, i)
		case stIsolated:
			running = true
		}
	}
	n := 1
	for range unknown {
		n *= 3
	}
	n <<= len(stuck)
	if p.startMaybe {
		n *= 2 // a cold start only possible: with and without
	}
	var result string
	for code := 0; code < n; code++ {
		st, q, masters := p.st, p.q, p.masters
		pt := *p
		x := code
		if p.startMaybe {
			pt.startOK = x%2 == 0
			x /= 2
		}
		for _, i := range stuck {
			if x%2 == 1 {
				st[i] = stJoining
			}
			x /= 2
		}
		for _, i := range unknown {
			switch x % 3 {
			case 0:
				st[i], q[i] = stDown, false
			case 1:
				st[i], q[i] = stUp, true
				if p.was[i] {
					masters = append(append([]int(nil), masters...), i)
				}
			case 2:
				st[i], q[i] = stJoining, false
				if !running {
					pt.startOK = true
				}
			}
			x /= 3
		}
		s := c.rules(&pt, st, q, masters)
		if code == 0 {
			result = s
		} else if s != result {
			return Unknown
		}
	}
	return result
}

// The truth's classification is TRIAD.md section 4's table written as data: each row names
// a state, says its rule in the document's words, and tests it on the facts of one moment.
// It shares no code with the analyzer on purpose: the property test compares the two, and a
// rule copied from the analyzer would agree with the analyzer's mistakes. What is alike is
// the table both follow, which a reader can check row by row against the document.

// facts are the counts the rules of TRIAD.md section 4 speak of, at one moment. Only up servers
// count as up: an isolated, joining or unresponsive server does not, with the one exception of
// the section: servers that were isolated and have connected to each other again count as up
// (and in the quorum) until their election ends.
type facts struct {
	up, joining, inQuorum int  // servers up; joining; up and connected to a quorum
	masters               int  // servers claiming master
	startOK               bool // no server was up or isolated since the joining servers started (an isolated lmgrd kept running: no cold start)
	stuckReturn           bool // a return past its grace, still joining or unresponsive, while the other two hold quorum and a master
}

// stateRules are the rows of TRIAD.md section 4's table after "unknown" (which is decided
// before: no input covers the time, or the unknown servers could make it several states).
// The first row whose test holds gives the state.
var stateRules = []struct {
	state string
	rule  string
	holds func(f facts) bool
}{
	{Starting, "a cold start: at least one server joining, none up, and no master seen since those servers started",
		func(f facts) bool { return f.joining > 0 && f.up == 0 && f.masters == 0 && f.startOK }},
	{FailedRejoin, "a server came back and has not rejoined within the rejoin grace, while the other two hold the triad (quorum and a master)",
		func(f facts) bool { return f.stuckReturn }},
	{DualMaster, "two or more servers claim MASTER at the same time",
		func(f facts) bool { return f.masters >= 2 }},
	{NoQuorum, "fewer than two servers up and connected",
		func(f facts) bool { return f.inQuorum < 2 }},
	{Masterless, "two or more up, none is master",
		func(f facts) bool { return f.masters == 0 }},
	{Degraded, "exactly two up, one master",
		func(f facts) bool { return f.up == 2 }},
	{Normal, "three up, exactly one master",
		func(facts) bool { return true }},
}

// rules gives the state of a moment with these statuses (unknown servers already assumed up
// or down by stateOf).
func (c *classifier) rules(p *opoint, st [3]status, q [3]bool, masters []int) string {
	f := facts{masters: len(masters), startOK: p.startOK}
	for i, s := range st {
		switch {
		case s == stUp:
			f.up++
			if q[i] {
				f.inQuorum++
			}
		case s == stJoining && p.relink[i]:
			f.up++
			f.inQuorum++
		case s == stJoining:
			f.joining++
		}
	}
	for _, k := range p.episodes {
		e := c.episodes[k]
		if !e.failed || p.t < e.start || (st[e.server] != stJoining && st[e.server] != stUnresponsive) {
			continue
		}
		others, master := 0, false
		for i, s := range st {
			if i != e.server && s == stUp && q[i] {
				others++
			}
		}
		for _, m := range masters {
			master = master || m != e.server
		}
		f.stuckReturn = f.stuckReturn || (others >= 2 && master)
	}
	for _, r := range stateRules {
		if r.holds(f) {
			return r.state
		}
	}
	return Unknown // not reached: the last row always holds
}

// intervals builds maximal intervals over the covered time; init is the point before any.
func (c *classifier) intervals(init opoint, loc *time.Location, shift int64) []Interval {
	if len(c.cover) == 0 {
		return nil
	}
	first, last := c.cover[0].start, c.cover[len(c.cover)-1].end
	times := []int64{first}
	for _, p := range c.points {
		if p.t >= first && p.t < last {
			times = append(times, p.t)
		}
	}
	for _, s := range c.cover {
		times = append(times, s.start, s.end)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	init.startOK = true
	init.state = c.stateOf(&init)
	var out []Interval
	var cur *Interval
	var curUp [3]bool
	pi := -1
	for k, t := range times {
		if t >= last || (k > 0 && t == times[k-1]) {
			continue
		}
		for pi+1 < len(c.points) && c.points[pi+1].t <= t {
			pi++
		}
		p := &init
		if pi >= 0 {
			p = &c.points[pi]
		}
		state := p.state
		covered := c.covered(t)
		if !covered {
			state = Unknown
		}
		masters := []string{}
		servers := map[string]string{}
		var up [3]bool
		for i := range p.st {
			st := p.st[i]
			if !covered {
				st = stUnknown
			}
			servers[c.names[i]] = statusNames[st]
			up[i] = st == stUp
		}
		if covered {
			for _, m := range p.masters {
				masters = append(masters, c.names[m])
			}
		}
		if cur != nil && cur.State == state && strings.Join(cur.Masters, ",") == strings.Join(masters, ",") && curUp == up {
			continue
		}
		if cur != nil {
			cur.End = time.Unix(t+shift, 0).In(loc)
			out = append(out, *cur)
		}
		cur = &Interval{Start: time.Unix(t+shift, 0).In(loc), State: state, Masters: masters, Servers: servers}
		curUp = up
	}
	if cur != nil {
		cur.End = time.Unix(last+shift, 0).In(loc)
		out = append(out, *cur)
	}
	for k := range out {
		out[k].Seconds = out[k].End.Unix() - out[k].Start.Unix()
	}
	return out
}

func (c *classifier) covered(t int64) bool {
	for _, s := range c.cover {
		if t >= s.start && t < s.end {
			return true
		}
	}
	return false
}

func unionSpans(in []span) []span {
	s := append([]span(nil), in...)
	sort.Slice(s, func(i, j int) bool { return s[i].start < s[j].start })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

// sweeper keeps points, episodes and the lastUp/startOK bookkeeping while statuses change.
// relink is set by the caller before each point: the joining servers that count as up for the
// quorum (servers that were isolated and have connected to each other again).
type sweeper struct {
	c      *classifier
	st     [3]status
	q      [3]bool
	relink [3]bool
	ep     [3]int
	lastUp int64
	everUp bool
	// the last moment a server was unknown (it may have run until then)
	lastMaybe int64
	everMaybe bool
}

func newSweeper(c *classifier, initial status) *sweeper {
	s := &sweeper{c: c, ep: [3]int{-1, -1, -1}}
	for i := range s.st {
		s.st[i] = initial
	}
	return s
}

// set changes server i's status at t, keeping return episodes: from a return (ret: a banner,
// or a first answer other than down after being down) until the server is up or down again.
func (s *sweeper) set(i int, st status, q bool, t int64, ret bool) bool {
	if s.st[i] == st && s.q[i] == q {
		return false
	}
	prev := s.st[i]
	s.st[i], s.q[i] = st, q
	returning := func(x status) bool { return x == stJoining || x == stUnresponsive }
	switch {
	case returning(st):
		// a return; or, unknown before (the evidence begins or resumes), a return before it
		if s.ep[i] < 0 && (ret || prev == stUnknown) && !returning(prev) {
			s.c.episodes = append(s.c.episodes, episode{server: i, start: t, end: -1})
			s.ep[i] = len(s.c.episodes) - 1
		}
	case st == stUnknown && s.ep[i] >= 0 && t >= s.lastCovered():
		// the evidence ends: the return is still open
	default:
		if s.ep[i] >= 0 {
			s.c.episodes[s.ep[i]].end = t
			s.ep[i] = -1
		}
	}
	return true
}

// lastCovered is the end of the last time the evidence covers.
func (s *sweeper) lastCovered() int64 {
	end := int64(math.MinInt64)
	for _, c := range s.c.cover {
		end = max(end, c.end)
	}
	return end
}

// point records the state after everything at t. late[i], when not 0, is the latest moment
// that server i's return may have been: a server lmstat shows -16 run after run, its own log
// silent, may have restarted unseen between two runs.
func (s *sweeper) point(t int64, masters []int, was [3]bool, late [3]int64) {
	p := opoint{t: t, st: s.st, q: s.q, relink: s.relink, masters: masters, was: was}
	// an unknown server may have run until it became known again: since then, a cold start
	// is only possible
	if n := len(s.c.points); n > 0 && slices.Contains(s.c.points[n-1].st[:], stUnknown) {
		s.lastMaybe, s.everMaybe = t, true
	}
	// a server up or isolated now keeps this from being a cold start (an up server rules
	// "starting" out anyway; an isolated lmgrd has been running all along)
	for i, x := range p.st {
		if x == stUp || x == stIsolated || (x == stJoining && p.relink[i]) {
			s.lastUp, s.everUp = t, true
		}
	}
	earliest, latest := int64(math.MaxInt64), int64(math.MaxInt64)
	for i, e := range s.ep {
		if e >= 0 {
			p.episodes = append(p.episodes, e)
			start := s.c.episodes[e].start
			earliest = min(earliest, start)
			if p.st[i] == stUnresponsive && late[i] > start {
				start = late[i]
			}
			latest = min(latest, start)
		}
	}
	p.startOK = !s.everUp || (latest != math.MaxInt64 && s.lastUp < latest)
	sure := (!s.everUp || (earliest != math.MaxInt64 && s.lastUp < earliest)) &&
		(!s.everMaybe || (earliest != math.MaxInt64 && s.lastMaybe < earliest))
	p.startMaybe = p.startOK && !sure
	s.c.points = append(s.c.points, p)
}

// ---- truth ----

func truthOf(m *model, pl *planned, r *renderer) Truth {
	tr := Truth{
		Schema:                  "lmtriad.truth/v1",
		Scenario:                m.sc.Name,
		Timezone:                m.loc.String(),
		Start:                   time.Unix(m.start, 0).In(m.loc),
		End:                     time.Unix(m.end, 0).In(m.loc),
		RejoinGraceSeconds:      m.grace,
		HeartbeatTimeoutSeconds: m.hbTime,
		ToleranceSeconds:        max(180, 2*m.lm.interval),
		PrimaryIsMaster:         m.pim,
		Files:                   fileNames(m, pl),
	}
	roles := []string{"primary", "secondary", "tertiary"}
	var names [3]string
	for i, s := range m.servers {
		names[i] = s.name
		tr.Servers = append(tr.Servers, TruthServer{Name: s.name, Role: roles[i], HostID: s.hostid, Platform: s.platform,
			Version: s.ver.text, OffsetSeconds: s.offset, Log: s.name + ".log", Lines: r.logs[i].n})
	}
	if m.lm.on {
		tl := &TruthLmstat{File: "lmstat.log", IntervalSeconds: m.lm.interval, Second: m.lm.second, OffsetSeconds: m.lm.offset, Stamps: m.lm.stamps, Snapshots: len(r.snaps)}
		if n := len(r.snaps); n > 0 {
			tl.FirstRun = time.Unix(r.snaps[0].run, 0).In(m.loc)
			tl.LastRun = time.Unix(r.snaps[n-1].run, 0).In(m.loc)
		}
		for _, g := range m.lm.gaps {
			tl.Gaps = append(tl.Gaps, Span{time.Unix(g[0], 0).In(m.loc), time.Unix(g[1], 0).In(m.loc)})
		}
		tr.Lmstat = tl
	}
	for _, n := range pl.notes {
		note := Note{At: time.Unix(n.t, 0).In(m.loc), What: n.what}
		if n.server >= 0 {
			note.Server = m.servers[n.server].name
		}
		tr.Story = append(tr.Story, note)
	}
	for _, c := range pl.cuts {
		pt := Partition{Start: time.Unix(c.from, 0).In(m.loc), End: time.Unix(c.to, 0).In(m.loc), Servers: []string{}, Others: []string{}}
		for i, in := range c.cut {
			if in {
				pt.Servers = append(pt.Servers, names[i])
			} else {
				pt.Others = append(pt.Others, names[i])
			}
		}
		if c.noticed != 0 {
			noticed := time.Unix(c.noticed, 0).In(m.loc)
			pt.Noticed = &noticed
		}
		tr.Partitions = append(tr.Partitions, pt)
	}
	tr.True = trueTimeline(m, pl, names)
	tr.sim = &simState{m: m, pl: pl, r: r, names: names}
	var lic, logs []string
	for _, f := range tr.Files {
		switch {
		case strings.HasPrefix(f, "license.dat"):
			lic = append(lic, f)
		case f != "lmstat.log":
			logs = append(logs, f)
		}
	}
	all := evidence{logs: [3]bool{true, true, true}, license: len(lic) > 0}
	tr.Observed.Logs = observe(m, pl, r, names, all)
	tr.Observed.Logs.Files = append(append([]string(nil), lic...), logs...)
	tr.Observed.Both = tr.Observed.Logs
	if m.lm.on && len(r.snaps) > 0 {
		all.lmstat = true
		tr.Observed.Both = observe(m, pl, r, names, all)
		tr.Observed.Both.Files = tr.Files
		tr.Observed.Lmstat = observe(m, pl, r, names, evidence{lmstat: true, license: len(lic) > 0})
		tr.Observed.Lmstat.Files = append(append([]string(nil), lic...), "lmstat.log")
	}
	return tr
}

// simState keeps what Truth.Observe needs (not part of truth.json).
type simState struct {
	m     *model
	pl    *planned
	r     *renderer
	names [3]string
}

// evidence is a set of evidence: which debug logs, and whether lmstat.log.
type evidence struct {
	logs    [3]bool
	lmstat  bool
	license bool // license.dat: the analyzer knows PRIMARY_IS_MASTER
}

func (e evidence) anyLog() bool { return e.logs[0] || e.logs[1] || e.logs[2] }

// Observe is what an analyzer of some of the rendered files can show, computed like the
// "observed" sets of truth.json (see the package documentation): files are names Render wrote
// ("license.dat", "lmstat.log", "<server>.log"); license files are read but add no evidence. A
// server whose log is not among them is judged by its peers' lines and lmstat: it is unknown
// until some evidence speaks of it; a peer that is up and logs "Connected to" it shows it up
// (a peer that is still joining shows it running: joining when it was down); a peer's
// "CONNECTED, master is" or "selected (EXISTING) master" shows up, with quorum, the server it
// names and the servers linked to the writer (a "Connected to" with no "Lost connection to"
// since, and no restart or exit of the writer); each of these lines counts as a log line about
// that server against the snapshots of its run window; a peer's "Lost connection to" it shows
// it down. The reference clock
// is the first SERVER host whose log is given, else the lmstat host. Observe needs the Truth
// that Render returned (not one read back from truth.json).
func (tr Truth) Observe(files []string) (*Observed, error) {
	s := tr.sim
	if s == nil {
		return nil, fmt.Errorf("sim: Observe needs the Truth returned by Render")
	}
	var ev evidence
	known := map[string]bool{}
	for _, f := range tr.Files {
		known[f] = true
	}
	for _, f := range files {
		if !known[f] {
			return nil, fmt.Errorf("sim: %s is not a file of scenario %s", f, tr.Scenario)
		}
		if f == "lmstat.log" {
			ev.lmstat = true
		}
		if strings.HasPrefix(f, "license.dat") {
			ev.license = true
		}
		for i, n := range s.names {
			if f == n+".log" {
				ev.logs[i] = true
			}
		}
	}
	if ev.lmstat && len(s.r.snaps) == 0 {
		ev.lmstat = false
	}
	if !ev.anyLog() && !ev.lmstat {
		return nil, fmt.Errorf("sim: %v: no debug log and no lmstat snapshot", files)
	}
	o := observe(s.m, s.pl, s.r, s.names, ev)
	o.Files = append([]string(nil), files...)
	return o, nil
}

// RepeatedHour counts the debug log lines, and the lmstat snapshots without a stamp line,
// whose wall clock time falls in an hour that repeats when daylight saving time ends (either
// time it happens). Only a Truth that Render returned knows them.
func (tr Truth) RepeatedHour() (logLines, snapshots int) {
	if tr.sim == nil {
		return 0, 0
	}
	for _, lw := range tr.sim.r.logs {
		logLines += lw.repeated
	}
	if lm := tr.sim.r.lm; lm != nil {
		snapshots = lm.repeated
	}
	return logLines, snapshots
}

// Observe renders sc without writing it and returns what the given files can show (see
// Truth.Observe).
func Observe(sc Scenario, files []string) (*Observed, error) {
	tr, err := Render(sc, DiscardOpener(&Counter{}))
	if err != nil {
		return nil, err
	}
	return tr.Observe(files)
}

func statesOf(ivs []Interval) []string {
	out := make([]string, len(ivs))
	for i, iv := range ivs {
		out[i] = iv.State
	}
	return out
}

// trueTimeline classifies the true statuses with the same rules.
func trueTimeline(m *model, pl *planned, names [3]string) Timeline {
	c := &classifier{grace: m.grace, names: names, cover: []span{{m.start, m.end}}}
	sw := newSweeper(c, stDown)
	for _, p := range pl.points {
		up := 0
		for i, r := range p.run {
			if r == rUp && !p.noq[i] {
				up++
			}
		}
		for i, r := range p.run {
			st := stDown
			switch {
			case r == rUp && p.noq[i]:
				st = stIsolated
			case r == rUp:
				st = stUp
			case r == rJoining:
				st = stJoining
			case r == rHung:
				st = stUnresponsive
			}
			sw.set(i, st, st == stUp && up >= 2, p.t, sw.st[i] == stDown)
		}
		sw.relink = p.relink
		var masters []int
		for i := range p.run {
			if p.run[i] == rUp && int(p.view[i]) == i {
				masters = append(masters, i)
			}
		}
		sw.point(p.t, masters, [3]bool{}, [3]int64{})
	}
	c.classify()
	init := opoint{t: m.start, st: [3]status{stDown, stDown, stDown}}
	ivs := c.intervals(init, m.loc, 0)
	return Timeline{States: statesOf(ivs), Intervals: ivs}
}

// ---- observers ----

// ofact is one piece of evidence at a true time: a log line's meaning or an lmstat snapshot.
type ofact struct {
	t        int64
	observer int // server index, 3 for lmstat
	kind     factKind
	peer     int
	snap     *snapRec
}

type oserver struct {
	view        int
	logMasterAt int64
	lmMaster    bool
	lmMasterAt  int64
	lmSeen      bool
}

// oword is one input's word on a server's status (TRIAD.md section 4, "Evidence over time"):
// what it said and when; log words win a tie with a snapshot (a line is exact, a run is
// known only to its minute).
type oword struct {
	st  status
	q   bool
	t   int64
	log bool
	set bool
}

// newer tells whether word a beats word b.
func (a oword) newer(b oword) bool {
	switch {
	case !a.set:
		return false
	case !b.set:
		return true
	}
	return a.t > b.t || (a.t == b.t && a.log && !b.log)
}

// observe is what an analyzer of the chosen evidence could know: the TRIAD.md rules applied to
// the facts as the evidence shows them, at the moments it shows them. Each input's word on a
// server counts only while that input speaks (section 4, "Evidence over time" and "Less
// evidence, never a wrong state"): a server's own log from its first to its last line (not in
// a silence that ends in a new banner), lmstat while its runs cover, a peer's log while the
// peer is up and its log speaks. A server none of them speaks for is unknown.
func observe(m *model, pl *planned, r *renderer, names [3]string, ev evidence) *Observed {
	var facts []ofact
	for i := range pl.lines {
		if !ev.logs[i] {
			continue
		}
		for _, l := range pl.lines[i] {
			if l.fact != fNone {
				facts = append(facts, ofact{t: l.t, observer: i, kind: l.fact, peer: int(l.peer)})
			}
		}
	}
	if ev.lmstat {
		for k := range r.snaps {
			facts = append(facts, ofact{t: r.snaps[k].place, observer: 3, snap: &r.snaps[k]})
		}
	}
	cover := coverOf(r, ev)
	sort.SliceStable(facts, func(a, b int) bool {
		if facts[a].t != facts[b].t {
			return facts[a].t < facts[b].t
		}
		return facts[a].observer < facts[b].observer
	})
	muted := mutedLosses(facts, m.hbTime)
	own := ownCover(r, ev)
	var lmCov []span
	if ev.lmstat {
		lmCov = unionSpans(lmstatCover(r.snaps))
	}
	// the moments an input starts or stops speaking, where a status may change without a fact
	var edges []int64
	for i := range own {
		for _, s := range own[i] {
			if s.start != math.MinInt64 {
				edges = append(edges, s.start)
			}
			edges = append(edges, s.end)
		}
	}
	for _, s := range lmCov {
		edges = append(edges, s.start, s.end)
	}
	sort.Slice(edges, func(a, b int) bool { return edges[a] < edges[b] })

	c := &classifier{grace: m.grace, names: names, cover: cover}
	sw := newSweeper(c, stUnknown)
	var ownW, lmW, lastWord [3]oword
	var peerW [3][3]oword // peerW[i][p]: what p's log says of i
	for i := range ownW {
		if ev.logs[i] {
			// every log begins with its cold start: before it, lmgrd was not running
			ownW[i] = oword{st: stDown, t: math.MinInt64, log: true, set: true}
			sw.st[i] = stDown
		}
	}
	initial := sw.st
	var srv [3]oserver
	for i := range srv {
		srv[i] = oserver{view: -1, logMasterAt: math.MinInt64}
	}
	var linked [3][3]bool // the link between two servers is up, as the given logs say
	link := func(a, b int, up bool) { linked[a][b], linked[b][a] = up, up }
	// setView: says, the line is about the master (names one, or says it is gone); a server
	// that restarts, exits or loses its quorum stops naming one without saying anything of
	// the master. Naming the master already claimed (lmstat's mark) changes nothing.
	var claims func(x int, t int64) bool
	setView := func(me, v int, t int64, says bool) {
		if srv[me].view == v {
			return
		}
		if old := srv[me].view; old >= 0 && says {
			srv[old].logMasterAt = t
			if old == me && v >= 0 && v != me {
				// the master's own line names another: its claim ends, where others named it too
				for y := range srv {
					if y != me && srv[y].view == me {
						srv[y].view = -1
					}
				}
			}
		}
		if v >= 0 && says && !claims(v, t) {
			srv[v].logMasterAt = t
		}
		if v == 0 && says && ev.license && m.pim {
			// PRIMARY_IS_MASTER taken back: another's claim resting on an older mark ends
			for x := 1; x < 3; x++ {
				srv[x].logMasterAt = t
			}
		}
		srv[me].view = v
	}
	var isolated, reiso, retNow [3]bool
	var ownLinks [3]bool // its log holds its start: every link it has since is in its log
	var mine [3][3]bool  // the peers each server's own log last said it is connected to
	var lostNow [3]bool  // servers up that lost a link at the moment being read
	ownSay := func(i int, st status, q bool, t int64) {
		ownW[i] = oword{st: st, q: q, t: t, log: true, set: true}
		lastWord[i] = ownW[i]
	}
	about := func(i, by int, st status, q bool, t int64) {
		peerW[i][by] = oword{st: st, q: q, t: t, log: true, set: true}
		if peerW[i][by].newer(lastWord[i]) || lastWord[i].t == t {
			lastWord[i] = peerW[i][by]
		}
	}
	// isolate: outside every quorum while it keeps logging; what it said of its peers no longer
	// counts (from its side a partition and crashed peers look the same), nor does it name a master
	isolate := func(me int, t int64) {
		ownSay(me, stIsolated, false, t)
		isolated[me] = true
		for p := range linked {
			if p != me {
				peerW[p][me] = oword{}
			}
		}
		srv[me].view = -1
	}
	ownSpeaks := func(i int, t int64) bool { return ev.logs[i] && ownW[i].set && inSpan(own[i], t) }
	claims = func(x int, t int64) bool {
		claim := false
		for y := range srv {
			if sw.st[y] == stUp && srv[y].view == x {
				claim = true
			}
		}
		// a snapshot's mark only while lmstat covers t
		if srv[x].lmSeen && srv[x].lmMasterAt > srv[x].logMasterAt && ev.lmstat && inSpan(lmCov, t) {
			claim = srv[x].lmMaster
		}
		return claim
	}
	// resolve decides every server's status at t from the words that count then (section 4,
	// "Which evidence wins"): its own log's word while the log speaks, against lmstat's latest
	// run while lmstat covers t, the newer winning; when its own log is silent, lmstat's run
	// and its up peers' words, the newest winning, except a word older than the newest log word
	// about the server that disagrees with it (a superseded word does not come back).
	var wasMaster [3]bool
	resolve := func(t int64) {
		lmOn := ev.lmstat && inSpan(lmCov, t)
		best := func(i int) oword {
			if ownSpeaks(i, t) {
				b := ownW[i]
				if lmOn && lmW[i].newer(b) {
					b = lmW[i]
				}
				return b
			}
			return oword{}
		}
		var speaks [3]bool
		for p := range speaks {
			speaks[p] = !isolated[p] && best(p).set && best(p).st == stUp
		}
		var was [3]bool
		for i := range was {
			was[i] = sw.st[i] == stUp && claims(i, t-1) // as it was until now
		}
		for i := range sw.st {
			b := best(i)
			if !ownSpeaks(i, t) {
				counts := func(w oword) bool {
					l := lastWord[i]
					return w.set && (!l.set || w.t >= l.t || (w.st == l.st && w.q == l.q))
				}
				if lmOn && counts(lmW[i]) {
					b = lmW[i]
				}
				for p := range peerW[i] {
					if w := peerW[i][p]; p != i && speaks[p] && counts(w) && w.newer(b) {
						b = w
					}
				}
			}
			st, q := stUnknown, false
			if b.set {
				st, q = b.st, b.q
			}
			if st == stJoining {
				// an up server names it master after its return: it has joined
				for y := range srv {
					if y != i && srv[y].view == i && (sw.st[y] == stUp || (ownW[y].set && ownW[y].st == stUp && ownW[y].t == t)) {
						st, q = stUp, true
						break
					}
				}
			}
			if st == stUnknown && sw.st[i] != stUnknown {
				wasMaster[i] = was[i]
			}
			sw.set(i, st, q, t, retNow[i])
			if st != stUp && st != stUnknown {
				// no longer a member: no longer master, nor naming one (a line from before
				// does not make it master again when it is up again)
				for y := range srv {
					if srv[y].view == i {
						srv[y].view = -1
					}
				}
				srv[i].view = -1
			}
		}
	}
	point := func(t int64) {
		// the exception of TRIAD.md section 4: servers that were isolated and have connected
		// to each other again count as up for the quorum until their election ends
		for i := range reiso {
			reiso[i] = reiso[i] && sw.st[i] == stJoining
		}
		for i := range sw.relink {
			sw.relink[i] = false
			for j := range sw.relink {
				sw.relink[i] = sw.relink[i] || (j != i && reiso[i] && reiso[j] && linked[i][j])
			}
		}
		// who claims master: lmstat's marks when newer than the log lines that named a master
		var masters []int
		for x := range srv {
			if sw.st[x] == stUp && claims(x, t) {
				masters = append(masters, x)
			}
		}
		var was [3]bool
		for i := range was {
			// unknown: if up, master if it was when it became unknown or an up server names it
			named := false
			for y := range srv {
				named = named || (sw.st[y] == stUp && srv[y].view == i)
			}
			was[i] = sw.st[i] == stUnknown && (wasMaster[i] || named)
		}
		// -16 run after run, its own log silent: it may have restarted unseen before the run
		var late [3]int64
		for i := range late {
			if sw.st[i] == stUnresponsive && !ownSpeaks(i, t) && lmW[i].set && lmW[i].st == stUnresponsive {
				late[i] = lmW[i].t
			}
		}
		sw.point(t, masters, was, late)
		retNow = [3]bool{}
	}
	e := 0
	for k := 0; k < len(facts); {
		t := facts[k].t
		for ; e < len(edges) && edges[e] < t; e++ {
			resolve(edges[e])
			point(edges[e])
		}
		for ; k < len(facts) && facts[k].t == t; k++ {
			f := facts[k]
			me := f.observer
			// the observer is up, as resolved before this moment or as its own log has just said
			// or as its own word says again where its log speaks after a gap
			resumed := me < 3 && sw.st[me] == stUnknown && ownSpeaks(me, t) && !(lmW[me].set && lmW[me].t > ownW[me].t)
			up := me < 3 && (sw.st[me] == stUp || (ownW[me].set && ownW[me].st == stUp && (ownW[me].t == t || resumed)))
			switch f.kind {
			case fStart, fExiting:
				// a restart or an exit closes every connection: what the server said of its
				// peers ends; a restart also ends what they said of it before (a Connected to
				// it up to 5 s before its banner is part of that start)
				for p := range linked {
					if p == me {
						continue
					}
					link(me, p, false)
					mine[me][p] = false
					peerW[p][me] = oword{}
					if w := peerW[me][p]; f.kind == fStart && !(w.set && w.st != stDown && t-w.t <= 5) {
						peerW[me][p] = oword{}
					}
				}
			}
			switch f.kind {
			case fStart:
				ownSay(me, stJoining, false, t)
				retNow[me], isolated[me], reiso[me] = true, false, false
				ownLinks[me] = true
				setView(me, -1, t, false)
			case fMasterIs:
				ownSay(me, stUp, true, t)
				isolated[me] = false
				setView(me, f.peer, t, true)
				// the peers linked to it are up: CONNECTED comes once a quorum has selected the
				// master, EXISTING joins a running triad (a master it is not linked to, learnt
				// through a peer, is not its word: no line of its log could end it)
				for p := range linked {
					if p != me && linked[me][p] {
						about(p, me, stUp, true, t)
					}
				}
			case fLostMaster:
				// a lost connection to the master it named, where that link still stood
				if m := srv[me].view; m >= 0 && m != me && linked[me][m] {
					link(me, m, false)
					if up {
						about(m, me, stDown, false, t)
					} else {
						peerW[m][me] = oword{}
					}
				}
				setView(me, -1, t, true)
			case fLostQuorum:
				isolate(me, t)
			case fExiting:
				ownSay(me, stDown, false, t)
				isolated[me] = false
				setView(me, -1, t, false)
			case fLost:
				if f.peer != me {
					had := mine[me][f.peer] || linked[me][f.peer]
					link(me, f.peer, false)
					mine[me][f.peer] = false
					if up && !muted[k] {
						about(f.peer, me, stDown, false, t)
					} else {
						// not up, it speaks of its own trouble, not of its peers (section 3)
						peerW[f.peer][me] = oword{}
					}
					if up && had && ownLinks[me] {
						lostNow[me] = true // perhaps its last link: decided at the end of the moment
					}
				}
			case fCannotConnect:
				// a rejoin failure about a returning peer: no word on its status (the peer may
				// be stopped a moment later with no line of this observer's saying so)
			case fConnected:
				p := f.peer
				link(me, p, true)
				mine[me][p] = true
				if isolated[me] {
					// the partition healed: its return, joining until it has joined
					ownSay(me, stJoining, false, t)
					retNow[me], isolated[me], reiso[me] = true, false, true
				}
				switch {
				case up:
					about(p, me, stUp, true, t)
				case sw.st[p] == stDown:
					about(p, me, stJoining, false, t) // it runs again; whether it joined, a later line says
				case sw.st[p] == stIsolated && reiso[me] && !ev.logs[p]:
					// two isolated servers connected again (the exception of section 4)
					about(p, me, stJoining, false, t)
					reiso[p] = true
				}
			}
			if s := f.snap; s != nil {
				for i := range s.ans {
					var st status
					q := false
					switch s.ans[i] {
					case ansDown:
						st = stDown
					case ansUp:
						st, q = stUp, true
					case ansNoMaj:
						st = stIsolated
					case ansNoRead:
						st = stUnresponsive
					default:
						continue
					}
					if sw.st[i] == stDown && st != stDown {
						retNow[i] = true // its first answer after being down
					}
					lmW[i] = oword{st: st, q: q, t: s.since, set: true}
					if lmW[i].t > lastWord[i].t || !lastWord[i].set {
						lastWord[i] = lmW[i]
					}
				}
				for i := range s.mark {
					srv[i].lmMaster, srv[i].lmMasterAt, srv[i].lmSeen = s.mark[i], s.since, true
				}
			}
		}
		// the moment's losses: a server up that lost a link and has none left (its own log's or
		// a peer's word) is outside every quorum: isolated
		for me := range lostNow {
			if !lostNow[me] {
				continue
			}
			lostNow[me] = false
			left := false
			for p := range linked {
				left = left || (p != me && (mine[me][p] || linked[me][p]))
			}
			if left || isolated[me] || !ownW[me].set || ownW[me].st != stUp {
				continue
			}
			isolate(me, t)
		}
		resolve(t)
		point(t)
	}
	for ; e < len(edges); e++ {
		resolve(edges[e])
		point(edges[e])
	}
	c.classify()
	o := &Observed{Reference: "lmstat", ReferenceOffsetSeconds: m.lm.offset}
	for i := range ev.logs {
		if ev.logs[i] {
			o.Reference, o.ReferenceOffsetSeconds = m.servers[i].name, m.servers[i].offset
			break
		}
	}
	init := opoint{st: initial}
	if len(c.cover) > 0 {
		init.t = c.cover[0].start
	}
	o.Intervals = c.intervals(init, m.loc, o.ReferenceOffsetSeconds)
	o.States = statesOf(o.Intervals)
	return o
}

// mutedLosses are the facts (by index) of Lost connection lines that do not speak for the
// peer they name (TRIAD.md section 3): a server that loses both peers within one heartbeat
// timeout and then its quorum cannot tell a network partition from two crashed peers.
func mutedLosses(facts []ofact, hb int64) map[int]bool {
	muted := map[int]bool{}
	for k, f := range facts {
		if f.kind != fLostQuorum {
			continue
		}
		var lost []int
		var peers [3]bool
		for x := k - 1; x >= 0 && f.t-facts[x].t <= hb; x-- {
			if p := facts[x]; p.observer == f.observer && p.kind == fLost && p.peer != f.observer {
				lost = append(lost, x)
				peers[p.peer] = true
			}
		}
		both := true
		for p := range peers {
			both = both && (p == f.observer || peers[p])
		}
		if both {
			for _, x := range lost {
				muted[x] = true
			}
		}
	}
	return muted
}

// ownCover is when each server's own log speaks (TRIAD.md section 4): from its first line to
// its last (a line stands for its second) except silences over 6h15m, and except a silence that
// ends in a new start banner unless the line before it is lmgrd's exit (the server went down at
// some unknown moment of it); from the beginning of time, as every log begins with lmgrd starting.
func ownCover(r *renderer, ev evidence) [3][]span {
	var out [3][]span
	for i, lw := range r.logs {
		if !ev.logs[i] || lw.n == 0 {
			continue
		}
		start := int64(math.MinInt64)
		for _, g := range lw.gaps {
			out[i] = append(out[i], span{start, g[0] + 1})
			start = g[1]
		}
		out[i] = append(out[i], span{start, lw.last + 1})
		for _, g := range lw.silences {
			out[i] = cutSpan(out[i], span{g[0], g[1]})
		}
	}
	return out
}

// cutSpan removes c from the sorted, disjoint spans.
func cutSpan(spans []span, c span) []span {
	if c.start >= c.end {
		return spans
	}
	var out []span
	for _, s := range spans {
		if s.end <= c.start || s.start >= c.end {
			out = append(out, s)
			continue
		}
		if s.start < c.start {
			out = append(out, span{s.start, c.start})
		}
		if c.end < s.end {
			out = append(out, span{c.end, s.end})
		}
	}
	return out
}

func inSpan(spans []span, t int64) bool {
	for _, s := range spans {
		if t >= s.start && t < s.end {
			return true
		}
	}
	return false
}

// coverOf is the time the chosen evidence covers (TRIAD.md section 4, "Coverage"): a log from
// its first to its last line except silences over 6h15m, lmstat as lmstatCover says.
func coverOf(r *renderer, ev evidence) []span {
	var cover []span
	for i, lw := range r.logs {
		if !ev.logs[i] || lw.n == 0 {
			continue
		}
		start := lw.first
		for _, g := range lw.gaps {
			cover = append(cover, span{start, g[0]})
			start = g[1]
		}
		cover = append(cover, span{start, lw.last})
	}
	if ev.lmstat {
		cover = append(cover, lmstatCover(r.snaps)...)
	}
	return cover
}

// Coverage is the time that some of the rendered files cover, in true time (TRIAD.md section
// 4, "Coverage": a debug log from its first to its last line except silences over 6h15m,
// lmstat from a snapshot to the next when they are at most three median intervals apart and
// one median interval after the last); license files cover nothing. Outside it any analysis
// of those files can only say unknown. It needs the Truth that Render returned.
func (tr Truth) Coverage(files []string) ([]Span, error) {
	s := tr.sim
	if s == nil {
		return nil, fmt.Errorf("sim: Coverage needs the Truth returned by Render")
	}
	var ev evidence
	for _, f := range files {
		if f == "lmstat.log" {
			ev.lmstat = true
		}
		if strings.HasPrefix(f, "license.dat") {
			ev.license = true
		}
		for i, n := range s.names {
			if f == n+".log" {
				ev.logs[i] = true
			}
		}
	}
	var out []Span
	for _, c := range unionSpans(coverOf(s.r, ev)) {
		out = append(out, Span{time.Unix(c.start, 0).In(s.m.loc), time.Unix(c.end, 0).In(s.m.loc)})
	}
	return out, nil
}

// lmstatCover: a snapshot covers the time to the next one when they are at most three median
// intervals apart; the last one covers one median interval after it.
func lmstatCover(snaps []snapRec) []span {
	if len(snaps) == 0 {
		return nil
	}
	times := make([]int64, len(snaps))
	for k, s := range snaps {
		times[k] = s.place
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	med := int64(60)
	if len(times) > 1 {
		d := make([]int64, 0, len(times)-1)
		for i := 1; i < len(times); i++ {
			d = append(d, times[i]-times[i-1])
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		if med = d[len(d)/2]; med <= 0 {
			med = 60
		}
	}
	var out []span
	cur := span{times[0], times[0]}
	for _, t := range times[1:] {
		if t-cur.end <= 3*med {
			cur.end = t
			continue
		}
		cur.end += med
		out = append(out, cur)
		cur = span{t, t}
	}
	cur.end += med
	return append(out, cur)
}
