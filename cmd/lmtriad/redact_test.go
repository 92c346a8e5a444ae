package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// kgtn copies the bundled sample into a new folder and returns it.
func kgtn(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kgtn")
	if err := copyDir("../../samples/kgtn-2010120101", dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// realNames are names of the sample that must not be in what redact writes.
var realNames = []string{"server1", "server2", "server3", "tanaka", "pc-0123", "17003456", "0A3F 91C2"}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(names)
	return names
}

func TestRedactFolder(t *testing.T) {
	in := kgtn(t)
	tmp := t.TempDir()
	out, mp := filepath.Join(tmp, "out"), filepath.Join(tmp, "site.map")
	code, stdout, stderr := runSim(t, "redact", in, "-o", out, "--map", mp)
	if code != exitOK {
		t.Fatalf("redact: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := strings.Join(listDir(t, out), " "); got != "license.dat lmstat.log server-a.log server-b.log server-c.log" {
		t.Errorf("redact wrote %s", got)
	}
	for _, want := range []string{"redacted 5 files into " + out, "skipped 1, not a debug log, lmstat output or license file: " + in + "/README.md",
		"server names", "3, 4433 replacements", "user names", "license signatures", "the real names are in " + mp} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary does not say %q:\n%s", want, stderr)
		}
	}
	for _, f := range listDir(t, out) {
		b, _ := os.ReadFile(filepath.Join(out, f))
		for _, n := range realNames {
			if strings.Contains(strings.ToLower(string(b)), strings.ToLower(n)) {
				t.Errorf("%s holds %s", f, n)
			}
		}
	}
	if st, err := os.Stat(mp); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the map: %v, mode %v (want 0600: it holds the real names)", err, st.Mode())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 2 {
		t.Errorf("left beside the output: %v", entries)
	}

	// The redacted incident analyses to the same verdict; its report, reversed, names the servers.
	code, report, _ := runSim(t, "analyze", "--tz", "Asia/Tokyo", "-f", "json", "-o", filepath.Join(tmp, "r.json"), out)
	if code != exitFindings {
		t.Fatalf("analyze of the redacted sample: exit %d\n%s", code, report)
	}
	code, back, stderr := runSim(t, "redact", "--reverse", "--map", mp, filepath.Join(tmp, "r.json"))
	if code != exitOK || !strings.Contains(back, `"name": "server2"`) || strings.Contains(back, "server-b") ||
		!strings.Contains(back, `"verdict"`) || !strings.Contains(back, "server2 came back") {
		t.Errorf("redact --reverse: exit %d\n%s%s", code, back, stderr)
	}

	// Again with the map: the same files, byte for byte.
	out2 := filepath.Join(tmp, "out2")
	if code, _, stderr := runSim(t, "redact", in, "-o", out2, "--map", mp); code != exitOK {
		t.Fatalf("redact again: exit %d\n%s", code, stderr)
	}
	for _, f := range listDir(t, out) {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(out2, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs the second time", f)
		}
	}
}

