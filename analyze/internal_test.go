package analyze

import (
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// sameSummary says two snapshots are the same exactly when their summaries' texts are.
func TestSameSummary(t *testing.T) {
	up := func(name string, master bool) parser.ServerLine {
		return parser.ServerLine{Name: name, Status: parser.ServerUp, Master: master}
	}
	down := func(name string, major, minor int) parser.ServerLine {
		return parser.ServerLine{Name: name, Status: parser.ServerError, Code: parser.Code{Major: major, Minor: minor}, Master: minor%2 == 0}
	}
	snaps := []parser.Snapshot{
		{},
		{Failed: &parser.Problem{Code: parser.Code{Major: -15}}},
		{Failed: &parser.Problem{Code: parser.Code{Major: -96}}, Servers: []parser.ServerLine{up("a", true)}},
		{NotRunning: &parser.Problem{Code: parser.Code{Major: -15}}},
		{NotRunning: &parser.Problem{}, Servers: []parser.ServerLine{up("a", true)}},
		{Servers: []parser.ServerLine{up("a", true), up("b", false), up("c", false)}},
		{Servers: []parser.ServerLine{up("a", true), up("b", false), up("c", false)}, Vendors: []parser.VendorLine{{Name: "bm", Up: true}}},
		{Servers: []parser.ServerLine{up("a ", true), up(" b", false), up("c", false)}},
		{Servers: []parser.ServerLine{up("a", false), up("b", true), up("c", false)}},
		{Servers: []parser.ServerLine{up("a", true), up("b", false)}},
		{Servers: []parser.ServerLine{up("a", true), down("b", -96, 7), up("c", false)}},
		{Servers: []parser.ServerLine{up("a", true), down("b", -96, 8), up("c", false)}},
		{Servers: []parser.ServerLine{up("a", true), down("b", -15, 7), up("c", false)}},
		{Servers: []parser.ServerLine{up("b", false), up("a", true), up("c", false)}},
		{Failed: &parser.Problem{}, NotRunning: &parser.Problem{}},
	}
	for i := range snaps {
		for j := range snaps {
			a, b := &snaps[i], &snaps[j]
			text, _ := describeSnapshot(a, nil)
			prev, _ := describeSnapshot(b, nil)
			if got, want := sameSummary(a, b), text.String() == prev.String(); got != want {
				t.Errorf("snapshots %d and %d: sameSummary %v, texts equal %v (%s / %s)", i, j, got, want, text, prev)
			}
			if _, changed := describeSnapshot(a, b); changed == (text.String() == prev.String()) {
				t.Errorf("snapshots %d after %d: changed %v, texts %s / %s", i, j, changed, text, prev)
			}
		}
	}
}

// lookup's memo forgets what it knew when see adds a spelling.
func TestLookupMemo(t *testing.T) {
	id := &identity{names: []string{"lmprod1.example.com", "lmprod2", "lmprod3"}, aliases: make([][]string, 3)}
	for _, c := range []struct {
		name string
		want int
	}{{"LMPROD1.example.com", 0}, {"27001@lmprod2", 1}, {"lmprod1", 0}, {"license-a", -1}, {"", -1}} {
		for k := 0; k < 2; k++ { // the second time from the memo
			if i, ok := id.lookup(c.name); i != c.want || ok != (c.want >= 0) {
				t.Errorf("lookup(%q) = %d %v, want %d", c.name, i, ok, c.want)
			}
		}
	}
	id.see(2, "license-a")
	if i, ok := id.lookup("license-a"); i != 2 || !ok {
		t.Errorf("lookup(license-a) after see = %d %v, want 2", i, ok)
	}
}
