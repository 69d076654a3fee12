package suite

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

// StartTime is the virtual start time of every case: histories and $now are the same on every run.
var StartTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Execution is what one case's run left: the result, the history and the visits of states.
type Execution struct {
	Result  *run.Result
	Input   any
	Visits  []*Visit
	Missing []string // Task states reached without a handler, in order of first call
	mocked  map[string]bool
	runaway bool // stopped at Suite.eventCap
}

// Visit is one entry into a state, as the history shows it.
type Visit struct {
	Name      string
	Type      string
	Input     any
	Output    any
	Exited    bool
	Result    any
	HasResult bool
	Failed    bool
	Error     string
	Cause     string
	Attempts  int // task calls (Scheduled events) or Parallel / Map starts
	// Parameters is what the last call of a Task sent (its effective input: Parameters or
	// Arguments applied); HasParameters says there was a call.
	Parameters    any
	HasParameters bool
	Variables     *value.Object // assigned variables, decoded
	// From is the visit this one followed on its line of execution (the previous state of the
	// scope, or the Parallel / Map state for a first inner state; nil for the first state).
	From   *Visit
	parent *Visit
	closed bool // the visit has ended (exited, or failed and moved on)
	ended  bool // a Parallel or Map failed (closed when the next state enters)
}

// Path is the names of the states entered, in order.
func (x *Execution) Path() []string {
	out := make([]string, len(x.Visits))
	for i, v := range x.Visits {
		out[i] = v.Name
	}
	return out
}

// handlers returns the handler lookup of a case: inline mocks, then handler overrides, then the
// MockConfigFile test case, then sfn.yaml (tasks, resources). A Task reached without any fails
// (States.Runtime) and is listed in Execution.Missing.
func (s *Suite) handlers(c *Case, x *Execution) (func(*asl.State) run.TaskHandler, error) {
	var mockRes *handler.Resolver
	if c.MockCase != "" && s.Mock != nil {
		r, err := handler.NewResolver(handler.Options{Mock: s.Mock, StateMachine: s.MockMachine, TestCase: c.MockCase})
		if err != nil {
			return nil, err
		}
		mockRes = r
	}
	var cfgRes, ovRes *handler.Resolver
	if s.Config != nil {
		cfgRes, _ = handler.NewResolver(handler.Options{Config: s.Config})
	}
	if ov := s.overrides[c]; ov != nil {
		ovRes, _ = handler.NewResolver(handler.Options{Config: ov})
	}
	var mu sync.Mutex
	return func(st *asl.State) run.TaskHandler {
		if m := c.Mocks[st.Name]; m != nil {
			return &counted{x: x, mu: &mu, name: st.Name, h: &handler.Mock{Name: st.Name, Steps: m.Steps}}
		}
		for _, r := range []*handler.Resolver{ovRes, mockRes, cfgRes} {
			if r == nil {
				continue
			}
			if h := r.Handler(st); h != nil {
				if r == mockRes {
					return &counted{x: x, mu: &mu, name: st.Name, h: h}
				}
				return h
			}
		}
		return &missing{x: x, mu: &mu, res: handler.Resource(st)}
	}, nil
}

// counted records that a mock was used (for the "mock never reached" warning).
type counted struct {
	x    *Execution
	mu   *sync.Mutex
	name string
	h    run.TaskHandler
}

func (c *counted) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	c.mu.Lock()
	c.x.mocked[c.name] = true
	c.mu.Unlock()
	return c.h.Invoke(ctx, req)
}

// missing is the handler of a Task no mock, override or config covers: the case fails naming it.
type missing struct {
	x   *Execution
	mu  *sync.Mutex
	res string
}

func (m *missing) Invoke(_ context.Context, req run.TaskRequest) run.TaskResult {
	m.mu.Lock()
	if !containsStr(m.x.Missing, req.StateName) {
		m.x.Missing = append(m.x.Missing, req.StateName)
	}
	m.mu.Unlock()
	return run.TaskResult{Failed: true, Error: "States.Runtime",
		Cause: fmt.Sprintf("sfn test: no handler for the Task state '%s' (Resource %s): mock it in the case, or configure it in sfn.yaml", req.StateName, m.res)}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Exec runs one case and returns its execution. The error is a problem of the setup (a handler
// config that cannot be built, a definition that cannot run), not of the execution.
func (s *Suite) Exec(ctx context.Context, c *Case) (x *Execution, err error) {
	x = &Execution{mocked: map[string]bool{}}
	h, err := s.handlers(c, x)
	if err != nil {
		return nil, err
	}
	input, ok := s.inputs[c]
	if !ok {
		input = value.NewObject(0)
	}
	x.Input = input
	smName := s.Name
	if s.Mock != nil {
		if s.MockMachine != "" {
			smName = s.MockMachine
		} else if len(s.Mock.StateMachines) == 1 {
			for n := range s.Mock.StateMachines {
				smName = n
			}
		}
	}
	opts := run.Options{
		Clock:            run.NewVirtualClock(StartTime),
		Handlers:         h,
		ExecutionName:    ExecutionName(c.Name),
		StateMachineName: smName,
		Type:             s.Type,
		S3Dir:            s.s3Dir(),
	}
	if s.eventCap > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		n := 0
		opts.OnEvent = func(run.Event) {
			if n++; n == s.eventCap {
				x.runaway = true
				cancel()
			}
		}
	}
	r, err := run.New(s.M, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", s.MachinePath, strings.TrimPrefix(err.Error(), "run: "))
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error in the interpreter: %v", p)
		}
	}()
	x.Result = r.Start(ctx, input)
	if x.Result == nil {
		return nil, fmt.Errorf("internal error: no result")
	}
	x.Visits = visits(x.Result.Events)
	return x, nil
}

