package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/redact"
	"github.com/lmtriad/lmtriad/report"
)

// redactCmd is "lmtriad redact": the inputs written again with every name of the site replaced
// by a pseudonym (parser/redact), and "lmtriad redact --reverse": the names put back into a
// report that came back.
type redactCmd struct {
	Paths    []string `arg:"" name:"path" help:"Debug logs, lmstat outputs, license files, folders and bundles, as analyze reads them. With --reverse: the report to put the names back into (- is standard input)."`
	Output   string   `short:"o" placeholder:"PATH" help:"Where to write the redacted files: a folder (new or empty), or a .zip or .tar.gz archive. With --reverse: the report with the names back (default: standard output)."`
	Map      string   `placeholder:"FILE" help:"The table of pseudonyms: read when it exists (the same names get the same pseudonyms again), written with this run's names. It holds the real names: never inside -o, never sent."`
	Features bool     `help:"Replace feature names too (by default they stay: support needs them)."`
	Reverse  bool     `help:"Put the real names back into a report that came back from support: lmtriad redact --reverse --map FILE REPORT."`
	Format   string   `enum:"auto,text,markdown,json,html,csv" default:"auto" help:"With --reverse: the report's format, ${enum} (auto: from its name, else its content)."`
	Encoding string   `placeholder:"NAME" help:"Read every input in this encoding (utf-8, utf-16le, utf-16be, shift_jis) instead of detecting it; the redacted files are written in it."`
	MaxBytes int64    `name:"max-bytes" default:"4294967296" placeholder:"N" help:"Stop reading archives after N bytes in all (against zip bombs)."`
}

// Help is the longer text of "lmtriad redact --help".
func (c *redactCmd) Help() string {
	return `Every server, host, workstation, user, domain, IP and e-mail address and hostid of the site
is replaced by a pseudonym (server-a, host-001, ws-001, user-001, dom1.example, 192.0.2.1, ...),
signatures, VENDOR_STRING and NOTICE values by a dummy of the same length, in every file and file
name; then everything written is read back, and if a name survived nothing is kept (exit 2).

Limits: a name that is also an ordinary word of the logs (shorter than three characters, such
as a server "lm"; a word lmtriad reads, such as "master"; a vendor daemon's or feature's name;
spelled only with x, X and 0) is replaced only where a line's form says it is a name, and a
short server name also where it is a whole file or folder name or a folder in a path; elsewhere
it stays and the final check does not look for it. A name that no known line form or rule of
free text shows (a comment, a line of unknown wording) stays too: look over the files before
sending them.`
}

// redactHook, when set (by tests), is called with the folder of redacted files before the final
// scan.
var redactHook func(dir string)

