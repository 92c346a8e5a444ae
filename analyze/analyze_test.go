package analyze_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests read times in Asia/Tokyo on any machine

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// The synthetic incidents below all happen on Wed 2010-12-01 in Asia/Tokyo, like the bundled
// sample (samples/kgtn-2010120101), and use the line forms of its files.

var tokyo = mustZone("Asia/Tokyo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is the time h:mm:ss on 2010-12-01 in Asia/Tokyo.
func at(hms string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2010-12-01 "+hms, tokyo)
	if err != nil {
		panic(err)
	}
	return t
}

// input is one file given to the analysis: its name and its text.
type input struct{ name, text string }

// licenseDat is a license file for the server1/server2/server3 triad; firstExtra is appended
// to the first SERVER line (PRIMARY_IS_MASTER, HEARTBEAT_INTERVAL=...).
func licenseDat(firstExtra string) input { return licenseFor(triadNames, firstExtra) }

// licenseFor is the same license file for other host names.
func licenseFor(hosts []string, firstExtra string) input {
	first := "SERVER " + hosts[0] + " 17003456 27001"
	if firstExtra != "" {
		first += " " + firstExtra
	}
	return input{"license.dat", strings.Join([]string{
		"# bm license file for the server1/server2/server3 triad (three-server redundancy)",
		first,
		"SERVER " + hosts[1] + " 17004355 27001",
		"SERVER " + hosts[2] + " 17007ea8 27001",
		"VENDOR bm",
		"USE_SERVER",
		`FEATURE bm_solver bm 1.0 permanent 10 ISSUED=15-nov-2010 SIGN="0A3F 91C2 7B4E 2D80"`,
		"",
	}, "\r\n")}
}

// ln is one debug-log line: " 9:00:00 (lmgrd) message" (hours below 10 get a leading space).
func ln(hms, daemon, msg string) string {
	return fmt.Sprintf("%8s (%s) %s", hms, daemon, msg)
}

// banner is lmgrd's start banner on a Windows server.
func banner(hms, host string) string {
	return bannerOn(hms, host, "IBM PC")
}

func bannerOn(hms, host, platform string) string {
	return ln(hms, "lmgrd", fmt.Sprintf("FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on %s (%s) (12/1/2010)", host, platform))
}

// stamp is a date line for a log that starts in the middle of a run (no banner).
func stamp(hms string) string { return ln(hms, "lmgrd", "TIMESTAMP 12/1/2010") }

// debugLog joins log lines into a debug log file.
func debugLog(name string, lines ...string) input {
	return input{name, strings.Join(lines, "\r\n") + "\r\n"}
}

// coldStart is the start of a server's log: banner, connections to its peers, and the
// agreement on a master.
func coldStart(self string, start, connected, master string, peers ...string) []string {
	out := []string{
		ln(start, "lmgrd", "Server's System Date and Time: Wed Dec 01 2010 "+pad(start)+" Tokyo Standard Time"),
		banner(start, self),
		ln(start, "lmgrd", "License file(s): C:\\flexlm\\license.dat"),
		ln(start, "lmgrd", "lmgrd tcp-port 27001"),
	}
	for _, p := range peers {
		out = append(out, ln(start, "lmgrd", "Trying connection to "+p))
	}
	for _, p := range peers {
		out = append(out, ln(connected, "lmgrd", "Connected to "+p))
	}
	return append(out,
		ln(connected, "lmgrd", "CONNECTED, master is "+master),
		ln(connected, "lmgrd", "Starting vendor daemons ... "),
		ln(connected, "lmgrd", "Started bm (pid 2344)"),
		ln(connected, "bm", "FLEXnet Licensing version v10.8.0.7 build 31286 i86_n3"),
	)
}

func pad(hms string) string {
	if len(hms) == 7 {
		return "0" + hms
	}
	return hms
}

// lostMaster is what a survivor logs when the master goes away.
func lostMaster(hms, master string) []string {
	return []string{
		ln(hms, "lmgrd", "Lost connection to "+master),
		ln(hms, "lmgrd", "Lost connection to master"),
		ln(hms, "lmgrd", "lmgrd will now attempt to select a new master"),
		ln(hms, "lmgrd", "lmgrd will now shut down all vendor daemons"),
		ln(hms, "lmgrd", "SHUTting down bm"),
	}
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var triadNames = []string{"server1", "server2", "server3"}

// serverLine is an lmstat server line for a one-letter status code:
// M UP (MASTER), U UP, H UP without the (MASTER) mark but with the vendor daemon UP on it, D -96 down, C -15 cannot connect, R -16 cannot read (hung),
// N -20 no majority, J -23 new server connecting, V UP (MASTER) with its vendor daemon down (-97).
func serverLine(name string, code byte) string {
	var s string
	switch code {
	case 'M', 'V':
		s = "license server UP (MASTER) v10.8"
	case 'U', 'H':
		s = "license server UP v10.8"
	case 'D':
		s = "License server machine is down or not responding. (-96,7)"
	case 'C':
		s = `Cannot connect to license server system. (-15,10:10061 "WinSock: Connection refused")`
	case 'R':
		s = "Cannot read data from license server system. (-16,287)"
	case 'N':
		s = "License server system busy (no majority). (-20,10)"
	case 'J':
		s = "License server system temporarily busy (new server connecting). (-23,10)"
	default:
		panic("unknown server code " + string(code))
	}
	return fmt.Sprintf("%10s: %s", name, s)
}

// snapshot renders one lmstat run. spec is "HH:MM CODES [STAMP]": one code per server (see
// serverLine), or all X for "lmgrd is not running", or all ! for "Error getting status"; STAMP
// is an RFC 3339 time written on a line of its own before the run.
func snapshot(names []string, spec string) string {
	f := strings.Fields(spec)
	if len(f) < 2 || len(f[1]) != len(names) {
		panic("bad snapshot spec " + spec)
	}
	hhmm, codes := f[0], f[1]
	var lines []string
	if len(f) > 2 {
		lines = append(lines, "# "+f[2])
	}
	var ports []string
	for _, n := range names {
		ports = append(ports, "27001@"+n)
	}
	lines = append(lines,
		"lmutil - Copyright (c) 1989-2007 Macrovision Europe Ltd. and/or Macrovision Corporation. All Rights Reserved.",
		"Flexible License Manager status on Wed 12/1/2010 "+hhmm,
		"",
		"[Detecting lmgrd processes...]",
	)
	switch strings.Trim(codes, codes[:1]) {
	case "":
		switch codes[0] {
		case '!':
			lines = append(lines, "Error getting status: Cannot read data from license server system. (-16,287)", "")
			return strings.Join(lines, "\r\n") + "\r\n"
		case 'X':
			lines = append(lines, "License server status: "+strings.Join(ports, ","),
				"    License file(s) on "+names[0]+": C:\\flexlm\\license.dat:", "",
				"lmgrd is not running: License server machine is down or not responding. (-96,7)", "")
			return strings.Join(lines, "\r\n") + "\r\n"
		}
	}
	lines = append(lines,
		"License server status: "+strings.Join(ports, ","),
		"    License file(s) on "+names[0]+": C:\\flexlm\\license.dat:",
		"",
	)
	master := ""
	vendor := "        bm: UP v10.8"
	for i, n := range names {
		lines = append(lines, serverLine(n, codes[i]))
		if (codes[i] == 'M' || codes[i] == 'H' || codes[i] == 'V') && master == "" {
			master = n
		}
		if codes[i] == 'V' {
			vendor = "        bm: The desired vendor daemon is down. (-97,121)"
		}
	}
	if master == "" {
		master = names[0]
		vendor = "        bm: The desired vendor daemon is down. (-97,121)"
	}
	lines = append(lines, "", "Vendor daemon status (on "+master+"):", "", vendor, "",
		"Feature usage info:", "",
		"Users of bm_solver:  (Total of 10 licenses issued;  Total of 0 licenses in use)", "")
	return strings.Join(lines, "\r\n") + "\r\n"
}

// minutes expands "HH:MM-HH:MM CODES" into one spec a minute (both ends included); other
// specs pass through.
func minutes(specs ...string) []string {
	var out []string
	for _, spec := range specs {
		span, rest, _ := strings.Cut(spec, " ")
		from, to, isRange := strings.Cut(span, "-")
		if !isRange {
			out = append(out, spec)
			continue
		}
		t, end := at(from+":00"), at(to+":00")
		for ; !t.After(end); t = t.Add(time.Minute) {
			out = append(out, t.Format("15:04")+" "+rest)
		}
	}
	return out
}

// lmstatFile is an lmstat output file with one snapshot per spec (ranges allowed).
func lmstatFile(name string, names []string, specs ...string) input {
	var b strings.Builder
	for _, s := range minutes(specs...) {
		b.WriteString(snapshot(names, s))
	}
	return input{name, b.String()}
}

func lmstat(specs ...string) input { return lmstatFile("lmstat.log", triadNames, specs...) }

func read(t testing.TB, ins ...input) []*parser.File {
	t.Helper()
	var files []*parser.File
	for _, in := range ins {
		f, err := parser.Read(strings.NewReader(in.text), in.name, parser.Options{Location: tokyo})
		if err != nil {
			t.Fatalf("parser.Read(%s): %v", in.name, err)
		}
		files = append(files, f)
	}
	return files
}

func analyzeInputs(t testing.TB, cfg analyze.Config, ins ...input) (*analyze.Report, error) {
	t.Helper()
	if cfg.Location == nil {
		cfg.Location = tokyo
	}
	return analyze.Analyze(read(t, ins...), cfg)
}

// readAnalyze is mustAnalyze for inputs that may tell the state at no moment (all unknown:
// inconclusive, ErrNoEvidence), whose report a test still reads.
func readAnalyze(t testing.TB, cfg analyze.Config, ins ...input) *analyze.Report {
	t.Helper()
	rep, err := analyzeInputs(t, cfg, ins...)
	if err != nil && !errors.Is(err, analyze.ErrNoEvidence) {
		t.Fatalf("Analyze: %v", err)
	}
	return rep
}

func mustAnalyze(t testing.TB, cfg analyze.Config, ins ...input) *analyze.Report {
	t.Helper()
	rep, err := analyzeInputs(t, cfg, ins...)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return rep
}

// iv is an expected interval: its start (h:mm:ss in Tokyo), state, masters and the servers
// not up at its start (comma-separated, SERVER-line order).
type iv struct {
	start   string
	state   analyze.State
	masters string
	notUp   string
}

func (w iv) String() string {
	return fmt.Sprintf("%s %s masters=[%s] not-up=[%s]", at(w.start).Format("15:04:05"), w.state, w.masters, w.notUp)
}

func gotIntervals(rep *analyze.Report) []string {
	var out []string
	for _, x := range rep.Intervals {
		var notUp []string
		for _, s := range x.NotUp() {
			notUp = append(notUp, s.Server)
		}
		out = append(out, fmt.Sprintf("%s %s masters=[%s] not-up=[%s]", x.Start.In(tokyo).Format("15:04:05"), x.State,
			strings.Join(x.Masters, ","), strings.Join(notUp, ",")))
	}
	return out
}

// checkIntervals compares the whole sequence of intervals.
func checkIntervals(t testing.TB, rep *analyze.Report, want ...iv) {
	t.Helper()
	var w []string
	for _, x := range want {
		w = append(w, x.String())
	}
	got := gotIntervals(rep)
	if !reflect.DeepEqual(got, w) {
		t.Errorf("intervals:\n got  %s\n want %s\n%s", strings.Join(got, "\n      "), strings.Join(w, "\n      "), dump(rep))
	}
}

func states(rep *analyze.Report) []analyze.State {
	var out []analyze.State
	for _, x := range rep.Intervals {
		out = append(out, x.State)
	}
	return out
}

func starts(rep *analyze.Report) []string {
	var out []string
	for _, x := range rep.Intervals {
		out = append(out, x.Start.In(tokyo).Format("15:04:05"))
	}
	return out
}

// fd is an expected finding.
type fd struct {
	code   string
	sev    analyze.Severity
	server string
}

func (f fd) String() string { return fmt.Sprintf("%s/%s/%s", f.code, f.sev, f.server) }

func gotFindings(rep *analyze.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fd{f.Code, f.Severity, f.Server}.String())
	}
	sort.Strings(out)
	return out
}

