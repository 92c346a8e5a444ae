// Command lmbench measures lmtriad against the floor of touching every byte (grep -c ., wc -l)
// and against lnav, the tool a user would otherwise pick to merge logs, on the same files, and
// prints the medians and ratios as a Markdown table (the README's Performance section).
//
// Usage (from the repository's top):
//
//	go run ./cmd/lmbench                      # a month of a busy triad, about 1 GB
//	go run ./cmd/lmbench -size 128MB -runs 5  # a smaller one (the month's lmstat alone is ~40 MB)
//
// It builds lmtriad, renders the big incident with `lmtriad simulate --big SIZE`, warms the page
// cache, then runs each command several times (lnav fewer: it is slow) and reports the median
// wall time, the peak resident memory and the CPU time over wall time (cores used). lnav is
// installed with apt-get when it is missing (as root); -skip-lnav leaves it out.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "lmbench:", err)
		os.Exit(1)
	}
}

type result struct {
	name    string
	wall    []time.Duration
	maxRSS  int64 // KiB, the largest of the runs
	cpu     []time.Duration
	outSize int64
}

func (r result) median() time.Duration {
	w := append([]time.Duration(nil), r.wall...)
	sort.Slice(w, func(i, j int) bool { return w[i] < w[j] })
	return w[len(w)/2]
}

