package parser

import (
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// Snapshot is one lmstat run: the server and vendor daemon lines printed under one
// "Flexible License Manager status on ..." header, or, for a paste of lmstat output without
// its header (File.Untimed), the lines it holds.
type Snapshot struct {
	Time  time.Time // the end of the printed minute (HH:MM:59), or the stamp line's time; zero for a paste
	Exact bool      // Time comes from a stamp line written just before the run
	Line  int       // line of the header; a paste's first line
	Text  string    // the header line; a paste's first line

	Listed     []string // hosts of "License server status: port@h1,port@h2,..." in order
	ListedLine int      // the line of that list
	Servers    []ServerLine
	Vendors    []VendorLine

	NotRunning *Problem // "lmgrd is not running: ...": no listed server answered
	Failed     *Problem // "Error getting status: ...": the run failed as a whole
}

// Run is one lmstat run. What it said is Snapshots[Snap]: a month of runs a minute apart
// mostly repeats itself, so runs that say the same as the one before share that snapshot.
// Its lines are the shared snapshot's, shifted by Line - Snapshots[Snap].Line.
type Run struct {
	Time  time.Time
	Exact bool   // the time comes from a stamp line
	Line  int    // the line of its header
	Text  string // its header line
	Snap  int    // index into File.Snapshots
}

// RunSnapshots spells every run out as a snapshot of its own: its time, header and lines
// (for tests and small files; a long file shares snapshots between runs to stay small).
func (f *File) RunSnapshots() []Snapshot {
	out := make([]Snapshot, 0, len(f.Runs))
	for _, r := range f.Runs {
		s := f.Snapshots[r.Snap]
		d := r.Line - s.Line
		s.Time, s.Exact, s.Line, s.Text = r.Time, r.Exact, r.Line, r.Text
		if s.ListedLine != 0 {
			s.ListedLine += d
		}
		s.Servers = append([]ServerLine(nil), s.Servers...)
		for i := range s.Servers {
			s.Servers[i].Line += d
		}
		s.Vendors = append([]VendorLine(nil), s.Vendors...)
		for i := range s.Vendors {
			s.Vendors[i].Line += d
		}
		if s.NotRunning != nil {
			p := *s.NotRunning
			p.Line += d
			s.NotRunning = &p
		}
		if s.Failed != nil {
			p := *s.Failed
			p.Line += d
			s.Failed = &p
		}
		out = append(out, s)
	}
	return out
}

// Failed tells a run that failed as a whole (Error getting status).
func (f *File) Failed(r Run) bool { return f.Snapshots[r.Snap].Failed != nil }

// ServerStatus is what an lmstat server line says.
type ServerStatus uint8

// Server line statuses.
const (
	ServerUp    ServerStatus = iota // "license server UP"
	ServerError                     // an error text with its code
)

// ServerLine is one "HOST: license server UP (MASTER) v11.13" or "HOST: <error> (-96,7)" line.
type ServerLine struct {
	Name    string // trimmed of lmstat's right-justifying spaces
	Status  ServerStatus
	Master  bool
	Version string
	Code    Code // for ServerError
	Line    int
	Text    string
}

// VendorLine is one vendor daemon status line: "bm: UP v10.8" or "bm: <error> (-97,121)".
type VendorLine struct {
	Name string
	Up   bool
	Code Code
	On   string // the host of "Vendor daemon status (on HOST):"
	Line int
	Text string
}

// Problem is a whole-run failure line with its error code.
type Problem struct {
	Code Code
	Line int
	Text string
}

type lmstatSection uint8

const (
	secNone     lmstatSection = iota
	secHeader                 // after the header, before the server status line
	secServers                // server lines
	secVendors                // vendor daemon lines
	secFeatures               // feature usage: recognised, not needed
	secLicenseI               // lmstat -i table
	secUndated                // the output of a run without a date it can be placed at: recognised, not used
	secLmdown                 // the output of lmutil lmdown
)

type lmstatState struct {
	lastRun   time.Time // the time of the run before (DST order)
	headed    bool      // a header was seen: output without one after it is not a paste
	prev      int       // the line of the last line that was not blank
	copyAt    int       // the line of the last copyright line
	down      *Stop     // lmdown output being read, until the line that says the servers shut down
	waiting   []int     // indexes into File.Stops of stops waiting for the run after them
	spare     *Snapshot // a run never kept, to be reused
	strs      map[string]string
	f         *File
	loc       *time.Location
	cur       *Snapshot
	sec       lmstatSection
	stamp     time.Time // a stamp line waiting for its header
	stampAt   int
	stampText string
	on        string
	opt       Options
	sus       lmSuspect // a run dated more than a day after the runs before it, until the next run
}

// lmSuspect is a run dated more than a day after every run before it (see lmstatState.outlier),
// and the file's state before it, to go back to should the next run show its date was wrong.
type lmSuspect struct {
	set         bool
	line        int       // of its header
	time        time.Time // its time
	run, snaps  int       // len(File.Runs) and len(File.Snapshots) before it
	first, last time.Time // File.First and File.Last before it
	lastRun     time.Time
}

func readLmstat(r io.Reader, tap *hashTap, f *File, opt Options) error {
	st := &lmstatState{f: f, loc: opt.loc(), opt: opt}
	n := 0
	err := pipeline(r, tap, opt.Trace, parseLmstatBlock, func(b *batch) {
		for _, l := range b.lines {
			if l.plain && (st.sec == secFeatures || st.sec == secLicenseI || st.sec == secUndated) {
				// feature usage: recognised, not needed (a run of plain lines leaves the section as it is)
				n += int(l.lines)
				f.Lines += int(l.lines)
				f.Recognized += int(l.lines)
				continue
			}
			if l.lines == 1 {
				n++
				st.read(n, b.data[l.start:l.end], l.flags, l.plain)
				continue
			}
			for text := b.data[l.start:l.end]; ; { // plain lines elsewhere: one by one
				line, rest, more := bytes.Cut(text, []byte("\n"))
				n++
				st.read(n, bytes.TrimRight(line, "\r"), 0, true)
				if !more {
					break
				}
				text = rest
			}
		}
	})
	f.nulDone()
	st.end()
	return err
}

// read reads line n (plain: see lmLine).
func (st *lmstatState) read(n int, line []byte, flags uint8, plain bool) {
	f := st.f
	f.countLine(n, flags)
	if plain && (st.sec == secFeatures || st.sec == secLicenseI || st.sec == secUndated) {
		f.Recognized++ // feature usage: recognised, not needed
		return
	}
	sec := st.sec
	if st.line(n, line) {
		f.Recognized++
	} else if sec == secServers {
		f.Unrecognized++
		f.lmstatSuspect(n, line) // one warning for them all, with samples (TRIAD.md 3)
	} else {
		f.Unrecognized++
		f.warn(n, msg.New("warn.line.not-lmstat", "text", excerpt(bytes.TrimSpace(line))))
	}
}

// end closes the current run: a run that says the same as the one before shares its snapshot.
func (st *lmstatState) end() {
	c := st.cur
	st.cur = nil
	if c == nil {
		return
	}
	f := st.f
	if c.Time.IsZero() {
		// A paste: no time, and none of the file's span.
		run := Run{Line: c.Line, Text: c.Text, Snap: len(f.Snapshots)}
		f.Snapshots = append(f.Snapshots, *c)
		f.Untimed = append(f.Untimed, run)
		return
	}
	for _, k := range st.waiting {
		f.Stops[k].Next = c.Time
	}
	st.waiting = st.waiting[:0]
	if c.Time.After(st.lastRun) {
		st.lastRun = c.Time
	}
	if f.First.IsZero() || c.Time.Before(f.First) {
		f.First = c.Time
	}
	if c.Time.After(f.Last) {
		f.Last = c.Time
	}
	run := Run{Time: c.Time, Exact: c.Exact, Line: c.Line, Text: c.Text, Snap: len(f.Snapshots)}
	if n := len(f.Snapshots); n > 0 && sameRun(&f.Snapshots[n-1], c) {
		run.Snap = n - 1
		st.spare = c // never kept: its slices are reused
	} else {
		f.Snapshots = append(f.Snapshots, *c)
	}
	f.Runs = append(f.Runs, run)
}

// sameRun tells two runs that say the same of every server and vendor daemon.
func sameRun(a, b *Snapshot) bool {
	if (a.Failed == nil) != (b.Failed == nil) || (a.NotRunning == nil) != (b.NotRunning == nil) ||
		len(a.Servers) != len(b.Servers) || len(a.Vendors) != len(b.Vendors) || len(a.Listed) != len(b.Listed) {
		return false
	}
	if a.Failed != nil && a.Failed.Code != b.Failed.Code || a.NotRunning != nil && a.NotRunning.Code != b.NotRunning.Code {
		return false
	}
	for i := range a.Servers {
		x, y := &a.Servers[i], &b.Servers[i]
		if x.Name != y.Name || x.Status != y.Status || x.Master != y.Master || x.Code != y.Code || x.Version != y.Version {
			return false
		}
	}
	for i := range a.Vendors {
		x, y := &a.Vendors[i], &b.Vendors[i]
		if x.Name != y.Name || x.Up != y.Up || x.Code != y.Code || x.On != y.On {
			return false
		}
	}
	for i := range a.Listed {
		if a.Listed[i] != b.Listed[i] {
			return false
		}
	}
	return true
}

// line handles one line and reports whether it was recognised.
func (st *lmstatState) line(n int, raw []byte) bool {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return true
	}
	prev := st.prev // the line before that was not blank
	st.prev = n
	if st.sec == secUndated && !bytes.HasPrefix(t, []byte("Flexible License Manager status on ")) && !isCopyright(t) && !isStamp(t) &&
		lmdownLine(t) == ldNone {
		return true // the output of a run that cannot be placed, up to the next run
	}
	// Lines recognised anywhere.
	if st.sec == secFeatures || st.sec == secLicenseI {
		// Inside feature usage every line belongs to lmstat; a new run, another license file's
		// block (after a line of dashes), another vendor daemon's status line or lmdown's
		// output end it.
		if !bytes.HasPrefix(t, []byte("Flexible License Manager status on ")) && !isCopyright(t) && !isStamp(t) &&
			!isSeparator(t) && !bytes.HasPrefix(t, []byte("License server status: ")) &&
			!(st.sec == secFeatures && isVendorLine(t)) && lmdownLine(t) == ldNone {
			return true
		}
		if st.sec == secFeatures && isVendorLine(t) {
			st.sec = secVendors
		}
	}
	// The section lines of every run: no string needed.
	switch {
	case bytes.HasPrefix(t, []byte("Users of ")), bytes.HasPrefix(t, []byte("Feature usage info:")):
		if st.cur != nil {
			st.sec = secFeatures
			return true
		}
	case bytes.HasPrefix(t, []byte("License file(s) on ")), bytes.Equal(t, []byte("[Detecting lmgrd processes...]")):
		return true
	}
	if k := lmdownLine(t); k != ldNone || (st.sec == secLmdown && st.down != nil && isLmdownList(t)) {
		return st.lmdown(n, prev, k, t)
	}
	s := string(t)
	switch {
	case isStamp(t):
		v := strings.TrimSpace(strings.TrimPrefix(s, "#"))
		ts, _, _ := isoTime(v)
		if why := st.opt.implausible(ts.In(st.loc), v); !why.IsZero() {
			st.f.warn(n, why)
			ts = time.Time{}
		}
		// The stamp tells the zone beside the header's local time of the same moment (see
		// header), not by the offset it happens to be written in: a collector may write UTC.
		// A stamp starts the next run: the run before it has ended (a collector's failed poll
		// that follows has no header of its own).
		st.end()
		st.stamp, st.stampAt, st.stampText = ts, n, s
		st.sec = secNone
		return true
	case isCopyright(t), s == "lmstat", strings.HasPrefix(s, "lmstat v"), s == "[Detecting lmgrd processes...]":
		if isCopyright(t) {
			st.sec = secNone
			st.copyAt = n
		}
		return true
	case strings.HasPrefix(s, "Flexible License Manager status on "):
		st.end()
		st.header(n, s)
		return true
	case strings.HasPrefix(s, "NOTE: lmstat -i does not give"):
		st.sec = secLicenseI
		return true
	}
	if st.cur == nil {
		if strings.HasPrefix(s, "Error getting status: ") && !st.stamp.IsZero() && st.stampAt >= n-3 {
			st.failedPoll(n, s, raw)
			return true
		}
		if st.headed || st.sec == secUndated || !pasteStart(t) {
			return strings.HasPrefix(s, "License server status:") || strings.HasPrefix(s, "License file(s) on ")
		}
		// lmstat output before any header: a paste (a file cut at the start is one too). Its
		// time is unknown unless a stamp line comes directly before it.
		st.paste(n, s)
	} else if c := st.cur; c.Time.IsZero() && strings.HasPrefix(s, "License server status: ") && st.sec != secHeader &&
		(len(c.Servers) > 0 || c.NotRunning != nil) {
		st.end() // another paste after the one before
		st.paste(n, s)
	}
	c := st.cur
	switch {
	case strings.HasPrefix(s, "Error getting status: "):
		code, _ := errCode(s)
		c.Failed = &Problem{Code: code, Line: n, Text: string(raw)}
		return true
	case strings.HasPrefix(s, "lmgrd is not running: "):
		code, _ := errCode(s)
		c.NotRunning = &Problem{Code: code, Line: n, Text: string(raw)}
		return true
	case strings.HasPrefix(s, "License server status: "):
		if c.ListedLine == 0 {
			c.ListedLine = n
		}
		for _, pa := range strings.Split(s[len("License server status: "):], ",") {
			pa = strings.TrimSpace(pa)
			if i := strings.IndexByte(pa, '@'); i >= 0 {
				pa = pa[i+1:]
			}
			if pa != "" {
				c.Listed = append(c.Listed, st.intern(pa))
			}
		}
		st.sec = secServers
		return true
	case strings.HasPrefix(s, "License file(s) on "):
		return true
	case strings.HasPrefix(s, "Vendor daemon status (on "):
		st.on = st.intern(strings.TrimSuffix(strings.TrimSuffix(s[len("Vendor daemon status (on "):], ":"), ")"))
		st.sec = secVendors
		return true
	case strings.HasPrefix(s, "Feature usage info:"), strings.HasPrefix(s, "Users of "):
		st.sec = secFeatures
		return true
	case isSeparator(t):
		st.sec = secHeader // a separator between license files: another server status line follows
		return true
	}
	i := strings.Index(s, ": ")
	if i <= 0 || strings.IndexByte(s[:i], ' ') >= 0 {
		return false
	}
	name, rest := st.intern(s[:i]), s[i+2:]
	switch st.sec {
	case secServers, secHeader:
		sl := ServerLine{Name: name, Line: n, Text: st.internBytes(raw)}
		if strings.HasPrefix(rest, "license server UP") {
			sl.Status = ServerUp
			rest = strings.TrimSpace(rest[len("license server UP"):])
			if strings.HasPrefix(rest, "(MASTER)") {
				sl.Master = true
				rest = strings.TrimSpace(rest[len("(MASTER)"):])
			}
			sl.Version = st.intern(rest)
		} else {
			code, ok := errCode(rest)
			if !ok || !serverCodes[code.Major] {
				return false // a status or an error lmtriad does not know
			}
			sl.Status, sl.Code = ServerError, code
		}
		c.Servers = append(c.Servers, sl)
		return true
	case secVendors:
		vl := VendorLine{Name: name, On: st.on, Line: n, Text: st.internBytes(raw)}
		if strings.HasPrefix(rest, "UP") {
			vl.Up = true
		} else {
			vl.Code, _ = errCode(rest)
		}
		c.Vendors = append(c.Vendors, vl)
		return true
	}
	return false
}

