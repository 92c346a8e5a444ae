package analyze_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// Planned stops (TRIAD.md section 5): a SHUTDOWN request in a server's log or lmdown's output
// in an lmstat file is a planned-shutdown (info); the spans it causes are info and planned
// while every server not up is a stopped one, provided the stopped servers are all up again
// before the evidence ends and none fails to rejoin; a crash of another server ends the
// planned reading.

// lmdownOutput is lmdown's output as FORMATS.md 2.2 quotes it from 3serv.exp, for this triad.
func lmdownOutput(stamp string) string {
	var lines []string
	if stamp != "" {
		lines = append(lines, "# "+stamp)
	}
	lines = append(lines,
		"lmdown - Copyright (c) 1989-2003 by Macrovision Corporation. All rights reserved.",
		"",
		"   Port@Host            Vendors",
		"1) 27001@server1,27001@server2,27001@server3 bm ",
		"    3 FLEXlm License Servers shut down",
		"    Please wait 1 minute for lmgrd processes to shutdown",
	)
	return strings.Join(lines, "\r\n") + "\r\n"
}

// withLmdown is an lmstat file: the runs of before, lmdown's output, then the runs of after.
func withLmdown(stamp string, before, after []string) input {
	return input{"lmstat.log", lmstat(before...).text + lmdownOutput(stamp) + lmstat(after...).text}
}

// plannedFindings checks the findings, and that exactly those of the given codes are planned.
func checkPlanned(t *testing.T, rep *analyze.Report, codes ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	for _, f := range rep.Findings {
		if f.Planned != want[f.Code+"/"+f.Server] {
			t.Errorf("%s/%s planned = %v, want %v\n%s", f.Code, f.Server, f.Planned, !f.Planned, dump(rep))
		}
		if f.Planned && f.Severity != info {
			t.Errorf("%s/%s is planned and %s, want info", f.Code, f.Server, f.Severity)
		}
	}
}

// TestPlannedLmdown: an administrator's maintenance window seen by the collector alone: lmdown
// between two runs, the triad down, then back. Nothing above info, exit 0, verdict ok; the
// report still lists the planned spans, and says they are planned.
func TestPlannedLmdown(t *testing.T) {
	for _, stamp := range []string{"", "2010-12-01T09:09:30+09:00"} {
		t.Run("stamp "+stamp, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
				withLmdown(stamp, []string{"09:00-09:09 MUU"}, []string{"09:10-09:19 XXX", "09:20-09:21 MUD", "09:22-09:30 MUU"}))
			checkIntervals(t, rep,
				iv{"9:00:59", normal, "server1", ""},
				iv{"9:10:59", noQuorum, "", "server1,server2,server3"},
				iv{"9:20:59", degraded, "server1", "server3"},
				iv{"9:22:59", normal, "server1", ""},
			)
			checkFindings(t, rep, fd{"planned-shutdown", info, ""}, fd{"no-quorum", info, ""}, fd{"server-down", info, "server3"})
			checkPlanned(t, rep, "planned-shutdown/", "no-quorum/", "server-down/server3")
			checkVerdict(t, rep, normal, ok, 0)
			ps := findings(rep, "planned-shutdown")[0]
			want := "The triad (server1, server2 and server3) was stopped on purpose between 2010-12-01T09:09:59+09:00 and 2010-12-01T09:10:59+09:00 (lmdown, whose output is at lmstat.log:"
			if stamp != "" {
				want = "The triad (server1, server2 and server3) was stopped on purpose at 2010-12-01T09:09:30+09:00 (lmdown, whose output is at lmstat.log:"
			}
			if s := catalog.English(ps.Msg); !strings.HasPrefix(s, want) || !strings.Contains(s, "every stopped server was up again at 2010-12-01T09:22:59+09:00") {
				t.Errorf("planned-shutdown says %q, want it to start %q and say when the servers were back", s, want)
			}
			if s := catalog.English(findings(rep, "no-quorum")[0].Msg); !strings.Contains(s, "this is part of a planned stop (lmdown") {
				t.Errorf("no-quorum says %q: it does not say it was planned", s)
			}
		})
	}
}

// TestPlannedLmdownLogged: lmdown's output and the requests it made in the servers' logs are
// one stop, whose who, where and time the logs give.
func TestPlannedLmdownLogged(t *testing.T) {
	logOf := func(server string) input {
		return debugLog(server+".log", stamp("9:05:00"), ln("9:10:20", "lmgrd", "SHUTDOWN request from admin at node ops-pc"),
			ln("9:10:21", "lmgrd", "EXITING DUE TO SIGNAL 15"))
	}
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
		withLmdown("", []string{"09:00-09:09 MUU"}, []string{"09:10-09:19 XXX", "09:20-09:21 MUD", "09:22-09:30 MUU"}),
		logOf("server1"), logOf("server2"), logOf("server3"))
	ps := findings(rep, "planned-shutdown")
	if len(ps) != 1 || ps[0].Server != "" || !ps[0].Start.Equal(at("9:10:20")) || !ps[0].End.Equal(at("9:10:21")) {
		t.Fatalf("planned-shutdown findings %v, want one of the triad from 09:10:20 to 09:10:21\n%s", ps, dump(rep))
	}
	if s := catalog.English(ps[0].Msg); !strings.HasPrefix(s, "The triad (server1, server2 and server3) was stopped on purpose at 2010-12-01T09:10:20+09:00 (SHUTDOWN request from admin at node ops-pc)") {
		t.Errorf("planned-shutdown says %q", s)
	}
	if len(ps[0].Evidence) < 4 {
		t.Errorf("evidence %v, want lmdown's line and the three requests", ps[0].Evidence)
	}
	for _, f := range rep.Findings {
		if f.Severity != info {
			t.Errorf("%s/%s is %s, want info", f.Code, f.Server, f.Severity)
		}
	}
	checkVerdict(t, rep, normal, ok, 0)
}

// stopServer3 is server3's log: a SHUTDOWN request (for vendor, when vendor is set) at 09:15
// and lmgrd's exit.
func stopServer3(extra ...string) input {
	return debugLog("server3.log", concat([]string{
		stamp("9:05:00"),
		ln("9:15:00", "lmgrd", "SHUTDOWN request from admin at node ops-pc"),
		ln("9:15:00", "lmgrd", "lmgrd will now shut down all the vendor daemons"),
		ln("9:15:01", "lmgrd", "EXITING DUE TO SIGNAL 15"),
	}, extra)...)
}

// TestPlannedRequest: server3 stopped by a SHUTDOWN request in its log, with lmstat around it.
func TestPlannedRequest(t *testing.T) {
	t.Run("back: planned", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:14 MUU", "09:15-09:24 MUD", "09:25-09:40 MUU"), stopServer3())
		// server3's log ends with its exit at 09:15:01; until lmstat's next run, which is only
		// known to its minute, nothing tells whether it stayed down (TRIAD.md 4).
		checkIntervals(t, rep,
			iv{"9:00:59", normal, "server1", ""},
			iv{"9:15:01", degraded, "server1", "server3"},
			iv{"9:15:02", unknown, "server1", "server3"},
			iv{"9:15:59", degraded, "server1", "server3"},
			iv{"9:25:59", normal, "server1", ""},
		)
		checkFindings(t, rep, fd{"planned-shutdown", info, "server3"}, fd{"server-down", info, "server3"})
		checkPlanned(t, rep, "planned-shutdown/server3", "server-down/server3")
		checkVerdict(t, rep, normal, ok, 0)
		ps := findings(rep, "planned-shutdown")[0]
		if s := catalog.English(ps.Msg); !strings.HasPrefix(s, "server3 was stopped on purpose at 2010-12-01T09:15:00+09:00 (SHUTDOWN request from admin at node ops-pc); it took effect at 2010-12-01T09:15:01+09:00") {
			t.Errorf("planned-shutdown says %q", s)
		}
	})
	t.Run("fails to rejoin: critical, not planned", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:14 MUU", "09:15-09:24 MUD", "09:25-09:40 MUR"), stopServer3())
		checkFindings(t, rep, fd{"planned-shutdown", info, "server3"}, fd{"server-down", warning, "server3"}, fd{"failed-rejoin", critical, "server3"})
		checkPlanned(t, rep, "planned-shutdown/server3")
		checkVerdict(t, rep, failedRejoin, critical, 1)
		if s := catalog.English(findings(rep, "planned-shutdown")[0].Msg); !strings.Contains(s, "came back but failed to rejoin: the spans it caused are not planned") {
			t.Errorf("planned-shutdown says %q", s)
		}
	})
	t.Run("not back before the evidence ends: not planned", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:14 MUU", "09:15-09:40 MUD"), stopServer3())
		checkFindings(t, rep, fd{"planned-shutdown", info, "server3"}, fd{"server-down", warning, "server3"})
		checkPlanned(t, rep, "planned-shutdown/server3")
		checkVerdict(t, rep, degraded, warning, 1)
	})
	t.Run("another server crashes in the window", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			lmstat("09:00-09:14 MUU", "09:15-09:19 MUD", "09:20-09:22 MDD", "09:23-09:24 MUD", "09:25-09:40 MUU"), stopServer3())
		checkIntervals(t, rep,
			iv{"9:00:59", normal, "server1", ""},
			iv{"9:15:01", degraded, "server1", "server3"},
			iv{"9:15:02", unknown, "server1", "server3"},
			iv{"9:15:59", degraded, "server1", "server3"},
			iv{"9:20:59", noQuorum, "server1", "server2,server3"},
			iv{"9:23:59", degraded, "server1", "server3"},
			iv{"9:25:59", normal, "server1", ""},
		)
		// planned until server2's crash; from then on, not
		var sd []string
		for _, f := range findings(rep, "server-down") {
			sd = append(sd, f.Start.In(tokyo).Format("15:04:05")+" "+string(f.Severity))
		}
		if strings.Join(sd, ", ") != "09:15:59 info, 09:23:59 warning" {
			t.Errorf("server-down findings %v, want the planned one before the crash and a warning after it\n%s", sd, dump(rep))
		}
		checkFindings(t, rep, fd{"planned-shutdown", info, "server3"}, fd{"server-down", info, "server3"},
			fd{"no-quorum", critical, ""}, fd{"server-down", warning, "server3"})
		checkVerdict(t, rep, noQuorum, critical, 1)
	})
	t.Run("the master: masterless then degraded, planned", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:14 MUU", "09:15 DUU", "09:16-09:24 DMU", "09:25-09:40 UMU"),
			debugLog("server1.log", stamp("9:00:00"), ln("9:15:00", "lmgrd", "SHUTDOWN request from admin at node server1"),
				ln("9:15:01", "lmgrd", "EXITING DUE TO SIGNAL 15")))
		checkFindings(t, rep, fd{"planned-shutdown", info, "server1"}, fd{"masterless", info, ""}, fd{"server-down", info, "server1"},
			fd{"master-not-returned", info, "server1"}) // it came back, and server2 stayed master
		checkPlanned(t, rep, "planned-shutdown/server1", "masterless/", "server-down/server1")
		checkVerdict(t, rep, normal, ok, 0)
	})
}

