package report

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/report/catalog"
)

func renderIndex(t *testing.T, rows []IndexRow, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := BatchIndex(&b, rows, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// indexRows is a batch of five: a critical incident, a warning, an unreadable one (no report),
// an inconclusive one (no report) and a healthy one.
func indexRows() []IndexRow {
	start := time.Date(2010, 12, 1, 23, 55, 10, 0, time.UTC)
	return []IndexRow{
		{Path: "incidents/kgtn", Report: "kgtn.html", Start: start, End: start.Add(4 * time.Hour),
			Severity: analyze.SeverityCritical, State: analyze.FailedRejoin, Worst: "failed-rejoin",
			NoMaster: 3*time.Minute + 6*time.Second, NoLicenses: 90 * time.Second, Servers: []string{"server1", "server2"}, ExitCode: 1},
		{Path: "incidents/order", Report: "order.html", Start: start, End: start.Add(time.Hour),
			Severity: analyze.SeverityWarning, State: analyze.Degraded, Worst: "order-mismatch", ExitCode: 1},
		{Path: "incidents/empty", ExitCode: 2, Err: "no debug log, lmstat output or license file in this directory (0 files looked at)"},
		{Path: "incidents/single", ExitCode: 3, Err: "not a triad: the inputs name only one server (lic1)"},
		{Path: "incidents/healthy", Report: "healthy.html", Start: start, End: start.Add(time.Minute),
			Severity: analyze.SeverityOK, State: analyze.Normal, ExitCode: 0},
	}
}

var (
	hrefRE = regexp.MustCompile(`\bhref="([^"]*)"`)
	rowRE  = regexp.MustCompile(`(?s)<tr class="[^"]*"><td class="name">.*?</tr>`)
)

// hrefs are the page's links, as the browser reads them (HTML entities decoded).
func hrefs(page string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestBatchIndexSelfContained: the page refers to nothing outside itself: no script, style
// sheet, image, frame, font or import, no URL with a scheme or a host, and every link is a
// relative path to a report.
func TestBatchIndexSelfContained(t *testing.T) {
	for _, lang := range catalog.Languages {
		out := renderIndex(t, indexRows(), Options{Version: "9.9.9", Lang: lang, Location: time.UTC})
		lower := strings.ToLower(out)
		for _, bad := range []string{"http:", "https:", "//", "<script", "<link", "<img", "<iframe", "<object", "<embed",
			"src=", "srcset=", "@import", "url(", "data:", "javascript:"} {
			if strings.Contains(lower, bad) {
				t.Errorf("%s: the page holds %q: it must not refer to anything outside itself", lang, bad)
			}
		}
		got := hrefs(out)
		if want := []string{"kgtn.html", "order.html", "healthy.html"}; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: links %q, want %q", lang, got, want)
		}
		if !strings.Contains(out, "<style>") {
			t.Errorf("%s: no inline style", lang)
		}
	}
}

// TestBatchIndexEscapes: markup and control characters in what comes from the evidence
// (incident paths, errors, server and finding names) show as text.
func TestBatchIndexEscapes(t *testing.T) {
	rows := []IndexRow{
		{Path: `<script>alert(1)</script>`, Report: `<script>.html`, Severity: analyze.SeverityCritical, State: analyze.Masterless,
			Worst: `<b>x</b>`, Servers: []string{`"quoted' & amp`, `<img src=x onerror=alert(2)>`}, ExitCode: 1},
		{Path: "red\x1b[31m\u202eevil", ExitCode: 2, Err: `"><svg onload=alert(3)>` + "\x1b]0;title\x07"},
	}
	for _, lang := range catalog.Languages {
		out := renderIndex(t, rows, Options{Lang: lang})
		for _, bad := range []string{"<script", "<b>", "<img", "<svg", "\x1b", "\x07", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q is not escaped", lang, bad)
			}
		}
		for _, want := range []string{
			`<a href="%3Cscript%3E.html"><code>&lt;script&gt;alert(1)&lt;/<wbr>script&gt;</code></a>`, // link and its text
			`<code>&lt;b&gt;x&lt;/b&gt;</code>`,
			`&#34;quoted&#39; &amp; amp, &lt;img src=x onerror=alert(2)&gt;`,
			`<code>red\x1b[31m\u202eevil</code>`,                                        // Clean: visible escapes
			`<td class="err">&#34;&gt;&lt;svg onload=alert(3)&gt;\x1b]0;title\x07</td>`, // error cell
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the page lacks %s", lang, want)
			}
		}
	}
}

// TestBatchIndexLinks: a link is the report's relative path with each segment escaped, so
// that a name with a space, '#', '?', '%' or Japanese resolves to that file and nothing else
// (no fragment, no query, no scheme).
func TestBatchIndexLinks(t *testing.T) {
	for _, tc := range []struct{ report, href string }{
		{"kgtn.html", "kgtn.html"},
		{"my report #1 100% 障害?.html", "my%20report%20%231%20100%25%20%E9%9A%9C%E5%AE%B3%3F.html"},
		{"sub dir/a&b.html", "sub%20dir/a&b.html"},
		{"c:evil.html", "./c:evil.html"}, // not the scheme c:
		{"javascript:alert(1)", "./javascript:alert%281%29"},
	} {
		out := renderIndex(t, []IndexRow{{Path: "x", Report: tc.report, ExitCode: 2}}, Options{})
		got := hrefs(out)
		if len(got) != 1 || got[0] != tc.href {
			t.Errorf("%q: links %q, want [%q]", tc.report, got, tc.href)
			continue
		}
		u, err := url.Parse(got[0])
		switch {
		case err != nil:
			t.Errorf("%q: link %q does not parse: %v", tc.report, got[0], err)
		case u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasPrefix(u.Path, "/"):
			t.Errorf("%q: link %q is not a relative path: %#v", tc.report, got[0], u)
		case strings.TrimPrefix(u.Path, "./") != tc.report:
			t.Errorf("%q: link %q names %q", tc.report, got[0], u.Path)
		}
	}
}

