package parser

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// envelope is the parsed prefix of a debug-log line.
type envelope struct {
	tod    int       // seconds since midnight
	abs    time.Time // set for the ISO -datestamp form
	month  int       // set (1-12) for the old "mm/dd hh:mm" form
	day    int
	daemon []byte
	msg    []byte
}

// parseEnvelope reads "H:MM:SS (daemon) message" and its variants (FORMATS.md 1.1): leading
// space or not, "mm/dd hh:mm", "hh:mm", ISO "yyyy-mm-ddThh:mm:ssZ", "(vendor_N)",
// "(vendor[pid])" and "((name))".
func parseEnvelope(line []byte) (e envelope, ok bool) {
	s := line
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	if len(s) < 7 {
		return e, false
	}
	var n int
	switch {
	case len(s) >= 20 && s[4] == '-' && s[10] == 'T':
		t, m, ok := isoTime(string(s[:min(len(s), 40)]))
		if !ok {
			return e, false
		}
		e.abs, n = t, m
	default:
		sec, m, ok := clockTime(s)
		if ok {
			e.tod, n = sec, m
			break
		}
		// mm/dd hh:mm[:ss]
		mo, a := atoi(s)
		if a == 0 || a > 2 || a >= len(s) || s[a] != '/' {
			return e, false
		}
		d, b := atoi(s[a+1:])
		if b == 0 || b > 2 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			return e, false
		}
		i := a + 1 + b
		if i >= len(s) || s[i] != ' ' {
			return e, false
		}
		if i+1 < len(s) && s[i+1] == ' ' {
			i++ // the hour printed with %2d: "07/27  8:00:00"
		}
		sec, m, ok = clockTime(s[i+1:])
		if !ok {
			return e, false
		}
		e.tod, e.month, e.day, n = sec, mo, d, i+1+m
	}
	if n+3 > len(s) || s[n] != ' ' || s[n+1] != '(' {
		return e, false
	}
	rest := s[n+2:]
	double := false
	if len(rest) > 0 && rest[0] == '(' { // "((name))"
		double = true
		rest = rest[1:]
	}
	end := bytes.IndexByte(rest, ')')
	if end <= 0 || end > 64 {
		return e, false
	}
	name := rest[:end]
	if bytes.IndexByte(name, ' ') >= 0 {
		return e, false
	}
	rest = rest[end+1:]
	if double {
		if len(rest) == 0 || rest[0] != ')' {
			return e, false
		}
		rest = rest[1:]
	}
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return e, false
		}
		rest = rest[1:]
	}
	e.daemon = daemonName(name)
	e.msg = rest
	return e, true
}

// daemonName strips a forked daemon's "_N" and a "[pid]" suffix: "bm_1" and "bm[24341]" are "bm".
func daemonName(b []byte) []byte {
	if i := bytes.IndexByte(b, '['); i > 0 && b[len(b)-1] == ']' {
		b = b[:i]
	}
	if i := bytes.LastIndexByte(b, '_'); i > 0 && i < len(b)-1 {
		if _, n := atoi(b[i+1:]); n == len(b)-i-1 {
			b = b[:i]
		}
	}
	return b
}

// logClock rebuilds dates for a debug log, whose lines carry only a time of day.
// Days are counted from the first line; the clock going back by more than two hours is
// midnight. An anchor (banner, TIMESTAMP, System Date, SLOG Start-Date, ISO line) fixes the
// date of the current day; lines before the first anchor are dated back from it.
type logClock struct {
	loc   *time.Location
	day   int // days since the first line
	last  int // time of day of the last line, -1 before the first
	based bool
	by    int
	bm    time.Month
	bd    int // date of day 0

	lastAbs   time.Time // the time of the previous dated line (on DST days)
	memoSet   bool      // dstDay's answer for memoDay
	memoDay   int
	memoDST   bool
	ambiguous int  // first line read in an hour that repeats (DST end); -1 until recorded
	byOrder   bool // a line in that hour was placed by the log's order
}

const rollover = 2 * 3600 // a backward step larger than this is midnight, not DST or jitter

func (c *logClock) tick(tod int) {
	if c.last >= 0 && tod < c.last-rollover {
		c.day++
	}
	c.last = tod
}

// anchor says that the current day is y-m-d. The first anchor fixes the date of day 0 (lines
// before it are dated back from it); a later one that disagrees moves the day count instead
// (a log appended across a restart days later, or a false midnight), so that times already
// read keep their dates.
func (c *logClock) anchor(y int, m time.Month, d int) {
	if !c.based {
		t := time.Date(y, m, d-c.day, 12, 0, 0, 0, time.UTC)
		c.by, c.bm, c.bd = t.Date()
		c.based = true
		return
	}
	c.day = c.dayOf(y, m, d)
}

// dayOf is the day count of y-m-d (once based). It counts in Unix seconds, not with a
// Duration, which would stop at about 292 years (a date of 9999 when Options.Now is unknown).
func (c *logClock) dayOf(y int, m time.Month, d int) int {
	base := time.Date(c.by, c.bm, c.bd, 12, 0, 0, 0, time.UTC).Unix()
	return int((time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Unix() - base) / 86400)
}

// relOf is the day*86400+tod of a time (once based).
func (c *logClock) relOf(t time.Time) int64 {
	t = t.In(c.loc)
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return int64(c.dayOf(y, m, d))*86400 + int64(h*3600+mi*60+s)
}

func (c *logClock) at(day, tod int) time.Time {
	return time.Date(c.by, c.bm, c.bd+day, tod/3600, tod/60%60, tod%60, 0, c.loc)
}

