package parser

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lmtriad/lmtriad/parser/msg"
)

// PathError is a problem with a path given on the command line: it cannot be read, or holds
// nothing usable. Msg is a code with its arguments: an error.* code, or the reason.* code of a
// file named on the command line that cannot be used. The wording is the catalogue's
// (report/catalog): the commands render Msg with it.
type PathError struct {
	Path string
	Msg  msg.Text
}

// Error is a debugging form, PATH: code{arguments}: users read Msg rendered by the catalogue.
func (e *PathError) Error() string { return e.Path + ": " + e.Msg.String() }

// ReadPaths reads files, directories (walked, in name order; hidden entries skipped) and
// archives: .zip, .tar, .tar.gz/.tgz and .gz, recognised by their content and read without
// unpacking them to disk (a zip inside an archive is copied to a temporary file, removed once
// read). A file inside an archive is named "bundle.zip!server2/lmgrd.log"; an
// archive inside an archive is opened too ("outer.zip!inner.tar.gz!server1.log"), one level deep.
//
// Only regular files are read, each no further than the size it had when opened (a log still
// being written is read as it was then). Devices, named pipes and sockets are refused before
// anything is read from them. Symbolic links are followed for the paths given; inside a
// directory a link to a regular file is read, a link to anything else is not followed.
//
// A named file that cannot be used is an error; inside a directory or an archive such files are
// returned with Kind KindUnknown and the reason, to be listed as skipped: files that are not
// regular (a device, a named pipe, a link in an archive), files that cannot be opened or read
// (permission denied, an I/O error) and subdirectories that cannot be listed. A file whose
// content (SHA-256) was already read under another name is returned as skipped too, with the
// kind it was read as: SameAs names the first, and its reason says so.
// Damaged archives are errors, and so is crossing a limit on what archives may hold
// (Options.MaxBytes, Options.MaxEntries, a compression ratio over 200:1): reading stops there.
// All errors are *PathError.
func ReadPaths(paths []string, opt Options) ([]*File, error) {
	return readPaths(paths, opt, newBudget(opt))
}

// readPaths is ReadPaths with the archive budget given, so that tests can see what was read.
func readPaths(paths []string, opt Options, b *budget) ([]*File, error) {
	out, err := (&bundleReader{opt: opt, b: b}).readPaths(paths)
	if err != nil {
		return nil, err
	}
	dedupe(out)
	return out, nil
}

// readPaths finds and reads the files of paths (see ReadPaths), without dedupe.
func (rd *bundleReader) readPaths(paths []string) ([]*File, error) {
	var out []*File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &PathError{Path: p, Msg: msg.New("error.check-path", "err", describe(err))}
		}
		if st.IsDir() {
			files, err := rd.readDir(p)
			if err != nil {
				return nil, err
			}
			out = append(out, files...)
			continue
		}
		if !st.Mode().IsRegular() {
			return nil, &PathError{Path: p, Msg: msg.New("error.give-path", "reason", notRegularReason(st.Mode()))}
		}
		files, archive, err := rd.readPath(p, p)
		if err != nil {
			return nil, pathError(err)
		}
		if usable(files) == 0 {
			if !archive && archiveExt(p) != "" {
				return nil, &PathError{Path: p, Msg: files[0].Reason}
			}
			if !archive {
				return nil, &PathError{Path: p, Msg: msg.New("error.give-input", "reason", files[0].Reason)}
			}
			return nil, &PathError{Path: p, Msg: nothingIn(true, len(files))}
		}
		out = append(out, files...)
	}
	return out, nil
}

