package zone

import (
	_ "embed" // the data files
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones load on machines without a zoneinfo database
)

//go:embed windows.txt
var windowsTxt string

//go:embed zones.txt
var zonesTxt string

// A Windows is one row of windows.txt: a Windows time zone, the IANA zone CLDR maps it to, and
// the names Windows prints for it.
type Windows struct {
	Key      string // the registry key name, as tzutil lists it
	IANA     string // CLDR's default zone for it (territory 001)
	Standard string // the name printed outside summer time
	Daylight string // the name printed in summer time; empty when the zone has none
}

// windowsName is what a printed Windows name says: its zone, and whether summer time is on.
type windowsName struct {
	w        *Windows
	daylight bool
}

// data is the parsed data files with every zone loaded.
type data struct {
	windows []Windows
	names   map[string]windowsName // lower-cased printed name (and key) -> zone
	zones   []*time.Location       // the universe, in preference order
	rank    map[string]int         // zone name -> position in zones
}

var loaded = sync.OnceValues(func() (*data, error) { return parse(windowsTxt, zonesTxt) })

func mustData() *data {
	d, err := loaded()
	if err != nil {
		panic("zone: " + err.Error()) // embedded data; TestData reads it
	}
	return d
}

// WindowsZones lists the rows of windows.txt, in file order.
func WindowsZones() []Windows {
	return append([]Windows(nil), mustData().windows...)
}

// Universe lists the zones Decide considers, in preference order.
func Universe() []*time.Location {
	return append([]*time.Location(nil), mustData().zones...)
}

// WindowsZone tells the IANA zone a Windows zone name stands for (a registry key, or the
// standard or daylight name Windows prints; letter case does not matter), and whether the name
// is a daylight name.
func WindowsZone(name string) (iana string, daylight, ok bool) {
	n, ok := mustData().names[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return "", false, false
	}
	return n.w.IANA, n.daylight, true
}

// line is a data line of a file: its number and its text, trimmed.
type line struct {
	n    int
	text string
}

// lines lists the data lines of a file: blank lines and comments left out.
func lines(s string) []line {
	var out []line
	for i, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, line{i + 1, l})
	}
	return out
}

// daylightOf is the daylight name Windows derives from a standard name, "" when it has none.
func daylightOf(standard string) string {
	if !strings.Contains(standard, "Standard Time") {
		return ""
	}
	return strings.Replace(standard, "Standard Time", "Daylight Time", 1)
}

func parse(windows, zones string) (*data, error) {
	d := &data{names: map[string]windowsName{}, rank: map[string]int{}}
	for _, l := range lines(windows) {
		f := strings.Split(l.text, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < 2 || len(f) > 4 || f[0] == "" || f[1] == "" {
			return nil, fmt.Errorf("windows.txt:%d: want KEY | IANA zone [| STANDARD NAME [| DAYLIGHT NAME]]", l.n)
		}
		w := Windows{Key: f[0], IANA: f[1], Standard: f[0]}
		if len(f) > 2 && f[2] != "" {
			w.Standard = f[2]
		}
		w.Daylight = daylightOf(w.Standard)
		if len(f) > 3 {
			w.Daylight = f[3]
			if w.Daylight == "-" {
				w.Daylight = ""
			}
		}
		d.windows = append(d.windows, w)
	}
	// Names point into d.windows, which no longer grows.
	for i := range d.windows {
		w := &d.windows[i]
		add := func(name string, daylight bool) error {
			if name == "" {
				return nil
			}
			k := strings.ToLower(name)
			if old, ok := d.names[k]; ok && (old.w.IANA != w.IANA || old.daylight != daylight) {
				return fmt.Errorf("windows.txt: %q names both %s and %s", name, old.w.Key, w.Key)
			}
			d.names[k] = windowsName{w: w, daylight: daylight}
			return nil
		}
		for _, e := range []error{
			add(w.Key, false), add(w.Standard, false), add(w.Daylight, true),
			// A tool that prints the key's daylight form rather than Windows' own name.
			add(daylightOf(w.Key), true),
		} {
			if e != nil {
				return nil, e
			}
		}
	}
	var names []string
	seen := map[string]bool{}
	for _, l := range lines(zones) {
		if strings.ContainsAny(l.text, " \t|") {
			return nil, fmt.Errorf("zones.txt:%d: want one zone name", l.n)
		}
		if seen[l.text] {
			return nil, fmt.Errorf("zones.txt:%d: %s listed twice", l.n, l.text)
		}
		seen[l.text] = true
		names = append(names, l.text)
	}
	var rest []string
	for _, w := range d.windows {
		if !seen[w.IANA] {
			seen[w.IANA] = true
			rest = append(rest, w.IANA)
		}
	}
	sort.Strings(rest)
	for _, n := range append(names, rest...) {
		loc, err := time.LoadLocation(n)
		if err != nil {
			return nil, fmt.Errorf("zone %s: %w", n, err)
		}
		d.rank[n] = len(d.zones)
		d.zones = append(d.zones, loc)
	}
	return d, nil
}

// abbreviations is every zone abbreviation the universe's zones use from 1970 to 2050, upper
// case: a name outside it is not a zone name lmtriad knows.
var abbreviations = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	start := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, z := range mustData().zones {
		for t := start; t.Before(end); {
			lt := t.In(z)
			name, _ := lt.Zone()
			m[strings.ToUpper(name)] = true
			_, next := lt.ZoneBounds()
			if next.IsZero() || !next.After(t) {
				break
			}
			t = next
		}
	}
	return m
})
