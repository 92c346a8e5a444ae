package parser_test

import (
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// Shift_JIS for "ライセンス" (license), as a Japanese Windows server may write it.
const sjis = "\x83\x89\x83\x43\x83\x5a\x83\x93\x83\x58"

var detectCases = []struct {
	name string
	in   string
	want parser.Kind
}{
	{"debug log, banner", text(
		" 8:55:10 (lmgrd) -----------------------------------------------",
		" 8:55:10 (lmgrd)   Please Note:",
		" 8:55:10 (lmgrd) ",
		" 8:55:10 (lmgrd) Server's System Date and Time: Wed Dec 01 2010 08:55:10 Tokyo Standard Time",
		" 8:55:10 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)",
		" 8:55:10 (lmgrd) Trying connection to server2",
	), parser.KindDebugLog},
	{"debug log, CRLF and no space before the hour", crlf(
		"9:58:10 (lmgrd) covlicd daemon found no features.  Please correct",
		"9:58:10 (lmgrd) license file(s) and restart daemons.",
	), parser.KindDebugLog},
	{"debug log, old mm/dd envelope", text("6/26 11:00 (lmgrd) License File SERVER line order mismatch.", "6/26 11:00 (lmgrd) Using alphabetical order"), parser.KindDebugLog},
	{"debug log, ISO envelope", text("2010-12-01T09:00:02+09:00 (lmgrd) Trying connection to server2", "2010-12-01T09:00:03Z (bm) TIMESTAMP 12/1/2010"), parser.KindDebugLog},
	{"debug log, starting mid-line with raw stderr", text(
		"nse server manager (lmgrd) will attempt to re-start",
		"free(): invalid pointer",
		" 4:29:01 (lmgrd) ABAQUSLM exited with status 0 signal = 17",
		" 4:29:01 (lmgrd) REStarted ABAQUSLM (internet tcp_port 45413 pid 177)",
		" 4:29:01 (ABAQUSLM) FLEXnet Licensing version v11.6.1.0 build 66138 amd64_re3",
	), parser.KindDebugLog},
	{"debug log, Shift_JIS text", text(
		" 9:00:00 (lmgrd) TIMESTAMP 12/1/2010",
		" 9:00:01 (bm) "+sjis,
		" 9:00:02 (bm) "+sjis+" "+sjis,
	), parser.KindDebugLog},
	{"lmstat -a", text(
		copyright,
		"Flexible License Manager status on Wed 12/1/2010 09:00",
		"",
		statusLine,
		"   server1: license server UP (MASTER) v10.8",
	), parser.KindLmstat},
	{"lmstat, error getting status", text(
		"lmstat - Copyright (c) 1989-2004 by Macrovision Corporation. All rights reserved.",
		"Flexible License Manager status on Wed 12/1/2010 09:00",
		"",
		"Error getting status: Cannot connect to license server (-15,570:111 \"Connection refused\")",
	), parser.KindLmstat},
	{"lmstat, vendor-renamed lmutil", text("lmutil-l34815 - Copyright (c) 1989-2015 Flexera Software LLC. All Rights Reserved.", "Flexible License Manager status on Wed 12/1/2010 09:00"), parser.KindLmstat},
	{"lmstat -v", text("lmutil - Copyright (c) 1989-2016 Flexera Software LLC. All Rights Reserved.", "lmstat v11.14.0.1 build 188735 x64_lsb"), parser.KindLmstat},
	{"lmstat -i", text("NOTE: lmstat -i does not give information from the server,", "      but only reads the license file.  For this reason,"), parser.KindLmstat},
	{"lmstat with a stamp line, CRLF", crlf("# 2010-12-01T09:00:03+09:00", copyright, "Flexible License Manager status on Wed 12/1/2010 09:00"), parser.KindLmstat},
	{"license file", text(
		"# bm license file",
		"SERVER server1 17003456 27001",
		"SERVER server2 17004355 27001",
		"SERVER server3 17007ea8 27001",
		"VENDOR bm",
		"USE_SERVER",
		"FEATURE bm_solver bm 1.0 permanent 10 ISSUED=15-nov-2010 \\",
		sign1,
	), parser.KindLicense},
	{"license file, DAEMON and INCREMENT lines, CRLF", crlf(
		"SERVER server1 17003456 27001 PRIMARY_IS_MASTER HEARTBEAT_INTERVAL=30",
		"DAEMON bm /opt/bm",
		"INCREMENT f1 bm 1.0 permanent 1 \\",
		"\tVENDOR_STRING=\"x\" \\",
		"\tSIGN=0",
	), parser.KindLicense},
}

var unknownCases = []struct {
	name string
	in   string
}{
	{"empty", ""},
	{"blank lines only", "\n\n   \r\n\t\n"},
	{"binary with NUL", "PK\x03\x04\x14\x00\x00\x00\x08\x00 9:00:00 (lmgrd) TIMESTAMP 12/1/2010\n"},
	{"binary without NUL", strings.Repeat("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\xff\xfe", 20)},
	{"README-like prose", text(
		"# lmtriad",
		"",
		"Replay the logs of a FlexLM license-server triad and diagnose the outage.",
		"",
		"Give it the debug log of each server, the lmstat snapshots and the license file:",
		"",
		"    lmtriad --tz Asia/Tokyo server1.log server2.log server3.log lmstat.log",
		"",
		"It prints the states the triad went through and what to do about them.",
	)},
	{"CSV export", text("time,server,state", "2010-12-01T09:00:00+09:00,server1,up", "2010-12-01T09:01:00+09:00,server2,down")},
}

func TestDetect(t *testing.T) {
	for _, tc := range detectCases {
		t.Run(tc.name, func(t *testing.T) {
			kind, reason := parser.Detect([]byte(tc.in))
			if kind != tc.want || !reason.IsZero() {
				t.Errorf("Detect = %v, %q; want %v, no reason", kind, reason, tc.want)
			}
		})
	}
	for _, tc := range unknownCases {
		t.Run(tc.name, func(t *testing.T) {
			kind, reason := parser.Detect([]byte(tc.in))
			if kind != parser.KindUnknown || reason.IsZero() {
				t.Errorf("Detect = %v, %q; want unknown with a reason", kind, reason)
			}
		})
	}
}

// TestDetectReasons checks the reason texts that say what the file is.
func TestDetectReasons(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "empty"},
		{"NUL bytes", "abc\x00def\n", "binary"},
		{"binary", strings.Repeat("\x01\x02\x03\xff", 50), "binary"},
		{"prose", unknownCases[4].in, "not a FlexLM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, reason := parser.Detect([]byte(tc.in))
			if !strings.Contains(english(reason), tc.want) {
				t.Errorf("reason = %q, want it to contain %q", english(reason), tc.want)
			}
		})
	}
}

