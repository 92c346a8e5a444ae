package redact

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lmtriad/lmtriad/parser"
	"golang.org/x/text/encoding/japanese"
)

// Encodings. A file is redacted in the encoding it was read in, and written back in it: its text
// is decoded line by line to UTF-8, redacted, and encoded again. Decoding loses nothing: a byte
// that is not a character of the encoding (a Shift_JIS log cut in the middle of a character, a
// UTF-16 surrogate without its pair) is carried through as a private-use character standing for
// it, which no token contains, and written back as the byte (or unit) it was. UTF-8 is not
// decoded at all: its bytes are redacted as they are, invalid ones included.

// Placeholders: U+10FE00+b for a byte b of a Shift_JIS text that is not a character, U+10F000+u
// for a UTF-16 code unit u (a surrogate) that is not part of a character. A UTF-16 character
// that is itself in these ranges is carried as two unit placeholders.
const (
	byteBase  = 0x10FE00
	unitBase  = 0x10F000 - 0xD800
	unitFirst = 0x10F000
	unitLast  = 0x10F7FF
)

// codec decodes and encodes the text of one encoding; src holds whole characters.
type codec interface {
	decode(dst, src []byte) []byte
	encode(dst, text []byte) []byte
	unit() int // bytes per code unit: 1, or 2 for UTF-16
}

func codecFor(enc string) codec {
	switch enc {
	case parser.EncodingSJIS:
		return sjisCodec{}
	case parser.EncodingUTF16LE:
		return utf16Codec{}
	case parser.EncodingUTF16BE:
		return utf16Codec{be: true}
	}
	return utf8Codec{}
}

type utf8Codec struct{}

func (utf8Codec) decode(dst, src []byte) []byte { return append(dst, src...) }
func (utf8Codec) encode(dst, src []byte) []byte { return append(dst, src...) }
func (utf8Codec) unit() int                     { return 1 }

type sjisCodec struct{}

func (sjisCodec) unit() int { return 1 }

func isSJISLead(c byte) bool  { return c >= 0x81 && c <= 0x9f || c >= 0xe0 && c <= 0xfc }
func isSJISTrail(c byte) bool { return c >= 0x40 && c <= 0xfc && c != 0x7f }

// decode decodes src, a character at a time: each that does not come back as the same bytes
// when encoded again (invalid, or one of the few that Windows-31J spells twice) is carried as
// byte placeholders.
func (sjisCodec) decode(dst, src []byte) []byte {
	if ascii(src) {
		return append(dst, src...)
	}
	dec := japanese.ShiftJIS.NewDecoder()
	enc := japanese.ShiftJIS.NewEncoder()
	var ch, back [8]byte
	for i := 0; i < len(src); {
		c := src[i]
		n := 1
		switch {
		case c < 0x80:
			dst = append(dst, c)
			i++
			continue
		case isSJISLead(c) && i+1 < len(src) && isSJISTrail(src[i+1]):
			n = 2
		}
		nd, _, err := dec.Transform(ch[:], src[i:i+n], true)
		dec.Reset()
		ok := err == nil && nd > 0
		if ok {
			r, size := utf8.DecodeRune(ch[:nd])
			ok = r != utf8.RuneError && size == nd
			if ok {
				ne, _, err := enc.Transform(back[:], ch[:nd], true)
				enc.Reset()
				ok = err == nil && string(back[:ne]) == string(src[i:i+n])
			}
		}
		if ok {
			dst = append(dst, ch[:nd]...)
		} else {
			for _, b := range src[i : i+n] {
				dst = utf8.AppendRune(dst, rune(byteBase+int(b)))
			}
		}
		i += n
	}
	return dst
}

func (sjisCodec) encode(dst, text []byte) []byte {
	if ascii(text) {
		return append(dst, text...)
	}
	enc := japanese.ShiftJIS.NewEncoder()
	var out [8]byte
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r < 0x80 && size == 1:
			dst = append(dst, byte(r))
		case r >= byteBase && r <= byteBase+0xff:
			dst = append(dst, byte(r-byteBase))
		default:
			n, _, err := enc.Transform(out[:], text[i:i+size], true)
			enc.Reset()
			if err != nil {
				// not a character of Shift_JIS: only a pseudonym could bring one, and they
				// are ASCII
				n = copy(out[:], "?")
			}
			dst = append(dst, out[:n]...)
		}
		i += size
	}
	return dst
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

type utf16Codec struct{ be bool }

func (utf16Codec) unit() int { return 2 }

func (c utf16Codec) at(src []byte, i int) uint16 {
	if c.be {
		return uint16(src[i])<<8 | uint16(src[i+1])
	}
	return uint16(src[i+1])<<8 | uint16(src[i])
}

func (c utf16Codec) put(dst []byte, u uint16) []byte {
	if c.be {
		return append(dst, byte(u>>8), byte(u))
	}
	return append(dst, byte(u), byte(u>>8))
}

func (c utf16Codec) decode(dst, src []byte) []byte {
	for i := 0; i+1 < len(src); i += 2 {
		u := c.at(src, i)
		switch {
		case u < 0xd800 || u > 0xdfff:
			dst = utf8.AppendRune(dst, rune(u))
			continue
		case u < 0xdc00 && i+3 < len(src):
			if v := c.at(src, i+2); v >= 0xdc00 && v <= 0xdfff {
				if r := utf16.DecodeRune(rune(u), rune(v)); r < unitFirst || r > byteBase+0xff {
					dst = utf8.AppendRune(dst, r)
					i += 2
					continue
				}
			}
		}
		dst = utf8.AppendRune(dst, rune(unitBase+int(u)))
	}
	return dst
}

