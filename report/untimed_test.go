package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// withPaste is the tiny report with a snapshot pasted without its header after its timed
// interval: an interval with no start and no end, and its finding with no time.
func withPaste() *analyze.Report {
	r := tinyReport()
	servers := []analyze.ServerState{{Server: "s1", Status: analyze.StatusUp}, {Server: "s2", Status: analyze.StatusUnresponsive}, {Server: "s3", Status: analyze.StatusUp}}
	r.Intervals = append(r.Intervals, analyze.Interval{State: analyze.Degraded, Masters: []string{"s1"}, Servers: servers,
		Evidence: []analyze.Ref{{File: "ticket.txt", Line: 2, Text: "s2: Cannot read data from license server system. (-16,287)"}}})
	r.Findings = append(r.Findings, analyze.Finding{Code: "server-down", Severity: analyze.SeverityWarning, Server: "s2",
		Msg: msg.New("timeline.what", "kind", msg.Raw("s2 unresponsive")), Evidence: r.Intervals[1].Evidence})
	r.Timeline = []analyze.TimelineEntry{{Time: r.Intervals[0].Start, Server: "s1", Ref: analyze.Ref{File: "a.log", Line: 2}, State: analyze.Masterless},
		{Server: "lmstat", Ref: analyze.Ref{File: "ticket.txt", Line: 1}, State: analyze.Degraded, Masters: []string{"s1"}}}
	r.Verdict.Finding = &r.Findings[0]
	return r
}

// TestUntimedJSON: an interval whose time is unknown has null start and end and 0 seconds,
// after the timed ones; so have its findings and its timeline entry (TRIAD.md section 7).
func TestUntimedJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, withPaste(), Options{Version: "9.9.9"}, true); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	ivs := m["intervals"].([]any)
	if first := ivs[0].(map[string]any); first["start"] != "2010-12-01T10:14:29+09:00" {
		t.Errorf("the timed interval = %v", first)
	}
	iv := ivs[1].(map[string]any)
	for _, k := range []string{"start", "end"} {
		if v, ok := iv[k]; !ok || v != nil {
			t.Errorf("untimed interval %s = %v, want null", k, v)
		}
	}
	if iv["seconds"].(float64) != 0 || iv["state"] != "degraded" {
		t.Errorf("untimed interval = %v", iv)
	}
	f := m["findings"].([]any)[1].(map[string]any)
	if f["start"] != nil || f["end"] != nil {
		t.Errorf("untimed finding = %v, want null start and end", f)
	}
	if e := m["timeline"].([]any)[1].(map[string]any); e["time"] != nil {
		t.Errorf("untimed timeline entry = %v, want a null time", e)
	}
}

// TestUntimedText: the formats for people and CSV say "at an unknown time" (in the report's
// language; CSV in English), and keep it out of the time axis.
func TestUntimedText(t *testing.T) {
	for _, tc := range []struct {
		format, lang string
		want         []string
	}{
		{"text", "en", []string{"| at an unknown time        | -  ", "WARNING server-down  s2  at an unknown time"}},
		{"text", "ja", []string{"時刻不明"}},
		{"markdown", "en", []string{"| at an unknown time |  |  | **degraded** |", "**When:** at an unknown time"}},
		{"html", "en", []string{"<td class=\"t\">at an unknown time</td><td class=\"t\"></td>", "<span class=\"when\">at an unknown time</span>"}},
		{"csv", "ja", []string{"at an unknown time,,0,degraded,s1,,s2,,"}},
	} {
		t.Run(tc.format+"-"+tc.lang, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tc.format, withPaste(), Options{Version: "9.9.9", Lang: tc.lang, Width: 200}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s report lacks %q:\n%s", tc.format, w, out)
				}
			}
			if strings.Contains(out, "0001-01-01") || strings.Contains(out, "0001") && tc.format == "csv" {
				t.Errorf("%s report shows the zero time:\n%s", tc.format, out)
			}
		})
	}
	// The compact table, and the timeline.
	var b bytes.Buffer
	if err := Text(&b, withPaste(), Options{Version: "9.9.9", Width: 60}); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "at an unknown time") || strings.Contains(out, "0001-01-01") || strings.Contains(out, "00:00:00") {
		t.Errorf("compact table:\n%s", out)
	}
	b.Reset()
	if err := Timeline(&b, withPaste(), Options{Version: "9.9.9"}); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "\nat an unknown time         lmstat") || strings.Contains(out, "0001-01-01") {
		t.Errorf("timeline:\n%s", out)
	}
}

// TestJSONPlanned: findings[].planned is present and true on a planned stop's findings, and
// absent on the others (TRIAD.md section 7).
func TestJSONPlanned(t *testing.T) {
	r := tinyReport()
	r.Findings = append(r.Findings, analyze.Finding{Code: "planned-shutdown", Severity: analyze.SeverityInfo, Start: r.Findings[0].Start,
		End: r.Findings[0].Start, Msg: msg.New("timeline.what", "kind", msg.Raw("stopped")), Planned: true})
	var b bytes.Buffer
	if err := JSON(&b, r, Options{Version: "9.9.9"}, false); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	fs := m["findings"].([]any)
	if _, ok := fs[0].(map[string]any)["planned"]; ok {
		t.Errorf("an unplanned finding has planned: %v", fs[0])
	}
	if v, ok := fs[1].(map[string]any)["planned"]; !ok || v != true {
		t.Errorf("planned-shutdown: planned = %v, want true", v)
	}
	var txt bytes.Buffer
	r.Findings[0].Planned, r.Findings[0].Severity = true, analyze.SeverityInfo
	if err := Text(&txt, r, Options{Version: "9.9.9", Width: 200}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt.String(), "  INFO masterless (planned)  triad  ") || strings.Contains(txt.String(), "planned-shutdown (planned)") {
		t.Errorf("text report headings:\n%s", txt.String())
	}
}
