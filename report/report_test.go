package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
)

func tiny() *analyze.Report {
	r := tinyReport()
	r.Verdict.Finding = &r.Findings[0]
	return r
}

func tinyReport() *analyze.Report {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	t0 := time.Date(2010, 12, 1, 10, 14, 29, 0, tokyo)
	noMaster := msg.New("timeline.what", "kind", msg.Raw("no master"))
	return &analyze.Report{
		Inputs: []analyze.InputInfo{{Path: "a.log", Kind: "debuglog", Server: "s1", Lines: 3, Recognized: 3, First: t0, Last: t0.Add(time.Minute)},
			{Path: "notes.txt", Kind: "unknown", Skipped: msg.New("reason.empty")}},
		Triad:     analyze.Triad{Servers: []analyze.ServerInfo{{Name: "s1", Role: "primary"}, {Name: "s2", Role: "secondary"}, {Name: "s3", Role: "tertiary"}}, HeartbeatTimeout: 79 * time.Second, Source: "license"},
		Clock:     analyze.Clock{Timezone: "Asia/Tokyo", Skew: []analyze.Skew{{Server: "s1", Method: "reference"}, {Server: "s2", Offset: 150 * time.Second, Method: "given"}}},
		Intervals: []analyze.Interval{{Start: t0, End: t0.Add(101 * time.Second), State: analyze.Masterless, Servers: []analyze.ServerState{{Server: "s1", Status: analyze.StatusDown}, {Server: "s2", Status: analyze.StatusUp}, {Server: "s3", Status: analyze.StatusUp}}, Evidence: []analyze.Ref{{File: "a.log", Line: 2}}}},
		Findings: []analyze.Finding{{Code: "masterless", Severity: analyze.SeverityWarning, Start: t0, End: t0.Add(101 * time.Second), Msg: noMaster,
			Evidence: []analyze.Ref{{File: "a.log", Line: 2, Text: "10:14:29 (lmgrd) Lost connection to master"}}}},
		Verdict: analyze.Verdict{State: analyze.Masterless, Severity: analyze.SeverityWarning, ExitCode: 1, Msg: msg.New("verdict.finding", "summary", noMaster)},
		Stats:   analyze.Stats{Files: 2, Lines: 3, Events: 1},
	}
}

// TestJSONShape pins the field names and null/empty conventions of lmtriad.report/v1.
func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, tiny(), Options{Version: "9.9.9"}, false); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema", "tool", "inputs", "triad", "clock", "intervals", "findings", "verdict", "stats"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing top-level field %q", k)
		}
	}
	if _, ok := m["timeline"]; ok {
		t.Error("timeline present without being asked for")
	}
	f := m["findings"].([]any)[0].(map[string]any)
	if v, ok := f["server"]; !ok || v != nil {
		t.Errorf("a triad-wide finding's server = %v, want null", v)
	}
	iv := m["intervals"].([]any)[0].(map[string]any)
	if got := iv["masters"].([]any); len(got) != 0 {
		t.Errorf("masters = %v, want []", got)
	}
	if iv["seconds"].(float64) != 101 || iv["start"] != "2010-12-01T10:14:29+09:00" {
		t.Errorf("interval = %v", iv)
	}
	if iv["servers"].(map[string]any)["s1"] != "down" {
		t.Errorf("servers = %v", iv["servers"])
	}
	sk := m["clock"].(map[string]any)["skew"].([]any)[1].(map[string]any)
	if sk["offset_seconds"].(float64) != 150 || sk["method"] != "given" {
		t.Errorf("skew = %v", sk)
	}
	in := m["inputs"].([]any)[1].(map[string]any)
	if in["first"] != nil || in["skipped"] != "empty file" {
		t.Errorf("skipped input = %v", in)
	}
	if hb := m["triad"].(map[string]any)["heartbeat_timeout_seconds"].(float64); hb != 79 {
		t.Errorf("heartbeat_timeout_seconds = %v", hb)
	}
}

// TestJSONNow: a live check's report carries "now" (state, status, since, ...), in the report's
// zone; an analysis's report has none.
func TestJSONNow(t *testing.T) {
	r := tiny()
	since := r.Intervals[0].Start
	at := since.Add(3 * time.Minute)
	for _, tc := range []struct {
		name string
		now  *Now
		want map[string]any
	}{
		{"analysis", nil, nil},
		{"check", &Now{State: analyze.Masterless, Status: "CRITICAL", ExitCode: 2, Since: since, Summary: "no master", At: at, Last: at.Add(-42 * time.Second)},
			map[string]any{"state": "masterless", "status": "CRITICAL", "exit_code": 2.0, "since": "2010-12-01T10:14:29+09:00",
				"summary": "no master", "at": "2010-12-01T10:17:29+09:00", "last_evidence": "2010-12-01T10:16:47+09:00", "age_seconds": 42.0}},
		{"no evidence", &Now{State: analyze.Unknown, Status: "UNKNOWN", ExitCode: 3, Summary: "no evidence", At: at},
			map[string]any{"state": "unknown", "status": "UNKNOWN", "exit_code": 3.0, "since": nil,
				"summary": "no evidence", "at": "2010-12-01T10:17:29+09:00", "last_evidence": nil, "age_seconds": nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JSON(&b, r, Options{Location: since.Location(), Now: tc.now}, false); err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			got, ok := m["now"]
			if tc.want == nil {
				if ok {
					t.Errorf("now = %v, want no such field", got)
				}
				return
			}
			if !reflect.DeepEqual(got, any(tc.want)) {
				t.Errorf("now = %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestTextVerdictLast(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, tiny(), Options{Version: "9.9.9"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if got, want := lines[len(lines)-1], "Verdict: WARNING masterless (state masterless): no master. (exit 1)"; got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}
	if !strings.Contains(b.String(), "notes.txt  unknown   skipped: empty file") {
		t.Errorf("skipped input not listed:\n%s", b.String())
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct{ in, indent, want string }{
		{"short", "  ", "  short\n"},
		{"aaaa bbbb cccc", "", "aaaa bbbb\ncccc\n"},
		{"1. aaaa bbbb cccc", "", "1. aaaa\n   bbbb\n   cccc\n"},
		{"averyveryverylongword x", "", "averyveryv\nerylongwor\nd x\n"}, // a word wider than a line breaks at the margin
		{"a/very/long/path x", "", "a/very/\nlong/path\nx\n"},            // after a separator, when one is in the line's second half
		{"あいうえおかきくけこ。", "", "あいうえお\nかきくけ\nこ。\n"},                         // "。" never starts a line: "こ" goes down with it
		{"ab (ふりがな) cd", "", "ab (ふりが\nな) cd\n"},
		{"abcde あ（ふ", "", "abcde あ\n（ふ\n"}, // "（" never ends a line
	} {
		width := 10
		if got := wrap(tc.in, tc.indent, width); got != tc.want {
			t.Errorf("wrap(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45s", 5 * time.Minute: "5m00s", 101 * time.Second: "1m41s",
		time.Hour + 13*time.Minute + 52*time.Second: "1h13m52s", 1500 * time.Millisecond: "2s",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}