// TestBatchIndexRows: the rows in the order given, each verdict named and coloured by
// severity (grey for those that could not be analysed), times in the zone asked for, a link
// only where a report was written, and the outcomes counted as the batch's summary does.
func TestBatchIndexRows(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	out := renderIndex(t, indexRows(), Options{Version: "9.9.9", Lang: "en", Location: tokyo})
	for _, want := range []string{
		"<title>lmtriad batch: 5 incidents</title>",
		"<p class=\"counts\">2 with warning or critical findings, 1 could not be read, 1 inconclusive, 1 ok</p>",
		"Generated by lmtriad 9.9.9.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	rows := rowRE.FindAllString(out, -1)
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5:\n%s", len(rows), out)
	}
	for i, want := range [][]string{
		{`<tr class="sev-critical">`, `<a href="kgtn.html"><code>incidents/<wbr>kgtn</code></a>`, `<span class="badge sev-critical">CRITICAL</span> failed-rejoin`,
			`<td>2010-12-02<wbr>T08:55:10&#43;09:00</td><td>2010-12-02<wbr>T12:55:10&#43;09:00</td>`, // html/template writes + as &#43; `<td class="t"><code>failed-rejoin</code></td>`, `<td class="r">3.1</td><td class="r">1.5</td>`,
			`<td>server1, server2</td><td class="r">1</td><td class="err"></td>`},
		{`<tr class="sev-warning">`, `<a href="order.html">`, `<span class="badge sev-warning">WARNING</span> degraded`, `<code>order-mismatch</code>`},
		{`<tr class="sev-none">`, `<td class="name"><code>incidents/<wbr>empty</code></td>`, `<span class="badge sev-none">ERROR</span></td>`,
			`<td>-</td><td>-</td>`, `<td class="r">2</td><td class="err">no debug log`},
		{`<tr class="sev-none">`, `<td class="name"><code>incidents/<wbr>single</code></td>`, `<span class="badge sev-none">INCONCLUSIVE</span></td>`, `<td class="r">3</td><td class="err">not a triad`},
		{`<tr class="sev-ok">`, `<a href="healthy.html">`, `<span class="badge sev-ok">OK</span> normal`, `<code>-</code>`, `<td class="r">0.0</td><td class="r">0.0</td><td>-</td><td class="r">0</td>`},
	} {
		for _, w := range want {
			if !strings.Contains(rows[i], w) {
				t.Errorf("row %d lacks %s:\n%s", i+1, w, rows[i])
			}
		}
		if report := indexRows()[i].Report; report == "" && strings.Contains(rows[i], "<a ") {
			t.Errorf("row %d has no report but a link:\n%s", i+1, rows[i])
		}
	}
	// The colours themselves: critical red, warning amber, ok green, the rest grey.
	for _, css := range []string{".badge.sev-critical{background:#c92a2a}", ".badge.sev-warning{background:#e67700}", ".badge.sev-ok{background:#2b8a3e}", ".badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:700;font-size:12px;color:#fff;background:#868e96}"} {
		if !strings.Contains(out, css) {
			t.Errorf("the style lacks %s", css)
		}
	}

	one := renderIndex(t, indexRows()[4:], Options{})
	if !strings.Contains(one, "<title>lmtriad batch: 1 incident</title>") || !strings.Contains(one, "0 with warning or critical findings, 0 could not be read, 0 inconclusive, 1 ok") {
		t.Errorf("one healthy incident: title or counts wrong:\n%s", one)
	}
}

// TestBatchIndexLanguages: English and Japanese pages use the catalogue for every word (a
// missing key would show as the key itself), and the Japanese one says it in Japanese.
func TestBatchIndexLanguages(t *testing.T) {
	key := regexp.MustCompile(`\b(ui|severity|state)\.[a-z]`)
	for _, lang := range catalog.Languages {
		out := renderIndex(t, indexRows(), Options{Version: "9.9.9", Lang: lang, Location: time.UTC})
		if k := key.FindString(out); k != "" {
			t.Errorf("%s: a catalogue key shows as text (%q...):\n%s", lang, k, out)
		}
		if !strings.Contains(out, `<html lang="`+lang+`">`) {
			t.Errorf("%s: the page does not say its language", lang)
		}
	}
	ja := renderIndex(t, indexRows(), Options{Lang: "ja", Location: time.UTC})
	for _, want := range []string{"<title>lmtriad 一括分析: 5 件</title>",
		"警告または重大な診断結果あり 2 件、読み取れず 1 件、判定できず 1 件、正常 1 件",
		`<span class="badge sev-critical">重大</span> 正常に復帰出来ない`, `<span class="badge sev-none">判定できず</span>`, "<th>インシデント</th>"} {
		if !strings.Contains(ja, want) {
			t.Errorf("ja: the page lacks %s", want)
		}
	}
}
