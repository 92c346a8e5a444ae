package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/alecthomas/kong"
	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Monitoring Plugins exit codes: check's own, distinct from analyze's (TRIAD.md section 5).
const (
	pluginOK       = 0
	pluginWarning  = 1
	pluginCritical = 2
	pluginUnknown  = 3
)

var pluginStatus = [...]string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}

// checkFormats are check's output formats.
var checkFormats = []string{"nagios", "prometheus", "json"}

// checkNow is the clock check judges by; tests set it (nil: the machine's clock).
var checkNow func() time.Time

// dualMasterCritical is how long two masters may last before it is critical (TRIAD.md 5).
const dualMasterCritical = 2 * time.Minute

// checkCmd is "lmtriad check": the triad's state at the end of the recent evidence, said as a
// monitoring plugin (Nagios, Icinga, ...) or a Prometheus textfile says it.
type checkCmd struct {
	Paths   []string          `arg:"" optional:"" name:"path" help:"${paths_help} A folder lmtriad collect writes into is read for the days the window touches only."`
	Window  time.Duration     `default:"2h" placeholder:"D" help:"Judge the last D of the evidence, up to now (default ${default})."`
	Stale   time.Duration     `default:"3m" placeholder:"D" help:"UNKNOWN when the newest lmstat snapshot (without lmstat: the newest log line) is older than D (default ${default})."`
	Format  string            `short:"f" enum:"nagios,prometheus,json" default:"nagios" help:"Output: nagios (default), one plugin line and perfdata; prometheus, the text format for node_exporter's textfile collector; json, the lmtriad.report/v1 report of the window with a \"now\" object."`
	Output  string            `short:"o" placeholder:"FILE" help:"Write to FILE, replaced whole at once (never an input), instead of standard output; e.g. -f prometheus -o /var/lib/node_exporter/textfile/lmtriad.prom."`
	Live    bool              `help:"Take one lmstat now (lmutil lmstat -a -c LIST) and judge it together with the PATHs (which may then be left out)."`
	Servers string            `short:"c" placeholder:"LIST" help:"With --live: the servers to ask, PORT@H1,PORT@H2,PORT@H3 (or a license file)."`
	Lmutil  string            `default:"lmutil" placeholder:"PATH" help:"With --live: the lmutil program (default: lmutil on the PATH), run directly, never through a shell."`
	Timeout time.Duration     `default:"30s" placeholder:"D" help:"With --live: kill lmutil, with its process group, after D (default ${default})."`
	Server  map[string]string `name:"server" placeholder:"NAME=FILE" help:"Say which server wrote a debug log whose banner does not tell (repeatable)."`
	Skew    map[string]string `name:"skew" placeholder:"NAME=DURATION" help:"A server's clock offset against the reference clock (as for analyze)."`
	inputFlags
}

// Help is the longer text of "lmtriad check --help".
func (c *checkCmd) Help() string {
	return `Analyse the recent evidence (the last --window of a folder lmtriad collect writes into, or any
inputs analyze takes) and say the triad's state at its end, as the Monitoring Plugins guidelines
ask: one line "LMTRIAD <STATUS> - <state>: <summary> | <perfdata>", then a line per server, the
other problems and the fix. Perfdata: servers_up, masters, age (seconds since the newest
snapshot), masterless (seconds without a master in the window).

  OK        normal: three servers up, one master.
  WARNING   degraded (a server not up, or one rejoining inside
            --rejoin-grace), a cold start, two masters for at most
            2 minutes, or a warning finding still going.
  CRITICAL  masterless or no-quorum (no licenses served), failed-rejoin
            (a server came back and has not rejoined: follow
            KGTN 2010112602), two masters for over 2 minutes, the vendor
            daemon down on the master, or a critical finding still going.
  UNKNOWN   no evidence in the window, the newest snapshot older than
            --stale, an unreadable input, a usage error, or a state the
            evidence cannot decide.

Exit codes are the Monitoring Plugins ones, distinct from analyze's: 0 OK, 1 WARNING,
2 CRITICAL, 3 UNKNOWN, in every format.`
}

