package analyze_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// variantLog is server2's log of crashInLogs with its triad lines after the cold start in
// other wordings (invented: no public triad log shows another version's), and a few ordinary
// lines that name no peer.
func variantLog() (input, []string) {
	variants := []string{
		ln("9:21:19", "lmgrd", "Connection to server1 lost"),
		ln("9:21:19", "lmgrd", "Lost the connection with server1"),
		ln("9:21:19", "lmgrd", "Connection to the master was lost"),
		ln("9:21:20", "lmgrd", "heartbeat from server1 timed out"),
		ln("9:21:25", "lmgrd", "Quorum lost"),
		ln("9:22:00", "lmgrd", "connected with server3"),
		ln("9:22:30", "lmgrd", "master is now server2"),
		ln("9:22:31", "bm", "server1 and server2 disagree on the master"),
		ln("9:22:32", "bm", "Lost the connection with server3"), // a vendor daemon's: named a peer
		ln("9:23:00", "lmgrd", "server3 went away"),             // names a peer, no triad word
	}
	ordinary := []string{
		ln("9:22:30", "lmgrd", "Starting vendor daemons ... "),
		ln("9:22:31", "bm", "INFO: Unable to connect to MSC compliance server, or invalid status "),
		ln("9:22:32", "bm", "Server started on server2 for:\tbm_solver"),
		ln("9:22:33", "lmgrd", "Rereading license file... Requested from admin@server3"),
		ln("9:22:34", "lmgrd", "License file(s): C:\\flexlm\\server3.lic"),
		ln("9:22:35", "bm", "server2 is its own host"), // its own name is no news of a peer
	}
	return debugLog("server2.log", concat(
		coldStart("server2", "9:00:05", "9:00:30", "server1", "server1", "server3"),
		variants, ordinary,
		[]string{ln("9:40:00", "bm", `IN: "bm_solver" tanaka@pc-0123  `)},
	)...), variants
}

// unknownWording returns the report's warnings about lines in a wording lmtriad does not know,
// rendered in English.
func unknownWording(rep *analyze.Report) []string {
	var out []string
	for _, w := range rep.Warnings {
		if strings.HasPrefix(w.Key, "warn.unknown-wording") {
			out = append(out, catalog.English(w))
		}
	}
	return out
}

// TestUnknownWording: a log whose triad lines are in wordings lmtriad does not know gives one
// warning naming the file, the count and the first five lines; they count as unrecognized.
func TestUnknownWording(t *testing.T) {
	ins := crashInLogs()
	log, variants := variantLog()
	ins[2] = log
	rep, err := analyzeInputs(t, analyze.Config{}, ins...)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	got := unknownWording(rep)
	var samples []string
	for _, v := range variants[:5] {
		n := strings.Index(log.text, v)
		samples = append(samples, fmt.Sprintf("server2.log:%d %s", strings.Count(log.text[:n], "\n")+1, strings.TrimSpace(v)))
	}
	want := fmt.Sprintf("server2.log: %d lines look like triad news in a wording lmtriad does not know; the analysis may be missing them: %s",
		len(variants), strings.Join(samples, ", "))
	if len(got) != 1 || got[0] != want {
		t.Fatalf("warnings about unknown wording:\n%q\nwant\n%q", got, want)
	}
	var in analyze.InputInfo
	for _, x := range rep.Inputs {
		if x.Path == "server2.log" {
			in = x
		}
	}
	if in.Unrecognized != len(variants) || in.Recognized+in.Unrecognized != in.Lines {
		t.Errorf("server2.log: %d lines, %d recognized, %d unrecognized; want %d unrecognized", in.Lines, in.Recognized, in.Unrecognized, len(variants))
	}
	if rep.Stats.Unrecognized != len(variants) {
		t.Errorf("stats.unrecognized = %d, want %d", rep.Stats.Unrecognized, len(variants))
	}

	// One such line: the sentence is in the singular. A log no member is said to have written
	// (fewer than three servers named) counts only the lines that read as news.
	rep = mustAnalyze(t, analyze.Config{}, licenseDat(""), debugLog("server2.log", concat(
		coldStart("server2", "9:00:05", "9:00:30", "server1", "server1", "server3"),
		[]string{ln("9:21:25", "lmgrd", "Quorum lost"), ln("9:40:00", "lmgrd", "TIMESTAMP 12/1/2010")})...))
	if got := unknownWording(rep); len(got) != 1 || !strings.HasPrefix(got[0], "server2.log: 1 line looks like triad news") {
		t.Errorf("one line: %q", got)
	}
}

// TestUnknownWordingLmstat: lines of no known form in the server section of lmstat runs (a
// status lmtriad does not know, an error code it does not read) give one warning with the
// count of lines and samples, each text once (runs repeat their lines).
func TestUnknownWordingLmstat(t *testing.T) {
	run := func(hhmm string) string {
		return strings.Join([]string{
			"lmutil - Copyright (c) 1989-2007 Macrovision Europe Ltd. and/or Macrovision Corporation. All Rights Reserved.",
			"Flexible License Manager status on Wed 12/1/2010 " + hhmm,
			"",
			"License server status: 27001@server1,27001@server2,27001@server3",
			"    License file(s) on server1: C:\\flexlm\\license.dat:",
			"",
			"   server1: license server UP (MASTER) v10.8",
			"   server2: license server DEGRADED v11.19",
			"   server3: some new error (-199,1)",
			"",
			"Vendor daemon status (on server1):",
			"",
			"        bm: UP v10.8",
			"",
		}, "\n")
	}
	rep := readAnalyze(t, analyze.Config{}, licenseDat(""), input{"lmstat.log", run("09:00") + run("09:01")})
	want := "lmstat.log: 4 lines of lmstat's server section are in a form lmtriad does not know; the analysis may be missing what they say: " +
		"lmstat.log:8 server2: license server DEGRADED v11.19, lmstat.log:9 server3: some new error (-199,1)"
	if got := unknownWording(rep); len(got) != 1 || got[0] != want {
		t.Errorf("warnings about unknown wording:\n%q\nwant\n%q", got, want)
	}
	if rep.Stats.Unrecognized != 4 || rep.Inputs[1].Unrecognized != 4 {
		t.Errorf("unrecognized: stats %d, input %d; want 4", rep.Stats.Unrecognized, rep.Inputs[1].Unrecognized)
	}
}

