//go:build linux

package handler

import (
	"runtime"
	"syscall"
)

// parentDeathSignal makes the kernel kill the handler when sfn dies, however it dies (SIGKILL, a
// crash): the signals sfn catches kill the whole process group, but nothing runs on SIGKILL. Only
// the handler itself gets the signal, not the children it started.
func parentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// lockThread keeps the calling goroutine on its OS thread until the returned function is called.
// The kernel sends the parent-death signal when the *thread* that started the child exits, not
// the process (prctl(2), golang/go#27505), and Go ends a thread when a goroutine locked to it
// returns: holding the starting thread while the handler runs means no other goroutine can end
// it meanwhile.
func lockThread() (unlock func()) {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
