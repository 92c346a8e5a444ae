// Package msg is the form of every sentence lmtriad shows: a code with named arguments, and no
// wording. The packages that find things out (parser, analyze, the commands) emit codes; the
// wording, in every language, lives with the renderers in report/catalog, which renders a
// Text in English for JSON and in the reader's language for people.
//
// It sits under parser, the lowest package of the pipeline, because all of them emit messages
// and imports run one way (parser, then analyze, then report).
//
// How an argument reads depends on its type: a time.Time as RFC 3339, a time.Duration as
// 1h13m52s (1時間13分52秒 in Japanese), a []string as "a, b and c", a State or Status by its
// label, a Raw value as it is (host names, file:line, log text), a nested Text rendered in turn.
package msg

import (
	"fmt"
	"sort"
	"strings"
)

// Text is a message: a code (the catalogue key), its arguments, and the texts that follow it.
type Text struct {
	Key  string
	Args map[string]any
	Then []Text // appended after this one (optional clauses)
}

// New makes a Text from a key and name, value pairs.
func New(key string, kv ...any) Text {
	t := Text{Key: key}
	if len(kv) > 0 {
		t.Args = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			t.Args[kv[i].(string)] = kv[i+1]
		}
	}
	return t
}

// And returns t with u appended.
func (t Text) And(u Text) Text {
	if u.IsZero() {
		return t
	}
	t.Then = append(append([]Text(nil), t.Then...), u)
	return t
}

// IsZero tells an empty Text.
func (t Text) IsZero() bool { return t.Key == "" }

// String is a debugging form, key{name=value ...}: never shown to users, who read the
// catalogue's wording.
func (t Text) String() string {
	if t.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteString(t.Key)
	if len(t.Args) > 0 {
		names := make([]string, 0, len(t.Args))
		for k := range t.Args {
			names = append(names, k)
		}
		sort.Strings(names)
		b.WriteByte('{')
		for i, k := range names {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s=%v", k, t.Args[k])
		}
		b.WriteByte('}')
	}
	for _, u := range t.Then {
		b.WriteString(" + " + u.String())
	}
	return b.String()
}

// State is a triad state name, rendered by its label ("state.NAME").
type State string

// Status is a server status name, rendered by its label ("status.NAME").
type Status string

// Raw is a value shown as it is in every language (host names, file:line, log text).
type Raw string

// Or is a list of alternatives: "a or b" (「a または b」).
type Or []string

// Seq is a sequence of texts shown one after the other, separated by commas.
type Seq []Text

// Join makes a Seq.
func Join(ts []Text) Seq { return Seq(ts) }
