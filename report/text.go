package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/mattn/go-runewidth"
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

func (p *palette) state(s analyze.State, o Options) string {
	name := o.stateName(s)
	if c, ok := p.states[s]; ok {
		return c.Sprint(name)
	}
	return name
}

func (p *palette) severity(s analyze.Severity, o Options) string {
	label := catalog.Label(o.Lang, "severity."+string(s))
	if c, ok := p.sev[s]; ok {
		return c.Sprint(label)
	}
	return label
}

// Text writes the report for people: inputs and triad members, the interval table, the
// findings with their evidence and fixes, notes, and a last line with the verdict.
func Text(w io.Writer, r *analyze.Report, o Options) error {
	r = cleanReport(r)
	bw := bufio.NewWriter(w)
	p := newPalette(o.Color)
	header(bw, r, o, p)
	if err := intervalTable(bw, r, o, p); err != nil {
		return err
	}
	findings(bw, r, o, p)
	notes(bw, r, o)
	fmt.Fprint(bw, "\n"+verdict(r, o, p))
	return bw.Flush()
}

// tr renders a catalogue key in the report's language.
func (o Options) tr(key string, kv ...any) string { return catalog.In(o.Lang, msg.New(key, kv...)) }

// msg renders a message in the report's language.
func (o Options) msg(t msg.Text) string { return catalog.In(o.Lang, t) }

// verdictText is the verdict's summary in the report's language, with the reference of the
// fix of the finding it rests on, when that has one.
func (o Options) verdictText(r *analyze.Report) string {
	s := o.msg(r.Verdict.Msg)
	if f := r.Verdict.Finding; f != nil {
		if fx := catalog.FixFor(f.Code, o.Lang); fx != nil && fx.Ref != "" {
			s += o.tr("verdict.fix", "ref", fx.Ref)
		}
	}
	key := "verdict.others" // besides the finding the verdict rests on
	if r.Verdict.Finding == nil {
		key = "verdict.found" // an inconclusive analysis still raised these
	}
	switch n := r.Verdict.Others; {
	case n == 1:
		s += o.tr(key + ".one")
	case n > 1:
		s += o.tr(key, "n", n)
	}
	return s
}

// when is a time for a report for people: "at an unknown time" for the zero time, which a
// snapshot pasted without its header has (TRIAD.md section 7).
func (o Options) when(t time.Time) string {
	if t.IsZero() {
		return o.tr("ui.untimed")
	}
	return o.ts(t)
}

// stateName is a state as the report's language calls it.
func (o Options) stateName(s analyze.State) string { return catalog.Label(o.Lang, "state."+string(s)) }

// verdict is the report's last paragraph: the verdict after its label, folded to the width;
// its first line starts with the label (Verdict:), for scripts to find.
func verdict(r *analyze.Report, o Options, p *palette) string {
	return o.labelled(p.bold.Sprint(o.tr("ui.verdict")), verdictLine(r, o, p))
}

func verdictLine(r *analyze.Report, o Options, p *palette) string {
	v := r.Verdict
	code := ""
	if v.Finding != nil {
		code = " " + v.Finding.Code
	}
	return o.tr("ui.verdict.line", "severity", msg.Raw(p.severity(v.Severity, o)), "code", msg.Raw(code),
		"state", msg.Raw(p.state(v.State, o)), "summary", msg.Raw(o.verdictText(r)), "exit", v.ExitCode)
}

