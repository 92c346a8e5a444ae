// Package msg holds lmtriad's message catalogues: every sentence a report shows, in English
// and Japanese, kept as data (en.json, ja.json) rather than literals in the code.
//
// A Text is a catalogue key with named arguments; it is rendered in a language when a report
// is written, so the analysis stays language-free. Placeholders are written {name}; how an
// argument reads depends on its type and the language: a time.Time as RFC 3339, a
// time.Duration as 1h13m52s or 1時間13分52秒, a []string as "a, b and c" or 「a、b、c」, a State
// or Status by its catalogue label, a nested Text rendered in turn.
package msg

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

//go:embed en.json ja.json
var files embed.FS

// Languages the catalogues hold; the first is the default and the fallback.
var Languages = []string{"en", "ja"}

var catalogues = load()

func load() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range Languages {
		b, err := files.ReadFile(l + ".json")
		if err != nil {
			panic("msg: " + err.Error()) // embedded at build time
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("msg: " + l + ".json: " + err.Error())
		}
		out[l] = m
	}
	return out
}

// Keys lists a language's catalogue keys, sorted (for tests).
func Keys(lang string) []string {
	var k []string
	for key := range catalogues[lang] {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
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

// Text is a message: a key, its arguments and the texts that follow it.
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
	t.Then = append(append([]Text(nil), t.Then...), u)
	return t
}

// IsZero tells an empty Text.
func (t Text) IsZero() bool { return t.Key == "" }

// String renders t in English.
func (t Text) String() string { return t.In("en") }

// In renders t in lang (English when lang has no catalogue or lacks the key).
func (t Text) In(lang string) string {
	if t.Key == "" {
		return ""
	}
	tmpl := Label(lang, t.Key)
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+j]
		if v, ok := t.Args[name]; ok {
			b.WriteString(format(lang, v))
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	for _, u := range t.Then {
		b.WriteString(u.In(lang))
	}
	return b.String()
}

// Label looks a key up in lang's catalogue, then in English; a missing key shows as itself.
func Label(lang, key string) string {
	if s, ok := catalogues[lang][key]; ok {
		return s
	}
	if s, ok := catalogues["en"][key]; ok {
		return s
	}
	return key
}

func format(lang string, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Raw:
		return string(x)
	case int:
		return fmt.Sprint(x)
	case time.Time:
		return x.Format(time.RFC3339)
	case time.Duration:
		return Duration(lang, x)
	case []string:
		return List(lang, x)
	case State:
		return Label(lang, "state."+string(x))
	case Status:
		return Label(lang, "status."+string(x))
	case Text:
		return x.In(lang)
	case Or:
		return strings.Join(x, Label(lang, "word.or"))
	case Seq:
		sep := ", "
		if lang == "ja" {
			sep = "、"
		}
		parts := make([]string, len(x))
		for i, t := range x {
			parts[i] = t.In(lang)
		}
		return strings.Join(parts, sep)
	}
	return fmt.Sprint(v)
}

// Duration prints a length without zero units: 1h13m52s, 5m, 45s (1時間13分52秒 in Japanese).
func Duration(lang string, d time.Duration) string {
	d = d.Round(time.Second)
	if d < 0 {
		d = -d
	}
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	units := [3]string{"h", "m", "s"}
	if lang == "ja" {
		units = [3]string{"時間", "分", "秒"}
	}
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%d%s", h, units[0])
	}
	if m > 0 {
		fmt.Fprintf(&b, "%d%s", m, units[1])
	}
	if s > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%d%s", s, units[2])
	}
	return b.String()
}

// List joins names: "a, b and c" in English, "a、b、c" in Japanese.
func List(lang string, list []string) string {
	if lang == "ja" {
		return strings.Join(list, "、")
	}
	switch len(list) {
	case 0:
		return Label(lang, "word.none")
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
