package parser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// wordingVariants are invented other wordings of the triad lines of FORMATS.md 1.4 (each
// line classify knows, in lmgrd's log and the vendor daemon's): what another FlexNet version
// might write. news: the line reads as triad news by its words alone; otherwise it names a
// peer, which only the analysis can tell.
var wordingVariants = []struct {
	daemon, text string
	news         bool
}{
	{"lmgrd", "Attempting to connect to server2", true},                 // Trying connection to
	{"lmgrd", "connected with server3", true},                           // Connected to
	{"lmgrd", "Connection to the master was lost", true},                // Lost connection to master
	{"lmgrd", "Lost the connection with server1", true},                 // Lost connection to
	{"lmgrd", "Connection to server2 lost", true},                       // Lost connection to
	{"lmgrd", "Connection with server1 dropped", true},                  // Lost connection to
	{"lmgrd", "Timed out connecting to server3", true},                  // Connection to TIMED OUT
	{"lmgrd", "Unable to connect back to server2", true},                // Cannot connect to after incoming connection
	{"lmgrd", "master is now server2", true},                            // CONNECTED, master is
	{"lmgrd", "Using existing master server1", true},                    // selected (EXISTING) master
	{"lmgrd", "Quorum lost", true},                                      // lmgrd lost quorum
	{"lmgrd", "server1 should be MASTER but is unreachable", true},      // Master should be, but I can't connect
	{"lmgrd", "Cannot read from 1 server of the quorum: server3", true}, // There are N servers we can't read from
	{"lmgrd", "All connections to other daemons were lost", true},       // license daemon: lost all connections
	{"lmgrd", "SERVER lines are in another order on server2", false},    // License File SERVER line order mismatch
	{"lmgrd", "Vendor daemon bm started with no master", true},          // ATTEMPT TO START VENDOR DAEMON with NO MASTER
	{"lmgrd", "heartbeat from server3 timed out", true},
	{"lmgrd", "Redundancy degraded: server3 not responding", true},
	{"lmgrd", "server2 went away", false},
	{"bm", "Quorum lost, exiting", true},                       // Lost quorum, exiting
	{"bm", "Quorum not established, exiting", true},            // No quorum established
	{"bm", "server1 and server2 disagree on the master", true}, // ERROR: X thought Y was master
	{"bm", "Lost the connection with server1", false},          // a vendor daemon's: only the name tells
}

func TestUnknownWordingSuspects(t *testing.T) {
	lines := []string{bannerS1}
	for i, v := range wordingVariants {
		lines = append(lines, fmt.Sprintf("10:%02d:00 (%s) %s", i, v.daemon, v.text))
	}
	f := read(t, text(lines...), tokyo(t), parser.KindDebugLog)
	if len(f.Events) != 1 {
		t.Errorf("events: %v, want the banner only", f.Events)
	}
	if f.Unrecognized != 0 || len(f.Warnings) != 0 {
		t.Errorf("unrecognized %d, warnings %v: the reader does not judge them", f.Unrecognized, f.Warnings)
	}
	got := map[int]parser.Suspect{}
	for _, s := range f.Suspects {
		got[s.Line] = s
	}
	for i, v := range wordingVariants {
		s, ok := got[i+2]
		switch {
		case !ok:
			t.Errorf("line %d (%s) %s: not kept as a suspect", i+2, v.daemon, v.text)
		case s.News != v.news:
			t.Errorf("line %d (%s) %s: news = %v, want %v", i+2, v.daemon, v.text, s.News, v.news)
		case !strings.HasSuffix(s.Text, "("+v.daemon+") "+v.text) || strings.HasPrefix(s.Text, " "):
			t.Errorf("line %d: text %q", i+2, s.Text)
		}
	}
}

