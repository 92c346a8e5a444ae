//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// processGone tells whether a process has ended (gone, or a zombie nobody reaped), waiting
// generously for the kill to land.
func processGone(t *testing.T, pid string) bool {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		b, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			if _, err := os.Stat("/proc/self"); err != nil { // no /proc: ask the kernel
				var n int
				for _, c := range pid {
					n = n*10 + int(c-'0')
				}
				if syscall.Kill(n, 0) == syscall.ESRCH {
					return true
				}
				continue
			}
			return true
		}
		if i := bytes.LastIndexByte(b, ')'); i > 0 && len(b) > i+2 && b[i+2] == 'Z' {
			return true
		}
	}
	return false
}

// TestCollectSignal: SIGTERM to a running collect, while lmutil answers a poll, stops it once
// that poll is written whole; it exits 0.
func TestCollectSignal(t *testing.T) {
	lmtriad, err := exec.LookPath("lmtriad") // the test binary, installed by testscript.Main
	if err != nil {
		t.Skip("lmtriad is not on the PATH")
	}
	gate := filepath.Join(t.TempDir(), "gate")
	bin, _ := playKGTN(t, "FAKELMUTIL_BLOCK=2:"+gate)
	dir := t.TempDir()
	cmd := exec.Command(lmtriad, "collect", "-c", "27001@server1,27001@server2,27001@server3", "-o", dir, "--lmutil", bin, "--every", "1s")
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFile(t, gate+".started")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// collect says it will stop (it has the signal) before lmutil is let go.
	for end := time.Now().Add(60 * time.Second); !strings.Contains(stderr.String(), "stopping once") && time.Now().Before(end); {
		time.Sleep(5 * time.Millisecond)
	}
	os.WriteFile(gate, nil, 0o600)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("collect ended with %v; stderr:\n%s", err, stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	var data []byte
	for _, e := range entries {
		if _, ok := fileDay(e.Name(), time.Local); ok {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			data = append(data, b...)
		}
	}
	runs := strings.Count(string(data), "Flexible License Manager status on")
	if runs != 2 || !bytes.HasSuffix(data, []byte("Total of 0 licenses in use)\r\n\r\n")) {
		t.Errorf("after SIGTERM mid-poll: %d runs written, ending %q", runs, data[max(0, len(data)-80):])
	}
	if !strings.Contains(stderr.String(), "stopped after 2 polls") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// syncBuffer is a bytes.Buffer that a child's output can be copied into while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
