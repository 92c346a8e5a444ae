package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileSeqs are control sequences planted in evidence, with how the reports show them
// (report.Clean).
var hostileSeqs = []struct{ name, seq, shown string }{
	{"ESC clear screen", "\x1b[2J", `\x1b[2J`},
	{"OSC title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
	{"BEL", "\x07", `\x07`},
	{"CR", "\r", `\x0d`},
	{"C1 CSI", "\u009b31m", `\u009b31m`},
	{"bidi override", "\u202e", `\u202e`},
}

// hostileIncident copies the KGTN sample into a new directory with seq planted where the
// evidence puts text in a report: in server3's host name in every file (not CR, which ends a
// host name), inside the banner line that is evidence of master-not-returned, in the names of
// server2's log and of the lmstat output, and in a malformed lmstat line, which is a warning.
func hostileIncident(t *testing.T, seq string) string {
	t.Helper()
	src := "../../samples/kgtn-2010120101"
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if name == "README.md" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if seq != "\r" {
			s = strings.ReplaceAll(s, "server3", "server3"+seq)
		}
		s = strings.ReplaceAll(s, "(IBM PC)", "(IBM"+seq+"PC)")
		switch name {
		case "server2.log":
			name = "server2" + seq + ".log"
		case "lmstat.log":
			name = "lmstat" + seq + ".log"
			s = strings.Replace(s, "\r\n\r\n", "\r\n#### disk "+seq+" full ####\r\n\r\n", 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func noenv(string) string { return "" }

// checkShown fails when out holds a character report.Clean escapes: a C0 control other than
// tab and line ends (CRLF with crlf), DEL, a C1 control, a bidi control, a byte that is not
// UTF-8; with colour, an ESC may only start one of the tool's SGR sequences (ESC [ 0-9; m).
func checkShown(t *testing.T, what, out string, colour, crlf bool) {
	t.Helper()
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		bad := false
		switch {
		case r == '\n' || r == '\t':
		case r == '\r':
			bad = !crlf || !strings.HasPrefix(out[i:], "\r\n")
		case r == 0x1b && colour:
			end := strings.IndexByte(out[i:], 'm')
			bad = !strings.HasPrefix(out[i:], "\x1b[") || end < 3 || strings.Trim(out[i+2:i+end], "0123456789;") != ""
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
			r == utf8.RuneError && size == 1:
			bad = true
		}
		if bad {
			t.Errorf("%s: %q at byte %d: ...%q...", what, out[i:i+size], i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
		i += size
	}
}

// TestControlsShownVisibly: each control sequence from the evidence (log line, host name, file
// name, malformed line) is shown visibly, never emitted, in every output for people (text,
// Markdown, HTML, CSV, timeline, with and without --color always) and in the warnings and the
// error on stderr; the tool's own colours stay. JSON holds it as an escape.
func TestControlsShownVisibly(t *testing.T) {
	outputs := []struct {
		name         string
		args         []string
		colour, crlf bool
	}{
		{"text", []string{"analyze"}, false, false},
		{"text --color always", []string{"analyze", "--color", "always"}, true, false},
		{"markdown", []string{"analyze", "-f", "markdown"}, false, false},
		{"html", []string{"analyze", "-f", "html"}, false, false},
		{"csv", []string{"analyze", "-f", "csv"}, false, true},
		{"timeline", []string{"timeline"}, false, false},
		{"timeline --color always", []string{"timeline", "--color", "always"}, true, false},
		{"json", []string{"analyze", "-f", "json"}, false, false}, // the exact text, in JSON escapes
	}
	for _, h := range hostileSeqs {
		dir := hostileIncident(t, h.seq)
		for _, out := range outputs {
			what := h.name + " in " + out.name
			var stdout, stderr bytes.Buffer
			args := append(append([]string{}, out.args...), "--tz", "Asia/Tokyo", dir)
			if code := run(args, &stdout, &stderr, noenv); code != exitFindings {
				t.Fatalf("%s: exit %d, want 1; stderr:\n%s", what, code, stderr.String())
			}
			checkShown(t, what, stdout.String(), out.colour, out.crlf)
			checkShown(t, what+" (stderr)", stderr.String(), false, false)
			// CSV holds host names only, and CR cannot be in one.
			if out.name != "json" && (out.name != "csv" || h.seq != "\r") && !strings.Contains(stdout.String(), h.shown) {
				t.Errorf("%s: %q not shown", what, h.shown)
			}
			if out.colour && !strings.Contains(stdout.String(), "\x1b[1m") {
				t.Errorf("%s: the tool's own colours are gone", what)
			}
			warning := "lmtriad: warning: " + filepath.Join(dir, "lmstat"+h.shown+".log") + `:3: not an lmstat line: "#### disk ` + h.shown + ` full ####"` + "\n"
			if !strings.Contains(stderr.String(), warning) {
				t.Errorf("%s: stderr lacks %q:\n%s", what, warning, stderr.String())
			}
		}
		var stdout, stderr bytes.Buffer
		if code := run([]string{"analyze", filepath.Join(dir, "nosuch"+h.seq)}, &stdout, &stderr, noenv); code != exitError {
			t.Fatalf("%s: a missing input: exit %d, want 2", h.name, code)
		}
		checkShown(t, h.name+" in an error", stderr.String(), false, false)
		if want := "lmtriad: error: " + filepath.Join(dir, "nosuch"+h.shown); !strings.HasPrefix(stderr.String(), want) {
			t.Errorf("%s: error = %q, want it to start with %q", h.name, stderr.String(), want)
		}
	}
}

// TestBatchControlsAndFormulas: batch's CSV summary keeps every cell from starting a formula
// (tab and CR included: they can be in a directory name) and shows control characters
// visibly, as its table does; a negative number stays a number.
func TestBatchControlsAndFormulas(t *testing.T) {
	root := t.TempDir()
	names := []string{"\tx", "\rx", "=1+1", "-40", "esc\x1b]0;pwned\x07", "c1\u009b31m", "bidi\u202e"}
	var paths []string
	for _, n := range names {
		p := filepath.Join(root, n)
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, n)
	}
	t.Chdir(root)

	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"batch", "-f", "csv", "--"}, paths...), &stdout, &stderr, noenv); code != exitError {
		t.Fatalf("batch -f csv: exit %d, want 2; stderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	checkShown(t, "batch -f csv", out, false, true)
	rows := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")[1:]
	for i, want := range []string{"'\tx", `\x0dx`, "'=1+1", "-40", `esc\x1b]0;pwned\x07`, `c1\u009b31m`, `bidi\u202e`} {
		if got, _, _ := strings.Cut(rows[i], ","); got != want {
			t.Errorf("incident cell of %q = %q, want %q", names[i], got, want)
		}
	}

	stdout.Reset()
	stderr.Reset()
	run(append([]string{"batch", "--"}, paths...), &stdout, &stderr, noenv)
	checkShown(t, "batch table", stdout.String(), false, false)
	for _, want := range []string{`| \x0dx `, `| esc\x1b]0;pwned\x07 `, `| c1\u009b31m `, `| bidi\u202e `} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("batch table lacks %q:\n%s", want, stdout.String())
		}
	}
}
