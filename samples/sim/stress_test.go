package sim_test

import (
	"flag"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/samples/sim"
)

var stressN = flag.Int("stress", 0, "random scenarios with many close faults for TestStress (0: skip)")
var stressSkewLmstat = flag.Bool("stress-skew-lmstat", false, "TestStress: skew the lmstat host's clock too")

func TestStress(t *testing.T) {
	if *stressN == 0 {
		t.Skip("-stress N")
	}
	for seed := int64(1); seed <= int64(*stressN); seed++ {
		sc := sim.Random(seed, sim.RandomOptions{Faults: 12, MinGap: 2 * time.Minute, MaxGap: 15 * time.Minute, SkewLmstat: *stressSkewLmstat})
		t.Run(sc.Name, func(t *testing.T) { checkEvidence(t, sc) })
	}
}
