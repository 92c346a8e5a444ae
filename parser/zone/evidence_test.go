package zone_test

import (
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/zone"
)

// TestEvidence: the clues of every file in order and the span of their dated lines; a file
// with another's content adds nothing.
func TestEvidence(t *testing.T) {
	at := func(s string) time.Time { return wall(t, s) }
	a := &parser.File{Name: "a.log", First: at("2010-12-01 09:00:00"), Last: at("2010-12-01 12:00:00"),
		ZoneClues: []parser.ZoneClue{named(t, "a.log:3", "2010-12-01 09:00:00", "JST")}}
	b := &parser.File{Name: "b.log", First: at("2010-12-01 08:00:00"), Last: at("2010-12-01 11:00:00"),
		ZoneClues: []parser.ZoneClue{offset(t, "b.log:1", "2010-12-01 08:00:00", "+09:00")}}
	twin := &parser.File{Name: "c.log", SameAs: "a.log", First: at("2010-12-01 07:00:00"), Last: at("2010-12-01 13:00:00"),
		ZoneClues: []parser.ZoneClue{named(t, "c.log:3", "2010-12-01 07:00:00", "EST")}}
	clues, from, to := zone.Evidence([]*parser.File{a, twin, b, nil, {Name: "license.dat"}})
	if len(clues) != 2 || clues[0].File != "a.log" || clues[1].File != "b.log" {
		t.Errorf("clues %v, want a.log's then b.log's", clues)
	}
	if !from.Equal(b.First) || !to.Equal(a.Last) {
		t.Errorf("span %s to %s, want %s to %s", from, to, b.First, a.Last)
	}
	if got := zone.Says(clues[0]); got != "JST" {
		t.Errorf("Says(%v) = %q, want JST", clues[0], got)
	}
	if got := zone.Says(clues[1]); got != "UTC+09:00" {
		t.Errorf("Says(%v) = %q, want UTC+09:00", clues[1], got)
	}
	if _, from, to := zone.Evidence(nil); !from.IsZero() || !to.IsZero() {
		t.Errorf("no files: span %s to %s, want zero", from, to)
	}
}
