package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// The tests of collect and check drive a stand-in lmutil, testdata/fakelmutil, built once per
// test binary: it plays the simulated KGTN 2010120101 incident one lmstat run per call (and
// hangs, fails or waits on a chosen call). The collector's clock is a fake one that starts at
// the simulated incident's first run (09:00:02 in Tokyo) and moves a minute per poll, so the
// stamps collect writes are the times the simulator ran lmstat, and no test waits on a timer.

var fake struct {
	once sync.Once
	dir  string // holds the fake lmutil and the incident it plays
	bin  string
	runs string // the simulated incident's lmstat.log
	err  error
}

// cleanupFake removes what fakeLmutil built (TestMain calls it after the tests).
func cleanupFake() {
	if fake.dir != "" {
		os.RemoveAll(fake.dir)
	}
}

// fakeLmutil builds the stand-in lmutil and renders the KGTN scenario for it, once.
func fakeLmutil(t testing.TB) (bin, runs string) {
	t.Helper()
	fake.once.Do(func() {
		if fake.dir, fake.err = os.MkdirTemp("", "lmtriad-fakelmutil-"); fake.err != nil {
			return
		}
		fake.bin = filepath.Join(fake.dir, "lmutil")
		if runtime.GOOS == "windows" {
			fake.bin += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", fake.bin, "./testdata/fakelmutil").CombinedOutput()
		if err != nil {
			fake.err = errors.New("go build ./testdata/fakelmutil: " + err.Error() + "\n" + string(out))
			return
		}
		b, _ := samples.Scenario("kgtn-2010120101")
		sc, err := sim.Parse(b)
		if err != nil {
			fake.err = err
			return
		}
		inc := filepath.Join(fake.dir, "kgtn")
		if err := os.Mkdir(inc, 0o755); err != nil {
			fake.err = err
			return
		}
		if _, err := sim.Render(sc, sim.DirOpener(inc)); err != nil {
			fake.err = err
			return
		}
		fake.runs = filepath.Join(inc, "lmstat.log")
	})
	if fake.err != nil {
		t.Fatal(fake.err)
	}
	return fake.bin, fake.runs
}

// playKGTN points the stand-in lmutil at the simulated incident, with a fresh call count and
// the given extra settings (FAKELMUTIL_HANG=2, ...); it returns the lmutil path and its state
// folder.
func playKGTN(t *testing.T, settings ...string) (bin, state string) {
	t.Helper()
	bin, runs := fakeLmutil(t)
	state = t.TempDir()
	t.Setenv("FAKELMUTIL_RUNS", runs)
	t.Setenv("FAKELMUTIL_STATE", state)
	for _, k := range []string{"FAKELMUTIL_HANG", "FAKELMUTIL_FAIL", "FAKELMUTIL_BLOCK", "FAKELMUTIL_NOW", "FAKELMUTIL_EVERY"} {
		t.Setenv(k, "")
	}
	for _, s := range settings {
		k, v, _ := strings.Cut(s, "=")
		t.Setenv(k, v)
	}
	return bin, state
}

func tokyo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// kgtnStart is the time of the simulated incident's first lmstat run.
func kgtnStart(t testing.TB) time.Time {
	return time.Date(2010, 12, 1, 9, 0, 2, 0, tokyo(t))
}

// fakeClock is a clock that moves only when the collector sleeps (or a poll says it took
// time), and stops the collector after a number of polls.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	sleeps  int
	stopAt  int // the sleep at which the collector is stopped (0: never)
	started []time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps++
	stop := c.stopAt > 0 && c.sleeps >= c.stopAt
	c.t = c.t.Add(d)
	c.mu.Unlock()
	if stop {
		return context.Canceled
	}
	return ctx.Err()
}

// newCollector is a collector of the KGTN triad into dir with a fake clock from start that
// stops after polls polls (0: never), running lmutil bin.
func newCollector(t *testing.T, dir, bin string, start time.Time, polls int, log *bytes.Buffer) (*collector, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: start, stopAt: polls}
	c := &collector{
		dir: dir, lmutil: bin, args: []string{"lmstat", "-a", "-c", "27001@server1,27001@server2,27001@server3"},
		every: time.Minute, timeout: 20 * time.Second, loc: start.Location(), log: log,
		now: clk.now, sleep: clk.sleep,
	}
	return c, clk
}

