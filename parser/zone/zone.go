package zone

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
	"github.com/lmtriad/lmtriad/parser/msg"
)

// Sources of a Decision.
const (
	SourceGiven    = "given"    // --tz
	SourceEvidence = "evidence" // the zone clues of the inputs
	SourceMachine  = "machine"  // no clue: this machine's zone
)

// Decision is the zone the servers' clocks were in, and what it rests on.
type Decision struct {
	Loc      *time.Location
	Name     string            // IANA name, as Loc.String()
	Source   string            // "given", "evidence" or "machine"
	Evidence []parser.ZoneClue // the lines the choice rests on (source evidence), or that contradict --tz
	Warnings []msg.Text
}

// maxListed bounds the lines a warning lists; the rest are counted.
const maxListed = 10

// kind is what a clue states.
type kind uint8

const (
	byOffset  kind = iota // a UTC offset
	byAbbrev              // a zone abbreviation (EDT, JST)
	byWindows             // a Windows zone name (Tokyo Standard Time)
)

// reading is a UTC offset and whether it is summer time.
type reading struct {
	off int
	dst bool
}

// clue is a ZoneClue read against the data.
type clue struct {
	parser.ZoneClue
	kind  kind
	win   *Windows  // byWindows: the Windows zone named
	want  []reading // byWindows: what the local time is in that zone (standard or daylight as named)
	known bool      // a name lmtriad knows (an offset always is)
}

func (d *data) read(c parser.ZoneClue) clue {
	cl := clue{ZoneClue: c, known: true}
	switch {
	case c.HasOffset:
		cl.kind = byOffset
	default:
		if n, ok := d.names[strings.ToLower(strings.TrimSpace(c.Name))]; ok {
			cl.kind, cl.win = byWindows, n.w
			loc := d.zones[d.rank[n.w.IANA]]
			for _, t := range readings(loc, c.Wall) {
				if t.IsDST() == n.daylight {
					_, off := t.Zone()
					cl.want = append(cl.want, reading{off, n.daylight})
				}
			}
			break
		}
		cl.kind = byAbbrev
		cl.known = abbreviations()[strings.ToUpper(strings.TrimSpace(c.Name))]
	}
	return cl
}

// fits tells whether z's rules give the clue what it states at its local time: the offset; the
// abbreviation; for a Windows name, the offset its CLDR zone has then, in summer time or not
// as the name says.
func (c *clue) fits(z *time.Location) bool {
	switch c.kind {
	case byOffset:
		_, off := c.Wall.Add(-time.Duration(c.Offset) * time.Second).In(z).Zone()
		return off == c.Offset
	case byAbbrev:
		for _, t := range readings(z, c.Wall) {
			if name, _ := t.Zone(); strings.EqualFold(name, strings.TrimSpace(c.Name)) {
				return true
			}
		}
	case byWindows:
		for _, t := range readings(z, c.Wall) {
			_, off := t.Zone()
			for _, w := range c.want {
				if w.off == off && w.dst == t.IsDST() {
					return true
				}
			}
		}
	}
	return false
}

// says is what the clue states, for a message: the name as written, or the offset.
func (c *clue) says() string { return Says(c.ZoneClue) }

func (c *clue) at() string { return fmt.Sprintf("%s:%d", c.File, c.Line) }

func (c *clue) date() msg.Raw { return msg.Raw(c.Wall.Format("2006-01-02 15:04:05")) }

// offset prints seconds east as +09:00 or -04:00 (+05:45, -09:30).
func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	s := fmt.Sprintf("%c%02d:%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf(":%02d", sec%60)
	}
	return s
}