// now is the time of the current line. In the hour that repeats when DST ends, a wall
// clock reading is ambiguous; a log's time does not run backwards, so when the first reading
// falls before the previous line and the second one does not, the second is meant.
func (c *logClock) now(day, tod int) time.Time {
	t := c.at(day, tod)
	// time.Date does not say which reading of a repeated wall-clock time it returns (west of
	// UTC the first, east of it the second): find both.
	first, second := t, t
	if alt := t.Add(-time.Hour); sameClock(alt, t) {
		first = alt
	} else if alt := t.Add(time.Hour); sameClock(alt, t) {
		second = alt
	}
	if first.Equal(second) {
		c.lastAbs = t
		return t
	}
	t = first
	if !c.lastAbs.IsZero() && first.Before(c.lastAbs) && !second.Before(c.lastAbs) {
		t = second // the log's time does not run backwards: the second reading is meant
		c.byOrder = true
	} else if c.ambiguous == 0 {
		c.ambiguous = -1 // the caller records the line
	}
	c.lastAbs = t
	return t
}

// dstDay tells whether the zone's offset changes during day (a DST change): only then is a
// line's time worked out one by one (see now); on other days the date and time of day suffice.
func (c *logClock) dstDay(day int) bool {
	if c.memoSet && c.memoDay == day {
		return c.memoDST
	}
	_, o1 := c.at(day, 0).Zone()
	_, o2 := c.at(day, 86399).Zone()
	c.memoSet, c.memoDay, c.memoDST = true, day, o1 != o2
	return c.memoDST
}

func sameClock(a, b time.Time) bool {
	ah, am, as := a.Clock()
	bh, bm, bs := b.Clock()
	return ah == bh && am == bm && as == bs
}

// current returns the date the clock holds for the current day.
func (c *logClock) current() (int, time.Month, int) { return c.date(c.day) }

// date returns the date of a day count.
func (c *logClock) date(day int) (int, time.Month, int) {
	return time.Date(c.by, c.bm, c.bd+day, 12, 0, 0, 0, time.UTC).Date()
}

type pendingEvent struct {
	ev               Event
	day, tod         int
	prevDay, prevTod int // the line before, for EvStart's Prev (-1: none)
}

// preambleLine is the first line of lmgrd's start-up block ("Server's System Date and Time:",
// "Detecting other ... processes"), until a banner or another lmgrd event follows it.
type preambleLine struct {
	set          bool
	afterSilence bool // the block follows a silence of the log
	line         int
	at, prev     time.Time
	text         string
}

// start is the start of lmgrd on host that the block stands for, when its banner is missing.
func (p preambleLine) start(host string) Event {
	return Event{Kind: EvStart, Line: p.line, Daemon: "lmgrd", Peer: host, Time: p.at, Prev: p.prev, Reason: -1, Text: p.text}
}

type logState struct {
	preamble preambleLine
	f        *File
	opt      Options
	clock    logClock
	pending  []pendingEvent
	usage    map[int64]*Usage // minute -> counts, for lines before the first anchor: key day*1440+minute
	cur      *Usage           // the minute counted last, and its key
	curKey   int64
	spare    *Usage  // a minute moved to f.Usage, to count another in (see flushUsage)
	keys     []int64 // flushUsage's
	lastAbs  time.Time
	haveRel  bool
	lastRel  int64 // day*86400+tod of the previous dated line
	relGaps  [][2]int64
	jumped   bool  // the clock moved on by more than 30 s between two lines
	jumpFrom int64 // day*86400+tod of the line before the latest such jump
	jumpTo   int64 // ... and of the line after it
	// The same in true time, for dated lines: the wall clock can go back while true time goes
	// on (the hour that repeats in the autumn), so a restart there is a silence only in these.
	markAbs, absJumpFrom, absJumpTo time.Time
	jumpFromAbs                     time.Time // the true time of the line before the latest jump (jumpFrom), when known
	first                           struct {
		set      bool
		day, tod int
		abs      time.Time
	}
	last struct {
		day, tod int
		abs      time.Time
	}
	sawEvent bool // any triad event or usage line seen (for StartsCold)

	sus        suspect  // an anchor that moved the date on by more than a day, until the next one
	distrusted int      // anchors whose date was not plausible (see implausible)
	isoBad     bool     // the last -datestamp line's date was not plausible (warned once per run)
	env        envelope // the envelope of the line being read (for dateText)
}

// suspect is an anchor that moved the log's date on by more than a day (see logState.anchor),
// and what was read since, to move back should the next anchor show it was wrong.
type suspect struct {
	set    bool
	line   int
	text   string    // its date as written
	jump   int       // days it moved the clock on (2 or more)
	from   int       // the day count the log had reached before it
	rel    int64     // day*86400+tod of its line, after the jump
	abs    time.Time // the time of its line, after the jump
	events int       // len(File.Events) before its line
	usage  int       // len(File.Usage) before its line

	// The silence state (see logState.mark) before its line, which the jump made a silence.
	jumped                    bool
	jumpFrom, jumpTo, lastRel int64
}

const gapLimit = 6*3600 + 15*60 // TRIAD.md: longer silences mean the log is missing

