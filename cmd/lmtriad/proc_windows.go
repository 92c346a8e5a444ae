//go:build windows

package main

import (
	"errors"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/windows"
)

// startInGroup starts cmd in a job object of its own and makes its context's end terminate the
// whole job: a hung lmutil and whatever it started go together. release closes the job's
// handle once cmd has been waited for.
func startInGroup(cmd *exec.Cmd) (release func(), err error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
	var job atomic.Uintptr
	cmd.Cancel = func() error {
		if j := windows.Handle(job.Load()); j != 0 {
			return windows.TerminateJobObject(j, 1)
		}
		return cmd.Process.Kill()
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Best effort: without a job, the context's end kills lmutil alone.
	j, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return func() {}, nil
	}
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(cmd.Process.Pid))
	if err == nil {
		err = windows.AssignProcessToJobObject(j, h)
		windows.CloseHandle(h)
	}
	if err != nil {
		windows.CloseHandle(j)
		return func() {}, nil
	}
	job.Store(uintptr(j))
	return func() { windows.CloseHandle(j) }, nil
}

// lockDir takes an exclusive lock on DIR/.lmtriad-collect.lock, so that two collectors never
// append to one directory; the lock goes with the process, however it ends.
func lockDir(dir string) (unlock func(), err error) {
	name := dir + string(os.PathSeparator) + lockName
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	var ol windows.Overlapped
	ol.OffsetHigh = 1 // a byte far past the process id it holds, which the refused one reads
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, errLocked{holder}
		}
		return nil, err
	}
	writeHolder(f)
	return func() { f.Close() }, nil
}
