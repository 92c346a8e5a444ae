package sim_test

import (
	"flag"
	"testing"

	"github.com/lmtriad/lmtriad/samples/sim"
)

var randomN = flag.Int("random", 20, "how many random scenarios TestRandomScenarios checks")

// TestRandomScenarios checks the analyzer against the truth on random scenarios.
func TestRandomScenarios(t *testing.T) {
	n := *randomN
	if testing.Short() {
		n = min(n, 5)
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		sc := sim.Random(seed, sim.RandomOptions{})
		t.Run(sc.Name, func(t *testing.T) {
			checkEvidence(t, sc)
		})
	}
}
