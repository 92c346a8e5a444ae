package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/lmtriad/lmtriad/parser"
)

// writeFiles writes name -> content under the current directory.
func writeFiles(t *testing.T, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// noTemporaryFiles fails when a temporary report file is left anywhere under dir.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

func readString(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A new report appears whole at Commit, with the mode os.Create would give it; nothing else
// is left in the directory.
func TestOutputNewFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	o, err := createOutput("r.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("the report\n"))
	if _, err := os.Stat("r.txt"); !os.IsNotExist(err) {
		t.Errorf("r.txt exists before Commit (%v)", err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, "r.txt"); got != "the report\n" {
		t.Errorf("r.txt = %q", got)
	}
	ref, err := os.Create("ref.txt")
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	want, _ := os.Stat("ref.txt")
	got, _ := os.Stat("r.txt")
	if got.Mode() != want.Mode() {
		t.Errorf("mode %v, want %v as os.Create gives", got.Mode(), want.Mode())
	}
	if entries, _ := os.ReadDir("."); len(entries) != 2 {
		t.Errorf("directory holds %d entries, want r.txt and ref.txt", len(entries))
	}
	o.Abort() // after Commit: nothing
	if _, err := os.Stat("r.txt"); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
}

// An existing report (not an input) is replaced whole and keeps its mode; until Commit it
// holds the old content.
func TestOutputReplacesKeepingMode(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, map[string]string{"r.txt": "old"})
	if err := os.Chmod("r.txt", 0o640); err != nil {
		t.Fatal(err)
	}
	o, err := createOutput("r.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("new"))
	if got := readString(t, "r.txt"); got != "old" {
		t.Errorf("before Commit r.txt = %q, want the old content", got)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, "r.txt"); got != "new" {
		t.Errorf("r.txt = %q", got)
	}
	if fi, _ := os.Stat("r.txt"); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	noTemporaryFiles(t, ".")
}

// A target that is an input, however it names it, is refused before anything is written.
func TestOutputRefusesInputs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, map[string]string{
		"inc/server1.log": "evidence 1",
		"inc/bundle.zip":  "an archive",
		"a!b.zip":         "an archive with a ! in its name",
		"real.log":        "evidence 2",
	})
	folder := []string{"inc", "inc/server1.log", "inc/bundle.zip!server2/lmgrd.log"}
	links := os.Symlink("inc/server1.log", "link.log") == nil && os.Symlink("real.log", "ilink.log") == nil
	hard := os.Link("inc/server1.log", "hard.log") == nil
	for _, tc := range []struct {
		name, target string
		inputs       []string
		input        string // named in the message
		skip         bool
	}{
		{"same path", "inc/server1.log", folder, "inc/server1.log", false},
		{"./", "./inc/server1.log", folder, "inc/server1.log", false},
		{"..", "inc/../inc/server1.log", folder, "inc/server1.log", false},
		{"absolute", filepath.Join(dir, "inc", "server1.log"), folder, "inc/server1.log", false},
		{"named alone", "inc/server1.log", []string{"inc/server1.log"}, "inc/server1.log", false},
		{"symlink to an input", "link.log", folder, "inc/server1.log", !links},
		{"input that is a symlink", "real.log", []string{"ilink.log"}, "ilink.log", !links},
		{"hard link", "hard.log", folder, "inc/server1.log", !hard},
		{"archive given", "inc/bundle.zip", []string{"inc/bundle.zip", "inc/bundle.zip!server1.log"}, "inc/bundle.zip", false},
		{"archive in a folder", "inc/bundle.zip", folder, "inc/bundle.zip", false},
		{"archive with a ! in its name", "a!b.zip", []string{"a!b.zip!x.log"}, "a!b.zip", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip {
				t.Skip("no links here")
			}
			before, _ := os.ReadFile(tc.target)
			o, err := createOutput(tc.target, nil, statInputs(tc.inputs))
			if err == nil {
				o.Abort()
				t.Fatal("not refused")
			}
			want := "-o " + tc.target + ": this is an input file (" + tc.input + "); write the report elsewhere"
			if err.Error() != want {
				t.Errorf("error %q\nwant  %q", err, want)
			}
			if after, _ := os.ReadFile(tc.target); !bytes.Equal(before, after) {
				t.Errorf("%s changed", tc.target)
			}
			noTemporaryFiles(t, dir)
		})
	}
	// Inputs in two sets (batch: every incident's, and this one's).
	if _, err := createOutput("real.log", nil, statInputs(folder), statInputs([]string{"real.log"})); err == nil {
		t.Error("an input of the second set is not refused")
	}
}

