package parser_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// wsrv, wven and wprob are the parts of lmstat lines a test asserts.
type wsrv struct {
	Line         int
	Name         string
	Up, Master   bool
	Version      string
	Major, Minor int
}

type wven struct {
	Line         int
	Name         string
	Up           bool
	Major, Minor int
	On           string
}

type wprob struct{ Line, Major, Minor int }

type wsnap struct {
	Line       int
	Time       string // RFC 3339; compared as an instant
	Exact      bool
	Listed     []string
	Servers    []wsrv
	Vendors    []wven
	NotRunning *wprob
	Failed     *wprob
}

func snapOf(s parser.Snapshot) wsnap {
	w := wsnap{Line: s.Line, Time: s.Time.UTC().Format(time.RFC3339), Exact: s.Exact, Listed: s.Listed}
	for _, sl := range s.Servers {
		w.Servers = append(w.Servers, wsrv{sl.Line, sl.Name, sl.Status == parser.ServerUp, sl.Master, sl.Version, sl.Code.Major, sl.Code.Minor})
	}
	for _, vl := range s.Vendors {
		w.Vendors = append(w.Vendors, wven{vl.Line, vl.Name, vl.Up, vl.Code.Major, vl.Code.Minor, vl.On})
	}
	if p := s.NotRunning; p != nil {
		w.NotRunning = &wprob{p.Line, p.Code.Major, p.Code.Minor}
	}
	if p := s.Failed; p != nil {
		w.Failed = &wprob{p.Line, p.Code.Major, p.Code.Minor}
	}
	return w
}

func (w wsnap) String() string {
	s := fmt.Sprintf("L%d %s exact=%v listed=%v\n", w.Line, w.Time, w.Exact, w.Listed)
	for _, x := range w.Servers {
		s += fmt.Sprintf("    server %+v\n", x)
	}
	for _, x := range w.Vendors {
		s += fmt.Sprintf("    vendor %+v\n", x)
	}
	if w.NotRunning != nil {
		s += fmt.Sprintf("    not running %+v\n", *w.NotRunning)
	}
	if w.Failed != nil {
		s += fmt.Sprintf("    failed %+v\n", *w.Failed)
	}
	return s
}

func checkSnapshots(t *testing.T, got []parser.Snapshot, want []wsnap) {
	t.Helper()
	var g []wsnap
	for _, s := range got {
		g = append(g, snapOf(s))
	}
	var w []wsnap
	for _, s := range want {
		s.Time = at(t, s.Time).UTC().Format(time.RFC3339)
		w = append(w, s)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("snapshots differ\n got:\n%v\n want:\n%v", g, w)
	}
}

const (
	copyright  = "lmutil - Copyright (c) 1989-2007 Macrovision Europe Ltd. and/or Macrovision Corporation. All Rights Reserved."
	statusLine = "License server status: 27001@server1,27001@server2,27001@server3"
	fileLine   = "    License file(s) on server1: C:\\flexlm\\license.dat:"
)

var triad = []string{"server1", "server2", "server3"}

func up(line int, name string, master bool) wsrv {
	return wsrv{Line: line, Name: name, Up: true, Master: master, Version: "v10.8"}
}

func down(line int, name string, major, minor int) wsrv {
	return wsrv{Line: line, Name: name, Major: major, Minor: minor}
}

// run builds one lmstat -a run with the given server lines and vendor lines.
func run(header string, servers []string, vendors ...string) []string {
	ls := []string{copyright, "Flexible License Manager status on " + header, "", "[Detecting lmgrd processes...]", statusLine, fileLine, ""}
	ls = append(ls, servers...)
	ls = append(ls, "", "Vendor daemon status (on server1):", "")
	ls = append(ls, vendors...)
	return append(ls, "")
}

