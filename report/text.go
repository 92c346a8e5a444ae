package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/lmtriad/lmtriad/analyze"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// palette holds the colours of one rendering; each is switched on or off explicitly, so the
// output does not depend on fatih/color's global detection.
type palette struct {
	on     bool
	states map[analyze.State]*color.Color
	sev    map[analyze.Severity]*color.Color
	bold   *color.Color
	faint  *color.Color
}

func newPalette(on bool) *palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return &palette{
		on: on,
		states: map[analyze.State]*color.Color{
			analyze.Normal:       mk(color.FgGreen),
			analyze.Degraded:     mk(color.FgYellow),
			analyze.Masterless:   mk(color.FgRed, color.Bold),
			analyze.NoQuorum:     mk(color.FgRed, color.Bold),
			analyze.DualMaster:   mk(color.FgMagenta, color.Bold),
			analyze.FailedRejoin: mk(color.FgRed, color.Bold),
			analyze.Starting:     mk(color.FgCyan),
			analyze.Unknown:      mk(color.Faint),
		},
		sev: map[analyze.Severity]*color.Color{
			analyze.SeverityCritical: mk(color.FgRed, color.Bold),
			analyze.SeverityWarning:  mk(color.FgYellow, color.Bold),
			analyze.SeverityInfo:     mk(color.FgCyan),
			analyze.SeverityOK:       mk(color.FgGreen, color.Bold),
		},
		bold:  mk(color.Bold),
		faint: mk(color.Faint),
	}
}

func (p *palette) state(s analyze.State) string {
	if c, ok := p.states[s]; ok {
		return c.Sprint(string(s))
	}
	return string(s)
}

func (p *palette) severity(s analyze.Severity) string {
	label := strings.ToUpper(string(s))
	if c, ok := p.sev[s]; ok {
		return c.Sprint(label)
	}
	return label
}

// Text writes the report for people: inputs and triad members, the interval table, the
// findings with their evidence and fixes, notes, and a last line with the verdict.
func Text(w io.Writer, r *analyze.Report, o Options) error {
	bw := bufio.NewWriter(w)
	p := newPalette(o.Color)
	header(bw, r, o, p)
	if err := intervalTable(bw, r, o, p); err != nil {
		return err
	}
	findings(bw, r, o, p)
	notes(bw, r)
	fmt.Fprintf(bw, "\n%s %s\n", p.bold.Sprint("Verdict:"), verdictLine(r, p))
	return bw.Flush()
}

func verdictLine(r *analyze.Report, p *palette) string {
	v := r.Verdict
	code := ""
	if v.Finding != nil {
		code = " " + v.Finding.Code
	}
	return fmt.Sprintf("%s%s (state %s): %s (exit %d)", p.severity(v.Severity), code, p.state(v.State), v.Summary, v.ExitCode)
}

func header(w io.Writer, r *analyze.Report, o Options, p *palette) {
	fmt.Fprintf(w, "%s\n\n", p.bold.Sprintf("lmtriad %s: FlexLM three-server triad analysis", o.Version))
	fmt.Fprintln(w, p.bold.Sprint("Inputs"))
	width := 0
	for _, in := range r.Inputs {
		width = max(width, len(in.Path))
	}
	for _, in := range r.Inputs {
		if in.Skipped != "" {
			fmt.Fprintf(w, "  %-*s  %-8s  skipped: %s\n", width, in.Path, in.Kind, in.Skipped)
			continue
		}
		var parts []string
		if in.Server != "" {
			parts = append(parts, in.Server)
		}
		parts = append(parts, plural(in.Lines, "line"))
		switch in.Kind {
		case "lmstat":
			parts = append(parts, plural(in.Events, "snapshot"))
		case "debuglog":
			parts = append(parts, plural(in.Events, "triad event"))
		}
		if in.Unrecognized > 0 {
			parts = append(parts, fmt.Sprintf("%d unrecognized", in.Unrecognized))
		}
		if in.Encoding != "" && in.Encoding != "utf-8" {
			parts = append(parts, in.Encoding)
		}
		if !in.First.IsZero() {
			parts = append(parts, o.ts(in.First)+" to "+o.ts(in.Last))
		}
		for _, g := range in.Gaps {
			parts = append(parts, "gap "+o.ts(g.Start)+" to "+o.ts(g.End))
		}
		fmt.Fprintf(w, "  %-*s  %-8s  %s\n", width, in.Path, in.Kind, strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	t := r.Triad
	var members []string
	for _, s := range t.Servers {
		m := s.Name + " (" + s.Role
		if s.HostID != "" {
			m += ", hostid " + s.HostID
		}
		if s.Port != 0 {
			m += fmt.Sprintf(", port %d", s.Port)
		}
		if len(s.Aliases) > 0 {
			m += ", also " + strings.Join(s.Aliases, ", ")
		}
		members = append(members, m+")")
	}
	fmt.Fprintf(w, "%s %s\n", p.bold.Sprint("Triad:"), strings.Join(members, "; "))
	pim := "not set"
	if t.PrimaryIsMaster {
		pim = "set"
	}
	fmt.Fprintf(w, "       PRIMARY_IS_MASTER %s, heartbeat timeout %.0fs, members from the %s\n", pim, t.HeartbeatTimeout.Seconds(), sourceName(t.Source))
	var skews []string
	for _, s := range r.Clock.Skew {
		if s.Method == "reference" {
			skews = append(skews, s.Server+" reference")
			continue
		}
		how := s.Method
		if s.Pairs > 0 {
			how += fmt.Sprintf(" from %d", s.Pairs)
			if s.Server == "lmstat" {
				how += " bounds"
			} else {
				how += " mirrored lines"
			}
		}
		skews = append(skews, fmt.Sprintf("%s %+.0fs (%s)", s.Server, s.Offset.Seconds(), how))
	}
	zone := r.Clock.Timezone
	if zone == "" {
		zone = "UTC"
	}
	fmt.Fprintf(w, "%s %s; clocks: %s\n", p.bold.Sprint("Time:"), zone, strings.Join(skews, ", "))
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "%s %s\n", p.sev[analyze.SeverityWarning].Sprint("Warning:"), x)
	}
}

