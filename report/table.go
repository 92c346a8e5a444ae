package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// intervalTable writes the intervals, one row each.
func intervalTable(w io.Writer, r *analyze.Report, o Options, p *palette) error {
	fmt.Fprintf(w, "\n%s\n", p.bold.Sprint(o.tr("ui.intervals")))
	if len(r.Intervals) == 0 {
		fmt.Fprintln(w, "  "+o.tr("ui.none"))
		return nil
	}
	if err := wideTable(w, r, o, p); err != nil {
		return err
	}
	if o.Lang != "" && o.Lang != "en" {
		legend(w, r, o)
	}
	return nil
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
		if err := t.Append(o.ts(iv.Start), o.ts(iv.End), o.duration(iv.Duration()), p.state(iv.State, o), strings.Join(masters, ", "), strings.Join(notUp, ", "), usage(iv)); err != nil {
			return err
		}
	}
	return t.Render()
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
