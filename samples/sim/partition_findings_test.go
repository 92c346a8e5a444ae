package sim_test

import (
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/report/catalog"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// TestPartitionMasterFindings: the primary (the master) cut off for 20 minutes, analysed from
// all the files. The survivors lose it and elect: masterless, then degraded, with a
// server-down finding that names the partition (not a dead machine). When the network is
// back, without PRIMARY_IS_MASTER the primary selects the existing master:
// master-not-returned (info); with it, the primary takes the master back: no such finding.
func TestPartitionMasterFindings(t *testing.T) {
	for _, pim := range []bool{false, true} {
		extra := ""
		if pim {
			extra = `"primary_is_master": true,`
		}
		sc, err := sim.Parse([]byte(`{"name": "p", "zone": "UTC", "start": "2024-01-01 08:00:00", ` + extra + `
			"servers": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
			"faults": [{"at": "+1h", "kind": "partition", "servers": ["a"], "down": "20m"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		tr, err := sim.Render(sc, sim.DirOpener(dir))
		if err != nil {
			t.Fatal(err)
		}
		rep := analyzeSet(t, dir, tr, tr.Files)
		var states []string
		for _, iv := range rep.Intervals {
			states = append(states, string(iv.State))
		}
		if got, want := strings.Join(states, " "), "starting normal masterless degraded normal"; got != want {
			t.Errorf("PRIMARY_IS_MASTER %v: states %s, want %s", pim, got, want)
		}
		var down, notReturned []analyze.Finding
		for _, f := range rep.Findings {
			switch f.Code {
			case "server-down":
				down = append(down, f)
			case "master-not-returned":
				notReturned = append(notReturned, f)
			}
		}
		if len(down) != 1 || down[0].Server != "a" || !strings.Contains(catalog.English(down[0].Msg), "network partition") {
			t.Errorf("PRIMARY_IS_MASTER %v: server-down findings %v, want one on a naming the network partition", pim, down)
		}
		switch {
		case !pim && (len(notReturned) != 1 || notReturned[0].Server != "a" || notReturned[0].Severity != analyze.SeverityInfo):
			t.Errorf("master-not-returned findings %v, want one (info) on a", notReturned)
		case pim && len(notReturned) != 0:
			t.Errorf("PRIMARY_IS_MASTER: master-not-returned findings %v, want none (a took the master back)", notReturned)
		}
	}
}