func sourceName(s string) string {
	switch s {
	case "license":
		return "license file"
	case "lmstat":
		return "lmstat server list"
	}
	return "debug logs (alphabetical order)"
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func intervalTable(w io.Writer, r *analyze.Report, o Options, p *palette) error {
	fmt.Fprintf(w, "\n%s\n", p.bold.Sprint("Intervals"))
	t := tablewriter.NewTable(w,
		tablewriter.WithSymbols(tw.NewSymbols(tw.StyleASCII)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithAlignment(tw.Alignment{tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignRight}),
	)
	t.Header("START", "END", "DURATION", "STATE", "MASTERS", "NOT UP", "OUT/DENIED")
	for _, iv := range r.Intervals {
		var notUp []string
		for _, s := range iv.NotUp() {
			notUp = append(notUp, s.Server+" "+string(s.Status))
		}
		masters := strings.Join(iv.Masters, ", ")
		if masters == "" {
			masters = "-"
		}
		nu := strings.Join(notUp, ", ")
		if nu == "" {
			nu = "-"
		}
		usage := fmt.Sprintf("%d/%d", iv.Usage.Out, iv.Usage.Denied)
		if err := t.Append(o.ts(iv.Start), o.ts(iv.End), duration(iv.Duration()), p.state(iv.State), masters, nu, usage); err != nil {
			return err
		}
	}
	return t.Render()
}

// duration prints a length compactly: 1h13m52s, 5m00s, 45s.
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

func findings(w io.Writer, r *analyze.Report, o Options, p *palette) {
	fmt.Fprintf(w, "\n%s\n", p.bold.Sprint("Findings"))
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "  none")
		return
	}
	for _, f := range r.Findings {
		who := "triad"
		if f.Server != "" {
			who = f.Server
		}
		span := o.ts(f.Start)
		if !f.End.Equal(f.Start) {
			span += " to " + o.ts(f.End) + " (" + duration(f.End.Sub(f.Start)) + ")"
		}
		fmt.Fprintf(w, "\n  %s %s  %s  %s\n", p.severity(f.Severity), p.bold.Sprint(f.Code), who, span)
		fmt.Fprint(w, wrap(f.Summary, "    ", 100))
		if len(f.Evidence) > 0 {
			fmt.Fprintln(w, "    evidence:")
			width := 0
			for _, e := range f.Evidence {
				width = max(width, len(e.At()))
			}
			for _, e := range f.Evidence {
				fmt.Fprintf(w, "      %-*s  %s\n", width, e.At(), p.faint.Sprint(strings.TrimSpace(e.Text)))
			}
		}
		if f.Fix != nil {
			title := "what to do"
			if f.Fix.Ref != "" {
				title = "fix (" + f.Fix.Ref + ")"
			}
			fmt.Fprintf(w, "    %s: %s\n", title, f.Fix.Title)
			for i, s := range f.Fix.Steps {
				fmt.Fprint(w, wrap(fmt.Sprintf("%d. %s", i+1, s), "      ", 100))
			}
		}
	}
}

// wrap folds text into lines of at most width columns (longer words stay whole), each
// starting with indent; continuation lines of a numbered step line up after its number.
func wrap(text, indent string, width int) string {
	hang := indent
	if i := strings.Index(text, ". "); i > 0 && i <= 3 && strings.Trim(text[:i], "0123456789") == "" {
		hang = indent + strings.Repeat(" ", i+2)
	}
	var b strings.Builder
	line, prefix := indent, indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(prefix) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, prefix = hang, hang
		}
		if len(line) > len(prefix) {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}

func notes(w io.Writer, r *analyze.Report) {
	if len(r.Notes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nNotes\n")
	for _, n := range r.Notes {
		fmt.Fprint(w, "  - "+strings.TrimPrefix(wrap(n, "    ", 100), "    "))
	}
}

// Timeline writes the merged replay: one line per triad event or changed lmstat snapshot,
// with the triad state after it.
func Timeline(w io.Writer, r *analyze.Report, o Options) error {
	bw := bufio.NewWriter(w)
	p := newPalette(o.Color)
	width := 0
	for _, e := range r.Timeline {
		width = max(width, len(e.Server))
	}
	const stateWidth = 28
	var last analyze.State
	var lastMasters string
	for _, e := range r.Timeline {
		masters := strings.Join(e.Masters, ",")
		var state string
		if e.State != last || masters != lastMasters {
			plain := string(e.State)
			if masters != "" {
				plain += " [" + masters + "]"
			}
			state = p.state(e.State) + strings.TrimPrefix(plain, string(e.State))
			state += strings.Repeat(" ", max(1, stateWidth-len(plain)))
		} else {
			state = p.faint.Sprint(".") + strings.Repeat(" ", stateWidth-1)
		}
		last, lastMasters = e.State, masters
		text := strings.TrimSpace(e.Ref.Text)
		if e.Server == "lmstat" {
			text = "lmstat: " + e.What // the header line alone says nothing; show what it saw
		}
		fmt.Fprintf(bw, "%s  %-*s  %s%s  %s\n", o.ts(e.Time), width, e.Server, state, e.Ref.At(), text)
	}
	fmt.Fprintf(bw, "\n%s %s\n", p.bold.Sprint("Verdict:"), verdictLine(r, p))
	return bw.Flush()
}
