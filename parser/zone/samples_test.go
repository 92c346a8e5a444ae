package zone_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/zone"
)

// evidence reads inputs as the command will: every clue, and the span of the dated lines.
func evidence(t *testing.T, paths ...string) (clues []parser.ZoneClue, from, to time.Time) {
	t.Helper()
	files, err := parser.ReadPaths(paths, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clues, from, to = zone.Evidence(files)
	return clues, from, to
}

// equivalent tells whether a and b give the same offsets at every instant whose local time
// lies between from and to (read as clock fields): the times of the inputs come out the same.
func equivalent(a, b *time.Location, from, to time.Time) bool {
	start := time.Date(from.Year(), from.Month(), from.Day(), from.Hour(), from.Minute(), from.Second(), 0, time.UTC).Add(-14 * time.Hour)
	end := time.Date(to.Year(), to.Month(), to.Day(), to.Hour(), to.Minute(), to.Second(), 0, time.UTC).Add(12 * time.Hour)
	for t := start; !t.After(end); t = t.Add(15 * time.Minute) {
		_, oa := t.In(a).Zone()
		_, ob := t.In(b).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

// TestSamples: the zone each sample incident's own lines tell, decided on a machine in a zone
// none of them is in.
func TestSamples(t *testing.T) {
	machine := load(t, "America/Denver")
	want := map[string]string{ // sample -> a zone whose rules the decision must have ("" for the machine's)
		"crash-and-return":    "Europe/Berlin",    // W. Europe Daylight Time
		"hang-with-log-storm": "Europe/London",    // GMT in February
		"kgtn-2010120101":     "Asia/Tokyo",       // Tokyo Standard Time in its System Date lines
		"kgtn-2010120101-sim": "Asia/Tokyo",       // Tokyo Standard Time
		"linux-dst":           "America/New_York", // EDT, EST and stamps at -04:00 and -05:00
		"no-quorum":           "",                 // no clue
		"order-mismatch":      "Asia/Tokyo",       // Tokyo Standard Time
		"skewed-clocks":       "Asia/Tokyo",       // JST
		"split-brain":         "America/Chicago",  // CDT (which Cuba writes too: warned)
		"partition":           "America/Chicago",  // CST in February (which Cuba and China write too: warned)
		"vendor-restart-loop": "Asia/Kolkata",     // India Standard Time
	}
	dirs, err := os.ReadDir(filepath.Join("..", "..", "samples"))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range dirs {
		dir := filepath.Join("..", "..", "samples", e.Name())
		if !e.IsDir() || !hasInputs(dir) {
			continue
		}
		seen++
		t.Run(e.Name(), func(t *testing.T) {
			clues, from, to := evidence(t, dir)
			d := zone.Decide(clues, nil, machine, from, to)
			t.Logf("%s (%s) on %v, %s to %s\n%s", d.Name, d.Source, ats(d.Evidence), from.Format(time.DateTime), to.Format(time.DateTime), english(d.Warnings))
			w, ok := want[e.Name()]
			switch {
			case !ok:
				t.Errorf("a sample without an expected zone: add it to the table (decided %s from %s)", d.Name, d.Source)
			case w == "":
				if d.Source != zone.SourceMachine || d.Name != machine.String() {
					t.Errorf("%s from %s, want the machine's zone", d.Name, d.Source)
				}
			default:
				if d.Source != zone.SourceEvidence {
					t.Errorf("source %s, want evidence", d.Source)
				}
				if !equivalent(d.Loc, load(t, w), from, to) {
					t.Errorf("%s does not give %s's offsets over %s to %s", d.Name, w, from, to)
				}
				if len(d.Evidence) == 0 {
					t.Error("no evidence named")
				}
			}
		})
	}
	if seen < len(want) {
		t.Errorf("%d sample incidents found, %d expected", seen, len(want))
	}
}

// hasInputs tells a sample incident's folder (one with log files) from the tools beside them.
func hasInputs(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	return len(m) > 0
}

// realworld is the folder of public FlexLM files beside the checkout (see its SOURCES.md).
const realworld = "../../../shared/realworld"

// TestRealWorld: the decision on each public file alone, logged; the files whose lines name a
// zone give it.
func TestRealWorld(t *testing.T) {
	if st, err := os.Stat(realworld); err != nil || !st.IsDir() {
		t.Skipf("%s not present", realworld)
	}
	type expect struct {
		zone string   // a zone whose rules the decision must have
		warn []string // warning codes
	}
	want := map[string]expect{ // file -> decision; the others have no clue and fall back to the machine's
		"FlexLM-Log-Parser/debug.log":                   {zone: "America/New_York"}, // Eastern Daylight Time
		"flexlm_reporter/ansys.2017-01-08_17_17_45.log": {zone: "America/New_York"}, // EST, January only
		// One EST line on 18 February in a log that runs to June: whether the clock moved to
		// summer time in March (New York) or not (Cancun, Panama) no line tells.
		"flexlm_reporter/ansys.2017-02-18_10_03_36.log":  {zone: "America/New_York", warn: []string{"warn.zone.ambiguous"}},
		"flexlm_reporter/ansys.2017-06-08_09_49_41.log":  {zone: "America/New_York"}, // EDT
		"parse_lmgrd_log/lmgrd_45_r001.head-excerpt.log": {zone: "Asia/Kolkata"},     // India Standard Time
		"parse_lmgrd_log/lmgrd_anonym.log":               {zone: "Europe/Paris"},     // Romance Standard Time
		"flexlm-license-elk/sample.log":                  {zone: "Europe/Paris"},     // Romance Daylight Time
	}
	machine := load(t, "America/Denver")
	n := 0
	err := filepath.WalkDir(realworld, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() || e.Name() == "SOURCES.md" {
			return err
		}
		n++
		rel, _ := filepath.Rel(realworld, p)
		rel = filepath.ToSlash(rel)
		t.Run(strings.ReplaceAll(rel, "/", "_"), func(t *testing.T) {
			clues, from, to := evidence(t, p)
			d := zone.Decide(clues, nil, machine, from, to)
			t.Logf("%s: %s (%s) on %d lines\n%s", rel, d.Name, d.Source, len(d.Evidence), english(d.Warnings))
			w, ok := want[rel]
			if !ok {
				if d.Source != zone.SourceMachine {
					t.Errorf("%s from %s, want the machine's zone", d.Name, d.Source)
				}
				return
			}
			if d.Source != zone.SourceEvidence || !equivalent(d.Loc, load(t, w.zone), from, to) {
				t.Errorf("%s from %s, want %s from the evidence", d.Name, d.Source, w.zone)
			}
			if got := keys(d.Warnings); !slices.Equal(got, w.warn) {
				t.Errorf("warnings %v, want %v", got, w.warn)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skipf("%s holds no input files", realworld)
	}
}