// TestReadKinds: Read uses Detect, and an unknown file is skipped with its reason and hash.
func TestReadKinds(t *testing.T) {
	for _, tc := range detectCases {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tokyo(t), tc.want)
			if f.Lines != nlines(tc.in) {
				t.Errorf("Lines = %d, want %d", f.Lines, nlines(tc.in))
			}
		})
	}
	for _, tc := range unknownCases {
		t.Run(tc.name, func(t *testing.T) {
			f := read(t, tc.in, tokyo(t), parser.KindUnknown)
			if f.Reason.IsZero() {
				t.Error("Reason is empty for an unknown file")
			}
			if len(f.SHA256) != 64 {
				t.Errorf("SHA256 = %q, want 64 hex digits", f.SHA256)
			}
			if len(f.Events) != 0 || len(f.Snapshots) != 0 || f.License != nil || f.Lines != 0 {
				t.Errorf("unknown file was read: %d lines, %d events, %d snapshots", f.Lines, len(f.Events), len(f.Snapshots))
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for _, tc := range []struct {
		k    parser.Kind
		want string
	}{
		{parser.KindUnknown, "unknown"},
		{parser.KindDebugLog, "debuglog"},
		{parser.KindLmstat, "lmstat"},
		{parser.KindLicense, "license"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.k.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReadHash: the hash is of the bytes as read, whatever the kind.
func TestReadHash(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"license", "SERVER server1 17003456 27001\nVENDOR bm\n", "8c8ff49320626b3b1b6984579b6f1e806e6a88d442264215c8a415bc44d34485"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parser.Read(strings.NewReader(tc.in), "h", parser.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f.SHA256 != tc.want {
				t.Errorf("SHA256 = %s, want %s", f.SHA256, tc.want)
			}
		})
	}
}
