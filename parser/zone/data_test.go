package zone_test

import (
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser/zone"
)

// utcKey reads the offset out of the keys of zones without a place: UTC-11, UTC+12, UTC.
var utcKey = regexp.MustCompile(`^UTC(?:([+-])(\d\d))?$`)

// TestWindowsZones: every row of windows.txt names a zone Go loads, and the zone behaves like
// the Windows zone: its standard offset is one Windows can have, a zone with summer time has a
// daylight name, and a UTC±NN key has that offset all year.
func TestWindowsZones(t *testing.T) {
	rows := zone.WindowsZones()
	if len(rows) < 140 {
		t.Errorf("%d Windows zones; CLDR lists about 140", len(rows))
	}
	keys := map[string]bool{}
	for _, w := range rows {
		if keys[w.Key] {
			t.Errorf("%s: listed twice", w.Key)
		}
		keys[w.Key] = true
		loc, err := time.LoadLocation(w.IANA)
		if err != nil {
			t.Errorf("%s: %v", w.Key, err)
			continue
		}
		var std []int
		dst := false
		for _, m := range []time.Month{time.January, time.July} {
			tm := time.Date(2024, m, 15, 12, 0, 0, 0, loc)
			_, off := tm.Zone()
			if tm.IsDST() {
				dst = true
			} else {
				std = append(std, off)
			}
		}
		if len(std) == 0 {
			t.Errorf("%s (%s): in summer time both in January and July", w.Key, w.IANA)
			continue
		}
		for _, off := range std {
			if off < -12*3600 || off > 14*3600 || off%(15*60) != 0 {
				t.Errorf("%s (%s): standard offset %ds is not one a Windows zone has", w.Key, w.IANA, off)
			}
		}
		if dst && w.Daylight == "" {
			t.Errorf("%s (%s): the zone has summer time, the row no daylight name", w.Key, w.IANA)
		}
		if m := utcKey.FindStringSubmatch(w.Key); m != nil {
			want := 0
			if m[2] != "" {
				want, _ = strconv.Atoi(m[2])
				if m[1] == "-" {
					want = -want
				}
			}
			if dst || std[0] != want*3600 {
				t.Errorf("%s (%s): offset %ds, summer time %v; want %dh all year", w.Key, w.IANA, std[0], dst, want)
			}
			if w.Daylight != "" {
				t.Errorf("%s: daylight name %q for a zone without summer time", w.Key, w.Daylight)
			}
		}
		// Every name printed reads back as this zone.
		for _, n := range []struct {
			name     string
			daylight bool
		}{{w.Key, false}, {w.Standard, false}, {w.Daylight, true}} {
			if n.name == "" {
				continue
			}
			iana, daylight, ok := zone.WindowsZone(n.name)
			if !ok || iana != w.IANA || daylight != n.daylight {
				t.Errorf("WindowsZone(%q) = %s, %v, %v; want %s, %v", n.name, iana, daylight, ok, w.IANA, n.daylight)
			}
		}
	}
}

// TestWindowsZone: the names of the brief and of real logs, the names Windows prints
// differently from the key, and a daylight name.
func TestWindowsZone(t *testing.T) {
	for _, c := range []struct {
		name     string
		iana     string
		daylight bool
	}{
		{"Tokyo Standard Time", "Asia/Tokyo", false},
		{"W. Europe Standard Time", "Europe/Berlin", false},
		{"W. Europe Daylight Time", "Europe/Berlin", true},
		{"Romance Standard Time", "Europe/Paris", false},
		{"Romance Daylight Time", "Europe/Paris", true},
		{"Eastern Standard Time", "America/New_York", false},
		{"Eastern Daylight Time", "America/New_York", true},
		{"Central Daylight Time", "America/Chicago", true},
		{"India Standard Time", "Asia/Kolkata", false},
		{"GMT Standard Time", "Europe/London", false},
		{"GMT Daylight Time", "Europe/London", true},
		{"AUS Eastern Standard Time", "Australia/Sydney", false},
		{"AUS Eastern Daylight Time", "Australia/Sydney", true},
		{"E. Australia Standard Time", "Australia/Brisbane", false},
		{"Pacific Daylight Time (Mexico)", "America/Tijuana", true},
		{"Jerusalem Standard Time", "Asia/Jerusalem", false},
		{"Jerusalem Daylight Time", "Asia/Jerusalem", true},
		{"Israel Standard Time", "Asia/Jerusalem", false},
		{"Russia TZ 2 Standard Time", "Europe/Moscow", false},
		{"Russia TZ 11 Standard Time", "Asia/Kamchatka", false},
		{"Malay Peninsula Standard Time", "Asia/Singapore", false},
		{"Turks and Caicos Daylight Time", "America/Grand_Turk", true},
		{"Cabo Verde Standard Time", "Atlantic/Cape_Verde", false},
		{"Coordinated Universal Time", "Etc/UTC", false},
		{"  tokyo standard time ", "Asia/Tokyo", false},
	} {
		iana, daylight, ok := zone.WindowsZone(c.name)
		if !ok || iana != c.iana || daylight != c.daylight {
			t.Errorf("WindowsZone(%q) = %s, %v, %v; want %s, %v", c.name, iana, daylight, ok, c.iana, c.daylight)
		}
	}
	for _, n := range []string{"EDT", "Tokyo", "Standard Time", "Coordinated Universal Daylight Time"} {
		if iana, _, ok := zone.WindowsZone(n); ok {
			t.Errorf("WindowsZone(%q) = %s, want no zone", n, iana)
		}
	}
}

// TestUniverse: every zone of windows.txt is considered, with the zones abbreviations need that
// CLDR's defaults lack, each once.
func TestUniverse(t *testing.T) {
	var names []string
	for _, l := range zone.Universe() {
		names = append(names, l.String())
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%s: twice in the universe", n)
		}
		seen[n] = true
		if _, err := time.LoadLocation(n); err != nil {
			t.Error(err)
		}
	}
	for _, w := range zone.WindowsZones() {
		if !seen[w.IANA] {
			t.Errorf("%s (%s) is not in the universe", w.IANA, w.Key)
		}
	}
	for _, n := range []string{"Europe/Dublin", "Asia/Jerusalem", "America/Havana", "Asia/Shanghai", "Asia/Kolkata",
		"America/Phoenix", "Australia/Brisbane", "America/Regina", "Pacific/Honolulu", "Europe/Lisbon", "Asia/Hong_Kong",
		"America/Toronto", "Australia/Melbourne", "Africa/Abidjan", "Etc/UTC"} {
		if !seen[n] {
			t.Errorf("%s is not in the universe", n)
		}
	}
	// The preference: the main zone of a region before the others with its rules.
	for _, p := range [][2]string{{"America/New_York", "America/Detroit"}, {"Europe/London", "Africa/Abidjan"},
		{"Australia/Sydney", "Australia/Melbourne"}, {"Asia/Kolkata", "Europe/Dublin"}} {
		if slices.Index(names, p[0]) > slices.Index(names, p[1]) {
			t.Errorf("%s after %s", p[0], p[1])
		}
	}
	t.Logf("%d zones, %d Windows zones", len(names), len(zone.WindowsZones()))
}
