package analyze

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/analyze/msg"
	"github.com/lmtriad/lmtriad/parser"
)

// Config controls the analysis.
type Config struct {
	// Location is the zone log times were read in; used only to name it in the report.
	Location *time.Location
	// RejoinGrace is how long a returning server may take to rejoin (default 5m).
	RejoinGrace time.Duration
	// Skew gives clock offsets by server name, or "lmstat" for the host that ran lmstat:
	// that clock minus the reference clock.
	Skew map[string]time.Duration
	// Servers assigns debug logs to servers: file name -> server name (--server NAME=FILE).
	Servers map[string]string
	// Since and Until cut the report to a window (zero: no bound). The analysis still reads
	// all the evidence, since a later fact decides an earlier span.
	Since, Until time.Time
}

// Errors that end an analysis; the command line maps them to exit codes.
var (
	// ErrNotTriad: the inputs name fewer than three servers (exit 3).
	ErrNotTriad = errors.New("not a triad")
	// ErrNoEvidence: inputs were read but nothing can be classified (exit 3).
	ErrNoEvidence = errors.New("too little evidence")
	// ErrNoInput: no input of a known kind (exit 2).
	ErrNoInput = errors.New("nothing to analyse")
)

// InputError is a problem with one input that stops the analysis (exit 2).
type InputError struct {
	File string
	Msg  string
}

func (e *InputError) Error() string { return e.File + ": " + e.Msg }

const lmstatObserver = "lmstat"

// obs is one observation on the merged timeline: a log event or an lmstat snapshot.
type obs struct {
	at       time.Time // corrected for skew
	observer int       // member index, or len(members) for lmstat
	file     string
	line     int
	ev       *parser.Event
	snap     *parser.Snapshot
	prev     *parser.Snapshot // the previous snapshot of the same file, for the timeline
	window   time.Duration    // lmstat: how long before at the run may have started
	text     string           // lmstat: the run's header line
	delta    int              // lmstat: the run's lines are its snapshot's shifted by delta
	ownLog   bool
	noChange bool
}

// Analyze reads the triad's story out of the files.
func Analyze(files []*parser.File, cfg Config) (*Report, error) {
	if cfg.RejoinGrace <= 0 {
		cfg.RejoinGrace = 5 * time.Minute
	}
	rep := &Report{}
	if cfg.Location != nil {
		rep.Clock.Timezone = cfg.Location.String()
	}
	var used []*parser.File
	for _, f := range files {
		rep.Stats.Files++
		rep.Stats.Lines += f.Lines
		rep.Stats.Unrecognized += f.Unrecognized
		if f.Kind != parser.KindUnknown {
			used = append(used, f)
		}
	}
	if len(used) == 0 {
		return nil, ErrNoInput
	}

	names, lic, source, warn := members(used)
	if warn != "" {
		rep.Warnings = append(rep.Warnings, msg.New(warn))
	}
	id := &identity{names: names, aliases: make([][]string, len(names))}
	a := &analysis{cfg: cfg, rep: rep, id: id, lic: lic}
	a.triad(source)
	if err := a.collect(files); err != nil {
		return nil, err
	}
	if len(names) < 3 {
		switch len(names) {
		case 0:
			return rep, fmt.Errorf("%w: the inputs name no license server", ErrNoEvidence)
		case 1:
			return rep, fmt.Errorf("%w: the inputs name only one server (%s); three-server redundancy needs three", ErrNotTriad, names[0])
		}
		return rep, fmt.Errorf("%w: the inputs name only two servers (%s); three-server redundancy needs three", ErrNotTriad, strings.Join(names, ", "))
	}
	if len(names) > 3 {
		rep.Warnings = append(rep.Warnings, msg.New("warn.too-many", "count", len(names), "servers", names))
		a.n = 3
	}
	if len(a.obs) == 0 {
		return rep, fmt.Errorf("%w: no dated triad event or lmstat snapshot in the inputs", ErrNoEvidence)
	}
	a.sweep()
	if a.failedRuns > 0 {
		rep.Warnings = append(rep.Warnings, msg.New("warn.lmstat-failed", "at", msg.Raw(a.firstFailed.At()), "count", a.failedRuns, "text", msg.Raw(a.firstFailed.Text)))
	}
	if len(a.points) == 0 || len(rep.Intervals) == 0 {
		return rep, fmt.Errorf("%w: the evidence covers no time span", ErrNoEvidence)
	}
	a.findings()
	a.timeline()
	if err := a.window(); err != nil {
		return rep, err
	}
	a.verdict()
	a.notes()
	return rep, nil
}

