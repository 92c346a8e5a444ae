package parser_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// wserver is the part of a SERVER line a test asserts (Text only when set).
type wserver struct {
	Line      int
	Host      string
	HostID    string
	Port      int
	PIM       bool
	Heartbeat int
	Text      string
}

type wvendor struct {
	Line int
	Name string
}

func checkLicense(t *testing.T, lic *parser.License, servers []wserver, vendors []wvendor) {
	t.Helper()
	if lic == nil {
		t.Fatal("License is nil")
	}
	var gs []wserver
	for i, s := range lic.Servers {
		w := wserver{s.Line, s.Host, s.HostID, s.Port, s.PrimaryIsMaster, s.HeartbeatInterval, ""}
		if i < len(servers) && servers[i].Text != "" {
			w.Text = s.Text
		}
		gs = append(gs, w)
	}
	var gv []wvendor
	for _, v := range lic.Vendors {
		gv = append(gv, wvendor{v.Line, v.Name})
	}
	if !reflect.DeepEqual(gs, servers) {
		t.Errorf("servers = %s, want %s", fmt.Sprintf("%+v", gs), fmt.Sprintf("%+v", servers))
	}
	if !reflect.DeepEqual(gv, vendors) {
		t.Errorf("vendors = %+v, want %+v", gv, vendors)
	}
}

const (
	sign1 = `	SIGN="0A3F 91C2 7B4E 2D80 F61A 5C37 E9B4 0D28 6A1F 83C5 47E2 B09D 1F6C 3A85 D274 9E0B 6C13 5F7A 2B48 E0D6"`
)

