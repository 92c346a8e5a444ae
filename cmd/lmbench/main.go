// Command lmbench measures lmtriad against the floor of touching every byte (grep -c ., wc -l)
// on simulated months of evidence, and shows where lmtriad's time goes. It prints Markdown: the
// README's Performance section.
//
// Usage (from the repository's top):
//
//	go run ./cmd/lmbench                            # both months, 5 runs of each command
//	go run ./cmd/lmbench -months usage -runs 9      # the month of short usage lines only
//	go run ./cmd/lmbench -months busy -size 200MB   # a smaller busy month
//	go run ./cmd/lmbench -cpuprofile cpu.prof       # profile the in-process runs (go tool pprof)
//
// It builds lmtriad and renders two months of a triad with the simulator (kept in -dir between
// calls, as they take a few seconds to render):
//
//   - busy: `lmtriad simulate --big SIZE busy-month`, about 1 GB across the three logs and the
//     lmstat file; the largest log holds 41%, lmstat output 39%; lines of 54 bytes on average.
//   - usage: the worst case for the ratio to grep, whose cost follows the bytes while lmtriad's
//     follows the lines: busy-month's triad without the master's faults, so that the master's
//     log holds most of the bytes, a load of short checkouts (3 minutes on average) and an
//     lmstat run every 15 minutes: about 360 MB, 85% in the master's log, mostly OUT and IN
//     lines of about 50 bytes. Its scenario is written next to it (usage-month-SIZE.json):
//     `lmtriad simulate FILE -o DIR` renders it again.
//
// For each month it warms the page cache, then runs lmtriad analyze, grep -c . (its output
// written to a file: on /dev/null GNU grep stops at the first match) and wc -l in turn, -runs
// times each, and reports the medians of wall time and CPU time, the largest peak resident
// memory, and the median of the ratios lmtriad/grep run by run (the runs are paired, so a
// machine whose speed drifts does not bias the ratio). Then it runs lmtriad on smaller busy
// months (-also) to show that memory does not grow with the input, and reads each month again
// in-process, with parser.Options.Trace, to show where the time goes: read (the copy out of the
// page cache), hash (SHA-256), split (finding every newline, on one core: what splitting costs at
// least), parse (the workers: split and classify) and classify (parse less split), fold (the
// consumer), analyse and render, and CPU time per line.
//
// Measure on a quiet machine: lmbench waits (up to -wait) for the load average to fall under
// -max-load before each month, and prints the load it measured under. lnav, the tool a user would
// otherwise pick to merge logs, is compared with -lnav (installed with apt-get when missing).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/report"
	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "lmbench:", err)
		os.Exit(1)
	}
}

