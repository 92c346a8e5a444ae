package analyze_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

// lmstat's -97 is the vendor daemon down on the master only in a run that has one (TRIAD.md 3):
// runs taken during an election, with no (MASTER) mark, are the masterless outage already, not
// a vendor daemon's on the server elected after them (split-brain's tertiary log with lmstat;
// crash-and-return's fnp-muc3 log with lmstat). vendor-restart-loop's real outages stay.
func TestVendorDownNeedsAMaster(t *testing.T) {
	for _, c := range []struct {
		sample, zone string
		files        []string
		want         int
	}{
		{"split-brain", "America/Chicago", []string{"lm-tertiary.log", "lmstat.log"}, 0},
		{"crash-and-return", "Europe/Berlin", []string{"fnp-muc3.log", "lmstat.log"}, 0},
		{"vendor-restart-loop", "Asia/Kolkata", []string{"license.dat", "lmsrv-01.log", "lmsrv-02.log", "lmsrv-03.log", "lmstat.log"}, 4},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		var fs []*parser.File
		for _, n := range c.files {
			fs = append(fs, sampleFile(t, c.sample, n, n, loc, nil))
		}
		rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range rep.Findings {
			if f.Code == "vendor-daemon-down" {
				n++
			}
		}
		if n != c.want {
			t.Errorf("%s %v: %d vendor-daemon-down findings, want %d\n%s", c.sample, c.files, n, c.want, dump(rep))
		}
	}
}

// A server line of an lmstat run that cannot be read (an error lmtriad does not know: -17,
// "Cannot write data") tells nothing of how that server answered: what an older run said of
// it (UP (MASTER)) ends there, so the runs after, which mark another master, are unknown
// (server1 may be up and master, or not), not a dual master of 26 minutes.
func TestLmstatUnreadServerLine(t *testing.T) {
	in := lmstat("10:00-10:02 MUU", "10:03-10:20 DMU")
	in.text = strings.ReplaceAll(in.text, "License server machine is down or not responding. (-96,7)",
		`Cannot write data to license server system. (-17,13:10054 "WinSock: Connection reset by peer")`)
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), in)
	for _, x := range rep.Intervals {
		if x.State == analyze.DualMaster || (x.State != analyze.Unknown && x.Start.After(at("10:03:00"))) {
			t.Errorf("%s from %s: server1's line from 10:03 cannot be read\n%s", x.State, x.Start.In(tokyo).Format("15:04:05"), dump(rep))
		}
	}
}

// TRIAD.md 5: a vendor daemon's outage in the master's log lasts until lmgrd's Started or
// REStarted line or the vendor daemon's own "Server started on" line. Without lmgrd's line
// (crash-and-return's fnp-muc2.log, "Started adskflex" deleted), the daemon's own line ends
// it a second later: the verdict is what it is with the line (no vendor-daemon-down for two
// hours).
func TestVendorServingEndsTheOutage(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	run := func(edit func([]byte) []byte) *analyze.Report {
		var fs []*parser.File
		for _, n := range []string{"license.dat", "fnp-muc1.log", "fnp-muc2.log", "fnp-muc3.log"} {
			e := edit
			if n != "fnp-muc2.log" {
				e = nil
			}
			fs = append(fs, sampleFile(t, "crash-and-return", n, n, loc, e))
		}
		rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	want := run(nil)
	got := run(func(b []byte) []byte {
		line := []byte(" 9:12:49 (lmgrd) Started adskflex (pid 2192)\r\n")
		if !bytes.Contains(b, line) {
			t.Fatal("fnp-muc2.log has no line 'Started adskflex' to delete")
		}
		return bytes.Replace(b, line, nil, 1)
	})
	for _, f := range got.Findings {
		if f.Code == "vendor-daemon-down" && f.End.Sub(f.Start) > 10*time.Second {
			t.Errorf("vendor-daemon-down %s to %s: the daemon's own Server started on line ends it\n%s", f.Start, f.End, dump(got))
		}
	}
	if got.Verdict.Finding == nil || want.Verdict.Finding == nil || got.Verdict.Finding.Code != want.Verdict.Finding.Code {
		t.Errorf("verdict %v, want %v", got.Verdict.Finding, want.Verdict.Finding)
	}
}