func header(w io.Writer, r *analyze.Report, o Options, p *palette) {
	title := newFiller(o.width(), "", "")
	title.text(o.tr("ui.title", "version", o.Version))
	for _, l := range title.lines() {
		fmt.Fprintln(w, p.bold.Sprint(l))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.bold.Sprint(o.tr("ui.inputs")))
	inputs(w, r, o)
	fmt.Fprintln(w)
	t := r.Triad
	var members []string
	for _, s := range t.Servers {
		members = append(members, s.Name+" ("+strings.Join(memberFacts(s, o), o.tr("ui.sep"))+")")
	}
	label := p.bold.Sprint(o.tr("ui.triad")) + " "
	hang := strings.Repeat(" ", displayWidth(label))
	f := newFiller(o.width(), label, hang)
	f.items(members, "; ")
	fmt.Fprint(w, f)
	pim := "ui.pim.unset"
	if t.PrimaryIsMaster {
		pim = "ui.pim.set"
	}
	f = newFiller(o.width(), hang, hang)
	f.items([]string{o.tr(pim), o.tr("ui.heartbeat", "seconds", int(t.HeartbeatTimeout.Seconds())), o.tr("ui.source." + t.Source)}, o.tr("ui.sep"))
	fmt.Fprint(w, f)
	zone := zoneLabel(r, o)
	label = p.bold.Sprint(o.tr("ui.time")) + " "
	f = newFiller(o.width(), label, strings.Repeat(" ", displayWidth(label)))
	// The clocks are laid out one by one: the sentence around them is cut where they go.
	const mark = "\x00"
	before, after, found := strings.Cut(o.tr("ui.clocks", "zone", msg.Raw(zone), "clocks", msg.Raw(mark)), mark)
	clocks := clockFacts(r, o)
	if len(clocks) == 0 || !found {
		f.text(before + after)
	} else {
		head := strings.TrimRight(before, " ")
		f.block(head, "")
		clocks[len(clocks)-1] += after
		f.itemsAfter(clocks, o.tr("ui.sep"), before[len(head):])
	}
	fmt.Fprint(w, f)
	for _, x := range r.Warnings {
		fmt.Fprint(w, o.labelled(p.sev[analyze.SeverityWarning].Sprint(o.tr("ui.warning")), o.msg(x)))
	}
}

// inputs lists the inputs in columns: path, kind, and the facts, which fold onto lines of
// their own lined up under the first. A path too long for its column (it would leave the
// facts too little room) takes a line of its own, and the kind and facts go under it.
func inputs(w io.Writer, r *analyze.Report, o Options) {
	const kindW, minFacts = 8, 40
	limit := o.width() - 2 - 2 - kindW - 2 - minFacts // the widest path the column takes
	pathW := 0
	for _, in := range r.Inputs {
		if pw := displayWidth(in.Path); pw <= limit {
			pathW = max(pathW, pw)
		}
	}
	for _, in := range r.Inputs {
		lead := "  " + pad(in.Path, pathW) + "  "
		if displayWidth(in.Path) > limit {
			f := newFiller(o.width(), "  ", "  ")
			f.long(in.Path, false)
			fmt.Fprint(w, f)
			lead = "  " + strings.Repeat(" ", pathW) + "  "
		}
		lead += pad(in.Kind, kindW) + "  "
		f := newFiller(o.width(), lead, strings.Repeat(" ", displayWidth(lead)))
		if !in.Skipped.IsZero() {
			f.text(o.tr("ui.skipped", "reason", o.msg(in.Skipped)))
		} else {
			f.items(inputFacts(in, o), o.tr("ui.sep"))
		}
		fmt.Fprint(w, f)
	}
}

// inputFacts describes an input: server, size, encoding, span and gaps.
func inputFacts(in analyze.InputInfo, o Options) []string {
	var parts []string
	if in.Server != "" {
		parts = append(parts, in.Server)
	}
	parts = append(parts, counted(o, "ui.lines", in.Lines))
	switch in.Kind {
	case "lmstat":
		parts = append(parts, counted(o, "ui.snapshots", in.Events))
	case "debuglog":
		parts = append(parts, counted(o, "ui.events", in.Events))
	}
	if in.Unrecognized > 0 {
		parts = append(parts, o.tr("ui.unrecognized", "n", in.Unrecognized))
	}
	if in.Encoding != "" && in.Encoding != "utf-8" {
		parts = append(parts, in.Encoding)
	}
	if !in.First.IsZero() {
		parts = append(parts, o.tr("ui.span", "from", msg.Raw(o.ts(in.First)), "to", msg.Raw(o.ts(in.Last))))
	}
	for _, g := range in.Gaps {
		parts = append(parts, o.tr("ui.gap", "from", msg.Raw(o.ts(g.Start)), "to", msg.Raw(o.ts(g.End))))
	}
	return parts
}

func memberFacts(s analyze.ServerInfo, o Options) []string {
	parts := []string{o.tr("ui.role." + s.Role)}
	if s.HostID != "" {
		parts = append(parts, o.tr("ui.hostid", "id", msg.Raw(s.HostID)))
	}
	if s.Port != 0 {
		parts = append(parts, o.tr("ui.port", "port", s.Port))
	}
	if len(s.Aliases) > 0 {
		parts = append(parts, o.tr("ui.also", "names", msg.Raw(strings.Join(s.Aliases, ", "))))
	}
	return parts
}