// The summary names each kind in the plural: "IP addresses", not "IP addresss".
func TestRedactSummaryPlurals(t *testing.T) {
	tmp := t.TempDir()
	in := filepath.Join(tmp, "lic1.log")
	os.WriteFile(in, []byte(" 9:00:00 (lmgrd) FlexNet Licensing (v11.13.1.2 build 173085 x64_lsb) started on lic1 (linux) (9/1/2025)\n"+
		" 9:00:04 (lmgrd) lmgrd tcp-port 27000 on 10.20.30.40, mail it@acme-corp.com\n"), 0o644)
	code, stdout, stderr := runSim(t, "redact", in, "-o", filepath.Join(tmp, "out"))
	if code != exitOK {
		t.Fatalf("redact: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"IP addresses ", "e-mail addresses ", "server names "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the summary does not say %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "addresss") {
		t.Errorf("the summary misspells a kind:\n%s", stderr)
	}
}

// Bundles in and out: a zip of a folder per server becomes a .tar.gz and a .zip whose names are
// redacted too, and that analyse as the bundle does.
func TestRedactBundles(t *testing.T) {
	in := kgtn(t)
	tmp := t.TempDir()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for f, name := range map[string]string{"server1.log": "server1/lmgrd.log", "server2.log": "server2/lmgrd.log",
		"server3.log": "server3/lmgrd.log", "lmstat.log": "lmstat.log", "license.dat": "license.dat"} {
		b, _ := os.ReadFile(filepath.Join(in, f))
		w, _ := zw.Create("incident-server1/" + name)
		w.Write(b)
	}
	zw.Close()
	bundle := filepath.Join(tmp, "from-server1.zip")
	os.WriteFile(bundle, zb.Bytes(), 0o644)
	code, want, _ := runSim(t, "analyze", "--tz", "Asia/Tokyo", "--color", "never", bundle)
	if code != exitFindings {
		t.Fatalf("analyze of the bundle: exit %d", code)
	}
	for _, out := range []string{filepath.Join(tmp, "redacted.tar.gz"), filepath.Join(tmp, "redacted.zip")} {
		code, _, stderr := runSim(t, "redact", bundle, "-o", out)
		if code != exitOK || !strings.Contains(stderr, "no --map") {
			t.Fatalf("redact to %s: exit %d\n%s", out, code, stderr)
		}
		names := archiveNames(t, out)
		if got := strings.Join(names, " "); got != "incident-server-a/license.dat incident-server-a/lmstat.log incident-server-a/server-a/lmgrd.log "+
			"incident-server-a/server-b/lmgrd.log incident-server-a/server-c/lmgrd.log" {
			t.Errorf("%s holds %s", out, got)
		}
		code, got, _ := runSim(t, "analyze", "--tz", "Asia/Tokyo", "--color", "never", out)
		if code != exitFindings || !strings.Contains(got, "Verdict: CRITICAL failed-rejoin") || !strings.Contains(got, "server-b came back") {
			t.Errorf("analyze %s: exit %d\n%s", out, code, got)
		}
		if strings.Count(got, "\n") < strings.Count(want, "\n")-5 {
			t.Errorf("the report of %s is much shorter than the bundle's", out)
		}
	}
}

func archiveNames(t *testing.T, p string) []string {
	t.Helper()
	var names []string
	if strings.HasSuffix(p, ".zip") {
		zr, err := zip.OpenReader(p)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		return names
	}
	f, _ := os.Open(p)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}

// What redact refuses, before anything is written.
func TestRedactRefuses(t *testing.T) {
	in := kgtn(t)
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	os.MkdirAll(full, 0o755)
	os.WriteFile(filepath.Join(full, "x"), []byte("x"), 0o644)
	out := filepath.Join(tmp, "out")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"redact", in}, "-o OUT is required"},
		{[]string{"redact", in, "-o", out, "--map", filepath.Join(out, "site.map")}, "is inside -o"},
		{[]string{"redact", in, "-o", filepath.Join(tmp, "r.zip"), "--map", filepath.Join(tmp, "r.zip")}, "is inside -o"},
		{[]string{"redact", in, "-o", out, "--map", filepath.Join(in, "site.map")}, "is an input, or inside one"},
		{[]string{"redact", in, "-o", full}, "is not empty"},
		{[]string{"redact", in, "-o", filepath.Join(in, "redacted")}, "is an input, or inside one"},
		{[]string{"redact", in, "-o", filepath.Join(in, "server1.log")}, "not a folder"},
		{[]string{"redact", filepath.Join(in, "server1.log"), "-o", filepath.Join(in, "server1.log") + ".zip"}, ""},
		{[]string{"redact", in, "-o", filepath.Dir(in)}, "is not empty"},
		{[]string{"redact", "-", "-o", out}, "standard input"},
		{[]string{"redact", in, "-o", filepath.Join(tmp, "r.tar")}, "a folder, a .zip or a .tar.gz"},
		{[]string{"redact", in, "-o", out, "--format", "json"}, "--format goes with --reverse"},
		{[]string{"redact", "--reverse", filepath.Join(in, "server1.log")}, "--map FILE is required"},
		{[]string{"redact", "--reverse", "--map", filepath.Join(tmp, "nosuch.map"), filepath.Join(in, "server1.log")}, "no such file"},
		{[]string{"redact", in, "-o", out, "--encoding", "latin1"}, "--encoding"},
		{[]string{"redact", filepath.Join(tmp, "nosuch"), "-o", out}, "nosuch"},
	} {
		code, stdout, stderr := runSim(t, c.args...)
		if c.want == "" { // refused as output beside the input: written (not an input itself)
			if code != exitOK {
				t.Errorf("%v: exit %d\n%s", c.args, code, stderr)
			}
			continue
		}
		if code != exitError || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 saying %q\n%s%s", c.args, code, c.want, stdout, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: %s written", c.args, out)
		}
	}
	if got := listDir(t, in); strings.Join(got, " ") != "README.md license.dat lmstat.log server1.log server2.log server3.log server1.log.zip" &&
		strings.Join(got, " ") != "README.md license.dat lmstat.log server1.log server1.log.zip server2.log server3.log" {
		t.Errorf("the input folder now holds %v", got)
	}
}