func (c *checkCmd) Run(e *env) error {
	now := e.now()
	if checkNow != nil {
		now = checkNow()
	}
	res := c.judge(e, now)
	if err := c.write(e, res); err != nil {
		fmt.Fprintf(e.stderr, "lmtriad: error: %s\n", report.Clean(errorText(err)))
		if c.Format == "nagios" && !res.wrote {
			fmt.Fprintf(e.stdout, "LMTRIAD UNKNOWN - cannot write the result: %s\n", perfSafe(errorText(err)))
		}
		return exitWith(pluginUnknown)
	}
	return exitWith(res.code)
}

// checkResult is what check says.
type checkResult struct {
	code    int
	state   analyze.State
	since   time.Time // when the state began (or the window's start); zero when unknown
	summary string
	details []string // the lines after the first
	at      time.Time
	last    time.Time // the newest snapshot or log line; zero when none

	servers    []serverNow
	active     []analyze.Finding // findings still going at the end of the evidence
	masterless time.Duration     // without a master in the window
	members    int

	rep   *analyze.Report // nil when nothing could be read
	loc   *time.Location
	files []*parser.File
	paths []string
	wrote bool // something reached standard output already
}

// serverNow is one server at the end of the evidence.
type serverNow struct {
	name   string
	status analyze.Status
	master bool
	since  time.Time
}

// unknown is an UNKNOWN result with its reason.
func unknown(at time.Time, why string) *checkResult {
	return &checkResult{code: pluginUnknown, state: analyze.Unknown, summary: why, at: at}
}

// judge reads the evidence and says the state at its end.
func (c *checkCmd) judge(e *env, now time.Time) *checkResult {
	switch {
	case c.Window <= 0:
		return unknown(now, "usage: --window must be positive")
	case c.Stale <= 0:
		return unknown(now, "usage: --stale must be positive")
	case len(c.Paths) == 0 && !c.Live:
		return unknown(now, "usage: give the evidence to judge (a folder lmtriad collect writes into, or files), or --live -c LIST")
	case c.Live && strings.TrimSpace(c.Servers) == "":
		return unknown(now, "usage: --live needs -c LIST, the servers to ask")
	case !c.Live && c.Servers != "":
		return unknown(now, "usage: -c is for --live")
	}
	for _, p := range c.Paths {
		if p == "-" && c.Live {
			return unknown(now, "usage: --live reads lmstat itself; - (standard input) cannot go with it")
		}
	}
	loc, err := e.zone(c.TZ)
	if err != nil {
		return unknown(now, "usage: "+errorText(err))
	}
	since := now.Add(-c.Window)
	paths, empty, err := windowPaths(c.Paths, since, now, loc)
	if err != nil {
		return unknown(now, "cannot read the evidence: "+errorText(err))
	}
	if len(paths) == 0 && !c.Live {
		return unknown(now, fmt.Sprintf("no evidence in the last %s (--window): %s holds no lmstat-YYYY-MM-DD.log of these days; is lmtriad collect running?",
			dur(c.Window), strings.Join(empty, ", ")))
	}
	le := e
	var livePoll poll
	if c.Live {
		p, err := c.livePoll(now, loc)
		if err != nil {
			return unknown(now, "usage: "+errorText(err))
		}
		livePoll = p
		e2 := *e
		e2.stdin = bytes.NewReader(record(now.In(loc), p))
		le = &e2
		paths = append(paths, "-")
	}
	inc := &incidentFlags{Server: c.Server, Skew: c.Skew, Since: since.Format(time.RFC3339Nano), end: now}
	l, err := le.load(paths, &c.inputFlags, inc, func(l *loaded) error {
		e.zoneWarnings(l.zone)
		e.warnings(l.files)
		return nil
	})
	var res *checkResult
	switch {
	case err != nil && !inconclusive(err, l):
		res = unknown(now, "cannot read the evidence: "+errorText(err))
	default:
		res = judgeReport(l.rep, l.files, now, since, c.Stale, c.RejoinGrace)
		res.files = l.files
	}
	if l != nil {
		res.loc = l.loc
	} else {
		res.loc = loc
	}
	res.paths = paths
	if len(empty) > 0 && res.code == pluginUnknown && (res.last.IsZero() || res.last.Before(since)) {
		res.summary += fmt.Sprintf("; %s holds no lmstat-YYYY-MM-DD.log of these days: is lmtriad collect running?", strings.Join(empty, ", "))
	}
	if livePoll.problem != "" {
		res.details = append(res.details, "live poll: Error getting status: "+livePoll.problem)
	}
	return res
}

