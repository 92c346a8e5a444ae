package parser

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"time"
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
	Reason   string // why the kind is unknown, or why nothing could be used
	SHA256   string // of the bytes as read (before decoding)
	Encoding string // the text encoding the file was read in (utf-8, utf-16le, utf-16be, shift_jis)

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
	Snapshots []Snapshot

	// License file.
	License *License

	maxWarnings int
}

func (f *File) warn(line int, msg string) {
	f.Warned++
	max := f.maxWarnings
	if max <= 0 {
		max = 100
	}
	if len(f.Warnings) < max {
		f.Warnings = append(f.Warnings, &SyntaxError{File: f.Name, Line: line, Msg: msg})
	}
}

// Read detects the kind of r's content and reads all of it. name is used in messages.
// Only I/O errors are returned; malformed lines become warnings in the File.
func Read(r io.Reader, name string, opt Options) (*File, error) {
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, h), 64*1024)
	head, _ := br.Peek(detectSize)
	kind, reason := Detect(head)
	f := &File{Name: name, Kind: kind, Reason: reason, maxWarnings: opt.MaxWarnings}
	var err error
	switch kind {
	case KindDebugLog:
		err = readLog(br, f, opt)
	case KindLmstat:
		err = readLmstat(br, f, opt)
	case KindLicense:
		err = readLicense(br, f)
	default:
		_, err = io.Copy(io.Discard, br) // for the hash; the file is skipped
	}
	f.SHA256 = sum(h)
	return f, err
}

func sum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }
