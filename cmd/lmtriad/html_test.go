package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Hostile names for the injection tests: a server, a file and a user that are markup.
const (
	hostileServer = `<script>alert(1)</script>`
	hostileFile   = `<img src=x onerror=alert(2)>.log`
	hostileUser   = `<b>x</b>`
)

// hostileSample copies the KGTN sample into a temporary directory with server3 renamed to
// hostileServer everywhere (license file, logs, lmstat), its log named hostileFile, and the
// user tanaka renamed to hostileUser.
func hostileSample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, sample, name))
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "server3", hostileServer)
		s = strings.ReplaceAll(s, "tanaka@", hostileUser+"@")
		if name == "server3.log" {
			name = hostileFile
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestHTMLInjection: host, file and user names from the inputs show as text in the HTML
// report, never as markup.
func TestHTMLInjection(t *testing.T) {
	dir := hostileSample(t)
	for _, lang := range []string{"en", "ja"} {
		out, errOut, code := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--format", "html", "--lang", lang, dir)
		if code != 1 {
			t.Fatalf("exit code %d, want 1; stderr:\n%s", code, errOut)
		}
		for _, bad := range []string{"<script>alert", "<img", "<b>x", "onerror=alert(2)>"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: the report holds %q unescaped", lang, bad)
			}
		}
		// The hostile server has a lane, its name escaped in the lane's label and its tooltips.
		if !strings.Contains(out, `data-lane="&lt;script&gt;alert(1)&lt;/script&gt;"`) {
			t.Errorf("%s: no lane for the hostile server", lang)
		}
		if n := strings.Count(out, "&lt;script&gt;alert(1)&lt;/script&gt;"); n < 5 {
			t.Errorf("%s: the escaped server name shows %d times, want it in the lanes, tables and evidence", lang, n)
		}
		if !strings.Contains(out, "&lt;img src=x onerror=alert(2)&gt;.log") {
			t.Errorf("%s: the escaped file name is missing", lang)
		}
		if n := strings.Count(out, "<script>"); n != 1 {
			t.Errorf("%s: %d script elements, want only the report's own", lang, n)
		}
		checkSelfContained(t, out)
	}
}

// TestHTMLSelfContained: the KGTN sample's HTML reports reference nothing outside the file.
func TestHTMLSelfContained(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		out, _, _ := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--format", "html", "--lang", lang, sample)
		if !strings.HasPrefix(out, "<!DOCTYPE html>\n<html lang=\""+lang+"\">") {
			t.Errorf("%s: the report does not start as an HTML document in its language: %.60q", lang, out)
		}
		checkSelfContained(t, out)
	}
	for _, f := range []string{"kgtn.html", "kgtn-ja.html"} {
		b, err := os.ReadFile(filepath.Join(goldenDir, f))
		if err != nil {
			t.Fatal(err)
		}
		checkSelfContained(t, string(b))
	}
}

var (
	tagRe       = regexp.MustCompile(`<[!/]?[A-Za-z][^>]*>`)
	externalRef = regexp.MustCompile(`(?i)(https?:|//|ftp:|file:|data:|javascript:)`)
	refAttr     = regexp.MustCompile(`(?i)\s(src|href|xlink:href|action|formaction|poster|srcset|background|xmlns(:\w+)?)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

// checkSelfContained fails when the page loads or links anything outside itself: no
// http:// or https:// in any tag (only in text), no src/href/xmlns attributes other than an
// in-page fragment, no CSS url() or @import, and only inline scripts and styles.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, tag := range tagRe.FindAllString(page, -1) {
		if externalRef.MatchString(tag) {
			t.Errorf("a tag references something outside the page: %.200s", tag)
		}
		for _, m := range refAttr.FindAllStringSubmatch(tag, -1) {
			if v := strings.Trim(m[3], `"'`); !strings.HasPrefix(v, "#") {
				t.Errorf("attribute %s=%q: only in-page fragments are allowed", m[1], v)
			}
		}
	}
	style := between(page, "<style>", "</style>")
	for _, bad := range []string{"url(", "@import", "@font-face"} {
		if strings.Contains(style, bad) {
			t.Errorf("the inline style uses %s", bad)
		}
	}
	script := between(page, "<script>", "</script>")
	for _, bad := range []string{"fetch(", "XMLHttpRequest", "import(", "http:", "https:", "new Image", "WebSocket", "eval("} {
		if strings.Contains(script, bad) {
			t.Errorf("the inline script uses %s", bad)
		}
	}
}

func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, close)
	return in
}

// TestHTMLWindowLanesInside: with --since/--until the server lanes are cut to the window like
// the intervals, so every segment lies inside the plot (they were drawn at x=-11613, over the
// labels, when the window forgot the lanes).
func TestHTMLWindowLanesInside(t *testing.T) {
	out, errOut, code := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--format", "html",
		"--since", "2010-12-01 12:50", "--until", "2010-12-01 13:10", sample)
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, errOut)
	}
	bg := regexp.MustCompile(`<rect class="lane-bg" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"`).FindStringSubmatch(out)
	if bg == nil {
		t.Fatal("no lane background in the report")
	}
	x0, w := atof(t, bg[1]), atof(t, bg[2])
	segs := regexp.MustCompile(`data-x0="(-?[0-9.]+)" data-x1="(-?[0-9.]+)"`).FindAllStringSubmatch(out, -1)
	if len(segs) < 8 {
		t.Fatalf("%d segments, want the triad lane and three server lanes in the window", len(segs))
	}
	for _, s := range segs {
		if a, b := atof(t, s[1]), atof(t, s[2]); a < x0-0.01 || b > x0+w+0.01 {
			t.Errorf("segment %s..%s outside the plot %v..%v", s[1], s[2], x0, x0+w)
		}
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