// paste opens the snapshot of lmstat output that has no header (TRIAD.md section 2): its
// time is unknown, unless a stamp line comes directly before it.
func (st *lmstatState) paste(n int, s string) {
	c := &Snapshot{Line: n, Text: s}
	st.cur, st.sec = c, secServers
	if !st.stamp.IsZero() && st.stampAt >= n-3 {
		c.Time, c.Exact = st.stamp, true
		st.stamp = time.Time{}
		st.outlier(n, c.Time)
	}
}

// pasteStart tells a line that begins lmstat output pasted without its header: the server
// status line, a server line, or lmgrd not running.
func pasteStart(t []byte) bool {
	return bytes.HasPrefix(t, []byte("License server status: ")) || bytes.HasPrefix(t, []byte("lmgrd is not running: ")) ||
		isServerLine(t)
}

// snapshot is a new, empty run: the spare one when there is one.
func (st *lmstatState) snapshot() *Snapshot {
	c := st.spare
	if c == nil {
		return &Snapshot{}
	}
	// A run that was never kept: its slices are ours to reuse.
	*c = Snapshot{Servers: c.Servers[:0], Vendors: c.Vendors[:0], Listed: c.Listed[:0]}
	st.spare = nil
	return c
}

// failedPoll starts the run of a collector's failed poll: a stamp line and an "Error getting
// status:" line with no lmstat header between them (lmtriad collect writes one when lmutil
// fails, hangs or cannot be run). It is a run that failed as a whole, at the stamp's time
// (TRIAD.md section 2).
func (st *lmstatState) failedPoll(n int, s string, raw []byte) {
	c := st.snapshot()
	c.Line, c.Text = n, s
	c.Time, c.Exact = st.stamp, true
	st.stamp = time.Time{}
	code, _ := errCode(s)
	c.Failed = &Problem{Code: code, Line: n, Text: string(raw)}
	st.cur = c
	st.sec = secNone
	st.outlier(n, c.Time)
}

