package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// snapshots writes, as collect would, days of minute snapshots (1,440 runs a day, from
// 2010-12-01 09:00:02 in Tokyo, one file a calendar day): the simulated KGTN 2010120101
// incident, its lmstat collected for that long (the failed rejoin it ends in goes on to the
// end). It returns the folder and the time of the last run.
func snapshots(b *testing.B, days int) (dir string, last time.Time) {
	b.Helper()
	src, _ := samples.Scenario("kgtn-2010120101")
	sc, err := sim.Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	end := kgtnStart(b).AddDate(0, 0, days).Add(-2 * time.Second)
	sc.End, sc.Lmstat.End = end.Add(30*time.Second).Format(time.DateTime), end.Format(time.DateTime)
	inc := b.TempDir()
	if _, err := sim.Render(sc, sim.DirOpener(inc)); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(inc, "lmstat.log"))
	if err != nil {
		b.Fatal(err)
	}
	const cr = "lmutil - Copyright"
	runs := strings.Split(string(data), cr)[1:]
	for i := range runs {
		runs[i] = cr + runs[i]
	}
	if len(runs) != 1440*days {
		b.Fatalf("%d runs, want %d", len(runs), 1440*days)
	}
	dir = b.TempDir()
	start := kgtnStart(b)
	writeCollection(b, dir, start, runs)
	return dir, start.Add(time.Duration(len(runs)-1) * time.Minute)
}

// BenchmarkCheckDay: check over a day of minute snapshots (--window 24h: all 1,440 runs), over
// the default window of the same folder (2 h, which reads the one day file it touches), and
// over a week (--window 168h: 10,080 runs). Besides time and allocation per check it reports
// the CPU time per check (user and system, all threads: the parser reads on every core) and the
// peak heap in use during the checks, under the soft memory limit main sets (40 MB).
func BenchmarkCheckDay(b *testing.B) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(40 << 20))
	for _, tc := range []struct {
		name   string
		days   int
		window string
	}{{"day/window=24h", 1, "24h"}, {"day/window=2h", 1, "2h"}, {"week/window=168h", 7, "168h"}} {
		b.Run(tc.name, func(b *testing.B) {
			dir, last := snapshots(b, tc.days)
			now := last.Add(20 * time.Second)
			stdout, _, code := checkAt(b, now, "--window", tc.window, dir)
			if code != 2 || !strings.Contains(stdout, "failed rejoin") && !strings.Contains(stdout, "failed-rejoin") {
				b.Fatalf("exit %d: %s", code, stdout)
			}
			var used time.Duration
			peak := peakHeap(func() {
				b.ReportAllocs()
				cpu0, _ := processCPU()
				b.ResetTimer()
				for range b.N {
					checkAt(b, now, "--window", tc.window, dir)
				}
				b.StopTimer()
				cpu1, _ := processCPU()
				used = cpu1 - cpu0
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			if used > 0 {
				b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// peakHeap runs f and samples the heap in use meanwhile, every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		var ms runtime.MemStats
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > max {
				max = ms.HeapInuse
			}
			select {
			case <-done:
				peak <- max
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	return <-peak
}
