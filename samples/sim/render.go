package sim

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Opener opens one output file by name ("server1.log", "lmstat.log", "license.dat"). The
// renderer writes each file front to back, through its own buffer, and closes it.
type Opener func(name string) (io.WriteCloser, error)

// DirOpener creates the files in dir (which must exist).
func DirOpener(dir string) Opener {
	return func(name string) (io.WriteCloser, error) { return os.Create(filepath.Join(dir, name)) }
}

// Counter counts what is written to the files of a DiscardOpener.
type Counter struct {
	Bytes int64
	Files map[string]int64
	// Every, when set, is called after each further Step bytes written in all (for tests
	// that watch memory while rendering).
	Step  int64
	Every func(total int64)
	mark  int64
}

// DiscardOpener throws the output away and counts it in c.
func DiscardOpener(c *Counter) Opener {
	if c.Files == nil {
		c.Files = map[string]int64{}
	}
	return func(name string) (io.WriteCloser, error) { return &countWriter{c: c, name: name}, nil }
}

type countWriter struct {
	c    *Counter
	name string
}

func (w *countWriter) Write(p []byte) (int, error) {
	c := w.c
	c.Bytes += int64(len(p))
	c.Files[w.name] += int64(len(p))
	if c.Every != nil && c.Step > 0 && c.Bytes-c.mark >= c.Step {
		c.mark = c.Bytes
		c.Every(c.Bytes)
	}
	return len(p), nil
}

func (w *countWriter) Close() error { return nil }

// Files lists the names Render writes for sc, in the order the analyzer reads a directory.
func Files(sc Scenario) ([]string, error) {
	m, err := sc.model()
	if err != nil {
		return nil, err
	}
	pl, err := plan(m)
	if err != nil {
		return nil, err
	}
	return fileNames(m, pl), nil
}

func fileNames(m *model, pl *planned) []string {
	names := []string{"license.dat"}
	for i, o := range pl.orders {
		if o != nil {
			names = append(names, "license.dat."+m.servers[i].name)
		}
	}
	if m.lm.on {
		names = append(names, "lmstat.log")
	}
	for _, s := range m.servers {
		names = append(names, s.name+".log")
	}
	sort.Strings(names)
	return names
}

// Render writes the incident of sc: the three debug logs (<server>.log), the lmstat output
// (lmstat.log), the license file (license.dat, and license.dat.<server> for a server whose
// SERVER order differs), and returns the truth. It streams: memory does not grow with the
// length of the incident or the load, only with the number of faults and lmstat runs.
func Render(sc Scenario, open Opener) (Truth, error) {
	m, err := sc.model()
	if err != nil {
		return Truth{}, err
	}
	pl, err := plan(m)
	if err != nil {
		return Truth{}, err
	}
	r := &renderer{m: m, pl: pl}
	if err := r.run(open); err != nil {
		return Truth{}, err
	}
	return truthOf(m, pl, r), nil
}

// RenderDir renders sc into dir (created if needed) and adds truth.json and README.md.
func RenderDir(sc Scenario, dir string) (Truth, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Truth{}, err
	}
	tr, err := Render(sc, DirOpener(dir))
	if err != nil {
		return tr, err
	}
	if err := os.WriteFile(filepath.Join(dir, "truth.json"), tr.JSON(), 0o644); err != nil {
		return tr, err
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(Readme(sc, tr)), 0o644); err != nil {
		return tr, err
	}
	return tr, nil
}

// ---- writers ----

// zoneCache converts Unix seconds to local wall-clock seconds, looking the zone up only when
// its offset may change.
type zoneCache struct {
	loc      *time.Location
	from, to int64
	off      int64
}

func (z *zoneCache) local(u int64) int64 {
	if u < z.from || u >= z.to || z.loc == nil {
		t := time.Unix(u, 0).In(z.loc)
		_, off := t.Zone()
		z.off = int64(off)
		s, e := t.ZoneBounds()
		z.from, z.to = math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			z.from = s.Unix()
		}
		if !e.IsZero() {
			z.to = e.Unix()
		}
	}
	return u + z.off
}

