package report

import (
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lmtriad/lmtriad/analyze"
)

// Text that came from evidence (log lines quoted as evidence, host, file, vendor and user
// names, names inside archives, warning arguments) is written by the human-facing renderers
// only through Clean, so that the evidence cannot talk to the reader's terminal, or hide what
// it says. Clean shows these characters visibly instead of emitting them:
//
//   - C0 controls (U+0000-U+001F) other than tab: ESC starts terminal control sequences
//     (ESC[2J clears the screen, ESC]0;...BEL retitles the window, others move the cursor,
//     rewrite earlier lines or, on some terminals, write files or reach the clipboard); BEL
//     rings; CR returns to the start of the line, so that what follows overwrites what was
//     before it; LF, VT, FF and the rest start lines or do nothing visible. Every evidence
//     value is one line, so a newline inside one (a file name, a quoted line) is escaped too;
//     the line ends a renderer writes itself are not values and stay. Tab is kept: it moves
//     the cursor only forward, to the next tab stop, and logs use it as a space.
//   - DEL (U+007F): invisible, and some terminals erase with it.
//   - C1 controls (U+0080-U+009F): several terminals act on them as on ESC sequences (U+009B
//     is CSI, U+009D is OSC, U+0090 is DCS).
//   - Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder
//     how the rest of the line is displayed, so that what the reader sees is not what the log
//     says (the "Trojan Source" trick).
//   - Bytes that are not UTF-8: a terminal may read them as (part of) a C1 control, and they
//     cannot be shown as text anyway.
//
// The visible form is the escape syntax of Go (and C, and JSON), without the one-letter forms
// such as \r, so that there is one form per kind: a C0 control, DEL or a byte that is not
// UTF-8 as \xHH (ESC is \x1b, CR is \x0d, LF is \x0a, the byte 0xff is \xff), a C1 control or
// a bidi character as \uHHHH (CSI is \u009b, RIGHT-TO-LEFT OVERRIDE is \u202e), hex digits in
// lower case. A backslash is not escaped itself, so that clean text (a Windows
// path, a quoted line) reads as it is: a log line that holds the four characters \x1b reads the
// same as one that held ESC; the JSON report keeps the exact text.
//
// The tool's own escape sequences (the colours of Options.Color) are added by the renderers
// after the evidence went through Clean, and stay.

