package analyze_test

import (
	"bytes"
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

// A link or master line whose known start goes on in a wording lmtriad does not know names
// no member where the member should be ("master node server2"): it is warned of with its
// line, not dropped silently (TRIAD.md 3).
func TestStrangePeerWarned(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	var fs []*parser.File
	for _, n := range []string{"license.dat", "server1.log", "server2.log", "server3.log"} {
		fs = append(fs, sampleFile(t, "kgtn-2010120101", n, n, loc, func(b []byte) []byte {
			return bytes.Replace(b, []byte("11:31:40 (lmgrd) selected (EXISTING) master server2"), []byte("11:31:40 (lmgrd) Selected (EXISTING) master node server2."), 1)
		}))
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Warnings {
		if strings.HasPrefix(w.Key, "warn.unknown-wording") && strings.Contains(catalog.English(w), "server1.log:115") {
			return
		}
	}
	t.Errorf("no unknown-wording warning naming server1.log:115; warnings %v", rep.Warnings)
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

// "Lost connection to master" is a lost connection to the master the observer named: with
// the "Lost connection to X" lines in a wording lmtriad does not know (warned of), the logs
// of kgtn-2010120101 still give the timeline they give as written, not a crashed master up
// and master for 74 minutes beside the new one.
func TestLostMasterEndsTheLink(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	run := func(edit func([]byte) []byte) string {
		var fs []*parser.File
		for _, n := range []string{"license.dat", "server1.log", "server2.log", "server3.log"} {
			fs = append(fs, sampleFile(t, "kgtn-2010120101", n, n, loc, edit))
		}
		rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, iv := range rep.Intervals {
			fmt.Fprintf(&b, "%s %s %v\n", iv.Start.In(loc).Format("15:04:05"), iv.State, iv.Masters)
		}
		return b.String()
	}
	want := run(nil)
	got := run(func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte("(lmgrd) Lost connection to server"), []byte("(lmgrd) Lost Connection to server"))
	})
	if got != want {
		t.Errorf("with the Lost connection to X lines unread:\n%swant (as written):\n%s", got, want)
	}
}

// A line of lmgrd about its life cycle in a wording lmtriad does not know (a stop on purpose,
// an exit) is news: warned of with its line, although it names only its own server.
func TestStopWordingWarned(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to string }{
		{"(lmgrd) SHUTDOWN request from admin at node fnp-muc3", "(lmgrd) SHUTDOWN now request from admin at node fnp-muc3"},
		{"(lmgrd) EXITING DUE TO SIGNAL 15", "(lmgrd) EXITING now DUE TO SIGNAL 15"},
	} {
		f := sampleFile(t, "crash-and-return", "fnp-muc3.log", "fnp-muc3.log", loc, func(b []byte) []byte {
			if !bytes.Contains(b, []byte(c.from)) {
				t.Fatalf("no line %q", c.from)
			}
			return bytes.Replace(b, []byte(c.from), []byte(c.to), 1)
		})
		var fs []*parser.File
		for _, n := range []string{"license.dat", "fnp-muc1.log", "fnp-muc2.log"} {
			fs = append(fs, sampleFile(t, "crash-and-return", n, n, loc, nil))
		}
		rep, err := analyze.Analyze(append(fs, f), analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		if got := unknownWording(rep); len(got) != 1 || !strings.Contains(got[0], c.to[len("(lmgrd) "):]) {
			t.Errorf("%q: warnings about unknown wording %q", c.to, got)
		}
	}
}

// A server whose own log loses its last link is outside every quorum: isolated, whether or
// not its "lmgrd lost quorum" line follows (here deleted from the partition sample, as a cut
// or an unknown wording would): the 39-minute partition is degraded with lmprod3 isolated,
// not normal.
func TestLastLinkLostIsIsolated(t *testing.T) {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	var fs []*parser.File
	for _, n := range []string{"license.dat", "lmprod1.log", "lmprod2.log", "lmprod3.log"} {
		fs = append(fs, sampleFile(t, "partition", n, n, loc, func(b []byte) []byte {
			line := []byte("10:13:19 (lmgrd) lmgrd lost quorum.  lmgrd will now only\n")
			if n == "lmprod3.log" && !bytes.Contains(b, line) {
				t.Fatal("no lost quorum line to delete")
			}
			return bytes.Replace(b, line, nil, 1)
		}))
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	x := time.Date(2024, 2, 13, 10, 30, 0, 0, loc)
	for _, iv := range rep.Intervals {
		if !x.Before(iv.Start) && x.Before(iv.End) {
			if iv.State != analyze.Degraded || iv.Servers[2].Status != analyze.StatusIsolated {
				t.Errorf("at 10:30: %s, lmprod3 %s; want degraded, lmprod3 isolated\n%s", iv.State, iv.Servers[2].Status, dump(rep))
			}
			return
		}
	}
	t.Errorf("no interval at 10:30\n%s", dump(rep))
}

// A restart whose banner line is lost (a cut, a wording not known) still shows by lmgrd's
// start-up block after the log's silence (it looks for other lmgrd processes only when it
// starts): crash-and-return with fnp-muc1's return banner deleted gives the timeline it gives
// with the banner, not fnp-muc1 up and master through its crash beside fnp-muc2 (a false
// dual master of 42 minutes).
func TestStartupBlockWithoutBanner(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	run := func(edit func([]byte) []byte) string {
		var fs []*parser.File
		for _, n := range []string{"license.dat", "fnp-muc1.log", "fnp-muc2.log", "fnp-muc3.log"} {
			e := edit
			if n != "fnp-muc1.log" {
				e = nil
			}
			fs = append(fs, sampleFile(t, "crash-and-return", n, n, loc, e))
		}
		rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, iv := range rep.Intervals {
			fmt.Fprintf(&b, "%s %s %v\n", iv.Start.In(loc).Format("15:04:05"), iv.State, iv.Masters)
		}
		return b.String()
	}
	want := run(nil)
	got := run(func(b []byte) []byte {
		lines := bytes.SplitAfter(b, []byte("\n"))
		var out [][]byte
		dropped := 0
		for _, l := range lines {
			if bytes.Contains(l, []byte(" 9:55:00 (lmgrd) FlexNet Licensing")) {
				dropped++
				continue
			}
			out = append(out, l)
		}
		if dropped != 1 {
			t.Fatalf("%d return banners deleted, want 1", dropped)
		}
		return bytes.Join(out, nil)
	})
	if got != want {
		t.Errorf("without the return banner:\n%swant (with it):\n%s", got, want)
	}
}

// A master is a member: an up server naming a returning server master after its return says
// it has joined, though that server's own CONNECTED line is missing (crash-and-return with
// fnp-muc1's "CONNECTED, master is fnp-muc1" of 08:00:56 deleted: not masterless for 71
// minutes while both peers name it master and licenses are checked out).
func TestNamedMasterHasJoined(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	var fs []*parser.File
	for _, n := range []string{"license.dat", "fnp-muc1.log", "fnp-muc2.log", "fnp-muc3.log"} {
		fs = append(fs, sampleFile(t, "crash-and-return", n, n, loc, func(b []byte) []byte {
			line := []byte(" 8:00:56 (lmgrd) CONNECTED, master is fnp-muc1\r\n")
			if n != "fnp-muc1.log" {
				return b
			}
			if !bytes.Contains(b, line) {
				t.Fatal("no CONNECTED line to delete")
			}
			return bytes.Replace(b, line, nil, 1)
		}))
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range rep.Intervals {
		if iv.State == analyze.Masterless && iv.End.Sub(iv.Start) > 3*time.Minute {
			t.Errorf("masterless %s to %s\n%s", iv.Start.In(loc).Format("15:04:05"), iv.End.In(loc).Format("15:04:05"), dump(rep))
		}
	}
}

// TRIAD.md 1: the old master's own "CONNECTED, master is <primary>" ends its claim, also
// where another server's log last named it master (skewed-clocks, PRIMARY_IS_MASTER, with the
// tertiary's taking-back line deleted: no dual master to the end of the evidence).
func TestOldMastersOwnLineEndsItsClaim(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	var fs []*parser.File
	for _, n := range []string{"license.dat", "server1.log", "server2.log", "server3.log"} {
		fs = append(fs, sampleFile(t, "skewed-clocks", n, n, loc, func(b []byte) []byte {
			line := []byte("11:49:28 (lmgrd) CONNECTED, master is server1")
			if n != "server3.log" {
				return b
			}
			if !bytes.Contains(b, line) {
				t.Fatal("no tertiary CONNECTED line to delete")
			}
			return bytes.Replace(b, line, []byte("11:49:28 (lmgrd) TIMESTAMP 12/1/2010"), 1)
		}))
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range rep.Intervals {
		if iv.State == analyze.DualMaster && iv.End.Sub(iv.Start) > 3*time.Minute {
			t.Errorf("dual-master %s to %s\n%s", iv.Start.In(loc).Format("15:04:05"), iv.End.In(loc).Format("15:04:05"), dump(rep))
		}
	}
}

// The same on Linux, whose start-up block is only lmgrd's system date line (no search for
// other lmgrd processes): hang-with-log-storm without flex3's return banner still shows the
// failed rejoin, not a crash and a hang read as normal.
func TestStartupBlockWithoutBannerLinux(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	run := func(drop bool) string {
		var fs []*parser.File
		for _, n := range []string{"license.dat", "flex1.log", "flex2.log", "flex3.log"} {
			fs = append(fs, sampleFile(t, "hang-with-log-storm", n, n, loc, func(b []byte) []byte {
				line := []byte("10:20:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on flex3 (linux) (2/8/2021)\n")
				if !drop || n != "flex3.log" {
					return b
				}
				if !bytes.Contains(b, line) {
					t.Fatal("no return banner to delete")
				}
				return bytes.Replace(b, line, nil, 1)
			}))
		}
		rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, iv := range rep.Intervals {
			fmt.Fprintf(&b, "%s %s %v\n", iv.Start.In(loc).Format("15:04:05"), iv.State, iv.Masters)
		}
		return b.String()
	}
	if got, want := run(true), run(false); got != want {
		t.Errorf("without flex3's return banner:\n%swant (with it):\n%s", got, want)
	}
}

// A server's own log missing its "Connected to X" line still has that link where X's log says
// Connected to it: losing its other peer later is no loss of its last link (crash-and-return,
// logs only, without fnp-muc2's "Connected to fnp-muc1" of 09:55:03: degraded during
// fnp-muc3's stop, not no-quorum).
func TestPeersConnectedLineKeepsTheLink(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	var fs []*parser.File
	for _, n := range []string{"license.dat", "fnp-muc1.log", "fnp-muc2.log", "fnp-muc3.log"} {
		fs = append(fs, sampleFile(t, "crash-and-return", n, n, loc, func(b []byte) []byte {
			line := []byte(" 9:55:03 (lmgrd) Connected to fnp-muc1\r\n")
			if n != "fnp-muc2.log" {
				return b
			}
			if !bytes.Contains(b, line) {
				t.Fatal("no Connected line to delete")
			}
			return bytes.Replace(b, line, nil, 1)
		}))
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range rep.Intervals {
		if iv.State == analyze.NoQuorum {
			t.Errorf("no-quorum %s to %s\n%s", iv.Start.In(loc).Format("15:04:05"), iv.End.In(loc).Format("15:04:05"), dump(rep))
		}
	}
}