// window cuts the report to [Config.Since, Config.Until]: the states were decided on all the
// evidence (a later fact decides an earlier span), then only the window is reported.
func (a *analysis) window() error {
	since, until := a.cfg.Since, a.cfg.Until
	if since.IsZero() && until.IsZero() {
		return nil
	}
	in := func(start, end time.Time) bool {
		return (until.IsZero() || start.Before(until)) && (since.IsZero() || end.After(since))
	}
	clip := func(start, end time.Time) (time.Time, time.Time) {
		if !since.IsZero() && start.Before(since) {
			start = since
		}
		if !until.IsZero() && end.After(until) {
			end = until
		}
		return start, end
	}
	var ivs []Interval
	for _, iv := range a.rep.Intervals {
		if !in(iv.Start, iv.End) {
			continue
		}
		iv.Start, iv.End = clip(iv.Start, iv.End)
		iv.Usage = Usage{}
		ivs = append(ivs, iv)
	}
	a.rep.Intervals = ivs
	if len(ivs) == 0 {
		return fmt.Errorf("%w: nothing in the window %s to %s", ErrNoEvidence, bound(a.cfg.Since, "the start"), bound(a.cfg.Until, "the end"))
	}
	a.countUsage()
	var fs []Finding
	for _, f := range a.rep.Findings {
		end := f.End
		if end.Equal(f.Start) {
			end = end.Add(time.Nanosecond) // a finding at one instant
		}
		if !in(f.Start, end) {
			continue
		}
		f.Start, f.End = clip(f.Start, f.End)
		if f.interval >= 0 {
			f.interval = a.intervalIndex(f.Start)
		}
		fs = append(fs, f)
	}
	a.rep.Findings = fs
	var tl []TimelineEntry
	for _, e := range a.rep.Timeline {
		if (since.IsZero() || !e.Time.Before(since)) && (until.IsZero() || !e.Time.After(until)) {
			tl = append(tl, e)
		}
	}
	a.rep.Timeline = tl
	from, to := any(msg.New("note.window.start")), any(msg.New("note.window.end"))
	if !a.cfg.Since.IsZero() {
		from = a.cfg.Since
	}
	if !a.cfg.Until.IsZero() {
		to = a.cfg.Until
	}
	a.rep.Notes = append(a.rep.Notes, msg.New("note.window", "from", from, "to", to))
	return nil
}

func bound(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return clock(t)
}

type analysis struct {
	cfg       Config
	rep       *Report
	id        *identity
	lic       *parser.License
	n         int // members considered (3)
	obs       []obs
	hasLog    []bool
	cold      []bool // the server's own log begins with its cold start
	usage     []parser.Usage
	cover     []span
	points    []point
	offset    []time.Duration // per member, then lmstat last
	hbTimeout time.Duration
	logs      map[int][]*parser.File
	lmstat    []*parser.File
	episodes  []episode
	links     map[[2]int]bool // member pairs whose connection a log says is up

	failedRuns  int // lmstat runs that failed as a whole ("Error getting status")
	firstFailed Ref
}

func (a *analysis) triad(source string) {
	a.n = len(a.id.names)
	roles := []string{"primary", "secondary", "tertiary"}
	t := &a.rep.Triad
	t.Source = source
	hb := 20
	for i, n := range a.id.names {
		si := ServerInfo{Name: n, Role: "member"}
		if i < len(roles) {
			si.Role = roles[i]
		}
		if a.lic != nil && i < len(a.lic.Servers) {
			s := a.lic.Servers[i]
			si.HostID, si.Port = s.HostID, s.Port
			if i == 0 {
				t.PrimaryIsMaster = s.PrimaryIsMaster
				if s.HeartbeatInterval > 0 {
					hb = s.HeartbeatInterval
				}
			}
		}
		t.Servers = append(t.Servers, si)
	}
	// FlexLM: timeout = 3*interval + (interval-1); 20 s gives 79 s.
	a.hbTimeout = time.Duration(3*hb+hb-1) * time.Second
	t.HeartbeatTimeout = a.hbTimeout
}

