package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/report/catalog"
)

const pathsHelp = "Debug logs, lmstat outputs and license files; folders holding them; bundles (.zip, .tar, .tar.gz, .tgz, .gz) as customers send them. - reads standard input (lmutil lmstat ... | lmtriad analyze -)."

// analyzeCmd is "lmtriad analyze": the diagnosis of one incident.
type analyzeCmd struct {
	Paths  []string `arg:"" name:"path" help:"${paths_help}"`
	Format string   `short:"f" enum:"${formats}" default:"text" help:"Output format: ${enum} (csv: one row per interval)."`
	inputFlags
	incidentFlags
	reportFlags
}

func (c *analyzeCmd) Run(e *env) error {
	return e.report(c.Paths, &c.inputFlags, &c.incidentFlags, &c.reportFlags, c.Format, nil)
}

// timelineCmd is "lmtriad timeline": every triad event in corrected-time order.
type timelineCmd struct {
	Paths  []string `arg:"" name:"path" help:"${paths_help}"`
	Format string   `short:"f" enum:"${timeline_formats}" default:"text" help:"Output format: ${enum}."`
	Only   string   `placeholder:"SERVER" help:"Show only entries observed by this server (or lmstat)."`
	inputFlags
	incidentFlags
	reportFlags
}

func (c *timelineCmd) Run(e *env) error {
	return e.report(c.Paths, &c.inputFlags, &c.incidentFlags, &c.reportFlags, c.Format, c)
}

// report analyses one incident and writes its report (the timeline when tl is set) in
// format, to -o or standard output; the exit code is the verdict's.
func (e *env) report(paths []string, in *inputFlags, inc *incidentFlags, rf *reportFlags, format string, tl *timelineCmd) error {
	var out *output
	defer func() {
		if out != nil {
			out.Abort()
		}
	}()
	l, err := e.load(paths, in, inc, func(l *loaded) error {
		e.zoneWarnings(l.zone)
		e.warnings(l.files)
		var err error
		out, err = createOutput(rf.Output, e.stdout, statInputs(inputNames(paths, l.files)))
		return err
	})
	if err != nil && !inconclusive(err, l) {
		return err
	}
	rep := l.rep
	if tl != nil {
		if err := filterTimeline(rep, tl.Only); err != nil {
			return err
		}
	}
	o := report.Options{Version: version, Color: format == "text" && rf.colour(e, out.stdout()), Location: l.loc, Lang: rf.Lang,
		Width: rf.width(e, out.stdout())}
	switch {
	case tl == nil:
		err = report.Write(out, format, rep, o)
	case format == "json":
		err = report.JSON(out, rep, o, true)
	default:
		err = report.Timeline(out, rep, o)
	}
	if err != nil {
		return inputError(fmt.Errorf("writing the report: %v", err))
	}
	if err := out.Commit(); err != nil {
		return inputError(err)
	}
	if (tl == nil && format == "csv") || (tl != nil && format != "json") {
		// These formats have no place for the analysis's warnings (one row per interval, one
		// line per event): stderr has them, so that none passes silently (TRIAD.md 3).
		e.reportWarnings(rep, l.zone)
	}
	if rep.Verdict.Severity == analyze.SeverityInconclusive {
		fmt.Fprintf(e.stderr, "lmtriad: %s\n", report.Clean(catalog.English(rep.Verdict.Msg))) // "not a triad: ...", "inconclusive: ..."
	}
	return exitWith(rep.Verdict.ExitCode)
}

// inconclusive tells an analysis that could classify nothing but still has a report to write
// (exit 3: TRIAD.md section 5).
func inconclusive(err error, l *loaded) bool {
	var ce *cmdError
	return errors.As(err, &ce) && ce.code == exitInconclusive && l != nil && l.rep != nil
}

// filterTimeline keeps the entries --only asks for.
func filterTimeline(rep *analyze.Report, only string) error {
	if only == "" {
		return nil
	}
	known := strings.EqualFold(only, "lmstat")
	var names []string
	for _, s := range rep.Triad.Servers {
		known = known || strings.EqualFold(s.Name, only)
		names = append(names, s.Name)
	}
	if !known {
		return usageError("--only %s: not a member of the triad (%s) nor lmstat", only, strings.Join(names, ", "))
	}
	var out []analyze.TimelineEntry
	for _, e := range rep.Timeline {
		if strings.EqualFold(e.Server, only) {
			out = append(out, e)
		}
	}
	rep.Timeline = out
	return nil
}