func (st *lmstatState) header(n int, s string) {
	st.headed = true
	st.down = nil
	c := st.snapshot()
	c.Line, c.Text = n, s
	st.cur = c
	st.sec = secHeader
	rest := strings.TrimSpace(s[len("Flexible License Manager status on "):])
	if i := strings.IndexByte(rest, ' '); i >= 0 && i <= 4 { // weekday
		rest = rest[i+1:]
	}
	y, m, d, k, ok := usDate(rest)
	date := rest[:k]
	var sec int
	if ok {
		rest = strings.TrimSpace(rest[k:])
		var ok2 bool
		sec, _, ok2 = clockTime(rest)
		ok = ok2
	}
	var why msg.Text
	if ok {
		why = st.opt.implausible(time.Date(y, m, d, sec/3600, sec/60%60, 59, 0, st.loc), date)
	}
	switch {
	case !ok:
		st.f.warn(n, msg.New("warn.line.lmstat-no-date", "text", excerpt([]byte(s))))
	case !why.IsZero():
		st.f.warn(n, why)
	default:
		// lmstat prints the minute it started: the snapshot is placed at the end of that minute.
		c.Time = time.Date(y, m, d, sec/3600, sec/60%60, 59, 0, st.loc)
		// In the hour that repeats when DST ends, runs come in file order: the first reading
		// unless it would put this run before the one before.
		first, second := c.Time, c.Time
		if alt := c.Time.Add(-time.Hour); sameClock(alt, c.Time) {
			first = alt
		} else if alt := c.Time.Add(time.Hour); sameClock(alt, c.Time) {
			second = alt
		}
		c.Time = first
		if first.Before(st.lastRun) && !second.Before(st.lastRun) {
			c.Time = second
		}
	}
	if !st.stamp.IsZero() && st.stampAt >= n-3 {
		if ok && why.IsZero() {
			// A zone clue (TRIAD.md 6): the header's local minute beside the stamp's instant.
			// lmstat prints the minute it started, just after the stamp was written: the
			// difference, to the nearest quarter hour, is the servers' UTC offset then.
			wall := time.Date(y, m, d, sec/3600, sec/60%60, 30, 0, time.UTC)
			diff := wall.Unix() - st.stamp.Unix()
			off := int((diff + sign(diff)*450) / 900 * 900)
			st.f.clue(ZoneClue{Line: st.stampAt, Text: st.stampText, Wall: wallOf(st.stamp.In(time.FixedZone("", off))), Offset: off, HasOffset: true})
		}
		c.Time, c.Exact = st.stamp, true
	}
	st.stamp = time.Time{}
	if c.Time.IsZero() {
		st.cur = nil // an undated run cannot be placed
		st.sec = secUndated
		return
	}
	st.outlier(n, c.Time)
}

