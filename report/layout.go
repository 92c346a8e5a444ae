package report

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// Widths of the text report, in display columns.
const (
	DefaultWidth = 100 // when Options.Width is 0: no terminal and no COLUMNS
	MinWidth     = 60  // the narrowest layout; a smaller Options.Width is taken as this
)

// width is the number of display columns the text report's lines fit in.
func (o Options) width() int {
	switch {
	case o.Width == 0:
		return DefaultWidth
	case o.Width < MinWidth:
		return MinWidth
	}
	return o.Width
}

// narrow measures display width the same on every machine: East Asian wide characters take
// two columns, and characters of ambiguous width one, as tablewriter is told to count them
// (WithEastAsian(tw.Off)); runewidth's default would follow the locale.
var narrow = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}

// sgr matches the colour sequences the text report writes (fatih/color's SGR sequences).
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// displayWidth is how many terminal columns s takes: two for a wide (East Asian) character,
// none for a colour sequence.
func displayWidth(s string) int {
	if strings.IndexByte(s, 0x1b) >= 0 {
		s = sgr.ReplaceAllString(s, "")
	}
	return narrow.StringWidth(s)
}

// pad fills s with spaces to w display columns.
func pad(s string, w int) string { return s + strings.Repeat(" ", max(0, w-displayWidth(s))) }

// closing holds the characters that never start a line (kinsoku): closing brackets and
// punctuation, East Asian and ASCII. A line break before one moves the character before it
// down too.
const closing = "。、，．）」』】〕！？：；ー)]},.:;!?%"

// opening holds the characters that never end a line: opening brackets.
const opening = "（「『【〔([{"

// A filler lays text out in lines of at most width display columns. Words and blocks are
// added in order; a line break goes between words (at a space), between two East Asian
// characters (which have no spaces between them), or, as the last resort for a word wider
// than a whole line (a long path), inside the word. Colour sequences take no room.
type filler struct {
	width int
	hang  string   // what the continuation lines start with
	out   []string // finished lines
	line  string   // the line being filled, its prefix included
	lineW int
	units []int // byte offsets in line where its units (words, characters) start
	stuck []bool
	// penalty grows with each line break that reads worse than one between two blocks or
	// two words of plain text (for sizing table columns): 1 at a space inside a block, or
	// before a number or after a slash in East Asian text, wideBreak (2) between two East
	// Asian characters, 3 after a hyphen or a slash inside a word of narrow characters, 100
	// elsewhere inside one.
	penalty   int
	wideBreak int  // what a break between two East Asian characters adds to it
	inBlock   bool // the words being added belong to a block
	seek      bool // break East Asian text at the last good place on the line, not the last one
}

// newFiller starts a layout whose first line starts with lead and the others with hang.
func newFiller(width int, lead, hang string) *filler {
	return &filler{width: width, hang: hang, line: lead, lineW: displayWidth(lead), wideBreak: 2}
}

// bare tells whether the line holds nothing past its prefix.
func (f *filler) bare() bool { return len(f.units) == 0 }

func (f *filler) room() int { return f.width - f.lineW }

// put appends one unit, which cannot start a line when stuck.
func (f *filler) put(s string, stuck bool) {
	f.units = append(f.units, len(f.line))
	f.stuck = append(f.stuck, stuck)
	f.line += s
	f.lineW += displayWidth(s)
}

// sep appends what goes between two units on one line; nothing at the start of a line.
func (f *filler) sep(s string) {
	if !f.bare() {
		f.line += s
		f.lineW += displayWidth(s)
	}
}

func (f *filler) newline() {
	f.out = append(f.out, strings.TrimRight(f.line, " "))
	f.line, f.lineW, f.units, f.stuck = f.hang, displayWidth(f.hang), f.units[:0], f.stuck[:0]
}

// lines ends the layout and returns its lines.
func (f *filler) lines() []string {
	if !f.bare() || len(f.out) == 0 {
		f.out = append(f.out, strings.TrimRight(f.line, " "))
	}
	f.line, f.units, f.stuck = "", nil, nil
	return f.out
}

