package redact

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Reverse: a report that came back from support names the pseudonyms; the map turns them back
// into the names, escaped as the report's format needs them.

// ReportFormats are the formats Reverse knows: those of lmtriad's reports.
var ReportFormats = []string{"text", "markdown", "json", "html", "csv"}

// ReportFormat tells a report's format from its file name, else from its first bytes: JSON
// ({ or [), HTML (<!DOCTYPE or <html), CSV (a first line of comma-separated words), Markdown (a
// first line that is a # heading), else text.
func ReportFormat(name string, head []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".jsonl":
		return "json"
	case ".html", ".htm":
		return "html"
	case ".md", ".markdown":
		return "markdown"
	case ".csv":
		return "csv"
	case ".txt", ".text":
		return "text"
	}
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	first := t
	if i := bytes.IndexByte(t, '\n'); i >= 0 {
		first = t[:i]
	}
	first = bytes.TrimRight(first, "\r")
	low := bytes.ToLower(first)
	switch {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return "json"
	case bytes.HasPrefix(low, []byte("<!doctype html")), bytes.HasPrefix(low, []byte("<html")):
		return "html"
	case bytes.Count(first, []byte(",")) >= 3 && !bytes.Contains(first, []byte(" ")):
		return "csv"
	case bytes.HasPrefix(first, []byte("# ")):
		return "markdown"
	}
	return "text"
}

// reverser finds pseudonyms in text.
type reverser struct {
	t *Table
	m *matcher
}

func (t *Table) reverser() *reverser {
	m := newMatcher()
	for _, k := range Kinds() {
		if !k.mapped() {
			continue
		}
		for _, e := range t.space(k) {
			if e.kind == k && e.pseudo != "" {
				m.add(e.pseudo, e)
			}
		}
	}
	m.done()
	return &reverser{t: t, m: m}
}

// original is the name behind a pseudonym as spelled in text: the spelling it was made from; for
// the pseudonym in lower case, the name as first read; else the name in the pseudonym's case.
func (rv *reverser) original(e *entry, spelled string) string {
	for s, p := range e.spell {
		if p == spelled {
			return s
		}
	}
	if spelled == e.pseudo {
		return e.orig
	}
	return shape(spelled, lowerASCII(e.orig))
}

// Reverse copies the report r to w in format (one of ReportFormats) with every pseudonym of
// the table replaced by its name.
func (t *Table) Reverse(w io.Writer, r io.Reader, format string) error {
	rv := t.reverser()
	if format == "csv" {
		return rv.csv(w, r)
	}
	var esc func(string) string
	switch format {
	case "json":
		esc = jsonString
	case "html":
		esc = html.EscapeString
	case "text", "markdown":
	default:
		return fmt.Errorf("unknown report format %q", format)
	}
	bw := bufio.NewWriter(w)
	br := bufio.NewReaderSize(r, 64*1024)
	fence := ""
	var out []byte
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			switch format {
			case "markdown":
				out, fence = rv.markdown(out[:0], line, fence)
			case "text":
				out = rv.text(out[:0], line)
			default:
				out = rv.replace(out[:0], line, func(s string, _ int) string { return esc(s) })
			}
			if _, werr := bw.Write(out); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}

// replace appends line to dst with every pseudonym replaced by esc(name, where).
func (rv *reverser) replace(dst, line []byte, esc func(name string, at int) string) []byte {
	last := 0
	rv.m.find(line, func(i, j int, tk tok) bool {
		dst = append(dst, line[last:i]...)
		dst = append(dst, esc(rv.original(tk.e, string(line[i:j])), i)...)
		last = j
		return true
	})
	return append(dst, line[last:]...)
}

// jsonString is s as it goes between the quotes of a JSON string (as the report writes them:
// no HTML escapes).
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return s
	}
	q := bytes.TrimSpace(b.Bytes())
	return string(q[1 : len(q)-1])
}

