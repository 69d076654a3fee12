// Package testshared is the one wording for test suites that need ../shared, the read-only test
// data beside the checkout (AWS-recorded conformance executions, corpora, the JSONata suite).
// Without it those suites skip through Skip, and the package's TestMain, through Reporting,
// prints one line naming them:
//
//	sfn: ../shared not found: skipped conformance, jsonata suite
//
// go test shows that line for a package in local directory mode (go test in the package's
// directory), with -v, and when the package fails; in package list mode (go test ./...) the go
// command prints only the "ok" line of a passing package.
package testshared

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

var (
	mu      sync.Mutex
	skipped []string // suite names, first skip first
)

// Skip skips t because the data of suite (a short name: "conformance", "jsonata suite"), looked
// for at path, is absent; the suite is named in the package's summary line.
func Skip(t testing.TB, suite, path string) {
	t.Helper()
	record(suite)
	t.Skipf("%s not found: ../shared suites skipped (%s)", path, suite)
}

func record(suite string) {
	mu.Lock()
	defer mu.Unlock()
	for _, s := range skipped {
		if s == suite {
			return
		}
	}
	skipped = append(skipped, suite)
}

// Summary is the summary line ("" when nothing was skipped).
func Summary() string {
	mu.Lock()
	defer mu.Unlock()
	if len(skipped) == 0 {
		return ""
	}
	return "sfn: ../shared not found: skipped " + strings.Join(skipped, ", ")
}

// Runner is what TestMain runs: *testing.M, or a wrapper of it.
type Runner interface{ Run() int }

// Reporting wraps m so that its Run prints the summary line after the tests. TestMain is
//
//	func TestMain(m *testing.M) { os.Exit(testshared.Reporting(m).Run()) }
//
// or, with goleak, goleak.VerifyTestMain(testshared.Reporting(m)).
func Reporting(m Runner) Runner { return reporting{m, os.Stdout} }

type reporting struct {
	m   Runner
	out io.Writer
}

func (r reporting) Run() int {
	code := r.m.Run()
	if s := Summary(); s != "" {
		fmt.Fprintln(r.out, s)
	}
	return code
}
