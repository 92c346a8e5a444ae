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
// only while another server is master, ...).
func Random(seed int64, opts RandomOptions) Scenario {
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
	ver := randomVersions[pick(len(randomVersions))]
	names := randomNames[pick(len(randomNames))]
	platform := []string{"windows", "linux"}[pick(2)]
	sc := Scenario{
		Name:            fmt.Sprintf("random-%d", seed),
		Title:           fmt.Sprintf("Random scenario %d", seed),
		Zone:            zone,
		Start:           start.Format("2006-01-02 15:04:05"),
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
	for len(sc.Faults) < opts.Faults {
		st := stateAt(sc, t)
		f, ok := randomFault(rng, st, opts.Kinds, &mismatched)
		if ok {
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
	sc.End = t.Add(time.Duration(5+pick(20)) * time.Minute).Format(time.RFC3339)
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
