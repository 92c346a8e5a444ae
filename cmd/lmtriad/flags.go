package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// The flags the commands share: every command that reads incidents embeds inputFlags; the
// ones that analyse one incident embed incidentFlags; the ones that write a report for people
// embed reportFlags.

// inputFlags say how to read and analyse an incident.
type inputFlags struct {
	TZ          string        `name:"tz" placeholder:"ZONE" help:"IANA zone the servers' clocks were in, e.g. Asia/Tokyo (default: the zone the inputs' lines tell, else this machine's)."`
	RejoinGrace time.Duration `name:"rejoin-grace" default:"5m" help:"How long a returning server may take to rejoin before it is a failed rejoin."`
	Encoding    string        `placeholder:"NAME" help:"Read every input in this encoding (utf-8, utf-16le, utf-16be, shift_jis) instead of detecting it."`
	MaxBytes    int64         `name:"max-bytes" default:"4294967296" placeholder:"N" help:"Stop reading archives (and standard input) after N bytes in all (against zip bombs)."`
}

func (f *inputFlags) check() error {
	switch {
	case f.RejoinGrace <= 0:
		return usageError("--rejoin-grace must be positive")
	case f.MaxBytes <= 0:
		return usageError("--max-bytes must be positive")
	}
	if f.Encoding != "" {
		if err := parser.CheckEncoding(f.Encoding); err != nil {
			return usageError("--encoding: %v", err)
		}
	}
	return nil
}

// incidentFlags are for the commands that analyse one incident.
type incidentFlags struct {
	Server map[string]string `name:"server" placeholder:"NAME=FILE" help:"Say which server wrote a debug log whose banner does not tell (repeatable)."`
	Skew   map[string]string `name:"skew" placeholder:"NAME=DURATION" help:"A server's clock offset against the reference clock (its clock minus the reference, e.g. server2=+150s; lmstat=... for the host that ran lmstat)."`
	Since  string            `placeholder:"TIME" help:"Report from this time on (RFC 3339, or YYYY-MM-DD HH:MM[:SS] in the servers' zone). All evidence is still read."`
	Until  string            `placeholder:"TIME" help:"Report up to this time."`
	Around string            `placeholder:"TIME[/WINDOW]" help:"Report around a moment: TIME with WINDOW (default 1h) either side, e.g. '2010-12-01 12:58/30m'."`
	At     string            `placeholder:"TIME" help:"When lmstat output pasted without its 'Flexible License Manager status on' header was taken (RFC 3339, or YYYY-MM-DD HH:MM[:SS] in the servers' zone); without it, the state it shows is reported at an unknown time."`

	end time.Time // where the evidence ends (check: now); not a flag
}

// maxGivenSkew bounds --skew: far enough for any clock, near enough that no time overflows.
const maxGivenSkew = 24 * time.Hour

// skews reads --skew.
func (f *incidentFlags) skews() (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for name, v := range f.Skew {
		d, err := time.ParseDuration(strings.TrimPrefix(v, "+"))
		if err != nil {
			return nil, usageError("--skew %s=%s: not a duration (use e.g. +150s, -40s, 2m)", name, v)
		}
		if d > maxGivenSkew || d < -maxGivenSkew {
			return nil, usageError("--skew %s=%s: a clock more than %s off is a wrong date, not a skew; give at most %s either way", name, v, maxGivenSkew, maxGivenSkew)
		}
		out[name] = d
	}
	return out, nil
}

// window reads --since, --until and --around, in the servers' zone.
func (f *incidentFlags) window(loc *time.Location) (since, until time.Time, err error) {
	if f.Around != "" {
		if f.Since != "" || f.Until != "" {
			return since, until, usageError("--around goes alone, without --since or --until")
		}
		at, span, _ := strings.Cut(f.Around, "/")
		t, err := parseWhen(at, loc)
		if err != nil {
			return since, until, usageError("--around %s: %v", f.Around, err)
		}
		w := time.Hour
		if span != "" {
			if w, err = time.ParseDuration(span); err != nil || w <= 0 {
				return since, until, usageError("--around %s: the window after / is a duration such as 30m or 2h", f.Around)
			}
		}
		return t.Add(-w), t.Add(w), nil
	}
	if f.Since != "" {
		if since, err = parseWhen(f.Since, loc); err != nil {
			return since, until, usageError("--since %s: %v", f.Since, err)
		}
	}
	if f.Until != "" {
		if until, err = parseWhen(f.Until, loc); err != nil {
			return since, until, usageError("--until %s: %v", f.Until, err)
		}
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		return since, until, usageError("--since must come before --until")
	}
	return since, until, nil
}

// at reads --at, in the servers' zone: zero when it is not given.
func (f *incidentFlags) at(loc *time.Location) (time.Time, error) {
	if f.At == "" {
		return time.Time{}, nil
	}
	t, err := parseWhen(f.At, loc)
	if err != nil {
		return t, usageError("--at %s: %v", f.At, err)
	}
	return t, nil
}

func parseWhen(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time (use RFC 3339 or YYYY-MM-DD HH:MM[:SS])")
}

// reportFlags say how a report for people is written.
type reportFlags struct {
	Output string `short:"o" placeholder:"FILE" help:"Write the report to FILE (replaced whole, never an input file) instead of standard output; - is standard output."`
	Color  string `enum:"auto,always,never" default:"auto" help:"Colour: ${enum} (auto: only on a terminal, and not with NO_COLOR)."`
	Lang   string `enum:"en,ja" default:"${lang}" help:"Language of the text, Markdown and HTML reports: ${enum} (default from LC_ALL or LANG: ${default}). JSON and CSV stay in English."`
	Width  int    `placeholder:"N" help:"Fold the text report to N columns (default: COLUMNS, else the terminal's width, else 100; at least 60). Quoted evidence lines are not folded."`
}

// width is the text report's width for output to stdout (toStdout) or a file.
func (f *reportFlags) width(e *env, toStdout bool) int {
	return textWidth(f.Width, e.getenv, func() (int, bool) {
		if fh, ok := e.stdout.(*os.File); ok && toStdout {
			return terminalWidth(fh)
		}
		return 0, false
	})
}

// colour decides whether a text report is coloured: --color always, or auto on a terminal
// without NO_COLOR and not TERM=dumb (gojq's rule).
func (f *reportFlags) colour(e *env, toStdout bool) bool {
	return f.Color == "always" || (f.Color == "auto" && toStdout && e.isTTY &&
		e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb")
}

// plural is "1 file", "2 files".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
