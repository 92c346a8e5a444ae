package analyze_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// Small synthetic incidents for the rules of TRIAD.md sections 3-5: states (first match wins),
// per-server statuses, which evidence wins, lmstat snapshots at HH:MM:59, the failed rejoin
// decided after the fact, intervals, findings and the verdict.

const (
	normal       = analyze.Normal
	masterless   = analyze.Masterless
	degraded     = analyze.Degraded
	noQuorum     = analyze.NoQuorum
	dualMaster   = analyze.DualMaster
	failedRejoin = analyze.FailedRejoin
	starting     = analyze.Starting
	unknown      = analyze.Unknown

	info     = analyze.SeverityInfo
	warning  = analyze.SeverityWarning
	critical = analyze.SeverityCritical
	ok       = analyze.SeverityOK
)

// status is the status of server i at the start of the interval that begins at hms.
func status(t *testing.T, rep *analyze.Report, hms string, i int) analyze.Status {
	t.Helper()
	for _, x := range rep.Intervals {
		if x.Start.Equal(at(hms)) {
			return x.Servers[i].Status
		}
	}
	t.Fatalf("no interval starts at %s\n%s", hms, dump(rep))
	return ""
}

func TestNormalOnly(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:10 MUU"))
	checkIntervals(t, rep, iv{"9:00:59", normal, "server1", ""})
	if end := rep.Intervals[0].End; !end.Equal(at("9:11:59")) {
		t.Errorf("end = %s, want 09:11:59 (the last snapshot covers one median interval)", end.In(tokyo))
	}
	checkFindings(t, rep)
	checkVerdict(t, rep, normal, ok, 0)
	if rep.Verdict.Finding != nil {
		t.Errorf("verdict rests on a finding: %+v", rep.Verdict.Finding)
	}
}

// A master crash seen only by lmstat: masterless starts at the snapshot that shows the
// master down, placed at the end of its printed minute.
func TestCrashSeenByLmstat(t *testing.T) {
	for _, down := range []string{"D", "C"} { // -96 down or not responding, -15 cannot connect
		t.Run(down, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
				lmstat("09:00-09:09 MUU", "09:10-09:11 "+down+"UU", "09:12-09:20 "+down+"MU"))
			checkIntervals(t, rep,
				iv{"9:00:59", normal, "server1", ""},
				iv{"9:10:59", masterless, "", "server1"},
				iv{"9:12:59", degraded, "server2", "server1"},
			)
			if s := status(t, rep, "9:10:59", 0); s != analyze.StatusDown {
				t.Errorf("server1 is %s in the masterless interval, want down", s)
			}
			checkFindings(t, rep, fd{"masterless", warning, ""}, fd{"server-down", warning, "server1"})
			checkVerdict(t, rep, masterless, warning, 1)
		})
	}
}

// A crash seen in the logs: masterless begins at the first survivor's "Lost connection to
// master" (9:21:19), not at the dead master's last line (9:20:00).
func TestCrashSeenInLogs(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, crashInLogs()...)
	checkIntervals(t, rep, crashInLogsIntervals...)
	checkFindings(t, rep, fd{"masterless", warning, ""}, fd{"server-down", warning, "server1"})
	checkVerdict(t, rep, masterless, warning, 1)
	if f := findings(rep, "masterless"); len(f) == 1 && (!f[0].Start.Equal(at("9:21:19")) || !f[0].End.Equal(at("9:22:30"))) {
		t.Errorf("masterless finding spans %s-%s, want 09:21:19-09:22:30", f[0].Start.In(tokyo), f[0].End.In(tokyo))
	}
}

// masterless: a warning, critical over 10 minutes.
func TestMasterlessSeverity(t *testing.T) {
	for _, tc := range []struct {
		last, end string
		sev       analyze.Severity
	}{
		{"09:14", "9:15:59", warning},  // 10 minutes
		{"09:15", "9:16:59", critical}, // 11 minutes
	} {
		t.Run(tc.last, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
				lmstat("09:00-09:04 MUU", "09:05-"+tc.last+" DUU", "09:"+tc.end[2:4]+"-09:25 DMU"))
			checkIntervals(t, rep,
				iv{"9:00:59", normal, "server1", ""},
				iv{"9:05:59", masterless, "", "server1"},
				iv{tc.end, degraded, "server2", "server1"},
			)
			checkFindings(t, rep, fd{"masterless", tc.sev, ""}, fd{"server-down", warning, "server1"})
			checkVerdict(t, rep, masterless, tc.sev, 1)
		})
	}
}

func TestNoQuorum(t *testing.T) {
	for _, tc := range []struct {
		name  string
		codes string
		notUp string
		s3    analyze.Status
	}{
		{"two down", "DDU", "server1,server2", analyze.StatusUp},
		// -20 (no majority): running, outside every quorum: isolated, not up (TRIAD.md 4).
		{"lone server answers -20", "DDN", "server1,server2,server3", analyze.StatusIsolated},
		{"-20 is not up", "DUN", "server1,server3", analyze.StatusIsolated},
		{"all down", "DDD", "server1,server2,server3", analyze.StatusDown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:04 MUU", "09:05-09:09 "+tc.codes))
			checkIntervals(t, rep,
				iv{"9:00:59", normal, "server1", ""},
				iv{"9:05:59", noQuorum, "", tc.notUp},
			)
			if s := status(t, rep, "9:05:59", 2); s != tc.s3 {
				t.Errorf("server3 is %s, want %s", s, tc.s3)
			}
			checkFindings(t, rep, fd{"no-quorum", critical, ""})
			checkVerdict(t, rep, noQuorum, critical, 1)
		})
	}
}