func TestLmstat(t *testing.T) {
	for _, tc := range []struct {
		name        string
		loc         *time.Location
		in          string
		want        []wsnap
		first, last string
		unrec       int
		warnAt      []int
		suspects    []int // lines kept as suspects (see parser.Suspect)
	}{
		{
			name: "triad all up, right-justified names",
			loc:  tokyo(t),
			in: text(run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
				"   server2: license server UP v10.8",
				"   server3: license server UP v10.8",
			}, "        bm: UP v10.8")...),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: triad,
				Servers: []wsrv{up(8, "server1", true), up(9, "server2", false), up(10, "server3", false)},
				Vendors: []wven{{14, "bm", true, 0, 0, "server1"}},
			}},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:00:59+09:00",
		},
		{
			name: "several snapshots per file, UTC",
			loc:  time.UTC,
			in: text(append(append(
				run("Wed 12/1/2010 09:00", []string{
					"   server1: license server UP (MASTER) v10.8",
					"   server2: license server UP v10.8",
					"   server3: license server UP v10.8",
				}, "        bm: UP v10.8"),
				run("Wed 12/1/2010 09:01", []string{
					"   server1: License server machine is down or not responding. (-96,7)",
					"   server2: license server UP v10.8",
					"   server3: license server UP v10.8",
				}, "        bm: UP v10.8")...),
				run("Thu 12/2/2010 0:02", []string{
					"   server1: License server machine is down or not responding. (-96,7)",
					"   server2: license server UP (MASTER) v10.8",
					"   server3: license server UP v10.8",
				}, "        bm: UP v10.8")...)...),
			want: []wsnap{
				{
					Line: 2, Time: "2010-12-01T09:00:59Z", Listed: triad,
					Servers: []wsrv{up(8, "server1", true), up(9, "server2", false), up(10, "server3", false)},
					Vendors: []wven{{14, "bm", true, 0, 0, "server1"}},
				},
				{
					Line: 17, Time: "2010-12-01T09:01:59Z", Listed: triad,
					Servers: []wsrv{down(23, "server1", -96, 7), up(24, "server2", false), up(25, "server3", false)},
					Vendors: []wven{{29, "bm", true, 0, 0, "server1"}},
				},
				{
					Line: 32, Time: "2010-12-02T00:02:59Z", Listed: triad,
					Servers: []wsrv{down(38, "server1", -96, 7), up(39, "server2", true), up(40, "server3", false)},
					Vendors: []wven{{44, "bm", true, 0, 0, "server1"}},
				},
			},
			first: "2010-12-01T09:00:59Z", last: "2010-12-02T00:02:59Z",
		},
		{
			name: "RFC 3339 stamp line before a run",
			loc:  tokyo(t),
			in: text(append([]string{"2010-12-01T09:00:03+09:00"}, run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
			}, "        bm: UP v10.8")...)...),
			want: []wsnap{{
				Line: 3, Time: "2010-12-01T09:00:03+09:00", Exact: true, Listed: triad,
				Servers: []wsrv{up(9, "server1", true)},
				Vendors: []wven{{13, "bm", true, 0, 0, "server1"}},
			}},
			first: "2010-12-01T09:00:03+09:00", last: "2010-12-01T09:00:03+09:00",
		},
		{
			name: "commented stamp line, and a run without one",
			loc:  tokyo(t),
			in: text(append(append([]string{"# 2010-12-01T09:00:03+09:00"}, run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
			})...), run("Wed 12/1/2010 09:01", []string{
				"   server1: license server UP (MASTER) v10.8",
			})...)...),
			want: []wsnap{
				{Line: 3, Time: "2010-12-01T09:00:03+09:00", Exact: true, Listed: triad, Servers: []wsrv{up(9, "server1", true)}},
				{Line: 15, Time: "2010-12-01T09:01:59+09:00", Listed: triad, Servers: []wsrv{up(21, "server1", true)}},
			},
			first: "2010-12-01T09:00:03+09:00", last: "2010-12-01T09:01:59+09:00",
		},
		{
			name: "stamp after a feature usage block",
			loc:  tokyo(t),
			in: text(append(append(run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8"}),
				"Feature usage info:", "", "Users of bm_solver:  (Total of 10 licenses issued;  Total of 0 licenses in use)", "",
				"2010-12-01T09:01:04+09:00"),
				run("Wed 12/1/2010 09:01", []string{"   server1: license server UP v10.8", "   server2: license server UP (MASTER) v10.8"})...)...),
			want: []wsnap{
				{Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: triad, Servers: []wsrv{up(8, "server1", true)}},
				{Line: 19, Time: "2010-12-01T09:01:04+09:00", Exact: true, Listed: triad, Servers: []wsrv{up(25, "server1", false), up(26, "server2", true)}},
			},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:01:04+09:00",
		},
		{
			name: "a collector's failed poll: stamp and error, no header",
			loc:  tokyo(t),
			in: text(append(append(append([]string{"# 2010-12-01T09:00:02+09:00"},
				run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8"})...),
				"# 2010-12-01T09:01:02+09:00",
				"Error getting status: lmutil did not finish within 30s: killed with its process group",
				"# 2010-12-01T09:02:02+09:00"),
				run("Wed 12/1/2010 09:02", []string{"   server1: license server UP (MASTER) v10.8"})...)...),
			want: []wsnap{
				{Line: 3, Time: "2010-12-01T09:00:02+09:00", Exact: true, Listed: triad, Servers: []wsrv{up(9, "server1", true)}},
				{Line: 15, Time: "2010-12-01T09:01:02+09:00", Exact: true, Failed: &wprob{15, 0, 0}},
				{Line: 18, Time: "2010-12-01T09:02:02+09:00", Exact: true, Listed: triad, Servers: []wsrv{up(24, "server1", true)}},
			},
			first: "2010-12-01T09:00:02+09:00", last: "2010-12-01T09:02:02+09:00",
		},
		{
			name: "an error line after a stamp ends no run before it",
			loc:  tokyo(t),
			in: text(append(run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8"}),
				"2010-12-01T09:01:02+09:00",
				"Error getting status: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")")...),
			want: []wsnap{
				{Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: triad, Servers: []wsrv{up(8, "server1", true)}},
				{Line: 14, Time: "2010-12-01T09:01:02+09:00", Exact: true, Failed: &wprob{14, -15, 570}},
			},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:01:02+09:00",
		},
		{
			name: "stamp in UTC",
			loc:  tokyo(t),
			in: text(append([]string{"2010-12-01T00:00:03Z"}, run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
			})...)...),
			want:  []wsnap{{Line: 3, Time: "2010-12-01T09:00:03+09:00", Exact: true, Listed: triad, Servers: []wsrv{up(9, "server1", true)}}},
			first: "2010-12-01T09:00:03+09:00", last: "2010-12-01T09:00:03+09:00",
		},
		{
			name: "every server error form",
			loc:  tokyo(t),
			in: text(run("Wed 12/1/2010 10:15", []string{
				"   server1: License server machine is down or not responding. (-96,7)",
				"   server2: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")",
				"   server3: Cannot read data from license server system. (-16,287)",
				"flexlm_one: Cannot connect to license server (-15,10:10061 \"WinSock: Connection refused\")",
				"   server4: License server system busy (no majority). (-20,131)",
				"   server5: License server system temporarily busy (new server connecting). (-23,169)",
				"   server6: License server machine is down or not responding. (-96,7:2 \"No such file or directory\")",
			}, "        bm: The desired vendor daemon is down. (-97,121)")...),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T10:15:59+09:00", Listed: triad,
				Servers: []wsrv{
					down(8, "server1", -96, 7), down(9, "server2", -15, 570), down(10, "server3", -16, 287),
					down(11, "flexlm_one", -15, 10), down(12, "server4", -20, 131), down(13, "server5", -23, 169),
					down(14, "server6", -96, 7),
				},
				Vendors: []wven{{18, "bm", false, -97, 121, "server1"}},
			}},
			first: "2010-12-01T10:15:59+09:00", last: "2010-12-01T10:15:59+09:00",
		},
		{
			name: "two MASTER lines",
			loc:  tokyo(t),
			in: text(run("Wed 12/1/2010 10:20", []string{
				"   server1: license server UP (MASTER) v10.8",
				"   server2: license server UP (MASTER) v10.8",
				"   server3: license server UP v10.8",
			}, "        bm: UP v10.8")...),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T10:20:59+09:00", Listed: triad,
				Servers: []wsrv{up(8, "server1", true), up(9, "server2", true), up(10, "server3", false)},
				Vendors: []wven{{14, "bm", true, 0, 0, "server1"}},
			}},
			first: "2010-12-01T10:20:59+09:00", last: "2010-12-01T10:20:59+09:00",
		},
		{
			name: "lmgrd is not running",
			loc:  tokyo(t),
			in: text(
				"lmutil - Copyright (c) 1989-2015 Flexera Software LLC. All Rights Reserved.",
				"Flexible License Manager status on Wed 12/1/2010 11:00",
				"",
				"License server status: 1055@ansyslic1",
				"    License file(s) on ansyslic1: 1055@192.168.30.101:",
				"",
				"lmgrd is not running: License server machine is down or not responding. (-96,7:2 \"No such file or directory\")",
			),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T11:00:59+09:00", Listed: []string{"ansyslic1"},
				NotRunning: &wprob{7, -96, 7},
			}},
			first: "2010-12-01T11:00:59+09:00", last: "2010-12-01T11:00:59+09:00",
		},
		{
			name: "lmgrd is not running, -15",
			loc:  tokyo(t),
			in: text(
				"lmstat - Copyright (c) 1989-2003 by Macrovision Corporation. All rights reserved.",
				"Flexible License Manager status on Thu 1/23/2003 16:02",
				"",
				"License server status: 2837@flexlm_one,2937@flexlm_two,3037@flexlm_three",
				"    License file(s) on flexlm_one: rlicense.dat1:",
				"",
				"lmgrd is not running: Cannot connect to license server (-15,10:10061 \"WinSock: Connection refused\")",
			),
			want: []wsnap{{
				Line: 2, Time: "2003-01-23T16:02:59+09:00", Listed: []string{"flexlm_one", "flexlm_two", "flexlm_three"},
				NotRunning: &wprob{7, -15, 10},
			}},
			first: "2003-01-23T16:02:59+09:00", last: "2003-01-23T16:02:59+09:00",
		},
		{
			name: "error getting status",
			loc:  tokyo(t),
			in: text(
				copyright,
				"Flexible License Manager status on Wed 12/1/2010 11:05",
				"",
				"Error getting status: Cannot read data from license server system. (-16,287)",
				copyright,
				"Flexible License Manager status on Wed 12/1/2010 11:06",
				"",
				"Error getting status: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")",
			),
			want: []wsnap{
				{Line: 2, Time: "2010-12-01T11:05:59+09:00", Failed: &wprob{4, -16, 287}},
				{Line: 6, Time: "2010-12-01T11:06:59+09:00", Failed: &wprob{8, -15, 570}},
			},
			first: "2010-12-01T11:05:59+09:00", last: "2010-12-01T11:06:59+09:00",
		},
		{
			name: "users and features recognised",
			loc:  newYork(t),
			in: text(
				"lmutil - Copyright (c) 1989-2005 Macrovision Europe Ltd. and/or Macrovision Corporation. All Rights Reserved.",
				"Flexible License Manager status on Fri 10/20/2017 17:02",
				"",
				"License server status: 27002@host-1.domain.net,27002@host2.domain.net,27002@host3.domain.net",
				"    License file(s) on host-1.domain.net: /usr/local/flexlm/licenses/license.dat.app1:",
				"",
				"host-1.domain.net: license server UP v11.7",
				"host2.domain.net: license server UP (MASTER) v11.7",
				"host3.domain.net: license server UP v11.7",
				"",
				"Vendor daemon status (on host2.domain.net):",
				"",
				"  VENDOR1: UP v11.6",
				"",
				"Feature usage info:",
				"",
				"Users of feature1:  (Total of 1814 licenses issued;  Total of 1206 licenses in use)",
				"",
				"  \"feature0\" v61.9, vendor: VENDOR1",
				"  floating license",
				"",
				"\t48 RESERVATIONs for GROUP GROUP1 (host3.domain.net/27002)",
				"    USER9 SERVER45823008 SERVER45823008 (v61.9) (host3.domain.net/27002 7086), start Fri 10/20 16:44, 5 licenses",
				"    cmfy212 UFRTR1LT0087375 UFRTR1LT00873750.0 (v1.00) (host3.domain.net/28000 1401), start Wed 5/23 5:59, 16 licenses  (linger: 885098 / 1340160)",
				"    u2 h2 h2 (v1.0) (host3.domain.net/27002 101), start Fri 10/20 9:12 queued for 1 license",
				"Users of feature2:  (Uncounted, node-locked)",
				"Users of feature3:  (Error: 1 licenses, unsupported by licensed server)",
				"Users of Catia_GCO: Cannot get users of Catia_GCO: No such feature exists. (-5,222)",
				"Users of feature4:  (Total of 1 license issued;  Total of 0 licenses in use)",
				"  \"vX\" v52, vendor: MLM, expiry: 30-dec-2025",
				"  vendor_string: abc",
				"    jdoe pc1 pc1 (v52) (host2.domain.net/27002 5), start Mon 2/10 9:04, PID: 1234",
			),
			want: []wsnap{{
				Line: 2, Time: "2017-10-20T17:02:59-04:00",
				Listed:  []string{"host-1.domain.net", "host2.domain.net", "host3.domain.net"},
				Servers: []wsrv{{7, "host-1.domain.net", true, false, "v11.7", 0, 0}, {8, "host2.domain.net", true, true, "v11.7", 0, 0}, {9, "host3.domain.net", true, false, "v11.7", 0, 0}},
				Vendors: []wven{{13, "VENDOR1", true, 0, 0, "host2.domain.net"}},
			}},
			first: "2017-10-20T17:02:59-04:00", last: "2017-10-20T17:02:59-04:00",
		},
		{
			name: "same host twice with different case",
			loc:  newYork(t),
			in: text(
				"lmutil - Copyright (c) 1989-2017 Flexera Software LLC. All Rights Reserved.",
				"Flexible License Manager status on Tue 5/15/2018 13:41",
				"",
				"[Detecting lmgrd processes...]",
				"License server status: 7788@BVS15004",
				"    License file(s) on BVS15004: licensing\\license.dat:",
				"",
				"  BVS15004: license server UP (MASTER) v11.12",
				"  bvs15004: license server UP v11.12",
				"",
				"Vendor daemon status (on BVS15004):",
				"",
				"   BVS: UP v11.12",
			),
			want: []wsnap{{
				Line: 2, Time: "2018-05-15T13:41:59-04:00", Listed: []string{"BVS15004"},
				Servers: []wsrv{{8, "BVS15004", true, true, "v11.12", 0, 0}, {9, "bvs15004", true, false, "v11.12", 0, 0}},
				Vendors: []wven{{13, "BVS", true, 0, 0, "BVS15004"}},
			}},
			first: "2018-05-15T13:41:59-04:00", last: "2018-05-15T13:41:59-04:00",
		},
		{
			name: "CRLF",
			loc:  tokyo(t),
			in: crlf(run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
				"   server2: Cannot read data from license server system. (-16,287)",
			}, "        bm: UP v10.8")...),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: triad,
				Servers: []wsrv{up(8, "server1", true), down(9, "server2", -16, 287)},
				Vendors: []wven{{13, "bm", true, 0, 0, "server1"}},
			}},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:00:59+09:00",
		},
		{
			// Unknown lines in the server section are not warned one by one: the analysis
			// warns of them all in one sentence with samples (TRIAD.md 3).
			name: "unknown line in the server section",
			loc:  tokyo(t),
			in: text(run("Wed 12/1/2010 09:00", []string{
				"   server1: license server UP (MASTER) v10.8",
				"this is not lmstat output",
				"   server2: license server DEGRADED v11.19",
				"   server3: some new error (-199,1)",
			})...),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: triad,
				Servers: []wsrv{up(8, "server1", true)},
			}},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:00:59+09:00",
			unrec: 3, suspects: []int{9, 10, 11},
		},
		{
			name: "unknown line in the vendor section",
			loc:  tokyo(t),
			in: text(run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8"},
				"        bm: UP v10.8", "this is not lmstat output")...),
			want: []wsnap{{
				Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: triad,
				Servers: []wsrv{up(8, "server1", true)},
				Vendors: []wven{{12, "bm", true, 0, 0, "server1"}},
			}},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:00:59+09:00",
			unrec: 1, warnAt: []int{13},
		},
		{
			name: "header without a readable date",
			loc:  tokyo(t),
			in: text(append([]string{copyright, "Flexible License Manager status on sometime", "License server status: 27001@server1", "server1: license server UP (MASTER) v10.8"},
				run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8"})...)...),
			want: []wsnap{{
				Line: 6, Time: "2010-12-01T09:00:59+09:00", Listed: triad,
				Servers: []wsrv{up(12, "server1", true)},
			}},
			first: "2010-12-01T09:00:59+09:00", last: "2010-12-01T09:00:59+09:00",
			warnAt: []int{2},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tc.loc, parser.KindLmstat)
			checkSnapshots(t, f.RunSnapshots(), tc.want)
			n := nlines(tc.in)
			checkCounts(t, f, n, n-tc.unrec, tc.unrec)
			checkWarnLines(t, f, tc.warnAt...)
			var sus []int
			for _, s := range f.Suspects {
				if !s.News {
					t.Errorf("suspect %+v: want News", s)
				}
				sus = append(sus, s.Line)
			}
			if fmt.Sprint(sus) != fmt.Sprint(tc.suspects) && (len(sus) > 0 || len(tc.suspects) > 0) {
				t.Errorf("suspects at %v, want %v", sus, tc.suspects)
			}
			if !f.First.Equal(at(t, tc.first)) || !f.Last.Equal(at(t, tc.last)) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
			if len(f.Events) != 0 || f.License != nil {
				t.Errorf("lmstat file has %d events, license %v", len(f.Events), f.License)
			}
		})
	}
}

