package suite

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/sfn-tool/sfn/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestMain(m *testing.M) { goleak.VerifyTestMain(testshared.Reporting(m)) }

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./suite -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (go test ./suite -update rewrites it):\n%s", path, LineDiff(string(want), string(got)))
	}
}

func goldenName(path string) string {
	return strings.TrimSuffix(path, ".sfn-test.yaml") + ".golden"
}

// runFiles loads and runs test files and returns the results (loading must succeed).
func runFiles(t *testing.T, opts Options, paths ...string) ([]*Suite, []*CaseResult) {
	t.Helper()
	var suites []*Suite
	for _, p := range paths {
		s, err := LoadFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		suites = append(suites, s)
	}
	return suites, RunAll(context.Background(), suites, opts, nil)
}

func report(t *testing.T, format string, suites []*Suite, results []*CaseResult) []byte {
	t.Helper()
	var b bytes.Buffer
	rep, err := NewReporter(format, &b, ReportOptions{Verbose: true, NoTimes: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if err := rep.Case(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := rep.End(Warnings(results), Summarize(results, len(suites), 0)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestExpectGolden runs one file per expectation kind; each has passing and failing cases, and
// the golden file holds the text report (-v).
func TestExpectGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/expect/*.sfn-test.yaml")
	if len(files) < 15 {
		t.Fatalf("found %d files", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			suites, results := runFiles(t, Options{Jobs: 2}, f)
			pass, fail := 0, 0
			for _, r := range results {
				if r.Err != nil {
					t.Errorf("%s: %v", r.Case.Name, r.Err)
				}
				if r.Passed() {
					pass++
				} else {
					fail++
				}
				if strings.HasPrefix(r.Case.Name, "pass") != r.Passed() {
					t.Errorf("case %q: passed=%v", r.Case.Name, r.Passed())
				}
			}
			if pass == 0 || fail == 0 {
				t.Errorf("want passing and failing cases, got %d and %d", pass, fail)
			}
			golden(t, goldenName(f), report(t, "text", suites, results))
		})
	}
}

// TestInvalidGolden: every invalid test file is refused with positioned errors.
func TestInvalidGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.sfn-test.yaml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := LoadFile(f)
			if err == nil {
				t.Fatal("loaded")
			}
			var es Errors
			var ioe *IOError
			if !errors.As(err, &es) && !errors.As(err, &ioe) {
				t.Fatalf("error %T: %v", err, err)
			}
			golden(t, goldenName(f), []byte(err.Error()+"\n"))
		})
	}
}

// TestFormatsGolden writes one run in every format.
func TestFormatsGolden(t *testing.T) {
	suites, results := runFiles(t, Options{Jobs: 1}, "testdata/expect/status.sfn-test.yaml", "testdata/expect/error.sfn-test.yaml")
	for _, format := range Formats {
		golden(t, "testdata/formats/"+format+".golden", report(t, format, suites, results))
	}
}

func TestFailFastAndRun(t *testing.T) {
	_, results := runFiles(t, Options{Jobs: 1, FailFast: true}, "testdata/expect/status.sfn-test.yaml")
	var got []string
	for _, r := range results {
		got = append(got, result(r))
	}
	if strings.Join(got, ",") != "pass,fail,skip" {
		t.Errorf("fail-fast: %v", got)
	}
	opts := Options{}
	opts.Run = mustRe(t, "^pass")
	_, results = runFiles(t, opts, "testdata/expect/status.sfn-test.yaml", "testdata/expect/path.sfn-test.yaml")
	if len(results) != 2 || !results[0].Passed() || !results[1].Passed() {
		t.Errorf("--run ^pass: %d results", len(results))
	}
}

func TestDeterministic(t *testing.T) {
	_, a := runFiles(t, Options{Jobs: 4}, "testdata/expect/states-retries.sfn-test.yaml")
	_, b := runFiles(t, Options{Jobs: 1}, "testdata/expect/states-retries.sfn-test.yaml")
	for i := range a {
		if !bytes.Equal(Snapshot(a[i].Exec), Snapshot(b[i].Exec)) {
			t.Errorf("case %q: snapshots differ between runs", a[i].Case.Name)
		}
	}
}

func mustRe(t *testing.T, s string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
