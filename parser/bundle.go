package parser

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// Bundles: customers send their evidence as a .zip, .tar, .tar.gz/.tgz or .gz, sometimes a
// folder per server inside, sometimes an archive inside an archive. Archives are recognised by
// their content and read streaming or in place, never unpacked to disk, and every file in them
// is read with Read under the name "ARCHIVE!inner/path". Only a zip inside another archive, which
// needs random access, is copied to a private temporary file, removed as soon as it has been read.
//
// A bundle is untrusted input, so everything read out of archives is counted against one budget
// for the whole ReadPaths call: bytes (Options.MaxBytes), entries (Options.MaxEntries), and the
// compression ratio of every compressed stream. Reading stops as soon as a limit is crossed.

const (
	// DefaultMaxBytes is the default of Options.MaxBytes.
	DefaultMaxBytes int64 = 4 << 30
	// DefaultMaxEntries is the default of Options.MaxEntries.
	DefaultMaxEntries = 100_000

	// maxRatio is the highest compression ratio accepted (uncompressed:compressed) once a
	// compressed stream has produced more than ratioFloor bytes. Text logs compress about 5:1
	// to 100:1 (the bundled lmstat output, a very repetitive file, is 80:1); deflate's ceiling,
	// reached by runs of one byte, is about 1000:1.
	maxRatio   = 200
	ratioFloor = 1 << 20

	// maxNestedZip bounds a zip held inside another archive, the one thing copied to a
	// temporary file (zip needs random access; see readNestedZip).
	maxNestedZip = 1 << 30

	// maxArchiveDepth is how deep archives are opened: a top-level archive is at depth 1, an
	// archive inside it at depth 2; one inside that is listed as skipped.
	maxArchiveDepth = 2
)

// archiveKind is the container format recognised from a file's first bytes.
type archiveKind uint8

const (
	notArchive archiveKind = iota
	archiveZip
	archiveGzip
	archiveTar
)

// archiveSniffSize is how many bytes sniffArchive needs to see everything it knows.
const archiveSniffSize = 512

// sniffArchive tells whether head, the start of a file, is an archive: zip (a local file header,
// or the end record of an empty zip), gzip, or tar (a POSIX or GNU header with a valid checksum).
func sniffArchive(head []byte) archiveKind {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return archiveZip
	case bytes.HasPrefix(head, []byte("\x1f\x8b\x08")):
		return archiveGzip
	case isTarHeader(head):
		return archiveTar
	}
	return notArchive
}

// isTarHeader reports whether b starts with a ustar header block whose checksum is right.
func isTarHeader(b []byte) bool {
	if len(b) < 512 || !bytes.Equal(b[257:262], []byte("ustar")) {
		return false
	}
	field := strings.Trim(string(b[148:156]), " \x00")
	want, err := strconv.ParseInt(field, 8, 64)
	if err != nil {
		return false
	}
	var unsigned, signed int64
	for i, c := range b[:512] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		unsigned += int64(c)
		signed += int64(int8(c))
	}
	return want == unsigned || want == signed
}

// archiveExt returns the archive format a file name promises ("zip", "tar", "tar.gz", "gzip"),
// or "" for other names.
func archiveExt(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".zip"):
		return "zip"
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"):
		return "tar.gz"
	case strings.HasSuffix(n, ".tar"):
		return "tar"
	case strings.HasSuffix(n, ".gz"):
		return "gzip"
	}
	return ""
}

// budget is what may still be read out of archives during one ReadPaths call, and what was.
type budget struct {
	maxBytes   int64
	maxEntries int

	bytes   int64 // bytes read out of archives, counted at every level of nesting
	entries int   // archive entries met (files, folders, anything), at every level
	read    int64 // compressed bytes read from archives to produce them
	err     error // the limit crossed, if any: it ends the whole call
}

func newBudget(opt Options) *budget {
	b := &budget{maxBytes: opt.MaxBytes, maxEntries: opt.MaxEntries}
	if b.maxBytes <= 0 {
		b.maxBytes = DefaultMaxBytes
	}
	if b.maxEntries <= 0 {
		b.maxEntries = DefaultMaxEntries
	}
	return b
}

// entry counts one archive entry of archive.
func (b *budget) entry(archive string) error {
	if b.err != nil {
		return b.err
	}
	b.entries++
	if b.entries > b.maxEntries {
		b.tooManyEntries(archive)
	}
	return b.err
}

