package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/alecthomas/kong"
	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report"
	"github.com/mattn/go-isatty"
)

// version is set with -ldflags "-X main.version=v1.2.3"; otherwise the module version or 0.1.0.
var version = ""

func init() {
	if version != "" {
		return
	}
	version = "0.1.0"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Sum != "" {
		version = strings.TrimPrefix(bi.Main.Version, "v")
	}
}

// Exit codes (TRIAD.md section 5).
const (
	exitOK           = 0
	exitFindings     = 1
	exitError        = 2
	exitInconclusive = 3
)

// common are the flags of analyze and timeline.
type common struct {
	Paths       []string          `arg:"" name:"path" help:"Debug logs, lmstat outputs, license files, or directories holding them."`
	Format      string            `short:"f" enum:"text,json,markdown,html,csv" default:"text" help:"Output format: ${enum} (csv: one row per interval; timeline: text or json)."`
	TZ          string            `name:"tz" placeholder:"ZONE" help:"IANA zone the servers' clocks were in, e.g. Asia/Tokyo (default: this machine's zone)."`
	Server      map[string]string `name:"server" placeholder:"NAME=FILE" help:"Say which server wrote a debug log whose banner does not tell (repeatable)."`
	Skew        map[string]string `name:"skew" placeholder:"NAME=DURATION" help:"A server's clock offset against the reference clock (its clock minus the reference, e.g. server2=+150s; lmstat=... for the host that ran lmstat)."`
	RejoinGrace time.Duration     `name:"rejoin-grace" default:"5m" help:"How long a returning server may take to rejoin before it is a failed rejoin."`
	Color       string            `enum:"auto,always,never" default:"auto" help:"Colour: ${enum} (auto: only on a terminal, and not with NO_COLOR)."`
	Output      string            `short:"o" placeholder:"FILE" help:"Write the report to FILE instead of standard output."`
	Lang        string            `enum:",en,ja" default:"" placeholder:"LANG" help:"Language of the text, Markdown and HTML reports: en or ja (default: ja when LC_ALL or LANG starts with ja, else en). JSON and CSV stay in English."`
	Encoding    string            `placeholder:"NAME" help:"Read every input in this encoding (utf-8, utf-16le, utf-16be, shift_jis) instead of detecting it."`
	MaxBytes    int64             `name:"max-bytes" default:"4294967296" placeholder:"N" help:"Stop reading archives after N uncompressed bytes in all (against zip bombs)."`
	Since       string            `placeholder:"TIME" help:"Report from this time on (RFC 3339, or YYYY-MM-DD HH:MM[:SS] in --tz). All evidence is still read."`
	Until       string            `placeholder:"TIME" help:"Report up to this time."`
	Around      string            `placeholder:"TIME[/WINDOW]" help:"Report around a moment: TIME with WINDOW (default 1h) either side, e.g. '2010-12-01 12:58/30m'."`
}

type analyzeCmd struct {
	common
}

type timelineCmd struct {
	common
	Only string `placeholder:"SERVER" help:"Show only entries observed by this server (or lmstat)."`
}

type versionCmd struct{}

// batchCmd is in batch.go, simulateCmd in simulate.go.

type cli struct {
	Analyze  analyzeCmd  `cmd:"" help:"Diagnose an incident: intervals, findings, verdict."`
	Timeline timelineCmd `cmd:"" help:"Replay every triad event in corrected-time order with the triad state after it."`
	Batch    batchCmd    `cmd:"" help:"Triage many incidents at once: each directory or bundle is one incident."`
	Simulate simulateCmd `cmd:"" help:"Render a simulated incident (logs, lmstat, license file and the true states) from a scenario."`
	Version  versionCmd  `cmd:"" help:"Print the version."`
}

// env gives what the command reads of its surroundings; tests pass their own.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	isTTY          bool
}

// exitError carries an exit code with its message.
type exitErr struct {
	code int
	msg  string
}

