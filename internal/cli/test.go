package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/suite"
)

// testFlags are the flags of sfn test.
type testFlags struct {
	verbose, failFast, update, coverage, summary bool
	format, run, profile, generate               string
	jobs                                         int
	minCoverage                                  float64
	timeout                                      time.Duration
	logicalID                                    string
	subs                                         []string
}

func newTestCmd() *cobra.Command {
	var f testFlags
	cmd := &cobra.Command{
		Use:   "test [FILE|DIR|GLOB]...",
		Short: "Run state machine tests (*.sfn-test.yaml): inputs, mocks and expectations",
		Long: "Run the test files (*.sfn-test.yaml, *.sfn-test.yml, *.sfn-test.json) found in the arguments\n" +
			"(default: the current directory, walked). A test file names its machine (a definition, or a\n" +
			"template and its state machine), optional handler config and MockConfigFile, and cases: an\n" +
			"input, mocks per Task state (MockConfigFile's Return / Throw shape) and expectations (status,\n" +
			"error, cause, output, path, counts, per-state input/output/result/parameters/retries/error/\n" +
			"variables, JSONata assertions). Every case runs on sfn run's interpreter and handlers, on\n" +
			"the virtual clock from 2024-01-01T00:00:00Z. README.md \"Testing\" describes the format.\n\n" +
			"Exit status: 0 every case passed, 1 a case failed (or a machine's state coverage is below\n" +
			"--min-coverage), 2 a test file is invalid (or a usage error), 3 a file cannot be read.",
		Example: "  sfn test\n  sfn test samples/ -v\n  sfn test --format junit > report.xml\n" +
			"  sfn test --coverage --min-coverage 100 samples/\n  sfn test --generate machine.asl.json",
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.generate != "" {
				return runGenerate(cmd, args, &f)
			}
			return runTest(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "a line for every case, not only failing ones")
	fl.StringVar(&f.format, "format", "text", "report format: text, json, junit, github or tap")
	fl.StringVar(&f.run, "run", "", "run only the cases whose name (or FILE/name) matches this regular expression")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "cases run at once (default: the number of CPUs)")
	fl.BoolVar(&f.failFast, "fail-fast", false, "start no more cases after the first failure")
	fl.DurationVar(&f.timeout, "timeout", 5*time.Minute, "fail a case that runs longer than this in real time (0: no limit)")
	fl.BoolVar(&f.update, "update", false, "record the snapshots of cases with snapshot: true")
	fl.BoolVar(&f.coverage, "coverage", false, "print the state and transition coverage of each machine")
	fl.BoolVar(&f.summary, "summary", false, "print each case's run summary (states entered, retries, billed transitions, time) on standard error")
	fl.StringVar(&f.profile, "coverage-profile", "", "write the coverage as JSON to FILE (for sfn graph --coverage)")
	fl.Float64Var(&f.minCoverage, "min-coverage", 0, "fail (exit 1) when a machine's state coverage is below N percent")
	fl.StringVar(&f.generate, "generate", "", "write MACHINE's test file: one case per path to each end, with mocks and expectations")
	fl.StringVar(&f.logicalID, "state-machine", "", "with --generate and a template: the logical id of the state machine")
	fl.StringArrayVar(&f.subs, "sub", nil, "with --generate and a template: a DefinitionSubstitutions value, KEY=VALUE (repeatable)")
	return cmd
}

func runTest(cmd *cobra.Command, args []string, f *testFlags) error {
	rep, opts, err := testReporter(cmd, f)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	start := time.Now()
	stderr := cmd.ErrOrStderr()
	suites, invalid, code, err := loadTestFiles(args, stderr)
	if err != nil {
		return err
	}
	var repErr error
	results := suite.RunAll(cmd.Context(), suites, opts, func(r *suite.CaseResult) {
		if repErr == nil {
			repErr = rep.Case(r)
		}
		if f.summary && r.Exec != nil {
			writeCaseSummary(stderr, r)
		}
	})
	sum := suite.Summarize(results, len(suites), time.Since(start))
	sum.Invalid = invalid
	var warnings []string
	if allSelected(suites, &opts) && !f.failFast {
		warnings = suite.Warnings(results)
	}
	if repErr == nil {
		repErr = rep.End(warnings, sum)
	}
	if repErr != nil {
		return stdoutError(repErr)
	}
	if f.coverage || f.profile != "" || f.minCoverage > 0 {
		c, err := reportCoverage(cmd, f, results)
		if err != nil {
			return err
		}
		code = max(code, c)
	}
	if !sum.OK() {
		code = max(code, exitFindings)
	}
	if code != exitOK {
		return &exitError{code: code}
	}
	return nil
}

// testReporter checks the flags of sfn test and makes its reporter and run options.
func testReporter(cmd *cobra.Command, f *testFlags) (suite.Reporter, suite.Options, error) {
	opts := suite.Options{Jobs: f.jobs, FailFast: f.failFast, Update: f.update, Timeout: f.timeout}
	rep, err := suite.NewReporter(f.format, cmd.OutOrStdout(), suite.ReportOptions{Verbose: f.verbose, NoTimes: os.Getenv("SFN_TEST_NO_TIMES") != ""})
	if err != nil {
		return nil, opts, usageErr("%v", err)
	}
	if f.run != "" {
		if opts.Run, err = regexp.Compile(f.run); err != nil {
			return nil, opts, usageErr("--run: %v", err)
		}
	}
	if f.jobs < 0 {
		return nil, opts, usageErr("--jobs: want a number >= 0")
	}
	if f.minCoverage < 0 || f.minCoverage > 100 {
		return nil, opts, usageErr("--min-coverage: want a percentage from 0 to 100")
	}
	return rep, opts, nil
}

