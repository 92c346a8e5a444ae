package parser

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The debug-log and lmstat readers run as a pipeline, so that a big log keeps every core busy
// even when one server's log holds most of the bytes: one goroutine reads the file in blocks that
// end at a line boundary, another hashes what is read (see hashTap), workers split blocks into
// lines and parse them in parallel, and the caller folds the parsed lines into the log's state in
// file order, so dates, midnights and DST are rebuilt exactly as by a sequential reader. Memory is
// bounded by the blocks in flight, which are reused.

const (
	firstBlock = 64 << 10  // bytes of the first block; blocks double up to blockSize
	blockSize  = 256 << 10 // bytes a block holds at most, a whole number of lines
	inFlight   = 4         // blocks in flight per worker
	// maxWorkers bounds the workers of a pipeline: past a few, the hasher and the consumer,
	// one goroutine each, set the pace, and more would only hold more blocks in memory.
	maxWorkers = 4
)

// recKind classifies a line as the workers see it.
type recKind uint8

const (
	recEnvelope recKind = iota // "H:MM:SS (daemon) message"
	recBlank                   // only white space
	recNoEnv                   // no envelope: a continuation when it follows an enveloped line and looks like one
	recRun                     // a run of usage lines: batch.runs[x]
)

// rec is one parsed line, kept small: a block holds tens of thousands. Usage lines, most of a
// big log, carry no bytes; other lines keep their text in the batch's arena and their envelope
// in the batch's extras.
type rec struct {
	tod   int32
	x     int32 // index into batch.extra, -1 for usage and blank lines
	kind  recKind
	usage int8 // the UsageKind of a usage line, -1 otherwise
	flags uint8
}

const (
	fCut   = 1 << iota // the line was longer than MaxLine and was cut
	fNUL               // the line held NUL bytes, dropped
	fCont              // recNoEnv: starts like a continuation (tab, space, "(@")
	fLmgrd             // written by lmgrd (or lmadmin), not a vendor daemon
	fPlain             // a usage line with a plain time of day (no ISO or mm/dd date)
)

// extra is what a line other than a usage line keeps.
type extra struct {
	env     envelope // abs, month, day; daemon and msg are set from the arena on use
	raw     [2]int32 // the line, in the arena
	daemon  [2]int32
	msg     [2]int32
	trimmed [2]int32 // recNoEnv: the trimmed text, for the warning
}

// usageRun is a run of consecutive usage lines with a plain time of day, all in one minute,
// each at most 30 s after the line before and none before it: most of a busy log, counted by
// the worker without a record per line. Between such lines the log's clock sees no midnight,
// no silence and no jump, and the minute counted stays the same, so the consumer folds a run
// as its first line followed by its last (logState.usageRun), which leaves the state that
// folding its lines one by one would.
type usageRun struct {
	lines       int32
	first, last int32     // time of day of the first line and of the last
	kind        UsageKind // of the first line
	counts      [usageKinds]int32
}

// batch is the parsed lines of one block.
type batch struct {
	recs  []rec
	extra []extra
	arena []byte
	runs  []usageRun

	// lmstat: the block's lines, classified; they point into data, which stays valid until
	// the consumer is done with the batch.
	data  []byte
	lines []lmLine

	own []byte // a copy of the block's lines, when the worker must change them (see ownData)
}

// lmLine is one line of an lmstat block, or a run of plain lines.
type lmLine struct {
	start, end int32 // in batch.data, without the last line's ending
	lines      int32 // 1, or the plain lines of a run (none cut or with NULs)
	plain      bool  // no structural line: inside feature usage it needs no more reading
	flags      uint8 // fCut, fNUL
}

// A block is a buffer of whole lines, read in turn by a worker (to parse) and the consumer
// (to fold), and by the hasher (the bytes read into it). The last of them to let go gives it
// back to the reader (refs), so blocks are allocated only while the pipeline fills up.
type block struct {
	buf  []byte // what was read into it
	data []byte // the lines, in buf
	cut  bool   // data is the first MaxLine bytes of a longer line (the rest was skipped)
	out  chan *batch
	refs atomic.Int32
	free chan<- *block
}

