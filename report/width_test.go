package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/mattn/go-runewidth"
)

// The checks below measure lines on their own, not with the renderer's displayWidth: colour
// sequences take no room, East Asian wide characters two columns, the rest one.
var (
	colourSeq = regexp.MustCompile("\x1b\\[[0-9;]*m")
	columns   = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}
)

func columnsOf(line string) int { return columns.StringWidth(colourSeq.ReplaceAllString(line, "")) }

// tooWide lists the lines of a text report wider than width, but for the quoted evidence
// lines: those under "evidence:" (indented six), which are quoted as the logs wrote them.
func tooWide(out string, width int, lang string) []string {
	label := "    " + catalog.Label(lang, "ui.evidence")
	var bad []string
	evidence := false
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		plain := colourSeq.ReplaceAllString(l, "")
		if evidence && strings.HasPrefix(plain, "      ") {
			continue
		}
		evidence = plain == label
		if w := columnsOf(l); w > width {
			bad = append(bad, fmt.Sprintf("line %d is %d columns: %q", i+1, w, plain))
		}
	}
	return bad
}

var tzFlag = regexp.MustCompile(`--tz ([A-Za-z_/]+)`)

// incidents are the sample directories that analyse (those with a license file), each with
// the zone its README runs it in.
func incidents(t *testing.T) map[string]*time.Location {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "samples", "*", "license*"))
	if err != nil || len(dirs) < 5 {
		t.Fatalf("samples: %v, %v", dirs, err)
	}
	out := map[string]*time.Location{}
	for _, lic := range dirs {
		dir := filepath.Dir(lic)
		loc := time.UTC
		if readme, err := os.ReadFile(filepath.Join(dir, "README.md")); err == nil {
			if m := tzFlag.FindSubmatch(readme); m != nil {
				if loc, err = time.LoadLocation(string(m[1])); err != nil {
					t.Fatal(err)
				}
			}
		}
		out[dir] = loc
	}
	return out
}