// livePoll takes one lmstat now, as collect would.
func (c *checkCmd) livePoll(now time.Time, loc *time.Location) (poll, error) {
	if c.Timeout <= 0 {
		return poll{}, errors.New("--timeout must be positive")
	}
	if strings.HasPrefix(c.Servers, "-") || strings.ContainsAny(c.Servers, "\x00\r\n") {
		return poll{}, fmt.Errorf("-c %q: not a server list", c.Servers)
	}
	lmutil, err := lookPath(c.Lmutil)
	if err != nil {
		return poll{}, err
	}
	col := &collector{lmutil: lmutil, args: []string{"lmstat", "-a", "-c", c.Servers}, timeout: c.Timeout, loc: loc}
	return col.runLmutil(context.Background()), nil
}

// windowPaths replaces each folder that lmtriad collect writes into (one holding
// lmstat-YYYY-MM-DD.log files) by its entries, leaving out the day files of days that end
// before since or begin after now (dates in loc, the zone collect names them in). Other paths,
// and the other entries of such a folder, stay as they are. empty lists the folders that had no
// day file for the window (a collection of months is never read whole every minute because
// its collector stopped).
func windowPaths(paths []string, since, now time.Time, loc *time.Location) (out, empty []string, err error) {
	for _, p := range paths {
		fi, err := os.Stat(p)
		if p == "-" || err != nil || !fi.IsDir() {
			out = append(out, p) // the reader says what is wrong, if anything
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", p, bare(err))
		}
		collected := false
		for _, de := range entries {
			if _, ok := fileDay(de.Name(), loc); ok && de.Type().IsRegular() {
				collected = true
				break
			}
		}
		if !collected {
			out = append(out, p)
			continue
		}
		days := 0
		for _, de := range entries { // in name order, so the days come in order
			name := de.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if day, ok := fileDay(name, loc); ok && de.Type().IsRegular() {
				if !day.AddDate(0, 0, 1).After(since) || day.After(now) {
					continue
				}
				days++
			}
			out = append(out, filepath.Join(p, name))
		}
		if days == 0 {
			empty = append(empty, p)
		}
	}
	return out, empty, nil
}