// collectKGTN runs the collector for polls polls from start into dir.
func collectKGTN(t *testing.T, dir, bin string, start time.Time, polls int) string {
	t.Helper()
	var log bytes.Buffer
	c, _ := newCollector(t, dir, bin, start, polls, &log)
	if err := c.run(context.Background(), context.Background()); err != nil {
		t.Fatalf("collect: %v\n%s", err, log.String())
	}
	if c.polls != polls {
		t.Fatalf("collect took %d polls, want %d\n%s", c.polls, polls, log.String())
	}
	return log.String()
}

// readRuns reads a collected file as lmtriad does.
func readRuns(t *testing.T, name string) *parser.File {
	t.Helper()
	f, err := parser.ReadFile(name, parser.Options{Location: tokyo(t)})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != parser.KindLmstat {
		t.Fatalf("%s read as %s, want lmstat", name, f.Kind)
	}
	return f
}

// states runs lmtriad analyze on the paths and returns the states of its intervals.
func states(t *testing.T, paths ...string) []string {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"analyze", "--tz", "Asia/Tokyo", "-f", "json"}, paths...), &out, &errb, func(string) string { return "" })
	if code != 0 && code != 1 {
		t.Fatalf("analyze exit %d: %s", code, errb.String())
	}
	var rep struct {
		Intervals []struct{ State string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, iv := range rep.Intervals {
		s = append(s, iv.State)
	}
	return s
}

// TestCollectKGTN: collect's files, one poll a minute through the whole simulated incident,
// analyse to the eight states of KGTN 2010120101, as the simulator's own lmstat file does; the
// collection is taken in three runs of collect, each appending to the file the one before left.
func TestCollectKGTN(t *testing.T) {
	bin, state := playKGTN(t)
	dir := filepath.Join(t.TempDir(), "triad")
	start := kgtnStart(t)
	var files [][]byte
	for _, part := range [][2]int{{0, 100}, {100, 200}, {200, 271}} {
		collectKGTN(t, dir, bin, start.Add(time.Duration(part[0])*time.Minute), part[1]-part[0])
		b, err := os.ReadFile(filepath.Join(dir, "lmstat-2010-12-01.log"))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(files); n > 0 && !bytes.HasPrefix(b, files[n-1]) {
			t.Fatalf("the run from poll %d did not append: the file no longer starts with what it held", part[0])
		}
		files = append(files, b)
	}
	want := []string{"normal", "masterless", "degraded", "dual-master", "normal", "masterless", "degraded", "failed-rejoin"}
	if got := states(t, dir); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("collected files analyse to %v, want %v", got, want)
	}
	_, runs := fakeLmutil(t)
	if got := states(t, runs); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the simulator's lmstat.log analyses to %v, want %v (the scenario changed?)", got, want)
	}

	// Every run is stamped with the time of its poll, exactly, and none failed.
	f := readRuns(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	if len(f.Runs) != 271 {
		t.Fatalf("%d runs, want 271", len(f.Runs))
	}
	for k, r := range f.Runs {
		if want := start.Add(time.Duration(k) * time.Minute); !r.Exact || !r.Time.Equal(want) || f.Failed(r) {
			t.Fatalf("run %d: time %v (exact %v, failed %v), want %v from its stamp", k, r.Time, r.Exact, f.Failed(r), want)
		}
	}
	if f.Warned > 0 || f.Unrecognized > 0 {
		t.Errorf("%d warnings, %d unrecognised lines in the collected file", f.Warned, f.Unrecognized)
	}
	// lmutil got its arguments as given, one by one, on every call.
	args, err := os.ReadFile(filepath.Join(state, "args"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(args), "\n"), "\n")
	if len(lines) != 271 || lines[0] != "lmstat\t-a\t-c\t27001@server1,27001@server2,27001@server3" {
		t.Errorf("lmutil was called %d times, first with %q", len(lines), lines[0])
	}
	// Owner-only: the folder collect created and its files.
	for _, p := range []string{dir, filepath.Join(dir, "lmstat-2010-12-01.log")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want owner-only", p, fi.Mode().Perm())
		}
	}
}

// records splits a collected file at its stamp lines.
func records(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range strings.Split(string(b), "# 2010-")[1:] {
		out = append(out, "# 2010-"+r)
	}
	return out
}

