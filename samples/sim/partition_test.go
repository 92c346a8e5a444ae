package sim_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/samples/sim"
)

// partitionRun renders a scenario of the triad a, b, c (started at 08:00 UTC) with the given
// faults and returns the truth and the files it wrote.
func partitionRun(t *testing.T, extra, faults string) (sim.Truth, map[string]string) {
	t.Helper()
	sc, err := sim.Parse([]byte(`{"name": "p", "zone": "UTC", "start": "2024-01-01 08:00:00", ` + extra + `
		"servers": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "faults": [` + faults + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tr, err := sim.Render(sc, sim.DirOpener(dir))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range tr.Files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	return tr, files
}

// triadLines keeps a log's lmgrd lines about the triad from a time on ("H:MM:SS text").
func triadLines(log, from string) []string {
	var out []string
	re := regexp.MustCompile(`^\s*(\d+:\d\d:\d\d) \(lmgrd\) (.*)$`)
	for _, l := range strings.Split(log, "\n") {
		m := re.FindStringSubmatch(l)
		if m == nil || len(m[1]) < len(from) || (len(m[1]) == len(from) && m[1] < from) {
			continue
		}
		out = append(out, m[1]+" "+m[2])
	}
	return out
}

// intervalsText is "state [masters] notup; ..." for the true intervals.
func intervalsText(ivs []sim.Interval, names ...string) string {
	var parts []string
	for _, iv := range ivs {
		s := iv.Start.Format("15:04:05") + " " + iv.State + " [" + strings.Join(iv.Masters, ",") + "]"
		for _, n := range names {
			if st := iv.Servers[n]; st != "up" {
				s += " " + n + ":" + st
			}
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func wantLines(t *testing.T, name string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPartitionTertiary: the tertiary cut off for 40 minutes: each side loses the other after
// the heartbeat timeout, the tertiary loses its quorum (isolated, lmstat -20), the triad is
// degraded; when the network is back the tertiary connects to both peers a few seconds apart
// (joining), selects the existing master and starts its vendor daemon.
func TestPartitionTertiary(t *testing.T) {
	tr, files := partitionRun(t, "", `{"at": "+1h", "kind": "partition", "servers": ["c"], "until": "+1h40m"}`)
	c := triadLines(files["c.log"], "9:00:00")
	if n := len(c); n > 0 && strings.HasPrefix(c[n-1], "9:40:08 Started bm (internet tcp_port 27010 pid ") {
		c[n-1] = "9:40:08 Started bm"
	}
	wantLines(t, "c.log", c,
		"9:01:19 Lost connection to a",
		"9:01:19 Lost connection to b",
		"9:01:19 lmgrd lost quorum.  lmgrd will now only",
		"9:01:19 process connection requests from other lmgrd processes",
		"9:01:19 lmgrd will now shut down all vendor daemons",
		"9:01:19 SHUTting down bm",
		"9:40:03 Connected to a",
		"9:40:05 Connected to b",
		"9:40:08 selected (EXISTING) master a",
		"9:40:08 Starting vendor daemons ... ",
		"9:40:08 Started bm")
	wantLines(t, "a.log", triadLines(files["a.log"], "9:00:00"), "9:01:19 Lost connection to c", "9:40:03 Connected to c")
	wantLines(t, "b.log", triadLines(files["b.log"], "9:00:00"), "9:01:19 Lost connection to c", "9:40:05 Connected to c")
	want := "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:01:19 degraded [a] c:isolated; 09:40:08 normal [a]"
	if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
		t.Errorf("true intervals\n%s\nwant\n%s", got, want)
	}
	for _, set := range []string{"both", "logs", "lmstat"} {
		if got := strings.Join(tr.Evidence(set).States, " "); !strings.HasSuffix(got, "normal degraded normal") {
			t.Errorf("%s shows %s", set, got)
		}
	}
	// lmstat: -20 from the first run after the loss until the run after the join
	for _, run := range []struct{ minute, c string }{
		{"09:01", "c: license server UP v11.13.1"},
		{"09:02", "c: License server system busy (no majority). (-20,10)"},
		{"09:40", "c: License server system busy (no majority). (-20,10)"},
		{"09:41", "c: license server UP v11.13.1"},
	} {
		re := regexp.MustCompile(`status on Mon 1/1/2024 ` + run.minute + `\n(?:.*\n){6}\s+(c: .*)\n`)
		if m := re.FindStringSubmatch(files["lmstat.log"]); m == nil || m[1] != run.c {
			t.Errorf("lmstat at %s: %q, want %q", run.minute, m, run.c)
		}
	}
	// joining from its first Connected to until it has joined
	if p := tr.Partitions; len(p) != 1 || strings.Join(p[0].Servers, ",") != "c" || strings.Join(p[0].Others, ",") != "a,b" ||
		p[0].Start.Format("15:04:05") != "09:00:00" || p[0].End.Format("15:04:05") != "09:40:00" || p[0].Noticed == nil ||
		p[0].Noticed.Format("15:04:05") != "09:01:19" {
		t.Errorf("truth partitions %+v", tr.Partitions)
	}
	// c's log alone cannot tell the partition from two crashed peers: unknown meanwhile
	o, err := tr.Observe([]string{"license.dat", "c.log"})
	if err != nil {
		t.Fatal(err)
	}
	if got := intervalsText(o.Intervals, "a", "b", "c"); !strings.Contains(got, "09:01:19 unknown [] a:unknown b:unknown c:isolated; 09:40:08 normal [a]") {
		t.Errorf("c's log alone: %s", got)
	}
}

// TestPartitionMaster: the master cut off: the two others lose their master and elect b; when
// the network is back a selects the existing master b (without PRIMARY_IS_MASTER), or takes the
// master role back (with it).
func TestPartitionMaster(t *testing.T) {
	for _, pim := range []bool{false, true} {
		extra := ""
		if pim {
			extra = `"primary_is_master": true,`
		}
		tr, files := partitionRun(t, extra, `{"at": "+1h", "kind": "partition", "servers": ["a"], "down": "20m"}`)
		wantLines(t, "b.log", triadLines(files["b.log"], "9:00:00")[:8],
			"9:01:19 Lost connection to a",
			"9:01:19 Lost connection to master",
			"9:01:19 lmgrd will now attempt to select a new master",
			"9:01:19 lmgrd will now shut down all vendor daemons",
			"9:01:19 SHUTting down bm",
			"9:02:49 CONNECTED, master is b",
			"9:02:49 Starting vendor daemons ... ",
			"9:02:49 Started bm (internet tcp_port 27010 pid 1892)")
		a := triadLines(files["a.log"], "9:20:00")
		want := "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:01:19 masterless [] a:isolated; 09:02:49 degraded [b] a:isolated; "
		if pim {
			wantLines(t, "a.log with PRIMARY_IS_MASTER", a[:3], "9:20:03 Connected to b", "9:20:05 Connected to c", "9:20:08 CONNECTED, master is a")
			if !strings.Contains(files["c.log"], "9:20:08 (lmgrd) CONNECTED, master is a") {
				t.Error("c does not log CONNECTED, master is a")
			}
			want += "09:20:08 normal [a]"
		} else {
			wantLines(t, "a.log", a[:3], "9:20:03 Connected to b", "9:20:05 Connected to c", "9:20:08 selected (EXISTING) master b")
			want += "09:20:08 normal [b]"
		}
		if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
			t.Errorf("PRIMARY_IS_MASTER %v: true intervals\n%s\nwant\n%s", pim, got, want)
		}
	}
}

// TestPartitionLoneSurvivors: with c down, a partition between a and b leaves two lone
// servers, both isolated: no quorum. When the network is back the two, both isolated before,
// count as up for the quorum until their election ends: masterless, not no-quorum.
func TestPartitionLoneSurvivors(t *testing.T) {
	tr, files := partitionRun(t, "", `{"at": "+1h", "kind": "crash", "server": "c"},
		{"at": "+1h10m", "kind": "partition", "servers": ["b"], "down": "15m"}`)
	wantLines(t, "a.log", triadLines(files["a.log"], "9:10:00")[:4],
		"9:11:19 Lost connection to b",
		"9:11:19 lmgrd lost quorum.  lmgrd will now only",
		"9:11:19 process connection requests from other lmgrd processes",
		"9:11:19 lmgrd will now shut down all vendor daemons")
	want := "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:00:00 degraded [a] c:down; " +
		"09:11:19 no-quorum [] a:isolated b:isolated c:down; 09:25:03 masterless [] a:joining b:joining c:down; 09:26:33 degraded [a] c:down"
	if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
		t.Errorf("true intervals\n%s\nwant\n%s", got, want)
	}
	// alone again before their election: b loses its quorum once more
	tr, files = partitionRun(t, "", `{"at": "+1h", "kind": "crash", "server": "c"},
		{"at": "+1h10m", "kind": "partition", "servers": ["b"], "down": "15m"},
		{"at": "+1h25m30s", "kind": "crash", "server": "a"}`)
	wantLines(t, "b.log", triadLines(files["b.log"], "9:25:00"),
		"9:25:03 Connected to a",
		"9:26:49 Lost connection to a",
		"9:26:49 lmgrd lost quorum.  lmgrd will now only",
		"9:26:49 process connection requests from other lmgrd processes")
	want = "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:00:00 degraded [a] c:down; " +
		"09:11:19 no-quorum [] a:isolated b:isolated c:down; 09:25:03 masterless [] a:joining b:joining c:down; 09:25:30 no-quorum [] a:down b:joining c:down"
	if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
		t.Errorf("true intervals\n%s\nwant\n%s", got, want)
	}
}

// TestPartitionPairs: two servers cut off together from the third: the third is alone and
// isolated, the two keep quorum (and elect one of them when the master was the third).
func TestPartitionPairs(t *testing.T) {
	tr, _ := partitionRun(t, "", `{"at": "+1h", "kind": "partition", "servers": ["b", "c"], "down": "30m"}`)
	want := "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:01:19 masterless [] a:isolated; 09:02:49 degraded [b] a:isolated; 09:30:08 normal [b]"
	if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
		t.Errorf("true intervals\n%s\nwant\n%s", got, want)
	}
	tr, _ = partitionRun(t, "", `{"at": "+1h", "kind": "partition", "servers": ["a", "b"], "down": "30m"}`)
	want = "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:01:19 degraded [a] c:isolated; 09:30:08 normal [a]"
	if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
		t.Errorf("true intervals\n%s\nwant\n%s", got, want)
	}
}