// TestLineWarningsInReport: the readers' line warnings are in the report, not only on stderr:
// one as it is, several of a kind as one sentence with their count and the first three, and
// those the reader did not keep as a count.
func TestLineWarningsInReport(t *testing.T) {
	lines := []string{ln("9:00:00", "lmgrd", "TIMESTAMP 12/1/2010")}
	for i := 0; i < 5; i++ {
		lines = append(lines, ln(fmt.Sprintf("9:0%d:00", i+1), "lmgrd", "TIMESTAMP 12/1/2099")) // after this machine's clock
	}
	lines = append(lines, ln("9:10:00", "lmgrd", strings.Repeat("x", parser.MaxLine+10)), "no envelope here")
	log := debugLog("server1.log", lines...)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	f, err := parser.Read(strings.NewReader(log.text), log.name, parser.Options{Location: tokyo, Now: now, MaxWarnings: 6})
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := analyze.Analyze([]*parser.File{f}, analyze.Config{Location: tokyo})
	if rep == nil {
		t.Fatal("no report")
	}
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, catalog.English(w))
	}
	want := []string{
		"server1.log: 5 lines with the same kind of warning, the first: " +
			"server1.log:2: date 12/1/2099 is after this machine's clock (2024-01-01) by more than a day; the line's date is not trusted, " +
			"server1.log:3: date 12/1/2099 is after this machine's clock (2024-01-01) by more than a day; the line's date is not trusted, " +
			"server1.log:4: date 12/1/2099 is after this machine's clock (2024-01-01) by more than a day; the line's date is not trusted",
		"server1.log:7: line longer than 1 MiB, cut",
		"server1.log: 1 more line warning, not kept",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNoUnknownWordingInRealFiles: the real files (../shared/realworld, each alone) and every
// sample incident give no warning about unknown wording: the rule does not take their ordinary
// lines for triad news. It names the lines it would have flagged.
func TestNoUnknownWordingInRealFiles(t *testing.T) {
	var incidents [][]string
	realworld := filepath.Join("..", "..", "shared", "realworld")
	filepath.WalkDir(realworld, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name() != "SOURCES.md" {
			incidents = append(incidents, []string{p})
		}
		return nil
	})
	if len(incidents) == 0 {
		t.Logf("no real files at %s", realworld)
	}
	dirs, _ := filepath.Glob(filepath.Join("..", "samples", "*", "license.dat"))
	for _, d := range dirs {
		incidents = append(incidents, []string{filepath.Dir(d)})
	}
	if len(dirs) < 10 {
		t.Errorf("only %d samples found", len(dirs))
	}
	examined, kept := 0, 0
	for _, paths := range incidents {
		files, err := parser.ReadPaths(paths, parser.Options{Location: tokyo})
		if err != nil {
			t.Errorf("%s: %v", paths, err)
			continue
		}
		for _, f := range files {
			examined += f.Lines
			kept += len(f.Suspects)
		}
		rep, _ := analyze.Analyze(files, analyze.Config{Location: tokyo})
		if rep == nil {
			t.Errorf("%s: no report", paths)
			continue
		}
		for _, w := range unknownWording(rep) {
			t.Errorf("%s: %s", paths, w)
		}
		for _, w := range rep.Warnings {
			if w.Key == "warn.unknown-wording" || w.Key == "warn.unknown-wording.one" {
				for _, s := range w.Args["samples"].(msg.Seq) {
					t.Logf("  flagged: %s", catalog.English(s))
				}
			}
		}
	}
	t.Logf("%d incidents, %d lines read, %d kept as suspects, none flagged", len(incidents), examined, kept)
}

// Inputs read, but no moment classified (every server line in a wording lmtriad does not
// know) and no finding: too little evidence, exit 3 (TRIAD.md 5), not a healthy triad.
func TestNothingClassifiedIsInconclusive(t *testing.T) {
	text := lmstat("09:00-09:10 MUU").text
	text = strings.ReplaceAll(text, "license server UP", "License server UP")
	rep, err := analyzeInputs(t, analyze.Config{}, licenseDat(""), input{"lmstat.log", text})
	if !errors.Is(err, analyze.ErrNoEvidence) || rep == nil || rep.Verdict.ExitCode != 3 || rep.Verdict.Severity != analyze.SeverityInconclusive {
		t.Fatalf("err %v, verdict %+v; want ErrNoEvidence, inconclusive, exit 3", err, rep.Verdict)
	}
	if len(rep.Intervals) == 0 || len(unknownWording(rep)) != 1 {
		t.Errorf("the report keeps its unknown intervals and the warning: %d intervals, warnings %v", len(rep.Intervals), rep.Warnings)
	}
}
