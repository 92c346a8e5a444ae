package parser

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/samples"
	"github.com/lmtriad/lmtriad/samples/sim"
)

// The quick path of the debug-log and lmstat workers (plainUsage, structural, runs of usage
// lines and of plain lmstat lines) gives the same File as the general path, line by line.

var plainUsageSeeds = []string{
	" 9:01:17 (bm) OUT: \"bm_solver\" tanaka@pc-1234  ",
	"19:01:17 (bm) IN: \"bm_solver\" tanaka@pc-1234  ",
	"   9:01:17 (bm) DENIED: \"bm_solver\" tanaka@pc-1234  (Licensed number of users already reached. (-4,342))",
	"9:01:17 (bm) QUEUED: \"f\" u@h",
	"9:01:17 (bm) UNSUPPORTED: \"f\" u@h",
	"9:01:17 (bm_1) OUT: \"f\" u@h",
	"9:01:17 (bm[1234]) OUT: \"f\" u@h",
	"9:01:17 (lmgrd) OUT: \"f\" u@h",
	"9:01:17 (lmgrd_2) OUT: \"f\" u@h",
	"9:01:17 (lm) OUT: x",
	"9:01:17 ((bm)) OUT: x",
	"9:01:17 (b m) OUT: x",
	"9:01:17 (bm)OUT: x",
	"9:01:17 (bm) OUT:x",
	"9:01:17 (bm) OUT: ",
	"9:01 (bm) OUT: x",
	"9:01:60 (bm) OUT: x",
	"9:01:61 (bm) OUT: x",
	"24:01:17 (bm) OUT: x",
	"9:60:17 (bm) OUT: x",
	"123:01:17 (bm) OUT: x",
	"9:011:17 (bm) OUT: x",
	"9:01:177 (bm) OUT: x",
	"12/01 9:01:17 (bm) OUT: x",
	"2023-05-01T09:01:17Z (bm) OUT: x",
	"9:01:17 () OUT: x",
	"9:01:17 (" + strings.Repeat("a", 64) + ") OUT: x",
	"9:01:17 (" + strings.Repeat("a", 65) + ") OUT: x",
	"9:01:17 (bm) IN",
	"9:01:17 (bm) INUSE: x",
	"9:01:17 (bm) DEQUEUED: x",
	"9:01:17 (bm) Lost connection to lmprod2",
	"9:01:17 (bm) BORROW",
	"",
	"9",
}

// plainUsageRef is what the general path says of a line: a usage line with a plain time of day
// from a vendor daemon, its time of day and kind.
func plainUsageRef(line []byte) (tod int32, k UsageKind, ok bool) {
	e, ok := parseEnvelope(line)
	if !ok || !e.abs.IsZero() || e.month != 0 || isLmgrd(e.daemon) {
		return 0, 0, false
	}
	k, ok = usageKind(e.msg)
	return int32(e.tod), k, ok
}

// checkPlainUsage checks plainUsage against the general path.
func checkPlainUsage(t *testing.T, s string) {
	t.Helper()
	tod, k, ok := plainUsage([]byte(s))
	rt, rk, rok := plainUsageRef([]byte(s))
	if ok && (!rok || tod != rt || k != rk) {
		t.Errorf("plainUsage(%q) = %d %d %v; the general path: %d %d %v", s, tod, k, ok, rt, rk, rok)
	}
}

func TestPlainUsage(t *testing.T) {
	for _, s := range plainUsageSeeds {
		checkPlainUsage(t, s)
	}
	// The lines of a busy log take the quick path.
	for _, s := range plainUsageSeeds[:7] {
		if _, _, ok := plainUsage([]byte(s)); !ok {
			t.Errorf("plainUsage(%q) is not ok", s)
		}
	}
}

func FuzzPlainUsage(f *testing.F) {
	for _, s := range plainUsageSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPlainUsage(t, s) })
}

// structuralRef is structural as it was first written, on the trimmed line, but for a blank
// line: lmstatState.line returns at once for it, changing nothing, so it is plain now.
func structuralRef(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 {
		return false
	}
	switch t[0] {
	case 'F', 'L', 'V', 'U', 'E', 'N', 'l', '[', '#', '-':
		return true
	case 'P', 'S':
		return lmdownLine(t) != ldNone
	}
	if t[0] >= '0' && t[0] <= '9' {
		return true
	}
	if i := bytes.Index(t, []byte(": ")); i > 0 && bytes.IndexByte(t[:i], ' ') < 0 && bytes.IndexByte(t[:i], '"') < 0 {
		return true
	}
	return false
}