func TestDualMaster(t *testing.T) {
	for _, tc := range []struct {
		name string
		last string // the last minute with two (MASTER) lines
		end  string
		sev  analyze.Severity
	}{
		{"two minutes: transient", "09:06", "9:07:59", warning},
		{"three minutes", "09:07", "9:08:59", critical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
				lmstat("09:00-09:04 MUU", "09:05-"+tc.last+" MMU", "09:"+tc.end[2:4]+"-09:20 UMU"))
			checkIntervals(t, rep,
				iv{"9:00:59", normal, "server1", ""},
				iv{"9:05:59", dualMaster, "server1,server2", ""},
				iv{tc.end, normal, "server2", ""},
			)
			checkFindings(t, rep, fd{"dual-master", tc.sev, ""})
			checkVerdict(t, rep, dualMaster, tc.sev, 1)
		})
	}
}

func TestTertiaryMaster(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:04 MUU", "09:05-09:10 UUM"))
	checkIntervals(t, rep,
		iv{"9:00:59", normal, "server1", ""},
		iv{"9:05:59", normal, "server3", ""},
	)
	checkFindings(t, rep, fd{"tertiary-master", warning, "server3"})
	checkVerdict(t, rep, normal, warning, 1)
}

// server2's return at 9:08:30 (banner) into a triad held by server1 (master) and server3.
func returningServer2(lines ...string) input {
	return debugLog("server2.log", concat(
		[]string{
			ln("9:08:30", "lmgrd", "Server's System Date and Time: Wed Dec 01 2010 09:08:30 Tokyo Standard Time"),
			banner("9:08:30", "server2"),
			ln("9:08:30", "lmgrd", "lmgrd tcp-port 27001"),
			ln("9:08:30", "lmgrd", "Trying connection to server1"),
			ln("9:08:30", "lmgrd", "Trying connection to server3"),
		}, lines)...)
}