func (c *redactCmd) Run(e *env) error {
	if c.Reverse {
		return c.reverse(e)
	}
	switch {
	case c.Output == "":
		return usageError("redact: -o OUT is required: the folder, .zip or .tar.gz to write the redacted files to")
	case c.Format != "auto":
		return usageError("redact: --format goes with --reverse")
	case c.MaxBytes <= 0:
		return usageError("--max-bytes must be positive")
	}
	if c.Encoding != "" {
		if err := parser.CheckEncoding(c.Encoding); err != nil {
			return usageError("--encoding: %v", err)
		}
	}
	for _, p := range c.Paths {
		if p == "-" {
			return usageError("redact: - (standard input) cannot be redacted: it is read twice; save it to a file")
		}
	}
	format := redact.ArchiveFormat(c.Output)
	low := strings.ToLower(c.Output)
	if format == "" && (strings.HasSuffix(low, ".tar") || strings.HasSuffix(low, ".gz")) {
		return usageError("-o %s: write a folder, a .zip or a .tar.gz", c.Output)
	}
	out, err := absPath(c.Output)
	if err != nil {
		return usageError("-o %s: %v", c.Output, err)
	}
	if err := checkOut(out, c.Output, format, c.Paths); err != nil {
		return err
	}
	var mapPath string
	if c.Map != "" {
		if mapPath, err = absPath(c.Map); err != nil {
			return usageError("--map %s: %v", c.Map, err)
		}
		if mapPath == out || strings.HasPrefix(mapPath, out+string(filepath.Separator)) {
			return usageError("--map %s is inside -o %s: the map holds the real names and must not be sent; keep it elsewhere", c.Map, c.Output)
		}
		for _, p := range c.Paths {
			if in, err := absPath(p); err == nil && (in == mapPath || strings.HasPrefix(mapPath, in+string(filepath.Separator))) {
				return usageError("--map %s is an input, or inside one (%s): keep it elsewhere", c.Map, p)
			}
		}
	}
	t := redact.NewTable(c.Features)
	if mapPath != "" {
		if err := readMap(t, c.Map); err != nil {
			return err
		}
	}

	r := redact.New(t, c.Paths, parser.Options{Encoding: c.Encoding, MaxBytes: c.MaxBytes})
	if err := r.Collect(); err != nil {
		return inputError(err)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return inputError(fmt.Errorf("-o %s: %v", c.Output, bare(err)))
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return inputError(fmt.Errorf("-o %s: %v", c.Output, bare(err)))
	}
	var tmpArchive, tmpMap string
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
			if tmpArchive != "" {
				os.Remove(tmpArchive)
			}
			if tmpMap != "" {
				os.Remove(tmpMap)
			}
		}
	}()
	written, err := r.Write(tmp)
	if err != nil {
		return inputError(fmt.Errorf("writing the redacted files: %w", err))
	}
	if redactHook != nil {
		redactHook(tmp)
	}
	var leak *redact.Leak
	if format == "" {
		leak, err = t.ScanDir(tmp, written)
	} else {
		tmpArchive, err = packArchive(tmp, written, format, parent, filepath.Base(out))
		if err == nil {
			leak, err = t.ScanArchive(tmpArchive, format, written)
		}
	}
	if err != nil {
		return inputError(fmt.Errorf("checking what was written: %v", err))
	}
	if !leak.Empty() {
		var kinds []string
		for _, k := range leak.Kinds {
			kinds = append(kinds, "a "+k.Label())
		}
		return inputError(fmt.Errorf("the final check found %s still there in %s written; nothing was kept (%s not written)",
			strings.Join(kinds, ", "), plural(len(leak.Files), "file", "files"), c.Output))
	}
	if mapPath != "" {
		if tmpMap, err = writeMapTemp(t, mapPath); err != nil {
			return inputError(fmt.Errorf("--map %s: %v", c.Map, bare(err)))
		}
	}
	if err := place(tmp, tmpArchive, out); err != nil {
		return inputError(fmt.Errorf("-o %s: %v", c.Output, bare(err)))
	}
	if tmpMap != "" {
		if err := os.Rename(tmpMap, mapPath); err != nil {
			if format == "" {
				os.RemoveAll(out)
			} else {
				os.Remove(out)
			}
			return inputError(fmt.Errorf("--map %s: %v (%s not kept)", c.Map, bare(err), c.Output))
		}
		syncDir(mapPath)
	}
	done = true
	if format != "" {
		os.RemoveAll(tmp)
	}
	c.summary(e, r, written, mapPath != "")
	return nil
}

// absPath is p made absolute, its folder's symbolic links followed (p itself need not exist).
func absPath(p string) (string, error) {
	a, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(a); err == nil {
		return real, nil
	}
	dir, base := filepath.Split(a)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(real, base), nil
	}
	return a, nil
}

// checkOut refuses an output that is an input or inside an input folder, and a folder output
// that exists and is not empty (so holds no input either).
func checkOut(out, given, format string, paths []string) error {
	st, err := os.Stat(out)
	switch {
	case err == nil && format == "" && !st.IsDir():
		return usageError("-o %s: not a folder (a .zip or .tar.gz is written as an archive)", given)
	case err == nil && format == "":
		entries, err := os.ReadDir(out)
		if err != nil {
			return inputError(fmt.Errorf("-o %s: %v", given, bare(err)))
		}
		if len(entries) > 0 {
			return usageError("-o %s is not empty: give a new or empty folder", given)
		}
	case err == nil && !st.Mode().IsRegular():
		return usageError("-o %s: not a regular file", given)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return inputError(fmt.Errorf("-o %s: %v", given, bare(err)))
	}
	for _, p := range paths {
		in, err := absPath(p)
		if err != nil {
			continue
		}
		if in == out || strings.HasPrefix(out, in+string(filepath.Separator)) {
			return usageError("-o %s is an input, or inside one (%s): write the redacted files elsewhere", given, p)
		}
	}
	return nil
}

