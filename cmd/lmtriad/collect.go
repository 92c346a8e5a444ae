package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// collectCmd is "lmtriad collect": an lmstat snapshot every --every, appended to one file a day
// with a stamp line before each, so that the next incident has the evidence lmtriad reads best
// (TRIAD.md section 2).
type collectCmd struct {
	Servers string        `short:"c" required:"" placeholder:"LIST" help:"The servers to ask, as lmutil lmstat -c takes them: PORT@H1,PORT@H2,PORT@H3 (or a license file)."`
	Output  string        `short:"o" required:"" placeholder:"DIR" help:"Append the snapshots to DIR/lmstat-YYYY-MM-DD.log (this machine's local date). DIR is created owner-only (0700), the files 0600."`
	Every   time.Duration `default:"60s" placeholder:"D" help:"Poll every D (at least 1s; default ${default}), on a fixed schedule: start + k x D."`
	Timeout time.Duration `default:"30s" placeholder:"D" help:"Kill lmutil, with its whole process group, when a poll takes longer than D (default ${default}); the poll is written as failed."`
	Lmutil  string        `default:"lmutil" placeholder:"PATH" help:"The lmutil program (default: lmutil on the PATH). It is run directly, never through a shell."`
	Once    bool          `help:"Take one poll, write it and exit (for cron or the Windows Task Scheduler)."`
	Keep    keepFlag      `default:"90d" placeholder:"AGE" help:"Remove the lmstat-YYYY-MM-DD.log files of days that ended more than AGE ago (default ${default}; e.g. 30d, 36h; 0 keeps every file)."`
}

// Help is the longer text of "lmtriad collect --help".
func (c *collectCmd) Help() string {
	return `Poll the triad with "lmutil lmstat -a -c LIST" every --every and append each run to
DIR/lmstat-YYYY-MM-DD.log: a stamp line "# <RFC 3339 time with offset>" and lmutil's output, in
one write per poll, synced to disk. That is the lmstat input lmtriad analyze and lmtriad check read
best. lmutil and its arguments are never passed through a shell.

A poll that fails (lmutil cannot be run, exits with an error and prints no status, or outlives
--timeout and is killed with its process group) still writes its stamp and an "Error getting
status: <what happened>" line, so that the analysis sees a gap, not silence; it is said on
standard error too, and the next poll comes on schedule. Polls keep a fixed schedule (start + k x
--every) and never overlap: a slot missed because a poll ran long is said on standard error and
skipped, never made up by a burst.

SIGINT or SIGTERM stops collect after the current poll is written (a second one kills lmutil at
once and writes that poll as interrupted). Started again, it appends. Two collectors never write
into one DIR (it holds a lock, DIR/.lmtriad-collect.lock). --keep removes old days' files after
each change of date.

Exit codes: 0 stopped by SIGINT or SIGTERM, or --once wrote its poll (whether lmutil answered or
not); 2 usage error, lmutil not found, DIR used by another collector, or a poll that could not be
written (a full disk, no permission): collect stops with the error on standard error rather than
lose polls silently.`
}

// keepFlag is --keep: a duration, or a number of days ("90d").
type keepFlag time.Duration

func (k *keepFlag) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 100*366 {
			return fmt.Errorf("%q: not a number of days (e.g. 90d)", s)
		}
		*k = keepFlag(time.Duration(days) * 24 * time.Hour)
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("%q: not a number of days or a duration (e.g. 90d, 36h, 0)", s)
	}
	*k = keepFlag(d)
	return nil
}

// String prints the age as days when it is whole days.
func (k keepFlag) String() string {
	d := time.Duration(k)
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

const (
	lockName     = ".lmtriad-collect.lock"
	maxOutput    = 16 << 20 // lmutil's output kept per poll; lmstat -a of a big site is well under 1 MB
	maxErrOutput = 64 << 10
	waitDelay    = 5 * time.Second // after lmutil exits or is killed, how long its pipes may stay open
)

// errLocked: another collector holds the directory.
type errLocked struct{ holder string }

func (e errLocked) Error() string {
	if e.holder != "" {
		return "another lmtriad collect (process " + e.holder + ") is writing into this directory"
	}
	return "another lmtriad collect is writing into this directory"
}

func readHolder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	s := strings.TrimSpace(string(b[:n]))
	if _, err := strconv.Atoi(s); err != nil {
		return ""
	}
	return s
}

func writeHolder(f *os.File) {
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
}

