//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// startInGroup starts cmd in a process group of its own and makes its context's end kill the
// whole group (SIGKILL to -pgid): a hung lmutil and whatever it started go together, and none
// of them keeps the output pipe open. release frees what the group needed once cmd has been
// waited for (nothing here).
func startInGroup(cmd *exec.Cmd) (release func(), err error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() {}, nil
}

// lockDir takes an exclusive lock on DIR/.lmtriad-collect.lock, so that two collectors never
// append to one directory; the lock goes with the process, however it ends. The file holds
// the process id of the holder, for the message of the one refused.
func lockDir(dir string) (unlock func(), err error) {
	name := dir + string(os.PathSeparator) + lockName
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked{holder}
		}
		return nil, err
	}
	writeHolder(f)
	return func() { f.Close() }, nil
}
