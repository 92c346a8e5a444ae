package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/zone"
	"github.com/lmtriad/lmtriad/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// The goldens are the reports of the bundled sample as the command line prints them from the
// top of a checkout (paths read "samples/kgtn-2010120101/..."), without --tz where the files
// tell the zone. Every byte is reviewed.
var (
	goldenDir, _ = filepath.Abs(filepath.Join("testdata", "golden"))
	repoRoot, _  = filepath.Abs("..")
)

const sample = "samples/kgtn-2010120101"

// goldenCase is one golden report: the sample's files (all of them when none is named), the
// format, the language, a window, and whether it is the timeline.
type goldenCase struct {
	name         string
	dir          string // another sample than the KGTN one, read in zone
	zone         string
	files        []string
	format       string
	lang         string
	timeline     bool
	since, until string
	inconclusive bool // the analysis is inconclusive (not a triad): the report is still written
	tz           bool // the sample's: --tz Asia/Tokyo (else the zone is the one its files tell)
}

func TestGolden(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []goldenCase{
		{name: "kgtn.txt", format: "text"},
		{name: "kgtn.json", format: "json"},
		{name: "kgtn.md", format: "markdown"},
		{name: "kgtn.csv", format: "csv"},
		{name: "kgtn.html", format: "html"},
		{name: "kgtn-ja.txt", format: "text", lang: "ja"},
		{name: "kgtn-ja.md", format: "markdown", lang: "ja"},
		{name: "kgtn-ja.html", format: "html", lang: "ja"},
		{name: "kgtn-lmstat-only.txt", format: "text", files: []string{"lmstat.log", "license.dat"}, tz: true},
		{name: "kgtn-logs-only.txt", format: "text", files: []string{"server1.log", "server2.log", "server3.log", "license.dat"}},
		{name: "kgtn-timeline.txt", format: "text", timeline: true},
		{name: "kgtn-ja-timeline.txt", format: "text", lang: "ja", timeline: true, since: "2010-12-01T12:58:00+09:00", until: "2010-12-01T13:00:00+09:00"},
		// a network partition: the isolated status in every format that lists statuses
		{name: "partition.txt", format: "text", dir: "samples/partition", zone: "America/Chicago"},
		{name: "partition.json", format: "json", dir: "samples/partition", zone: "America/Chicago"},
		{name: "partition.csv", format: "csv", dir: "samples/partition", zone: "America/Chicago"},
		{name: "partition-lmprod3.txt", format: "text", dir: "samples/partition", zone: "America/Chicago", files: []string{"lmprod3.log"}},
		// a planned stop (the findings' planned flag) and verdict.others
		{name: "skewed-clocks.json", format: "json", dir: "samples/skewed-clocks", zone: "Asia/Tokyo"},
		// lmstat output pasted without its header: null times
		{name: "paste.json", format: "json", dir: "report/testdata/inputs/paste", zone: "Asia/Tokyo"},
		// one server's log: not a triad, still a report (severity inconclusive, exit 3)
		{name: "single.json", format: "json", dir: "report/testdata/inputs/single", zone: "UTC", inconclusive: true},
		{name: "single.txt", format: "text", dir: "report/testdata/inputs/single", zone: "UTC", inconclusive: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(repoRoot)
			dir, loc := sample, tokyo
			if tc.dir != "" {
				if dir, loc = tc.dir, nil; tc.zone != "" {
					if loc, err = time.LoadLocation(tc.zone); err != nil {
						t.Fatal(err)
					}
				}
			}
			paths := []string{dir}
			if tc.files != nil {
				paths = nil
				for _, f := range tc.files {
					paths = append(paths, dir+"/"+f)
				}
			}
			files, err := parser.ReadPaths(paths, parser.Options{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			// The zone as the command decides it: the sample's logs say Tokyo Standard Time in
			// their System Date lines; its lmstat output tells no zone (--tz Asia/Tokyo). The
			// other directories are given their zone (--tz).
			var given *time.Location
			if tc.tz || tc.dir != "" {
				given = loc
			}
			clues, from, to := zone.Evidence(files)
			dec := zone.Decide(clues, given, time.UTC, from, to)
			if loc != nil && (dec.Name != loc.String() || len(dec.Warnings) > 0) {
				t.Fatalf("the zone: %s from %s, warnings %v; want %s", dec.Name, dec.Source, dec.Warnings, loc)
			}
			cfg := analyze.Config{Location: loc, TimezoneSource: dec.Source}
			for _, c := range dec.Evidence {
				cfg.TimezoneEvidence = append(cfg.TimezoneEvidence, analyze.ZoneRef{File: c.File, Line: c.Line, Text: c.Text, Says: zone.Says(c)})
			}
			for _, b := range []struct {
				s string
				t *time.Time
			}{{tc.since, &cfg.Since}, {tc.until, &cfg.Until}} {
				if b.s != "" {
					if *b.t, err = time.Parse(time.RFC3339, b.s); err != nil {
						t.Fatal(err)
					}
				}
			}
			rep, err := analyze.Analyze(files, cfg)
			if tc.inconclusive != (err != nil) || rep == nil {
				t.Fatalf("Analyze: %v (report %v), want inconclusive %v", err, rep != nil, tc.inconclusive)
			}
			o := report.Options{Version: "0.1.0", Location: loc, Lang: tc.lang}
			var b bytes.Buffer
			switch {
			case tc.timeline && tc.format == "json":
				err = report.JSON(&b, rep, o, true)
			case tc.timeline:
				err = report.Timeline(&b, rep, o)
			default:
				err = report.Write(&b, tc.format, rep, o)
			}
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.String())
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (review, then go test ./report -update):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing lines.
func firstDiff(want, got string) string {
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
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + x + "\n  got:  " + y + "\n")
			if shown++; shown == 5 {
				break
			}
		}
	}
	return b.String()
}
