package parser_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// Seeds taken from the tables of the other test files.
var (
	debugSeeds = []string{
		text(anchor, " 9:49:41 (lmgrd) Connected to server2", "9:58:10 (lmgrd) Connected to server2", "15:49:41 (lmgrd) Lost connection to server2"),
		text("12/01 09:00 (lmgrd) TIMESTAMP 12/1/2010", "12/01 11:00 (lmgrd) License File SERVER line order mismatch."),
		text("09:00 (lmgrd) TIMESTAMP 12/1/2010", "11:00 (lmgrd) Connected to server2"),
		text("2010-12-01T09:00:02+09:00 (lmgrd) Connected to server2", "2010-12-01T00:00:02Z (lmgrd) Connected to server2"),
		text(anchor, "10:00:00 (bm_1) Lost quorum, exiting", "12:05:51 (demo[24341]) EXITING DUE TO SIGNAL 37 Exit reason 5", "10:00:00 ((lmgrd)) Connected to server2"),
		crlf(anchor, "10:00:00 (lmgrd) Connected to server2", "10:00:01 (lmgrd) CONNECTED, master is server1"),
		text(anchor, " 4:29:00 (lmgrd) ABAQUSLM using TCP-port 44121", "free(): invalid pointer", " 4:29:01 (lmgrd) ABAQUSLM exited with status 0 signal = 17",
			" 4:29:01 (lmgrd) REStarted ABAQUSLM (internet tcp_port 45413 pid 177)"),
		text(anchor, "21:10:48 (adskflex) Checkin failed feature \"85730ACD_2012_0F\": USER11 COMPUTER11 COMPUTER11", "\t\" (0,353:10054 \"\")\""),
		text(anchor, "14:24:37 (lmgrd) SHUTDOWN request from dubin at node ubuntu-20-intel", "    1 FlexNet License Server shut down", "14:24:37 (lmgrd) EXITING DUE TO SIGNAL 15"),
		text(" 9:49:41 (lmgrd) Server's System Date and Time: Thu Jun 08 2017 09:49:41 EDT",
			" 9:49:41 (lmgrd) (@lmgrd-SLOG@) Start-Date: Thu Jun 08 2017 09:49:41 EDT",
			" 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on flux-license1.miserver.it.umich.edu (linux) (6/8/2017)",
			" 9:49:41 (lmgrd) Started ansyslmd (internet tcp_port 60198 pid 1962)"),
		text("23:40:00 (lmgrd) Trying connection to h2", "23:50:00 (lmgrd) Connected to h2", " 0:10:00 (lmgrd) TIMESTAMP 6/9/2017", " 0:20:00 (lmgrd) Lost connection to h2"),
		text(anchor, "10:00:00 (lmgrd) Master should be server1, but I can't connect", "10:00:00 (lmgrd) There are 2 servers we can't read from! (quorum: 2):",
			"10:00:00 (lmgrd) license daemon: lost all connections", "10:00:00 (lmgrd) ATTEMPT TO START VENDOR DAEMON bm with NO MASTER",
			"10:00:00 (bm) ERROR: server2 thought server1 was master", "10:00:00 (bm) No quorum established, exiting",
			"10:00:00 (lmgrd) MSC exited with status 25 (Invalid host)", "10:00:00 (lmgrd) SHUTting down bm",
			"10:00:00 (INTEL) Lost connection to lmgrd, heartbeat timeout expired, exiting."),
		text(anchor, `21:06:15 (ansyslmd) OUT: "hfsshpc" manikafa@nyx7005.arc-ts.umich.edu  (20 licenses) `,
			`21:06:52 (ansyslmd) IN: "hfsshpc" manikafa@nyx7005.arc-ts.umich.edu  (20 licenses) `,
			`21:06:59 (adskflex) DENIED: "64300ACD_F" TonyMontana@ANOTHERONE  (Licensed number of users already reached. (-4,342))`,
			`21:07:00 (parteklm) UNSUPPORTED: "pathway_base" (PORT_AT_HOST_PLUS   ) nicolaea@NCI-01831285  (License server system does not support this feature. (-18,327))`,
			`21:07:01 (bm) QUEUED: "bm_solver" user1@pc1  `),
		text("10:00:00 (lmgrd) Connected to server2"),
		"",
	}
	lmstatSeeds = []string{
		text(run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8", "   server2: license server UP v10.8"}, "        bm: UP v10.8")...),
		text(append([]string{"# 2010-12-01T09:00:03+09:00"}, run("Wed 12/1/2010 09:00", []string{
			"   server2: Cannot connect to license server system. (-15,570:115 \"Operation now in progress\")",
			"   server3: Cannot read data from license server system. (-16,287)",
			"   server4: License server system busy (no majority). (-20,131)",
			"   server5: License server system temporarily busy (new server connecting). (-23,169)",
		}, "        bm: The desired vendor daemon is down. (-97,121)")...)...),
		text(copyright, "Flexible License Manager status on Wed 12/1/2010 11:05", "", "Error getting status: Cannot read data from license server system. (-16,287)"),
		text("# 2010-12-01T11:06:02+09:00", "Error getting status: lmutil did not finish within 30s (--timeout): killed with its process group"), // a collector's failed poll
		text(copyright, "Flexible License Manager status on Wed 12/1/2010 11:00", "", "License server status: 1055@ansyslic1",
			"lmgrd is not running: License server machine is down or not responding. (-96,7:2 \"No such file or directory\")"),
		text("NOTE: lmstat -i does not give information from the server,", "Feature  Version  #licenses  Expires  Vendor", "f1 1.0 1 1-jan-0 v"),
		text(copyright, "lmstat v11.14.0.1 build 188735 x64_lsb"),
		crlf(copyright, "Flexible License Manager status on Wed 12/1/2010 09:00", "Users of f:  (Total of 1 license issued;  Total of 0 licenses in use)", strings.Repeat("-", 76)),
		// a paste without its header, then lmdown's output after a run
		text(statusLine, "   server1: license server UP (MASTER) v10.8", "   server2: Cannot read data from license server system. (-16,287)"),
		text(append(append(run("Wed 12/1/2010 09:00", []string{"   server1: license server UP (MASTER) v10.8"}), lmdownOut...),
			"# 2010-12-01T09:06:00+09:00", "    1 FlexNet License Server shut down", "Shutdown failed: Cannot connect to license server system. (-15,570:115)")...),
	}
	licenseSeeds = []string{
		text("# triad", "SERVER server1 17003456 27001 PRIMARY_IS_MASTER HEARTBEAT_INTERVAL=30", "SERVER server2 17004355 27001",
			"SERVER server3 17007ea8 27001", "VENDOR bm", "DAEMON bm2 /opt/bm2", "USE_SERVER",
			"FEATURE bm_pre bm 1.0 permanent 5 \\", "\tSIGN=\"1C7D 42A9 \\", "\t0B6E 9F21\"", "garbage"),
		crlf("SERVER server1 ID=123 PORT=27001", "VENDOR bm", "INCREMENT f bm 1.0 permanent 1 \\"),
	}
)

// maxSeed is the most a seed from a sample file holds: the fuzzer mutates and minimises its
// corpus, and a seed of kilobytes slows it to a crawl. TestSampleInvariants checks the whole files.
const maxSeed = 1 << 10

// seedFiles adds the start of each sample file matching pattern as a seed: its first lines, at
// most maxSeed bytes.
func seedFiles(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(pattern)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if len(b) > maxSeed {
			b = b[:maxSeed]
			if i := bytes.LastIndexByte(b, '\n'); i > 0 {
				b = b[:i+1]
			}
		}
		f.Add(string(b))
	}
}