// checkFindings compares the findings as a set of (code, severity, server).
func checkFindings(t testing.TB, rep *analyze.Report, want ...fd) {
	t.Helper()
	w := []string{}
	for _, f := range want {
		w = append(w, f.String())
	}
	sort.Strings(w)
	got := gotFindings(rep)
	if got == nil {
		got = []string{}
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("findings:\n got  %v\n want %v\n%s", got, w, dump(rep))
	}
}

func findings(rep *analyze.Report, code string) []analyze.Finding {
	var out []analyze.Finding
	for _, f := range rep.Findings {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func checkVerdict(t testing.TB, rep *analyze.Report, state analyze.State, sev analyze.Severity, exit int) {
	t.Helper()
	v := rep.Verdict
	if v.State != state || v.Severity != sev || v.ExitCode != exit {
		t.Errorf("verdict = (%s, %s, exit %d), want (%s, %s, exit %d)\n%s", v.State, v.Severity, v.ExitCode, state, sev, exit, dump(rep))
	}
}

// dump prints a report's intervals and findings for failure messages.
func dump(rep *analyze.Report) string {
	if rep == nil {
		return "(no report)"
	}
	var b strings.Builder
	b.WriteString("report intervals:\n")
	for _, x := range rep.Intervals {
		var ss []string
		for _, s := range x.Servers {
			ss = append(ss, s.Server+"="+string(s.Status))
		}
		fmt.Fprintf(&b, "  %s-%s %-13s masters=%v %s\n", x.Start.In(tokyo).Format("15:04:05"), x.End.In(tokyo).Format("15:04:05"), x.State, x.Masters, strings.Join(ss, " "))
	}
	b.WriteString("report findings:\n")
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s %s %q %s-%s %s\n", f.Code, f.Severity, f.Server, f.Start.In(tokyo).Format("15:04:05"), f.End.In(tokyo).Format("15:04:05"), catalog.English(f.Msg))
	}
	fmt.Fprintf(&b, "verdict: %s %s exit %d: %s\n", rep.Verdict.State, rep.Verdict.Severity, rep.Verdict.ExitCode, catalog.English(rep.Verdict.Msg))
	return b.String()
}

// ---- the bundled sample incident ----

const sampleDir = "../samples/kgtn-2010120101"

func readSample(t *testing.T, names ...string) []*parser.File {
	t.Helper()
	var files []*parser.File
	for _, n := range names {
		path := filepath.Join(sampleDir, n)
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.Read(fh, path, parser.Options{Location: tokyo})
		fh.Close()
		if err != nil {
			t.Fatalf("parser.Read(%s): %v", path, err)
		}
		files = append(files, f)
	}
	return files
}

func TestSample(t *testing.T) {
	all := []analyze.State{analyze.Starting, analyze.Normal, analyze.Masterless, analyze.Degraded, analyze.DualMaster,
		analyze.Normal, analyze.Masterless, analyze.Degraded, analyze.FailedRejoin}
	fromLogs := []string{"08:55:10", "08:56:06", "10:14:29", "10:16:10", "11:30:10", "11:31:40", "12:41:39", "12:43:05", "12:58:32"}
	for _, tc := range []struct {
		name   string
		files  []string
		states []analyze.State
		starts []string // nil: not checked
	}{
		{"all evidence", []string{"license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"}, all, fromLogs},
		{"lmstat and license", []string{"license.dat", "lmstat.log"}, all[1:],
			[]string{"09:00:59", "10:14:59", "10:17:59", "11:31:59", "11:32:59", "12:41:59", "12:44:59", "12:59:59"}},
		// Logs alone: server2's log ends at 13:03:05, 4m33s after its return and before the
		// rejoin grace runs out; nothing says whether its lmgrd ran on after: unknown from then.
		{"logs and license", []string{"license.dat", "server1.log", "server2.log", "server3.log"},
			append(append([]analyze.State(nil), all[:8]...), analyze.Unknown),
			append(append([]string(nil), fromLogs[:8]...), "13:03:06")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := analyze.Analyze(readSample(t, tc.files...), analyze.Config{Location: tokyo})
			if err != nil {
				t.Fatalf("Analyze: %v", err)
			}
			if got := states(rep); !reflect.DeepEqual(got, tc.states) {
				t.Errorf("states = %v, want %v\n%s", got, tc.states, dump(rep))
			}
			if tc.starts != nil {
				if got := starts(rep); !reflect.DeepEqual(got, tc.starts) {
					t.Errorf("interval starts = %v, want %v\n%s", got, tc.starts, dump(rep))
				}
			}
			if tc.states[len(tc.states)-1] != analyze.FailedRejoin {
				if fr := findings(rep, "failed-rejoin"); len(fr) != 0 {
					t.Errorf("failed-rejoin findings %+v, want none from logs alone", fr)
				}
				return
			}
			fr := findings(rep, "failed-rejoin")
			if len(fr) != 1 {
				t.Fatalf("%d failed-rejoin findings, want 1\n%s", len(fr), dump(rep))
			}
			f := fr[0]
			if f.Server != "server2" || f.Severity != analyze.SeverityCritical {
				t.Errorf("failed-rejoin finding on %q (%s), want server2 (critical)", f.Server, f.Severity)
			}
			if fx := catalog.FixFor(f.Code, "en"); fx == nil || fx.Ref != "KGTN 2010112602" || len(fx.Steps) == 0 {
				t.Errorf("failed-rejoin fix = %+v, want ref KGTN 2010112602 with steps", fx)
			}
			if last := rep.Intervals[len(rep.Intervals)-1]; !f.Start.Equal(last.Start) {
				t.Errorf("failed-rejoin finding starts %s, want the interval's start %s", f.Start, last.Start)
			}
			checkVerdict(t, rep, analyze.FailedRejoin, analyze.SeverityCritical, 1)
			if rep.Verdict.Finding == nil || rep.Verdict.Finding.Code != "failed-rejoin" {
				t.Errorf("verdict rests on %+v, want the failed-rejoin finding", rep.Verdict.Finding)
			}
		})
	}
}

