package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(cleanupAfter{m}, map[string]func(){
		"lmtriad": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv)) },
	})
}

// cleanupAfter runs the tests, then removes what they built once for all (the stand-in lmutil).
type cleanupAfter struct{ m *testing.M }

func (c cleanupAfter) Run() int {
	code := c.m.Run()
	cleanupFake()
	return code
}

// TestScripts runs the command-line scenarios in testdata/script/*.txtar. Besides the usual
// testscript commands they have "exits N cmd args...", which runs cmd and requires exit code N,
// and $SAMPLE, a copy of samples/kgtn-2010120101 in the work directory as "kgtn".
func TestScripts(t *testing.T) {
	sample, err := filepath.Abs("../../samples/kgtn-2010120101")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("TZ", "UTC")
			return copyDir(sample, filepath.Join(env.WorkDir, "kgtn"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// fits N: every line of stdout outside the quoted evidence lines (indented under
			// "evidence:") is at most N display columns wide.
			"fits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: fits N")
				}
				n, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("fits: bad width %q", args[0])
				}
				evidence := false
				for i, line := range strings.Split(ts.ReadFile("stdout"), "\n") {
					trimmed := strings.TrimLeft(line, " ")
					switch {
					case strings.HasSuffix(trimmed, "evidence:") || strings.HasSuffix(trimmed, "根拠:"):
						evidence = true
						continue
					case evidence && len(line)-len(trimmed) >= 6:
						continue // a quoted evidence line
					}
					evidence = false
					if w := runewidth.StringWidth(ansi.ReplaceAllString(line, "")); w > n {
						ts.Fatalf("line %d is %d columns wide, over %d: %q", i+1, w, n, line)
					}
				}
			},
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits CODE command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exits: bad code %q", args[0])
				}
				err = ts.Exec(args[1], args[2:]...)
				got := 0
				var ee *exec.ExitError
				switch {
				case errors.As(err, &ee):
					got = ee.ExitCode()
				case err != nil:
					ts.Fatalf("exits: %v", err)
				}
				if got != want {
					ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
				}
			},
		},
	})
}

func copyDir(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
