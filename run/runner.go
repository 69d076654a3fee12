package run

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// Execution types.
const (
	Standard = "STANDARD"
	Express  = "EXPRESS"
)

// Options configure a Runner.
type Options struct {
	// Clock is the time source (nil: RealClock). A *VirtualClock finishes Waits and retry intervals at
	// once and makes the history deterministic.
	Clock Clock
	// Handlers returns the handler of a Task state (nil result: the task fails with
	// States.Runtime "no handler"). Called once per state, at New.
	Handlers func(st *asl.State) TaskHandler
	// ExecutionName, StateMachineName, RoleArn, Region and Account name the execution in the context
	// object and the ARNs (defaults: a name derived from the start time, "StateMachine",
	// arn:aws:iam::123456789012:role/StepFunctionsRole, us-east-1, 123456789012).
	ExecutionName    string
	StateMachineName string
	RoleArn          string
	Region           string
	Account          string
	// Type is STANDARD (default) or EXPRESS.
	Type string
	// OnEvent, when set, receives each history event as it is recorded (in id order, never
	// concurrently).
	OnEvent func(Event)
	// DiscardEvents: the history goes only to OnEvent and Result.Events stays empty, so that memory
	// does not grow with the history (a streamed history).
	DiscardEvents bool
	// CompactDetails (with DiscardEvents): the frequent events reach OnEvent with their details
	// in Event.Compact, not in a map (no allocation for them), for an OnEvent that reads details
	// with Event.DetailsMap or Event.DetailString, as the history table and JSON writer do.
	CompactDetails bool
	// Children records each child execution of a distributed Map as a history of its own: its
	// events (ExecutionStarted to ExecutionSucceeded or Failed, numbered from 1) reach OnEvent
	// with Event.Child set; they are not part of the execution's history (Result.Events).
	Children bool
	// Seed seeds the randomness of JitterStrategy FULL on the virtual clock (0: derived from the
	// execution name).
	Seed uint64
	// NoHistory: record no history (Result.Events stays empty, OnEvent is not called); event ids
	// still advance as they would. Payloads are then never serialised.
	NoHistory bool
	// NoEventLimit lifts AWS's limit of MaxHistoryEvents events in a Standard execution's history
	// (benchmarks of long loops); the maximum duration still applies.
	NoEventLimit bool
	// NoPayloadLimit lifts AWS's 256 KiB limit on state inputs, outputs and task results
	// (States.DataLimitExceeded).
	NoPayloadLimit bool
	// S3Dir is the local directory that stands for Amazon S3: s3://BUCKET/KEY is S3Dir/BUCKET/KEY
	// (a distributed Map's ItemReader and ResultWriter).
	S3Dir string
	// Inspect, when set, receives each data-flow step of each state as it is computed (the
	// Step* names; sfn run --state).
	Inspect func(st *asl.State, step string, v any)
	// Variables are the workflow variables the execution starts with (sfn run --variables).
	Variables *value.Object
}

// Runner executes one state machine; it is safe to Start several executions concurrently.
type Runner struct {
	m        *asl.Machine
	opts     Options
	info     map[*asl.State]*stateInfo
	handlers map[*asl.State]TaskHandler
	timeout  time.Duration // the execution's maximum duration: TimeoutSeconds or AWS's maximum
	// maxEvents is the most events of the history (0: no limit).
	maxEvents int64
}

