package parser_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// The machine's clock the date tests read with: Options.Now.
const testNow = "2026-12-07T12:00:00Z"

// readAt is read with Options.Now set (now "" leaves it zero: unknown).
func readAt(t testing.TB, in string, loc *time.Location, now string, want parser.Kind) *parser.File {
	t.Helper()
	opt := parser.Options{Location: loc}
	if now != "" {
		opt.Now = at(t, now)
	}
	f, err := parser.Read(strings.NewReader(in), "test.log", opt)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if f.Kind != want {
		t.Fatalf("kind = %v (reason %q), want %v", f.Kind, f.Reason, want)
	}
	return f
}

// wwarn is a warning a test expects: its line and a part of its message.
type wwarn struct {
	Line int
	Msg  string
}

func checkWarnings(t *testing.T, f *parser.File, want []wwarn) {
	t.Helper()
	ok := len(f.Warnings) == len(want) && f.Warned == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = f.Warnings[i].Line == want[i].Line && strings.Contains(english(f.Warnings[i].Msg), want[i].Msg)
	}
	if !ok {
		t.Errorf("warnings (%d counted):\n got: %v\n want: %v", f.Warned, f.Warnings, want)
	}
}

const (
	after9999 = "date 12/31/9999 is after this machine's clock (2026-12-07) by more than a day; the line's date is not trusted"
	before88  = "is before 1988, the year of the first FLEXlm; the line's date is not trusted"
)

