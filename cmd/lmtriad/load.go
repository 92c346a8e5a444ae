package main

import (
	"bytes"
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
	"github.com/lmtriad/lmtriad/parser/zone"
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
	zone  zone.Decision   // where loc came from, and its warnings
}

// load is the one way from paths to a report, for every command that analyses incidents:
// it checks the flags, reads the paths ("-" is standard input) in the zone given with --tz
// or else this machine's, assigns logs to servers (--server), decides the servers' zone
// from the lines of the inputs that tell it (TRIAD.md 6) and, when that is another zone than
// the one read with, reads the inputs again in it; it calls before with what was read (the
// commands that write a file check it there, before the analysis), then analyses it. inc is
// nil for commands that take no per-incident flags (batch). Errors carry their exit code: 2
// for usage and input errors, 3 for an inconclusive analysis (the loaded report is then
// returned too).
func (e *env) load(paths []string, in *inputFlags, inc *incidentFlags, before func(*loaded) error) (*loaded, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	given, err := e.givenZone(in.TZ)
	if err != nil {
		return nil, err
	}
	machine := e.machineZone()
	read := machine
	if given != nil {
		read = given
	}
	cfg := analyze.Config{RejoinGrace: in.RejoinGrace}
	if inc != nil {
		if cfg.Skew, err = inc.skews(); err != nil {
			return nil, err
		}
		// --since, --until and --at are in the servers' zone, known once the inputs are read:
		// checked now, read below.
		if err := inc.times(read, &cfg); err != nil {
			return nil, err
		}
		cfg.End = inc.end
	}
	src := &sources{e: e, paths: paths, inc: inc, again: given == nil}
	defer src.close()
	opt := parser.Options{Location: read, Encoding: in.Encoding, MaxBytes: in.MaxBytes, Now: e.now()}
	files, servers, err := src.read(opt)
	if err != nil {
		return nil, err
	}
	clues, from, to := zone.Evidence(files)
	dec := zone.Decide(clues, given, machine, from, to)
	if dec.Name != read.String() {
		// The lines of the inputs tell another zone: their times read again in it (reading
		// is deterministic; only the zone differs).
		opt.Location = dec.Loc
		if files, servers, err = src.read(opt); err != nil {
			return nil, err
		}
	}
	cfg.Location, cfg.Servers = dec.Loc, servers
	cfg.TimezoneSource, cfg.TimezoneWarnings = dec.Source, dec.Warnings
	if dec.Source == zone.SourceEvidence {
		for _, c := range dec.Evidence {
			cfg.TimezoneEvidence = append(cfg.TimezoneEvidence, analyze.ZoneRef{File: c.File, Line: c.Line, Text: c.Text, Says: zone.Says(c)})
		}
	}
	if inc != nil {
		if err := inc.times(dec.Loc, &cfg); err != nil {
			return nil, err
		}
	}
	l := &loaded{files: files, loc: dec.Loc, zone: dec}
	if before != nil {
		if err := before(l); err != nil {
			return nil, err
		}
	}
	l.rep, err = analyze.Analyze(files, cfg)
	if err != nil {
		return l, analysisError(paths, err)
	}
	return l, nil
}