func TestFailedRejoin(t *testing.T) {
	timedOut := []string{
		ln("9:09:05", "lmgrd", "Connection to server1 TIMED OUT"),
		ln("9:09:05", "lmgrd", "Connection to server3 TIMED OUT"),
		ln("9:10:25", "lmgrd", "Connection to server1 TIMED OUT"),
		ln("9:10:25", "lmgrd", "Connection to server3 TIMED OUT"),
		ln("9:11:45", "lmgrd", "Connection to server1 TIMED OUT"),
		ln("9:11:45", "lmgrd", "Connection to server3 TIMED OUT"),
	}
	for _, tc := range []struct {
		name     string
		grace    time.Duration
		in       []input
		want     []iv
		findings []fd
		verdict  analyze.State
		sev      analyze.Severity
		// for a failed rejoin: the finding's span and server2's status in its interval
		from, to string
		status   analyze.Status
	}{
		{
			name: "lmstat -16 after -96",
			in:   []input{lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:20 MRU")},
			want: []iv{
				{"9:00:59", normal, "server1", ""},
				{"9:05:59", degraded, "server1", "server2"},
				{"9:10:59", failedRejoin, "server1", "server2"},
			},
			findings: []fd{{"server-down", warning, "server2"}, {"failed-rejoin", critical, "server2"}},
			verdict:  failedRejoin, sev: critical,
			from: "9:10:59", to: "9:21:59", status: analyze.StatusUnresponsive,
		},
		{
			name: "banner, then -16",
			in: []input{
				lmstat("09:00-09:04 MUU", "09:05-09:08 MDU", "09:09-09:20 MRU"),
				returningServer2(timedOut...),
			},
			want: []iv{
				{"9:00:59", normal, "server1", ""},
				{"9:05:59", degraded, "server1", "server2"},
				{"9:08:30", failedRejoin, "server1", "server2"},
			},
			findings: []fd{{"server-down", warning, "server2"}, {"failed-rejoin", critical, "server2"}},
			verdict:  failedRejoin, sev: critical,
			from: "9:08:30", to: "9:21:59", status: analyze.StatusUnresponsive, // joining at the banner; named by what it did when the grace ran out
		},
		{
			name:  "rejoin grace of an hour",
			grace: time.Hour,
			in:    []input{lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:20 MRU")},
			want: []iv{
				{"9:00:59", normal, "server1", ""},
				{"9:05:59", degraded, "server1", "server2"},
			},
			findings: []fd{{"server-down", warning, "server2"}},
			verdict:  degraded, sev: warning,
		},
		{
			name: "evidence ends inside the grace",
			in:   []input{lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:12 MRU")},
			want: []iv{
				{"9:00:59", normal, "server1", ""},
				{"9:05:59", degraded, "server1", "server2"},
			},
			findings: []fd{{"server-down", warning, "server2"}},
			verdict:  degraded, sev: warning,
		},
		{
			name: "rejoins within the grace (lmstat)",
			in:   []input{lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:11 MRU", "09:12-09:20 MUU")},
			want: []iv{
				{"9:00:59", normal, "server1", ""},
				{"9:05:59", degraded, "server1", "server2"},
				{"9:12:59", normal, "server1", ""},
			},
			findings: []fd{{"server-down", warning, "server2"}},
			verdict:  degraded, sev: warning,
		},
		{
			name: "rejoins within the grace (log)",
			in: []input{
				lmstat("09:00-09:04 MUU", "09:05-09:08 MDU", "09:09-09:10 MRU", "09:11-09:20 MUU"),
				returningServer2(
					ln("9:09:05", "lmgrd", "Connection to server1 TIMED OUT"),
					ln("9:10:35", "lmgrd", "Connected to server1"),
					ln("9:10:35", "lmgrd", "Connected to server3"),
					ln("9:10:40", "lmgrd", "selected (EXISTING) master server1"),
					ln("9:10:40", "lmgrd", "Started bm (pid 2716)"),
					ln("9:20:00", "lmgrd", "TIMESTAMP 12/1/2010"),
				),
			},
			want: []iv{
				{"9:00:59", normal, "server1", ""},
				{"9:05:59", degraded, "server1", "server2"},
				{"9:10:40", normal, "server1", ""},
			},
			findings: []fd{{"server-down", warning, "server2"}},
			verdict:  degraded, sev: warning,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{RejoinGrace: tc.grace}, append([]input{licenseDat("")}, tc.in...)...)
			checkIntervals(t, rep, tc.want...)
			checkFindings(t, rep, tc.findings...)
			checkVerdict(t, rep, tc.verdict, tc.sev, 1)
			if tc.from == "" {
				return
			}
			if s := status(t, rep, tc.from, 1); s != tc.status {
				t.Errorf("server2 is listed %s in the failed-rejoin interval, want %s", s, tc.status)
			}
			fr := findings(rep, "failed-rejoin")
			if len(fr) != 1 {
				return
			}
			f := fr[0]
			if !f.Start.Equal(at(tc.from)) || !f.End.Equal(at(tc.to)) {
				t.Errorf("failed-rejoin finding spans %s-%s, want %s-%s", f.Start.In(tokyo), f.End.In(tokyo), tc.from, tc.to)
			}
			if fx := catalog.FixFor(f.Code, "en"); fx == nil || fx.Ref != "KGTN 2010112602" || len(fx.Steps) == 0 {
				t.Errorf("failed-rejoin fix = %+v, want ref KGTN 2010112602 with steps", fx)
			}
			if len(f.Evidence) == 0 {
				t.Error("failed-rejoin finding without evidence")
			}
			// it covers its span: the server-down before it ends at the return
			for _, sd := range findings(rep, "server-down") {
				if sd.End.After(f.Start) {
					t.Errorf("server-down %s-%s overlaps the failed rejoin from %s", sd.Start.In(tokyo), sd.End.In(tokyo), tc.from)
				}
			}
		})
	}
}

// The primary comes back while server2 is master, and the master stays on server2.
func TestMasterNotReturned(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra string // on the first SERVER line
		want  []fd
	}{
		{"without PRIMARY_IS_MASTER", "", []fd{{"masterless", warning, ""}, {"server-down", warning, "server1"}, {"master-not-returned", info, "server1"}}},
		{"with PRIMARY_IS_MASTER", "PRIMARY_IS_MASTER", []fd{{"masterless", warning, ""}, {"server-down", warning, "server1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(tc.extra),
				lmstat("09:00-09:04 MUU", "09:05-09:06 DUU", "09:07-09:11 DMU", "09:12-09:20 UMU"))
			checkIntervals(t, rep,
				iv{"9:00:59", normal, "server1", ""},
				iv{"9:05:59", masterless, "", "server1"},
				iv{"9:07:59", degraded, "server2", "server1"},
				iv{"9:12:59", normal, "server2", ""},
			)
			checkFindings(t, rep, tc.want...)
			checkVerdict(t, rep, masterless, warning, 1)
			if rep.Triad.PrimaryIsMaster != (tc.extra != "") {
				t.Errorf("PrimaryIsMaster = %v", rep.Triad.PrimaryIsMaster)
			}
		})
	}
}

func TestOrderMismatch(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:10 MUU"),
		debugLog("server2.log",
			stamp("9:02:00"),
			ln("9:02:00", "lmgrd", "License File SERVER line order mismatch."),
			ln("9:02:00", "lmgrd", "Using alphabetical order"),
			ln("9:05:00", "lmgrd", "Connected to server3"),
		))
	checkIntervals(t, rep, iv{"9:00:59", normal, "server1", ""})
	checkFindings(t, rep, fd{"order-mismatch", warning, "server2"})
	checkVerdict(t, rep, normal, warning, 1)
}

// server1's log: a cold start with the given platform, master server1 at 9:00:30, then lines.
func server1Log(platform string, lines ...string) input {
	return debugLog("server1.log", concat([]string{
		ln("9:00:00", "lmgrd", "Server's System Date and Time: Wed Dec 01 2010 09:00:00 Tokyo Standard Time"),
		bannerOn("9:00:00", "server1", platform),
		ln("9:00:00", "lmgrd", "Trying connection to server2"),
		ln("9:00:00", "lmgrd", "Trying connection to server3"),
		ln("9:00:25", "lmgrd", "Connected to server2"),
		ln("9:00:25", "lmgrd", "Connected to server3"),
		ln("9:00:30", "lmgrd", "CONNECTED, master is server1"),
		ln("9:00:30", "lmgrd", "Started bm (pid 2344)"),
	}, lines)...)
}