// judgeReport says the state at the end of a report's evidence.
func judgeReport(rep *analyze.Report, files []*parser.File, now, since time.Time, stale, grace time.Duration) *checkResult {
	res := &checkResult{at: now, rep: rep}
	if rep == nil {
		res = unknown(now, "no evidence")
		res.rep = nil
		return res
	}
	res.members = len(rep.Triad.Servers)
	last, failed, failedText := newest(files)
	res.last = last
	fail := func(why string) *checkResult {
		res.code, res.state, res.summary, res.since = pluginUnknown, analyze.Unknown, why, time.Time{}
		res.servers, res.active = nil, nil // what the evidence said last is not the state now
		return res
	}
	if rep.Verdict.Severity == analyze.SeverityInconclusive || len(rep.Intervals) == 0 {
		why := catalog.English(rep.Verdict.Msg)
		if why == "" {
			why = "no evidence"
		}
		if !last.IsZero() && last.Before(since) {
			why = fmt.Sprintf("no evidence in the last %s (--window); the newest is %s old", dur(now.Sub(since)), dur(now.Sub(last)))
		}
		return fail(strings.TrimSuffix(why, "."))
	}
	if last.IsZero() {
		return fail("no lmstat snapshot and no dated log line in the evidence")
	}
	ivs := rep.Intervals
	end := ivs[len(ivs)-1].End
	res.servers = serversAt(rep)
	for _, iv := range ivs {
		if iv.State != analyze.Starting && iv.State != analyze.Unknown && len(iv.Masters) == 0 {
			res.masterless += iv.Duration()
		}
	}
	for _, f := range rep.Findings {
		if !f.End.Before(end) {
			res.active = append(res.active, f)
		}
	}
	lastIv := ivs[len(ivs)-1]
	if age := now.Sub(last); age > stale {
		why := fmt.Sprintf("the newest snapshot is %s old (over --stale %s)", dur(age), dur(stale))
		if !hasLmstat(files) {
			why = fmt.Sprintf("the newest log line is %s old (over --stale %s)", dur(age), dur(stale))
		}
		if failed > 0 {
			why += fmt.Sprintf("; %s since failed: %s", plural(failed, "poll", "polls"), failedText)
		}
		if lastIv.State != analyze.Unknown {
			why += fmt.Sprintf("; it showed %s", lastIv.State)
		}
		return fail(why)
	}

	res.state = lastIv.State
	res.since = lastIv.Start
	for k := len(ivs) - 2; k >= 0 && ivs[k].State == res.state && !ivs[k].End.Before(res.since); k-- {
		res.since = ivs[k].Start
	}
	clipped := !res.since.After(since) // the state began before the window read
	long := func(from time.Time) string {
		if clipped && !from.After(since) {
			return "more than " + dur(now.Sub(since))
		}
		return dur(now.Sub(from))
	}

	type problem struct {
		code int
		text string
	}
	var problems []problem
	add := func(code int, text string) { problems = append(problems, problem{code, text}) }
	master := mastersOf(res.servers)
	ref := "KGTN 2010112602"
	if fx := catalog.FixFor(string(analyze.FailedRejoin), "en"); fx != nil && fx.Ref != "" {
		ref = fx.Ref
	}
	notUp := func() string {
		var parts []string
		for _, s := range res.servers {
			if s.status != analyze.StatusUp {
				parts = append(parts, s.name+" "+string(s.status))
			}
		}
		return strings.Join(parts, ", ")
	}
	if stop := openStop(rep, res.servers, end); stop != "" {
		switch res.state {
		case analyze.Degraded, analyze.Masterless, analyze.NoQuorum:
			// The evidence ends inside a maintenance window (TRIAD.md 5): every server not
			// up was stopped on purpose and may still come back; the rejoin grace after its
			// return decides (then the state is a failed rejoin, below).
			res.code = pluginOK
			res.summary = fmt.Sprintf("a planned stop at %s, not an outage (%s); it ends when they are back and have rejoined within %s",
				stop, notUp(), dur(grace))
		}
	}
	switch {
	case res.code == pluginOK && res.summary != "":
	case res.state == analyze.Unknown:
		why := catalog.English(lastIv.Why)
		if why == "" {
			why = "the evidence cannot decide the state"
		}
		return fail(why)
	case res.state == analyze.Normal:
		res.code = pluginOK
		res.summary = fmt.Sprintf("master %s, all %d servers up", master, len(res.servers))
	case res.state == analyze.Degraded:
		var parts []string
		for _, s := range res.servers {
			if s.status == analyze.StatusUp {
				continue
			}
			returning := s.status == analyze.StatusJoining || s.status == analyze.StatusUnresponsive
			switch ret := returnOf(rep, s.name); {
			case returning && !ret.IsZero() && end.Sub(ret) <= grace:
				parts = append(parts, fmt.Sprintf("%s came back %s ago and has not rejoined yet (%s); if it has not within the rejoin grace of %s, it is a failed rejoin: follow %s",
					s.name, long(ret), s.status, dur(grace), ref))
			case s.status == analyze.StatusIsolated:
				parts = append(parts, fmt.Sprintf("%s cut off from its peers (network partition) for %s", s.name, long(s.since)))
			default:
				parts = append(parts, fmt.Sprintf("%s %s for %s", s.name, s.status, long(s.since)))
			}
		}
		if len(parts) > 0 {
			res.code = pluginWarning
			res.summary = strings.Join(parts, "; ") + fmt.Sprintf("; master %s: licenses served with no spare", master)
		}
	case res.state == analyze.Starting:
		add(pluginWarning, fmt.Sprintf("cold start for %s: no master yet", long(res.since)))
	case res.state == analyze.FailedRejoin:
		var who []string
		for _, s := range res.servers {
			if s.status != analyze.StatusUp {
				who = append(who, s.name)
			}
		}
		add(pluginCritical, fmt.Sprintf("%s came back %s ago and has not rejoined: follow %s (master %s)",
			strings.Join(who, " and "), long(res.since), ref, master))
	case res.state == analyze.DualMaster:
		code := pluginWarning
		if end.Sub(res.since) > dualMasterCritical {
			code = pluginCritical
		}
		add(code, fmt.Sprintf("%s claim MASTER at once, for %s", strings.Join(lastIv.Masters, " and "), long(res.since)))
	case res.state == analyze.Masterless:
		add(pluginCritical, fmt.Sprintf("no master for %s (%s): licenses are not served", long(res.since), notUp()))
	case res.state == analyze.NoQuorum:
		add(pluginCritical, fmt.Sprintf("fewer than two servers up for %s (%s): no licenses are served", long(res.since), notUp()))
	}
	if res.summary != "" {
		add(res.code, res.summary)
	}
	for _, f := range res.active {
		if f.Severity != analyze.SeverityWarning && f.Severity != analyze.SeverityCritical {
			continue
		}
		switch f.Code {
		case string(analyze.FailedRejoin), string(analyze.DualMaster), string(analyze.Masterless), string(analyze.NoQuorum), "server-down":
			continue // the state says it
		case "vendor-daemon-down":
			add(pluginCritical, fmt.Sprintf("vendor daemon %v down on the master %s for %s: its licenses are not served",
				f.Msg.Args["vendor"], f.Server, long(f.Start)))
		default:
			code := pluginWarning
			if f.Severity == analyze.SeverityCritical {
				code = pluginCritical
			}
			add(code, f.Code+": "+strings.TrimSuffix(catalog.English(f.Msg), "."))
		}
	}
	if len(problems) == 0 { // the statuses at the end add nothing to the state
		add(stateStatus(res.state), fmt.Sprintf("the triad is %s (master %s)", res.state, master))
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].code > problems[j].code })
	res.code, res.summary = problems[0].code, problems[0].text
	if n := len(problems) - 1; n > 0 {
		res.summary += fmt.Sprintf("; and %s", plural(n, "more problem", "more problems"))
	}
	for _, p := range problems[1:] {
		res.details = append(res.details, pluginStatus[p.code]+": "+p.text)
	}
	return res
}

