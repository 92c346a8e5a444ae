package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/mattn/go-isatty"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// batchCmd triages many incidents at once: each PATH (a directory or a bundle) is one incident,
// analysed on its own, all of them in parallel.
type batchCmd struct {
	Paths        []string `arg:"" name:"path" help:"Incidents: each directory or bundle (.zip, .tar, .tar.gz, .tgz, .gz) is one, e.g. incidents/*."`
	Format       string   `short:"f" enum:"table,jsonl,csv" default:"table" help:"Summary format: ${enum} (jsonl: one lmtriad.report/v1 JSON report per line; csv: one row per incident)."`
	Output       string   `short:"o" placeholder:"DIR" help:"Also write each incident's full report into DIR, named after the incident (see --report-format), and DIR/index.html, the summary linking to them."`
	ReportFormat string   `name:"report-format" enum:"${formats}" default:"text" help:"Format of the reports -o writes: ${enum}."`
	Jobs         int      `short:"j" default:"0" placeholder:"N" help:"Incidents analysed at once (default: every CPU Go may use)."`
	Lang         string   `enum:"en,ja" default:"${lang}" help:"Language of the text, Markdown and HTML reports -o writes: ${enum} (default from LC_ALL or LANG: ${default}). The summary stays in English."`
	inputFlags
}

// Help is the longer text of "lmtriad batch --help".
func (b *batchCmd) Help() string {
	return `Each PATH is one incident, analysed on its own (give them one by one, e.g. incidents/*: a
directory holding several incidents would be read as one). Incidents are analysed in parallel;
a progress bar goes to stderr when it is a terminal. The summary has a row per incident, in the
order given: its time span, the zone of its times and where that came from (given with --tz,
evidence: its own lines, or the machine's: each incident decides its own), verdict (severity and
state), worst finding, minutes without a master, minutes without licenses (masterless and
no-quorum), the servers involved, and why it could not be analysed; an incident that fails is a
row with its error, and the batch goes on.

Exit code: 1 if any incident has a warning or critical finding, else 2 if any could not be read,
else 3 if any was inconclusive, else 0.`
}

// incident is what the batch keeps of one incident: its summary row, and its JSON line.
type incident struct {
	path     string
	code     int    // this incident's exit code (0, 1, 2 or 3)
	err      string // why it could not be analysed, or its report not written
	severity analyze.Severity
	state    analyze.State
	worst    string // code of the finding the verdict rests on
	start    time.Time
	end      time.Time
	// noMaster is the time no server held master (states other than starting and unknown);
	// noLicenses the time licenses were not served (masterless and no-quorum).
	noMaster, noLicenses time.Duration
	servers              []string // servers involved, in SERVER-line order
	report               string   // -o: its report's file name in DIR, once written
	line                 []byte   // --format jsonl: the line, without its newline
	// zone is the zone its times are in, and zoneSource where it came from (given, evidence,
	// machine): each incident decides its own (TRIAD.md 6). "" when it could not be read.
	zone, zoneSource string
}

// batchRun is one batch's settings, shared read-only by the workers.
type batchRun struct {
	b     *batchCmd
	e     *env
	ropt  report.Options
	names []string // -o: the file each incident's report goes to
	jsonl bool

	inputs *inputSet // -o: every incident's files, which no report may replace
}

func (b *batchCmd) Run(e *env) error {
	if err := b.inputFlags.check(); err != nil {
		return err
	}
	if _, err := e.givenZone(b.TZ); err != nil { // checked once; each incident decides its own zone
		return err
	}
	switch {
	case b.Jobs < 0:
		return usageError("--jobs must be 0 (every CPU) or more")
	case b.Output == "" && b.ReportFormat != "text":
		return usageError("--report-format is the format of the reports -o DIR writes: give -o DIR too")
	}
	br := &batchRun{
		b:     b,
		e:     e,
		ropt:  report.Options{Version: version, Lang: b.Lang}, // each report in its incident's zone
		jsonl: b.Format == "jsonl",
	}
	if b.Output != "" {
		if err := os.MkdirAll(b.Output, 0o755); err != nil {
			return inputError(fmt.Errorf("-o %s: %v", b.Output, bare(err)))
		}
		br.names = reportNames(b.Paths, b.ReportFormat)
		br.inputs = statInputs(walkInputs(b.Paths))
	}

	jobs := b.Jobs
	if jobs == 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, len(b.Paths))

	var bar *progress
	if f, ok := e.stderr.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		bar = &progress{w: e.stderr, total: len(b.Paths)}
	}
	// Results are written in input order as soon as the ones before them are done, unless the
	// progress bar shares the terminal with them: then all at the end.
	stream := b.Format != "table" && !(bar != nil && e.isTTY)

	out := bufio.NewWriter(e.stdout)
	sum := newSummary(out, b.Format)

	todo := make(chan int)
	type done struct {
		i   int
		inc *incident
	}
	results := make(chan done)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for i := range todo {
				results <- done{i, br.incident(i)}
			}
		})
	}
	go func() {
		for i := range b.Paths {
			todo <- i
		}
		close(todo)
		wg.Wait()
		close(results)
	}()

	incs := make([]*incident, len(b.Paths))
	next := 0 // first incident not written yet
	var werr error
	for d := range results {
		incs[d.i] = d.inc
		if bar != nil {
			bar.step()
		}
		for ; stream && werr == nil && next < len(incs) && incs[next] != nil; next++ {
			werr = sum.add(incs[next])
			incs[next].line = nil
		}
	}
	if bar != nil {
		bar.clear()
	}
	for ; werr == nil && next < len(incs); next++ {
		werr = sum.add(incs[next])
	}
	code := batchCode(incs)
	if werr == nil {
		werr = sum.finish(incs, code)
	}
	if werr == nil {
		werr = out.Flush()
	}
	if werr != nil {
		return inputError(fmt.Errorf("writing the summary: %v", werr))
	}
	if b.Output != "" {
		if err := br.writeIndex(incs); err != nil {
			return inputError(err)
		}
	}
	return exitWith(code)
}