// TestCollectHungLmutil: an lmutil that hangs (and has started a child that holds its output
// open) is killed with its process group at --timeout; the poll is written as its stamp and an
// "Error getting status:" line that says so, and the schedule goes on.
func TestCollectHungLmutil(t *testing.T) {
	bin, state := playKGTN(t, "FAKELMUTIL_HANG=2")
	dir := t.TempDir()
	var log bytes.Buffer
	c, _ := newCollector(t, dir, bin, kgtnStart(t), 4, &log)
	c.timeout = 500 * time.Millisecond // the hang is an hour: only the kill ends it
	if err := c.run(context.Background(), context.Background()); err != nil {
		t.Fatal(err)
	}
	recs := records(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	if len(recs) != 4 {
		t.Fatalf("%d polls written, want 4:\n%s", len(recs), strings.Join(recs, ""))
	}
	want := "# 2010-12-01T09:01:02+09:00\r\nError getting status: lmutil did not finish within 500ms (--timeout): killed with its process group\r\n"
	if recs[1] != want && recs[1] != strings.ReplaceAll(want, "\r\n", "\n") {
		t.Errorf("the hung poll was written as\n%q\nwant\n%q", recs[1], want)
	}
	for _, k := range []int{0, 2, 3} {
		if !strings.Contains(recs[k], "server1: license server UP (MASTER)") {
			t.Errorf("poll %d is not a full lmstat run:\n%s", k+1, recs[k])
		}
	}
	if !strings.Contains(log.String(), "2010-12-01T09:01:02+09:00: Error getting status: lmutil did not finish within 500ms") {
		t.Errorf("stderr does not say what happened:\n%s", log.String())
	}
	f := readRuns(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	if len(f.Runs) != 4 || !f.Failed(f.Runs[1]) || f.Failed(f.Runs[2]) || !f.Runs[1].Time.Equal(kgtnStart(t).Add(time.Minute)) {
		t.Errorf("read back: %d runs, the second failed: %v at %v", len(f.Runs), len(f.Runs) > 1 && f.Failed(f.Runs[1]), f.Runs[1].Time)
	}
	// The child the hung lmutil started is gone too (its process group was killed).
	b, err := os.ReadFile(filepath.Join(state, "child.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if !processGone(t, strings.TrimSpace(string(b))) {
		t.Errorf("the hung lmutil's child (pid %s) still runs", b)
	}
}

// TestCollectFailingLmutil: lmutil failing, or not there at all, is a poll written as failed
// with what happened, and collection goes on.
func TestCollectFailingLmutil(t *testing.T) {
	bin, _ := playKGTN(t, "FAKELMUTIL_FAIL=2:3")
	dir := t.TempDir()
	var log bytes.Buffer
	c, _ := newCollector(t, dir, bin, kgtnStart(t), 3, &log)
	if err := c.run(context.Background(), context.Background()); err != nil {
		t.Fatal(err)
	}
	recs := records(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	want := "# 2010-12-01T09:01:02+09:00\nError getting status: lmutil ended with exit status 3: lmutil: license server connection failed (fake)\n"
	if len(recs) != 3 || recs[1] != want {
		t.Errorf("polls: %q\nwant the second %q", recs, want)
	}

	// lmutil removed while collect runs: each poll says it cannot run it.
	c, _ = newCollector(t, dir, filepath.Join(t.TempDir(), "no-lmutil"), kgtnStart(t).Add(3*time.Minute), 2, &log)
	if err := c.run(context.Background(), context.Background()); err != nil {
		t.Fatal(err)
	}
	recs = records(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	if len(recs) != 5 || !strings.Contains(recs[4], "Error getting status: cannot run ") || !strings.HasPrefix(recs[4], "# 2010-12-01T09:04:02+09:00\n") {
		t.Errorf("a missing lmutil was written as %q", recs[len(recs)-1])
	}
	f := readRuns(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	failed := 0
	for _, r := range f.Runs {
		if f.Failed(r) {
			failed++
		}
	}
	if len(f.Runs) != 5 || failed != 3 || f.Unrecognized != 0 {
		t.Errorf("read back: %d runs, %d failed, %d unrecognised lines; want 5, 3, 0", len(f.Runs), failed, f.Unrecognized)
	}
}

// TestCollectJudge: what lmutil printed and how it ended decide what is written.
func TestCollectJudge(t *testing.T) {
	run := "lmutil - Copyright (c) 1989-2007 Macrovision Europe Ltd.\nFlexible License Manager status on Wed 12/1/2010 09:00\n\nLicense server status: 27001@a,27001@b,27001@c\n"
	bin, _ := playKGTN(t, "FAKELMUTIL_FAIL=1:3")
	exit3 := exec.Command(bin).Run() // an *exec.ExitError: exit status 3
	if _, ok := exit3.(*exec.ExitError); !ok {
		t.Fatalf("the stand-in lmutil gave %v, want exit status 3", exit3)
	}
	for _, tc := range []struct {
		name, out, errOut string
		err               error
		why               string
		want              string // the record after its stamp line
	}{
		{"answered", run, "", nil, "", run},
		{"answered, no final newline", strings.TrimSuffix(run, "\n"), "", nil, "", run},
		{"CRLF", strings.ReplaceAll(run, "\n", "\r\n"), "", nil, "", strings.ReplaceAll(run, "\n", "\r\n")},
		{"its own whole-run error", "lmutil - Copyright\nFlexible License Manager status on Wed 12/1/2010 09:00\n\nError getting status: Cannot read data from license server system. (-16,287)\n", "", exit3, "",
			"lmutil - Copyright\nFlexible License Manager status on Wed 12/1/2010 09:00\n\nError getting status: Cannot read data from license server system. (-16,287)\n"},
		{"a bare whole-run error", "Error getting status: Cannot connect to license server system. (-15,10:10061 \"WinSock: Connection refused\")\n", "", exit3, "",
			"Error getting status: Cannot connect to license server system. (-15,10:10061 \"WinSock: Connection refused\")\n"},
		{"exit status with a status printed", run, "", exit3, "", run},
		{"exit status, nothing printed", "", "", exit3, "", "Error getting status: lmutil ended with exit status 3\n"},
		{"exit 0, no status", "usage: lmutil lmstat [-a]\x1b[31m\n", "", nil, "", "Error getting status: lmutil printed no lmstat status: usage: lmutil lmstat [-a] [31m\n"},
		{"timed out mid-run", run[:60], "", nil, "lmutil did not finish within 30s (--timeout): killed with its process group",
			"Error getting status: lmutil did not finish within 30s (--timeout): killed with its process group\n"},
		{"timed out after the status", run, "", nil, "lmutil did not finish within 30s (--timeout): killed with its process group",
			run + "Error getting status: lmutil did not finish within 30s (--timeout): killed with its process group\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut := &capped{max: maxOutput}, &capped{max: maxErrOutput}
			out.Write([]byte(tc.out))
			errOut.Write([]byte(tc.errOut))
			p := judge(out, errOut, tc.err, tc.why)
			got := string(record(kgtnStart(t), p))
			stamp, rest, _ := strings.Cut(got, "\n")
			if stamp != "# 2010-12-01T09:00:02+09:00" && stamp != "# 2010-12-01T09:00:02+09:00\r" {
				t.Errorf("stamp line %q", stamp)
			}
			if rest != tc.want {
				t.Errorf("record after the stamp:\n%q\nwant\n%q", rest, tc.want)
			}
		})
	}
	// Output beyond the cap is dropped, and the poll failed.
	out := &capped{max: 10}
	out.Write([]byte(run))
	if p := judge(out, &capped{max: 10}, nil, ""); !strings.Contains(p.problem, "more than") || out.b.Len() != 10 {
		t.Errorf("capped output: %q, %d bytes kept", p.problem, out.b.Len())
	}
}

// TestCollectSchedule: polls keep to start + k x every; a poll that overruns its slots makes
// them missed (said on stderr), never made up by a burst.
func TestCollectSchedule(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	start := kgtnStart(t)
	c, clk := newCollector(t, dir, "unused", start, 6, &log)
	// Polls take 2s, but the second 2m30s (it ends at 09:03:32, past two slots) and the fourth
	// a whole minute (it ends exactly on the next slot).
	took := map[int]time.Duration{2: 150 * time.Second, 4: time.Minute}
	var at []time.Duration
	c.poll = func(context.Context) poll {
		at = append(at, clk.now().Sub(start))
		d, ok := took[len(at)]
		if !ok {
			d = 2 * time.Second
		}
		clk.advance(d)
		return poll{out: []byte("x\n")}
	}
	if err := c.run(context.Background(), context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, time.Minute, 4 * time.Minute, 5 * time.Minute, 6 * time.Minute, 7 * time.Minute}
	if len(at) != len(want) {
		t.Fatalf("polls at %v, want %v", at, want)
	}
	for i := range want {
		if at[i] != want[i] {
			t.Fatalf("polls at %v, want %v", at, want)
		}
	}
	if !strings.Contains(log.String(), "missed 2 polls (from 2010-12-01T09:02:02+09:00): the poll of 2010-12-01T09:01:02+09:00 took 2m30s") {
		t.Errorf("stderr does not say the missed slots:\n%s", log.String())
	}
	if strings.Count(log.String(), "missed") != 1 {
		t.Errorf("a poll ending exactly on a slot made a slot missed:\n%s", log.String())
	}
}

// TestCollectStopMidPoll: stopped while lmutil runs, collect waits for it, writes the whole
// poll, and stops; nothing is lost or cut.
func TestCollectStopMidPoll(t *testing.T) {
	gate := filepath.Join(t.TempDir(), "gate")
	bin, _ := playKGTN(t, "FAKELMUTIL_BLOCK=2:"+gate)
	dir := t.TempDir()
	var log bytes.Buffer
	c, _ := newCollector(t, dir, bin, kgtnStart(t), 0, &log)
	soft, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error)
	go func() { done <- c.run(soft, context.Background()) }()
	waitFile(t, gate+".started") // the second poll is running
	stop()
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	recs := records(t, filepath.Join(dir, "lmstat-2010-12-01.log"))
	if len(recs) != 2 || !strings.HasSuffix(recs[1], "Users of bm_post:  (Total of 5 licenses issued;  Total of 0 licenses in use)\r\n\r\n") {
		t.Errorf("after a stop mid-poll the file holds %d polls, the last:\n%s", len(recs), recs[len(recs)-1])
	}
	if !strings.Contains(log.String(), "stopped after 2 polls") {
		t.Errorf("stderr: %s", log.String())
	}
}

// waitFile waits (generously) for a file to appear.
func waitFile(t *testing.T, name string) {
	t.Helper()
	for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(name); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear within a minute", name)
}

// TestCollectKeep: --keep removes the day files of days that ended more than AGE ago, and
// nothing else.
func TestCollectKeep(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"lmstat-2010-08-31.log", "lmstat-2010-09-01.log", "lmstat-2010-09-02.log", "lmstat-2010-11-30.log",
		"lmstat-2010-08-01.txt", "notes.log", "lmstat-2010-8-1.log"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "lmstat-2010-01-01.log"), 0o700); err != nil { // not a file: left alone
		t.Fatal(err)
	}
	var log bytes.Buffer
	c, _ := newCollector(t, dir, "unused", kgtnStart(t), 2, &log) // 2010-12-01 09:00:02
	c.keep = 90 * 24 * time.Hour                                  // days that ended before 2010-09-02 09:00:02
	c.poll = func(context.Context) poll { return poll{out: []byte("x\n")} }
	if err := c.run(context.Background(), context.Background()); err != nil {
		t.Fatal(err)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := "lmstat-2010-01-01.log lmstat-2010-08-01.txt lmstat-2010-09-02.log lmstat-2010-11-30.log lmstat-2010-12-01.log lmstat-2010-8-1.log notes.log"
	if got := strings.Join(left, " "); got != want {
		t.Errorf("left %s\nwant %s", got, want)
	}
	if strings.Count(log.String(), "removed ") != 2 {
		t.Errorf("stderr should name the 2 files removed, once:\n%s", log.String())
	}
	var k keepFlag
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "36h": 36 * time.Hour, "0": 0, "0d": 0} {
		if err := k.UnmarshalText([]byte(in)); err != nil || time.Duration(k) != want {
			t.Errorf("--keep %s = %v, %v; want %v", in, time.Duration(k), err, want)
		}
	}
	for _, in := range []string{"-1d", "xd", "ninety", "-5h"} {
		if err := k.UnmarshalText([]byte(in)); err == nil {
			t.Errorf("--keep %s accepted", in)
		}
	}
}

// runCLI runs lmtriad in-process with an empty environment but TZ.
func runCLI(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb, func(k string) string {
		if k == "TZ" {
			return "Asia/Tokyo"
		}
		return ""
	})
	return out.String(), errb.String(), code
}

// TestCollectOnce: --once takes one poll and exits 0; run again, it appends; lmutil gets its
// arguments as they were given, never through a shell.
func TestCollectOnce(t *testing.T) {
	bin, state := playKGTN(t)
	dir := filepath.Join(t.TempDir(), "new", "triad")
	list := "27001@server1,27001@server2,27001@server3;$(touch pwned) `touch pwned2`"
	var sizes []int
	for range 2 {
		_, stderr, code := runCLI(t, "collect", "--once", "-c", list, "-o", dir, "--lmutil", bin)
		if code != 0 || stderr != "" {
			t.Fatalf("collect --once: exit %d, stderr %q", code, stderr)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var size int
		for _, e := range entries {
			if _, ok := fileDay(e.Name(), time.Local); ok {
				fi, _ := e.Info()
				size += int(fi.Size())
			}
		}
		sizes = append(sizes, size)
	}
	if sizes[0] == 0 || sizes[1] <= sizes[0] {
		t.Errorf("two --once polls wrote %v bytes in all, want the second to append", sizes)
	}
	args, _ := os.ReadFile(filepath.Join(state, "args"))
	if want := "lmstat\t-a\t-c\t" + list + "\n"; string(args) != want+want {
		t.Errorf("lmutil's arguments: %q, want %q twice", args, want)
	}
	for _, f := range []string{"pwned", "pwned2"} {
		if _, err := os.Stat(f); err == nil {
			os.Remove(f)
			t.Errorf("a shell ran the server list: %s was created", f)
		}
	}
	if fi, err := os.Stat(dir); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("the folder collect made: %v, %v; want mode 0700", fi.Mode().Perm(), err)
	}
}

// TestCollectErrors: usage errors, a folder that cannot be written and a full disk exit 2
// with the reason on stderr, never a silent loss.
func TestCollectErrors(t *testing.T) {
	bin, _ := playKGTN(t)
	dir := t.TempDir()
	afile := filepath.Join(dir, "afile")
	os.WriteFile(afile, nil, 0o600)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"every under a second", []string{"--every", "500ms"}, "--every 500ms: at least 1s"},
		{"no timeout", []string{"--timeout", "0s"}, "--timeout must be positive"},
		{"list like an option", []string{"--servers=-x"}, "cannot start with '-'"},
		{"no lmutil", []string{"--lmutil", "no-such-lmutil-here"}, "--lmutil no-such-lmutil-here: not found on the PATH"},
		{"folder is a file", []string{"-o", afile}, "-o " + afile + ": cannot create the directory"},
		{"bad keep", []string{"--keep", "soon"}, "--keep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"collect", "--once", "-c", "27001@a,27001@b,27001@c", "-o", filepath.Join(dir, "out"), "--lmutil", bin}, tc.args...)
			_, stderr, code := runCLI(t, args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}

	// A full disk: the day's file is /dev/full.
	if _, err := os.Stat("/dev/full"); err == nil {
		full := t.TempDir()
		if err := os.Symlink("/dev/full", filepath.Join(full, dayFile(time.Now()))); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := runCLI(t, "collect", "--once", "-c", "27001@a,27001@b,27001@c", "-o", full, "--lmutil", bin)
		if code != 2 || !strings.Contains(stderr, "no space left on device; collection stopped") {
			t.Errorf("full disk: exit %d, stderr %q", code, stderr)
		}
	}
	// A folder without write permission (root may write anywhere: not checked as root).
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		ro := t.TempDir()
		os.Chmod(ro, 0o500)
		defer os.Chmod(ro, 0o700)
		_, stderr, code := runCLI(t, "collect", "--once", "-c", "27001@a,27001@b,27001@c", "-o", ro, "--lmutil", bin)
		if code != 2 || !strings.Contains(stderr, "permission denied") {
			t.Errorf("read-only folder: exit %d, stderr %q", code, stderr)
		}
	}
}

// TestCollectLock: a second collector into the same folder is refused while the first holds it.
func TestCollectLock(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" && runtime.GOOS != "windows" && runtime.GOOS != "freebsd" {
		t.Skip("no lock on this system")
	}
	bin, _ := playKGTN(t)
	dir := t.TempDir()
	unlock, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "collect", "--once", "-c", "27001@a,27001@b,27001@c", "-o", dir, "--lmutil", bin)
	if code != 2 || !strings.Contains(stderr, "another lmtriad collect") {
		t.Errorf("second collector: exit %d, stderr %q", code, stderr)
	}
	unlock()
	if _, stderr, code = runCLI(t, "collect", "--once", "-c", "27001@a,27001@b,27001@c", "-o", dir, "--lmutil", bin); code != 0 {
		t.Errorf("after the first let go: exit %d, stderr %q", code, stderr)
	}
}