// openStop describes the planned stop whose window the evidence ends in, "" for none: a
// planned-shutdown finding that began by the end, whose stopped servers include every server
// not up now, each not up since the stop.
func openStop(rep *analyze.Report, servers []serverNow, end time.Time) string {
	type stop struct {
		start   time.Time
		servers map[string]bool
		text    string
	}
	var stops []*stop
	for _, f := range rep.Findings {
		if f.Code != "planned-shutdown" || f.Start.IsZero() || f.Start.After(end) {
			continue
		}
		var st *stop
		for _, x := range stops {
			if x.start.Equal(f.Start) {
				st = x
			}
		}
		if st == nil {
			how := ""
			if h, ok := f.Msg.Args["how"].(msg.Text); ok {
				how = " (" + catalog.English(h) + ")"
			}
			st = &stop{start: f.Start, servers: map[string]bool{}, text: f.Start.In(end.Location()).Format(time.RFC3339) + how}
			stops = append(stops, st)
		}
		if f.Server == "" {
			for _, s := range servers {
				st.servers[s.name] = true
			}
		} else {
			st.servers[f.Server] = true
		}
	}
	for k := len(stops) - 1; k >= 0; k-- {
		st, down := stops[k], 0
		for _, s := range servers {
			if s.status == analyze.StatusUp {
				continue
			}
			if !st.servers[s.name] || s.since.Before(st.start) {
				down = -1
				break
			}
			down++
		}
		if down > 0 {
			return st.text
		}
	}
	return ""
}

// stateStatus is the plugin status a state alone gives.
func stateStatus(s analyze.State) int {
	switch s {
	case analyze.Normal:
		return pluginOK
	case analyze.Degraded, analyze.Starting, analyze.DualMaster:
		return pluginWarning
	case analyze.Unknown:
		return pluginUnknown
	}
	return pluginCritical
}