// TestPartitionBlip: a partition shorter than the heartbeat timeout goes unnoticed.
func TestPartitionBlip(t *testing.T) {
	tr, files := partitionRun(t, "", `{"at": "+1h", "kind": "partition", "servers": ["a"], "down": "60s"}`)
	if got := strings.Join(tr.True.States, " "); got != "starting normal" {
		t.Errorf("true states %s", got)
	}
	for _, f := range []string{"a.log", "b.log", "c.log"} {
		if l := triadLines(files[f], "9:00:00"); len(l) > 0 {
			t.Errorf("%s logs %v", f, l)
		}
	}
	if p := tr.Partitions; len(p) != 1 || p[0].Noticed != nil {
		t.Errorf("truth partitions %+v", p)
	}
}

// TestPartitionReturnIntoCut: a server that starts while the network cuts it off cannot
// connect: it times out on its peers across the cut and stays joining (a failed rejoin once
// the grace has passed) until the network is back.
func TestPartitionReturnIntoCut(t *testing.T) {
	tr, files := partitionRun(t, "", `{"at": "+1h", "kind": "crash", "server": "c"},
		{"at": "+1h10m", "kind": "partition", "servers": ["c"], "down": "20m"},
		{"at": "+1h15m", "kind": "restart", "server": "c"}`)
	var got []string
	for _, l := range triadLines(files["c.log"], "9:15:00") {
		if strings.Contains(l, "connect") || strings.Contains(l, "Connect") {
			got = append(got, l)
		}
	}
	wantLines(t, "c.log", got[:6],
		"9:15:00 Trying connection to a",
		"9:15:00 Trying connection to b",
		"9:15:33 Connection to a TIMED OUT",
		"9:15:33 Connection to b TIMED OUT",
		"9:30:03 Connected to a",
		"9:30:05 Connected to b")
	want := "08:00:00 starting [] a:joining b:down c:down; 08:00:56 normal [a]; 09:00:00 degraded [a] c:down; 09:15:00 failed-rejoin [a] c:joining; 09:30:08 normal [a]"
	if got := intervalsText(tr.True.Intervals, "a", "b", "c"); got != want {
		t.Errorf("true intervals\n%s\nwant\n%s", got, want)
	}
}

