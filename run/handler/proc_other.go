//go:build !unix

package handler

import (
	"os"
	"os/exec"
)

func ownProcessGroup(*exec.Cmd) {}

// killGroup kills p (process groups are a Unix notion).
func killGroup(p *os.Process) error {
	if p == nil {
		return nil
	}
	return p.Kill()
}

// lockThread does nothing where there is no parent-death signal.
func lockThread() (unlock func()) { return func() {} }
