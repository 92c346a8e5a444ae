package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/mattn/go-runewidth"
)

// The page: markup, inline CSS and script. Everything it shows comes in through actions, so
// html/template escapes every string from a log (host names, file names, evidence, users) in
// text, attributes and SVG alike.
//
//go:embed html.tmpl
var htmlTemplate string

// Geometry of the SVG timeline, in user units (the SVG scales to the page width).
const (
	tlPlotW   = 1000.0 // width of the time axis
	tlPad     = 12.0   // left and right padding
	tlTop     = 10.0   // space above the first lane
	tlLaneH   = 30.0   // height of one lane
	tlLaneGap = 8.0    // space between lanes
	tlAxisH   = 52.0   // tick labels, dates and the axis title under the lanes
	tlMarkH   = 5.0    // height of the master mark at the top of a server segment
	tlMaxTips = 12     // evidence lines shown in one segment's tooltip
)

// HTML writes one self-contained HTML file (no external scripts, fonts, styles or images)
// with an inline SVG timeline: a lane for the triad's state and one per server (up, joining,
// unresponsive, down; master marked), a time axis in the report's zone, tooltips with each
// segment's span, state and evidence, and the findings, which highlight their span on the
// timeline when clicked. It prints readably (no tooltips, the timeline fits the page).
func HTML(w io.Writer, r *analyze.Report, o Options) error {
	t, err := template.New("html").Funcs(template.FuncMap{
		"tr":    func(key string) string { return o.tr(key) },
		"num":   num,
		"add":   func(a, b float64) float64 { return a + b },
		"mid":   func(a, b float64) float64 { return (a + b) / 2 },
		"plotW": func(tl *htmlTimeline) float64 { return tl.PlotX1 - tl.PlotX },
	}).Parse(htmlTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, buildPage(cleanReport(r), o))
}

type htmlPage struct {
	Lang      string
	Title     string
	Heading   string
	Verdict   string
	Severity  string // verdict severity: ok, info, warning, critical
	SevLabel  string
	Triad     []htmlMember
	TriadNote string
	Times     string
	Warnings  []string
	Timeline  *htmlTimeline
	Legend    []htmlSwatch
	Statuses  []htmlSwatch
	Intervals []htmlInterval
	Explain   []htmlSwatch // the states that occur, explained (non-English reports)
	Unknown   []string     // the unknown spans: why, and what would settle them
	Findings  []htmlFinding
	Notes     []string
	Inputs    []htmlInput
	Generated string
}

type htmlMember struct{ Name, Role, HostID, Port, Aliases string }

type htmlSwatch struct{ Class, Label, Title string }

type htmlInterval struct {
	Start, End, Duration  string
	State, StateLabel     string
	Masters, NotUp, Usage string
	X0, X1                float64
	NoTime                bool // a snapshot pasted without its header: not on the timeline
}

type htmlFinding struct {
	Severity, SevLabel string
	Code, Who, Span    string
	Summary            string
	Evidence           []htmlRef
	FixTitle, FixHead  string
	Steps              []string
	X0, X1             float64
	Start, End         string
	NoTime             bool
	Tag                string // "planned" for a planned stop and the spans it caused
}

type htmlRef struct{ At, Text string }

type htmlInput struct{ Path, Kind, Server, Lines, Span, SHA string }

type htmlTimeline struct {
	W, H          float64
	PlotX, PlotX1 float64
	Top, Bottom   float64
	HlH           float64 // height of the highlight box
	Lanes         []htmlLane
	Ticks         []htmlTick
	AxisY         float64
	AxisTitle     string
	Label         string // aria-label
}

type htmlLane struct {
	Key, Name, Sub string
	Full           string // the whole name, when Name is cut
	Y, H           float64
	NameY, SubY    float64
	Segs           []htmlSeg
}

type htmlSeg struct {
	X, W, X1 float64
	Y, H, TY float64 // top, height, label baseline
	Class    string  // st-STATE or sv-STATUS
	Master   bool
	Label    string // drawn inside when it fits
	LabelX   float64
	Dark     bool // label in white
	Tip      string
}

type htmlTick struct {
	X          float64
	Time, Date string
	Anchor     string // text-anchor: middle, or end near the right edge
}