func (r result) cores() float64 {
	var c, w time.Duration
	for i := range r.wall {
		c += r.cpu[i]
		w += r.wall[i]
	}
	return c.Seconds() / w.Seconds()
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lmbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := fs.String("size", "1GB", "size of the big incident's logs (e.g. 100MB, 1GB)")
	dir := fs.String("dir", filepath.Join(os.TempDir(), "lmbench"), "work directory (the incident is kept there between runs)")
	runs := fs.Int("runs", 5, "runs of each command (the median is reported)")
	lnavRuns := fs.Int("lnav-runs", 1, "runs of lnav (slow)")
	skipLnav := fs.Bool("skip-lnav", false, "leave lnav out")
	also := fs.String("also", "128MB", "smaller sizes to run lmtriad on too, comma-separated, to show that its memory does not grow with the input (empty: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bytesWanted, err := parseSize(*size)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(*dir, "lmtriad")
	fmt.Fprintln(stderr, "building lmtriad ...")
	if err := sh(stderr, "go", "build", "-o", bin, "./cmd/lmtriad"); err != nil {
		return err
	}
	inc := filepath.Join(*dir, "incident-"+*size)
	if _, err := os.Stat(filepath.Join(inc, "truth.json")); err != nil {
		fmt.Fprintf(stderr, "rendering a %s incident into %s ...\n", *size, inc)
		os.RemoveAll(inc)
		if err := sh(stderr, bin, "simulate", "--big", strconv.FormatInt(bytesWanted, 10), "-o", inc, "busy-month"); err != nil {
			return err
		}
	}
	files, total, err := inputs(inc)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d files, %.0f MB; warming the page cache ...\n", len(files), float64(total)/1e6)
	for _, f := range files {
		b, _ := os.Open(f)
		io.Copy(io.Discard, b)
		b.Close()
	}
	if !*skipLnav {
		if _, err := exec.LookPath("lnav"); err != nil {
			fmt.Fprintln(stderr, "installing lnav ...")
			if err := sh(stderr, "apt-get", "install", "-y", "lnav"); err != nil {
				sh(stderr, "apt-get", "update")
				if err := sh(stderr, "apt-get", "install", "-y", "lnav"); err != nil {
					return fmt.Errorf("lnav: %v (use -skip-lnav)", err)
				}
			}
		}
	}
	out := filepath.Join(*dir, "out")
	cmds := []struct {
		name string
		argv []string
		n    int
	}{
		{"lmtriad analyze --format json", append([]string{bin, "analyze", "--tz", "UTC", "--format", "json"}, inc), *runs},
		{"grep -c .", append([]string{"grep", "-c", "."}, files...), *runs},
		{"wc -l", append([]string{"wc", "-l"}, files...), *runs},
	}
	if !*skipLnav {
		cmds = append(cmds, struct {
			name string
			argv []string
			n    int
		}{"lnav -n (headless)", append([]string{"lnav", "-n"}, files...), *lnavRuns})
	}
	var results []result
	for _, c := range cmds {
		r := result{name: c.name}
		for i := 0; i < c.n; i++ {
			fmt.Fprintf(stderr, "%s (%d/%d) ...\n", c.name, i+1, c.n)
			wall, cpu, rss, n, err := measure(c.argv, out)
			if err != nil {
				return fmt.Errorf("%s: %v", c.name, err)
			}
			r.wall, r.cpu = append(r.wall, wall), append(r.cpu, cpu)
			r.maxRSS, r.outSize = max(r.maxRSS, rss), n
		}
		results = append(results, r)
	}
	report(stdout, results, total, len(files))
	if *also != "" {
		fmt.Fprintln(stdout, "\n| input | lmtriad median wall | peak RSS |")
		fmt.Fprintln(stdout, "|---|--:|--:|")
		for _, sz := range strings.Split(*also, ",") {
			small := filepath.Join(*dir, "incident-"+sz)
			if _, err := os.Stat(filepath.Join(small, "truth.json")); err != nil {
				n, err := parseSize(sz)
				if err != nil {
					return err
				}
				os.RemoveAll(small)
				if err := sh(stderr, bin, "simulate", "--big", strconv.FormatInt(n, 10), "-o", small, "busy-month"); err != nil {
					return err
				}
			}
			_, st, err := inputs(small)
			if err != nil {
				return err
			}
			r := result{name: "lmtriad"}
			for i := 0; i < *runs; i++ {
				wall, cpu, rss, _, err := measure([]string{bin, "analyze", "--tz", "UTC", "--format", "json", small}, out)
				if err != nil {
					return err
				}
				r.wall, r.cpu, r.maxRSS = append(r.wall, wall), append(r.cpu, cpu), max(r.maxRSS, rss)
			}
			fmt.Fprintf(stdout, "| %.0f MB | %.2f s | %.1f MB |\n", float64(st)/1e6, r.median().Seconds(), float64(r.maxRSS)/1024)
		}
		fmt.Fprintf(stdout, "| %.0f MB | %.2f s | %.1f MB |\n", float64(total)/1e6, results[0].median().Seconds(), float64(results[0].maxRSS)/1024)
	}
	return nil
}

// measure runs argv with stdout to a file (with stdout on /dev/null GNU grep stops at the
// first match) and returns its wall time, CPU time, peak resident memory (KiB) and output size.
func measure(argv []string, out string) (time.Duration, time.Duration, int64, int64, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, 0, 0, 0, err
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
		return 0, 0, 0, 0, err
	}
	if cmd.ProcessState == nil {
		return 0, 0, 0, 0, fmt.Errorf("no process state: %s", errb.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var rss int64
	if ru != nil {
		rss = ru.Maxrss
	}
	st, _ := f.Stat()
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss, st.Size(), nil
}

func report(w io.Writer, rs []result, total int64, files int) {
	fmt.Fprintf(w, "Input: %d files, %.0f MB. Machine: %d cores (%s/%s), %s. Median of the runs, page cache warm.\n\n",
		files, float64(total)/1e6, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, cpuModel())
	fmt.Fprintln(w, "| command | runs | median wall | MB/s | peak RSS | cores used | vs lmtriad |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|")
	base := rs[0].median()
	for _, r := range rs {
		m := r.median()
		fmt.Fprintf(w, "| `%s` | %d | %.2f s | %.0f | %.1f MB | %.2f | %s |\n", r.name, len(r.wall), m.Seconds(),
			float64(total)/1e6/m.Seconds(), float64(r.maxRSS)/1024, r.cores(), ratio(m, base))
	}
	fmt.Fprintln(w)
	for _, r := range rs[1:] {
		switch {
		case strings.HasPrefix(r.name, "grep"):
			fmt.Fprintf(w, "lmtriad takes %.2fx the time of `grep -c .` (target: at most 3x).\n", base.Seconds()/r.median().Seconds())
		case strings.HasPrefix(r.name, "lnav"):
			fmt.Fprintf(w, "lmtriad is %.0fx faster than lnav (target: at least 50x).\n", r.median().Seconds()/base.Seconds())
		}
	}
	fmt.Fprintf(w, "lmtriad's peak resident memory: %.1f MB (target: at most 64 MB); cores used: %.2f.\n", float64(rs[0].maxRSS)/1024, rs[0].cores())
}

func ratio(m, base time.Duration) string {
	if m == base {
		return "1"
	}
	return fmt.Sprintf("%.2fx", m.Seconds()/base.Seconds())
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

// inputs lists the incident's evidence files (not truth.json or README.md) and their size.
func inputs(dir string) ([]string, int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	var files []string
	var total int64
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == "truth.json" || strings.HasSuffix(n, ".md") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, 0, err
		}
		files = append(files, filepath.Join(dir, n))
		total += info.Size()
	}
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("%s: no input files", dir)
	}
	return files, total, nil
}

func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, x := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if strings.HasSuffix(u, x.suffix) {
			u, mult = strings.TrimSuffix(u, x.suffix), x.m
			break
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("-size %s: not a size such as 100MB or 1GB", s)
	}
	return int64(n * float64(mult)), nil
}

func sh(stderr io.Writer, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	return cmd.Run()
}
