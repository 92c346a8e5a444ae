package sim_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/samples/sim"
)

// regressionSeeds run first, on every run of TestProperty: seeds beyond the default range that
// failed, one or two for each analyzer bug below (they stay in knownFailures
// until the bug is fixed), so that a fix is noticed and a bug that returns is caught. 2003: the
// findings panicked on a primary's return first seen at an edge of the evidence (no line).
var regressionSeeds = []int64{304, 383, 439, 356, 1723, 306, 315, 302, 346, 521, 689, 984, 1108, 1322, 1421, 1433, 1127, 2003}

// bugs are the analyzer disagreements that the known failures show, by letter (C, stale links,
// D, lmstat runs dropped, E, servers without a log, F, ties, G, the isolated status and
// evidence that stops speaking (issue 15), and A, the repeated DST hour, are fixed).
var bugs = map[string]string{
	"E": "missing log: a peer's CONNECTED / selected (EXISTING) master / Connected to line about a server without " +
		"a log is applied only when that server is not up (analyze/sweep.go apply): it does not restore the quorum " +
		"of a server that lmstat showed up without it (-20), and does not count as a log line newer than a " +
		"snapshot of the same run window",
	"F": "a log line and an unstamped snapshot of the same minute: the line now wins from the minute's first " +
		"second (analyze/sweep.go applySnapshot); seed 287 still differs and is not yet understood",
	"H": "a log line and a stamped snapshot two seconds apart, closer than the error of the estimated clock " +
		"offsets: which came first is a coin toss for the analyzer (the truth knows the offsets exactly), so a " +
		"two-second interval the truth has may be missing",
}

type knownKey struct {
	seed int64
	set  string
}

// knownFailures are evidence sets that fail because of an analyzer bug (a letter of bugs),
// found among seeds 1 to 300 and regressionSeeds with the variation below. They are skipped
// with "KNOWN: ..." so that CI stays green, and reported as an error once they pass: then
// remove them. (Bugs A and B, the repeated DST hour in logs east of UTC and in unstamped
// lmstat headers, are fixed in the parser; seeds 301 to 3300 were checked after the fix of G.)
var knownFailures = map[knownKey]string{
	{1127, "both"}:             "H",
	{1127, "both-minus-lic-c"}: "H",
	// H again, found over seeds 301 to 3300: an lmstat run in the same second as a peer's
	// Lost connection line (2394), two seconds before a banner (2019).
	{2019, "both"}:                "H",
	{2394, "both-minus-flexlm03"}: "H",
}

var (
	propertyN     = flag.Int("property", 300, "TestProperty checks N seeds from -property-from (and regressionSeeds, and a seed named by -run 'TestProperty/seed=N$')")
	propertyFrom  = flag.Int("property-from", 1, "TestProperty: the first of the N seeds (to explore further seeds)")
	propertyDST   = flag.Float64("property-dst", 0.4, "TestProperty: the chance that a seed's incident crosses a DST change")
	propertyKnown = flag.Bool("property-known", true, "TestProperty: skip the known failures (false: report every disagreement)")
	propertyOut   = flag.String("property-out", "", "TestProperty: also render each scenario it checks into DIR/seed-N (with scenario.json, truth.json and README.md)")
)

// variation is the hostile variation a seed chooses: clock offsets, fault density, lmstat
// gaps, DST and a missing log (the platform, Windows with CRLF or Linux, is drawn by Random).
type variation struct {
	opts    sim.RandomOptions
	missing int // the server whose log is missing from the "-minus-" evidence sets, -1 none
}

func variationOf(seed int64) variation {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	v := variation{missing: -1, opts: sim.HostileOptions(r, *propertyDST)}
	if r.IntN(4) != 0 {
		v.missing = r.IntN(3)
	}
	// SkewLmstat stays off: an analyzer can only bound the lmstat host's clock against the
	// logs (doc.go, "Known limits").
	return v
}

// scenario draws the seed's scenario. When the primary's log is missing, the reference clock
// of the sets without it is the secondary's: the secondary gets the primary's offset, so that
// the lmstat host stays on the reference clock of every set (see SkewLmstat).
// When that makes a line in an hour that repeats unreadable (Random placed the incident for
// the drawn offsets), the secondary's log is the missing one instead.
func (v *variation) scenario(seed int64) sim.Scenario {
	sc := sim.Random(seed, v.opts)
	if v.missing == 0 {
		own := sc.Servers[1].Offset
		sc.Servers[1].Offset = sc.Servers[0].Offset
		if n, err := sim.UnreadableLines(sc); err != nil || n > 0 {
			sc.Servers[1].Offset, v.missing = own, 1
		}
	}
	return sc
}

