package sim

import (
	"strings"
	"testing"
	"time"
)

func renderInternal(t *testing.T, sc Scenario) *renderer {
	t.Helper()
	m, err := sc.model()
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan(m)
	if err != nil {
		t.Fatal(err)
	}
	r := &renderer{m: m, pl: pl}
	if err := r.run(DiscardOpener(&Counter{})); err != nil {
		t.Fatal(err)
	}
	return r
}

func dstScenario(zone, start, end string) Scenario {
	return Scenario{
		Name: "dst", Zone: zone, Start: start, End: end,
		Servers: []Server{{Name: "s1"}, {Name: "s2"}, {Name: "s3"}},
	}
}

// A snapshot without a stamp line is placed at the end of its printed minute; in the hour
// that repeats, at the one the file's order shows, east and west of UTC alike (time.Date
// picks the first reading in New York and the second in Berlin).
func TestSnapshotPlacementRepeatedHour(t *testing.T) {
	for _, c := range []struct{ zone, start, end string }{
		{"America/New_York", "2017-11-05T00:20:00-04:00", "2017-11-05T02:40:00-05:00"},
		{"Europe/Berlin", "2017-10-29T01:20:00+02:00", "2017-10-29T03:40:00+01:00"},
		{"Australia/Sydney", "2017-04-02T01:20:00+11:00", "2017-04-02T03:40:00+10:00"},
	} {
		r := renderInternal(t, dstScenario(c.zone, c.start, c.end))
		if len(r.snaps) < 100 {
			t.Fatalf("%s: %d snapshots", c.zone, len(r.snaps))
		}
		repeated := 0
		for k, s := range r.snaps {
			if want := s.run/60*60 + 59; s.place != want {
				t.Errorf("%s: run %s placed at %s, want %s", c.zone, time.Unix(s.run, 0).UTC(), time.Unix(s.place, 0).UTC(), time.Unix(want, 0).UTC())
			}
			if k > 0 && s.place <= r.snaps[k-1].place {
				t.Errorf("%s: snapshot %d placed before the one above it", c.zone, k)
			}
		}
		repeated = r.lm.repeated
		if repeated != 120 {
			t.Errorf("%s: %d snapshots in the repeated hour, want 120 (both times through it)", c.zone, repeated)
		}
		if r.lm.unreadable != 0 {
			t.Errorf("%s: %d snapshots the file's order cannot place", c.zone, r.lm.unreadable)
		}
	}
}

// A log line of the second time through the repeated hour, with no line since before the
// first reading of its time, cannot be placed by the log's order.
func TestUnreadableLines(t *testing.T) {
	sc := dstScenario("America/New_York", "2017-11-05T00:20:00-04:00", "2017-11-05T02:40:00-05:00")
	sc.Usage.Off = true
	sc.Faults = []Fault{{At: "2017-11-05T01:30:00-05:00", Kind: KindShutdown, Server: "s3"}}
	r := renderInternal(t, sc)
	if r.logs[2].unreadable == 0 || r.logs[0].unreadable == 0 {
		t.Errorf("unreadable lines: %d %d %d, want s3's shutdown and s1's loss of it", r.logs[0].unreadable, r.logs[1].unreadable, r.logs[2].unreadable)
	}
	sc.Faults[0].At = "2017-11-05T01:30:00-04:00" // the first time through: readable
	r = renderInternal(t, sc)
	for i, lw := range r.logs {
		if lw.unreadable != 0 {
			t.Errorf("server %d: %d unreadable lines in the first time through the hour", i, lw.unreadable)
		}
	}
}

