package run

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/value"
)

// Parallel branches and Map iterations run on their own threads (goroutines) under a context that
// the first failure cancels; the parent waits for every goroutine before it goes on, so none
// outlives its state.

func (s *stateRun) parallel(input any) (any, *asl.State, *stateError) {
	si := s.si
	eff, serr := s.applyPath(si.inputPath, input)
	if serr != nil {
		return nil, nil, serr
	}
	counts := make([]int64, len(si.retriers))
	for {
		branchInput := eff
		if si.parameters != nil {
			if branchInput, serr = s.template(si.parameters, eff); serr != nil {
				return nil, nil, serr
			}
		}
		if si.j != nil && si.j.arguments != nil {
			if branchInput, serr = s.jeval(si.j.arguments, &bindings{input: input}); serr != nil {
				return s.catch(input, serr)
			}
		}
		results, berr, errLast := s.runBranches(branchInput)
		if berr == nil {
			return s.finish(input, results)
		}
		if berr.aborted {
			return nil, nil, berr
		}
		if d, ok := s.retryDelay(berr, counts); ok {
			s.t.last = errLast // the next ParallelStateStarted follows the failed branch's event, as AWS records
			if err := s.t.sleep(d); err != nil {
				return nil, nil, abortedError()
			}
			continue
		}
		s.t.record("ParallelStateFailed", "", nil, errLast, true)
		return s.catch(input, berr)
	}
}

// finish applies ResultSelector, ResultPath and OutputPath to a Parallel or Map result.
func (s *stateRun) finish(input any, result any) (any, *asl.State, *stateError) {
	var serr *stateError
	if s.si.j != nil {
		return s.jsonataFinish(input, result)
	}
	if s.si.resultSelector != nil {
		if result, serr = s.template(s.si.resultSelector, result); serr != nil {
			return nil, nil, serr
		}
	}
	if serr := s.assignPath(s.si.assign, result); serr != nil {
		return nil, nil, serr
	}
	out, serr := s.applyResultPath(s.si.resultPath, input, result)
	if serr != nil {
		return nil, nil, serr
	}
	out, serr = s.applyPath(s.si.outputPath, out)
	return out, s.si.next, serr
}

// group runs child threads and remembers the first failure.
type group struct {
	parent  *thread
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex
	err     *stateError
	errLast int64 // the failing thread's last event
	threads []*thread
}

func newGroup(parent *thread) *group {
	g := &group{parent: parent}
	g.ctx, g.cancel = context.WithCancel(parent.ctx)
	return g
}

func (g *group) thread(last int64) *thread {
	t := &thread{ex: g.parent.ex, ctx: g.ctx, last: last, now: g.parent.now, silent: g.parent.silent, child: g.parent.child, vars: newVarScope(g.parent.vars)}
	g.mu.Lock()
	g.threads = append(g.threads, t)
	g.mu.Unlock()
	return t
}

// fail records the first real failure and cancels the other threads.
func (g *group) fail(t *thread, err *stateError) {
	if err.aborted {
		return
	}
	g.mu.Lock()
	if g.err == nil {
		g.err, g.errLast = err, t.last
		g.cancel()
	}
	g.mu.Unlock()
}

// wait waits for every thread and merges their clocks and last events into the parent.
func (g *group) wait() (maxLast int64) {
	if s := g.parent.ex.sched; s != nil {
		s.waitChildren(g.parent)
	}
	g.wg.Wait()
	g.cancel()
	for _, t := range g.threads {
		if t.now.After(g.parent.now) {
			g.parent.now = t.now
		}
		maxLast = max(maxLast, t.last)
	}
	return maxLast
}

func (s *stateRun) runBranches(input any) ([]any, *stateError, int64) {
	t := s.t
	started := t.emit("ParallelStateStarted", "", nil)
	g := newGroup(t)
	results := make([]any, len(s.st.Branches))
	for i, b := range s.st.Branches {
		bt := g.thread(started)
		g.spawn(bt, func() {
			out, err := bt.runScope(b, input)
			if err != nil {
				g.fail(bt, err)
				return
			}
			results[i] = out
		})
	}
	maxLast := g.wait()
	if g.err != nil {
		return nil, g.err, g.errLast
	}
	if t.ctx.Err() != nil {
		return nil, abortedError(), 0
	}
	t.record("ParallelStateSucceeded", "", nil, maxLast, false)
	t.last = maxLast
	return results, nil, 0
}

// mapRunStarted records the start of a distributed Map's run.
func (s *stateRun) mapRunStarted() int64 {
	t := s.t
	return t.emit("MapRunStarted", "mapRunStartedEventDetails", map[string]any{
		"mapRunArn": fmt.Sprintf("arn:aws:states:%s:%s:mapRun:%s/%s:00000000-0000-0000-0000-000000000000",
			t.ex.r.opts.Region, t.ex.r.opts.Account, t.ex.r.opts.StateMachineName, cmp.Or(s.si.label, s.st.Name))})
}

