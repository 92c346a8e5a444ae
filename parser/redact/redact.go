package redact

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lmtriad/lmtriad/parser"
)

// Redactor redacts the inputs of one run: Collect reads them all and decides the pseudonyms,
// Write writes them again with the tokens replaced.
type Redactor struct {
	t     *Table
	paths []string
	opt   parser.Options
	isDir []bool
	// spread: more than one folder or archive is given, so each keeps its own folder
	spread bool

	files []*parser.File // the files found, as ReadRaw lists them
}

// New returns a Redactor of the inputs at paths (files, folders, archives, as the parser reads
// them), with the tokens of t (empty, or read from a map). opt's Encoding and MaxBytes count.
func New(t *Table, paths []string, opt parser.Options) *Redactor {
	return &Redactor{t: t, paths: paths, opt: opt}
}

// Table is the table of tokens.
func (r *Redactor) Table() *Table { return r.t }

// Files lists the files found by Collect, skipped ones included (Kind unknown, with Reason).
func (r *Redactor) Files() []*parser.File { return r.files }

// Collect reads every input and records its tokens, then decides the pseudonyms (the first
// pass). Errors are the parser's (*parser.PathError) or reading errors.
func (r *Redactor) Collect() error {
	r.isDir = make([]bool, len(r.paths))
	containers := 0
	for i, p := range r.paths {
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			r.isDir[i] = true
		}
		if r.isDir[i] || isArchiveName(p) {
			containers++
		}
	}
	r.spread = containers > 1
	files, err := parser.ReadRaw(r.paths, r.opt, func(raw parser.Raw, rd io.Reader) error {
		if raw.Kind == parser.KindUnknown {
			return nil
		}
		rec := &recognizer{kind: raw.Kind}
		return eachPiece(raw, rd, nil, func(text []byte, whole bool, _ []byte) error {
			var sp []span
			if whole {
				sp = rec.line(text)
			}
			last := 0
			for _, s := range sp {
				r.t.discover(text[last:s.start])
				r.collect(s, string(text[s.start:s.end]))
				last = s.end
			}
			r.t.discover(text[last:])
			return nil
		})
	})
	if err != nil {
		return err
	}
	r.files = files
	return r.t.Finish()
}

// collect records the token of one span.
func (r *Redactor) collect(s span, text string) {
	t := r.t
	switch s.sk {
	case spanKeep:
		t.protect([]byte(text))
	case spanVendor:
		t.addVendor(text)
	case spanSecret:
		t.addSecret(s.k, text)
	case spanHost:
		t.addHost(text, s.k)
	case spanName:
		switch s.k {
		case KindUser:
			t.addUser(text)
		case KindDisplay:
			t.addDisplay(text)
		case KindFeature:
			t.addFeature(text)
		case KindHostID:
			t.addHostID(text)
		}
	}
}

// eachPiece reads the text of one file and calls fn with each piece of it, decoded: a line or
// part of a long line (whole tells a line or its first piece, the part a form can be read in),
// and the line ending that follows it, raw. prefix, when not nil, is called first with the
// file's leading NUL bytes and byte order mark, raw.
func eachPiece(raw parser.Raw, rd io.Reader, prefix func([]byte) error, fn func(text []byte, whole bool, end []byte) error) error {
	n := raw.NULs + int64(raw.BOM)
	if n > 0 {
		var w io.Writer = io.Discard
		if prefix != nil {
			w = writerFunc(prefix)
		}
		if _, err := io.CopyN(w, rd, n); err != nil {
			return err
		}
	}
	c := codecFor(raw.Encoding)
	ls := newLines(rd, c)
	var text []byte
	first := true
	for {
		body, end, more, err := ls.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		text = c.decode(text[:0], body)
		if err := fn(text, first, end); err != nil {
			return err
		}
		first = !more
	}
}

type writerFunc func([]byte) error