func TestVendorDaemonExit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		platform string
		lines    []string
		reason   string
	}{
		{"windows status 25", "IBM PC", []string{
			ln("9:10:00", "bm", "EXITING DUE TO SIGNAL 25"),
			ln("9:10:05", "lmgrd", "bm exited with status 25"),
			ln("9:10:05", "lmgrd", "Please correct problem and restart daemons"),
		}, "invalid host"},
		{"linux status 34", "linux", []string{
			ln("9:10:05", "lmgrd", "bm exited with status 34"),
		}, "invalid host"},
		{"linux exit reason 5", "linux", []string{
			ln("9:10:00", "bm", "Lost connection to lmgrd, heartbeat timeout expired, exiting."),
			ln("9:10:00", "bm", "EXITING DUE TO SIGNAL 37 Exit reason 5"),
		}, "communications error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// lmstat shows bm UP again by 09:11:59 (lmgrd restarted it where the log does not
			// say): down on the master until then, a vendor-daemon-down of under 10 minutes.
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:01-09:20 MUU"),
				server1Log(tc.platform, append(tc.lines, ln("9:20:00", "lmgrd", "TIMESTAMP 12/1/2010"))...))
			checkFindings(t, rep, fd{"vendor-daemon-down", warning, "server1"}, fd{"vendor-daemon-exit", warning, "server1"})
			f := findings(rep, "vendor-daemon-exit")
			if len(f) != 1 {
				return
			}
			if s := catalog.English(f[0].Msg); !strings.Contains(s, tc.reason) {
				t.Errorf("summary %q does not give the reason %q", s, tc.reason)
			}
			exits := 0
			for _, l := range tc.lines {
				if strings.Contains(l, "EXITING") || strings.Contains(l, "exited") {
					exits++
				}
			}
			if len(f[0].Evidence) != exits {
				t.Errorf("%d evidence lines, want %d: %+v", len(f[0].Evidence), exits, f[0].Evidence)
			}
			checkVerdict(t, rep, normal, warning, 1)
		})
	}
}

func TestRestartLoop(t *testing.T) {
	restart := func(hms string, pid int) []string {
		return []string{
			ln(hms, "lmgrd", "bm exited with status 0 signal = 17"),
			ln(hms, "lmgrd", "Since this is an unknown status, license server "),
			ln(hms, "lmgrd", "manager (lmgrd) will attempt to re-start the vendor daemon."),
			ln(hms, "lmgrd", "REStarted bm (internet tcp_port 27010 pid "+strconv.Itoa(3000+pid)+")"),
		}
	}
	for _, tc := range []struct {
		name  string
		times []string
		loop  bool
	}{
		{"three in 20 minutes", []string{"9:05:00", "9:15:00", "9:25:00"}, true},
		{"three in exactly 30 minutes", []string{"9:05:00", "9:20:00", "9:35:00"}, true},
		{"three in 40 minutes", []string{"9:05:00", "9:25:00", "9:45:00"}, false},
		{"two", []string{"9:05:00", "9:15:00"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := []string{stamp("9:01:00")}
			var want []fd
			for k, hms := range tc.times {
				lines = append(lines, restart(hms, k+1)...)
				want = append(want, fd{"vendor-daemon-exit", warning, "server1"})
			}
			lines = append(lines, ln("9:50:00", "lmgrd", "TIMESTAMP 12/1/2010"))
			sev := warning
			if tc.loop {
				want = append(want, fd{"restart-loop", critical, "server1"})
				sev = critical
			}
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:50 MUU"), debugLog("server1.log", lines...))
			checkIntervals(t, rep, iv{"9:00:59", normal, "server1", ""})
			checkFindings(t, rep, want...)
			checkVerdict(t, rep, normal, sev, 1)
		})
	}
}

// Two lmstat files with an hour between them: the hole is unknown and an evidence-gap.
func TestEvidenceGap(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
		lmstatFile("lmstat-0900.log", triadNames, "09:00-09:10 MUU"),
		lmstatFile("lmstat-1000.log", triadNames, "10:00-10:10 MUU"),
	)
	checkIntervals(t, rep,
		iv{"9:00:59", normal, "server1", ""},
		iv{"9:11:59", unknown, "", "server1,server2,server3"},
		iv{"10:00:59", normal, "server1", ""},
	)
	checkFindings(t, rep, fd{"evidence-gap", info, ""})
	if f := findings(rep, "evidence-gap"); len(f) == 1 && (!f[0].Start.Equal(at("9:11:59")) || !f[0].End.Equal(at("10:00:59"))) {
		t.Errorf("evidence-gap spans %s-%s, want 09:11:59-10:00:59", f[0].Start.In(tokyo), f[0].End.In(tokyo))
	}
	checkVerdict(t, rep, normal, analyze.SeverityOK, 0) // an evidence gap is information: nothing needs attention
}