// repeatedBy tells whether the wall clock reading of instant c was read once before, in an
// hour that repeats when daylight saving time ends: it returns how much earlier (0: it was not).
// z looks up the zone before c; keep it apart from the cache of the current times.
func (z *zoneCache) repeatedBy(c int64) int64 {
	before := z.local(c-7200) - (c - 7200)
	now := z.local(c) - c
	if before <= now {
		return 0
	}
	d := before - now
	if z.local(c-d) != z.local(c) {
		return 0
	}
	return d
}

// repeats tells whether the wall clock reading of instant c happens twice (either time).
func (z *zoneCache) repeats(c int64) bool {
	if z.repeatedBy(c) > 0 {
		return true
	}
	after := z.local(c+7200) - (c + 7200)
	now := z.local(c) - c
	return now > after && z.local(c+now-after) == z.local(c)
}

// unreadable tells a time that an order-based reader cannot place (TRIAD.md section 6): its
// wall clock reading repeats, it is the second one, and the first reading is not before the
// previous line's time either (prev: that clock's previous instant, or MinInt64 for none).
func (z *zoneCache) unreadable(c, prev int64) bool {
	d := z.repeatedBy(c)
	return d > 0 && c-d >= prev
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// logw writes one server's debug log and tracks what the log covers.
type logw struct {
	w      *bufio.Writer
	c      io.Closer
	eol    string
	offset int64
	zc     zoneCache
	vendor string
	buf    []byte

	n           int
	first, last int64 // true times of the first and last line
	lastWall    int64
	gaps        [][2]int64 // true times around silences over 6h15m
	silences    [][2]int64 // true times of the line before a start banner and of the banner, unless that line is lmgrd's exit
	lastExit    bool       // the last line written is lmgrd's exit
	before      int64      // the time of the last line of an earlier second than the last line's
	beforeExit  bool       // that line is lmgrd's exit
	hasBefore   bool
	err         error
	dst         zoneCache // for unreadable
	unreadable  int       // lines in a repeated hour that the log's order cannot place
	repeated    int       // lines in a repeated hour
}

const gapLimit = 6*3600 + 15*60

// write writes " H:MM:SS (daemon) text".
func (lw *logw) write(t int64, d daemonKind, text []byte) {
	wall := lw.zc.local(t + lw.offset)
	sod := floorMod(wall, 86400)
	h, mi, s := sod/3600, sod/60%60, sod%60
	b := lw.buf[:0]
	if h < 10 {
		b = append(b, ' ', byte('0'+h))
	} else {
		b = append(b, byte('0'+h/10), byte('0'+h%10))
	}
	b = append(b, ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10), ' ', '(')
	if d == dLmgrd {
		b = append(b, "lmgrd"...)
	} else {
		b = append(b, lw.vendor...)
	}
	b = append(b, ") "...)
	b = append(b, text...)
	b = append(b, lw.eol...)
	lw.buf = b
	if _, err := lw.w.Write(b); err != nil && lw.err == nil {
		lw.err = err
	}
	prev := int64(math.MinInt64)
	if lw.n > 0 {
		prev = lw.last + lw.offset
	}
	if lw.dst.unreadable(t+lw.offset, prev) {
		lw.unreadable++
	}
	if lw.dst.repeats(t + lw.offset) {
		lw.repeated++
	}
	if lw.n > 0 && wall-lw.lastWall > gapLimit {
		lw.gaps = append(lw.gaps, [2]int64{lw.last, t})
	}
	if lw.n == 0 {
		lw.first = t
	}
	if lw.n > 0 && t > lw.last {
		lw.before, lw.beforeExit, lw.hasBefore = lw.last, lw.lastExit, true
	}
	lw.n++
	lw.last, lw.lastWall = t, wall
	lw.lastExit = false
}

// writeFact writes a planned line, noting the silence that a start banner ends.
func (lw *logw) writeFact(t int64, d daemonKind, text []byte, f factKind) {
	lw.write(t, d, text)
	lw.lastExit = f == fExiting
	// a banner's second holds its start-up block: the silence ends at its first line
	if f == fStart && lw.hasBefore && !lw.beforeExit {
		lw.silences = append(lw.silences, [2]int64{lw.before, t})
	}
}

