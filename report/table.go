package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// intervalTable writes the intervals: the wide table, one line per interval with full times,
// when it fits the report's width, else the compact one.
func intervalTable(w io.Writer, r *analyze.Report, o Options, p *palette) error {
	fmt.Fprintf(w, "\n%s\n", p.bold.Sprint(o.tr("ui.intervals")))
	if len(r.Intervals) == 0 {
		fmt.Fprintln(w, "  "+o.tr("ui.none"))
		return nil
	}
	var wide bytes.Buffer
	if err := wideTable(&wide, r, o, p); err != nil {
		return err
	}
	if fits(wide.String(), o.width()) {
		if _, err := w.Write(wide.Bytes()); err != nil {
			return err
		}
	} else {
		compactTable(w, r, o, p)
	}
	if o.Lang != "" && o.Lang != "en" {
		legend(w, r, o)
	}
	if hasIsolated(r) {
		fmt.Fprint(w, "\n"+o.wrap(o.tr("explain.status.isolated.line"), ""))
	}
	if lines := unknownSpans(r, o); len(lines) > 0 {
		fmt.Fprintf(w, "\n%s\n", o.tr("ui.unknown.title"))
		for _, l := range lines {
			fmt.Fprint(w, "  - "+strings.TrimPrefix(o.wrap(l, "    "), "    "))
		}
	}
	return nil
}

// fits tells whether every line of s fits in width display columns.
func fits(s string, width int) bool {
	for _, l := range strings.Split(s, "\n") {
		if displayWidth(l) > width {
			return false
		}
	}
	return true
}

// intervalCells are the texts of an interval's masters and of the servers that were not up.
func intervalCells(iv analyze.Interval, o Options) (masters, notUp []string) {
	for _, s := range iv.NotUp() {
		notUp = append(notUp, s.Server+" "+catalog.Label(o.Lang, "status."+string(s.Status)))
	}
	masters = iv.Masters
	if len(masters) == 0 {
		masters = []string{"-"}
	}
	if len(notUp) == 0 {
		notUp = []string{"-"}
	}
	return masters, notUp
}

func usage(iv analyze.Interval) string { return fmt.Sprintf("%d/%d", iv.Usage.Out, iv.Usage.Denied) }

// timedIntervals are the report's intervals that have a time: all but those of snapshots
// pasted without their header, which come after them.
func timedIntervals(r *analyze.Report) []analyze.Interval {
	n := len(r.Intervals)
	for n > 0 && r.Intervals[n-1].Start.IsZero() {
		n--
	}
	return r.Intervals[:n]
}

// intervalTimes are an interval's start, end and length for the tables; an interval with no
// time (a snapshot pasted without its header) is "at an unknown time", with none (empty).
func intervalTimes(iv analyze.Interval, o Options, empty string) (start, end, dur string) {
	if iv.Start.IsZero() {
		return o.when(iv.Start), empty, empty
	}
	return o.ts(iv.Start), o.ts(iv.End), o.duration(iv.Duration())
}

// wideTable is the interval table with a row per interval and a column for each of its
// facts, start and end in full.
func wideTable(w io.Writer, r *analyze.Report, o Options, p *palette) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithSymbols(tw.NewSymbols(tw.StyleASCII)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithAlignment(tw.Alignment{tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignRight}),
	)
	t.Header(o.tr("ui.col.start"), o.tr("ui.col.end"), o.tr("ui.col.duration"), o.tr("ui.col.state"), o.tr("ui.col.masters"), o.tr("ui.col.notup"), o.tr("ui.col.usage"))
	for _, iv := range r.Intervals {
		masters, notUp := intervalCells(iv, o)
		start, end, dur := intervalTimes(iv, o, "-")
		if err := t.Append(start, end, dur, p.state(iv.State, o), strings.Join(masters, ", "), strings.Join(notUp, ", "), usage(iv)); err != nil {
			return err
		}
	}
	return t.Render()
}

// A column of the compact table: its heading and a cell per interval, each cell a list of
// items laid out with ", " between them, folded to the column's width.
type column struct {
	head   string
	cells  [][]string
	right  bool
	colour []func(string) string // per cell, for each of its lines; nil: plain
	fixed  bool                  // never narrower than its widest cell (the times)
	w      int
	laid   map[int][]laidCell // by width: the heading, then each cell
}

type laidCell struct {
	lines   []string
	penalty int
}

func layCell(items []string, sep string, w, wideBreak int) laidCell {
	f := newFiller(w, "", "")
	f.wideBreak, f.seek = wideBreak, true
	f.items(items, sep)
	return laidCell{f.lines(), f.penalty}
}

