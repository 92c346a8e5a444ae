package sim_test

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/zone"
	"github.com/lmtriad/lmtriad/samples/sim"
)

var zonePropertyN = flag.Int("zone-property", 200, "TestZoneProperty checks seeds 1 to N (20 with -short)")

// zoneMachine is the machine's zone of TestZoneProperty: none of sim.Random's zones.
const zoneMachine = "America/Denver"

// analyzeWithoutZone analyses the files as the command does without --tz on a machine in
// machine: read in the machine's zone, decide the servers' zone from the zone clues of the
// files (zone.Decide), read again in it when it is another, analyse.
func analyzeWithoutZone(t testing.TB, dir string, tr sim.Truth, files []string, machine *time.Location) (*analyze.Report, zone.Decision) {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	read := func(loc *time.Location) []*parser.File {
		fs, err := parser.ReadPaths(paths, parser.Options{Location: loc})
		if err != nil {
			t.Fatalf("ReadPaths: %v", err)
		}
		return fs
	}
	fs := read(machine)
	clues, from, to := zone.Evidence(fs)
	dec := zone.Decide(clues, nil, machine, from, to)
	if dec.Name != machine.String() {
		fs = read(dec.Loc)
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: dec.Loc, RejoinGrace: time.Duration(tr.RejoinGraceSeconds) * time.Second,
		TimezoneSource: dec.Source, TimezoneWarnings: dec.Warnings})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return rep, dec
}

// story is what an analysis says happened, every time as an instant: the intervals (bounds,
// state, masters, statuses), the findings and the verdict.
func story(rep *analyze.Report) string {
	at := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	}
	var b strings.Builder
	for _, iv := range rep.Intervals {
		fmt.Fprintf(&b, "interval %s %s %s masters %v servers %v\n", at(iv.Start), at(iv.End), iv.State, iv.Masters, iv.Servers)
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "finding %s %s %s %s\n", f.Code, f.Server, at(f.Start), at(f.End))
	}
	fmt.Fprintf(&b, "verdict %s %s\n", rep.Verdict.Severity, rep.Verdict.State)
	return b.String()
}

// zoneWarned tells whether the decision warns that the zone may be wrong: taken from the
// machine, or from evidence that fits zones giving different times, or that contradicts itself.
func zoneWarned(dec zone.Decision) bool {
	for _, w := range dec.Warnings {
		switch w.Key {
		case "warn.zone.machine", "warn.zone.ambiguous", "warn.zone.conflict":
			return true
		}
	}
	return false
}

// TestZoneProperty: for random scenarios (sim.Random's zones, Windows and Linux, lmgrd
// versions with and without a System Date line, lmstat with and without stamp lines, DST
// changes, skewed clocks), each set of evidence analysed without a zone on a machine in
// America/Denver tells the same story as with the scenario's zone whenever the lines fix the
// zone (source evidence, no warning about it), and otherwise warns (TRIAD.md 6, issue 10).
// Each seed is a subtest, TestZoneProperty/seed=N.
func TestZoneProperty(t *testing.T) {
	machine, err := time.LoadLocation(zoneMachine)
	if err != nil {
		t.Fatal(err)
	}
	n := *zonePropertyN
	if testing.Short() {
		n = min(n, 20)
	}
	counts := map[string]int{} // source, and "warned" for the decisions that warn
	for seed := int64(1); seed <= int64(n); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			sc := sim.Random(seed, sim.RandomOptions{DST: 0.4, LmstatGaps: 0.3})
			dir := t.TempDir()
			tr, err := sim.RenderDir(sc, dir)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			for _, set := range sim.EvidenceSets {
				o := tr.Evidence(set)
				if o == nil {
					continue
				}
				want := story(analyzeSet(t, dir, tr, o.Files))
				rep, dec := analyzeWithoutZone(t, dir, tr, o.Files, machine)
				got := story(rep)
				counts[dec.Source]++
				warned := zoneWarned(dec)
				if warned {
					counts["warned"]++
				}
				what := fmt.Sprintf("seed %d (%s, %s), evidence %s: %s from %s", seed, sc.Zone, sc.Platform, set, dec.Name, dec.Source)
				switch {
				case dec.Source == zone.SourceMachine && !warned:
					t.Errorf("%s without a warning that says so", what)
				case dec.Source != zone.SourceMachine && dec.Source != zone.SourceEvidence:
					t.Errorf("%s: want evidence or machine", what)
				case dec.Source == zone.SourceEvidence && len(dec.Evidence) == 0:
					t.Errorf("%s on no line", what)
				case got != want && !warned:
					t.Errorf("%s, no warning, but the story differs from the scenario's zone:\n%s", what, lineDiff(want, got))
				case dec.Source == zone.SourceMachine && !strings.Contains(fmt.Sprint(rep.Warnings), "warn.zone.machine"):
					t.Errorf("%s: the report's warnings %v lack the zone's", what, rep.Warnings)
				}
			}
		})
	}
	t.Logf("%d seeds: %d evidence sets whose zone came from the evidence, %d from the machine, %d warned", n, counts["evidence"], counts["machine"], counts["warned"])
	if n >= 30 && (counts["evidence"] < n || counts["machine"] == 0) {
		t.Errorf("the draw covers too little: %v (want the evidence to fix the zone in most sets, and some with no clue)", counts)
	}
}

// lineDiff lists the lines of a and b that differ, up to ten.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(x), len(y)) && len(out) < 20; i++ {
		var l, r string
		if i < len(x) {
			l = x[i]
		}
		if i < len(y) {
			r = y[i]
		}
		if l != r {
			out = append(out, "  want "+l, "  got  "+r)
		}
	}
	return strings.Join(out, "\n")
}
