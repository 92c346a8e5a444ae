package analyze_test

import (
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