// The sample's findings as its README lists them (all evidence).
func TestSampleFindings(t *testing.T) {
	rep, err := analyze.Analyze(readSample(t, "license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"), analyze.Config{Location: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	checkFindings(t, rep,
		fd{"masterless", analyze.SeverityWarning, ""},
		fd{"server-down", analyze.SeverityWarning, "server1"},
		fd{"dual-master", analyze.SeverityWarning, ""},
		fd{"master-not-returned", analyze.SeverityInfo, "server1"},
		fd{"vendor-daemon-exit", analyze.SeverityWarning, "server1"},
		fd{"masterless", analyze.SeverityWarning, ""},
		fd{"server-down", analyze.SeverityWarning, "server2"},
		fd{"failed-rejoin", analyze.SeverityCritical, "server2"},
	)
	if tr := rep.Triad; len(tr.Servers) != 3 || tr.Servers[0].Name != "server1" || tr.Servers[0].Role != "primary" ||
		tr.Servers[2].Role != "tertiary" || tr.PrimaryIsMaster || tr.HeartbeatTimeout != 79*time.Second {
		t.Errorf("triad = %+v", tr)
	}
}

func TestDeterministic(t *testing.T) {
	t.Run("sample", func(t *testing.T) {
		names := []string{"license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"}
		a, err := analyze.Analyze(readSample(t, names...), analyze.Config{Location: tokyo})
		if err != nil {
			t.Fatal(err)
		}
		b, err := analyze.Analyze(readSample(t, names...), analyze.Config{Location: tokyo})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Error("two analyses of the same sample differ")
		}
	})
	t.Run("synthetic", func(t *testing.T) {
		ins := crashInLogs()
		cfg := analyze.Config{Skew: map[string]time.Duration{"server2": 0, "lmstat": 0}}
		a := mustAnalyze(t, cfg, ins...)
		b := mustAnalyze(t, cfg, ins...)
		if !reflect.DeepEqual(a, b) {
			t.Error("two analyses of the same inputs differ")
		}
	})
}

// ---- host identity, clock skew ----

func TestHostIdentity(t *testing.T) {
	fqdn := []string{"server1.corp.example.com", "server2.corp.example.com", "server3.corp.example.com"}
	for _, tc := range []struct {
		name    string
		license []string // SERVER hosts
		lmstat  []string // the names lmstat prints
		want    []string // member names
	}{
		{"lmstat prints FQDNs", triadNames, fqdn, triadNames},
		{"the license has FQDNs", fqdn, triadNames, fqdn},
		{"lmstat prints upper case", triadNames, []string{"SERVER1", "server2.corp.example.com", "Server3"}, triadNames},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{},
				licenseFor(tc.license, ""),
				lmstatFile("lmstat.log", tc.lmstat, "09:00-09:10 MUU"),
			)
			if len(rep.Triad.Servers) != 3 {
				t.Fatalf("triad has %d servers, want 3: %+v", len(rep.Triad.Servers), rep.Triad.Servers)
			}
			for i, s := range rep.Triad.Servers {
				if s.Name != tc.want[i] || !reflect.DeepEqual(s.Aliases, []string{tc.lmstat[i]}) {
					t.Errorf("server %d = %s aliases %v, want %s aliases [%s]", i, s.Name, s.Aliases, tc.want[i], tc.lmstat[i])
				}
			}
			var got []string
			for _, x := range rep.Intervals {
				got = append(got, fmt.Sprintf("%s %s %v", x.Start.In(tokyo).Format("15:04:05"), x.State, x.Masters))
			}
			if want := []string{"09:00:59 normal [" + tc.want[0] + "]"}; !reflect.DeepEqual(got, want) {
				t.Errorf("intervals = %v, want %v\n%s", got, want, dump(rep))
			}
			checkFindings(t, rep)
			for _, w := range rep.Warnings {
				if strings.Contains(catalog.English(w), "not a member") {
					t.Errorf("unexpected warning: %s", w)
				}
			}
		})
	}
}