// readings lists the instants whose local time in z is wall's clock fields, in time order:
// one, two in the hour that repeats when summer time ends, none in the hour skipped when it
// begins.
func readings(z *time.Location, wall time.Time) []time.Time {
	var out []time.Time
	var seen []int
	for _, d := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := wall.Add(d).In(z).Zone()
		dup := false
		for _, o := range seen {
			dup = dup || o == off
		}
		if dup {
			continue
		}
		seen = append(seen, off)
		t := wall.Add(-time.Duration(off) * time.Second).In(z)
		if wallOf(t).Equal(wall) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// wallOf is t's clock fields in a UTC time (how ZoneClue.Wall carries a local time).
func wallOf(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// has describes what z has at wall's local time, for a message: "JST, UTC+09:00".
func has(z *time.Location, wall time.Time) msg.Raw {
	rs := readings(z, wall)
	if len(rs) == 0 { // the skipped hour: name the time after it
		rs = []time.Time{time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, z)}
	}
	var parts []string
	for _, t := range rs {
		name, off := t.Zone()
		s := "UTC" + offset(off)
		if name != "" && name[0] != '+' && name[0] != '-' {
			s = name + ", " + s
		}
		parts = append(parts, s)
	}
	return msg.Raw(strings.Join(parts, " / "))
}

// Decide chooses the zone the servers' clocks were in (TRIAD.md 6), from the zone clues of the
// inputs, the zone given with --tz (nil when none) and this machine's zone (nil means UTC; the
// Decision names it by its String, which is "Local" for time.Local, so pass a location loaded
// by name when the name is known).
// from and to bound the times the evidence covers (the first and last dated lines of the
// inputs); only their clock fields count, so they may have been read in any zone, and either
// may be zero. See the package documentation for the rules.
func Decide(clues []parser.ZoneClue, given, machine *time.Location, from, to time.Time) Decision {
	d := mustData()
	cs := make([]clue, len(clues))
	for i := range clues {
		cs[i] = d.read(clues[i])
	}
	if given != nil {
		return decideGiven(cs, given)
	}
	var dec Decision
	var usable []*clue
	var fit [][]bool // fit[i][z]: d.zones[z] fits usable[i]
	for i := range cs {
		c := &cs[i]
		if !c.known {
			dec.Warnings = append(dec.Warnings, msg.New("warn.zone.unknown", "at", msg.Raw(c.at()), "clue", msg.Raw(c.says())))
			continue
		}
		row := make([]bool, len(d.zones))
		n := 0
		for zi, z := range d.zones {
			if row[zi] = c.fits(z); row[zi] {
				n++
			}
		}
		if n == 0 {
			dec.Warnings = append(dec.Warnings, msg.New("warn.zone.impossible", "at", msg.Raw(c.at()), "clue", msg.Raw(c.says()), "date", c.date()))
			continue
		}
		usable = append(usable, c)
		fit = append(fit, row)
	}
	if len(usable) == 0 {
		if machine == nil {
			machine = time.UTC
		}
		dec.Loc, dec.Name, dec.Source = machine, machine.String(), SourceMachine
		dec.Warnings = append(dec.Warnings, msg.New("warn.zone.machine", "zone", msg.Raw(machine.String())))
		return dec
	}

	// The zones that fit the most clues: all of them, unless the clues contradict each other.
	count := make([]int, len(d.zones))
	best := 0
	for zi := range d.zones {
		for i := range usable {
			if fit[i][zi] {
				count[zi]++
			}
		}
		best = max(best, count[zi])
	}
	var cands []*time.Location
	for zi, z := range d.zones {
		if count[zi] == best {
			cands = append(cands, z)
		}
	}

	// Zones that give the same offsets over the whole span are one choice.
	start, end := span(usable, from, to)
	var groups [][]*time.Location
	for _, z := range cands {
		placed := false
		for gi, g := range groups {
			if same(g[0], z, start, end) {
				groups[gi] = append(g, z)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []*time.Location{z})
		}
	}

	// A Windows name names its zone: the zones it does not name fit only by sharing its offset.
	named := map[string]bool{}
	for _, c := range usable {
		if c.kind == byWindows {
			named[c.win.IANA] = true
		}
	}
	// rank orders zones by preference: a zone a Windows name names, then zones.txt's order.
	rank := func(z *time.Location) int {
		r := d.rank[z.String()]
		if !named[z.String()] {
			r += len(d.zones)
		}
		return r
	}
	pick := func(g []*time.Location) *time.Location {
		b := g[0]
		for _, z := range g[1:] {
			if rank(z) < rank(b) {
				b = z
			}
		}
		return b
	}
	choices := groups
	if len(groups) > 1 {
		var withName [][]*time.Location
		for _, g := range groups {
			for _, z := range g {
				if named[z.String()] {
					withName = append(withName, g)
					break
				}
			}
		}
		if len(withName) > 0 {
			choices = withName
		}
	}
	chosen := pick(choices[0])
	for _, g := range choices[1:] {
		if z := pick(g); rank(z) < rank(chosen) {
			chosen = z
		}
	}
	dec.Loc, dec.Name, dec.Source = chosen, chosen.String(), SourceEvidence
	var misfits, says []string
	for _, c := range usable {
		if c.fits(chosen) {
			dec.Evidence = append(dec.Evidence, c.ZoneClue)
			if s := c.says(); !contains(says, s) {
				says = append(says, s)
			}
		} else {
			misfits = append(misfits, c.at()+" ("+c.says()+")")
		}
	}
	if best < len(usable) {
		list, more := listed(misfits)
		dec.Warnings = append(dec.Warnings, msg.New("warn.zone.conflict", "zone", msg.Raw(dec.Name),
			"fit", best, "total", len(usable), "misfits", list).And(more))
	}
	if len(choices) > 1 {
		var picks []*time.Location
		for _, g := range choices {
			picks = append(picks, pick(g))
		}
		sort.Slice(picks, func(i, j int) bool { return rank(picks[i]) < rank(picks[j]) })
		var names []string
		for _, z := range picks {
			names = append(names, z.String())
		}
		list, more := listed(says)
		dec.Warnings = append(dec.Warnings, msg.New("warn.zone.ambiguous", "clues", list,
			"candidates", names, "zone", msg.Raw(dec.Name)).And(more))
	}
	return dec
}

// decideGiven checks the zone given against every clue.
func decideGiven(cs []clue, given *time.Location) Decision {
	dec := Decision{Loc: given, Name: given.String(), Source: SourceGiven}
	const shown = 3 // contradicting lines named one by one; the others are counted
	contradicting := 0
	for i := range cs {
		c := &cs[i]
		switch {
		case !c.known:
			dec.Warnings = append(dec.Warnings, msg.New("warn.zone.unknown", "at", msg.Raw(c.at()), "clue", msg.Raw(c.says())))
		case !c.fits(given):
			dec.Evidence = append(dec.Evidence, c.ZoneClue)
			if contradicting++; contradicting <= shown {
				dec.Warnings = append(dec.Warnings, msg.New("warn.zone.contradicts", "at", msg.Raw(c.at()), "clue", msg.Raw(c.says()),
					"date", c.date(), "zone", msg.Raw(dec.Name), "has", has(given, c.Wall)))
			}
		}
	}
	if n := contradicting - shown; n > 0 {
		dec.Warnings = append(dec.Warnings, msg.New("warn.zone.contradicts.more", "zone", msg.Raw(dec.Name), "n", n))
	}
	return dec
}

// span is the time the evidence covers, as instants: every instant at which some zone's clock
// (UTC-12:00 to UTC+14:00) reads a local time between the earliest and the latest of from, to
// and the clues' local times.
func span(cs []*clue, from, to time.Time) (start, end time.Time) {
	var walls []time.Time
	for _, t := range []time.Time{from, to} {
		if !t.IsZero() {
			walls = append(walls, wallOf(t))
		}
	}
	for _, c := range cs {
		walls = append(walls, c.Wall)
	}
	start, end = walls[0], walls[0]
	for _, w := range walls[1:] {
		if w.Before(start) {
			start = w
		}
		if w.After(end) {
			end = w
		}
	}
	return start.Add(-14 * time.Hour), end.Add(12 * time.Hour)
}

// same tells whether a and b give the same UTC offset at every instant from start to end,
// walking their transitions.
func same(a, b *time.Location, start, end time.Time) bool {
	for t := start; ; {
		ta, tb := t.In(a), t.In(b)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		if oa != ob {
			return false
		}
		_, ea := ta.ZoneBounds()
		_, eb := tb.ZoneBounds()
		next := ea
		if next.IsZero() || (!eb.IsZero() && eb.Before(next)) {
			next = eb
		}
		if next.IsZero() || next.After(end) || !next.After(t) {
			return true
		}
		t = next
	}
}

// listed is up to maxListed items for a message, and a clause that counts the rest (zero when
// there are none).
func listed(items []string) ([]string, msg.Text) {
	if len(items) <= maxListed {
		return items, msg.Text{}
	}
	return items[:maxListed], msg.New("warn.zone.more", "n", len(items)-maxListed)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
