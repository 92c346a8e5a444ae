package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStdinSpooledToFile: standard input larger than the spool keeps in memory goes to a
// temporary file, is read again from it in the zone its lines tell, and the file is removed.
func TestStdinSpooledToFile(t *testing.T) {
	defer func(n int) { spoolMemory = n }(spoolMemory)
	spoolMemory = 1000
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	log, err := os.ReadFile(filepath.Join(repoRoot, sample, "server1.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(log) <= spoolMemory {
		t.Fatalf("server1.log has %d bytes: too few to test the spool", len(log))
	}
	t.Chdir(repoRoot)
	env := func(k string) string {
		if k == "TZ" {
			return "America/Denver"
		}
		return ""
	}
	others := []string{sample + "/license.dat", sample + "/lmstat.log", sample + "/server2.log", sample + "/server3.log"}
	var want, got, errb bytes.Buffer
	if code := runWith(append([]string{"analyze", "-f", "csv", "--tz", "Asia/Tokyo", sample + "/server1.log"}, others...), nil, &want, &errb, env); code != exitFindings {
		t.Fatalf("with --tz: exit %d: %s", code, errb.String())
	}
	if code := runWith(append(append([]string{"analyze", "-f", "csv"}, others...), "-"), bytes.NewReader(log), &got, &errb, env); code != exitFindings {
		t.Fatalf("without --tz: exit %d: %s", code, errb.String())
	}
	if errb.Len() != 0 {
		t.Errorf("stderr: %s", errb.String())
	}
	if got.String() != want.String() {
		t.Errorf("standard input read again in the zone its lines tell differs from --tz Asia/Tokyo:\n%s", diff(want.String(), got.String()))
	}
	if !strings.Contains(got.String(), "+09:00") {
		t.Errorf("times not in Tokyo's offset:\n%s", got.String())
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("left behind in the temporary directory: %s", e.Name())
	}
}

// TestSpool: what is written is read back whole, from memory or from the file, as often as
// asked.
func TestSpool(t *testing.T) {
	defer func(n int) { spoolMemory = n }(spoolMemory)
	spoolMemory = 10
	t.Setenv("TMPDIR", t.TempDir())
	for _, parts := range [][]string{{"short"}, {"0123456789", "a"}, {"01234", "56789abcdefghij", "", "k"}} {
		var s spool
		for _, p := range parts {
			if n, err := s.Write([]byte(p)); err != nil || n != len(p) {
				t.Fatalf("Write(%q) = %d, %v", p, n, err)
			}
		}
		want := strings.Join(parts, "")
		for range 2 {
			var b bytes.Buffer
			if _, err := b.ReadFrom(s.reader()); err != nil {
				t.Fatal(err)
			}
			if b.String() != want {
				t.Errorf("read back %q, want %q", b.String(), want)
			}
		}
		if (s.file != nil) != (len(want) > spoolMemory) {
			t.Errorf("%q: in a file: %v", want, s.file != nil)
		}
		s.close()
	}
}
