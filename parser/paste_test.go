package parser_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// untimed is what a file's pastes said: its Untimed runs as snapshots.
func untimed(f *parser.File) []wsnap {
	var out []wsnap
	for _, r := range f.Untimed {
		s := snapOf(f.Snapshots[r.Snap])
		s.Line = r.Line
		out = append(out, s)
	}
	return out
}

var zeroTime = time.Time{}.UTC().Format(time.RFC3339)

// TestLmstatPaste: lmstat output pasted without its "Flexible License Manager status on"
// header (TRIAD.md section 2), as tickets, forums and the vendor's manual show it, is lmstat
// evidence whose time is unknown: an untimed snapshot, no run, no span of the file.
func TestLmstatPaste(t *testing.T) {
	manual := []string{ // the vendor manual's form: the server lines alone
		"   server1: license server UP (MASTER) v10.8",
		"   server2: Cannot read data from license server system. (-16,287)",
		"   server3: license server UP v10.8",
	}
	for _, tc := range []struct {
		name  string
		in    string
		want  []wsnap
		runs  int
		unrec int
	}{
		{
			name: "server lines alone",
			in:   text(manual...),
			want: []wsnap{{Line: 1, Time: zeroTime, Servers: []wsrv{up(1, "server1", true), down(2, "server2", -16, 287), up(3, "server3", false)}}},
		},
		{
			name: "from License server status:, with the vendor daemons",
			in: text(append(append([]string{statusLine, fileLine, ""}, manual...),
				"", "Vendor daemon status (on server1):", "", "        bm: UP v10.8", "",
				"Feature usage info:", "", "Users of bm_solver:  (Total of 10 licenses issued;  Total of 0 licenses in use)")...),
			want: []wsnap{{Line: 1, Time: zeroTime, Listed: triad,
				Servers: []wsrv{up(4, "server1", true), down(5, "server2", -16, 287), up(6, "server3", false)},
				Vendors: []wven{{10, "bm", true, 0, 0, "server1"}}}},
		},
		{
			name: "lmgrd not running",
			in:   text("lmgrd is not running: License server machine is down or not responding. (-96,7)"),
			want: []wsnap{{Line: 1, Time: zeroTime, NotRunning: &wprob{1, -96, 7}}},
		},
		{
			name: "two pastes",
			in:   text(append(append(append([]string{statusLine, ""}, manual[:1]...), "", statusLine, ""), manual[1:]...)...),
			want: []wsnap{
				{Line: 1, Time: zeroTime, Listed: triad, Servers: []wsrv{up(3, "server1", true)}},
				{Line: 5, Time: zeroTime, Listed: triad, Servers: []wsrv{down(7, "server2", -16, 287), up(8, "server3", false)}},
			},
		},
		{
			name: "a paste, then runs with their headers",
			in: text(append(append([]string{}, manual...), run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
			})...)...),
			want: []wsnap{{Line: 1, Time: zeroTime, Servers: []wsrv{up(1, "server1", true), down(2, "server2", -16, 287), up(3, "server3", false)}}},
			runs: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tokyo(t), parser.KindLmstat)
			if got := untimed(f); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("untimed snapshots\n got:\n%v\n want:\n%v", got, tc.want)
			}
			if len(f.Runs) != tc.runs {
				t.Errorf("%d runs, want %d", len(f.Runs), tc.runs)
			}
			if tc.runs == 0 && (!f.First.IsZero() || !f.Last.IsZero()) {
				t.Errorf("First, Last = %v, %v; a paste has no time", f.First, f.Last)
			}
			n := nlines(tc.in)
			checkCounts(t, f, n, n-tc.unrec, tc.unrec)
		})
	}
}

// TestLmstatPasteStamped: a stamp line directly before a paste gives it its time, as it does a run.
func TestLmstatPasteStamped(t *testing.T) {
	f := read(t, text("# 2010-12-01T09:00:03+09:00", "   server1: license server UP (MASTER) v10.8", "   server2: license server UP v10.8"), tokyo(t), parser.KindLmstat)
	if len(f.Untimed) != 0 {
		t.Errorf("%d untimed snapshots, want none", len(f.Untimed))
	}
	checkSnapshots(t, f.RunSnapshots(), []wsnap{{Line: 2, Time: "2010-12-01T09:00:03+09:00", Exact: true,
		Servers: []wsrv{up(2, "server1", true), up(3, "server2", false)}}})
}

