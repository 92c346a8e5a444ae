package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Tests run in the package directory; runAt moves to the repository root. The golden reports
// live beside the package that renders them (report/testdata/golden, rewritten with
// go test ./report -update); here the command line is checked to print them as they are.
var (
	goldenDir, _ = filepath.Abs(filepath.Join("..", "..", "report", "testdata", "golden"))
	repoRoot, _  = filepath.Abs(filepath.Join("..", ".."))
)

// runAt runs the command in-process from the repository root, so that paths in the output
// read as a user at the top of a checkout would see them.
func runAt(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(repoRoot)
	var out, errb bytes.Buffer
	code = run(args, &out, &errb, func(k string) string {
		if k == "TZ" {
			return "UTC"
		}
		return ""
	})
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the command's output differs from %s (the report package's golden; if the report changed on purpose, go test ./report -update):\n%s", path, diff(string(want), got))
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var x, y string
		if i < len(w) {
			x = w[i]
		}
		if i < len(g) {
			y = g[i]
		}
		if x != y {
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + x + "\n  got:  " + y + "\n")
			if shown++; shown == 5 {
				break
			}
		}
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

const sample = "samples/kgtn-2010120101"

// TestGolden: the command prints the bundled sample's reports byte for byte as the report
// package's goldens have them (flags, zone, language and width wired right).
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		// The sample's logs tell its zone (Tokyo Standard Time); its lmstat output does not.
		{"kgtn.txt", []string{"analyze", "--color", "never", sample}, 1},
		{"kgtn.json", []string{"analyze", "--format", "json", sample}, 1},
		{"kgtn-lmstat-only.txt", []string{"analyze", "--tz", "Asia/Tokyo", sample + "/lmstat.log", sample + "/license.dat"}, 1},
		{"kgtn-logs-only.txt", []string{"analyze", sample + "/server1.log", sample + "/server2.log", sample + "/server3.log", sample + "/license.dat"}, 1},
		{"kgtn-timeline.txt", []string{"timeline", "--color", "never", sample}, 1},
		{"kgtn.html", []string{"analyze", "--format", "html", sample}, 1},
		{"kgtn-ja.html", []string{"analyze", "--format", "html", "--lang", "ja", sample}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runAt(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errOut)
			}
			if errOut != "" {
				t.Errorf("unexpected stderr:\n%s", errOut)
			}
			golden(t, tc.name, out)
		})
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestColor: --color always adds colour and nothing else.
func TestColor(t *testing.T) {
	plain, _, _ := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--color", "never", sample)
	coloured, _, code := runAt(t, "analyze", "--tz", "Asia/Tokyo", "--color", "always", sample)
	if code != 1 {
		t.Fatalf("exit code %d", code)
	}
	if !strings.Contains(coloured, "\x1b[") {
		t.Fatal("--color always printed no colour")
	}
	if strings.Contains(plain, "\x1b[") {
		t.Fatal("--color never printed colour")
	}
	if got := ansi.ReplaceAllString(coloured, ""); got != plain {
		t.Errorf("coloured output differs from plain beyond colour:\n%s", diff(plain, got))
	}
}

// TestReadmeExample: the README's example output is what the tool prints.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- example-output -->\n```text\n", "```\n<!-- /example-output -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q block", begin, end)
	}
	block := s[i+len(begin) : j]
	// The block's first line is the command: $ lmtriad analyze ...
	first, want, _ := strings.Cut(block, "\n")
	cmdLine, ok := strings.CutPrefix(first, "$ lmtriad ")
	if !ok {
		t.Fatalf("the example block does not start with \"$ lmtriad \": %q", first)
	}
	got, _, _ := runAt(t, strings.Fields(cmdLine)...)
	if got != want {
		t.Errorf("README example differs from `lmtriad %s`:\n%s", cmdLine, diff(want, got))
	}
}
