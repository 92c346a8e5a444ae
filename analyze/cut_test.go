package analyze_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

// Evidence as customers cut it (TRIAD.md 4, "less evidence, never a wrong state"): the first
// lines of a log only, with the others whole. Each case gives, at every instant farther than
// the slack from a true change of the sample's truth.json, the true state, degraded for a
// failed rejoin, or unknown. The cases come from a review with parts the subset property
// does not draw: a log cut after its master line, whose claim came back when its server
// returned by a peer's word (dual-master); a tertiary's view of an old master, cut, that
// revived that master's claim hours later; a log that begins at a restart, read as its
// server down since the beginning of time against its peers' links; lmstat ending while the secondary was master,
// whose last (MASTER) mark stood against the primary's taking back (PRIMARY_IS_MASTER).
func TestCutLogs(t *testing.T) {
	cases := []struct {
		sample string
		files  []string // NAME, NAME:N (its first N lines), NAME@N (from its line N) or NAME@N:M
		// a state the part must not give at all (the slack may hide it) from HH:MM to HH:MM
		// (the sample's zone): one the truth does not have there
		forbid string
	}{
		{"crash-and-return", []string{"license.dat", "fnp-muc1.log:13", "fnp-muc2.log"}, ""},
		{"linux-dst", []string{"license.dat", "server1.log", "server2.log", "server3.log:11"}, ""},
		{"skewed-clocks", []string{"license.dat", "server1.log", "lmstat.log:5972"}, ""},
		// a log that begins at a restart (lmgrd rewrites its log when it starts): before it,
		// its peers' links say it ran
		{"no-quorum", []string{"license.dat", "lm-a.log", "lm-b.log@13"}, ""},
		{"crash-and-return", []string{"license.dat", "fnp-muc2.log", "fnp-muc3.log@37"}, ""},
		{"kgtn-2010120101-sim", []string{"license.dat", "server1.log@118", "server2.log"}, ""},
		// a log cut inside lmgrd's start-up block, before the banner: its silence before is
		// a crash all the same (it was normal to the end, and a dual master with the peers)
		{"kgtn-2010120101-sim", []string{"license.dat", "server1.log:125"}, ""},
		// a rotated log given as its two files: the second one's first line, a peer's link,
		// counts once the log speaks again
		{"crash-and-return", []string{"license.dat", "fnp-muc3.log:29", "fnp-muc3.log@30"}, ""},
		{"linux-dst", []string{"license.dat", "server3.log:16", "server3.log@17"}, ""},
		// a server that restarts, exits or loses its quorum stops naming the master: that says
		// nothing against lmstat's (MASTER) mark (false masterless spans with one log)
		{"crash-and-return", []string{"license.dat", "fnp-muc3.log", "lmstat.log@5063:6127"}, "masterless 10:00-11:00"},
		{"partition", []string{"license.dat", "lmprod3.log", "lmstat.log"}, "masterless 00:00-23:59"},
		// PRIMARY_IS_MASTER: the primary's taking back ends the old master's claim that rests
		// on lmstat's older mark (TRIAD.md 1: no dual master)
		{"skewed-clocks", []string{"license.dat", "server1.log", "lmstat.log"}, "dual-master 11:40-12:10"},
		{"kgtn-2010120101-sim", []string{"license.dat", "server1.log", "server2.log:158", "server3.log"}, ""},
	}
	for _, c := range cases {
		t.Run(c.sample+"/"+strings.Join(c.files, "+"), func(t *testing.T) {
			dir := filepath.Join("..", "samples", c.sample)
			var tr struct {
				Timezone string `json:"timezone"`
				Servers  []struct {
					Offset int64 `json:"offset_seconds"`
				} `json:"servers"`
				Tolerance int64 `json:"tolerance_seconds"`
				True      struct {
					Intervals []struct {
						Start, End time.Time
						State      string
					} `json:"intervals"`
				} `json:"true"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &tr); err != nil {
				t.Fatal(err)
			}
			loc, err := time.LoadLocation(tr.Timezone)
			if err != nil {
				t.Fatal(err)
			}
			var fs []*parser.File
			for _, spec := range c.files {
				name, n, from := spec, -1, 1
				if k := strings.IndexByte(spec, ':'); k >= 0 {
					name = spec[:k]
					fmt.Sscan(spec[k+1:], &n)
				}
				if k := strings.IndexByte(spec, '@'); k >= 0 {
					name = spec[:k]
					fmt.Sscan(spec[k+1:], &from)
				}
				f := sampleFile(t, c.sample, name, spec, loc, func(data []byte) []byte {
					lines := bytes.SplitAfter(data, []byte("\n"))
					if n < 0 {
						n = len(lines)
					}
					return bytes.Join(lines[min(from-1, len(lines)):min(n, len(lines))], nil)
				})
				fs = append(fs, f)
			}
			rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			// TRIAD.md 4's slack: max(180 s, 2 x lmstat interval) plus the clock offsets
			off := int64(0)
			for _, s := range tr.Servers {
				off = max(off, s.Offset, -s.Offset)
			}
			slack := time.Duration(tr.Tolerance+off) * time.Second
			for _, a := range rep.Intervals {
				var state, window string
				fmt.Sscanf(c.forbid, "%s %s", &state, &window)
				from, to, _ := strings.Cut(window, "-")
				if c.forbid != "" && a.State == analyze.State(state) && a.Start.In(loc).Format("15:04") >= from && a.Start.In(loc).Format("15:04") < to {
					t.Errorf("%s from %s to %s\n%s", a.State, a.Start.In(loc).Format("15:04:05"), a.End.In(loc).Format("15:04:05"), dump(rep))
				}
			}
			ivs := tr.True.Intervals
			for k, iv := range ivs {
				for x := iv.Start; x.Before(iv.End); x = x.Add(10 * time.Second) {
					if (k > 0 && x.Sub(iv.Start) <= slack && ivs[k-1].State != iv.State) ||
						(k+1 < len(ivs) && iv.End.Sub(x) <= slack && ivs[k+1].State != iv.State) {
						continue
					}
					got := analyze.Unknown
					for _, a := range rep.Intervals {
						if !x.Before(a.Start) && x.Before(a.End) {
							got = a.State
						}
					}
					if got != analyze.State(iv.State) && got != analyze.Unknown && !(iv.State == "failed-rejoin" && got == analyze.Degraded) {
						t.Fatalf("at %s: %s, true %s\n%s", x.In(loc).Format("15:04:05"), got, iv.State, dump(rep))
					}
				}
			}
		})
	}
}