func (e *exitErr) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) (code int) {
	tty := false
	if f, ok := stdout.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv, isTTY: tty}

	type exit struct{ code int }
	defer func() { // kong calls Exit for --help and fatal parse errors
		if r := recover(); r != nil {
			x, ok := r.(exit)
			if !ok {
				panic(r)
			}
			code = x.code
		}
	}()
	var c cli
	p, err := kong.New(&c,
		kong.Name("lmtriad"),
		kong.Description("Forensic analysis of FlexLM / FlexNet Publisher three-server triads.\n\nExit codes: 0 no findings needing attention; 1 warning or critical findings; 2 usage or input error; 3 too little evidence, or not a triad."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) {
			if c != 0 {
				c = exitError
			}
			panic(exit{c})
		}),
	)
	if err != nil {
		panic(err) // a bug in the CLI struct tags
	}
	kctx, err := p.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "lmtriad: error: %v\n", err)
		if kctx != nil {
			fmt.Fprintln(stderr, "run 'lmtriad --help' for usage")
		}
		return exitError
	}
	switch kctx.Command() {
	case "version":
		fmt.Fprintf(stdout, "lmtriad %s\n", version)
		return exitOK
	case "analyze <path>":
		return e.finish(e.analyze(&c.Analyze.common, nil))
	case "timeline <path>":
		return e.finish(e.analyze(&c.Timeline.common, &c.Timeline))
	case "batch <path>":
		return e.finish(e.batch(&c.Batch))
	case "simulate <scenario>":
		return e.finish(e.simulate(&c.Simulate))
	}
	fmt.Fprintf(stderr, "lmtriad: error: unknown command %q\n", kctx.Command())
	return exitError
}

func (e *env) finish(code int, err error) int {
	if err != nil {
		fmt.Fprintf(e.stderr, "lmtriad: error: %s\n", report.Clean(err.Error()))
	}
	return code
}

