package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// outcome is what must not change when the same evidence arrives in another form.
type outcome struct {
	Intervals []struct {
		Start, End, State string
		Masters           []string
		Servers           map[string]string
		Usage             map[string]int
	} `json:"intervals"`
	Findings []struct {
		Code, Severity, Start, End string
		Server                     *string
	} `json:"findings"`
	Verdict struct {
		State    string `json:"state"`
		ExitCode int    `json:"exit_code"`
	} `json:"verdict"`
}

func analyzeJSON(t *testing.T, paths ...string) (outcome, string) {
	t.Helper()
	args := append([]string{"analyze", "--tz", "Asia/Tokyo", "--format", "json"}, paths...)
	out, errOut, code := runAt(t, args...)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errOut)
	}
	var o outcome
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	return o, out
}

func sampleFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, n := range []string{"license.dat", "lmstat.log", "server1.log", "server2.log", "server3.log"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, sample, n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	return files
}

func writeDir(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for n, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range sortedKeys(files) {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tgzOf(t *testing.T, files map[string][]byte) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for _, n := range sortedKeys(files) {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(files[n])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return b.Bytes()
}

func sortedKeys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

// TestSampleVariants: the KGTN sample as customers send it (a zip; a tar.gz with a folder per
// server; UTF-16LE and Shift_JIS files; CRLF and LF mixed; one server's log in two overlapping
// rotated files) gives the intervals and findings of the plain sample.
func TestSampleVariants(t *testing.T) {
	want, _ := analyzeJSON(t, sample)
	files := sampleFiles(t)
	tmp := t.TempDir()

	variants := map[string]func() string{
		"zip": func() string {
			p := filepath.Join(tmp, "kgtn.zip")
			os.WriteFile(p, zipOf(t, files), 0o644)
			return p
		},
		"tar.gz per server": func() string {
			per := map[string][]byte{"incident/license.dat": files["license.dat"], "incident/monitor/lmstat.log": files["lmstat.log"]}
			for _, s := range []string{"server1", "server2", "server3"} {
				per["incident/"+s+"/lmgrd.log"] = files[s+".log"]
			}
			p := filepath.Join(tmp, "kgtn.tar.gz")
			os.WriteFile(p, tgzOf(t, per), 0o644)
			return p
		},
		"utf-16le": func() string {
			dir := filepath.Join(tmp, "utf16")
			enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
			out := map[string][]byte{}
			for n, b := range files {
				e, err := enc.Bytes(b)
				if err != nil {
					t.Fatal(err)
				}
				out[n] = e
			}
			writeDir(t, dir, out)
			return dir
		},
		"shift_jis": func() string {
			// Japanese user names and paths, so that the bytes really are Shift_JIS.
			dir := filepath.Join(tmp, "sjis")
			enc := japanese.ShiftJIS.NewEncoder()
			out := map[string][]byte{}
			for n, b := range files {
				s := strings.NewReplacer("tanaka", "田中", "sato", "佐藤", `C:\flexlm`, `C:\ライセンス`).Replace(string(b))
				e, err := enc.Bytes([]byte(s))
				if err != nil {
					t.Fatal(err)
				}
				out[n] = e
			}
			writeDir(t, dir, out)
			return dir
		},
		"crlf and lf mixed": func() string {
			dir := filepath.Join(tmp, "mixed")
			out := map[string][]byte{}
			for n, b := range files {
				lines := strings.SplitAfter(string(b), "\r\n")
				for k := range lines {
					if k%2 == 1 {
						lines[k] = strings.TrimSuffix(lines[k], "\r\n") + "\n"
					}
				}
				out[n] = []byte(strings.Join(lines, ""))
			}
			writeDir(t, dir, out)
			return dir
		},
		"rotated and overlapping": func() string {
			dir := filepath.Join(tmp, "rotated")
			out := map[string][]byte{}
			for n, b := range files {
				out[n] = b
			}
			lines := strings.SplitAfter(string(files["server1.log"]), "\r\n")
			delete(out, "server1.log")
			out["server1.log.1"] = []byte(strings.Join(lines[:130], "")) // the older file
			out["server1.log"] = []byte(strings.Join(lines[60:], ""))    // overlaps it by 70 lines, usage among them
			writeDir(t, dir, out)
			return dir
		},
	}
	for name, build := range variants {
		t.Run(name, func(t *testing.T) {
			got, raw := analyzeJSON(t, build())
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("differs from the plain sample:\n got %s\nwant %s\nreport:\n%s", g, w, raw)
			}
		})
	}
}

// A bundle with a folder per server, whose logs start mid-way (no banner): each log is
// assigned to its server by the folder name it sits in.
func TestBundleFolderNamesServers(t *testing.T) {
	log := func(self, a, b string) []byte {
		return []byte(strings.Join([]string{
			"10:00:00 (lmgrd) TIMESTAMP 12/1/2010",
			"10:00:01 (lmgrd) Connected to " + a,
			"10:00:01 (lmgrd) Connected to " + b,
			"10:00:02 (lmgrd) CONNECTED, master is server1",
			"10:30:00 (lmgrd) TIMESTAMP 12/1/2010",
		}, "\n") + "\n")
	}
	files := map[string][]byte{
		"case-4711/license.dat":          []byte("SERVER server1 0001 27001\nSERVER server2 0002 27001\nSERVER server3 0003 27001\n"),
		"case-4711/server1/lmgrd.log":    log("server1", "server2", "server3"),
		"case-4711/server2/lmgrd.log":    log("server2", "server1", "server3"),
		"case-4711/server3/debug-03.log": log("server3", "server1", "server2"),
	}
	p := filepath.Join(t.TempDir(), "case-4711.zip")
	if err := os.WriteFile(p, zipOf(t, files), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runAt(t, "analyze", "--tz", "UTC", "--format", "json", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Inputs []struct {
			Path   string  `json:"path"`
			Server *string `json:"server"`
		} `json:"inputs"`
		Intervals []struct {
			State string `json:"state"`
		} `json:"intervals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range rep.Inputs {
		if in.Server != nil {
			got[filepath.Base(filepath.Dir(in.Path))] = *in.Server
		}
	}
	for _, s := range []string{"server1", "server2", "server3"} {
		if got[s] != s {
			t.Errorf("the log in folder %s is assigned to %q (all: %v)", s, got[s], got)
		}
	}
	if len(rep.Intervals) == 0 || rep.Intervals[len(rep.Intervals)-1].State != "normal" {
		t.Errorf("intervals %v, want to end normal", rep.Intervals)
	}
}
