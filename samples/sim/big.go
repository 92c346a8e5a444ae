package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Scale sets the usage load of sc so that Render writes about size bytes in all: the request
// rate, the holding time, the license counts and the number of users. About 60% of the bytes
// are the serving vendor daemon's OUT/IN lines, 40% the lmstat snapshots' user lines. The
// faults and the length of the incident stay as they are. A size too small for the lmstat
// snapshots without usage is an error.
func Scale(sc Scenario, size int64) (Scenario, error) {
	m, err := sc.model()
	if err != nil {
		return sc, err
	}
	dur := float64(m.end - m.start)
	if dur <= 0 || size <= 0 {
		return sc, fmt.Errorf("scale %s: nothing to scale", sc.Name)
	}
	nf := len(m.features)
	userLen := 0
	for _, u := range m.usage.users {
		userLen += len(u)
	}
	userLen /= max(1, len(m.usage.users))
	featLen := 0
	for _, f := range m.features {
		featLen += len(f.Name)
	}
	featLen /= max(1, nf)
	eol := 1
	if m.servers[0].platform == "windows" {
		eol = 2
	}
	// a usage line: " 9:01:17 (vendor) OUT: "feature" user@host  " and its line end
	line := float64(8 + 2 + len(m.vendor) + 2 + 5 + featLen + 3 + userLen + 2 + eol)
	logShare := 0.6
	if !m.lm.on {
		logShare = 1
	}
	rate := logShare * float64(size) / (2 * dur * line) // requests per second, two lines each
	hold := float64(m.usage.hold)
	if m.lm.on {
		snaps := dur / float64(m.lm.interval)
		fixed := float64(700 + 60*nf)
		userLine := float64(4+2*userLen+len(" (v1.0) (")+len(m.servers[0].name)+16+len(", start Wed 12/1 9:01")) + float64(eol) - float64(userLen)/2
		if lmFixed := snaps * fixed; float64(size) < 1.25*lmFixed/(1-logShare) {
			return sc, fmt.Errorf("scale %s: its %.0f lmstat snapshots alone take about %.0f MB; ask for at least %.0f MB",
				sc.Name, snaps, lmFixed/1e6, math.Ceil(1.25*lmFixed/(1-logShare)/1e6))
		}
		held := ((1-logShare)*float64(size)/snaps - fixed) / userLine
		hold = max(held/rate, 1)
	}
	held := rate * hold
	sc.Usage.Off = false
	sc.Usage.Rate = rate * 3600
	sc.Usage.Hold = Duration(time.Duration(hold * float64(time.Second)))
	sc.Usage.Multi = 0.02
	users := int(math.Min(5000, math.Max(float64(len(m.usage.users)), 4*held)))
	sc.Usage.Users = nil
	sc.Usage.UserCount = users
	feats := make([]Feature, nf)
	for i, f := range m.features {
		f.Licenses = int(math.Ceil(2*held/float64(nf))) + 10
		feats[i] = f
	}
	sc.Usage.Features = feats
	return sc, nil
}

// ParseSize reads a byte count: 1GB, 200MB, 1.5G, 500M, 64KiB, 123456.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	for _, u := range []struct {
		suffix string
		m      float64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1e9}, {"M", 1e6}, {"K", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q (use e.g. 1GB, 200MB)", s)
	}
	return int64(v * mult), nil
}