func buildPage(r *analyze.Report, o Options) *htmlPage {
	lang := o.Lang
	if lang == "" {
		lang = "en"
	}
	p := newPalette(false)
	v := r.Verdict
	page := &htmlPage{
		Lang:      lang,
		Severity:  string(v.Severity),
		SevLabel:  p.severity(v.Severity, o),
		Heading:   o.tr("ui.md.title", "verdict", msg.Raw(p.severity(v.Severity, o)+" "+o.stateName(v.State))),
		Verdict:   verdictLine(r, o, p),
		Generated: o.tr("ui.md.generated", "version", msg.Raw(o.Version)),
	}
	page.Title = page.Heading
	for _, s := range r.Triad.Servers {
		m := htmlMember{Name: s.Name, Role: o.tr("ui.role." + s.Role), HostID: s.HostID, Aliases: strings.Join(s.Aliases, ", ")}
		if s.Port != 0 {
			m.Port = strconv.Itoa(s.Port)
		}
		page.Triad = append(page.Triad, m)
	}
	pim := "ui.pim.unset"
	if r.Triad.PrimaryIsMaster {
		pim = "ui.pim.set"
	}
	page.TriadNote = o.tr(pim) + o.tr("ui.sep") + o.tr("ui.heartbeat", "seconds", int(r.Triad.HeartbeatTimeout.Seconds())) +
		o.tr("ui.sep") + o.tr("ui.source."+r.Triad.Source)
	page.Times = o.tr("ui.md.times", "zone", msg.Raw(zoneLabel(r, o)), "clocks", msg.Raw(strings.Join(clockFacts(r, o), o.tr("ui.sep"))))
	for _, x := range r.Warnings {
		page.Warnings = append(page.Warnings, o.msg(x))
	}

	tl := buildTimeline(r, o)
	page.Timeline = tl
	x := func(t time.Time) float64 { return 0 }
	if tl != nil {
		ivs := timedIntervals(r)
		t0, span := ivs[0].Start, ivs[len(ivs)-1].End.Sub(ivs[0].Start)
		// Clamped: a finding may reach outside the intervals (a window, or evidence before them).
		x = func(t time.Time) float64 { return tl.PlotX + math.Min(math.Max(xOf(t, t0, span), 0), tlPlotW) }
	}

	seen := map[analyze.State]bool{}
	for _, iv := range r.Intervals {
		var notUp []string
		for _, s := range iv.NotUp() {
			notUp = append(notUp, s.Server+" "+catalog.Label(o.Lang, "status."+string(s.Status)))
		}
		start, end, dur := intervalTimes(iv, o, "")
		page.Intervals = append(page.Intervals, htmlInterval{
			Start: start, End: end, Duration: dur,
			State: string(iv.State), StateLabel: o.stateName(iv.State),
			Masters: strings.Join(iv.Masters, ", "), NotUp: strings.Join(notUp, ", "),
			Usage: fmt.Sprintf("%d/%d", iv.Usage.Out, iv.Usage.Denied),
			X0:    x(iv.Start), X1: x(iv.End), NoTime: iv.Start.IsZero(),
		})
		if !seen[iv.State] {
			seen[iv.State] = true
			page.Explain = append(page.Explain, htmlSwatch{Class: "st-" + string(iv.State), Label: o.stateName(iv.State), Title: o.tr("explain." + string(iv.State))})
		}
	}
	for _, s := range []analyze.State{analyze.Normal, analyze.Degraded, analyze.Masterless, analyze.NoQuorum, analyze.FailedRejoin, analyze.DualMaster, analyze.Starting, analyze.Unknown} {
		page.Legend = append(page.Legend, htmlSwatch{Class: "st-" + string(s), Label: o.stateName(s), Title: o.tr("explain." + string(s))})
	}
	for _, s := range []analyze.Status{analyze.StatusUp, analyze.StatusJoining, analyze.StatusUnresponsive, analyze.StatusIsolated, analyze.StatusDown, analyze.StatusUnknown} {
		page.Statuses = append(page.Statuses, htmlSwatch{Class: "sv-" + string(s), Label: catalog.Label(o.Lang, "status."+string(s)),
			Title: catalog.Label(o.Lang, "explain.status."+string(s))})
	}

	for _, f := range r.Findings {
		hf := htmlFinding{Severity: string(f.Severity), SevLabel: p.severity(f.Severity, o), Code: f.Code,
			Who: o.tr("ui.triad-wide"), Span: o.when(f.Start), Summary: o.msg(f.Msg),
			X0: x(f.Start), X1: x(f.End), Start: o.ts(f.Start), End: o.ts(f.End), NoTime: f.Start.IsZero()}
		if f.Server != "" {
			hf.Who = f.Server
		}
		if f.Planned && f.Code != "planned-shutdown" {
			hf.Tag = o.tr("ui.planned")
		}
		if !f.End.Equal(f.Start) {
			hf.Span = o.tr("ui.span.duration", "from", msg.Raw(o.ts(f.Start)), "to", msg.Raw(o.ts(f.End)), "dur", msg.Raw(o.duration(f.End.Sub(f.Start))))
		}
		for _, e := range f.Evidence {
			hf.Evidence = append(hf.Evidence, htmlRef{At: e.At(), Text: strings.TrimSpace(e.Text)})
		}
		if fix := o.fix(f); fix != nil {
			hf.FixHead = o.tr("ui.whattodo")
			if fix.Ref != "" {
				hf.FixHead = o.tr("ui.md.fixref", "ref", msg.Raw(fix.Ref))
			}
			hf.FixTitle, hf.Steps = fix.Title, fix.Steps
		}
		page.Findings = append(page.Findings, hf)
	}
	for _, n := range r.Notes {
		page.Notes = append(page.Notes, o.msg(n))
	}
	for _, l := range unknownSpans(r, o) {
		page.Unknown = append(page.Unknown, l)
	}
	for _, in := range r.Inputs {
		hi := htmlInput{Path: in.Path, Kind: in.Kind, Server: in.Server, Lines: strconv.Itoa(in.Lines), SHA: in.SHA256}
		if !in.Skipped.IsZero() {
			hi.Span = o.tr("ui.skipped", "reason", o.msg(in.Skipped))
		} else if !in.First.IsZero() {
			hi.Span = o.tr("ui.span", "from", msg.Raw(o.ts(in.First)), "to", msg.Raw(o.ts(in.Last)))
		}
		page.Inputs = append(page.Inputs, hi)
	}
	return page
}