// incident reads, analyses and renders the i-th incident. It never fails: what goes wrong is
// the incident's error, and the batch goes on.
func (br *batchRun) incident(i int) (inc *incident) {
	path := br.b.Paths[i]
	inc = &incident{path: path}
	fail := func(code int, err error) *incident {
		msg := errorText(err)
		msg = strings.TrimPrefix(msg, path+": ") // the incident column names it already
		return &incident{path: path, code: code, err: msg}
	}
	defer func() {
		if r := recover(); r != nil { // one incident's bug must not end the batch
			inc = fail(exitError, fmt.Errorf("internal error: %v (please report it with this incident)", r))
		}
		if inc.code == exitError || inc.code == exitInconclusive {
			if br.jsonl && inc.line == nil {
				inc.line, _ = json.Marshal(struct {
					Path     string `json:"path"`
					Error    string `json:"error"`
					ExitCode int    `json:"exit_code"`
				}{path, inc.err, inc.code})
			}
		}
	}()

	l, err := br.e.load([]string{path}, &br.b.inputFlags, nil, nil)
	if err != nil && inconclusive(err, l) {
		err = nil // its report says why; the summary row says it too
	}
	if err != nil {
		code := exitError
		var ce *cmdError
		if errors.As(err, &ce) && ce.err != nil {
			code, err = ce.code, ce.err
		}
		var ie *analyze.InputError
		switch {
		case several(path):
			// A folder of incidents read as one: the logs of several triads do not fit.
			if errors.As(err, &ie) && ie.Unassigned {
				err = fmt.Errorf("%s: %s", ie.File, ie.Msg) // batch has no --server
			}
			err = fmt.Errorf("%s; %s holds several incidents: give them one by one, e.g. lmtriad batch %s", errorText(err), path, filepath.Join(path, "*"))
		case errors.As(err, &ie) && ie.Unassigned:
			err = fmt.Errorf("%s: %s; put each server's log in a folder named after the server, or analyse this incident with lmtriad analyze --server NAME=FILE", ie.File, ie.Msg)
		}
		return fail(code, err)
	}
	rep, files := l.rep, l.files
	ropt := br.ropt
	ropt.Location = l.loc
	summarise(rep, inc)
	inc.zone, inc.zoneSource = l.zone.Name, l.zone.Source
	if rep.Verdict.Severity == analyze.SeverityInconclusive {
		inc.err = catalog.English(rep.Verdict.Msg)
	}

	if br.jsonl {
		var buf, line bytes.Buffer
		if err := report.JSON(&buf, rep, ropt, false); err != nil {
			return fail(exitError, fmt.Errorf("rendering the JSON report: %v", err))
		}
		if err := json.Compact(&line, buf.Bytes()); err != nil {
			return fail(exitError, fmt.Errorf("rendering the JSON report: %v", err))
		}
		inc.line = line.Bytes()
	}
	if br.names != nil {
		if err := br.writeReport(rep, br.names[i], files, ropt); err != nil {
			// The analysis stands; the incident counts as one that could not be processed.
			inc.err = errorText(err)
			if inc.code != exitFindings {
				inc.code = exitError
			}
		} else {
			inc.report = br.names[i]
		}
	}
	return inc
}

func (br *batchRun) writeReport(rep *analyze.Report, name string, files []*parser.File, ropt report.Options) error {
	out, err := createOutput(filepath.Join(br.b.Output, name), nil, br.inputs, statInputs(inputNames(nil, files)))
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := report.Write(out, br.b.ReportFormat, rep, ropt); err != nil {
		return fmt.Errorf("writing the report: %v", err)
	}
	return out.Commit()
}

