package parser

import (
	"bytes"
	"strings"
	"time"
)

// Stop is the output of lmutil lmdown captured in an lmstat file (FORMATS.md 2.2): an
// administrator stopped the license servers it lists on purpose (TRIAD.md section 2).
//
//	lmdown - Copyright (c) 1989-2003 by Macrovision Corporation. All rights reserved.
//
//	   Port@Host            Vendors
//	1) 2837@flexlm_one,2937@flexlm_two,3037@flexlm_three demo
//	    2 FLEXlm License Servers shut down
//	    Please wait 1 minute for lmgrd processes to shutdown
//
// It is placed by a stamp line directly before it (Time), else between the runs around it
// (Prev, Next).
type Stop struct {
	Line  int       // its first line: the copyright line when it has one
	At    int       // the line that says the servers shut down
	Text  string    // that line, as written
	Count int       // how many servers that line says were shut down
	Hosts []string  // the hosts of the Port@Host lists it printed, in order (none with lmdown -q)
	Time  time.Time // the time of a stamp line directly before it; zero when none
	Prev  time.Time // the time of the run before it in the file; zero when none
	Next  time.Time // the time of the run after it; zero when none
}

// lmdownKind is a line of lmdown's output.
type lmdownKind uint8

const (
	ldNone      lmdownKind = iota
	ldCopyright            // lmdown - Copyright (c) ...
	ldPortHost             // the heading of the server list: "Port@Host            Vendors"
	ldList                 // a server list: "1) 2837@flexlm_one,2937@flexlm_two demo" (only after the heading)
	ldShutDown             // "2 FLEXlm License Servers shut down", "1 FlexNet License Server shut down"
	ldWait                 // "Please wait 1 minute for lmgrd processes to shutdown"
	ldFailed               // "Shutdown failed: <error>": nothing was stopped
)

// lmdownLine tells a line of lmdown's output that can stand on its own (a server list line
// is one only after the list's heading: see isLmdownList).
func lmdownLine(t []byte) lmdownKind {
	switch {
	case len(t) == 0 || t[0] != 'l' && t[0] != 'P' && t[0] != 'S' && !isDigit(t[0]):
		return ldNone // what follows starts with one of those (a look at the first byte rules most lines out)
	case bytes.HasPrefix(t, []byte("lmdown")) && bytes.Contains(t, []byte(" - Copyright")):
		return ldCopyright
	case bytes.HasPrefix(t, []byte("Port@Host")) && bytes.Contains(t, []byte("Vendors")):
		return ldPortHost
	case bytes.HasPrefix(t, []byte("Please wait ")) && bytes.Contains(t, []byte(" for lmgrd processes to shut")):
		return ldWait
	case bytes.HasPrefix(t, []byte("Shutdown failed: ")):
		return ldFailed
	case t[0] >= '0' && t[0] <= '9' && bytes.HasSuffix(t, []byte(" shut down")) &&
		(bytes.Contains(t, []byte(" License Server")) || bytes.Contains(t, []byte(" license server"))):
		if _, n := atoi(string(t)); n > 0 && n < len(t) && t[n] == ' ' {
			return ldShutDown
		}
	}
	return ldNone
}

// isLmdownList tells a line of lmdown's server list: "1) 2837@flexlm_one,2937@flexlm_two demo".
func isLmdownList(t []byte) bool {
	_, n := atoi(string(t))
	return n > 0 && n+1 < len(t) && t[n] == ')' && t[n+1] == ' ' && bytes.IndexByte(t, '@') > n
}

// lmdown reads line n of lmdown's output (kind k; ldNone for a server list line); prev is the
// line before it that was not blank. The output of lmdown ends the run before it; the line
// that says the servers shut down makes the Stop.
func (st *lmstatState) lmdown(n, prev int, k lmdownKind, t []byte) bool {
	f := st.f
	if st.sec != secLmdown || (st.down == nil && k != ldWait) {
		// lmdown's output begins. lmutil lmdown prints lmutil's copyright line, as lmstat does:
		// when it comes just before, it is lmdown's.
		st.end()
		start := n
		if k != ldCopyright && prev > 0 && prev == st.copyAt {
			start = prev
		}
		d := &Stop{Line: start}
		if len(f.Runs) > 0 {
			d.Prev = f.Runs[len(f.Runs)-1].Time
		}
		if !st.stamp.IsZero() && st.stampAt < start && st.stampAt >= start-3 {
			d.Time = st.stamp
			st.stamp = time.Time{}
		}
		st.down, st.sec = d, secLmdown
	}
	d := st.down
	switch k {
	case ldNone: // a server list line
		_, n := atoi(string(t))
		fields := strings.Fields(string(t[n+1:]))
		if len(fields) > 0 {
			for _, pa := range strings.Split(fields[0], ",") {
				if i := strings.IndexByte(pa, '@'); i >= 0 {
					pa = pa[i+1:]
				}
				if pa = strings.TrimSpace(pa); pa != "" {
					d.Hosts = append(d.Hosts, st.intern(pa))
				}
			}
		}
	case ldShutDown:
		d.At, d.Text = n, string(t)
		d.Count, _ = atoi(d.Text)
		f.Stops = append(f.Stops, *d)
		st.waiting = append(st.waiting, len(f.Stops)-1)
		st.down = nil // what follows ("Please wait ...") is still lmdown's
	case ldFailed:
		st.down = nil // nothing was stopped
	}
	return true
}
