package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// zoneReport is what TestSamplesWithoutTZ compares of two JSON reports.
type zoneReport struct {
	Clock struct {
		Timezone         string `json:"timezone"`
		TimezoneSource   string `json:"timezone_source"`
		TimezoneEvidence []struct {
			At string `json:"at"`
		} `json:"timezone_evidence"`
	} `json:"clock"`
	Intervals []struct {
		Start   *string           `json:"start"`
		End     *string           `json:"end"`
		State   string            `json:"state"`
		Masters []string          `json:"masters"`
		Servers map[string]string `json:"servers"`
	} `json:"intervals"`
	Findings []struct {
		Code   string  `json:"code"`
		Server *string `json:"server"`
		Start  *string `json:"start"`
		End    *string `json:"end"`
	} `json:"findings"`
	Verdict struct {
		State    string `json:"state"`
		Severity string `json:"severity"`
	} `json:"verdict"`
	Warnings []string `json:"warnings"`
}

// instant is an RFC 3339 time as an instant in UTC, so that the same moment written with
// two zones' names compares equal; "null" for none.
func instant(t *testing.T, s *string) string {
	t.Helper()
	if s == nil {
		return "null"
	}
	v, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		t.Fatalf("not RFC 3339: %q", *s)
	}
	return v.UTC().Format(time.RFC3339)
}

// story is a report's states, boundaries, masters, statuses, findings and verdict, with every
// time as an instant.
func (r *zoneReport) story(t *testing.T) []string {
	var out []string
	for _, iv := range r.Intervals {
		out = append(out, fmt.Sprintf("interval %s %s %s masters %v servers %v", instant(t, iv.Start), instant(t, iv.End), iv.State, iv.Masters, iv.Servers))
	}
	for _, f := range r.Findings {
		server := "triad"
		if f.Server != nil {
			server = *f.Server
		}
		out = append(out, fmt.Sprintf("finding %s %s %s %s", f.Code, server, instant(t, f.Start), instant(t, f.End)))
	}
	return append(out, "verdict "+r.Verdict.Severity+" "+r.Verdict.State)
}

// TestSamplesWithoutTZ: every sample incident analysed without --tz on a machine in a zone
// none of them is in (TZ=America/Denver) tells the same story (states, interval boundaries,
// findings, verdict) as with its right --tz wherever a line of it fixes the zone; no-quorum,
// whose inputs tell no zone, is read in the machine's zone with a warning that says so
// (TRIAD.md 6, issue 10).
func TestSamplesWithoutTZ(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "samples", "*"))
	if err != nil {
		t.Fatal(err)
	}
	noZone := map[string]bool{"no-quorum": true}
	seen := 0
	for _, dir := range dirs {
		if logs, _ := filepath.Glob(filepath.Join(dir, "*.log")); len(logs) == 0 {
			continue // the scenarios, the simulator
		}
		name := filepath.Base(dir)
		seen++
		t.Run(name, func(t *testing.T) {
			right := rightZone(t, dir)
			path := "samples/" + name
			wrong, errOut := zoneRun(t, "America/Denver", "analyze", "-f", "json", path)
			if noZone[name] {
				if wrong.Clock.TimezoneSource != "machine" || wrong.Clock.Timezone != "America/Denver" {
					t.Errorf("zone %s from %s, want the machine's, America/Denver", wrong.Clock.Timezone, wrong.Clock.TimezoneSource)
				}
				const warn = "no line of the inputs tells the servers' time zone"
				if len(wrong.Warnings) == 0 || !strings.HasPrefix(wrong.Warnings[0], warn) {
					t.Errorf("the report's warnings %q do not open with %q", wrong.Warnings, warn)
				}
				if !strings.Contains(errOut, "lmtriad: warning: "+warn) {
					t.Errorf("stderr does not warn: %s", errOut)
				}
				return
			}
			if wrong.Clock.TimezoneSource != "evidence" || len(wrong.Clock.TimezoneEvidence) == 0 {
				t.Errorf("zone %s from %s on %d lines, want it from the evidence", wrong.Clock.Timezone, wrong.Clock.TimezoneSource, len(wrong.Clock.TimezoneEvidence))
			}
			given, _ := zoneRun(t, "America/Denver", "analyze", "-f", "json", "--tz", right, path)
			if given.Clock.TimezoneSource != "given" {
				t.Errorf("with --tz %s: source %s", right, given.Clock.TimezoneSource)
			}
			got, want := wrong.story(t), given.story(t)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("without --tz (zone %s) the story differs from --tz %s:\n%s", wrong.Clock.Timezone, right, diff(strings.Join(want, "\n"), strings.Join(got, "\n")))
			}
			if len(want) < 3 {
				t.Errorf("only %d lines of story: is the sample read at all?", len(want))
			}
		})
	}
	if seen < 11 {
		t.Errorf("%d sample incidents, want the 11 of samples/", seen)
	}
}

// rightZone is the zone a sample's servers were in: truth.json's, else (the real incident,
// which has none) its README's, Asia/Tokyo.
func rightZone(t *testing.T, dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if os.IsNotExist(err) && filepath.Base(dir) == "kgtn-2010120101" {
		return "Asia/Tokyo"
	}
	if err != nil {
		t.Fatal(err)
	}
	var truth struct {
		Timezone string `json:"timezone"`
	}
	if err := json.Unmarshal(b, &truth); err != nil || truth.Timezone == "" {
		t.Fatalf("%s/truth.json: no timezone (%v)", dir, err)
	}
	return truth.Timezone
}

// zoneRun runs the command from the top of the checkout on a machine whose TZ is tz, and reads
// its JSON report.
func zoneRun(t *testing.T, tz string, args ...string) (*zoneReport, string) {
	t.Helper()
	t.Chdir(repoRoot)
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, func(k string) string {
		if k == "TZ" {
			return tz
		}
		return ""
	})
	var r zoneReport
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("lmtriad %s: exit %d, no JSON report: %v\n%s", strings.Join(args, " "), code, err, errb.String())
	}
	return &r, errb.String()
}
