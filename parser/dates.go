package parser

import (
	"sort"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// The dates a file states (FORMATS.md 1.2 and 2.1: banner, TIMESTAMP, System Date, SLOG
// Start-Date, the -datestamp envelope, the lmstat header and stamp lines) are checked where
// they are read, never on ordinary lines. A date the parser cannot believe is a warning naming
// its line, and it dates nothing: a debug log is then dated by its other anchors (or stays
// undated), an lmstat run by its stamp line (or is not used).
//
// Plausible means: not before 1988-01-01 (the first FLEXlm), and not more than a day after
// Options.Now (the day covers the difference between the servers' zone and this machine's,
// and a little clock error). Within that range no duration between two dates overflows
// time.Duration (about 292 years).
//
// Within a file, an anchor may also be an outlier: see logState.anchor and lmstatState.outlier.

const (
	firstYear = 1988           // the first FLEXlm
	dateSlack = 24 * time.Hour // how far after Options.Now a date may be, and the outlier margin
)

// implausible tells why a stated date cannot be trusted, or the zero Text when it can. t is the
// time the line states, in the zone of the file (for a date without a time, the date at the
// line's time of day); text is the date as written, for the message ("" for t in RFC 3339).
func (o Options) implausible(t time.Time, text string) msg.Text {
	early := t.Year() < firstYear
	if !early && (o.Now.IsZero() || !t.After(o.Now.Add(dateSlack))) {
		return msg.Text{} // the common case: nothing formatted
	}
	if text == "" {
		text = t.Format(time.RFC3339)
	}
	if early {
		return msg.New("warn.line.date-early", "date", msg.Raw(text))
	}
	return msg.New("warn.line.date-late", "date", msg.Raw(text), "now", msg.Raw(o.Now.Format("2006-01-02")))
}

// warnBack records a warning about an earlier line (an anchor found to be an outlier only when
// a later line was read): it is kept in line order among the warnings kept.
func (f *File) warnBack(line int, m msg.Text) {
	kept := len(f.Warnings)
	f.warn(line, m)
	if len(f.Warnings) == kept {
		return // over the limit: counted only
	}
	w := f.Warnings[kept]
	i := sort.Search(kept, func(i int) bool { return f.Warnings[i].Line > line })
	copy(f.Warnings[i+1:], f.Warnings[i:kept])
	f.Warnings[i] = w
}