func (f writerFunc) Write(p []byte) (int, error) {
	if err := f(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Written is one file Write wrote.
type Written struct {
	Name     string // its path in the output, slash-separated
	From     string // the input it was made from, as the parser names it
	Kind     parser.Kind
	Encoding string
}

// Write writes every input of a known kind, redacted, into the folder dir (which exists), under
// its redacted name, in the encoding it was read in, and returns what it wrote in name order.
// Collect must have run. The inputs are read again (the second pass); they are never written.
func (r *Redactor) Write(dir string) ([]Written, error) {
	if r.t.m == nil {
		return nil, errors.New("redact: Write before Collect")
	}
	var out []Written
	used := map[string]bool{}
	buf := make([]byte, 0, 4096)
	enc := make([]byte, 0, 4096)
	arg := 0
	_, err := parser.ReadRaw(r.paths, r.opt, func(raw parser.Raw, rd io.Reader) error {
		arg = r.argOf(raw.Disk, arg)
		if raw.Kind == parser.KindUnknown {
			return nil
		}
		name := r.outName(raw, arg, used)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 64*1024)
		rec := &recognizer{kind: raw.Kind}
		c := codecFor(raw.Encoding)
		err = eachPiece(raw, rd, func(b []byte) error { _, err := bw.Write(b); return err },
			func(text []byte, whole bool, end []byte) error {
				buf = r.rewrite(buf[:0], text, rec, whole)
				enc = c.encode(enc[:0], buf)
				if _, err := bw.Write(enc); err != nil {
					return err
				}
				_, err := bw.Write(end)
				return err
			})
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		out = append(out, Written{Name: name, From: raw.Name, Kind: raw.Kind, Encoding: raw.Encoding})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// rewrite appends text redacted to dst: the spans of its form replaced by kind, the rest as
// free text.
func (r *Redactor) rewrite(dst, text []byte, rec *recognizer, whole bool) []byte {
	t := r.t
	var sp []span
	if whole {
		sp = rec.line(text)
	}
	last := 0
	for _, s := range sp {
		if s.rjust { // lmstat's "%10s": the name right-justified again
			v := t.host(string(text[s.start:s.end]))
			dst = append(dst, strings.Repeat(" ", max(10-len(v), 0))...)
			dst = append(dst, v...)
			last = s.end
			continue
		}
		dst = t.replace(dst, text[last:s.start])
		v := string(text[s.start:s.end])
		switch s.sk {
		case spanKeep, spanVendor:
			dst = append(dst, v...)
		case spanSecret:
			t.dummies[s.k]++
			dst = append(dst, dummy(s.k, v)...)
		case spanHost:
			dst = append(dst, t.host(v)...)
		case spanName:
			dst = append(dst, t.name(s.k, v)...)
		}
		last = s.end
	}
	return t.replace(dst, text[last:])
}

// argOf is the index of the path argument that disk (a file found) comes from: the files come
// in the order of the arguments, from cur on.
func (r *Redactor) argOf(disk string, cur int) int {
	for i := cur; i < len(r.paths); i++ {
		p := r.paths[i]
		if r.isDir[i] {
			if rel, err := filepath.Rel(p, disk); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return i
			}
			continue
		}
		if disk == p {
			return i
		}
	}
	return cur
}

// outName is the redacted path in the output of the file raw, found through argument arg. A
// single folder or archive given puts its files at the top; with several, each keeps its folder
// (named after it, without an archive's extension). Archives become folders, a .gz its file.
// Every part of the path is redacted; a name already used gets -2, -3, ...
func (r *Redactor) outName(raw parser.Raw, arg int, used map[string]bool) string {
	p := r.paths[arg]
	var chain []string // the disk file's path under the argument, then the levels inside archives
	if r.isDir[arg] {
		rel, err := filepath.Rel(p, raw.Disk)
		if err != nil {
			rel = filepath.Base(raw.Disk)
		}
		if r.spread {
			chain = append(chain, filepath.Base(filepath.Clean(p)))
		}
		chain = append(chain, filepath.ToSlash(rel))
	} else {
		archive := raw.Name != raw.Disk
		switch {
		case archive && r.spread:
			chain = append(chain, filepath.Base(p))
		case archive:
			chain = append(chain, "") // the archive is the top
		default:
			dir := filepath.Base(filepath.Dir(filepath.Clean(p)))
			if d := r.t.redactPath(dir); d != dir && r.t.hasServer(dir) {
				chain = append(chain, dir) // a folder named after a server says which server's log it holds
			}
			chain = append(chain, filepath.Base(p))
		}
	}
	if inner, ok := strings.CutPrefix(raw.Name, raw.Disk); ok && strings.HasPrefix(inner, "!") {
		chain = append(chain, strings.Split(inner[1:], "!")...)
	}
	var parts []string
	for i, c := range chain {
		if i < len(chain)-1 && c != "" { // an archive: a folder of its name without the extension
			next := chain[i+1]
			if strings.HasSuffix(strings.ToLower(c), ".gz") && !isArchiveName(c[:len(c)-3]) && path.Base(c[:len(c)-3]) == next {
				c = path.Dir(c) // a .gz of one file: that file
				if c == "." {
					c = ""
				}
			} else {
				c = stripArchiveExt(c)
			}
		}
		for _, el := range strings.Split(c, "/") {
			if el = safeName(el); el != "" {
				parts = append(parts, r.t.redactPath(el))
			}
		}
	}
	if len(parts) == 0 {
		parts = []string{"file"}
	}
	name := strings.Join(parts, "/")
	if used[strings.ToLower(name)] {
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		for k := 2; ; k++ {
			if n := fmt.Sprintf("%s-%d%s", base, k, ext); !used[strings.ToLower(n)] {
				name = n
				break
			}
		}
	}
	used[strings.ToLower(name)] = true
	return name
}

// redactPath redacts one element of a path: its tokens replaced, as in free text, and a short
// server name that is the whole element or its name before the extension (lm.log: server-c.log).
func (t *Table) redactPath(s string) string {
	b := t.replace(nil, append(append([]byte{'/'}, s...), '/'))
	return string(b[1 : len(b)-1])
}

// RedactName is a file's name (a path) with its tokens replaced, for messages. It counts no
// replacement.
func (t *Table) RedactName(s string) string {
	if t.m == nil {
		return s
	}
	var out []byte
	last := 0
	t.m.find([]byte(s), func(i, j int, tk tok) bool {
		out = append(out, s[last:i]...)
		if tk.e.kind.secret() {
			out = append(out, dummy(tk.e.kind, s[i:j])...)
		} else if p, ok := tk.e.spell[s[i:j]]; ok {
			out = append(out, p...)
		} else {
			out = append(out, shape(s[i:j], tk.e.pseudo)...)
		}
		last = j
		return true
	})
	return string(append(out, s[last:]...))
}

// hasServer tells whether s holds the name of a member.
func (t *Table) hasServer(s string) bool {
	found := false
	t.m.find([]byte(s), func(_, _ int, tk tok) bool {
		found = tk.e.kind == KindServer
		return !found
	})
	return found
}

// safeName makes one element of a path safe to create: no "." or "..", no separators or
// characters Windows refuses, no control characters.
func safeName(el string) string {
	el = strings.Map(func(c rune) rune {
		switch {
		case c < 0x20, c == 0x7f, strings.ContainsRune(`\:*?"<>|`, c):
			return '_'
		}
		return c
	}, el)
	el = strings.TrimRight(el, " .")
	if el == "." || el == ".." || strings.Trim(el, ".") == "" {
		return ""
	}
	return el
}

var archiveExts = []string{".tar.gz", ".tgz", ".zip", ".tar", ".gz"}

func isArchiveName(p string) bool { return stripArchiveExt(p) != p }

func stripArchiveExt(p string) string {
	low := strings.ToLower(p)
	for _, e := range archiveExts {
		if strings.HasSuffix(low, e) && len(p) > len(e) {
			return p[:len(p)-len(e)]
		}
	}
	return p
}
