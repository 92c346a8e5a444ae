package analyze_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

// lmstat queried with FQDNs prints no (MASTER) mark: it compares the queried name with the
// master's short name letter for letter (FORMATS.md 2.2). TRIAD.md 4: zero marks read as
// masterless only when the master's name could not be such a mismatch. So an incident whose
// lmstat names are FQDNs without marks analyses as with the short names and the marks: no
// masterless spans where the vendor daemon was down (vendor-restart-loop), and a dual master
// in the logs that a run with hidden marks does not end early (split-brain).
func TestHiddenMasterMarks(t *testing.T) {
	for _, c := range []struct{ sample, zone string }{
		{"vendor-restart-loop", "Asia/Kolkata"},
		{"split-brain", "America/Chicago"},
	} {
		t.Run(c.sample, func(t *testing.T) {
			dir := filepath.Join("..", "samples", c.sample)
			loc, err := time.LoadLocation(c.zone)
			if err != nil {
				t.Fatal(err)
			}
			names, err := filepath.Glob(filepath.Join(dir, "*"))
			if err != nil {
				t.Fatal(err)
			}
			run := func(fqdn bool) string {
				var fs []*parser.File
				for _, p := range names {
					if strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".json") {
						continue
					}
					var edit func([]byte) []byte
					if fqdn && filepath.Base(p) == "lmstat.log" {
						edit = hideMarks
					}
					f := sampleFile(t, c.sample, filepath.Base(p), filepath.Base(p), loc, edit)
					fs = append(fs, f)
				}
				rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
				if err != nil {
					t.Fatal(err)
				}
				var b strings.Builder
				for _, iv := range rep.Intervals {
					fmt.Fprintf(&b, "%s %s %v\n", iv.Start.Format("15:04:05"), iv.State, iv.Masters)
				}
				for _, f := range rep.Findings {
					fmt.Fprintf(&b, "%s %s %s-%s\n", f.Code, f.Severity, f.Start.Format("15:04:05"), f.End.Format("15:04:05"))
				}
				return b.String()
			}
			if short, hidden := run(false), run(true); short != hidden {
				t.Errorf("with FQDNs and no (MASTER) marks in lmstat:\n%s\nwith the short names:\n%s", hidden, short)
			}
		})
	}
}

// hideMarks writes every host of lmstat's server lines (and of its "License server status:"
// list) as an FQDN and drops the (MASTER) marks, as lmstat prints a run queried by FQDN.
func hideMarks(b []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if rest, ok := strings.CutPrefix(trimmed, "License server status: "); ok {
			var hosts []string
			for _, h := range strings.Split(rest, ",") {
				hosts = append(hosts, h+".corp.example.com")
			}
			line = "License server status: " + strings.Join(hosts, ",")
		} else if name, rest, ok := strings.Cut(trimmed, ": "); ok && !strings.Contains(name, " ") &&
			(strings.Contains(rest, "icense server") || strings.HasPrefix(rest, "Cannot")) {
			line = line[:len(line)-len(trimmed)] + name + ".corp.example.com: " + strings.Replace(rest, " (MASTER)", "", 1)
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}