// at is the column's heading and cells folded to width w.
func (c *column) at(w int) []laidCell {
	if l, ok := c.laid[w]; ok {
		return l
	}
	// A heading folds after a slash ("OUT/" then "DENIED") or at a space; between two East
	// Asian characters it costs five times what it costs in a cell ("マスタサー" then "バ"
	// reads badly over a column).
	l := []laidCell{layCell(strings.SplitAfter(c.head, "/"), "", w, 10)}
	for _, items := range c.cells {
		l = append(l, layCell(items, ", ", w, 2))
	}
	if c.laid == nil {
		c.laid = map[int][]laidCell{}
	}
	c.laid[w] = l
	return l
}

// compactTable is the interval table for narrow widths: no end column (an interval ends
// where the next starts; a row marks the end of the last, and of any before a gap), the
// times of day under a row naming the date and the UTC offset whenever either changes, and
// cells folded to columns sized to fit.
func compactTable(w io.Writer, r *analyze.Report, o Options, p *palette) {
	cols := []*column{
		{head: o.tr("ui.col.start"), fixed: true},
		{head: o.tr("ui.col.duration"), right: true},
		{head: o.tr("ui.col.state")},
		{head: o.tr("ui.col.masters")},
		{head: o.tr("ui.col.notup")},
		{head: o.tr("ui.col.usage"), right: true},
	}
	start, dur, state, masters, notUp, use := cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]
	for _, iv := range r.Intervals {
		m, n := intervalCells(iv, o)
		if iv.Start.IsZero() {
			start.cells = append(start.cells, []string{o.when(iv.Start)})
			dur.cells = append(dur.cells, []string{"-"})
		} else {
			start.cells = append(start.cells, []string{o.local(iv.Start).Format(time.TimeOnly)})
			dur.cells = append(dur.cells, []string{o.duration(iv.Duration())})
		}
		state.cells = append(state.cells, []string{o.stateName(iv.State)})
		c := p.states[iv.State]
		state.colour = append(state.colour, func(s string) string {
			if c == nil {
				return s
			}
			return c.Sprint(s)
		})
		masters.cells = append(masters.cells, m)
		notUp.cells = append(notUp.cells, n)
		use.cells = append(use.cells, []string{usage(iv)})
	}
	// Two spaces between columns; one where that spares breaking a word inside.
	gap := "  "
	if cost := sizeColumns(cols, o.width()-2*(len(cols)-1)); cost >= 100 {
		wide := make([]int, len(cols))
		for i, c := range cols {
			wide[i] = c.w
		}
		if sizeColumns(cols, o.width()-(len(cols)-1)) < cost {
			gap = " "
		} else {
			for i, c := range cols {
				c.w = wide[i]
			}
		}
	}

	// row writes row r (0 the headings, then one per interval).
	row := func(r int, colour []func(string) string) {
		lines := make([][]string, len(cols))
		height := 0
		for i, c := range cols {
			lines[i] = c.at(c.w)[r].lines
			height = max(height, len(lines[i]))
		}
		for l := range height {
			var b strings.Builder
			for i, c := range cols {
				text := ""
				if l < len(lines[i]) {
					text = lines[i][l]
				}
				fill := strings.Repeat(" ", max(0, c.w-displayWidth(text)))
				if colour != nil && colour[i] != nil && text != "" {
					text = colour[i](text)
				}
				if i > 0 {
					b.WriteString(gap)
				}
				if c.right {
					b.WriteString(fill + text)
				} else {
					b.WriteString(text + fill)
				}
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
	rule := make([]string, len(cols))
	for i, c := range cols {
		rule[i] = strings.Repeat("-", c.w)
	}
	row(0, nil)
	fmt.Fprintln(w, strings.Join(rule, gap))

	day := ""
	newDay := func(t time.Time) {
		t = o.local(t)
		if d := t.Format("2006-01-02 -07:00"); d != day {
			day = d
			fmt.Fprintln(w, o.tr("ui.table.day", "date", msg.Raw(t.Format(time.DateOnly)), "offset", msg.Raw(t.Format("-07:00"))))
		}
	}
	for i, iv := range r.Intervals {
		if !iv.Start.IsZero() { // an interval with no time has no day, and no end
			newDay(iv.Start)
		}
		colour := make([]func(string) string, len(cols))
		for j, c := range cols {
			if c.colour != nil {
				colour[j] = c.colour[i]
			}
		}
		row(i+1, colour)
		if iv.Start.IsZero() {
			continue
		}
		if i == len(r.Intervals)-1 || !r.Intervals[i+1].Start.Equal(iv.End) {
			newDay(iv.End)
			fmt.Fprintln(w, pad(o.local(iv.End).Format(time.TimeOnly), start.w)+gap+o.tr("ui.table.end"))
		}
	}
}

// local is t in the report's zone (its own when the report has none).
func (o Options) local(t time.Time) time.Time {
	if o.Location != nil {
		return t.In(o.Location)
	}
	return t
}

// sizeColumns gives each column its natural width (its widest cell on one line) when they
// all fit in avail. Otherwise it chooses the widths, together no more than avail, that cost
// the least, a column's cost at a width being what its cells and heading cost folded to it:
// 2 for each line past a cell's first (3 in the heading), and the filler's penalty for each break that reads
// worse than one between two items ("server1 down," then "server2 down"): 1 at a space inside
// an item or where Japanese text changes script, 2 elsewhere between two East Asian
// characters (10 in a heading), 100 inside a word. Then it trims each column to its widest
// line and gives what is left to the columns it saves the most. It returns the cost of the
// widths it chose.
func sizeColumns(cols []*column, avail int) int {
	natural := func(c *column) int {
		w := 0
		for _, l := range c.at(1 << 20) {
			for _, line := range l.lines {
				w = max(w, displayWidth(line))
			}
		}
		return w
	}
	costs := make([]map[int]int, len(cols)) // by column, by width
	cost := func(i, w int) int {
		if n, ok := costs[i][w]; ok {
			return n
		}
		n := 0
		for r, l := range cols[i].at(w) {
			perLine := 2
			if r == 0 { // a heading over two lines reads a little worse than a row
				perLine = 3
			}
			n += perLine*(len(l.lines)-1) + l.penalty
		}
		costs[i][w] = n
		return n
	}
	lo, hi := make([]int, len(cols)), make([]int, len(cols))
	total := 0
	for i, c := range cols {
		costs[i] = map[int]int{}
		hi[i] = natural(c)
		lo[i] = min(hi[i], 2) // a wide character
		if c.fixed {
			lo[i] = hi[i]
		}
		total += hi[i]
	}
	if total > avail {
		// best[i][s]: the least cost of columns i and after in s columns, and the width of
		// column i that gives it (-1: they do not fit in s).
		type cell struct{ cost, w int }
		best := make([][]cell, len(cols)+1)
		for i := range best {
			best[i] = make([]cell, avail+1)
			for s := range best[i] {
				best[i][s] = cell{0, -1}
			}
		}
		for s := range best[len(cols)] {
			best[len(cols)][s].w = 0
		}
		for i := len(cols) - 1; i >= 0; i-- {
			for s := 0; s <= avail; s++ {
				for w := min(hi[i], s); w >= lo[i]; w-- {
					rest := best[i+1][s-w]
					if rest.w < 0 {
						continue
					}
					if n := cost(i, w) + rest.cost; best[i][s].w < 0 || n < best[i][s].cost {
						best[i][s] = cell{n, w}
					}
				}
			}
		}
		if best[0][avail].w < 0 { // too narrow even at the floors: cannot happen at MinWidth
			for i, c := range cols {
				c.w = lo[i]
			}
			return 1 << 30
		}
		s := avail
		for i, c := range cols {
			c.w = best[i][s].w
			s -= c.w
		}
	} else {
		for i, c := range cols {
			c.w = hi[i]
		}
	}
	// Trim each column to its widest line, then widen where that saves the most.
	left := avail
	for _, c := range cols {
		laid := 0
		for _, l := range c.at(c.w) {
			for _, line := range l.lines {
				laid = max(laid, displayWidth(line))
			}
		}
		c.w = laid
		left -= c.w
	}
	for left > 0 {
		bi, bw, saved := -1, 0, 0
		for i, c := range cols {
			for w := c.w + 1; w <= min(hi[i], c.w+left); w++ {
				if d := cost(i, c.w) - cost(i, w); d > saved {
					bi, bw, saved = i, w, d
				}
			}
		}
		if bi < 0 {
			break
		}
		left -= bw - cols[bi].w
		cols[bi].w = bw
	}
	n := 0
	for i, c := range cols {
		n += cost(i, c.w)
	}
	return n
}

// legend explains the states that occur, in the report's language.
func legend(w io.Writer, r *analyze.Report, o Options) {
	fmt.Fprintf(w, "\n%s\n", o.tr("ui.states"))
	seen := map[analyze.State]bool{}
	for _, iv := range r.Intervals {
		if seen[iv.State] {
			continue
		}
		seen[iv.State] = true
		fmt.Fprint(w, o.wrap(fmt.Sprintf("%s (%s): %s", o.stateName(iv.State), iv.State, o.tr("explain."+string(iv.State))), "  "))
	}
}

// hasIsolated tells whether a server is isolated somewhere in the report: the text then says
// what that means.
func hasIsolated(r *analyze.Report) bool {
	for _, iv := range r.Intervals {
		for _, s := range iv.Servers {
			if s.Status == analyze.StatusIsolated {
				return true
			}
		}
	}
	for _, l := range r.Lanes {
		for _, sp := range l.Spans {
			if sp.Status == analyze.StatusIsolated {
				return true
			}
		}
	}
	return false
}