func (s *Suite) s3Dir() string {
	if s.Config != nil {
		return s.Config.S3Dir
	}
	return ""
}

// ExecutionName turns a case name into a valid execution name (at most 80 characters of
// letters, digits, '-' and '_'), so that $$.Execution.Name, ARNs and seeds follow the case.
func ExecutionName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= 80 {
			break
		}
		switch {
		case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "case"
	}
	return b.String()
}

// visits rebuilds the state visits from the history: each event continues the line of its
// previous event (previousEventId), so concurrent branches and iterations keep apart. Task,
// Parallel and Map events belong to the nearest open visit of that type on their line.
func visits(events []run.Event) []*Visit {
	var out []*Visit
	of := make(map[int64]*Visit, len(events))
	open := func(v *Visit) *Visit {
		for v != nil && v.closed {
			v = v.parent
		}
		return v
	}
	for _, ev := range events {
		raw := of[ev.PreviousEventID]
		cur := open(raw)
		d := ev.Details
		switch {
		case strings.HasSuffix(ev.Type, "StateEntered"):
			parent := cur
			if parent != nil && (parent.ended || parent.Type != "Parallel" && parent.Type != "Map") {
				// The previous state of the scope failed and a Catch moved on: it has ended.
				parent.closed = true
				parent = open(parent.parent)
			}
			v := &Visit{Name: str(d["name"]), Type: strings.TrimSuffix(ev.Type, "StateEntered"), Input: decode(d["input"]), From: raw, parent: parent}
			out = append(out, v)
			cur = v
		case strings.HasSuffix(ev.Type, "StateExited"):
			name := str(d["name"])
			v := cur
			for v != nil && v.Name != name {
				v = open(v.parent)
			}
			if v != nil {
				v.Exited, v.closed = true, true
				v.Output = decode(d["output"])
				if av, ok := d["assignedVariables"].(map[string]any); ok {
					ms := make([]value.Member, 0, len(av))
					for _, k := range sortedKeys(av) {
						ms = append(ms, value.Member{Key: k, Value: decode(av[k])})
					}
					v.Variables = value.FromMembers(ms)
				}
				cur = v
			}
		case cur == nil:
		default:
			child := cur
			if kind := eventState(ev.Type); kind != "" {
				for cur != nil && cur.Type != kind {
					cur = open(cur.parent)
				}
				if cur == nil {
					cur = open(raw)
					break
				}
			}
			visitEvent(cur, ev.Type, d)
			if cur.ended && !cur.Failed && child != cur && child.Failed {
				// AWS records no error on ParallelStateFailed / MapStateFailed: the branch's it is.
				cur.Failed, cur.Error, cur.Cause = true, child.Error, child.Cause
			}
		}
		of[ev.ID] = cur
	}
	return out
}

// eventState is the type of state an event belongs to: Task, Parallel, Map, or "".
func eventState(typ string) string {
	switch {
	case strings.HasPrefix(typ, "Task"), strings.HasPrefix(typ, "LambdaFunction"), strings.HasPrefix(typ, "Activity"):
		return "Task"
	case strings.HasPrefix(typ, "Parallel"):
		return "Parallel"
	case strings.HasPrefix(typ, "Map"):
		return "Map"
	}
	return ""
}

// visitEvent records what an event says about its state's visit: a call, a result, a failure.
func visitEvent(v *Visit, typ string, d map[string]any) {
	switch typ {
	case "TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled", "ParallelStateStarted", "MapStateStarted":
		v.Attempts++
		v.ended = false
		if p, ok := d["parameters"]; ok {
			v.Parameters, v.HasParameters = decode(p), true
		} else if p, ok := d["input"]; ok && !strings.HasSuffix(typ, "StateStarted") {
			v.Parameters, v.HasParameters = decode(p), true
		}
	case "TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded":
		v.Result, v.HasResult = decode(d["output"]), true
		v.Failed, v.Error, v.Cause = false, "", ""
	case "ParallelStateFailed", "MapStateFailed", "ParallelStateAborted", "MapStateAborted":
		v.ended = true
		v.Failed = false
	}
	if e, ok := d["error"]; ok && (strings.HasSuffix(typ, "Failed") || strings.HasSuffix(typ, "TimedOut")) {
		if !(v.Failed && strings.HasPrefix(typ, "Execution")) { // the state's own error first
			v.Failed, v.Error, v.Cause = true, str(e), str(d["cause"])
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// decode turns a JSON text of the history back into a value (nil when absent).
func decode(v any) any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	x, err := load.DecodeJSON([]byte(s))
	if err != nil {
		return s
	}
	return x
}

// unreachedMocks lists the inline mocks of c that no execution called.
func unreachedMocks(c *Case, x *Execution) []string {
	var out []string
	for name := range c.Mocks {
		if !x.mocked[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