// coldStartLogs: the three servers start at 9:00:00, 9:00:10 and 9:00:20; server1 agrees on
// itself as master at 9:00:30 and the other two a little later.
func coldStartLogs(late string) []input {
	tail := []string{ln("9:10:00", "lmgrd", "TIMESTAMP 12/1/2010")}
	return []input{
		licenseDat(""),
		debugLog("server1.log", concat(coldStart("server1", "9:00:00", "9:00:30", "server1", "server2", "server3"), tail)...),
		debugLog("server2.log", concat(coldStart("server2", "9:00:10", late, "server1", "server1", "server3"), tail)...),
		debugLog("server3.log", concat(coldStart("server3", "9:00:20", late, "server1", "server1", "server2"), tail)...),
	}
}

func TestColdStart(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, coldStartLogs("9:00:30")...)
	checkIntervals(t, rep,
		iv{"9:00:00", starting, "", "server1,server2,server3"},
		iv{"9:00:30", normal, "server1", ""},
	)
	for i, want := range []analyze.Status{analyze.StatusJoining, analyze.StatusDown, analyze.StatusDown} {
		if s := status(t, rep, "9:00:00", i); s != want {
			t.Errorf("server%d is %s at the cold start, want %s", i+1, s, want)
		}
	}
	checkFindings(t, rep) // no master-not-returned: the primary won a fresh election
	checkVerdict(t, rep, normal, ok, 0)
}

// server1 is up at 9:00:30, the others only later: a no-quorum flicker that raises a
// finding only when it lasts 10 s or more.
func TestShortIntervalsRaiseNoFinding(t *testing.T) {
	for _, tc := range []struct {
		late    string
		finding bool
	}{
		{"9:00:35", false},
		{"9:00:39", false},
		{"9:00:40", true},
		{"9:00:45", true},
	} {
		t.Run(tc.late, func(t *testing.T) {
			// The late servers' "Connected to server1" lines have no mirror at their time in
			// server1's log: give the clocks, so that they are not read as an offset.
			noSkew := analyze.Config{Skew: map[string]time.Duration{"server2": 0, "server3": 0}}
			rep := mustAnalyze(t, noSkew, coldStartLogs(tc.late)...)
			checkIntervals(t, rep,
				iv{"9:00:00", starting, "", "server1,server2,server3"},
				iv{"9:00:30", noQuorum, "server1", "server2,server3"},
				iv{tc.late, normal, "server1", ""},
			)
			if tc.finding {
				checkFindings(t, rep, fd{"no-quorum", critical, ""})
				checkVerdict(t, rep, noQuorum, critical, 1)
			} else {
				checkFindings(t, rep)
				checkVerdict(t, rep, normal, ok, 0)
			}
		})
	}
}

// A stamp line before a snapshot gives its exact time instead of HH:MM:59.
func TestLmstatStampLine(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
		lmstat("09:00-09:09 MUU", "09:10 DUU 2010-12-01T09:10:02+09:00", "09:11 DUU", "09:12-09:20 DMU"))
	checkIntervals(t, rep,
		iv{"9:00:59", normal, "server1", ""},
		iv{"9:10:02", masterless, "", "server1"},
		iv{"9:12:59", degraded, "server2", "server1"},
	)
}

// Other lmstat server and run lines.
func TestLmstatLines(t *testing.T) {
	for _, tc := range []struct {
		name     string
		specs    []string
		want     []iv
		findings []fd
		warn     string // a warning that must be given
	}{
		{
			name:     "lmgrd is not running",
			specs:    []string{"09:00-09:04 MUU", "09:05-09:09 XXX"},
			want:     []iv{{"9:00:59", normal, "server1", ""}, {"9:05:59", noQuorum, "", "server1,server2,server3"}},
			findings: []fd{{"no-quorum", critical, ""}},
		},
		{
			name:  "-23 new server connecting is up",
			specs: []string{"09:00-09:04 MUU", "09:05-09:09 MUJ"},
			want:  []iv{{"9:00:59", normal, "server1", ""}},
		},
		{
			// a failed run covers nothing and ends the coverage of the run before it (TRIAD.md 4)
			name:     "error getting status says nothing about single servers",
			specs:    []string{"09:00-09:04 MUU", "09:05 !!!", "09:06-09:10 MUU"},
			want:     []iv{{"9:00:59", normal, "server1", ""}, {"9:05:59", unknown, "", "server1,server2,server3"}, {"9:06:59", normal, "server1", ""}},
			findings: []fd{{"evidence-gap", info, ""}},
			warn:     "Error getting status",
		},
		{
			name:  "a hole of three median intervals is covered",
			specs: []string{"09:00-09:10 MUU", "09:13-09:20 MUU"},
			want:  []iv{{"9:00:59", normal, "server1", ""}},
		},
		{
			name:     "a longer hole is not",
			specs:    []string{"09:00-09:10 MUU", "09:14-09:20 MUU"},
			want:     []iv{{"9:00:59", normal, "server1", ""}, {"9:11:59", unknown, "", "server1,server2,server3"}, {"9:14:59", normal, "server1", ""}},
			findings: []fd{{"evidence-gap", info, ""}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat(tc.specs...))
			checkIntervals(t, rep, tc.want...)
			checkFindings(t, rep, tc.findings...)
			if tc.warn != "" {
				found := false
				for _, w := range rep.Warnings {
					found = found || strings.Contains(catalog.English(w), tc.warn)
				}
				if !found {
					t.Errorf("no warning about %q: %q", tc.warn, rep.Warnings)
				}
			}
		})
	}
}

