package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/alecthomas/kong"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/report/catalog"
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

// cli is the command line: one struct per command, each with its own Run method.
type cli struct {
	Version    kong.VersionFlag `short:"V" help:"Print the version and exit."`
	Analyze    analyzeCmd       `cmd:"" help:"Diagnose an incident: intervals, findings, verdict."`
	Timeline   timelineCmd      `cmd:"" help:"Replay every triad event in corrected-time order with the triad state after it."`
	Batch      batchCmd         `cmd:"" help:"Triage many incidents at once: each directory or bundle is one incident."`
	Simulate   simulateCmd      `cmd:"" help:"Render a simulated incident (logs, lmstat, license file and the true states) from a scenario."`
	Collect    collectCmd       `cmd:"" help:"Record the triad: an lmstat snapshot every minute, with a stamp line, into one file a day."`
	Check      checkCmd         `cmd:"" help:"Say the triad's state now, from the recent evidence, as a monitoring plugin (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) or for Prometheus."`
	Redact     redactCmd        `cmd:"" help:"Write the inputs again with every name of the site replaced, to send to support; --reverse puts the names back into a report."`
	Help       helpCmd          `cmd:"" help:"Show the help of a command: lmtriad help analyze."`
	Completion completionCmd    `cmd:"" help:"Print a completion script for bash, zsh or fish."`
	VersionC   versionCmd       `cmd:"" name:"version" help:"Print the version."`
}

// env is what the commands read of their surroundings and where they write; tests pass their
// own. kong hands it to every Run method.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // this machine's clock: dates far after it are not trusted
	isTTY          bool             // stdout is a terminal
}

// cmdError is an error that says how the command exits (gojq's ExitCode()). Its message is
// printed as "lmtriad: error: ..." unless it has none: an exit with findings (1) or an
// inconclusive analysis (3) has already said what it had to in its report.
type cmdError struct {
	code int
	err  error
}

func (e *cmdError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *cmdError) ExitCode() int { return e.code }
func (e *cmdError) Unwrap() error { return e.err }

// errorText is err as users read it. The parser's errors are codes (a *parser.PathError's
// message has no wording): one in err is rendered in English by the catalogue, "PATH: text",
// in place when err wraps it with more words. Any other error reads as it says.
func errorText(err error) string {
	var pe *parser.PathError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	text := pe.Path + ": " + catalog.English(pe.Msg)
	s := err.Error()
	if !strings.Contains(s, pe.Error()) {
		return text // a wrapper that does not say what it wraps: at least the parser's words
	}
	return strings.Replace(s, pe.Error(), text, 1)
}

// usageError is a wrong flag or argument: exit 2.
func usageError(format string, a ...any) error {
	return &cmdError{exitError, fmt.Errorf(format, a...)}
}

// inputError is an input that cannot be read or analysed at all: exit 2.
func inputError(err error) error { return &cmdError{exitError, err} }

// exitWith ends the command with code and no message.
func exitWith(code int) error {
	if code == exitOK {
		return nil
	}
	return &cmdError{code: code}
}

const description = `Forensic analysis of FlexLM / FlexNet Publisher three-server triads.

Exit codes: 0 no findings needing attention; 1 warning or critical findings; 2 usage or
input error; 3 too little evidence, or not a triad.`

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	return runWith(args, os.Stdin, stdout, stderr, getenv)
}

func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (code int) {
	tty := false
	if f, ok := stdout.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now, isTTY: tty}

	type exit struct{ code int }
	defer func() { // kong calls Exit for --help, --version and fatal parse errors
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
		kong.Description(description),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Vars{
			"version":          "lmtriad " + version,
			"formats":          strings.Join(report.Formats, ","),
			"timeline_formats": strings.Join(report.TimelineFormats, ","),
			"lang":             e.lang(),
			"paths_help":       pathsHelp,
		},
		kong.Bind(e),
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
		fmt.Fprintf(stderr, "lmtriad: error: %s\n", report.Clean(err.Error()))
		if kctx != nil {
			fmt.Fprintln(stderr, "run 'lmtriad --help' for usage")
		}
		if code, ok := checkUsage(err, stdout); ok { // a monitoring plugin's usage error is UNKNOWN
			return code
		}
		return exitError
	}
	return e.exitCode(kctx.Run())
}

// exitCode prints err and says how to exit: its own code when it has one, else 2.
func (e *env) exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ce *cmdError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintf(e.stderr, "lmtriad: error: %s\n", report.Clean(errorText(ce.err)))
		}
		return ce.code
	}
	fmt.Fprintf(e.stderr, "lmtriad: error: %s\n", report.Clean(errorText(err)))
	return exitError
}

// lang is the default report language: Japanese when the locale says so (LC_ALL wins over
// LANG), else English.
func (e *env) lang() string {
	loc := e.getenv("LC_ALL")
	if loc == "" {
		loc = e.getenv("LANG")
	}
	if strings.HasPrefix(loc, "ja") {
		return "ja"
	}
	return "en"
}

// helpCmd is "lmtriad help [COMMAND]": the same as "lmtriad COMMAND --help".
type helpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to explain."`
}

func (h *helpCmd) Run(ctx *kong.Context) error {
	_, err := ctx.Kong.Parse(append(append([]string(nil), h.Command...), "--help"))
	if err != nil {
		return usageError("help %s: %v", strings.Join(h.Command, " "), err)
	}
	return nil
}

// versionCmd is "lmtriad version", like --version.
type versionCmd struct{}

func (versionCmd) Run(e *env) error {
	_, err := fmt.Fprintf(e.stdout, "lmtriad %s\n", version)
	return err
}