// readMap reads --map FILE into t when the file exists.
func readMap(t *redact.Table, name string) error {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return inputError(fmt.Errorf("--map %s: %v", name, bare(err)))
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return usageError("--map %s: not a regular file", name)
	}
	if err := t.ReadMap(bufio.NewReader(f)); err != nil {
		return inputError(fmt.Errorf("--map %s: %v", name, err))
	}
	return nil
}

// packArchive makes the archive of the redacted files in a temporary file beside the output.
func packArchive(dir string, written []redact.Written, format, parent, base string) (string, error) {
	f, err := os.CreateTemp(parent, "."+base+".tmp-*")
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriterSize(f, 256*1024)
	err = redact.Pack(bw, dir, written, format)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// writeMapTemp writes the map into a private temporary file beside path.
func writeMapTemp(t *redact.Table, path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriter(f)
	err = t.WriteMap(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// place puts the redacted output where -o says: the folder renamed (over an empty one), or the
// archive.
func place(tmp, tmpArchive, out string) error {
	if tmpArchive != "" {
		if err := os.Rename(tmpArchive, out); err != nil {
			return err
		}
		syncDir(out)
		return nil
	}
	if err := filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			err = os.Chmod(p, 0o755)
		}
		return err
	}); err != nil {
		return err
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		if err := os.Remove(out); err != nil { // empty: checked before
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	syncDir(out)
	return nil
}

// summary says on stderr what was written and replaced.
func (c *redactCmd) summary(e *env, r *redact.Redactor, written []redact.Written, mapped bool) {
	t := r.Table()
	var skipped []string
	for _, f := range r.Files() {
		if f.Kind == parser.KindUnknown {
			skipped = append(skipped, t.RedactName(f.Name))
		}
	}
	fmt.Fprintf(e.stderr, "lmtriad: redacted %s into %s", plural(len(written), "file", "files"), report.Clean(c.Output))
	if len(skipped) > 0 {
		fmt.Fprintf(e.stderr, "; skipped %d, not a debug log, lmstat output or license file: %s", len(skipped), report.Clean(strings.Join(skipped, ", ")))
	}
	fmt.Fprintln(e.stderr)
	for _, n := range t.Counts() {
		if n.Tokens > 0 && !n.Kind.Secret() {
			fmt.Fprintf(e.stderr, "  %-28s %6d, %d replacements\n", n.Kind.Plural(), n.Tokens, n.Replacements)
		} else {
			fmt.Fprintf(e.stderr, "  %-28s %6d replaced\n", n.Kind.Plural(), n.Replacements)
		}
	}
	if mapped {
		fmt.Fprintf(e.stderr, "lmtriad: the real names are in %s: keep it, never send it; lmtriad redact --reverse --map %s REPORT puts them back into a report\n",
			report.Clean(c.Map), report.Clean(c.Map))
	} else {
		fmt.Fprintln(e.stderr, "lmtriad: no --map: the pseudonyms cannot be turned back into names")
	}
}

// reverse is "lmtriad redact --reverse --map FILE REPORT".
func (c *redactCmd) reverse(e *env) error {
	switch {
	case c.Map == "":
		return usageError("redact --reverse: --map FILE is required: the map written when the files were redacted")
	case len(c.Paths) != 1:
		return usageError("redact --reverse: give one report")
	case c.Features:
		return usageError("redact --reverse: --features goes without --reverse")
	}
	if _, err := os.Stat(c.Map); err != nil {
		return inputError(fmt.Errorf("--map %s: %v", c.Map, bare(err)))
	}
	t := redact.NewTable(false)
	if err := readMap(t, c.Map); err != nil {
		return err
	}
	name := c.Paths[0]
	var in io.Reader
	if name == "-" {
		in = e.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return inputError(fmt.Errorf("%s: %v", name, bare(err)))
		}
		defer f.Close()
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			return usageError("%s: not a regular file", name)
		}
		in = f
	}
	br := bufio.NewReaderSize(in, 64*1024)
	format := c.Format
	if format == "auto" {
		head, _ := br.Peek(4096)
		format = redact.ReportFormat(name, head)
	}
	out, err := createOutput(c.Output, e.stdout, statInputs([]string{name, c.Map}))
	if err != nil {
		return usageError("%v", err)
	}
	defer out.Abort()
	if err := t.Reverse(out, br, format); err != nil {
		return inputError(fmt.Errorf("%s: %v", name, err))
	}
	if err := out.Commit(); err != nil {
		return inputError(err)
	}
	return nil
}
