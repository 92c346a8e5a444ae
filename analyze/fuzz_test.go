package analyze_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

const fuzzLicense = "SERVER server1 17003456 27001\nSERVER server2 17004355 27001\nSERVER server3 17007ea8 27001\nVENDOR bm\n"

// FuzzAnalyze feeds arbitrary logs and lmstat text through the whole analysis: it must never
// panic, and what it returns must hang together (intervals in order and contiguous, every
// evidence line inside its file).
func FuzzAnalyze(f *testing.F) {
	f.Add(" 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)\n 9:00:05 (lmgrd) CONNECTED, master is server1\n",
		" 9:00:01 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server2 (IBM PC) (12/1/2010)\n 9:10:00 (lmgrd) Lost connection to server1\n 9:10:00 (lmgrd) Lost connection to master\n",
		"Flexible License Manager status on Wed 12/1/2010 09:05\nLicense server status: 27001@server1,27001@server2,27001@server3\n   server1: license server UP (MASTER) v10.8\n   server2: license server UP v10.8\n   server3: Cannot read data from license server system. (-16,287)\n")
	f.Add("23:59:59 (lmgrd) TIMESTAMP 12/1/2010\n 0:00:01 (lmgrd) Connected to server3\n", "", "Flexible License Manager status on Wed 12/2/2010 00:01\nlmgrd is not running: License server machine is down or not responding. (-96,7)\n")
	// a paste without its header, and lmdown's output between two runs
	f.Add("", "", "   server1: license server UP (MASTER) v10.8\n   server2: Cannot read data from license server system. (-16,287)\n   server3: license server UP v10.8\n")
	f.Add("", "", "Flexible License Manager status on Wed 12/1/2010 09:05\n   server1: license server UP (MASTER) v10.8\n   server2: license server UP v10.8\n   server3: license server UP v10.8\n"+
		"lmdown - Copyright (c) 1989-2003 by Macrovision Corporation. All rights reserved.\n    2 FLEXlm License Servers shut down\n"+
		"Flexible License Manager status on Wed 12/1/2010 09:07\nlmgrd is not running: License server machine is down or not responding. (-96,7)\n")
	// planned stops: a request for the server, one for a vendor daemon, lmgrd's exit
	f.Add(" 9:00:00 (lmgrd) TIMESTAMP 12/1/2010\n 9:10:00 (lmgrd) SHUTDOWN request from admin at node ops-pc\n 9:10:01 (lmgrd) EXITING DUE TO SIGNAL 15\n",
		" 9:00:00 (lmgrd) TIMESTAMP 12/1/2010\n 9:05:00 (lmgrd) SHUTDOWN request from admin at node ops-pc for vendor \"bm\"\n 9:05:00 (bm) daemon shutdown requested - shutting down\n 9:20:00 (lmgrd) Started bm (pid 2)\n",
		"Flexible License Manager status on Wed 12/1/2010 09:05\n   server1: license server UP (MASTER) v10.8\n   server2: license server UP v10.8\n   server3: license server UP v10.8\n"+
			"Flexible License Manager status on Wed 12/1/2010 09:15\n   server1: Cannot connect to license server system. (-15,10)\n   server2: license server UP (MASTER) v10.8\n   server3: license server UP v10.8\n")
	loc, _ := time.LoadLocation("Asia/Tokyo")
	f.Fuzz(func(t *testing.T, log1, log2, lmstat string) {
		inputs := map[string]string{"license.dat": fuzzLicense, "server1.log": log1, "server2.log": log2, "lmstat.log": lmstat}
		lines := map[string]int{}
		var files []*parser.File
		for _, name := range []string{"license.dat", "server1.log", "server2.log", "lmstat.log"} {
			text := inputs[name]
			lines[name] = strings.Count(text, "\n") + 1
			pf, err := parser.Read(strings.NewReader(text), name, parser.Options{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, pf)
		}
		rep, err := analyze.Analyze(files, analyze.Config{Location: loc})
		if err != nil || rep == nil {
			return
		}
		untimed := false // the intervals of snapshots with no time (pastes) come after the others
		for k, iv := range rep.Intervals {
			if iv.Start.IsZero() {
				if !iv.End.IsZero() {
					t.Fatalf("interval %d has an end and no start", k)
				}
				untimed = true
			} else if untimed {
				t.Fatalf("interval %d has a time, after one with none", k)
			}
			if !untimed && !iv.Start.Before(iv.End) {
				t.Fatalf("interval %d is empty or reversed: %v to %v", k, iv.Start, iv.End)
			}
			if k > 0 && !untimed && !rep.Intervals[k-1].End.Equal(iv.Start) {
				t.Fatalf("interval %d does not start where %d ends", k, k-1)
			}
			for _, e := range iv.Evidence {
				if e.Line < 1 || e.Line > lines[e.File] {
					t.Fatalf("evidence %s outside its file", e.At())
				}
			}
		}
		for _, fd := range rep.Findings {
			for _, e := range fd.Evidence {
				if e.Line < 1 || e.Line > lines[e.File] {
					t.Fatalf("finding %s: evidence %s outside its file", fd.Code, e.At())
				}
			}
		}
		if rep.Verdict.ExitCode != 0 && rep.Verdict.ExitCode != 1 {
			t.Fatalf("verdict exit code %d", rep.Verdict.ExitCode)
		}
	})
}
