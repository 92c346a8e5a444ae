package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSim(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func TestSimulate(t *testing.T) {
	tmp := t.TempDir()

	code, out, _ := runSim(t, "simulate", "--list")
	if code != exitOK || !strings.Contains(out, "kgtn-2010120101") || !strings.Contains(out, "busy-month") {
		t.Fatalf("simulate --list: exit %d\n%s", code, out)
	}

	dir := filepath.Join(tmp, "kgtn")
	code, out, stderr := runSim(t, "simulate", "kgtn-2010120101", "-o", dir)
	if code != exitOK {
		t.Fatalf("simulate kgtn-2010120101: exit %d\n%s%s", code, out, stderr)
	}
	for _, f := range []string{"license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log", "truth.json", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("simulate wrote no %s", f)
		}
	}
	want := "starting, normal, masterless, degraded, dual-master, normal, masterless, degraded, failed-rejoin"
	if !strings.Contains(out, "all files show:      "+want) {
		t.Errorf("simulate output does not give the states %s:\n%s", want, out)
	}
	code, out, _ = runSim(t, "analyze", "--tz", "Asia/Tokyo", "--color", "never", dir)
	if code != exitFindings || !strings.Contains(out, "Verdict: CRITICAL failed-rejoin") || !strings.Contains(out, "KGTN 2010112602") {
		t.Errorf("analyze of the simulated KGTN incident: exit %d\n%s", code, out)
	}

	// a scenario file, and --big
	file := filepath.Join(tmp, "mine.json")
	os.WriteFile(file, []byte(`{"name": "mine", "zone": "UTC", "start": "2020-01-01 10:00:00",
		"servers": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
		"faults": [{"at": "+30m", "kind": "crash", "server": "b"}]}`), 0o644)
	code, out, stderr = runSim(t, "simulate", file, "-o", filepath.Join(tmp, "mine"), "--big", "5MB")
	if code != exitOK || !strings.Contains(out, "true states:         starting, normal, degraded") {
		t.Fatalf("simulate %s --big 5MB: exit %d\n%s%s", file, code, out, stderr)
	}
	var total int64
	entries, _ := os.ReadDir(filepath.Join(tmp, "mine"))
	for _, e := range entries {
		if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".log") {
			total += info.Size()
		}
	}
	if total < 4e6 || total > 6e6 {
		t.Errorf("--big 5MB wrote %d bytes of logs", total)
	}

	code, _, _ = runSim(t, "simulate", "random", "--seed", "9", "--faults", "6", "-o", filepath.Join(tmp, "random"))
	if _, err := os.Stat(filepath.Join(tmp, "random", "truth.json")); code != exitOK || err != nil {
		t.Errorf("simulate random: exit %d, %v", code, err)
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"simulate", "no-such-scenario", "-o", filepath.Join(tmp, "x")}, "no such scenario"},
		{[]string{"simulate", "kgtn-2010120101", "-o", dir}, "not empty"},
		{[]string{"simulate", "busy-month", "--big", "1MB", "-o", filepath.Join(tmp, "y")}, "ask for at least"},
		{[]string{"simulate", "kgtn-2010120101", "--big", "lots", "-o", filepath.Join(tmp, "z")}, "--big"},
		{[]string{"simulate", "kgtn-2010120101"}, "missing flags"},
	} {
		code, _, stderr := runSim(t, tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 saying %q", tc.args, code, stderr, tc.msg)
		}
	}
}
