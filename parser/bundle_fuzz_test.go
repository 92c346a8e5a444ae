package parser

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Small inputs for the fuzzer: it mutates its corpus and minimises every input that finds new
// code, trying up to n*n/2 cuts of an input of n bytes, so a seed of a few hundred bytes keeps it
// running thousands of inputs a second where one of kilobytes stalls it for a minute at a time.
// The large cases are in TestBundleLargeInputs.
const (
	seedLog     = " 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server3 (IBM PC) (12/1/2010)\n"
	seedLicense = "SERVER server3 17007ea8 27001\nVENDOR bm\n"
)

// fuzzLimits are the archive limits of FuzzBundle: small, so that small inputs reach them.
var fuzzLimits = Options{MaxBytes: 4 << 10, MaxEntries: 16}

// bundleNames are the names FuzzBundle gives its input: the name tells how a .gz's inner file is
// named and what a file that is not an archive is told it should have been.
var bundleNames = []string{"x.zip", "x.tar.gz", "x.gz"}

// FuzzBundle: any bytes, named as a zip, a tar.gz or a gz, either read as files or end with a
// *PathError about that path; never a panic, and never more read than the limits allow.
func FuzzBundle(f *testing.F) {
	for _, seed := range bundleSeeds(f) {
		for as := range bundleNames {
			f.Add(seed, uint8(as))
		}
	}
	dir := f.TempDir() // one per process: a process runs its inputs one at a time
	f.Fuzz(func(t *testing.T, data []byte, as uint8) {
		checkBundle(t, dir, data, bundleNames[int(as)%len(bundleNames)], fuzzLimits)
	})
}

// bundleSeeds are FuzzBundle's seeds, none over 1 KiB: archives of each kind, whole, cut short
// and nested, ones that cross each limit, entries that are not regular files, and plain files.
func bundleSeeds(t testing.TB) [][]byte {
	log, lic := []byte(seedLog), []byte(seedLicense)
	z := zipBytes(t, entry{"s3.log", log}, entry{"d/", nil}, entry{"l.dat", lic})
	tgz := gzipBytes(t, tarBytes(t, entry{"s/", nil}, entry{"s/s3.log", log}, entry{".h", lic}))
	tr := tarBytes(t, entry{"s3.log", log})[:1024] // one header, one block of data, no end blocks
	nested := gzipBytes(t, tarBytes(t, entry{"in.zip", zipBytes(t, entry{"a.log", log})}, entry{"in.gz", gzipBytes(t, lic)}))
	deep := zipBytes(t, entry{"a.zip", zipBytes(t, entry{"b.zip", zipBytes(t, entry{"c.log", log})})})
	var many []entry
	for i := range fuzzLimits.MaxEntries + 1 {
		many = append(many, entry{fmt.Sprint(i), nil})
	}
	return [][]byte{
		z, z[:len(z)/2], z[:len(z)-1], zipBytes(t),
		tgz, tgz[:len(tgz)/2], gzipBytes(t, log), gzipBytes(t, nil),
		tr, tr[:700],
		nested, deep,
		zipBytes(t, entry{"big.log", make([]byte, fuzzLimits.MaxBytes+1)}), // past the byte limit
		gzipBytes(t, tarBytes(t, many...)),                                 // past the entry limit
		specialEntries(t, log),
		log, lic, []byte("PK\x03\x04"), []byte("\x1f\x8b\x08"), nil,
	}
}

// specialEntries is a gzipped tar holding a log next to a link, a named pipe and a device, and a
// zip holding a link.
func specialEntries(t testing.TB, log []byte) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	link := &zip.FileHeader{Name: "link.log"}
	link.SetMode(os.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(link)
	w.Write([]byte("a.log"))
	zw.Close()
	for _, h := range []*tar.Header{
		{Name: "a.log", Typeflag: tar.TypeReg, Size: int64(len(log))},
		{Name: "l.log", Typeflag: tar.TypeSymlink, Linkname: "a.log"},
		{Name: "p.log", Typeflag: tar.TypeFifo},
		{Name: "z.log", Typeflag: tar.TypeChar},
		{Name: "in.zip", Typeflag: tar.TypeReg, Size: int64(zbuf.Len())},
	} {
		h.Mode, h.ModTime = 0o644, time.Unix(1291161600, 0)
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		switch h.Name {
		case "a.log":
			tw.Write(log)
		case "in.zip":
			tw.Write(zbuf.Bytes())
		}
	}
	tw.Close()
	return gzipBytes(t, buf.Bytes())
}