func zoneName(r *analyze.Report) string {
	if r.Clock.Timezone == "" {
		return "UTC"
	}
	return r.Clock.Timezone
}

// xOf places t on the plot: 0 at t0, tlPlotW at t0+span.
func xOf(t, t0 time.Time, span time.Duration) float64 {
	if span <= 0 {
		return 0
	}
	return float64(t.Sub(t0)) / float64(span) * tlPlotW
}

// buildTimeline lays out the SVG: lanes, segments with their tooltips, and the time axis.
func buildTimeline(r *analyze.Report, o Options) *htmlTimeline {
	ivs := timedIntervals(r) // one with no time has no place on it
	if len(ivs) == 0 {
		return nil
	}
	t0, t1 := ivs[0].Start, ivs[len(ivs)-1].End
	span := t1.Sub(t0)
	loc := o.Location
	if loc == nil {
		loc = t0.Location()
	}

	// The label column fits the longest server name (up to a limit; longer names are cut by the
	// plot, and the tooltip and the tables show them whole).
	labelW := 70.0
	names := []string{o.tr("ui.md.triad")}
	for _, s := range r.Triad.Servers {
		names = append(names, s.Name)
	}
	for _, n := range names {
		labelW = max(labelW, textWidth(n, 12)+16)
	}
	labelW = math.Min(labelW, 220)

	tl := &htmlTimeline{PlotX: tlPad + labelW, Top: tlTop}
	tl.PlotX1 = tl.PlotX + tlPlotW
	tl.W = tl.PlotX1 + tlPad
	x := func(t time.Time) float64 { return tl.PlotX + xOf(t, t0, span) }

	y := tlTop
	triad := htmlLane{Key: "triad", Name: o.tr("ui.md.triad"), Y: y, H: tlLaneH}
	for _, iv := range ivs {
		seg := htmlSeg{X: x(iv.Start), X1: x(iv.End), Class: "st-" + string(iv.State), Dark: darkState(iv.State)}
		seg.Tip = intervalTip(iv, o)
		seg.Label = o.stateName(iv.State)
		triad.Segs = append(triad.Segs, seg)
	}
	tl.Lanes = append(tl.Lanes, triad)
	y += tlLaneH + tlLaneGap

	// Server lanes: a segment per span in which the server's status and whether it claims
	// master stay the same (the report's lanes; for a report without them, runs of intervals).
	for si, srv := range r.Triad.Servers {
		lane := htmlLane{Key: srv.Name, Name: srv.Name, Sub: o.tr("ui.role." + srv.Role), Y: y, H: tlLaneH}
		if si < len(r.Lanes) && r.Lanes[si].Server == srv.Name {
			for _, sp := range r.Lanes[si].Spans {
				label := catalog.Label(o.Lang, "status."+string(sp.Status))
				if sp.Master {
					label = o.tr("ui.html.master.label", "status", msg.Raw(label))
				}
				lane.Segs = append(lane.Segs, htmlSeg{X: x(sp.Start), X1: x(sp.End), Class: "sv-" + string(sp.Status), Master: sp.Master,
					Label: label, Dark: darkStatus(sp.Status), Tip: statusTip(srv.Name, sp.Status, sp.Master, sp.Start, sp.End, sp.Evidence, o)})
			}
			tl.Lanes = append(tl.Lanes, lane)
			y += tlLaneH + tlLaneGap
			continue
		}
		var cur *htmlSeg
		var curIv analyze.Interval
		var curStatus analyze.Status
		flush := func(end time.Time) {
			if cur == nil {
				return
			}
			cur.X1 = x(end)
			cur.Tip = serverTip(srv.Name, curStatus, cur.Master, curIv, end, o)
			lane.Segs = append(lane.Segs, *cur)
			cur = nil
		}
		for _, iv := range ivs {
			st := analyze.StatusUnknown
			for _, s := range iv.Servers {
				if s.Server == srv.Name {
					st = s.Status
				}
			}
			master := contains(iv.Masters, srv.Name)
			if cur != nil && curStatus == st && cur.Master == master && x(iv.Start) == cur.X1 {
				cur.X1 = x(iv.End)
				continue
			}
			if cur != nil {
				flush(iv.Start)
			}
			label := catalog.Label(o.Lang, "status."+string(st))
			if master {
				label = o.tr("ui.html.master.label", "status", msg.Raw(label))
			}
			cur = &htmlSeg{X: x(iv.Start), X1: x(iv.End), Class: "sv-" + string(st), Master: master, Label: label, Dark: darkStatus(st)}
			curIv, curStatus = iv, st
		}
		flush(t1)
		tl.Lanes = append(tl.Lanes, lane)
		y += tlLaneH + tlLaneGap
	}
	for li := range tl.Lanes {
		l := &tl.Lanes[li]
		l.NameY, l.SubY = l.Y+13, l.Y+25
		if l.Sub == "" {
			l.NameY = l.Y + l.H/2 + 4
		}
		if cut := fitText(l.Name, 12, labelW-10); cut != l.Name {
			l.Name, l.Full = cut, l.Name
		}
		for si := range l.Segs {
			s := &l.Segs[si]
			s.Y, s.H, s.TY = l.Y, l.H, l.Y+l.H/2+4
			s.W = math.Max(s.X1-s.X, 0.5)
			s.LabelX = s.X + s.W/2
			if textWidth(s.Label, 11)+8 > s.W {
				s.Label = ""
				if s.Master && s.W >= 12 {
					s.Label = "M"
				}
			}
		}
	}
	tl.Bottom = y - tlLaneGap
	tl.HlH = tl.Bottom - tl.Top
	tl.AxisY = tl.Bottom
	tl.H = tl.Bottom + tlAxisH

	zone := zoneName(r)
	tl.AxisTitle = o.tr("ui.html.axis", "zone", msg.Raw(zone), "offset", msg.Raw(t0.In(loc).Format("-07:00")))
	tl.Label = o.tr("ui.html.timeline.label", "from", msg.Raw(o.ts(t0)), "to", msg.Raw(o.ts(t1)))
	tl.Ticks = ticks(t0, t1, loc, func(t time.Time) float64 { return x(t) })
	return tl
}

