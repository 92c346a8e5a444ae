package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/analyze"
)

// TestZoneSource: every format says where the zone came from (TRIAD.md 6, 7): the JSON in
// clock.timezone_source and clock.timezone_evidence, the text, Markdown and HTML headers in
// a few words, in English and Japanese.
func TestZoneSource(t *testing.T) {
	line := func(file string, n int) analyze.ZoneRef {
		return analyze.ZoneRef{File: file, Line: n, Text: "Server's System Date and Time: Wed Dec 01 2010 08:55:10 Tokyo Standard Time", Says: "Tokyo Standard Time"}
	}
	for _, tc := range []struct {
		name     string
		source   string
		evidence []analyze.ZoneRef
		en, ja   string // in the text header
	}{
		{"given", "given", nil, "Asia/Tokyo (given with --tz)", "Asia/Tokyo (--tz で指定)"},
		{"machine", "machine", nil, "Asia/Tokyo (the machine's zone: no line of the evidence fixes it)", "Asia/Tokyo (このマシンのタイムゾーン: 証拠のどの行からも決まりません)"},
		{"one line", "evidence", []analyze.ZoneRef{line("s1.log", 22)},
			"Asia/Tokyo (from the logs: s1.log:22 'Tokyo Standard Time')", "Asia/Tokyo (ログから: s1.log:22 の「Tokyo Standard Time」)"},
		{"two lines", "evidence", []analyze.ZoneRef{line("s1.log", 22), line("s2.log", 22)},
			"Asia/Tokyo (from the logs: s1.log:22 'Tokyo Standard Time' and one more line)", "ほか1行)"},
		{"three lines", "evidence", []analyze.ZoneRef{line("s1.log", 22), line("s2.log", 22), line("s3.log", 9)},
			"Asia/Tokyo (from the logs: s1.log:22 'Tokyo Standard Time' and 2 more lines)", "ほか2行)"},
		{"not said", "", nil, "Time: Asia/Tokyo; clocks", "時刻: Asia/Tokyo、時計"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tiny()
			r.Clock.TimezoneSource, r.Clock.TimezoneEvidence = tc.source, tc.evidence
			var b bytes.Buffer
			if err := JSON(&b, r, Options{}, false); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Clock struct {
					Source   *string `json:"timezone_source"`
					Evidence []struct {
						At   string `json:"at"`
						Text string `json:"text"`
					} `json:"timezone_evidence"`
				} `json:"clock"`
			}
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Clock.Source == nil || *got.Clock.Source != tc.source {
				t.Errorf("timezone_source %v, want %q", got.Clock.Source, tc.source)
			}
			if got.Clock.Evidence == nil || len(got.Clock.Evidence) != len(tc.evidence) {
				t.Fatalf("timezone_evidence %v, want %d lines (a list, never null)", got.Clock.Evidence, len(tc.evidence))
			}
			for i, e := range tc.evidence {
				if g := got.Clock.Evidence[i]; g.At != e.At() || g.Text != e.Text {
					t.Errorf("timezone_evidence[%d] = %+v, want %s %q", i, g, e.At(), e.Text)
				}
			}
			for _, lang := range []string{"en", "ja"} {
				want := tc.en
				if lang == "ja" {
					want = tc.ja
				}
				for _, format := range []string{"text", "markdown", "html"} {
					var b bytes.Buffer
					if err := Write(&b, format, r, Options{Lang: lang, Width: 400}); err != nil {
						t.Fatal(err)
					}
					out := b.String()
					if format == "html" {
						out = strings.ReplaceAll(out, "&#39;", "'")
					}
					if format != "text" && tc.source == "" {
						continue // the text header's own words
					}
					if !strings.Contains(out, want) {
						t.Errorf("%s %s: no %q in the header", lang, format, want)
					}
				}
			}
		})
	}
}