// readerFailed records a failed ItemReader as AWS does: the Map and its run start (with length
// 0), the run fails with the reader's error, then the Map state.
func (s *stateRun) readerFailed(serr *stateError) {
	s.t.emit("MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": 0})
	s.mapRunStarted()
	s.t.emit("MapRunFailed", "mapRunFailedEventDetails", map[string]any{"error": serr.Error, "cause": serr.Cause})
	s.t.emit("MapStateFailed", "", nil)
}

// mapConfig is a Map state's resolved concurrency and tolerance.
type mapConfig struct {
	maxConcurrency int64
	toleratedCount int64 // -1: none
	toleratedPct   float64
	hasPct         bool
}

func (s *stateRun) mapState(input any) (any, *asl.State, *stateError) {
	si := s.si
	eff, serr := s.applyPath(si.inputPath, input)
	if serr != nil {
		return nil, nil, serr
	}
	items := eff
	if si.j != nil {
		list, serr := s.jsonataItems(input)
		if serr != nil {
			return s.catch(input, serr)
		}
		items = list
	}
	if si.itemsPath != nil && s.st.Field("ItemReader") == nil { // AWS ignores ItemsPath beside an ItemReader
		v, err := si.itemsPath.Eval(eff, s.pctx)
		if err != nil {
			return nil, nil, s.runtime(err.Error())
		}
		items = v
	}
	if v, serr := s.readItems(eff); serr != nil {
		if serr.runtime {
			s.t.emit("MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": 0}) // as AWS, then the failure
			return nil, nil, serr
		}
		s.readerFailed(serr)
		return s.catch(input, serr)
	} else if v != nil {
		items = v
	}
	list, ok := items.([]any)
	if !ok {
		return nil, nil, s.runtime(fmt.Sprintf("Items of the Map state must be an array, found %s: %s", typeName(items), intrinsic.FormatJSON(items)))
	}
	counts := make([]int64, len(si.retriers))
	for {
		results, merr, errLast := s.runIterations(eff, list)
		if merr == nil {
			result, serr := s.writeResults(eff, results)
			if serr != nil {
				return s.catch(input, serr)
			}
			return s.finish(input, result)
		}
		if merr.aborted || errLast < 0 {
			return nil, nil, merr
		}
		if d, ok := s.retryDelay(merr, counts); ok {
			if !si.distributed {
				s.t.last = errLast // the next attempt follows the failed iteration
			}
			if err := s.t.sleep(d); err != nil {
				return nil, nil, abortedError()
			}
			continue
		}
		if si.distributed {
			s.t.emit("MapRunFailed", "mapRunFailedEventDetails", map[string]any{"error": merr.Error, "cause": merr.Cause})
			s.t.emit("MapStateFailed", "", nil)
		} else {
			s.t.record("MapStateFailed", "", nil, errLast, true)
		}
		return s.catch(input, merr)
	}
}

func (s *stateRun) mapConfig(eff any) (mapConfig, *stateError) {
	si := s.si
	cfg := mapConfig{maxConcurrency: si.maxConcurrency, toleratedCount: -1}
	if p := si.maxConcurrencyPath; p != nil {
		v, err := p.Eval(eff, s.pctx)
		if err != nil {
			return cfg, s.runtime(err.Error())
		}
		n, ok := integer(v)
		if str, isStr := v.(string); isStr {
			n, ok = integer(json.Number(str)) // AWS reads a string holding an integer
		}
		if !ok || n < 0 {
			return cfg, s.runtime(fmt.Sprintf("The MaxConcurrencyPath field refers to value \"%s\" which is not a valid integer: %s", valueText(v), p.Source))
		}
		cfg.maxConcurrency = n
	}
	return cfg, nil
}

