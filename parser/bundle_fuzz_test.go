package parser

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzBundle: any bytes, named as a zip, a tar.gz or a gz, either read as files or end with a
// *PathError about that path; never a panic, and never more read than the limits allow.
func FuzzBundle(f *testing.F) {
	s3 := sample(f, "server3.log")
	lic := sample(f, "license.dat")
	z := zipBytes(f, entry{"server3.log", s3}, entry{"dir/", nil}, entry{"license.dat", lic})
	tgz := gzipBytes(f, tarBytes(f, entry{"s/", nil}, entry{"s/server3.log", s3}, entry{".hidden", lic}))
	nested := gzipBytes(f, tarBytes(f, entry{"in.zip", zipBytes(f, entry{"a.log", s3})}, entry{"in.gz", gzipBytes(f, lic)}))
	deep := zipBytes(f, entry{"a.zip", zipBytes(f, entry{"b.zip", zipBytes(f, entry{"c.log", s3})})})
	for _, seed := range [][]byte{
		z, z[:len(z)/2], z[:len(z)-1], zipBytes(f),
		tgz, tgz[:len(tgz)/2], gzipBytes(f, s3), gzipBytes(f, nil),
		tarBytes(f, entry{"server3.log", s3}), tarBytes(f, entry{"x", lic})[:700],
		nested, deep,
		zipBytes(f, entry{"big.log", make([]byte, 2<<20)}),
		manyEntries(f, 1100),
		s3, lic, []byte("PK\x03\x04"), []byte("\x1f\x8b\x08"), nil,
	} {
		f.Add(seed)
	}
	dir := f.TempDir() // one per process: a process runs its inputs one at a time
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"x.zip", "x.tar.gz", "x.gz"} {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			opt := Options{MaxBytes: 1 << 20, MaxEntries: 1000} // small, so that the fuzzer meets them
			b := newBudget(opt)
			files, err := readPaths([]string{p}, opt, b)
			if b.bytes > b.maxBytes+1 || b.entries > b.maxEntries+1 {
				t.Fatalf("%s: read %d bytes and %d entries, limits %d and %d", name, b.bytes, b.entries, b.maxBytes, b.maxEntries)
			}
			if err != nil {
				var pe *PathError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: error %v (%T), want a *PathError", name, err, err)
				}
				if !strings.HasPrefix(pe.Path, p) || pe.Msg == "" {
					t.Fatalf("%s: error %q not about %s", name, err, p)
				}
				continue
			}
			if usable(files) == 0 {
				t.Fatalf("%s: no error, but nothing usable in %d files", name, len(files))
			}
			for _, f := range files {
				if f.Name != p && !strings.HasPrefix(f.Name, p+"!") {
					t.Fatalf("%s: file named %q", name, f.Name)
				}
				if f.Kind == KindUnknown && f.Reason == "" {
					t.Fatalf("%s: %s skipped without a reason", name, f.Name)
				}
			}
			if len(files) > 1 && !sortedByName(files) {
				t.Fatalf("%s: files not in name order: %q", name, names(files))
			}
		}
		// Detection agrees with itself on any prefix long enough.
		if k := sniffArchive(data); k != notArchive && len(data) >= archiveSniffSize && sniffArchive(data[:archiveSniffSize]) != k {
			t.Fatalf("sniffArchive depends on bytes past %d", archiveSniffSize)
		}
	})
}

func sortedByName(files []*File) bool {
	for i := 1; i < len(files); i++ {
		if files[i-1].Name > files[i].Name {
			return false
		}
	}
	return true
}