func TestLicense(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		servers []wserver
		vendors []wvendor
		unrec   int
		warnAt  []int
	}{
		{
			name: "triad of the technical note",
			in: text(
				"# bm license file for the server1/server2/server3 triad (three-server redundancy)",
				"SERVER server1 17003456 27001",
				"SERVER server2 17004355 27001",
				"SERVER server3 17007ea8 27001",
				"VENDOR bm",
				"USE_SERVER",
				"FEATURE bm_solver bm 1.0 permanent 10 ISSUED=15-nov-2010 \\",
				sign1,
			),
			servers: []wserver{
				{2, "server1", "17003456", 27001, false, 0, "SERVER server1 17003456 27001"},
				{3, "server2", "17004355", 27001, false, 0, "SERVER server2 17004355 27001"},
				{4, "server3", "17007ea8", 27001, false, 0, "SERVER server3 17007ea8 27001"},
			},
			vendors: []wvendor{{5, "bm"}},
		},
		{
			name: "PRIMARY_IS_MASTER and HEARTBEAT_INTERVAL on the first SERVER line",
			in: text(
				"SERVER server1 17003456 27001 PRIMARY_IS_MASTER HEARTBEAT_INTERVAL=30",
				"SERVER server2 17004355 27001",
				"SERVER server3 17007ea8 27001",
				"DAEMON bm /opt/flexlm/bm",
			),
			servers: []wserver{
				{1, "server1", "17003456", 27001, true, 30, ""},
				{2, "server2", "17004355", 27001, false, 0, ""},
				{3, "server3", "17007ea8", 27001, false, 0, ""},
			},
			vendors: []wvendor{{4, "bm"}},
		},
		{
			name: "older SERVER_TIMEOUT name, PORT= keyword, no port",
			in: text(
				"SERVER server1 ID=123 PORT=27001 SERVER_TIMEOUT=20",
				"SERVER server2 ANY",
				"VENDOR bm port=27002",
				"VENDOR ugslmd",
			),
			servers: []wserver{
				{1, "server1", "ID=123", 27001, false, 20, ""},
				{2, "server2", "ANY", 0, false, 0, ""},
			},
			vendors: []wvendor{{3, "bm"}, {4, "ugslmd"}},
		},
		{
			name: "continuations, one inside a quoted SIGN string",
			in: text(
				"SERVER server1 17003456 27001",
				"VENDOR bm",
				"FEATURE bm_pre bm 1.0 permanent 5 ISSUED=15-nov-2010 \\",
				"\tSIGN=\"1C7D 42A9 E05B 8F36 2A91 C4E8 573D B06F 19E2 7A4C D385 \\",
				"\t0B6E 9F21 C748 3D5A 82F0 64B1 E93C 2A57 0D8F 4C16\"",
				"SERVER server2 17004355 \\",
				"    27001",
				"INCREMENT bm_post bm 1.0 permanent 5 SIGN=\"7E21 0C9B\"",
			),
			servers: []wserver{
				{1, "server1", "17003456", 27001, false, 0, ""},
				{6, "server2", "17004355", 27001, false, 0, ""},
			},
			vendors: []wvendor{{2, "bm"}},
		},
		{
			name: "comments and blank lines",
			in: text(
				"# header comment",
				"",
				"   ",
				"SERVER server1 17003456 27001",
				"  # indented comment",
				"",
				"VENDOR bm",
				"PACKAGE suite bm 1.0 COMPONENTS=\"a b\"",
				"UPGRADE f bm 1.0 2.0 permanent 3",
			),
			servers: []wserver{{4, "server1", "17003456", 27001, false, 0, ""}},
			vendors: []wvendor{{7, "bm"}},
		},
		{
			name: "garbage line",
			in: text(
				"SERVER server1 17003456 27001",
				"SERVER server2 17004355 27001",
				"this line is garbage",
				"SERVER server3 17007ea8 27001",
				"VENDOR bm",
			),
			servers: []wserver{
				{1, "server1", "17003456", 27001, false, 0, ""},
				{2, "server2", "17004355", 27001, false, 0, ""},
				{4, "server3", "17007ea8", 27001, false, 0, ""},
			},
			vendors: []wvendor{{5, "bm"}},
			unrec:   1, warnAt: []int{3},
		},
		{
			name: "garbage continued over two lines, and a short SERVER line",
			in: text(
				"SERVER server1 17003456 27001",
				"VENDOR bm",
				"FEATURE f bm 1.0 permanent 1 SIGN=0",
				"garbage \\",
				"  more garbage",
				"SERVER lonely",
				"VENDOR bm2",
			),
			servers: []wserver{{1, "server1", "17003456", 27001, false, 0, ""}},
			vendors: []wvendor{{2, "bm"}, {7, "bm2"}},
			unrec:   3, warnAt: []int{4, 6},
		},
		{
			name: "CRLF",
			in: crlf(
				"SERVER server1 17003456 27001 PRIMARY_IS_MASTER",
				"SERVER server2 17004355 27001",
				"SERVER server3 17007ea8 27001",
				"VENDOR bm",
				"FEATURE bm_solver bm 1.0 permanent 10 \\",
				sign1,
			),
			servers: []wserver{
				{1, "server1", "17003456", 27001, true, 0, "SERVER server1 17003456 27001 PRIMARY_IS_MASTER"},
				{2, "server2", "17004355", 27001, false, 0, "SERVER server2 17004355 27001"},
				{3, "server3", "17007ea8", 27001, false, 0, "SERVER server3 17007ea8 27001"},
			},
			vendors: []wvendor{{4, "bm"}},
		},
		{
			name: "no newline at the end",
			in:   "SERVER server1 17003456 27001\nVENDOR bm\nFEATURE f bm 1.0 permanent 1 \\\n SIGN=0",
			servers: []wserver{
				{1, "server1", "17003456", 27001, false, 0, ""},
			},
			vendors: []wvendor{{2, "bm"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, nil, parser.KindLicense)
			checkLicense(t, f.License, tc.servers, tc.vendors)
			n := nlines(tc.in)
			checkCounts(t, f, n, n-tc.unrec, tc.unrec)
			checkWarnLines(t, f, tc.warnAt...)
			if len(f.Events) != 0 || len(f.Snapshots) != 0 {
				t.Errorf("license file has %d events and %d snapshots", len(f.Events), len(f.Snapshots))
			}
		})
	}
}

// TestLicenseLastLineContinued: a file that ends on a continued line still counts every line.
func TestLicenseLastLineContinued(t *testing.T) {
	in := "SERVER server1 17003456 27001\nVENDOR bm\nFEATURE f bm 1.0 permanent 1 \\\n SIGN=0 \\"
	f := read(t, in, nil, parser.KindLicense)
	checkLicense(t, f.License, []wserver{{1, "server1", "17003456", 27001, false, 0, ""}}, []wvendor{{2, "bm"}})
	checkCounts(t, f, 4, 4, 0)
	checkWarnLines(t, f)
}
