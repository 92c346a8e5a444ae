package sim_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// TestGenerated: the checked-in samples are what go generate makes from the scenario files,
// byte for byte, and hold nothing else.
func TestGenerated(t *testing.T) {
	for _, name := range samples.Names() {
		sc := builtin(t, name)
		if !sc.IsSample() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			fresh := t.TempDir()
			if _, err := sim.RenderDir(sc, fresh); err != nil {
				t.Fatal(err)
			}
			in := filepath.Join("..", sc.SampleDir())
			want := dirFiles(t, fresh)
			got := dirFiles(t, in)
			if strings.Join(sortedNames(got), " ") != strings.Join(sortedNames(want), " ") {
				t.Fatalf("%s holds %v, go generate makes %v: run go generate ./samples/...", in, sortedNames(got), sortedNames(want))
			}
			for f, b := range want {
				if !bytes.Equal(got[f], b) {
					t.Errorf("%s/%s differs from what go generate makes: run go generate ./samples/...", in, f)
				}
			}
		})
	}
}

func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestKGTNSample: the simulated KGTN 2010120101 incident gives the eight states of TRIAD.md
// section 1 after the cold start, and the failed rejoin points to KGTN 2010112602, like the
// hand-made sample.
func TestKGTNSample(t *testing.T) {
	want := []analyze.State{analyze.Starting, analyze.Normal, analyze.Masterless, analyze.Degraded, analyze.DualMaster,
		analyze.Normal, analyze.Masterless, analyze.Degraded, analyze.FailedRejoin}
	// Logs alone: server2's log ends 4m33s after its return, before the rejoin grace runs out,
	// and no other line tells whether its lmgrd still ran after: unknown, never a guess.
	logsOnly := append(append([]analyze.State(nil), want[:8]...), analyze.Unknown)
	sc := builtin(t, "kgtn-2010120101")
	dir := filepath.Join("..", sc.SampleDir())
	loc, _ := time.LoadLocation("Asia/Tokyo")
	for _, tc := range []struct {
		name  string
		files []string
		want  []analyze.State
	}{
		{"all files", nil, want},
		{"lmstat and license", []string{"license.dat", "lmstat.log"}, want[1:]},
		{"logs and license", []string{"license.dat", "server1.log", "server2.log", "server3.log"}, logsOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := []string{dir}
			if tc.files != nil {
				paths = nil
				for _, f := range tc.files {
					paths = append(paths, filepath.Join(dir, f))
				}
			}
			fs, err := parser.ReadPaths(paths, parser.Options{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
			if err != nil {
				t.Fatal(err)
			}
			var got []analyze.State
			for _, iv := range rep.Intervals {
				got = append(got, iv.State)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("states %v, want %v", got, tc.want)
			}
			var fr []analyze.Finding
			for _, f := range rep.Findings {
				if f.Code == "failed-rejoin" {
					fr = append(fr, f)
				}
			}
			if tc.want[len(tc.want)-1] != analyze.FailedRejoin {
				if len(fr) != 0 {
					t.Errorf("failed-rejoin findings %+v, want none", fr)
				}
				last := rep.Intervals[len(rep.Intervals)-1]
				if last.State != analyze.Unknown || last.Why.Key == "" || !strings.Contains(fmt.Sprint(last.Settle), "lmstat") {
					t.Errorf("the unknown end says why %v and would be settled by %v, want lmstat", last.Why, last.Settle)
				}
				return
			}
			if len(fr) != 1 || fr[0].Server != "server2" || fr[0].Severity != analyze.SeverityCritical || catalog.FixFor(fr[0].Code, "en") == nil || catalog.FixFor(fr[0].Code, "en").Ref != "KGTN 2010112602" {
				t.Fatalf("failed-rejoin findings %+v, want one, critical, on server2, fix KGTN 2010112602", fr)
			}
			if rep.Verdict.State != analyze.FailedRejoin || rep.Verdict.ExitCode != 1 {
				t.Errorf("verdict %s exit %d, want failed-rejoin exit 1", rep.Verdict.State, rep.Verdict.ExitCode)
			}
		})
	}
}

// TestLinesRecognized: the parser knows every line the simulator writes, and warns about
// nothing, on every built-in scenario and some random ones.
func TestLinesRecognized(t *testing.T) {
	var scs []sim.Scenario
	for _, name := range samples.Names() {
		if sc := builtin(t, name); sc.IsSample() {
			scs = append(scs, sc)
		}
	}
	for seed := int64(100); seed < 110; seed++ {
		scs = append(scs, sim.Random(seed, sim.RandomOptions{Faults: 8, Kinds: sim.Kinds}))
		scs = append(scs, sim.Random(seed, sim.RandomOptions{Faults: 8, Partitions: 0.5}))
	}
	for _, sc := range scs {
		dir := t.TempDir()
		tr, err := sim.Render(sc, sim.DirOpener(dir))
		if err != nil {
			t.Fatal(err)
		}
		loc, _ := time.LoadLocation(tr.Timezone)
		fs, err := parser.ReadPaths([]string{dir}, parser.Options{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			want := parser.KindDebugLog
			switch base := filepath.Base(f.Name); {
			case base == "lmstat.log":
				want = parser.KindLmstat
			case strings.HasPrefix(base, "license.dat"):
				want = parser.KindLicense
			}
			if f.Kind != want {
				t.Errorf("%s: %s read as %v, want %v (%s)", sc.Name, f.Name, f.Kind, want, f.Reason)
			}
			if f.Unrecognized > 0 || f.Warned > 0 {
				t.Errorf("%s: %s: %d unrecognized lines, %d warnings: %v", sc.Name, f.Name, f.Unrecognized, f.Warned, f.Warnings)
			}
		}
	}
}

// TestDeterministic: the same seed gives the same scenario and the same bytes.
func TestDeterministic(t *testing.T) {
	for _, seed := range []int64{3, 42} {
		a, b := sim.Random(seed, sim.RandomOptions{}), sim.Random(seed, sim.RandomOptions{})
		if !bytes.Equal(a.JSON(), b.JSON()) {
			t.Fatalf("Random(%d) differs between two calls", seed)
		}
		if err := a.Check(); err != nil {
			t.Fatalf("Random(%d): %v", seed, err)
		}
		h1, h2 := renderHash(t, a), renderHash(t, b)
		if h1 != h2 {
			t.Fatalf("Random(%d) renders differently twice", seed)
		}
		if h3 := renderHash(t, sim.Random(seed+1, sim.RandomOptions{})); h3 == h1 {
			t.Fatalf("seeds %d and %d render the same", seed, seed+1)
		}
	}
}

// hashOpener hashes every file into one digest, in the order files are opened.
type hashWriter struct {
	name string
	buf  *bytes.Buffer
}

func (w hashWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }
func (w hashWriter) Close() error                { return nil }

func renderHash(t *testing.T, sc sim.Scenario) string {
	t.Helper()
	files := map[string]*bytes.Buffer{}
	tr, err := sim.Render(sc, func(name string) (io.WriteCloser, error) {
		files[name] = &bytes.Buffer{}
		return hashWriter{name, files[name]}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h.Write([]byte(n + "\x00"))
		h.Write(files[n].Bytes())
	}
	h.Write(tr.JSON())
	return hex.EncodeToString(h.Sum(nil))
}

// TestStreaming renders 200 MB of a busy month and checks that the heap stays small while it
// does: the renderer never holds a whole log.
func TestStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 200 MB")
	}
	sc, err := sim.Scale(builtin(t, "busy-month"), 200e6)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	c := &sim.Counter{Step: 8 << 20, Every: func(int64) {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}}
	tr, err := sim.Render(sc, sim.DiscardOpener(c))
	if err != nil {
		t.Fatal(err)
	}
	if c.Bytes < 170e6 || c.Bytes > 230e6 {
		t.Errorf("rendered %d bytes, want about 200 MB (%v)", c.Bytes, c.Files)
	}
	const limit = 64 << 20
	if peak > base+limit {
		t.Errorf("heap grew to %d MB while rendering %d MB (base %d MB): not streaming", peak>>20, c.Bytes>>20, base>>20)
	}
	t.Logf("%d MB rendered, heap peak %d MB (base %d MB), %d snapshots", c.Bytes>>20, peak>>20, base>>20, tr.Lmstat.Snapshots)
}

// TestScale: Scale hits the size it is asked for.
func TestScale(t *testing.T) {
	if _, err := sim.Scale(builtin(t, "busy-month"), 5e6); err == nil || !strings.Contains(err.Error(), "ask for at least") {
		t.Errorf("Scale(busy-month, 5 MB): %v, want an error saying the least size", err)
	}
	for _, name := range []string{"kgtn-2010120101", "crash-and-return"} {
		for _, size := range []int64{5e6, 30e6} {
			if testing.Short() && size > 5e6 {
				continue
			}
			sc, err := sim.Scale(builtin(t, name), size)
			if err != nil {
				t.Fatal(err)
			}
			var c sim.Counter
			if _, err := sim.Render(sc, sim.DiscardOpener(&c)); err != nil {
				t.Fatal(err)
			}
			if r := float64(c.Bytes) / float64(size); r < 0.8 || r > 1.25 {
				t.Errorf("Scale(%s, %d) rendered %d bytes", name, size, c.Bytes)
			}
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1GB": 1e9, "200MB": 200e6, "1.5G": 15e8, "64KiB": 64 << 10, "123": 123, "2 mb": 2e6} {
		if got, err := sim.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GB", "-1MB", "lots"} {
		if _, err := sim.ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

// TestScenarioErrors: scenarios that cannot be are refused with a message that says why.
func TestScenarioErrors(t *testing.T) {
	base := `"name": "x", "zone": "Asia/Tokyo", "start": "2010-12-01 09:00:00",
	"servers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]`
	for _, tc := range []struct{ json, want string }{
		{`{"name": "x", "start": "2010-12-01 09:00", "servers": [{"name": "a"}, {"name": "b"}]}`, "a triad has three"},
		{`{` + base + `, "color": "red"}`, "unknown field"},
		{`{` + base + `, "zone": "Mars/Olympus"}`, "zone"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "explode", "server": "a"}]}`, "unknown kind"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "crash", "server": "d"}]}`, "unknown server"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "restart", "server": "a"}]}`, "it is running"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "crash", "server": "a"}, {"at": "+2h", "kind": "crash", "server": "a"}]}`, "already down"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "crash", "server": "c"}, {"at": "+2h", "kind": "split-brain", "server": "c"}]}`, "tertiary can never be master"},
		{`{` + base + `, "faults": [{"at": "yesterday", "kind": "crash", "server": "a"}]}`, "bad time"},
		{`{` + base + `, "version": "12.0"}`, "version"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "crash", "server": "a", "election": "soon"}]}`, "bad duration"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "crash", "server": "a", "election": "-5s"}]}`, "cannot be negative"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "vendor-exit", "server": "a", "reason": 33}]}`, "reason 1 to 20"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["a"]}]}`, "give its end"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["a"], "down": "5m", "until": "+2h"}]}`, "not both"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["a", "b", "c"], "down": "5m"}]}`, "one or two servers"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": [], "down": "5m"}]}`, "one or two servers"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["a", "A"], "down": "5m"}]}`, "named twice"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["d"], "down": "5m"}]}`, "unknown server"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["a"], "until": "+30m"}]}`, "end after it begins"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "crash", "server": "a", "until": "+2h"}]}`, "for a partition"},
		{`{` + base + `, "faults": [{"at": "+1h", "kind": "partition", "servers": ["a"], "down": "1h"}, {"at": "+1h30m", "kind": "partition", "servers": ["b"], "down": "5m"}]}`, "another partition"},
	} {
		_, err := sim.Parse([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%s): error %v, want one saying %q", tc.json, err, tc.want)
		}
	}
}