// tolerance resolves ToleratedFailureCount/Percentage(Path).
func (s *stateRun) tolerance(eff any, cfg *mapConfig) *stateError {
	si := s.si
	if si.hasTolerance {
		if si.st.Has("ToleratedFailureCount") {
			cfg.toleratedCount = si.toleratedCount
		}
		if si.st.Has("ToleratedFailurePercentage") {
			cfg.toleratedPct, cfg.hasPct = si.toleratedPct, true
		}
	}
	if p := si.toleratedCountPath; p != nil {
		v, err := p.Eval(eff, s.pctx)
		if err != nil {
			return s.runtime(err.Error())
		}
		n, ok := integer(v)
		if !ok {
			return s.runtime(fmt.Sprintf("The ToleratedFailureCountPath field refers to value \"%s\" which is not a valid integer: %s", valueText(v), p.Source))
		}
		if n < 0 {
			return s.runtime("ToleratedFailureCount cannot be negative.")
		}
		cfg.toleratedCount = n
	}
	if p := si.toleratedPctPath; p != nil {
		v, err := p.Eval(eff, s.pctx)
		if err != nil {
			return s.runtime(err.Error())
		}
		f, ok := number(v)
		if !ok {
			return s.runtime(fmt.Sprintf("The ToleratedFailurePercentagePath field refers to value \"%s\" which is not a valid float: %s", valueText(v), p.Source))
		}
		cfg.toleratedPct, cfg.hasPct = f, true
	}
	if cfg.hasPct && (cfg.toleratedPct < 0 || cfg.toleratedPct > 100) {
		return s.runtime("ToleratedFailurePercentage must be between 0 and 100.")
	}
	return nil
}

// runIterations runs the iterations of a Map state once. On failure it returns the error and the
// failing line's last event (-1 when the failure is a runtime error of the Map state itself).
func (s *stateRun) runIterations(eff any, list []any) ([]any, *stateError, int64) {
	t := s.t
	si := s.si
	cfg, serr := s.mapConfig(eff)
	if si.j != nil {
		cfg, serr = s.jsonataMapConfig(eff)
	}
	if serr != nil {
		return nil, serr, -1
	}
	length := len(list) // the size of the items array
	if s.st.Field("ItemReader") != nil {
		length = 0 // AWS records 0: the items are read after the Map starts (its ItemReader and ItemBatcher recordings)
	}
	started := t.emit("MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": length})
	if si.j == nil {
		if serr := s.tolerance(eff, &cfg); serr != nil {
			return nil, serr, -1
		}
	}
	inputs, serr := s.iterationInputs(eff, list)
	if serr != nil {
		return nil, serr, -1
	}
	if inputs, serr = s.batchItems(eff, inputs); serr != nil {
		return nil, serr, -1
	}
	var runStarted int64
	if si.distributed {
		runStarted = s.mapRunStarted()
	}
	m := &mapRun{s: s, cfg: cfg, inputs: inputs, results: make([]any, len(inputs)), g: newGroup(t)}
	if si.distributed && t.ex.r.opts.Children {
		m.runID = s.mapRunID()
	}
	for range m.workers() {
		wt := m.g.thread(started)
		if si.distributed {
			wt.silent = true
		}
		m.g.spawn(wt, func() { m.work(wt) })
	}
	maxLast := m.g.wait()
	// started: an empty Map has no iteration events, and AWS links MapStateSucceeded and
	// MapStateExited to MapStateStarted.
	maxLast = max(maxLast, m.iterEnd, started)
	if m.g.err != nil {
		err := m.g.err
		if m.tolErr != nil {
			err = m.tolErr
		}
		return nil, err, m.g.errLast
	}
	if t.ctx.Err() != nil {
		return nil, abortedError(), -1
	}
	if si.distributed {
		// AWS links MapStateExited to MapRunStarted: so do all 16 in LocalStack's AWS-validated
		// snapshots recorded from 2024-11-13 to 2025-10-28 (2 of a first-state Map); all 36
		// recorded up to 2024-08-19 (5 after another state; 12 are in ../shared/conformance)
		// link it to MapRunSucceeded: AWS changed this in between.
		t.emit("MapRunSucceeded", "", nil)
		t.record("MapStateSucceeded", "", nil, t.last, false)
		t.last = runStarted
		return m.results, nil, 0
	}
	t.record("MapStateSucceeded", "", nil, maxLast, false)
	t.last = maxLast
	return m.results, nil, 0
}

// iterationInputs builds each iteration's input: the item, or what ItemSelector (or Parameters)
// makes of the effective input as $ and the item in $$.Map.Item.
func (s *stateRun) iterationInputs(eff any, list []any) ([]any, *stateError) {
	t, si := s.t, s.si
	if si.j != nil && si.j.itemSelector != nil {
		inputs := make([]any, len(list))
		base := t.contextObject(s.st, s.entered, 0, "")
		sr := *s // one evaluation context for every item's ItemSelector
		for i, item := range list {
			if t.stopped() {
				return nil, abortedError()
			}
			v, err := sr.jsonataItemInput(eff, i, item, base)
			if err != nil {
				return nil, err
			}
			inputs[i] = v
		}
		return inputs, nil
	}
	if si.itemSelector != nil {
		inputs := make([]any, len(list))
		base := t.contextObject(s.st, s.entered, 0, "")
		sr := *s // one evaluation context for every item's ItemSelector
		for i, item := range list {
			if t.stopped() {
				return nil, abortedError()
			}
			sr.setContext(itemContext(base, i, item))
			v, err := sr.template(si.itemSelector, eff)
			if err != nil {
				return nil, err
			}
			inputs[i] = v
		}
		return inputs, nil
	}
	return list, nil
}