func (c *collectCmd) check() error {
	switch {
	case strings.TrimSpace(c.Servers) == "":
		return usageError("-c: give the servers, e.g. -c 27001@server1,27001@server2,27001@server3")
	case strings.HasPrefix(c.Servers, "-"):
		return usageError("-c %s: a server list cannot start with '-' (lmutil would read it as an option)", c.Servers)
	case strings.ContainsAny(c.Servers, "\x00\r\n"):
		return usageError("-c: the server list holds a control character")
	case c.Every < time.Second:
		return usageError("--every %s: at least 1s", c.Every)
	case c.Timeout <= 0:
		return usageError("--timeout must be positive")
	case c.Output == "":
		return usageError("-o: give the directory to write into")
	}
	return nil
}

func (c *collectCmd) Run(e *env) error {
	if err := c.check(); err != nil {
		return err
	}
	lmutil, err := lookPath(c.Lmutil)
	if err != nil {
		return usageError("%v", err)
	}
	if err := os.MkdirAll(c.Output, 0o700); err != nil {
		return inputError(fmt.Errorf("-o %s: cannot create the directory: %v", c.Output, bare(err)))
	}
	unlock, err := lockDir(c.Output)
	if err != nil {
		return inputError(fmt.Errorf("-o %s: %v", c.Output, bare(err)))
	}
	defer unlock()
	soft, hard, stop := stopSignals(e.stderr)
	defer stop()
	col := &collector{
		dir: c.Output, lmutil: lmutil, args: []string{"lmstat", "-a", "-c", c.Servers},
		every: c.Every, timeout: c.Timeout, keep: time.Duration(c.Keep), once: c.Once,
		loc: time.Local, log: e.stderr, now: time.Now, sleep: sleepCtx,
	}
	return col.run(soft, hard)
}

// lookPath finds lmutil, saying what is wrong when it is not there.
func lookPath(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("--lmutil %s: %v (give its path with --lmutil PATH)", name, lookPathText(err))
	}
	return p, nil
}

// lookPathText says why lmutil was not found, without repeating its name.
func lookPathText(err error) string {
	var ee *exec.Error
	if errors.As(err, &ee) {
		err = ee.Err
	}
	if errors.Is(err, exec.ErrNotFound) {
		return "not found on the PATH"
	}
	return bare(err).Error()
}

// stopSignals: the first SIGINT or SIGTERM ends soft (stop once the current poll is written),
// a second one ends hard (kill lmutil now). stop releases the signals.
func stopSignals(log io.Writer) (soft, hard context.Context, stop func()) {
	soft, stopSoft := context.WithCancel(context.Background())
	hard, stopHard := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			fmt.Fprintf(log, "lmtriad collect: %v: stopping once the current poll is written\n", s)
			stopSoft()
		case <-done:
			return
		}
		select {
		case s := <-sigs:
			fmt.Fprintf(log, "lmtriad collect: %v again: killing lmutil\n", s)
			stopHard()
		case <-done:
		}
	}()
	return soft, hard, func() {
		signal.Stop(sigs)
		close(done)
		stopSoft()
		stopHard()
	}
}

// sleepCtx waits d, or until ctx ends (then it returns ctx's error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// collector takes the polls. Its clock, its sleep and the poll itself are fields, so that
// tests drive the schedule with a fake clock.
type collector struct {
	dir     string
	lmutil  string   // resolved path
	args    []string // lmstat -a -c LIST
	every   time.Duration
	timeout time.Duration
	keep    time.Duration // 0: keep every file
	once    bool
	loc     *time.Location // the collecting host's zone: stamps and file dates
	log     io.Writer
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	poll    func(ctx context.Context) poll // nil: run lmutil (runLmutil)

	cleaned string // the date cleanup last ran for
	polls   int
}

// poll is what one run of lmutil gave.
type poll struct {
	out     []byte // lmutil's output as written to the file; nil when none of it is kept
	problem string // why the poll failed, for "Error getting status: ..."; "" when lmutil answered
	note    string // said on standard error only
}

