package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// genCase is one generated incident and what batch must say of it.
type genCase struct {
	path    string
	code    int    // the incident's exit code
	verdict string // the table's VERDICT column
}

// genIncidents writes n incidents into dir, variations of the bundled sample. Incident i is, by i:
//
//   - i%25 == 7: an empty directory (exit 2); i%25 == 17: a zip cut off after its first bytes
//     (exit 2); i%50 == 33: one server's log that names no peer (not a triad, exit 3);
//   - i%20 == 11: the license file and the lmstat snapshots before 10:10 (a normal triad, exit
//     0); i%20 == 13: the same up to 11:00 (the first masterless span, exit 1);
//   - otherwise the whole sample (its failed rejoin, exit 1), without lmstat.log when i%4 == 2
//     or without server3.log when i%4 == 3;
//
// every one of the sample's with its dates moved by i%40 weeks and its hosts renamed when
// i%3 == 1, as a directory, or as a zip (i%10 == 4) or a .tar.gz (i%10 == 9) with a folder inside.
func genIncidents(tb testing.TB, dir string, n int) []genCase {
	tb.Helper()
	src, err := filepath.Abs(filepath.Join("..", "..", "samples", "kgtn-2010120101"))
	if err != nil {
		tb.Fatal(err)
	}
	sample := map[string]string{}
	for _, name := range []string{"README.md", "license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			tb.Fatal(err)
		}
		sample[name] = string(b)
	}
	// lmstatUntil is lmstat.log up to the snapshot taken at hh:mm.
	lmstatUntil := func(hhmm string) string {
		text := sample["lmstat.log"]
		at := strings.Index(text, "Flexible License Manager status on Wed 12/1/2010 "+hhmm)
		if at < 0 {
			tb.Fatalf("no lmstat snapshot at %s in the sample", hhmm)
		}
		return text[:strings.LastIndex(text[:at], "lmutil - ")]
	}
	day0 := time.Date(2010, 12, 1, 0, 0, 0, 0, time.UTC) // a Wednesday: whole weeks keep the weekday
	var cases []genCase
	for i := range n {
		name := fmt.Sprintf("inc%03d", i)
		c := genCase{path: filepath.Join(dir, name), code: exitFindings, verdict: "CRITICAL failed-rejoin"}
		switch {
		case i%25 == 7:
			genMkdir(tb, c.path)
			c.code, c.verdict = exitError, "ERROR"
		case i%25 == 17:
			c.path += ".zip"
			genWrite(tb, c.path, []byte("PK\x03\x04 this zip was cut off after its first bytes"))
			c.code, c.verdict = exitError, "ERROR"
		case i%50 == 33:
			genMkdir(tb, c.path)
			genWrite(tb, filepath.Join(c.path, "lmgrd.log"), []byte(
				" 9:49:41 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic1 (linux) (6/8/2017)\n"+
					" 9:49:41 (lmgrd) lmgrd tcp-port 1055\n"))
			c.code, c.verdict = exitInconclusive, "INCONCLUSIVE"
		default:
			files := map[string]string{}
			switch {
			case i%20 == 11:
				files["license.dat"], files["lmstat.log"] = sample["license.dat"], lmstatUntil("10:10")
				c.code, c.verdict = exitOK, "OK"
			case i%20 == 13:
				files["license.dat"], files["lmstat.log"] = sample["license.dat"], lmstatUntil("11:00")
				c.verdict = "WARNING masterless"
			default:
				maps.Copy(files, sample)
				switch i % 4 {
				case 2:
					// logs alone: server2's log ends before the rejoin grace runs out (unknown
					// after it), so the worst that is shown is the first master's loss
					delete(files, "lmstat.log")
					c.verdict = "WARNING masterless"
				case 3:
					delete(files, "server3.log")
				}
			}
			day := day0.AddDate(0, 0, 7*(i%40))
			pairs := []string{"12/1/2010", day.Format("1/2/2006"), "Dec 01 2010", day.Format("Jan 02 2006")}
			if i%3 == 1 {
				pairs = append(pairs, "server1", fmt.Sprintf("lic%da", i), "server2", fmt.Sprintf("lic%db", i), "server3", fmt.Sprintf("lic%dc", i))
			}
			r := strings.NewReplacer(pairs...)
			varied := map[string][]byte{}
			for fn, text := range files {
				varied[fn] = []byte(r.Replace(text))
			}
			switch i % 10 {
			case 4:
				c.path += ".zip"
				genWrite(tb, c.path, genZip(tb, name, varied))
			case 9:
				c.path += ".tar.gz"
				genWrite(tb, c.path, genTgz(tb, name, varied))
			default:
				genMkdir(tb, c.path)
				for fn, b := range varied {
					genWrite(tb, filepath.Join(c.path, fn), b)
				}
			}
		}
		cases = append(cases, c)
	}
	return cases
}