// intervalTip is a triad segment's tooltip: state, span, masters, servers not up, usage and
// the evidence lines that start it.
func intervalTip(iv analyze.Interval, o Options) string {
	lines := []string{o.stateName(iv.State) + ": " + o.tr("explain."+string(iv.State)), spanText(iv.Start, iv.End, o)}
	if len(iv.Masters) > 0 {
		lines = append(lines, o.tr("ui.html.masters", "names", msg.Raw(strings.Join(iv.Masters, ", "))))
	}
	var notUp []string
	for _, s := range iv.NotUp() {
		notUp = append(notUp, s.Server+" "+catalog.Label(o.Lang, "status."+string(s.Status)))
	}
	if len(notUp) > 0 {
		lines = append(lines, o.tr("ui.html.notup", "list", msg.Raw(strings.Join(notUp, ", "))))
	}
	lines = append(lines, o.tr("ui.html.usage", "out", iv.Usage.Out, "denied", iv.Usage.Denied))
	return strings.Join(append(lines, evidenceTip(iv.Evidence, o)...), "\n")
}

// serverTip is a server segment's tooltip: the server's status, whether it claimed master,
// the span, and the evidence of the interval the segment starts with.
func serverTip(server string, st analyze.Status, master bool, iv analyze.Interval, end time.Time, o Options) string {
	return statusTip(server, st, master, iv.Start, end, iv.Evidence, o)
}

