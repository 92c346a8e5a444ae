package parser

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// PathError is a problem with a path given on the command line: it cannot be read, or holds
// nothing usable.
type PathError struct {
	Path string
	Msg  string
}

func (e *PathError) Error() string { return e.Path + ": " + e.Msg }

// ReadPaths reads files, directories (walked, in name order; hidden entries skipped) and
// archives: .zip, .tar, .tar.gz/.tgz and .gz, recognised by their content and read without
// unpacking them to disk. A file inside an archive is named "bundle.zip!server2/lmgrd.log"; an
// archive inside an archive is opened too ("outer.zip!inner.tar.gz!server1.log"), one level deep.
//
// A named file that cannot be used is an error; inside a directory or an archive such files are
// returned with Kind KindUnknown and the reason, to be listed as skipped. A file whose content
// (SHA-256) was already read under another name is returned the same way, as skipped. Damaged
// archives are errors, and so is crossing a limit on what archives may hold (Options.MaxBytes,
// Options.MaxEntries, a compression ratio over 200:1): reading stops there. All errors are
// *PathError.
func ReadPaths(paths []string, opt Options) ([]*File, error) {
	return readPaths(paths, opt, newBudget(opt))
}

// readPaths is ReadPaths with the archive budget given, so that tests can see what was read.
func readPaths(paths []string, opt Options, b *budget) ([]*File, error) {
	rd := &bundleReader{opt: opt, b: b}
	var out []*File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &PathError{Path: p, Msg: describe(err) + "; check the path"}
		}
		if !st.IsDir() {
			files, archive, err := rd.readPath(p)
			if err != nil {
				return nil, err
			}
			if usable(files) == 0 {
				if !archive && archiveExt(p) != "" {
					return nil, &PathError{Path: p, Msg: files[0].Reason}
				}
				if !archive {
					return nil, &PathError{Path: p, Msg: files[0].Reason + "; give a debug log (lmgrd -l), lmstat output or a license file"}
				}
				return nil, &PathError{Path: p, Msg: fmt.Sprintf("no debug log, lmstat output or license file in this archive (%d files looked at)", len(files))}
			}
			out = append(out, files...)
			continue
		}
		var names []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				names = append(names, path)
			}
			return nil
		})
		if err != nil {
			return nil, &PathError{Path: p, Msg: describe(err)}
		}
		sort.Strings(names)
		var files []*File
		for _, path := range names {
			got, archive, err := rd.readPath(path)
			if err != nil {
				return nil, err
			}
			if archive && len(got) == 0 {
				got = []*File{{Name: path, Reason: "an archive holding no files"}}
			}
			files = append(files, got...)
		}
		if usable(files) == 0 {
			return nil, &PathError{Path: p, Msg: fmt.Sprintf("no debug log, lmstat output or license file in this directory (%d files looked at)", len(files))}
		}
		out = append(out, files...)
	}
	dedupe(out)
	return out, nil
}

// readPath reads one file, which may be an archive; archive tells which.
func (rd *bundleReader) readPath(p string) (files []*File, archive bool, err error) {
	kind, err := sniffFile(p)
	if err != nil {
		return nil, false, err
	}
	if kind != notArchive {
		files, err := rd.readArchiveFile(p, kind)
		return files, true, err
	}
	f, err := ReadFile(p, rd.opt)
	if err != nil {
		return nil, false, err
	}
	if format := archiveExt(p); f.Kind == KindUnknown && format != "" {
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

// ReadFile reads one file, named by its path in messages.
func ReadFile(path string, opt Options) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, &PathError{Path: path, Msg: describe(err)}
	}
	defer fh.Close()
	f, err := Read(fh, path, opt)
	if err != nil {
		return nil, &PathError{Path: path, Msg: describe(err)}
	}
	return f, nil
}

func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}