// ---- the renderer ----

type renderer struct {
	m     *model
	pl    *planned
	logs  [3]*logw
	lm    *lmstatw
	usage *usageGen
	snaps []snapRec
	// serving: (time, server) changes of the vendor daemon that serves licenses
	serving []servingChange
}

type servingChange struct {
	t      int64
	server int
}

func (r *renderer) run(open Opener) (err error) {
	m, pl := r.m, r.pl
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			if cerr := c.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
	}()
	create := func(name string) (*bufio.Writer, error) {
		f, err := open(name)
		if err != nil {
			return nil, err
		}
		closers = append(closers, f)
		return bufio.NewWriterSize(f, 64*1024), nil
	}
	// License files.
	for _, name := range fileNames(m, pl) {
		if !strings.HasPrefix(name, "license.dat") {
			continue
		}
		w, err := create(name)
		if err != nil {
			return err
		}
		order := []int{0, 1, 2}
		if name != "license.dat" {
			for i, s := range m.servers {
				if name == "license.dat."+s.name {
					order = orderIndex(m, pl.orders[i])
				}
			}
		}
		w.WriteString(licenseText(m, order))
		if err := w.Flush(); err != nil {
			return err
		}
	}
	for i, s := range m.servers {
		w, err := create(s.name + ".log")
		if err != nil {
			return err
		}
		fl := flavorOf(s.platform, s.ver)
		r.logs[i] = &logw{w: w, eol: fl.eol(), offset: s.offset, zc: zoneCache{loc: m.loc}, dst: zoneCache{loc: m.loc}, vendor: m.vendor}
	}
	if m.lm.on {
		w, err := create("lmstat.log")
		if err != nil {
			return err
		}
		r.lm = newLmstatw(m, w)
	}
	r.usage = newUsage(m)
	r.servingTimeline()
	r.stream()
	for _, lw := range r.logs {
		if ferr := lw.w.Flush(); ferr != nil && lw.err == nil {
			lw.err = ferr
		}
		if lw.err != nil {
			return lw.err
		}
	}
	if r.lm != nil {
		if ferr := r.lm.w.Flush(); ferr != nil {
			return ferr
		}
		if r.lm.err != nil {
			return r.lm.err
		}
	}
	return nil
}

func orderIndex(m *model, names []string) []int {
	var out []int
	for _, n := range names {
		for i, s := range m.servers {
			if strings.EqualFold(s.name, n) {
				out = append(out, i)
			}
		}
	}
	return out
}

// serves is the server whose vendor daemon serves licenses at a true point: the elected master,
// up, claiming master, its vendor daemon running, with quorum.
func serves(p *tpoint) int {
	m := int(p.legit)
	if m < 0 || p.run[m] != rUp || int(p.view[m]) != m || !p.vendor[m] {
		return -1
	}
	up := 0
	for _, r := range p.run {
		if r == rUp {
			up++
		}
	}
	if up < 2 {
		return -1
	}
	return m
}

func (r *renderer) servingTimeline() {
	cur := -1
	for k := range r.pl.points {
		p := &r.pl.points[k]
		if s := serves(p); s != cur {
			r.serving = append(r.serving, servingChange{p.t, s})
			cur = s
		}
	}
}

