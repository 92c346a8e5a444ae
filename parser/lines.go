package parser

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxLine is the longest line kept whole; longer lines are cut there and a warning is given.
const MaxLine = 1 << 20

// lineReader yields lines without their line ending (LF, CRLF or a lone CR before LF), counts
// them, and cuts lines longer than MaxLine without reading them into memory whole.
type lineReader struct {
	br   *bufio.Reader
	n    int    // number of the line last returned, 1-based
	buf  []byte // reused for lines longer than the bufio buffer
	cut  bool   // the last line was longer than MaxLine
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
	l.cut = false
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
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	return b, true
}

// next reads the file's next line, counting it and warning when it had to be cut.
func (f *File) next(lr *lineReader) ([]byte, bool) {
	line, ok := lr.next()
	if !ok {
		return nil, false
	}
	f.Lines++
	if lr.cut {
		f.warn(lr.n, "line longer than 1 MiB, cut")
	}
	return line, true
}