// More failed-rejoin edges: the grace counts from the return ("Trying connection to" does not
// restart it), and the state needs the other two to hold the triad.
func TestFailedRejoinEdges(t *testing.T) {
	t.Run("trying connection does not restart the grace", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			lmstat("09:00-09:04 MUU", "09:05-09:08 MDU", "09:09-09:12 MRU"),
			returningServer2(
				ln("9:11:00", "lmgrd", "Trying connection to server1"),
				ln("9:12:30", "lmgrd", "Trying connection to server1"),
			))
		// deadline 9:13:30, evidence until 9:13:59
		checkIntervals(t, rep,
			iv{"9:00:59", normal, "server1", ""},
			iv{"9:05:59", degraded, "server1", "server2"},
			iv{"9:08:30", failedRejoin, "server1", "server2"},
		)
		checkFindings(t, rep, fd{"server-down", warning, "server2"}, fd{"failed-rejoin", critical, "server2"})
	})
	t.Run("down again after the grace", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:16 MRU", "09:17-09:25 MDU"))
		checkIntervals(t, rep,
			iv{"9:00:59", normal, "server1", ""},
			iv{"9:05:59", degraded, "server1", "server2"},
			iv{"9:10:59", failedRejoin, "server1", "server2"},
			iv{"9:17:59", degraded, "server1", "server2"},
		)
		checkFindings(t, rep, fd{"server-down", warning, "server2"}, fd{"failed-rejoin", critical, "server2"}, fd{"server-down", warning, "server2"})
		if f := findings(rep, "failed-rejoin"); len(f) == 1 && (!f[0].Start.Equal(at("9:10:59")) || !f[0].End.Equal(at("9:17:59"))) {
			t.Errorf("failed-rejoin spans %s-%s, want 09:10:59-09:17:59", f[0].Start.In(tokyo), f[0].End.In(tokyo))
		}
	})
	t.Run("down again inside the grace", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:12 MRU", "09:13-09:25 MDU"))
		checkIntervals(t, rep,
			iv{"9:00:59", normal, "server1", ""},
			iv{"9:05:59", degraded, "server1", "server2"},
		)
		// down, unresponsive for three minutes, down again: not up all along (TRIAD.md 5:
		// server-down is any status but up), one finding that says so
		checkFindings(t, rep, fd{"server-down", warning, "server2"})
		var spans []string
		for _, f := range findings(rep, "server-down") {
			spans = append(spans, f.Start.In(tokyo).Format("15:04:05")+"-"+f.End.In(tokyo).Format("15:04:05"))
			if s := catalog.English(f.Msg); !strings.Contains(s, "down, then unresponsive, then down") {
				t.Errorf("the summary does not say how: %s", s)
			}
		}
		if want := []string{"09:05:59-09:26:59"}; !reflect.DeepEqual(spans, want) {
			t.Errorf("server-down spans = %v, want %v", spans, want)
		}
	})
	t.Run("the others lose the triad", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			lmstat("09:00-09:04 MUU", "09:05-09:09 MDU", "09:10-09:20 MRU", "09:21-09:25 MRD"))
		checkIntervals(t, rep,
			iv{"9:00:59", normal, "server1", ""},
			iv{"9:05:59", degraded, "server1", "server2"},
			iv{"9:10:59", failedRejoin, "server1", "server2"},
			iv{"9:21:59", noQuorum, "server1", "server2,server3"},
		)
		checkFindings(t, rep, fd{"server-down", warning, "server2"}, fd{"failed-rejoin", critical, "server2"}, fd{"no-quorum", critical, ""})
		if f := findings(rep, "failed-rejoin"); len(f) == 1 && !f[0].End.Equal(at("9:21:59")) {
			t.Errorf("failed-rejoin ends %s, want 09:21:59", f[0].End.In(tokyo))
		}
		// Both critical: the no-quorum left no licenses for 5 minutes, the failed rejoin none (TRIAD.md 5).
		checkVerdict(t, rep, noQuorum, critical, 1)
	})
}

func TestClockSkewThreshold(t *testing.T) {
	for _, tc := range []struct {
		skew    time.Duration
		finding bool
	}{
		{60 * time.Second, false},
		{-60 * time.Second, false},
		{61 * time.Second, true},
		{-90 * time.Second, true},
	} {
		t.Run(tc.skew.String(), func(t *testing.T) {
			// server2's clock off by the skew, estimated from its mirrored lines
			rep := mustAnalyze(t, analyze.Config{}, crashInLogsShifted(tc.skew)...)
			var want []fd
			if tc.finding {
				want = append(want, fd{"clock-skew", warning, "server2"})
			}
			var got []fd
			for _, f := range findings(rep, "clock-skew") {
				got = append(got, fd{f.Code, f.Severity, f.Server})
			}
			if len(got) != len(want) || (len(got) == 1 && got[0] != want[0]) {
				t.Errorf("clock-skew findings = %v, want %v", got, want)
			}
		})
	}
}