// stream writes every line in time order. At one second: lmstat runs first (a run sees the
// state before that second), then the servers' fixed lines, then storms, then changes of the
// serving vendor daemon, then usage.
func (r *renderer) stream() {
	m, pl := r.m, r.pl
	var idx [3]int
	stormNext := make([]int64, len(pl.storms))
	for k, st := range pl.storms {
		stormNext[k] = st.from
		if st.from >= st.to {
			stormNext[k] = math.MaxInt64
		}
	}
	si := 0 // next serving change
	var lmNext int64 = math.MaxInt64
	if r.lm != nil {
		lmNext = r.lm.first()
	}
	pointAt := 0 // the true point in effect strictly before the lmstat run
	var ubuf []byte
	emitTo := func(server int, t int64) func([]byte) {
		return func(b []byte) { r.logs[server].write(t, dVendor, b) }
	}
	for {
		// pick the earliest source
		best := int64(math.MaxInt64)
		kind, which := -1, -1
		consider := func(t int64, k, w int) {
			if t < best {
				best, kind, which = t, k, w
			}
		}
		consider(lmNext, 0, 0)
		for i := range idx {
			if idx[i] < len(pl.lines[i]) {
				consider(pl.lines[i][idx[i]].t, 1, i)
			}
		}
		for k, t := range stormNext {
			consider(t, 2, k)
		}
		if si < len(r.serving) {
			consider(r.serving[si].t, 3, si)
		}
		consider(r.usage.nextTime(), 4, 0)
		if kind < 0 || best >= m.end {
			return
		}
		t := best
		switch kind {
		case 0:
			for pointAt+1 < len(pl.points) && pl.points[pointAt+1].t < t {
				pointAt++
			}
			if !r.lm.inGap(t) {
				r.snaps = append(r.snaps, r.lm.snapshot(t, &pl.points[pointAt], r.usage))
			}
			lmNext = r.lm.after(t)
		case 1:
			l := &pl.lines[which][idx[which]]
			idx[which]++
			if l.ins {
				if r.usage.serving == which {
					r.usage.shutdownLines(emitTo(which, t), ubuf)
				}
				continue
			}
			r.logs[which].writeFact(t, l.daemon, []byte(l.text), l.fact)
		case 2:
			st := &pl.storms[which]
			for _, p := range st.peerNames {
				r.logs[st.server].write(t, dLmgrd, []byte("Connection to "+p+" TIMED OUT"))
			}
			stormNext[which] = t + st.every
			if stormNext[which] >= st.to {
				stormNext[which] = math.MaxInt64
			}
		case 3:
			r.usage.serve(r.serving[which].server)
			si++
		case 4:
			ubuf = r.usage.step(t, ubuf[:0])
			if len(ubuf) > 0 {
				r.logs[r.usage.serving].write(t, dVendor, ubuf)
			}
		}
	}
}

// licenseText is the license file with the SERVER lines in the given order.
func licenseText(m *model, order []int) string {
	eol := flavorOf(m.servers[0].platform, m.servers[0].ver).eol()
	var b strings.Builder
	names := make([]string, 3)
	for k, i := range order {
		names[k] = m.servers[i].name
	}
	fmt.Fprintf(&b, "# %s license file for the %s triad (three-server redundancy)%s", m.vendor, strings.Join(names, "/"), eol)
	for k, i := range order {
		s := m.servers[i]
		line := fmt.Sprintf("SERVER %s %s %d", s.name, s.hostid, m.port)
		if k == 0 {
			if m.pim {
				line += " PRIMARY_IS_MASTER"
			}
			if m.sc.HeartbeatInterval != 0 {
				line += fmt.Sprintf(" HEARTBEAT_INTERVAL=%d", m.hb)
			}
		}
		b.WriteString(line + eol)
	}
	b.WriteString("VENDOR " + m.vendor + eol)
	b.WriteString("USE_SERVER" + eol)
	issued := time.Unix(m.start, 0).In(m.loc).AddDate(0, 0, -16)
	for _, f := range m.features {
		fmt.Fprintf(&b, "FEATURE %s %s %s permanent %d ISSUED=%s \\%s", f.Name, m.vendor, f.Version, f.Licenses,
			strings.ToLower(issued.Format("2-Jan-2006")), eol)
		fmt.Fprintf(&b, "\tSIGN=\"%s\"%s", fakeSign(m.sc.Name+"/"+f.Name), eol)
	}
	return b.String()
}

// fakeSign is a made-up signature: 20 groups of 4 hex digits.
func fakeSign(seed string) string {
	var x uint64 = 14695981039346656037
	for i := 0; i < len(seed); i++ {
		x = (x ^ uint64(seed[i])) * 1099511628211
	}
	parts := make([]string, 20)
	for i := range parts {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		parts[i] = fmt.Sprintf("%04X", x&0xffff)
	}
	return strings.Join(parts, " ")
}