// String ends the layout and returns its lines, each ending in a newline.
func (f *filler) String() string { return strings.Join(f.lines(), "\n") + "\n" }

// text adds the words of s, one space between two of them on a line.
func (f *filler) text(s string) {
	for _, w := range strings.Fields(s) {
		f.word(w, " ")
	}
}

// block adds s after gap, whole on this line when it fits, else whole on the next when it
// fits there, else as words from here on.
func (f *filler) block(s, gap string) {
	w := displayWidth(s)
	g := gap
	if f.bare() {
		g = ""
	}
	switch {
	case displayWidth(g)+w <= f.room():
		f.sep(g)
		f.put(s, false)
	case !f.bare() && displayWidth(f.hang)+w <= f.width:
		f.newline()
		f.put(s, false)
	default:
		f.inBlock = true
		for i, word := range strings.Fields(s) {
			if i == 0 {
				f.word(word, gap)
			} else {
				f.word(word, " ")
			}
		}
		f.inBlock = false
	}
}

// items adds each item as a block, sep between two of them: its punctuation stays at the end
// of a line ("a," then "b"), its spaces are where a line may break.
func (f *filler) items(items []string, sep string) {
	f.itemsAfter(items, sep, sep[len(strings.TrimRight(sep, " ")):])
}

// itemsAfter is items with first the gap before the first item (when it is not the first
// on its line).
func (f *filler) itemsAfter(items []string, sep, first string) {
	punct := strings.TrimRight(sep, " ")
	gap := sep[len(punct):]
	for i, it := range items {
		if i < len(items)-1 {
			it += punct
		}
		if i == 0 {
			f.block(it, first)
		} else {
			f.block(it, gap)
		}
	}
}

// word adds one word (no spaces), after gap when it is not the first on its line.
func (f *filler) word(w, gap string) {
	us := units(w)
	if len(us) == 1 { // narrow characters only: the word stays whole when it can
		u := us[0]
		g := gap
		if f.bare() {
			g = ""
		}
		if displayWidth(g)+u.w > f.room() && !f.bare() {
			f.newline()
			f.spaceBreak()
			g = ""
		}
		f.sep(g)
		f.long(u.s, u.stuck)
		return
	}
	placed := make([]place, len(us))
	for i, u := range us {
		g := ""
		if i == 0 && !f.bare() {
			g = gap
		}
		if displayWidth(g)+u.w > f.room() && !f.bare() {
			switch j, ok := f.lookBack(us, placed, i); {
			case ok && j == 0:
				f.breakAt(placed[j].unit)
				f.spaceBreak()
			case ok:
				f.breakAt(placed[j].unit)
				f.penalty++
			default:
				f.breakBefore(u)
				switch {
				case i == 0:
					f.spaceBreak()
				case goodBreak(us[i-1], u):
					f.penalty++ // before a number ("1時間" then "18分"), after a slash, between words
				default:
					f.penalty += f.wideBreak
				}
			}
			g = ""
		}
		f.sep(g)
		f.long(u.s, u.stuck)
		placed[i] = place{len(f.out), len(f.units) - 1}
	}
}

// A place is where a unit of a word went: the line (the number of lines before it) and its
// index in filler.units.
type place struct{ line, unit int }

// goodBreak tells a line break between two units of East Asian text that reads well: before
// a number ("1時間" then "18分"), after a slash, or where one word ends and the next begins.
func goodBreak(a, b unit) bool {
	return b.s[0] >= '0' && b.s[0] <= '9' || strings.HasSuffix(a.s, "/") || natural(a.s, b.s)
}

// lookBack finds, for a filler that seeks them (table cells), the last good break among the
// units of the word already on this line, before us[i] which does not fit; failing that, the
// space before the word when it began on this line (j is 0 then). It finds none (ok false)
// where the break would leave the line empty.
func (f *filler) lookBack(us []unit, placed []place, i int) (j int, ok bool) {
	if !f.seek {
		return 0, false
	}
	for j = i - 1; j >= 0 && placed[j].line == len(f.out) && placed[j].unit > 0; j-- {
		if j == 0 || goodBreak(us[j-1], us[j]) && !us[j].stuck {
			return j, true
		}
	}
	return 0, false
}

