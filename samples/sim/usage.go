package sim

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"strconv"
)

// The license load. Checkout requests arrive as a Poisson process (Usage.Rate per hour); each
// names a user, a feature, a count (1, or 2 to 4 for a share Usage.Multi) and a holding time
// (exponential, mean Usage.Hold, at least 30 s). The same random numbers are drawn whatever
// the triad does, so the demand does not depend on the faults. Only the serving master's
// vendor daemon sees the requests: it logs OUT (or DENIED when too few licenses are free) and
// later IN. While no master serves, requests are lost. When the serving vendor daemon goes
// away its checkouts go with it: without a line when the machine or lmgrd dies or the master
// is lost, as IN (SHUTDOWN) lines when it is shut down or exits.

type checkout struct {
	feat, user, count int
	handle            int
	start             int64 // true time
	inst              int   // the vendor daemon instance that holds it
	gone              bool
}

type checkin struct {
	t  int64
	co *checkout
}

type checkins []checkin

func (h checkins) Len() int           { return len(h) }
func (h checkins) Less(i, j int) bool { return h[i].t < h[j].t }
func (h checkins) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *checkins) Push(x any)        { *h = append(*h, x.(checkin)) }
func (h *checkins) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type usageGen struct {
	m        *model
	rng      *rand.Rand
	next     float64 // next request, true time in seconds
	pend     checkins
	active   [][]*checkout // per feature, in checkout order
	used     []int
	inst     int
	handle   int
	serving  int // the server whose vendor daemon serves, -1 none
	users    [][2]string
	features [][]byte // `"name" ` for the lines
}

func newUsage(m *model) *usageGen {
	g := &usageGen{m: m, rng: rand.New(rand.NewPCG(uint64(m.seed), 0x5eed1e55)), serving: -1,
		active: make([][]*checkout, len(m.features)), used: make([]int, len(m.features))}
	for _, u := range m.usage.users {
		for i := 0; i < len(u); i++ {
			if u[i] == '@' {
				g.users = append(g.users, [2]string{u[:i], u[i+1:]})
				break
			}
		}
	}
	for _, f := range m.features {
		g.features = append(g.features, []byte(`"`+f.Name+`" `))
	}
	g.next = math.Inf(1)
	if m.usage.on && m.usage.rate > 0 {
		g.next = float64(m.start) + g.gap()
	}
	return g
}

func (g *usageGen) gap() float64 { return g.rng.ExpFloat64() / g.m.usage.rate }

// nextTime is the time of the next request or checkin.
func (g *usageGen) nextTime() int64 {
	t := int64(math.MaxInt64)
	if !math.IsInf(g.next, 1) {
		t = int64(g.next)
	}
	for len(g.pend) > 0 && g.pend[0].co.gone {
		heap.Pop(&g.pend)
	}
	if len(g.pend) > 0 && g.pend[0].t < t {
		t = g.pend[0].t
	}
	return t
}

// step handles the next request or checkin at time t; it appends its line (if any) to buf.
func (g *usageGen) step(t int64, buf []byte) []byte {
	if len(g.pend) > 0 && g.pend[0].t == t && !g.pend[0].co.gone && (math.IsInf(g.next, 1) || int64(g.next) >= t) {
		c := heap.Pop(&g.pend).(checkin).co
		g.remove(c)
		return g.usageLine(buf, "IN: ", c, "")
	}
	// a request
	users, feats := len(g.users), len(g.features)
	u := g.rng.IntN(users)
	f := g.rng.IntN(feats)
	count := 1
	if g.rng.Float64() < g.m.usage.multi {
		count = 2 + g.rng.IntN(3)
	}
	floor := min(30, g.m.usage.hold/2) // a license is held at least this long; the mean stays Hold
	hold := floor + g.rng.ExpFloat64()*(g.m.usage.hold-floor)
	g.next += g.gap()
	if g.serving < 0 {
		return buf
	}
	lic := g.m.features[f].Licenses
	count = min(count, lic)
	c := &checkout{feat: f, user: u, count: count, start: t, inst: g.inst}
	if g.used[f]+count > lic {
		buf = append(buf, "DENIED: "...)
		buf = append(buf, g.features[f]...)
		buf = append(buf, g.users[u][0]...)
		buf = append(buf, '@')
		buf = append(buf, g.users[u][1]...)
		return append(buf, "  (Licensed number of users already reached. (-4,342))"...)
	}
	g.handle++
	c.handle = g.handle
	g.used[f] += count
	g.active[f] = append(g.active[f], c)
	heap.Push(&g.pend, checkin{t + int64(hold), c})
	return g.usageLine(buf, "OUT: ", c, "")
}

func (g *usageGen) usageLine(buf []byte, what string, c *checkout, suffix string) []byte {
	buf = append(buf, what...)
	buf = append(buf, g.features[c.feat]...)
	buf = append(buf, g.users[c.user][0]...)
	buf = append(buf, '@')
	buf = append(buf, g.users[c.user][1]...)
	buf = append(buf, "  "...)
	if c.count > 1 {
		buf = append(buf, '(')
		buf = strconv.AppendInt(buf, int64(c.count), 10)
		buf = append(buf, " licenses) "...)
	}
	return append(buf, suffix...)
}

func (g *usageGen) remove(c *checkout) {
	c.gone = true
	g.used[c.feat] -= c.count
	a := g.active[c.feat]
	for k, x := range a {
		if x == c {
			copy(a[k:], a[k+1:])
			a[len(a)-1] = nil
			g.active[c.feat] = a[:len(a)-1]
			break
		}
	}
}

// serve switches the serving vendor daemon; checkouts of the previous one are lost.
func (g *usageGen) serve(server int) {
	if server == g.serving {
		return
	}
	g.drop()
	g.serving = server
	g.handle = 100
}

// drop forgets every checkout (the vendor daemon holding them is gone).
func (g *usageGen) drop() {
	for f, a := range g.active {
		for k, c := range a {
			c.gone = true
			a[k] = nil
		}
		g.active[f] = a[:0]
		g.used[f] = 0
	}
	g.inst++
}

// shutdownLines appends the IN (SHUTDOWN) lines of every checkout and forgets them.
func (g *usageGen) shutdownLines(emit func([]byte), buf []byte) {
	for _, a := range g.active {
		for _, c := range a {
			emit(g.usageLine(buf[:0], "IN: ", c, "(SHUTDOWN)"))
		}
	}
	g.drop()
}
