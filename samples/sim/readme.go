package sim

import (
	"fmt"
	"strings"
	"time"
)

// Readme is the README.md of a rendered sample: what the scenario is, its story, the files,
// and the states truth.json expects from each set of evidence.
func Readme(sc Scenario, tr Truth) string {
	var b strings.Builder
	title := sc.Title
	if title == "" {
		title = sc.Name
	}
	fmt.Fprintf(&b, "# Simulated incident: %s\n\n", title)
	fmt.Fprintf(&b, "These files are **synthetic**: the incident simulator (`samples/sim`, `lmtriad simulate`) rendered them\n")
	fmt.Fprintf(&b, "from the scenario `%s`", sc.Name)
	if sc.IsSample() {
		fmt.Fprintf(&b, " (bundled samples: `samples/scenarios/%s.json`, rendered by `go generate ./samples/...`;\ndo not edit these files by hand)", sc.Name)
	}
	b.WriteString(". Every line uses a format quoted in `FORMATS.md`; `truth.json` holds\nwhat really happened and what each set of evidence can show of it.\n\n")
	if sc.Description != "" {
		b.WriteString(wrap(sc.Description, 100) + "\n\n")
	}
	loc, _ := time.LoadLocation(tr.Timezone)
	fmt.Fprintf(&b, "Times are in %s (run lmtriad with `--tz %s`).\nThe incident runs from %s to %s.\n\n",
		tr.Timezone, tr.Timezone, tr.Start.Format(time.RFC3339), tr.End.Format(time.RFC3339))
	b.WriteString("```sh\n")
	fmt.Fprintf(&b, "go run ./cmd/lmtriad analyze --tz %s samples/%s\n", tr.Timezone, sc.SampleDir())
	b.WriteString("```\n\n")

	b.WriteString("## The triad\n\n")
	b.WriteString("| server | role | platform | FlexLM | clock | log |\n|---|---|---|---|---|---|\n")
	for _, s := range tr.Servers {
		fmt.Fprintf(&b, "| %s | %s | %s | v%s | %s | `%s`, %d lines |\n", s.Name, s.Role, s.Platform, s.Version, offsetText(s.OffsetSeconds), s.Log, s.Lines)
	}
	b.WriteString("\n")
	pim := "not set"
	if tr.PrimaryIsMaster {
		pim = "set"
	}
	fmt.Fprintf(&b, "`PRIMARY_IS_MASTER` %s; heartbeat timeout %ds; rejoin grace %s.\n", pim, tr.HeartbeatTimeoutSeconds, formatDuration(time.Duration(tr.RejoinGraceSeconds)*time.Second))
	if l := tr.Lmstat; l != nil {
		stamps := "no stamp lines (each snapshot is placed at the end of its printed minute)"
		if l.Stamps {
			stamps = "a stamp line before each run (exact times)"
		}
		fmt.Fprintf(&b, "`lmstat.log`: %d snapshots, one every %s at second %d of the collecting host's clock (%s), %s.\n",
			l.Snapshots, formatDuration(time.Duration(l.IntervalSeconds)*time.Second), l.Second, offsetText(l.OffsetSeconds), stamps)
		for _, g := range l.Gaps {
			fmt.Fprintf(&b, "Collection stopped from %s to %s: no snapshot in between.\n", g.Start.In(loc).Format("2006-01-02 15:04:05"), g.End.In(loc).Format("2006-01-02 15:04:05"))
		}
	} else {
		b.WriteString("No lmstat output was collected.\n")
	}
	for _, f := range tr.Files {
		if strings.HasPrefix(f, "license.dat.") {
			fmt.Fprintf(&b, "`%s` is %s's own license file, with its SERVER lines in another order.\n", f, strings.TrimPrefix(f, "license.dat."))
		}
	}
	b.WriteString("\n## What happened\n\n")
	b.WriteString("| time | server | what |\n|---|---|---|\n")
	for _, n := range tr.Story {
		srv := n.Server
		if srv == "" {
			srv = "-"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", n.At.In(loc).Format("2006-01-02 15:04:05"), srv, n.What)
	}
	writePartitions(&b, tr, loc)
	b.WriteString("\n## True states\n\n")
	writeIntervals(&b, tr.True.Intervals, loc, tr.serverNames())
	b.WriteString("\n## What each set of evidence can show\n\n")
	b.WriteString("Each boundary is at the first moment that evidence shows the change (TRIAD.md section 4; the rules are\n")
	b.WriteString("in `samples/sim/doc.go`). lmtriad should find these states:\n\n")
	for _, ev := range []struct {
		name string
		o    *Observed
	}{{"all files", tr.Observed.Both}, {"lmstat and license file only", tr.Observed.Lmstat}, {"debug logs and license file only", tr.Observed.Logs}} {
		if ev.o == nil {
			continue
		}
		fmt.Fprintf(&b, "- **%s** (times on %s's clock): %s\n", ev.name, ev.o.Reference, strings.Join(ev.o.States, ", "))
	}
	b.WriteString("\nWith all files:\n\n")
	writeIntervals(&b, tr.Observed.Both.Intervals, loc, tr.serverNames())
	return b.String()
}

func writeIntervals(b *strings.Builder, ivs []Interval, loc *time.Location, names []string) {
	b.WriteString("| start | end | state | masters | not up |\n|---|---|---|---|---|\n")
	for _, iv := range ivs {
		var notUp []string
		for _, name := range names {
			if st := iv.Servers[name]; st != "up" {
				notUp = append(notUp, name+" "+st)
			}
		}
		masters := strings.Join(iv.Masters, ", ")
		if masters == "" {
			masters = "-"
		}
		nu := strings.Join(notUp, ", ")
		if nu == "" {
			nu = "-"
		}
		fmt.Fprintf(b, "| %s | %s | `%s` | %s | %s |\n", iv.Start.In(loc).Format("2006-01-02 15:04:05"), iv.End.In(loc).Format("15:04:05"), iv.State, masters, nu)
	}
}

func (tr Truth) serverNames() []string {
	var out []string
	for _, s := range tr.Servers {
		out = append(out, s.Name)
	}
	return out
}

func offsetText(s int64) string {
	if s == 0 {
		return "on time"
	}
	return fmt.Sprintf("%+ds", s)
}

func wrap(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var b strings.Builder
		n := 0
		for _, w := range strings.Fields(para) {
			if n > 0 && n+1+len(w) > width {
				b.WriteString("\n")
				n = 0
			} else if n > 0 {
				b.WriteString(" ")
				n++
			}
			b.WriteString(w)
			n += len(w)
		}
		out = append(out, b.String())
	}
	return strings.Join(out, "\n")
}

