// Command fakelmutil stands in for lmutil in lmtriad's tests and demonstrations: it plays a
// recorded or simulated incident one lmstat run per call. Call k (counted in a state folder)
// prints the k-th run of an lmstat file, as "lmutil lmstat -a -c LIST" printed it; after the
// last run it prints the last one again. On chosen calls it hangs, fails or waits.
//
//	go build -o /tmp/fakelmutil ./cmd/lmtriad/testdata/fakelmutil
//	FAKELMUTIL_RUNS=samples/kgtn-2010120101-sim/lmstat.log FAKELMUTIL_STATE=/tmp/fake \
//	    lmtriad collect -c 27001@server1,27001@server2,27001@server3 -o /tmp/triad --lmutil /tmp/fakelmutil
//
// Its environment:
//
//	FAKELMUTIL_RUNS   the lmstat file to play (runs start at lmutil's copyright line, or at the header)
//	FAKELMUTIL_STATE  a folder for its state: "calls" (the number of calls so far) and "args"
//	                  (one line per call: its arguments, tab-separated)
//	FAKELMUTIL_HANG   call numbers (1, 2, ...; comma-separated) on which it prints the first two
//	                  lines of the run, starts a child that holds its standard output, writes the
//	                  child's process id to STATE/child.pid, and sleeps for an hour
//	FAKELMUTIL_FAIL   K:STATUS[,K:STATUS...]: on call K it prints "lmutil: license server
//	                  connection failed (fake)" on standard error and exits with STATUS
//	FAKELMUTIL_BLOCK  K:FILE: on call K it creates FILE.started, waits until FILE exists, then
//	                  prints the run
//	FAKELMUTIL_NOW    1: the run's "Flexible License Manager status on" header shows this
//	                  machine's clock instead of the recorded time
//	FAKELMUTIL_EVERY  N: each run is played for N calls in a row (default 1)
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	if os.Getenv("FAKELMUTIL_CHILD") != "" {
		time.Sleep(time.Hour) // holds the standard output it inherited
		return
	}
	state := os.Getenv("FAKELMUTIL_STATE")
	if state == "" {
		fail("FAKELMUTIL_STATE is not set")
	}
	k := count(state)
	appendLine(filepath.Join(state, "args"), strings.Join(os.Args[1:], "\t"))
	if code, ok := onCall(os.Getenv("FAKELMUTIL_FAIL"), k); ok {
		n, err := strconv.Atoi(code)
		if err != nil {
			fail("FAKELMUTIL_FAIL: bad status " + code)
		}
		fmt.Fprintln(os.Stderr, "lmutil: license server connection failed (fake)")
		os.Exit(n)
	}
	runs := load(os.Getenv("FAKELMUTIL_RUNS"))
	every := 1
	if s := os.Getenv("FAKELMUTIL_EVERY"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			fail("FAKELMUTIL_EVERY: not a positive number: " + s)
		}
		every = n
	}
	i := (k - 1) / every
	if i >= len(runs) {
		i = len(runs) - 1
	}
	run := runs[i]
	if os.Getenv("FAKELMUTIL_NOW") == "1" {
		run = nowHeader(run)
	}
	if _, ok := onCall(os.Getenv("FAKELMUTIL_HANG"), k); ok {
		lines := bytes.SplitAfterN(run, []byte("\n"), 3)
		for _, l := range lines[:min(2, len(lines))] {
			os.Stdout.Write(l)
		}
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), "FAKELMUTIL_CHILD=1")
		child.Stdout = os.Stdout
		if err := child.Start(); err != nil {
			fail("cannot start the child: " + err.Error())
		}
		os.WriteFile(filepath.Join(state, "child.pid"), []byte(strconv.Itoa(child.Process.Pid)), 0o600)
		time.Sleep(time.Hour)
		return
	}
	if file, ok := onCall(os.Getenv("FAKELMUTIL_BLOCK"), k); ok {
		os.WriteFile(file+".started", nil, 0o600)
		for {
			if _, err := os.Stat(file); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	os.Stdout.Write(run)
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "fakelmutil: "+msg)
	os.Exit(99)
}

// count adds this call to STATE/calls and returns its number, from 1.
func count(state string) int {
	name := filepath.Join(state, "calls")
	n := 0
	if b, err := os.ReadFile(name); err == nil {
		n, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	n++
	if err := os.WriteFile(name, []byte(strconv.Itoa(n)+"\n"), 0o600); err != nil {
		fail(err.Error())
	}
	return n
}

func appendLine(name, line string) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		fail(err.Error())
	}
	f.WriteString(line + "\n")
	f.Close()
}

// onCall finds call k in a list "K[:VALUE],...": its value and whether it is there.
func onCall(list string, k int) (string, bool) {
	for _, item := range strings.Split(list, ",") {
		num, value, _ := strings.Cut(strings.TrimSpace(item), ":")
		if n, err := strconv.Atoi(num); err == nil && n == k {
			return value, true
		}
	}
	return "", false
}

// load splits an lmstat file into its runs: each starts at lmutil's copyright line, or at the
// header when the run has none. A stamp line before a run is not part of it.
func load(name string) [][]byte {
	if name == "" {
		fail("FAKELMUTIL_RUNS is not set")
	}
	b, err := os.ReadFile(name)
	if err != nil {
		fail(err.Error())
	}
	var runs [][]byte
	var cur []byte
	prevCopyright := false
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		t := bytes.TrimSpace(line)
		copyright := bytes.HasPrefix(t, []byte("lmutil - Copyright")) || bytes.HasPrefix(t, []byte("lmstat - Copyright"))
		header := bytes.HasPrefix(t, []byte("Flexible License Manager status on "))
		if (copyright || header && !prevCopyright) && len(bytes.TrimSpace(cur)) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
		if isStamp(t) {
			continue // a stamp line before a run: the collector writes its own
		}
		cur = append(cur, line...)
		prevCopyright = copyright
	}
	if len(bytes.TrimSpace(cur)) > 0 {
		runs = append(runs, cur)
	}
	if len(runs) == 0 {
		fail(name + ": no lmstat run in it")
	}
	return runs
}

// nowHeader puts this machine's clock in the run's header.
func nowHeader(run []byte) []byte {
	const h = "Flexible License Manager status on "
	i := bytes.Index(run, []byte(h))
	if i < 0 {
		return run
	}
	j := bytes.IndexAny(run[i:], "\r\n")
	if j < 0 {
		j = len(run) - i
	}
	now := time.Now()
	text := fmt.Sprintf("%s%s %d/%d/%d %02d:%02d", h, now.Format("Mon"), int(now.Month()), now.Day(), now.Year(), now.Hour(), now.Minute())
	return append(append(append([]byte(nil), run[:i]...), text...), run[i+j:]...)
}

// isStamp tells a line holding only an RFC 3339 time, optionally after "# ".
func isStamp(t []byte) bool {
	t = bytes.TrimSpace(bytes.TrimPrefix(t, []byte("#")))
	if len(t) < 20 || len(t) > 40 || t[4] != '-' || t[10] != 'T' {
		return false
	}
	_, err := time.Parse(time.RFC3339, string(t))
	return err == nil
}
