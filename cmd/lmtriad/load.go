package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// stdinName names standard input ("-" on the command line) in reports and messages.
const stdinName = "(stdin)"

// loaded is an incident read and analysed.
type loaded struct {
	files []*parser.File
	rep   *analyze.Report // nil when nothing could be analysed; set with an inconclusive error
	loc   *time.Location  // the servers' zone: times are read and shown in it
}

// load is the one way from paths to a report, for every command that analyses incidents:
// it checks the flags, decides the zone, reads the paths ("-" is standard input), assigns
// logs to servers (--server), calls before with the files read (the commands that write a
// file check it there, before the analysis), then analyses them. inc is nil for commands
// that take no per-incident flags (batch). Errors carry their exit code: 2 for usage and
// input errors, 3 for an inconclusive analysis (the loaded report is then returned too).
func (e *env) load(paths []string, in *inputFlags, inc *incidentFlags, before func([]*parser.File) error) (*loaded, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	loc, err := e.zone(in.TZ)
	if err != nil {
		return nil, err
	}
	cfg := analyze.Config{Location: loc, RejoinGrace: in.RejoinGrace}
	if inc != nil {
		if cfg.Skew, err = inc.skews(); err != nil {
			return nil, err
		}
		if cfg.Since, cfg.Until, err = inc.window(loc); err != nil {
			return nil, err
		}
		if cfg.At, err = inc.at(loc); err != nil {
			return nil, err
		}
		cfg.End = inc.end
	}
	opt := parser.Options{Location: loc, Encoding: in.Encoding, MaxBytes: in.MaxBytes, Now: e.now()}
	files, err := e.readPaths(paths, opt)
	if err != nil {
		return nil, err
	}
	if inc != nil {
		if cfg.Servers, files, err = assignServers(inc.Server, files, opt); err != nil {
			return nil, err
		}
	}
	l := &loaded{files: files, loc: loc}
	if before != nil {
		if err := before(files); err != nil {
			return nil, err
		}
	}
	l.rep, err = analyze.Analyze(files, cfg)
	if err != nil {
		return l, analysisError(paths, err)
	}
	return l, nil
}

// analysisError gives an error of the analysis its exit code.
func analysisError(paths []string, err error) error {
	var ce *analyze.ConfigError
	switch {
	case errors.As(err, &ce):
		return usageError("%v", ce)
	case errors.Is(err, analyze.ErrNotTriad), errors.Is(err, analyze.ErrNoEvidence):
		return &cmdError{exitInconclusive, fmt.Errorf("%s: %w", strings.Join(paths, " "), err)}
	case errors.Is(err, analyze.ErrNoInput):
		return inputError(fmt.Errorf("%s: no debug log, lmstat output or license file to analyse", strings.Join(paths, " ")))
	}
	return inputError(err)
}

// readPaths reads the paths with the parser; "-" is standard input, read once as one file,
// at most --max-bytes of it.
func (e *env) readPaths(paths []string, opt parser.Options) ([]*parser.File, error) {
	var disk []string
	stdin := false
	for _, p := range paths {
		if p != "-" {
			disk = append(disk, p)
			continue
		}
		if stdin {
			return nil, usageError("- (standard input) is given twice")
		}
		stdin = true
	}
	var files []*parser.File
	if len(disk) > 0 {
		var err error
		if files, err = parser.ReadPaths(disk, opt); err != nil {
			return nil, inputError(err)
		}
	}
	if !stdin {
		return files, nil
	}
	lr := &io.LimitedReader{R: e.stdin, N: opt.MaxBytes + 1}
	f, err := parser.Read(lr, stdinName, opt)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %v", stdinName, err))
	}
	if lr.N <= 0 {
		return nil, inputError(fmt.Errorf("%s: more than %d bytes (--max-bytes to raise the limit)", stdinName, opt.MaxBytes))
	}
	if f.Kind == parser.KindUnknown {
		return nil, inputError(&parser.PathError{Path: stdinName, Msg: msg.New("error.give-stdin", "reason", f.Reason)})
	}
	return append(files, f), nil // listed after the files read from disk
}

// zone resolves --tz, or the machine's zone by its IANA name, so that the report can name it.
func (e *env) zone(tz string) (*time.Location, error) {
	given := tz != ""
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
		return time.Local, nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		if !given {
			return time.Local, nil
		}
		return nil, usageError("--tz %s: unknown time zone (use an IANA name such as Asia/Tokyo or Europe/Berlin)", tz)
	}
	return loc, nil
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
				return nil, nil, inputError(err)
			}
			if f.Kind != parser.KindDebugLog {
				return nil, nil, usageError("--server %s=%s: not a debug log (%s)", name, file, f.Kind)
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
			fmt.Fprintf(e.stderr, "lmtriad: warning: %s:%d: %s\n", report.Clean(w.File), w.Line, report.Clean(catalog.English(w.Msg)))
		}
		if f.Warned > warningsPerFile {
			fmt.Fprintf(e.stderr, "lmtriad: warning: %s: %d more warnings not shown\n", report.Clean(f.Name), f.Warned-warningsPerFile)
		}
	}
}

// bare is an error of the os package without the path it names: the message names it once.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