// readDir reads the directory p: its files in name order, hidden entries left out. What cannot
// be read in it (a file that is not regular or cannot be opened, a subdirectory that cannot be
// listed) is returned as a skipped file with the reason; only p itself failing is an error.
func (rd *bundleReader) readDir(p string) ([]*File, error) {
	// WalkDir does not descend into a root that is a symbolic link: walk the folder it leads to,
	// and name what is found under p.
	root := p
	if st, err := os.Lstat(p); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			root = real
		}
	}
	shown := func(path string) string {
		if root == p {
			return path
		}
		return filepath.Join(p, strings.TrimPrefix(path, root))
	}
	type item struct {
		path, name string   // where to open it, and how to name it
		reason     msg.Text // why it is skipped, when it is
	}
	var items []item
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			items = append(items, item{name: shown(path), reason: unreadableReason(err, d != nil && d.IsDir())})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if path == root {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch mode := d.Type(); {
		case mode.IsDir():
		case mode.IsRegular():
			items = append(items, item{path: path, name: shown(path)})
		case mode&fs.ModeSymlink != 0:
			// Only a link to a regular file is read; a link to a folder is not followed, so a
			// link that leads back up cannot make the walk go round.
			st, err := os.Stat(path)
			switch {
			case err != nil:
				items = append(items, item{name: shown(path), reason: msg.New("reason.symlink-broken", "err", describe(err))})
			case st.IsDir():
				items = append(items, item{name: shown(path), reason: msg.New("reason.symlink-folder")})
			case !st.Mode().IsRegular():
				items = append(items, item{name: shown(path), reason: msg.New("reason.symlink-not-regular", "what", fileType(st.Mode()))})
			default:
				items = append(items, item{path: path, name: shown(path)})
			}
		default:
			items = append(items, item{name: shown(path), reason: notRegularReason(mode)})
		}
		return nil
	})
	if err != nil {
		return nil, &PathError{Path: p, Msg: advised(unreadableReason(err, true), err)}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].name < items[j].name })
	var files []*File
	for _, it := range items {
		if !it.reason.IsZero() {
			files = append(files, &File{Name: it.name, Reason: it.reason})
			continue
		}
		got, archive, err := rd.readPath(it.path, it.name)
		var ue *unreadable
		if errors.As(err, &ue) {
			files = append(files, &File{Name: it.name, Reason: ue.reason()})
			continue
		}
		var pe *PathError
		if errors.As(err, &pe) && pe.Msg.Key == "error.damaged-archive" {
			// A half-downloaded archive beside the other files of an incident is one entry
			// that cannot be read: listed as skipped, the rest analysed (a limit crossed
			// still stops the run).
			files = append(files, &File{Name: pe.Path, Reason: pe.Msg})
			continue
		}
		if err != nil {
			return nil, err
		}
		if archive && len(got) == 0 {
			got = []*File{{Name: it.name, Reason: reasonEmptyArchive()}}
		}
		files = append(files, got...)
	}
	if usable(files) == 0 {
		return nil, &PathError{Path: p, Msg: nothingIn(false, len(files))}
	}
	return files, nil
}

// nothingIn is the error for a folder (or an archive) in which none of the n files looked at
// is a debug log, lmstat output or license file.
func nothingIn(archive bool, n int) msg.Text {
	switch {
	case archive && n == 1:
		return msg.New("error.nothing-in-archive.one")
	case archive:
		return msg.New("error.nothing-in-archive", "n", n)
	case n == 1:
		return msg.New("error.nothing-in-folder.one")
	}
	return msg.New("error.nothing-in-folder", "n", n)
}

// unreadable is a file that cannot be opened or read, or is not a regular file: an error when
// it was named on the command line, a skipped file inside a directory.
type unreadable struct {
	path string
	err  error // what opening or reading it returned
}

func (e *unreadable) Error() string { return e.path + ": " + e.reason().String() }

func (e *unreadable) reason() msg.Text { return unreadableReason(e.err, false) }

// pathError turns an error about a path given on the command line into a *PathError.
func pathError(err error) error {
	var ue *unreadable
	if errors.As(err, &ue) {
		return &PathError{Path: ue.path, Msg: advised(ue.reason(), ue.err)}
	}
	return err
}

// advised is reason, why a path given on the command line cannot be used, with what to do
// about err, the error opening or listing it, when there is something to do.
func advised(reason msg.Text, err error) msg.Text {
	if errors.Is(err, fs.ErrPermission) {
		return msg.New("error.check-permissions", "reason", reason)
	}
	return reason
}

// unreadableReason says why a file (or, for dir, a folder) cannot be used: err is what opening,
// listing or reading it returned.
func unreadableReason(err error, dir bool) msg.Text {
	var nr *notRegular
	if errors.As(err, &nr) {
		return notRegularReason(nr.mode)
	}
	switch {
	case errors.Is(err, fs.ErrPermission) && dir:
		return msg.New("reason.permission-folder")
	case errors.Is(err, fs.ErrPermission):
		return msg.New("reason.permission-file")
	case dir:
		return msg.New("reason.cannot-list", "err", describe(err))
	}
	return msg.New("reason.cannot-read", "err", describe(err))
}

// notRegular is the error for a path that is not a regular file.
type notRegular struct{ mode fs.FileMode }

func (e *notRegular) Error() string { return notRegularReason(e.mode).String() }

// notRegularReason says why a file of mode is not read.
func notRegularReason(mode fs.FileMode) msg.Text {
	return msg.New("reason.not-regular", "what", fileType(mode))
}

