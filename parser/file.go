package parser

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"hash"
	"io"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// Kind is the kind of an input file, detected from its content.
type Kind uint8

// Input kinds, named as in the JSON report.
const (
	KindUnknown Kind = iota
	KindDebugLog
	KindLmstat
	KindLicense
)

func (k Kind) String() string {
	switch k {
	case KindDebugLog:
		return "debuglog"
	case KindLmstat:
		return "lmstat"
	case KindLicense:
		return "license"
	}
	return "unknown"
}

// Options control how inputs are read.
type Options struct {
	// Location is the zone the servers' clocks were in; log and lmstat times are read in it.
	// Nil means UTC.
	Location *time.Location
	// MaxWarnings is how many warnings a File keeps (all are counted); 0 means 100.
	MaxWarnings int
	// Encoding forces the text encoding of every input ("utf-8", "utf-16le", "utf-16be",
	// "shift_jis"); empty means detect it from each file's content.
	Encoding string
	// MaxBytes bounds the bytes read out of archives, all together; 0 means 4 GiB.
	MaxBytes int64
	// MaxEntries bounds the entries of archives, all together; 0 means 100,000.
	MaxEntries int
	// Now is this machine's clock, given by the caller (the parser does not read the clock).
	// A date line more than a day after it is not trusted (see plausible); the zero Time
	// means unknown, and then only the lower bound, 1988, applies.
	Now time.Time
	// Trace, when set, adds up the time each stage of the debug-log and lmstat readers takes
	// (for lmbench); nil costs nothing.
	Trace *Trace
}

func (o Options) loc() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// Span is a time range [Start, End].
type Span struct {
	Start, End time.Time
}

// File is everything read from one input.
type File struct {
	Name     string // the path as given; "bundle.zip!server2/lmgrd.log" inside an archive
	Kind     Kind
	Reason   msg.Text // why the kind is unknown, or why nothing could be used (reason.*); zero when usable
	SameAs   string   // the file read first with the same content (SHA-256): this one is skipped
	SHA256   string   // of the bytes as read (before decoding)
	Encoding string   // the text encoding the file was read in (utf-8, utf-16le, utf-16be, shift_jis)

	Lines        int // lines read
	Recognized   int // lines that matched a known form (with or without triad meaning)
	Unrecognized int // lines that matched none; each is a warning
	Warnings     []*SyntaxError
	Warned       int // all warnings, kept or not

	First, Last time.Time // first and last dated line (zero when none)
	Gaps        []Span    // debug log: silences over 6h15m between consecutive lines

	// Debug log.
	Host       string   // the host of the first banner ("started on HOST")
	Hosts      []string // every host named by a banner, in order of first appearance
	Events     []Event
	Usage      []Usage // usage lines counted per minute, in time order
	StartsCold bool    // the log begins with an lmgrd start: before it, lmgrd was not running

	// lmstat.
	Snapshots []Snapshot // what the runs said: one per distinct content (see Runs)
	Runs      []Run      // every run, in file order
	Untimed   []Run      // lmstat output pasted without its header: its time is unknown (Time zero)
	Stops     []Stop     // lmdown output: planned stops of the servers it lists

	// License file.
	License *License

	// Lines that tell the zone the clocks were in (a few: the first ones and each change).
	ZoneClues []ZoneClue

	// Lines that may be triad news in a wording lmtriad does not know (see Suspect), in line
	// order; SuspectsMore counts those that read as news past the ones kept. The debug-log
	// reader counted them as Recognized (lines without triad meaning), the lmstat reader as
	// Unrecognized.
	Suspects     []Suspect
	SuspectsMore int

	maxWarnings int
	nulLines    int          // lines that held NUL bytes
	nulWarn     *SyntaxError // the warning about them, at the first such line, when kept
}

func (f *File) warn(line int, m msg.Text) {
	f.Warned++
	max := f.maxWarnings
	if max <= 0 {
		max = 100
	}
	if len(f.Warnings) < max {
		f.Warnings = append(f.Warnings, &SyntaxError{File: f.Name, Line: line, Msg: m})
	}
}