func clockFacts(r *analyze.Report, o Options) []string {
	var out []string
	for _, s := range r.Clock.Skew {
		if s.Method == "reference" {
			out = append(out, o.tr("ui.clock.reference", "server", msg.Raw(s.Server)))
			continue
		}
		how := o.tr("ui.clock.method." + s.Method)
		if s.Pairs > 0 {
			key := "ui.clock.pairs"
			if s.Server == "lmstat" {
				key = "ui.clock.bounds"
			}
			how = o.tr(key, "method", msg.Raw(how), "n", s.Pairs)
		}
		out = append(out, o.tr("ui.clock.offset", "server", msg.Raw(s.Server), "offset", msg.Raw(fmt.Sprintf("%+.0fs", s.Offset.Seconds())), "how", msg.Raw(how)))
	}
	return out
}

// zoneLabel is the zone times are in, with where it came from when the report says
// (TRIAD.md 6): "Asia/Tokyo (from the logs: server1.log:22 'Tokyo Standard Time')", "UTC
// (given with --tz)", "America/Denver (the machine's zone: no line of the evidence fixes it)".
func zoneLabel(r *analyze.Report, o Options) string {
	c := r.Clock
	zone := c.Timezone
	if zone == "" {
		zone = "UTC"
	}
	var from string
	switch c.TimezoneSource {
	case "given":
		from = o.tr("ui.zone.given")
	case "machine":
		from = o.tr("ui.zone.machine")
	case "evidence":
		if len(c.TimezoneEvidence) == 0 {
			return zone
		}
		e := c.TimezoneEvidence[0]
		at, says := msg.Raw(e.At()), msg.Raw(e.Says)
		switch n := len(c.TimezoneEvidence) - 1; n {
		case 0:
			from = o.tr("ui.zone.evidence", "at", at, "says", says)
		case 1:
			from = o.tr("ui.zone.evidence.more.one", "at", at, "says", says)
		default:
			from = o.tr("ui.zone.evidence.more", "at", at, "says", says, "n", n)
		}
	default:
		return zone
	}
	return o.tr("ui.zone", "zone", msg.Raw(zone), "source", msg.Raw(from))
}

// counted renders "1 line" / "N lines" (key, key.one).
func counted(o Options, key string, n int) string {
	if n == 1 {
		return o.tr(key + ".one")
	}
	return o.tr(key, "n", n)
}

// duration prints a length for a table or a heading: 1h13m52s, 5m00s, 45s (Japanese units
// in Japanese).
func (o Options) duration(d time.Duration) string {
	if o.Lang != "" && o.Lang != "en" {
		return catalog.Duration(o.Lang, d)
	}
	return duration(d)
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
	fmt.Fprintf(w, "\n%s\n", p.bold.Sprint(o.tr("ui.findings")))
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "  "+o.tr("ui.none"))
		return
	}
	for _, f := range r.Findings {
		who := o.tr("ui.triad-wide")
		if f.Server != "" {
			who = f.Server
		}
		span := o.when(f.Start)
		if !f.End.Equal(f.Start) {
			span = o.tr("ui.span.duration", "from", msg.Raw(o.ts(f.Start)), "to", msg.Raw(o.ts(f.End)), "dur", msg.Raw(o.duration(f.End.Sub(f.Start))))
		}
		// The heading: severity, code, server and span; what does not fit goes under the code.
		sev := p.severity(f.Severity, o)
		hd := newFiller(o.width(), "  "+sev+" ", strings.Repeat(" ", 2+displayWidth(sev)+1))
		hd.block(p.bold.Sprint(f.Code), "")
		if f.Planned && f.Code != "planned-shutdown" { // a span the stop caused
			hd.block("("+o.tr("ui.planned")+")", " ")
		}
		hd.block(who, "  ")
		hd.block(span, "  ")
		fmt.Fprint(w, "\n"+hd.String())
		fmt.Fprint(w, o.wrap(o.msg(f.Msg), "    "))
		if len(f.Evidence) > 0 {
			fmt.Fprintln(w, "    "+o.tr("ui.evidence"))
			width := 0
			for _, e := range f.Evidence {
				width = max(width, displayWidth(e.At()))
			}
			for _, e := range f.Evidence {
				fmt.Fprintf(w, "      %s  %s\n", pad(e.At(), width), p.faint.Sprint(strings.TrimSpace(e.Text)))
			}
		}
		if fix := o.fix(f); fix != nil {
			title := o.tr("ui.whattodo")
			if fix.Ref != "" {
				title = o.tr("ui.fix", "ref", msg.Raw(fix.Ref))
			}
			// The fix's title folds under its first word, or under the steps when its label
			// takes more than half the width.
			lead := "    " + title + ": "
			hang := strings.Repeat(" ", displayWidth(lead))
			if 2*displayWidth(lead) > o.width() {
				hang = "      "
			}
			ft := newFiller(o.width(), lead, hang)
			ft.text(fix.Title)
			fmt.Fprint(w, ft)
			for i, s := range fix.Steps {
				fmt.Fprint(w, o.wrap(fmt.Sprintf("%d. %s", i+1, s), "      "))
			}
		}
	}
}