func (b *block) release() {
	if b.refs.Add(-1) == 0 {
		select {
		case b.free <- b:
		default: // more blocks than the list holds: let it go
		}
	}
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

// reader reads r into blocks that end at a line boundary and sends them, in order, to work
// (for the workers) and order (for the consumer), and each read to hash when set (see
// hashTap.hash). Blocks start small and double up to blockSize, so a small file costs a small
// buffer. A line with no newline within MaxLine bytes is cut: its first MaxLine bytes make a
// block of their own, flagged, and the rest up to its newline is skipped, so memory stays
// bounded whatever the input.
type reader struct {
	r           io.Reader
	free        chan *block
	work, order chan<- *block
	hash        chan<- chunk
	carry       []byte // the start of a line that the previous read did not finish
	trace       *Trace
}

// chunk is bytes read into a block, for the hasher.
type chunk struct {
	b    *block
	data []byte
}

func (rd *reader) block(want int) *block {
	var b *block
	select {
	case b = <-rd.free:
	default:
		b = &block{out: make(chan *batch, 1), free: rd.free}
	}
	if cap(b.buf) < want {
		b.buf = make([]byte, 0, want)
	}
	b.refs.Store(1) // the reader's, until it is done with it
	b.cut = false
	return b
}

func (rd *reader) send(b *block) {
	b.refs.Add(2) // the worker's and the consumer's
	rd.work <- b
	rd.order <- b
}

func (rd *reader) run() error {
	defer close(rd.work)
	defer close(rd.order)
	if rd.hash != nil {
		defer close(rd.hash)
	}
	t := watch(rd.trace)
	defer func() { rd.trace.add(traceRead, t.total) }()
	size := firstBlock
	skipping := false
	for {
		want := size
		if len(rd.carry) >= want/2 {
			want = len(rd.carry) + size // a long line: read on
		}
		b := rd.block(max(want, size))
		buf := append(b.buf[:0], rd.carry...)
		t.start()
		n, err := io.ReadFull(rd.r, buf[len(buf):want])
		t.stop()
		if rd.hash != nil && n > 0 {
			b.refs.Add(1)
			rd.hash <- chunk{b, buf[len(buf) : len(buf)+n]}
		}
		buf = buf[:len(buf)+n]
		b.buf = buf
		end := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !end {
			b.release()
			return err
		}
		start := 0
		if skipping {
			i := bytes.IndexByte(buf, '\n')
			if i < 0 {
				start = len(buf)
			} else {
				start, skipping = i+1, false
			}
		}
		data := buf[start:]
		rd.carry = rd.carry[:0]
		if !end {
			if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
				rd.carry = append(rd.carry, data[i+1:]...)
				data = data[:i+1]
			} else if len(data) >= MaxLine {
				c := rd.block(MaxLine)
				c.buf = append(c.buf[:0], data[:MaxLine]...)
				c.data, c.cut = c.buf, true
				rd.send(c)
				c.release()
				data, skipping = nil, true
			} else {
				rd.carry, data = append(rd.carry, data...), nil
			}
		}
		if len(data) > 0 {
			b.data = data
			rd.send(b)
		}
		b.release()
		if end {
			return nil
		}
		if size < blockSize {
			size *= 2
		}
	}
}