// several tells whether path is a folder holding two or more folders with files in them: a
// folder of incidents, most likely, given to batch as one.
func several(path string) bool {
	entries, err := os.ReadDir(path)
	if err != nil {
		return false
	}
	n := 0
	for _, d := range entries {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		if sub, err := os.ReadDir(filepath.Join(path, d.Name())); err == nil && len(sub) > 0 {
			n++
		}
	}
	return n >= 2
}

// writeIndex writes DIR/index.html: the summary, with a link to each report written.
func (br *batchRun) writeIndex(incs []*incident) error {
	rows := make([]report.IndexRow, len(incs))
	for i, inc := range incs {
		rows[i] = report.IndexRow{Path: inc.path, Report: inc.report, Start: inc.start, End: inc.end,
			Severity: inc.severity, State: inc.state, Worst: inc.worst, NoMaster: inc.noMaster, NoLicenses: inc.noLicenses,
			Servers: inc.servers, ExitCode: inc.code, Err: inc.err}
	}
	out, err := createOutput(filepath.Join(br.b.Output, "index.html"), nil, br.inputs)
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := report.BatchIndex(out, rows, br.ropt); err != nil {
		return fmt.Errorf("writing the index: %v", err)
	}
	return out.Commit()
}

// summarise fills the summary columns from a report.
func summarise(rep *analyze.Report, inc *incident) {
	inc.code = rep.Verdict.ExitCode
	inc.severity = rep.Verdict.Severity
	inc.state = rep.Verdict.State
	if f := rep.Verdict.Finding; f != nil {
		inc.worst = f.Code
	}
	involved := map[string]bool{}
	for _, iv := range rep.Intervals {
		if !iv.Start.IsZero() { // a snapshot pasted without its header has no time
			if inc.start.IsZero() || iv.Start.Before(inc.start) {
				inc.start = iv.Start
			}
			if iv.End.After(inc.end) {
				inc.end = iv.End
			}
		}
		if iv.State == analyze.Starting || iv.State == analyze.Unknown {
			continue // a cold start, or no evidence: not a part of the outage
		}
		if len(iv.Masters) == 0 {
			inc.noMaster += iv.Duration()
		}
		if iv.State == analyze.Masterless || iv.State == analyze.NoQuorum {
			inc.noLicenses += iv.Duration()
		}
		for _, s := range iv.NotUp() {
			involved[s.Server] = true
		}
		if iv.State == analyze.DualMaster {
			for _, m := range iv.Masters {
				involved[m] = true
			}
		}
	}
	for _, f := range rep.Findings {
		if f.Server != "" && (f.Severity == analyze.SeverityWarning || f.Severity == analyze.SeverityCritical) {
			involved[f.Server] = true
		}
	}
	for _, s := range rep.Triad.Servers {
		if involved[s.Name] {
			inc.servers = append(inc.servers, s.Name)
			delete(involved, s.Name)
		}
	}
	// Not a member (should not happen): still shown, after the members.
	inc.servers = append(inc.servers, slices.Sorted(maps.Keys(involved))...)
}

// batchCode is the batch's exit code (TRIAD.md section 5): 1 if any incident has a warning or
// critical finding, else 2 if any could not be read, else 3 if any was inconclusive, else 0.
func batchCode(incs []*incident) int {
	seen := map[int]bool{}
	for _, inc := range incs {
		seen[inc.code] = true
	}
	for _, c := range []int{exitFindings, exitError, exitInconclusive} {
		if seen[c] {
			return c
		}
	}
	return exitOK
}

