// Package report renders an analyze.Report for people (text) and for machines (JSON, the
// lmtriad.report/v1 schema of TRIAD.md section 7). It writes to an io.Writer and never opens
// files or reads the environment: colour, zone and version are passed in Options.
//
// Every format written for people (text, timeline, Markdown, HTML, CSV) shows the text that came
// from the evidence through Clean, so that control characters in a log line or a file name
// cannot reach the reader's terminal; CSV cells are also kept from starting a formula
// (CSVCell). The JSON report keeps the exact text, which its encoder escapes.
package report

import (
	"bytes"
	"encoding/json"
	"io"
	"time"
	"unicode/utf8"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// Schema is the JSON report's schema name.
const Schema = "lmtriad.report/v1"

// Options control rendering.
type Options struct {
	Version  string         // the tool's version, printed in the report
	Color    bool           // colour by state and severity (text only)
	Location *time.Location // zone for printed times; nil keeps each time's own
	Command  string         // "analyze" or "timeline": what the text report shows
	Lang     string         // language of the text, Markdown and HTML reports: "en" (default) or "ja"
	// Width is how many display columns the lines of the text report fit in (East Asian
	// characters count two), but for the quoted evidence lines: 0 means DefaultWidth, and
	// less than MinWidth means MinWidth. The timeline keeps its one line per entry, and
	// folds only its verdict.
	Width int
	// Now, when set, is what a live check (lmtriad check) says of the triad at the end of the
	// evidence: the JSON report carries it as "now".
	Now *Now
}

// Now is a live check's word on the triad at the end of the evidence.
type Now struct {
	State    analyze.State // the triad's state at the end of the evidence
	Status   string        // OK, WARNING, CRITICAL or UNKNOWN (Monitoring Plugins)
	ExitCode int           // the Monitoring Plugins exit code: 0, 1, 2 or 3
	Since    time.Time     // when that state began, or the start of the window read; zero when unknown
	Summary  string        // one sentence: what is wrong and what to do
	At       time.Time     // the time of the check
	Last     time.Time     // the newest snapshot (or, without lmstat, log line); zero when none
}

type jsonReport struct {
	Schema    string         `json:"schema"`
	Tool      jsonTool       `json:"tool"`
	Inputs    []jsonInput    `json:"inputs"`
	Triad     jsonTriad      `json:"triad"`
	Clock     jsonClock      `json:"clock"`
	Intervals []jsonInterval `json:"intervals"`
	Findings  []jsonFinding  `json:"findings"`
	Verdict   jsonVerdict    `json:"verdict"`
	Now       *jsonNow       `json:"now,omitempty"`
	Stats     jsonStats      `json:"stats"`
	Notes     []string       `json:"notes"`
	Warnings  []string       `json:"warnings"`
	Timeline  []jsonEntry    `json:"timeline,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonInput struct {
	Path         string     `json:"path"`
	Kind         string     `json:"kind"`
	Server       *string    `json:"server"`
	SHA256       string     `json:"sha256"`
	Encoding     string     `json:"encoding,omitempty"`
	Lines        int        `json:"lines"`
	Recognized   int        `json:"recognized"`
	Unrecognized int        `json:"unrecognized"`
	First        *string    `json:"first"`
	Last         *string    `json:"last"`
	Gaps         []jsonSpan `json:"gaps"`
	Events       int        `json:"events"`
	Skipped      string     `json:"skipped,omitempty"`
}

type jsonSpan struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type jsonServer struct {
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	HostID  string   `json:"hostid,omitempty"`
	Port    int      `json:"port,omitempty"`
	Aliases []string `json:"aliases"`
}

type jsonTriad struct {
	Servers          []jsonServer `json:"servers"`
	PrimaryIsMaster  bool         `json:"primary_is_master"`
	HeartbeatTimeout float64      `json:"heartbeat_timeout_seconds"`
	Source           string       `json:"source"`
}

type jsonSkew struct {
	Server string  `json:"server"`
	Offset float64 `json:"offset_seconds"`
	Method string  `json:"method"`
	Pairs  int     `json:"pairs"`
}

type jsonClock struct {
	Timezone         string         `json:"timezone"`
	TimezoneSource   string         `json:"timezone_source"`   // given, evidence or machine
	TimezoneEvidence []jsonEvidence `json:"timezone_evidence"` // the lines that fixed the zone
	Skew             []jsonSkew     `json:"skew"`
}

type jsonUsage struct {
	Out    int `json:"out"`
	In     int `json:"in"`
	Denied int `json:"denied"`
	Queued int `json:"queued"`
}

type jsonInterval struct {
	Start    *string           `json:"start"` // null: the time is unknown (a paste without --at)
	End      *string           `json:"end"`
	Seconds  float64           `json:"seconds"`
	State    string            `json:"state"`
	Masters  []string          `json:"masters"`
	Servers  map[string]string `json:"servers"`
	Usage    jsonUsage         `json:"usage"`
	Evidence []string          `json:"evidence"`
	Why      string            `json:"why,omitempty"`    // unknown intervals: why
	Settle   []string          `json:"settle,omitempty"` // unknown intervals: the inputs that would settle it
}

type jsonEvidence struct {
	At   string `json:"at"`
	Text string `json:"text"`
}

type jsonFix struct {
	Ref   string   `json:"ref,omitempty"`
	Title string   `json:"title,omitempty"`
	Steps []string `json:"steps"`
}

type jsonFinding struct {
	Code     string         `json:"code"`
	Severity string         `json:"severity"`
	Server   *string        `json:"server"`
	Start    *string        `json:"start"`
	End      *string        `json:"end"`
	Summary  string         `json:"summary"`
	Evidence []jsonEvidence `json:"evidence"`
	Fix      *jsonFix       `json:"fix"`
	Planned  bool           `json:"planned,omitempty"` // a planned stop, or a span it caused (TRIAD.md 5)
}

type jsonVerdict struct {
	State    string `json:"state"`
	Severity string `json:"severity"`
	ExitCode int    `json:"exit_code"`
	Summary  string `json:"summary"`
	Others   int    `json:"others"`
}

type jsonNow struct {
	State      string   `json:"state"`
	Status     string   `json:"status"`
	ExitCode   int      `json:"exit_code"`
	Since      *string  `json:"since"`
	Summary    string   `json:"summary"`
	At         string   `json:"at"`
	Last       *string  `json:"last_evidence"`
	AgeSeconds *float64 `json:"age_seconds"`
}

type jsonStats struct {
	Files        int `json:"files"`
	Lines        int `json:"lines"`
	Events       int `json:"events"`
	Unrecognized int `json:"unrecognized"`
}

type jsonEntry struct {
	Time    *string  `json:"time"`
	Server  string   `json:"server"`
	At      string   `json:"at"`
	What    string   `json:"what"`
	Text    string   `json:"text"`
	State   string   `json:"state"`
	Masters []string `json:"masters"`
}

func (o Options) ts(t time.Time) string {
	if o.Location != nil {
		t = t.In(o.Location)
	}
	return t.Format(time.RFC3339)
}

func (o Options) tsp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := o.ts(t)
	return &s
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// english renders texts in English: the JSON report is for machines, and its language is fixed.
func english(ts []msg.Text) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, catalog.English(t))
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JSON writes the report in the lmtriad.report/v1 schema. With timeline set, the merged
// timeline is included as "timeline". Strings hold the evidence's exact text; control
// characters in it are written as JSON escapes (\u001b, \u009b, \u202e).
func JSON(w io.Writer, r *analyze.Report, o Options, timeline bool) error {
	out := jsonReport{
		Schema:   Schema,
		Tool:     jsonTool{Name: "lmtriad", Version: o.Version},
		Notes:    english(r.Notes),
		Warnings: english(r.Warnings),
		Stats:    jsonStats{r.Stats.Files, r.Stats.Lines, r.Stats.Events, r.Stats.Unrecognized},
		Verdict: jsonVerdict{State: string(r.Verdict.State), Severity: string(r.Verdict.Severity),
			ExitCode: r.Verdict.ExitCode, Summary: Options{Lang: "en"}.verdictText(r), Others: r.Verdict.Others},
		Inputs:    []jsonInput{},
		Intervals: []jsonInterval{},
		Findings:  []jsonFinding{},
	}
	if n := o.Now; n != nil {
		out.Now = &jsonNow{State: string(n.State), Status: n.Status, ExitCode: n.ExitCode, Since: o.tsp(n.Since),
			Summary: n.Summary, At: o.ts(n.At), Last: o.tsp(n.Last)}
		if !n.Last.IsZero() {
			age := n.At.Sub(n.Last).Seconds()
			out.Now.AgeSeconds = &age
		}
	}
	for _, in := range r.Inputs {
		ji := jsonInput{Path: in.Path, Kind: in.Kind, Server: strp(in.Server), SHA256: in.SHA256, Encoding: in.Encoding,
			Lines: in.Lines, Recognized: in.Recognized, Unrecognized: in.Unrecognized,
			First: o.tsp(in.First), Last: o.tsp(in.Last), Gaps: []jsonSpan{}, Events: in.Events, Skipped: catalog.English(in.Skipped)}
		for _, g := range in.Gaps {
			ji.Gaps = append(ji.Gaps, jsonSpan{o.ts(g.Start), o.ts(g.End)})
		}
		out.Inputs = append(out.Inputs, ji)
	}
	out.Triad = jsonTriad{PrimaryIsMaster: r.Triad.PrimaryIsMaster, HeartbeatTimeout: r.Triad.HeartbeatTimeout.Seconds(),
		Source: r.Triad.Source, Servers: []jsonServer{}}
	for _, s := range r.Triad.Servers {
		out.Triad.Servers = append(out.Triad.Servers, jsonServer{Name: s.Name, Role: s.Role, HostID: s.HostID, Port: s.Port, Aliases: nonNil(s.Aliases)})
	}
	out.Clock = jsonClock{Timezone: r.Clock.Timezone, TimezoneSource: r.Clock.TimezoneSource, TimezoneEvidence: []jsonEvidence{}, Skew: []jsonSkew{}}
	for _, e := range r.Clock.TimezoneEvidence {
		out.Clock.TimezoneEvidence = append(out.Clock.TimezoneEvidence, jsonEvidence{At: e.At(), Text: e.Text})
	}
	for _, s := range r.Clock.Skew {
		out.Clock.Skew = append(out.Clock.Skew, jsonSkew{Server: s.Server, Offset: s.Offset.Seconds(), Method: s.Method, Pairs: s.Pairs})
	}
	for _, iv := range r.Intervals {
		ji := jsonInterval{Start: o.tsp(iv.Start), End: o.tsp(iv.End), Seconds: iv.Duration().Seconds(), State: string(iv.State),
			Masters: nonNil(iv.Masters), Servers: map[string]string{}, Evidence: []string{},
			Usage: jsonUsage{Out: iv.Usage.Out, In: iv.Usage.In, Denied: iv.Usage.Denied, Queued: iv.Usage.Queued}}
		for _, s := range iv.Servers {
			ji.Servers[s.Server] = string(s.Status)
		}
		for _, e := range iv.Evidence {
			ji.Evidence = append(ji.Evidence, e.At())
		}
		ji.Why = catalog.English(iv.Why)
		for _, x := range iv.Settle {
			ji.Settle = append(ji.Settle, catalog.English(x))
		}
		out.Intervals = append(out.Intervals, ji)
	}
	for _, f := range r.Findings {
		jf := jsonFinding{Code: f.Code, Severity: string(f.Severity), Server: strp(f.Server), Start: o.tsp(f.Start), End: o.tsp(f.End),
			Summary: catalog.English(f.Msg), Evidence: []jsonEvidence{}, Planned: f.Planned}
		for _, e := range f.Evidence {
			jf.Evidence = append(jf.Evidence, jsonEvidence{At: e.At(), Text: e.Text})
		}
		if fx := catalog.FixFor(f.Code, "en"); fx != nil {
			jf.Fix = &jsonFix{Ref: fx.Ref, Title: fx.Title, Steps: nonNil(fx.Steps)}
		}
		out.Findings = append(out.Findings, jf)
	}
	if timeline {
		out.Timeline = []jsonEntry{}
		for _, e := range r.Timeline {
			out.Timeline = append(out.Timeline, jsonEntry{Time: o.tsp(e.Time), Server: e.Server, At: e.Ref.At(), What: catalog.English(e.What),
				Text: e.Ref.Text, State: string(e.State), Masters: nonNil(e.Masters)})
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(escapeControls(b.Bytes()))
	return err
}

// escapeControls writes as \uXXXX escapes the characters of a JSON text that encoding/json
// leaves as they are although Clean would show them escaped: DEL, the C1 controls and the bidi
// controls (it escapes the C0 controls, U+2028 and U+2029 itself). The decoded text stays
// exactly the evidence's, and a JSON report shown in a terminal (cat, less -R, a CI log) cannot
// act on it. encoding/json writes valid UTF-8 and only ASCII outside strings, so each of these
// byte sequences is a whole character inside a string, where an escape is valid.
func escapeControls(js []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(js); i++ {
		if c := js[i]; c != 0x7f && c != 0xc2 && c != 0xe2 { // DEL, and the lead bytes of U+0080-U+00BF and U+2000-U+203F
			continue
		}
		r, size := utf8.DecodeRune(js[i:])
		if r != 0x7f && !escapeRune(r) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(js)+64)
		}
		out = append(out, js[last:i]...)
		const hex = "0123456789abcdef"
		out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		i += size - 1
		last = i + 1
	}
	if out == nil {
		return js
	}
	return append(out, js[last:]...)
}