// serversAt is each server's status at the end of the report: the last span of its lane.
func serversAt(rep *analyze.Report) []serverNow {
	var out []serverNow
	for _, ln := range rep.Lanes {
		if len(ln.Spans) == 0 {
			continue
		}
		sp := ln.Spans[len(ln.Spans)-1]
		s := serverNow{name: ln.Server, status: sp.Status, master: sp.Master, since: sp.Start}
		// The status began with the first of the spans at its end that have it (a span ends
		// when the master flag changes too).
		for k := len(ln.Spans) - 2; k >= 0 && ln.Spans[k].Status == sp.Status; k-- {
			s.since = ln.Spans[k].Start
		}
		out = append(out, s)
	}
	if len(out) == 0 && len(rep.Intervals) > 0 {
		iv := rep.Intervals[len(rep.Intervals)-1]
		for _, s := range iv.Servers {
			master := false
			for _, m := range iv.Masters {
				master = master || m == s.Server
			}
			out = append(out, serverNow{name: s.Server, status: s.Status, master: master, since: iv.Start})
		}
	}
	return out
}

// returnOf is when a server that is joining or unresponsive at the end came back: the start of
// the spans at the end of its lane in which it is joining or unresponsive.
func returnOf(rep *analyze.Report, server string) time.Time {
	for _, ln := range rep.Lanes {
		if ln.Server != server {
			continue
		}
		var ret time.Time
		for k := len(ln.Spans) - 1; k >= 0; k-- {
			st := ln.Spans[k].Status
			if st != analyze.StatusJoining && st != analyze.StatusUnresponsive {
				break
			}
			ret = ln.Spans[k].Start
		}
		return ret
	}
	return time.Time{}
}

// mastersOf names the servers that are up and master, or says there is none.
func mastersOf(servers []serverNow) string {
	var m []string
	for _, s := range servers {
		if s.master && s.status == analyze.StatusUp {
			m = append(m, s.name)
		}
	}
	if len(m) == 0 {
		return "none"
	}
	return strings.Join(m, " and ")
}

// newest is the time of the newest lmstat snapshot that answered (without lmstat input, of the
// newest log line), and the failed polls after it with the text of the last of them.
func newest(files []*parser.File) (last time.Time, failed int, failedText string) {
	lm := hasLmstat(files)
	var lastFailed time.Time
	for _, f := range files {
		switch {
		case lm && f.Kind == parser.KindLmstat:
			for _, r := range f.Runs {
				if !f.Failed(r) {
					if r.Time.After(last) {
						last = r.Time
					}
				}
			}
		case !lm && f.Kind == parser.KindDebugLog:
			if f.Last.After(last) {
				last = f.Last
			}
		}
	}
	for _, f := range files {
		if f.Kind != parser.KindLmstat {
			continue
		}
		for _, r := range f.Runs {
			if f.Failed(r) && r.Time.After(last) {
				failed++
				if !r.Time.Before(lastFailed) {
					lastFailed = r.Time
					failedText = oneLine(f.Snapshots[r.Snap].Failed.Text)
				}
			}
		}
	}
	return last, failed, failedText
}

func hasLmstat(files []*parser.File) bool {
	for _, f := range files {
		if f.Kind == parser.KindLmstat {
			return true
		}
	}
	return false
}

// dur is a length as the reports print it: 1h13m52s, 5m, 45s.
func dur(d time.Duration) string { return catalog.Duration("en", d) }

// write writes the result in the chosen format, to -o or standard output.
func (c *checkCmd) write(e *env, res *checkResult) error {
	if c.Format == "prometheus" && c.Output != "" && c.Output != "-" {
		return c.writeTextfile(res)
	}
	out, err := createOutput(c.Output, e.stdout, statInputs(inputNames(res.paths, res.files)))
	if err != nil {
		return err
	}
	defer out.Abort()
	switch c.Format {
	case "prometheus":
		err = writeMetrics(out, res)
	case "json":
		err = writeCheckJSON(out, res)
	default:
		err = writeNagios(out, res)
	}
	if err != nil {
		return fmt.Errorf("writing the result: %v", err)
	}
	if err := out.Commit(); err != nil {
		return err
	}
	res.wrote = true
	return nil
}

