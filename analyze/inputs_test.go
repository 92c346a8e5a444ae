package analyze_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// TestDuplicatesSkipped: a folder per server, each with the same license file, and one log sent
// twice. The copies are listed as skipped with the kind their content was read as and the
// reason, a code naming the file read first; the analysis is the one of the files without them.
func TestDuplicatesSkipped(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ from, to string }{
		{"license.dat", "srv-a/license.lic"}, {"server1.log", "srv-a/server1.log"},
		{"license.dat", "srv-b/license.lic"}, {"server2.log", "srv-b/server2.log"},
		{"license.dat", "srv-c/license.lic"}, {"server3.log", "srv-c/server3.log"},
		{"server1.log", "srv-c/server1-copy.log"},
	} {
		b, err := os.ReadFile(filepath.Join(sampleDir, c.from))
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dir, c.to)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := parser.ReadPaths([]string{dir}, parser.Options{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analyze.Analyze(files, analyze.Config{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	want, err := analyze.Analyze(readSample(t, "license.dat", "server1.log", "server2.log", "server3.log"), analyze.Config{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	if got, w := gotIntervals(rep), gotIntervals(want); !reflect.DeepEqual(got, w) {
		t.Errorf("intervals with the copies:\n%v\nwithout:\n%v", got, w)
	}
	if got, w := gotFindings(rep), gotFindings(want); !reflect.DeepEqual(got, w) {
		t.Errorf("findings with the copies %v, without %v", got, w)
	}
	if rep.Verdict.State != want.Verdict.State || rep.Verdict.ExitCode != want.Verdict.ExitCode || rep.Stats.Events != want.Stats.Events {
		t.Errorf("verdict %s exit %d, %d events; without the copies %s exit %d, %d events", rep.Verdict.State, rep.Verdict.ExitCode,
			rep.Stats.Events, want.Verdict.State, want.Verdict.ExitCode, want.Stats.Events)
	}

	first := map[string]string{"license": filepath.Join(dir, "srv-a/license.lic"), "debuglog": filepath.Join(dir, "srv-a/server1.log")}
	skipped := 0
	for _, in := range rep.Inputs {
		rel, _ := filepath.Rel(dir, in.Path)
		switch rel {
		case "srv-b/license.lic", "srv-c/license.lic", "srv-c/server1-copy.log":
			skipped++
			if in.Kind != "license" && in.Kind != "debuglog" || in.Skipped.Key != "reason.same-content" ||
				in.Skipped.Args["as"] != msg.Raw(first[in.Kind]) || in.Server != "" || in.Events != 0 {
				t.Errorf("%s: kind %s, server %q, %d events, skipped %v; want license or debuglog, skipped as the same content as %s",
					rel, in.Kind, in.Server, in.Events, in.Skipped, first[in.Kind])
			}
		default:
			if !in.Skipped.IsZero() {
				t.Errorf("%s skipped: %v", rel, in.Skipped)
			}
		}
	}
	if skipped != 3 {
		t.Errorf("%d copies listed, want 3: %+v", skipped, rep.Inputs)
	}
}
