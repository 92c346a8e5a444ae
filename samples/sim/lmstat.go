package sim

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// lmstat output: one run of `lmutil lmstat -a -c port@h1,port@h2,port@h3` every interval,
// appended to one file (FORMATS.md 2.1-2.7).

// Server answers as lmstat sees them.
const (
	ansDown   int8 = iota // -96 or -15
	ansUp                 // license server UP
	ansNoMaj              // -20 no majority: isolated (lmgrd runs outside every quorum)
	ansNoRead             // -16: accepts connections, does not answer
)

// snapRec is what one snapshot shows, placed where the analyzer places it.
type snapRec struct {
	run        int64 // true time of the run
	place      int64 // true time the analyzer places it at: the end of its printed minute, or the stamp
	since      int64 // the earliest the run may have been, by what the snapshot says
	exact      bool
	ans        [3]int8
	mark       [3]bool
	notRunning bool
}

type lmstatw struct {
	m   *model
	fl  flavor
	w   *bufio.Writer
	eol string
	zc  zoneCache
	b   []byte
	err error
	// snapshots in a repeated hour that the file's order cannot place (without stamps)
	dst        zoneCache
	unreadable int
	repeated   int   // snapshots (without stamps) whose printed minute repeats
	prev       int64 // the previous snapshot's placement on the lmstat clock
}

func newLmstatw(m *model, w *bufio.Writer) *lmstatw {
	fl := flavorOf(m.lm.platform, m.lm.ver)
	return &lmstatw{m: m, fl: fl, w: w, eol: fl.eol(), zc: zoneCache{loc: m.loc}, dst: zoneCache{loc: m.loc}, prev: math.MinInt64}
}

// align moves t to the next run time: at m.lm.second of each interval of the collecting
// host's wall clock.
func (l *lmstatw) align(t int64) int64 {
	local := l.zc.local(t + l.m.lm.offset)
	if d := floorMod(local-l.m.lm.second, l.m.lm.interval); d != 0 {
		t += l.m.lm.interval - d
	}
	return t
}

func (l *lmstatw) first() int64 { return l.next(l.align(l.m.lm.start)) }

func (l *lmstatw) after(t int64) int64 { return l.next(l.align(t + l.m.lm.interval)) }

func (l *lmstatw) next(t int64) int64 {
	if t >= l.m.lm.end {
		return 1<<63 - 1
	}
	return t
}

// inGap tells a run that did not happen: collection had stopped (lmstat.gaps).
func (l *lmstatw) inGap(t int64) bool {
	for _, g := range l.m.lm.gaps {
		if t >= g[0] && t < g[1] {
			return true
		}
	}
	return false
}

func (l *lmstatw) line(s string) {
	l.b = append(l.b, s...)
	l.b = append(l.b, l.eol...)
}

