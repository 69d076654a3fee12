//go:build unix

package handler

import (
	"os"
	"os/exec"
	"syscall"
)

// ownProcessGroup starts the command in a process group of its own, so that it can be killed
// with all its children; on Linux it also dies with sfn (parentDeathSignal).
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	parentDeathSignal(cmd.SysProcAttr)
}

// killGroup kills the process group led by p.
func killGroup(p *os.Process) error {
	if p == nil {
		return nil
	}
	err := syscall.Kill(-p.Pid, syscall.SIGKILL)
	if err == syscall.ESRCH {
		return nil
	}
	return err
}