// lmstat compares names letter for letter: asked for FQDNs, it prints no (MASTER) mark when the
// servers name the master by its short name. The vendor daemon answering on server1 shows the
// master; a warning says so. Zero marks with the vendor daemon down is masterless.
func TestHiddenMasterMark(t *testing.T) {
	fqdn := []string{"server1.corp.example.com", "server2.corp.example.com", "server3.corp.example.com"}
	rep := mustAnalyze(t, analyze.Config{}, licenseDat(""),
		lmstatFile("lmstat.log", fqdn, "09:00-09:10 HUU", "09:11-09:12 DUU", "09:13-09:20 DHU"))
	checkIntervals(t, rep,
		iv{"9:00:59", analyze.Normal, "server1", ""},
		iv{"9:11:59", analyze.Masterless, "", "server1"},
		iv{"9:13:59", analyze.Degraded, "server2", "server1"},
	)
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(catalog.English(w), "(MASTER)")
	}
	if !found {
		t.Errorf("no warning about the missing (MASTER) mark: %q", rep.Warnings)
	}
}

// crashInLogs is a cold start at 9:00 and a crash of the master server1 seen only in the
// logs: server1's log stops at 9:20:00, server2 loses it at 9:21:19 and server3 at 9:21:20,
// and both agree on server2 at 9:22:30. shift moves server2's clock ahead.
func crashInLogsShifted(shift time.Duration) []input {
	s2 := func(hms string) string {
		return at(hms).Add(shift).Format("15:04:05")
	}
	return []input{
		licenseDat(""),
		debugLog("server1.log", concat(
			coldStart("server1", "9:00:00", "9:00:30", "server1", "server2", "server3"),
			[]string{
				ln("9:10:00", "bm", `OUT: "bm_solver" tanaka@pc-0123  `),
				ln("9:20:00", "bm", `IN: "bm_solver" tanaka@pc-0123  `),
			})...),
		debugLog("server2.log", concat(
			coldStart("server2", s2("9:00:05"), s2("9:00:30"), "server1", "server1", "server3"),
			lostMaster(s2("9:21:19"), "server1"),
			[]string{
				ln(s2("9:22:30"), "lmgrd", "CONNECTED, master is server2"),
				ln(s2("9:22:30"), "lmgrd", "Started bm (pid 3528)"),
				ln(s2("9:30:00"), "bm", `OUT: "bm_solver" tanaka@pc-0123  `),
				ln(s2("9:40:00"), "bm", `IN: "bm_solver" tanaka@pc-0123  `),
			})...),
		debugLog("server3.log", concat(
			coldStart("server3", "9:00:10", "9:00:30", "server1", "server1", "server2"),
			lostMaster("9:21:20", "server1"),
			[]string{
				ln("9:22:30", "lmgrd", "CONNECTED, master is server2"),
				ln("9:22:30", "lmgrd", "Started bm (pid 3460)"),
				ln("9:40:00", "bm", "TIMESTAMP 12/1/2010"),
			})...),
	}
}