func sign(x int64) int64 {
	if x < 0 {
		return -1
	}
	return 1
}

// outlier checks the time t of the run whose header is line n against the runs before it.
// lmstat runs are dated one by one, so a wrong date touches one run. The rule, conservative so
// that a file that goes on after weeks without runs keeps them:
//
//   - A run more than a day after every run before it is a suspect.
//   - The next dated run decides. It contradicts the suspect when it goes back to within a day
//     of the runs before the suspect (at most a day after the newest of them), and so more
//     than a day back from the suspect's time. Then the suspect's date is not trusted: a
//     warning names its header, and the run is dropped, as a run without a date is. Any other
//     next run, or none, lets the suspect stand.
func (st *lmstatState) outlier(n int, t time.Time) {
	f := st.f
	if s := &st.sus; s.set {
		s.set = false // the suspect's run is f.Runs[s.run]: st.end ran before this header
		if !t.After(s.last.Add(dateSlack)) && t.Before(s.time.Add(-dateSlack)) && s.run == len(f.Runs)-1 {
			f.Runs = f.Runs[:s.run]
			if len(f.Snapshots) > s.snaps {
				f.Snapshots = f.Snapshots[:s.snaps] // it was the only run of its snapshot
			}
			f.First, f.Last, st.lastRun = s.first, s.last, s.lastRun
			f.warnBack(s.line, msg.New("warn.line.run-ahead", "date", s.time, "newest", s.last, "line", n, "back", t))
		}
	}
	if !f.Last.IsZero() && t.After(f.Last.Add(dateSlack)) {
		st.sus = lmSuspect{set: true, line: n, time: t, run: len(f.Runs), snaps: len(f.Snapshots),
			first: f.First, last: f.Last, lastRun: st.lastRun}
	}
}