// TestRandomPartitions: Random draws partitions of every kind when asked (and none by
// default), and every one renders.
func TestRandomPartitions(t *testing.T) {
	kinds := map[string]int{}
	for seed := int64(1); seed <= 60; seed++ {
		if sc := sim.Random(seed, sim.RandomOptions{}); strings.Contains(string(sc.JSON()), "partition") {
			t.Fatalf("Random(%d) with Partitions 0 draws a partition", seed)
		}
		sc := sim.Random(seed, sim.RandomOptions{Partitions: 0.5, Faults: 6})
		tr, err := sim.Render(sc, sim.DiscardOpener(&sim.Counter{}))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, p := range tr.Partitions {
			var during []string
			for _, iv := range tr.True.Intervals {
				if p.Noticed != nil && !iv.Start.Before(*p.Noticed) && iv.Start.Before(p.End) {
					during = append(during, iv.State)
				}
			}
			switch {
			case p.Noticed == nil:
				kinds["unnoticed"]++
			case len(p.Servers) == 2:
				kinds["two cut off"]++
			case slices.Contains(during, "no-quorum"):
				kinds["lone survivors"]++
			case slices.Contains(during, "masterless"):
				kinds["master cut off"]++
			default:
				kinds["non-master cut off"]++
			}
		}
	}
	for _, k := range []string{"unnoticed", "two cut off", "lone survivors", "master cut off", "non-master cut off"} {
		if kinds[k] == 0 {
			t.Errorf("no partition of the kind %q in 60 seeds: %v", k, kinds)
		}
	}
	t.Logf("partitions drawn: %v", kinds)
}
