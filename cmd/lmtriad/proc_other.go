//go:build !unix && !windows

package main

import "os/exec"

// startInGroup starts cmd; on this system its context's end kills lmutil alone (no process
// groups).
func startInGroup(cmd *exec.Cmd) (release func(), err error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() {}, nil
}

// lockDir takes no lock on this system.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