// parseBlock splits a block into lines and parses them. Usage lines with a plain time of day,
// most of a busy log, make no record each: they are read by their first bytes (plainUsage) and
// counted into runs (see usageRun).
func parseBlock(b *block) *batch {
	out := batchPool.Get().(*batch)
	out.recs, out.extra, out.arena, out.runs = out.recs[:0], out.extra[:0], out.arena[:0], out.runs[:0]
	data, clean := ownData(b, out)
	open := -1 // the run the line before was counted in, -1 when none
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		r := rec{usage: -1, x: -1}
		if clean && len(line) <= MaxLine && !reference {
			for len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			if tod, k, ok := plainUsage(line); ok {
				if open >= 0 {
					u := &out.runs[open]
					if d := tod - u.last; d >= 0 && d <= 30 && tod/60 == u.first/60 {
						u.lines++
						u.last = tod
						u.counts[k]++
						continue
					}
				}
				open = len(out.runs)
				u := usageRun{lines: 1, first: tod, last: tod, kind: k}
				u.counts[k] = 1
				out.runs = append(out.runs, u)
				out.recs = append(out.recs, rec{kind: recRun, usage: -1, x: int32(open)})
				continue
			}
		} else {
			line, r.flags = cleanLine(line, b.cut)
		}
		open = -1
		e, ok := parseEnvelope(line)
		switch {
		case ok:
			r.kind = recEnvelope
			r.tod = int32(e.tod)
			lmgrd := isLmgrd(e.daemon)
			if lmgrd {
				r.flags |= fLmgrd
			} else if k, ok := usageKind(e.msg); ok {
				r.usage = int8(k)
				if e.abs.IsZero() && e.month == 0 {
					r.flags |= fPlain
					out.recs = append(out.recs, r)
					continue
				}
			}
			x := extra{env: e, raw: out.keep(line)}
			x.daemon = sub(x.raw, line, e.daemon)
			x.msg = sub(x.raw, line, e.msg)
			x.env.daemon, x.env.msg = nil, nil // the block is reused: keep no slice of it
			r.x = int32(len(out.extra))
			out.extra = append(out.extra, x)
		default:
			t := bytes.TrimSpace(line)
			if len(t) == 0 {
				r.kind = recBlank
				break
			}
			r.kind = recNoEnv
			if line[0] == '\t' || line[0] == ' ' || bytes.HasPrefix(t, []byte("(@")) {
				r.flags |= fCont
			}
			x := extra{raw: out.keep(line)}
			x.trimmed = sub(x.raw, line, t)
			r.x = int32(len(out.extra))
			out.extra = append(out.extra, x)
		}
		out.recs = append(out.recs, r)
	}
	return out
}

// ownData returns the lines of a block for a worker to read, and tells whether they are clean:
// no NUL byte anywhere (one look at the whole block spares one in each line) and no line cut.
// cleanLine drops NULs in place, and the hasher may not have read the block yet: the lines of
// a block with NULs are copied into the batch first.
func ownData(b *block, out *batch) ([]byte, bool) {
	if b.cut {
		return b.data, false // a copy of the reader's: the hasher reads the original
	}
	if bytes.IndexByte(b.data, 0) < 0 {
		return b.data, true
	}
	out.own = append(out.own[:0], b.data...)
	return out.own, false
}

// reference makes the workers read every line by the general path, with a record of its own
// (no plainUsage, no runs): what the runs are tested against.
var reference = false

