package run

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sync/atomic"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

// AWS's execution limits (Step Functions service quotas; the Wait state's documented ranges).
const (
	// MaxHistoryEvents is the most events a Standard execution's history holds: the event that would
	// be number 25,000 is replaced by ExecutionFailed (States.Runtime). Express executions have no
	// such limit.
	MaxHistoryEvents = 25000
	// MaxStandardDuration (1 year) and MaxExpressDuration are the longest an execution may run:
	// then it times out (States.Timeout), as it does sooner at a smaller TimeoutSeconds.
	MaxStandardDuration = 365 * 24 * time.Hour
	MaxExpressDuration  = 5 * time.Minute
	// maxWaitSeconds is the longest delay a Wait state accepts, 24,855 days (about 2^31 s, 68
	// years): longer, it fails with "Wait state delay is too long." (a recorded AWS execution:
	// 24,856 days fails).
	maxWaitSeconds = 24855 * 24 * 3600
	// maxSeconds caps every other duration read from a definition or an input (TimeoutSeconds,
	// HeartbeatSeconds, retry intervals): 100 years, past any execution's end, so that no value
	// overflows time.Duration.
	maxSeconds = 100 * 365 * 24 * 3600
)

// errEventLimit cancels an execution whose history is full.
var errEventLimit = errors.New("history event limit reached")

// eventLimitCause is AWS's cause of the failure of an execution whose history is full.
var eventLimitCause = fmt.Sprintf("The execution reached the maximum number of history events (%d).", MaxHistoryEvents)

// maxDuration is the longest an execution of type typ may run.
func maxDuration(typ string) time.Duration {
	if typ == Express {
		return MaxExpressDuration
	}
	return MaxStandardDuration
}

// seconds converts a number of seconds to a Duration, saturating: negative and NaN give 0, values
// past maxSeconds give maxSeconds.
func seconds(f float64) time.Duration {
	switch {
	case math.IsNaN(f) || f <= 0:
		return 0
	case f >= maxSeconds:
		return maxSeconds * time.Second
	}
	return time.Duration(f * float64(time.Second))
}

// clampSeconds bounds an integral number of seconds to [0, maxSeconds].
func clampSeconds(n int64) int64 { return min(max(n, 0), maxSeconds) }

// clampFloat converts a count read from a definition (MaxAttempts, MaxConcurrency, ...) to an
// int64 without overflow: NaN and negative values give 0.
func clampFloat(f float64) int64 {
	switch {
	case math.IsNaN(f) || f <= 0:
		return 0
	case f >= math.MaxInt64/2:
		return math.MaxInt64 / 2
	}
	return int64(f)
}

// waitSeconds is the delay of a Wait state's Seconds literal (any JSON number, however large):
// false when it is longer than AWS accepts.
func waitSeconds(v any) (time.Duration, bool) {
	r, ok := value.Rat(v)
	if !ok || r.Sign() <= 0 {
		return 0, true
	}
	if r.Cmp(big.NewRat(maxWaitSeconds, 1)) > 0 {
		return 0, false
	}
	f, _ := r.Float64()
	return seconds(f), true
}

// waitDelay checks a delay computed from an integer number of seconds or a timestamp: false when
// it is longer than AWS accepts.
func waitDelay(d time.Duration) bool { return d <= maxWaitSeconds*time.Second }

// childRun is one child execution of a distributed Map (one iteration, or one batch): its events
// are not in the parent's history, but its own history has the same limit, and it has its own
// maximum duration (5 minutes for an EXPRESS child).
type childRun struct {
	// hist, with Options.Children, numbers the child's own history.
	hist     *childHistory
	events   atomic.Int64
	limit    int64 // 0: none (an EXPRESS child, or Options.NoEventLimit)
	cancel   context.CancelCauseFunc
	deadline time.Time // virtual clock: when the child times out
}

// count counts one event of the child execution: the one that would be number limit fails it.
func (c *childRun) count() {
	if c != nil && c.limit > 0 && c.events.Add(1) >= c.limit {
		c.cancel(errEventLimit)
	}
}

// childHistory is the history of one child execution (Options.Children).
type childHistory struct {
	name   string
	nextID int64 // ex.mu
}

// startChild makes t run a new child execution of a distributed Map (Express when express) named
// name, on input; the returned function ends it with its output or failure and turns a full
// history or a timeout into the child's failure. With Options.Children the child records its
// own history, from ExecutionStarted to its end.
func (t *thread) startChild(express bool, name string, input any) (end func(out any, err *stateError) *stateError) {
	parent, parentLast := t.ctx, t.last
	typ := Standard
	if express {
		typ = Express
	}
	timed, cancelTimeout := context.WithTimeoutCause(parent, maxDuration(typ), errTimedOut)
	ctx, cancel := context.WithCancelCause(timed)
	c := &childRun{cancel: cancel}
	if !express && t.ex.r.maxEvents > 0 {
		c.limit = t.ex.r.maxEvents
	}
	if t.ex.virtual != nil {
		c.deadline = t.now.Add(maxDuration(typ))
	}
	t.ctx, t.child = ctx, c
	if t.ex.r.opts.Children && t.ex.r.opts.OnEvent != nil {
		c.hist = &childHistory{name: name}
		t.record("ExecutionStarted", "executionStartedEventDetails", map[string]any{
			"input": t.payloadJSON(input), "inputDetails": truncated(), "roleArn": t.ex.r.opts.RoleArn,
		}, 0, false)
		t.last = 0 // the first state's previous event is 0, as in AWS's histories
	} else {
		c.events.Store(1) // ExecutionStarted
	}
	return func(out any, err *stateError) *stateError {
		if err != nil && parent.Err() == nil {
			// the child execution failed or timed out: to the Map run, a failed item like any other
			switch cause := context.Cause(ctx); {
			case errors.Is(cause, errEventLimit):
				err = failure("States.Runtime", eventLimitCause)
			case errors.Is(cause, errTimedOut):
				err = &stateError{Error: "States.Timeout"}
			}
		}
		if c.hist != nil {
			t.childEnded(out, err)
		}
		cancel(nil)
		cancelTimeout()
		t.ctx, t.child, t.last = parent, nil, parentLast
		return err
	}
}

// childEnded records the last event of a child execution's own history.
func (t *thread) childEnded(out any, err *stateError) {
	switch {
	case err == nil:
		t.emit("ExecutionSucceeded", "executionSucceededEventDetails", map[string]any{"output": t.payloadJSON(out), "outputDetails": truncated()})
	case err.aborted:
		t.emit("ExecutionAborted", "", nil)
	case err.Error == "States.Timeout":
		t.emit("ExecutionTimedOut", "executionTimedOutEventDetails", map[string]any{"error": err.Error})
	default:
		d := map[string]any{"error": err.Error}
		if err.hasCause {
			d["cause"] = err.Cause
		}
		t.emit("ExecutionFailed", "executionFailedEventDetails", d)
	}
}
