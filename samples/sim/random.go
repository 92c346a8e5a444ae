package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// RandomOptions shape the scenarios Random makes. Zero values take the defaults.
type RandomOptions struct {
	Faults  int           // faults after the cold start (default 4)
	MinGap  time.Duration // least time between two faults (default 8m)
	MaxGap  time.Duration // most time between two faults (default 40m)
	Kinds   []string      // fault kinds to draw from (default: all)
	Rate    float64       // usage: checkout requests per hour (default 20)
	MaxSkew time.Duration // clock offsets are drawn from [-MaxSkew, MaxSkew] (default 90s; negative: none)
	// SkewLmstat gives the lmstat host its own offset too. By default it keeps the primary's:
	// an analyzer can only bound the lmstat host's offset against the logs (a snapshot's run time
	// is known to the minute), and truth.json assumes it is known exactly.
	SkewLmstat bool
	NoLmstat   bool // collect no lmstat output
	// LmstatGaps is the chance (0 to 1) that lmstat collection stops once or twice for a while
	// (lmstat.gaps: from two missed runs to 45 minutes).
	LmstatGaps float64
	// DST is the chance (0 to 1) that the incident is placed across a change of daylight saving
	// time in a zone that has it: the spring gap or the autumn hour that repeats, each half the
	// time. Lines of the repeated hour are placed so that each log's order tells which of the two
	// readings they are (TRIAD.md section 6); when no placement tried does, the spring change is taken.
	DST float64
	// Partitions is the chance (0 to 1) that a fault is a network partition (when one can
	// happen: no other partition in effect, two servers up): of the master, of a non-master,
	// of two servers from the third, of one of two survivors (both sides isolated), or of a
	// down server (it returns into the cut); most last 3 to 60 minutes, some less than the
	// heartbeat timeout (nobody notices). The draw comes from a stream of its own: with 0 (the
	// default) Random draws the scenarios it drew before partitions existed.
	Partitions float64
}

// The extra draws (gaps, DST) come from their own stream: with them off, Random draws the same
// scenarios as before they existed.
const hostileStream = 0x5d1f7a93c2e4b681

var dstZones = []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Los_Angeles"}

// dstChange is the first change of the zone's offset in year in the given direction (spring:
// the clocks go forward).
func dstChange(loc *time.Location, year int, spring bool) (time.Time, bool) {
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	for k := 0; k < 4; k++ {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.Year() > year {
			break
		}
		_, o1 := t.Zone()
		_, o2 := end.Zone()
		if (o2 > o1) == spring {
			return end, true
		}
		t = end
	}
	return time.Time{}, false
}

var randomZones = []string{"Asia/Tokyo", "America/New_York", "Europe/Berlin", "UTC", "Australia/Sydney", "America/Los_Angeles"}

var randomVersions = []struct{ v, build string }{
	{"10.8.0.7", "31286"}, {"11.13.1.2", "173085"}, {"11.14.1.3", "212549"}, {"11.19.6.0", "293152"}, {"9.2", ""},
}

var randomNames = [][3]string{
	{"server1", "server2", "server3"}, {"lic-a", "lic-b", "lic-c"}, {"flexlm01", "flexlm02", "flexlm03"},
	{"tokyo-lm", "osaka-lm", "nagoya-lm"}, {"LMSRV1", "LMSRV2", "LMSRV3"},
}

// Random makes a scenario from a seed: the same seed and options always give the same
// scenario. It draws the zone, start, platforms, FlexLM version, clock offsets, lmstat
// interval and stamps, PRIMARY_IS_MASTER, and a sequence of faults that can happen in the
// state the triad is in at their time (a return only for a server that is down, a split brain
// only while another server is master, ...). With LmstatGaps and DST it sometimes stops the
// lmstat collection for a while, or moves the incident (same faults, same spacing) across a
// change of daylight saving time; those draws come from a stream of their own, so that with
// both at zero Random draws the scenarios it always drew.
func Random(seed int64, opts RandomOptions) Scenario {
	h := rand.New(rand.NewPCG(uint64(seed), hostileStream))
	gaps := h.Float64() < opts.LmstatGaps
	if !(h.Float64() < opts.DST) {
		return random(seed, opts, nil, gaps)
	}
	// The faults do not depend on the start: draw the incident once to learn how long it lasts,
	// then start it so that the change falls inside, at least 10 minutes from either end.
	base, err := random(seed, opts, nil, gaps).model()
	if err != nil {
		panic(err)
	}
	span := base.end - base.start
	loc, _ := time.LoadLocation(dstZones[h.IntN(len(dstZones))])
	year := 2009 + h.IntN(15)
	place := func(change time.Time) Scenario {
		lead := span / 2
		if span > 1200 {
			lead = 600 + h.Int64N(span-1200)
		}
		start := change.Add(-time.Duration(lead) * time.Second)
		return random(seed, opts, &start, gaps)
	}
	if h.IntN(2) == 0 {
		change, _ := dstChange(loc, year, false)
		for try := 0; try < 8; try++ {
			sc := place(change)
			if n, err := UnreadableLines(sc); err == nil && n == 0 {
				return sc
			}
		}
	}
	change, _ := dstChange(loc, year, true)
	return place(change)
}