// describe says what the seed drew, for failure messages.
func (v variation) describe(sc sim.Scenario, tr sim.Truth) string {
	var parts []string
	parts = append(parts, sc.Zone, sc.Platform)
	if sc.Zone != "UTC" {
		loc, _ := time.LoadLocation(sc.Zone)
		_, o1 := tr.Start.In(loc).Zone()
		_, o2 := tr.End.In(loc).Zone()
		switch {
		case o2 > o1:
			parts = append(parts, "across the spring DST change")
		case o2 < o1:
			parts = append(parts, "across the autumn DST change (an hour repeats)")
		}
	}
	var offs []string
	for _, s := range tr.Servers {
		offs = append(offs, fmt.Sprintf("%s %+ds", s.Name, s.OffsetSeconds))
	}
	parts = append(parts, "clocks "+strings.Join(offs, ", "), fmt.Sprintf("%d faults", len(sc.Faults)))
	if l := tr.Lmstat; l != nil {
		stamps := "no stamps"
		if l.Stamps {
			stamps = "stamps"
		}
		parts = append(parts, fmt.Sprintf("lmstat every %ds, %s", l.IntervalSeconds, stamps))
		for _, g := range l.Gaps {
			parts = append(parts, fmt.Sprintf("lmstat gap %s-%s", g.Start.Format("15:04:05"), g.End.Format("15:04:05")))
		}
	}
	if logs, snaps := tr.RepeatedHour(); logs+snaps > 0 {
		parts = append(parts, fmt.Sprintf("in the hour that repeats: %d log lines, %d unstamped snapshots", logs, snaps))
	}
	if v.missing >= 0 {
		parts = append(parts, tr.Servers[v.missing].Name+"'s log missing from the -minus- sets")
	}
	return strings.Join(parts, "; ")
}

// propertySeeds: regressionSeeds first, then 1 to N, then a seed that -run names.
func propertySeeds() []int64 {
	seen := map[int64]bool{}
	var out []int64
	add := func(s int64) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range regressionSeeds {
		add(s)
	}
	n := *propertyN
	if testing.Short() {
		n = min(n, 20)
	}
	for s := int64(*propertyFrom); s < int64(*propertyFrom+n); s++ {
		add(s)
	}
	if f := flag.Lookup("test.run"); f != nil {
		for _, m := range regexp.MustCompile(`TestProperty/seed=(\d+)`).FindAllStringSubmatch(f.Value.String(), -1) {
			if s, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				add(s)
			}
		}
	}
	return out
}

// TestProperty: for random fault sequences with hostile variation chosen by the seed (skewed
// clocks, one server's log missing, lmstat gaps, DST, Windows/CRLF or Linux), the analyzer's
// intervals for each set of evidence (lmstat only, logs only, both; with one log missing,
// logs and both without it) have the states truth says that evidence can show, each boundary
// within the truth's tolerance: max(2 lmstat intervals, 3 min) of the first moment it shows it.
// Each seed is a subtest (TestProperty/seed=N), each evidence set a subtest of it.
func TestProperty(t *testing.T) {
	for _, seed := range propertySeeds() {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { checkProperty(t, seed) })
	}
}

type evidenceSet struct {
	name string
	o    *sim.Observed
}

// propertySets are the evidence sets checked for a seed: truth.json's, and with a log missing,
// "logs" and "both" without it.
func propertySets(t *testing.T, seed int64, v variation, tr sim.Truth) []evidenceSet {
	var sets []evidenceSet
	for _, name := range sim.EvidenceSets {
		o := tr.Evidence(name)
		if o == nil {
			continue
		}
		// Observe on the same files is the same as truth.json's set
		again, err := tr.Observe(o.Files)
		if err != nil {
			t.Fatalf("seed %d: Observe(%v): %v", seed, o.Files, err)
		}
		if fmt.Sprint(again.Intervals) != fmt.Sprint(o.Intervals) || again.Reference != o.Reference {
			t.Fatalf("seed %d: Observe(%v) differs from truth.json's %q set:\n%v\n%v", seed, o.Files, name, again.Intervals, o.Intervals)
		}
		sets = append(sets, evidenceSet{name, o})
	}
	if v.missing < 0 {
		return sets
	}
	log := tr.Servers[v.missing].Log
	for _, name := range []string{"both", "logs"} {
		if name == "both" && tr.Observed.Lmstat == nil {
			continue // no lmstat: "both" is "logs"
		}
		var files []string
		for _, f := range tr.Evidence(name).Files {
			if f != log {
				files = append(files, f)
			}
		}
		o, err := tr.Observe(files)
		if err != nil {
			t.Fatalf("seed %d: Observe(%v): %v", seed, files, err)
		}
		sets = append(sets, evidenceSet{name + "-minus-" + tr.Servers[v.missing].Name, o})
	}
	return sets
}

func checkProperty(t *testing.T, seed int64) {
	v := variationOf(seed)
	sc := v.scenario(seed)
	dir := t.TempDir()
	if *propertyOut != "" {
		dir = filepath.Join(*propertyOut, fmt.Sprintf("seed-%d", seed))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "scenario.json"), sc.JSON(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := sim.RenderDir(sc, dir)
	if err != nil {
		t.Fatalf("seed %d: Render: %v", seed, err)
	}
	tol := time.Duration(tr.ToleranceSeconds) * time.Second
	for _, s := range propertySets(t, seed, v, tr) {
		t.Run(s.name, func(t *testing.T) {
			rep := analyzeSet(t, dir, tr, s.o.Files)
			diff := compare(rep, s.o, tol)
			why, known := knownFailures[knownKey{seed, s.name}]
			if !*propertyKnown {
				known = false
			}
			switch {
			case diff != "" && known:
				t.Skipf("KNOWN: %s\nseed %d, evidence %s (%s):\n%s", bugs[why], seed, s.name, v.describe(sc, tr), diff)
			case diff != "":
				t.Errorf("seed %d, evidence %s (%s):\n%s\nreproduce: go test ./samples/sim -run 'TestProperty/seed=%d$' -v (add -property-out DIR to keep the files)",
					seed, s.name, v.describe(sc, tr), diff, seed)
			case known:
				t.Errorf("seed %d, evidence %s passes now: remove it from knownFailures (%s)", seed, s.name, why)
			}
		})
	}
}