// TestLmstatNoSnapshot: lmstat -i and -v print no server status: no snapshot, every line recognised.
func TestLmstatNoSnapshot(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"lmstat -v", text("lmutil - Copyright (c) 1989-2016 Flexera Software LLC. All Rights Reserved.", "lmstat v11.14.0.1 build 188735 x64_lsb")},
		{"old lmstat -v", text(copyright, "lmstat")},
		{"lmstat -i", text(
			"NOTE: lmstat -i does not give information from the server,",
			"      but only reads the license file.  For this reason,",
			"      lmstat -a is recommended instead.",
			"",
			"Feature                         Version     #licenses    Expires      Vendor",
			"_______                         _________   _________    __________   ______",
			"feature1                        2018.12      2           31-dec-2018  vendor1",
			"feature2                        1.0          1           1-jan-0      vendor1",
		)},
		{"lmstat -i, other column order, CRLF", crlf(
			"NOTE: lmstat -i does not give information from the server,",
			"      but only reads the license file.  For this reason,",
			"      lmstat -a is recommended instead.",
			"",
			"Feature                         Version     #licenses    Vendor        Expires",
			"_______                         _________   _________    ______        ________",
			"FEATURE_NAME_2_38_05             1.1          1           VENDOR       12-jun-2020",
			"FEATURE_NAME_5                   6.0          1           VENDOR       permanent(no expiration date)",
		)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tokyo(t), parser.KindLmstat)
			checkSnapshots(t, f.RunSnapshots(), nil)
			n := nlines(tc.in)
			checkCounts(t, f, n, n, 0)
			checkWarnLines(t, f)
			if !f.First.IsZero() || !f.Last.IsZero() {
				t.Errorf("First, Last = %v, %v; want zero", f.First, f.Last)
			}
		})
	}
}

