package analyze_test

import (
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// paste is lmstat output pasted into a ticket without its header (TRIAD.md section 2): the
// server lines for codes (see serverLine), after the "License server status:" line and
// before the vendor daemon's line when full is set, or alone, as the vendor's manual shows
// them.
func paste(name string, codes string, full bool) input {
	var lines []string
	if full {
		lines = append(lines, "License server status: 27001@server1,27001@server2,27001@server3",
			"    License file(s) on server1: C:\\flexlm\\license.dat:", "")
	}
	master, vendor := "", "        bm: UP v10.8"
	for i, n := range triadNames {
		lines = append(lines, serverLine(n, codes[i]))
		if codes[i] == 'M' && master == "" {
			master = n
		}
	}
	if master == "" { // lmstat names the last server it asked; its vendor daemon is not the master's
		master, vendor = "server1", "        bm: The desired vendor daemon is down. (-97,121)"
	}
	if full {
		lines = append(lines, "", "Vendor daemon status (on "+master+"):", "", vendor, "")
	}
	return input{name, strings.Join(lines, "\r\n") + "\r\n"}
}

// untimedOnly checks that the report holds one interval, with no time, in the given state.
func untimedOnly(t *testing.T, rep *analyze.Report, state analyze.State) {
	t.Helper()
	if len(rep.Intervals) != 1 {
		t.Fatalf("%d intervals, want the paste's alone\n%s", len(rep.Intervals), dump(rep))
	}
	iv := rep.Intervals[0]
	if !iv.Start.IsZero() || !iv.End.IsZero() || iv.Duration() != 0 || iv.State != state {
		t.Errorf("interval %s %s-%s, want %s with no start and no end\n%s", iv.State, iv.Start, iv.End, state, dump(rep))
	}
	for _, f := range rep.Findings {
		if !f.Start.IsZero() || !f.End.IsZero() {
			t.Errorf("finding %s %s-%s has a time; the paste has none", f.Code, f.Start, f.End)
		}
	}
}

// TestPasteUntimed: a paste without --at is classified on its own by the rules of TRIAD.md
// section 4 and raises the findings of its state with no time, without the 10 s rule or the
// duration thresholds (section 5); the exit code follows them.
func TestPasteUntimed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		codes string
		state analyze.State
		want  []fd
		sev   analyze.Severity
		exit  int
	}{
		{"all up", "MUU", normal, nil, ok, 0},
		// -16 is unresponsive: nothing shows a return, so no failed rejoin (TRIAD.md 5)
		{"cannot read data", "MRU", degraded, []fd{{"server-down", warning, "server2"}}, warning, 1},
		{"two MASTER marks", "MMU", dualMaster, []fd{{"dual-master", warning, ""}}, warning, 1},
		{"no master", "UUU", masterless, []fd{{"masterless", warning, ""}}, warning, 1},
		{"two down", "DDU", noQuorum, []fd{{"no-quorum", critical, ""}}, critical, 1},
		{"no majority", "MUN", degraded, []fd{{"server-down", warning, "server3"}}, warning, 1},
		{"the tertiary claims master", "UUM", normal, []fd{{"tertiary-master", warning, "server3"}}, warning, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustAnalyze(t, analyze.Config{}, licenseDat(""), paste("ticket.txt", tc.codes, true))
			untimedOnly(t, rep, tc.state)
			checkFindings(t, rep, tc.want...)
			checkVerdict(t, rep, tc.state, tc.sev, tc.exit)
			if len(tc.want) > 0 && len(rep.Findings) > 0 {
				if s := catalog.English(rep.Findings[0].Msg); !strings.HasPrefix(s, "At an unknown time (ticket.txt:") {
					t.Errorf("summary %q does not say the time is unknown", s)
				}
			}
			if len(rep.Timeline) != 1 || !rep.Timeline[0].Time.IsZero() || rep.Timeline[0].State != tc.state {
				t.Errorf("timeline %+v, want the paste's entry with no time", rep.Timeline)
			}
		})
	}
}

// TestPasteVendorManual: the server lines alone, with no license file: the members come from
// them (in alphabetical order, with a warning), and the paste is analysed.
func TestPasteVendorManual(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{}, paste("manual.txt", "MRU", false))
	untimedOnly(t, rep, degraded)
	checkFindings(t, rep, fd{"server-down", warning, "server2"})
	checkVerdict(t, rep, degraded, warning, 1)
	if got := rep.Intervals[0].Evidence; len(got) != 3 || got[0].At() != "manual.txt:1" {
		t.Errorf("evidence %v, want the three server lines", got)
	}
}