// collect assigns the inputs to servers, estimates and applies clock offsets and builds the
// observations.
func (a *analysis) collect(files []*parser.File) error {
	n := len(a.id.names)
	a.hasLog = make([]bool, n)
	a.cold = make([]bool, n)
	a.logs = map[int][]*parser.File{}
	a.offset = make([]time.Duration, n+1)
	infoOf := map[*parser.File]int{}
	for _, f := range files {
		info := InputInfo{Path: f.Name, Kind: f.Kind.String(), SHA256: f.SHA256, Encoding: f.Encoding, Lines: f.Lines,
			Recognized: f.Recognized, Unrecognized: f.Unrecognized}
		switch f.Kind {
		case parser.KindUnknown:
			info.Skipped = f.Reason
		case parser.KindDebugLog:
			i, ok := assign(f, a.cfg.Servers, a.id)
			if !ok {
				if len(a.id.names) < 3 && f.Host == "" {
					info.Skipped = "cannot tell which server wrote this log"
					break
				}
				return &InputError{File: f.Name, Msg: fmt.Sprintf("cannot tell which server wrote this log (no banner naming one of %s); name it with --server NAME=%s", strings.Join(a.id.names, ", "), f.Name)}
			}
			a.id.see(i, f.Host)
			info.Server = a.id.names[i]
			if f.Reason != "" {
				info.Skipped = f.Reason
			}
			info.Events = len(f.Events)
			if len(f.Events) > 0 || len(f.Usage) > 0 || !f.First.IsZero() {
				a.hasLog[i] = true
				a.logs[i] = append(a.logs[i], f)
			}
		case parser.KindLmstat:
			info.Events = len(f.Runs)
			if len(f.Snapshots) == 0 {
				info.Skipped = "no lmstat server status in this output (lmstat -i or -v?)"
			} else {
				a.lmstat = append(a.lmstat, f)
			}
		case parser.KindLicense:
			if f.License == nil || len(f.License.Servers) == 0 {
				info.Skipped = "license file without SERVER lines"
			}
		}
		infoOf[f] = len(a.rep.Inputs)
		a.rep.Inputs = append(a.rep.Inputs, info)
	}
	// A server's log may come in several files (rotated, or one per lmgrd start): in time order.
	for i := range a.logs {
		fs := a.logs[i]
		sort.SliceStable(fs, func(x, y int) bool { return fs[x].First.Before(fs[y].First) })
		a.cold[i] = fs[0].StartsCold
	}

	a.clocks()

	for f, k := range infoOf {
		in := &a.rep.Inputs[k]
		switch f.Kind {
		case parser.KindDebugLog:
			if i, ok := a.serverOf(f); ok {
				in.First, in.Last = a.fix(f.First, i), a.fix(f.Last, i)
				for _, g := range f.Gaps {
					in.Gaps = append(in.Gaps, Span{a.fix(g.Start, i), a.fix(g.End, i)})
				}
			}
		case parser.KindLmstat:
			in.First, in.Last = a.fix(f.First, n), a.fix(f.Last, n)
			cov := lmstatCoverage(runTimes(f), a.offset[n])
			for c := 1; c < len(cov); c++ {
				in.Gaps = append(in.Gaps, Span{cov[c-1].end, cov[c].start})
			}
		}
	}

	// Observations.
	for i := 0; i < n; i++ {
		earlier := map[string]bool{} // lines of this server's earlier files: overlaps count once
		var covered time.Time        // the end of what the earlier files of this server hold
		for _, f := range a.logs[i] {
			mine := map[string]bool{}
			for k := range f.Events {
				e := &f.Events[k]
				key := e.Time.String() + "\x00" + e.Text
				mine[key] = true
				if earlier[key] {
					continue
				}
				a.obs = append(a.obs, obs{at: a.fix(e.Time, i), observer: i, file: f.Name, line: e.Line, ev: e, ownLog: true})
				a.rep.Stats.Events++
				if e.Kind == parser.EvStart {
					a.id.see(i, e.Peer)
				}
			}
			for _, u := range f.Usage {
				if !covered.IsZero() && !u.Minute.After(covered) {
					continue // the earlier file holds this minute already
				}
				u.Minute = a.fix(u.Minute, i)
				a.usage = append(a.usage, u)
			}
			if !f.First.IsZero() {
				a.cover = append(a.cover, logCoverage(f, a.offset[i])...)
			}
			if f.Last.After(covered) {
				covered = f.Last
			}
			for k := range mine {
				earlier[k] = true
			}
		}
	}
	a.listedAliases()
	for _, f := range a.lmstat {
		a.rep.Stats.Events += len(f.Runs)
		var prev *parser.Snapshot
		for _, run := range f.Runs {
			s := &f.Snapshots[run.Snap]
			w := 59 * time.Second
			if run.Exact {
				w = 0
			}
			a.obs = append(a.obs, obs{at: a.fix(run.Time, n), observer: n, file: f.Name, line: run.Line, text: run.Text,
				delta: run.Line - s.Line, snap: s, prev: prev, window: w})
			prev = s
		}
		for _, s := range f.Snapshots {
			for _, sl := range s.Servers {
				if i, ok := a.id.lookup(sl.Name); ok {
					a.id.see(i, sl.Name)
				} else {
					a.rep.Warnings = appendOnce(a.rep.Warnings, a.id.why(Ref{File: f.Name, Line: sl.Line}.At(), sl.Name))
				}
			}
		}
		a.cover = append(a.cover, lmstatCoverage(runTimes(f), a.offset[n])...)
	}
	sort.SliceStable(a.obs, func(i, j int) bool {
		x, y := a.obs[i], a.obs[j]
		if !x.at.Equal(y.at) {
			return x.at.Before(y.at)
		}
		if x.observer != y.observer {
			return x.observer < y.observer
		}
		if x.file != y.file {
			return x.file < y.file
		}
		return x.line < y.line
	})
	sort.SliceStable(a.usage, func(i, j int) bool { return a.usage[i].Minute.Before(a.usage[j].Minute) })
	for i := range a.rep.Triad.Servers {
		a.rep.Triad.Servers[i].Aliases = a.id.aliases[i]
	}
	return nil
}

