package parser

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Text encodings, by the names File.Encoding and Options.Encoding use.
//
// UTF-8 (the common case) is read as it is, without a transform; invalid bytes are kept and
// show as replacement characters when printed. The others are decoded to UTF-8 while streaming
// (golang.org/x/text), so the readers underneath only ever see UTF-8.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
	EncodingSJIS    = "shift_jis" // Windows code page 932 (Windows-31J), as Japanese Windows writes it
)

// encodingNames maps the names accepted by Options.Encoding (lower case) to the canonical ones.
var encodingNames = map[string]string{
	"utf-8":       EncodingUTF8,
	"utf8":        EncodingUTF8,
	"utf-16le":    EncodingUTF16LE,
	"utf-16be":    EncodingUTF16BE,
	"shift_jis":   EncodingSJIS,
	"sjis":        EncodingSJIS,
	"cp932":       EncodingSJIS,
	"windows-31j": EncodingSJIS,
}

const acceptedEncodings = "utf-8 (or utf8), utf-16le, utf-16be, shift_jis (or sjis, cp932, windows-31j)"

// CheckEncoding tells whether name is an encoding Options.Encoding accepts (case-insensitive);
// the error for an unknown name lists the accepted ones.
func CheckEncoding(name string) error {
	_, err := canonicalEncoding(name)
	return err
}

func canonicalEncoding(name string) (string, error) {
	if c, ok := encodingNames[strings.ToLower(strings.TrimSpace(name))]; ok {
		return c, nil
	}
	return "", fmt.Errorf("unknown encoding %q: the accepted ones are %s", name, acceptedEncodings)
}

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
)

// bomLen is the length of enc's byte order mark at the start of b, 0 when there is none.
// Shift_JIS has no byte order mark.
func bomLen(b []byte, enc string) int {
	var bom []byte
	switch enc {
	case EncodingUTF8:
		bom = bomUTF8
	case EncodingUTF16LE:
		bom = bomUTF16LE
	case EncodingUTF16BE:
		bom = bomUTF16BE
	}
	if bom != nil && bytes.HasPrefix(b, bom) {
		return len(bom)
	}
	return 0
}

// DetectEncoding tells the text encoding of a file from its first bytes: one of EncodingUTF8,
// EncodingUTF16LE, EncodingUTF16BE and EncodingSJIS. Read uses it unless Options.Encoding is set.
//
// The rules, in order, after any NUL bytes at the start: a byte order mark (UTF-8, UTF-16LE,
// UTF-16BE); UTF-16 without a mark when most two-byte units are ASCII with a NUL high byte;
// valid UTF-8 (ASCII included); text that decodes as Shift_JIS with at most one bad character
// in a hundred (see isShiftJIS); otherwise UTF-8 with invalid bytes (Latin-1, say, whose
// accented letters then show as replacement characters).
func DetectEncoding(head []byte) string {
	enc, _ := sniff(head[leadingNULs(head):])
	return enc
}

// sniff is DetectEncoding, also giving the length of the byte order mark.
func sniff(head []byte) (enc string, bom int) {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return EncodingUTF8, len(bomUTF8)
	case bytes.HasPrefix(head, bomUTF16LE):
		return EncodingUTF16LE, len(bomUTF16LE)
	case bytes.HasPrefix(head, bomUTF16BE):
		return EncodingUTF16BE, len(bomUTF16BE)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		if enc := sniffUTF16(head); enc != "" {
			return enc, 0
		}
	}
	if utf8.Valid(trimPartialRune(head)) {
		return EncodingUTF8, 0
	}
	if isShiftJIS(head) {
		return EncodingSJIS, 0
	}
	return EncodingUTF8, 0
}

// sniffUTF16 recognises UTF-16 without a byte order mark: in a FlexLM file most characters are
// ASCII, so at least half of the two-byte units that are not NUL are an ASCII character beside a
// NUL byte, all on the same side. Units that are all NUL (padding) are not counted.
func sniffUTF16(b []byte) string {
	var le, be, other int
	for i := 0; i+1 < len(b); i += 2 {
		x, y := b[i], b[i+1]
		switch {
		case x == 0 && y == 0:
		case y == 0 && isASCIIText(x):
			le++
		case x == 0 && isASCIIText(y):
			be++
		default:
			other++
		}
	}
	n := le + be + other
	switch {
	case le >= 2 && le*2 >= n && be*10 < n:
		return EncodingUTF16LE
	case be >= 2 && be*2 >= n && le*10 < n:
		return EncodingUTF16BE
	}
	return ""
}

func isASCIIText(c byte) bool {
	return c >= 0x20 && c < 0x7f || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// isShiftJIS tells whether b, which is not valid UTF-8, is Shift_JIS text: it decodes with at
// most one bad character (an invalid or unassigned sequence, or a C1 control) in a hundred good
// ones, and at least half of the good ones are kana, symbols or JIS level 1 kanji (first byte
// 0x81-0x9F, or half-width katakana). The second rule tells Latin-1 apart: its small accented
// letters (0xE0-0xFF) followed by a letter make rarer two-byte characters, or invalid ones.
// A character cut at the end of b is not counted.
func isShiftJIS(b []byte) bool {
	common, rare := 0, 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c < 0x80:
		case c >= 0xa1 && c <= 0xdf:
			common++ // half-width katakana
		case c >= 0x81 && c <= 0x9f || c >= 0xe0 && c <= 0xfc:
			if i+1 < len(b) && b[i+1] >= 0x40 && b[i+1] <= 0xfc && b[i+1] != 0x7f {
				if c <= 0x9f {
					common++
				} else {
					rare++
				}
				i++
			}
		}
	}
	good := common + rare
	if good == 0 || rare > common {
		return false
	}
	t := japanese.ShiftJIS.NewDecoder()
	var buf [4096]byte
	bad := 0
	for len(b) > 0 {
		nDst, nSrc, err := t.Transform(buf[:], b, false)
		for _, r := range string(buf[:nDst]) {
			if r == utf8.RuneError || r >= 0x80 && r < 0xa0 {
				bad++
			}
		}
		b = b[nSrc:]
		if err != transform.ErrShortDst {
			break // done, or a character cut at the end (transform.ErrShortSrc)
		}
	}
	return bad*100 <= good
}

// decoder is the transform that turns enc into UTF-8; nil for UTF-8, which is read as it is.
// Byte order marks are removed before it, so the UTF-16 decoders ignore them.
func decoder(enc string) transform.Transformer {
	switch enc {
	case EncodingUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case EncodingUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	case EncodingSJIS:
		return japanese.ShiftJIS.NewDecoder()
	}
	return nil
}

// decodeReader streams r, in enc without its byte order mark, as UTF-8.
func decodeReader(r io.Reader, enc string) io.Reader {
	if t := decoder(enc); t != nil {
		return transform.NewReader(r, t)
	}
	return r
}

// decodeHead decodes the first bytes of a file (without the byte order mark) for Detect. UTF-8
// is returned as it is; a character cut at the end of b is left out.
func decodeHead(b []byte, enc string) []byte {
	t := decoder(enc)
	if t == nil {
		return b
	}
	dst := make([]byte, len(b)+len(b)/2+64)
	n := 0
	for len(b) > 0 {
		nDst, nSrc, err := t.Transform(dst[n:], b, false)
		n += nDst
		b = b[nSrc:]
		if err != transform.ErrShortDst {
			break // done, or a character cut at the end (transform.ErrShortSrc)
		}
		dst = append(dst[:n], make([]byte, len(b)*3+64)...)
		dst = dst[:cap(dst)]
	}
	return dst[:n]
}
