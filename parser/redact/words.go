package redact

import (
	"bytes"
	"sort"
)

// Words: a token is found where a word starts, and ends where a word ends. A word is a run of
// ASCII letters and digits; everything else (punctuation, white space, any other character,
// bytes that are not text) ends one. So "server1" is found in "server1.log", "27001@server1" and
// "lmgrd_server1_2024.log" but not in "server10", and "lic-a" is found in "lic-a.corp.example.com"
// (whose domain is a token of its own). The same rule finds what to replace and what the final
// scan looks for: what one does not find, the other does not miss. A token that does not start
// with an ASCII letter or digit (a name in Japanese) is found anywhere, without the rule.

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII is s with its ASCII letters in lower case (other bytes as they are).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// wordStart tells whether a word starts at text[i].
func wordStart(text []byte, i int) bool {
	return isWordByte(text[i]) && (i == 0 || !isWordByte(text[i-1]))
}

// wordEnd is the end of the word that starts at text[i].
func wordEnd(text []byte, i int) int {
	for i < len(text) && isWordByte(text[i]) {
		i++
	}
	return i
}

// bounded tells whether text[i:j] is a whole match: no word goes on across either end (for
// the ends that are ASCII letters or digits).
func bounded(text []byte, i, j int) bool {
	if i > 0 && isWordByte(text[i]) && isWordByte(text[i-1]) {
		return false
	}
	if j < len(text) && isWordByte(text[j-1]) && isWordByte(text[j]) {
		return false
	}
	return true
}

// equalFold compares text with tok (lower case), ASCII letters in any case.
func equalFold(text []byte, tok string) bool {
	if len(text) != len(tok) {
		return false
	}
	for i := 0; i < len(text); i++ {
		if lowerByte(text[i]) != tok[i] {
			return false
		}
	}
	return true
}

// tok is one token of a matcher: its text in lower case and what it stands for.
type tok struct {
	text string
	e    *entry
}

// matcher finds tokens in text: by the first word of each, longest first.
type matcher struct {
	byWord map[string][]tok
	other  []tok // tokens that do not start with a word byte
	maxLen int
}

func newMatcher() *matcher { return &matcher{byWord: map[string][]tok{}} }

// add adds a token (in lower case).
func (m *matcher) add(text string, e *entry) {
	if text == "" {
		return
	}
	m.maxLen = max(m.maxLen, len(text))
	if !isWordByte(text[0]) {
		m.other = append(m.other, tok{text, e})
		return
	}
	w := text[:wordEnd([]byte(text), 0)]
	m.byWord[w] = append(m.byWord[w], tok{text, e})
}

// done sorts the candidates, longest first (then by text, for a stable choice; one text that
// is the token of several kinds, a user named as a server, by kind: see before).
func (m *matcher) done() {
	for _, c := range m.byWord {
		sort.Slice(c, func(i, j int) bool { return before(c[i], c[j]) })
	}
	sort.Slice(m.other, func(i, j int) bool { return before(m.other[i], m.other[j]) })
}

// before orders the candidates of a matcher: longest first, then by text, then by kind. A name
// that is a host's and a user's (or a display's) is found as the host, a server's name first
// (Kind orders servers, other hosts and workstations before users), so that free text and file
// names always get the server's pseudonym, which the user shares (Table.assign).
func before(a, b tok) bool {
	if len(a.text) != len(b.text) {
		return len(a.text) > len(b.text)
	}
	if a.text != b.text {
		return a.text < b.text
	}
	return a.e.kind < b.e.kind
}

func (m *matcher) empty() bool { return len(m.byWord) == 0 && len(m.other) == 0 }

// at finds the longest token at the word start text[i] whose end is a word end; end is the
// end of the word at i.
func (m *matcher) at(text []byte, i, end int) (tok, bool) {
	var buf [64]byte
	w := text[i:end]
	var key []byte
	if len(w) <= len(buf) {
		key = buf[:len(w)]
	} else {
		key = make([]byte, len(w))
	}
	for k, c := range w {
		key[k] = lowerByte(c)
	}
	for _, t := range m.byWord[string(key)] {
		j := i + len(t.text)
		if j <= len(text) && equalFold(text[i:j], t.text) && bounded(text, i, j) {
			return t, true
		}
	}
	return tok{}, false
}

// otherAt finds the next token that does not start with a word byte, at or after i: its start.
func (m *matcher) otherAt(text []byte, i int) (tok, int) {
	best, at := tok{}, -1
	for _, t := range m.other {
		k := indexFold(text[i:], t.text)
		if k >= 0 && (at < 0 || i+k < at || i+k == at && len(t.text) > len(best.text)) {
			best, at = t, i+k
		}
	}
	return best, at
}

// indexFold is bytes.Index with ASCII letters in any case; tok is in lower case and starts
// with a byte that is not an ASCII letter.
func indexFold(text []byte, tok string) int {
	for i := 0; i+len(tok) <= len(text); i++ {
		j := bytes.IndexByte(text[i:len(text)-len(tok)+1], tok[0])
		if j < 0 {
			return -1
		}
		i += j
		if equalFold(text[i:i+len(tok)], tok) {
			return i
		}
	}
	return -1
}

// find calls fn for each token found in text, in order, without overlaps; fn returns whether to
// go on.
func (m *matcher) find(text []byte, fn func(i, j int, t tok) bool) {
	next := -1 // where the next "other" token is, once looked for
	var nt tok
	lookOther := len(m.other) > 0
	for i := 0; i < len(text); {
		if lookOther && next < i {
			nt, next = m.otherAt(text, i)
			if next < 0 {
				lookOther = false
			}
		}
		if lookOther && next == i {
			if !fn(i, i+len(nt.text), nt) {
				return
			}
			i += len(nt.text)
			continue
		}
		if !wordStart(text, i) {
			i++
			continue
		}
		end := wordEnd(text, i)
		if t, ok := m.at(text, i, end); ok {
			if !fn(i, i+len(t.text), t) {
				return
			}
			i += len(t.text)
			continue
		}
		if lookOther && next > i && next < end {
			end = next
		}
		i = end
	}
}
