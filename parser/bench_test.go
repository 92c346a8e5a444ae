package parser_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lmtriad/lmtriad/parser"
)

// busyLog makes a debug log of about size bytes: a banner, then mostly usage lines, as the
// master of a busy triad writes, with a TIMESTAMP every 6 hours.
func busyLog(size int) []byte {
	rng := rand.New(rand.NewSource(1))
	users := []string{"tanaka", "suzuki", "sato", "kato", "ito", "watanabe", "yamamoto", "nakamura"}
	var b bytes.Buffer
	b.WriteString(" 8:55:10 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)\n")
	t, day := 8*3600+56*60, 1
	for b.Len() < size {
		t += rng.Intn(3)
		if t >= 86400 {
			t -= 86400
			day++
		}
		if t%(6*3600) == 0 {
			fmt.Fprintf(&b, "%2d:%02d:%02d (lmgrd) TIMESTAMP 12/%d/2010\n", t/3600, t/60%60, t%60, day)
		}
		kind := "OUT"
		if rng.Intn(2) == 0 {
			kind = "IN"
		}
		fmt.Fprintf(&b, "%2d:%02d:%02d (bm) %s: \"bm_solver\" %s@pc-%04d  \n", t/3600, t/60%60, t%60, kind, users[rng.Intn(len(users))], rng.Intn(10000))
	}
	return b.Bytes()
}

// BenchmarkReadDebugLog measures the debug-log reader (hashing included) in MB/s.
func BenchmarkReadDebugLog(b *testing.B) {
	data := busyLog(32 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := parser.Read(bytes.NewReader(data), "bench.log", parser.Options{Location: time.UTC})
		if err != nil || f.Kind != parser.KindDebugLog || f.Unrecognized != 0 {
			b.Fatal(err, f.Kind, f.Unrecognized)
		}
	}
}

// BenchmarkReadUsageLines measures the debug-log reader on a log of usage lines only (OUT, IN,
// DENIED; about 50 bytes each), the worst case for the ratio to grep: allocs/op is what reading
// the file costs, whatever its length (see TestNoAllocationPerUsageLine).
func BenchmarkReadUsageLines(b *testing.B) {
	data := usageLog(6000, 100) // 600,000 lines, about 29 MB
	benchRead(b, data, parser.KindDebugLog)
}

// BenchmarkReadLmstatUsers measures the lmstat reader on runs that list many users (the
// feature usage lines, most of a big lmstat file).
func BenchmarkReadLmstatUsers(b *testing.B) {
	data := lmstatRuns(1500, 200)
	benchRead(b, data, parser.KindLmstat)
}

func benchRead(b *testing.B, data []byte, kind parser.Kind) {
	lines := bytes.Count(data, []byte("\n"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := parser.Read(bytes.NewReader(data), "bench", parser.Options{Location: time.UTC})
		if err != nil || f.Kind != kind || f.Lines != lines {
			b.Fatal(err, f.Kind, f.Lines)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(lines), "ns/line")
	b.ReportMetric(float64(lines), "lines/op")
}

// BenchmarkReadLmstat measures the lmstat reader on the sample's lmstat file, repeated.
func BenchmarkReadLmstat(b *testing.B) {
	one, err := os.ReadFile(filepath.Join("..", "samples", "kgtn-2010120101", "lmstat.log"))
	if err != nil {
		b.Skip(err)
	}
	data := bytes.Repeat(one, 8)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := parser.Read(bytes.NewReader(data), "lmstat.log", parser.Options{Location: time.UTC}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadLicense measures the license file reader.
func BenchmarkReadLicense(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("SERVER server1 17003456 27001\nSERVER server2 17004355 27001\nSERVER server3 17007ea8 27001\nVENDOR bm\n")
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "FEATURE f%d bm 1.0 permanent 10 \\\n\tSIGN=\"0123 4567 89AB CDEF\"\n", i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := parser.Read(bytes.NewReader(data), "license.dat", parser.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The pipeline gives the same File as reading line by line would: every line counted once, in
// order, whatever the block edges (the busy log is many blocks long).
func TestPipelineLargeLog(t *testing.T) {
	data := busyLog(5 << 20)
	f, err := parser.Read(bytes.NewReader(data), "big.log", parser.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if want := bytes.Count(data, []byte("\n")); f.Lines != want || f.Recognized != want {
		t.Fatalf("lines %d recognized %d, want %d", f.Lines, f.Recognized, want)
	}
	outs, ins := 0, 0
	for _, u := range f.Usage {
		outs += u.Count(parser.UsageOut)
		ins += u.Count(parser.UsageIn)
	}
	if outs != bytes.Count(data, []byte(" OUT: ")) || ins != bytes.Count(data, []byte(" IN: ")) {
		t.Errorf("usage OUT %d IN %d, want %d %d", outs, ins, bytes.Count(data, []byte(" OUT: ")), bytes.Count(data, []byte(" IN: ")))
	}
	for k := 1; k < len(f.Usage); k++ {
		if !f.Usage[k].Minute.After(f.Usage[k-1].Minute) {
			t.Fatalf("usage minutes out of order at %d", k)
		}
	}
	if last := f.Usage[len(f.Usage)-1].Minute; f.Last.Before(last) || f.Last.Sub(last) >= time.Minute {
		t.Errorf("last line %v is not in the last usage minute %v", f.Last, last)
	}
}
