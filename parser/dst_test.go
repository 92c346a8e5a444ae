package parser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// A log that runs from Saturday evening to Monday morning crosses midnight twice, with the end
// of daylight saving time (America/New_York, 2017-11-05 02:00 EDT -> 01:00 EST) in between and
// no date line after the first: every line lands on its day and hour.
func TestDebugLogTwoMidnightsAndDST(t *testing.T) {
	in := text(
		"20:00:00 (lmgrd) TIMESTAMP 11/4/2017",
		"23:59:50 (lmgrd) Connected to h2",       // Sat EDT
		" 0:00:10 (lmgrd) Lost connection to h2", // Sun 00:00:10 EDT: first midnight
		" 1:40:00 (lmgrd) Connected to h2",       // 01:40 EDT (first pass of the hour)
		" 1:05:00 (lmgrd) Lost connection to h2", // back 35 min: the repeated hour, 01:05 EST
		" 1:50:00 (lmgrd) Connected to h2",       // 01:50 EST
		"13:00:00 (lmgrd) Lost connection to h2", // Sun afternoon, EST
		" 0:30:00 (lmgrd) Connected to h2",       // Mon: second midnight
		" 2:00:00 (lmgrd) TIMESTAMP 11/6/2017",   // agrees with the day count
		" 2:00:01 (lmgrd) Lost connection to h2",
	)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	f, err := parser.Read(strings.NewReader(in), "dst.log", parser.Options{Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2017-11-04T23:59:50-04:00",
		"2017-11-05T00:00:10-04:00",
		"2017-11-05T01:40:00-04:00",
		"2017-11-05T01:05:00-05:00",
		"2017-11-05T01:50:00-05:00",
		"2017-11-05T13:00:00-05:00",
		"2017-11-06T00:30:00-05:00",
		"2017-11-06T02:00:01-05:00",
	}
	if len(f.Events) != len(want) {
		t.Fatalf("%d events, want %d", len(f.Events), len(want))
	}
	for k, e := range f.Events {
		if got := e.Time.Format(time.RFC3339); got != want[k] {
			t.Errorf("line %d (%s) at %s, want %s", e.Line, strings.TrimSpace(e.Text), got, want[k])
		}
	}
	for k := 1; k < len(f.Events); k++ {
		if f.Events[k].Time.Before(f.Events[k-1].Time) {
			t.Errorf("line %d runs backwards", f.Events[k].Line)
		}
	}
	if len(f.Warnings) != 0 {
		t.Errorf("the order decided the repeated hour, yet: %v", f.Warnings)
	}
	if got := f.First.Format(time.RFC3339); got != "2017-11-04T20:00:00-04:00" {
		t.Errorf("First = %s", got)
	}
	if got := f.Last.Format(time.RFC3339); got != "2017-11-06T02:00:01-05:00" {
		t.Errorf("Last = %s", got)
	}
}

// When nothing in the log tells which of the two readings of a repeated hour is meant, the
// first is taken and a warning says so.
func TestDebugLogAmbiguousHourWarns(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	in := text(
		"23:00:00 (lmgrd) TIMESTAMP 11/4/2017",
		" 1:30:00 (lmgrd) Connected to h2",
		" 1:45:00 (lmgrd) Lost connection to h2",
	)
	f, err := parser.Read(strings.NewReader(in), "dst.log", parser.Options{Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Line != 2 || !strings.Contains(english(f.Warnings[0].Msg), "repeats when daylight saving time ends") {
		t.Fatalf("warnings %v, want one at line 2 about the repeated hour", f.Warnings)
	}
	if got := f.Events[0].Time.Format(time.RFC3339); got != "2017-11-05T01:30:00-04:00" {
		t.Errorf("read as %s, want the first (EDT) reading", got)
	}
}
