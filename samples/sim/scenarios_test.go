package sim_test

import (
	"testing"

	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

func builtin(t testing.TB, name string) sim.Scenario {
	t.Helper()
	b, ok := samples.Scenario(name)
	if !ok {
		t.Fatalf("no built-in scenario %q", name)
	}
	sc, err := sim.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestBuiltinScenarios renders every built-in scenario and checks that the analyzer finds what
// the truth says each set of evidence can show (the month-long one not with -short).
func TestBuiltinScenarios(t *testing.T) {
	for _, name := range samples.Names() {
		sc := builtin(t, name)
		if !sc.IsSample() && testing.Short() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			tr := checkEvidence(t, sc)
			if len(tr.True.States) == 0 {
				t.Fatal("no true states")
			}
		})
	}
}