// A new file in an input folder overwrites nothing: allowed.
func TestOutputNewFileInInputFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, map[string]string{"inc/server1.log": "evidence"})
	o, err := createOutput("inc/report.txt", nil, statInputs([]string{"inc", "inc/server1.log"}))
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("report"))
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, "inc/server1.log"); got != "evidence" {
		t.Errorf("the input changed: %q", got)
	}
}

// A write that fails leaves the old target as it was and no temporary file; the error names
// the target, not the temporary file.
func TestOutputFailedWrite(t *testing.T) {
	for _, existing := range []bool{true, false} {
		t.Run(map[bool]string{true: "existing", false: "new"}[existing], func(t *testing.T) {
			t.Chdir(t.TempDir())
			if existing {
				writeFiles(t, map[string]string{"r.txt": "old"})
			}
			o, err := createOutput("r.txt", nil)
			if err != nil {
				t.Fatal(err)
			}
			o.Write([]byte("the first part"))
			o.f.Close() // the disk goes away
			_, werr := o.Write(bytes.Repeat([]byte("x"), 1<<16))
			cerr := o.Commit()
			for _, err := range []error{werr, cerr} {
				if err == nil || !strings.HasPrefix(err.Error(), "-o r.txt: ") || strings.Contains(err.Error(), ".tmp") {
					t.Errorf("error %v, want one that names -o r.txt and not the temporary file", err)
				}
			}
			got, err := os.ReadFile("r.txt")
			switch {
			case existing && string(got) != "old":
				t.Errorf("r.txt = %q, want the old content", got)
			case !existing && !os.IsNotExist(err):
				t.Errorf("r.txt exists after a failed write: %q", got)
			}
			noTemporaryFiles(t, ".")
		})
	}
}

// Abort drops the report; the old target stays.
func TestOutputAbort(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, map[string]string{"old.txt": "old"})
	for _, name := range []string{"new.txt", "old.txt"} {
		o, err := createOutput(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		o.Write([]byte("half a report"))
		o.Abort()
		o.Abort()
		if err := o.Commit(); err == nil {
			t.Error("Commit after Abort succeeded")
		}
	}
	if _, err := os.Stat("new.txt"); !os.IsNotExist(err) {
		t.Errorf("new.txt exists after Abort (%v)", err)
	}
	if got := readString(t, "old.txt"); got != "old" {
		t.Errorf("old.txt = %q", got)
	}
	noTemporaryFiles(t, ".")
}

