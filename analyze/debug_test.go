package analyze

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

func TestDebugCover(t *testing.T) {
	dir := os.Getenv("DBG")
	if dir == "" {
		t.Skip()
	}
	loc, _ := time.LoadLocation(os.Getenv("DBGTZ"))
	files, err := parser.ReadPaths([]string{dir}, parser.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Location: loc, RejoinGrace: 5 * time.Minute}
	ev, _ := gather(files, cfg)
	clk := estimateClocks(ev, cfg)
	obs := observe(ev, clk)
	a := &sweeper{ev: ev, obs: obs, grace: cfg.RejoinGrace, n: ev.n, statuses: &statuses{}}
	a.covers()
	for i, c := range a.ownCover {
		fmt.Println(ev.id.names[i])
		for _, s := range c {
			fmt.Println("   ", s.start.In(loc).Format(time.RFC3339), s.end.In(loc).Format(time.RFC3339))
		}
	}
	for _, f := range ev.logs[2] {
		for _, e := range f.Events {
			if e.Kind == parser.EvStart || e.Kind == parser.EvExiting {
				fmt.Println(e.Kind, e.Time, e.Prev, e.Line)
			}
		}
	}
}

func TestDebugPoints(t *testing.T) {
	dir := os.Getenv("DBG")
	if dir == "" {
		t.Skip()
	}
	loc, _ := time.LoadLocation(os.Getenv("DBGTZ"))
	files, err := parser.ReadPaths([]string{dir}, parser.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Location: loc, RejoinGrace: 5 * time.Minute}
	ev, _ := gather(files, cfg)
	clk := estimateClocks(ev, cfg)
	obs := observe(ev, clk)
	st := sweep(ev, obs, cfg)
	from, _ := time.Parse(time.RFC3339, os.Getenv("DBGFROM"))
	to, _ := time.Parse(time.RFC3339, os.Getenv("DBGTO"))
	for _, p := range st.points {
		if p.at.Before(from) || p.at.After(to) {
			continue
		}
		fmt.Println(p.at.In(loc).Format("15:04:05"), p.status, p.masters, p.state, len(p.refs))
	}
}
