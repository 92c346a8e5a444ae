package zone

import (
	"strings"
	"testing"
)

// TestParse: malformed data is refused with the file and line.
func TestParse(t *testing.T) {
	for _, c := range []struct{ name, windows, zones, err string }{
		{"good", "# c\nTokyo Standard Time | Asia/Tokyo\n", "Europe/Dublin\n", ""},
		{"one column", "Tokyo Standard Time\n", "", "windows.txt:1:"},
		{"five columns", "A | Asia/Tokyo | b | c | d\n", "", "windows.txt:1:"},
		{"empty zone", "\nA |  \n", "", "windows.txt:2:"},
		{"unknown zone", "A | Asia/Nowhere\n", "", "Asia/Nowhere"},
		{"name for two zones", "A | Asia/Tokyo | X Standard Time\nB | Asia/Seoul | X Standard Time\n", "", `"X Standard Time"`},
		{"zone twice", "", "Asia/Tokyo\n\nAsia/Tokyo\n", "zones.txt:3:"},
		{"two zones on a line", "", "Asia/Tokyo Asia/Seoul\n", "zones.txt:1:"},
	} {
		d, err := parse(c.windows, c.zones)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one with %q", c.name, err, c.err)
		case c.err == "" && len(d.zones) != 2:
			t.Errorf("%s: %d zones, want 2", c.name, len(d.zones))
		}
	}
	if _, err := parse(windowsTxt, zonesTxt); err != nil {
		t.Fatal(err)
	}
}

// TestDaylightRule: the daylight name is the standard name with "Standard Time" made
// "Daylight Time"; a column overrides it, "-" removes it.
func TestDaylightRule(t *testing.T) {
	d, err := parse("A Standard Time (X) | Asia/Tokyo\nUTC-11 | Etc/GMT+11\nB | Asia/Seoul | B Standard Time | B Summer Time\nC Standard Time | Asia/Taipei | | -\n", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A Daylight Time (X)", "", "B Summer Time", ""}
	for i, w := range d.windows {
		if w.Daylight != want[i] {
			t.Errorf("%s: daylight %q, want %q", w.Key, w.Daylight, want[i])
		}
	}
}