// TestBundleLargeInputs: FuzzBundle's property on inputs too large to seed the fuzzer with (the
// sample incident's files, archives that cross the limits by a lot), with the limits FuzzBundle
// had when they were its seeds.
func TestBundleLargeInputs(t *testing.T) {
	s3 := sample(t, "server3.log")
	lic := sample(t, "license.dat")
	z := zipBytes(t, entry{"server3.log", s3}, entry{"dir/", nil}, entry{"license.dat", lic})
	tgz := gzipBytes(t, tarBytes(t, entry{"s/", nil}, entry{"s/server3.log", s3}, entry{".hidden", lic}))
	nested := gzipBytes(t, tarBytes(t, entry{"in.zip", zipBytes(t, entry{"a.log", s3})}, entry{"in.gz", gzipBytes(t, lic)}))
	deep := zipBytes(t, entry{"a.zip", zipBytes(t, entry{"b.zip", zipBytes(t, entry{"c.log", s3})})})
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"zip", z}, {"zip cut in half", z[:len(z)/2]}, {"zip less a byte", z[:len(z)-1]},
		{"tar.gz", tgz}, {"tar.gz cut in half", tgz[:len(tgz)/2]}, {"gz", gzipBytes(t, s3)},
		{"tar", tarBytes(t, entry{"server3.log", s3})}, {"tar cut short", tarBytes(t, entry{"x", lic})[:700]},
		{"nested", nested}, {"too deep", deep},
		{"2 MiB of zeros", zipBytes(t, entry{"big.log", make([]byte, 2<<20)})},
		{"1100 entries", manyEntries(t, 1100)},
		{"sample zip", zipBytes(t, sampleEntries(t)...)},
		{"log", s3}, {"license", lic}, {"lmstat", sample(t, "lmstat.log")},
	} {
		for _, name := range bundleNames {
			t.Run(tc.name+" as "+name, func(t *testing.T) {
				checkBundle(t, dir, tc.data, name, Options{MaxBytes: 1 << 20, MaxEntries: 1000})
			})
		}
	}
}

// checkBundle is FuzzBundle's property: data, written to dir under name, is either read as files
// named after that path or ends with a *PathError about it, and reading stays within opt's limits.
func checkBundle(t *testing.T, dir string, data []byte, name string, opt Options) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := rewrite(p, data); err != nil {
		t.Fatal(err)
	}
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
		if !strings.HasPrefix(pe.Path, p) || pe.Msg.IsZero() {
			t.Fatalf("%s: error %q not about %s", name, err, p)
		}
	} else {
		if usable(files) == 0 {
			t.Fatalf("%s: no error, but nothing usable in %d files", name, len(files))
		}
		for _, f := range files {
			if f.Name != p && !strings.HasPrefix(f.Name, p+"!") {
				t.Fatalf("%s: file named %q", name, f.Name)
			}
			if f.Kind == KindUnknown && f.Reason.IsZero() {
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
}

// rewrite makes the file at p hold data. Unlike os.WriteFile it does not truncate the file to
// nothing first: where freeing and allocating a block is slow (a disk mounted with discard: 1 ms
// there), that was most of what an input cost the fuzzer.
func rewrite(p string, data []byte) error {
	fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = fh.WriteAt(data, 0)
	if err == nil {
		err = fh.Truncate(int64(len(data)))
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

// TestBundleSeedsSmall: the fuzzer's seeds stay small (see bundleSeeds).
func TestBundleSeedsSmall(t *testing.T) {
	for i, seed := range bundleSeeds(t) {
		if len(seed) > 1<<10 {
			t.Errorf("seed %d is %d bytes; put large cases in TestBundleLargeInputs", i, len(seed))
		}
	}
}

func sortedByName(files []*File) bool {
	for i := 1; i < len(files); i++ {
		if files[i-1].Name > files[i].Name {
			return false
		}
	}
	return true
}