// "" and "-" are standard output, written at Commit; no file named "-".
func TestOutputStdout(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, name := range []string{"", "-"} {
		var buf bytes.Buffer
		o, err := createOutput(name, &buf, statInputs([]string{"-"}))
		if err != nil {
			t.Fatal(err)
		}
		if !o.stdout() {
			t.Errorf("%q: not standard output", name)
		}
		o.Write([]byte("report"))
		if err := o.Commit(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != "report" {
			t.Errorf("%q: stdout = %q", name, buf.String())
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// Errors say "-o TARGET: reason", naming the target once.
func TestOutputErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, map[string]string{"file": "x", "dir/x": "x"})
	cases := []struct{ target, want string }{
		{"nosuch/dir/x", "-o nosuch/dir/x: no such directory"},
		{"dir", "-o dir: is a directory"},
		{"dir/", "-o dir/: is a directory"},
		{"new/", "-o new/: is a directory"},
	}
	if runtime.GOOS != "windows" {
		cases = append(cases, struct{ target, want string }{"file/x", "-o file/x: not a directory"})
	}
	for _, tc := range cases {
		o, err := createOutput(tc.target, nil)
		if err == nil {
			o.Abort()
			t.Errorf("%s: no error", tc.target)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s: error %q, want %q", tc.target, err, tc.want)
		}
	}
	noTemporaryFiles(t, ".")
}

// A read-only file stays as safe as os.Create kept it: refused, not replaced.
func TestOutputReadOnly(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a user that file permissions apply to")
	}
	t.Chdir(t.TempDir())
	writeFiles(t, map[string]string{"ro.txt": "keep"})
	os.Chmod("ro.txt", 0o444)
	if _, err := createOutput("ro.txt", nil); err == nil || err.Error() != "-o ro.txt: permission denied" {
		t.Errorf("error %v, want -o ro.txt: permission denied", err)
	}
	if got := readString(t, "ro.txt"); got != "keep" {
		t.Errorf("ro.txt = %q", got)
	}
}

// A device is written in place: -o /dev/null must not try to replace /dev/null.
func TestOutputDevice(t *testing.T) {
	if fi, err := os.Stat(os.DevNull); runtime.GOOS == "windows" || err != nil || fi.Mode()&fs.ModeDevice == 0 {
		t.Skip("no null device")
	}
	o, err := createOutput(os.DevNull, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.tmp != "" {
		t.Errorf("a temporary file %s for a device", o.tmp)
	}
	o.Write([]byte("into the void"))
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&fs.ModeDevice == 0 {
		t.Errorf("%s is no longer a device (%v)", os.DevNull, err)
	}
}

// walkInputs lists what parser.ReadPaths would read: the paths, and regular files that are
// not hidden under the folders among them.
func TestWalkInputs(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, map[string]string{"inc/a.log": "", "inc/sub/b.log": "", "inc/.hidden": "", "inc/.git/c": "", "x.zip": ""})
	os.Symlink("a.log", "inc/link.log") // not followed by the walk
	got := walkInputs([]string{"inc", "x.zip", "nosuch"})
	want := []string{"inc", filepath.Join("inc", "a.log"), filepath.Join("inc", "sub", "b.log"), "x.zip", "nosuch"}
	if !slices.Equal(got, want) {
		t.Errorf("walkInputs = %q, want %q", got, want)
	}
}

// inputNames: the paths given, then the files read, archive members included.
func TestInputNames(t *testing.T) {
	got := inputNames([]string{"inc"}, []*parser.File{{Name: "inc/a.log"}, {Name: "inc/b.zip!x.log"}})
	if want := []string{"inc", "inc/a.log", "inc/b.zip!x.log"}; !slices.Equal(got, want) {
		t.Errorf("inputNames = %q, want %q", got, want)
	}
}

// runIn runs the command in-process in dir.
func runIn(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code = run(args, &out, &errb, func(k string) string {
		if k == "TZ" {
			return "UTC"
		}
		return ""
	})
	return out.String(), errb.String(), code
}

// The command refuses -o onto an archive it reads, given as the input or found in a folder.
func TestAnalyzeOutputArchive(t *testing.T) {
	dir := t.TempDir()
	bundle := zipOf(t, sampleFiles(t))
	writeDir(t, dir, map[string][]byte{"bundle.zip": bundle, "inc/bundle.zip": bundle})
	for _, tc := range []struct{ args []string }{
		{[]string{"analyze", "bundle.zip", "-o", "bundle.zip"}},
		{[]string{"timeline", "bundle.zip", "-o", "./bundle.zip"}},
		{[]string{"analyze", "inc", "-o", "inc/bundle.zip"}},
	} {
		out, errOut, code := runIn(t, dir, tc.args...)
		target := tc.args[len(tc.args)-1]
		want := "lmtriad: error: -o " + target + ": this is an input file (" + filepath.Clean(target) + "); write the report elsewhere\n"
		if code != exitError || errOut != want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q\nwant exit 2 and %q", tc.args, code, out, errOut, want)
		}
		for _, name := range []string{"bundle.zip", "inc/bundle.zip"} {
			if got, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(got, bundle) {
				t.Errorf("%q: %s changed", tc.args, name)
			}
		}
	}
	noTemporaryFiles(t, dir)
}

// A run that fails (here: timeline has no CSV) leaves no report and no temporary file, and an
// old report as it was.
func TestAnalyzeOutputFailedRender(t *testing.T) {
	dir := t.TempDir()
	writeDir(t, filepath.Join(dir, "inc"), sampleFiles(t))
	writeDir(t, dir, map[string][]byte{"reports/old.csv": []byte("old")})
	for _, target := range []string{"reports/new.csv", "reports/old.csv"} {
		_, errOut, code := runIn(t, dir, "timeline", "--format", "csv", "inc", "-o", target)
		if code != exitError || !strings.HasPrefix(errOut, "lmtriad: error: --format must be one of \"text\",\"json\" but got \"csv\"\n") {
			t.Errorf("-o %s: exit %d, stderr %q", target, code, errOut)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "reports"))
	if len(entries) != 1 || entries[0].Name() != "old.csv" {
		t.Errorf("reports/ holds %v, want old.csv alone", entries)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "reports", "old.csv")); string(got) != "old" {
		t.Errorf("old.csv = %q", got)
	}
}