// TestFuzzSeedsSmall: the seed tables stay small (see maxSeed); a longer case goes in a table test.
func TestFuzzSeedsSmall(t *testing.T) {
	seeds := map[string][]string{"debugSeeds": debugSeeds, "lmstatSeeds": lmstatSeeds, "licenseSeeds": licenseSeeds}
	for _, c := range detectCases {
		seeds["detectCases"] = append(seeds["detectCases"], c.in)
	}
	for _, c := range unknownCases {
		seeds["unknownCases"] = append(seeds["unknownCases"], c.in)
	}
	for table, list := range seeds {
		for i, s := range list {
			if len(s) > maxSeed {
				t.Errorf("%s[%d] is %d bytes, over %d", table, i, len(s), maxSeed)
			}
		}
	}
}

// TestSampleInvariants: the fuzzers' property on the whole sample files, of which the fuzzers
// are seeded with the first lines only.
func TestSampleInvariants(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"../samples/*/*.log", "../samples/*/license.dat*"} {
		ps, _ := filepath.Glob(pattern)
		paths = append(paths, ps...)
	}
	if len(paths) < 30 {
		t.Fatalf("%d sample files: are the samples there?", len(paths))
	}
	loc := tokyo(t)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimPrefix(p, "../samples/"), func(t *testing.T) {
			if f := checkInvariants(t, string(b), loc); f.Kind == parser.KindUnknown {
				t.Errorf("not recognised: %s", f.Reason)
			}
		})
	}
}

