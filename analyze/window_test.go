package analyze_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/analyze"
)

// timeFields lists the paths of every time.Time in type t, as "Field.Sub[].Name": the fields
// a window must cut or knowingly leave alone.
func timeFields(t reflect.Type, path string, seen map[reflect.Type]bool, out *[]string) {
	timeType := reflect.TypeFor[time.Time]()
	switch {
	case t == timeType:
		*out = append(*out, path)
		return
	case t.Kind() == reflect.Pointer:
		timeFields(t.Elem(), path, seen, out)
		return
	case t.Kind() == reflect.Slice, t.Kind() == reflect.Array:
		timeFields(t.Elem(), path+"[]", seen, out)
		return
	case t.Kind() == reflect.Map:
		timeFields(t.Elem(), path+"{}", seen, out)
		return
	case t.Kind() != reflect.Struct:
		return
	}
	if seen[t] {
		return
	}
	seen[t] = true
	defer delete(seen, t)
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		p := f.Name
		if path != "" {
			p = path + "." + f.Name
		}
		timeFields(f.Type, p, seen, out)
	}
}

// Times the window leaves alone on purpose: inputs describe the files, and an evidence line
// keeps the time it was written.
var unwindowed = []string{"Inputs[].", "Evidence[].Time", ".Ref.Time"}

func windowed(path string) bool {
	for _, u := range unwindowed {
		if strings.HasPrefix(path, u) || strings.HasSuffix(path, u) {
			return false
		}
	}
	return true
}

// TestWindowClipsEveryTime: with --since/--until every time the report shows lies in the
// window, except those listed in unwindowed. The list of time fields is taken from the type,
// so a time added to the Report later fails here until the window deals with it.
func TestWindowClipsEveryTime(t *testing.T) {
	var paths []string
	timeFields(reflect.TypeFor[analyze.Report](), "", map[reflect.Type]bool{}, &paths)
	want := []string{
		"Findings[].End", "Findings[].Evidence[].Time", "Findings[].Start",
		"Inputs[].First", "Inputs[].Gaps[].End", "Inputs[].Gaps[].Start", "Inputs[].Last",
		"Intervals[].End", "Intervals[].Evidence[].Time", "Intervals[].Start",
		"Lanes[].Spans[].End", "Lanes[].Spans[].Evidence[].Time", "Lanes[].Spans[].Start",
		"Timeline[].Ref.Time", "Timeline[].Time",
		"Verdict.Finding.End", "Verdict.Finding.Evidence[].Time", "Verdict.Finding.Start",
	}
	slices.Sort(paths)
	if !slices.Equal(paths, want) {
		t.Fatalf("the Report's time fields changed:\n got %q\nwant %q\nclip the new ones in Report.window (or list them in unwindowed), then update this list", paths, want)
	}

	since, until := at("12:50:00"), at("13:10:00")
	rep, err := analyze.Analyze(readSample(t, "license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"),
		analyze.Config{Location: tokyo, Since: since, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		if v.Type() == reflect.TypeFor[time.Time]() {
			tm := v.Interface().(time.Time)
			if tm.IsZero() || !windowed(path) {
				return
			}
			checked++
			if tm.Before(since) || tm.After(until) {
				t.Errorf("%s = %s, outside the window %s to %s", path, tm.Format(time.RFC3339), since.Format(time.RFC3339), until.Format(time.RFC3339))
			}
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					p := f.Name
					if path != "" {
						p = path + "." + f.Name
					}
					walk(v.Field(i), p)
				}
			}
		}
	}
	walk(reflect.ValueOf(rep).Elem(), "")
	if checked < 20 {
		t.Errorf("only %d times checked: the sample should give intervals, lanes, findings and a timeline in the window", checked)
	}
	for _, lane := range rep.Lanes {
		if len(lane.Spans) == 0 {
			t.Errorf("lane %s is empty in the window", lane.Server)
		}
	}
}
