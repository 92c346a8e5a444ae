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

// ReadPaths reads files and directories (walked, in name order; hidden entries skipped).
// A named file that cannot be used is an error; inside a directory such files are returned
// with Kind KindUnknown and the reason, to be listed as skipped.
func ReadPaths(paths []string, opt Options) ([]*File, error) {
	var out []*File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &PathError{Path: p, Msg: describe(err) + "; check the path"}
		}
		if !st.IsDir() {
			f, err := ReadFile(p, opt)
			if err != nil {
				return nil, err
			}
			if f.Kind == KindUnknown {
				return nil, &PathError{Path: p, Msg: f.Reason + "; give a debug log (lmgrd -l), lmstat output or a license file"}
			}
			out = append(out, f)
			continue
		}
		var files []string
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
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, &PathError{Path: p, Msg: describe(err)}
		}
		sort.Strings(files)
		usable := 0
		for _, path := range files {
			f, err := ReadFile(path, opt)
			if err != nil {
				return nil, err
			}
			if f.Kind != KindUnknown {
				usable++
			}
			out = append(out, f)
		}
		if usable == 0 {
			return nil, &PathError{Path: p, Msg: fmt.Sprintf("no debug log, lmstat output or license file in this directory (%d files looked at)", len(files))}
		}
	}
	return out, nil
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
