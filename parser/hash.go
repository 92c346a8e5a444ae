package parser

import (
	"bufio"
	"crypto/sha256"
	"hash"
	"io"
)

// hashTap computes a file's SHA-256 as Read reads it. It sits under the bufio.Reader that
// Read peeks with (io.TeeReader) and hashes what passes, until a pipeline takes it over (take):
// then the pipeline's hasher hashes the bytes as the reader reads them into blocks, on a
// goroutine of its own, so that hashing, the longest serial task of a big file, runs on one
// core while the lines are parsed on the others, and parsing a block never waits for its hash.
type hashTap struct {
	h     hash.Hash
	taken bool
	skip  int // bytes the pipeline reads first that the tap hashed already
}

func newHashTap() *hashTap { return &hashTap{h: sha256.New()} }

// Write hashes p unless a pipeline has taken over.
func (t *hashTap) Write(p []byte) (int, error) {
	if !t.taken {
		t.h.Write(p)
	}
	return len(p), nil
}

// take hands the hashing over to the pipeline that reads text, when text is br (UTF-8: the
// bytes as read), under which the tap sits; it returns nil otherwise, and the tap goes on.
// What br holds already was hashed when it was read: the pipeline skips that.
func (t *hashTap) take(text io.Reader, br *bufio.Reader) *hashTap {
	if text != io.Reader(br) {
		return nil
	}
	t.taken, t.skip = true, br.Buffered()
	return t
}

// hash hashes the chunks in order, then hands the hashing back to the tap; sw times it.
func (t *hashTap) hash(chunks <-chan chunk, sw *stopwatch) {
	for c := range chunks {
		d := c.data
		if t.skip > 0 {
			n := min(t.skip, len(d))
			d, t.skip = d[n:], t.skip-n
		}
		sw.start()
		t.h.Write(d)
		sw.stop()
		c.b.release()
	}
	t.taken = false
}