func readLog(r io.Reader, tap *hashTap, f *File, opt Options) error {
	st := &logState{f: f, opt: opt, usage: map[int64]*Usage{}}
	st.clock.loc = opt.loc()
	st.clock.last = -1
	prevEnveloped := false
	n := 0
	err := pipeline(r, tap, opt.Trace, parseBlock, func(b *batch) {
		for i := range b.recs {
			rc := &b.recs[i]
			n++
			if rc.kind == recRun {
				u := &b.runs[rc.x]
				f.Lines++
				f.Recognized++
				prevEnveloped = true
				st.usageRun(u) // with f.Lines the number of its first line
				more := int(u.lines) - 1
				n += more
				f.Lines += more
				f.Recognized += more
				continue
			}
			f.countLine(n, rc.flags)
			switch rc.kind {
			case recBlank:
				f.Recognized++
			case recNoEnv:
				if prevEnveloped && rc.flags&fCont != 0 {
					// continuation of a multi-line message (tab-indented text, lmdown's interleaved
					// console output, the MSC vendor's wrapped "(@MSC-INFO@)" lines)
					f.Recognized++
				} else {
					f.Unrecognized++
					f.warn(n, msg.New("warn.line.no-envelope", "text", excerpt(b.bytes(b.extra[rc.x].trimmed))))
				}
			case recEnvelope:
				prevEnveloped = true
				f.Recognized++
				if rc.flags&fPlain != 0 {
					st.usageLine(int(rc.tod), UsageKind(rc.usage))
					continue
				}
				x := &b.extra[rc.x]
				e := x.env
				e.daemon, e.msg = b.bytes(x.daemon), b.bytes(x.msg)
				st.line(n, b.bytes(x.raw), e, rc.flags&fLmgrd != 0, rc.usage)
			}
		}
	})
	f.nulDone()
	st.finish()
	return err
}

// usageLine is the fast path for a usage line with a plain time of day: most lines of a busy
// log. It dates nothing and allocates nothing.
func (st *logState) usageLine(tod int, k UsageKind) {
	c := &st.clock
	c.tick(tod)
	var cur time.Time
	if c.based && c.dstDay(c.day) {
		cur = c.now(c.day, tod)
		if c.ambiguous == -1 {
			c.ambiguous = st.f.Lines
		}
	}
	st.mark(c.day, tod, cur)
	st.countUsage(c.day, tod, k)
}

// usageRun folds a run of usage lines (see usageRun): its first line as usageLine does, then
// its last, which moves the clock, the marks and the minute's counts on as the lines between
// would have. They were no midnight (the time of day does not go back in a run), no silence
// or jump of the clock (a run steps 30 s at most) and no new minute. On a day with a DST
// change the last line takes the reading of the first (now), as each line between would have:
// one minute is all in the repeated hour or all out of it.
func (st *logState) usageRun(u *usageRun) {
	st.usageLine(int(u.first), u.kind)
	if u.lines == 1 {
		return
	}
	c := &st.clock
	tod := int(u.last)
	c.last = tod
	var cur time.Time
	if c.based && c.dstDay(c.day) {
		cur = c.now(c.day, tod)
	}
	st.haveRel, st.lastRel = true, int64(c.day)*86400+int64(tod)
	if !cur.IsZero() {
		st.markAbs = cur
	}
	st.last.day, st.last.tod, st.last.abs = c.day, tod, cur
	for k, n := range u.counts {
		if UsageKind(k) == u.kind {
			n--
		}
		st.cur.Counts[k] += int(n)
	}
}

// excerpt is a line quoted in a warning: at most 80 bytes of it, valid UTF-8.
func excerpt(b []byte) msg.Raw {
	if len(b) > 80 {
		b = append(append([]byte{}, b[:77]...), "..."...)
	}
	return msg.Raw(strings.ToValidUTF8(string(b), "?"))
}