// writeTextfile writes the metrics to -o with prometheus.WriteToTextfile: a temporary file in
// the same folder renamed over FILE, so that node_exporter never reads half of it.
func (c *checkCmd) writeTextfile(res *checkResult) error {
	fi, err := os.Stat(c.Output)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("-o %s: is a directory", c.Output)
	case err == nil:
		if name, ok := statInputs(inputNames(res.paths, res.files)).find(fi); ok {
			return fmt.Errorf("-o %s: this is an input file (%s); write the metrics elsewhere", c.Output, name)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("-o %s: %v", c.Output, bare(err))
	}
	reg := metrics(res)
	if err := prometheus.WriteToTextfile(c.Output, reg); err != nil {
		return fmt.Errorf("-o %s: %v", c.Output, bare(err))
	}
	return nil
}

// perfSafe keeps text from ending the plugin output's text part: "|" starts the perfdata.
func perfSafe(s string) string {
	return strings.ReplaceAll(report.Clean(oneLine(s)), "|", "/")
}

// writeNagios writes the plugin output: the status line with its perfdata, then the servers,
// the other problems and the fix.
func writeNagios(w io.Writer, res *checkResult) error {
	line := fmt.Sprintf("LMTRIAD %s - %s: %s", pluginStatus[res.code], res.state, perfSafe(res.summary))
	if perf := perfdata(res); perf != "" {
		line += " | " + perf
	}
	lines := []string{line}
	for _, s := range res.servers {
		t := fmt.Sprintf("%s: %s", s.name, s.status)
		if s.master && s.status == analyze.StatusUp {
			t += ", master"
		}
		if !s.since.IsZero() && s.status != analyze.StatusUp {
			t += " since " + s.since.In(res.zone()).Format(time.RFC3339)
		}
		lines = append(lines, t)
	}
	for _, d := range res.details {
		lines = append(lines, perfSafe(d))
	}
	if res.state == analyze.FailedRejoin {
		if fx := catalog.FixFor(string(analyze.FailedRejoin), "en"); fx != nil {
			lines = append(lines, perfSafe(strings.TrimSpace(fx.Ref+": "+fx.Title)))
			for i, s := range fx.Steps {
				lines = append(lines, perfSafe(fmt.Sprintf("  %d. %s", i+1, s)))
			}
		}
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// perfdata is the plugin's performance data ('label'=value[UOM];warn;crit;min;max).
func perfdata(res *checkResult) string {
	var p []string
	if len(res.servers) > 0 {
		up, masters := 0, 0
		for _, s := range res.servers {
			if s.status == analyze.StatusUp {
				up++
				if s.master {
					masters++
				}
			}
		}
		n := res.members
		if n == 0 {
			n = len(res.servers)
		}
		p = append(p, fmt.Sprintf("'servers_up'=%d;;;0;%d", up, n), fmt.Sprintf("'masters'=%d;;;0;%d", masters, n))
	}
	if !res.last.IsZero() {
		p = append(p, fmt.Sprintf("'age'=%ds;;;0", int64(res.age().Round(time.Second)/time.Second)))
	}
	if res.rep != nil && len(res.rep.Intervals) > 0 {
		p = append(p, fmt.Sprintf("'masterless'=%ds;;;0", int64(res.masterless.Round(time.Second)/time.Second)))
	}
	return strings.Join(p, " ")
}

// age is how old the newest evidence is; evidence dated after the check (a clock ahead) is 0 s old.
func (res *checkResult) age() time.Duration {
	return max(res.at.Sub(res.last), 0)
}

func (res *checkResult) zone() *time.Location {
	if res.loc != nil {
		return res.loc
	}
	return time.Local
}

// writeCheckJSON writes the lmtriad.report/v1 report of the window with the "now" object.
func writeCheckJSON(w io.Writer, res *checkResult) error {
	rep := res.rep
	if rep == nil {
		rep = &analyze.Report{Verdict: analyze.Verdict{State: analyze.Unknown, Severity: analyze.SeverityInconclusive, ExitCode: exitInconclusive}}
	}
	now := &report.Now{State: res.state, Status: pluginStatus[res.code], ExitCode: res.code, Since: res.since,
		Summary: res.summary, At: res.at, Last: res.last}
	return report.JSON(w, rep, report.Options{Version: version, Location: res.loc, Now: now}, false)
}

// metrics gathers the result as Prometheus gauges.
func metrics(res *checkResult) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		reg.MustRegister(g)
		return g
	}
	vec := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	gauge("lmtriad_check_status", "The check's Monitoring Plugins status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.").Set(float64(res.code))
	states := vec("lmtriad_triad_state", "The triad's state at the end of the evidence: 1 for the current state, 0 for the others.", "state")
	for _, s := range []analyze.State{analyze.Unknown, analyze.Starting, analyze.FailedRejoin, analyze.DualMaster, analyze.NoQuorum, analyze.Masterless, analyze.Degraded, analyze.Normal} {
		v := 0.0
		if s == res.state {
			v = 1
		}
		states.WithLabelValues(string(s)).Set(v)
	}
	if !res.since.IsZero() {
		gauge("lmtriad_triad_state_since_timestamp_seconds", "When the current state began (Unix time; the start of the window read when it began before).").Set(float64(res.since.Unix()))
	}
	if !res.last.IsZero() {
		gauge("lmtriad_evidence_age_seconds", "Seconds since the newest lmstat snapshot (without lmstat: the newest log line).").Set(res.age().Seconds())
		gauge("lmtriad_evidence_last_timestamp_seconds", "Time of the newest lmstat snapshot (without lmstat: the newest log line), Unix time.").Set(float64(res.last.Unix()))
	}
	if len(res.servers) > 0 {
		status := vec("lmtriad_server_status", "Each server's status at the end of the evidence: 1 for its current status, 0 for the others.", "server", "status")
		master := vec("lmtriad_server_master", "1 when the server is up and claims master, else 0.", "server")
		up, masters := 0, 0
		for _, s := range res.servers {
			for _, st := range []analyze.Status{analyze.StatusUp, analyze.StatusIsolated, analyze.StatusJoining, analyze.StatusDown, analyze.StatusUnresponsive, analyze.StatusUnknown} {
				v := 0.0
				if st == s.status {
					v = 1
				}
				status.WithLabelValues(s.name, string(st)).Set(v)
			}
			m := 0.0
			if s.master && s.status == analyze.StatusUp {
				m = 1
				masters++
			}
			if s.status == analyze.StatusUp {
				up++
			}
			master.WithLabelValues(s.name).Set(m)
		}
		gauge("lmtriad_servers_up", "Servers up at the end of the evidence.").Set(float64(up))
		gauge("lmtriad_masters", "Servers up and claiming master at the end of the evidence.").Set(float64(masters))
	}
	if res.rep != nil && len(res.rep.Intervals) > 0 {
		gauge("lmtriad_masterless_seconds", "Seconds without a master in the window read (cold starts and unknown spans left out).").Set(res.masterless.Seconds())
	}
	active := vec("lmtriad_findings_active", "Findings still going at the end of the evidence, by code and severity.", "code", "severity")
	for _, f := range res.active {
		active.WithLabelValues(f.Code, string(f.Severity)).Inc()
	}
	return reg
}

// writeMetrics writes the metrics in the Prometheus text format.
func writeMetrics(w io.Writer, res *checkResult) error {
	mfs, err := metrics(res).Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

// checkUsage makes a command line of check that kong could not parse a plugin's usage error:
// UNKNOWN, exit 3, said on standard output too (Monitoring Plugins). ok is false for the other
// commands.
func checkUsage(err error, stdout io.Writer) (code int, ok bool) {
	var pe *kong.ParseError
	if !errors.As(err, &pe) || pe.Context == nil {
		return 0, false
	}
	for _, p := range pe.Context.Path {
		if p.Command != nil && p.Command.Name == "check" {
			fmt.Fprintf(stdout, "LMTRIAD UNKNOWN - usage: %s\n", perfSafe(err.Error()))
			return pluginUnknown, true
		}
	}
	return 0, false
}
