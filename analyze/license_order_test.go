package analyze_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

// Two license files whose SERVER lines are in different orders (samples/order-mismatch ships
// the edited copy of lic-osaka) give the same triad whatever their order on the command line:
// the order lmstat's server list shows, else the first given, and a warning that says which
// files disagree and what was taken.
func TestLicenseOrderDisagreement(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	run := func(names ...string) *analyze.Report {
		t.Helper()
		var fs []*parser.File
		for _, n := range names {
			f := sampleFile(t, "order-mismatch", n, n, loc, nil)
			fs = append(fs, f)
		}
		rep, err := analyze.Analyze(fs, analyze.Config{Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	order := func(rep *analyze.Report) string {
		var s []string
		for _, m := range rep.Triad.Servers {
			s = append(s, m.Name)
		}
		return strings.Join(s, ",")
	}
	warned := func(rep *analyze.Report, key string) bool {
		for _, w := range rep.Warnings {
			if w.Key == key {
				return true
			}
		}
		return false
	}
	logs := []string{"lic-tokyo.log", "lic-osaka.log", "lic-nagoya.log"}
	for _, lics := range [][]string{{"license.dat", "license.dat.lic-osaka"}, {"license.dat.lic-osaka", "license.dat"}} {
		rep := run(append(append(append([]string(nil), lics...), "lmstat.log"), logs...)...)
		if got := order(rep); got != "lic-tokyo,lic-osaka,lic-nagoya" || !warned(rep, "warn.license-order.lmstat") {
			t.Errorf("%v with lmstat: triad %s (warnings %v), want lic-tokyo,lic-osaka,lic-nagoya as lmstat lists them, and the warning", lics, got, rep.Warnings)
		}
	}
	rep := run(append([]string{"license.dat.lic-osaka", "license.dat"}, logs...)...)
	if got := order(rep); got != "lic-osaka,lic-nagoya,lic-tokyo" || !warned(rep, "warn.license-order.first") {
		t.Errorf("without lmstat: triad %s (warnings %v), want the first file's order and a warning saying so", got, rep.Warnings)
	}
}