// Clean returns s with every character that a terminal might act on, or that would reorder
// the display, shown visibly instead (see above); s itself when it holds none, without
// allocating.
func Clean(s string) string {
	i := dirtyAt(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if escapeByte(c) {
				writeHex(&b, `\x`, uint32(c), 2)
			} else {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(&b, `\x`, uint32(c), 2)
		case escapeRune(r):
			writeHex(&b, `\u`, uint32(r), 4)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// dirtyAt is the index of the first byte of s that Clean must escape, or -1.
func dirtyAt(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c-0x20 < 0x7f-0x20 { // printable ASCII, the common case: one comparison
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if escapeByte(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || escapeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// escapeByte tells the ASCII characters Clean escapes: C0 controls but tab, and DEL.
func escapeByte(c byte) bool { return c < 0x20 && c != '\t' || c == 0x7f }

// escapeRune tells the non-ASCII characters Clean escapes: C1 controls and the bidi
// embeddings, overrides and isolates.
func escapeRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

func writeHex(b *strings.Builder, prefix string, v uint32, digits int) {
	const hex = "0123456789abcdef"
	b.WriteString(prefix)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hex[v>>uint(shift)&0xf])
	}
}

// cleanReport returns r with every string in it passed through Clean: every string field of
// every struct, slice, map (keys too), pointer and interface it holds, so also the arguments
// of its msg.Text values (string, msg.Raw, []string, msg.Or, nested texts) and any field added
// later. r itself is never changed: when nothing in it needs cleaning it is returned as it
// is; otherwise the result is a copy, which shares with r only the parts that were clean
// (renderers only read a report). Unexported fields are copied as they are; no renderer can
// read them. The walk follows pointers, so a report must hold no pointer cycle (none does: its
// pointers are the verdict's finding and the findings' fixes).
func cleanReport(r *analyze.Report) *analyze.Report {
	if r == nil {
		return nil
	}
	v, changed := cleanValue(reflect.ValueOf(r))
	if !changed {
		return r
	}
	return v.Interface().(*analyze.Report)
}

// cleanValue returns v with its strings cleaned, and whether anything changed; when nothing
// did, it returns v itself, and allocates nothing.
func cleanValue(v reflect.Value) (reflect.Value, bool) {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if dirtyAt(s) < 0 {
			return v, false
		}
		return reflect.ValueOf(Clean(s)).Convert(v.Type()), true
	case reflect.Pointer:
		if v.IsNil() {
			return v, false
		}
		e, changed := cleanValue(v.Elem())
		if !changed {
			return v, false
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(e)
		return p, true
	case reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		e, changed := cleanValue(v.Elem())
		if !changed {
			return v, false
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(e)
		return n, true
	case reflect.Struct:
		var n reflect.Value
		for _, i := range textFields(v.Type()) {
			f, changed := cleanValue(v.Field(i))
			if !changed {
				continue
			}
			if !n.IsValid() {
				n = reflect.New(v.Type()).Elem()
				n.Set(v)
			}
			n.Field(i).Set(f)
		}
		if !n.IsValid() {
			return v, false
		}
		return n, true
	case reflect.Slice, reflect.Array:
		if !holdsText(v.Type().Elem()) {
			return v, false
		}
		var n reflect.Value
		for i := range v.Len() {
			e, changed := cleanValue(v.Index(i))
			if !changed {
				continue
			}
			if !n.IsValid() {
				if v.Kind() == reflect.Slice {
					n = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
					reflect.Copy(n, v)
				} else {
					n = reflect.New(v.Type()).Elem()
					n.Set(v)
				}
			}
			n.Index(i).Set(e)
		}
		if !n.IsValid() {
			return v, false
		}
		return n, true
	case reflect.Map:
		if v.IsNil() {
			return v, false
		}
		dirty := false
		for it := v.MapRange(); it.Next() && !dirty; {
			_, kc := cleanValue(it.Key())
			_, vc := cleanValue(it.Value())
			dirty = kc || vc
		}
		if !dirty {
			return v, false
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			k, _ := cleanValue(it.Key())
			e, _ := cleanValue(it.Value())
			n.SetMapIndex(k, e)
		}
		return n, true
	}
	return v, false // numbers, booleans, functions, channels: no text
}

// textTypes caches, per type, whether a value of it can hold a string, and for a struct the
// exported fields that can: a report holds many times, line numbers and counts, and the walk
// skips them without a look.
var textTypes sync.Map // reflect.Type -> *textType

type textType struct {
	holds  bool
	fields []int // struct: the exported fields that can hold a string
}

// holdsText tells whether a value of type t can hold a string.
func holdsText(t reflect.Type) bool { return typeInfo(t, nil).holds }

// textFields lists the exported fields of struct type t that can hold a string.
func textFields(t reflect.Type) []int { return typeInfo(t, nil).fields }

// typeInfo works out what textTypes holds for t; seen breaks the cycles of recursive types
// (a msg.Text holds msg.Texts), which count as holding text.
func typeInfo(t reflect.Type, seen map[reflect.Type]bool) *textType {
	if ti, ok := textTypes.Load(t); ok {
		return ti.(*textType)
	}
	if seen[t] {
		return &textType{holds: true}
	}
	if seen == nil {
		seen = map[reflect.Type]bool{}
	}
	seen[t] = true
	ti := &textType{}
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		ti.holds = true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		ti.holds = typeInfo(t.Elem(), seen).holds
	case reflect.Map:
		ti.holds = typeInfo(t.Key(), seen).holds || typeInfo(t.Elem(), seen).holds
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && typeInfo(f.Type, seen).holds {
				ti.fields = append(ti.fields, i)
			}
		}
		ti.holds = len(ti.fields) > 0
	}
	delete(seen, t)
	textTypes.Store(t, ti)
	return ti
}

// CSVCell returns s as it may go into a cell of a CSV file: through Clean (a CSV file is also
// read in terminals), and then, when it would start a formula in a spreadsheet, with a leading
// single quote, as OWASP recommends against CSV injection ("Formula injection"): a cell that
// starts with '=', '+', '-', '@', tab or CR is read as a formula by Excel, LibreOffice or Google
// Sheets (a host named =1+1, @SUM(A1) or +cmd|'/c calc'!A1 runs there), and the quote makes it
// text, shown without the quote. A negative number (-40, -1.5) stays as it is, to stay a
// number. (After Clean a cell cannot start with CR, which Clean shows as \x0d; the rule stands
// for the list to be OWASP's whole.) Every cell of both CSV outputs (analyze -f csv and
// batch -f csv) goes through CSVCell.
func CSVCell(s string) string { return unformula(Clean(s)) }

// unformula prefixes a cell that would start a formula with a single quote.
func unformula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if !isNegativeNumber(s) {
			return "'" + s
		}
	}
	return s
}

// isNegativeNumber tells a plain negative decimal: '-', digits, and optionally '.' and more
// digits (-40, -1.5). Anything else after the '-' gets the quote: it may be a formula (-1+1,
// -2+3+cmd|'/c calc'!A0, -A1), and a number written otherwise (-1e5, -.5) is better shown as
// text than the rule made loose.
func isNegativeNumber(s string) bool {
	digits := func(s string) int {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		return n
	}
	s = s[1:]
	n := digits(s)
	if n == 0 {
		return false
	}
	s = s[n:]
	if s == "" {
		return true
	}
	if s[0] != '.' {
		return false
	}
	s = s[1:]
	n = digits(s)
	return n > 0 && n == len(s)
}