type config struct {
	dir, bin            string
	runs, lnavRuns      int
	lnav, stages        bool
	maxLoad             float64
	wait                time.Duration
	stderr              io.Writer
	profile             *os.File
	busySize, usageSize string
	also                []string
	months              []string
	out                 string // where the commands' output goes
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lmbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{stderr: stderr}
	which := fs.String("months", "busy,usage", "months to measure: busy (busy-month scaled to -size), usage (short usage lines, -usage-size)")
	fs.StringVar(&c.busySize, "size", "1GB", "size of the busy month")
	fs.StringVar(&c.usageSize, "usage-size", "360MB", "size of the month of short usage lines")
	fs.StringVar(&c.dir, "dir", filepath.Join(os.TempDir(), "lmbench"), "work directory (the months are kept there between calls)")
	fs.IntVar(&c.runs, "runs", 5, "runs of each command (medians are reported)")
	also := fs.String("also", "usage:100MB,busy:120MB", "smaller months to run lmtriad on too, comma-separated KIND:SIZE, to show that its memory does not grow with the input (empty: none; busy-month needs at least 119 MB)")
	fs.BoolVar(&c.stages, "stages", true, "read each month in-process too and show where the time goes")
	fs.BoolVar(&c.lnav, "lnav", false, "compare with lnav -n too (installed with apt-get when missing; slow)")
	fs.IntVar(&c.lnavRuns, "lnav-runs", 1, "runs of lnav")
	fs.Float64Var(&c.maxLoad, "max-load", 0.7, "wait until the 1-minute load average is under this before measuring a month (0: do not wait)")
	fs.DurationVar(&c.wait, "wait", 15*time.Minute, "how long to wait for that at most, then measure anyway")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the in-process runs to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	for _, m := range strings.Split(*which, ",") {
		if m = strings.TrimSpace(m); m != "busy" && m != "usage" {
			return fmt.Errorf("-months: %q is neither busy nor usage", m)
		}
		c.months = append(c.months, strings.TrimSpace(m))
	}
	if *also != "" {
		c.also = strings.Split(*also, ",")
	}
	if c.runs < 1 {
		return errors.New("-runs: at least 1")
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		c.profile = f
	}
	c.bin = filepath.Join(c.dir, "lmtriad")
	c.out = filepath.Join(c.dir, "out")
	fmt.Fprintln(stderr, "building lmtriad ...")
	if err := sh(stderr, "go", "build", "-o", c.bin, "./cmd/lmtriad"); err != nil {
		return err
	}
	if c.lnav {
		if err := installLnav(stderr); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Machine: %d cores (%s/%s), %s, %s; %s.\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, cpuModel(), memTotal(), runtime.Version())
	var months []*month
	for _, name := range c.months {
		size := c.busySize
		if name == "usage" {
			size = c.usageSize
		}
		m, err := c.render(name, size)
		if err != nil {
			return err
		}
		months = append(months, m)
	}
	for _, m := range months {
		if err := c.compare(stdout, m); err != nil {
			return err
		}
	}
	if len(c.also) > 0 {
		if err := c.memory(stdout, months); err != nil {
			return err
		}
	}
	if c.stages {
		if c.profile != nil {
			if err := pprof.StartCPUProfile(c.profile); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		fmt.Fprintln(stdout, "\nWhere lmtriad's time goes, read in-process (medians of the runs; the stages run at once on every core, so they add up to more than the wall time):")
		for _, m := range months {
			if err := c.where(stdout, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// month is a rendered month of evidence.
type month struct {
	name, title string
	dir         string
	files       []string
	bytes       int64
	lines       int64
	largest     int64 // bytes of the largest file
	lm          *runs // lmtriad's runs, once compared
}

func (m *month) describe() string {
	return fmt.Sprintf("%d files, %.0f MB, %.2f million lines of %.1f bytes on average, %.0f%% in the largest file",
		len(m.files), float64(m.bytes)/1e6, float64(m.lines)/1e6, float64(m.bytes)/float64(m.lines), 100*float64(m.largest)/float64(m.bytes))
}

// render renders a month of about size bytes, unless the directory holds it already.
func (c *config) render(name, sz string) (*month, error) {
	sz = strings.TrimSpace(sz)
	size, err := sim.ParseSize(sz)
	if err != nil {
		return nil, err
	}
	var m *month
	switch name {
	case "busy":
		m = &month{name: "busy-month-" + sz, title: "busy month"}
		m.dir = filepath.Join(c.dir, m.name)
		if _, err := os.Stat(filepath.Join(m.dir, "truth.json")); err != nil {
			fmt.Fprintf(c.stderr, "rendering busy-month at %s into %s ...\n", sz, m.dir)
			os.RemoveAll(m.dir)
			if err := sh(c.stderr, c.bin, "simulate", "--big", strconv.FormatInt(size, 10), "-o", m.dir, "busy-month"); err != nil {
				return nil, err
			}
		}
	case "usage":
		m = &month{name: "usage-month-" + sz, title: "month of short usage lines"}
		m.dir = filepath.Join(c.dir, m.name)
		if _, err := os.Stat(filepath.Join(m.dir, "truth.json")); err != nil {
			sc, err := usageMonth(size)
			if err != nil {
				return nil, err
			}
			b, err := json.MarshalIndent(sc, "", "  ")
			if err != nil {
				return nil, err
			}
			file := m.dir + ".json"
			if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
				return nil, err
			}
			fmt.Fprintf(c.stderr, "rendering %s into %s ...\n", file, m.dir)
			os.RemoveAll(m.dir)
			if err := sh(c.stderr, c.bin, "simulate", "-o", m.dir, file); err != nil {
				return nil, err
			}
		}
	}
	if err := m.inputs(); err != nil {
		return nil, err
	}
	return m, nil
}

// usageMonth is the month of short usage lines of about size bytes: busy-month's triad without
// the faults of its master (the primary), whose log then holds most of the bytes; checkouts of
// 3 minutes on average at a rate set for the size, and an lmstat run every 15 minutes, so that
// lmstat output, whose lines are longer, is a small part.
func usageMonth(size int64) (sim.Scenario, error) {
	b, _ := samples.Scenario("busy-month")
	sc, err := sim.Parse(b)
	if err != nil {
		return sc, err
	}
	sc.Name = "usage-month"
	sc.Title = "A month of short usage lines (lmbench)"
	sc.Description = "busy-month's triad and faults but the master's, short checkouts, lmstat every 15 minutes: most of the bytes are the master's OUT and IN lines."
	var faults []sim.Fault
	for _, f := range sc.Faults {
		if f.Server != sc.Servers[0].Name {
			faults = append(faults, f)
		}
	}
	sc.Faults = faults
	sc.Lmstat.Interval = sim.Duration(15 * time.Minute)
	// 4400 checkouts an hour give about 355 MB: the bytes grow with the rate (the lmstat runs
	// list the licenses held, rate times hold).
	rate := 4400 * float64(size) / 355e6
	sc.Usage = sim.Usage{
		Features:  []sim.Feature{{Name: "bm_solver", Licenses: 40 + int(rate/10)}, {Name: "bm_pre", Licenses: 20 + int(rate/20)}, {Name: "bm_post", Licenses: 20 + int(rate/20)}},
		UserCount: 200,
		Rate:      rate,
		Hold:      sim.Duration(3 * time.Minute),
		Multi:     0.02,
	}
	return sc, nil
}

// inputs lists the month's evidence files (not truth.json, README.md or the scenario) and counts
// their bytes and lines.
func (m *month) inputs() error {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == "truth.json" || strings.HasSuffix(n, ".md") || strings.HasSuffix(n, ".json") {
			continue
		}
		path := filepath.Join(m.dir, n)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		var size int64
		for {
			k, err := f.Read(buf)
			size += int64(k)
			m.lines += int64(bytes.Count(buf[:k], []byte{'\n'}))
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Close()
				return err
			}
		}
		f.Close()
		m.files = append(m.files, path)
		m.bytes += size
		m.largest = max(m.largest, size)
	}
	if len(m.files) == 0 {
		return fmt.Errorf("%s: no input files", m.dir)
	}
	return nil
}

// quiet waits until the load average is under -max-load (at most -wait) and returns it.
func (c *config) quiet() float64 {
	deadline := time.Now().Add(c.wait)
	for {
		l := loadAvg()
		if c.maxLoad <= 0 || l < c.maxLoad || time.Now().After(deadline) {
			return l
		}
		fmt.Fprintf(c.stderr, "load average %.2f (over %.2f): waiting ...\n", l, c.maxLoad)
		time.Sleep(30 * time.Second)
	}
}

// runs are the figures of one command's runs.
type runs struct {
	name   string
	wall   []time.Duration
	cpu    []time.Duration
	maxRSS int64 // KiB, the largest of the runs
}

func (r *runs) add(wall, cpu time.Duration, rss int64) {
	r.wall, r.cpu, r.maxRSS = append(r.wall, wall), append(r.cpu, cpu), max(r.maxRSS, rss)
}

func median[T int64 | float64 | time.Duration](xs []T) T {
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// compare runs lmtriad, grep -c . and wc -l in turn on a month.
func (c *config) compare(w io.Writer, m *month) error {
	load := c.quiet()
	warm(m.files)
	cmds := []struct {
		name string
		argv []string
		n    int
	}{
		{"lmtriad analyze --format json", append([]string{c.bin, "analyze", "--tz", "UTC", "--format", "json"}, m.dir), c.runs},
		{"grep -c .", append([]string{"grep", "-c", "."}, m.files...), c.runs},
		{"wc -l", append([]string{"wc", "-l"}, m.files...), c.runs},
	}
	if c.lnav {
		cmds = append(cmds, struct {
			name string
			argv []string
			n    int
		}{"lnav -n (headless)", append([]string{"lnav", "-n"}, m.files...), c.lnavRuns})
	}
	rs := make([]*runs, len(cmds))
	for i, cmd := range cmds {
		rs[i] = &runs{name: cmd.name}
	}
	for k := 0; k < c.runs; k++ {
		for i, cmd := range cmds {
			if k >= cmd.n {
				continue
			}
			fmt.Fprintf(c.stderr, "%s: %s (%d/%d) ...\n", m.name, cmd.name, k+1, cmd.n)
			wall, cpu, rss, err := measure(cmd.argv, c.out)
			if err != nil {
				return fmt.Errorf("%s: %v", cmd.name, err)
			}
			rs[i].add(wall, cpu, rss)
		}
	}
	after := loadAvg()
	var ratios []float64
	for k := range rs[0].wall {
		ratios = append(ratios, rs[0].wall[k].Seconds()/rs[1].wall[k].Seconds())
	}
	lm := rs[0]
	m.lm = lm
	fmt.Fprintf(w, "\n### The %s: %s\n\n", m.title, m.describe())
	fmt.Fprintf(w, "Page cache warm; load average %.2f before, %.2f after; medians of %d runs, in turn.\n\n", load, after, c.runs)
	fmt.Fprintln(w, "| command | runs | median wall | MB/s | median CPU | peak RSS | vs lmtriad |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|")
	for _, r := range rs {
		med := median(r.wall)
		vs := "1"
		if r != lm {
			vs = fmt.Sprintf("%.2fx", med.Seconds()/median(lm.wall).Seconds())
		}
		fmt.Fprintf(w, "| `%s` | %d | %.3f s | %.0f | %.3f s | %.1f MB | %s |\n", r.name, len(r.wall), med.Seconds(),
			float64(m.bytes)/1e6/med.Seconds(), median(r.cpu).Seconds(), float64(r.maxRSS)/1024, vs)
	}
	sort.Float64s(ratios)
	fmt.Fprintf(w, "\nlmtriad takes %.2fx the time of `grep -c .` (median of the run-by-run ratios; from %.2fx to %.2fx; target: at most 2x), "+
		"with the SHA-256 of every input byte. Its CPU time: %.0f ns a line; cores used: %.2f; peak resident memory %.1f MB (target: at most 64 MB).\n",
		median(ratios), ratios[0], ratios[len(ratios)-1], float64(median(lm.cpu).Nanoseconds())/float64(m.lines),
		median(lm.cpu).Seconds()/median(lm.wall).Seconds(), float64(lm.maxRSS)/1024)
	return nil
}

// memory runs lmtriad on smaller months, to show that its memory stays flat.
func (c *config) memory(w io.Writer, months []*month) error {
	fmt.Fprintln(w, "\n### Memory with the input's size\n\n| input | lmtriad median wall | peak RSS |\n|---|--:|--:|")
	for _, a := range c.also {
		kind, size, ok := strings.Cut(strings.TrimSpace(a), ":")
		if !ok || kind != "busy" && kind != "usage" {
			return fmt.Errorf("-also: %q is not busy:SIZE or usage:SIZE", a)
		}
		m, err := c.render(kind, size)
		if err != nil {
			return err
		}
		c.quiet()
		warm(m.files)
		r := &runs{}
		for k := 0; k < c.runs; k++ {
			fmt.Fprintf(c.stderr, "%s: lmtriad (%d/%d) ...\n", m.name, k+1, c.runs)
			wall, cpu, rss, err := measure(append([]string{c.bin, "analyze", "--tz", "UTC", "--format", "json"}, m.dir), c.out)
			if err != nil {
				return err
			}
			r.add(wall, cpu, rss)
		}
		fmt.Fprintf(w, "| %s, %.0f MB | %.3f s | %.1f MB |\n", m.title, float64(m.bytes)/1e6, median(r.wall).Seconds(), float64(r.maxRSS)/1024)
	}
	for _, m := range months {
		fmt.Fprintf(w, "| %s, %.0f MB | %.3f s | %.1f MB |\n", m.title, float64(m.bytes)/1e6, median(m.lm.wall).Seconds(), float64(m.lm.maxRSS)/1024)
	}
	return nil
}

// where reads a month in-process, runs times, and shows where the time goes.
func (c *config) where(w io.Writer, m *month) error {
	c.quiet()
	warm(m.files)
	var read, hash, readOnly, split, parse, fold, rd, an, rend, wall, cpu []time.Duration
	var lines int64
	for k := 0; k < c.runs; k++ {
		fmt.Fprintf(c.stderr, "%s: in-process (%d/%d) ...\n", m.name, k+1, c.runs)
		// What splitting costs at least: finding every newline, one by one, on one core; less
		// what reading alone costs.
		t0 := time.Now()
		if err := eachBlock(m.files, func(b []byte) {}); err != nil {
			return err
		}
		readOnly = append(readOnly, time.Since(t0))
		t0 = time.Now()
		if err := eachBlock(m.files, func(b []byte) {
			for {
				i := bytes.IndexByte(b, '\n')
				if i < 0 {
					break
				}
				b = b[i+1:]
			}
		}); err != nil {
			return err
		}
		split = append(split, max(0, time.Since(t0)-readOnly[len(readOnly)-1]))

		// lmtriad's own run, as analyze --format json does it.
		var tr parser.Trace
		cpu0 := cpuTime()
		t0 = time.Now()
		files, err := parser.ReadPaths([]string{m.dir}, parser.Options{Location: time.UTC, Trace: &tr})
		if err != nil {
			return err
		}
		t1 := time.Now()
		rep, err := analyze.Analyze(files, analyze.Config{Location: time.UTC})
		if err != nil && rep == nil {
			return err
		}
		t2 := time.Now()
		if err := report.JSON(io.Discard, rep, report.Options{Location: time.UTC}, false); err != nil {
			return err
		}
		t3 := time.Now()
		cpu = append(cpu, cpuTime()-cpu0)
		wall = append(wall, t3.Sub(t0))
		rd, an, rend = append(rd, t1.Sub(t0)), append(an, t2.Sub(t1)), append(rend, t3.Sub(t2))
		read, hash, parse, fold = append(read, tr.Read), append(hash, tr.Hash), append(parse, tr.Parse), append(fold, tr.Fold)
		lines = 0
		for _, f := range files {
			lines += int64(f.Lines)
		}
	}
	fmt.Fprintf(w, "\nThe %s (%.0f MB, %.2f million lines):\n\n", m.title, float64(m.bytes)/1e6, float64(lines)/1e6)
	fmt.Fprintln(w, "| stage | time | per line |\n|---|--:|--:|")
	for _, s := range []struct {
		name string
		d    time.Duration
	}{
		{"read: the copy out of the page cache (lmtriad's reader)", median(read)},
		{"hash: SHA-256 of every byte (lmtriad's hasher, a goroutine of its own)", median(hash)},
		{"split: every newline found, no more (a plain loop on one core, less reading)", median(split)},
		{"parse: split and classify (lmtriad's workers, all together)", median(parse)},
		{"classify: parse less split", max(0, median(parse)-median(split))},
		{"fold: the lines into each file's state (lmtriad's consumer)", median(fold)},
		{"read every file (wall)", median(rd)},
		{"analyse", median(an)},
		{"render the JSON report", median(rend)},
		{"all (wall)", median(wall)},
		{"all (CPU time of the process)", median(cpu)},
	} {
		fmt.Fprintf(w, "| %s | %.3f s | %.1f ns |\n", s.name, s.d.Seconds(), float64(s.d.Nanoseconds())/float64(lines))
	}
	return nil
}

// eachBlock reads the files in 1 MiB blocks and calls fn with each (a block may end inside a
// line: fn counts what it needs on its own).
func eachBlock(files []string, fn func([]byte)) error {
	buf := make([]byte, 1<<20)
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		for {
			n, err := io.ReadFull(f, buf)
			fn(buf[:n])
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				f.Close()
				return err
			}
		}
		f.Close()
	}
	return nil
}

func warm(files []string) {
	for _, f := range files {
		if b, err := os.Open(f); err == nil {
			io.Copy(io.Discard, b)
			b.Close()
		}
	}
}

// measure runs argv with stdout to a file (with stdout on /dev/null GNU grep stops at the
// first match) and returns its wall time, CPU time and peak resident memory (KiB).
func measure(argv []string, out string) (time.Duration, time.Duration, int64, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, 0, 0, err
	}
	defer f.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = f
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Env = append(os.Environ(), "TERM=dumb", "HOME="+filepath.Dir(out))
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return 0, 0, 0, err
	}
	if cmd.ProcessState == nil {
		return 0, 0, 0, fmt.Errorf("no process state: %s", errb.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		rss = ru.Maxrss
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss, nil
}

// cpuTime is this process's CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg is the 1-minute load average (0 when unknown).
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	l, _ := strconv.ParseFloat(f[0], 64)
	return l
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return "unknown CPU"
}

func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "memory unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return fmt.Sprintf("%.0f GiB of memory", kb/(1<<20))
		}
	}
	return "memory unknown"
}

func installLnav(stderr io.Writer) error {
	if _, err := exec.LookPath("lnav"); err == nil {
		return nil
	}
	fmt.Fprintln(stderr, "installing lnav ...")
	if err := sh(stderr, "apt-get", "install", "-y", "lnav"); err != nil {
		sh(stderr, "apt-get", "update")
		if err := sh(stderr, "apt-get", "install", "-y", "lnav"); err != nil {
			return fmt.Errorf("lnav: %v (leave out -lnav)", err)
		}
	}
	return nil
}

func sh(stderr io.Writer, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	return cmd.Run()
}
