package zone_test

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
	"github.com/lmtriad/lmtriad/parser/zone"
	"github.com/lmtriad/lmtriad/report/catalog"
)

// wall reads a local date-time "2006-01-02 15:04:05" into the form of ZoneClue.Wall.
func wall(t *testing.T, s string) time.Time {
	t.Helper()
	w, err := time.Parse(time.DateTime, s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// named is a clue with a zone name (abbreviation or Windows name) at a local time.
func named(t *testing.T, at, when, name string) parser.ZoneClue {
	t.Helper()
	file, line := split(t, at)
	return parser.ZoneClue{File: file, Line: line, Text: when + " " + name, Wall: wall(t, when), Name: name}
}

// offset is a clue with a UTC offset ("-04:00") beside a local time.
func offset(t *testing.T, at, when, off string) parser.ZoneClue {
	t.Helper()
	file, line := split(t, at)
	o, err := time.Parse("-07:00", off)
	if err != nil {
		t.Fatal(err)
	}
	_, sec := o.Zone()
	return parser.ZoneClue{File: file, Line: line, Text: "# " + strings.Replace(when, " ", "T", 1) + off, Wall: wall(t, when), Offset: sec, HasOffset: true}
}

func split(t *testing.T, at string) (string, int) {
	t.Helper()
	i := strings.LastIndexByte(at, ':')
	n, err := strconv.Atoi(at[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	return at[:i], n
}

func load(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// keys lists the codes of the warnings.
func keys(ws []msg.Text) []string {
	var k []string
	for _, w := range ws {
		k = append(k, w.Key)
	}
	return k
}

func english(ws []msg.Text) string {
	var s []string
	for _, w := range ws {
		s = append(s, catalog.English(w))
	}
	return strings.Join(s, "\n")
}

// ats lists the clues as file:line.
func ats(cs []parser.ZoneClue) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d", c.File, c.Line))
	}
	return out
}

// TestDecide: the rules of TRIAD.md 6, one case each. Each case names the zone expected (or
// the zones any of which is right, when they give the same times), the source, the codes of
// the warnings, what they must name, and the lines the decision rests on.
func TestDecide(t *testing.T) {
	denver := load(t, "America/Denver") // the machine's zone: never the servers' in these cases
	type tc struct {
		name     string
		clues    []parser.ZoneClue
		given    *time.Location
		from, to string // the span of the inputs; empty: the clues' own
		zone     []string
		source   string
		warn     []string // warning codes, in order
		mention  []string // words the warnings must contain
		absent   []string // words they must not contain
		evidence []string // file:line of Decision.Evidence
	}
	cases := []tc{
		{name: "EDT in June", clues: []parser.ZoneClue{named(t, "a.log:25", "2017-06-08 09:49:41", "EDT")},
			zone: []string{"America/New_York"}, source: "evidence", evidence: []string{"a.log:25"}},
		{name: "EST in January", clues: []parser.ZoneClue{named(t, "a.log:25", "2017-01-08 17:17:45", "EST")},
			from: "2017-01-08 17:17:45", to: "2017-01-20 10:00:00",
			zone: []string{"America/New_York"}, source: "evidence", evidence: []string{"a.log:25"}},
		{name: "Windows daylight name in July", clues: []parser.ZoneClue{named(t, "debug.log:1", "2018-07-27 15:49:07", "Eastern Daylight Time")},
			zone: []string{"America/New_York"}, source: "evidence", evidence: []string{"debug.log:1"}},
		{name: "Windows standard name", clues: []parser.ZoneClue{named(t, "s1.log:22", "2010-12-01 08:55:10", "Tokyo Standard Time")},
			from: "2010-12-01 08:55:10", to: "2010-12-01 13:30:00",
			zone: []string{"Asia/Tokyo"}, source: "evidence", evidence: []string{"s1.log:22"}},
		{name: "JST", clues: []parser.ZoneClue{named(t, "s1.log:1", "2010-12-01 09:00:00", "JST")},
			zone: []string{"Asia/Tokyo"}, source: "evidence", evidence: []string{"s1.log:1"}},
		{name: "IST alone in January", clues: []parser.ZoneClue{named(t, "a.log:1", "2020-01-15 09:00:00", "IST")},
			zone: []string{"Asia/Kolkata"}, source: "evidence", evidence: []string{"a.log:1"},
			warn: []string{"warn.zone.ambiguous"}, mention: []string{"Asia/Kolkata", "Asia/Jerusalem"}, absent: []string{"Europe/Dublin"}},
		{name: "IST alone in July", clues: []parser.ZoneClue{named(t, "a.log:1", "2020-07-15 09:00:00", "IST")},
			zone: []string{"Asia/Kolkata"}, source: "evidence", evidence: []string{"a.log:1"},
			warn: []string{"warn.zone.ambiguous"}, mention: []string{"Asia/Kolkata", "Europe/Dublin"}, absent: []string{"Asia/Jerusalem"}},
		{name: "IST and an offset of +05:30", clues: []parser.ZoneClue{
			named(t, "a.log:1", "2020-07-15 09:00:00", "IST"), offset(t, "lmstat.log:1", "2020-07-15 09:01:02", "+05:30")},
			zone: []string{"Asia/Kolkata"}, source: "evidence", evidence: []string{"a.log:1", "lmstat.log:1"}},
		{name: "CST alone in January", clues: []parser.ZoneClue{named(t, "a.log:1", "2023-01-15 09:00:00", "CST")},
			zone: []string{"America/Chicago"}, source: "evidence", evidence: []string{"a.log:1"},
			warn: []string{"warn.zone.ambiguous"}, mention: []string{"America/Chicago", "Asia/Shanghai", "America/Havana"}},
		// Cuba writes CST and CDT on the same dates as the US (an hour later): the two stay in
		// doubt, China does not.
		{name: "CST in January and CDT in July", clues: []parser.ZoneClue{
			named(t, "a.log:1", "2023-01-15 09:00:00", "CST"), named(t, "a.log:900", "2023-07-15 09:00:00", "CDT")},
			zone: []string{"America/Chicago", "America/Winnipeg", "America/Matamoros", "America/Indiana/Knox"}, source: "evidence",
			evidence: []string{"a.log:1", "a.log:900"},
			warn:     []string{"warn.zone.ambiguous"}, mention: []string{"America/Chicago", "America/Havana"}, absent: []string{"Asia/Shanghai", "Mexico"}},
		{name: "CST and CDT beside an offset", clues: []parser.ZoneClue{
			named(t, "a.log:1", "2023-01-15 09:00:00", "CST"), named(t, "a.log:900", "2023-07-15 09:00:00", "CDT"),
			offset(t, "lmstat.log:1", "2023-07-15 09:00:02", "-05:00")},
			zone: []string{"America/Chicago"}, source: "evidence", evidence: []string{"a.log:1", "a.log:900", "lmstat.log:1"}},
		{name: "AEST in July", clues: []parser.ZoneClue{named(t, "a.log:1", "2021-07-08 09:00:00", "AEST")},
			from: "2021-07-08 09:00:00", to: "2021-07-20 09:00:00",
			zone: []string{"Australia/Sydney", "Australia/Brisbane", "Australia/Melbourne", "Australia/Hobart"}, source: "evidence", evidence: []string{"a.log:1"}},
		{name: "AEST in July and AEDT in January", clues: []parser.ZoneClue{
			named(t, "a.log:1", "2021-07-08 09:00:00", "AEST"), named(t, "a.log:2", "2022-01-08 09:00:00", "AEDT")},
			zone: []string{"Australia/Sydney"}, source: "evidence", evidence: []string{"a.log:1", "a.log:2"}},
		// Offsets alone: Cuba, too, goes from -04:00 to -05:00 that night, an hour earlier.
		{name: "offsets across the November change", clues: []parser.ZoneClue{
			offset(t, "lmstat.log:1", "2017-11-04 22:04:02", "-04:00"), offset(t, "lmstat.log:5245", "2017-11-05 01:00:02", "-05:00")},
			zone: []string{"America/New_York"}, source: "evidence", evidence: []string{"lmstat.log:1", "lmstat.log:5245"},
			warn: []string{"warn.zone.ambiguous"}, mention: []string{"America/Havana"}},
		{name: "offsets and EDT across the November change", clues: []parser.ZoneClue{
			offset(t, "lmstat.log:1", "2017-11-04 22:04:02", "-04:00"), offset(t, "lmstat.log:5245", "2017-11-05 01:00:02", "-05:00"),
			named(t, "server1.log:1", "2017-11-04 22:00:00", "EDT")},
			zone: []string{"America/New_York"}, source: "evidence", evidence: []string{"lmstat.log:1", "lmstat.log:5245", "server1.log:1"}},
		{name: "GMT in February", clues: []parser.ZoneClue{named(t, "flex1.log:1", "2021-02-08 09:00:00", "GMT")},
			from: "2021-02-08 09:00:00", to: "2021-02-09 12:00:00",
			zone: []string{"Europe/London", "Africa/Abidjan", "Europe/Dublin", "Atlantic/Reykjavik", "Etc/GMT"}, source: "evidence", evidence: []string{"flex1.log:1"}},
		{name: "two Windows names with the same rules", clues: []parser.ZoneClue{
			named(t, "a.log:1", "2018-07-27 08:00:00", "W. Europe Daylight Time"), named(t, "b.log:1", "2018-07-27 08:00:00", "Romance Daylight Time")},
			from: "2018-07-27 08:00:00", to: "2018-11-27 08:00:00",
			zone: []string{"Europe/Berlin"}, source: "evidence", evidence: []string{"a.log:1", "b.log:1"}},
		// Over March, Paris and Lagos part: the name says Paris.
		{name: "Windows name over a span where same-offset zones part", clues: []parser.ZoneClue{
			named(t, "a.log:22", "2026-03-08 16:11:46", "Romance Standard Time")},
			from: "2026-03-08 16:11:46", to: "2026-04-20 10:00:00",
			zone: []string{"Europe/Paris"}, source: "evidence", evidence: []string{"a.log:22"}},
		{name: "Windows name printed differently from its key", clues: []parser.ZoneClue{named(t, "a.log:1", "2019-08-01 10:00:00", "Jerusalem Daylight Time")},
			zone: []string{"Asia/Jerusalem"}, source: "evidence", evidence: []string{"a.log:1"}},
		{name: "daylight name outside summer time", clues: []parser.ZoneClue{named(t, "a.log:1", "2018-01-27 15:49:07", "Eastern Daylight Time")},
			zone: []string{"America/Denver"}, source: "machine",
			warn: []string{"warn.zone.impossible", "warn.zone.machine"}, mention: []string{"a.log:1", "Eastern Daylight Time", "America/Denver", "--tz"}},
		{name: "unknown name", clues: []parser.ZoneClue{named(t, "a.log:1", "2010-12-01 08:55:10", "東京 (標準時)")},
			zone: []string{"America/Denver"}, source: "machine",
			warn: []string{"warn.zone.unknown", "warn.zone.machine"}, mention: []string{"a.log:1", "東京 (標準時)"}},
		{name: "no clue", zone: []string{"America/Denver"}, source: "machine",
			warn: []string{"warn.zone.machine"}, mention: []string{"America/Denver", "--tz"}},
		{name: "JST and EDT contradict", clues: []parser.ZoneClue{
			named(t, "s1.log:1", "2021-07-08 09:00:00", "JST"), named(t, "s2.log:1", "2021-07-08 09:00:30", "EDT"),
			named(t, "s3.log:1", "2021-07-08 09:00:54", "JST")},
			zone: []string{"Asia/Tokyo"}, source: "evidence", evidence: []string{"s1.log:1", "s3.log:1"},
			warn: []string{"warn.zone.conflict"}, mention: []string{"Asia/Tokyo", "2 of 3", "s2.log:1 (EDT)"}},
		{name: "--tz contradicted", clues: []parser.ZoneClue{
			named(t, "a.log:25", "2017-06-08 09:49:41", "EDT"), named(t, "b.log:3", "2017-06-08 09:50:00", "JST")},
			given: load(t, "Asia/Tokyo"), zone: []string{"Asia/Tokyo"}, source: "given", evidence: []string{"a.log:25"},
			warn: []string{"warn.zone.contradicts"}, mention: []string{"a.log:25", "EDT", "Asia/Tokyo", "JST, UTC+09:00"}},
		{name: "--tz contradicted by many lines: three named, the others counted", clues: []parser.ZoneClue{
			named(t, "a.log:1", "2017-06-08 09:49:41", "EDT"), named(t, "a.log:9", "2017-06-08 15:49:41", "EDT"),
			named(t, "b.log:1", "2017-06-08 09:50:00", "EDT"), named(t, "b.log:9", "2017-06-08 15:50:00", "EDT"),
			named(t, "c.log:1", "2017-06-08 09:51:00", "EDT")},
			given: load(t, "Asia/Tokyo"), zone: []string{"Asia/Tokyo"}, source: "given",
			evidence: []string{"a.log:1", "a.log:9", "b.log:1", "b.log:9", "c.log:1"},
			warn:     []string{"warn.zone.contradicts", "warn.zone.contradicts", "warn.zone.contradicts", "warn.zone.contradicts.more"},
			mention:  []string{"a.log:1", "b.log:1", "2 more lines"}},
		{name: "--tz contradicted by an offset", clues: []parser.ZoneClue{offset(t, "lmstat.log:1", "2017-11-04 22:04:02", "-04:00")},
			given: load(t, "America/Chicago"), zone: []string{"America/Chicago"}, source: "given", evidence: []string{"lmstat.log:1"},
			warn: []string{"warn.zone.contradicts"}, mention: []string{"lmstat.log:1", "UTC-04:00", "CDT, UTC-05:00"}},
		{name: "--tz the evidence agrees with", clues: []parser.ZoneClue{
			named(t, "a.log:25", "2017-06-08 09:49:41", "EDT"), named(t, "b.log:1", "2018-07-27 15:49:07", "Eastern Daylight Time")},
			given: load(t, "America/New_York"), zone: []string{"America/New_York"}, source: "given"},
		{name: "--tz with a Windows name of the same offset", clues: []parser.ZoneClue{named(t, "a.log:1", "2018-07-27 08:00:00", "W. Europe Daylight Time")},
			given: load(t, "Europe/Paris"), zone: []string{"Europe/Paris"}, source: "given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var from, to time.Time
			if c.from != "" {
				from, to = wall(t, c.from), wall(t, c.to)
			}
			d := zone.Decide(c.clues, c.given, denver, from, to)
			text := english(d.Warnings)
			t.Logf("%s (%s) on %v\n%s", d.Name, d.Source, ats(d.Evidence), text)
			if !slices.Contains(c.zone, d.Name) {
				t.Errorf("zone %s, want one of %v", d.Name, c.zone)
			}
			if d.Loc == nil || d.Loc.String() != d.Name {
				t.Errorf("Loc %v does not match Name %s", d.Loc, d.Name)
			}
			if d.Source != c.source {
				t.Errorf("source %s, want %s", d.Source, c.source)
			}
			if got := keys(d.Warnings); !slices.Equal(got, c.warn) {
				t.Errorf("warnings %v, want %v", got, c.warn)
			}
			for _, w := range c.mention {
				if !strings.Contains(text, w) {
					t.Errorf("the warnings do not say %q", w)
				}
			}
			for _, w := range c.absent {
				if strings.Contains(text, w) {
					t.Errorf("the warnings say %q", w)
				}
			}
			if got := ats(d.Evidence); !slices.Equal(got, c.evidence) {
				t.Errorf("evidence %v, want %v", got, c.evidence)
			}
			for _, w := range d.Warnings {
				if ja := catalog.In("ja", w); strings.Contains(ja, "{") {
					t.Errorf("Japanese wording leaves a placeholder: %s", ja)
				}
				if strings.Contains(catalog.English(w), "{") {
					t.Errorf("English wording leaves a placeholder: %s", catalog.English(w))
				}
			}
		})
	}
}

// TestDecideDeterministic: the same clues in any order give the same zone and warnings, and the
// same input twice gives the same decision.
func TestDecideDeterministic(t *testing.T) {
	clues := []parser.ZoneClue{
		named(t, "a.log:1", "2023-01-15 09:00:00", "CST"),
		named(t, "b.log:1", "2023-07-15 09:00:00", "CDT"),
		named(t, "c.log:1", "2023-07-15 09:00:00", "JST"),
		named(t, "d.log:1", "2023-07-15 09:00:00", "IST"),
		offset(t, "e.log:1", "2023-07-15 09:00:00", "+09:00"),
	}
	machine := load(t, "UTC")
	first := zone.Decide(clues, nil, machine, time.Time{}, time.Time{})
	if again := zone.Decide(clues, nil, machine, time.Time{}, time.Time{}); !reflect.DeepEqual(first, again) {
		t.Fatalf("two runs differ:\n%+v\n%+v", first, again)
	}
	rev := slices.Clone(clues)
	slices.Reverse(rev)
	for i := 0; i < 5; i++ {
		perm := append(slices.Clone(rev[i:]), rev[:i]...)
		d := zone.Decide(perm, nil, machine, time.Time{}, time.Time{})
		if d.Name != first.Name || !slices.Equal(keys(d.Warnings), keys(first.Warnings)) {
			t.Errorf("order %v: %s %v, want %s %v", ats(perm), d.Name, keys(d.Warnings), first.Name, keys(first.Warnings))
		}
	}
	t.Logf("%s: %s", first.Name, english(first.Warnings))
}