// New prepares m for execution: every state's paths, templates, rules and handlers are looked up
// once. It fails when the definition cannot run (unparsed expressions, missing states, JSONata).
func New(m *asl.Machine, opts Options) (*Runner, error) {
	if m == nil || m.Root == nil {
		return nil, errors.New("run: no state machine")
	}
	if opts.Clock == nil {
		opts.Clock = RealClock
	}
	if opts.StateMachineName == "" {
		opts.StateMachineName = "StateMachine"
	}
	if opts.RoleArn == "" {
		opts.RoleArn = "arn:aws:iam::123456789012:role/StepFunctionsRole"
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Account == "" {
		opts.Account = "123456789012"
	}
	if opts.Type == "" {
		opts.Type = Standard
	}
	r := &Runner{m: m, opts: opts, info: make(map[*asl.State]*stateInfo, len(m.All)), handlers: map[*asl.State]TaskHandler{}}
	c := &compiler{exprs: make(map[*load.Node]*asl.Expr, len(m.Exprs))}
	for _, e := range m.Exprs {
		c.exprs[e.Node] = e
	}
	if m.Root.Start() == nil {
		c.errs = append(c.errs, "StartAt names no state")
	}
	for _, st := range m.All {
		r.info[st] = c.state(st)
		if st.Type == "Task" && opts.Handlers != nil {
			if h := opts.Handlers(st); h != nil {
				r.handlers[st] = h
			}
		}
	}
	for _, e := range m.Exprs {
		if si := r.info[e.State]; si != nil && e.Node != nil && strings.Contains(e.Node.Text, "$$") {
			si.usesContext = true
		}
	}
	r.timeout = maxDuration(opts.Type)
	if v, ok := numField(m.Root.Node, "TimeoutSeconds"); ok && v > 0 {
		r.timeout = min(r.timeout, seconds(v))
	}
	if opts.Type != Express && !opts.NoEventLimit {
		r.maxEvents = MaxHistoryEvents
	}
	if len(c.errs) > 0 {
		return nil, fmt.Errorf("run: the definition cannot run:\n  %s", strings.Join(c.errs, "\n  "))
	}
	return r, nil
}

// stateError is a failure of a state: an error name and a cause.
type stateError struct {
	Error, Cause string
	hasCause     bool
	// runtime errors (States.Runtime) are never retried nor caught.
	runtime bool
	// aborted: the execution or the enclosing Parallel / Map was cancelled.
	aborted bool
	// evaluation: a JSONata evaluation failed (an EvaluationFailed event records it); location is
	// the field ("Items", "Output/result"; empty when AWS names none).
	evaluation bool
	location   string
}

func failure(name, cause string) *stateError {
	return &stateError{Error: name, Cause: cause, hasCause: true}
}

// execution is one run of the machine.
type execution struct {
	r       *Runner
	ctx     context.Context
	cancel  context.CancelCauseFunc
	virtual *VirtualClock

	mu     sync.Mutex
	events []Event
	nextID int64

	name, arn, smArn string
	start            time.Time
	startText        string
	input            any
	deadline         time.Time // virtual clock: the machine timeout

	recording   bool          // the history is recorded (events.go)
	ending      bool          // the execution's last event is next: the event limit no longer applies
	transitions int           // states entered
	sched       *sched        // virtual clock: threads take turns (events_sched.go)
	ctxExec     *value.Object // $$.Execution and $$.StateMachine, shared (read-only) by every state
	ctxSM       *value.Object
	mapRecords  sync.Map // *stateRun → *mapRecord: ResultWriter's view of a Map visit (resultwriter.go)

	tokenSeq   int64
	attemptsMu sync.Mutex
	attempts   map[*asl.State]int
	rand       uint64
	// randomFn and uuidFn are random and uuid as function values, made once (JSONata's $random
	// and $uuid).
	randomFn func() float64
	uuidFn   func() string
	intrEnv  *intrinsic.Env // the sources of States.UUID and States.MathRandom (intrinsicEnv)
}

var errTimedOut = errors.New("execution timed out")

// thread is one line of execution (the machine, a Parallel branch, a Map iteration worker).
type thread struct {
	ex   *execution
	ctx  context.Context
	last int64     // the id of the previous event on this line
	now  time.Time // virtual clock: this line's time
	vars *varScope // the workflow variables in scope (variables.go)
	// silent threads record no events (the child executions of a distributed Map); child counts
	// the events of the child execution they belong to.
	silent bool
	child  *childRun
	sch    threadSched // virtual clock: scheduling state (events_sched.go)
	// payloads remembers the last payload serialised and measured (payloadcache.go).
	payloads payloadCache
	// spareRun is reused by the visits of simple states (states.go).
	spareRun *stateRun
	// lastTime and lastText: the last time formatted for a context object (timeText).
	lastTime time.Time
	lastText string
}

// Start runs an execution to its end and returns its result. Cancelling ctx aborts the execution.
func (r *Runner) Start(ctx context.Context, input any) *Result {
	input = normalize(input)
	ex := &execution{r: r, input: input, attempts: map[*asl.State]int{}}
	ex.virtual, _ = r.opts.Clock.(*VirtualClock)
	ex.start = r.opts.Clock.Now().UTC()
	ex.startText = timeText(ex.start)
	ex.name = r.opts.ExecutionName
	if ex.name == "" {
		ex.name = strings.NewReplacer(":", "-", ".", "-").Replace(ex.start.Format("20060102T150405.000Z"))
	}
	ex.arn = fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", r.opts.Region, r.opts.Account, r.opts.StateMachineName, ex.name)
	if r.opts.Type == Express {
		ex.arn = fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s:%s", r.opts.Region, r.opts.Account, r.opts.StateMachineName, ex.name, "00000000-0000-0000-0000-000000000000")
	}
	ex.smArn = fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", r.opts.Region, r.opts.Account, r.opts.StateMachineName)
	ex.rand = r.opts.Seed
	if ex.rand == 0 {
		ex.rand = fnv64(ex.name) | 1
	}
	// The maximum duration ends the execution on either clock. On the virtual clock the deadline is
	// in virtual time (Waits, retry intervals, task timeouts move it); AWS's maximum for the type
	// also bounds the real time, so that a loop that never waits still ends.
	limit := r.timeout
	if ex.virtual != nil {
		ex.deadline = ex.start.Add(r.timeout)
		limit = maxDuration(r.opts.Type)
	}
	ctx, cancelTimeout := context.WithTimeoutCause(ctx, limit, errTimedOut)
	defer cancelTimeout()
	ctx, ex.cancel = context.WithCancelCause(ctx)
	defer ex.cancel(nil)
	ex.ctx = ctx
	ex.initEvents()

	t := &thread{ex: ex, ctx: ctx, now: ex.start, vars: newVarScope(nil)}
	t.vars.seed(r.opts.Variables)
	// The first state's previous event is 0, not ExecutionStarted, as in AWS's histories.
	t.record("ExecutionStarted", "executionStartedEventDetails", map[string]any{
		"input": t.payloadJSON(input), "inputDetails": truncated(), "roleArn": r.opts.RoleArn,
	}, 0, false)
	out, serr := t.runScope(r.m.Root, input)
	res := &Result{}
	ex.mu.Lock()
	ex.ending = true // the last event is recorded whatever the event limit
	ex.mu.Unlock()
	switch {
	case errors.Is(context.Cause(ctx), errEventLimit):
		res.Status, res.Error, res.Cause = Failed, "States.Runtime", eventLimitCause
		t.emit("ExecutionFailed", "executionFailedEventDetails", map[string]any{"error": res.Error, "cause": res.Cause})
	case serr == nil:
		res.Status, res.Output = Succeeded, out
		t.emit("ExecutionSucceeded", "executionSucceededEventDetails", map[string]any{"output": t.payloadJSON(out), "outputDetails": truncated()})
	case errors.Is(context.Cause(ctx), errTimedOut) || serr.Error == "States.Timeout" && serr.runtime:
		res.Status, res.Error, res.Cause = TimedOut, "States.Timeout", ""
		// AWS links ExecutionTimedOut to no event (previousEventId 0), whatever was running.
		t.record("ExecutionTimedOut", "executionTimedOutEventDetails", map[string]any{"error": "States.Timeout"}, 0, true)
	case ctx.Err() != nil:
		res.Status = Aborted
		t.emit("ExecutionAborted", "executionAbortedEventDetails", map[string]any{})
	default:
		res.Status, res.Error, res.Cause = Failed, serr.Error, serr.Cause
		d := map[string]any{}
		if serr.Error != "" {
			d["error"] = serr.Error
		}
		if serr.hasCause {
			d["cause"] = serr.Cause
		}
		t.emit("ExecutionFailed", "executionFailedEventDetails", d)
	}
	ex.mu.Lock()
	res.Events, res.Transitions = ex.events, ex.transitions
	res.Started, res.Stopped = ex.start, t.timestamp()
	ex.mu.Unlock()
	return res
}

// notTruncated is the shared (read-only) {"truncated": false} of every payload's details.
var notTruncated = map[string]any{"truncated": false}

func truncated() map[string]any { return notTruncated }

// timeText formats a time as AWS prints it in the context object.
func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// random returns a deterministic pseudo-random number in [0, 1) (splitmix64).
func (ex *execution) random() float64 {
	ex.mu.Lock()
	ex.rand += 0x9e3779b97f4a7c15
	z := ex.rand
	ex.mu.Unlock()
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// timestamp returns the time of the thread's next event.
func (t *thread) timestamp() time.Time {
	if t.ex.virtual != nil {
		return t.now
	}
	return t.ex.r.opts.Clock.Now().UTC()
}

// sleep waits d on the execution's clock; it fails when the execution ends meanwhile.
func (t *thread) sleep(d time.Duration) error {
	if d <= 0 {
		return t.ctx.Err()
	}
	if t.ex.virtual != nil {
		if err := t.ctx.Err(); err != nil {
			return err
		}
		t.now = t.now.Add(d)
		if t.pastDeadline() {
			return errTimedOut
		}
		t.ex.virtual.advanceTo(t.now)
		t.ex.sched.yield(t)
		return nil
	}
	return t.ex.r.opts.Clock.Sleep(t.ctx, d)
}

// stopped reports whether the execution (or the enclosing Parallel or Map) has ended: loops over
// items, lines or results check it on every turn, so that Ctrl-C ends them promptly.
func (t *thread) stopped() bool { return t.ctx.Err() != nil }

// pastDeadline ends the execution (timed out) when the thread's virtual time has passed the
// execution's deadline, or the child execution the thread runs when it has passed the child's;
// the time stops at the deadline.
func (t *thread) pastDeadline() bool {
	ex := t.ex
	if ex.virtual == nil {
		return false
	}
	if c := t.child; c != nil && !c.deadline.IsZero() && t.now.After(c.deadline) && !c.deadline.After(ex.deadline) {
		t.now = c.deadline // a distributed Map's child execution times out first
		ex.virtual.advanceTo(t.now)
		c.cancel(errTimedOut)
		return true
	}
	if ex.deadline.IsZero() || !t.now.After(ex.deadline) {
		return false
	}
	t.now = ex.deadline
	ex.virtual.advanceTo(t.now)
	ex.cancel(errTimedOut)
	return true
}

// contextObject is the $$ object of a state.
// Its members are in AWS's order (recorded: Execution, StateMachine, State; State.Name,
// EnteredTime, RetryCount).
func (t *thread) contextObject(st *asl.State, entered time.Time, retry int, token string) *value.Object {
	ex := t.ex
	// The members of State and of the object share one allocation.
	ms := make([]value.Member, 0, 7)
	ms = append(ms, value.Member{Key: "Name", Value: st.Name}, value.Member{Key: "EnteredTime", Value: t.timeText(entered)})
	if st.Type == "Task" {
		ms = append(ms, value.Member{Key: "RetryCount", Value: jsonInt(retry)})
	}
	n := len(ms)
	state := value.FromMembers(ms[:n:n])
	ms = append(ms, value.Member{Key: "Execution", Value: ex.ctxExec}, value.Member{Key: "StateMachine", Value: ex.ctxSM},
		value.Member{Key: "State", Value: state})
	if token != "" {
		ms = append(ms, value.Member{Key: "Task", Value: value.ObjectOf("Token", token)})
	}
	return value.FromMembers(ms[n:len(ms):len(ms)])
}

// timeText is timeText(tm), remembered for the thread's next states entered at the same time (the
// virtual clock's time often stands still).
func (t *thread) timeText(tm time.Time) string {
	if t.lastText == "" || !tm.Equal(t.lastTime) {
		t.lastTime, t.lastText = tm, timeText(tm)
	}
	return t.lastText
}

// runScope runs the states of a scope from its StartAt to a terminal state.
func (t *thread) runScope(sc *asl.StateMachine, input any) (any, *stateError) {
	st := sc.Start()
	for {
		if err := t.ctx.Err(); err != nil {
			return nil, abortedError()
		}
		out, next, serr := t.runState(st, input)
		if serr != nil {
			return nil, serr
		}
		if next == nil {
			return out, nil
		}
		st, input = next, out
	}
}
