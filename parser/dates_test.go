package parser_test

import (
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
		ok = f.Warnings[i].Line == want[i].Line && strings.Contains(f.Warnings[i].Msg, want[i].Msg)
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
			if f.Reason != tc.reason {
				t.Errorf("Reason = %q, want %q", f.Reason, tc.reason)
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