// UnreadableLines counts the debug log lines and unstamped lmstat snapshots of sc that fall in
// the second time through an hour that repeats (daylight saving time ends) and that the order
// of their file cannot place: the first reading of their time is not before the line above
// them (TRIAD.md section 6). Random with DST draws scenarios that have none.
func UnreadableLines(sc Scenario) (int, error) {
	m, err := sc.model()
	if err != nil {
		return 0, err
	}
	pl, err := plan(m)
	if err != nil {
		return 0, err
	}
	r := &renderer{m: m, pl: pl}
	if err := r.run(DiscardOpener(&Counter{})); err != nil {
		return 0, err
	}
	n := 0
	for _, lw := range r.logs {
		n += lw.unreadable
	}
	if r.lm != nil {
		n += r.lm.unreadable
	}
	return n, nil
}

// random is Random with the start (and zone) given by dst, and lmstat gaps drawn when gaps.
func random(seed int64, opts RandomOptions, dst *time.Time, gaps bool) Scenario {
	if opts.Faults <= 0 {
		opts.Faults = 4
	}
	if opts.MinGap <= 0 {
		opts.MinGap = 8 * time.Minute
	}
	if opts.MaxGap < opts.MinGap {
		opts.MaxGap = max(opts.MinGap, 40*time.Minute)
	}
	if len(opts.Kinds) == 0 {
		opts.Kinds = Kinds
	}
	if opts.Rate <= 0 {
		opts.Rate = 20
	}
	if opts.MaxSkew == 0 {
		opts.MaxSkew = 90 * time.Second
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7a4d0c3b))
	pick := func(n int) int { return rng.IntN(n) }
	zone := randomZones[pick(len(randomZones))]
	loc, _ := time.LoadLocation(zone)
	start := time.Date(2009+pick(15), time.Month(1+pick(12)), 1+pick(28), pick(24), pick(60), pick(60), 0, loc)
	startText := start.Format("2006-01-02 15:04:05")
	if dst != nil {
		start, zone = *dst, dst.Location().String()
		startText = start.Format(time.RFC3339) // RFC 3339: the hour may repeat
	}
	ver := randomVersions[pick(len(randomVersions))]
	names := randomNames[pick(len(randomNames))]
	platform := []string{"windows", "linux"}[pick(2)]
	sc := Scenario{
		Name:            fmt.Sprintf("random-%d", seed),
		Title:           fmt.Sprintf("Random scenario %d", seed),
		Zone:            zone,
		Start:           startText,
		Seed:            seed,
		Version:         ver.v,
		Build:           ver.build,
		Platform:        platform,
		PrimaryIsMaster: pick(4) == 0,
		Usage:           Usage{Rate: opts.Rate},
	}
	sample := false
	sc.Sample = &sample
	skew := func() Duration {
		if opts.MaxSkew < 0 {
			return 0
		}
		s := int64(opts.MaxSkew / time.Second)
		return Duration(time.Duration(rng.Int64N(2*s+1)-s) * time.Second)
	}
	var latest time.Time
	for i := range 3 {
		st := start
		if i > 0 {
			st = start.Add(time.Duration(pick(90)) * time.Second)
		}
		if st.After(latest) {
			latest = st
		}
		s := Server{Name: names[i], Start: st.Format(time.RFC3339), Offset: skew()}
		if pick(5) == 0 {
			s.Platform = []string{"windows", "linux"}[pick(2)]
		}
		sc.Servers = append(sc.Servers, s)
	}
	interval := []int{60, 60, 60, 120, 300}[pick(5)]
	second := pick(50)
	sc.Lmstat = Lmstat{Disabled: opts.NoLmstat, Interval: Duration(time.Duration(interval) * time.Second), Second: &second,
		Stamps: pick(3) == 0}
	sc.Lmstat.Offset = sc.Servers[0].Offset
	if opts.SkewLmstat {
		sc.Lmstat.Offset = skew()
	}
	t := latest.Add(time.Duration(5+pick(15)) * time.Minute)
	gap := func() time.Duration {
		span := int64(opts.MaxGap - opts.MinGap)
		d := opts.MinGap
		if span > 0 {
			d += time.Duration(rng.Int64N(span))
		}
		return d.Truncate(time.Second)
	}
	mismatched := false
	partitions := false
	for _, k := range opts.Kinds {
		partitions = partitions || k == KindPartition
	}
	pr := rand.New(rand.NewPCG(uint64(seed), hostileStream+2)) // partitions draw from their own stream
	var cutUntil time.Time
	for len(sc.Faults) < opts.Faults {
		st := stateAt(sc, t)
		var f rfault
		var cut [3]bool
		ok := false
		if partitions && opts.Partitions > 0 && !t.Before(cutUntil) && pr.Float64() < opts.Partitions {
			if f.Fault, cut, ok = randomPartition(pr, st); ok {
				cutUntil = t.Add(f.Down.D())
				f.At = t.Format(time.RFC3339)
				for i, c := range cut {
					if c {
						f.Servers = append(f.Servers, names[i])
					}
				}
				sc.Faults = append(sc.Faults, f.Fault)
			}
		}
		if !ok {
			f, ok = randomFault(rng, st, opts.Kinds, &mismatched)
		}
		if ok && f.Kind != KindPartition {
			f.At = t.Format(time.RFC3339)
			f.Server = names[f.server()]
			if f.Kind == KindOrderMismatch {
				// its file lists the servers in reverse order; it takes effect at its next start
				f.Order = []string{names[2], names[1], names[0]}
			}
			sc.Faults = append(sc.Faults, f.Fault)
		}
		t = t.Add(gap())
		if !ok && t.Sub(start) > 7*24*time.Hour {
			break
		}
	}
	end := t.Add(time.Duration(5+pick(20)) * time.Minute)
	sc.End = end.Format(time.RFC3339)
	if gaps && !opts.NoLmstat {
		h := rand.New(rand.NewPCG(uint64(seed), hostileStream+1))
		iv := time.Duration(interval) * time.Second
		from := latest.Add(2 * time.Minute)
		for k := 1 + h.IntN(2); k > 0; k-- {
			at := from.Add(time.Duration(h.Int64N(int64(end.Sub(from)/time.Second))) * time.Second)
			length := []time.Duration{2 * iv, 3 * iv, 4 * iv, 10 * time.Minute, 20 * time.Minute, 45 * time.Minute}[h.IntN(6)]
			sc.Lmstat.Gaps = append(sc.Lmstat.Gaps, [2]string{at.Format(time.RFC3339), at.Add(length).Format(time.RFC3339)})
		}
	}
	return sc
}