// snapshot writes the run at true time t, showing the state p (the state before t) and the
// serving vendor daemon's checkouts.
func (l *lmstatw) snapshot(t int64, p *tpoint, u *usageGen) snapRec {
	m := l.m
	wall := time.Unix(t+m.lm.offset, 0).In(m.loc)
	rec := snapRec{run: t}
	if m.lm.stamps {
		rec.place, rec.since, rec.exact = t, t, true
	} else {
		// the end of the printed minute; in the hour that repeats when daylight saving time
		// ends, the one the file's order shows (snapshots are appended in time order)
		c := (t+m.lm.offset)/60*60 + 59
		if l.dst.unreadable(c, l.prev) {
			l.unreadable++
		}
		if l.dst.repeats(c) {
			l.repeated++
		}
		l.prev = c
		place := c - m.lm.offset
		rec.place, rec.since = place, place-59
	}
	l.b = l.b[:0]
	if m.lm.stamps {
		l.line("# " + wall.Format(time.RFC3339))
	}
	l.line(l.fl.lmstatCopyright())
	l.line(lmstatHeader(wall))
	l.line("")
	if l.fl.windows {
		l.line("[Detecting lmgrd processes...]")
	}
	var list []string
	for _, s := range m.servers {
		list = append(list, strconv.Itoa(m.port)+"@"+s.name)
	}
	l.line("License server status: " + strings.Join(list, ","))
	// what each server answers
	firstUp, lastMark := -1, -1
	anyAnswer := false
	for i := range m.servers {
		switch p.run[i] {
		case rDown:
			rec.ans[i] = ansDown
		case rJoining, rHung:
			rec.ans[i] = ansNoRead
			if p.noq[i] {
				rec.ans[i] = ansNoMaj // isolated, connected again, not yet joined: still no majority
			}
			anyAnswer = true
		case rUp:
			anyAnswer = true
			if p.noq[i] {
				rec.ans[i] = ansNoMaj
				break
			}
			rec.ans[i] = ansUp
			if firstUp < 0 {
				firstUp = i
			}
			if int(p.view[i]) == i {
				rec.mark[i] = true
				lastMark = i
			}
		}
	}
	on := firstUp
	if on < 0 {
		on = 0
	}
	l.line("    License file(s) on " + m.servers[on].name + ": " + m.servers[on].licPath + ":")
	l.line("")
	if !anyAnswer {
		rec.notRunning = true
		l.line("lmgrd is not running: " + l.fl.downText(p.down[0]))
		l.line("")
		l.flush()
		return rec
	}
	ver := flavorOf(m.servers[0].platform, m.servers[0].ver)
	for i, s := range m.servers {
		sv := flavorOf(s.platform, s.ver)
		var text string
		switch rec.ans[i] {
		case ansDown:
			text = ver.downText(p.down[i])
		case ansNoRead:
			text = textNoRead
		case ansNoMaj:
			text = textNoMajority
		case ansUp:
			text = "license server UP"
			if rec.mark[i] {
				text += " (MASTER)"
			}
			text += " " + sv.short()
		}
		l.line(fmt.Sprintf("%10s: %s", s.name, text))
	}
	l.line("")
	vendorOn, vendorUp := firstUp, false
	if lastMark >= 0 {
		vendorOn = lastMark
		vendorUp = p.vendor[lastMark]
	}
	if vendorOn < 0 {
		for i := range m.servers {
			if rec.ans[i] != ansDown {
				vendorOn = i
				break
			}
		}
	}
	l.line("Vendor daemon status (on " + m.servers[vendorOn].name + "):")
	l.line("")
	serving := vendorUp && u.serving >= 0
	if vendorUp {
		l.line(fmt.Sprintf("%10.10s: UP %s", m.vendor, flavorOf(m.servers[vendorOn].platform, m.servers[vendorOn].ver).short()))
	} else {
		l.line(fmt.Sprintf("%10.10s: %s", m.vendor, textVendorDown))
	}
	l.line("")
	l.line("Feature usage info:")
	l.line("")
	if !vendorUp {
		for _, f := range m.features {
			l.line("Users of " + f.Name + ": Cannot get users of " + f.Name + ": " + textVendorDown)
		}
		l.line("")
		l.flush()
		return rec
	}
	for fi, f := range m.features {
		used := 0
		var active []*checkout
		if serving {
			used = u.used[fi]
			active = u.active[fi]
		}
		l.line(fmt.Sprintf("Users of %s:  (Total of %d %s issued;  Total of %d %s in use)", f.Name, f.Licenses, plural(f.Licenses), used, plural(used)))
		l.line("")
		if len(active) == 0 {
			continue
		}
		l.line(`  "` + f.Name + `" v` + f.Version + ", vendor: " + m.vendor)
		l.line("  floating license")
		l.line("")
		master := m.servers[u.serving]
		mclock := zoneCache{loc: m.loc}
		for _, c := range active {
			usr := u.users[c.user]
			st := time.Unix(mclock.local(c.start+master.offset), 0).UTC()
			b := l.b
			b = append(b, "    "...)
			b = append(b, usr[0]...)
			b = append(b, ' ')
			b = append(b, usr[1]...)
			b = append(b, ' ')
			b = append(b, usr[1]...)
			b = append(b, " (v"...)
			b = append(b, f.Version...)
			b = append(b, ") ("...)
			b = append(b, master.name...)
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(m.port), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(c.handle), 10)
			b = append(b, "), start "...)
			b = append(b, st.Format("Mon")...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(st.Month()), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(st.Day()), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(st.Hour()), 10)
			b = append(b, ':', byte('0'+st.Minute()/10), byte('0'+st.Minute()%10))
			if c.count > 1 {
				b = append(b, ", "...)
				b = strconv.AppendInt(b, int64(c.count), 10)
				b = append(b, " licenses"...)
			}
			l.b = append(b, l.eol...)
		}
		l.line("")
	}
	l.flush()
	return rec
}

func plural(n int) string {
	if n == 1 {
		return "license"
	}
	return "licenses"
}

func (l *lmstatw) flush() {
	if _, err := l.w.Write(l.b); err != nil && l.err == nil {
		l.err = err
	}
}
