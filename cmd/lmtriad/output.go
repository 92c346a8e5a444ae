package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lmtriad/lmtriad/parser"
)

// output is a report on its way to -o FILE. It is written to a temporary file beside FILE and
// renamed over FILE by Commit, so that FILE holds either what it held before or the whole
// report, never a part of it. Without -o, or with -o -, it is standard output.
//
// Close every output with Commit or Abort; Abort after Commit does nothing, so
// "defer out.Abort()" is the way to clean up after an error.
type output struct {
	name   string // -o as given, for messages
	w      *bufio.Writer
	f      *os.File // the temporary file, or the target itself when it is not a regular file; nil for standard output
	tmp    string   // the temporary file; "" when writing in place
	target string   // where tmp goes: -o with its symbolic links followed
	done   bool
}

// createOutput opens target for a report: "" or "-" is stdout; any other path is refused,
// before anything is written, when it is a directory or one of the inputs (the same file under
// any name, through a symbolic link or a hard link). inputs are the sets of files the report
// must not replace (see statInputs). A device or a pipe (/dev/null) is written in place.
// Errors name the target once: "-o TARGET: reason".
func createOutput(target string, stdout io.Writer, inputs ...*inputSet) (*output, error) {
	if target == "" || target == "-" {
		return &output{w: bufio.NewWriter(stdout)}, nil
	}
	o := &output{name: target, target: target}
	perm := fs.FileMode(0o666) // a new file: what os.Create gives, the umask applied
	var keep fs.FileMode       // an existing file: its mode, kept whatever the umask
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return nil, o.errorf("is a directory")
	case err == nil:
		for _, in := range inputs {
			if name, ok := in.find(fi); ok {
				return nil, o.errorf("this is an input file (%s); write the report elsewhere", name)
			}
		}
		if !fi.Mode().IsRegular() { // a device or a pipe (/dev/null): written in place
			o.f, err = os.OpenFile(target, os.O_WRONLY, 0)
			if err != nil {
				return nil, o.fail(err)
			}
			o.w = bufio.NewWriter(o.f)
			return o, nil
		}
		// Replacing the file needs no write permission on it; asking for it keeps a
		// read-only file as safe as os.Create did.
		fh, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, o.fail(err)
		}
		fh.Close()
		perm, keep = fi.Mode().Perm(), fi.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return nil, o.fail(err)
	}
	// A symbolic link (even one to a file not there yet) stays: the report replaces what it
	// points to, as os.Create would write there.
	if o.target, err = followLinks(target); err != nil {
		return nil, o.fail(err)
	}
	dir, base := filepath.Split(o.target) // not Join: "link/.." must stay what the system makes of it
	if base == "" {
		return nil, o.errorf("is a directory")
	}
	for range 10000 {
		o.tmp = dir + "." + base + ".tmp" + strconv.FormatUint(uint64(rand.Uint32()), 10)
		o.f, err = os.OpenFile(o.tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, o.fail(err)
	}
	if keep != 0 {
		if err := o.f.Chmod(keep); err != nil {
			o.Abort()
			return nil, o.fail(err)
		}
	}
	o.w = bufio.NewWriter(o.f)
	return o, nil
}

// Write writes p to the report; an error names the target, not the temporary file.
func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		err = o.fail(err)
	}
	return n, err
}

// Commit finishes the report: it flushes, syncs and closes the temporary file and renames it
// over the target. On any error the temporary file is removed and the target left as it was.
func (o *output) Commit() error {
	if o.done {
		return errors.New("internal error: output committed or aborted already")
	}
	err := o.w.Flush()
	if o.f == nil { // standard output: the caller's to close
		o.done = true
		if err != nil {
			return fmt.Errorf("writing the report: %v", err)
		}
		return nil
	}
	if err == nil && o.tmp != "" {
		err = o.f.Sync()
	}
	if err != nil {
		o.Abort()
		return o.fail(err)
	}
	o.done = true
	err = o.f.Close()
	if err == nil && o.tmp != "" {
		err = os.Rename(o.tmp, o.target)
	}
	if err != nil {
		if o.tmp != "" {
			os.Remove(o.tmp)
		}
		return o.fail(err)
	}
	if o.tmp != "" {
		syncDir(o.tmp)
	}
	return nil
}

