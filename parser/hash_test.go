package parser_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// File.SHA256 is of every byte as read, whoever hashes it: the reader's tap, or a pipeline's
// hasher on its own goroutine (debug logs and lmstat output in UTF-8), with the bytes read
// before the hand-over (the head, a byte order mark, leading NULs) counted once.
func TestSHA256OfEveryByte(t *testing.T) {
	big := busyLog(3 << 20) // many blocks
	withNUL := append([]byte(nil), big...)
	for i := 1000; i < len(withNUL); i += 777777 {
		withNUL[i] = 0 // NULs are dropped in place: on a copy, not under the hasher
	}
	longLine := " 9:00:00 (lmgrd) TIMESTAMP 12/1/2010\n 9:00:01 (bm) OUT: " + strings.Repeat("x", parser.MaxLine+5000) + "\n 9:00:02 (bm) IN: \"f\" u@h\n"
	lmstat := strings.Repeat("Flexible License Manager status on Wed 12/1/2010 10:00\n\nUsers of f:  (Total of 4 licenses issued;  Total of 1 license in use)\n    u h h (v1.0) (s1/27001 101), start Wed 12/1 9:58\n", 40000)
	utf16 := []byte{0xff, 0xfe}
	for _, c := range " 9:00:00 (lmgrd) TIMESTAMP 12/1/2010\n" {
		utf16 = append(utf16, byte(c), 0)
	}
	for _, tc := range []struct {
		name string
		data []byte
		kind parser.Kind
	}{
		{"busy log", big, parser.KindDebugLog},
		{"busy log with NULs", withNUL, parser.KindDebugLog},
		{"leading NULs", append(make([]byte, 5000), big[:200000]...), parser.KindDebugLog},
		{"byte order mark", append([]byte("\xef\xbb\xbf"), big[:300000]...), parser.KindDebugLog},
		{"a line longer than MaxLine", []byte(longLine), parser.KindDebugLog},
		{"lmstat", []byte(lmstat), parser.KindLmstat},
		{"crlf lmstat", []byte(strings.ReplaceAll(lmstat, "\n", "\r\n")), parser.KindLmstat},
		{"utf-16", utf16, parser.KindDebugLog},
		{"license", []byte("SERVER s1 0123 27001\nVENDOR bm\n"), parser.KindLicense},
		{"unknown", []byte("nothing to see\n"), parser.KindUnknown},
	} {
		sum := sha256.Sum256(tc.data)
		want := hex.EncodeToString(sum[:])
		// Whole reads, and short ones: then the bufio.Reader under the pipeline holds part of
		// what was read when the pipeline takes over.
		for _, r := range []io.Reader{bytes.NewReader(tc.data), iotest.HalfReader(bytes.NewReader(tc.data))} {
			f, err := parser.Read(r, "in", parser.Options{Location: time.UTC})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if f.SHA256 != want || f.Kind != tc.kind {
				t.Errorf("%s (%T): %s SHA256 %s, want %s %s", tc.name, r, f.Kind, f.SHA256, tc.kind, want)
			}
		}
	}
}
