package redact

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/lmtriad/lmtriad/parser"
)

// The final scan: everything written is read back and searched for every token replaced (in
// any case; a token's FQDN variants hold it as a word), in its names and in its content, both as
// raw bytes and decoded in the encoding it was written in. What it finds is a leak: the caller
// removes the output. A leak is told by its kind, never by the token.

// Leak is what the scan found: tokens of some kinds, in some files.
type Leak struct {
	Kinds []Kind   // the kinds of the tokens found, in order
	Files []string // the files (as written) they were found in, or whose name holds one, in order
}

func (l *Leak) add(k Kind, file string) {
	found := false
	for _, x := range l.Kinds {
		found = found || x == k
	}
	if !found {
		l.Kinds = append(l.Kinds, k)
		sort.Slice(l.Kinds, func(i, j int) bool { return l.Kinds[i] < l.Kinds[j] })
	}
	for _, f := range l.Files {
		if f == file {
			return
		}
	}
	l.Files = append(l.Files, file)
	sort.Strings(l.Files)
}

// Empty tells a scan that found nothing.
func (l *Leak) Empty() bool { return len(l.Kinds) == 0 }

// ScanDir scans the files Write wrote into dir.
func (t *Table) ScanDir(dir string, files []Written) (*Leak, error) {
	leak := &Leak{}
	for _, f := range files {
		t.scanText(leak, f.Name, []byte(f.Name))
		for _, decoded := range []bool{false, true} {
			if decoded && codecFor(f.Encoding).unit() == 1 && f.Encoding != parser.EncodingSJIS {
				continue // UTF-8: the raw bytes are the text
			}
			fh, err := os.Open(filepath.Join(dir, filepath.FromSlash(f.Name)))
			if err != nil {
				return nil, err
			}
			err = t.scanContent(leak, f.Name, fh, f.Encoding, decoded)
			fh.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	return leak, nil
}

// ScanArchive scans the archive at p (format "zip" or "tar.gz"), whose files Write listed.
func (t *Table) ScanArchive(p, format string, files []Written) (*Leak, error) {
	enc := map[string]string{}
	for _, f := range files {
		enc[f.Name] = f.Encoding
	}
	leak := &Leak{}
	seen := 0
	for _, decoded := range []bool{false, true} {
		each := func(name string, r io.Reader) error {
			if !decoded {
				seen++
				t.scanText(leak, name, []byte(name))
			}
			e, ok := enc[name]
			if !ok {
				t.scanText(leak, name, []byte(name))
				e = parser.EncodingUTF8
			}
			if decoded && e != parser.EncodingSJIS && codecFor(e).unit() == 1 {
				return nil
			}
			return t.scanContent(leak, name, r, e, decoded)
		}
		var err error
		switch format {
		case "zip":
			err = eachZip(p, each)
		case "tar.gz":
			err = eachTarGz(p, each)
		default:
			err = errors.New("unknown archive format " + format)
		}
		if err != nil {
			return nil, err
		}
	}
	if seen != len(files) {
		return nil, errors.New("the archive written does not hold the files written")
	}
	return leak, nil
}

func eachZip(p string, fn func(string, io.Reader) error) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		err = fn(f.Name, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func eachTarGz(p string, fn func(string, io.Reader) error) error {
	fh, err := os.Open(p)
	if err != nil {
		return err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(hdr.Name, tr); err != nil {
			return err
		}
	}
}

// scanContent scans one file's bytes: raw (as written), or decoded in enc.
func (t *Table) scanContent(leak *Leak, name string, r io.Reader, enc string, decoded bool) error {
	c := codec(utf8Codec{})
	if decoded {
		c = codecFor(enc)
	}
	ls := newLines(r, c)
	var text, keep []byte
	for {
		body, _, more, err := ls.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		text = c.decode(append(text[:0], keep...), body)
		t.scanText(leak, name, text)
		keep = keep[:0]
		if more { // a token cut between two pieces of a long line is found in the next
			keep = append(keep, text[max(0, len(text)-t.m.maxLen):]...)
		}
	}
}

// scanText records in leak the tokens found in text.
func (t *Table) scanText(leak *Leak, name string, text []byte) {
	t.m.find(text, func(_, _ int, tk tok) bool {
		leak.add(tk.e.kind, name)
		return true
	})
}