// intern returns one copy of each distinct string: server and vendor names and lines repeat
// in every run of a long lmstat file.
func (st *lmstatState) intern(s string) string {
	if x, ok := st.strs[s]; ok {
		return x
	}
	if st.strs == nil {
		st.strs = map[string]string{}
	}
	if len(st.strs) < 1<<16 {
		st.strs[s] = s
	}
	return s
}

// internBytes is intern for bytes; the lookup does not allocate.
func (st *lmstatState) internBytes(b []byte) string {
	if x, ok := st.strs[string(b)]; ok {
		return x
	}
	return st.intern(string(b))
}

func isCopyright(t []byte) bool {
	return len(t) > 0 && t[0] == 'l' && (bytes.HasPrefix(t, []byte("lmutil")) || bytes.HasPrefix(t, []byte("lmstat"))) &&
		bytes.Contains(t, []byte(" - Copyright"))
}

// isStamp tells a line holding only an RFC 3339 time, optionally after "# ". t is trimmed: it
// starts with '#' or the year's first digit (a look at the first byte rules most lines out).
func isStamp(t []byte) bool {
	if len(t) == 0 || t[0] != '#' && !isDigit(t[0]) {
		return false
	}
	t = bytes.TrimPrefix(t, []byte("#"))
	t = bytes.TrimSpace(t)
	if len(t) < 20 || len(t) > 40 || t[4] != '-' || t[10] != 'T' {
		return false
	}
	_, n, ok := isoTime(string(t))
	return ok && n == len(t)
}