func (b *budget) tooManyEntries(archive string) {
	b.err = &PathError{Path: archive, Msg: msg.New("error.too-many-entries", "max", b.maxEntries)}
}

// meter counts the bytes read out of one archive level (a zip entry, a gzip stream, a plain tar)
// against the budget and checks the compression ratio. It never hands out more than one byte
// past the byte limit, and once a limit is crossed every Read fails with the same error. It
// also keeps the first error of the reader underneath, so a damaged archive is reported as such
// even by a consumer that does not pass read errors on.
type meter struct {
	r    io.Reader
	b    *budget
	name string       // what is being read, for messages: the entry's full name
	in   func() int64 // compressed bytes consumed so far; nil for data that is not compressed
	out  int64        // bytes produced
	err  error        // first error of r other than io.EOF
	// counted: the bytes were already counted by the level around this one (a tar inside a
	// zip entry); this meter only names the entry being read and keeps the first error.
	counted bool
}

func (m *meter) Read(p []byte) (int, error) {
	if m.b.err != nil {
		return 0, m.b.err
	}
	if m.counted {
		n, err := m.r.Read(p)
		if err != nil && err != io.EOF && m.err == nil {
			m.err = err
		}
		return n, err
	}
	if rem := m.b.maxBytes - m.b.bytes; int64(len(p)) > rem+1 {
		p = p[:rem+1]
	}
	n, err := m.r.Read(p)
	m.out += int64(n)
	m.b.bytes += int64(n)
	if err != nil && err != io.EOF && m.err == nil {
		m.err = err
	}
	switch {
	case m.b.bytes > m.b.maxBytes:
		m.b.err = &PathError{Path: m.name, Msg: msg.New("error.too-big", "size", msg.Raw(byteSize(m.b.maxBytes)))}
	case m.in != nil && m.out > ratioFloor && m.out > maxRatio*max(m.in(), 1):
		m.b.err = &PathError{Path: m.name, Msg: msg.New("error.ratio", "ratio", maxRatio)}
	}
	if m.b.err != nil {
		return n, m.b.err
	}
	return n, err
}

// countReader counts the compressed bytes read from r.
type countReader struct {
	r io.Reader
	n int64
	b *budget
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.b.read += int64(n)
	return n, err
}

// countReaderAt counts the bytes read from a zip archive.
type countReaderAt struct {
	r io.ReaderAt
	n int64
	b *budget
}