// line handles one enveloped line (usage is its UsageKind, or -1).
func (st *logState) line(n int, raw []byte, e envelope, lmgrd bool, usage int8) {
	c := &st.clock
	st.env = e
	abs := e.abs // the time the line states, unless it is not plausible
	if !e.abs.IsZero() {
		t := e.abs.In(c.loc)
		h, m, s := t.Clock()
		e.tod = h*3600 + m*60 + s
		c.tick(e.tod)
		if why := st.opt.implausible(e.abs, ""); !why.IsZero() {
			// Every line of a -datestamp log states its date: one warning for a run of them.
			if !st.isoBad {
				st.f.warn(n, why)
			}
			st.isoBad, abs = true, time.Time{}
			st.distrusted++
		} else {
			st.isoBad = false
			y, mo, d := t.Date()
			st.anchor(n, e.tod, y, mo, d, "") // the line's text is made only for a message
			_, off := e.abs.Zone()
			st.f.clue(ZoneClue{Line: n, Text: string(raw), Wall: wallOf(e.abs), Offset: off, HasOffset: true})
		}
	} else {
		c.tick(e.tod)
		if e.month != 0 && c.based {
			if _, mo, d := c.current(); int(mo) != e.month || d != e.day {
				st.anchor(n, e.tod, st.yearOf(time.Month(e.month), e.day), time.Month(e.month), e.day, "")
			}
		}
	}
	// Anchors: lines that say the date. Usage lines never do, and are not turned into strings.
	var full, s string // the line and its message (one string: a suspect keeps the line)
	if usage < 0 {
		full = string(raw)
		s = full[len(full)-min(len(e.msg), len(full)):]
		if y, m, d, text, ok := dateAnchor(s); ok {
			t := time.Date(y, m, d, e.tod/3600, e.tod/60%60, e.tod%60, 0, c.loc)
			if wall, zone, ok := zoneClue(s); ok {
				st.f.clue(ZoneClue{Line: n, Text: string(raw), Wall: wall, Name: zone})
			}
			if why := st.opt.implausible(t, text); !why.IsZero() {
				st.f.warn(n, why)
				st.distrusted++
			} else {
				st.anchor(n, e.tod, y, m, d, text)
			}
		}
	}
	st.flush()
	var cur time.Time // this line's time, when the date is known
	switch {
	case !abs.IsZero():
		cur = abs.In(c.loc)
	case c.based && c.dstDay(c.day):
		cur = c.now(c.day, e.tod)
	case c.based:
		cur = c.at(c.day, e.tod)
	}
	if c.ambiguous == -1 {
		c.ambiguous = n
	}
	st.mark(c.day, e.tod, cur)
	if usage >= 0 {
		st.countUsage(c.day, e.tod, UsageKind(usage))
		return
	}
	// The silence before a restart: the last line before the latest jump of the clock, when
	// that jump is just before this line (the start-up block takes a few seconds).
	prevSet, prevDay, prevTod := false, 0, 0
	if st.jumped && st.lastRel >= st.jumpTo && st.lastRel-st.jumpTo <= 120 {
		prevSet, prevDay, prevTod = true, int(st.jumpFrom/86400), int(st.jumpFrom%86400)
	}

	ev := classify(lmgrd, s)
	if ev.Kind == EvNone && lmgrd && !cur.IsZero() && !st.preamble.set &&
		(strings.HasPrefix(s, "Detecting other ") || strings.HasPrefix(s, "Server's System Date and Time:")) {
		// lmgrd's start-up block, before its banner: kept in case the log ends before the
		// banner (a copy cut there), when it stands for the start (see finish).
		st.preamble = preambleLine{set: true, line: n, at: cur, text: strings.ToValidUTF8(string(raw), "\uFFFD")}
		if prevSet && c.based {
			st.preamble.afterSilence = true
			st.preamble.prev = c.at(prevDay, prevTod)
			if !st.jumpFromAbs.IsZero() {
				st.preamble.prev = st.jumpFromAbs
			}
		}
	}
	if ev.Kind == EvNone {
		st.debugSuspect(n, full, s, lmgrd)
		return
	}
	if ev.Kind == EvStart || (lmgrd && ev.Kind != EvNone) {
		if p := st.preamble; p.set && ev.Kind != EvStart && p.afterSilence && st.f.Host != "" {
			// lmgrd went on after its start-up block (its system date line and its search
			// for other lmgrd processes come only when it starts: once per start in the real
			// logs, among hundreds of TIMESTAMP lines), after a silence, with no banner
			// between (a line lost, a wording not known): the block stands for that start.
			st.f.Events = append(st.f.Events, p.start(st.f.Host))
		}
		st.preamble = preambleLine{} // the banner came (or lmgrd went on): no start to stand for
	}
	ev.Line = n
	ev.Daemon = string(e.daemon)
	if ev.Kind == EvVendorServing {
		ev.Vendor = ev.Daemon
	}
	ev.Text = strings.ToValidUTF8(string(raw), "\uFFFD")
	if ev.Kind == EvStart {
		if st.f.Host == "" {
			st.f.Host = ev.Peer
		}
		if !contains(st.f.Hosts, ev.Peer) {
			st.f.Hosts = append(st.f.Hosts, ev.Peer)
		}
		if !st.sawEvent {
			st.f.StartsCold = true
		}
	}
	st.sawEvent = true
	switch {
	case ev.Kind != EvStart:
	case prevSet && c.based && !st.jumpFromAbs.IsZero():
		ev.Prev = st.jumpFromAbs // as it was read: in the hour that repeats, c.at may take the other reading
	case prevSet && c.based:
		ev.Prev = c.at(prevDay, prevTod)
	case !cur.IsZero() && !st.absJumpTo.IsZero() && !cur.Before(st.absJumpTo) && cur.Sub(st.absJumpTo) <= 120*time.Second:
		// The wall clock went back (the repeated hour) while true time went on: the silence
		// shows in true time only.
		ev.Prev = st.absJumpFrom
	}
	if !cur.IsZero() {
		ev.Time = cur
		st.f.Events = append(st.f.Events, ev)
		return
	}
	if !prevSet {
		prevDay = -1
	}
	st.pending = append(st.pending, pendingEvent{ev, c.day, e.tod, prevDay, prevTod})
}

// anchor fixes the date of the current day from line n, which states y-m-d (text, as
// written; "" for an envelope's date, see dateText) at time of day tod; the date is plausible
// (see implausible).
//
// An anchor may still be wrong: a single line dated years ahead among lines of one period. The
// rule, conservative so that a log resumed weeks later (lmgrd -l +file) keeps its dates:
//
//   - An anchor that moves the date more than a day ahead of the day the log has reached (two
//     days or more: one day is a midnight the clock did not show) is a suspect. It is applied
//     at once, as any anchor is, and what is read after it is dated by it.
//   - The next anchor decides. It contradicts the suspect when it goes back to within a day of
//     the date the log would have reached without the jump, and so more than a day back from
//     the suspect's date. Then the suspect's date is not trusted: a warning names its line, and
//     the lines read since are moved back by the jump, as though the suspect had stated
//     nothing. Any other next anchor (the same date, a later one, another jump), or none
//     before the end of the log, lets the jump stand.
//
// The first anchor of a log is never a suspect: nothing before it says what date the log had
// reached.
func (st *logState) anchor(n, tod, y int, m time.Month, d int, text string) {
	c := &st.clock
	if !c.based {
		c.anchor(y, m, d)
		return
	}
	a := c.dayOf(y, m, d)
	if s := &st.sus; s.set {
		s.set = false
		if old := c.day - s.jump; a >= old-1 && a <= old+1 && c.day-a >= 2 {
			if text == "" {
				text = st.dateText()
			}
			st.unjump(n, text)
		}
	}
	if a-c.day >= 2 {
		if text == "" {
			text = st.dateText()
		}
		st.sus = suspect{set: true, line: n, text: text, jump: a - c.day, from: c.day,
			rel: int64(a)*86400 + int64(tod), abs: c.at(a, tod), events: len(st.f.Events), usage: len(st.f.Usage),
			jumped: st.jumped, jumpFrom: st.jumpFrom, jumpTo: st.jumpTo, lastRel: st.lastRel}
	}
	c.day = a
}