// mapRun is one run of a Map's iterations by a group of workers.
type mapRun struct {
	s       *stateRun
	runID   string // a distributed Map's map run id (child execution names), with Options.Children
	cfg     mapConfig
	inputs  []any
	results []any
	g       *group

	mu       sync.Mutex
	next     int         // the next iteration to start
	failures int         // iterations failed so far
	tolErr   *stateError // set once the tolerated failures are exceeded
	iterEnd  int64       // the last MapIterationSucceeded event
}

// childName names the child execution of iteration i as the ResultWriter names it.
func (m *mapRun) childName(i int) string {
	if m.runID == "" {
		return strconv.Itoa(i)
	}
	return fmt.Sprintf("%s-%d", m.runID[:8], i)
}

// workers is how many iterations run at once: MaxConcurrency, at most 40 for an inline Map (as
// AWS), at most one per item.
func (m *mapRun) workers() int {
	n := int(m.cfg.maxConcurrency)
	if !m.s.si.distributed && (n <= 0 || n > maxInlineConcurrency) {
		n = maxInlineConcurrency
	}
	if n <= 0 || n > len(m.inputs) {
		n = len(m.inputs)
	}
	return n
}

// tolerated reports whether failures failed iterations are within ToleratedFailureCount or
// ToleratedFailurePercentage.
func (m *mapRun) tolerated(failures int) bool {
	cfg := &m.cfg
	if cfg.toleratedCount < 0 && !cfg.hasPct {
		return false
	}
	if cfg.toleratedCount >= 0 && int64(failures) <= cfg.toleratedCount {
		return true
	}
	return cfg.hasPct && float64(failures)*100/float64(len(m.inputs)) <= cfg.toleratedPct
}

// work runs iterations on thread wt until none is left or the group fails.
func (m *mapRun) work(wt *thread) {
	for {
		m.mu.Lock()
		i := m.next
		m.next++
		m.mu.Unlock()
		if i >= len(m.inputs) || m.g.ctx.Err() != nil || !m.iterate(wt, i) {
			return
		}
	}
}

// iterate runs iteration i with its events; false when the worker must stop (aborted, or a
// failure the Map does not tolerate).
func (m *mapRun) iterate(wt *thread, i int) bool {
	s, t, si := m.s, m.s.t, m.s.si
	details := wt.iterationDetails(i, s.st.Name)
	if wt.vars.parent != t.vars || wt.vars.vars != nil {
		wt.vars = newVarScope(t.vars) // each iteration has its own scope
	} // (the previous iteration's, when it assigned nothing, is as good as new)
	wt.recordCompact("MapIterationStarted", "mapIterationStartedEventDetails", details, wt.last, true)
	in := m.inputs[i]
	if si.itemSelector != nil || si.j != nil && si.j.itemSelector != nil {
		m.inputs[i] = nil // built for this iteration only: let it go when it is done
	}
	var out any
	var err *stateError
	if si.distributed {
		end := wt.startChild(si.childExpress, m.childName(i), in)
		out, err = wt.runScope(s.st.Processor, in)
		err = end(out, err)
	} else {
		out, err = wt.runScope(s.st.Processor, in)
	}
	if err != nil {
		return m.failed(wt, i, details, err)
	}
	m.results[i] = out
	id := wt.recordCompact("MapIterationSucceeded", "mapIterationSucceededEventDetails", details, wt.last, false)
	m.mu.Lock()
	m.iterEnd = max(m.iterEnd, id)
	m.mu.Unlock()
	return true
}

// failed records a failed (or aborted) iteration: a tolerated failure becomes the iteration's
// result ({"Error", "Cause"}); any other fails the group.
func (m *mapRun) failed(wt *thread, i int, details CompactDetails, err *stateError) bool {
	if err.aborted {
		wt.recordCompact("MapIterationAborted", "mapIterationAbortedEventDetails", details, wt.last, false)
		return false
	}
	wt.recordCompact("MapIterationFailed", "mapIterationFailedEventDetails", details, wt.last, false)
	m.mu.Lock()
	m.failures++
	ok := !err.runtime && m.tolerated(m.failures)
	m.mu.Unlock()
	if ok {
		m.s.noteFailed(i, err)
		m.results[i] = value.ObjectOf("Error", err.Error, "Cause", err.Cause)
		return true
	}
	if !err.runtime && (m.cfg.toleratedCount >= 0 || m.cfg.hasPct) {
		m.mu.Lock()
		m.tolErr = failure("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
		m.mu.Unlock()
	}
	m.g.fail(wt, err)
	return false
}
