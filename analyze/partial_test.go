package analyze_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
	"github.com/lmtriad/lmtriad/parser"
)

// One log of the crash-and-return sample, alone (issue 15): fnp-muc1 crashed at some moment
// of its log's silence from 09:06:21 to its new banner at 09:55:00, so that span is unknown,
// not normal; fnp-muc3's log says nothing of its peers while fnp-muc3 itself is down, so its
// own outage is never masterless.
func TestCrashAndReturnOneLog(t *testing.T) {
	read := func(name string) *analyze.Report {
		t.Helper()
		path := filepath.Join("..", "samples", "crash-and-return", name)
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		f, err := parser.Read(fh, path, parser.Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := analyze.Analyze([]*parser.File{f}, analyze.Config{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	at := func(hms string) time.Time {
		x, err := time.Parse("2006-01-02 15:04:05", "2018-07-27 "+hms)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	stateAt := func(rep *analyze.Report, x time.Time) analyze.State {
		for _, iv := range rep.Intervals {
			if !x.Before(iv.Start) && x.Before(iv.End) {
				return iv.State
			}
		}
		return analyze.Unknown
	}

	muc1 := read("fnp-muc1.log")
	for x := at("09:06:21"); x.Before(at("09:55:00")); x = x.Add(30 * time.Second) {
		if s := stateAt(muc1, x); s != analyze.Unknown {
			t.Fatalf("fnp-muc1.log alone: %s at %s, want unknown (its server crashed in the silence)\n%s", s, x.Format("15:04:05"), dump(muc1))
		}
	}
	if s := stateAt(muc1, at("09:00:00")); s != analyze.Normal {
		t.Errorf("fnp-muc1.log alone: %s at 09:00:00, want normal (before the crash)", s)
	}

	muc3 := read("fnp-muc3.log")
	for _, iv := range muc3.Intervals {
		if iv.State == analyze.Masterless && !iv.Start.Before(at("10:30:00")) {
			t.Errorf("fnp-muc3.log alone: masterless from %s during fnp-muc3's own outage\n%s", iv.Start.Format("15:04:05"), dump(muc3))
		}
	}
	if s := stateAt(muc3, at("10:35:00")); s != analyze.Unknown {
		t.Errorf("fnp-muc3.log alone: %s at 10:35:00 (fnp-muc3 down), want unknown", s)
	}
}
