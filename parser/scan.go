package parser

import (
	"strings"
	"time"
)

// Small hand-written scanners: the per-line path uses no regular expressions.

// atoi reads a non-negative decimal number at the start of s; n is the count of digits read.
func atoi[T ~string | ~[]byte](s T) (v, n int) {
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n
}

// signedInt reads an optionally negative number at the start of s.
func signedInt(s string) (v, n int) {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg = true
		s = s[1:]
		n = 1
	}
	v, d := atoi(s)
	if d == 0 {
		return 0, 0
	}
	if neg {
		v = -v
	}
	return v, n + d
}

// clockTime reads H:MM:SS, HH:MM:SS or H:MM at the start of s and returns seconds since
// midnight and the bytes used.
func clockTime[T ~string | ~[]byte](s T) (sec, n int, ok bool) {
	h, d := atoi(s)
	if d == 0 || d > 2 || h > 23 || d >= len(s) || s[d] != ':' {
		return 0, 0, false
	}
	n = d + 1
	m, d := atoi(s[n:])
	if d != 2 || m > 59 {
		return 0, 0, false
	}
	n += d
	sec = h*3600 + m*60
	if n < len(s) && s[n] == ':' {
		x, d := atoi(s[n+1:])
		if d != 2 || x > 60 { // 60: a leap second is still a valid clock reading
			return 0, 0, false
		}
		if x == 60 {
			x = 59
		}
		sec += x
		n += 1 + d
	}
	return sec, n, true
}

// usDate reads M/D/YYYY at the start of s.
func usDate(s string) (y int, m time.Month, d, n int, ok bool) {
	mo, a := atoi(s)
	if a == 0 || a > 2 || a >= len(s) || s[a] != '/' {
		return
	}
	da, b := atoi(s[a+1:])
	if b == 0 || b > 2 || a+1+b >= len(s) || s[a+1+b] != '/' {
		return
	}
	yr, c := atoi(s[a+2+b:])
	if c != 4 || mo < 1 || mo > 12 || da < 1 || da > 31 {
		return
	}
	return yr, time.Month(mo), da, a + 2 + b + c, true
}

var monthNames = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func monthByName(s string) time.Month {
	if len(s) < 3 {
		return 0
	}
	for i, m := range monthNames {
		if strings.EqualFold(s[:3], m) {
			return time.Month(i + 1)
		}
	}
	return 0
}

// longDate reads "Thu Jun 08 2017 09:49:41 EDT" (the weekday is optional; the zone name, if
// any, is returned as written and not interpreted).
func longDate(s string) (y int, m time.Month, d, sec int, zone string, ok bool) {
	f := strings.Fields(s)
	if len(f) > 0 && len(f[0]) == 3 && monthByName(f[0]) == 0 {
		f = f[1:] // weekday
	}
	if len(f) < 4 {
		return
	}
	if m = monthByName(f[0]); m == 0 || len(f[0]) > 9 {
		return
	}
	var n int
	if d, n = atoi(f[1]); n == 0 || n != len(f[1]) || d < 1 || d > 31 {
		return
	}
	if y, n = atoi(f[2]); n != 4 || n != len(f[2]) {
		return
	}
	var ok2 bool
	if sec, n, ok2 = clockTime(f[3]); !ok2 || n != len(f[3]) {
		return
	}
	return y, m, d, sec, strings.Join(f[4:], " "), true
}

// isoTime reads an RFC 3339 / ISO 8601 time at the start of s: YYYY-MM-DDTHH:MM:SS with an
// optional fraction and a zone Z, +hh:mm or +hhmm. n is the bytes used.
func isoTime(s string) (t time.Time, n int, ok bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') {
		return
	}
	n = 19
	for n < len(s) && (s[n] == '.' || (s[n] >= '0' && s[n] <= '9')) {
		n++
	}
	if n < len(s) && (s[n] == 'Z' || s[n] == 'z') {
		n++
	} else if n+5 <= len(s) && (s[n] == '+' || s[n] == '-') {
		if n+6 <= len(s) && s[n+3] == ':' {
			n += 6
		} else {
			n += 5
		}
	} else {
		return
	}
	v := s[:n]
	layout := time.RFC3339Nano
	if last := v[len(v)-5:]; last[0] == '+' || last[0] == '-' {
		layout = "2006-01-02T15:04:05.999999999-0700"
	}
	t, err := time.Parse(layout, strings.Replace(strings.Replace(v, "t", "T", 1), "z", "Z", 1))
	if err != nil {
		return time.Time{}, 0, false
	}
	return t, n, true
}

// errCode finds a FlexLM error code "(major,minor...)" at the end of s, as in
// "Cannot connect to license server system. (-15,570:115 "Operation now in progress")".
func errCode(s string) (c Code, ok bool) {
	for i := strings.LastIndex(s, "(-"); i >= 0; i = strings.LastIndex(s[:i], "(-") {
		maj, n := signedInt(s[i+1:])
		if n == 0 || i+1+n >= len(s) || s[i+1+n] != ',' {
			continue
		}
		mino, m := atoi(s[i+2+n:])
		if m == 0 {
			continue
		}
		return Code{Major: maj, Minor: mino}, true
	}
	return Code{}, false
}

// Code is a FlexLM error code as printed in parentheses: (major,minor).
type Code struct {
	Major int `json:"major"`
	Minor int `json:"minor"`
}
