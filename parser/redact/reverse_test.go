package redact_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/redact"
	"github.com/lmtriad/lmtriad/report"
)

// Reverse puts the names back into a report of the redacted incident, in every format, escaped
// as the format needs them: the report it gives is the original incident's, but for what the
// names' length moves (columns, folds) and the order of ties between names.
func TestReverseReports(t *testing.T) {
	// The sample with names that Markdown escapes in prose (underscores).
	src := "../../samples/kgtn-2010120101"
	names := strings.NewReplacer("server1", "flexlm_one", "server2", "flexlm_two", "server3", "flexlm_three")
	orig := t.TempDir()
	for _, f := range []string{"license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		s := names.Replace(string(b))
		os.WriteFile(filepath.Join(orig, names.Replace(f)), []byte(s), 0o644)
	}
	tab := redact.NewTable(false)
	r := redact.New(tab, []string{orig}, parser.Options{})
	if err := r.Collect(); err != nil {
		t.Fatal(err)
	}
	red := t.TempDir()
	if _, err := r.Write(red); err != nil {
		t.Fatal(err)
	}
	// the map written and read again: what --reverse has
	var m bytes.Buffer
	if err := tab.WriteMap(&m); err != nil {
		t.Fatal(err)
	}
	back := redact.NewTable(false)
	if err := back.ReadMap(&m); err != nil {
		t.Fatal(err)
	}

	loc, _ := time.LoadLocation("Asia/Tokyo")
	sha := regexp.MustCompile(`[0-9a-f]{64}`)
	for _, format := range redact.ReportFormats {
		t.Run(format, func(t *testing.T) {
			want := renderReport(t, orig, format, loc)
			redacted := renderReport(t, red, format, loc)
			if strings.Contains(redacted, "flexlm_") || strings.Contains(redacted, "tanaka") {
				t.Fatalf("the redacted report names a server:\n%s", redacted)
			}
			var b bytes.Buffer
			if err := back.Reverse(&b, strings.NewReader(redacted), redact.ReportFormat("report."+ext(format), nil)); err != nil {
				t.Fatal(err)
			}
			got := b.String()
			norm := func(s string) string {
				s = strings.ReplaceAll(s, orig+"/", "")
				s = strings.ReplaceAll(s, red+"/", "")
				return sha.ReplaceAllString(s, "SHA")
			}
			want, got = norm(want), norm(got)
			for _, p := range []string{"server-a", "server-b", "server-c", "user-001", "ws-001"} {
				if strings.Contains(got, p) {
					t.Errorf("%s is still in the report", p)
				}
			}
			switch format {
			case "json":
				a, b := comparable(t, want, nil), comparable(t, got, nil)
				if a != b {
					t.Errorf("reversed JSON report differs:\n%s", firstDiff(a, b))
				}
			case "csv":
				if got != want {
					t.Errorf("reversed CSV report differs:\n%s", firstDiff(want, got))
				}
			case "markdown":
				if a, b := sortedLines(squeezeSpaces(want)), sortedLines(squeezeSpaces(got)); a != b {
					t.Errorf("reversed Markdown report differs (lines sorted):\n%s", firstDiff(a, b))
				}
				if !strings.Contains(got, `flexlm\_one`) || !strings.Contains(got, "`flexlm_one`") {
					t.Error("the names are not back, escaped in prose (flexlm\\_one) and as they are in code")
				}
			case "html":
				for _, n := range []string{"flexlm_one", "flexlm_two", "flexlm_three"} {
					if strings.Count(want, n) == 0 || strings.Count(got, n) < strings.Count(want, n)/2 {
						t.Errorf("%s: %d times in the original's report, %d in the reversed one", n, strings.Count(want, n), strings.Count(got, n))
					}
				}
			case "text":
				for _, n := range []string{"flexlm_one", "flexlm_two", "flexlm_three"} {
					if strings.Count(got, n) < strings.Count(want, n)/2 || !strings.Contains(got, n) {
						t.Errorf("%s: %d times in the original's report, %d in the reversed one", n, strings.Count(want, n), strings.Count(got, n))
					}
				}
				if !strings.Contains(got, "flexlm_one          -") {
					t.Errorf("the interval table's columns are not kept:\n%s", got)
				}
			}
		})
	}
}

func ext(format string) string {
	if format == "markdown" {
		return "md"
	}
	if format == "text" {
		return "txt"
	}
	return format
}

func renderReport(t *testing.T, dir, format string, loc *time.Location) string {
	t.Helper()
	files, err := parser.ReadPaths([]string{dir}, parser.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.Analyze(files, analyze.Config{Location: loc})
	if rep == nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.Write(&b, format, rep, report.Options{Version: "test", Location: loc, Width: 100}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// squeezeSpaces makes runs of spaces one space: columns padded to the names' width differ.
func squeezeSpaces(s string) string {
	return regexp.MustCompile(` {2,}`).ReplaceAllString(s, " ")
}

func sortedLines(s string) string {
	lines := strings.Split(s, "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestReportFormat(t *testing.T) {
	for _, c := range []struct{ name, head, want string }{
		{"r.json", "", "json"}, {"r.HTML", "", "html"}, {"r.md", "", "markdown"}, {"r.csv", "", "csv"}, {"r.txt", "", "text"},
		{"-", "  {\n \"schema\"", "json"}, {"-", "<!DOCTYPE html>\n", "html"}, {"-", "start,end,seconds,state,masters\r\n", "csv"},
		{"-", "# lmtriad\n", "markdown"}, {"-", "lmtriad 0.1.0: FlexLM three-server triad analysis\n", "text"},
	} {
		if got := redact.ReportFormat(c.name, []byte(c.head)); got != c.want {
			t.Errorf("ReportFormat(%q, %q) = %s, want %s", c.name, c.head, got, c.want)
		}
	}
}