func genPaths(cases []genCase) []string {
	var paths []string
	for _, c := range cases {
		paths = append(paths, c.path)
	}
	return paths
}

func genMkdir(tb testing.TB, dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
}

func genWrite(tb testing.TB, path string, b []byte) {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

func genZip(tb testing.TB, folder string, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, fn := range sortedKeys(files) {
		w, err := zw.Create(folder + "/" + fn)
		if err == nil {
			_, err = w.Write(files[fn])
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func genTgz(tb testing.TB, folder string, files map[string][]byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, fn := range sortedKeys(files) {
		err := tw.WriteHeader(&tar.Header{Name: folder + "/" + fn, Mode: 0o644, Size: int64(len(files[fn])), Typeflag: tar.TypeReg})
		if err == nil {
			_, err = tw.Write(files[fn])
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func batchEnv(k string) string {
	if k == "TZ" {
		return "UTC"
	}
	return ""
}

// runBatch runs lmtriad batch in-process.
func runBatch(tb testing.TB, args []string, paths []string) (stdout string, code int) {
	tb.Helper()
	var out, errb bytes.Buffer
	code = run(append(append([]string{"batch"}, args...), paths...), &out, &errb, batchEnv)
	if errb.Len() > 0 {
		tb.Errorf("stderr:\n%s", errb.String())
	}
	return out.String(), code
}

// TestBatchGenerated: 20 generated incidents, two at a time. The jsonl output has one valid
// report per incident in input order, the broken ones as error lines; it is the same bytes
// whatever the number of jobs; -o writes one report per incident that could be analysed.
func TestBatchGenerated(t *testing.T) {
	dir := t.TempDir()
	cases := genIncidents(t, dir, 20)
	paths := genPaths(cases)
	reports := filepath.Join(dir, "reports")
	out, code := runBatch(t, []string{"--tz", "Asia/Tokyo", "--format", "jsonl", "-j", "2", "-o", reports, "--report-format", "markdown"}, paths)
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d lines, want %d", len(lines), len(cases))
	}
	analysed, errors := 0, 0
	for i, line := range lines {
		c := cases[i]
		var got struct {
			Schema string `json:"schema"`
			Inputs []struct {
				Path string `json:"path"`
			} `json:"inputs"`
			Verdict struct {
				ExitCode int `json:"exit_code"`
			} `json:"verdict"`
			Path     string `json:"path"`
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code"`
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		if c.code == exitError || c.code == exitInconclusive {
			errors++
			if got.Path != c.path || got.Error == "" || got.ExitCode != c.code || got.Schema != "" {
				t.Errorf("line %d: want an error line for %s with exit code %d, got %.300s", i+1, c.path, c.code, line)
			}
			continue
		}
		analysed++
		if got.Schema != "lmtriad.report/v1" || len(got.Inputs) == 0 || got.Error != "" {
			t.Errorf("line %d: want the report of %s, got %.300s", i+1, c.path, line)
			continue
		}
		for _, in := range got.Inputs {
			if !strings.HasPrefix(in.Path, c.path+string(filepath.Separator)) && !strings.HasPrefix(in.Path, c.path+"!") {
				t.Errorf("line %d: input %s is not of incident %s", i+1, in.Path, c.path)
			}
		}
		if got.Verdict.ExitCode != c.code {
			t.Errorf("line %d (%s): verdict exit code %d, want %d", i+1, c.path, got.Verdict.ExitCode, c.code)
		}
	}
	if analysed == 0 || errors == 0 {
		t.Errorf("%d reports and %d error lines: the generator should make both", analysed, errors)
	}

	entries, err := os.ReadDir(reports)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != analysed+1 {
		t.Errorf("-o wrote %d files, want %d reports and index.html", len(entries), analysed)
	}
	if _, err := os.Stat(filepath.Join(reports, "index.html")); err != nil {
		t.Errorf("-o wrote no index: %v", err)
	}
	for _, c := range cases {
		name := incidentName(c.path) + ".md"
		_, err := os.Stat(filepath.Join(reports, name))
		if broken := c.code == exitError || c.code == exitInconclusive; broken != os.IsNotExist(err) {
			t.Errorf("%s: report %s: broken %v, stat error %v", c.path, name, broken, err)
		}
	}

	one, _ := runBatch(t, []string{"--tz", "Asia/Tokyo", "--format", "jsonl", "-j", "1"}, paths)
	if one != out {
		t.Error("jsonl with -j 1 differs from -j 2")
	}
}

// TestBatchTableRows: the table has a row per incident, in input order, with its zone and
// verdict or its error.
func TestBatchTableRows(t *testing.T) {
	dir := t.TempDir()
	cases := genIncidents(t, dir, 20)
	out, code := runBatch(t, []string{"--tz", "Asia/Tokyo", "-j", "4"}, genPaths(cases))
	if code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "| "+dir) {
			continue
		}
		if rows == len(cases) {
			t.Fatalf("more rows than incidents:\n%s", out)
		}
		c := cases[rows]
		cells := strings.Split(line, " | ")
		if got := strings.TrimSpace(strings.TrimPrefix(cells[0], "| ")); got != c.path {
			t.Errorf("row %d is %s, want %s", rows+1, got, c.path)
		}
		wantZone := "Asia/Tokyo (given)"
		if c.code == exitError {
			wantZone = "-"
		}
		if got := strings.TrimSpace(cells[3]); got != wantZone {
			t.Errorf("row %d (%s): zone %q, want %q", rows+1, c.path, got, wantZone)
		}
		if got := strings.TrimSpace(cells[4]); got != c.verdict {
			t.Errorf("row %d (%s): verdict %q, want %q", rows+1, c.path, got, c.verdict)
		}
		if errCell := strings.TrimSpace(strings.TrimSuffix(cells[9], "|")); (errCell == "-") != (c.code < exitError) {
			t.Errorf("row %d (%s): error %q", rows+1, c.path, errCell)
		}
		rows++
	}
	if rows != len(cases) {
		t.Errorf("%d rows, want %d:\n%s", rows, len(cases), out)
	}
}

func TestReportNames(t *testing.T) {
	got := reportNames([]string{"a/kgtn", "b/kgtn/", "c/KGTN.zip", "x/kgtn-2.tar.gz", "my incident (3).tgz", "..", ".hidden", "kgtn.gz"}, "markdown")
	want := []string{"kgtn.md", "kgtn-2.md", "KGTN-3.md", "kgtn-2-2.md", "my_incident__3_.md", "incident.md", "hidden.md", "kgtn-4.md"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// index.html is the batch's index: no report takes it.
	got = reportNames([]string{"a/index", "b/INDEX.zip", "c/index.html"}, "html")
	want = []string{"index-2.html", "INDEX-3.html", "index.html.html"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestBatchCode(t *testing.T) {
	for _, c := range []struct {
		codes []int
		want  int
	}{
		{[]int{0, 0}, 0},
		{[]int{0, 3}, 3},
		{[]int{3, 2, 0}, 2},
		{[]int{2, 3, 1, 0}, 1},
		{[]int{1}, 1},
	} {
		var incs []*incident
		for _, code := range c.codes {
			incs = append(incs, &incident{code: code})
		}
		if got := batchCode(incs); got != c.want {
			t.Errorf("batchCode(%v) = %d, want %d", c.codes, got, c.want)
		}
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, total: 4}
	for range 4 {
		p.step()
	}
	if !strings.HasPrefix(buf.String(), "\r[#######                       ] 1/4 incidents") ||
		!strings.HasSuffix(buf.String(), "\r[##############################] 4/4 incidents") {
		t.Errorf("progress drew %q", buf.String())
	}
	buf.Reset()
	p.clear()
	if s := buf.String(); strings.Trim(s, " \r") != "" || !strings.HasPrefix(s, "\r") || !strings.HasSuffix(s, "\r") {
		t.Errorf("clear wrote %q", s)
	}
}

// BenchmarkBatch200 runs a batch over 200 generated incidents (jsonl, all analysed and
// rendered) with one job, then with one per CPU, and reports for each how many cores it kept
// busy: the process's CPU time (user + system) over the wall time.
func BenchmarkBatch200(b *testing.B) {
	cases := genIncidents(b, b.TempDir(), 200)
	for _, jobs := range []int{1, 0} {
		name := "jobs=all"
		if jobs > 0 {
			name = fmt.Sprintf("jobs=%d", jobs)
		}
		b.Run(name, func(b *testing.B) {
			args := append([]string{"batch", "--tz", "Asia/Tokyo", "--format", "jsonl", "-j", fmt.Sprint(jobs)}, genPaths(cases)...)
			cpu0, ok := processCPU()
			start := time.Now()
			for b.Loop() {
				if code := run(args, io.Discard, io.Discard, batchEnv); code != exitFindings {
					b.Fatalf("exit %d, want 1", code)
				}
			}
			wall := time.Since(start)
			b.ReportMetric(float64(b.N*len(cases))/wall.Seconds(), "incidents/s")
			if cpu1, _ := processCPU(); ok {
				b.ReportMetric((cpu1-cpu0).Seconds()/wall.Seconds(), "cores")
			}
		})
	}
}