func crashInLogs() []input { return crashInLogsShifted(0) }

var crashInLogsIntervals = []iv{
	{"9:00:00", analyze.Starting, "", "server1,server2,server3"},
	{"9:00:30", analyze.Normal, "server1", ""},
	{"9:21:19", analyze.Masterless, "", "server1"},
	{"9:22:30", analyze.Degraded, "server2", "server1"},
}

func TestClockSkewGiven(t *testing.T) {
	ins := crashInLogsShifted(150 * time.Second) // server2's clock runs 150 s ahead
	t.Run("corrected", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{Skew: map[string]time.Duration{"server2": 150 * time.Second}}, ins...)
		checkIntervals(t, rep, crashInLogsIntervals...)
		// A given offset is known already: clock-skew is for estimated ones (TRIAD.md 5).
		if cs := findings(rep, "clock-skew"); len(cs) != 0 {
			t.Errorf("clock-skew findings = %v for a given offset\n%s", cs, dump(rep))
		}
		found := false
		for _, s := range rep.Clock.Skew {
			if s.Server == "server2" {
				found = true
				if s.Offset != 150*time.Second || s.Method != "given" {
					t.Errorf("server2 skew = %+v, want +150s given", s)
				}
			}
		}
		if !found {
			t.Errorf("no skew entry for server2: %+v", rep.Clock.Skew)
		}
	})
	t.Run("estimated", func(t *testing.T) {
		// Not given: estimated from the mirrored "Connected to" lines, and reported.
		rep := mustAnalyze(t, analyze.Config{}, ins...)
		checkIntervals(t, rep, crashInLogsIntervals...)
		cs := findings(rep, "clock-skew")
		if len(cs) != 1 || cs[0].Server != "server2" || cs[0].Severity != analyze.SeverityWarning {
			t.Errorf("clock-skew findings = %v, want one warning on server2\n%s", cs, dump(rep))
		}
	})
	t.Run("given as zero", func(t *testing.T) {
		// The same logs taken at face value: server1's Connected to server2 at 9:00:30, two
		// minutes before server2's log begins, says server2's lmgrd ran before its log (a log
		// covers its server from its first line, TRIAD.md 4), so the triad is normal until
		// server2's banner at 9:02:35 (a restart, joining until 9:03:00); server3's loss of
		// the master is the first sign of the crash.
		rep := mustAnalyze(t, analyze.Config{Skew: map[string]time.Duration{"server2": 0}}, ins...)
		checkIntervals(t, rep,
			iv{"9:00:00", analyze.Starting, "", "server1,server2,server3"},
			iv{"9:00:30", analyze.Normal, "server1", ""},
			iv{"9:02:35", analyze.Degraded, "server1", "server2"},
			iv{"9:03:00", analyze.Normal, "server1", ""},
			iv{"9:21:20", analyze.Masterless, "", "server1"},
			iv{"9:22:30", analyze.Degraded, "server2", "server1"},
		)
		if cs := findings(rep, "clock-skew"); len(cs) != 0 {
			t.Errorf("clock-skew findings %v with a given offset of 0", cs)
		}
	})
}