// spaceBreak counts a line break at a space: one inside a block reads worse.
func (f *filler) spaceBreak() {
	if f.inBlock {
		f.penalty++
	}
}

// breakBefore starts a new line for u; when u cannot start a line, the units before it that
// must go with it move down too, as long as something stays behind.
func (f *filler) breakBefore(u unit) {
	k := len(f.units) // the units from k on move down
	if u.stuck {
		for k--; k > 0 && f.stuck[k]; k-- {
		}
		if k <= 0 { // nothing could stay behind: break before u after all
			k = len(f.units)
		}
	}
	f.breakAt(k)
}

// breakAt starts a new line with the units of this one from the k-th on.
func (f *filler) breakAt(k int) {
	moved, stuck := "", false
	if k < len(f.units) {
		moved, stuck = f.line[f.units[k]:], f.stuck[k]
		f.line, f.lineW = f.line[:f.units[k]], displayWidth(f.line[:f.units[k]])
		f.units, f.stuck = f.units[:k], f.stuck[:k]
	}
	f.newline()
	if moved = strings.TrimRight(moved, " "); moved != "" {
		f.put(moved, stuck)
	}
}

// long puts s, breaking it across lines when it is wider than the room left on a fresh
// line: after the last path separator or hyphen that fits, else at the width.
func (f *filler) long(s string, stuck bool) {
	for displayWidth(s) > f.room() && f.room() > 0 {
		if !f.bare() {
			f.newline()
			continue
		}
		cut, lastSep := 0, 0 // byte offsets: the most that fits, and just after a separator in it
		w := 0
		for i := 0; i < len(s); {
			n := nextAtom(s[i:])
			aw := displayWidth(s[i : i+n])
			if w+aw > f.room() {
				break
			}
			w += aw
			i += n
			cut = i
			if c := s[i-1]; c == '/' || c == '\\' || c == '-' {
				lastSep = i
			}
		}
		f.penalty += 100
		if lastSep > 0 {
			cut = lastSep
			f.penalty -= 97 // "dual-" then "master" reads well enough
		}
		if cut == 0 { // not even one character fits: let it overflow rather than loop
			break
		}
		f.put(s[:cut], stuck)
		f.newline()
		s, stuck = s[cut:], false
	}
	f.put(s, stuck)
}

