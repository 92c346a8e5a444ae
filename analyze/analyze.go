package analyze

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Config controls the analysis.
type Config struct {
	// Location is the zone log times were read in; used only to name it in the report.
	Location *time.Location
	// TimezoneSource says where Location came from ("given", "evidence" or "machine") and
	// TimezoneEvidence the lines that fixed it; both are only reported (Clock). The caller
	// decides the zone: TimezoneWarnings are what deciding it found (no line tells the zone,
	// a line --tz contradicts), and open the report's warnings.
	TimezoneSource   string
	TimezoneEvidence []ZoneRef
	TimezoneWarnings []msg.Text
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
	// At is the time of lmstat output pasted without its header (--at): such a paste is then
	// a run stamped with that time. Zero: its time is unknown, and the state it shows is
	// reported on its own, at an unknown time.
	At time.Time
	// End, when set, is where the evidence ends (a live check: now): nothing covers the time
	// after it, though an lmstat run's coverage would reach past it.
	End time.Time
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

// ConfigError is a server named in the Config (Skew, Servers) that is not a member of the
// triad (exit 2: a usage error).
type ConfigError struct {
	Option  string   // "skew" or "server"
	Given   string   // as given: NAME=VALUE
	Members []string // the triad's members
}

func (e *ConfigError) Error() string {
	nor := ""
	if e.Option == "skew" {
		nor = " nor lmstat"
	}
	return fmt.Sprintf("--%s %s: not a member of the triad (%s)%s", e.Option, e.Given, strings.Join(e.Members, ", "), nor)
}

// InputError is a problem with one input that stops the analysis (exit 2).
type InputError struct {
	File string
	Msg  string
	// Unassigned: no server can be said to have written this debug log; Config.Servers
	// (--server NAME=FILE) would settle it.
	Unassigned bool
}

func (e *InputError) Error() string {
	if e.Unassigned {
		return fmt.Sprintf("%s: %s; name it with --server NAME=%s", e.File, e.Msg, e.File)
	}
	return e.File + ": " + e.Msg
}

// Analyze reads the triad's story out of the files. It is a chain of stages, each a function
// from the typed results of the stages before it to its own, none changing another's:
//
//	1 gather     files → evidence: the members, whose each log is, what each input is;
//	             lmstat pastes placed at Config.At as runs, or kept apart as untimed
//	2 clocks     evidence → clocks: every clock's offset against the reference clock
//	3 observe    evidence, clocks → observations: one corrected timeline, coverage, usage
//	4 sweep      observations → statuses: every server's status after each moment, returns;
//	             each untimed snapshot swept on its own (untimed.go)
//	5 intervals  statuses, coverage → intervals and one lane per server; the untimed
//	             snapshots' intervals, with no time, after them; the planned stops and the
//	             intervals they make planned (planned.go)
//	6 findings   all of the above → findings, one rule per code, and those of the untimed
//	             snapshots' states
//	7 timeline   observations, statuses → the merged replay
//	8 verdict    findings → the verdict; the report cut to the window first, when one is set
//
// On ErrNotTriad and ErrNoEvidence the report is returned too, with what could be read.
func Analyze(files []*parser.File, cfg Config) (*Report, error) {
	if cfg.RejoinGrace <= 0 {
		cfg.RejoinGrace = 5 * time.Minute
	}
	ev, err := gather(files, cfg)
	if err != nil {
		return nil, err
	}
	rep := &Report{Inputs: ev.inputs, Triad: ev.triad, Stats: ev.stats,
		Warnings: append(append([]msg.Text(nil), cfg.TimezoneWarnings...), ev.warn...)}
	if cfg.Location != nil {
		rep.Clock.Timezone = cfg.Location.String()
	}
	rep.Clock.TimezoneSource = cfg.TimezoneSource
	rep.Clock.TimezoneEvidence = append([]ZoneRef(nil), cfg.TimezoneEvidence...)
	clk := estimateClocks(ev, cfg)
	obs := observe(ev, clk, cfg.End)
	rep.Inputs, rep.Clock.Skew, rep.Stats.Events = obs.inputs, clk.skew, obs.events
	rep.Warnings = append(rep.Warnings, clk.warn...)
	partial := &facts{ev: ev, clk: clk, obs: obs, plan: plannedStops(ev, obs, nil, nil), grace: cfg.RejoinGrace}
	if why, err := ev.triadCheck(); err != nil {
		return rep.inconclusive(why, partial), err
	}
	untimed, warn := classifyUntimed(ev, cfg)
	rep.Warnings = append(rep.Warnings, warn...)
	if len(obs.list) == 0 && len(untimed) == 0 {
		return rep.inconclusive(msg.New("verdict.inconclusive.no-events"), partial),
			fmt.Errorf("%w: no dated triad event or lmstat snapshot in the inputs", ErrNoEvidence)
	}
	var st *statuses
	if len(obs.list) > 0 {
		st = sweep(ev, obs, cfg)
		rep.Warnings = append(rep.Warnings, st.warn...)
		if obs.failedRuns > 0 {
			rep.Warnings = append(rep.Warnings, msg.New("warn.lmstat-failed", "at", msg.Raw(obs.firstFailed.At()), "count", obs.failedRuns, "text", msg.Raw(obs.firstFailed.Text)))
		}
		rep.Intervals, rep.Lanes = intervals(ev, obs, st)
		if len(st.points) == 0 || len(rep.Intervals) == 0 {
			rep.Intervals, rep.Lanes = nil, nil
			if len(untimed) == 0 {
				return rep.inconclusive(msg.New("verdict.inconclusive.no-span"), partial), fmt.Errorf("%w: the evidence covers no time span", ErrNoEvidence)
			}
		}
	}
	timed := rep.Intervals
	for k := range untimed {
		untimed[k].index = len(rep.Intervals)
		rep.Intervals = append(rep.Intervals, untimed[k].iv)
	}
	rep.Findings = findings(&facts{ev: ev, clk: clk, obs: obs, st: st, ivs: timed, untimed: untimed,
		plan: plannedStops(ev, obs, st, timed), grace: cfg.RejoinGrace})
	if st != nil {
		rep.Timeline = timeline(ev, obs, st)
	}
	for k := range untimed {
		rep.Timeline = append(rep.Timeline, untimedEntry(&untimed[k]))
	}
	if !cfg.Since.IsZero() || !cfg.Until.IsZero() {
		if err := rep.window(cfg.Since, cfg.Until, obs.usage); err != nil {
			why := msg.New("verdict.inconclusive.window", "from", windowBound(cfg.Since, "note.window.start"), "to", windowBound(cfg.Until, "note.window.end"))
			rep.Intervals, rep.Lanes, rep.Findings, rep.Timeline = nil, nil, nil, nil
			return rep.inconclusive(why, partial), err
		}
	}
	if len(rep.Findings) == 0 && allUnknown(rep.Intervals) {
		// Read, but no moment classified (every server line in a wording lmtriad does not
		// know, say): too little evidence (TRIAD.md 5: exit 3), not a triad without findings.
		return rep.inconclusive(msg.New("verdict.inconclusive.all-unknown"), partial),
			fmt.Errorf("%w: no moment of the evidence tells the triad's state", ErrNoEvidence)
	}
	rep.Verdict = verdict(rep)
	rep.Notes = append(rep.Notes, notes(ev, rep.Inputs)...)
	return rep, nil
}

// allUnknown tells intervals none of which has a state.
func allUnknown(ivs []Interval) bool {
	for _, iv := range ivs {
		if iv.State != Unknown {
			return false
		}
	}
	return len(ivs) > 0
}

// checkConfig refuses servers the Config names that are not members: a typo in --skew or
// --server would otherwise be ignored without a word.
func (ev *evidence) checkConfig(cfg Config) error {
	check := func(option, name, value string) error {
		if _, ok := ev.id.lookup(name); ok || (option == "skew" && name == lmstatObserver) {
			return nil
		}
		return &ConfigError{Option: option, Given: name + "=" + value, Members: ev.id.names}
	}
	var names []string
	for name := range cfg.Skew {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := cfg.Skew[name]
		v := d.String()
		if d >= 0 {
			v = "+" + v
		}
		if err := check("skew", name, v); err != nil {
			return err
		}
	}
	files := make([]string, 0, len(cfg.Servers))
	for f := range cfg.Servers {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := check("server", cfg.Servers[f], f); err != nil {
			return err
		}
	}
	return nil
}

// inconclusive finishes a report whose evidence cannot be classified (exit 3): the findings
// that need no triad (a single server's vendor daemon exits and restarts, its SERVER-line
// order), the notes, and a verdict that says what is missing (TRIAD.md section 5).
func (r *Report) inconclusive(why msg.Text, c *facts) *Report {
	r.Findings = append(r.Findings, findings(c)...)
	r.Notes = append(r.Notes, notes(c.ev, r.Inputs)...)
	v := Verdict{State: Unknown, Severity: SeverityInconclusive, ExitCode: 3, Msg: msg.New("verdict.finding", "summary", why)}
	for _, f := range r.Findings {
		if f.Severity.rank() >= SeverityWarning.rank() {
			v.Others++
		}
	}
	r.Verdict = v
	return r
}

// windowBound is a bound of --since/--until for a message: the time, or words for none.
func windowBound(t time.Time, none string) any {
	if t.IsZero() {
		return msg.New(none)
	}
	return t
}
