package parser_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// Helpers shared by the test files of this package.

// text joins lines with LF and ends the text with one.
func text(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// nlines counts the lines of s as a reader does: a last line without a line ending counts.
func nlines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// crlf joins lines with CRLF and ends the text with one.
func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

func tokyo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatalf("load Asia/Tokyo: %v", err)
	}
	return loc
}

func newYork(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatalf("load America/New_York: %v", err)
	}
	return loc
}

// at parses an RFC 3339 time; the tests write expected times that way.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad expected time %q: %v", s, err)
	}
	return v
}

// read runs parser.Read on in and checks the detected kind and that it returned no error.
func read(t testing.TB, in string, loc *time.Location, want parser.Kind) *parser.File {
	t.Helper()
	f, err := parser.Read(strings.NewReader(in), "test.log", parser.Options{Location: loc})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if f.Kind != want {
		t.Fatalf("kind = %v (reason %q), want %v", f.Kind, f.Reason, want)
	}
	return f
}

// wev is the part of an Event a test asserts. Time is RFC 3339.
type wev struct {
	Line   int
	Time   string
	Kind   parser.EventKind
	Daemon string
	Peer   string
	Other  string
	Vendor string
	Status int
	Reason int
	Why    string
}

func (w wev) String() string {
	return fmt.Sprintf("L%d %s %v daemon=%q peer=%q other=%q vendor=%q status=%d reason=%d why=%q",
		w.Line, w.Time, w.Kind, w.Daemon, w.Peer, w.Other, w.Vendor, w.Status, w.Reason, w.Why)
}

func checkEvents(t *testing.T, got []parser.Event, want []wev) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		g, w := got[i], want[i]
		ok = g.Line == w.Line && g.Time.Equal(at(t, w.Time)) && g.Kind == w.Kind && g.Daemon == w.Daemon &&
			g.Peer == w.Peer && g.Other == w.Other && g.Vendor == w.Vendor && g.Status == w.Status &&
			g.Reason == w.Reason && g.Why == w.Why
	}
	if ok {
		return
	}
	var b strings.Builder
	b.WriteString("events differ\n got:\n")
	for _, g := range got {
		fmt.Fprintf(&b, "  %v\n", wev{g.Line, g.Time.Format(time.RFC3339), g.Kind, g.Daemon, g.Peer, g.Other, g.Vendor, g.Status, g.Reason, g.Why})
	}
	b.WriteString(" want:\n")
	for _, w := range want {
		fmt.Fprintf(&b, "  %v\n", w)
	}
	t.Error(b.String())
}

// checkCounts asserts the line counters of a File.
func checkCounts(t *testing.T, f *parser.File, lines, recognized, unrecognized int) {
	t.Helper()
	if f.Lines != lines || f.Recognized != recognized || f.Unrecognized != unrecognized {
		t.Errorf("lines/recognized/unrecognized = %d/%d/%d, want %d/%d/%d",
			f.Lines, f.Recognized, f.Unrecognized, lines, recognized, unrecognized)
	}
}

// checkWarnLines asserts the file:line of every warning kept.
func checkWarnLines(t *testing.T, f *parser.File, lines ...int) {
	t.Helper()
	var got []string
	for _, w := range f.Warnings {
		got = append(got, fmt.Sprintf("%s:%d", w.File, w.Line))
	}
	var want []string
	for _, l := range lines {
		want = append(want, fmt.Sprintf("%s:%d", f.Name, l))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("warnings at %v, want %v (warnings: %v)", got, want, f.Warnings)
	}
	if f.Warned != len(lines) {
		t.Errorf("Warned = %d, want %d", f.Warned, len(lines))
	}
}

// Anchor lines used as the first line of many cases.
const (
	anchor   = " 9:00:00 (lmgrd) TIMESTAMP 12/1/2010"
	bannerS1 = " 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)"
	noReason = -1
)

