package parser_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// usageLog is a debug log of the given minutes with perMinute usage lines (OUT, IN and DENIED)
// in each: a banner, a TIMESTAMP a day, and nothing else.
func usageLog(minutes, perMinute int) []byte {
	var b bytes.Buffer
	b.WriteString(" 8:59:58 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lmprod1 (linux) (5/1/2023)\n")
	kinds := []string{"OUT", "IN", "DENIED"}
	for m := 0; m < minutes; m++ {
		t := 9*3600 + m*60
		day := 1 + t/86400
		t %= 86400
		if t == 0 {
			fmt.Fprintf(&b, " 0:00:00 (lmgrd) TIMESTAMP 5/%d/2023\n", day)
		}
		for i := 0; i < perMinute; i++ {
			s := t + i*60/perMinute
			fmt.Fprintf(&b, "%2d:%02d:%02d (bm) %s: \"bm_solver\" user%d@pc-%04d  \n", s/3600, s/60%60, s%60, kinds[i%3], i%40, i)
		}
	}
	return b.Bytes()
}

// lmstatRuns is lmstat output of the given runs, a minute apart, each listing perRun users.
func lmstatRuns(runs, perRun int) []byte {
	var b bytes.Buffer
	for r := 0; r < runs; r++ {
		t := 9*3600 + r*60
		fmt.Fprintf(&b, "lmstat - Copyright (c) 1989-2019 Flexera. All Rights Reserved.\nFlexible License Manager status on Mon 5/1/2023 %02d:%02d\n\n", t/3600%24, t/60%60)
		b.WriteString("License server status: 27001@lmprod1,27001@lmprod2,27001@lmprod3\n    License file(s) on lmprod1: /opt/flexlm/license.dat:\n\n")
		b.WriteString("   lmprod1: license server UP (MASTER) v11.13.1\n   lmprod2: license server UP v11.13.1\n   lmprod3: license server UP v11.13.1\n\n")
		b.WriteString("Vendor daemon status (on lmprod1):\n\n        bm: UP v11.13.1\n\nFeature usage info:\n\n")
		fmt.Fprintf(&b, "Users of bm_solver:  (Total of 400 licenses issued;  Total of %d licenses in use)\n\n  \"bm_solver\" v1.0, vendor: bm, expiry: permanent\n  floating license\n\n", perRun)
		for i := 0; i < perRun; i++ {
			fmt.Fprintf(&b, "    user%d pc-%04d pc-%04d (v1.0) (lmprod1/27001 %d), start Mon 5/1 8:%02d\n", i%40, i, i, 100+i, i%60)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// Reading a usage line allocates nothing: logs of the same minutes (lmstat output of the same
// runs) allocate as much with 100 times the usage lines. Allocation counts are deterministic;
// what varies with the size is only the blocks the pipeline fills up with.
func TestNoAllocationPerUsageLine(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector: sync.Pool drops items")
	}
	for _, tc := range []struct {
		name        string
		kind        parser.Kind
		few, many   []byte
		fewN, manyN int // usage lines
	}{
		{"debug log", parser.KindDebugLog, usageLog(3000, 1), usageLog(3000, 100), 3000, 300000},
		{"lmstat", parser.KindLmstat, lmstatRuns(300, 1), lmstatRuns(300, 100), 300, 30000},
	} {
		allocs := func(data []byte) float64 {
			return testing.AllocsPerRun(5, func() {
				f, err := parser.Read(bytes.NewReader(data), "in", parser.Options{Location: time.UTC})
				if err != nil || f.Kind != tc.kind || f.Unrecognized != 0 {
					t.Fatalf("%s: %v %s, %d unrecognized lines", tc.name, err, f.Kind, f.Unrecognized)
				}
			})
		}
		few, many := allocs(tc.few), allocs(tc.many)
		perLine := (many - few) / float64(tc.manyN-tc.fewN)
		t.Logf("%s: %.0f allocations for %d usage lines (%d bytes), %.0f for %d (%d bytes): %.5f per line",
			tc.name, few, tc.fewN, len(tc.few), many, tc.manyN, len(tc.many), perLine)
		if perLine > 0.001 {
			t.Errorf("%s: %.4f allocations per usage line, want none (%.0f allocations for %d lines, %.0f for %d)", tc.name, perLine, few, tc.fewN, many, tc.manyN)
		}
	}
}