// run polls until soft ends (or once, with --once). An error is a poll that could not be
// written: collection stops rather than lose polls silently.
func (c *collector) run(soft, hard context.Context) error {
	if soft.Err() != nil {
		return nil
	}
	if !c.once {
		keep := "every file kept"
		if c.keep > 0 {
			keep = "files kept " + keepFlag(c.keep).String()
		}
		c.logf("every %s: %s %s >> %s (timeout %s, %s)", c.every, c.lmutil, strings.Join(c.args, " "),
			filepath.Join(c.dir, "lmstat-YYYY-MM-DD.log"), c.timeout, keep)
	}
	start := c.now()
	for k := int64(0); ; {
		at := c.now()
		p := c.take(hard)
		stamp := at.In(c.loc).Format(time.RFC3339)
		if p.problem != "" {
			c.logf("%s: Error getting status: %s", stamp, p.problem)
		}
		if p.note != "" {
			c.logf("%s: %s", stamp, p.note)
		}
		if err := c.write(at, record(at.In(c.loc), p)); err != nil {
			return inputError(fmt.Errorf("collect: cannot write the poll of %s: %v; collection stopped", stamp, err))
		}
		c.polls++
		c.cleanup(at)
		if c.once {
			return nil
		}
		if soft.Err() != nil {
			c.logf("stopped after %s", plural(c.polls, "poll", "polls"))
			return nil
		}
		// The next slot on the schedule that is not past: a poll that ran long makes the slots
		// it overran missed, not made up.
		now := c.now()
		next := k + 1
		if due := start.Add(time.Duration(next) * c.every); now.After(due) {
			j := int64(now.Sub(start) / c.every)
			if start.Add(time.Duration(j) * c.every).Before(now) {
				j++
			}
			c.logf("missed %s (from %s): the poll of %s took %s", plural(int(j-next), "poll", "polls"),
				due.In(c.loc).Format(time.RFC3339), stamp, now.Sub(at).Round(time.Millisecond))
			next = j
		}
		k = next
		if err := c.sleep(soft, start.Add(time.Duration(k)*c.every).Sub(now)); err != nil {
			c.logf("stopped after %s", plural(c.polls, "poll", "polls"))
			return nil
		}
	}
}

func (c *collector) logf(format string, a ...any) {
	fmt.Fprintf(c.log, "lmtriad collect: "+format+"\n", a...)
}

func (c *collector) take(hard context.Context) poll {
	if c.poll != nil {
		return c.poll(hard)
	}
	return c.runLmutil(hard)
}

// runLmutil runs lmutil once, killing it and its process group after --timeout or when hard
// ends, and says what it gave.
func (c *collector) runLmutil(hard context.Context) poll {
	ctx, cancel := context.WithTimeout(hard, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.lmutil, c.args...)
	out, errOut := &capped{max: maxOutput}, &capped{max: maxErrOutput}
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.WaitDelay = waitDelay
	release, err := startInGroup(cmd)
	if err != nil {
		return poll{problem: "cannot run " + c.lmutil + ": " + bare(err).Error()}
	}
	err = cmd.Wait()
	release()
	var why string
	switch {
	case hard.Err() != nil:
		why = "interrupted: lmutil was killed when lmtriad collect was stopped"
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		why = fmt.Sprintf("lmutil did not finish within %s (--timeout): killed with its process group", c.timeout)
	}
	return judge(out, errOut, err, why)
}

// judge says what a run of lmutil gave: its output when it holds an lmstat run (a header and a
// server status, or lmstat's own whole-run error), and else, or when the run was cut short
// (why), what went wrong.
func judge(out, errOut *capped, err error, why string) poll {
	b := out.b.Bytes()
	usable := hasStatus(b)
	p := poll{}
	if usable {
		p.out = b
	}
	if out.over {
		p.problem = fmt.Sprintf("lmutil printed more than %d MiB; the rest was dropped", maxOutput>>20)
	}
	var ee *exec.ExitError
	switch {
	case why != "":
		p.problem = why
	case errors.As(err, &ee):
		if usable {
			p.note = "lmutil ended with " + ee.String() + "; its lmstat output is kept"
			break
		}
		if e := lmstatError(b); e != "" {
			p.problem, p.note = e, "lmutil ended with "+ee.String()
			break
		}
		p.problem = "lmutil ended with " + ee.String() + said(errOut.b.Bytes(), b)
	case errors.Is(err, exec.ErrWaitDelay):
		p.note = "lmutil exited but something it started kept its output open; killed"
		if !usable && p.problem == "" {
			p.problem = "lmutil printed no lmstat status" + said(errOut.b.Bytes(), b)
		}
	case err != nil:
		p.problem = "lmutil: " + oneLine(err.Error())
	case !usable && p.problem == "":
		if e := lmstatError(b); e != "" {
			p.problem = e
		} else {
			p.problem = "lmutil printed no lmstat status" + said(errOut.b.Bytes(), b)
		}
	}
	return p
}