// TestDebugLogImplausibleDates: a date line before 1988 or more than a day after Options.Now is
// a warning naming the line and dates nothing (issue 8, item 6): the log is dated by its other
// anchors, or not at all.
func TestDebugLogImplausibleDates(t *testing.T) {
	const restart = "11:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) "
	for _, tc := range []struct {
		name        string
		now         string
		in          string
		want        []wev
		first, last string // "" when the log stays undated
		warns       []wwarn
		reason      string
	}{
		{
			name: "a restart's banner dated 12/31/9999 is not trusted",
			now:  testNow,
			in: text(
				bannerS1,
				"10:00:00 (lmgrd) Connected to server2",
				restart+"(12/31/9999)",
				"11:00:01 (lmgrd) Connected to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-01T11:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{4, "2010-12-01T11:00:01+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T11:00:01+09:00",
			warns: []wwarn{{3, after9999}},
		},
		{
			name:   "a log whose only date is 12/31/9999 stays undated",
			now:    testNow,
			in:     text(strings.Replace(bannerS1, "(12/1/2010)", "(12/31/9999)", 1), " 9:00:01 (lmgrd) Connected to server2"),
			warns:  []wwarn{{1, after9999}, {1, "no date that can be trusted"}},
			reason: "no plausible date in the log",
		},
		{
			name: "a banner dated 1/1/1970: the lines are dated back from the next anchor",
			now:  testNow,
			in: text(
				strings.Replace(bannerS1, "(12/1/2010)", "(1/1/1970)", 1),
				"10:00:00 (lmgrd) Connected to server2",
				"11:00:00 (lmgrd) TIMESTAMP 12/1/2010",
				"11:00:01 (lmgrd) Lost connection to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{4, "2010-12-01T11:00:01+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T11:00:01+09:00",
			warns: []wwarn{{1, "date 1/1/1970 " + before88}},
		},
		{
			name: "1987 is before the first FLEXlm, also with Now unknown",
			in: text(
				bannerS1,
				restart+"(12/31/1987)",
				"11:00:01 (lmgrd) Connected to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{2, "2010-12-01T11:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{3, "2010-12-01T11:00:01+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T11:00:01+09:00",
			warns: []wwarn{{2, "date 12/31/1987 " + before88}},
		},
		{
			name:  "1/1/1988 is plausible",
			now:   testNow,
			in:    text(strings.Replace(bannerS1, "(12/1/2010)", "(1/1/1988)", 1), " 9:00:01 (lmgrd) Connected to server2"),
			want:  []wev{{1, "1988-01-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""}, {2, "1988-01-01T09:00:01+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			first: "1988-01-01T09:00:00+09:00", last: "1988-01-01T09:00:01+09:00",
		},
		{
			name: "a day after Now is plausible, more is not",
			now:  testNow,
			in: text(
				"20:00:00 (lmgrd) TIMESTAMP 12/8/2026",
				"20:00:01 (lmgrd) Connected to server2",
				"21:00:01 (lmgrd) TIMESTAMP 12/8/2026", // 2026-12-08T12:00:01Z: a day and a second after Now
				"21:00:02 (lmgrd) Lost connection to server2",
			),
			want: []wev{
				{2, "2026-12-08T20:00:01+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{4, "2026-12-08T21:00:02+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2026-12-08T20:00:00+09:00", last: "2026-12-08T21:00:02+09:00",
			warns: []wwarn{{3, "date 12/8/2026 is after this machine's clock (2026-12-07) by more than a day"}},
		},
		{
			name: "TIMESTAMP, System Date and SLOG Start-Date lines are checked too",
			now:  testNow,
			in: text(
				" 9:00:00 (lmgrd) Server's System Date and Time: Thu Jan 01 1970 09:00:00 JST",
				" 9:00:00 (lmgrd) (@lmgrd-SLOG@) Start-Date: Fri Dec 31 9999 09:00:00 JST",
				" 9:00:01 (lmgrd) TIMESTAMP 1/1/1970",
				anchor,
				" 9:00:05 (lmgrd) Connected to server2",
			),
			want:  []wev{{5, "2010-12-01T09:00:05+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""}},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T09:00:05+09:00",
			warns: []wwarn{
				{1, "date Thu Jan 01 1970 09:00:00 JST " + before88},
				{2, "date Fri Dec 31 9999 09:00:00 JST is after this machine's clock (2026-12-07) by more than a day"},
				{3, "date 1/1/1970 " + before88},
			},
		},
		{
			name: "-datestamp lines dated 2099: one warning for the run, the lines dated by the clock",
			now:  testNow,
			in: text(
				"2010-12-01T09:00:00+09:00 (lmgrd) Connected to server2",
				"2099-12-01T10:00:00+09:00 (lmgrd) Lost connection to server2",
				"2099-12-01T10:00:05+09:00 (lmgrd) Connected to server2",
				"2010-12-01T10:00:10+09:00 (lmgrd) Lost connection to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-01T10:00:05+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{4, "2010-12-01T10:00:10+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T10:00:10+09:00",
			warns: []wwarn{{2, "date 2099-12-01T10:00:00+09:00 is after this machine's clock (2026-12-07) by more than a day"}},
		},
		{
			name: "Now unknown: only the lower bound applies, and 9999 is counted to the day",
			in: text(
				bannerS1,
				"10:00:00 (lmgrd) Connected to server2",
				restart+"(12/31/9999)",
				"11:00:01 (lmgrd) Connected to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "9999-12-31T11:00:00+09:00", parser.EvStart, "lmgrd", "server1", "", "", 0, noReason, ""},
				{4, "9999-12-31T11:00:01+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "9999-12-31T11:00:01+09:00",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readAt(t, tc.in, tokyo(t), tc.now, parser.KindDebugLog)
			checkEvents(t, f.Events, tc.want)
			checkWarnings(t, f, tc.warns)
			if english(f.Reason) != tc.reason {
				t.Errorf("Reason = %q, want %q", english(f.Reason), tc.reason)
			}
			var first, last time.Time
			if tc.first != "" {
				first, last = at(t, tc.first), at(t, tc.last)
			}
			if !f.First.Equal(first) || !f.Last.Equal(last) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
			if len(f.Gaps) != 0 && tc.now != "" {
				t.Errorf("Gaps = %v, want none", f.Gaps)
			}
		})
	}
}

// TestLmstatImplausibleDates: an lmstat header or stamp line dated before 1988 or more than a
// day after Options.Now is a warning naming the line; a run with no other date is not used.
func TestLmstatImplausibleDates(t *testing.T) {
	servers := []string{"   server1: license server UP (MASTER) v10.8", "   server2: license server UP v10.8", "   server3: license server UP v10.8"}
	vendor := "     bm: UP v10.8"
	snap := func(line int, tm string, exact bool) wsnap {
		return wsnap{Line: line, Time: tm, Exact: exact, Listed: triad,
			Servers: []wsrv{up(line+6, "server1", true), up(line+7, "server2", false), up(line+8, "server3", false)},
			Vendors: []wven{{Line: line + 12, Name: "bm", Up: true, On: "server1"}}}
	}
	lines := func(parts ...[]string) string {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		return text(all...)
	}
	for _, tc := range []struct {
		name        string
		in          string
		want        []wsnap
		first, last string
		warns       []wwarn
	}{
		{
			name:  "a header dated 12/31/9999: the run is not used",
			in:    lines(run("Wed 12/1/2010 10:00", servers, vendor), run("Fri 12/31/9999 10:01", servers, vendor), run("Wed 12/1/2010 10:02", servers, vendor)),
			want:  []wsnap{snap(2, "2010-12-01T10:00:59+09:00", false), snap(32, "2010-12-01T10:02:59+09:00", false)},
			first: "2010-12-01T10:00:59+09:00", last: "2010-12-01T10:02:59+09:00",
			warns: []wwarn{{17, "date 12/31/9999 is after this machine's clock (2026-12-07) by more than a day"}},
		},
		{
			name:  "a header dated 1/1/1970: the run is not used",
			in:    lines(run("Thu 1/1/1970 09:00", servers, vendor), run("Wed 12/1/2010 10:02", servers, vendor)),
			want:  []wsnap{snap(17, "2010-12-01T10:02:59+09:00", false)},
			first: "2010-12-01T10:02:59+09:00", last: "2010-12-01T10:02:59+09:00",
			warns: []wwarn{{2, "date 1/1/1970 " + before88}},
		},
		{
			name: "a stamp line in 2099: the run is dated by its header",
			in: lines([]string{"2099-12-07T10:00:05+09:00"}, run("Mon 12/7/2026 10:00", servers, vendor),
				[]string{"# 2026-12-07T10:01:05+09:00"}, run("Mon 12/7/2026 10:01", servers, vendor)),
			want:  []wsnap{snap(3, "2026-12-07T10:00:59+09:00", false), snap(19, "2026-12-07T10:01:05+09:00", true)},
			first: "2026-12-07T10:00:59+09:00", last: "2026-12-07T10:01:05+09:00",
			warns: []wwarn{{1, "date 2099-12-07T10:00:05+09:00 is after this machine's clock (2026-12-07) by more than a day"}},
		},
		{
			name:  "a stamp line dates a run whose header is dated 9999",
			in:    lines([]string{"2010-12-01T10:00:05+09:00"}, run("Fri 12/31/9999 10:00", servers, vendor)),
			want:  []wsnap{snap(3, "2010-12-01T10:00:05+09:00", true)},
			first: "2010-12-01T10:00:05+09:00", last: "2010-12-01T10:00:05+09:00",
			warns: []wwarn{{3, "date 12/31/9999 is after"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readAt(t, tc.in, tokyo(t), testNow, parser.KindLmstat)
			checkSnapshots(t, f.RunSnapshots(), tc.want)
			checkWarnings(t, f, tc.warns)
			if !f.First.Equal(at(t, tc.first)) || !f.Last.Equal(at(t, tc.last)) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
		})
	}
}

// TestLmstatNowUnknown: with Options.Now zero only the lower bound applies.
func TestLmstatNowUnknown(t *testing.T) {
	servers := []string{"   server1: license server UP (MASTER) v10.8"}
	in := text(append(run("Fri 12/31/9999 10:00", servers), run("Thu 1/1/1970 10:00", servers)...)...)
	f := readAt(t, in, tokyo(t), "", parser.KindLmstat)
	if len(f.Runs) != 1 || !f.Runs[0].Time.Equal(at(t, "9999-12-31T10:00:59+09:00")) {
		t.Errorf("runs %+v, want one at 9999-12-31T10:00:59+09:00", f.Runs)
	}
	checkWarnings(t, f, []wwarn{{14, "date 1/1/1970 " + before88}})
}

// TestDebugLogOutlierAnchor: an anchor more than a day ahead of the date the log has reached
// whose next anchor goes back to within a day of the earlier ones is not trusted: the lines
// after it are dated as though it stated nothing (see logState.anchor). Jumps that nothing
// contradicts stand: a log resumed days or weeks later keeps its dates.
func TestDebugLogOutlierAnchor(t *testing.T) {
	const bannerH1 = "(lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on h1 (linux) "
	for _, tc := range []struct {
		name        string
		now         string
		in          string
		want        []wev
		usage       []wuse
		first, last string
		gaps        [][2]string
		warns       []wwarn
	}{
		{
			name: "a TIMESTAMP years ahead between TIMESTAMPs six hours apart",
			now:  testNow,
			in: text(
				"21:49:41 (lmgrd) TIMESTAMP 6/8/2010",
				"23:30:00 (lmgrd) Connected to h2",
				" 3:49:41 (lmgrd) TIMESTAMP 3/4/2025",
				` 5:00:00 (bm) OUT: "f" u1@h1  `,
				" 5:00:30 (lmgrd) Lost connection to h2",
				` 5:01:00 (bm) OUT: "f" u2@h2  `,
				" 9:49:41 (lmgrd) TIMESTAMP 6/9/2010",
				` 9:50:00 (bm) IN: "f" u1@h1  `,
				"10:00:00 (lmgrd) Connected to h2",
			),
			want: []wev{
				{2, "2010-06-08T23:30:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{5, "2010-06-09T05:00:30+09:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""},
				{9, "2010-06-09T10:00:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
			},
			usage: []wuse{
				{"2010-06-09T05:00:00+09:00", 1, 0, 0, 0, 0},
				{"2010-06-09T05:01:00+09:00", 1, 0, 0, 0, 0},
				{"2010-06-09T09:50:00+09:00", 0, 1, 0, 0, 0},
			},
			first: "2010-06-08T21:49:41+09:00", last: "2010-06-09T10:00:00+09:00",
			warns: []wwarn{{3, "date 3/4/2025 is more than a day after the rest of the log, which had reached 2010-06-09, and line 7 goes back to 6/9/2010; the line's date is not trusted"}},
		},
		{
			name: "Now unknown: a TIMESTAMP of 2031 between ones of 2010",
			in: text(
				"21:49:41 (lmgrd) TIMESTAMP 6/8/2010",
				" 3:49:41 (lmgrd) TIMESTAMP 6/9/2031",
				" 5:00:30 (lmgrd) Lost connection to h2",
				" 9:49:41 (lmgrd) TIMESTAMP 6/9/2010",
			),
			want:  []wev{{3, "2010-06-09T05:00:30+09:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""}},
			first: "2010-06-08T21:49:41+09:00", last: "2010-06-09T09:49:41+09:00",
			warns: []wwarn{{2, "date 6/9/2031 is more than a day after the rest of the log"}},
		},
		{
			name: "a restart's banner years ahead, the TIMESTAMP after it back in 2017",
			now:  testNow,
			in: text(
				" 9:49:41 "+bannerH1+"(6/8/2017)",
				"10:00:00 (lmgrd) Connected to h2",
				"11:00:00 "+bannerH1+"(6/8/2024)",
				"11:00:01 (lmgrd) Connected to h2",
				"15:49:41 (lmgrd) TIMESTAMP 6/8/2017",
			),
			want: []wev{
				{1, "2017-06-08T09:49:41+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{2, "2017-06-08T10:00:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{3, "2017-06-08T11:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{4, "2017-06-08T11:00:01+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
			},
			first: "2017-06-08T09:49:41+09:00", last: "2017-06-08T15:49:41+09:00",
			warns: []wwarn{{3, "date 6/8/2024 is more than a day after the rest of the log"}},
		},
		{
			name: "a -datestamp line years ahead between ordinary ones",
			now:  testNow,
			in: text(
				"2010-12-01T09:00:00+09:00 (lmgrd) Connected to server2",
				"2020-12-01T10:00:00+09:00 (lmgrd) Lost connection to server2",
				"2010-12-01T10:00:10+09:00 (lmgrd) Connected to server2",
			),
			want: []wev{
				{1, "2010-12-01T09:00:00+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
				{2, "2010-12-01T10:00:00+09:00", parser.EvLost, "lmgrd", "server2", "", "", 0, noReason, ""},
				{3, "2010-12-01T10:00:10+09:00", parser.EvConnected, "lmgrd", "server2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T09:00:00+09:00", last: "2010-12-01T10:00:10+09:00",
			warns: []wwarn{{2, "date 2020-12-01T10:00:00+09:00 is more than a day after the rest of the log"}},
		},
		{
			name: "old mm/dd envelope: a banner years ahead, the next line's date back",
			now:  testNow,
			in: text(
				"6/25 10:00 (lmgrd) FLEXlm (v7.0f) started on h1 (linux) (6/25/1999)",
				"6/25 11:00 (lmgrd) FLEXlm (v7.0f) started on h1 (linux) (3/4/2019)",
				"6/26 09:00 (lmgrd) License File SERVER line order mismatch.",
			),
			want: []wev{
				{1, "1999-06-25T10:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{2, "1999-06-25T11:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{3, "1999-06-26T09:00:00+09:00", parser.EvOrderMismatch, "lmgrd", "", "", "", 0, noReason, ""},
			},
			first: "1999-06-25T10:00:00+09:00", last: "1999-06-26T09:00:00+09:00",
			gaps:  [][2]string{{"1999-06-25T11:00:00+09:00", "1999-06-26T09:00:00+09:00"}},
			warns: []wwarn{{2, "date 3/4/2019 is more than a day after the rest of the log, which had reached 1999-06-25, and line 3 goes back to 6/26"}},
		},
		{
			name: "old mm/dd envelope: a restart years later, the next line's date agrees",
			now:  testNow,
			in: text(
				"6/25 10:00 (lmgrd) FLEXlm (v7.0f) started on h1 (linux) (6/25/1999)",
				"7/20 11:00 (lmgrd) FLEXlm (v7.0f) started on h1 (linux) (7/20/2019)",
				"7/21 09:00 (lmgrd) License File SERVER line order mismatch.",
			),
			want: []wev{
				{1, "1999-06-25T10:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{2, "2019-07-20T11:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{3, "2019-07-21T09:00:00+09:00", parser.EvOrderMismatch, "lmgrd", "", "", "", 0, noReason, ""},
			},
			first: "1999-06-25T10:00:00+09:00", last: "2019-07-21T09:00:00+09:00",
			gaps: [][2]string{
				{"1999-06-25T10:00:00+09:00", "2019-07-20T11:00:00+09:00"},
				{"2019-07-20T11:00:00+09:00", "2019-07-21T09:00:00+09:00"},
			},
		},
		{
			name: "a log resumed weeks later: the next TIMESTAMP agrees, the jump stands",
			now:  testNow,
			in: text(
				" 9:49:41 "+bannerH1+"(6/8/2017)",
				"10:00:00 (lmgrd) Connected to h2",
				"11:00:00 "+bannerH1+"(7/20/2017)",
				"11:00:01 (lmgrd) Connected to h2",
				"17:00:00 (lmgrd) TIMESTAMP 7/20/2017",
			),
			want: []wev{
				{1, "2017-06-08T09:49:41+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{2, "2017-06-08T10:00:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{3, "2017-07-20T11:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
				{4, "2017-07-20T11:00:01+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
			},
			first: "2017-06-08T09:49:41+09:00", last: "2017-07-20T17:00:00+09:00",
			gaps: [][2]string{{"2017-06-08T10:00:00+09:00", "2017-07-20T11:00:00+09:00"}},
		},
		{
			name: "a jump of two days, then a date one day back: not contradicted, the jump stands",
			now:  testNow,
			in: text(
				"23:00:00 (lmgrd) TIMESTAMP 12/1/2010",
				" 1:00:00 (lmgrd) TIMESTAMP 12/4/2010",
				" 1:00:01 (lmgrd) Connected to h2",
				" 7:00:00 (lmgrd) TIMESTAMP 12/3/2010",
				" 7:00:01 (lmgrd) Lost connection to h2",
			),
			want: []wev{
				{3, "2010-12-04T01:00:01+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
				{5, "2010-12-03T07:00:01+09:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""},
			},
			first: "2010-12-01T23:00:00+09:00", last: "2010-12-03T07:00:01+09:00",
			gaps: [][2]string{{"2010-12-01T23:00:00+09:00", "2010-12-04T01:00:00+09:00"}},
		},
		{
			name: "a jump and another jump: neither goes back, both stand",
			now:  testNow,
			in: text(
				"10:00:00 (lmgrd) TIMESTAMP 12/1/2010",
				"11:00:00 (lmgrd) TIMESTAMP 12/10/2010",
				"12:00:00 (lmgrd) TIMESTAMP 12/20/2010",
				"12:00:01 (lmgrd) Connected to h2",
			),
			want:  []wev{{4, "2010-12-20T12:00:01+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""}},
			first: "2010-12-01T10:00:00+09:00", last: "2010-12-20T12:00:01+09:00",
			gaps: [][2]string{
				{"2010-12-01T10:00:00+09:00", "2010-12-10T11:00:00+09:00"},
				{"2010-12-10T11:00:00+09:00", "2010-12-20T12:00:00+09:00"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readAt(t, tc.in, tokyo(t), tc.now, parser.KindDebugLog)
			checkEvents(t, f.Events, tc.want)
			checkWarnings(t, f, tc.warns)
			if !f.First.Equal(at(t, tc.first)) || !f.Last.Equal(at(t, tc.last)) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
			checkGaps(t, f, tc.gaps)
			var got []wuse
			for _, u := range f.Usage {
				got = append(got, wuse{u.Minute.Format(time.RFC3339), u.Count(parser.UsageOut), u.Count(parser.UsageIn),
					u.Count(parser.UsageDenied), u.Count(parser.UsageQueued), u.Count(parser.UsageOther)})
			}
			ok := len(got) == len(tc.usage)
			for i := 0; ok && i < len(got); i++ {
				w := tc.usage[i]
				ok = f.Usage[i].Minute.Equal(at(t, w.Minute)) && got[i].Out == w.Out && got[i].In == w.In
			}
			if !ok {
				t.Errorf("usage = %+v, want %+v", got, tc.usage)
			}
		})
	}
}

// TestLmstatOutlierRun: a run dated more than a day after the runs before it, when the next
// run goes back to within a day of them, is not used; a file that goes on after a long pause
// keeps its runs (see lmstatState.outlier).
func TestLmstatOutlierRun(t *testing.T) {
	servers := []string{"   server1: license server UP (MASTER) v10.8"}
	runs := func(headers ...string) string {
		var all []string
		for _, h := range headers {
			all = append(all, run(h, servers)...)
		}
		return text(all...)
	}
	snap := func(line int, tm string) wsnap {
		return wsnap{Line: line, Time: tm, Listed: triad, Servers: []wsrv{up(line+6, "server1", true)}}
	}
	for _, tc := range []struct {
		name        string
		in          string
		want        []wsnap
		first, last string
		warns       []wwarn
	}{
		{
			name:  "a run years ahead between runs a minute apart",
			in:    runs("Wed 12/1/2010 10:00", "Tue 12/2/2025 10:01", "Wed 12/1/2010 10:02"),
			want:  []wsnap{snap(2, "2010-12-01T10:00:59+09:00"), snap(26, "2010-12-01T10:02:59+09:00")},
			first: "2010-12-01T10:00:59+09:00", last: "2010-12-01T10:02:59+09:00",
			warns: []wwarn{{14, "date 2025-12-02T10:01:59+09:00 is more than a day after the runs before it (the newest 2010-12-01T10:00:59+09:00), and the run at line 26 goes back to 2010-12-01T10:02:59+09:00; the run's date is not trusted and the run is not used"}},
		},
		{
			name: "a run years ahead that says something else: its snapshot goes too",
			in: text(append(append(run("Wed 12/1/2010 10:00", servers), run("Tue 12/2/2025 10:01", []string{"   server1: license server UP v10.8"})...),
				run("Wed 12/1/2010 10:02", servers)...)...),
			want:  []wsnap{snap(2, "2010-12-01T10:00:59+09:00"), snap(26, "2010-12-01T10:02:59+09:00")},
			first: "2010-12-01T10:00:59+09:00", last: "2010-12-01T10:02:59+09:00",
			warns: []wwarn{{14, "date 2025-12-02T10:01:59+09:00 is more than a day after the runs before it"}},
		},
		{
			name:  "runs resumed weeks later stand",
			in:    runs("Wed 12/1/2010 10:00", "Mon 12/20/2010 10:01", "Mon 12/20/2010 10:02"),
			want:  []wsnap{snap(2, "2010-12-01T10:00:59+09:00"), snap(14, "2010-12-20T10:01:59+09:00"), snap(26, "2010-12-20T10:02:59+09:00")},
			first: "2010-12-01T10:00:59+09:00", last: "2010-12-20T10:02:59+09:00",
		},
		{
			name:  "a last run years ahead: nothing contradicts it",
			in:    runs("Wed 12/1/2010 10:00", "Tue 12/2/2025 10:01"),
			want:  []wsnap{snap(2, "2010-12-01T10:00:59+09:00"), snap(14, "2025-12-02T10:01:59+09:00")},
			first: "2010-12-01T10:00:59+09:00", last: "2025-12-02T10:01:59+09:00",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readAt(t, tc.in, tokyo(t), testNow, parser.KindLmstat)
			checkSnapshots(t, f.RunSnapshots(), tc.want)
			checkWarnings(t, f, tc.warns)
			if !f.First.Equal(at(t, tc.first)) || !f.Last.Equal(at(t, tc.last)) {
				t.Errorf("First, Last = %v, %v; want %s, %s", f.First, f.Last, tc.first, tc.last)
			}
			if len(f.Snapshots) != 1 {
				t.Errorf("%d snapshots kept, want 1 (the runs say the same)", len(f.Snapshots))
			}
		})
	}
}

// TestDebugLogOutlierPrev: a restart's Prev (the line before its silence) read after an
// outlier anchor moves back with the restart.
func TestDebugLogOutlierPrev(t *testing.T) {
	const restart = "(lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on h1 (linux)"
	in := text(
		"10:00:00 (lmgrd) TIMESTAMP 12/1/2010",
		"10:30:00 (lmgrd) Connected to h2",
		"11:00:00 (lmgrd) TIMESTAMP 12/1/2025",
		"11:30:00 (lmgrd) Lost connection to h2",
		"12:00:00 "+restart,
		"13:00:00 (lmgrd) TIMESTAMP 12/1/2010",
		"13:30:00 "+restart,
	)
	f := readAt(t, in, tokyo(t), testNow, parser.KindDebugLog)
	checkEvents(t, f.Events, []wev{
		{2, "2010-12-01T10:30:00+09:00", parser.EvConnected, "lmgrd", "h2", "", "", 0, noReason, ""},
		{4, "2010-12-01T11:30:00+09:00", parser.EvLost, "lmgrd", "h2", "", "", 0, noReason, ""},
		{5, "2010-12-01T12:00:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
		{7, "2010-12-01T13:30:00+09:00", parser.EvStart, "lmgrd", "h1", "", "", 0, noReason, ""},
	})
	checkWarnings(t, f, []wwarn{{3, "date 12/1/2025 is more than a day after the rest of the log"}})
	if len(f.Events) == 4 {
		for i, want := range map[int]string{2: "2010-12-01T11:30:00+09:00", 3: "2010-12-01T13:00:00+09:00"} {
			if !f.Events[i].Prev.Equal(at(t, want)) {
				t.Errorf("line %d: Prev = %v, want %s", f.Events[i].Line, f.Events[i].Prev, want)
			}
		}
	}
	checkGaps(t, f, nil)
}

// TestDebugLogOutlierAsIfAbsent: a contradicted outlier anchor leaves the log as it would be
// had the line stated no date: the same events (times and Prev), usage minutes, gaps, first
// and last times. Random logs of a few days, lines up to 8 hours apart, TIMESTAMPs among them;
// a few lines between the outlier and the TIMESTAMP that contradicts it.
func TestDebugLogOutlierAsIfAbsent(t *testing.T) {
	loc := tokyo(t)
	rnd := rand.New(rand.NewPCG(8, 6))
	msgs := []string{"(lmgrd) Connected to h2", "(lmgrd) Lost connection to h2", `(bm) OUT: "f" u1@h1  `, `(bm) IN: "f" u1@h1  `,
		"(lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on h1 (linux)"}
	for i := 0; i < 300; i++ {
		tm := time.Date(2010, 6, 8, rnd.IntN(24), rnd.IntN(60), rnd.IntN(60), 0, loc)
		stamp := func(t time.Time) string {
			return fmt.Sprintf("%2d:%02d:%02d (lmgrd) TIMESTAMP %d/%d/%d", t.Hour(), t.Minute(), t.Second(), t.Month(), t.Day(), t.Year())
		}
		lines := []string{stamp(tm)}
		k := 1 + rnd.IntN(20)       // the outlier's line (0-based)
		next := k + 1 + rnd.IntN(6) // the true anchor after it
		n := next + 1 + rnd.IntN(10)
		for j := 1; j < n; j++ {
			switch {
			case rnd.IntN(4) == 0:
				tm = tm.Add(time.Duration(rnd.IntN(8*3600)) * time.Second)
			default:
				tm = tm.Add(time.Duration(rnd.IntN(120)) * time.Second)
			}
			clock := fmt.Sprintf("%2d:%02d:%02d ", tm.Hour(), tm.Minute(), tm.Second())
			switch {
			case j == k:
				lines = append(lines, "") // placed below
			case j == next || j > next && rnd.IntN(5) == 0:
				lines = append(lines, stamp(tm))
			default:
				lines = append(lines, clock+msgs[rnd.IntN(len(msgs))])
			}
			if j == k {
				jump := 2 + rnd.IntN(5000)
				lines[k] = stamp(tm.AddDate(0, 0, jump))
			}
		}
		with := text(lines...)
		lines[k] = lines[k][:9] + "(lmgrd) TIMESTAMP n/a"
		without := text(lines...)
		f := readAt(t, with, loc, "", parser.KindDebugLog)
		g := readAt(t, without, loc, "", parser.KindDebugLog)
		same := len(f.Events) == len(g.Events) && len(f.Usage) == len(g.Usage) && f.First.Equal(g.First) && f.Last.Equal(g.Last) &&
			fmt.Sprint(f.Gaps) == fmt.Sprint(g.Gaps)
		for j := 0; same && j < len(f.Events); j++ {
			same = f.Events[j].Line == g.Events[j].Line && f.Events[j].Time.Equal(g.Events[j].Time) && f.Events[j].Prev.Equal(g.Events[j].Prev)
		}
		for j := 0; same && j < len(f.Usage); j++ {
			same = f.Usage[j].Minute.Equal(g.Usage[j].Minute) && f.Usage[j].Counts == g.Usage[j].Counts
		}
		if !same || f.Warned != 1 || len(f.Warnings) != 1 || f.Warnings[0].Line != k+1 {
			t.Fatalf("log %d: with the outlier at line %d, the log reads otherwise than without it\n%s\nevents %v\n   vs %v\nusage %v\n   vs %v\ngaps %v vs %v\nfirst, last %v %v vs %v %v\nwarnings %v",
				i, k+1, with, f.Events, g.Events, f.Usage, g.Usage, f.Gaps, g.Gaps, f.First, f.Last, g.First, g.Last, f.Warnings)
		}
	}
}