func (c *countReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	c.b.read += int64(n)
	return n, err
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// bundleReader reads archives for one ReadPaths call.
type bundleReader struct {
	opt Options
	b   *budget
	// leaf reads one file found (on disk or in an archive) instead of Read (see ReadRaw).
	leaf func(r io.Reader, name string) (*File, error)
	disk string // the file on disk being read, which may be an archive (for ReadRaw)
}

// read reads one file found: with Read, or with leaf when set.
func (rd *bundleReader) read(r io.Reader, name string) (*File, error) {
	if rd.leaf != nil {
		return rd.leaf(r, name)
	}
	return Read(r, name, rd.opt)
}

// damaged is the error for an archive that cannot be read, unless a limit was crossed on the way
// (a limit error names what was crossed; the damage may only be its consequence).
func (rd *bundleReader) damaged(archive, format string, err error) error {
	if rd.b.err != nil {
		return rd.b.err
	}
	var pe *PathError
	if errors.As(err, &pe) {
		return pe
	}
	return &PathError{Path: archive, Msg: msg.New("error.damaged-archive", "format", msg.Raw(format), "err", msg.Raw(err.Error()))}
}

// readArchive reads the archive fh, a regular file of size bytes named name, of the kind its
// first bytes showed, as a top-level archive (depth 1). The returned files are in name order.
func (rd *bundleReader) readArchive(fh *os.File, size int64, name string, kind archiveKind) ([]*File, error) {
	var files []*File
	var err error
	switch kind {
	case archiveZip:
		files, err = rd.readZip(fh, size, name, 1)
	case archiveGzip:
		files, err = rd.readGzip(io.LimitReader(fh, size), name, 1)
	case archiveTar:
		cr := &countReader{r: io.LimitReader(fh, size), b: rd.b}
		m := &meter{r: cr, b: rd.b, name: name}
		files, err = rd.readTar(m, name, "tar", 1, m)
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// readZip reads the zip archive ra of size bytes, named name, at depth.
func (rd *bundleReader) readZip(ra io.ReaderAt, size int64, name string, depth int) ([]*File, error) {
	cra := &countReaderAt{r: ra, b: rd.b}
	// The end record says how many entries the archive holds: refuse before reading the
	// central directory into memory when that is already too many.
	if n, ok := zipEntryCount(cra, size); ok && n > uint64(max(rd.b.maxEntries-rd.b.entries, 0)) {
		rd.b.tooManyEntries(name)
		return nil, rd.b.err
	}
	z, err := zip.NewReader(cra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are only labels here
		return nil, rd.damaged(name, "zip", err)
	}
	entries := append([]*zip.File(nil), z.File...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	var out []*File
	for _, zf := range entries {
		if err := rd.b.entry(name); err != nil {
			return nil, err
		}
		inner := cleanEntryName(zf.Name)
		mode := zf.Mode()
		if mode.IsDir() || strings.HasSuffix(zf.Name, "/") || skipEntryName(inner) {
			continue
		}
		full := name + "!" + inner
		if !mode.IsRegular() {
			out = append(out, &File{Name: full, Reason: entryModeReason(mode)})
			continue
		}
		if zf.Flags&0x1 != 0 {
			out = append(out, &File{Name: full, Reason: msg.New("reason.zip-encrypted")})
			continue
		}
		rc, err := zf.Open()
		if errors.Is(err, zip.ErrAlgorithm) {
			out = append(out, &File{Name: full, Reason: msg.New("reason.zip-method", "method", int(zf.Method))})
			continue
		}
		if err != nil {
			return nil, rd.damaged(name, "zip", err)
		}
		start := cra.n
		m := &meter{r: rc, b: rd.b, name: full, in: func() int64 { return cra.n - start }}
		files, err := rd.readEntry(m, full, depth)
		rc.Close()
		if err == nil && m.err != nil {
			err = m.err
		}
		if err != nil {
			return nil, rd.damaged(name, "zip", err)
		}
		out = append(out, files...)
	}
	return out, nil
}

// zipEntryCount reads the number of entries from the end record of a zip archive (zip64 too).
func zipEntryCount(ra io.ReaderAt, size int64) (uint64, bool) {
	const endLen, locatorLen, end64Len = 22, 20, 56
	tail := min(size, endLen+0xffff)
	if tail < endLen {
		return 0, false
	}
	buf := make([]byte, tail)
	if n, err := ra.ReadAt(buf, size-tail); n < len(buf) && err != nil {
		return 0, false
	}
	i := len(buf) - endLen
	for ; i >= 0; i-- {
		if buf[i] == 'P' && buf[i+1] == 'K' && buf[i+2] == 5 && buf[i+3] == 6 &&
			i+endLen+int(binary.LittleEndian.Uint16(buf[i+20:])) <= len(buf) {
			break
		}
	}
	if i < 0 {
		return 0, false
	}
	n := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if n != 0xffff || i < locatorLen || !bytes.HasPrefix(buf[i-locatorLen:], []byte("PK\x06\x07")) {
		return n, true
	}
	off := int64(binary.LittleEndian.Uint64(buf[i-locatorLen+8:]))
	rec := make([]byte, end64Len)
	if off < 0 || off > size-end64Len {
		return n, true
	}
	if _, err := ra.ReadAt(rec, off); err != nil || !bytes.HasPrefix(rec, []byte("PK\x06\x06")) {
		return n, true
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}

// readGzip reads the gzip stream r, named name, at depth: a tar inside it makes a tar.gz, anything
// else is its one file, named after the archive without ".gz".
func (rd *bundleReader) readGzip(r io.Reader, name string, depth int) ([]*File, error) {
	cr := &countReader{r: r, b: rd.b}
	zr, err := gzip.NewReader(cr)
	if err != nil {
		return nil, rd.damaged(name, "gzip", err)
	}
	m := &meter{r: zr, b: rd.b, name: name, in: func() int64 { return cr.n }}
	br := bufio.NewReaderSize(m, 64*1024)
	head, _ := br.Peek(archiveSniffSize)
	if rd.b.err != nil {
		return nil, rd.b.err
	}
	if isTarHeader(head) {
		return rd.readTar(br, name, "tar.gz", depth, m)
	}
	if err := rd.b.entry(name); err != nil {
		return nil, err
	}
	full := name + "!" + gzipInnerName(name)
	m.name = full
	files, err := rd.readEntry(br, full, depth)
	if err == nil && m.err != nil {
		err = m.err
	}
	if err != nil {
		return nil, rd.damaged(name, "gzip", err)
	}
	return files, nil
}

// gzipInnerName is the name of the file inside a .gz: the archive's base name without ".gz".
func gzipInnerName(archive string) string {
	base := archive
	if i := strings.LastIndexAny(base, `/\!`); i >= 0 {
		base = base[i+1:]
	}
	low := strings.ToLower(base)
	switch {
	case strings.HasSuffix(low, ".tgz"):
		base = base[:len(base)-4] + ".tar"
	case strings.HasSuffix(low, ".gz"):
		base = base[:len(base)-3]
	}
	if base == "" {
		base = "data"
	}
	return base
}

// readTar reads the tar stream r, named name, at depth. m is the meter under r, whose name
// follows the entry being read; format names the archive in messages ("tar" or "tar.gz").
func (rd *bundleReader) readTar(r io.Reader, name, format string, depth int, m *meter) ([]*File, error) {
	tr := tar.NewReader(r)
	var out []*File
	for {
		m.name = name
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) { // names are only labels here
			return nil, rd.damaged(name, format, err)
		}
		if err := rd.b.entry(name); err != nil {
			return nil, err
		}
		inner := cleanEntryName(hdr.Name)
		if hdr.Typeflag == tar.TypeDir || skipEntryName(inner) {
			continue
		}
		full := name + "!" + inner
		if hdr.Typeflag != tar.TypeReg {
			out = append(out, &File{Name: full, Reason: tarTypeReason(hdr.Typeflag)})
			continue
		}
		m.name = full
		files, err := rd.readEntry(tr, full, depth)
		if err == nil && m.err != nil {
			err = m.err
		}
		if err != nil {
			return nil, rd.damaged(name, format, err)
		}
		out = append(out, files...)
	}
	if m.err != nil {
		return nil, rd.damaged(name, format, m.err)
	}
	return out, nil
}

// readEntry reads one file out of an archive at depth: with Read, or as an archive inside the
// archive. r is already metered.
func (rd *bundleReader) readEntry(r io.Reader, full string, depth int) ([]*File, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64*1024 {
		br = bufio.NewReaderSize(r, 64*1024)
	}
	head, _ := br.Peek(archiveSniffSize)
	if rd.b.err != nil {
		return nil, rd.b.err
	}
	kind := sniffArchive(head)
	if kind == notArchive {
		f, err := rd.read(br, full)
		if rd.b.err != nil {
			return nil, rd.b.err
		}
		if err != nil {
			return nil, err
		}
		if format := archiveExt(full); f.Kind == KindUnknown && format != "" {
			f.Reason = notArchiveReason(format, f.Reason)
		}
		return []*File{f}, nil
	}
	if depth >= maxArchiveDepth {
		return []*File{{Name: full, Reason: msg.New("reason.archive-too-deep")}}, nil
	}
	var files []*File
	var err error
	switch kind {
	case archiveZip:
		files, err = rd.readNestedZip(br, full, depth+1)
	case archiveGzip:
		files, err = rd.readGzip(br, full, depth+1)
	case archiveTar:
		m := &meter{r: br, b: rd.b, name: full, counted: true}
		files, err = rd.readTar(m, full, "tar", depth+1, m)
	}
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return []*File{{Name: full, Reason: reasonEmptyArchive()}}, nil
	}
	return files, nil
}

// reasonEmptyArchive is the reason for an archive that holds no files.
func reasonEmptyArchive() msg.Text { return msg.New("reason.archive-empty") }

// entryModeReason says why a zip entry of mode, not a regular file, is not read.
func entryModeReason(mode fs.FileMode) msg.Text {
	if mode&fs.ModeSymlink != 0 {
		return msg.New("reason.archive-symlink")
	}
	return notRegularReason(mode)
}

// tarTypeReason says why a tar entry of type flag, not a regular file or a folder, is not read.
func tarTypeReason(flag byte) msg.Text {
	switch flag {
	case tar.TypeSymlink:
		return msg.New("reason.archive-symlink")
	case tar.TypeLink:
		return msg.New("reason.archive-hardlink")
	case tar.TypeChar:
		return notRegularReason(fs.ModeDevice | fs.ModeCharDevice)
	case tar.TypeBlock:
		return notRegularReason(fs.ModeDevice)
	case tar.TypeFifo:
		return notRegularReason(fs.ModeNamedPipe)
	case tar.TypeGNUSparse:
		return msg.New("reason.tar-sparse")
	}
	return msg.New("reason.not-regular", "what", msg.New("filetype.tar-entry", "type", msg.Raw(fmt.Sprintf("%q", flag))))
}

// readNestedZip reads the zip r, held inside another archive, named full, at depth. A zip needs
// random access, so r is first copied to a private temporary file (os.CreateTemp: mode 0600, in
// os.TempDir) that is removed once the zip has been read, also when reading it fails; where the
// system allows it (Unix) it is removed at once and read through the open file, so that nothing
// is left behind even if lmtriad is killed. The copy holds at most maxNestedZip bytes, all read
// out of the outer archive, so counted against the budget as they are read.
func (rd *bundleReader) readNestedZip(r io.Reader, full string, depth int) ([]*File, error) {
	tmp, err := os.CreateTemp("", "lmtriad-*.zip")
	if err != nil {
		return nil, spoolError(full, err)
	}
	removed := os.Remove(tmp.Name()) == nil
	defer func() {
		tmp.Close()
		if !removed {
			os.Remove(tmp.Name())
		}
	}()
	w := &errWriter{w: tmp}
	n, err := io.Copy(w, io.LimitReader(r, maxNestedZip+1))
	switch {
	case rd.b.err != nil:
		return nil, rd.b.err
	case w.err != nil:
		return nil, spoolError(full, w.err)
	case err != nil:
		return nil, err
	case n > maxNestedZip:
		return nil, &PathError{Path: full, Msg: msg.New("error.nested-zip-too-big", "size", msg.Raw(byteSize(maxNestedZip)))}
	}
	return rd.readZip(tmp, n, full, depth)
}

// spoolError is the error for a zip inside an archive that cannot be copied to a temporary file.
func spoolError(full string, err error) error {
	return &PathError{Path: full, Msg: msg.New("error.spool", "dir", msg.Raw(os.TempDir()), "err", describe(err))}
}

// errWriter keeps the first error of w, to tell it from the errors of the reader copied to it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// notArchiveReason explains why a file named like an archive, and not a FlexLM file either,
// cannot be read: reason is why Detect refused it.
func notArchiveReason(format string, reason msg.Text) msg.Text {
	if reason.Key != reasonEmpty().Key {
		switch format {
		case "zip":
			reason = msg.New("reason.no-zip-signature")
		case "tar":
			reason = msg.New("reason.no-tar-header")
		default:
			reason = msg.New("reason.no-gzip-signature")
		}
	}
	return msg.New("reason.not-archive", "format", msg.Raw(format), "why", reason)
}

// cleanEntryName makes an archive entry's name a label: forward slashes, no leading "/" or "./",
// no control characters.
func cleanEntryName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	for {
		t := strings.TrimPrefix(strings.TrimLeft(name, "/"), "./")
		if t == name {
			break
		}
		name = t
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, name)
	return strings.TrimSuffix(name, "/")
}

// skipEntryName reports whether an entry is hidden (a path element starting with "."), macOS
// metadata (__MACOSX/) or has no name.
func skipEntryName(name string) bool {
	if name == "" {
		return true
	}
	for _, el := range strings.Split(name, "/") {
		if strings.HasPrefix(el, ".") || el == "__MACOSX" {
			return true
		}
	}
	return false
}

// dedupe marks every file whose content (SHA-256) was already read under another name: it is kept
// in the list, as skipped, so that the same evidence does not count twice. It keeps the kind it
// was read as, its hash, encoding and line count, names the first file in SameAs and in its
// reason, and drops what was read from it (events, snapshots, license, warnings).
func dedupe(files []*File) {
	first := map[string]string{}
	for i, f := range files {
		if f.Kind == KindUnknown || f.SHA256 == "" {
			continue
		}
		if name, ok := first[f.SHA256]; ok {
			files[i] = &File{Name: f.Name, Kind: f.Kind, Reason: msg.New("reason.same-content", "as", msg.Raw(name)), SameAs: name,
				SHA256: f.SHA256, Encoding: f.Encoding, Lines: f.Lines}
			continue
		}
		first[f.SHA256] = f.Name
	}
}