// writePartitions explains the network partitions of the incident in words.
func writePartitions(b *strings.Builder, tr Truth, loc *time.Location) {
	if len(tr.Partitions) == 0 {
		return
	}
	b.WriteString("\n## Network partitions\n\n")
	for _, pt := range tr.Partitions {
		end := "the network was back at " + pt.End.In(loc).Format("15:04:05")
		if !pt.End.Before(tr.End) {
			end = "the network was still cut when the evidence ends"
		}
		noticed := "no link crossed the cut when the heartbeat timeout ran out, so nobody noticed"
		if pt.Noticed != nil {
			noticed = "both sides gave each other up at " + pt.Noticed.In(loc).Format("15:04:05")
		}
		fmt.Fprintf(b, "- From %s the network cut %s off from %s; %s; %s.\n", pt.Start.In(loc).Format("2006-01-02 15:04:05"),
			strings.Join(pt.Servers, " and "), strings.Join(pt.Others, " and "), noticed, end)
	}
	b.WriteString("\n" + wrap(fmt.Sprintf("In a partition no server stops: every lmgrd keeps running and logging. One heartbeat timeout (%ds) after the cut "+
		"both sides give each other up, and each server logs `Lost connection to` the servers across it. A side left with a single running server "+
		"loses its quorum: it logs `lmgrd lost quorum`, shuts its vendor daemon down and answers lmstat (collected from a host that still reaches all "+
		"three servers) with `License server system busy (no majority). (-20,10)`. That server is **isolated**: its lmgrd runs, but it is not up and "+
		"serves nothing. A side of two servers keeps its master, or elects one after the election delay when the master was cut off, and serves "+
		"licenses with no spare (`degraded`). When the network is back the servers across the cut connect again, a few seconds apart; an isolated "+
		"server is joining from its first `Connected to` until it accepts a master, then starts its vendor daemon again. Seen from the isolated "+
		"server's own log, a partition looks like two crashed peers: that log alone cannot tell whether the others served licenses.",
		tr.HeartbeatTimeoutSeconds), 100) + "\n")
}
