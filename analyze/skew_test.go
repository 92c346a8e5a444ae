package analyze_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

// shiftClock rewrites a debug log as if its server's clock ran d ahead: every envelope time
// and the "System Date and Time" line move by d (the sample does not cross midnight).
func shiftClock(t *testing.T, text string, d time.Duration) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	for k, l := range lines {
		trim := strings.TrimLeft(l, " ")
		sp := strings.IndexByte(trim, ' ')
		if sp < 0 {
			continue
		}
		tod, err := time.Parse("15:04:05", fmt.Sprintf("%08s", trim[:sp]))
		if err != nil {
			continue
		}
		shifted := tod.Add(d)
		rest := trim[sp:]
		if i := strings.Index(rest, "Server's System Date and Time: Wed Dec 01 2010 "); i >= 0 {
			j := i + len("Server's System Date and Time: Wed Dec 01 2010 ")
			rest = rest[:j] + shifted.Format("15:04:05") + rest[j+8:]
		}
		lines[k] = fmt.Sprintf("%2d:%s%s", shifted.Hour(), shifted.Format("04:05"), rest)
	}
	return strings.Join(lines, "")
}

func readText(t *testing.T, name, text string) *parser.File {
	t.Helper()
	f, err := parser.Read(strings.NewReader(text), name, parser.Options{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sampleText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sampleDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The sample with server2's clock 150 s ahead and server3's 40 s behind (the monitoring host on
// time): the offsets are found from the mirrored "Connected to" lines, the states are those of
// the plain sample at nearly the same times, and only server2 has a clock-skew finding.
func TestSkewEstimated(t *testing.T) {
	files := []*parser.File{
		readText(t, "license.dat", sampleText(t, "license.dat")),
		readText(t, "lmstat.log", sampleText(t, "lmstat.log")),
		readText(t, "server1.log", sampleText(t, "server1.log")),
		readText(t, "server2.log", shiftClock(t, sampleText(t, "server2.log"), 150*time.Second)),
		readText(t, "server3.log", shiftClock(t, sampleText(t, "server3.log"), -40*time.Second)),
	}
	rep, err := analyze.Analyze(files, analyze.Config{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"server1": 0, "server2": 150 * time.Second, "server3": -40 * time.Second, "lmstat": 0}
	for _, s := range rep.Clock.Skew {
		w, ok := want[s.Server]
		if !ok {
			t.Errorf("unexpected clock %s", s.Server)
			continue
		}
		if d := s.Offset - w; d > 15*time.Second || d < -15*time.Second {
			t.Errorf("%s offset %v, want %v within 15 s (%s, %d pairs)", s.Server, s.Offset, w, s.Method, s.Pairs)
		}
		wantMethod := "estimated"
		if s.Server == "server1" {
			wantMethod = "reference"
		}
		if s.Method != wantMethod || (wantMethod == "estimated" && s.Pairs == 0) {
			t.Errorf("%s method %s with %d pairs, want %s", s.Server, s.Method, s.Pairs, wantMethod)
		}
	}
	plain, err := analyze.Analyze(readSample(t, "license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"), analyze.Config{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Intervals) != len(plain.Intervals) {
		t.Fatalf("%d intervals, want %d:\n%s", len(rep.Intervals), len(plain.Intervals), dump(rep))
	}
	for k := range rep.Intervals {
		got, w := rep.Intervals[k], plain.Intervals[k]
		if got.State != w.State {
			t.Errorf("interval %d is %s, want %s", k, got.State, w.State)
		}
		if d := got.Start.Sub(w.Start); d > 5*time.Second || d < -5*time.Second {
			t.Errorf("interval %d (%s) starts at %s, want %s within 5 s", k, got.State, got.Start.Format("15:04:05"), w.Start.Format("15:04:05"))
		}
	}
	var skewed []string
	for _, f := range rep.Findings {
		if f.Code == "clock-skew" {
			skewed = append(skewed, f.Server)
		}
	}
	if strings.Join(skewed, ",") != "server2" {
		t.Errorf("clock-skew findings for %v, want server2 only", skewed)
	}
	if rep.Verdict.State != analyze.FailedRejoin || rep.Verdict.ExitCode != 1 {
		t.Errorf("verdict %s exit %d", rep.Verdict.State, rep.Verdict.ExitCode)
	}
}

// A given offset wins over the estimate.
func TestSkewGivenWins(t *testing.T) {
	files := []*parser.File{
		readText(t, "license.dat", sampleText(t, "license.dat")),
		readText(t, "server1.log", sampleText(t, "server1.log")),
		readText(t, "server2.log", shiftClock(t, sampleText(t, "server2.log"), 150*time.Second)),
		readText(t, "server3.log", sampleText(t, "server3.log")),
	}
	rep, err := analyze.Analyze(files, analyze.Config{Location: tokyo, Skew: map[string]time.Duration{"server2": 100 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Clock.Skew {
		if s.Server == "server2" && (s.Method != "given" || s.Offset != 100*time.Second) {
			t.Errorf("server2: %v %s, want the given 100s", s.Offset, s.Method)
		}
	}
}

// A partition is not a skewed clock: server1 lost server2 at 09:05, but server2's own log
// lost server1 then too and ran on for half an hour. Its going silent later says nothing
// about its clock, so no offset is estimated from it.
func TestSkewNotFromPartition(t *testing.T) {
	rep := readAnalyze(t, analyze.Config{}, licenseDat(""),
		debugLog("server1.log",
			ln("9:00:00", "lmgrd", "TIMESTAMP 12/1/2010"),
			ln("9:05:00", "lmgrd", "Lost connection to server2"),
			ln("9:40:00", "lmgrd", "TIMESTAMP 12/1/2010"),
		),
		debugLog("server2.log",
			ln("9:00:00", "lmgrd", "TIMESTAMP 12/1/2010"),
			ln("9:05:01", "lmgrd", "Lost connection to server1"),
			ln("9:05:01", "lmgrd", "Lost connection to server3"),
			ln("9:35:00", "lmgrd", "TIMESTAMP 12/1/2010"),
		))
	for _, s := range rep.Clock.Skew {
		if s.Server == "server2" && (s.Offset != 0 || s.Method == "estimated") {
			t.Errorf("server2 offset %v (%s), want none: a partition is not a skew", s.Offset, s.Method)
		}
	}
	if len(findings(rep, "clock-skew")) != 0 {
		t.Error("clock-skew finding from a partition")
	}
}