// TestDetectPaste: server lines alone are lmstat output; text that merely mentions a license
// server is not.
func TestDetectPaste(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want parser.Kind
	}{
		{text("host-1.domain.net: license server UP v11.7", "host2.domain.net: license server UP (MASTER) v11.7"), parser.KindLmstat},
		{text("  flexlm_one: Cannot connect to license server (-15,10:10061 \"WinSock: Connection refused\")"), parser.KindLmstat},
		{text("Our license server UP since Monday: see the ticket.", "note: license server UP (MASTER) is what we want"), parser.KindUnknown},
		{text("10:00:00 (lmgrd) server2: license server UP v11.7", "10:00:01 (lmgrd) Connected to server2"), parser.KindDebugLog},
		{text("theorem: The desired vendor daemon is down. (-97,121)"), parser.KindUnknown},
		// a README quoting one (samples/kgtn-2010120101/README.md)
		{text("  `server2: Cannot read data from license server system. (-16,287)` (lmstat.log:9897 to 11286)."), parser.KindUnknown},
	} {
		if got, _ := parser.Detect([]byte(tc.in)); got != tc.want {
			t.Errorf("Detect(%q) = %v, want %v", strings.TrimSpace(tc.in), got, tc.want)
		}
	}
}

// lmdownOut is lmdown's output as 3serv.exp shows it (FORMATS.md 2.2).
var lmdownOut = []string{
	"lmdown - Copyright (c) 1989-2003 by Macrovision Corporation. All rights reserved.",
	"",
	"   Port@Host            Vendors",
	"1) 2837@flexlm_one,2937@flexlm_two,3037@flexlm_three demo ",
	"    2 FLEXlm License Servers shut down",
	"    Please wait 1 minute for lmgrd processes to shutdown",
}

type wstop struct {
	Line, At, Count  int
	Hosts            []string
	Time, Prev, Next string
}

func stopsOf(f *parser.File) []wstop {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	var out []wstop
	for _, s := range f.Stops {
		out = append(out, wstop{s.Line, s.At, s.Count, s.Hosts, ts(s.Time), ts(s.Prev), ts(s.Next)})
	}
	return out
}

// TestLmdown: lmdown's output in a collector file is a planned stop of the servers it lists
// (TRIAD.md section 2), placed by a stamp line directly before it, else between the runs
// around it; every line of it is recognised.
func TestLmdown(t *testing.T) {
	one := []string{"   server1: license server UP (MASTER) v10.8"}
	utc := func(s string) string { return at(t, s).UTC().Format(time.RFC3339) }
	for _, tc := range []struct {
		name string
		in   []string
		want []wstop
		runs int
	}{
		{
			name: "between two runs, after feature usage",
			in: concat(run("Wed 12/1/2010 09:00", one), []string{"Feature usage info:", "", "Users of bm_solver:  (Total of 10 licenses issued;  Total of 0 licenses in use)", ""},
				lmdownOut, run("Wed 12/1/2010 09:05", []string{"   server1: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")"})),
			want: []wstop{{Line: 17, At: 21, Count: 2, Hosts: []string{"flexlm_one", "flexlm_two", "flexlm_three"},
				Prev: utc("2010-12-01T09:00:59+09:00"), Next: utc("2010-12-01T09:05:59+09:00")}},
			runs: 2,
		},
		{
			name: "stamped, lmutil's copyright, v11 wording, last in the file",
			in:   concat(run("Wed 12/1/2010 09:00", one), []string{"# 2010-12-01T09:02:10+09:00", copyright, "", "    1 FlexNet License Server shut down"}),
			want: []wstop{{Line: 14, At: 16, Count: 1, Time: utc("2010-12-01T09:02:10+09:00"), Prev: utc("2010-12-01T09:00:59+09:00")}},
			runs: 1,
		},
		{
			name: "failed: nothing stopped",
			in:   concat(run("Wed 12/1/2010 09:00", one), []string{"Shutdown failed: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")"}),
			runs: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := text(tc.in...)
			f := read(t, in, tokyo(t), parser.KindLmstat)
			if got := stopsOf(f); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("stops\n got  %+v\n want %+v", got, tc.want)
			}
			if len(f.Runs) != tc.runs {
				t.Errorf("%d runs, want %d", len(f.Runs), tc.runs)
			}
			n := nlines(in)
			checkCounts(t, f, n, n, 0)
			checkWarnLines(t, f)
		})
	}
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