// ---- errors ----

func TestErrors(t *testing.T) {
	oneServer := input{"license.dat", "SERVER server1 17003456 27001\r\nVENDOR bm\r\n"}
	t.Run("one server", func(t *testing.T) {
		_, err := analyzeInputs(t, analyze.Config{}, oneServer,
			lmstatFile("lmstat.log", []string{"server1"}, "09:00-09:05 M"))
		if !errors.Is(err, analyze.ErrNotTriad) {
			t.Errorf("err = %v, want ErrNotTriad", err)
		}
	})
	t.Run("one server, log only", func(t *testing.T) {
		_, err := analyzeInputs(t, analyze.Config{}, debugLog("server1.log",
			banner("9:00:00", "server1"), ln("9:00:01", "lmgrd", "lmgrd tcp-port 27001")))
		if !errors.Is(err, analyze.ErrNotTriad) {
			t.Errorf("err = %v, want ErrNotTriad", err)
		}
	})
	// A snapshot that names more than three servers is not a triad (exit 3, the report says
	// so), unless a license file names three of them: then the others are one warning.
	five := []string{"server1", "server2", "server3", "server4", "server5"}
	t.Run("five servers in a snapshot", func(t *testing.T) {
		rep, err := analyzeInputs(t, analyze.Config{}, lmstatFile("lmstat.log", five, "09:00-09:05 MUUUU"))
		if !errors.Is(err, analyze.ErrNotTriad) {
			t.Fatalf("err = %v, want ErrNotTriad", err)
		}
		if s := catalog.English(rep.Verdict.Msg); rep.Verdict.Severity != analyze.SeverityInconclusive || !strings.Contains(s, "5 servers") {
			t.Errorf("verdict %s %q, want inconclusive, saying 5 servers", rep.Verdict.Severity, s)
		}
	})
	t.Run("five servers, a license file names three", func(t *testing.T) {
		rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstatFile("lmstat.log", five, "09:00-09:05 MUUUU"))
		checkIntervals(t, rep, iv{"9:00:59", analyze.Normal, "server1", ""})
		var ws []string
		for _, w := range rep.Warnings {
			ws = append(ws, catalog.English(w))
		}
		if len(ws) != 1 || !strings.Contains(ws[0], "lmstat names 2 servers that are not members") {
			t.Errorf("warnings %q, want one about the 2 other servers", ws)
		}
	})
	t.Run("license only", func(t *testing.T) {
		_, err := analyzeInputs(t, analyze.Config{}, licenseDat(""))
		if !errors.Is(err, analyze.ErrNoEvidence) {
			t.Errorf("err = %v, want ErrNoEvidence", err)
		}
	})
	t.Run("no files", func(t *testing.T) {
		_, err := analyze.Analyze(nil, analyze.Config{Location: tokyo})
		if !errors.Is(err, analyze.ErrNoInput) {
			t.Errorf("err = %v, want ErrNoInput", err)
		}
	})
	t.Run("nothing usable", func(t *testing.T) {
		_, err := analyzeInputs(t, analyze.Config{}, input{"notes.txt", "the servers were restarted by hand\nno logs kept\n"},
			input{"empty.log", ""})
		if !errors.Is(err, analyze.ErrNoInput) {
			t.Errorf("err = %v, want ErrNoInput", err)
		}
	})

	// A debug log without a banner, whose name names no member.
	anon := debugLog("lmgrd.log",
		stamp("9:00:00"),
		ln("9:00:00", "lmgrd", "Connected to server1"),
		ln("9:05:00", "lmgrd", "Connected to server3"),
	)
	t.Run("unassigned log", func(t *testing.T) {
		_, err := analyzeInputs(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:10 MUU"), anon)
		var ie *analyze.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("err = %v (%T), want *analyze.InputError", err, err)
		}
		if ie.File != "lmgrd.log" || !strings.Contains(ie.Error(), "--server") {
			t.Errorf("InputError = %q, want it on lmgrd.log and to say how to fix it (--server)", ie.Error())
		}
	})
	t.Run("assigned log", func(t *testing.T) {
		rep, err := analyzeInputs(t, analyze.Config{Servers: map[string]string{"lmgrd.log": "server2"}},
			licenseDat(""), lmstat("09:00-09:10 MUU"), anon)
		if err != nil {
			t.Fatalf("Analyze: %v", err)
		}
		found := false
		for _, in := range rep.Inputs {
			if in.Path == "lmgrd.log" {
				found = true
				if in.Server != "server2" || in.Kind != "debuglog" {
					t.Errorf("lmgrd.log read as %s of %q, want a debuglog of server2", in.Kind, in.Server)
				}
			}
		}
		if !found {
			t.Errorf("lmgrd.log not among the inputs: %+v", rep.Inputs)
		}
	})
}