// A server nothing speaks about could be down, up, or joining (started again unseen): a state
// holds only when the rules give it every way.
func TestUnknownServer(t *testing.T) {
	rep := readAnalyze(t, analyze.Config{}, licenseDat(""), // lmstat asks server1 and server2 only
		lmstatFile("lmstat.log", []string{"server1", "server2"}, "09:00-09:04 MU", "09:05-09:09 DD", "09:10-09:14 DM"))
	checkIntervals(t, rep,
		iv{"9:00:59", unknown, "server1", "server3"},          // normal or degraded
		iv{"9:05:59", unknown, "", "server1,server2,server3"}, // no-quorum, or a cold start of server3
		iv{"9:10:59", unknown, "server2", "server1,server3"},  // degraded or no-quorum
	)
	if s := status(t, rep, "9:00:59", 2); s != analyze.StatusUnknown {
		t.Errorf("server3 is %s, want unknown", s)
	}
	checkFindings(t, rep)

	// With server2 isolated (lmstat -20), an lmgrd runs: no cold start, no-quorum every way.
	rep = mustAnalyze(t, analyze.Config{}, licenseDat(""),
		lmstatFile("lmstat.log", []string{"server1", "server2"}, "09:00-09:04 MU", "09:05-09:09 DN"))
	checkIntervals(t, rep,
		iv{"9:00:59", unknown, "server1", "server3"},
		iv{"9:05:59", noQuorum, "", "server1,server2,server3"},
	)
	checkFindings(t, rep, fd{"no-quorum", critical, ""})
}

// After all three went down, their lmgrds start again: a cold start, not a failed rejoin.
func TestRestartAfterOutage(t *testing.T) {
	tail := []string{ln("9:20:00", "lmgrd", "TIMESTAMP 12/1/2010")}
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
		lmstat("09:00-09:04 MUU", "09:05-09:09 XXX", "09:12-09:20 MUU"),
		debugLog("server1.log", concat(coldStart("server1", "9:10:30", "9:11:00", "server1", "server2", "server3"), tail)...),
		debugLog("server2.log", concat(coldStart("server2", "9:10:35", "9:11:00", "server1", "server1", "server3"), tail)...),
		debugLog("server3.log", concat(coldStart("server3", "9:10:40", "9:11:00", "server1", "server1", "server2"), tail)...),
	)
	checkIntervals(t, rep,
		iv{"9:00:59", normal, "server1", ""},
		iv{"9:05:59", noQuorum, "", "server1,server2,server3"},
		iv{"9:10:30", starting, "", "server1,server2,server3"},
		iv{"9:11:00", normal, "server1", ""},
	)
	checkFindings(t, rep, fd{"no-quorum", critical, ""})
	if f := findings(rep, "no-quorum"); len(f) == 1 && !f[0].End.Equal(at("9:10:30")) {
		t.Errorf("no-quorum ends %s, want 09:10:30 (the cold start is not an outage)", f[0].End.In(tokyo))
	}
	checkVerdict(t, rep, noQuorum, critical, 1)
}

// Quorum and orderly stops seen in the logs alone.
func TestLogsOnly(t *testing.T) {
	start := func(self string, begin string, peers ...string) []string {
		return coldStart(self, begin, "9:00:30", "server1", peers...)
	}
	t.Run("lost quorum", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			debugLog("server1.log", concat(start("server1", "9:00:00", "server2", "server3"),
				[]string{ln("9:29:00", "bm", `OUT: "bm_solver" tanaka@pc-0123  `)})...),
			debugLog("server2.log", concat(start("server2", "9:00:05", "server1", "server3"),
				[]string{ln("9:29:00", "lmgrd", "TIMESTAMP 12/1/2010")})...),
			debugLog("server3.log", concat(start("server3", "9:00:10", "server1", "server2"),
				[]string{
					ln("9:30:00", "lmgrd", "Lost connection to server1"),
					ln("9:30:00", "lmgrd", "Lost connection to server2"),
					ln("9:30:00", "lmgrd", "lmgrd lost quorum.  lmgrd will now only"),
					ln("9:30:00", "lmgrd", "process connection requests from other lmgrd processes"),
					ln("9:40:00", "lmgrd", "TIMESTAMP 12/1/2010"),
				})...),
		)
		// The logs of server1 and server2 stop at 09:29 (a log that stops is not a crash);
		// server3 loses both and its quorum: from its side a partition and two crashed peers
		// look the same (TRIAD.md 3), so server1 and server2 are unknown, and the triad with
		// them: no-quorum if they died, degraded if they serve on the other side.
		checkIntervals(t, rep,
			iv{"9:00:00", starting, "", "server1,server2,server3"},
			iv{"9:00:30", normal, "server1", ""},
			iv{"9:30:00", unknown, "", "server1,server2,server3"},
		)
		if s := status(t, rep, "9:30:00", 2); s != analyze.StatusIsolated {
			t.Errorf("server3 is %s after it lost its quorum, want isolated", s)
		}
		checkFindings(t, rep)
	})
	t.Run("orderly stop of a server", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
			debugLog("server1.log", concat(start("server1", "9:00:00", "server2", "server3"),
				[]string{
					ln("9:15:00", "lmgrd", "Lost connection to server2"),
					ln("9:30:00", "bm", `OUT: "bm_solver" tanaka@pc-0123  `),
				})...),
			debugLog("server2.log", concat(start("server2", "9:00:05", "server1", "server3"),
				[]string{
					ln("9:15:00", "lmgrd", "SHUTDOWN request from admin at node server2"),
					ln("9:15:00", "lmgrd", "lmgrd will now shut down all the vendor daemons"),
					ln("9:15:00", "lmgrd", "EXITING DUE TO SIGNAL 15"),
				})...),
			debugLog("server3.log", concat(start("server3", "9:00:10", "server1", "server2"),
				[]string{
					ln("9:15:00", "lmgrd", "Lost connection to server2"),
					ln("9:30:00", "lmgrd", "TIMESTAMP 12/1/2010"),
				})...),
		)
		checkIntervals(t, rep,
			iv{"9:00:00", starting, "", "server1,server2,server3"},
			iv{"9:00:30", normal, "server1", ""},
			iv{"9:15:00", degraded, "server1", "server2"},
		)
		// A planned stop, but server2 is not up again before the evidence ends: its span is
		// not planned (TRIAD.md section 5).
		checkFindings(t, rep, fd{"server-down", warning, "server2"}, fd{"planned-shutdown", info, "server2"})
		checkVerdict(t, rep, degraded, warning, 1)
	})
}