// TestDebugLogEnvelope feeds every envelope variant of FORMATS.md 1.1.
func TestDebugLogEnvelope(t *testing.T) {
	loc := tokyo(t)
	for _, tc := range []struct {
		name       string
		in         string
		want       []wev
		rec, unrec int
	}{
		{
			name: "leading space before a one-digit hour",
			in:   text(anchor, " 9:49:41 (lmgrd) Connected to server2"),
			want: []wev{{2, "2010-12-01T09:49:41+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "leading space stripped",
			in:   text(anchor, "9:58:10 (lmgrd) Connected to server2"),
			want: []wev{{2, "2010-12-01T09:58:10+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "two-digit hour",
			in:   text(anchor, "15:49:41 (lmgrd) Connected to server2"),
			want: []wev{{2, "2010-12-01T15:49:41+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "zero hour with leading space",
			in:   text("23:00:00 (lmgrd) TIMESTAMP 11/30/2010", " 0:05:00 (lmgrd) Connected to server2"),
			want: []wev{{2, "2010-12-01T00:05:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "old mm/dd hh:mm",
			in:   text("12/01 09:00 (lmgrd) TIMESTAMP 12/1/2010", "12/01 11:00 (lmgrd) License File SERVER line order mismatch."),
			want: []wev{{2, "2010-12-01T11:00:00+09:00", parser.EvOrderMismatch, "lmgrd", "", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "old m/dd hh:mm:ss without padding",
			in:   text("6/26 09:00:00 (lmgrd) TIMESTAMP 6/26/2003", "6/26 11:00:07 (lmgrd) License File SERVER line order mismatch."),
			want: []wev{{2, "2003-06-26T11:00:07+09:00", parser.EvOrderMismatch, "lmgrd", "", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "old mm/dd across midnight",
			in:   text("12/01 23:00 (lmgrd) TIMESTAMP 12/1/2010", "12/02 01:00 (lmgrd) Connected to server2"),
			want: []wev{{2, "2010-12-02T01:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "old mm/dd across the new year",
			in:   text("12/31 23:00 (lmgrd) TIMESTAMP 12/31/2010", "01/01 01:00 (lmgrd) Connected to server2"),
			want: []wev{{2, "2011-01-01T01:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "hh:mm only",
			in:   text("09:00 (lmgrd) TIMESTAMP 12/1/2010", "11:00 (lmgrd) Connected to server2"),
			want: []wev{{2, "2010-12-01T11:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "ISO datestamp with offset",
			in:   text("2010-12-01T09:00:02+09:00 (lmgrd) Connected to server2"),
			want: []wev{{1, "2010-12-01T09:00:02+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  1,
		},
		{
			name: "ISO datestamp in UTC",
			in:   text("2010-12-01T00:00:02Z (lmgrd) Connected to server2"),
			want: []wev{{1, "2010-12-01T09:00:02+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  1,
		},
		{
			name: "ISO datestamp with offset without colon",
			in:   text("2010-12-01T09:00:02+0900 (lmgrd) Connected to server2"),
			want: []wev{{1, "2010-12-01T09:00:02+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  1,
		},
		{
			name: "forked vendor daemon vendor_N",
			in:   text(anchor, "10:00:00 (bm_1) Lost quorum, exiting"),
			want: []wev{{2, "2010-12-01T10:00:00+09:00", parser.EvLostQuorum, "bm", "", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "vendor daemon with pid",
			in:   text(anchor, "12:05:51 (demo[24341]) EXITING DUE TO SIGNAL 37 Exit reason 5"),
			want: []wev{{2, "2010-12-01T12:05:51+09:00", parser.EvVendorExiting, "demo", "", "", "", 37, 5, ""}},
			rec:  2,
		},
		{
			name: "daemon name in double parentheses",
			in:   text(anchor, "10:00:00 ((lmgrd)) Connected to server2"),
			want: []wev{{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "lmadmin counts as lmgrd",
			in:   text(" 9:00:00 (lmadmin) TIMESTAMP 12/1/2010", "10:00:00 (lmadmin) Lost connection to server3"),
			want: []wev{{2, "2010-12-01T10:00:00+09:00", parser.EvLost, "lmadmin", "server3", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "CRLF line endings",
			in:   crlf(anchor, "10:00:00 (lmgrd) Connected to server2", "10:00:01 (lmgrd) CONNECTED, master is server1"),
			want: []wev{
				{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-01T10:00:01+09:00", parser.EvMasterIs, "lmgrd", "server1", "", "", 0, noReason, ""},
			},
			rec: 3,
		},
		{
			name: "no line ending on the last line",
			in:   anchor + "\n10:00:00 (lmgrd) Connected to server2",
			want: []wev{{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  2,
		},
		{
			name: "empty message after the daemon",
			in:   text(anchor, "10:00:00 (lmgrd)", "10:00:01 (lmgrd) "),
			rec:  3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, loc, parser.KindDebugLog)
			checkEvents(t, f.Events, tc.want)
			checkCounts(t, f, nlines(tc.in), tc.rec, tc.unrec)
			if tc.unrec == 0 {
				checkWarnLines(t, f)
			}
		})
	}
}

// TestDebugLogCRLFText checks that the event text keeps no carriage return.
func TestDebugLogCRLFText(t *testing.T) {
	f := read(t, crlf(anchor, "10:00:00 (lmgrd) Connected to server2"), tokyo(t), parser.KindDebugLog)
	if len(f.Events) != 1 {
		t.Fatalf("got %d events, want 1", len(f.Events))
	}
	if got, want := f.Events[0].Text, "10:00:00 (lmgrd) Connected to server2"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

// TestDebugLogNoEnvelope covers lines without "time (daemon)" (FORMATS.md 1.1).
func TestDebugLogNoEnvelope(t *testing.T) {
	loc := tokyo(t)
	for _, tc := range []struct {
		name       string
		in         string
		want       []wev
		rec, unrec int
		warnAt     []int
	}{
		{
			name: "raw stderr of a vendor daemon",
			in: text(
				anchor,
				" 4:29:00 (lmgrd) ABAQUSLM using TCP-port 44121",
				"free(): invalid pointer",
				" 4:29:01 (lmgrd) ABAQUSLM exited with status 0 signal = 17",
				" 4:29:01 (lmgrd) Since this is an unknown status, license server ",
				" 4:29:01 (lmgrd) manager (lmgrd) will attempt to re-start the vendor daemon.",
				" 4:29:01 (lmgrd) REStarted ABAQUSLM (internet tcp_port 45413 pid 177)",
				" 4:29:01 (ABAQUSLM) FLEXnet Licensing version v11.6.1.0 build 66138 amd64_re3",
			),
			want: []wev{
				{4, "2010-12-02T04:29:01+09:00", parser.EvVendorExited, "lmgrd", "", "", "ABAQUSLM", 0, noReason, "signal = 17"},
				{7, "2010-12-02T04:29:01+09:00", parser.EvVendorRestarted, "lmgrd", "", "", "ABAQUSLM", 0, noReason, ""},
			},
			rec: 7, unrec: 1, warnAt: []int{3},
		},
		{
			name: "tab-indented continuation",
			in: text(
				anchor,
				"21:10:48 (adskflex) Checkin failed feature \"85730ACD_2012_0F\": USER11 COMPUTER11 COMPUTER11",
				"\t\" (0,353:10054 \"\")\"",
				"21:10:49 (lmgrd) Connected to server2",
			),
			want: []wev{{4, "2010-12-01T21:10:49+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			rec:  4,
		},
		{
			name: "lmdown console output interleaved",
			in: text(
				anchor,
				"14:24:37 (lmgrd) SHUTDOWN request from dubin at node ubuntu-20-intel",
				"14:24:37 (lmgrd) lmgrd will now shut down all the vendor daemons",
				"    1 FlexNet License Server shut down",
				"14:24:37 (lmgrd) EXITING DUE TO SIGNAL 15",
			),
			want: []wev{
				{2, "2010-12-01T14:24:37+09:00", parser.EvShutdownRequest, "lmgrd", "ubuntu-20-intel", "", "", 0, noReason, "dubin"},
				{5, "2010-12-01T14:24:37+09:00", parser.EvExiting, "lmgrd", "", "", "", 15, noReason, ""},
			},
			rec: 5,
		},
		{
			name: "MSC message wrapped over two lines",
			in: text(
				anchor,
				"16:12:08 (MSC) Usage records are being written to: 16:12:08 (MSC) ",
				" (@MSC-INFO@)    16:12:08 (MSC) C:\\MSC.Software\\MSC_Licensing\\usage.log",
				"16:12:09 (MSC) Lost quorum, exiting",
			),
			want: []wev{{4, "2010-12-01T16:12:09+09:00", parser.EvLostQuorum, "MSC", "", "", "", 0, noReason, ""}},
			rec:  4,
		},
		{
			name: "multi-line Server started feature list",
			in: text(
				anchor,
				"15:49:19 (adskflex) Server started on SOME-LICENSE-SERVER for:\t",
				"15:49:19 (adskflex) 64300ACD_F\t\t85730ACD_2012_0F\t",
				"15:49:19 (adskflex) 85536ACD_F\t",
				"\t64800MAYAULT_T_F",
				"15:49:19 (lmgrd) adskflex using TCP-port 2080",
			),
			want: []wev{{2, "2010-12-01T15:49:19+09:00", parser.EvVendorServing, "adskflex", "SOME-LICENSE-SERVER", "", "adskflex", 0, noReason, ""}},
			rec:  6,
		},
		{
			name: "blank lines",
			in:   text(anchor, "", "   ", "10:00:00 (lmgrd) Connected to server3"),
			want: []wev{{4, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server3", "", "", 0, noReason, ""}},
			rec:  4,
		},
		{
			name: "garbage before the first envelope",
			in:   text("\tcut in the middle of a line", anchor, "10:00:00 (lmgrd) Connected to server3"),
			want: []wev{{3, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server3", "", "", 0, noReason, ""}},
			rec:  2, unrec: 1, warnAt: []int{1},
		},
		{
			name: "bad clock readings",
			in: text(anchor, "10:00:00 (lmgrd) a", "10:00:00 (lmgrd) b",
				"25:61:00 (lmgrd) Connected to server2", "10:7:00 (lmgrd) Connected to server2", "10:00:00 (lm grd) x",
				"10:00:01 (lmgrd) Connected to server3"),
			want: []wev{{7, "2010-12-01T10:00:01+09:00", parser.EvConnected, "lmgrd", "server3", "", "", 0, noReason, ""}},
			rec:  4, unrec: 3, warnAt: []int{4, 5, 6},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, loc, parser.KindDebugLog)
			checkEvents(t, f.Events, tc.want)
			checkCounts(t, f, nlines(tc.in), tc.rec, tc.unrec)
			checkWarnLines(t, f, tc.warnAt...)
		})
	}
}

// TestDebugLogDates covers date reconstruction (FORMATS.md 1.2, TRIAD.md section 2).
func TestDebugLogDates(t *testing.T) {
	for _, tc := range []struct {
		name        string
		loc         *time.Location
		in          string
		want        []wev
		first, last string
		gaps        [][2]string
	}{
		{
			name: "banner date",
			loc:  newYork(t),
			in: text(
				" 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on flux-license1.miserver.it.umich.edu (linux) (6/8/2017)",
				" 9:49:41 (lmgrd) Started ansyslmd (internet tcp_port 60198 pid 1962)",
			),
			want: []wev{
				{1, "2017-06-08T09:49:41-04:00", parser.EvStart, "lmgrd", "flux-license1.miserver.it.umich.edu", "", "", 0, noReason, ""},
				{2, "2017-06-08T09:49:41-04:00", parser.EvVendorStarted, "lmgrd", "", "", "ansyslmd", 0, noReason, ""},
			},
			first: "2017-06-08T09:49:41-04:00", last: "2017-06-08T09:49:41-04:00",
		},
		{
			name:  "TIMESTAMP line",
			loc:   newYork(t),
			in:    text("15:49:41 (lmgrd) TIMESTAMP 6/8/2017", "15:50:00 (lmgrd) Connected to h2"),
			want:  []wev{{2, "2017-06-08T15:50:00-04:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""}},
			first: "2017-06-08T15:49:41-04:00", last: "2017-06-08T15:50:00-04:00",
		},
		{
			name: "System Date line",
			loc:  newYork(t),
			in: text(
				" 9:49:41 (lmgrd) Server's System Date and Time: Thu Jun 08 2017 09:49:41 EDT",
				" 9:49:42 (lmgrd) Connected to h2",
			),
			want:  []wev{{2, "2017-06-08T09:49:42-04:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""}},
			first: "2017-06-08T09:49:41-04:00", last: "2017-06-08T09:49:42-04:00",
		},
		{
			name: "System Date line with a Windows zone name",
			loc:  newYork(t),
			in: text(
				"15:49:07 (lmgrd) Server's System Date and Time: Fri Jul 27 2018 15:49:07 Eastern Daylight Time",
				"15:49:10 (lmgrd) Started adskflex (pid 4216)",
			),
			want:  []wev{{2, "2018-07-27T15:49:10-04:00", parser.EvVendorStarted, "lmgrd", "", "", "adskflex", 0, noReason, ""}},
			first: "2018-07-27T15:49:07-04:00", last: "2018-07-27T15:49:10-04:00",
		},
		{
			name: "SLOG Start-Date",
			loc:  newYork(t),
			in: text(
				" 9:49:41 (lmgrd) (@lmgrd-SLOG@) Start-Date: Thu Jun 08 2017 09:49:41 EDT",
				" 9:49:41 (lmgrd) (@lmgrd-SLOG@) PID: 1956",
				" 9:50:00 (lmgrd) Lost connection to h3",
			),
			want:  []wev{{3, "2017-06-08T09:50:00-04:00", parser.EvLost, "lmgrd", "h3", "", "", 0, noReason, ""}},
			first: "2017-06-08T09:49:41-04:00", last: "2017-06-08T09:50:00-04:00",
		},
		{
			name: "ISO envelope dates the following plain lines",
			loc:  tokyo(t),
			in: text(
				"2010-12-01T09:00:02+09:00 (lmgrd) Trying connection to server2",
				" 9:00:05 (lmgrd) Connected to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:02+09:00", parser.EvTrying, "lmgrd", "server2", "", "", 0, noReason, ""},
				{2, "2010-12-01T09:00:05+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:02+09:00", last: "2010-12-01T09:00:05+09:00",
		},
		{
			name: "midnight rollover",
			loc:  tokyo(t),
			in: text(
				"23:00:00 (lmgrd) TIMESTAMP 12/1/2010",
				"23:59:50 (lmgrd) Connected to server2",
				" 0:00:10 (lmgrd) Lost connection to server2",
			),
			want: []wev{
				{2, "2010-12-01T23:59:50+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-02T00:00:10+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T23:00:00+09:00", last: "2010-12-02T00:00:10+09:00",
		},
		{
			name: "midnight crossed twice",
			loc:  tokyo(t),
			in: text(
				"21:49:41 (lmgrd) TIMESTAMP 6/8/2017",
				"23:30:00 (lmgrd) Connected to h2",
				" 3:49:41 (lmgrd) TIMESTAMP 6/9/2017",
				" 9:49:41 (lmgrd) TIMESTAMP 6/9/2017",
				"15:49:41 (lmgrd) TIMESTAMP 6/9/2017",
				"21:49:41 (lmgrd) TIMESTAMP 6/9/2017",
				" 1:00:00 (lmgrd) Lost connection to h2",
			),
			want: []wev{
				{2, "2017-06-08T23:30:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{7, "2017-06-10T01:00:00+09:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""},
			},
			first: "2017-06-08T21:49:41+09:00", last: "2017-06-10T01:00:00+09:00",
		},
		{
			name: "midnight crossed twice with no date line in between",
			loc:  tokyo(t),
			in: text(
				"20:00:00 (lmgrd) TIMESTAMP 6/8/2017",
				"23:00:00 (lmgrd) Connected to h2",
				" 5:00:00 (lmgrd) Connected to h3",
				"11:00:00 (lmgrd) Connected to h2",
				"17:00:00 (lmgrd) Connected to h3",
				"22:59:00 (lmgrd) Connected to h2",
				" 4:00:00 (lmgrd) Lost connection to h3",
			),
			want: []wev{
				{2, "2017-06-08T23:00:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{3, "2017-06-09T05:00:00+09:00", parser.EvConnected, "lmgrd", "h3", "", "", 0, noReason, ""},
				{4, "2017-06-09T11:00:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{5, "2017-06-09T17:00:00+09:00", parser.EvConnected, "lmgrd", "h3", "", "", 0, noReason, ""},
				{6, "2017-06-09T22:59:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{7, "2017-06-10T04:00:00+09:00", parser.EvLost, "lmgrd", "h3", "", "", 0, noReason, ""},
			},
			first: "2017-06-08T20:00:00+09:00", last: "2017-06-10T04:00:00+09:00",
		},
		{
			name: "lines before the first anchor are dated back from it",
			loc:  tokyo(t),
			in: text(
				"23:40:00 (lmgrd) Trying connection to h2",
				"23:50:00 (lmgrd) Connected to h2",
				" 0:10:00 (lmgrd) TIMESTAMP 6/9/2017",
				" 0:20:00 (lmgrd) Lost connection to h2",
			),
			want: []wev{
				{1, "2017-06-08T23:40:00+09:00", parser.EvTrying, "lmgrd", "h2", "", "", 0, noReason, ""},
				{2, "2017-06-08T23:50:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{4, "2017-06-09T00:20:00+09:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""},
			},
			first: "2017-06-08T23:40:00+09:00", last: "2017-06-09T00:20:00+09:00",
		},
		{
			name:  "anchor from a vendor TIMESTAMP",
			loc:   newYork(t),
			in:    text("21:59:45 (ansyslmd) TIMESTAMP 6/8/2017", "22:00:00 (lmgrd) Connected to h2"),
			want:  []wev{{2, "2017-06-08T22:00:00-04:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""}},
			first: "2017-06-08T21:59:45-04:00", last: "2017-06-08T22:00:00-04:00",
		},
		{
			name: "silence over 6h15m is a gap",
			loc:  tokyo(t),
			in: text(
				anchor,
				"10:00:00 (lmgrd) Connected to server2",
				"16:15:01 (lmgrd) Lost connection to server2",
			),
			want: []wev{
				{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-01T16:15:01+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T16:15:01+09:00",
			gaps: [][2]string{{"2010-12-01T10:00:00+09:00", "2010-12-01T16:15:01+09:00"}},
		},
		{
			name:  "silence of exactly 6h15m is not a gap",
			loc:   tokyo(t),
			in:    text(anchor, "15:15:00 (lmgrd) Connected to server2"),
			want:  []wev{{2, "2010-12-01T15:15:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T15:15:00+09:00",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tc.loc, parser.KindDebugLog)
			checkEvents(t, f.Events, tc.want)
			if !f.First.Equal(at(t, tc.first)) || !f.Last.Equal(at(t, tc.last)) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
			checkGaps(t, f, tc.gaps)
			checkWarnLines(t, f)
		})
	}
}

func checkGaps(t *testing.T, f *parser.File, want [][2]string) {
	t.Helper()
	ok := len(f.Gaps) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = f.Gaps[i].Start.Equal(at(t, want[i][0])) && f.Gaps[i].End.Equal(at(t, want[i][1]))
	}
	if !ok {
		t.Errorf("Gaps = %v, want %v", f.Gaps, want)
	}
}

// TestDebugLogDateJump: a log appended to across an lmgrd restart days later (lmgrd -l +file).
// The clock does not go back, so only the new banner tells the date; the lines before it keep
// their own date, First is the first line's time, and the silence is a gap (TRIAD.md Coverage).
func TestDebugLogDateJump(t *testing.T) {
	in := text(
		" 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on h1 (linux) (6/8/2017)",
		"10:00:00 (lmgrd) Connected to h2",
		"11:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on h1 (linux) (6/10/2017)",
		"11:00:01 (lmgrd) Connected to h2",
	)
	f := read(t, in, tokyo(t), parser.KindDebugLog)
	checkEvents(t, f.Events, []wev{
		{1, "2017-06-08T09:49:41+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
		{2, "2017-06-08T10:00:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
		{3, "2017-06-10T11:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
		{4, "2017-06-10T11:00:01+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
	})
	if want := at(t, "2017-06-08T09:49:41+09:00"); !f.First.Equal(want) {
		t.Errorf("First = %v, want %v", f.First, want)
	}
	if want := at(t, "2017-06-10T11:00:01+09:00"); !f.Last.Equal(want) {
		t.Errorf("Last = %v, want %v", f.Last, want)
	}
	checkGaps(t, f, [][2]string{{"2017-06-08T10:00:00+09:00", "2017-06-10T11:00:00+09:00"}})
	if len(f.Events) == 4 {
		if want := at(t, "2017-06-08T10:00:00+09:00"); !f.Events[2].Prev.Equal(want) {
			t.Errorf("restart's Prev = %v, want %v", f.Events[2].Prev, want)
		}
	}
}

// TestDebugLogStartPrev: a banner's Prev is the time of the line before the silence.
func TestDebugLogStartPrev(t *testing.T) {
	in := text(
		bannerS1,
		"10:00:00 (lmgrd) Connected to server2",
		"11:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)",
	)
	f := read(t, in, tokyo(t), parser.KindDebugLog)
	if len(f.Events) != 3 {
		t.Fatalf("got %d events, want 3", len(f.Events))
	}
	if !f.Events[0].Prev.IsZero() {
		t.Errorf("first banner's Prev = %v, want zero", f.Events[0].Prev)
	}
	if want := at(t, "2010-12-01T10:00:00+09:00"); !f.Events[2].Prev.Equal(want) {
		t.Errorf("second banner's Prev = %v, want %v", f.Events[2].Prev, want)
	}
}

// TestDebugLogThoughtMasterWithoutHosts: found by FuzzDebugLog (testdata/fuzz/FuzzDebugLog/9bd6af1a83ebb9d9).
// A vendor line "ERROR: thought was master" names no hosts: it is no EvThoughtMaster, and
// the reader must not panic on it.
func TestDebugLogThoughtMasterWithoutHosts(t *testing.T) {
	for _, line := range []string{
		"10:00:00 (bm) ERROR: thought was master",
		"0:00 (00) ERROR: thought was master",
	} {
		f := read(t, text(anchor, line), tokyo(t), parser.KindDebugLog)
		checkEvents(t, f.Events, nil)
		checkCounts(t, f, 2, 2, 0)
	}
}

// TestDebugLogOldFormatDateChange: the old "mm/dd hh:mm" envelope changes date without the
// clock going back; the first line keeps its own date.
func TestDebugLogOldFormatDateChange(t *testing.T) {
	in := text(
		"6/25 10:00 (lmgrd) FLEXlm (v7.0f) started on h1 (linux) (6/25/1999)",
		"6/26 11:00 (lmgrd) License File SERVER line order mismatch.",
	)
	f := read(t, in, tokyo(t), parser.KindDebugLog)
	checkEvents(t, f.Events, []wev{
		{1, "1999-06-25T10:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
		{2, "1999-06-26T11:00:00+09:00", parser.EvOrderMismatch, "lmgrd", "", "", "", 0, noReason, ""},
	})
	if want := at(t, "1999-06-25T10:00:00+09:00"); !f.First.Equal(want) {
		t.Errorf("First = %v, want %v", f.First, want)
	}
	checkGaps(t, f, [][2]string{{"1999-06-25T10:00:00+09:00", "1999-06-26T11:00:00+09:00"}})
}

// TestDebugLogPaddedAndTrailing: the old "mm/dd hh:mm:ss" envelope prints the hour with %2d
// ("07/27  8:00:00", FORMATS.md 1.1), and a banner may end in a blank after its date: both are
// read as the lines they are (found by a review that rewrote the samples' logs).
func TestDebugLogPaddedAndTrailing(t *testing.T) {
	in := text(
		"07/27  8:00:00 (lmgrd) FlexNet Licensing (v11.14.1.3 build 212549 x64_n6) started on fnp-muc1 (IBM PC) (7/27/2018) ",
		"07/27  8:00:31 (lmgrd) Connected to fnp-muc2",
		"07/27 10:00:00 (lmgrd) Lost connection to fnp-muc2",
	)
	f := read(t, in, tokyo(t), parser.KindDebugLog)
	checkEvents(t, f.Events, []wev{
		{1, "2018-07-27T08:00:00+09:00", parser.EvStart, "lmgrd", "fnp-muc1", "", "", 0, noReason, ""},
		{2, "2018-07-27T08:00:31+09:00", parser.EvConnected, "lmgrd", "fnp-muc2", "", "", 0, noReason, ""},
		{3, "2018-07-27T10:00:00+09:00", parser.EvLost, "lmgrd", "fnp-muc2", "", "", 0, noReason, ""},
	})
	// the banner alone dates the log, trailing blank or not
	f = read(t, text(" 8:00:00 (lmgrd) FLEXlm (v9.2) started on h1 (linux) (3/2/2011) \t", " 8:00:05 (lmgrd) Connected to h2"), tokyo(t), parser.KindDebugLog)
	if want := at(t, "2011-03-02T08:00:00+09:00"); !f.First.Equal(want) {
		t.Errorf("First = %v, want %v (the banner's date)", f.First, want)
	}
}

// TestDebugLogBannerWordings: the banner's product name changes ("FlexNet Publisher",
// capitals, "lmgrd"): a version in parentheses before " started on " is a start all the same;
// a vendor daemon's "Server started on" is its daemon serving (EvVendorServing), not a start.
func TestDebugLogBannerWordings(t *testing.T) {
	for _, product := range []string{"FlexNet Publisher", "Flexnet Licensing", "FLEXNET LICENSING", "lmgrd"} {
		in := text(" 9:00:00 (lmgrd) "+product+" (v11.16.2.0 build 242433 x64_n6) started on h1 (IBM PC) (3/2/2011)",
			" 9:00:05 (lmgrd) Connected to h2", " 9:00:09 (bm) Server started on h1 for: f1")
		f := read(t, in, tokyo(t), parser.KindDebugLog)
		checkEvents(t, f.Events, []wev{
			{1, "2011-03-02T09:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
			{2, "2011-03-02T09:00:05+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
			{3, "2011-03-02T09:00:09+09:00", parser.EvVendorServing, "bm", "h1", "", "bm", 0, noReason, ""}, // the vendor daemon serves: no start
		})
	}
}

// TestDebugLogCutInStartup: a log that ends inside lmgrd's start-up block, before the banner
// (a copy cut there), ends with that start: an EvStart on the log's host at the block's first
// line, whose Prev is the line before the silence; a block followed by its banner gives the
// banner's start only.
func TestDebugLogCutInStartup(t *testing.T) {
	head := []string{
		" 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 x64_lsb) started on h1 (linux) (3/13/2014)",
		" 9:00:05 (lmgrd) Connected to h2",
		"10:12:10 (lmgrd) Connected to h3",
		"11:30:02 (lmgrd) Server's System Date and Time: Thu Mar 13 2014 11:30:02 CET",
		"11:30:02 (lmgrd) pid 2192",
		"11:30:02 (lmgrd) Detecting other license server manager (lmgrd) processes...",
	}
	f := read(t, text(head...), tokyo(t), parser.KindDebugLog)
	n := len(f.Events)
	if n == 0 || f.Events[n-1].Kind != parser.EvStart {
		t.Fatalf("events %v: want an EvStart last", f.Events)
	}
	e := f.Events[n-1]
	if e.Line != 4 || e.Peer != "h1" || !e.Time.Equal(at(t, "2014-03-13T11:30:02+09:00")) || !e.Prev.Equal(at(t, "2014-03-13T10:12:10+09:00")) {
		t.Errorf("start = line %d %q at %v, prev %v; want line 4 h1 at 11:30:02, prev 10:12:10", e.Line, e.Peer, e.Time, e.Prev)
	}
	// the block, after a silence, and lmgrd going on with no banner between (a line lost):
	// the block stands for the start, before the line that goes on
	on := append(append([]string(nil), head...), "11:30:02 (lmgrd) Trying connection to h2")
	f = read(t, text(on...), tokyo(t), parser.KindDebugLog)
	if n := len(f.Events); n < 2 || f.Events[n-2].Kind != parser.EvStart || f.Events[n-2].Line != 4 || f.Events[n-1].Kind != parser.EvTrying {
		t.Errorf("events %v: want the block's start (line 4) before Trying connection", f.Events)
	}
	full := append(head, "11:30:02 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 x64_lsb) started on h1 (linux) (3/13/2014)")
	f = read(t, text(full...), tokyo(t), parser.KindDebugLog)
	starts := 0
	for _, e := range f.Events {
		if e.Kind == parser.EvStart {
			starts++
		}
	}
	if starts != 2 || f.Events[len(f.Events)-1].Line != 7 {
		t.Errorf("with the banner: %d starts, last event line %d; want 2, the banner (line 7)", starts, f.Events[len(f.Events)-1].Line)
	}
}

// TestDebugLogAutumnDST: in the autumn hour that repeats, line order chooses the reading
// (TRIAD.md section 6): 1:10 after 1:30 is the second 1:10, in standard time.
func TestDebugLogAutumnDST(t *testing.T) {
	in := text(
		"23:00:00 (lmgrd) TIMESTAMP 11/4/2017",
		" 1:30:00 (lmgrd) Connected to h2",
		" 1:10:00 (lmgrd) Lost connection to h2",
		" 2:10:00 (lmgrd) Connected to h2",
	)
	f := read(t, in, newYork(t), parser.KindDebugLog)
	checkEvents(t, f.Events, []wev{
		{2, "2017-11-05T01:30:00-04:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
		{3, "2017-11-05T01:10:00-05:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""},
		{4, "2017-11-05T02:10:00-05:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
	})
}

// TestDebugLogNoDate: a log with no date at all gives no events and one warning.
func TestDebugLogNoDate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
	}{
		{"plain lines", text("10:00:00 (lmgrd) Connected to server2", "10:00:05 (lmgrd) CONNECTED, master is server1")},
		{"usage only", text("10:00:00 (bm) OUT: \"f\" u@h  ", "10:00:05 (bm) IN: \"f\" u@h  ")},
		{"CRLF", crlf("10:00:00 (lmgrd) Lost connection to server2")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tokyo(t), parser.KindDebugLog)
			if len(f.Events) != 0 || len(f.Usage) != 0 {
				t.Errorf("got %d events and %d usage minutes, want none", len(f.Events), len(f.Usage))
			}
			checkWarnLines(t, f, 1)
			if f.Reason.IsZero() {
				t.Error("Reason is empty, want why nothing could be used")
			}
			if !f.First.IsZero() || !f.Last.IsZero() {
				t.Errorf("First, Last = %v, %v; want zero", f.First, f.Last)
			}
			n := nlines(tc.in)
			checkCounts(t, f, n, n, 0)
		})
	}
}

// TestDebugLogTriad covers every three-server line of FORMATS.md 1.4.
func TestDebugLogTriad(t *testing.T) {
	const ts = "2010-12-01T10:00:00+09:00"
	for _, tc := range []struct {
		name string
		line string
		want wev // Line and Time are filled in
	}{
		{"trying", "Trying connection to server2", wev{Kind: parser.EvTrying, Daemon: "lmgrd", Peer: "server2"}},
		{"trying FQDN", "Trying connection to server2.example.co.jp", wev{Kind: parser.EvTrying, Daemon: "lmgrd", Peer: "server2.example.co.jp"}},
		{"connected", "Connected to server2", wev{Kind: parser.EvConnected, Daemon: "lmgrd", Peer: "server2"}},
		{"lost", "Lost connection to server3", wev{Kind: parser.EvLost, Daemon: "lmgrd", Peer: "server3"}},
		{"lost master", "Lost connection to master", wev{Kind: parser.EvLostMaster, Daemon: "lmgrd"}},
		{"timed out", "Connection to server3 TIMED OUT", wev{Kind: parser.EvTimedOut, Daemon: "lmgrd", Peer: "server3"}},
		{"cannot connect back", "Cannot connect to server2 after incoming connection", wev{Kind: parser.EvCannotConnect, Daemon: "lmgrd", Peer: "server2"}},
		{"master is", "CONNECTED, master is server1", wev{Kind: parser.EvMasterIs, Daemon: "lmgrd", Peer: "server1"}},
		{"selected existing", "selected (EXISTING) master server2", wev{Kind: parser.EvSelectedMaster, Daemon: "lmgrd", Peer: "server2"}},
		{"selected existing, manual wording", "Selected (EXISTING) master server2.", wev{Kind: parser.EvSelectedMaster, Daemon: "lmgrd", Peer: "server2"}},
		{"lost quorum", "lmgrd lost quorum.  lmgrd will now only", wev{Kind: parser.EvLostQuorum, Daemon: "lmgrd"}},
		{"master should be", "Master should be server1, but I can't connect", wev{Kind: parser.EvMasterShouldBe, Daemon: "lmgrd", Peer: "server1"}},
		{"servers we can't read from", "There are 2 servers we can't read from! (quorum: 2):", wev{Kind: parser.EvCantRead, Daemon: "lmgrd"}},
		{"lost all connections", "license daemon: lost all connections", wev{Kind: parser.EvLostAll, Daemon: "lmgrd"}},
		{"order mismatch", "License File SERVER line order mismatch.", wev{Kind: parser.EvOrderMismatch, Daemon: "lmgrd"}},
		{"vendor start with no master", "ATTEMPT TO START VENDOR DAEMON bm with NO MASTER", wev{Kind: parser.EvNoMasterStart, Daemon: "lmgrd", Vendor: "bm"}},
		{"banner", "FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server2 (IBM PC) (12/1/2010)", wev{Kind: parser.EvStart, Daemon: "lmgrd", Peer: "server2"}},
		{"v7 banner", "FLEXlm (v7.0f) started on localhost.localdomain (linux) (12/1/2010)", wev{Kind: parser.EvStart, Daemon: "lmgrd", Peer: "localhost.localdomain"}},
		// Lines that carry no triad event.
		{"follow-up of lost master", "lmgrd will now attempt to select a new master", wev{}},
		{"follow-up of lost quorum", "process connection requests from other lmgrd processes", wev{}},
		{"using alphabetical order", "Using alphabetical order", wev{}},
		{"host unknown", "Host \"server4\" unknown in network database.", wev{}},
		{"starting vendor daemons", "Starting vendor daemons ... ", wev{}},
		{"waiting to shut down", "Waiting 60 seconds to shutdown redundant servers", wev{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := text(anchor, "10:00:00 (lmgrd) "+tc.line)
			f := read(t, in, tokyo(t), parser.KindDebugLog)
			var want []wev
			if tc.want.Kind != parser.EvNone {
				w := tc.want
				w.Line, w.Time, w.Reason = 2, ts, noReason
				want = append(want, w)
			}
			checkEvents(t, f.Events, want)
			checkCounts(t, f, 2, 2, 0)
		})
	}
}

// TestDebugLogLmgrdOnly: triad lines count only when lmgrd writes them (a vendor daemon's
// "Lost connection to lmgrd" is about its own lmgrd, not a peer).
func TestDebugLogLmgrdOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
	}{
		{"vendor heartbeat loss", "10:22:01 (INTEL) Lost connection to lmgrd, heartbeat timeout expired, exiting."},
		{"vendor heartbeat loss, Citrix one-liner", "10:22:01 (CITRIX) Lost connection to lmgrd, heartbeat timeout expired, exiting. EXITING DUE TO SIGNAL 28 Exit Reason 5."},
		{"vendor connected to", "10:22:01 (bm) Connected to server2"},
		{"vendor CONNECTED", "10:22:01 (bm) CONNECTED, master is server2"},
		{"vendor banner-like", "10:22:01 (bm) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on h9 (linux) (12/1/2010)"},
		{"vendor heartbeat detail", "10:22:01 (INTEL) Heartbeat timeout is 300 seconds. Elapsed time is 715 seconds."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, text(anchor, tc.line), tokyo(t), parser.KindDebugLog)
			checkEvents(t, f.Events, nil)
			checkCounts(t, f, 2, 2, 0)
			if f.Host != "" || len(f.Hosts) != 0 {
				t.Errorf("Host, Hosts = %q, %v; want none", f.Host, f.Hosts)
			}
		})
	}
}

// TestDebugLogVendor covers the vendor daemon life cycle of FORMATS.md 1.5 and shutdown (1.7).
func TestDebugLogVendor(t *testing.T) {
	const ts = "2010-12-01T10:00:00+09:00"
	for _, tc := range []struct {
		name string
		line string
		want wev // Line and Time filled in; Reason must be given
	}{
		{"started, Windows", "(lmgrd) Started adskflex (pid 4216)", wev{Kind: parser.EvVendorStarted, Daemon: "lmgrd", Vendor: "adskflex", Reason: noReason}},
		{"started, Unix", "(lmgrd) Started ansyslmd (internet tcp_port 60198 pid 1962)", wev{Kind: parser.EvVendorStarted, Daemon: "lmgrd", Vendor: "ansyslmd", Reason: noReason}},
		{"restarted", "(lmgrd) REStarted ABAQUSLM (internet tcp_port 45413 pid 177)", wev{Kind: parser.EvVendorRestarted, Daemon: "lmgrd", Vendor: "ABAQUSLM", Reason: noReason}},
		{"restarted after reread", "(lmgrd) REstarted bm (internet tcp_port 27002)", wev{Kind: parser.EvVendorRestarted, Daemon: "lmgrd", Vendor: "bm", Reason: noReason}},
		{"exited invalid host", "(lmgrd) MSC exited with status 25 (Invalid host)", wev{Kind: parser.EvVendorExited, Daemon: "lmgrd", Vendor: "MSC", Status: 25, Reason: noReason, Why: "Invalid host"}},
		{"exited another server", "(lmgrd) snpslmd exited with status 41 (Exited because another server was running)", wev{Kind: parser.EvVendorExited, Daemon: "lmgrd", Vendor: "snpslmd", Status: 41, Reason: noReason, Why: "Exited because another server was running"}},
		{"exited with signal", "(lmgrd) ABAQUSLM exited with status 0 signal = 17", wev{Kind: parser.EvVendorExited, Daemon: "lmgrd", Vendor: "ABAQUSLM", Status: 0, Reason: noReason, Why: "signal = 17"}},
		{"vendor exiting", "(MSC) EXITING DUE TO SIGNAL 25 Exit reason 2", wev{Kind: parser.EvVendorExiting, Daemon: "MSC", Status: 25, Reason: 2}},
		{"vendor exiting, comm", "(bm) EXITING DUE TO SIGNAL 28 Exit reason 5", wev{Kind: parser.EvVendorExiting, Daemon: "bm", Status: 28, Reason: 5}},
		{"vendor exiting, capital Reason", "(bm) EXITING DUE TO SIGNAL 28 Exit Reason 5.", wev{Kind: parser.EvVendorExiting, Daemon: "bm", Status: 28, Reason: 5}},
		{"vendor exiting, forked", "(bm_2) EXITING DUE TO SIGNAL 37 Exit reason 5", wev{Kind: parser.EvVendorExiting, Daemon: "bm", Status: 37, Reason: 5}},
		{"thought was master", "(bm) ERROR: server2 thought server1 was master", wev{Kind: parser.EvThoughtMaster, Daemon: "bm", Peer: "server2", Other: "server1", Reason: noReason}},
		{"lost quorum, exiting", "(bm) Lost quorum, exiting", wev{Kind: parser.EvLostQuorum, Daemon: "bm", Reason: noReason}},
		{"no quorum established", "(bm) No quorum established, exiting", wev{Kind: parser.EvNoQuorum, Daemon: "bm", Reason: noReason}},
		{"vendor shutdown requested", "(MLM) daemon shutdown requested - shutting down", wev{Kind: parser.EvVendorDown, Daemon: "MLM", Reason: noReason}},
		{"shutdown request", "(lmgrd) SHUTDOWN request from dubin at node ubuntu-20-intel", wev{Kind: parser.EvShutdownRequest, Daemon: "lmgrd", Peer: "ubuntu-20-intel", Reason: noReason, Why: "dubin"}},
		{"shutdown request for vendor", "(lmgrd) SHUTDOWN request from admin at node server1 for vendor \"bm\"", wev{Kind: parser.EvShutdownRequest, Daemon: "lmgrd", Peer: "server1", Vendor: "bm", Reason: noReason, Why: "admin"}},
		{"lmgrd exiting", "(lmgrd) EXITING DUE TO SIGNAL 15", wev{Kind: parser.EvExiting, Daemon: "lmgrd", Status: 15, Reason: noReason}},
		{"shutting down vendor", "(lmgrd) SHUTting down bm", wev{Kind: parser.EvVendorDown, Daemon: "lmgrd", Vendor: "bm", Reason: noReason}},
		// No event.
		{"starting vendor daemons", "(lmgrd) Starting vendor daemons ... ", wev{}},
		{"vendor using port", "(lmgrd) adskflex using TCP-port 2080", wev{}},
		{"unknown status", "(lmgrd) Since this is an unknown status, license server ", wev{}},
		{"please correct", "(lmgrd) Please correct problem and restart daemons", wev{}},
		{"multiple servers", "(lmgrd) MULTIPLE \"snpslmd\" license server systems running.", wev{}},
		{"shut down all vendor daemons", "(lmgrd) lmgrd will now shut down all the vendor daemons", wev{}},
		{"vendor no valid hostids", "(MSC) No valid hostids, exiting", wev{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := text(anchor, "10:00:00 "+tc.line)
			f := read(t, in, tokyo(t), parser.KindDebugLog)
			var want []wev
			if tc.want.Kind != parser.EvNone {
				w := tc.want
				w.Line, w.Time = 2, ts
				want = append(want, w)
			}
			checkEvents(t, f.Events, want)
			checkCounts(t, f, 2, 2, 0)
		})
	}
}

// TestDebugLogSequences checks whole sequences, the banner host and StartsCold.
func TestDebugLogSequences(t *testing.T) {
	loc := tokyo(t)
	for _, tc := range []struct {
		name  string
		in    string
		want  []wev
		host  string
		hosts []string
		cold  bool
	}{
		{
			name: "master dies, survivor re-elects (ls_m_main.c order)",
			in: text(
				bannerS1,
				"10:00:00 (lmgrd) Lost connection to server2",
				"10:00:00 (lmgrd) Lost connection to master",
				"10:00:00 (lmgrd) lmgrd will now attempt to select a new master",
				"10:00:00 (lmgrd) lmgrd will now shut down all vendor daemons",
				"10:00:00 (lmgrd) SHUTting down bm",
				"10:00:30 (lmgrd) CONNECTED, master is server1",
				"10:00:30 (lmgrd) Starting vendor daemons ... ",
				"10:00:30 (lmgrd) Started bm (internet tcp_port 27002 pid 1234)",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-01T10:00:00+09:00", parser.EvLostMaster, "lmgrd", "", "", "", 0, noReason, ""},
				{6, "2010-12-01T10:00:00+09:00", parser.EvVendorDown, "lmgrd", "", "", "bm", 0, noReason, ""},
				{7, "2010-12-01T10:00:30+09:00", parser.EvMasterIs, "lmgrd", "server1", "", "", 0, noReason, ""},
				{9, "2010-12-01T10:00:30+09:00", parser.EvVendorStarted, "lmgrd", "", "", "bm", 0, noReason, ""},
			},
			host: "server1", hosts: []string{"server1"}, cold: true,
		},
		{
			name: "log starting before the banner is not a cold start",
			in: text(
				" 8:59:00 (lmgrd) Lost connection to server2",
				bannerS1,
			),
			want: []wev{
				{1, "2010-12-01T08:59:00+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
				{2, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
			},
			host: "server1", hosts: []string{"server1"}, cold: false,
		},
		{
			name: "two banners with different hosts",
			in: text(
				bannerS1,
				"10:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1.example.jp (IBM PC) (12/1/2010)",
				"11:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvStart, "lmgrd", "server1.example.jp", "", "", 0, noReason, ""},
				{3, "2010-12-01T11:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
			},
			host: "server1", hosts: []string{"server1", "server1.example.jp"}, cold: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, loc, parser.KindDebugLog)
			checkEvents(t, f.Events, tc.want)
			if f.Host != tc.host || strings.Join(f.Hosts, ",") != strings.Join(tc.hosts, ",") {
				t.Errorf("Host, Hosts = %q, %v; want %q, %v", f.Host, f.Hosts, tc.host, tc.hosts)
			}
			if f.StartsCold != tc.cold {
				t.Errorf("StartsCold = %v, want %v", f.StartsCold, tc.cold)
			}
		})
	}
}

// wuse is one minute of usage counts: out, in, denied, queued, other.
type wuse struct {
	Minute                         string
	Out, In, Denied, Queued, Other int
}

// TestDebugLogUsage: usage lines (FORMATS.md 1.8) are counted per minute and are not events.
func TestDebugLogUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []wuse
	}{
		{
			name: "every kind in two minutes",
			in: text(
				anchor,
				`21:06:15 (ansyslmd) OUT: "hfsshpc" manikafa@nyx7005.arc-ts.umich.edu  (20 licenses) `,
				`21:06:15 (ansyslmd) OUT: "hfss_solve" manikafa@nyx7005.arc-ts.umich.edu  `,
				`21:06:52 (ansyslmd) IN: "hfsshpc" manikafa@nyx7005.arc-ts.umich.edu  (20 licenses) `,
				`21:06:59 (adskflex) DENIED: "64300ACD_F" TonyMontana@ANOTHERONE  (Licensed number of users already reached. (-4,342))`,
				`21:07:00 (parteklm) UNSUPPORTED: "pathway_base" (PORT_AT_HOST_PLUS   ) nicolaea@NCI-01831285  (License server system does not support this feature. (-18,327))`,
				`21:07:01 (bm) QUEUED: "bm_solver" user1@pc1  `,
				`21:07:02 (bm) DEQUEUED: "bm_solver" user1@pc1  `,
				`21:07:03 (adskflex) IN: "64300ACD_F" USER07@COMPUTER04  (INACTIVE)`,
				`21:07:04 (MSC) OUT: "CAMPUS" user_02@machine_05  [CAMPUS:NA_Parallel] (200 licenses) `,
			),
			want: []wuse{
				{"2010-12-01T21:06:00+09:00", 2, 1, 1, 0, 0},
				{"2010-12-01T21:07:00+09:00", 1, 1, 1, 1, 1},
			},
		},
		{
			name: "usage before the first anchor is dated back",
			in: text(
				`23:59:10 (bm) OUT: "f" u1@h1  `,
				`23:59:20 (bm) OUT: "f" u2@h2  `,
				" 0:00:10 (lmgrd) TIMESTAMP 6/9/2017",
				`0:00:30 (bm) IN: "f" u1@h1  `,
				`0:02:30 (bm) IN: "f" u2@h2  (SHUTDOWN)`,
			),
			want: []wuse{
				{"2017-06-08T23:59:00+09:00", 2, 0, 0, 0, 0},
				{"2017-06-09T00:00:00+09:00", 0, 1, 0, 0, 0},
				{"2017-06-09T00:02:00+09:00", 0, 1, 0, 0, 0},
			},
		},
		{
			name: "same minute split by other lines",
			in: text(
				anchor,
				`10:00:01 (bm) OUT: "f" u1@h1  `,
				"10:00:02 (lmgrd) Connected to server2",
				`10:00:03 (bm) OUT: "f" u2@h2  `,
			),
			want: []wuse{{"2010-12-01T10:00:00+09:00", 2, 0, 0, 0, 0}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tokyo(t), parser.KindDebugLog)
			for _, e := range f.Events {
				if strings.Contains(e.Text, "OUT:") || strings.Contains(e.Text, "IN:") || strings.Contains(e.Text, "DENIED:") ||
					strings.Contains(e.Text, "QUEUED:") || strings.Contains(e.Text, "UNSUPPORTED:") {
					t.Errorf("usage line stored as event: %q", e.Text)
				}
			}
			var got []wuse
			for _, u := range f.Usage {
				got = append(got, wuse{u.Minute.Format(time.RFC3339), u.Count(parser.UsageOut), u.Count(parser.UsageIn),
					u.Count(parser.UsageDenied), u.Count(parser.UsageQueued), u.Count(parser.UsageOther)})
			}
			ok := len(got) == len(tc.want)
			for i := 0; ok && i < len(got); i++ {
				w := tc.want[i]
				ok = f.Usage[i].Minute.Equal(at(t, w.Minute)) && got[i].Out == w.Out && got[i].In == w.In &&
					got[i].Denied == w.Denied && got[i].Queued == w.Queued && got[i].Other == w.Other
			}
			if !ok {
				t.Errorf("usage = %+v, want %+v", got, tc.want)
			}
			n := nlines(tc.in)
			checkCounts(t, f, n, n, 0)
		})
	}
}

// TestDebugLogUsageIsNotEvent: a usage line gives no event at all.
func TestDebugLogUsageIsNotEvent(t *testing.T) {
	f := read(t, text(anchor, `10:00:01 (bm) OUT: "f" u1@h1  `, `10:00:02 (bm) IN: "f" u1@h1  `), tokyo(t), parser.KindDebugLog)
	checkEvents(t, f.Events, nil)
}

// TestDebugLogISOZone: Event.Time is documented as "in the log's zone".
func TestDebugLogISOZone(t *testing.T) {
	loc := tokyo(t)
	f := read(t, text("2010-12-01T00:00:02Z (lmgrd) Connected to server2"), loc, parser.KindDebugLog)
	if len(f.Events) != 1 {
		t.Fatalf("got %d events, want 1", len(f.Events))
	}
	if got := f.Events[0].Time.Format(time.RFC3339); got != "2010-12-01T09:00:02+09:00" {
		t.Errorf("Time = %s, want 2010-12-01T09:00:02+09:00", got)
	}
}

// TestDebugLogMaxWarnings: Options.MaxWarnings bounds the warnings kept; all are counted.
func TestDebugLogMaxWarnings(t *testing.T) {
	// 200 enveloped lines first, so that the file is detected as a debug log, then 150 bad ones.
	ls := []string{anchor}
	for i := 0; i < 200; i++ {
		ls = append(ls, "10:00:00 (lmgrd) x")
	}
	for i := 0; i < 150; i++ {
		ls = append(ls, "garbage")
	}
	in := text(ls...)
	for _, tc := range []struct {
		name string
		max  int
		kept int
	}{
		{name: "zero means 100", max: 0, kept: 100},
		{name: "five", max: 5, kept: 5},
		{name: "more than there are", max: 1000, kept: 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parser.Read(strings.NewReader(in), "w.log", parser.Options{Location: tokyo(t), MaxWarnings: tc.max})
			if err != nil {
				t.Fatal(err)
			}
			if f.Kind != parser.KindDebugLog {
				t.Fatalf("kind = %v (%s), want debuglog", f.Kind, f.Reason)
			}
			if len(f.Warnings) != tc.kept || f.Warned != 150 || f.Unrecognized != 150 {
				t.Errorf("kept %d warnings of %d (unrecognized %d), want %d of 150", len(f.Warnings), f.Warned, f.Unrecognized, tc.kept)
			}
			if len(f.Warnings) > 0 && (f.Warnings[0].Line != 202 || f.Warnings[0].File != "w.log") {
				t.Errorf("first warning at %s:%d, want w.log:202", f.Warnings[0].File, f.Warnings[0].Line)
			}
		})
	}
}
