package parser

import (
	"bytes"
	"unicode/utf8"
)

// detectSize is how much of a file Detect looks at.
const detectSize = 64 * 1024

// Detect tells the kind of a file from its first bytes. For KindUnknown it gives the reason.
func Detect(head []byte) (Kind, string) {
	if len(bytes.TrimSpace(head)) == 0 {
		return KindUnknown, "empty file"
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return KindUnknown, "binary data (NUL bytes), not a text log"
	}
	if !utf8.Valid(trimPartialRune(head)) && !mostlyText(head) {
		return KindUnknown, "binary data, not a text log"
	}
	var envelope, other, lmstat, license int
	continued := false // the previous line ended with a backslash (license file continuation)
	rest := head
	for n := 0; len(rest) > 0 && n < 400; n++ {
		var line []byte
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			line, rest = rest, nil
		} else {
			line, rest = rest[:i], rest[i+1:]
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
		case isLmstatMarker(t):
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
		return KindLmstat, ""
	case envelope > 0 && envelope >= other && envelope >= license:
		return KindDebugLog, ""
	case license > 0 && license*2 >= other:
		return KindLicense, ""
	}
	return KindUnknown, "not a FlexLM debug log, lmstat output or license file"
}

func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// mostlyText accepts legacy 8-bit text (Latin-1, Shift_JIS) while rejecting binary files.
func mostlyText(b []byte) bool {
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*100 < len(b)
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