// times reads --since, --until (or --around) and --at in loc into cfg.
func (f *incidentFlags) times(loc *time.Location, cfg *analyze.Config) error {
	var err error
	if cfg.Since, cfg.Until, err = f.window(loc); err != nil {
		return err
	}
	cfg.At, err = f.at(loc)
	return err
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

// sources reads an incident's inputs, as often as deciding the zone needs: files on disk are
// read again; standard input, which can be read only once, is kept as it is read the first
// time when it may be needed again (again: no --tz), in a spool.
type sources struct {
	e     *env
	paths []string
	inc   *incidentFlags // nil: no --server
	again bool
	spool *spool // standard input as read the first time; nil before
}

// read reads the paths, and the logs --server names that are not among them; it returns the
// files and --server's assignment of file name to server.
func (s *sources) read(opt parser.Options) ([]*parser.File, map[string]string, error) {
	files, err := s.readPaths(opt)
	if err != nil || s.inc == nil {
		return files, nil, err
	}
	servers, files, err := assignServers(s.inc.Server, files, opt)
	return files, servers, err
}

func (s *sources) close() {
	if s.spool != nil {
		s.spool.close()
	}
}

// readPaths reads the paths with the parser; "-" is standard input, read as one file, at most
// --max-bytes of it.
func (s *sources) readPaths(opt parser.Options) ([]*parser.File, error) {
	var disk []string
	stdin := false
	for _, p := range s.paths {
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
	var r io.Reader
	switch {
	case s.spool != nil: // read before: again, from what was kept
		r = s.spool.reader()
	case s.again:
		s.spool = &spool{}
		r = io.TeeReader(s.e.stdin, s.spool)
	default:
		r = s.e.stdin
	}
	lr := &io.LimitedReader{R: r, N: opt.MaxBytes + 1}
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

// spoolMemory is how much of standard input a spool keeps in memory; the rest goes to a
// temporary file (a variable for tests).
var spoolMemory = 4 << 20

// spool keeps what is written to it, to be read again: in memory up to spoolMemory bytes,
// then in a temporary file, removed by close.
type spool struct {
	buf  []byte
	file *os.File
	n    int64 // bytes in file
}

func (s *spool) Write(p []byte) (int, error) {
	if s.file == nil && len(s.buf)+len(p) > spoolMemory {
		f, err := os.CreateTemp("", "lmtriad-stdin-*")
		if err != nil {
			return 0, fmt.Errorf("keeping standard input to read it again in the zone its lines tell: %v (give --tz to read it once)", bare(err))
		}
		s.file = f
		if _, err := s.write(s.buf); err != nil {
			return 0, err
		}
		s.buf = nil
	}
	if s.file != nil {
		return s.write(p)
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}

func (s *spool) write(p []byte) (int, error) {
	n, err := s.file.Write(p)
	s.n += int64(n)
	if err != nil {
		return n, fmt.Errorf("keeping standard input to read it again in the zone its lines tell: %v (give --tz to read it once)", bare(err))
	}
	return n, nil
}

// reader reads what was kept, from its start.
func (s *spool) reader() io.Reader {
	if s.file != nil {
		return io.NewSectionReader(s.file, 0, s.n)
	}
	return bytes.NewReader(s.buf)
}

func (s *spool) close() {
	if s.file != nil {
		name := s.file.Name()
		s.file.Close()
		os.Remove(name)
		s.file = nil
	}
	s.buf = nil
}

// givenZone resolves --tz: nil when it is not given.
func (e *env) givenZone(tz string) (*time.Location, error) {
	if tz == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, usageError("--tz %s: unknown time zone (use an IANA name such as Asia/Tokyo or Europe/Berlin)", tz)
	}
	return loc, nil
}

// zone is the zone given with --tz, else this machine's: the zone of the local times a command
// reads before any input can tell the servers' (check names collect's day files in it).
func (e *env) zone(tz string) (*time.Location, error) {
	given, err := e.givenZone(tz)
	if err != nil || given != nil {
		return given, err
	}
	return e.machineZone(), nil
}

// machineZone is this machine's zone, loaded by its IANA name where the environment tells it
// (TZ, else the /etc/localtime link) so that the report can name it; time.Local otherwise.
func (e *env) machineZone() *time.Location {
	tz := strings.TrimPrefix(e.getenv("TZ"), ":")
	if tz == "" {
		if target, err := os.Readlink("/etc/localtime"); err == nil && strings.Contains(target, "zoneinfo/") {
			tz = target
		}
	}
	if i := strings.Index(tz, "zoneinfo/"); i >= 0 { // TZ=:/usr/share/zoneinfo/Asia/Tokyo, the link's target
		tz = tz[i+len("zoneinfo/"):]
	}
	if tz == "" {
		return time.Local
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Local
	}
	return loc
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

// zoneWarnings prints what deciding the zone found wrong to stderr.
func (e *env) zoneWarnings(dec zone.Decision) {
	for _, w := range dec.Warnings {
		fmt.Fprintf(e.stderr, "lmtriad: warning: %s\n", report.Clean(catalog.English(w)))
	}
}

// reportWarnings prints the report's warnings to stderr, but those printed before: deciding
// the zone's (zoneWarnings) and the inputs' line warnings (warnings).
func (e *env) reportWarnings(rep *analyze.Report, dec zone.Decision) {
	printed := map[string]bool{}
	for _, w := range dec.Warnings {
		printed[catalog.English(w)] = true
	}
	for _, w := range rep.Warnings {
		if strings.HasPrefix(w.Key, "warn.file.") {
			continue // the inputs' line warnings, printed as they were read (warnings)
		}
		if text := catalog.English(w); !printed[text] {
			fmt.Fprintf(e.stderr, "lmtriad: warning: %s\n", report.Clean(text))
		}
	}
}

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