type rfault struct {
	Fault
	srv int
}

func (f rfault) server() int { return f.srv }

// rstate is the triad at a moment, for drawing the next fault.
type rstate struct {
	run    [3]runState
	vendor [3]bool
	legit  int
}

func stateAt(sc Scenario, t time.Time) rstate {
	sc.End = t.Format(time.RFC3339) // the state a fault at t sees: after everything before t
	m, err := sc.model()
	if err != nil {
		panic(err)
	}
	pl, err := plan(m)
	if err != nil {
		panic(fmt.Sprintf("random scenario %s is not valid: %v", sc.Name, err))
	}
	p := pl.points[len(pl.points)-1]
	st := rstate{run: p.run, vendor: p.vendor, legit: int(p.legit)}
	return st
}

func randomFault(rng *rand.Rand, st rstate, kinds []string, mismatched *bool) (rfault, bool) {
	type cand struct {
		f      rfault
		weight int
	}
	var cands []cand
	allowed := map[string]bool{}
	for _, k := range kinds {
		allowed[k] = true
	}
	down := 0
	for _, r := range st.run {
		if r == rDown {
			down++
		}
	}
	for i, r := range st.run {
		switch r {
		case rDown:
			w := 3 + 3*down // bring servers back rather than leave the triad down
			if allowed[KindRestart] {
				cands = append(cands, cand{rfault{Fault{Kind: KindRestart}, i}, w})
			}
			if allowed[KindHang] {
				f := Fault{Kind: KindHang}
				if rng.IntN(3) == 0 {
					f.Storm = true
					f.Every = Duration(time.Duration(2+rng.IntN(4)) * time.Second)
				}
				cands = append(cands, cand{rfault{f, i}, 2})
			}
			if allowed[KindSplitBrain] && i < 2 && st.legit >= 0 && st.legit != i && st.run[st.legit] == rUp {
				f := Fault{Kind: KindSplitBrain, Duration: Duration(time.Duration(20+rng.IntN(180)) * time.Second)}
				cands = append(cands, cand{rfault{f, i}, 2})
			}
		case rUp, rJoining, rHung:
			w := 3
			if down > 0 {
				w = 1
			}
			if r == rHung {
				w = 4
			}
			if allowed[KindCrash] {
				f := Fault{Kind: KindCrash, Process: rng.IntN(3) == 0}
				if rng.IntN(2) == 0 {
					f.Election = Duration(time.Duration(30+rng.IntN(120)) * time.Second)
				}
				cands = append(cands, cand{rfault{f, i}, w})
			}
			if allowed[KindShutdown] {
				cands = append(cands, cand{rfault{Fault{Kind: KindShutdown}, i}, w})
			}
			if allowed[KindVendorExit] && r == rUp && st.vendor[i] {
				reasons := []int{5, 5, 7, 8, 2}
				f := Fault{Kind: KindVendorExit, Reason: reasons[rng.IntN(len(reasons))], Repeat: 1 + rng.IntN(4),
					Every: Duration(time.Duration(2+rng.IntN(6)) * time.Minute)}
				if rng.IntN(2) == 0 {
					f.Down = Duration(time.Duration(rng.IntN(150)) * time.Second)
				}
				cands = append(cands, cand{rfault{f, i}, 2})
			}
		}
		if allowed[KindOrderMismatch] && !*mismatched {
			cands = append(cands, cand{rfault{Fault{Kind: KindOrderMismatch}, i}, 1})
		}
	}
	total := 0
	for _, c := range cands {
		total += c.weight
	}
	if total == 0 {
		return rfault{}, false
	}
	x := rng.IntN(total)
	for _, c := range cands {
		if x < c.weight {
			if c.f.Kind == KindOrderMismatch {
				*mismatched = true
			}
			return c.f, true
		}
		x -= c.weight
	}
	return rfault{}, false
}

