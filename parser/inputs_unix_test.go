//go:build unix

package parser

// Inputs that are not regular files, and files and folders that cannot be read: devices, named
// pipes and sockets, symbolic links, permissions. Unix only (mkfifo, /dev, uid 65534).

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A small debug log and license file, written where a test needs files of each kind.
const (
	tinyLog = " 9:00:00 (lmgrd) FLEXnet Licensing (v10.8.0.7 build 31286 i86_n3) started on server1 (IBM PC) (12/1/2010)\n" +
		" 9:00:05 (lmgrd) CONNECTED, master is server1\n"
	tinyLicense = "SERVER server1 17003456 27001\nSERVER server2 17004355 27001\nSERVER server3 17007ea8 27001\nVENDOR bm\n"
)

// readPathsGuarded is ReadPaths in a goroutine, failing the test when it has not returned after a
// minute: a read that blocks (a named pipe) or never ends (a device) must not hang the tests. The
// assertions are on what it returns.
func readPathsGuarded(t *testing.T, paths ...string) ([]*File, error) {
	t.Helper()
	type result struct {
		files []*File
		err   error
	}
	done := make(chan result, 1)
	go func() {
		files, err := ReadPaths(paths, Options{})
		done <- result{files, err}
	}()
	select {
	case r := <-done:
		return r.files, r.err
	case <-time.After(time.Minute):
		t.Fatalf("ReadPaths(%q) has not returned after a minute", paths)
	}
	return nil, nil
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
}

// TestNotRegularGivenDirectly: a device, a named pipe or a socket named on the command line is an
// error before anything is read from it: /dev/zero never ends and a named pipe blocks at open.
func TestNotRegularGivenDirectly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "server1.log")
	mkfifo(t, fifo)
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("cannot make a socket (path too long for this system?): %v", err)
	}
	defer l.Close()
	for _, tc := range []struct{ path, what string }{
		{"/dev/null", "a character device"},
		{"/dev/zero", "a character device"},
		{"/dev/urandom", "a character device"},
		{fifo, "a named pipe"},
		{link, "a named pipe"}, // links named on the command line are followed
		{sock, "a socket"},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			if _, err := os.Stat(tc.path); err != nil {
				t.Skip(err)
			}
			files, err := readPathsGuarded(t, tc.path)
			if err == nil {
				t.Fatalf("no error; files:\n%s", listing(files))
			}
			want := "not a regular file (" + tc.what + "); give a file, a folder or an archive"
			wantPathError(t, err, tc.path, want)
			if pe := err.(*PathError); en(pe.Msg) != want {
				t.Errorf("error %q, want %q", en(pe.Msg), want)
			}
			// --server NAME=FILE reads the file with ReadFile: refused the same way.
			_, err = ReadFile(tc.path, Options{})
			wantPathError(t, err, tc.path, "not a regular file ("+tc.what+"); give a file")
		})
	}
}