// Abort drops the report: the temporary file is removed and the target left as it was. What
// was written to standard output or to a device stays written.
func (o *output) Abort() {
	if o.done {
		return
	}
	o.done = true
	if o.f == nil {
		return
	}
	o.f.Close()
	if o.tmp != "" {
		os.Remove(o.tmp)
	}
}

// stdout tells whether the report goes to standard output.
func (o *output) stdout() bool { return o.name == "" }

func (o *output) errorf(format string, args ...any) error {
	return fmt.Errorf("-o %s: %s", o.name, fmt.Sprintf(format, args...))
}

// fail describes err for the target: "-o NAME: reason", naming it once whatever path err
// names (the temporary file, or the target again). Errors of standard output stay as they are.
func (o *output) fail(err error) error {
	switch {
	case err == nil, o.stdout():
		return err
	case errors.Is(err, fs.ErrNotExist):
		return o.errorf("no such directory")
	case errors.Is(err, fs.ErrPermission):
		return o.errorf("permission denied")
	}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return o.errorf("%v", err)
}

// followLinks follows p while it is a symbolic link, to the file it finally names (which need
// not exist).
func followLinks(p string) (string, error) {
	for range 255 {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil // not a link, or not there: the system will say what is wrong
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dir, _ := filepath.Split(p)
			dest = dir + dest
		}
		p = dest
	}
	return "", errors.New("too many levels of symbolic links")
}

// syncDir makes a rename in name's directory durable, where the system allows it.
func syncDir(name string) {
	dir, _ := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// inputSet is the files a report must not replace, each with the name it was given under.
// It is compared with os.SameFile, so that a relative spelling, a symbolic link or a hard
// link to an input is still that input. It is read-only once made: workers may share it.
type inputSet struct {
	names []string
	infos []fs.FileInfo
}

// statInputs identifies the files named: paths as given on the command line and names of the
// files read. A file inside an archive ("bundle.zip!server1.log") stands for the archive, and
// a directory for nothing (the files read in it are named on their own). A name that is not
// there is left out: there is nothing to overwrite.
func statInputs(names []string) *inputSet {
	s := &inputSet{}
	add := func(name string) {
		if fi, err := os.Stat(name); err == nil && !fi.IsDir() {
			s.names = append(s.names, name)
			s.infos = append(s.infos, fi)
		}
	}
	for _, name := range names {
		add(name)
		// Any "!" may end the archive's name: in "a!b.zip!x.log" the archive is "a" or "a!b.zip".
		for i := 1; i < len(name); i++ {
			if name[i] == '!' {
				add(name[:i])
			}
		}
	}
	return s
}

// find tells whether fi is one of the inputs, and its name. A nil set holds nothing.
func (s *inputSet) find(fi fs.FileInfo) (string, bool) {
	if s == nil {
		return "", false
	}
	for i, in := range s.infos {
		if os.SameFile(fi, in) {
			return s.names[i], true
		}
	}
	return "", false
}

// inputNames are the paths given and the files read, for statInputs.
func inputNames(paths []string, files []*parser.File) []string {
	names := append([]string(nil), paths...)
	for _, f := range files {
		names = append(names, f.Name)
	}
	return names
}

// walkInputs lists the paths given and the files in the directories among them, as
// parser.ReadPaths walks them (hidden entries skipped, regular files only): batch -o DIR
// checks each report against every incident's files before any is read.
func walkInputs(paths []string) []string {
	var names []string
	for _, p := range paths {
		names = append(names, p)
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil // unreadable: the incident itself will say so
			case path != p && strings.HasPrefix(d.Name(), "."):
				if d.IsDir() {
					return filepath.SkipDir
				}
			case d.Type().IsRegular() && path != p:
				names = append(names, path)
			}
			return nil
		})
	}
	return names
}
