package cli_test

// pdeathsigSupported: handler processes get a parent-death signal (Linux).
const pdeathsigSupported = true
