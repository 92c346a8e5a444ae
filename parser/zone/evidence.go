package zone

import (
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// Evidence gathers what Decide rests on from the files read: every file's zone clues, in the
// order given, and the first and last dated line of them all (zero when none). A file skipped
// for having the same content as another (SameAs) adds nothing: its twin does.
func Evidence(files []*parser.File) (clues []parser.ZoneClue, from, to time.Time) {
	for _, f := range files {
		if f == nil || f.SameAs != "" {
			continue
		}
		clues = append(clues, f.ZoneClues...)
		if !f.First.IsZero() && (from.IsZero() || f.First.Before(from)) {
			from = f.First
		}
		if !f.Last.IsZero() && f.Last.After(to) {
			to = f.Last
		}
	}
	return clues, from, to
}

// Says is what a clue states of the zone, for a report: the zone's name as the line writes
// it ("Tokyo Standard Time", "EDT"), or its UTC offset ("UTC-04:00").
func Says(c parser.ZoneClue) string {
	if c.HasOffset {
		return "UTC" + offset(c.Offset)
	}
	return strings.TrimSpace(c.Name)
}
