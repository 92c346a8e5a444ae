package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// checkAt runs lmtriad check in-process as if the machine's clock said now.
func checkAt(t testing.TB, now time.Time, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	checkNow = func() time.Time { return now }
	defer func() { checkNow = nil }()
	return runCLI(t, append([]string{"check", "--tz", "Asia/Tokyo"}, args...)...)
}

// kgtnRuns are the simulated incident's lmstat runs, as lmutil printed them.
func kgtnRuns(t testing.TB) []string {
	t.Helper()
	_, name := fakeLmutil(t)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	const cr = "lmutil - Copyright"
	parts := strings.Split(string(b), cr)[1:]
	for i := range parts {
		parts[i] = cr + parts[i]
	}
	return parts
}

// writeCollection writes, as collect would, the given runs one a minute from start into dir.
func writeCollection(t testing.TB, dir string, start time.Time, runs []string) {
	t.Helper()
	c := &collector{dir: dir, loc: start.Location()}
	for k, r := range runs {
		at := start.Add(time.Duration(k) * time.Minute)
		p := poll{out: []byte(r)}
		if !hasStatus(p.out) {
			p = poll{problem: r}
		}
		if err := c.write(at, record(at, p)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckPhases: collect records the simulated KGTN 2010120101 incident through the stand-in
// lmutil, and check, run at points of it, says OK, WARNING, CRITICAL (naming KGTN 2010112602
// for the failed rejoin) and UNKNOWN where it should, with the Monitoring Plugins exit codes.
func TestCheckPhases(t *testing.T) {
	bin, _ := playKGTN(t)
	dir := t.TempDir()
	start := kgtnStart(t)
	done := 0
	for _, tc := range []struct {
		poll  int // the check comes 20 s after this poll (0 the first, at 09:00:02)
		late  time.Duration
		code  int
		line  string // the start of the first line
		more  []string
		perf  string
		state string
	}{
		{poll: 60, code: 0, line: "LMTRIAD OK - normal: master server1, all 3 servers up | ",
			perf: "'servers_up'=3;;;0;3 'masters'=1;;;0;3 'age'=20s;;;0 'masterless'=0s;;;0", state: "normal"},
		{poll: 74, code: 2, line: "LMTRIAD CRITICAL - masterless: no master for 20s (server1 down): licenses are not served | ",
			more: []string{"server1: down since 2010-12-01T10:14:02+09:00"}, state: "masterless"},
		{poll: 100, code: 1, line: "LMTRIAD WARNING - degraded: server1 down for 26m20s; master server2: licenses served with no spare | ", state: "degraded"},
		{poll: 151, code: 1, line: "LMTRIAD WARNING - dual-master: server1 and server2 claim MASTER at once, for 20s | ", state: "dual-master"},
		{poll: 170, code: 0, line: "LMTRIAD OK - normal: master server2, all 3 servers up | ", state: "normal"},
		{poll: 240, code: 1, line: "LMTRIAD WARNING - degraded: server2 came back 1m20s ago and has not rejoined yet (unresponsive); if it has not within the rejoin grace of 5m, it is a failed rejoin: follow KGTN 2010112602; master server1: licenses served with no spare | ",
			more: []string{"server2: unresponsive since 2010-12-01T12:59:02+09:00"}, state: "degraded"},
		{poll: 270, code: 2, line: "LMTRIAD CRITICAL - failed-rejoin: server2 came back 31m20s ago and has not rejoined: follow KGTN 2010112602 (master server1) | ",
			perf:  "'servers_up'=2;;;0;3 'masters'=1;;;0;3 'age'=20s;;;0 'masterless'=180s;;;0",
			more:  []string{"server1: up, master", "server2: unresponsive since 2010-12-01T12:59:02+09:00", "server3: up", "KGTN 2010112602: ", "1. Leave the two healthy servers running"},
			state: "failed-rejoin"},
		{poll: 270, late: 10 * time.Minute, code: 3, line: "LMTRIAD UNKNOWN - unknown: the newest snapshot is 10m20s old (over --stale 3m); it showed failed-rejoin | 'age'=620s;;;0 'masterless'=180s;;;0", state: "unknown"},
		{poll: 270, late: 3 * time.Hour, code: 3, line: "LMTRIAD UNKNOWN - unknown: no evidence in the last 2h (--window); the newest is 3h20s old | 'age'=10820s;;;0", state: "unknown"},
	} {
		if tc.poll+1 > done {
			collectKGTN(t, dir, bin, start.Add(time.Duration(done)*time.Minute), tc.poll+1-done)
			done = tc.poll + 1
		}
		now := start.Add(time.Duration(tc.poll)*time.Minute + 20*time.Second + tc.late)
		stdout, stderr, code := checkAt(t, now, dir)
		lines := strings.Split(stdout, "\n")
		if code != tc.code || !strings.HasPrefix(lines[0], tc.line) {
			t.Errorf("at %s: exit %d, first line\n%s\nwant exit %d and\n%s\n(stderr %q)", now.Format(time.TimeOnly), code, lines[0], tc.code, tc.line, stderr)
			continue
		}
		if tc.perf != "" && !strings.HasSuffix(lines[0], " | "+tc.perf) {
			t.Errorf("at %s: perfdata %q, want %q", now.Format(time.TimeOnly), lines[0], tc.perf)
		}
		for _, m := range tc.more {
			if !strings.Contains(stdout, "\n"+m) {
				t.Errorf("at %s: no line starting %q in\n%s", now.Format(time.TimeOnly), m, stdout)
			}
		}
		// The JSON and Prometheus formats say the same.
		js, _, jcode := checkAt(t, now, "-f", "json", dir)
		var rep struct {
			Schema string
			Now    struct {
				State, Status, Summary string
				ExitCode               int `json:"exit_code"`
			}
		}
		if err := json.Unmarshal([]byte(js), &rep); err != nil || jcode != tc.code || rep.Schema != "lmtriad.report/v1" ||
			rep.Now.State != tc.state || rep.Now.ExitCode != tc.code || rep.Now.Status != pluginStatus[tc.code] ||
			!strings.Contains(tc.line, rep.Now.Summary) {
			t.Errorf("at %s: json exit %d, %v, now %+v", now.Format(time.TimeOnly), jcode, err, rep.Now)
		}
		prom, _, pcode := checkAt(t, now, "-f", "prometheus", dir)
		fams := parseMetrics(t, prom)
		if pcode != tc.code || value(t, fams, "lmtriad_check_status") != float64(tc.code) ||
			value(t, fams, "lmtriad_triad_state", "state", tc.state) != 1 {
			t.Errorf("at %s: prometheus exit %d, status %v, state %s = %v", now.Format(time.TimeOnly), pcode,
				value(t, fams, "lmtriad_check_status"), tc.state, value(t, fams, "lmtriad_triad_state", "state", tc.state))
		}
	}
}

// parseMetrics reads the text exposition format with Prometheus' own parser, and checks that
// every family is an lmtriad_ gauge with its HELP.
func parseMetrics(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the metrics do not parse: %v\n%s", err, text)
	}
	for name, f := range fams {
		if !strings.HasPrefix(name, "lmtriad_") || f.GetHelp() == "" || f.GetType() != dto.MetricType_GAUGE {
			t.Errorf("metric %s: help %q, type %v; want lmtriad_..., a HELP and TYPE gauge", name, f.GetHelp(), f.GetType())
		}
	}
	for _, name := range []string{"HELP", "TYPE"} {
		if n := strings.Count(text, "# "+name+" "); n != len(fams) {
			t.Errorf("%d # %s lines for %d metrics", n, name, len(fams))
		}
	}
	return fams
}

// value is the value of the series of family name with the given label pairs; -1 when none.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		return -1
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		match := len(got) == len(labels)/2
		for i := 0; i+1 < len(labels); i += 2 {
			match = match && got[labels[i]] == labels[i+1]
		}
		if match {
			return m.GetGauge().GetValue()
		}
	}
	return -1
}