// listedAliases matches lmstat's "License server status: port@h1,port@h2,port@h3" list to the
// members by position where a name does not match by itself (an IP address, another alias):
// lmstat -c is given the servers in SERVER-line order. Each such match is a warning.
func (a *analysis) listedAliases() {
	if a.rep.Triad.Source == "lmstat" {
		return
	}
	for _, f := range a.lmstat {
		for _, s := range f.Snapshots {
			if len(s.Listed) != len(a.id.names) {
				continue
			}
			for k, name := range s.Listed {
				if _, ok := a.id.lookup(name); ok {
					continue
				}
				a.id.see(k, name)
				a.rep.Warnings = appendOnce(a.rep.Warnings, msg.New("warn.lmstat-position", "at", msg.Raw(Ref{File: f.Name, Line: s.ListedLine}.At()),
					"name", msg.Raw(name), "server", a.id.names[k], "pos", k+1, "count", len(s.Listed)))
			}
			return // one list is enough: every snapshot repeats it
		}
	}
}

// runTimes are the times of an lmstat file's runs that answered (failed ones left out).
func runTimes(f *parser.File) []time.Time {
	out := make([]time.Time, 0, len(f.Runs))
	for _, r := range f.Runs {
		if !f.Failed(r) {
			out = append(out, r.Time)
		}
	}
	return out
}

// serverOf is the member whose logs hold f.
func (a *analysis) serverOf(f *parser.File) (int, bool) {
	for i, fs := range a.logs {
		for _, x := range fs {
			if x == f {
				return i, true
			}
		}
	}
	return -1, false
}

func appendOnce(list []msg.Text, t msg.Text) []msg.Text {
	s := t.String()
	for _, x := range list {
		if x.String() == s {
			return list
		}
	}
	return append(list, t)
}

func (a *analysis) givenSkew(name string) (time.Duration, bool) {
	keys := make([]string, 0, len(a.cfg.Skew))
	for k := range a.cfg.Skew {
		keys = append(keys, k)
	}
	sort.Strings(keys) // two spellings of one host: the same one wins every time
	for _, k := range keys {
		if k != lmstatObserver && hostKey(k) == hostKey(name) {
			return a.cfg.Skew[k], true
		}
	}
	for _, k := range keys {
		if k != lmstatObserver && shortKey(k) == shortKey(name) {
			return a.cfg.Skew[k], true
		}
	}
	return 0, false
}

// fix corrects a time read on observer i's clock to the reference clock.
func (a *analysis) fix(t time.Time, i int) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.Add(-a.offset[i])
	if a.cfg.Location != nil {
		t = t.In(a.cfg.Location)
	}
	return t
}

func (a *analysis) name(i int) string {
	if i >= len(a.id.names) {
		return lmstatObserver
	}
	return a.id.names[i]
}