// Read detects the encoding and the kind of r's content and reads all of it. name is used in
// messages. The encoding is opt.Encoding when set, else DetectEncoding's; text in another
// encoding than UTF-8 is decoded while streaming. File.SHA256 is of the bytes as read.
// Only I/O errors and an unknown opt.Encoding are returned; malformed lines become warnings
// in the File.
//
// Read reads r to its end (the hash is of every byte): a reader that may never end, such as a
// device or standard input, must be bounded by the caller (io.LimitReader). ReadPaths and
// ReadFile bound every file by its size and refuse devices and named pipes.
func Read(r io.Reader, name string, opt Options) (*File, error) {
	forced := ""
	if opt.Encoding != "" {
		var err error
		if forced, err = canonicalEncoding(opt.Encoding); err != nil {
			return nil, err
		}
	}
	tap := newHashTap()
	br := bufio.NewReaderSize(io.TeeReader(r, tap), 64*1024)
	nuls := skipNULs(br)
	head, _ := br.Peek(detectSize)
	enc, bom, kind, reason := sniffHead(head, nuls, forced)
	f := &File{Name: name, Kind: kind, Reason: reason, Encoding: enc, maxWarnings: opt.MaxWarnings}
	_, err := br.Discard(bom)
	text := decodeReader(br, enc) // br itself for UTF-8
	if nuls > 0 {
		// The first line held the NULs skipped: one is put back for the readers to count it.
		text = io.MultiReader(bytes.NewReader([]byte{0}), text)
	}
	if err == nil {
		switch kind {
		case KindDebugLog:
			err = readLog(text, tap.take(text, br), f, opt)
		case KindLmstat:
			err = readLmstat(text, tap.take(text, br), f, opt)
		case KindLicense:
			err = readLicense(text, f)
		}
	}
	if err == nil {
		_, err = io.Copy(io.Discard, br) // for the hash: all of an unknown file, the rest of others
	}
	f.SHA256 = sum(tap.h)
	return f, err
}

// sniffHead tells the encoding (forced, when not empty), the length of the byte order mark and
// the kind of a file whose first bytes after its nuls leading NUL bytes are head.
func sniffHead(head []byte, nuls int64, forced string) (enc string, bom int, kind Kind, reason msg.Text) {
	enc = forced
	if enc == "" {
		enc, bom = sniff(head)
	} else {
		bom = bomLen(head, enc)
	}
	if nuls > 0 && len(head) == 0 {
		return enc, bom, KindUnknown, reasonOnlyNUL()
	}
	kind, reason = detect(head[bom:], enc)
	return enc, bom, kind, reason
}

// skipNULs discards the NUL bytes at the start of br as leadingNULs counts them (all, or an
// even number), however many there are, and tells how many it discarded. It stops at the end of
// br, at the first error, or after a short read; only a reader of endless NULs keeps it going,
// which Read's callers rule out (see Read).
func skipNULs(br *bufio.Reader) int64 {
	var n int64
	for {
		b, _ := br.Peek(detectSize)
		i := leadingNULs(b)
		if i == 0 {
			return n
		}
		_, _ = br.Discard(i) // peeked: cannot fail
		n += int64(i)
		if i < len(b) {
			return n
		}
	}
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// ZoneClue is a line that tells the time zone the clock that wrote it was in (TRIAD.md 6): a
// stamp line or -datestamp time with a UTC offset, or a zone abbreviation (EDT, JST) or a
// Windows zone name (Tokyo Standard Time) after the local time of a System Date or SLOG line.
type ZoneClue struct {
	File string
	Line int
	Text string
	// Wall is the local date and time the line states, its clock fields in a UTC time (the
	// zone is what the clue is for).
	Wall time.Time
	// Offset is the UTC offset in seconds east, when HasOffset; else Name is the zone's name
	// as written.
	Offset    int
	HasOffset bool
	Name      string
}

// maxZoneClues bounds the clues a file keeps: the first, and then one at each change.
const maxZoneClues = 32

// clue keeps a zone clue unless it says what the last one kept said.
func (f *File) clue(c ZoneClue) {
	if n := len(f.ZoneClues); n > 0 {
		last := f.ZoneClues[n-1]
		if last.HasOffset == c.HasOffset && last.Offset == c.Offset && last.Name == c.Name {
			return
		}
		if n >= maxZoneClues {
			return
		}
	}
	c.File = f.Name
	f.ZoneClues = append(f.ZoneClues, c)
}

// wallOf is t's clock fields in a UTC time.
func wallOf(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}