// TestNotRegularInFolder: inside a folder, what is not a regular file is listed as skipped with
// the reason; a link to a regular file is read, a link to anything else is not followed (a link
// to the folder itself does not make the walk go round).
func TestNotRegularInFolder(t *testing.T) {
	outside := t.TempDir()
	lic := filepath.Join(outside, "license.dat")
	if err := os.WriteFile(lic, []byte(tinyLicense), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "incident")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "server1.log"), []byte(tinyLog), 0o644); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(dir, "sub", "pipe.log"))
	for name, target := range map[string]string{
		"zero.log":    "/dev/zero",
		"null.log":    "/dev/null",
		"loop":        ".",
		"parent":      "..",
		"broken.log":  "nowhere.log",
		"cycle1.log":  "cycle2.log",
		"cycle2.log":  "cycle1.log",
		"license.dat": lic,
		"to-pipe.log": "sub/pipe.log",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sub", "s.sock"))
	if err != nil {
		t.Skipf("cannot make a socket (path too long for this system?): %v", err)
	}
	defer l.Close()
	t.Chdir(filepath.Dir(dir))

	files, err := readPathsGuarded(t, "incident")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"incident/broken.log unknown a symbolic link that cannot be followed (no such file or directory)",
		"incident/cycle1.log unknown a symbolic link that cannot be followed (too many levels of symbolic links)",
		"incident/cycle2.log unknown a symbolic link that cannot be followed (too many levels of symbolic links)",
		"incident/license.dat license",
		"incident/loop unknown a symbolic link to a folder; links to folders are not followed, give the folder itself",
		"incident/null.log unknown a symbolic link to something that is not a regular file (a character device)",
		"incident/parent unknown a symbolic link to a folder; links to folders are not followed, give the folder itself",
		"incident/server1.log debuglog",
		"incident/sub/pipe.log unknown not a regular file (a named pipe)",
		"incident/sub/s.sock unknown not a regular file (a socket)",
		"incident/to-pipe.log unknown a symbolic link to something that is not a regular file (a named pipe)",
		"incident/zero.log unknown a symbolic link to something that is not a regular file (a character device)",
	}, "\n")
	if got := listing(files); got != want {
		t.Errorf("files:\n%s\nwant:\n%s", got, want)
	}

	// A folder given as a link to it is walked, and what is in it named under the link.
	if err := os.Symlink("incident", "link"); err != nil {
		t.Fatal(err)
	}
	files, err = readPathsGuarded(t, "link")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := listing(files), strings.ReplaceAll(want, "incident/", "link/"); got != want {
		t.Errorf("through a link, files:\n%s\nwant:\n%s", got, want)
	}

	// A folder where nothing is usable is still an error.
	if err := os.Remove(filepath.Join(dir, "server1.log")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "license.dat")); err != nil {
		t.Fatal(err)
	}
	_, err = readPathsGuarded(t, "incident")
	wantPathError(t, err, "incident", "no debug log, lmstat output or license file in this directory (10 files looked at)")
}

