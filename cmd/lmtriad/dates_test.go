package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDateExtremes: an incident whose evidence spans the whole plausible range, from 1988-01-01
// (the first FLEXlm) to nearly a day after this machine's clock, with dates beyond it in each
// kind of file (a restart's banner of 12/31/9999, a TIMESTAMP of 1970, an lmstat run of 9999),
// analysed end to end (issue 8, item 6). Only the dates beyond the range are refused, each
// named; every interval's seconds are its end minus its start, and no duration printed in any
// format is longer than the evidence: none is time.Duration's ceiling (2562047h47m16s,
// 9223372037 s).
func TestDateExtremes(t *testing.T) {
	dir := t.TempDir()
	// The newest lines are up to 23 hours after the clock the command reads (Options.Now is
	// taken after this, so it is at least as late).
	t0 := time.Now().UTC().Add(22 * time.Hour).Truncate(time.Second)
	var last time.Time
	logLines := func(host string, peers ...string) []string {
		var ls []string
		at := t0
		line := func(format string, a ...any) {
			ls = append(ls, fmt.Sprintf("%2d:%02d:%02d (lmgrd) ", at.Hour(), at.Minute(), at.Second())+fmt.Sprintf(format, a...))
			if at.After(last) {
				last = at
			}
			at = at.Add(5 * time.Second)
		}
		line("FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on %s (IBM PC) (%d/%d/%d)", host, t0.Month(), t0.Day(), t0.Year())
		for _, p := range peers {
			line("Trying connection to %s", p)
		}
		for _, p := range peers {
			line("Connected to %s", p)
		}
		line("CONNECTED, master is s1")
		line("Started bm (internet tcp_port 27010 pid 4242)")
		return ls
	}
	s1 := append([]string{
		" 0:00:00 (lmgrd) FLEXnet Licensing (v1.0 build 1 sun4) started on s1 (sun4) (1/1/1988)",
		" 0:00:01 (lmgrd) Started bm (internet tcp_port 27010 pid 100)",
	}, logLines("s1", "s2", "s3")...)
	s2 := append(logLines("s2", "s1", "s3"), fmt.Sprintf("%2d:%02d:%02d (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on s2 (IBM PC) (12/31/9999)",
		last.Hour(), last.Minute(), last.Second()))
	s3 := append([]string{fmt.Sprintf("%2d:%02d:%02d (lmgrd) TIMESTAMP 1/1/1970", t0.Hour(), t0.Minute(), t0.Second())}, logLines("s3", "s1", "s2")...)
	lmstat := func(header string) string {
		return "lmutil - Copyright (c) 1989-2016 Flexera Software LLC. All Rights Reserved.\n" +
			"Flexible License Manager status on " + header + "\n\n" +
			"License server status: 27000@s1,27000@s2,27000@s3\n" +
			"    License file(s) on s1: /opt/flexlm/license.dat:\n\n" +
			"        s1: license server UP (MASTER) v10.8\n        s2: license server UP v10.8\n        s3: license server UP v10.8\n\n" +
			"Vendor daemon status (on s1):\n\n      bm: UP v10.8\n\n"
	}
	tl := last.Add(time.Minute)
	files := map[string]string{
		"license.dat": "SERVER s1 0000000001 27000\nSERVER s2 0000000002 27000\nSERVER s3 0000000003 27000\nVENDOR bm\nUSE_SERVER\n",
		"s1.log":      strings.Join(s1, "\n") + "\n",
		"s2.log":      strings.Join(s2, "\n") + "\n",
		"s3.log":      strings.Join(s3, "\n") + "\n",
		"lmstat.log":  lmstat(tl.Format("Mon 1/2/2006 15:04")) + lmstat("Fri 12/31/9999 23:59"),
	}
	last = tl.Truncate(time.Minute).Add(59 * time.Second)
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first := time.Date(1988, 1, 1, 0, 0, 0, 0, time.UTC)
	span := last.Sub(first)

	outputs := map[string]string{}
	for _, format := range []string{"text", "json", "csv", "markdown", "html"} {
		var out, errb bytes.Buffer
		code := run([]string{"analyze", "--tz", "UTC", "--color", "never", "--format", format, dir}, &out, &errb, func(string) string { return "" })
		if code == exitError {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		var refused []string
		for _, l := range strings.Split(errb.String(), "\n") {
			if at, _, ok := strings.Cut(l, " date "); ok && strings.Contains(l, "not trusted") {
				refused = append(refused, strings.TrimPrefix(at, "lmtriad: warning: "+dir+string(filepath.Separator)))
			}
		}
		if got, want := strings.Join(refused, " "), "lmstat.log:16: s2.log:8: s3.log:1:"; got != want {
			t.Errorf("%s: dates refused at %q, want %q; stderr:\n%s", format, got, want, errb.String())
		}
		outputs[format] = out.String()
		for _, bad := range []string{"2562047h", "9223372036", "9223372037", "9.223372036854776e+09", "2303-"} {
			if strings.Contains(out.String(), bad) {
				t.Errorf("%s output holds %q (a saturated duration)", format, bad)
			}
		}
	}

	// JSON: every interval's seconds are its end minus its start; together they cover the span.
	var rep struct {
		Intervals []struct {
			Start, End string
			Seconds    float64
		}
	}
	if err := json.Unmarshal([]byte(outputs["json"]), &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	if len(rep.Intervals) == 0 {
		t.Fatal("no intervals")
	}
	var sum float64
	for _, iv := range rep.Intervals {
		s, e := parseTime(t, iv.Start), parseTime(t, iv.End)
		if want := e.Sub(s).Seconds(); iv.Seconds != want {
			t.Errorf("interval %s to %s: seconds %v, want %v", iv.Start, iv.End, iv.Seconds, want)
		}
		sum += iv.Seconds
	}
	if s := parseTime(t, rep.Intervals[0].Start); !s.Equal(first) {
		t.Errorf("first interval starts %v, want %v", s, first)
	}
	if e := parseTime(t, rep.Intervals[len(rep.Intervals)-1].End); e.Before(last.Add(-time.Minute)) || e.After(last.Add(time.Hour)) {
		t.Errorf("last interval ends %v, want about %v", e, last)
	}
	if sum < span.Seconds()-60 || sum > span.Seconds()+3600 {
		t.Errorf("intervals last %v s in all, want about %v s", sum, span.Seconds())
	}

	// Text: each row of the interval table prints END minus START as its DURATION (in the
	// compact table, the next row's start or the end row); every duration printed anywhere is
	// at most the span of the evidence.
	rows := intervalRows(t, outputs["text"])
	for _, r := range rows {
		if want := hms(r.end.Sub(r.start)); r.duration != want {
			t.Errorf("row %s to %s: duration %s, want %s", r.start, r.end, r.duration, want)
		}
	}
	if len(rows) != len(rep.Intervals) {
		t.Errorf("%d interval rows in the text report, %d intervals in the JSON one", len(rows), len(rep.Intervals))
	}
	for format, out := range outputs {
		for _, d := range printedDurations(out) {
			if d > span+time.Hour {
				t.Errorf("%s: duration %v printed, longer than the evidence (%v)", format, d, span)
			}
		}
	}
}

type intervalRow struct {
	start, end time.Time
	duration   string
}

var (
	dayRow  = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) \(UTC([+-]\d{2}:\d{2})\)$`)
	timeRow = regexp.MustCompile(`^(\d{2}:\d{2}:\d{2})  +(\S+)`)
)

// intervalRows reads the interval table of a text report, the wide one (a row per interval,
// start and end in full) or the compact one (times of day under a row naming the date and
// the UTC offset; an interval ends where the next starts, or at an end row).
func intervalRows(t *testing.T, text string) []intervalRow {
	t.Helper()
	var rows []intervalRow
	day, open := "", -1 // open: the row that waits for its end
	for _, l := range strings.Split(text, "\n") {
		if cells := strings.Split(l, "|"); len(cells) >= 5 {
			s, err1 := time.Parse(time.RFC3339, strings.TrimSpace(cells[1]))
			e, err2 := time.Parse(time.RFC3339, strings.TrimSpace(cells[2]))
			if err1 == nil && err2 == nil {
				rows = append(rows, intervalRow{s, e, strings.TrimSpace(cells[3])})
			}
			continue
		}
		if m := dayRow.FindStringSubmatch(l); m != nil {
			day = m[1] + "T%s" + m[2]
			continue
		}
		m := timeRow.FindStringSubmatch(l)
		if m == nil || day == "" {
			continue
		}
		at := parseTime(t, fmt.Sprintf(day, m[1]))
		if open >= 0 {
			rows[open].end = at
			open = -1
		}
		if m[2] != "(end)" {
			rows = append(rows, intervalRow{start: at, duration: m[2]})
			open = len(rows) - 1
		}
	}
	return rows
}

func parseTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad time %q: %v", s, err)
	}
	return v
}

// hms prints a duration as the reports do: 1h13m52s, 5m00s, 45s.
func hms(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s >= 3600:
		return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
	case s >= 60:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%ds", s)
}

var hoursRE = regexp.MustCompile(`\b(\d+)h(\d+)m(\d+)s|\b(\d+)h(\d+)m\b|\b(\d+)h(\d+)s|\b(\d+)h\b`)

// printedDurations finds the durations of an hour or more in a report: 123h04m05s, 5h3m, 2h.
func printedDurations(s string) []time.Duration {
	var out []time.Duration
	for _, m := range hoursRE.FindAllStringSubmatch(s, -1) {
		var h, min, sec int64
		switch {
		case m[1] != "":
			h, min, sec = num(m[1]), num(m[2]), num(m[3])
		case m[4] != "":
			h, min = num(m[4]), num(m[5])
		case m[6] != "":
			h, sec = num(m[6]), num(m[7])
		default:
			h = num(m[8])
		}
		out = append(out, time.Duration(h)*time.Hour+time.Duration(min)*time.Minute+time.Duration(sec)*time.Second)
	}
	return out
}

func num(s string) int64 {
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}
