package parser_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// TestRealworldEncodings: every real file is read as UTF-8 (they are all UTF-8 or ASCII) with
// its kind, and reads the same re-encoded to UTF-16LE with a byte order mark, as Windows tools
// save it, and with CRLF and LF mixed.
func TestRealworldEncodings(t *testing.T) {
	loc := newYork(t)
	for _, p := range realworldFiles(t) {
		rel, _ := filepath.Rel(realworld, p)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			want := parser.KindLmstat
			if strings.HasSuffix(rel, ".log") {
				want = parser.KindDebugLog
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			plain := readBytes(t, b, rel, parser.Options{Location: loc})
			if plain.Kind != want || plain.Encoding != parser.EncodingUTF8 {
				t.Fatalf("kind %v (%s), encoding %q; want %v, utf-8", plain.Kind, plain.Reason, plain.Encoding, want)
			}
			if enc := parser.DetectEncoding(b); enc != parser.EncodingUTF8 {
				t.Errorf("DetectEncoding = %q, want utf-8", enc)
			}
			if plain.Warned != plain.Unrecognized {
				t.Errorf("%d warnings for %d unrecognized lines: %v", plain.Warned, plain.Unrecognized, first(plain.Warnings, 5))
			}
			for _, v := range []struct {
				name string
				in   []byte
				enc  string
			}{
				{"UTF-16LE with BOM", encode(t, string(b), parser.EncodingUTF16LE, true), parser.EncodingUTF16LE},
				{"CRLF and LF mixed", []byte(mixEndings(string(b))), parser.EncodingUTF8},
			} {
				t.Run(v.name, func(t *testing.T) {
					f := readBytes(t, v.in, rel, parser.Options{Location: loc})
					if f.Encoding != v.enc {
						t.Errorf("Encoding = %q, want %q", f.Encoding, v.enc)
					}
					sameRead(t, f, plain)
				})
			}
		})
	}
}