// plainUsage reads a usage line with a plain time of day, as a vendor daemon writes most lines
// of a busy log: " 9:01:17 (bm) OUT: \"bm_solver\" tanaka@pc-1234  ". It looks at the first
// bytes only, and says ok for exactly the lines that parseEnvelope reads as H:MM:SS with a
// vendor daemon (not lmgrd or lmadmin) and whose message usageKind knows; it may leave some of
// those to them (a daemon name starting "lm", "((name))", H:MM).
func plainUsage(s []byte) (tod int32, k UsageKind, ok bool) {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	s = s[i:]
	// H:MM:SS or HH:MM:SS, then " (" and a name of 1 to 64 bytes without a space, then ") ".
	if len(s) < 14 || !isDigit(s[0]) {
		return 0, 0, false
	}
	h, n := int32(s[0]-'0'), 1
	if isDigit(s[1]) {
		h, n = h*10+int32(s[1]-'0'), 2
	}
	if h > 23 || s[n] != ':' || !isDigit(s[n+1]) || !isDigit(s[n+2]) || s[n+3] != ':' ||
		!isDigit(s[n+4]) || !isDigit(s[n+5]) || s[n+6] != ' ' || s[n+7] != '(' {
		return 0, 0, false
	}
	m := int32(s[n+1]-'0')*10 + int32(s[n+2]-'0')
	sec := int32(s[n+4]-'0')*10 + int32(s[n+5]-'0')
	if m > 59 || sec > 60 {
		return 0, 0, false
	}
	if sec == 60 {
		sec = 59 // a leap second, as clockTime reads it
	}
	rest := s[n+8:]
	end := -1
	for j := 0; j < len(rest) && j <= 64; j++ {
		if c := rest[j]; c == ')' {
			end = j
			break
		} else if c == ' ' || c == '(' {
			return 0, 0, false
		}
	}
	if end <= 0 || end+2 >= len(rest) || rest[end+1] != ' ' || rest[0] == 'l' && rest[1] == 'm' {
		return 0, 0, false // no name, no message, or perhaps lmgrd ("lmgrd_2", "lmadmin[12]")
	}
	msg := rest[end+2:]
	switch {
	case len(msg) >= 5 && string(msg[:5]) == "OUT: ":
		k = UsageOut
	case len(msg) >= 4 && string(msg[:4]) == "IN: ":
		k = UsageIn
	case len(msg) >= 8 && string(msg[:8]) == "DENIED: ":
		k = UsageDenied
	default:
		if k, ok = usageKind(msg); !ok {
			return 0, 0, false
		}
	}
	return h*3600 + m*60 + sec, k, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// graphic tells a printable ASCII byte other than the space: not white space at either end of
// a line, for bytes.TrimSpace.
func graphic(c byte) bool { return c > ' ' && c < 0x7f }

// parseLmstatBlock splits an lmstat block into lines and marks the plain ones: lines that no
// section of lmstat output starts or ends with (feature usage lines, most of a big file), so
// that the consumer reads only the others. Consecutive plain lines make one entry.
func parseLmstatBlock(b *block) *batch {
	out := batchPool.Get().(*batch)
	out.recs, out.extra, out.arena, out.lines = out.recs[:0], out.extra[:0], out.arena[:0], out.lines[:0]
	data, clean := ownData(b, out)
	out.data = data
	open := -1 // the entry of plain lines the line before joined, -1 when none
	pos := 0
	for pos < len(data) {
		end := len(data)
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			end, next = pos+i, pos+i+1
		}
		line := data[pos:end]
		l := lmLine{start: int32(pos), lines: 1}
		if clean && len(line) <= MaxLine && !reference {
			for len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
		} else {
			line, l.flags = cleanLine(line, b.cut)
		}
		l.end = l.start + int32(len(line))
		if reference {
			t := bytes.TrimSpace(line)
			l.plain = len(t) > 0 && !structural(t) // a blank line on its own, as it once was
		} else {
			l.plain = !structural(line)
		}
		switch {
		case !l.plain || l.flags != 0 || reference:
			open = -1
		case open >= 0:
			out.lines[open].end = l.end
			out.lines[open].lines++
			pos = next
			continue
		default:
			open = len(out.lines)
		}
		out.lines = append(out.lines, l)
		pos = next
	}
	return out
}

// structural tells an lmstat line that may start, end or belong to a section other than
// feature usage: headers, stamps, status and vendor lines ("name: ..."), separators. A blank
// line is not: lmstatState.line changes nothing for it, in any section, so it may join a run of
// plain lines (about half the lines a run prints that are not users).
func structural(line []byte) bool {
	t := line
	for len(t) > 0 && t[0] == ' ' {
		t = t[1:]
	}
	if len(t) == 0 {
		return false
	}
	if !graphic(t[0]) || !graphic(t[len(t)-1]) {
		t = bytes.TrimSpace(t) // other white space: rare
		if len(t) == 0 {
			return false
		}
	}
	switch t[0] {
	case 'F', 'L', 'V', 'U', 'E', 'N', 'l', '[', '#', '-':
		return true
	case 'P', 'S': // lmdown's output: "Port@Host", "Please wait ...", "Shutdown failed: ..."
		return lmdownLine(t) != ldNone
	}
	if t[0] >= '0' && t[0] <= '9' {
		return true // a stamp line
	}
	// "name: ..." with one word before the colon: a server or vendor daemon line.
	for j := 0; j+1 < len(t); j++ {
		switch t[j] {
		case ' ', '"':
			return false
		case ':':
			if t[j+1] == ' ' {
				return j > 0
			}
		}
	}
	return false
}

// cleanLine readies a line (without its newline) the way every reader sees it: cut at MaxLine
// (and not in the middle of a character), NUL bytes dropped in place, CRs trimmed from the end
// (CRLF, and CR CR LF from a CRLF text written again in text mode). cut says the line was cut
// already; the flags say what was done (fCut, fNUL).
func cleanLine(line []byte, cut bool) ([]byte, uint8) {
	var flags uint8
	if cut {
		flags |= fCut
	}
	if len(line) > MaxLine {
		line = line[:MaxLine]
		flags |= fCut
	}
	if bytes.IndexByte(line, 0) >= 0 {
		line = dropNUL(line)
		flags |= fNUL
	}
	line = bytes.TrimRight(line, "\r")
	if flags&fCut != 0 {
		line = trimPartialRune(line)
	}
	return line, flags
}