// text reverses a line of the text report, keeping its columns where it can: the width a name
// adds or takes (against its pseudonym) is taken from or given to the next run of two spaces or
// more that separates two columns, which keeps at least one space.
func (rv *reverser) text(dst, line []byte) []byte {
	delta := 0 // columns the names put so far added
	copyText := func(from, to int) {
		for k := from; k < to; {
			if line[k] != ' ' || delta == 0 {
				dst = append(dst, line[k])
				k++
				continue
			}
			e := k
			for e < to && line[e] == ' ' {
				e++
			}
			n := e - k
			if n >= 2 && e < len(line) && line[e] != '\n' && line[e] != '\r' {
				m := max(n-delta, 1)
				delta -= n - m
				n = m
			}
			dst = append(dst, strings.Repeat(" ", n)...)
			k = e
		}
	}
	last := 0
	rv.m.find(line, func(i, j int, tk tok) bool {
		copyText(last, i)
		name := rv.original(tk.e, string(line[i:j]))
		dst = append(dst, name...)
		delta += utf8.RuneCountInString(name) - utf8.RuneCount(line[i:j])
		last = j
		return true
	})
	copyText(last, len(line))
	return dst
}

// mdEscaper escapes what Markdown reads as markup in prose, as the Markdown report does.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"[", `\[`, "]", `\]`, "#", `\#`)

// markdown reverses a line of the Markdown report: names go in as they are inside code (fenced
// blocks, whose columns are kept as in the text report, and `code` spans), escaped in prose, and
// with | escaped in table rows. fence is the
// fence of the code block the line is in ("" outside one); the one after the line is returned.
func (rv *reverser) markdown(dst, line []byte, fence string) ([]byte, string) {
	t := strings.TrimLeft(string(line), " ")
	if fence != "" {
		if strings.HasPrefix(t, fence) {
			return append(dst, line...), ""
		}
		return rv.text(dst, line), fence // a code block: columns kept as in the text report
	}
	if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
		n := len(t) - len(strings.TrimLeft(t, string(t[0])))
		return append(dst, line...), strings.Repeat(string(t[0]), n)
	}
	code := codeSpans(line)
	row := strings.HasPrefix(t, "|")
	return rv.replace(dst, line, func(s string, at int) string {
		inCode := false
		for _, c := range code {
			inCode = inCode || at >= c[0] && at < c[1]
		}
		if !inCode {
			s = mdEscaper.Replace(s)
		}
		if row {
			s = strings.ReplaceAll(s, "|", `\|`)
		}
		return s
	}), ""
}

// codeSpans are the byte ranges of the `code` spans of a line: from a run of backquotes to the
// next run of the same length.
func codeSpans(line []byte) [][2]int {
	var out [][2]int
	for i := 0; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] == '`' {
			j++
		}
		run := string(line[i:j])
		k := bytes.Index(line[j:], []byte(run))
		for k >= 0 && j+k+len(run) < len(line) && line[j+k+len(run)] == '`' {
			next := bytes.Index(line[j+k+len(run):], []byte(run))
			if next < 0 {
				k = -1
				break
			}
			k += len(run) + next
		}
		if k < 0 {
			i = j
			continue
		}
		out = append(out, [2]int{j, j + k})
		i = j + k + len(run)
	}
	return out
}

// csv reverses a CSV report field by field: a field that now starts as a formula would gets
// the quote the report puts before such fields.
func (rv *reverser) csv(w io.Writer, r io.Reader) error {
	br := bufio.NewReader(r)
	head, _ := br.Peek(64 * 1024)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cw := csv.NewWriter(w)
	if i := bytes.IndexByte(head, '\n'); i > 0 && head[i-1] == '\r' {
		cw.UseCRLF = true
	}
	var buf []byte
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		for i, f := range rec {
			buf = rv.replace(buf[:0], []byte(f), func(s string, _ int) string { return s })
			if string(buf) != f {
				rec[i] = unformula(string(buf))
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// unformula puts a single quote before a cell that a spreadsheet would read as a formula, as the
// CSV report does (report.CSVCell): '=', '+', '@', tab, CR, or '-' not followed by a number.
func unformula(s string) string {
	if s == "" || strings.HasPrefix(s, "'") {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		rest := s[1:]
		if rest == "" || strings.Trim(rest, "0123456789.") != "" || strings.Count(rest, ".") > 1 || rest[0] == '.' {
			return "'" + s
		}
	}
	return s
}