// isServerLine tells an lmstat server line as a paste shows it, without its header:
// "HOST: license server UP (MASTER) v11.13", or "HOST: <error> (-96,7)" where the error text
// speaks of a license server and its code ends the line. A host name before the colon.
func isServerLine(t []byte) bool {
	i := bytes.Index(t, []byte(": "))
	if i <= 0 {
		return false
	}
	for _, c := range t[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	rest := t[i+2:]
	if up, ok := bytes.CutPrefix(rest, []byte("license server UP")); ok {
		// then nothing but the master mark and the version: "(MASTER) v11.13.0"
		up = bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(up), []byte("(MASTER)")))
		return len(up) == 0 || (len(up) > 1 && up[0] == 'v' && up[1] >= '0' && up[1] <= '9' && bytes.IndexByte(up, ' ') < 0)
	}
	if len(rest) == 0 || rest[len(rest)-1] != ')' || !bytes.Contains(rest, []byte("icense server")) {
		return false
	}
	_, ok := errCode(string(rest))
	return ok
}

// isSeparator tells the line of dashes lmstat prints between license files.
func isSeparator(t []byte) bool {
	return len(t) >= 20 && t[0] == '-' && len(bytes.Trim(t, "-")) == 0
}

// isVendorLine tells a vendor daemon status line ("uglmd: UP v10.8", "bm: <error> (-97,121)")
// from the feature usage lines it can follow in a combined license file: one word before the
// colon, then UP and a version, or an error code.
func isVendorLine(t []byte) bool {
	i := bytes.Index(t, []byte(": "))
	if i <= 0 || bytes.IndexByte(t[:i], ' ') >= 0 || bytes.IndexByte(t[:i], '"') >= 0 {
		return false
	}
	rest := t[i+2:]
	if bytes.HasPrefix(rest, []byte("UP v")) || bytes.Equal(rest, []byte("UP")) {
		return true
	}
	_, ok := errCode(string(rest))
	return ok
}