// analyzed runs the pipeline as the command does: read the paths, analyse.
func analyzed(t *testing.T, loc *time.Location, paths ...string) *analyze.Report {
	t.Helper()
	files, err := parser.ReadPaths(paths, parser.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Analyze(files, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	r.Clock.Timezone = loc.String()
	return r
}

func render(t *testing.T, fn func(*bytes.Buffer, *analyze.Report, Options) error, r *analyze.Report, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := fn(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func text(b *bytes.Buffer, r *analyze.Report, o Options) error     { return Text(b, r, o) }
func timeline(b *bytes.Buffer, r *analyze.Report, o Options) error { return Timeline(b, r, o) }

// words is s without its layout: every space and line break gone, the interval table (laid
// out differently at each width) cut out.
func words(s, lang string) string {
	lines := strings.Split(colourSeq.ReplaceAllString(s, ""), "\n")
	var kept []string
	table := false
	for _, l := range lines {
		switch {
		case l == catalog.Label(lang, "ui.intervals"):
			table = true
		case table && l == "":
			table = false
		case !table:
			kept = append(kept, l)
		}
	}
	return strings.Join(strings.Fields(strings.Join(kept, " ")), "")
}

// checkFits checks a text report and the timeline of r at one width, language and colour:
// every line but the evidence fits; the verdict's first line starts with its label and its
// end is the report's last line; folding lost or added no word against a report too wide to
// fold; colour adds only colour.
func checkFits(t *testing.T, what string, r *analyze.Report, o Options) {
	t.Helper()
	out := render(t, text, r, o)
	for _, l := range tooWide(out, o.Width, o.Lang) {
		t.Errorf("%s: %s", what, l)
	}
	wide := o
	wide.Width, wide.Color = 100000, false
	whole := render(t, text, r, wide)
	if words(out, o.Lang) != words(whole, o.Lang) {
		t.Errorf("%s: the folded report says something else than the unfolded one:\n%s", what, out)
	}
	label := catalog.Label(o.Lang, "ui.verdict")
	for _, rep := range []struct{ name, out, whole string }{
		{"text", out, whole},
		{"timeline", render(t, timeline, r, o), render(t, timeline, r, wide)},
	} {
		lines := strings.Split(strings.TrimSuffix(colourSeq.ReplaceAllString(rep.out, ""), "\n"), "\n")
		at := len(lines) - 1
		for at >= 0 && !strings.HasPrefix(lines[at], label+" ") {
			at--
		}
		wholeLines := strings.Split(strings.TrimSuffix(rep.whole, "\n"), "\n")
		last := wholeLines[len(wholeLines)-1]
		if at < 0 || !strings.HasPrefix(last, label+" ") {
			t.Fatalf("%s %s: no line starts with %q", what, rep.name, label)
		}
		verdict := strings.Join(lines[at:], " ")
		if strings.Join(strings.Fields(verdict), "") != strings.Join(strings.Fields(last), "") {
			t.Errorf("%s %s: the verdict reads\n%s\nnot\n%s", what, rep.name, strings.Join(lines[at:], "\n"), last)
		}
		for _, l := range lines[at:] {
			if w := columnsOf(l); w > o.Width {
				t.Errorf("%s %s: verdict line is %d columns: %q", what, rep.name, w, l)
			}
		}
	}
	if o.Color {
		plain := o
		plain.Color = false
		if got, want := colourSeq.ReplaceAllString(out, ""), render(t, text, r, plain); got != want {
			t.Errorf("%s: with colour, the report differs beyond colour", what)
		}
	}
}

// TestTextFitsWidth: for every sample incident, at 60, 80 and 100 columns, in English and
// Japanese, with and without colour, every line of the text report but the quoted evidence
// fits the width, and so does the timeline's verdict.
func TestTextFitsWidth(t *testing.T) {
	for dir, loc := range incidents(t) {
		r := analyzed(t, loc, dir)
		for _, width := range []int{60, 80, 100} {
			for _, lang := range []string{"en", "ja"} {
				for _, colour := range []bool{false, true} {
					what := fmt.Sprintf("%s at %d, %s, colour %v", filepath.Base(dir), width, lang, colour)
					checkFits(t, what, r, Options{Version: "0.1.0", Location: loc, Lang: lang, Width: width, Color: colour})
				}
			}
		}
	}
}

// copyDir copies the files of a sample directory into dir, renamed by rename when it names
// them.
func copyDir(t *testing.T, from, dir string, rename map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		name := e.Name()
		if n, ok := rename[name]; ok {
			name = n
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const kgtn = "../samples/kgtn-2010120101"

// TestTextFitsLongNames: a log with a long Japanese name, and paths longer than the report
// is wide (one of them without a separator to break at), still fit, given relative as a
// user in the incident's folder would, and absolute.
func TestTextFitsLongNames(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	const cjk = "東京サーバー１の非常に長いログファイル名.log"
	copyDir(t, kgtn, filepath.Join(root, "kgtn"), map[string]string{"server1.log": cjk})
	deep := filepath.Join(root, strings.Repeat("incident-bundle-of-the-first-of-december/", 4)+"copied-from-the-ticket")
	copyDir(t, kgtn, deep, map[string]string{"server2.log": "server2-" + strings.Repeat("0123456789", 15) + ".log"})

	abs := analyzed(t, tokyo, filepath.Join(root, "kgtn"), deep)
	t.Chdir(root)
	rel := analyzed(t, tokyo, "kgtn")
	for _, tc := range []struct {
		name string
		r    *analyze.Report
	}{{"relative", rel}, {"absolute", abs}} {
		for _, width := range []int{60, 80, 100, 132} {
			for _, lang := range []string{"en", "ja"} {
				for _, colour := range []bool{false, true} {
					what := fmt.Sprintf("%s paths at %d, %s, colour %v", tc.name, width, lang, colour)
					o := Options{Version: "0.1.0", Location: tokyo, Lang: lang, Width: width, Color: colour}
					checkFits(t, what, tc.r, o)
					if out := render(t, text, tc.r, o); !strings.Contains(out, cjk) {
						t.Errorf("%s: the Japanese file name is not shown whole:\n%s", what, out)
					}
				}
			}
		}
	}
	// At 132 columns the relative paths fit their column: the facts line up beside them,
	// measured in display columns (the Japanese name is 44 columns wide, 64 bytes long).
	out := render(t, text, rel, Options{Version: "0.1.0", Location: tokyo, Width: 132})
	want := "  kgtn/" + cjk + "  debuglog  server1, 155 lines, 29 triad events,"
	if !strings.Contains(out, want+"\n") || !strings.Contains(out, "  kgtn/server2.log"+strings.Repeat(" ", 33)+"  debuglog  server2,") {
		t.Errorf("the inputs are not in columns:\n%s", out)
	}
}

// TestIntervalTableLayouts: the wide table stays when it fits; at 80 columns the compact one
// is laid out as intended, in English and Japanese.
func TestIntervalTableLayouts(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	r := analyzed(t, tokyo, kgtn)
	table := func(o Options) string {
		out := render(t, text, r, o)
		head := catalog.Label(o.Lang, "ui.intervals") + "\n"
		i := strings.Index(out, head) + len(head)
		return out[i : i+strings.Index(out[i:], "\n\n")+1]
	}
	if got := table(Options{Location: tokyo, Width: 170}); !strings.HasPrefix(got, "+----") || !strings.Contains(got, "| 2010-12-01T08:55:10+09:00 | 2010-12-01T08:56:06+09:00 |") {
		t.Errorf("at 170 columns the wide table fits, and is not used:\n%s", got)
	}
	for _, tc := range []struct{ lang, want string }{
		{"en", `
START     DURATION  STATE          MASTERS   NOT UP                OUT/DENIED
--------  --------  -------------  --------  --------------------  ----------
2010-12-01 (UTC+09:00)
08:55:10       56s  starting       -         server1 joining,             0/0
                                             server2 down,
                                             server3 down
08:56:06  1h18m23s  normal         server1   -                           18/2
10:14:29     1m41s  masterless     -         server1 down                 0/0
10:16:10  1h14m00s  degraded       server2   server1 down                19/1
11:30:10     1m30s  dual-master    server1,  -                            0/0
                                   server2
11:31:40  1h09m59s  normal         server2   -                           17/0
12:41:39     1m26s  masterless     -         server2 down                 0/0
12:43:05    15m27s  degraded       server1   server2 down                 7/0
12:58:32    33m27s  failed-rejoin  server1   server2 unresponsive         9/0
13:31:59  (end)
`},
		{"ja", `
開始               期間  状態              マスタサーバ  稼働していない    貸出/
                                                         サーバ             拒否
--------  -------------  ----------------  ------------  ----------------  -----
2010-12-01 (UTC+09:00)
08:55:10           56秒  起動中            -             server1 接続中,     0/0
                                                         server2 停止,
                                                         server3 停止
08:56:06  1時間18分23秒  正常              server1       -                  18/2
10:14:29        1分41秒  マスタサーバ不在  -             server1 停止        0/0
10:16:10      1時間14分  1台停止中         server2       server1 停止       19/1
11:30:10        1分30秒  マスタサーバが    server1,      -                   0/0
                         2台存在           server2
11:31:40   1時間9分59秒  正常              server2       -                  17/0
12:41:39        1分26秒  マスタサーバ不在  -             server2 停止        0/0
12:43:05       15分27秒  1台停止中         server1       server2 停止        7/0
12:58:32       33分27秒  正常に            server1       server2 応答なし    9/0
                         復帰出来ない
13:31:59  (終了)
`},
	} {
		got := table(Options{Location: tokyo, Width: 80, Lang: tc.lang})
		if want := strings.TrimPrefix(tc.want, "\n"); got != want {
			t.Errorf("%s at 80 columns:\n%s\nwant:\n%s", tc.lang, got, want)
		}
	}
}

// TestIntervalTableDays: the compact table names the date and the UTC offset again when
// either changes, as at the end of daylight saving time.
func TestIntervalTableDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, text, analyzed(t, ny, "../samples/linux-dst"), Options{Location: ny, Width: 80})
	for _, want := range []string{"\n2017-11-04 (UTC-04:00)\n", "\n2017-11-05 (UTC-04:00)\n", "\n2017-11-05 (UTC-05:00)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no row %q in\n%s", strings.TrimSpace(want), out)
		}
	}
}
