//go:build unix && !linux

package handler

import "syscall"

// parentDeathSignal does nothing: only Linux has a parent-death signal.
func parentDeathSignal(*syscall.SysProcAttr) {}

// lockThread does nothing where there is no parent-death signal.
func lockThread() (unlock func()) { return func() {} }