// A leak found by the final scan: exit 2 naming its kind, never the name, and nothing kept:
// not the output, not the map, not a temporary file.
func TestRedactLeakRemovesOutput(t *testing.T) {
	in := kgtn(t)
	defer func() { redactHook = nil }()
	redactHook = func(dir string) {
		f, err := os.OpenFile(filepath.Join(dir, "lmstat.log"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("    TANAKA was here\n")
		f.Close()
	}
	for _, name := range []string{"out", "out.zip", "out.tar.gz"} {
		tmp := t.TempDir()
		code, stdout, stderr := runSim(t, "redact", in, "-o", filepath.Join(tmp, name), "--map", filepath.Join(tmp, "site.map"))
		if code != exitError || !strings.Contains(stderr, "the final check found a user name still there in 1 file written") ||
			strings.Contains(strings.ToLower(stderr), "tanaka") {
			t.Errorf("%s: exit %d\n%s%s", name, code, stdout, stderr)
		}
		if left := listDir(t, tmp); len(left) != 0 {
			t.Errorf("%s: left %v", name, left)
		}
	}
}

// Hostile input fails as analyze fails, and leaves nothing.
func TestRedactHostileInput(t *testing.T) {
	tmp := t.TempDir()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("big.log")
	w.Write(bytes.Repeat([]byte{'a'}, 8<<20))
	zw.Close()
	bomb := filepath.Join(tmp, "bomb.zip")
	os.WriteFile(bomb, zb.Bytes(), 0o644)
	damaged := filepath.Join(tmp, "damaged.zip")
	os.WriteFile(damaged, append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xff}, 100)...), 0o644)
	outDir := t.TempDir()
	for _, c := range []struct{ path, want string }{{bomb, "compression ratio"}, {damaged, "zip"}} {
		code, _, stderr := runSim(t, "redact", c.path, "-o", filepath.Join(outDir, "out"))
		if code != exitError || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d\n%s", c.path, code, stderr)
		}
		if left := listDir(t, outDir); len(left) != 0 {
			t.Errorf("%s: left %v", c.path, left)
		}
	}
}

// --reverse reads a report from standard input, detects its format and writes -o.
func TestRedactReverseStdin(t *testing.T) {
	tmp := t.TempDir()
	mp := filepath.Join(tmp, "site.map")
	os.WriteFile(mp, []byte(`{"schema":"lmtriad.redact-map/v1","entries":[{"kind":"server","original":"lic_a","pseudonym":"server-a"}]}`), 0o600)
	var out, errb bytes.Buffer
	code := runWith([]string{"redact", "--reverse", "--map", mp, "-", "-o", filepath.Join(tmp, "r.md")},
		strings.NewReader("# lmtriad\n\nserver-a was down; `server-a`\n"), &out, &errb, func(string) string { return "" })
	b, _ := os.ReadFile(filepath.Join(tmp, "r.md"))
	if code != exitOK || string(b) != "# lmtriad\n\nlic\\_a was down; `lic_a`\n" {
		t.Errorf("exit %d, wrote %q\n%s", code, b, errb.String())
	}
}

// Real logs: what the review found surviving redaction is replaced (the MAC addresses of the
// SLOG block and "hostid is", the accounts and nodes of SLOG client info, the host of an FQDN
// under a sub-domain), and the versions that are not addresses stay.
func TestRedactRealWorld(t *testing.T) {
	if _, err := os.Stat(realworld); err != nil {
		t.Skipf("no real-world folder at %s", realworld)
	}
	for _, c := range []struct {
		dir         string
		gone, stays []string
	}{
		{"parse_lmgrd_log", []string{"507c6f06e896", "ae5e20524153", "cc96e5966f17", "0250f21e0a00", "192.0.2."}, []string{"11.19.6.0"}},
		{"flexlm_reporter", []string{"acct0", "moab.", "nyx7005"}, []string{"ms at "}},
	} {
		in := filepath.Join(realworld, c.dir)
		if _, err := os.Stat(in); err != nil {
			continue
		}
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runSim(t, "redact", in, "-o", out)
		if code != exitOK {
			t.Errorf("%s: exit %d\n%s%s", c.dir, code, stdout, stderr)
			continue
		}
		var all strings.Builder
		for _, f := range listDir(t, out) {
			b, _ := os.ReadFile(filepath.Join(out, f))
			all.Write(b)
		}
		low := strings.ToLower(all.String())
		for _, s := range c.gone {
			if strings.Contains(low, s) {
				t.Errorf("%s: %q is still in the redacted files", c.dir, s)
			}
		}
		for _, s := range c.stays {
			if !strings.Contains(low, s) {
				t.Errorf("%s: %q is no longer in the redacted files", c.dir, s)
			}
		}
	}
}
