package parser

import (
	"bytes"
	"io"
	"runtime"
	"sync"
)

// The debug-log reader runs as a pipeline, so that a big log keeps every core busy even when one
// server's log holds most of the bytes: one goroutine reads the file in blocks that end at a line
// boundary (hashing them on the way, see Read), workers split blocks into lines and parse each
// line's envelope in parallel, and the caller folds the parsed lines into the log's state in file
// order, so dates, midnights and DST are rebuilt exactly as by a sequential reader. Memory is
// bounded by the blocks in flight.

const (
	firstBlock = 64 << 10 // bytes of the first block; blocks double up to blockSize
	blockSize  = 1 << 20  // bytes a block holds at most, a whole number of lines
	inFlight   = 2        // blocks in flight per worker
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
}

// lmLine is one line of an lmstat block, or a run of plain lines.
type lmLine struct {
	start, end int32 // in batch.data, without the last line's ending
	lines      int32 // 1, or the plain lines of a run (none cut or with NULs)
	plain      bool  // no structural line: inside feature usage it needs no more reading
	flags      uint8 // fCut, fNUL
}

type block struct {
	data []byte
	cut  bool // data is the first MaxLine bytes of a longer line (the rest was skipped)
	out  chan *batch
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

// readBlocks reads r into blocks that end at a line boundary and sends them, in order, to
// work (for the workers) and order (for the consumer). Blocks start small and double up to
// blockSize, so a small file costs a small buffer; buffers come back through free. A line with
// no newline within MaxLine bytes is cut: its first MaxLine bytes make a block of their own,
// flagged, and the rest up to its newline is skipped, so memory stays bounded whatever the
// input.
func readBlocks(r io.Reader, free chan []byte, work, order chan<- *block, errc chan<- error) {
	defer close(work)
	defer close(order)
	send := func(data []byte, cut bool) {
		b := &block{data: data, cut: cut, out: make(chan *batch, 1)}
		work <- b
		order <- b
	}
	size := firstBlock
	var carry []byte // the start of a line that the previous read did not finish
	skipping := false
	for {
		want := size
		if len(carry) >= want/2 {
			want = len(carry) + size // a long line: read on
		}
		var buf []byte
		select {
		case buf = <-free:
		default:
		}
		if cap(buf) < want {
			buf = make([]byte, 0, max(want, size))
		}
		buf = append(buf[:0], carry...)
		n, err := io.ReadFull(r, buf[len(buf):want])
		buf = buf[:len(buf)+n]
		end := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !end {
			errc <- err
			return
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
		carry = nil
		if !end {
			if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
				carry = append(carry, data[i+1:]...)
				data = data[:i+1]
			} else if len(data) >= MaxLine {
				send(append([]byte(nil), data[:MaxLine]...), true)
				data, skipping = nil, true
			} else {
				carry, data = append(carry, data...), nil
			}
		}
		if len(data) > 0 {
			send(data, false)
		}
		if end {
			errc <- nil
			return
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
	data := b.data
	// One look for NUL bytes in the whole block spares one in each line.
	clean := !b.cut && bytes.IndexByte(data, 0) < 0
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
	out.data = b.data
	data := b.data
	clean := !b.cut && bytes.IndexByte(data, 0) < 0 // see parseBlock
	open := -1                                      // the entry of plain lines the line before joined, -1 when none
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
			l.plain = !structural(bytes.TrimSpace(line))
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
// feature usage: headers, stamps, status and vendor lines ("name: ..."), separators. Only
// white space is structural too.
func structural(line []byte) bool {
	t := line
	for len(t) > 0 && t[0] == ' ' {
		t = t[1:]
	}
	if len(t) == 0 || !graphic(t[0]) || !graphic(t[len(t)-1]) {
		t = bytes.TrimSpace(t) // other white space, or none but white space: rare
	}
	if len(t) == 0 {
		return true
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

// pipeline runs the reader and the workers (each block through parse) and calls fn for each
// batch in file order.
func pipeline(r io.Reader, parse func(*block) *batch, fn func(*batch)) error {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *block, inFlight*workers)
	order := make(chan *block, inFlight*workers)
	free := make(chan []byte, inFlight*workers+2)
	errc := make(chan error, 1)
	go readBlocks(r, free, work, order, errc)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.out <- parse(b)
			}
		}()
	}
	for b := range order {
		bt := <-b.out
		fn(bt)
		batchPool.Put(bt)
		if !b.cut {
			select {
			case free <- b.data[:0]:
			default:
			}
		}
	}
	wg.Wait()
	return <-errc
}
