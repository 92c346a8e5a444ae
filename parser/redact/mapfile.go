package redact

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
)

// The map (--map FILE): the pseudonym of every name a run replaced, as JSON. Redacting again
// with it gives the names it holds the same pseudonyms (a follow-up bundle of the same site
// matches the first), and --reverse puts the names back into a report. It holds the real
// names: it stays with whoever redacted.

// MapSchema names the map's format.
const MapSchema = "lmtriad.redact-map/v1"

type mapFile struct {
	Schema  string     `json:"schema"`
	Note    string     `json:"note"`
	Entries []mapEntry `json:"entries"`
}

type mapEntry struct {
	Kind      string `json:"kind"`
	Original  string `json:"original"`
	Hex       string `json:"original_hex,omitempty"` // the original's bytes, when they are not UTF-8
	Pseudonym string `json:"pseudonym"`
	// Spellings are the other spellings seen (case), each with its pseudonym so spelled.
	Spellings [][2]string `json:"spellings,omitempty"`
}

const mapNote = "The real names of a redacted incident (lmtriad redact). Keep this file: never send it with the incident."

// WriteMap writes the map of every name that has a pseudonym: those of the map read, and
// those of this run.
func (t *Table) WriteMap(w io.Writer) error {
	mf := mapFile{Schema: MapSchema, Note: mapNote, Entries: []mapEntry{}}
	for _, k := range Kinds() {
		if !k.mapped() {
			continue
		}
		for _, e := range t.space(k) {
			if e.kind != k || e.pseudo == "" {
				continue
			}
			me := mapEntry{Kind: k.String(), Original: e.orig, Pseudonym: e.pseudo}
			if !utf8.ValidString(e.orig) {
				me.Original, me.Hex = string([]rune(e.orig)), hex.EncodeToString([]byte(e.orig))
			}
			for s, p := range e.spell {
				if s != e.orig && utf8.ValidString(s) {
					me.Spellings = append(me.Spellings, [2]string{s, p})
				}
			}
			sort.Slice(me.Spellings, func(i, j int) bool { return me.Spellings[i][0] < me.Spellings[j][0] })
			mf.Entries = append(mf.Entries, me)
		}
	}
	sort.SliceStable(mf.Entries, func(i, j int) bool {
		a, b := mf.Entries[i], mf.Entries[j]
		ka, _ := parseKind(a.Kind)
		kb, _ := parseKind(b.Kind)
		if ka != kb {
			return ka < kb
		}
		return a.Pseudonym < b.Pseudonym
	})
	b, err := json.MarshalIndent(mf, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadMap reads a map into t, which holds nothing yet.
func (t *Table) ReadMap(r io.Reader) error {
	var mf mapFile
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	if err := dec.Decode(&mf); err != nil || mf.Schema != MapSchema {
		if err == nil {
			err = fmt.Errorf("schema %q, want %q", mf.Schema, MapSchema)
		}
		return fmt.Errorf("%w: %v", errNotTable, err)
	}
	owner := map[string]string{} // pseudonym -> the name it stands for
	for i, me := range mf.Entries {
		k, ok := parseKind(me.Kind)
		if !ok || !k.mapped() {
			return fmt.Errorf("%w: entry %d: unknown kind %q", errNotTable, i+1, me.Kind)
		}
		orig := me.Original
		if me.Hex != "" {
			b, err := hex.DecodeString(me.Hex)
			if err != nil {
				return fmt.Errorf("%w: entry %d: original_hex: %v", errNotTable, i+1, err)
			}
			orig = string(b)
		}
		p := lowerASCII(me.Pseudonym)
		if orig == "" || p == "" {
			return fmt.Errorf("%w: entry %d: an empty name or pseudonym", errNotTable, i+1)
		}
		key := lowerASCII(orig)
		sp := t.space(k)
		if sp[key] != nil {
			return fmt.Errorf("%w: entry %d: a second entry for one name", errNotTable, i+1)
		}
		if t.taken[p] && owner[p] != key { // one name of several kinds shares one (Table.assign)
			return fmt.Errorf("%w: entry %d: a pseudonym given twice", errNotTable, i+1)
		}
		owner[p] = key
		e := &entry{kind: k, key: key, orig: orig, pseudo: p, spell: map[string]string{orig: shape(orig, p)}}
		if k == KindIP {
			e.spell[orig] = p
		}
		for _, s := range me.Spellings {
			if lowerASCII(s[0]) == key && lowerASCII(s[1]) == p {
				e.spell[s[0]] = s[1]
			}
		}
		sp[key] = e
		t.taken[p] = true
	}
	return nil
}