// checkInvariants is the property every reader keeps, whatever the input.
func checkInvariants(t *testing.T, in string, loc *time.Location) *parser.File {
	f, err := parser.Read(strings.NewReader(in), "fuzz", parser.Options{Location: loc})
	if err != nil {
		t.Fatalf("Read returned an error for in-memory input: %v", err)
	}
	lines := nlines(in)
	if f.Kind != parser.KindUnknown && f.Lines != lines {
		t.Errorf("Lines = %d, want %d", f.Lines, lines)
	}
	if f.Recognized < 0 || f.Unrecognized < 0 || f.Recognized+f.Unrecognized > f.Lines {
		t.Errorf("recognized %d + unrecognized %d > lines %d", f.Recognized, f.Unrecognized, f.Lines)
	}
	if f.Warned < len(f.Warnings) {
		t.Errorf("Warned %d < %d warnings kept", f.Warned, len(f.Warnings))
	}
	for _, w := range f.Warnings {
		if w.Line < 1 || w.Line > lines || w.File != "fuzz" {
			t.Errorf("warning %s:%d outside 1..%d", w.File, w.Line, lines)
		}
	}
	for _, e := range f.Events {
		if e.Line < 1 || e.Line > lines {
			t.Errorf("event at line %d outside 1..%d", e.Line, lines)
		}
		if e.Time.IsZero() {
			t.Errorf("event at line %d has no time", e.Line)
		}
	}
	for _, s := range f.Snapshots {
		if s.Line < 1 || s.Line > lines {
			t.Errorf("snapshot at line %d outside 1..%d", s.Line, lines)
		}
		for _, sl := range s.Servers {
			// after the run's header; a paste's first line may be a server line
			if sl.Line < s.Line || (sl.Line == s.Line && strings.HasPrefix(s.Text, "Flexible License Manager status on")) || sl.Line > lines {
				t.Errorf("server line %d outside %d..%d", sl.Line, s.Line+1, lines)
			}
		}
	}
	if f.License != nil {
		for _, s := range f.License.Servers {
			if s.Line < 1 || s.Line > lines {
				t.Errorf("SERVER line %d outside 1..%d", s.Line, lines)
			}
		}
	}
	if f.Kind == parser.KindUnknown && f.Reason.IsZero() {
		t.Error("unknown kind without a reason")
	}
	return f
}

func FuzzDebugLog(f *testing.F) {
	for _, s := range debugSeeds {
		f.Add(s)
	}
	seedFiles(f, "../samples/*/server*.log")
	loc := tokyo(f)
	f.Fuzz(func(t *testing.T, in string) {
		checkInvariants(t, in, loc)
	})
}

func FuzzLmstat(f *testing.F) {
	for _, s := range lmstatSeeds {
		f.Add(s)
	}
	loc := tokyo(f)
	f.Fuzz(func(t *testing.T, in string) {
		checkInvariants(t, in, loc)
	})
}

func FuzzLicense(f *testing.F) {
	for _, s := range licenseSeeds {
		f.Add(s)
	}
	seedFiles(f, "../samples/*/license.dat")
	f.Fuzz(func(t *testing.T, in string) {
		checkInvariants(t, in, nil)
	})
}

func FuzzDetect(f *testing.F) {
	for _, c := range detectCases {
		f.Add([]byte(c.in))
	}
	for _, c := range unknownCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		kind, reason := parser.Detect(in)
		if (kind == parser.KindUnknown) != !reason.IsZero() {
			t.Errorf("Detect = %v, %q: a reason goes with unknown, and only with it", kind, reason)
		}
		if k2, r2 := parser.Detect(in); k2 != kind || !reflect.DeepEqual(r2, reason) {
			t.Errorf("Detect is not deterministic: %v %q, then %v %q", kind, reason, k2, r2)
		}
		if len(in) <= 64*1024 {
			file, err := parser.Read(strings.NewReader(string(in)), "fuzz", parser.Options{})
			if err != nil || file.Kind != kind {
				t.Errorf("Read kind = %v (err %v), Detect kind = %v", file.Kind, err, kind)
			}
		}
	})
}
