package parser

import (
	"bufio"
	"errors"
	"io"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// Raw is one input file as ReadRaw finds it: where it is and how Read would read it, before any
// of its lines is read.
type Raw struct {
	Name     string // as File.Name: "bundle.zip!server2/lmgrd.log" inside an archive
	Disk     string // the file on disk that it is, or that holds it (an archive), as named
	Kind     Kind
	Reason   msg.Text // why the kind is unknown (reason.*)
	Encoding string   // as File.Encoding
	NULs     int64    // NUL bytes at its start, which Read skips
	BOM      int      // bytes of the byte order mark after them
}

// errRawStop stops a ReadRaw walk when its callback fails (the callback's error is returned).
var errRawStop = errors.New("stopped")

// ReadRaw finds the files of paths as ReadPaths does (folders walked in name order, archives
// streamed with the same limits, the same files skipped with the same reasons) and calls fn for
// each file found with a reader of its bytes as they are, from the first (leading NULs and byte
// order mark included): for tools that work on the bytes rather than on what they say. Raw tells
// how Read would take the file (kind, encoding, where its text starts). fn is called for files
// of every kind, KindUnknown included; it need not read to the end.
//
// It returns the files as ReadPaths lists them, without what their lines say (no events,
// snapshots or license), and without marking duplicates. An error of fn stops the walk and is
// returned as it is; other errors are *PathError, as ReadPaths's.
func ReadRaw(paths []string, opt Options, fn func(Raw, io.Reader) error) ([]*File, error) {
	forced := ""
	if opt.Encoding != "" {
		var err error
		if forced, err = canonicalEncoding(opt.Encoding); err != nil {
			return nil, err
		}
	}
	rd := &bundleReader{opt: opt, b: newBudget(opt)}
	var fnErr error
	rd.leaf = func(r io.Reader, name string) (*File, error) {
		br := bufio.NewReaderSize(r, detectSize)
		nuls := skipNULs(br)
		head, _ := br.Peek(detectSize)
		enc, bom, kind, reason := sniffHead(head, nuls, forced)
		raw := Raw{Name: name, Disk: rd.disk, Kind: kind, Reason: reason, Encoding: enc, NULs: nuls, BOM: bom}
		if err := fn(raw, io.MultiReader(&nulReader{n: nuls}, br)); err != nil {
			fnErr = err
			return nil, errRawStop
		}
		// The rest, unread: an archive's damage (a zip entry's checksum) shows only at its end.
		if _, err := io.Copy(io.Discard, br); err != nil {
			return nil, err
		}
		return &File{Name: name, Kind: kind, Reason: reason, Encoding: enc}, nil
	}
	files, err := rd.readPaths(paths)
	if fnErr != nil {
		return nil, fnErr
	}
	return files, err
}

// nulReader reads n NUL bytes.
type nulReader struct{ n int64 }

func (z *nulReader) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}