// reportNames names each incident's report file: the incident's base name (archive extension
// dropped, characters other than letters, digits, '.', '-' and '_' replaced by '_') with the
// format's extension; a name already taken (ignoring case) gets -2, -3, ... index.html is
// taken from the start: it is the batch's index.
func reportNames(paths []string, format string) []string {
	ext := report.Extensions[format]
	taken := map[string]bool{"index.html": true}
	names := make([]string, len(paths))
	for i, p := range paths {
		base := incidentName(p)
		name := base + ext
		for n := 2; taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s-%d%s", base, n, ext)
		}
		taken[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

func incidentName(p string) string {
	base := filepath.Base(filepath.Clean(p))
	lower := strings.ToLower(base)
	for _, ext := range []string{".tar.gz", ".tgz", ".zip", ".tar", ".gz"} {
		if strings.HasSuffix(lower, ext) && len(base) > len(ext) {
			base = base[:len(base)-len(ext)]
			break
		}
	}
	var sb strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	name := strings.TrimLeft(sb.String(), ".") // not hidden, not "..", not "."
	if name == "" {
		name = "incident"
	}
	return name
}

// summary writes the batch's output in one of the summary formats.
type summary struct {
	w      *bufio.Writer
	format string
	csv    *csv.Writer
}

// batchCSVHeader names the columns of --format csv.
var batchCSVHeader = []string{"incident", "start", "end", "timezone", "timezone_source", "severity", "state", "worst_finding",
	"minutes_without_master", "minutes_without_licenses", "servers", "exit_code", "error"}

func newSummary(w *bufio.Writer, format string) *summary {
	s := &summary{w: w, format: format}
	if format == "csv" {
		s.csv = csv.NewWriter(w)
		s.csv.UseCRLF = true // as the csv report
		s.csv.Write(batchCSVHeader)
	}
	return s
}

// add writes one incident, in input order (table: nothing until finish).
func (s *summary) add(inc *incident) error {
	switch s.format {
	case "jsonl":
		s.w.Write(inc.line)
		return s.w.WriteByte('\n')
	case "csv":
		row := []string{inc.path, "", "", inc.zone, inc.zoneSource, "", "", inc.worst, "", "", strings.Join(inc.servers, ";"), fmt.Sprint(inc.code), inc.err}
		if inc.severity != "" {
			row[1], row[2] = stamp(inc.start), stamp(inc.end)
			row[5], row[6] = string(inc.severity), string(inc.state)
			row[8], row[9] = minutes(inc.noMaster), minutes(inc.noLicenses)
		}
		for i := range row {
			row[i] = report.CSVCell(row[i]) // control characters shown, formulas neutralised
		}
		s.csv.Write(row)
		s.csv.Flush()
		return s.csv.Error()
	}
	return nil
}

// finish writes the table, with a line that counts the outcomes.
func (s *summary) finish(incs []*incident, code int) error {
	if s.format != "table" {
		return nil
	}
	t := tablewriter.NewTable(s.w,
		tablewriter.WithSymbols(tw.NewSymbols(tw.StyleASCII)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithAlignment(tw.Alignment{tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignRight, tw.AlignLeft, tw.AlignLeft}),
	)
	t.Header("INCIDENT", "START", "END", "ZONE", "VERDICT", "STATE", "NO MASTER (MIN)", "NO LICENSES (MIN)", "SERVERS", "ERROR")
	counts := map[int]int{}
	for _, inc := range incs {
		counts[inc.code]++
		row := []string{inc.path, "-", "-", "-", "", "-", "-", "-", dash(strings.Join(inc.servers, ", ")), dash(inc.err)}
		if inc.zone != "" {
			row[3] = inc.zone + " (" + inc.zoneSource + ")" // Asia/Tokyo (evidence), UTC (given)
		}
		switch {
		case inc.severity != "":
			// The verdict is its finding (CRITICAL failed-rejoin), not the state it left the
			// triad in: "CRITICAL normal" would read as nonsense.
			row[1], row[2] = dash(stamp(inc.start)), dash(stamp(inc.end))
			row[4] = strings.TrimSpace(strings.ToUpper(string(inc.severity)) + " " + inc.worst)
			row[5] = string(inc.state)
			if inc.severity != analyze.SeverityInconclusive {
				row[6], row[7] = minutes(inc.noMaster), minutes(inc.noLicenses)
			}
		case inc.code == exitInconclusive:
			row[4] = "INCONCLUSIVE"
		default:
			row[4] = "ERROR"
		}
		for i := range row {
			row[i] = report.Clean(row[i]) // paths, names and errors from the evidence, shown visibly
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	noun := "incidents"
	if len(incs) == 1 {
		noun = "incident"
	}
	_, err := fmt.Fprintf(s.w, "%d %s: %d with warning or critical findings, %d could not be read, %d inconclusive, %d ok (exit %d)\n",
		len(incs), noun, counts[exitFindings], counts[exitError], counts[exitInconclusive], counts[exitOK], code)
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func minutes(d time.Duration) string { return fmt.Sprintf("%.1f", d.Minutes()) }

// stamp is a time in RFC 3339, "" when there is none (an inconclusive incident).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// progress draws "[#####     ] 42/200 incidents" on one terminal line, redrawn in place.
type progress struct {
	w           io.Writer
	total, done int
	last        time.Time
}

const progressWidth = 30

func (p *progress) step() {
	p.done++
	if now := time.Now(); p.done == p.total || now.Sub(p.last) >= 50*time.Millisecond {
		p.last = now
		p.draw()
	}
}

func (p *progress) draw() {
	filled := progressWidth * p.done / max(p.total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d incidents", strings.Repeat("#", filled), strings.Repeat(" ", progressWidth-filled), p.done, p.total)
}

// clear erases the bar, so that what follows starts on a clean line.
func (p *progress) clear() {
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", progressWidth+2+len(fmt.Sprintf(" %d/%d incidents", p.total, p.total))))
}