// TestUnknownWordingKnownForms: the known lines that hold the triad's words but say nothing of
// the triad (FORMATS.md 1.4 to 1.7), the vendors' tagged blocks and the indented lines are not
// suspects; the known triad lines are events, not suspects; and ordinary lines that are kept
// (to be checked for a member's name) do not read as news.
func TestUnknownWordingKnownForms(t *testing.T) {
	plain := []string{
		"(lmgrd) lmgrd will now attempt to select a new master",
		"(lmgrd) process connection requests from other lmgrd processes",
		"(lmgrd) Waiting 60 seconds to shutdown redundant servers",
		`(lmgrd) Valid server hosts are: "server1" "server2" "server3" `,
		`(lmgrd) "server4": Not a valid server hostname, exiting.`,
		`(lmgrd) Host "server2" unknown in network database.`,
		"(lmgrd) Couldn't find a master",
		"(lmgrd)  server2",
		"(lmgrd)   network of servers including Windows NT, Linux",
		"(lmgrd) TIMESTAMP 12/1/2010",
		"(bm) Lost connection to lmgrd, heartbeat timeout expired, exiting.",
		"(bm) Heartbeat timeout is 300 seconds. Elapsed time is 715 seconds.",
		"(bm) No master, exiting",
		"(bm) No master specified",
		"(bm) lm_server: lost all connections",
		"(bm) Redundant servers require some counted features, exiting",
		"(bm) (@bm-SLOG@) Peak active connections #10 attempted at Mon Jul 30 2018 14:24:51 Eastern Daylight Time",
		"(bm) (@bm-SLOG@) === Active Connections Info ===",
		"(bm) SLOG: Summary LOG statistics is enabled.",
		"(MSC)  INFO: Unable to connect to MSC compliance server, or invalid status ",
		"(MSC)  (@MSC-INFO@) MasterKey Plus Tokens: Total = 2305",
	}
	kept := []string{ // kept for the analysis to look for a member's name in; not news
		"(MSC) INFO: Unable to connect to MSC compliance server, or invalid status ",
		"(MSC) A,APP=SCASystem;connection_check,6c5e08c,cf3072ad",
		"(bm) NA_Master NA_Quorum_Solver",
		"(lmgrd) Starting vendor daemons ... ",
		"(lmgrd) License file(s): C:\\flexlm\\license.dat",
	}
	events := []string{
		"(lmgrd) Trying connection to server2",
		"(lmgrd) Connected to server2",
		"(lmgrd) Lost connection to master",
		"(lmgrd) Lost connection to server2",
		"(lmgrd) CONNECTED, master is server1",
		"(lmgrd) lmgrd lost quorum.  lmgrd will now only",
		"(bm) Lost quorum, exiting",
		"(bm) ERROR: server1 thought server2 was master",
		"(bm) Server started on server1 for:\tbm_solver\tbm_pre", // the vendor daemon serves (TRIAD.md 5)
	}
	var lines []string
	lines = append(lines, bannerS1)
	for _, group := range [][]string{plain, kept, events} {
		for _, l := range group {
			lines = append(lines, "10:00:00 "+l)
		}
	}
	f := read(t, text(lines...), tokyo(t), parser.KindDebugLog)
	keptAt := map[int]bool{}
	for _, s := range f.Suspects {
		if s.News {
			t.Errorf("line %d reads as news: %s", s.Line, s.Text)
		}
		keptAt[s.Line] = true
	}
	for i := range plain {
		if keptAt[i+2] {
			t.Errorf("line %d kept as a suspect: %s", i+2, plain[i])
		}
	}
	for i := range kept {
		if n := len(plain) + i + 2; !keptAt[n] {
			t.Errorf("line %d not kept: %s", n, kept[i])
		}
	}
	if len(f.Events) != 1+len(events) {
		t.Errorf("%d events, want %d", len(f.Events), 1+len(events))
	}
}

// TestUnknownWordingBounded: a file keeps at most so many suspects, each cut to a few hundred
// bytes; lines that read as news are all counted.
func TestUnknownWordingBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(bannerS1 + "\n")
	const n = 5000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "10:00:00 (lmgrd) Quorum lost %d %s\n", i, strings.Repeat("x", 1000))
	}
	f := read(t, b.String(), tokyo(t), parser.KindDebugLog)
	if len(f.Suspects)+f.SuspectsMore != n || len(f.Suspects) >= n {
		t.Errorf("kept %d, more %d: want a bounded number kept and %d in all", len(f.Suspects), f.SuspectsMore, n)
	}
	for _, s := range f.Suspects {
		if len(s.Text) > 300 {
			t.Fatalf("a suspect keeps %d bytes", len(s.Text))
		}
	}
}
