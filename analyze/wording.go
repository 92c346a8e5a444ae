package analyze

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Stage 1 also puts what the readers warned of into the report (TRIAD.md 3 and 7: every
// warning is part of the report, not only of stderr): the lines that may be triad news in a
// wording lmtriad does not know, and the readers' line warnings, a few sentences per file.

const (
	wordingSamples = 5 // samples of the lines in a wording lmtriad does not know
	lineSamples    = 3 // samples of the lines with the same warning
)

// fileWarnings adds, per input in the order given, the warning about its lines in a wording
// lmtriad does not know, then its line warnings grouped by kind. The lines in a wording
// lmtriad does not know count as unrecognized, in the input's counts and in the stats.
func (ev *evidence) fileWarnings(files []*parser.File) {
	for _, f := range files {
		if f.SameAs != "" {
			continue // the same content was read under another name: warned of there
		}
		ev.unknownWording(f)
		ev.warn = append(ev.warn, lineWarnings(f)...)
	}
}

// unknownWording warns of the lines of f that may be triad news in a wording lmtriad does not
// know: those that read as news by their words, and those that name a member other than the
// server whose log f is (a log no member is said to have written names no one: only its
// words count).
func (ev *evidence) unknownWording(f *parser.File) {
	suspects := slices.Concat(f.Suspects, ev.strangePeers(f))
	if len(suspects) == 0 && f.SuspectsMore == 0 {
		return
	}
	self := -1
	if f.Kind == parser.KindDebugLog {
		if i, ok := ev.serverOf(f); ok {
			self = i
		}
	}
	count := f.SuspectsMore
	var samples msg.Seq
	var seen []string // the samples' texts: lmstat runs repeat their lines, samples do not
	for _, s := range suspects {
		if !s.News && (self < 0 || !ev.namesPeer(s.Text, self)) {
			continue
		}
		count++
		if len(samples) < wordingSamples && !slices.Contains(seen, s.Text) {
			seen = append(seen, s.Text)
			samples = append(samples, msg.New("warn.sample", "at", msg.Raw(f.Name+":"+strconv.Itoa(s.Line)),
				"text", msg.Raw(strings.ToValidUTF8(s.Text, "\uFFFD"))))
		}
	}
	if count == 0 {
		return
	}
	file := msg.Raw(f.Name)
	switch {
	case f.Kind == parser.KindLmstat && count == 1:
		ev.warn = append(ev.warn, msg.New("warn.unknown-wording.lmstat.one", "file", file, "samples", samples))
	case f.Kind == parser.KindLmstat:
		ev.warn = append(ev.warn, msg.New("warn.unknown-wording.lmstat", "file", file, "count", count, "samples", samples))
	case count == 1:
		ev.warn = append(ev.warn, msg.New("warn.unknown-wording.one", "file", file, "samples", samples))
	default:
		ev.warn = append(ev.warn, msg.New("warn.unknown-wording", "file", file, "count", count, "samples", samples))
	}
	// An lmstat reader counts these lines as unrecognized already; a debug-log reader counted
	// them as recognized (lines without triad meaning).
	if f.Kind != parser.KindDebugLog {
		return
	}
	ev.stats.Unrecognized += count
	if k, ok := ev.infoOf[f]; ok {
		ev.inputs[k].Unrecognized += count
		ev.inputs[k].Recognized -= count
	}
}

// strangePeers are the lines of a debug log read as a link or a master that name no member
// where the member should be: a known start of the line in a wording that goes on otherwise
// ("Selected (EXISTING) master node server2.", "Lost connection to node server2") was read
// as naming "node", and its event counts for nothing: it must not pass silently (TRIAD.md 3).
// A line that names a member elsewhere, or reads "master", is news.
func (ev *evidence) strangePeers(f *parser.File) []parser.Suspect {
	if f.Kind != parser.KindDebugLog {
		return nil
	}
	var out []parser.Suspect
	for k := range f.Events {
		if e := &f.Events[k]; ev.strange(e) {
			out = append(out, parser.Suspect{Line: e.Line, Text: e.Text, News: true})
		}
	}
	return out
}

// strange tells a link or master line that names no member where the member should be.
func (ev *evidence) strange(e *parser.Event) bool {
	switch e.Kind {
	case parser.EvTrying, parser.EvConnected, parser.EvLost, parser.EvTimedOut, parser.EvCannotConnect,
		parser.EvMasterIs, parser.EvSelectedMaster:
	default:
		return false
	}
	if e.Peer == "" || strings.EqualFold(e.Peer, "master") {
		return false // "Lost connection to master" names none on purpose
	}
	_, ok := ev.member(e.Peer)
	return !ok
}

// reread is what a link or master line of member self's log is about: the member it names.
// A known start of the line that goes on in a wording lmtriad does not know ("Selected
// (EXISTING) master node server2.") named no member where the member should be; when its
// message names exactly one member (not its writer, for a link), the line is about that one,
// rather than about nothing. It is still warned of (strangePeers): the wording is not known.
func (ev *evidence) reread(e *parser.Event, self int) *parser.Event {
	if !ev.strange(e) {
		return e
	}
	master := e.Kind == parser.EvMasterIs || e.Kind == parser.EvSelectedMaster
	found := -1
	for _, j := range ev.named(e.Text) {
		if j == self && !master {
			continue
		}
		if found >= 0 {
			return e // two members: which one the line is about is not known
		}
		found = j
	}
	if found < 0 {
		return e
	}
	c := *e
	c.Peer = ev.id.names[found]
	return &c
}

// namesPeer tells whether the message of a debug-log line names a member other than self as a
// word: a member's name or a spelling seen for it, in any case; its short name; or a
// fully qualified name with the same short name. Paths, user@host, key=value and times are not
// host names.
func (ev *evidence) namesPeer(line string, self int) bool {
	for _, j := range ev.named(line) {
		if j != self {
			return true
		}
	}
	return false
}

// named are the members the message of a debug-log line names as a word (see namesPeer),
// each once, in the order it names them first.
func (ev *evidence) named(line string) []int {
	text := line
	if e := strings.IndexByte(text, ')'); e >= 0 && strings.IndexByte(text[:e], '(') >= 0 {
		text = text[e+1:] // the message, after the envelope: a daemon may share a host's name
	}
	var out []int
	for _, tok := range strings.FieldsFunc(text, tokenSep) {
		tok = strings.Trim(tok, ".:")
		if tok == "" || strings.ContainsAny(tok, `/\@=:`) {
			continue
		}
		for j := 0; j < ev.n; j++ {
			if ev.spells(tok, j) && !slices.Contains(out, j) {
				out = append(out, j)
			}
		}
	}
	return out
}

func tokenSep(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(`,;()[]{}<>"'!?`, r)
}

// spells tells whether tok is a spelling of member j (see namesPeer).
func (ev *evidence) spells(tok string, j int) bool {
	fqdn := strings.Count(tok, ".") >= 2 && !isIP(tok)
	check := func(name string) bool {
		switch {
		case strings.EqualFold(tok, name):
			return true
		case !strings.Contains(tok, "."):
			return strings.EqualFold(tok, shortKey(name))
		case fqdn:
			return shortKey(tok) == shortKey(name)
		}
		return false
	}
	if check(ev.id.names[j]) {
		return true
	}
	for _, a := range ev.id.aliases[j] {
		if check(a) {
			return true
		}
	}
	return false
}

// lineWarnings are the warnings a reader gave about f's lines, a sentence per kind: one
// warning as it is, several of one kind as their count and the first few, and a count of those
// the reader did not keep.
func lineWarnings(f *parser.File) []msg.Text {
	type group struct {
		first *parser.SyntaxError
		count int
		seq   msg.Seq
	}
	var order []string
	groups := map[string]*group{}
	for _, w := range f.Warnings {
		g := groups[w.Msg.Key]
		if g == nil {
			g = &group{first: w}
			groups[w.Msg.Key] = g
			order = append(order, w.Msg.Key)
		}
		g.count++
		if len(g.seq) < lineSamples {
			g.seq = append(g.seq, msg.New("warn.file.sample", "at", msg.Raw(w.File+":"+strconv.Itoa(w.Line)), "text", w.Msg))
		}
	}
	var out []msg.Text
	for _, k := range order {
		g := groups[k]
		if g.count == 1 {
			out = append(out, msg.New("warn.file.line", "at", msg.Raw(g.first.File+":"+strconv.Itoa(g.first.Line)), "text", g.first.Msg))
			continue
		}
		out = append(out, msg.New("warn.file.lines", "file", msg.Raw(f.Name), "count", g.count, "samples", g.seq))
	}
	switch more := f.Warned - len(f.Warnings); {
	case more == 1:
		out = append(out, msg.New("warn.file.more.one", "file", msg.Raw(f.Name)))
	case more > 1:
		out = append(out, msg.New("warn.file.more", "file", msg.Raw(f.Name), "count", more))
	}
	return out
}
