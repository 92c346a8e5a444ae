package parser

import (
	"bytes"
	"unicode/utf8"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// detectSize is how much of a file Detect looks at.
const detectSize = 64 * 1024

// Detect tells the kind of a file from its first bytes. For KindUnknown it gives the reason
// (a reason.* code; zero for the other kinds). The bytes are decoded first, in the encoding
// DetectEncoding finds.
func Detect(head []byte) (Kind, msg.Text) {
	n := leadingNULs(head)
	if n > 0 && n == len(head) {
		return KindUnknown, reasonOnlyNUL()
	}
	head = head[n:]
	enc, bom := sniff(head)
	return detect(head[bom:], enc)
}

func reasonBinary() msg.Text  { return msg.New("reason.binary") }
func reasonOnlyNUL() msg.Text { return msg.New("reason.only-nul") }
func reasonEmpty() msg.Text   { return msg.New("reason.empty") }

// leadingNULs is the number of NUL bytes at the start of b that are skipped before looking at
// it: all when b holds nothing else, else an even number (UTF-16 stays aligned). A log
// truncated while its writer held it open starts with as many NULs as it had bytes.
func leadingNULs(b []byte) int {
	i := 0
	for i < len(b) && b[i] == 0 {
		i++
	}
	if i < len(b) {
		i &^= 1
	}
	return i
}

// detect tells the kind of a file from its first bytes in enc, byte order mark removed.
//
// NUL bytes are tolerated as a crash or a truncation leaves them in a log (a block of NULs
// where the data was never written, NUL padding at the end, NULs at the start of a file
// truncated under its writer) and left out of each line, as the readers drop them. Binary
// data is told by its magic number (zip, gzip, ELF, PNG, ...) or by control characters.
func detect(raw []byte, enc string) (Kind, msg.Text) {
	if binaryMagic(raw) {
		return KindUnknown, reasonBinary()
	}
	text := decodeHead(raw, enc)
	content, nonNUL, ctl := textStats(text)
	if content == 0 {
		if nonNUL < len(text) {
			return KindUnknown, reasonOnlyNUL()
		}
		return KindUnknown, reasonEmpty()
	}
	if ctl*100 >= nonNUL {
		return KindUnknown, reasonBinary()
	}
	var scratch []byte // a line without its NUL bytes
	var envelope, other, lmstat, license int
	continued := false // the previous line ended with a backslash (license file continuation)
	rest := text
	for n := 0; len(rest) > 0 && n < 400; n++ {
		var line []byte
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
		}
		if bytes.IndexByte(line, 0) >= 0 {
			scratch = appendNonNUL(scratch[:0], line)
			line = scratch
		}
		line = bytes.TrimRight(line, "\r")
		t := bytes.TrimSpace(line)
		if len(t) == 0 {
			continue
		}
		wasContinued := continued
		continued = t[len(t)-1] == '\\'
		switch {
		case wasContinued && license > 0:
			license++
		case isLmstatMarker(t), isServerLine(t): // a paste may hold nothing but server lines
			lmstat++
		case isLicenseKeyword(t):
			license++
		case t[0] == '#':
			// a comment: license files have them
		default:
			if _, ok := parseEnvelope(line); ok {
				envelope++
			} else {
				other++
			}
		}
	}
	switch {
	case lmstat > 0 && lmstat*4 >= envelope:
		return KindLmstat, msg.Text{}
	case envelope > 0 && envelope >= other && envelope >= license:
		return KindDebugLog, msg.Text{}
	case license > 0 && license*2 >= other:
		return KindLicense, msg.Text{}
	}
	return KindUnknown, msg.New("reason.not-flexlm")
}

func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// nulRunMax is the length from which a run of NUL bytes inside text is taken for a hole left
// by a crash rather than for a sign of binary data.
const nulRunMax = 32

// textStats counts the bytes of b that are neither white space nor NUL (content), those that
// are not NUL, and the signs of binary data: control characters other than white space, and
// runs of NUL bytes shorter than nulRunMax between other bytes.
func textStats(b []byte) (content, nonNUL, ctl int) {
	run := 0 // NUL bytes just seen
	for _, c := range b {
		if c == 0 {
			run++
			continue
		}
		if run > 0 && run < nulRunMax && nonNUL > 0 {
			ctl++
		}
		run = 0
		nonNUL++
		switch {
		case c > ' ':
			content++
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f':
		default:
			ctl++
		}
	}
	return content, nonNUL, ctl
}

// appendNonNUL appends b without its NUL bytes to dst.
func appendNonNUL(dst, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		b = b[i+1:]
	}
	return dst
}

// binaryMagics are the starts of binary files that may be given by mistake: archives and
// compressed files, executables, images, PDF and Office documents (an e-mailed .msg).
var binaryMagics = [][]byte{
	[]byte("PK\x03\x04"),                       // zip
	[]byte("PK\x05\x06"),                       // zip, empty
	[]byte("PK\x07\x08"),                       // zip, spanned
	[]byte("\x1f\x8b"),                         // gzip
	[]byte("\xfd7zXZ\x00"),                     // xz
	[]byte("7z\xbc\xaf\x27\x1c"),               // 7-Zip
	[]byte("Rar!\x1a\x07"),                     // RAR
	[]byte("\x28\xb5\x2f\xfd"),                 // zstd
	[]byte("\x7fELF"),                          // ELF executable
	[]byte("\x89PNG\r\n\x1a\n"),                // PNG
	[]byte("\xff\xd8\xff"),                     // JPEG
	[]byte("GIF8"),                             // GIF
	[]byte("%PDF-"),                            // PDF
	[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), // OLE2: .doc, .xls, .msg
}

func binaryMagic(b []byte) bool {
	for _, m := range binaryMagics {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	switch {
	case len(b) >= 10 && bytes.HasPrefix(b, []byte("BZh")) && b[3] >= '1' && b[3] <= '9' &&
		bytes.HasPrefix(b[4:], []byte("1AY&SY")): // bzip2
		return true
	case len(b) >= 262 && bytes.Equal(b[257:262], []byte("ustar")): // tar
		return true
	}
	return false
}

var lmstatMarkers = [][]byte{
	[]byte("Flexible License Manager status on "),
	[]byte("License server status: "),
	[]byte("lmgrd is not running:"),
	[]byte("Error getting status:"),
	[]byte("NOTE: lmstat -i does not give information"),
	[]byte("Vendor daemon status (on "),
}

func isLmstatMarker(t []byte) bool {
	for _, m := range lmstatMarkers {
		if bytes.HasPrefix(t, m) {
			return true
		}
	}
	// "lmutil - Copyright (c) ...", "lmstat - Copyright", vendor-renamed "lmutil-l34815 - Copyright",
	// and the bare "lmstat" / "lmstat v11.14.0.1 build ..." of lmstat -v.
	if (bytes.HasPrefix(t, []byte("lmutil")) || bytes.HasPrefix(t, []byte("lmstat"))) &&
		(bytes.Contains(t, []byte(" - Copyright")) || bytes.Equal(t, []byte("lmstat")) || bytes.HasPrefix(t, []byte("lmstat v"))) {
		return true
	}
	return false
}

var licenseKeywords = [][]byte{
	[]byte("SERVER "), []byte("VENDOR "), []byte("DAEMON "), []byte("FEATURE "), []byte("INCREMENT "),
	[]byte("USE_SERVER"), []byte("PACKAGE "), []byte("UPGRADE "),
}

func isLicenseKeyword(t []byte) bool {
	for _, k := range licenseKeywords {
		if bytes.HasPrefix(t, k) {
			return true
		}
	}
	return false
}