// TestReadBoundedBySize: a file is read no further than its size when it was opened, so a log that
// grows while it is read (or a file that says it is empty, as those in /proc do) ends there.
func TestReadBoundedBySize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "server1.log")
	if err := os.WriteFile(p, []byte(tinyLog), 0o644); err != nil {
		t.Fatal(err)
	}
	fh, size, err := openRegular(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, strings.Repeat(" 9:00:06 (lmgrd) Connected to server2\n", 1000)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f, err := readRegular(fh, size, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Lines != 2 || f.SHA256 != sha256hex(tinyLog) {
		t.Errorf("read %d lines (sha %s), want the 2 there were when the file was opened", f.Lines, f.SHA256)
	}

	const proc = "/proc/self/status" // a regular file of size 0 that holds text
	if _, err := os.Stat(proc); err != nil {
		t.Skip(err)
	}
	_, err = readPathsGuarded(t, proc)
	wantPathError(t, err, proc, "empty file; give a debug log (lmgrd -l), lmstat output or a license file")
}

// Unreadable files and folders: run as a user that permissions stop. As root (CI), the test runs
// itself again as uid and gid 65534 (nobody) on files it prepared, and skips only when it cannot.

const unprivilegedEnv = "LMTRIAD_TEST_UNPRIVILEGED_DIR"

// asUnprivileged calls check(dir) on the tree setup made in dir, as a user who cannot read what
// setup made unreadable. As root it runs the test again in a child process as uid 65534, which
// calls check, and reports how the child did; then check is not called in this process.
func asUnprivileged(t *testing.T, setup func(t *testing.T, dir string), check func(t *testing.T, dir string)) {
	if dir := os.Getenv(unprivilegedEnv); dir != "" { // the child
		check(t, dir)
		return
	}
	base := t.TempDir()
	dir := filepath.Join(base, "tree")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	setup(t, dir)
	t.Cleanup(func() { // for RemoveAll, as a user
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if d != nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	if os.Geteuid() != 0 {
		check(t, dir)
		return
	}
	// The child must reach the tree and its own binary: t.TempDir's folders are 0700, and so may
	// be the one go test runs the binary from, so a copy goes into base.
	for p := base; p != filepath.Dir(p); p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(p, st.Mode().Perm()|0o055); err != nil {
				t.Skipf("cannot make %s traversable for an unprivileged user: %v", p, err)
			}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	bin := filepath.Join(base, "parser.test")
	if err := copyFile(exe, bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Dir = base
	cmd.Env = append(os.Environ(), unprivilegedEnv+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		t.Fatalf("as uid 65534: %v\n%s", err, out)
	case err != nil:
		t.Skipf("cannot run the test as uid 65534: %v", err)
	case !strings.Contains(string(out), "--- PASS: "+t.Name()):
		t.Fatalf("as uid 65534, the test did not pass:\n%s", out)
	}
	t.Logf("as uid 65534:\n%s", out)
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

// TestUnreadableInFolder: an unreadable file or subfolder inside a folder is listed as skipped,
// the subfolder named, and the rest is read; only an unreadable path given directly is an error.
func TestUnreadableInFolder(t *testing.T) {
	asUnprivileged(t, func(t *testing.T, dir string) {
		for name, data := range map[string]string{
			"incident/server1.log":         tinyLog,
			"incident/secret.log":          tinyLog + " 9:00:06 (lmgrd) Connected to server2\n",
			"incident/locked/server2.log":  tinyLog,
			"incident/nolist/server3.log":  tinyLog,
			"incident/closed/license.dat":  tinyLicense,
			"incident/closed/server3.log":  tinyLog,
			"nothing/secret.log":           tinyLog,
			"nothing/locked/server2.log":   tinyLog,
			"locked/server1.log":           tinyLog,
			"secret.log":                   tinyLog,
			"incident/open/lmstat-run.txt": "",
		} {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for name, mode := range map[string]os.FileMode{
			"incident/secret.log":  0,
			"incident/locked":      0,
			"incident/nolist":      0o311, // can go in, cannot list
			"incident/closed":      0o644, // can list, cannot go in
			"nothing/secret.log":   0,
			"nothing/locked":       0,
			"locked":               0,
			"secret.log":           0,
			"incident/open":        0o755,
			"incident/server1.log": 0o444,
		} {
			if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
				t.Fatal(err)
			}
		}
	}, func(t *testing.T, dir string) {
		if _, err := os.ReadFile(filepath.Join(dir, "secret.log")); err == nil {
			t.Fatal("a file of mode 000 can be read: this test needs a user that permissions stop")
		}
		t.Chdir(dir)
		files, err := readPathsGuarded(t, "incident")
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Join([]string{
			"incident/closed/license.dat unknown permission denied: cannot read this file",
			"incident/closed/server3.log unknown permission denied: cannot read this file",
			"incident/locked unknown permission denied: cannot list this folder",
			"incident/nolist unknown permission denied: cannot list this folder",
			"incident/open/lmstat-run.txt unknown empty file",
			"incident/secret.log unknown permission denied: cannot read this file",
			"incident/server1.log debuglog",
		}, "\n")
		if got := listing(files); got != want {
			t.Errorf("files:\n%s\nwant:\n%s", got, want)
		}

		_, err = readPathsGuarded(t, "nothing")
		wantPathError(t, err, "nothing", "no debug log, lmstat output or license file in this directory (2 files looked at)")
		_, err = readPathsGuarded(t, "secret.log")
		wantPathError(t, err, "secret.log", "permission denied: cannot read this file; check its permissions")
		_, err = readPathsGuarded(t, "locked")
		wantPathError(t, err, "locked", "permission denied: cannot list this folder; check its permissions")
		_, err = readPathsGuarded(t, "locked/server1.log")
		wantPathError(t, err, "locked/server1.log", "permission denied; check the path")
	})
}