// TestRelativeTimes: "+1h" times and defaults resolve as documented.
func TestRelativeTimes(t *testing.T) {
	sc, err := sim.Parse([]byte(`{"name": "rel", "zone": "Asia/Tokyo", "start": "2010-12-01 09:00:00",
		"servers": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
		"faults": [{"at": "+1h", "kind": "crash", "server": "a"}, {"at": "+1h30m", "kind": "restart", "server": "a"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var c sim.Counter
	tr, err := sim.Render(sc, sim.DiscardOpener(&c))
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.End.Format("15:04:05"); got != "11:00:00" {
		t.Errorf("end %s, want 30 min after the last fault, 11:00:00", got)
	}
	want := "starting normal masterless degraded normal"
	if got := strings.Join(tr.True.States, " "); got != want {
		t.Errorf("true states %s, want %s", got, want)
	}
	crash := tr.True.Intervals[2].Start.Format("15:04:05")
	if crash != "10:00:00" {
		t.Errorf("masterless from %s, want 10:00:00 (the crash)", crash)
	}
	if got := tr.Observed.Logs.Intervals[2].Start.Format("15:04:05"); got != "10:01:19" {
		t.Errorf("logs show masterless from %s, want 10:01:19 (heartbeat timeout 79 s)", got)
	}
}