// TestPasteAt: --at places the paste: a run stamped with that time, analysed like any other.
func TestPasteAt(t *testing.T) {
	rep := mustAnalyze(t, analyze.Config{At: at("9:30:00")}, licenseDat(""), paste("ticket.txt", "MRU", true))
	checkIntervals(t, rep, iv{"9:30:00", degraded, "server1", "server2"})
	if end := rep.Intervals[0].End; !end.Equal(at("9:31:00")) {
		t.Errorf("end %s, want 09:31:00 (a single snapshot covers a minute)", end.In(tokyo))
	}
	checkFindings(t, rep, fd{"server-down", warning, "server2"})
	if f := rep.Findings[0]; !f.Start.Equal(at("9:30:00")) {
		t.Errorf("server-down starts %s, want 09:30:00", f.Start.In(tokyo))
	}
	checkVerdict(t, rep, degraded, warning, 1)
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings %v", rep.Warnings)
	}
	// --at when every output has its time places nothing, and says so.
	rep = mustAnalyze(t, analyze.Config{At: at("9:30:00")}, licenseDat(""), lmstat("09:00-09:05 MUU"))
	if len(rep.Warnings) != 1 || rep.Warnings[0].Key != "warn.at-unused" {
		t.Errorf("warnings %v, want warn.at-unused", rep.Warnings)
	}
}

// TestPasteWithTimedEvidence: the paste's interval comes after the timed ones; the verdict's
// state is the one the timed evidence ends in; a window keeps what has no time.
func TestPasteWithTimedEvidence(t *testing.T) {
	ins := []input{licenseDat(""), lmstat("09:00-09:10 MUU"), paste("ticket.txt", "MDU", true)}
	rep := mustAnalyze(t, analyze.Config{}, ins...)
	if got := states(rep); len(got) != 2 || got[0] != normal || got[1] != degraded || !rep.Intervals[1].Start.IsZero() {
		t.Fatalf("states %v, want the timed normal, then the paste's degraded with no time\n%s", got, dump(rep))
	}
	checkFindings(t, rep, fd{"server-down", warning, "server2"})
	checkVerdict(t, rep, degraded, warning, 1) // the state of the verdict's finding's interval
	if f := rep.Verdict.Finding; f == nil || f.Code != "server-down" {
		t.Errorf("verdict rests on %v, want the paste's server-down", f)
	}
	// With nothing at warning or above, the state the timed evidence ends in.
	rep = mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:10 MDU"), paste("ticket.txt", "MUU", true))
	checkVerdict(t, rep, degraded, warning, 1)
	// A paste of one server line leaves the others unknown: its state is unknown, and says why.
	rep = mustAnalyze(t, analyze.Config{}, licenseDat(""), lmstat("09:00-09:10 MUU"), input{"ticket.txt", serverLine("server1", 'M') + "\n"})
	if got := states(rep); len(got) != 2 || got[1] != unknown || catalog.English(rep.Intervals[1].Why) != "the snapshot does not say what server2 and server3 did" {
		t.Errorf("states %v, why %q", got, catalog.English(rep.Intervals[1].Why))
	}
	checkVerdict(t, rep, normal, ok, 0)

	rep = mustAnalyze(t, analyze.Config{Since: at("9:05:00"), Until: at("9:08:00")}, ins...)
	if got := states(rep); len(got) != 2 || !rep.Intervals[0].Start.Equal(at("9:05:00")) || !rep.Intervals[1].Start.IsZero() {
		t.Errorf("windowed: states %v, want the cut normal and the paste's\n%s", got, dump(rep))
	}
	checkFindings(t, rep, fd{"server-down", warning, "server2"})
	if f := rep.Verdict.Finding; f == nil || rep.Verdict.State != degraded {
		t.Errorf("windowed verdict %+v, want the paste's finding and state", rep.Verdict)
	}
	if n := len(rep.Timeline); n == 0 || !rep.Timeline[n-1].Time.IsZero() {
		t.Errorf("windowed timeline ends %v, want the paste's entry", rep.Timeline)
	}
}