// TestLmstatCombinedVendors: a combined license file lists a second vendor daemon after the
// first vendor's features (FORMATS.md 2.3). Its status line is a vendor line like the first.
func TestLmstatCombinedVendors(t *testing.T) {
	in := text(
		copyright,
		"Flexible License Manager status on Thu 10/18/2012 11:39",
		"",
		"License server status: 28000@SERVERC01",
		"    License file(s) on SERVERC01: C:\\License Servers\\Combined\\Combined.lic:",
		"",
		" SERVERC01: license server UP (MASTER) v11.4",
		"",
		"Vendor daemon status (on SERVERC01):",
		"",
		"    ugslmd: UP v11.4",
		"Feature usage info:",
		"",
		"Users of gateway:  (Total of 35 licenses issued;  Total of 2 licenses in use)",
		"",
		"     uglmd: The desired vendor daemon is down. (-97,121)",
		"Feature usage info:",
		"",
		"Users of drafting:  (Total of 15 licenses issued;  Total of 1 license in use)",
	)
	f := read(t, in, newYork(t), parser.KindLmstat)
	checkSnapshots(t, f.RunSnapshots(), []wsnap{{
		Line: 2, Time: "2012-10-18T11:39:59-04:00", Listed: []string{"SERVERC01"},
		Servers: []wsrv{{7, "SERVERC01", true, true, "v11.4", 0, 0}},
		Vendors: []wven{{11, "ugslmd", true, 0, 0, "SERVERC01"}, {16, "uglmd", false, -97, 121, "SERVERC01"}},
	}})
}

