package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// Markdown writes a report to paste into a support ticket: the verdict first, the triad, the
// intervals, the findings with their evidence in code blocks and the fix steps, notes, and the
// input files with their SHA-256. It renders well on GitHub, GitLab, Jira and most trackers.
func Markdown(w io.Writer, r *analyze.Report, o Options) error {
	r = cleanReport(r)
	bw := bufio.NewWriter(w)
	p := newPalette(false)
	v := r.Verdict
	verdict := p.severity(v.Severity, o) + " " + p.state(v.State, o)
	fmt.Fprintf(bw, "# %s\n\n", mdText(o.tr("ui.md.title", "verdict", msg.Raw(verdict))))
	fmt.Fprintf(bw, "**%s:** %s\n\n", o.tr("ui.md.verdict"), mdText(verdictLine(r, o, p)))

	fmt.Fprintf(bw, "## %s\n\n", o.tr("ui.md.triad"))
	mdRow(bw, o.tr("ui.col.server"), o.tr("ui.col.role"), o.tr("ui.col.hostid"), o.tr("ui.col.port"), o.tr("ui.col.aliases"))
	mdRule(bw, 5, nil)
	for _, s := range r.Triad.Servers {
		port := ""
		if s.Port != 0 {
			port = fmt.Sprint(s.Port)
		}
		mdRow(bw, code(s.Name), o.tr("ui.role."+s.Role), mdText(s.HostID), port, mdText(strings.Join(s.Aliases, ", ")))
	}
	pim := "ui.pim.unset"
	if r.Triad.PrimaryIsMaster {
		pim = "ui.pim.set"
	}
	zone := zoneLabel(r, o)
	fmt.Fprintf(bw, "\n%s%s%s%s%s. %s\n", o.tr(pim), o.tr("ui.sep"), o.tr("ui.heartbeat", "seconds", int(r.Triad.HeartbeatTimeout.Seconds())),
		o.tr("ui.sep"), o.tr("ui.source."+r.Triad.Source),
		mdText(o.tr("ui.md.times", "zone", msg.Raw(zone), "clocks", msg.Raw(strings.Join(clockFacts(r, o), o.tr("ui.sep"))))))
	for _, x := range r.Warnings {
		fmt.Fprintf(bw, "\n> **%s** %s\n", o.tr("ui.warning"), mdText(o.msg(x)))
	}

	fmt.Fprintf(bw, "\n## %s\n\n", o.tr("ui.intervals"))
	if len(r.Intervals) == 0 {
		fmt.Fprintf(bw, "%s\n", o.tr("ui.none"))
	} else {
		mdRow(bw, o.tr("ui.col.start"), o.tr("ui.col.end"), o.tr("ui.col.duration"), o.tr("ui.col.state"), o.tr("ui.col.masters"), o.tr("ui.col.notup"), o.tr("ui.col.usage"))
		mdRule(bw, 7, map[int]bool{2: true, 6: true})
		for _, iv := range r.Intervals {
			var notUp []string
			for _, s := range iv.NotUp() {
				notUp = append(notUp, s.Server+" "+catalog.Label(o.Lang, "status."+string(s.Status)))
			}
			state := o.stateName(iv.State)
			if iv.State != analyze.Normal && iv.State != analyze.Starting {
				state = "**" + state + "**"
			}
			start, end, dur := intervalTimes(iv, o, "")
			mdRow(bw, mdText(start), end, dur, state, mdText(strings.Join(iv.Masters, ", ")),
				mdText(strings.Join(notUp, ", ")), fmt.Sprintf("%d/%d", iv.Usage.Out, iv.Usage.Denied))
		}
	}
	if hasIsolated(r) {
		fmt.Fprintf(bw, "\n%s\n", mdText(o.tr("explain.status.isolated.line")))
	}
	if lines := unknownSpans(r, o); len(lines) > 0 {
		fmt.Fprintf(bw, "\n**%s**\n\n", o.tr("ui.unknown.title"))
		for _, l := range lines {
			fmt.Fprintf(bw, "- %s\n", mdText(l))
		}
	}
	if o.Lang != "" && o.Lang != "en" {
		fmt.Fprintf(bw, "\n")
		seen := map[analyze.State]bool{}
		for _, iv := range r.Intervals {
			if !seen[iv.State] {
				seen[iv.State] = true
				fmt.Fprintf(bw, "- **%s** (`%s`): %s\n", o.stateName(iv.State), iv.State, mdText(o.tr("explain."+string(iv.State))))
			}
		}
	}

	fmt.Fprintf(bw, "\n## %s\n", o.tr("ui.findings"))
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "\n%s\n", o.tr("ui.none"))
	}
	for k, f := range r.Findings {
		who := o.tr("ui.triad-wide")
		if f.Server != "" {
			who = code(f.Server)
		}
		planned := ""
		if f.Planned && f.Code != "planned-shutdown" {
			planned = " (" + o.tr("ui.planned") + ")"
		}
		fmt.Fprintf(bw, "\n### %d. %s `%s`%s: %s\n\n", k+1, p.severity(f.Severity, o), f.Code, planned, who)
		span := mdText(o.when(f.Start))
		if !f.End.Equal(f.Start) {
			span = o.tr("ui.span.duration", "from", msg.Raw(o.ts(f.Start)), "to", msg.Raw(o.ts(f.End)), "dur", msg.Raw(o.duration(f.End.Sub(f.Start))))
		}
		fmt.Fprintf(bw, "**%s:** %s\n\n%s\n", o.tr("ui.md.when"), span, mdText(o.msg(f.Msg)))
		if len(f.Evidence) > 0 {
			var lines []string
			width := 0
			for _, e := range f.Evidence {
				width = max(width, len(e.At()))
			}
			for _, e := range f.Evidence {
				lines = append(lines, fmt.Sprintf("%-*s  %s", width, e.At(), strings.TrimSpace(e.Text)))
			}
			fence := fenceFor(lines)
			fmt.Fprintf(bw, "\n%s\n%stext\n%s\n%s\n", o.tr("ui.evidence"), fence, strings.Join(lines, "\n"), fence)
		}
		if fix := o.fix(f); fix != nil {
			title := o.tr("ui.whattodo")
			if fix.Ref != "" {
				title = o.tr("ui.md.fixref", "ref", msg.Raw(fix.Ref))
			}
			fmt.Fprintf(bw, "\n**%s:** %s\n\n", mdText(title), mdText(fix.Title))
			for i, s := range fix.Steps {
				fmt.Fprintf(bw, "%d. %s\n", i+1, mdText(s))
			}
		}
	}

	if len(r.Notes) > 0 {
		fmt.Fprintf(bw, "\n## %s\n\n", o.tr("ui.notes"))
		for _, n := range r.Notes {
			fmt.Fprintf(bw, "- %s\n", mdText(o.msg(n)))
		}
	}

	fmt.Fprintf(bw, "\n## %s\n\n", o.tr("ui.inputs"))
	mdRow(bw, o.tr("ui.col.file"), o.tr("ui.col.kind"), o.tr("ui.col.server"), o.tr("ui.col.lines"), o.tr("ui.col.span"), o.tr("ui.col.sha256"))
	mdRule(bw, 6, map[int]bool{3: true})
	for _, in := range r.Inputs {
		span := ""
		if !in.Skipped.IsZero() {
			span = o.tr("ui.skipped", "reason", o.msg(in.Skipped))
		} else if !in.First.IsZero() {
			span = o.tr("ui.span", "from", msg.Raw(o.ts(in.First)), "to", msg.Raw(o.ts(in.Last)))
		}
		mdRow(bw, code(in.Path), in.Kind, mdText(in.Server), fmt.Sprint(in.Lines), mdText(span), code(in.SHA256))
	}
	fmt.Fprintf(bw, "\n%s\n", mdText(o.tr("ui.md.generated", "version", msg.Raw(o.Version))))
	return bw.Flush()
}

func mdRow(w io.Writer, cells ...string) {
	for i := range cells {
		cells[i] = strings.ReplaceAll(strings.ReplaceAll(cells[i], "|", `\|`), "\n", " ")
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

func mdRule(w io.Writer, n int, right map[int]bool) {
	cells := make([]string, n)
	for i := range cells {
		cells[i] = "---"
		if right[i] {
			cells[i] = "--:"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(cells, "|"))
}

// mdText escapes what Markdown would read as markup (or HTML) in prose from logs and
// catalogues.
func mdText(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"[", `\[`, "]", `\]`, "#", `\#`) // "|" is escaped by mdRow, where it matters

// code shows a name as inline code, with a fence long enough for any backquotes in it.
func code(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// fenceFor is a code fence longer than any run of backquotes in the lines.
func fenceFor(lines []string) string {
	fence := "```"
	for _, l := range lines {
		for strings.Contains(l, fence) {
			fence += "`"
		}
	}
	return fence
}