// statusTip is the tooltip of a server's span: status, master, span and the evidence that
// began it.
func statusTip(server string, st analyze.Status, master bool, start, end time.Time, refs []analyze.Ref, o Options) string {
	key := "ui.html.server"
	if master {
		key = "ui.html.server.master"
	}
	lines := []string{o.tr(key, "server", msg.Raw(server), "status", msg.Raw(catalog.Label(o.Lang, "status."+string(st)))),
		spanText(start, end, o)}
	return strings.Join(append(lines, evidenceTip(refs, o)...), "\n")
}

func spanText(from, to time.Time, o Options) string {
	return o.tr("ui.span.duration", "from", msg.Raw(o.ts(from)), "to", msg.Raw(o.ts(to)), "dur", msg.Raw(o.duration(to.Sub(from))))
}

// evidenceTip lists evidence lines for a tooltip, indented (the script shows indented lines
// in a fixed-width font), at most tlMaxTips of them.
func evidenceTip(refs []analyze.Ref, o Options) []string {
	if len(refs) == 0 {
		return nil
	}
	lines := []string{o.tr("ui.evidence")}
	for i, e := range refs {
		if i == tlMaxTips {
			lines = append(lines, "  "+o.tr("ui.html.more", "n", len(refs)-tlMaxTips))
			break
		}
		lines = append(lines, "  "+e.At()+"  "+strings.TrimSpace(e.Text))
	}
	return lines
}

// ticks puts the axis ticks at round times in loc, about every 100 user units or more; a tick
// shows its date when it is the first or the date changed.
func ticks(t0, t1 time.Time, loc *time.Location, x func(time.Time) float64) []htmlTick {
	span := t1.Sub(t0)
	steps := []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 10 {
			step = s
			break
		}
	}
	days := 1
	for step == 24*time.Hour && span/(time.Duration(days)*step) > 10 {
		days *= 2
	}
	var out []htmlTick
	lastDate := ""
	add := func(t time.Time, withTime bool) {
		lt := t.In(loc)
		tk := htmlTick{X: x(t), Anchor: "middle"}
		if tk.X > x(t1)-24 {
			tk.Anchor = "end"
		}
		if withTime {
			tk.Time = lt.Format("15:04")
			if step < time.Minute {
				tk.Time = lt.Format("15:04:05")
			}
		}
		if d := lt.Format("2006-01-02"); d != lastDate {
			tk.Date, lastDate = d, d
		}
		out = append(out, tk)
	}
	l0 := t0.In(loc)
	if step < 24*time.Hour {
		// Round up from local midnight, so that ticks fall on round local times.
		midnight := time.Date(l0.Year(), l0.Month(), l0.Day(), 0, 0, 0, 0, loc)
		t := midnight.Add(l0.Sub(midnight).Truncate(step))
		if t.Before(t0) {
			t = t.Add(step)
		}
		for ; !t.After(t1); t = t.Add(step) {
			add(t, true)
		}
		return out
	}
	d := time.Date(l0.Year(), l0.Month(), l0.Day(), 0, 0, 0, 0, loc)
	if d.Before(t0) {
		d = d.AddDate(0, 0, 1)
	}
	for ; !d.After(t1); d = d.AddDate(0, 0, days) {
		add(d, false)
	}
	return out
}

// darkState tells the states whose fill needs a white label.
func darkState(s analyze.State) bool {
	switch s {
	case analyze.Normal, analyze.Masterless, analyze.NoQuorum, analyze.FailedRejoin, analyze.DualMaster:
		return true
	}
	return false
}

func darkStatus(s analyze.Status) bool {
	return s == analyze.StatusUp || s == analyze.StatusDown || s == analyze.StatusIsolated
}

// textWidth estimates a label's width at a font size: wide (East Asian) characters take a
// full em, others about 0.6 em.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch runewidth.RuneWidth(r) {
		case 0:
		case 2:
			w += size
		default:
			w += 0.6 * size
		}
	}
	return w
}

// fitText cuts s to fit width at a font size, ending it with an ellipsis when cut.
func fitText(s string, size, width float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && textWidth(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// num prints a coordinate with at most two decimals, the same on every machine.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