// hasStatus tells output that holds an lmstat run: a "Flexible License Manager status on"
// header and, after it, the server status list or a whole-run error.
func hasStatus(b []byte) bool {
	i := bytes.Index(b, []byte("Flexible License Manager status on "))
	if i < 0 {
		return false
	}
	rest := b[i:]
	return bytes.Contains(rest, []byte("License server status:")) || bytes.Contains(rest, []byte("lmgrd is not running:")) ||
		bytes.Contains(rest, []byte("Error getting status:"))
}

// lmstatError is the text of lmutil's own "Error getting status: ..." line, when it printed one.
func lmstatError(b []byte) string {
	for _, line := range bytes.Split(b, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("Error getting status: ")); ok {
			return oneLine(string(rest))
		}
	}
	return ""
}

// said is ": <the first line lmutil printed>" (standard error first), or "" when it printed nothing.
func said(errOut, out []byte) string {
	for _, b := range [][]byte{errOut, out} {
		for _, line := range bytes.Split(b, []byte("\n")) {
			if s := oneLine(string(line)); s != "" {
				return ": " + s
			}
		}
	}
	return ""
}

// oneLine makes s fit on one line of the file: control characters dropped, spaces folded, at
// most 300 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "..."
	}
	return s
}

// record is what one poll appends: the stamp line, the output kept, and the error line of a
// failed poll. Its line ends are lmutil's (CRLF on Windows).
func record(at time.Time, p poll) []byte {
	eol := "\n"
	if bytes.Contains(p.out, []byte("\r\n")) {
		eol = "\r\n"
	}
	b := make([]byte, 0, len(p.out)+128)
	b = append(b, "# "+at.Format(time.RFC3339)+eol...)
	if len(p.out) > 0 {
		b = append(b, p.out...)
		if p.out[len(p.out)-1] != '\n' {
			b = append(b, eol...)
		}
	}
	if p.problem != "" {
		b = append(b, "Error getting status: "+p.problem+eol...)
	}
	return b
}

// dayFile is the name of the file of at's date.
func dayFile(at time.Time) string { return "lmstat-" + at.Format("2006-01-02") + ".log" }

// write appends rec to the file of at's date in one write and syncs it. On an error the file is
// cut back to where it was, so that no half poll is left in it.
func (c *collector) write(at time.Time, rec []byte) error {
	name := filepath.Join(c.dir, dayFile(at.In(c.loc)))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrNotExist) { // the folder went away: made again, owner-only
		if err = os.MkdirAll(c.dir, 0o700); err == nil {
			f, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %v", name, bare(err))
	}
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	_, err = f.Write(rec)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		if size >= 0 {
			f.Truncate(size)
		}
		f.Close()
		return fmt.Errorf("%s: %v", name, bare(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %v", name, bare(err))
	}
	if size == 0 {
		syncDir(name) // a new file: its name is durable too
	}
	return nil
}

// cleanup removes, once a day, the day files that --keep no longer keeps: those of days that
// ended more than --keep before now. Only names of the form lmstat-YYYY-MM-DD.log are touched.
func (c *collector) cleanup(now time.Time) {
	if c.keep <= 0 {
		return
	}
	local := now.In(c.loc)
	today := local.Format("2006-01-02")
	if today == c.cleaned {
		return
	}
	c.cleaned = today
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		c.logf("--keep: cannot list %s: %v", c.dir, bare(err))
		return
	}
	for _, de := range entries {
		day, ok := fileDay(de.Name(), c.loc)
		if !ok || !de.Type().IsRegular() || day.AddDate(0, 0, 1).After(now.Add(-c.keep)) {
			continue
		}
		if err := os.Remove(filepath.Join(c.dir, de.Name())); err != nil {
			c.logf("--keep: cannot remove %s: %v", de.Name(), bare(err))
			continue
		}
		c.logf("removed %s (older than --keep %s)", de.Name(), keepFlag(c.keep))
	}
}

// fileDay reads the date of a day file's name, lmstat-YYYY-MM-DD.log: the start of that day in loc.
func fileDay(name string, loc *time.Location) (time.Time, bool) {
	s, ok := strings.CutPrefix(name, "lmstat-")
	if !ok {
		return time.Time{}, false
	}
	if s, ok = strings.CutSuffix(s, ".log"); !ok || len(s) != len("2006-01-02") {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// capped keeps the first max bytes written to it and drops the rest, never blocking the writer.
type capped struct {
	b    bytes.Buffer
	max  int
	over bool
}

func (w *capped) Write(p []byte) (int, error) {
	room := w.max - w.b.Len()
	if len(p) > room {
		w.over = true
		if room > 0 {
			w.b.Write(p[:room])
		}
		return len(p), nil
	}
	w.b.Write(p)
	return len(p), nil
}