// randomPartition draws a network partition that can happen in state st: of the master, of a
// non-master, of two servers from the third, of one of two survivors (both sides are then
// isolated), or of a down server (it returns into the cut).
func randomPartition(rng *rand.Rand, st rstate) (Fault, [3]bool, bool) {
	type cand struct {
		cut    [3]bool
		weight int
	}
	var up, down []int
	for i, r := range st.run {
		switch r {
		case rUp:
			up = append(up, i)
		case rDown:
			down = append(down, i)
		}
	}
	var cands []cand
	one := func(i int) [3]bool {
		var c [3]bool
		c[i] = true
		return c
	}
	switch len(up) {
	case 3:
		for _, i := range up {
			w := 2 // a non-master
			if i == st.legit {
				w = 3 // the master
			}
			cands = append(cands, cand{one(i), w})
			pair := [3]bool{true, true, true}
			pair[i] = false
			cands = append(cands, cand{pair, 1}) // two cut off together: i is alone
		}
	case 2:
		for _, i := range up {
			cands = append(cands, cand{one(i), 3}) // the two survivors lose each other
		}
		for _, i := range down {
			cands = append(cands, cand{one(i), 1}) // it may return into the cut
		}
	}
	total := 0
	for _, c := range cands {
		total += c.weight
	}
	if total == 0 {
		return Fault{}, [3]bool{}, false
	}
	x := rng.IntN(total)
	var cut [3]bool
	for _, c := range cands {
		if x < c.weight {
			cut = c.cut
			break
		}
		x -= c.weight
	}
	length := time.Duration(3+rng.IntN(58)) * time.Minute
	if rng.IntN(8) == 0 {
		length = time.Duration(20+rng.IntN(50)) * time.Second // under the heartbeat timeout: nobody notices
	}
	return Fault{Kind: KindPartition, Down: Duration(length)}, cut, true
}

// HostileOptions draws from r the hostile variation the property tests use (TestProperty,
// TestSubsetProperty, the redactor's property test): clock offsets of none, 90 s or 5 min;
// in half the draws 6 to 12 faults 2 to 15 minutes apart, as TestStress draws them; lmstat
// gaps half the time; a DST change with chance dst. The draws come from r in a fixed order, so
// that a seed keeps its incident as long as the caller draws the rest after.
func HostileOptions(r *rand.Rand, dst float64) RandomOptions {
	var o RandomOptions
	o.MaxSkew = []time.Duration{-1, 90 * time.Second, 90 * time.Second, 5 * time.Minute}[r.IntN(4)]
	if r.IntN(2) == 0 {
		o.Faults, o.MinGap, o.MaxGap = 6+r.IntN(7), 2*time.Minute, 15*time.Minute
	}
	o.LmstatGaps = 0.5
	o.DST = dst
	return o
}