// TestLmstatSeveralLicenseFiles: with several license files lmstat -a prints one block per
// lmgrd, separated by a line of dashes (FORMATS.md 2.2); every block's server lines count.
func TestLmstatSeveralLicenseFiles(t *testing.T) {
	in := text(
		copyright,
		"Flexible License Manager status on Wed 12/1/2010 09:00",
		"",
		statusLine,
		fileLine,
		"",
		"   server1: license server UP (MASTER) v10.8",
		"   server2: license server UP v10.8",
		"   server3: license server UP v10.8",
		"",
		"Vendor daemon status (on server1):",
		"",
		"        bm: UP v10.8",
		"",
		"Feature usage info:",
		"",
		"Users of bm_solver:  (Total of 10 licenses issued;  Total of 0 licenses in use)",
		"",
		strings.Repeat("-", 76),
		"License server status: 27005@server4",
		"    License file(s) on server4: C:\\flexlm\\other.dat:",
		"",
		"   server4: Cannot connect to license server system. (-15,10:10061 \"WinSock: Connection refused\")",
		"",
	)
	f := read(t, in, tokyo(t), parser.KindLmstat)
	checkSnapshots(t, f.RunSnapshots(), []wsnap{{
		Line: 2, Time: "2010-12-01T09:00:59+09:00", Listed: []string{"server1", "server2", "server3", "server4"},
		Servers: []wsrv{up(7, "server1", true), up(8, "server2", false), up(9, "server3", false), down(23, "server4", -15, 10)},
		Vendors: []wven{{13, "bm", true, 0, 0, "server1"}},
	}})
}

// TestLmstatStampZoneClue: a stamp line tells the zone beside the header's local minute of the
// same moment (TRIAD.md 6), whatever offset it is written in: a collector writing UTC stamps
// before Berlin's headers gives +01:00, not UTC.
func TestLmstatStampZoneClue(t *testing.T) {
	for _, stamp := range []string{"# 2004-03-16T08:03:02Z", "2004-03-16T08:03:02+00:00", "# 2004-03-16T09:03:02+01:00", "2004-03-16T03:03:02-05:00"} {
		lines := append([]string{stamp}, run("Tue 3/16/2004 09:03", []string{"lm-a: license server UP (MASTER) v9.2"})...)
		f, err := parser.Read(strings.NewReader(strings.Join(lines, "\n")+"\n"), "lmstat.log", parser.Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.ZoneClues) != 1 {
			t.Fatalf("%s: %d zone clues, want 1", stamp, len(f.ZoneClues))
		}
		c := f.ZoneClues[0]
		if !c.HasOffset || c.Offset != 3600 || c.Line != 1 || c.Wall.Format("15:04:05") != "09:03:02" {
			t.Errorf("%s: clue %+v, want offset 3600 at 09:03:02 on line 1", stamp, c)
		}
	}
}