// loadTestFiles finds and loads the test files the arguments name, printing each problem; it
// returns the suites, how many files were invalid, and the exit code so far.
func loadTestFiles(args []string, stderr io.Writer) ([]*suite.Suite, int, int, error) {
	files, ioErrs := findTestFiles(args)
	code := exitOK
	for _, e := range ioErrs {
		printError(stderr, e)
		code = exitIO
	}
	invalid := len(ioErrs)
	if len(files) == 0 && len(ioErrs) == 0 {
		return nil, 0, 0, &exitError{code: exitUsage, err: fmt.Errorf("no test files (*.sfn-test.yaml, *.sfn-test.json) in %v", args)}
	}
	var suites []*suite.Suite
	for _, name := range files {
		s, err := suite.LoadFile(name)
		var ioe *suite.IOError
		var es suite.Errors
		switch {
		case err == nil:
			suites = append(suites, s)
			continue
		case errors.As(err, &ioe):
			printError(stderr, err)
			code = exitIO
		case errors.As(err, &es):
			for _, e := range es {
				printError(stderr, e)
			}
			code = max(code, exitUsage)
		default:
			printError(stderr, err)
			code = max(code, exitUsage)
		}
		invalid++
	}
	return suites, invalid, code, nil
}

// allSelected reports whether --run selects every case of the suites (the warnings about unused
// mocks and states never entered need the whole suite).
func allSelected(suites []*suite.Suite, opts *suite.Options) bool {
	for _, s := range suites {
		for _, c := range s.Cases {
			if !opts.Selected(s, c) {
				return false
			}
		}
	}
	return true
}

// reportCoverage prints the coverage table, writes the coverage profile and checks
// --min-coverage; it returns exitFindings when a machine is below it.
func reportCoverage(cmd *cobra.Command, f *testFlags, results []*suite.CaseResult) (int, error) {
	stderr := cmd.ErrOrStderr()
	cov := suite.ComputeCoverage(results)
	if f.coverage {
		w := cmd.OutOrStdout()
		if f.format != "text" && f.format != "github" {
			w = stderr
		}
		if err := suite.WriteCoverageTable(w, cov); err != nil {
			return 0, stdoutError(err)
		}
	}
	if f.profile != "" {
		b, err := suite.WriteProfile(cov)
		if err == nil {
			err = writeFile(f.profile, b, 0o644)
		}
		if err != nil {
			return 0, &exitError{code: exitIO, err: &pathError{f.profile, err}}
		}
	}
	code := exitOK
	for _, c := range suite.MinCoverage(cov, f.minCoverage) {
		printLine(stderr, "sfn: %s: state coverage %.1f%% is below --min-coverage %g%%", c.File, c.StatePct, f.minCoverage)
		code = exitFindings
	}
	return code, nil
}

// findTestFiles expands the arguments: a test file as is, a directory walked for test files
// (hidden directories, node_modules and vendor skipped), a glob pattern. Missing paths are errors.
func findTestFiles(args []string) ([]string, []error) {
	var out []string
	var errs []error
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	var walk func(root string)
	walk = func(root string) {
		var found []string
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &pathError{p, err})
				return nil
			}
			if d.IsDir() {
				if p != root && skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && suite.IsTestFile(d.Name()) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, &pathError{root, err})
		}
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	for _, a := range args {
		if hasMeta(a) {
			if _, err := os.Lstat(a); err != nil {
				ms, gerrs := expandGlob(a)
				errs = append(errs, gerrs...)
				for _, m := range ms {
					if st, err := os.Stat(m); err == nil && st.IsDir() {
						walk(m)
					} else if suite.IsTestFile(m) {
						add(m)
					}
				}
				continue
			}
		}
		st, err := os.Stat(a)
		switch {
		case err != nil:
			errs = append(errs, &pathError{a, err})
		case st.IsDir():
			walk(a)
		default:
			add(a)
		}
	}
	return out, errs
}

// runGenerate writes the test file of --generate MACHINE (never over an existing file).
func runGenerate(cmd *cobra.Command, args []string, f *testFlags) error {
	if len(args) > 0 {
		return usageErr("--generate takes no other FILE")
	}
	subs, err := parseSubs(f.subs)
	if err != nil {
		return err
	}
	out, err := suite.Generate(f.generate, suite.GenerateOptions{StateMachine: f.logicalID, Subs: subs})
	var es suite.Errors
	var ioe *suite.IOError
	switch {
	case err == nil:
		printLine(cmd.OutOrStdout(), "%s", out)
		return nil
	case errors.As(err, &es):
		for _, e := range es {
			printError(cmd.ErrOrStderr(), e)
		}
		return &exitError{code: exitUsage}
	case errors.As(err, &ioe):
		return &exitError{code: exitIO, err: err}
	}
	return &exitError{code: exitUsage, err: err}
}

// writeCaseSummary writes the run summary of one case (sfn run --summary's table) to w, headed by
// the case's file and name.
func writeCaseSummary(w io.Writer, r *suite.CaseResult) {
	fmt.Fprintf(w, "=== %s: %s\n", safetext.Escape(r.Suite.Path), safetext.Escape(r.Case.Name))
	_ = run.WriteSummaryText(w, run.SummarizeResult(nil, r.Exec.Result), nil, "virtual")
}
