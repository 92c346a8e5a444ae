package parser

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// MaxLine is the longest line kept whole; longer lines are cut there and a warning is given.
const MaxLine = 1 << 20

// lineReader yields lines without their line ending (LF, CRLF, CR CR LF; a lone CR is not a
// line break) and without NUL bytes, counts them, and cuts lines longer than MaxLine without
// reading them into memory whole. It reads UTF-8: other encodings are decoded before it (Read).
// It does not allocate per line: lines are slices of its buffers, NULs are removed in place.
type lineReader struct {
	br   *bufio.Reader
	n    int    // number of the line last returned, 1-based
	buf  []byte // reused for lines longer than the bufio buffer
	cut  bool   // the last line was longer than MaxLine
	nul  bool   // the last line held NUL bytes, now dropped
	err  error
	done bool
}

func newLineReader(r io.Reader) *lineReader {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64*1024 {
		br = bufio.NewReaderSize(r, 64*1024)
	}
	return &lineReader{br: br}
}

// next returns the next line; ok is false at the end of input or on a read error (see err).
// The returned slice is valid until the following call.
func (l *lineReader) next() (line []byte, ok bool) {
	if l.done {
		return nil, false
	}
	l.cut, l.nul = false, false
	b, err := l.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		l.buf = append(l.buf[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = l.br.ReadSlice('\n')
			if len(l.buf) < MaxLine {
				room := MaxLine - len(l.buf)
				if len(b) > room {
					l.buf = append(l.buf, b[:room]...)
					l.cut = true
				} else {
					l.buf = append(l.buf, b...)
				}
			} else {
				l.cut = true
			}
		}
		b = l.buf
	}
	if err != nil {
		l.done = true
		if err != io.EOF {
			l.err = err
			return nil, false
		}
		if len(b) == 0 {
			return nil, false
		}
	}
	l.n++
	b, flags := cleanLine(bytes.TrimSuffix(b, []byte{'\n'}), l.cut)
	l.nul = flags&fNUL != 0
	return b, true
}

// dropNUL removes the NUL bytes of b in place.
func dropNUL(b []byte) []byte {
	w := 0
	for _, c := range b {
		if c != 0 {
			b[w] = c
			w++
		}
	}
	return b[:w]
}

// next reads the file's next line, counting it and warning when it had to be cut.
func (f *File) next(lr *lineReader) ([]byte, bool) {
	line, ok := lr.next()
	if !ok {
		f.nulDone()
		return nil, false
	}
	var flags uint8
	if lr.cut {
		flags |= fCut
	}
	if lr.nul {
		flags |= fNUL
	}
	f.countLine(lr.n, flags)
	return line, true
}

// countLine counts line n of the file, warning when it was cut or held NUL bytes.
func (f *File) countLine(n int, flags uint8) {
	f.Lines++
	if flags&fCut != 0 {
		f.warn(n, msg.New("warn.line.cut"))
	}
	if flags&fNUL != 0 {
		f.nulLine(n)
	}
}

// nulLine counts a line that held NUL bytes: one warning per file, at the first such line;
// nulDone sets its count at the end.
func (f *File) nulLine(n int) {
	if f.nulLines++; f.nulLines == 1 {
		kept := len(f.Warnings)
		f.warn(n, nulMessage(1))
		if len(f.Warnings) > kept {
			f.nulWarn = f.Warnings[kept]
		}
	}
}

func (f *File) nulDone() {
	if f.nulWarn != nil {
		f.nulWarn.Msg = nulMessage(f.nulLines)
	}
}

func nulMessage(n int) msg.Text {
	if n == 1 {
		return msg.New("warn.line.nul.one")
	}
	return msg.New("warn.line.nul", "n", n)
}