// A stamped snapshot taken in the same second as a log line: the line, exact to the second,
// wins the tie. server2's banner is at 09:08:30; a snapshot stamped 09:08:30 still shows it
// down: it must not put server2 down again after its return.
func TestStampedSnapshotTie(t *testing.T) {
	// lmstat's clock given as on time: estimated, it would be put one second early here,
	// which hides the tie.
	rep := mustAnalyze(t, analyze.Config{Skew: map[string]time.Duration{"lmstat": 0}}, licenseDat(""),
		lmstat("09:00-09:07 MDU", "09:08 MDU 2010-12-01T09:08:30+09:00", "09:09-09:20 MRU"),
		returningServer2(ln("9:30:00", "lmgrd", "TIMESTAMP 12/1/2010")))
	fr := findings(rep, "failed-rejoin")
	if len(fr) != 1 || !fr[0].Start.Equal(at("9:08:30")) {
		t.Errorf("failed-rejoin should start at the banner 09:08:30\n%s", dump(rep))
	}
	for _, f := range findings(rep, "server-down") {
		if f.End.After(at("9:08:30")) {
			t.Errorf("server-down until %s, after the return\n%s", f.End.In(tokyo).Format("15:04:05"), dump(rep))
		}
	}
}

// TestVendorDaemonDown: lmstat's -97 on the master means that vendor's licenses are not
// served, though the triad is normal: a warning, critical over 10 minutes. Without a master
// the outage is masterless already, and a start of the vendor daemon in the master's log
// ends it.
func TestVendorDaemonDown(t *testing.T) {
	t.Run("15 minutes: critical", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:04 MUU", "09:05-09:19 VUU", "09:20-09:25 MUU"))
		checkIntervals(t, rep, iv{"9:00:59", normal, "server1", ""})
		checkFindings(t, rep, fd{"vendor-daemon-down", critical, "server1"})
		f := findings(rep, "vendor-daemon-down")[0]
		if !f.Start.Equal(at("9:05:59")) || !f.End.Equal(at("9:20:59")) {
			t.Errorf("vendor-daemon-down %s-%s, want 09:05:59-09:20:59", f.Start.In(tokyo), f.End.In(tokyo))
		}
		if s := catalog.English(f.Msg); !strings.Contains(s, "licenses of bm were not served") {
			t.Errorf("summary %q does not say bm's licenses were not served", s)
		}
		checkVerdict(t, rep, normal, critical, 1)
	})
	t.Run("3 minutes: warning", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:04 MUU", "09:05-09:07 VUU", "09:08-09:12 MUU"))
		checkFindings(t, rep, fd{"vendor-daemon-down", warning, "server1"})
	})
	t.Run("no master: masterless, not a vendor finding", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:04 MUU", "09:05-09:07 UUU", "09:08-09:12 MUU"))
		checkFindings(t, rep, fd{"masterless", warning, ""})
	})
	t.Run("the master's log starts it inside the run's minute", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:04 MUU", "09:05 VUU", "09:06-09:10 MUU"),
			debugLog("server1.log", stamp("9:00:00"), ln("9:04:30", "bm", "EXITING DUE TO SIGNAL 37 Exit reason 5"),
				ln("9:04:31", "lmgrd", "bm exited with status 37 (Communications error)"),
				ln("9:05:20", "lmgrd", "REStarted bm (internet tcp_port 27010 pid 2180)"), ln("9:10:00", "lmgrd", "TIMESTAMP 12/1/2010")))
		f := findings(rep, "vendor-daemon-down")
		if len(f) != 1 || !f[0].Start.Equal(at("9:04:30")) || !f[0].End.Equal(at("9:05:20")) {
			t.Fatalf("vendor-daemon-down = %v, want one from the exit at 09:04:30 to the restart at 09:05:20 (the log is exact; the run's -97 is of its minute)\n%s", f, dump(rep))
		}
	})
}