func (c utf16Codec) encode(dst, text []byte) []byte {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch {
		case r >= unitFirst && r <= unitLast:
			dst = c.put(dst, uint16(r-unitBase))
		case r >= 0x10000:
			a, b := utf16.EncodeRune(r)
			dst = c.put(c.put(dst, uint16(a)), uint16(b))
		default:
			dst = c.put(dst, uint16(r))
		}
	}
	return dst
}

// maxPiece is the longest piece of a line handled at once: a longer line is cut, at white space
// when there is some near the cut (tokens hold none, but for a few secrets), and its pieces
// redacted one after the other. The parser reads no further than 1 MiB of a line either.
const maxPiece = 1 << 20

// lines reads the raw lines of a text in an encoding: each piece is a line, or a part of a line
// longer than maxPiece, with its line ending (LF, or the LF unit of UTF-16) apart.
type lines struct {
	br    *bufio.Reader
	c     codec
	buf   []byte
	carry []byte
	eof   bool
}

func newLines(r io.Reader, c codec) *lines {
	return &lines{br: bufio.NewReaderSize(r, 64*1024), c: c}
}

// next returns the next piece: its body (without the line ending) and the line ending ("" when
// the line goes on in the next piece, or at the end of the text); more says that it does.
// A final odd byte of a UTF-16 text comes as a body of its own.
func (l *lines) next() (body, end []byte, more bool, err error) {
	if l.eof && len(l.carry) == 0 {
		return nil, nil, false, io.EOF
	}
	l.buf = append(l.buf[:0], l.carry...)
	l.carry = l.carry[:0]
	if l.c.unit() == 2 {
		return l.next16()
	}
	if i := indexLF(l.buf); i >= 0 {
		l.carry = append(l.carry, l.buf[i+1:]...)
		return l.buf[:i], l.buf[i : i+1], false, nil
	}
	for !l.eof {
		chunk, err := l.br.ReadSlice('\n')
		l.buf = append(l.buf, chunk...)
		switch {
		case err == nil:
			n := len(l.buf)
			return l.buf[:n-1], l.buf[n-1:], false, nil
		case errors.Is(err, bufio.ErrBufferFull):
			if len(l.buf) >= maxPiece {
				return l.cut()
			}
		case err == io.EOF:
			l.eof = true
		default:
			return nil, nil, false, err
		}
	}
	if len(l.buf) == 0 {
		return nil, nil, false, io.EOF
	}
	if len(l.buf) > maxPiece {
		return l.cut()
	}
	return l.buf, nil, false, nil
}

func indexLF(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// cut ends a piece of a long line in l.buf near maxPiece: after white space in its last 4 KiB,
// else at a character boundary. The rest is carried to the next piece.
func (l *lines) cut() ([]byte, []byte, bool, error) {
	n := min(len(l.buf), maxPiece)
	at := -1
	for i := n - 1; i > n-4096 && i > 0; i-- {
		if l.buf[i] == ' ' || l.buf[i] == '\t' {
			at = i + 1
			break
		}
	}
	if at < 0 {
		at = l.boundary(n)
	}
	l.carry = append(l.carry, l.buf[at:]...)
	return l.buf[:at], nil, true, nil
}

// boundary is the last character boundary at or before n in l.buf.
func (l *lines) boundary(n int) int {
	switch l.c.(type) {
	case sjisCodec:
		last := 0
		for i := 0; i < n; {
			last = i
			if isSJISLead(l.buf[i]) && i+1 < len(l.buf) && isSJISTrail(l.buf[i+1]) {
				i += 2
			} else {
				i++
			}
			if i <= n {
				last = i
			}
		}
		return max(last, 1)
	case utf8Codec:
		for i := n; i > n-utf8.UTFMax && i > 0; i-- {
			if utf8.RuneStart(l.buf[i]) {
				return i
			}
		}
	}
	return n
}

// next16 is next for UTF-16: lines end at the unit LF.
func (l *lines) next16() ([]byte, []byte, bool, error) {
	c := l.c.(utf16Codec)
	from := 0
	for {
		for i := from; i+1 < len(l.buf); i += 2 {
			if c.at(l.buf, i) == '\n' {
				l.carry = append(l.carry, l.buf[i+2:]...)
				return l.buf[:i], l.buf[i : i+2], false, nil
			}
		}
		from = len(l.buf) &^ 1
		if len(l.buf) >= maxPiece {
			n := maxPiece
			at := n
			for i := n - 2; i > n-4096 && i > 0; i -= 2 {
				if u := c.at(l.buf, i); u == ' ' || u == '\t' {
					at = i + 2
					break
				}
			}
			if u := c.at(l.buf, n-2); at == n && u >= 0xd800 && u < 0xdc00 {
				at = n - 2 // do not part a surrogate pair
			}
			l.carry = append(l.carry, l.buf[at:]...)
			return l.buf[:at], nil, true, nil
		}
		if l.eof {
			if len(l.buf) == 0 {
				return nil, nil, false, io.EOF
			}
			return l.buf, nil, false, nil
		}
		chunk, err := l.br.Peek(max(1, l.br.Buffered()))
		if len(chunk) > 0 {
			l.buf = append(l.buf, chunk...)
			_, _ = l.br.Discard(len(chunk)) // peeked: cannot fail
			continue
		}
		if err == io.EOF {
			l.eof = true
			continue
		}
		if err != nil {
			return nil, nil, false, err
		}
	}
}