// lmstat.gaps: no run starts in a gap; a gap longer than three intervals is unknown with
// lmstat alone, and covered by the logs with both.
func TestLmstatGaps(t *testing.T) {
	sc := Scenario{
		Name: "gaps", Start: "2020-01-01 10:00:00", End: "+2h",
		Servers: []Server{{Name: "s1"}, {Name: "s2"}, {Name: "s3"}},
		Lmstat:  Lmstat{Gaps: [][2]string{{"+40m", "+50m"}, {"+60m", "+62m"}}},
		Faults:  []Fault{{At: "+45m", Kind: KindCrash, Server: "s2"}},
	}
	tr, err := Render(sc, DiscardOpener(&Counter{}))
	if err != nil {
		t.Fatal(err)
	}
	start := tr.Start
	for _, s := range tr.sim.r.snaps {
		at := time.Unix(s.run, 0)
		if in := func(a, b time.Duration) bool { return !at.Before(start.Add(a)) && at.Before(start.Add(b)) }; in(40*time.Minute, 50*time.Minute) || in(60*time.Minute, 62*time.Minute) {
			t.Errorf("a run at %s, inside a gap", at)
		}
	}
	if len(tr.Lmstat.Gaps) != 2 {
		t.Errorf("truth.json lmstat gaps: %v", tr.Lmstat.Gaps)
	}
	if got := strings.Join(tr.Observed.Lmstat.States, " "); got != "normal unknown degraded" {
		t.Errorf("lmstat alone: %s, want normal unknown degraded (the second gap misses two runs: still covered)", got)
	}
	if got := strings.Join(tr.Observed.Both.States, " "); got != "starting normal degraded" {
		t.Errorf("both: %s", got)
	}
	if _, err := Parse([]byte(`{"name":"x","start":"2020-01-01 10:00","servers":[{"name":"a"},{"name":"b"},{"name":"c"}],"lmstat":{"gaps":[["+20m","+10m"]]}}`)); err == nil {
		t.Error("a gap that ends before it starts is accepted")
	}
}

// Observe with one log missing: that server is judged by its peers and lmstat.
func TestObserveMissingLog(t *testing.T) {
	sc := Scenario{
		Name: "missing", Start: "2020-01-01 10:00:00", End: "+2h",
		Servers: []Server{{Name: "s1"}, {Name: "s2", Offset: Duration(40 * time.Second)}, {Name: "s3"}},
		Faults: []Fault{
			{At: "+20m", Kind: KindCrash, Server: "s1"},
			{At: "+40m", Kind: KindRestart, Server: "s1"},
			{At: "+60m", Kind: KindShutdown, Server: "s3"},
		},
	}
	tr, err := Render(sc, DiscardOpener(&Counter{}))
	if err != nil {
		t.Fatal(err)
	}
	o, err := tr.Observe([]string{"license.dat", "s2.log", "s3.log"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Reference != "s2" || o.ReferenceOffsetSeconds != 40 {
		t.Errorf("reference %s %+ds, want s2 +40s (the first server with a log)", o.Reference, o.ReferenceOffsetSeconds)
	}
	// s1 is unknown until its peers show it: "unknown" first, as it may have been up
	want := "unknown normal masterless degraded normal degraded"
	if got := strings.Join(o.States, " "); got != want {
		t.Errorf("logs without s1's: %s, want %s", got, want)
	}
	if _, err := tr.Observe([]string{"license.dat"}); err == nil {
		t.Error("no evidence accepted")
	}
	if _, err := tr.Observe([]string{"nosuch.log"}); err == nil {
		t.Error("a file the scenario does not have accepted")
	}
	again, err := Observe(sc, tr.Observed.Both.Files)
	if err != nil || strings.Join(again.States, " ") != strings.Join(tr.Observed.Both.States, " ") {
		t.Errorf("Observe(sc, every file) = %v, %v; want truth.json's both", again, err)
	}
}

// Random: with the hostile options off it draws what it always drew (TestRandomScenarios and
// -stress keep their seeds); with DST it crosses a change and every line can be read.
func TestRandomHostile(t *testing.T) {
	spring, autumn := 0, 0
	for seed := int64(1); seed <= 40; seed++ {
		sc := Random(seed, RandomOptions{DST: 1, LmstatGaps: 1})
		if len(sc.Lmstat.Gaps) == 0 {
			t.Errorf("seed %d: no lmstat gap", seed)
		}
		m, err := sc.model()
		if err != nil {
			t.Fatal(err)
		}
		_, o1 := time.Unix(m.start, 0).In(m.loc).Zone()
		_, o2 := time.Unix(m.end, 0).In(m.loc).Zone()
		switch {
		case o2 > o1:
			spring++
		case o2 < o1:
			autumn++
			n, err := UnreadableLines(sc)
			if err != nil || n != 0 {
				t.Errorf("seed %d: %d unreadable lines, %v", seed, n, err)
			}
		default:
			t.Errorf("seed %d: %s to %s crosses no DST change", seed, sc.Start, sc.End)
		}
		if plain := Random(seed, RandomOptions{}); len(plain.Lmstat.Gaps) != 0 || plain.Start == sc.Start {
			t.Errorf("seed %d: the default options drew DST or gaps", seed)
		}
	}
	if spring == 0 || autumn == 0 {
		t.Errorf("DST changes drawn: %d spring, %d autumn", spring, autumn)
	}
}
