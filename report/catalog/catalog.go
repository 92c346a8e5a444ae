// Package catalog holds all of lmtriad's wording: every sentence a report shows, in English
// and Japanese (en.json, ja.json), and the fixes for the findings (fixes.json, fixes.ja.json),
// kept as data that support staff can edit without touching code.
//
// The analysis emits msg.Text values, codes with named arguments (package parser/msg); In
// renders one in a language when a report is written. Placeholders are written {name}; how an
// argument reads depends on its type and the language: a time.Time as RFC 3339, a
// time.Duration as 1h13m52s or 1時間13分52秒, a []string as "a, b and c" or 「a、b、c」, a State
// or Status by its catalogue label, a nested Text rendered in turn.
package catalog

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser/msg"
)

//go:embed en.json ja.json fixes.json fixes.ja.json
var files embed.FS

// Languages the catalogues hold; the first is the default and the fallback.
var Languages = []string{"en", "ja"}

var catalogues = load()

func load() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range Languages {
		b, err := files.ReadFile(l + ".json")
		if err != nil {
			panic("catalog: " + err.Error()) // embedded at build time
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("catalog: " + l + ".json: " + err.Error()) // embedded; a test reads it too
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

// In renders t in lang (English when lang has no catalogue or lacks the key).
func In(lang string, t msg.Text) string {
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
		b.WriteString(In(lang, u))
	}
	return b.String()
}

// English renders t in English, the language of the JSON report.
func English(t msg.Text) string { return In("en", t) }

// Has tells whether lang's catalogue has key.
func Has(lang, key string) bool {
	_, ok := catalogues[lang][key]
	return ok
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
	case msg.Raw:
		return string(x)
	case int:
		return fmt.Sprint(x)
	case time.Time:
		return x.Format(time.RFC3339)
	case time.Duration:
		return Duration(lang, x)
	case []string:
		return List(lang, x)
	case msg.State:
		return Label(lang, "state."+string(x))
	case msg.Status:
		return Label(lang, "status."+string(x))
	case msg.Text:
		return In(lang, x)
	case msg.Or:
		return strings.Join(x, Label(lang, "word.or"))
	case msg.Seq:
		sep := ", "
		if lang == "ja" {
			sep = "、"
		}
		parts := make([]string, len(x))
		for i, t := range x {
			parts[i] = In(lang, t)
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

// Fix is the remedy for a finding: a reference to a technical note when one exists, a title
// and the steps.
type Fix struct {
	Ref   string   `json:"ref"`
	Title string   `json:"title"`
	Steps []string `json:"steps"`
}

var fixes = map[string]map[string]Fix{"en": mustFixes("fixes.json"), "ja": mustFixes("fixes.ja.json")}

func mustFixes(name string) map[string]Fix {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("catalog: " + err.Error()) // embedded at build time
	}
	m := map[string]Fix{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic("catalog: " + name + ": " + err.Error()) // embedded; a test reads it too
	}
	return m
}

// FixFor is the remedy for a finding code in lang (English when lang has none), nil when
// the code has no fix.
func FixFor(code, lang string) *Fix {
	f, ok := fixes[lang][code]
	if !ok {
		f, ok = fixes["en"][code]
	}
	if !ok {
		return nil
	}
	return &f
}

// FixCodes lists the finding codes that have a fix in lang, sorted (for tests).
func FixCodes(lang string) []string {
	var out []string
	for k := range fixes[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
