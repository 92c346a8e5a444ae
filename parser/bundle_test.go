package parser

// Archive ("bundle") input. These tests are inside the package to read the budget counters,
// which show how much was read before a limit stopped the reading. Archives are built in memory;
// a file is written to a temporary directory only where ReadPaths needs a path.

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

const sampleDir = "../samples/kgtn-2010120101"

type entry struct {
	name string
	data []byte
}

func sampleEntries(t testing.TB) []entry {
	t.Helper()
	des, err := os.ReadDir(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	var es []entry
	for _, de := range des {
		data, err := os.ReadFile(filepath.Join(sampleDir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, entry{de.Name(), data})
	}
	return es
}

func sample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sampleDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func zipBytes(t testing.TB, es ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		var w interface{ Write([]byte) (int, error) }
		var err error
		if strings.HasSuffix(e.name, "/") {
			_, err = zw.Create(e.name)
		} else {
			w, err = zw.Create(e.name)
			if err == nil {
				_, err = w.Write(e.data)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarBytes(t testing.TB, es ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range es {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.data)), Typeflag: tar.TypeReg, ModTime: time.Unix(1291161600, 0)}
		if strings.HasSuffix(e.name, "/") {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeDir, 0o755, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// inDir writes files into a new temporary directory and makes it the working directory, so
// that archives are named in messages as the user would give them ("kgtn.zip!server1.log").
func inDir(t *testing.T, files ...entry) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// summary is what must not depend on how a file arrived.
func summary(f *File) string {
	return fmt.Sprintf("%s reason=%q lines=%d events=%d snapshots=%d license=%v host=%s sha=%.12s",
		f.Kind, en(f.Reason), f.Lines, len(f.Events), len(f.Snapshots), f.License != nil, f.Host, f.SHA256)
}

func names(files []*File) []string {
	var ns []string
	for _, f := range files {
		ns = append(ns, f.Name)
	}
	return ns
}

// listing is "name kind reason" for each file.
func listing(files []*File) string {
	var lines []string
	for _, f := range files {
		lines = append(lines, strings.TrimSpace(f.Name+" "+f.Kind.String()+" "+en(f.Reason)))
	}
	return strings.Join(lines, "\n")
}

func byName(files []*File) map[string]*File {
	m := map[string]*File{}
	for _, f := range files {
		m[f.Name] = f
	}
	return m
}

func readBudget(t *testing.T, opt Options, paths ...string) ([]*File, *budget, error) {
	t.Helper()
	b := newBudget(opt)
	files, err := readPaths(paths, opt, b)
	if b.bytes > b.maxBytes+1 || b.entries > b.maxEntries+1 {
		t.Errorf("read %d bytes and %d entries, past the limits %d and %d", b.bytes, b.entries, b.maxBytes, b.maxEntries)
	}
	return files, b, err
}

// wantPathError checks that err is a *PathError for path whose message has all of want.
func wantPathError(t *testing.T, err error, path string, want ...string) {
	t.Helper()
	var pe *PathError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want a *PathError", err, err)
	}
	if pe.Path != path {
		t.Errorf("error path %q, want %q (error: %v)", pe.Path, path, err)
	}
	for _, w := range want {
		if !strings.Contains(en(pe.Msg), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestBundleZipSampleSameAsDirectory(t *testing.T) {
	dir, err := ReadPaths([]string{sampleDir}, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	es := sampleEntries(t)
	rand.New(rand.NewSource(1)).Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	inDir(t, entry{"kgtn.zip", zipBytes(t, es...)})
	files, b, err := readBudget(t, Options{Location: time.UTC}, "kgtn.zip")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(dir) {
		t.Fatalf("zip gave %v, directory %v", names(files), names(dir))
	}
	for i, d := range dir {
		f := files[i]
		if want := "kgtn.zip!" + filepath.Base(d.Name); f.Name != want {
			t.Errorf("file %d is %s, want %s", i, f.Name, want)
		}
		if got, want := summary(f), summary(d); got != want {
			t.Errorf("%s: %s\n  directory: %s", f.Name, got, want)
		}
		for j, w := range f.Warnings {
			if w.File != f.Name {
				t.Errorf("%s: warning %d names %s", f.Name, j, w.File)
			}
		}
	}
	if b.entries != len(es) || b.bytes == 0 {
		t.Errorf("budget counted %d entries and %d bytes, want %d entries", b.entries, b.bytes, len(es))
	}
}

func TestBundleTarGzFolderPerServer(t *testing.T) {
	s1, s2, s3 := sample(t, "server1.log"), sample(t, "server2.log"), sample(t, "server3.log")
	// Stream order is not name order; folders, hidden files and macOS metadata are in it.
	tgz := gzipBytes(t, tarBytes(t,
		entry{"./incident/", nil},
		entry{"./incident/server3/", nil},
		entry{"./incident/server3/lmgrd.log", s3},
		entry{"./incident/server1/lmgrd.log", s1},
		entry{"./incident/.DS_Store", []byte("\x00\x00\x00\x01Bud1")},
		entry{"./incident/server2/lmgrd.log", s2},
		entry{"__MACOSX/incident/server2/._lmgrd.log", []byte("\x00\x05\x16\x07")},
		entry{"./incident/notes.txt", []byte("server2 rebooted at noon\n")},
		entry{"./incident/license.dat", sample(t, "license.dat")},
	))
	for _, name := range []string{"bundle.tar.gz", "bundle.tgz", "bundle.gz", "bundle"} {
		t.Run(name, func(t *testing.T) {
			inDir(t, entry{name, tgz})
			files, _, err := readBudget(t, Options{}, name)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"license.dat license", "notes.txt unknown", "server1/lmgrd.log debuglog", "server2/lmgrd.log debuglog", "server3/lmgrd.log debuglog"}
			var got []string
			for _, f := range files {
				got = append(got, strings.TrimPrefix(f.Name, name+"!incident/")+" "+f.Kind.String())
			}
			if strings.Join(got, ", ") != strings.Join(want, ", ") {
				t.Fatalf("files %q, want %q", got, want)
			}
			if f := files[1]; en(f.Reason) != "not a FlexLM debug log, lmstat output or license file" {
				t.Errorf("%s: reason %q", f.Name, en(f.Reason))
			}
			for i, data := range [][]byte{s1, s2, s3} {
				plain, err := Read(bytes.NewReader(data), "plain", Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := summary(files[2+i]), summary(plain); got != want {
					t.Errorf("%s: %s, read plainly %s", files[2+i].Name, got, want)
				}
			}
		})
	}
}

func TestBundleSingleGz(t *testing.T) {
	s1, s2 := sample(t, "server1.log"), sample(t, "server2.log")
	inDir(t, entry{"server1.log.gz", gzipBytes(t, s1)}, entry{"logs/server2.LOG.GZ", gzipBytes(t, s2)})
	files, b, err := readBudget(t, Options{}, "server1.log.gz", "logs")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(files), []string{"server1.log.gz!server1.log", "logs/server2.LOG.GZ!server2.LOG"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("names %q, want %q", got, want)
	}
	plain, _ := Read(bytes.NewReader(s1), "plain", Options{})
	if got, want := summary(files[0]), summary(plain); got != want {
		t.Errorf("%s, read plainly %s", got, want)
	}
	if b.entries != 2 || b.bytes != int64(len(s1)+len(s2)) {
		t.Errorf("budget: %d entries, %d bytes", b.entries, b.bytes)
	}
}

func TestBundleNested(t *testing.T) {
	s1, s2, s3 := sample(t, "server1.log"), sample(t, "server2.log"), sample(t, "server3.log")
	inner := zipBytes(t, entry{"server1.log", s1}, entry{"server2/", nil}, entry{"server2/lmgrd.log", s2})
	deep := zipBytes(t, entry{"server3.log", s3})
	outer := gzipBytes(t, tarBytes(t,
		entry{"logs/inner.zip", inner},
		entry{"logs/deeper.tar.gz", gzipBytes(t, tarBytes(t, entry{"deep.zip", deep}))},
		entry{"logs/empty.zip", zipBytes(t)},
		entry{"license.dat", sample(t, "license.dat")},
	))
	z := zipBytes(t,
		entry{"server3.log.gz", gzipBytes(t, s3)},
		entry{"more.tar", tarBytes(t, entry{"lmstat.log", sample(t, "lmstat.log")})},
	)
	inDir(t, entry{"outer.tar.gz", outer}, entry{"b.zip", z})
	files, _, err := readBudget(t, Options{}, "outer.tar.gz", "b.zip")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"outer.tar.gz!license.dat license",
		"outer.tar.gz!logs/deeper.tar.gz!deep.zip unknown",
		"outer.tar.gz!logs/empty.zip unknown",
		"outer.tar.gz!logs/inner.zip!server1.log debuglog",
		"outer.tar.gz!logs/inner.zip!server2/lmgrd.log debuglog",
		"b.zip!more.tar!lmstat.log lmstat",
		"b.zip!server3.log.gz!server3.log debuglog",
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name+" "+f.Kind.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m := byName(files)
	if r := en(m["outer.tar.gz!logs/deeper.tar.gz!deep.zip"].Reason); !strings.Contains(r, "one level of nesting") {
		t.Errorf("too deep: reason %q", r)
	}
	if r := en(m["outer.tar.gz!logs/empty.zip"].Reason); r != "an archive holding no files" {
		t.Errorf("empty zip: reason %q", r)
	}
	if f := m["outer.tar.gz!logs/inner.zip!server2/lmgrd.log"]; f.Host != "server2" || len(f.Events) == 0 {
		t.Errorf("nested log: host %q, %d events", f.Host, len(f.Events))
	}
	if f := m["b.zip!more.tar!lmstat.log"]; len(f.Runs) != 271 {
		t.Errorf("lmstat in a tar in a zip: %d runs, want 271", len(f.Runs))
	}
}

func TestBundleDuplicates(t *testing.T) {
	s1, s2 := sample(t, "server1.log"), sample(t, "server2.log")
	inDir(t,
		entry{"dir/server1.log", s1},
		entry{"dir/server2.log", s2},
		entry{"dir/empty1.txt", nil}, // unknown files are never duplicates of each other
		entry{"dir/empty2.txt", nil},
		entry{"copy.log", s1},
		entry{"bundle.zip", zipBytes(t, entry{"s1/lmgrd.log", s1}, entry{"s2.log", s2})},
	)
	files, _, err := readBudget(t, Options{}, "dir", "copy.log", "bundle.zip", "dir")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"dir/empty1.txt unknown: empty file",
		"dir/empty2.txt unknown: empty file",
		"dir/server1.log debuglog",
		"dir/server2.log debuglog",
		"copy.log debuglog: same content as dir/server1.log",
		"bundle.zip!s1/lmgrd.log debuglog: same content as dir/server1.log",
		"bundle.zip!s2.log debuglog: same content as dir/server2.log",
		"dir/empty1.txt unknown: empty file",
		"dir/empty2.txt unknown: empty file",
		"dir/server1.log debuglog: same content as dir/server1.log",
		"dir/server2.log debuglog: same content as dir/server2.log",
	}
	var got []string
	for _, f := range files {
		line := f.Name + " " + f.Kind.String()
		if !f.Reason.IsZero() {
			line += ": " + en(f.Reason)
		}
		got = append(got, line)
		if f.SameAs == "" {
			continue
		}
		// A duplicate keeps the kind it was read as and its hash, and says which file it repeats,
		// as a code with the name as its argument; nothing read from it is kept.
		if f.Reason.Key != "reason.same-content" || f.Reason.Args["as"] != msg.Raw(f.SameAs) {
			t.Errorf("%s: reason %v, want reason.same-content as %s", f.Name, f.Reason, f.SameAs)
		}
		if f.SHA256 == "" || f.Lines == 0 {
			t.Errorf("%s: skipped duplicate without its hash or line count", f.Name)
		}
		if len(f.Events) != 0 || len(f.Warnings) != 0 || f.Host != "" {
			t.Errorf("%s: skipped duplicate keeps %d events, %d warnings, host %q", f.Name, len(f.Events), len(f.Warnings), f.Host)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestBundleZipBomb: a 10 MiB entry of zeros (10 KiB compressed) stops at the compression ratio
// after 1 MiB and one buffer; with a small --max-bytes it stops at the byte limit and one byte.
// Neither holds the entry in memory.
func TestBundleZipBomb(t *testing.T) {
	zeros := make([]byte, 10<<20)
	bomb := zipBytes(t, entry{"big.log", zeros})
	tgzBomb := gzipBytes(t, tarBytes(t, entry{"a.log", sample(t, "server1.log")}, entry{".hidden", zeros}))
	gzBomb := gzipBytes(t, zeros)
	text := bytes.Repeat([]byte("10:00:00 (lmgrd) Connected to server2 - a line that compresses like a log\n"), 10000) // 740 KB
	inDir(t, entry{"bomb.zip", bomb}, entry{"bomb.tar.gz", tgzBomb}, entry{"bomb.log.gz", gzBomb},
		entry{"a.zip", zipBytes(t, entry{"a.log", text})}, entry{"b.zip", zipBytes(t, entry{"b.log", append([]byte("x"), text...)})})
	if len(bomb) > 20<<10 {
		t.Fatalf("the bomb is %d bytes compressed", len(bomb))
	}
	for _, tc := range []struct {
		paths    []string
		maxBytes int64
		errPath  string
		want     string
		most     int64 // the most bytes that may be read out of the archives
	}{
		{[]string{"bomb.zip"}, 0, "bomb.zip!big.log", "compression ratio over 200:1 (a zip bomb?)", ratioFloor + 64<<10},
		{[]string{"bomb.tar.gz"}, 0, "bomb.tar.gz", "compression ratio over 200:1", ratioFloor + 64<<10},
		{[]string{"bomb.log.gz"}, 0, "bomb.log.gz!bomb.log", "compression ratio over 200:1", ratioFloor + 64<<10},
		{[]string{"bomb.zip"}, 256 << 10, "bomb.zip!big.log", "expands past 256 KiB (--max-bytes to raise the limit)", 256<<10 + 1},
		{[]string{"bomb.tar.gz"}, 100000, "bomb.tar.gz", "expands past 100000 bytes (--max-bytes to raise the limit)", 100000 + 1},
		// The limit is for all archives together.
		{[]string{"a.zip", "b.zip"}, 1 << 20, "b.zip!b.log", "expands past 1 MiB", 1<<20 + 1},
	} {
		t.Run(strings.Join(tc.paths, "+")+fmt.Sprint(tc.maxBytes), func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			files, b, err := readBudget(t, Options{MaxBytes: tc.maxBytes}, tc.paths...)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("no error; files %q", names(files))
			}
			wantPathError(t, err, tc.errPath, tc.want)
			if b.bytes > tc.most {
				t.Errorf("read %d bytes out of the archives, want at most %d", b.bytes, tc.most)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; tc.paths[0] != "a.zip" && alloc > 8<<20 {
				t.Errorf("allocated %d bytes reading a bomb of %d", alloc, len(zeros))
			}
			t.Logf("%v after %d bytes, %d compressed", err, b.bytes, b.read)
		})
	}
	// With the default limits the same logs read: the limits do not stop ordinary logs.
	if files, _, err := readBudget(t, Options{}, "a.zip", "b.zip"); err != nil || len(files) != 2 || files[1].Kind != KindDebugLog {
		t.Errorf("a.zip, b.zip with the default limits: %v, %q", err, names(files))
	}
}

// manyEntries is a zip of n empty stored entries, written fast.
func manyEntries(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%06d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBundleTooManyEntries: 100,001 entries stop before the zip's central directory is read; a
// directory that lies about its count, and a tar stream, stop at the limit and one entry.
func TestBundleTooManyEntries(t *testing.T) {
	big := manyEntries(t, DefaultMaxEntries+1)

	// A zip64 directory of 70,000 entries whose end record claims 70,000 - 65,536: Go's zip
	// reader compares only 16 bits, so the count is checked entry by entry too.
	lying := manyEntries(t, 70000)
	i := bytes.LastIndex(lying, []byte("PK\x06\x06"))
	if i < 0 {
		t.Fatal("no zip64 end record")
	}
	binary.LittleEndian.PutUint64(lying[i+24:], 70000-65536)
	binary.LittleEndian.PutUint64(lying[i+32:], 70000-65536)

	var es []entry
	for i := range 1001 {
		es = append(es, entry{fmt.Sprintf("f%04d", i), nil})
	}
	inDir(t, entry{"bundle.zip", big}, entry{"lying.zip", lying}, entry{"many.tar.gz", gzipBytes(t, tarBytes(t, es...))},
		entry{"two/a.zip", manyEntries(t, 60)}, entry{"two/b.zip", manyEntries(t, 60)})

	for _, tc := range []struct {
		path       string
		maxEntries int
		errPath    string
		want       string
		entries    int   // entries counted when reading stops
		read       int64 // the most compressed bytes read
	}{
		{"bundle.zip", 0, "bundle.zip", "more than 100000 entries; an incident bundle has a few dozen files (is this the right archive?)", 0, 70 << 10},
		{"lying.zip", 10000, "lying.zip", "more than 10000 entries", 10001, int64(len(lying)) + 70<<10},
		{"many.tar.gz", 1000, "many.tar.gz", "more than 1000 entries", 1001, 64 << 10},
		{"two", 100, "two/b.zip", "more than 100 entries", 60, 1 << 20},
	} {
		t.Run(tc.path, func(t *testing.T) {
			files, b, err := readBudget(t, Options{MaxEntries: tc.maxEntries}, tc.path)
			if err == nil {
				t.Fatalf("no error; %d files", len(files))
			}
			wantPathError(t, err, tc.errPath, tc.want)
			if b.entries != tc.entries {
				t.Errorf("counted %d entries when stopping, want %d", b.entries, tc.entries)
			}
			if b.read > tc.read {
				t.Errorf("read %d compressed bytes, want at most %d", b.read, tc.read)
			}
			t.Logf("%v after %d entries, %d bytes read of %d", err, b.entries, b.read, len(big))
		})
	}
}

func TestBundleDamaged(t *testing.T) {
	z := zipBytes(t, entry{"server1.log", sample(t, "server1.log")}, entry{"lmstat.log", sample(t, "lmstat.log")})
	tgz := gzipBytes(t, tarBytes(t, entry{"server1.log", sample(t, "server1.log")}, entry{"lmstat.log", sample(t, "lmstat.log")}))
	tr := tarBytes(t, entry{"server1.log", sample(t, "server1.log")}, entry{"lmstat.log", sample(t, "lmstat.log")})
	var stored bytes.Buffer
	zw := zip.NewWriter(&stored)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "server1.log", Method: zip.Store})
	w.Write(sample(t, "server1.log"))
	zw.Close()
	badCRC := stored.Bytes()
	badCRC[bytes.Index(badCRC, []byte("Please Note"))] = 'p' // a changed byte in a stored entry: only the CRC tells
	deflated := bytes.Clone(z)
	deflated[bytes.Index(deflated, []byte("server1.log"))+len("server1.log")+10] ^= 0xff // inside the deflated data
	garbage := make([]byte, 5000)
	rand.New(rand.NewSource(2)).Read(garbage)
	raw := bytes.Clone(tr)
	raw[512+(len(sample(t, "server1.log"))+511)/512*512+1] ^= 1 // the second header's name: its checksum fails
	badTarHeader := gzipBytes(t, raw)
	inDir(t,
		entry{"short.zip", z[:len(z)/2]},
		entry{"crc.zip", badCRC},
		entry{"deflate.zip", deflated},
		entry{"short.tar.gz", tgz[:len(tgz)/2]},
		entry{"short.tar", tr[:len(tr)/2]},
		entry{"header.tar.gz", badTarHeader},
		entry{"garbage.zip", garbage},
		entry{"garbage.tgz", garbage},
		entry{"empty.zip", nil},
		entry{"text.gz", []byte("hello\n")},
		entry{"outer.zip", zipBytes(t, entry{"inner.tar.gz", tgz[:len(tgz)/2]})},
		entry{"dir/ok.log", sample(t, "server1.log")},
		entry{"dir/partial.zip", z[:len(z)-30]},
	)
	for _, tc := range []struct{ path, errPath, want string }{
		{"short.zip", "short.zip", "not a readable zip archive (zip: not a valid zip file); check that the download finished"},
		{"crc.zip", "crc.zip", "not a readable zip archive (zip: checksum error); check that the download finished"},
		{"deflate.zip", "deflate.zip", "not a readable zip archive (flate: corrupt input"},
		{"short.tar.gz", "short.tar.gz", "not a readable tar.gz archive (unexpected EOF); check that the download finished"},
		{"short.tar", "short.tar", "not a readable tar archive (unexpected EOF)"},
		{"header.tar.gz", "header.tar.gz", "not a readable tar.gz archive (archive/tar: invalid tar header)"},
		{"garbage.zip", "garbage.zip", "not a readable zip archive (no zip signature at the start); check that the download finished"},
		{"garbage.tgz", "garbage.tgz", "not a readable tar.gz archive (no gzip signature at the start)"},
		{"empty.zip", "empty.zip", "not a readable zip archive (empty file)"},
		{"text.gz", "text.gz", "not a readable gzip archive (no gzip signature at the start)"},
		{"outer.zip", "outer.zip!inner.tar.gz", "not a readable tar.gz archive (unexpected EOF)"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			files, _, err := readBudget(t, Options{}, tc.path)
			if err == nil {
				t.Fatalf("no error; files %q", names(files))
			}
			wantPathError(t, err, tc.errPath, tc.want)
			t.Log(err)
		})
	}
}

// TestBundleDamagedInFolder: in a folder, a damaged archive is one entry that cannot be
// read: listed as skipped with the reason, the rest read (TRIAD.md 5: exit 2 only when nothing
// can be analysed).
func TestBundleDamagedInFolder(t *testing.T) {
	z := zipBytes(t, entry{"server1.log", sample(t, "server1.log")})
	inDir(t,
		entry{"dir/ok.log", sample(t, "server1.log")},
		entry{"dir/partial.zip", z[:len(z)-30]},
		entry{"bad/partial.zip", z[:len(z)-30]},
	)
	files, _, err := readBudget(t, Options{}, "dir")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Kind != KindDebugLog || files[1].Name != "dir/partial.zip" || files[1].Kind != KindUnknown ||
		files[1].Reason.Key != "error.damaged-archive" {
		for _, f := range files {
			t.Logf("%s %v %s", f.Name, f.Kind, f.Reason.String())
		}
		t.Fatalf("want ok.log read and partial.zip skipped as not a readable zip archive")
	}
	// a folder holding only a damaged archive has nothing to analyse
	if _, _, err := readBudget(t, Options{}, "bad"); err == nil {
		t.Error("bad/: no error")
	}
}

func TestBundleNothingUsable(t *testing.T) {
	inDir(t,
		entry{"readme.zip", zipBytes(t, entry{"README.md", []byte("# incident\n")}, entry{".hidden.log", sample(t, "server1.log")})},
		entry{"empty.zip", zipBytes(t)},
		entry{"empty.tar", tarBytes(t)},
		entry{"misnamed.zip", sample(t, "server1.log")}, // a log named like an archive is read as the log
		entry{"dir/empty.tar.gz", gzipBytes(t, tarBytes(t, entry{"folder/", nil}))},
		entry{"dir/server1.log", sample(t, "server1.log")},
		entry{"dir/placeholder.zip", nil}, // in a directory or archive, a file named like an archive but not one is listed
		entry{"dir/b.zip", zipBytes(t, entry{"notes.tar", []byte("server2 rebooted\n")})},
		entry{"notes/README.md", []byte("# incident\n")},
		entry{"notes/a.txt", []byte("server2 rebooted\n")},
		entry{"note/README.md", []byte("# incident\n")},
	)
	for _, tc := range []struct{ path, want string }{
		{"readme.zip", "no debug log, lmstat output or license file in this archive (1 file looked at)"},
		{"empty.zip", "no debug log, lmstat output or license file in this archive (0 files looked at)"},
		{"notes", "no debug log, lmstat output or license file in this directory (2 files looked at)"},
		{"note", "no debug log, lmstat output or license file in this directory (1 file looked at)"},
	} {
		_, _, err := readBudget(t, Options{}, tc.path)
		wantPathError(t, err, tc.path, tc.want)
	}
	// An empty tar is 1024 zero bytes: no tar magic, so it is read (and refused) as a file.
	_, _, err := readBudget(t, Options{}, "empty.tar")
	wantPathError(t, err, "empty.tar", "not a readable tar archive (no tar header at the start)")

	files, _, err := readBudget(t, Options{}, "misnamed.zip", "dir")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name+" "+f.Kind.String()+" "+en(f.Reason))
	}
	want := []string{
		"misnamed.zip debuglog ",
		"dir/b.zip!notes.tar unknown not a readable tar archive (no tar header at the start); check that the download finished",
		"dir/empty.tar.gz unknown an archive holding no files",
		"dir/placeholder.zip unknown not a readable zip archive (empty file); check that the download finished",
		"dir/server1.log debuglog same content as misnamed.zip",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSniffArchive(t *testing.T) {
	tr := tarBytes(t, entry{"a", []byte("x")})
	badSum := bytes.Clone(tr)
	badSum[0] ^= 1
	for _, tc := range []struct {
		name string
		head []byte
		want archiveKind
	}{
		{"zip", zipBytes(t, entry{"a", nil}), archiveZip},
		{"empty zip", zipBytes(t), archiveZip},
		{"gzip", gzipBytes(t, nil), archiveGzip},
		{"tar", tr, archiveTar},
		{"tar, bad checksum", badSum, notArchive},
		{"log", sample(t, "server1.log"), notArchive},
		{"ustar in a log at 257", append(bytes.Repeat([]byte("x"), 257), "ustar is a word\n"+strings.Repeat("y", 300)...), notArchive},
		{"short", []byte("PK"), notArchive},
		{"empty", nil, notArchive},
	} {
		if got := sniffArchive(tc.head); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestBundleEntryNames(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		skip     bool
	}{
		{"server1/lmgrd.log", "server1/lmgrd.log", false},
		{"./server1/lmgrd.log", "server1/lmgrd.log", false},
		{"/abs/lmgrd.log", "abs/lmgrd.log", false},
		{`logs\server2\lmgrd.log`, "logs/server2/lmgrd.log", false},
		{"a\nb.log", "a?b.log", false},
		{".DS_Store", ".DS_Store", true},
		{"x/.git/config", "x/.git/config", true},
		{"__MACOSX/x/._a.log", "__MACOSX/x/._a.log", true},
		{"../up.log", "../up.log", true},
		{"dir/", "dir", false},
	} {
		got := cleanEntryName(tc.in)
		if got != tc.want || skipEntryName(got) != tc.skip {
			t.Errorf("%q: %q skip=%v, want %q skip=%v", tc.in, got, skipEntryName(got), tc.want, tc.skip)
		}
	}
	for in, want := range map[string]string{"a/b.log.gz": "b.log", "x.tgz": "x.tar", "outer.zip!in.GZ": "in", "c.gz": "c", ".gz": "data"} {
		if got := gzipInnerName(in); got != want {
			t.Errorf("gzipInnerName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBundleNoWrites: reading bundles writes nothing next to them.
func TestBundleNoWrites(t *testing.T) {
	inDir(t, entry{"b.zip", zipBytes(t, entry{"s.log", sample(t, "server1.log")}, entry{"in.tar.gz", gzipBytes(t, tarBytes(t, entry{"t.log", sample(t, "server2.log")}))})})
	if _, err := ReadPaths([]string{"b.zip"}, Options{}); err != nil {
		t.Fatal(err)
	}
	var all []string
	filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		all = append(all, p)
		return err
	})
	sort.Strings(all)
	if fmt.Sprint(all) != "[. b.zip]" {
		t.Errorf("the directory holds %q after reading", all)
	}
}

// TestBundleZipEntriesSkipped: entries lmtriad cannot read are listed as skipped with the reason,
// links too: they are not followed.
func TestBundleZipEntriesSkipped(t *testing.T) {
	s1 := sample(t, "server1.log")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	raw := func(h *zip.FileHeader, data []byte) {
		h.CRC32, h.CompressedSize64, h.UncompressedSize64 = 0, uint64(len(data)), uint64(len(data))
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	raw(&zip.FileHeader{Name: "secret.log", Method: zip.Store, Flags: 0x1}, []byte("encrypted bytes"))
	raw(&zip.FileHeader{Name: "bzip2.log", Method: 12}, []byte("BZh91AY&SY"))
	link := &zip.FileHeader{Name: "link.log"}
	link.SetMode(os.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(link)
	w.Write([]byte("server1.log"))
	w, _ = zw.Create("server1.log")
	w.Write(s1)
	zw.Close()
	inDir(t, entry{"b.zip", buf.Bytes()})
	files, _, err := readBudget(t, Options{}, "b.zip")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name+" "+f.Kind.String()+" "+en(f.Reason))
	}
	want := []string{
		"b.zip!bzip2.log unknown zip compression method 12 is not supported; unpack the bundle and give the files",
		"b.zip!link.log unknown a symbolic link in the archive; links are not followed",
		"b.zip!secret.log unknown encrypted zip entry; unpack the bundle with its password and give the files",
		"b.zip!server1.log debuglog ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestBundleTarEntriesSkipped: tar entries that are not regular files (links, devices, named
// pipes) are listed as skipped with the reason, never read, and the regular files around them
// are read.
func TestBundleTarEntriesSkipped(t *testing.T) {
	s1 := sample(t, "server1.log")
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range []*tar.Header{
		{Name: "incident/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "incident/server1.log", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(s1))},
		{Name: "incident/zero.log", Typeflag: tar.TypeChar, Mode: 0o666, Devmajor: 1, Devminor: 5},
		{Name: "incident/disk", Typeflag: tar.TypeBlock, Mode: 0o660, Devmajor: 8},
		{Name: "incident/pipe.log", Typeflag: tar.TypeFifo, Mode: 0o644},
		{Name: "incident/link.log", Typeflag: tar.TypeSymlink, Linkname: "/dev/zero"},
		{Name: "incident/up.log", Typeflag: tar.TypeSymlink, Linkname: "../../etc/passwd"},
		{Name: "incident/hard.log", Typeflag: tar.TypeLink, Linkname: "incident/server1.log"},
		{Name: "incident/volume", Typeflag: 'V'},
		{Name: "incident/.hidden-pipe", Typeflag: tar.TypeFifo}, // hidden: not listed, as in a folder
	} {
		h.ModTime = time.Unix(1291161600, 0)
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(s1)
		}
	}
	tw.Close()
	inDir(t, entry{"b.tar", buf.Bytes()}, entry{"b.tar.gz", gzipBytes(t, buf.Bytes())},
		entry{"outer.zip", zipBytes(t, entry{"inner.tar", buf.Bytes()})})
	for _, name := range []string{"b.tar", "b.tar.gz", "outer.zip"} {
		t.Run(name, func(t *testing.T) {
			files, b, err := readBudget(t, Options{}, name)
			if err != nil {
				t.Fatal(err)
			}
			prefix := name + "!"
			if name == "outer.zip" {
				prefix += "inner.tar!"
			}
			var got []string
			for _, f := range files {
				got = append(got, strings.TrimSpace(strings.TrimPrefix(f.Name, prefix)+" "+f.Kind.String()+" "+en(f.Reason)))
			}
			want := []string{
				"incident/disk unknown not a regular file (a block device)",
				"incident/hard.log unknown a hard link in the archive; the file it links to is read under its own name",
				"incident/link.log unknown a symbolic link in the archive; links are not followed",
				"incident/pipe.log unknown not a regular file (a named pipe)",
				"incident/server1.log debuglog",
				"incident/up.log unknown a symbolic link in the archive; links are not followed",
				"incident/volume unknown not a regular file (tar entry type 'V')",
				"incident/zero.log unknown not a regular file (a character device)",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if b.entries != 10+strings.Count(prefix, "!")-1 {
				t.Errorf("%d entries counted", b.entries)
			}
		})
	}
}

// storedZip is a zip of one stored (not compressed) entry of n random bytes plus the sample's
// server1.log: what a zip of binary data, a core dump say, looks like inside a bundle.
func storedZip(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "core.bin", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(w, rand.New(rand.NewSource(3)), int64(n)); err != nil {
		t.Fatal(err)
	}
	w, _ = zw.Create("server1.log")
	w.Write(sample(t, "server1.log"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBundleNestedZipSpooled: a zip inside a tar or gzip is copied to a temporary file in TMPDIR,
// not held in memory, and the file is gone once it has been read, whether reading it succeeded
// or not. Its bytes count against --max-bytes as they are copied.
func TestBundleNestedZipSpooled(t *testing.T) {
	s2 := sample(t, "server2.log")
	big := storedZip(t, 32<<20)
	inner := zipBytes(t, entry{"server2.log", s2}, entry{"lic/license.dat", sample(t, "license.dat")})
	inDir(t,
		entry{"big.tar", tarBytes(t, entry{"big.zip", big})},
		entry{"ok.tar.gz", gzipBytes(t, tarBytes(t, entry{"in.zip", inner}))},
		entry{"in.zip.gz", gzipBytes(t, inner)},
		entry{"damaged.tar", tarBytes(t, entry{"in.zip", inner[:len(inner)-30]})},
	)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	empty := func(when string) {
		t.Helper()
		if des, err := os.ReadDir(tmp); err != nil || len(des) != 0 {
			t.Errorf("%s: the temporary folder holds %v (%v)", when, des, err)
		}
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	files, _, err := readBudget(t, Options{}, "big.tar")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got := listing(files); got != "big.tar!big.zip!core.bin unknown binary data, not a text log\nbig.tar!big.zip!server1.log debuglog" {
		t.Errorf("files:\n%s", got)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d bytes reading a zip of %d inside a tar", alloc, len(big))
	}
	empty("after a 32 MiB zip")

	files, _, err = readBudget(t, Options{}, "ok.tar.gz", "in.zip.gz")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"ok.tar.gz!in.zip!lic/license.dat license",
		"ok.tar.gz!in.zip!server2.log debuglog",
		"in.zip.gz!in.zip!lic/license.dat license same content as ok.tar.gz!in.zip!lic/license.dat",
		"in.zip.gz!in.zip!server2.log debuglog same content as ok.tar.gz!in.zip!server2.log",
	}, "\n")
	if got := listing(files); got != want {
		t.Errorf("files:\n%s\nwant:\n%s", got, want)
	}
	empty("after reading")

	_, _, err = readBudget(t, Options{}, "damaged.tar")
	wantPathError(t, err, "damaged.tar!in.zip", "not a readable zip archive (zip: not a valid zip file)")
	empty("after a damaged zip")

	// The copy counts against --max-bytes, and stops there.
	_, b, err := readBudget(t, Options{MaxBytes: 1 << 20}, "big.tar")
	wantPathError(t, err, "big.tar!big.zip", "expands past 1 MiB")
	if b.bytes > 1<<20+1 {
		t.Errorf("read %d bytes with --max-bytes 1 MiB", b.bytes)
	}
	empty("after the limit")

	// Where no temporary file can be made, the error says so.
	t.Setenv("TMPDIR", filepath.Join(tmp, "missing"))
	_, _, err = readBudget(t, Options{}, "ok.tar.gz")
	wantPathError(t, err, "ok.tar.gz!in.zip", "a zip inside an archive is copied to a temporary file in "+filepath.Join(tmp, "missing")+
		", which failed (no such file or directory); set TMPDIR to a folder with room, or unpack the outer archive and give the folder")
}
