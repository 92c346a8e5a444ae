package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser/msg"
)

func renderHTML(t *testing.T, r *analyze.Report, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// hostile is tiny() with markup in every string that can come from an input: host names,
// aliases, host ids, file names, evidence lines, user names, summaries, notes and warnings.
func hostile() *analyze.Report {
	const (
		host = `<script>alert(1)</script>`
		img  = `<img src=x onerror=alert(2)>`
		user = `<b>x</b>`
	)
	r := tiny()
	r.Triad.Servers[2].Name = host
	r.Triad.Servers[2].Aliases = []string{img, `"quoted' & amp`}
	r.Triad.Servers[1].HostID = `"><svg onload=alert(3)>`
	r.Inputs[0].Path = img + ".log"
	r.Inputs[0].Server = host
	iv := &r.Intervals[0]
	iv.Servers[2].Server = host
	iv.Masters = []string{host}
	iv.Evidence = []analyze.Ref{{File: img + ".log", Line: 7, Text: `9:01:17 (bm) OUT: "bm_solver" ` + user + `@pc-0123 </title><script>alert(4)</script>`}}
	f := &r.Findings[0]
	f.Server = host
	f.Msg = msg.New("timeline.what.peer", "kind", msg.Raw(host), "peer", msg.Raw("was down"))
	f.Evidence = append(f.Evidence, analyze.Ref{File: img + ".log", Line: 9, Text: `DENIED: "bm_solver" ` + user + `@pc ]]></title></svg><script>alert(5)</script>`})
	r.Notes = []msg.Text{msg.New("ui.span", "from", msg.Raw(host), "to", msg.Raw(img))}
	r.Warnings = []msg.Text{msg.New("ui.span", "from", msg.Raw(user), "to", msg.Raw(host))}
	return r
}

// TestHTMLEscapes: markup from the inputs shows as text in every place the page puts it
// (element text, attributes, SVG titles and labels).
func TestHTMLEscapes(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		out := renderHTML(t, hostile(), Options{Version: "9.9.9", Lang: lang})
		for _, bad := range []string{"<script>alert", "<img", "<b>x", "<svg onload", "</title><script", "\"><svg"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q is not escaped", lang, bad)
			}
		}
		if n := strings.Count(out, "<script>"); n != 1 {
			t.Errorf("%s: %d <script> tags, want the page's own only", lang, n)
		}
		for _, want := range []string{
			`data-lane="&lt;script&gt;alert(1)&lt;/script&gt;"`,           // attribute
			`<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>`,          // table cell
			`&lt;b&gt;x&lt;/b&gt;@pc-0123 &lt;/title&gt;&lt;script&gt;`,   // evidence in a segment's SVG title
			`<td class="w">&lt;img src=x onerror=alert(2)&gt;.log:9</td>`, // evidence in a finding
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the page lacks %s", lang, want)
			}
		}
	}
}

// TestHTMLShape: one lane for the triad and one per server, a segment per interval, masters
// marked, a tooltip with span, state and evidence, findings that know their span.
func TestHTMLShape(t *testing.T) {
	r := tiny()
	r.Intervals[0].Masters = []string{"s2"}
	out := renderHTML(t, r, Options{Version: "9.9.9", Location: r.Intervals[0].Start.Location()})
	lanes := regexp.MustCompile(`<g class="lane" data-lane="([^"]*)">`).FindAllStringSubmatch(out, -1)
	var names []string
	for _, m := range lanes {
		names = append(names, m[1])
	}
	if got := strings.Join(names, ","); got != "triad,s1,s2,s3" {
		t.Errorf("lanes = %s", got)
	}
	for _, want := range []string{
		`<g class="seg st-masterless" data-x0="`,
		`<g class="seg sv-down" data-x0="`,
		`<g class="seg sv-up master" data-x0="`,
		"masterless: no master: no licenses served\n2010-12-01T10:14:29&#43;09:00 to 2010-12-01T10:16:10&#43;09:00 (1m41s)",
		"s2: up, claims MASTER",
		`data-start="2010-12-01T10:14:29&#43;09:00" data-end="2010-12-01T10:16:10&#43;09:00"`,
		"time in Asia/Tokyo (UTC&#43;09:00)",
		`<html lang="en">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(out, `<rect class="mark"`); n != 1 {
		t.Errorf("%d master marks, want 1 (s2)", n)
	}
	if again := renderHTML(t, r, Options{Version: "9.9.9", Location: r.Intervals[0].Start.Location()}); again != out {
		t.Error("two renderings of one report differ")
	}
	ja := renderHTML(t, r, Options{Version: "9.9.9", Lang: "ja"})
	for _, want := range []string{`<html lang="ja">`, "タイムライン", "マスタサーバ不在"} {
		if !strings.Contains(ja, want) {
			t.Errorf("the Japanese page lacks %q", want)
		}
	}
}

// TestHTMLEmpty: a report with no interval renders, without a timeline.
func TestHTMLEmpty(t *testing.T) {
	r := tiny()
	r.Intervals = nil
	r.Findings = nil
	r.Verdict.Finding = nil
	out := renderHTML(t, r, Options{})
	if strings.Contains(out, "<svg") || !strings.Contains(out, "</html>") {
		t.Errorf("a report with no interval:\n%s", out)
	}
}

func TestTicks(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	x := func(time.Time) float64 { return 0 }
	for _, tc := range []struct {
		from, to time.Time
		want     string
	}{
		{time.Date(2010, 12, 1, 8, 55, 10, 0, tokyo), time.Date(2010, 12, 1, 13, 31, 59, 0, tokyo),
			"09:00 2010-12-01|09:30|10:00|10:30|11:00|11:30|12:00|12:30|13:00|13:30"},
		{time.Date(2010, 12, 1, 22, 10, 0, 0, tokyo), time.Date(2010, 12, 2, 3, 0, 0, 0, tokyo),
			"22:30 2010-12-01|23:00|23:30|00:00 2010-12-02|00:30|01:00|01:30|02:00|02:30|03:00"},
		{time.Date(2010, 12, 1, 10, 14, 29, 0, tokyo), time.Date(2010, 12, 1, 10, 15, 10, 0, tokyo),
			"10:14:30 2010-12-01|10:14:35|10:14:40|10:14:45|10:14:50|10:14:55|10:15:00|10:15:05|10:15:10"},
		{time.Date(2010, 12, 1, 10, 0, 0, 0, tokyo), time.Date(2010, 12, 9, 10, 0, 0, 0, tokyo),
			"2010-12-02|2010-12-03|2010-12-04|2010-12-05|2010-12-06|2010-12-07|2010-12-08|2010-12-09"},
	} {
		var got []string
		for _, tk := range ticks(tc.from, tc.to, tokyo, x) {
			got = append(got, strings.TrimSpace(tk.Time+" "+tk.Date))
		}
		if s := strings.Join(got, "|"); s != tc.want {
			t.Errorf("ticks(%v, %v) =\n %s\nwant\n %s", tc.from, tc.to, s, tc.want)
		}
	}
}

func TestFitText(t *testing.T) {
	if got := fitText("server1", 12, 100); got != "server1" {
		t.Errorf("fitText cut a short name: %q", got)
	}
	got := fitText("a-very-long-host-name.corp.example.com", 12, 100)
	if !strings.HasSuffix(got, "…") || textWidth(got, 12) > 100 {
		t.Errorf("fitText = %q (width %g)", got, textWidth(got, 12))
	}
	if w := textWidth("正常", 10); w != 20 {
		t.Errorf("textWidth of two wide characters at 10 = %g, want 20", w)
	}
}
