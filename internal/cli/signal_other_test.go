//go:build unix && !linux

package cli_test

// pdeathsigSupported: handler processes get a parent-death signal (Linux only).
const pdeathsigSupported = false