func (e *env) analyze(c *common, tl *timelineCmd) (int, error) {
	loc, zoneName, err := e.zone(c.TZ)
	if err != nil {
		return exitError, err
	}
	skew := map[string]time.Duration{}
	for name, v := range c.Skew {
		d, err := time.ParseDuration(strings.TrimPrefix(v, "+"))
		if err != nil {
			return exitError, fmt.Errorf("--skew %s=%s: not a duration (use e.g. +150s, -40s, 2m)", name, v)
		}
		skew[name] = d
	}
	if c.RejoinGrace <= 0 {
		return exitError, errors.New("--rejoin-grace must be positive")
	}
	if c.Encoding != "" {
		if err := parser.CheckEncoding(c.Encoding); err != nil {
			return exitError, fmt.Errorf("--encoding: %v", err)
		}
	}
	if c.MaxBytes <= 0 {
		return exitError, errors.New("--max-bytes must be positive")
	}
	opt := parser.Options{Location: loc, Encoding: c.Encoding, MaxBytes: c.MaxBytes}
	files, err := parser.ReadPaths(c.Paths, opt)
	if err != nil {
		return exitError, err
	}
	assigned, files, err := assignServers(c.Server, files, opt)
	if err != nil {
		return exitError, err
	}
	out, err := createOutput(c.Output, e.stdout, statInputs(inputNames(c.Paths, files)))
	if err != nil {
		return exitError, err
	}
	defer out.Abort()
	since, until, err := c.window(loc)
	if err != nil {
		return exitError, err
	}
	e.warnings(files)

	rep, err := analyze.Analyze(files, analyze.Config{Location: loc, RejoinGrace: c.RejoinGrace, Skew: skew, Servers: assigned,
		Since: since, Until: until})
	switch {
	case errors.Is(err, analyze.ErrNotTriad), errors.Is(err, analyze.ErrNoEvidence):
		return exitInconclusive, fmt.Errorf("%s: %v", strings.Join(c.Paths, " "), err)
	case errors.Is(err, analyze.ErrNoInput):
		return exitError, fmt.Errorf("%s: no debug log, lmstat output or license file to analyse", strings.Join(c.Paths, " "))
	case err != nil:
		return exitError, err
	}
	rep.Clock.Timezone = zoneName
	if tl != nil {
		if err := filterTimeline(rep, tl); err != nil {
			return exitError, err
		}
	}

	colour := c.Color == "always" || (c.Color == "auto" && out.stdout() && e.isTTY &&
		e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb")
	o := report.Options{Version: version, Color: colour && c.Format == "text", Location: loc, Lang: e.lang(c.Lang)}
	switch {
	case c.Format == "json":
		err = report.JSON(out, rep, o, tl != nil)
	case tl != nil && c.Format != "text":
		return exitError, fmt.Errorf("timeline writes text or json, not %s", c.Format)
	case tl != nil:
		err = report.Timeline(out, rep, o)
	default:
		err = report.Write(out, c.Format, rep, o)
	}
	if err != nil {
		return exitError, fmt.Errorf("writing the report: %v", err)
	}
	if err := out.Commit(); err != nil {
		return exitError, err
	}
	return rep.Verdict.ExitCode, nil
}

// lang resolves --lang: given, else Japanese when the locale says so (LC_ALL wins over LANG).
func (e *env) lang(given string) string {
	if given != "" {
		return given
	}
	loc := e.getenv("LC_ALL")
	if loc == "" {
		loc = e.getenv("LANG")
	}
	if strings.HasPrefix(loc, "ja") {
		return "ja"
	}
	return "en"
}

// zone resolves --tz, or the machine's zone, and a name for it.
func (e *env) zone(tz string) (*time.Location, string, error) {
	if tz == "" {
		tz = strings.TrimPrefix(e.getenv("TZ"), ":")
	}
	if tz == "" {
		if target, err := os.Readlink("/etc/localtime"); err == nil {
			if i := strings.Index(target, "zoneinfo/"); i >= 0 {
				tz = target[i+len("zoneinfo/"):]
			}
		}
	}
	if tz == "" {
		return time.Local, time.Local.String(), nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, "", fmt.Errorf("--tz %s: unknown time zone (use an IANA name such as Asia/Tokyo or Europe/Berlin)", tz)
	}
	return loc, tz, nil
}

// assignServers turns --server NAME=FILE into file name -> server, reading FILE when it was not
// among the paths.
func assignServers(given map[string]string, files []*parser.File, opt parser.Options) (map[string]string, []*parser.File, error) {
	out := map[string]string{}
	for name, file := range given {
		found := false
		for _, f := range files {
			if filepath.Clean(f.Name) == filepath.Clean(file) {
				out[f.Name] = name
				found = true
			}
		}
		if !found {
			f, err := parser.ReadFile(file, opt)
			if err != nil {
				return nil, nil, err
			}
			if f.Kind != parser.KindDebugLog {
				return nil, nil, fmt.Errorf("--server %s=%s: not a debug log (%s)", name, file, f.Kind)
			}
			files = append(files, f)
			out[f.Name] = name
		}
	}
	return out, files, nil
}

const warningsPerFile = 10

// warnings prints the inputs' line warnings to stderr, a few per file.
func (e *env) warnings(files []*parser.File) {
	for _, f := range files {
		for i, w := range f.Warnings {
			if i == warningsPerFile {
				break
			}
			fmt.Fprintf(e.stderr, "lmtriad: warning: %s\n", report.Clean(w.Error()))
		}
		if f.Warned > warningsPerFile {
			fmt.Fprintf(e.stderr, "lmtriad: warning: %s: %d more warnings not shown\n", report.Clean(f.Name), f.Warned-warningsPerFile)
		}
	}
}

// window reads --since, --until and --around.
func (c *common) window(loc *time.Location) (since, until time.Time, err error) {
	if c.Around != "" {
		if c.Since != "" || c.Until != "" {
			return since, until, errors.New("--around goes alone, without --since or --until")
		}
		at, span, _ := strings.Cut(c.Around, "/")
		t, err := parseWhen(at, loc)
		if err != nil {
			return since, until, fmt.Errorf("--around %s: %v", c.Around, err)
		}
		w := time.Hour
		if span != "" {
			if w, err = time.ParseDuration(span); err != nil || w <= 0 {
				return since, until, fmt.Errorf("--around %s: the window after / is a duration such as 30m or 2h", c.Around)
			}
		}
		return t.Add(-w), t.Add(w), nil
	}
	if c.Since != "" {
		if since, err = parseWhen(c.Since, loc); err != nil {
			return since, until, fmt.Errorf("--since %s: %v", c.Since, err)
		}
	}
	if c.Until != "" {
		if until, err = parseWhen(c.Until, loc); err != nil {
			return since, until, fmt.Errorf("--until %s: %v", c.Until, err)
		}
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		return since, until, errors.New("--since must come before --until")
	}
	return since, until, nil
}

// filterTimeline keeps the entries --only asks for.
func filterTimeline(rep *analyze.Report, tl *timelineCmd) error {
	if tl.Only == "" {
		return nil
	}
	known := strings.EqualFold(tl.Only, "lmstat")
	for _, s := range rep.Triad.Servers {
		if strings.EqualFold(s.Name, tl.Only) {
			known = true
		}
	}
	if !known {
		return fmt.Errorf("--only %s: not a member of the triad (%s) nor lmstat", tl.Only, memberNames(rep))
	}
	var out []analyze.TimelineEntry
	for _, e := range rep.Timeline {
		if strings.EqualFold(e.Server, tl.Only) {
			out = append(out, e)
		}
	}
	rep.Timeline = out
	return nil
}

func memberNames(rep *analyze.Report) string {
	var n []string
	for _, s := range rep.Triad.Servers {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

func parseWhen(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time (use RFC 3339 or YYYY-MM-DD HH:MM[:SS])")
}