func isLmgrd(daemon []byte) bool {
	return string(daemon) == "lmgrd" || string(daemon) == "lmadmin" // no allocation: compared in place
}

// keep copies a line into the arena and returns its offsets.
func (b *batch) keep(line []byte) [2]int32 {
	start := len(b.arena)
	b.arena = append(b.arena, line...)
	return [2]int32{int32(start), int32(len(b.arena))}
}

// sub locates part (a subslice of line) inside the arena copy of line at at.
func sub(at [2]int32, line, part []byte) [2]int32 {
	if len(part) == 0 {
		return [2]int32{at[0], at[0]}
	}
	off := int32(cap(line) - cap(part)) // part starts off bytes into line
	return [2]int32{at[0] + off, at[0] + off + int32(len(part))}
}

func (b *batch) bytes(x [2]int32) []byte { return b.arena[x[0]:x[1]] }

// pipeline runs the reader, the workers (each block through parse) and, when tap is set, the
// hasher, and calls fn for each batch in file order; tr, when set, times them.
func pipeline(r io.Reader, tap *hashTap, tr *Trace, parse func(*block) *batch, fn func(*batch)) error {
	workers := min(runtime.GOMAXPROCS(0), maxWorkers)
	work := make(chan *block, inFlight*workers)
	order := make(chan *block, inFlight*workers)
	rd := &reader{r: r, free: make(chan *block, 2*inFlight*workers+4), work: work, order: order, trace: tr}
	var hashed chan struct{}
	if tap != nil {
		hash := make(chan chunk, inFlight*workers)
		rd.hash, hashed = hash, make(chan struct{})
		go func() {
			t := watch(tr)
			tap.hash(hash, &t)
			tr.add(traceHash, t.total)
			close(hashed)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- rd.run() }()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := watch(tr)
			for b := range work {
				t.start()
				bt := parse(b)
				t.stop()
				b.out <- bt
				b.release()
			}
			tr.add(traceParse, t.total)
		}()
	}
	t := watch(tr)
	for b := range order {
		bt := <-b.out
		t.start()
		fn(bt)
		t.stop()
		batchPool.Put(bt)
		b.release()
	}
	tr.add(traceFold, t.total)
	wg.Wait()
	if hashed != nil {
		<-hashed
	}
	return <-errc
}

// Trace adds up where the time of the debug-log and lmstat readers goes, stage by stage, over
// the files read with Options.Trace set to it (lmbench reports it). Each figure is the time its
// goroutines spent working, not waiting: the stages run at once, so they add up to more than
// the wall time when cores are free, and each counts the time its goroutine was descheduled
// too when they are not.
type Trace struct {
	Read  time.Duration // the reader: io.Reader.Read (from a file: the copy out of the page cache)
	Hash  time.Duration // the hasher: SHA-256 of the bytes read
	Parse time.Duration // the workers, all together: splitting blocks into lines, classifying them
	Fold  time.Duration // the consumer: folding the lines into the File, in file order
	mu    sync.Mutex
}

// add adds d to the stage's figure (one of the Trace's fields, named by a function, so that a
// nil Trace is never dereferenced).
func (tr *Trace) add(stage func(*Trace) *time.Duration, d time.Duration) {
	if tr == nil {
		return
	}
	tr.mu.Lock()
	*stage(tr) += d
	tr.mu.Unlock()
}

func traceRead(tr *Trace) *time.Duration  { return &tr.Read }
func traceHash(tr *Trace) *time.Duration  { return &tr.Hash }
func traceParse(tr *Trace) *time.Duration { return &tr.Parse }
func traceFold(tr *Trace) *time.Duration  { return &tr.Fold }

// stopwatch times one goroutine's work for a Trace; without one it does nothing.
type stopwatch struct {
	on    bool
	t0    time.Time
	total time.Duration
}

func watch(tr *Trace) stopwatch { return stopwatch{on: tr != nil} }

func (s *stopwatch) start() {
	if s.on {
		s.t0 = time.Now()
	}
}

func (s *stopwatch) stop() {
	if s.on {
		s.total += time.Since(s.t0)
	}
}