// TestPlannedVendor: a SHUTDOWN request for one vendor daemon on the master: the
// vendor-daemon-down that follows is info and planned when lmgrd starts it again before the
// evidence ends; otherwise it keeps its severity (critical over 10 minutes).
func TestPlannedVendor(t *testing.T) {
	log := func(extra ...string) input {
		return debugLog("server1.log", concat([]string{
			stamp("9:00:00"),
			ln("9:10:00", "lmgrd", `SHUTDOWN request from admin at node ops-pc for vendor "bm"`),
			ln("9:10:00", "bm", "daemon shutdown requested - shutting down"),
		}, extra, []string{ln("9:35:00", "lmgrd", "TIMESTAMP 12/1/2010")})...)
	}
	t.Run("started again", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:09 MUU", "09:10-09:29 VUU", "09:30-09:35 MUU"),
			log(ln("9:30:00", "lmgrd", "Started bm (internet tcp_port 27010 pid 2180)")))
		checkFindings(t, rep, fd{"planned-shutdown", info, "server1"}, fd{"vendor-daemon-down", info, "server1"})
		checkPlanned(t, rep, "planned-shutdown/server1", "vendor-daemon-down/server1")
		checkVerdict(t, rep, normal, ok, 0)
		if s := catalog.English(findings(rep, "planned-shutdown")[0].Msg); !strings.HasPrefix(s, `The vendor daemon bm on server1 was stopped on purpose at 2010-12-01T09:10:00+09:00 (SHUTDOWN request from admin at node ops-pc for vendor bm)`) {
			t.Errorf("planned-shutdown says %q", s)
		}
	})
	t.Run("not started again", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:09 MUU", "09:10-09:35 VUU"), log())
		checkFindings(t, rep, fd{"planned-shutdown", info, "server1"}, fd{"vendor-daemon-down", critical, "server1"})
		checkPlanned(t, rep, "planned-shutdown/server1")
		checkVerdict(t, rep, normal, critical, 1)
	})
}

// A log that just ends inside a maintenance window is no crash of its server (TRIAD.md 3):
// with fnp-muc1's log (ending at 10:42:04) and fnp-muc3's (stopped 10:30:00 to 10:42:08) of
// crash-and-return, the stop is planned to its end and names no server that "went down".
func TestPlannedLogEndIsNoCrash(t *testing.T) {
	loc := time.FixedZone("CEST", 2*3600)
	var fs []*parser.File
	for _, n := range []string{"fnp-muc1.log", "fnp-muc3.log"} {
		fs = append(fs, sampleFile(t, "crash-and-return", n, n, loc, nil))
	}
	rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Code != "planned-shutdown" {
			continue
		}
		found = true
		for _, c := range f.Msg.Then {
			if c.Key == "finding.planned.crash" {
				t.Errorf("planned-shutdown says %v went down: its log only ends\n%s", c.Args["server"], dump(rep))
			}
		}
	}
	if !found {
		t.Fatalf("no planned-shutdown finding\n%s", dump(rep))
	}
}