// fileType names the type of a file that is not regular (filetype.*; "a named pipe").
func fileType(mode fs.FileMode) msg.Text {
	switch {
	case mode.IsDir():
		return msg.New("filetype.folder")
	case mode&fs.ModeSymlink != 0:
		return msg.New("filetype.symlink")
	case mode&fs.ModeNamedPipe != 0:
		return msg.New("filetype.fifo")
	case mode&fs.ModeSocket != 0:
		return msg.New("filetype.socket")
	case mode&fs.ModeCharDevice != 0:
		return msg.New("filetype.char-device")
	case mode&fs.ModeDevice != 0:
		return msg.New("filetype.block-device")
	}
	return msg.New("filetype.special")
}

// openRegular opens the file at p, following symbolic links, when it is a regular file, and
// returns it with its size then. Anything else is refused with a *notRegular before it is
// opened: opening a named pipe blocks until a writer comes, and opening a device may do
// something. The descriptor is checked again once open, in case the path changed in between
// (and on Unix it is opened non-blocking, so that not even that can block).
func openRegular(p string) (*os.File, int64, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, &notRegular{st.Mode()}
	}
	fh, err := os.OpenFile(p, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, 0, err
	}
	if st, err = fh.Stat(); err != nil || !st.Mode().IsRegular() {
		fh.Close()
		if err == nil {
			err = &notRegular{st.Mode()}
		}
		return nil, 0, err
	}
	return fh, st.Size(), nil
}

// readPath reads one regular file, which may be an archive; archive tells which. p is where it
// is, name how to name it. An error about the file itself (it cannot be opened or read, or is not
// a regular file) is an *unreadable about name; a damaged archive or a limit crossed is a
// *PathError.
func (rd *bundleReader) readPath(p, name string) (files []*File, archive bool, err error) {
	rd.disk = name
	fh, size, err := openRegular(p)
	if err != nil {
		return nil, false, &unreadable{path: name, err: err}
	}
	defer fh.Close()
	head := make([]byte, archiveSniffSize)
	n, err := fh.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, false, &unreadable{path: name, err: err}
	}
	if kind := sniffArchive(head[:min(int64(n), size)]); kind != notArchive {
		files, err := rd.readArchive(fh, size, name, kind)
		return files, true, err
	}
	f, err := readRegularWith(fh, size, name, rd.read)
	if err != nil {
		return nil, false, err
	}
	if format := archiveExt(name); f.Kind == KindUnknown && format != "" {
		f.Reason = notArchiveReason(format, f.Reason)
	}
	return []*File{f}, false, nil
}

func usable(files []*File) int {
	n := 0
	for _, f := range files {
		if f.Kind != KindUnknown {
			n++
		}
	}
	return n
}

// ReadFile reads one regular file, named by its path in messages, no further than the size it had
// when opened. A path that is not a regular file (a device, a named pipe, a folder) is refused
// before anything is read from it. Errors are *PathError.
func ReadFile(path string, opt Options) (*File, error) {
	fh, size, err := openRegular(path)
	if err != nil {
		var nr *notRegular
		if errors.As(err, &nr) {
			return nil, &PathError{Path: path, Msg: msg.New("error.give-file", "reason", notRegularReason(nr.mode))}
		}
		return nil, &PathError{Path: path, Msg: describe(err)}
	}
	defer fh.Close()
	f, err := readRegular(fh, size, path, opt)
	return f, pathError(err)
}

// readRegular reads the regular file fh of size bytes with Read, no further than size: a file that
// grows while it is read (a live log) ends where it ended when opened. An error reading fh is an
// *unreadable about name.
func readRegular(fh *os.File, size int64, name string, opt Options) (*File, error) {
	return readRegularWith(fh, size, name, func(r io.Reader, name string) (*File, error) { return Read(r, name, opt) })
}

// readRegularWith is readRegular with the reader given (Read, or ReadRaw's).
func readRegularWith(fh *os.File, size int64, name string, read func(io.Reader, string) (*File, error)) (*File, error) {
	er := &errReader{r: io.LimitReader(fh, size)}
	f, err := read(er, name)
	switch {
	case er.err != nil:
		return nil, &unreadable{path: name, err: er.err}
	case err != nil:
		return nil, &PathError{Path: name, Msg: msg.New("error.os.other", "text", msg.Raw(err.Error()))}
	}
	return f, nil
}

// errReader keeps the first error of r other than io.EOF.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// describe says what err, returned by opening, listing or reading a path, means (error.os.*),
// without the path.
func describe(err error) msg.Text {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return msg.New("error.os.not-exist")
	case errors.Is(err, fs.ErrPermission):
		return msg.New("error.os.permission")
	}
	return msg.New("error.os.other", "text", msg.Raw(err.Error()))
}