// fix is a finding's remedy in the report's language, nil when its code has none.
func (o Options) fix(f analyze.Finding) *catalog.Fix { return catalog.FixFor(f.Code, o.Lang) }

func notes(w io.Writer, r *analyze.Report, o Options) {
	if len(r.Notes) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", o.tr("ui.notes"))
	for _, n := range r.Notes {
		fmt.Fprint(w, "  - "+strings.TrimPrefix(o.wrap(o.msg(n), "    "), "    "))
	}
}

// Timeline writes the merged replay: one line per triad event or changed lmstat snapshot,
// with the triad state after it.
func Timeline(w io.Writer, r *analyze.Report, o Options) error {
	r = cleanReport(r)
	bw := bufio.NewWriter(w)
	p := newPalette(o.Color)
	width, tw := 0, 0
	for _, e := range r.Timeline {
		width = max(width, len(e.Server))
		tw = max(tw, displayWidth(o.when(e.Time)))
	}
	const stateWidth = 28
	var last analyze.State
	var lastMasters string
	for _, e := range r.Timeline {
		masters := strings.Join(e.Masters, ",")
		var state string
		if e.State != last || masters != lastMasters {
			name := o.stateName(e.State)
			plain := name
			if masters != "" {
				plain += " [" + masters + "]"
			}
			state = p.state(e.State, o) + strings.TrimPrefix(plain, name)
			state += strings.Repeat(" ", max(1, stateWidth-runewidth.StringWidth(plain)))
		} else {
			state = p.faint.Sprint(".") + strings.Repeat(" ", stateWidth-1)
		}
		last, lastMasters = e.State, masters
		text := strings.TrimSpace(e.Ref.Text)
		if e.Server == "lmstat" {
			text = "lmstat: " + o.msg(e.What) // the header line alone says nothing; show what it saw
		}
		fmt.Fprintf(bw, "%s  %-*s  %s%s  %s\n", pad(o.when(e.Time), tw), width, e.Server, state, e.Ref.At(), text)
	}
	fmt.Fprint(bw, "\n"+verdict(r, o, p))
	return bw.Flush()
}

// unknownSpans lists the unknown intervals with why and what would settle them (TRIAD.md 4).
func unknownSpans(r *analyze.Report, o Options) []string {
	var out []string
	for _, iv := range r.Intervals {
		if iv.State != analyze.Unknown || iv.Why.IsZero() {
			continue
		}
		if iv.Start.IsZero() {
			out = append(out, o.tr("ui.unknown.line.untimed", "when", msg.Raw(o.when(iv.Start)), "why", iv.Why, "settle", msg.Raw(o.settle(iv.Settle))))
			continue
		}
		out = append(out, o.tr("ui.unknown.line", "from", msg.Raw(o.ts(iv.Start)), "to", msg.Raw(o.ts(iv.End)),
			"why", iv.Why, "settle", msg.Raw(o.settle(iv.Settle))))
	}
	return out
}

// settle joins the inputs that would settle an unknown span: "a, b or c".
func (o Options) settle(ts []msg.Text) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = o.msg(t)
	}
	return strings.Join(parts, catalog.Label(o.Lang, "word.or"))
}
