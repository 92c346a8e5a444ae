package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
)

// zeros is an endless reader of NUL bytes, as /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadBoundedNULs: a bounded stream of nothing but NULs (/dev/zero behind io.LimitReader, as
// a caller reading standard input would give it) is read to its end and reported, not looped on;
// and NULs in front of a log are skipped however many there are.
func TestReadBoundedNULs(t *testing.T) {
	const n = 16 << 20
	f, err := Read(io.LimitReader(zeros{}, n), "zero", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != KindUnknown || f.Reason.Key != "reason.only-nul" {
		t.Errorf("kind %v, reason %v", f.Kind, f.Reason)
	}
	if want := sha256hexReader(t, io.LimitReader(zeros{}, n)); f.SHA256 != want {
		t.Errorf("SHA256 %s, want the hash of all %d bytes %s", f.SHA256, n, want)
	}

	log := " 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)\n"
	f, err = Read(io.MultiReader(io.LimitReader(zeros{}, 3<<20), strings.NewReader(log)), "truncated", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != KindDebugLog || f.Host != "server1" || f.Lines != 1 {
		t.Errorf("after 3 MiB of NULs: kind %v, host %q, %d lines", f.Kind, f.Host, f.Lines)
	}
}

func sha256hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func sha256hexReader(t *testing.T, r io.Reader) string {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