// TestZoneReported: where the zone came from and the lines that fixed it are the report's
// (Clock), and the warnings of deciding it open the report's warnings, even when the analysis
// is inconclusive.
func TestZoneReported(t *testing.T) {
	ev := []analyze.ZoneRef{{File: "server1.log", Line: 22, Text: "Server's System Date and Time: Wed Dec 01 2010 08:55:10 Tokyo Standard Time", Says: "Tokyo Standard Time"}}
	warn := msg.New("warn.zone.machine", "zone", msg.Raw("America/Denver"))
	cfg := analyze.Config{Location: tokyo, TimezoneSource: "evidence", TimezoneEvidence: ev, TimezoneWarnings: []msg.Text{warn}}
	rep, err := analyze.Analyze(readSample(t, "license.dat", "lmstat.log"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Clock; c.Timezone != "Asia/Tokyo" || c.TimezoneSource != "evidence" || !reflect.DeepEqual(c.TimezoneEvidence, ev) {
		t.Errorf("clock %+v, want Asia/Tokyo from the evidence %v", c, ev)
	}
	if len(rep.Warnings) == 0 || !reflect.DeepEqual(rep.Warnings[0], warn) {
		t.Errorf("warnings %v, want %v first", rep.Warnings, warn)
	}
	ev[0].Line = 23 // the report keeps its own copy
	if rep.Clock.TimezoneEvidence[0].Line != 22 {
		t.Error("the report shares the Config's evidence slice")
	}

	rep, err = analyze.Analyze(readSample(t, "license.dat"), cfg)
	if !errors.Is(err, analyze.ErrNoEvidence) || rep == nil {
		t.Fatalf("the license file alone: %v, want ErrNoEvidence with a report", err)
	}
	if rep.Clock.TimezoneSource != "evidence" || len(rep.Warnings) == 0 || !reflect.DeepEqual(rep.Warnings[0], warn) {
		t.Errorf("inconclusive: clock %+v, warnings %v", rep.Clock, rep.Warnings)
	}
}