// nextAtom is the length in bytes of the first character of s, with the colour sequences
// that start before it and those that end a colour right after it (which take no room, and
// must not be cut).
func nextAtom(s string) int {
	i := 0
	for n := sgrAt(s[i:]); n > 0; n = sgrAt(s[i:]) {
		i += n
	}
	if i < len(s) {
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	for n := sgrAt(s[i:]); n > 0 && isReset(s[i:i+n]); n = sgrAt(s[i:]) {
		i += n
	}
	return i
}

// sgrAt is the length of the colour sequence s starts with, 0 when it starts with none.
func sgrAt(s string) int {
	if !strings.HasPrefix(s, "\x1b[") {
		return 0
	}
	if loc := sgr.FindStringIndex(s); loc != nil && loc[0] == 0 {
		return loc[1]
	}
	return 0
}

// isReset tells a colour sequence that ends colours (ESC[0m, ESC[22m, ESC[39;22m) from one
// that starts them.
func isReset(seq string) bool {
	for _, p := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b["), "m"), ";") {
		if p != "0" && p != "" && p != "39" && p != "49" && !(len(p) == 2 && p[0] == '2') {
			return false
		}
	}
	return true
}

// A unit is what a line may not break inside, short of a word too long for a line: a word
// of narrow characters, or, in a word with East Asian characters, one such character or one
// run of narrow ones.
type unit struct {
	s     string
	w     int
	stuck bool // it cannot start a line
	wide  bool // an East Asian character
}

func units(word string) []unit {
	plain := word
	if strings.IndexByte(word, 0x1b) >= 0 {
		plain = sgr.ReplaceAllString(word, "")
	}
	if narrow.StringWidth(plain) == utf8.RuneCountInString(plain) {
		r, _ := utf8.DecodeRuneInString(plain)
		return []unit{{s: word, w: displayWidth(word), stuck: strings.ContainsRune(closing, r)}}
	}
	var out []unit
	pending := ""    // colour sequences waiting for the character they colour
	lastWide := true // the last unit is one wide character (or there is none)
	for i := 0; i < len(word); {
		if n := sgrAt(word[i:]); n > 0 {
			if seq := word[i : i+n]; isReset(seq) && len(out) > 0 {
				out[len(out)-1].s += seq // an end of colour stays with what it ends
			} else {
				pending += seq
			}
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(word[i:])
		rw := narrow.RuneWidth(r)
		switch {
		case len(out) > 0 && pending == "" && (rw == 0 || rw == 1 && !lastWide):
			// a combining mark stays with its character; narrow characters stay together
			out[len(out)-1].s += word[i : i+n]
			out[len(out)-1].w += rw
		default:
			out = append(out, unit{s: pending + word[i:i+n], w: rw, stuck: strings.ContainsRune(closing, r), wide: rw > 1})
			pending = ""
			lastWide = rw > 1
		}
		i += n
	}
	if pending != "" {
		if len(out) == 0 {
			out = append(out, unit{})
		}
		out[len(out)-1].s += pending
	}
	for i := 1; i < len(out); i++ { // nor does a line end with an opening bracket
		prev := sgr.ReplaceAllString(out[i-1].s, "")
		if r, _ := utf8.DecodeLastRuneInString(prev); strings.ContainsRune(opening, r) {
			out[i].stuck = true
		}
	}
	return out
}

// wrap folds text into lines of at most width display columns, each starting with indent;
// continuation lines of a numbered step line up after its number. It breaks at spaces, and
// between wide (East Asian) characters, which have no spaces between them; a word wider than
// a line is broken where it reaches the margin.
func wrap(text, indent string, width int) string {
	hang := indent
	if i := strings.Index(text, ". "); i > 0 && i <= 3 && strings.Trim(text[:i], "0123456789") == "" {
		hang = indent + strings.Repeat(" ", i+2)
	}
	f := newFiller(width, indent, hang)
	f.text(text)
	return f.String()
}

// wrap folds a paragraph at the report's width (display width, so Japanese text folds too).
func (o Options) wrap(text, indent string) string { return wrap(text, indent, o.width()) }

// labelled lays out text after a label (such as "Verdict:"), continuation lines lined up
// under the text's first column.
func (o Options) labelled(label, text string) string {
	lead := label + " "
	f := newFiller(o.width(), lead, strings.Repeat(" ", displayWidth(lead)))
	f.text(text)
	return f.String()
}

// natural tells whether a line break between two East Asian characters, a then b, falls
// where a Japanese reader sees one word end and the next begin, as far as the scripts tell:
// after a comma or full stop, before kanji or katakana that follow hiragana ("正常に" then
// "復帰"), and where katakana and kanji meet ("マスタサーバ" then "不在").
func natural(a, b string) bool {
	ra, _ := utf8.DecodeLastRuneInString(sgr.ReplaceAllString(a, ""))
	rb, _ := utf8.DecodeRuneInString(sgr.ReplaceAllString(b, ""))
	sa, sb := script(ra), script(rb)
	switch {
	case ra == '、' || ra == '。':
		return true
	case sa == sb || sb == hiragana:
		return false
	}
	return sa == hiragana || sa == katakana && sb == kanji || sa == kanji && sb == katakana
}

const (
	otherScript = iota
	hiragana
	katakana
	kanji
)

func script(r rune) int {
	switch {
	case unicode.Is(unicode.Hiragana, r):
		return hiragana
	case unicode.Is(unicode.Katakana, r) || r == 'ー':
		return katakana
	case unicode.Is(unicode.Han, r):
		return kanji
	}
	return otherScript
}