var structuralSeeds = []string{
	"    tanaka pc-1234 pc-1234 (v1.0) (lmprod1/27001 1234), start Mon 5/1 9:01",
	"Users of bm_solver:  (Total of 400 licenses issued;  Total of 12 licenses in use)",
	"  \"bm_solver\" v1.0, vendor: bm, expiry: permanent",
	"lmprod1: license server UP (MASTER) v11.13.1",
	"       bm: UP v11.13.1",
	"a:b: c",
	": x",
	"x: ",
	"x:",
	"\t x: y",
	"x: y \t",
	"\u00a0x: y",
	"x: y\u00a0",
	" \v x: y",
	"Shutdown failed: x",
	"Please wait",
	"",
	"   ",
	"\t",
}

func TestStructural(t *testing.T) {
	for _, s := range structuralSeeds {
		if got, want := structural([]byte(s)), structuralRef([]byte(s)); got != want {
			t.Errorf("structural(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzStructural(f *testing.F) {
	for _, s := range structuralSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := structural([]byte(s)), structuralRef([]byte(s)); got != want {
			t.Errorf("structural(%q) = %v, want %v", s, got, want)
		}
	})
}

// readBoth reads data with the quick path and with the general path alone, and fails when
// the two Files differ.
func readBoth(t *testing.T, name string, data []byte, opt Options) {
	t.Helper()
	quick, err := Read(bytes.NewReader(data), name, opt)
	if err != nil {
		t.Fatal(err)
	}
	reference = true
	defer func() { reference = false }()
	general, err := Read(bytes.NewReader(data), name, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(quick, general) {
		t.Errorf("%s (%s, %d bytes): the quick path reads\n%s\nthe general path\n%s", name, quick.Kind, len(data), fileSummary(quick), fileSummary(general))
	}
}

func fileSummary(f *File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "lines %d recognized %d unrecognized %d warned %d first %v last %v gaps %v events %d usage %d runs %d snapshots %d\n",
		f.Lines, f.Recognized, f.Unrecognized, f.Warned, f.First, f.Last, f.Gaps, len(f.Events), len(f.Usage), len(f.Runs), len(f.Snapshots))
	for i, u := range f.Usage {
		if i == 5 {
			break
		}
		fmt.Fprintf(&b, "  %v %v\n", u.Minute, u.Counts)
	}
	for i, w := range f.Warnings {
		if i == 5 {
			break
		}
		fmt.Fprintf(&b, "  %s\n", w)
	}
	return b.String()
}

type memFile struct{ bytes.Buffer }

func (*memFile) Close() error { return nil }

func renderMem(t *testing.T, sc sim.Scenario) map[string]*memFile {
	t.Helper()
	files := map[string]*memFile{}
	_, err := sim.Render(sc, func(name string) (io.WriteCloser, error) {
		f := &memFile{}
		files[name] = f
		return f, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The simulator's incidents, among them a busy load across DST changes, skewed clocks, lmstat
// gaps and CRLF logs.
func TestQuickPathSimulated(t *testing.T) {
	var scs []sim.Scenario
	for _, name := range samples.Names() {
		b, _ := samples.Scenario(name)
		sc, err := sim.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if sc.IsSample() {
			scs = append(scs, sc)
		}
	}
	n := 12
	if testing.Short() {
		n = 3
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		scs = append(scs, sim.Random(seed, sim.RandomOptions{Rate: 2000, DST: 0.8, LmstatGaps: 0.5, Partitions: 0.2}))
	}
	for _, sc := range scs {
		loc, err := time.LoadLocation(sc.Zone)
		if err != nil {
			t.Fatal(err)
		}
		for name, f := range renderMem(t, sc) {
			if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".md") {
				continue
			}
			readBoth(t, sc.Name+"/"+name, f.Bytes(), Options{Location: loc})
		}
	}
}

// Hand-made logs: steps of 0 to 40 s, back steps, midnights, silences, lines before the first
// date, a date that jumps ahead and back, restarts, lmgrd's lines, CRLF, NULs, long lines.
func TestQuickPathHandMade(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		var b bytes.Buffer
		eol := "\n"
		if seed%3 == 0 {
			eol = "\r\n"
		}
		t0 := 22*3600 + rng.Intn(3600)
		day := 4 // 2017-11-04: the next night repeats an hour in New York
		line := func(format string, args ...any) {
			fmt.Fprintf(&b, "%2d:%02d:%02d ", t0/3600, t0/60%60, t0%60)
			fmt.Fprintf(&b, format, args...)
			b.WriteString(eol)
		}
		for i := 0; i < 20000; i++ {
			switch r := rng.Intn(1000); {
			case r < 2:
				t0 += 600 + rng.Intn(8*3600) // a silence, maybe a midnight
			case r < 4:
				t0 -= rng.Intn(3 * 3600) // a step back: jitter, DST, or a false midnight
			case r < 100:
				t0 += rng.Intn(41)
			default:
				t0 += rng.Intn(4)
			}
			if t0 < 0 {
				t0 = 0
			}
			if t0 >= 86400 {
				t0 -= 86400
				day++
			}
			switch r := rng.Intn(2000); {
			case r < 2 && i > 500:
				line("(lmgrd) TIMESTAMP 11/%d/2017", day)
			case r < 3 && i > 500:
				line("(lmgrd) TIMESTAMP 11/%d/2017", day+5) // a suspect jump ahead
			case r < 6:
				line("(lmgrd) Lost connection to lmprod%d", 1+rng.Intn(3))
			case r < 8:
				line("(bm) OUT: \"f\" u\x00ser@h")
			case r < 9:
				b.WriteString("\tcontinued" + eol)
			case r < 10:
				line("(bm) OUT: \"f\" %s", strings.Repeat("x", 100+rng.Intn(200)))
			case r < 12:
				line("(lmgrd) OUT: \"f\" u@h")
			case r < 14:
				fmt.Fprintf(&b, "%d/%d %2d:%02d (bm) OUT: \"f\" u@h%s", 11, day, t0/3600, t0/60%60, eol)
			case r < 17 && i > 500: // a restart: its Prev is the line before the latest jump of the clock
				line("(lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lmprod1 (linux) (11/%d/2017)", day)
			default:
				kinds := []string{"OUT", "IN", "DENIED", "QUEUED", "DEQUEUED"}
				line("(bm) %s: \"bm_solver\" user%d@pc-%04d  ", kinds[rng.Intn(len(kinds))], rng.Intn(50), rng.Intn(9999))
			}
		}
		for _, loc := range []*time.Location{time.UTC, ny} {
			readBoth(t, fmt.Sprintf("hand-%d-%s", seed, loc), b.Bytes(), Options{Location: loc})
		}
	}
}

// BenchmarkParseBlock measures a debug-log worker alone on a block of usage lines, and
// BenchmarkParseLmstatBlock an lmstat worker on a block of runs listing users.
func BenchmarkParseBlock(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < blockSize; i++ {
		t := 9*3600 + i/3
		fmt.Fprintf(&buf, "%2d:%02d:%02d (bm) %s: \"bm_solver\" user%d@pc-%04d  \n", t/3600, t/60%60, t%60, []string{"OUT", "IN"}[i%2], i%40, i%10000)
	}
	benchBlock(b, buf.Bytes(), parseBlock)
}

func BenchmarkParseLmstatBlock(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < blockSize; i++ {
		if i%100 == 0 {
			buf.WriteString("Users of bm_solver:  (Total of 400 licenses issued;  Total of 100 licenses in use)\n\n  \"bm_solver\" v1.0, vendor: bm, expiry: permanent\n  floating license\n\n")
		}
		fmt.Fprintf(&buf, "    user%d pc-%04d pc-%04d (v1.0) (lmprod1/27001 %d), start Mon 5/1 8:%02d\n", i%40, i%10000, i%10000, 100+i, i%60)
	}
	benchBlock(b, buf.Bytes(), parseLmstatBlock)
}

func benchBlock(b *testing.B, data []byte, parse func(*block) *batch) {
	lines := bytes.Count(data, []byte("\n"))
	blk := &block{data: data}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		batchPool.Put(parse(blk))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(lines), "ns/line")
}

// The pipeline reads the same whatever the cores: one worker, or more than maxWorkers.
func TestPipelineCores(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(" 8:55:10 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)\n")
	for i := 0; b.Len() < 3<<20; i++ {
		s := 9*3600 + i/2
		fmt.Fprintf(&b, "%2d:%02d:%02d (bm) %s: \"bm_solver\" user%d@pc-%04d  \n", s/3600%24, s/60%60, s%60, []string{"OUT", "IN", "DENIED"}[i%3], i%40, i%10000)
	}
	want, err := Read(bytes.NewReader(b.Bytes()), "cores", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 3, 2 * maxWorkers} {
		runtime.GOMAXPROCS(procs)
		got, err := Read(bytes.NewReader(b.Bytes()), "cores", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("GOMAXPROCS %d: read\n%s\nwant\n%s", procs, fileSummary(got), fileSummary(want))
		}
	}
}

// The lmstat predicates look at a trimmed line's first byte before anything else; they say
// what they said without that look.
func isStampRef(t []byte) bool {
	t = bytes.TrimSpace(bytes.TrimPrefix(t, []byte("#")))
	if len(t) < 20 || len(t) > 40 || t[4] != '-' || t[10] != 'T' {
		return false
	}
	_, n, ok := isoTime(string(t))
	return ok && n == len(t)
}

func isCopyrightRef(t []byte) bool {
	return (bytes.HasPrefix(t, []byte("lmutil")) || bytes.HasPrefix(t, []byte("lmstat"))) && bytes.Contains(t, []byte(" - Copyright"))
}

func isSeparatorRef(t []byte) bool { return len(t) >= 20 && len(bytes.Trim(t, "-")) == 0 }

func lmdownLineRef(t []byte) lmdownKind {
	switch {
	case len(t) == 0:
		return ldNone
	case bytes.HasPrefix(t, []byte("lmdown")) && bytes.Contains(t, []byte(" - Copyright")):
		return ldCopyright
	case bytes.HasPrefix(t, []byte("Port@Host")) && bytes.Contains(t, []byte("Vendors")):
		return ldPortHost
	case bytes.HasPrefix(t, []byte("Please wait ")) && bytes.Contains(t, []byte(" for lmgrd processes to shut")):
		return ldWait
	case bytes.HasPrefix(t, []byte("Shutdown failed: ")):
		return ldFailed
	case t[0] >= '0' && t[0] <= '9' && bytes.HasSuffix(t, []byte(" shut down")) &&
		(bytes.Contains(t, []byte(" License Server")) || bytes.Contains(t, []byte(" license server"))):
		if _, n := atoi(string(t)); n > 0 && n < len(t) && t[n] == ' ' {
			return ldShutDown
		}
	}
	return ldNone
}

func checkFirstByte(t *testing.T, s string) {
	b := bytes.TrimSpace([]byte(s))
	if got, want := isStamp(b), isStampRef(b); got != want {
		t.Errorf("isStamp(%q) = %v, want %v", b, got, want)
	}
	if got, want := isCopyright(b), isCopyrightRef(b); got != want {
		t.Errorf("isCopyright(%q) = %v, want %v", b, got, want)
	}
	if got, want := isSeparator(b), isSeparatorRef(b); got != want {
		t.Errorf("isSeparator(%q) = %v, want %v", b, got, want)
	}
	if got, want := lmdownLine(b), lmdownLineRef(b); got != want {
		t.Errorf("lmdownLine(%q) = %v, want %v", b, got, want)
	}
}

var firstByteSeeds = []string{
	"# 2023-05-01T00:03:02+09:00", "#2023-05-01T00:03:02Z", "2023-05-01T00:03:02.5-07:00", " # 2023-05-01T00:03:02Z",
	"lmutil - Copyright (c) 1989-2016 Flexera Software LLC. All Rights Reserved.", "lmstat v11.13 - Copyright (c) Flexera",
	"lmdown - Copyright (c) 1989-2019 Flexera. All Rights Reserved.", "Port@Host                       Vendors",
	"Please wait for lmgrd processes to shut down...", "Shutdown failed: (-96,7)", "1 FlexNet License Server shut down",
	"----------------------------------------------------------------------------", "--", "",
}

func TestFirstByteGuards(t *testing.T) {
	for _, s := range firstByteSeeds {
		checkFirstByte(t, s)
	}
}

func FuzzFirstByteGuards(f *testing.F) {
	for _, s := range firstByteSeeds {
		f.Add(s)
	}
	f.Fuzz(checkFirstByte)
}
