package suite

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a run of suites.
type Options struct {
	Run      *regexp.Regexp // select cases whose "<machine-file-name>/<case>" or case name matches (nil: all)
	Jobs     int            // cases run at once (0: GOMAXPROCS)
	FailFast bool           // stop starting cases after the first failure
	Update   bool           // rewrite snapshots instead of comparing them
	// Timeout bounds each case in real time (0: none): a handler command that hangs fails its
	// case instead of stopping the run.
	Timeout time.Duration
}

// CaseResult is the outcome of one case.
type CaseResult struct {
	Suite    *Suite
	Case     *Case
	Exec     *Execution
	Failures []Failure
	Err      error // the case could not run (setup error)
	Skipped  bool  // not run: --fail-fast after a failure
	Duration time.Duration
	Snapshot string // "written", "updated", "" (see snapshot.go)
}

// Passed reports whether the case ran and met every expectation.
func (r *CaseResult) Passed() bool { return !r.Skipped && r.Err == nil && len(r.Failures) == 0 }

// Selected reports whether opts select case c of s.
func (o *Options) Selected(s *Suite, c *Case) bool {
	if o.Run == nil {
		return true
	}
	return o.Run.MatchString(c.Name) || o.Run.MatchString(s.Path+"/"+c.Name)
}

// RunAll runs the selected cases of the suites, Jobs at a time, and returns their results in file
// and case order. emit, when set, receives each result in that order as soon as it and every
// earlier one are done (streamed reports).
func RunAll(ctx context.Context, suites []*Suite, opts Options, emit func(*CaseResult)) []*CaseResult {
	var all []*CaseResult
	for _, s := range suites {
		for _, c := range s.Cases {
			if opts.Selected(s, c) {
				all = append(all, &CaseResult{Suite: s, Case: c})
			}
		}
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, max(len(all), 1))
	done := make([]chan struct{}, len(all))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(all) {
					return
				}
				r := all[i]
				if (opts.FailFast && failed.Load()) || ctx.Err() != nil {
					r.Skipped = true
				} else {
					runCase(ctx, r, opts)
					if !r.Passed() {
						failed.Store(true)
					}
				}
				close(done[i])
			}
		}()
	}
	for i, r := range all {
		<-done[i]
		if emit != nil {
			emit(r)
		}
	}
	wg.Wait()
	return all
}

func runCase(ctx context.Context, r *CaseResult, opts Options) {
	start := time.Now()
	defer func() { r.Duration = time.Since(start) }()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	x, err := r.Suite.Exec(ctx, r.Case)
	if err != nil {
		r.Err = err
		return
	}
	r.Exec = x
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		r.Err = fmt.Errorf("the case ran past --timeout %v (a handler that does not return?)", opts.Timeout)
		return
	}
	r.Failures = Check(r.Case, x)
	if r.Case.Snapshot {
		if f := r.Suite.snapshot(r, opts.Update); f != nil {
			r.Failures = append(r.Failures, *f)
		}
	}
}

// Warnings are what a run found worth saying that fails nothing: mocks no case reached, states no
// case entered.
func Warnings(results []*CaseResult) []string {
	var out []string
	entered := map[*Suite]map[string]bool{}
	ran := map[*Suite]bool{}
	// The states of each MockConfigFile test case that some case using it called.
	type mockCase struct {
		s    *Suite
		name string
	}
	var mockCases []mockCase
	called := map[mockCase]map[string]bool{}
	for _, r := range results {
		if r.Exec == nil {
			continue
		}
		if mc := r.Case.MockCase; mc != "" {
			k := mockCase{r.Suite, mc}
			if called[k] == nil {
				called[k] = map[string]bool{}
				mockCases = append(mockCases, k)
			}
			for name := range r.Exec.mocked {
				called[k][name] = true
			}
		}
		ran[r.Suite] = true
		if entered[r.Suite] == nil {
			entered[r.Suite] = map[string]bool{}
		}
		for _, v := range r.Exec.Visits {
			entered[r.Suite][v.Name] = true
		}
		for _, m := range unreachedMocks(r.Case, r.Exec) {
			out = append(out, fmt.Sprintf("%s:%s: case %q: the mock of %q was never called", r.Suite.Path, r.Case.Mocks[m].Pos, r.Case.Name, m))
		}
	}
	for _, k := range mockCases {
		tc, err := k.s.Mock.TestCase(k.s.MockMachine, k.name)
		if err != nil {
			continue
		}
		var never []string
		for _, st := range sortedKeys(tc) {
			if !called[k][st] {
				never = append(never, st)
			}
		}
		if len(never) > 0 {
			out = append(out, fmt.Sprintf("%s: mock-case %s: no case called the mock of %s", k.s.Path, k.name, strings.Join(never, ", ")))
		}
	}
	seen := map[*Suite]bool{}
	for _, r := range results {
		s := r.Suite
		if !ran[s] || seen[s] {
			continue
		}
		seen[s] = true
		var never []string
		for _, st := range s.M.All {
			if !entered[s][st.Name] {
				never = append(never, st.Name)
			}
		}
		if len(never) > 0 {
			out = append(out, fmt.Sprintf("%s: %s of %s entered by no case: %s", s.Path, plural(len(never), "state"), s.Name, strings.Join(never, ", ")))
		}
	}
	return out
}