// TestCheckPrometheus: the textfile for node_exporter: one series per state, per-server status
// and master, the evidence's age, the findings still going; -o writes it whole at once, and
// never over an input.
func TestCheckPrometheus(t *testing.T) {
	dir := t.TempDir()
	start := kgtnStart(t)
	writeCollection(t, dir, start, kgtnRuns(t)[:250])
	now := start.Add(249*time.Minute + 20*time.Second)
	stdout, _, code := checkAt(t, now, "-f", "prometheus", dir)
	fams := parseMetrics(t, stdout)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"lmtriad_check_status", nil, 2},
		{"lmtriad_triad_state", []string{"state", "failed-rejoin"}, 1},
		{"lmtriad_triad_state", []string{"state", "normal"}, 0},
		{"lmtriad_triad_state", []string{"state", "unknown"}, 0},
		{"lmtriad_server_status", []string{"server", "server2", "status", "unresponsive"}, 1},
		{"lmtriad_server_status", []string{"server", "server2", "status", "up"}, 0},
		{"lmtriad_server_status", []string{"server", "server1", "status", "up"}, 1},
		{"lmtriad_server_master", []string{"server", "server1"}, 1},
		{"lmtriad_server_master", []string{"server", "server2"}, 0},
		{"lmtriad_servers_up", nil, 2},
		{"lmtriad_masters", nil, 1},
		{"lmtriad_evidence_age_seconds", nil, 20},
		{"lmtriad_evidence_last_timestamp_seconds", nil, float64(start.Add(249 * time.Minute).Unix())},
		{"lmtriad_triad_state_since_timestamp_seconds", nil, float64(time.Date(2010, 12, 1, 12, 59, 2, 0, start.Location()).Unix())},
		{"lmtriad_masterless_seconds", nil, 180},
		{"lmtriad_findings_active", []string{"code", "failed-rejoin", "severity", "critical"}, 1},
	} {
		if got := value(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if code != 2 {
		t.Errorf("exit %d, want 2 (CRITICAL)", code)
	}
	if n := len(fams["lmtriad_triad_state"].GetMetric()); n != 8 {
		t.Errorf("%d lmtriad_triad_state series, want one per state (8)", n)
	}
	again, _, _ := checkAt(t, now, "-f", "prometheus", dir)
	if again != stdout {
		t.Error("the same check printed different metrics")
	}

	// -o: written with prometheus.WriteToTextfile, readable by node_exporter, the same text.
	prom := filepath.Join(t.TempDir(), "lmtriad.prom")
	if _, stderr, code := checkAt(t, now, "-f", "prometheus", "-o", prom, dir); code != 2 || stderr != "" {
		t.Fatalf("-o: exit %d, stderr %q", code, stderr)
	}
	b, err := os.ReadFile(prom)
	if err != nil || string(b) != stdout {
		t.Errorf("-o wrote %q (%v), want what standard output shows", b, err)
	}
	if fi, err := os.Stat(prom); err != nil || fi.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("the textfile is not readable by node_exporter: %v", fi.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(prom))
	if len(entries) != 1 {
		t.Errorf("-o left %d files beside it", len(entries)-1)
	}
	// Never over an input.
	in := filepath.Join(dir, "lmstat-2010-12-01.log")
	before, _ := os.ReadFile(in)
	stdout, stderr, code := checkAt(t, now, "-f", "prometheus", "-o", in, dir)
	after, _ := os.ReadFile(in)
	if code != 3 || !strings.Contains(stderr, "this is an input file") || !bytes.Equal(before, after) {
		t.Errorf("-o over an input: exit %d, stderr %q, stdout %q, input changed: %v", code, stderr, stdout, !bytes.Equal(before, after))
	}
}

// TestCheckFindings: the state is not all: two masters for over 2 minutes are critical, and so
// is the vendor daemon down on the master while the triad is normal.
func TestCheckFindings(t *testing.T) {
	runs := kgtnRuns(t)
	start := kgtnStart(t)
	t.Run("dual-master over 2 minutes", func(t *testing.T) {
		dir := t.TempDir()
		list := append(append([]string(nil), runs[:151]...), runs[151], runs[151], runs[151], runs[151])
		writeCollection(t, dir, start, list)
		stdout, _, code := checkAt(t, start.Add(154*time.Minute+20*time.Second), dir)
		if code != 2 || !strings.HasPrefix(stdout, "LMTRIAD CRITICAL - dual-master: server1 and server2 claim MASTER at once, for 3m20s") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
	t.Run("vendor daemon down on the master", func(t *testing.T) {
		dir := t.TempDir()
		list := append([]string(nil), runs[:60]...)
		for k := 55; k < 60; k++ {
			list[k] = strings.Replace(list[k], "        bm: UP v10.8", "        bm: The desired vendor daemon is down. (-97,121)", 1)
		}
		writeCollection(t, dir, start, list)
		stdout, _, code := checkAt(t, start.Add(59*time.Minute+20*time.Second), dir)
		if code != 2 || !strings.HasPrefix(stdout, "LMTRIAD CRITICAL - normal: vendor daemon bm down on the master server1 for ") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
		prom, _, _ := checkAt(t, start.Add(59*time.Minute+20*time.Second), "-f", "prometheus", dir)
		if v := value(t, parseMetrics(t, prom), "lmtriad_findings_active", "code", "vendor-daemon-down", "severity", "warning"); v != 1 {
			t.Errorf("lmtriad_findings_active{vendor-daemon-down} = %v, want 1", v)
		}
	})
	t.Run("return before the evidence read", func(t *testing.T) {
		// The evidence read begins with server2 already unresponsive (a day file that starts
		// after its return): the grace counts from the first evidence (TRIAD.md 4), so within
		// it server2 is rejoining, past it a failed rejoin.
		dir := t.TempDir()
		writeCollection(t, dir, start, runs[239:242])
		stdout, _, code := checkAt(t, start.Add(2*time.Minute+20*time.Second), dir)
		if code != 1 || !strings.HasPrefix(stdout, "LMTRIAD WARNING - degraded: server2 came back 2m20s ago and has not rejoined yet (unresponsive)") {
			t.Errorf("inside the grace: exit %d:\n%s", code, stdout)
		}
		writeCollection(t, dir, start.Add(3*time.Minute), runs[242:270])
		stdout, _, code = checkAt(t, start.Add(30*time.Minute+20*time.Second), dir)
		if code != 2 || !strings.HasPrefix(stdout, "LMTRIAD CRITICAL - failed-rejoin: server2 came back 30m20s ago and has not rejoined: follow KGTN 2010112602 (master server1)") {
			t.Errorf("past the grace: exit %d:\n%s", code, stdout)
		}
	})
	t.Run("polls failing", func(t *testing.T) {
		dir := t.TempDir()
		list := append([]string(nil), runs[:60]...)
		for k := 50; k < 60; k++ {
			list[k] = "lmutil did not finish within 30s (--timeout): killed with its process group"
		}
		writeCollection(t, dir, start, list)
		stdout, _, code := checkAt(t, start.Add(59*time.Minute+20*time.Second), dir)
		if code != 3 || !strings.HasPrefix(stdout, "LMTRIAD UNKNOWN - unknown: the newest snapshot is 10m20s old (over --stale 3m); 10 polls since failed: Error getting status: lmutil did not finish within 30s") {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
}

// TestCheckUnknown: no evidence, unreadable evidence and usage errors are UNKNOWN (exit 3),
// said on standard output as a plugin line.
func TestCheckUnknown(t *testing.T) {
	start := kgtnStart(t)
	old := t.TempDir()
	writeCollection(t, old, start.AddDate(0, 0, -3), kgtnRuns(t)[:5])
	for _, tc := range []struct {
		name string
		args []string
		line string
	}{
		{"collector stopped days ago", []string{old}, "LMTRIAD UNKNOWN - unknown: no evidence in the last 2h (--window): " + old + " holds no lmstat-YYYY-MM-DD.log of these days; is lmtriad collect running?"},
		{"no such path", []string{filepath.Join(old, "nothere")}, "LMTRIAD UNKNOWN - unknown: cannot read the evidence: "},
		{"empty folder", []string{t.TempDir()}, "LMTRIAD UNKNOWN - unknown: cannot read the evidence: "},
		{"a license file only", []string{"../../samples/kgtn-2010120101/license.dat"}, "LMTRIAD UNKNOWN - unknown: inconclusive: the inputs hold no dated triad event and no lmstat snapshot"},
		{"nothing given", nil, "LMTRIAD UNKNOWN - unknown: usage: give the evidence"},
		{"bad window", []string{"--window", "0s", old}, "LMTRIAD UNKNOWN - unknown: usage: --window must be positive"},
		{"unknown flag", []string{"--bogus", old}, "LMTRIAD UNKNOWN - usage: unknown flag --bogus"},
		{"bad duration", []string{"--stale", "soon", old}, "LMTRIAD UNKNOWN - usage: --stale: "},
		{"bad format", []string{"-f", "xml", old}, "LMTRIAD UNKNOWN - usage: --format must be one of"},
		{"live without servers", []string{"--live"}, "LMTRIAD UNKNOWN - unknown: usage: --live needs -c LIST"},
		{"bad zone", []string{"--tz", "Mars/Olympus", old}, "LMTRIAD UNKNOWN - unknown: usage: --tz Mars/Olympus: unknown time zone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, _, code := checkAt(t, start, tc.args...)
			if code != 3 || !strings.HasPrefix(stdout, tc.line) || strings.Count(stdout, "|") > 1 {
				t.Errorf("exit %d, stdout\n%s\nwant exit 3 and a line starting\n%s", code, stdout, tc.line)
			}
		})
	}
}

// TestCheckLive: --live takes one lmstat now through lmutil and judges it with the history:
// the history alone is normal, the live snapshot shows the master gone.
func TestCheckLive(t *testing.T) {
	bin, state := playKGTN(t)
	dir := t.TempDir()
	start := kgtnStart(t)
	writeCollection(t, dir, start, kgtnRuns(t)[:74])
	os.WriteFile(filepath.Join(state, "calls"), []byte("74\n"), 0o600) // the next call plays the 75th run, 10:14
	now := start.Add(74*time.Minute + 5*time.Second)
	if stdout, _, code := checkAt(t, now, dir); code != 0 {
		t.Fatalf("without --live: exit %d\n%s", code, stdout)
	}
	list := "27001@server1,27001@server2,27001@server3"
	stdout, _, code := checkAt(t, now, "--live", "-c", list, "--lmutil", bin, dir)
	if code != 2 || !strings.HasPrefix(stdout, "LMTRIAD CRITICAL - masterless: no master for ") {
		t.Errorf("with --live: exit %d\n%s", code, stdout)
	}
	args, _ := os.ReadFile(filepath.Join(state, "args"))
	if string(args) != "lmstat\t-a\t-c\t"+list+"\n" {
		t.Errorf("lmutil's arguments: %q", args)
	}
	// --live alone: the one snapshot.
	os.WriteFile(filepath.Join(state, "calls"), []byte("0\n"), 0o600)
	stdout, _, code = checkAt(t, now, "--live", "-c", list, "--lmutil", bin)
	if code != 0 || !strings.HasPrefix(stdout, "LMTRIAD OK - normal: master server1") {
		t.Errorf("--live alone: exit %d\n%s", code, stdout)
	}
	// An lmutil that is not there is a usage error: UNKNOWN.
	stdout, _, code = checkAt(t, now, "--live", "-c", list, "--lmutil", filepath.Join(dir, "nothere"))
	if code != 3 || !strings.Contains(stdout, "--lmutil") {
		t.Errorf("--live with no lmutil: exit %d\n%s", code, stdout)
	}
}

// TestCheckWindowPaths: from a folder collect writes into, only the days the window touches are
// read (with the folder's other files); other paths stay as given.
func TestCheckWindowPaths(t *testing.T) {
	loc := tokyo(t)
	dir := t.TempDir()
	for _, name := range []string{"lmstat-2010-11-29.log", "lmstat-2010-11-30.log", "lmstat-2010-12-01.log", "lmstat-2010-12-02.log", "license.dat", ".lmtriad-collect.lock"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o600)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "server1.log"), nil, 0o600)
	now := time.Date(2010, 12, 1, 1, 0, 0, 0, loc)
	got, empty, err := windowPaths([]string{dir, other, "-"}, now.Add(-2*time.Hour), now, loc)
	if err != nil || len(empty) != 0 {
		t.Fatal(err, empty)
	}
	for i := range got {
		got[i] = strings.TrimPrefix(strings.TrimPrefix(got[i], dir), other)
	}
	want := []string{"/license.dat", "/lmstat-2010-11-30.log", "/lmstat-2010-12-01.log", "", "-"}
	sort.Strings(want[:3])
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q", got, want)
	}
}

// TestCheckDeterministic: the same evidence and clock give the same output, byte for byte, in
// every format.
func TestCheckDeterministic(t *testing.T) {
	dir := t.TempDir()
	start := kgtnStart(t)
	writeCollection(t, dir, start, kgtnRuns(t)[:245])
	now := start.Add(244*time.Minute + 20*time.Second)
	for _, f := range checkFormats {
		a, _, _ := checkAt(t, now, "-f", f, dir)
		b, _, _ := checkAt(t, now, "-f", f, dir)
		if a != b || a == "" {
			t.Errorf("-f %s: two runs differ (or printed nothing)", f)
		}
	}
}

// TestHelpDocumentsFlags: collect --help and check --help name every flag and the exit codes.
func TestHelpDocumentsFlags(t *testing.T) {
	for _, cmd := range []string{"collect", "check"} {
		stdout, _, code := runCLI(t, cmd, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d", cmd, code)
		}
		k := completionApp(t)
		for _, n := range k.Children {
			if n.Name != cmd {
				continue
			}
			for _, f := range n.Flags {
				if !strings.Contains(stdout, "--"+f.Name) || f.Help == "" {
					t.Errorf("%s --help does not document --%s", cmd, f.Name)
				}
			}
		}
		if !strings.Contains(stdout, "Exit codes") {
			t.Errorf("%s --help does not give the exit codes", cmd)
		}
	}
	stdout, _, _ := runCLI(t, "check", "--help")
	for _, s := range []string{"0 OK", "1 WARNING", "2 CRITICAL", "3 UNKNOWN", "distinct from analyze's"} {
		if !strings.Contains(strings.Join(strings.Fields(stdout), " "), s) {
			t.Errorf("check --help does not say %q", s)
		}
	}
}

// TestCheckJudgeAnyReport: whatever the report says at its end (any state, lanes that disagree
// with the last interval, no lanes at all), check says something and never panics.
func TestCheckJudgeAnyReport(t *testing.T) {
	start := kgtnStart(t)
	f, err := parser.Read(strings.NewReader(kgtnRuns(t)[0]), "one.log", parser.Options{Location: start.Location()})
	if err != nil || len(f.Runs) != 1 {
		t.Fatal(err)
	}
	last := f.Runs[0].Time
	for _, st := range []analyze.State{analyze.Unknown, analyze.Starting, analyze.FailedRejoin, analyze.DualMaster, analyze.NoQuorum, analyze.Masterless, analyze.Degraded, analyze.Normal} {
		for k, lanes := range [][]analyze.Lane{nil, {{Server: "a", Spans: []analyze.StatusSpan{{Start: last, End: last.Add(time.Minute), Status: analyze.StatusUp}}}, {Server: "b"}}, nil} {
			rep := &analyze.Report{
				Triad:     analyze.Triad{Servers: []analyze.ServerInfo{{Name: "a"}, {Name: "b"}, {Name: "c"}}},
				Intervals: []analyze.Interval{{Start: last, End: last.Add(time.Minute), State: st, Servers: []analyze.ServerState{{Server: "a", Status: analyze.StatusUp}}}},
				Lanes:     lanes,
			}
			if k == 2 {
				rep.Findings = []analyze.Finding{{Code: "vendor-daemon-down", Severity: analyze.SeverityWarning, Start: last, End: last.Add(time.Minute)}}
			}
			res := judgeReport(rep, []*parser.File{f}, last.Add(10*time.Second), last.Add(-time.Hour), 3*time.Minute, 5*time.Minute)
			if res.summary == "" || res.code < 0 || res.code > 3 {
				t.Errorf("%s, %d lanes: code %d, summary %q", st, len(lanes), res.code, res.summary)
			}
			for _, w := range []func(io.Writer, *checkResult) error{writeNagios, writeMetrics, writeCheckJSON} {
				if err := w(io.Discard, res); err != nil {
					t.Errorf("%s: %v", st, err)
				}
			}
		}
	}
}

// TestCheckPlannedStop: a live check whose evidence ends inside a maintenance window (lmdown of
// the whole triad, in the collector's file) is OK and names the stop, while the servers are
// down and while one is back inside its rejoin grace; a stopped server that comes back and
// does not rejoin within the grace is a failed rejoin (TRIAD.md 5).
func TestCheckPlannedStop(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := func(hm string) time.Time {
		x, err := time.ParseInLocation("2006-01-02 15:04:05", "2010-12-01 "+hm, tokyo)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	run := func(hm, body string) string {
		return "Flexible License Manager status on Wed 12/1/2010 " + hm + "\nLicense server status: 27001@server1,27001@server2,27001@server3\n" + body
	}
	const (
		all  = "   server1: license server UP (MASTER) v11.13.0\n   server2: license server UP v11.13.0\n   server3: license server UP v11.13.0\nVendor daemon status (on server1):\n        bm: UP v11.13.0\n"
		none = "lmgrd is not running: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")\n"
		two  = "   server1: license server UP (MASTER) v11.13.0\n   server2: license server UP v11.13.0\n   server3: Cannot read data from license server system. (-16,287)\nVendor daemon status (on server1):\n        bm: UP v11.13.0\n"
	)
	lmdown := "lmutil - Copyright (c) 1989-2015 Flexera Software LLC. All Rights Reserved.\n\n   Port@Host            Vendors\n" +
		"1) 27001@server1,27001@server2,27001@server3 bm\n    3 FlexNet License Servers shut down\n    Please wait 1 minute for lmgrd processes to shutdown\n"
	license, err := os.ReadFile(filepath.Join("..", "..", "samples", "kgtn-2010120101", "license.dat"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, now string
		runs      []string
		code      int
		prefix    string
	}{
		{"the triad down", "09:16:20", []string{run("09:00", all), run("09:05", all) + lmdown, run("09:10", none), run("09:15", none)},
			0, "LMTRIAD OK - no-quorum: a planned stop at 2010-12-01T09:05:59+09:00 (lmdown, whose output is at "},
		{"one back, inside its grace", "09:21:20", []string{run("09:00", all), run("09:05", all) + lmdown, run("09:10", none), run("09:15", none), run("09:20", two)},
			0, "LMTRIAD OK - degraded: a planned stop at 2010-12-01T09:05:59+09:00 (lmdown, "},
		{"one back, past its grace", "09:36:20", []string{run("09:00", all), run("09:05", all) + lmdown, run("09:10", none), run("09:15", none),
			run("09:20", two), run("09:25", two), run("09:30", two), run("09:35", two)},
			2, "LMTRIAD CRITICAL - failed-rejoin: server3 came back"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "license.dat"), license, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "lmstat.log"), []byte(strings.Join(tc.runs, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, _, code := checkAt(t, at(tc.now), "--stale", "10m", dir)
			if code != tc.code || !strings.HasPrefix(stdout, tc.prefix) {
				t.Errorf("exit %d, want %d:\n%s\nwant it to begin with %q", code, tc.code, stdout, tc.prefix)
			}
		})
	}
}
