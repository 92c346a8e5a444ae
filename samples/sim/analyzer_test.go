package sim_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// analyzeSet runs the analyzer on some of the files of a rendered incident, as the command
// line does.
func analyzeSet(t testing.TB, dir string, tr sim.Truth, files []string) *analyze.Report {
	t.Helper()
	loc, err := time.LoadLocation(tr.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	fs, err := parser.ReadPaths(paths, parser.Options{Location: loc})
	if err != nil {
		t.Fatalf("ReadPaths: %v", err)
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc, RejoinGrace: time.Duration(tr.RejoinGraceSeconds) * time.Second})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return rep
}

// compare checks the analyzer's intervals against what the truth says the evidence can show:
// the same states in the same order, each boundary within the truth's tolerance. It returns
// a description of the differences ("" when none).
func compare(rep *analyze.Report, o *sim.Observed, tol time.Duration) string {
	got := make([]string, len(rep.Intervals))
	for i, iv := range rep.Intervals {
		got[i] = string(iv.State)
	}
	var b strings.Builder
	if strings.Join(got, " ") != strings.Join(o.States, " ") {
		fmt.Fprintf(&b, "states differ:\n  analyzer %v\n  truth    %v\n", got, o.States)
	} else {
		for i, iv := range rep.Intervals {
			want := o.Intervals[i]
			if d := iv.Start.Sub(want.Start); d > tol || d < -tol {
				fmt.Fprintf(&b, "interval %d (%s) starts at %s, truth %s (%v apart)\n", i, iv.State, iv.Start.Format(time.RFC3339), want.Start.Format(time.RFC3339), d)
			}
			if strings.Join(iv.Masters, ",") != strings.Join(want.Masters, ",") {
				fmt.Fprintf(&b, "interval %d (%s) masters %v, truth %v\n", i, iv.State, iv.Masters, want.Masters)
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("analyzer intervals:\n")
	for _, iv := range rep.Intervals {
		var notUp []string
		for _, s := range iv.NotUp() {
			notUp = append(notUp, s.Server+" "+string(s.Status))
		}
		fmt.Fprintf(&b, "  %s %s %-13s %v %v\n", iv.Start.Format("01-02 15:04:05"), iv.End.Format("15:04:05"), iv.State, iv.Masters, notUp)
	}
	b.WriteString("truth intervals:\n")
	for _, iv := range o.Intervals {
		var notUp []string
		for k, st := range iv.Servers {
			if st != "up" {
				notUp = append(notUp, k+" "+st)
			}
		}
		fmt.Fprintf(&b, "  %s %s %-13s %v %v\n", iv.Start.Format("01-02 15:04:05"), iv.End.Format("15:04:05"), iv.State, iv.Masters, notUp)
	}
	return b.String()
}

// knownEvidence are evidence sets of the scenarios checkEvidence checks ("scenario/set") that
// fail because of an analyzer bug (a letter of bugs in property_test.go). Each is a subtest
// skipped with "KNOWN: ...", and reported as an error once it passes: then remove it.
var knownEvidence = map[string]string{}

// checkEvidence renders sc into a temporary directory and compares the analyzer with the
// truth for every evidence set (each a subtest).
func checkEvidence(t *testing.T, sc sim.Scenario) sim.Truth {
	t.Helper()
	dir := t.TempDir()
	tr, err := sim.Render(sc, sim.DirOpener(dir))
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	tol := time.Duration(tr.ToleranceSeconds) * time.Second
	for _, ev := range []string{"both", "lmstat", "logs"} {
		o := tr.Evidence(ev)
		if o == nil {
			continue
		}
		t.Run(ev, func(t *testing.T) {
			rep := analyzeSet(t, dir, tr, o.Files)
			diff := compare(rep, o, tol)
			why, known := knownEvidence[sc.Name+"/"+ev]
			switch {
			case diff != "" && known:
				t.Skipf("KNOWN: %s\n%s: evidence %s:\n%s", bugs[why], sc.Name, ev, diff)
			case diff != "":
				t.Errorf("%s: evidence %s:\n%s", sc.Name, ev, diff)
			case known:
				t.Errorf("%s: evidence %s passes now: remove it from knownEvidence (%s)", sc.Name, ev, why)
			}
		})
	}
	return tr
}
