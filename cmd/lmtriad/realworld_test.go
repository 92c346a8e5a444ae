package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realworld is the folder of third-party FlexLM files beside the checkout (../shared/realworld);
// they are read from there and never copied into the project.
var realworld, _ = filepath.Abs(filepath.Join("..", "..", "..", "shared", "realworld"))

type jsonOut struct {
	Clock struct {
		Timezone       string `json:"timezone"`
		TimezoneSource string `json:"timezone_source"`
	} `json:"clock"`
	Inputs []struct {
		Kind         string `json:"kind"`
		Lines        int    `json:"lines"`
		Unrecognized int    `json:"unrecognized"`
	} `json:"inputs"`
	Intervals []struct {
		State   string            `json:"state"`
		Masters []string          `json:"masters"`
		Servers map[string]string `json:"servers"`
	} `json:"intervals"`
	Verdict struct {
		State    string `json:"state"`
		Severity string `json:"severity"`
		ExitCode int    `json:"exit_code"`
		Summary  string `json:"summary"`
	} `json:"verdict"`
}

// TestRealWorld runs lmtriad on each real file alone: none is an input error (exit 2), each
// gives a JSON report whatever its exit code, the single-server ones are not a triad (exit 3,
// an inconclusive verdict that says why), and the triad lmstat outputs give the right master
// and state.
func TestRealWorld(t *testing.T) {
	if _, err := os.Stat(realworld); err != nil {
		t.Skipf("no real-world folder at %s", realworld)
	}
	triads := map[string]struct {
		state   string
		masters string
		code    int
		down    string
	}{
		"flexlm_exporter/lmstat_app1.txt":        {"normal", "host2.domain.net", 0, ""},
		"flexlm_exporter/lmstat_app2.txt":        {"normal", "host2", 0, ""},
		"flexlm_exporter/lmstat_app3.txt":        {"normal", "host1", 0, ""},
		"flexlm_exporter/lmstat_server_down.txt": {"degraded", "host2", 1, "host3"},
		"LicenseStatus/mock_lmstat_errors.txt":   {"dual-master", "SERVER001,SERVER002", 1, ""},
	}
	var files []string
	filepath.WalkDir(realworld, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name() != "SOURCES.md" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("real-world folder is empty")
	}
	for _, path := range files {
		rel, _ := filepath.Rel(realworld, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			out, errOut, code := runAt(t, "analyze", "--format", "json", path) // the zone from its lines, else the machine's (warned)
			var rep jsonOut
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("no JSON report (exit %d, stderr %s): %v", code, errOut, err)
			}
			switch src := rep.Clock.TimezoneSource; {
			case src == "machine" && (rep.Clock.Timezone != "UTC" || !strings.Contains(errOut, "lmtriad: warning: no line of the inputs tells the servers' time zone")):
				t.Errorf("the machine's zone %s without the warning that says so; stderr: %s", rep.Clock.Timezone, errOut)
			case src != "machine" && src != "evidence":
				t.Errorf("timezone_source %q, want evidence or machine", src)
			}
			if rep.Verdict.ExitCode != code || len(rep.Inputs) == 0 {
				t.Errorf("the report says exit %d and lists %d inputs; the command exited %d", rep.Verdict.ExitCode, len(rep.Inputs), code)
			}
			want, isTriad := triads[rel]
			if !isTriad {
				if code != exitInconclusive {
					t.Fatalf("exit %d, want 3 (not a triad / too little evidence); stderr: %s", code, errOut)
				}
				if rep.Verdict.Severity != "inconclusive" || rep.Verdict.State != "unknown" ||
					!(strings.Contains(rep.Verdict.Summary, "not a triad") || strings.Contains(rep.Verdict.Summary, "inconclusive")) {
					t.Errorf("verdict %+v, want inconclusive, unknown, saying why", rep.Verdict)
				}
				// The warnings first (the zone, the lines), then why.
				last := errOut[strings.LastIndex(strings.TrimSuffix(errOut, "\n"), "\n")+1:]
				if !strings.HasPrefix(last, "lmtriad: not a triad: ") && !strings.HasPrefix(last, "lmtriad: inconclusive: ") {
					t.Errorf("stderr does not end saying why: %s", errOut)
				}
				return
			}
			if code != want.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, want.code, errOut)
			}
			if len(rep.Intervals) != 1 {
				t.Fatalf("%d intervals, want 1 (one snapshot)", len(rep.Intervals))
			}
			iv := rep.Intervals[0]
			if iv.State != want.state || strings.Join(iv.Masters, ",") != want.masters {
				t.Errorf("state %s masters %v, want %s %s", iv.State, iv.Masters, want.state, want.masters)
			}
			if want.down != "" && iv.Servers[want.down] != "down" {
				t.Errorf("%s is %q, want down", want.down, iv.Servers[want.down])
			}
			in := rep.Inputs[0]
			if in.Kind != "lmstat" || in.Unrecognized*100 >= in.Lines {
				t.Errorf("kind %s, %d of %d lines unrecognized", in.Kind, in.Unrecognized, in.Lines)
			}
		})
	}
}

// TestInconclusiveWritesReports: an analysis that ends in exit 3 still writes its report, in
// every format, to -o FILE; a single server's log shows its vendor daemon exits.
func TestInconclusiveWritesReports(t *testing.T) {
	path := filepath.Join(realworld, "parse_lmgrd_log", "lmgrd_anonym.log")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no real-world file %s", path)
	}
	dir := t.TempDir()
	for _, f := range []string{"text", "json", "markdown", "html", "csv"} {
		target := filepath.Join(dir, "report."+f)
		_, errOut, code := runAt(t, "analyze", "--tz", "UTC", "--format", f, "-o", target, path)
		if code != exitInconclusive {
			t.Errorf("%s: exit %d, want 3; stderr %s", f, code, errOut)
		}
		b, err := os.ReadFile(target)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: -o wrote no report: %v", f, err)
			continue
		}
		if f == "text" || f == "markdown" || f == "html" || f == "json" {
			for _, want := range []string{"not a triad", "vendor-daemon-exit", "pc_muc1"} {
				if !strings.Contains(strings.ReplaceAll(string(b), `\_`, "_"), want) {
					t.Errorf("%s report does not say %q", f, want)
				}
			}
		}
	}
}