// yearOf gives a date of the old "mm/dd hh:mm" envelope its year: the year of the date the log
// has reached, or the next one when the month is earlier. While an anchor is a suspect, a date
// that is not within a day of the suspect's but is within a day of the date the log had reached
// before it takes that year instead, so that the line tells against the suspect. (A year-less
// date within a day of both, as after a jump of whole years, tells nothing.)
func (st *logState) yearOf(m time.Month, d int) int {
	c := &st.clock
	y, mo, _ := c.current()
	if m < mo {
		y++
	}
	if a := c.dayOf(y, m, d); st.sus.set && (a < c.day-1 || a > c.day+1) {
		old := c.day - st.sus.jump
		oy, _, _ := c.date(old)
		for y := oy - 1; y <= oy+1; y++ {
			if a := c.dayOf(y, m, d); a >= old-1 && a <= old+1 {
				return y
			}
		}
	}
	return y
}

// dateText is the date of the line being read, as its envelope states it, for a message.
func (st *logState) dateText() string {
	e := &st.env
	if !e.abs.IsZero() {
		return e.abs.Format(time.RFC3339)
	}
	return strconv.Itoa(e.month) + "/" + strconv.Itoa(e.day)
}

// unjump undoes the jump of the suspect anchor, contradicted by line n (which states text):
// every time read since the suspect's line moves back by the jump, and the suspect is warned.
// The times keep their wall clock (AddDate); a time in the hour that repeats when DST ends
// takes Go's reading of it there, not one chosen by the log's order (see now).
func (st *logState) unjump(n int, text string) {
	s, c, f := &st.sus, &st.clock, st.f
	j := s.jump
	back := func(t time.Time) time.Time { return t.AddDate(0, 0, -j) }
	// Times and day counts before the suspect's line are more than a day before it (it jumped
	// two days or more); those read since are at most two hours before it (a smaller step
	// back is not midnight).
	cutT, cutR, dr := s.abs.Add(-dateSlack), s.rel-86400, int64(j)*86400
	backRel := func(r *int64) {
		if *r >= cutR {
			*r -= dr
		}
	}
	// The jump made the suspect's line look like the end of a silence (see mark). When it was
	// none (30 s or less after the line before), a restart read since whose Prev is the line
	// before the suspect's took it from that false silence: it gets the Prev it would have had.
	falseSilence := s.rel-dr-s.lastRel <= 30
	falsePrev := c.at(int(s.lastRel/86400), int(s.lastRel%86400))
	for i := s.events; i < len(f.Events); i++ {
		ev := &f.Events[i]
		if !ev.Time.Before(cutT) {
			ev.Time = back(ev.Time)
		}
		switch {
		case falseSilence && ev.Kind == EvStart && ev.Prev.Equal(falsePrev):
			ev.Prev = time.Time{}
			if s.jumped && c.relOf(ev.Time)-s.jumpTo <= 120 {
				ev.Prev = c.at(int(s.jumpFrom/86400), int(s.jumpFrom%86400))
			}
		case !ev.Prev.IsZero() && !ev.Prev.Before(cutT):
			ev.Prev = back(ev.Prev)
		}
	}
	// The minute counted last before the suspect's line may have been moved to f.Usage after it.
	// In place: a write never passes the read.
	us := f.Usage[:s.usage]
	for _, u := range f.Usage[s.usage:] {
		if !u.Minute.Before(cutT) {
			u.Minute = back(u.Minute)
		}
		if n := len(us); n > 0 && us[n-1].Minute.Equal(u.Minute) {
			for k := range u.Counts {
				us[n-1].Counts[k] += u.Counts[k]
			}
			continue
		}
		us = append(us, u)
	}
	f.Usage = us
	// The minutes still counted (keyed by day*1440+minute): at most a couple.
	var keys []int64
	for k := range st.usage {
		if k*60 >= cutR {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		u := st.usage[k]
		delete(st.usage, k)
		if x := st.usage[k-int64(j)*1440]; x != nil {
			for i := range u.Counts {
				x.Counts[i] += u.Counts[i]
			}
		} else {
			st.usage[k-int64(j)*1440] = u
		}
	}
	if st.cur != nil && st.curKey*60 >= cutR {
		st.curKey -= int64(j) * 1440
		st.cur = st.usage[st.curKey]
	}
	backRel(&st.lastRel)
	backRel(&st.jumpFrom)
	backRel(&st.jumpTo)
	if !st.jumpFromAbs.IsZero() && !st.jumpFromAbs.Before(cutT) {
		st.jumpFromAbs = back(st.jumpFromAbs)
	}
	if falseSilence && st.jumpTo == s.rel-dr {
		// The latest silence is the one before the suspect's line, unless there was one since.
		st.jumped, st.jumpFrom, st.jumpTo, st.jumpFromAbs = s.jumped, s.jumpFrom, s.jumpTo, time.Time{}
	}
	gaps := st.relGaps[:0]
	for _, g := range st.relGaps {
		backRel(&g[0])
		backRel(&g[1])
		if g[1]-g[0] > gapLimit {
			gaps = append(gaps, g)
		}
	}
	st.relGaps = gaps
	if int64(st.last.day)*86400+int64(st.last.tod) >= cutR {
		st.last.day -= j
		if !st.last.abs.IsZero() {
			st.last.abs = back(st.last.abs)
		}
	}
	if !c.lastAbs.IsZero() && !c.lastAbs.Before(cutT) {
		c.lastAbs = back(c.lastAbs)
	}
	c.day -= j
	y, m, d := c.date(s.from)
	f.warnBack(s.line, msg.New("warn.line.date-ahead", "date", msg.Raw(s.text),
		"reached", msg.Raw(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")), "line", n, "back", msg.Raw(text)))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mark records the first and last dated line and silences longer than gapLimit.
func (st *logState) mark(day, tod int, abs time.Time) {
	rel := int64(day)*86400 + int64(tod)
	if st.haveRel && rel-st.lastRel > gapLimit {
		st.relGaps = append(st.relGaps, [2]int64{st.lastRel, rel})
	}
	if st.haveRel && rel-st.lastRel > 30 {
		st.jumped, st.jumpFrom, st.jumpTo, st.jumpFromAbs = true, st.lastRel, rel, st.last.abs
	}
	st.haveRel, st.lastRel = true, rel
	if !abs.IsZero() {
		if !st.markAbs.IsZero() && abs.Sub(st.markAbs) > 30*time.Second {
			st.absJumpFrom, st.absJumpTo = st.markAbs, abs
		}
		st.markAbs = abs
	}
	if !st.first.set {
		st.first.set, st.first.day, st.first.tod, st.first.abs = true, day, tod, abs
	}
	st.last.day, st.last.tod, st.last.abs = day, tod, abs
}

func (st *logState) countUsage(day, tod int, k UsageKind) {
	st.sawEvent = true
	key := int64(day)*1440 + int64(tod/60)
	if st.cur != nil && key == st.curKey {
		st.cur.Counts[k]++ // the same minute as the line before: most usage lines
		return
	}
	u := st.usage[key]
	if u == nil {
		if u = st.spare; u != nil {
			st.spare, *u = nil, Usage{}
		} else {
			u = &Usage{}
		}
		st.usage[key] = u
	}
	st.cur, st.curKey = u, key
	u.Counts[k]++
	if st.clock.based && len(st.usage) > 1 {
		st.flushUsage(key)
	}
}

// flush dates the events and usage read before the first anchor.
func (st *logState) flush() {
	if !st.clock.based {
		return
	}
	for _, p := range st.pending {
		p.ev.Time = st.clock.at(p.day, p.tod)
		if p.ev.Kind == EvStart && p.prevDay >= 0 {
			p.ev.Prev = st.clock.at(p.prevDay, p.prevTod)
		}
		st.f.Events = append(st.f.Events, p.ev)
	}
	st.pending = st.pending[:0]
}

// flushUsage moves every counted minute except keep into f.Usage, in time order.
// The minute moved out is kept to count the next one in: a month of minutes allocates nothing.
func (st *logState) flushUsage(keep int64) {
	keys := st.keys[:0]
	for k := range st.usage {
		if k != keep {
			keys = append(keys, k)
		}
	}
	sortInt64(keys)
	for _, k := range keys {
		u := st.usage[k]
		day, min := int(k/1440), int(k%1440)
		u.Minute = st.clock.at(day, min*60)
		st.appendUsage(*u)
		delete(st.usage, k)
		st.spare = u
	}
	st.keys = keys
}

func (st *logState) appendUsage(u Usage) {
	us := st.f.Usage
	if n := len(us); n > 0 && us[n-1].Minute.Equal(u.Minute) {
		for i := range u.Counts {
			us[n-1].Counts[i] += u.Counts[i]
		}
		return
	}
	st.f.Usage = append(us, u)
}

func sortInt64(a []int64) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func (st *logState) finish() {
	f := st.f
	if !st.clock.based {
		switch {
		case f.Lines == 0 || !st.first.set:
		case st.distrusted > 0:
			f.warn(1, msg.New("warn.line.no-plausible-date"))
			f.Reason = msg.New("reason.no-plausible-date")
		default:
			f.warn(1, msg.New("warn.line.no-date"))
			f.Reason = msg.New("reason.no-date")
		}
		f.Events = nil
		return
	}
	st.flush()
	st.flushUsage(-1)
	if p := st.preamble; p.set && f.Host != "" {
		// The log ends inside lmgrd's start-up block, before the banner (a copy cut there):
		// the block is that start, on the host of the log's banners.
		f.Events = append(f.Events, p.start(f.Host))
	}
	if c := &st.clock; c.ambiguous > 0 && !c.byOrder {
		f.warn(c.ambiguous, msg.New("warn.line.dst-ambiguous"))
	}
	at := func(day, tod int, abs time.Time) time.Time {
		if !abs.IsZero() {
			return abs
		}
		return st.clock.at(day, tod)
	}
	f.First = at(st.first.day, st.first.tod, st.first.abs)
	f.Last = at(st.last.day, st.last.tod, st.last.abs)
	for _, g := range st.relGaps {
		f.Gaps = append(f.Gaps, Span{
			Start: st.clock.at(int(g[0]/86400), int(g[0]%86400)),
			End:   st.clock.at(int(g[1]/86400), int(g[1]%86400)),
		})
	}
	sortEvents(f.Events)
	// In an hour that repeats (autumn DST), the first and last lines' times above are one
	// reading of their clock; the events were placed by the log's order: the first and last
	// line are no later, and no earlier, than the events between them.
	if n := len(f.Events); n > 0 {
		if e := f.Events[0].Time; e.Before(f.First) {
			f.First = e
		}
		if e := f.Events[n-1].Time; e.After(f.Last) {
			f.Last = e
		}
	}
}

// sortEvents orders events by line: pending events were appended after some dated ones.
func sortEvents(ev []Event) {
	for i := 1; i < len(ev); i++ {
		for j := i; j > 0 && ev[j].Line < ev[j-1].Line; j-- {
			ev[j], ev[j-1] = ev[j-1], ev[j]
		}
	}
}

var usagePrefixes = []struct {
	p []byte
	k UsageKind
}{
	{[]byte("OUT: "), UsageOut}, {[]byte("IN: "), UsageIn}, {[]byte("DENIED: "), UsageDenied},
	{[]byte("QUEUED: "), UsageQueued}, {[]byte("DEQUEUED: "), UsageOther},
	{[]byte("UNSUPPORTED: "), UsageDenied}, {[]byte("UPGRADE: "), UsageOther},
	{[]byte("INUSE: "), UsageOther}, {[]byte("INQUEUE: "), UsageOther},
	{[]byte("BORROW"), UsageOther}, {[]byte("UNBORROW"), UsageOther},
	{[]byte("METERING_"), UsageOther}, {[]byte("DECREMENT"), UsageOther},
	{[]byte("ULTIMATE_DENIAL"), UsageDenied},
}

func usageKind(msg []byte) (UsageKind, bool) {
	if len(msg) == 0 || msg[0] < 'B' || msg[0] > 'U' {
		return 0, false
	}
	for _, u := range usagePrefixes {
		if bytes.HasPrefix(msg, u.p) {
			return u.k, true
		}
	}
	return 0, false
}

// dateAnchor finds a date in a message that states one; text is the date as written.
func dateAnchor(s string) (y int, m time.Month, d int, text string, ok bool) {
	var n int
	if rest, found := strings.CutPrefix(s, "TIMESTAMP "); found {
		rest = strings.TrimSpace(rest)
		y, m, d, n, ok = usDate(rest)
		return y, m, d, rest[:n], ok
	}
	if rest, found := strings.CutPrefix(s, "Server's System Date and Time: "); found {
		y, m, d, _, _, ok = longDate(rest)
		return y, m, d, dateWords(rest), ok
	}
	if i := strings.Index(s, "SLOG@) Start-Date: "); i >= 0 {
		rest := s[i+len("SLOG@) Start-Date: "):]
		y, m, d, _, _, ok = longDate(rest)
		return y, m, d, dateWords(rest), ok
	}
	if strings.Contains(s, " started on ") {
		if _, date, found := banner(s); found {
			y, m, d, n, ok = usDate(date)
			return y, m, d, date[:n], ok
		}
	}
	return 0, 0, 0, "", false
}

// zoneClue reads the local time and the zone name of a System Date or SLOG Start-Date line:
// "Server's System Date and Time: Thu Jun 08 2017 09:49:41 EDT".
func zoneClue(s string) (wall time.Time, zone string, ok bool) {
	rest, found := strings.CutPrefix(s, "Server's System Date and Time: ")
	if !found {
		i := strings.Index(s, "SLOG@) Start-Date: ")
		if i < 0 {
			return
		}
		rest = s[i+len("SLOG@) Start-Date: "):]
	}
	y, m, d, sec, zone, ok := longDate(rest)
	if !ok || zone == "" || len(zone) > 64 {
		return time.Time{}, "", false
	}
	return time.Date(y, m, d, sec/3600, sec/60%60, sec%60, 0, time.UTC), zone, true
}

// dateWords is a long date as written, for a message: "Thu Jun 08 2017 09:49:41 EDT", cut
// after a few words (a zone name is at most a few words; the rest of a line is not a date).
func dateWords(s string) string {
	f := strings.Fields(s)
	if len(f) > 8 {
		f = f[:8]
	}
	for i, w := range f {
		if len(w) > 32 {
			f[i] = w[:32] + "..."
		}
	}
	return strings.ToValidUTF8(strings.Join(f, " "), "?")
}

var bannerPrefixes = []string{"FlexNet Licensing (", "FLEXnet Licensing (", "FLEXlm (", "FlexNet Licensing version", "FLEXnet Licensing version"}

// banner reads "FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on HOST (linux) (6/8/2017)".
func banner(s string) (host, date string, ok bool) {
	known := false
	for _, p := range bannerPrefixes {
		if hasPrefixFold(s, p) {
			known = true
			break
		}
	}
	i := strings.Index(s, " started on ")
	if !known && i > 0 {
		// The product's name changes with its owners ("FlexNet Publisher", "lmgrd"): a
		// version in parentheses just before " started on " is the banner's shape all the same.
		head := s[:i]
		known = strings.HasSuffix(head, ")") && strings.Contains(head, "(v")
	}
	if !known || i < 0 {
		return "", "", false
	}
	rest := s[i+len(" started on "):]
	j := strings.IndexByte(rest, ' ')
	if j <= 0 {
		return "", "", false
	}
	host = rest[:j]
	rest = strings.TrimRight(rest, " \t") // a blank after the date, as lmgrd ends some lines
	if k := strings.LastIndexByte(rest, '('); k > 0 && strings.HasSuffix(rest, ")") {
		date = rest[k+1 : len(rest)-1]
	}
	return host, date, true
}

// classify tells what a message means for the triad. Lines that carry no triad meaning give
// EvNone.
func classify(lmgrd bool, s string) Event {
	ev := Event{Reason: -1}
	word := func(x string) string {
		x = strings.TrimSpace(x)
		if i := strings.IndexAny(x, " ,"); i >= 0 {
			x = x[:i]
		}
		return strings.TrimRight(x, ".:")
	}
	if lmgrd {
		switch {
		case strings.HasPrefix(s, "Trying connection to "):
			ev.Kind, ev.Peer = EvTrying, word(s[len("Trying connection to "):])
		case strings.HasPrefix(s, "Connected to "):
			ev.Kind, ev.Peer = EvConnected, word(s[len("Connected to "):])
		case strings.TrimSpace(s) == "Lost connection to master":
			ev.Kind = EvLostMaster
		case strings.HasPrefix(s, "Lost connection to "):
			ev.Kind, ev.Peer = EvLost, word(s[len("Lost connection to "):])
		case strings.HasPrefix(s, "Connection to ") && strings.Contains(s, " TIMED OUT"):
			ev.Kind, ev.Peer = EvTimedOut, word(s[len("Connection to "):])
		case strings.HasPrefix(s, "Cannot connect to ") && strings.Contains(s, " after incoming connection"):
			ev.Kind, ev.Peer = EvCannotConnect, word(s[len("Cannot connect to "):])
		case strings.HasPrefix(s, "CONNECTED, master is "):
			ev.Kind, ev.Peer = EvMasterIs, word(s[len("CONNECTED, master is "):])
		case hasPrefixFold(s, "selected (EXISTING) master "):
			ev.Kind, ev.Peer = EvSelectedMaster, word(s[len("selected (EXISTING) master "):])
		case strings.HasPrefix(s, "lmgrd lost quorum") || strings.TrimSpace(s) == "Lost quorum":
			ev.Kind = EvLostQuorum
		case strings.HasPrefix(s, "Master should be ") && strings.Contains(s, "but I can't connect"):
			ev.Kind, ev.Peer = EvMasterShouldBe, word(s[len("Master should be "):])
		case strings.HasPrefix(s, "There are ") && strings.Contains(s, "servers we can't read from"):
			ev.Kind = EvCantRead
		case strings.HasPrefix(s, "license daemon: lost all connections"):
			ev.Kind = EvLostAll
		case strings.HasPrefix(s, "License File SERVER line order mismatch"):
			ev.Kind = EvOrderMismatch
		case strings.HasPrefix(s, "ATTEMPT TO START VENDOR DAEMON "):
			ev.Kind, ev.Vendor = EvNoMasterStart, word(s[len("ATTEMPT TO START VENDOR DAEMON "):])
		case strings.HasPrefix(s, "Started ") && strings.Contains(s, " ("):
			ev.Kind, ev.Vendor = EvVendorStarted, word(s[len("Started "):])
		case hasPrefixFold(s, "REStarted ") && strings.Contains(s, " ("):
			ev.Kind, ev.Vendor = EvVendorRestarted, word(s[len("REStarted "):])
		case strings.Contains(s, " exited with status "):
			i := strings.Index(s, " exited with status ")
			ev.Kind, ev.Vendor = EvVendorExited, word(s[:i])
			rest := s[i+len(" exited with status "):]
			ev.Status, _ = atoi(rest)
			if j := strings.IndexByte(rest, '('); j >= 0 {
				ev.Why = strings.TrimSuffix(strings.TrimSpace(rest[j+1:]), ")")
			} else if j := strings.IndexByte(rest, ' '); j >= 0 {
				ev.Why = strings.TrimSpace(rest[j+1:])
			}
		case strings.HasPrefix(s, "SHUTDOWN request from "):
			ev.Kind = EvShutdownRequest
			rest := s[len("SHUTDOWN request from "):]
			if i := strings.Index(rest, " at node "); i >= 0 {
				ev.Why = rest[:i]
				ev.Peer = word(rest[i+len(" at node "):])
			}
			// ... for vendor "V": it stops that vendor daemon only.
			if _, v, ok := strings.Cut(rest, ` for vendor "`); ok {
				ev.Vendor, _, _ = strings.Cut(v, `"`)
			}
		case strings.HasPrefix(s, "EXITING DUE TO SIGNAL "):
			ev.Kind = EvExiting
			ev.Status, _ = atoi(s[len("EXITING DUE TO SIGNAL "):])
		case hasPrefixFold(s, "SHUTting down "):
			ev.Kind, ev.Vendor = EvVendorDown, word(s[len("SHUTting down "):])
		default:
			if host, _, ok := banner(s); ok {
				ev.Kind, ev.Peer = EvStart, host
			}
		}
		return ev
	}
	switch {
	case strings.HasPrefix(s, "Lost quorum"):
		ev.Kind = EvLostQuorum
	case strings.HasPrefix(s, "No quorum established"):
		ev.Kind = EvNoQuorum
	case strings.HasPrefix(s, "ERROR: ") && strings.Contains(s, " thought ") && strings.Contains(s, " was master"):
		rest := s[len("ERROR: "):]
		i := strings.Index(rest, " thought ")
		if i < 0 {
			break // "ERROR: thought was master" names no host
		}
		ev.Kind, ev.Peer = EvThoughtMaster, word(rest[:i])
		ev.Other = word(strings.TrimSuffix(strings.TrimSpace(rest[i+len(" thought "):]), " was master"))
	case strings.HasPrefix(s, "EXITING DUE TO SIGNAL "):
		rest := s[len("EXITING DUE TO SIGNAL "):]
		ev.Kind = EvVendorExiting
		ev.Status, _ = atoi(rest)
		if i := strings.Index(strings.ToLower(rest), "exit reason "); i >= 0 {
			ev.Reason, _ = atoi(rest[i+len("exit reason "):])
		}
	case strings.HasPrefix(s, "daemon shutdown requested"):
		ev.Kind = EvVendorDown
	case strings.HasPrefix(s, "Server started on "):
		// the vendor daemon is up and serves (TRIAD.md 5: it ends a vendor daemon's outage)
		ev.Kind, ev.Peer = EvVendorServing, word(s[len("Server started on "):])
	}
	return ev
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}
