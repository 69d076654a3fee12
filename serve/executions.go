package serve

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

func init() {
	actions["StartExecution"] = op((*Server).startExecution)
	actions["StartSyncExecution"] = op((*Server).startSyncExecution)
	actions["DescribeExecution"] = op((*Server).describeExecution)
	actions["DescribeStateMachineForExecution"] = op((*Server).describeMachineForExecution)
	actions["ListExecutions"] = op((*Server).listExecutions)
	actions["StopExecution"] = op((*Server).stopExecution)
}

// maxInput is AWS's limit on an execution's input: 262,144 bytes (256 KiB).
const maxInput = 256 << 10

type startRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	Name            *string `json:"name"`
	Input           *string `json:"input"`
	TraceHeader     string  `json:"traceHeader"`
}

func (s *Server) startExecution(_ context.Context, req *startRequest) (any, *apiError) {
	rec, e := s.start(req, false)
	if e != nil {
		return nil, e
	}
	return map[string]any{"executionArn": rec.Arn, "startDate": epoch(rec.Start)}, nil
}

func (s *Server) startSyncExecution(ctx context.Context, req *startRequest) (any, *apiError) {
	rec, e := s.start(req, true)
	if e != nil {
		return nil, e
	}
	// The client going away stops its execution, as a server shutting down does.
	stop := context.AfterFunc(ctx, func() { rec.cancel(errors.New("the client closed the request")) })
	defer stop()
	<-rec.done
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := map[string]any{
		"executionArn": rec.Arn, "stateMachineArn": rec.MachineArn, "name": rec.Name, "startDate": epoch(rec.Start),
		"stopDate": epoch(rec.stop), "status": rec.status, "input": rec.Input, "inputDetails": included,
		"billingDetails": map[string]any{"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": billedMillis(rec.stop.Sub(rec.Start))},
	}
	rec.addResult(out)
	return out, nil
}

// billedMillis rounds a duration up to the next 100 ms, as Express executions are billed.
func billedMillis(d time.Duration) int64 {
	ms := d.Milliseconds()
	return max(100, (ms+99)/100*100)
}

var included = map[string]any{"included": true}

// addResult adds output, error and cause to a description (rec.mu held).
func (rec *execRec) addResult(out map[string]any) {
	if rec.output != nil {
		out["output"] = *rec.output
		out["outputDetails"] = included
	}
	if rec.err != nil {
		out["error"] = *rec.err
	}
	if rec.cause != nil {
		out["cause"] = *rec.cause
	}
}

// start checks a StartExecution / StartSyncExecution request and starts the execution; it returns
// once the execution has started (its ExecutionStarted event is recorded).
func (s *Server) start(req *startRequest, sync bool) (*execRec, *apiError) {
	p, e := s.startParams(req, sync)
	if e != nil {
		return nil, e
	}
	resolver, e := s.resolverFor(p.m, p.testCase)
	if e != nil {
		return nil, e
	}
	rec := &execRec{Arn: s.execArn(p.m.Name, p.name, p.m.Type), Name: p.name, MachineArn: p.m.Arn, Type: p.m.Type,
		TestCase: p.testCase, Input: p.inputText, Machine: p.m, status: "RUNNING", done: make(chan struct{})}
	if old, e := s.register(rec, sync); old != nil || e != nil {
		return old, e
	}
	return s.launch(rec, resolver, p.input)
}

// startParams are the checked parts of a start request.
type startParams struct {
	m              *machineRec
	testCase, name string
	inputText      string
	input          any
}

// startParams checks a start request as AWS does: the machine (with Step Functions Local's
// "#TestCase" suffix), its type for a synchronous start, the name and the input.
func (s *Server) startParams(req *startRequest, sync bool) (*startParams, *apiError) {
	if req.StateMachineArn == nil {
		return nil, required("stateMachineArn")
	}
	smArn, testCase, hasCase := strings.Cut(*req.StateMachineArn, "#")
	if hasCase && testCase == "" {
		return nil, invalidArn(*req.StateMachineArn, "")
	}
	m, e := s.machine("stateMachineArn", &smArn)
	if e != nil {
		return nil, e
	}
	if sync && m.Type != run.Express {
		return nil, errorf(errSMTypeNotSupported, "This operation is only supported for Express state machines: '%s'", m.Arn)
	}
	p := &startParams{m: m, testCase: testCase, name: newUUID(), inputText: "{}"}
	if req.Name != nil {
		if e := checkName("name", *req.Name); e != nil {
			return nil, e
		}
		p.name = *req.Name
	}
	if req.Input != nil {
		p.inputText = *req.Input
	}
	if len(p.inputText) > maxInput {
		return nil, tooLong("input", maxInput)
	}
	input, err := load.DecodeJSON([]byte(p.inputText))
	if err != nil {
		return nil, errorf(errInvalidExecInput, "Invalid State Machine Execution Input: '%s'", err.Error())
	}
	p.input = input
	return p, nil
}

// resolverFor chooses the task handlers of an execution: the mock config's test case when the
// start named one, else the handler config.
func (s *Server) resolverFor(m *machineRec, testCase string) (*handler.Resolver, *apiError) {
	opts := handler.Options{Config: s.opts.Config}
	if testCase != "" {
		if s.opts.Mock == nil {
			return nil, errorf(errValidation, "test case %q: sfn serve was started without a mock config (--mock-config or SFN_MOCK_CONFIG)", clipText(testCase, 100))
		}
		opts = handler.Options{Config: s.opts.Config, Mock: s.opts.Mock, StateMachine: m.Name, TestCase: testCase}
	}
	resolver, err := handler.NewResolver(opts)
	if err != nil {
		return nil, errorf(errValidation, "%s", err.Error())
	}
	return resolver, nil
}

// register records a new execution. A running Standard execution of the same name and input is
// returned instead (AWS's StartExecution is idempotent); another of the same name is
// ExecutionAlreadyExists.
func (s *Server) register(rec *execRec, sync bool) (*execRec, *apiError) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	if old := st.execs[rec.Arn]; old != nil {
		old.mu.Lock()
		running := old.status == "RUNNING"
		same := running && old.Input == rec.Input && rec.Type == run.Standard
		old.mu.Unlock()
		// An Express name may be used again once its execution has ended (AWS tells Express
		// executions apart by an id in the ARN; run's ARN has a fixed one).
		if rec.Type != run.Express || running {
			if same && !sync {
				return old, nil
			}
			return nil, errorf(errExecAlreadyExists, "Execution Already Exists: '%s'", rec.Arn)
		}
	}
	st.execs[rec.Arn] = rec
	st.byMachine[rec.MachineArn] = append(st.byMachine[rec.MachineArn], rec)
	return nil, nil
}

// launch runs a registered execution in the background and returns once it has started.
func (s *Server) launch(rec *execRec, resolver *handler.Resolver, input any) (*execRec, *apiError) {
	m := rec.Machine
	started := make(chan struct{})
	var once bool
	opts := run.Options{
		Clock: s.clock(s.now()), Handlers: s.handlers(m.Name, resolver), ExecutionName: rec.Name, StateMachineName: m.Name,
		RoleArn: m.RoleArn, Region: s.opts.Region, Account: s.opts.Account, Type: m.Type, DiscardEvents: true,
		OnEvent: func(ev run.Event) {
			rec.mu.Lock()
			rec.events = append(rec.events, ev)
			if !once {
				once = true
				rec.Start = ev.Timestamp
				close(started)
			}
			rec.mu.Unlock()
		},
	}
	runner, err := run.New(m.machine, opts)
	if err != nil {
		s.forget(rec)
		return nil, errorf(errInvalidDefinition, "Invalid State Machine Definition: '%s'", strings.TrimPrefix(err.Error(), "run: "))
	}
	ctx, cancel := context.WithCancelCause(s.ctx)
	rec.cancel = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel(nil)
		res := s.runSafely(runner, ctx, input)
		s.finish(rec, res, ctx)
		rec.mu.Lock()
		if !once { // no event recorded: the execution still counts as started
			once = true
			rec.Start = res.Started
			close(started)
		}
		rec.mu.Unlock()
		close(rec.done)
	}()
	<-started
	return rec, nil
}

// forget removes an execution that did not start.
func (s *Server) forget(rec *execRec) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.execs, rec.Arn)
	list := st.byMachine[rec.MachineArn]
	if n := len(list); n > 0 && list[n-1] == rec {
		st.byMachine[rec.MachineArn] = list[:n-1]
	}
}

// runSafely runs the execution; a panic of the interpreter fails the execution (States.Runtime)
// instead of the server.
func (s *Server) runSafely(r *run.Runner, ctx context.Context, input any) (res *run.Result) {
	defer func() {
		if p := recover(); p != nil {
			s.opts.Logf("sfn serve: internal error running an execution: %v", p)
			res = &run.Result{Status: run.Failed, Error: "States.Runtime", Cause: "internal error of sfn serve", Stopped: time.Now().UTC()}
		}
	}()
	return r.Start(ctx, input)
}

// stopReason is the cause of a StopExecution: its error and cause go into ExecutionAborted.
type stopReason struct{ Err, Cause *string }

func (stopReason) Error() string { return "stopped by StopExecution" }

// finish records the outcome of an execution (and keeps it in the data directory).
func (s *Server) finish(rec *execRec, res *run.Result, ctx context.Context) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	defer func() {
		if err := s.disk.saveExecution(rec); err != nil {
			s.opts.Logf("sfn serve: data dir: execution %s: %v", rec.Arn, err)
		}
	}()
	rec.status = string(res.Status)
	rec.stop = res.Stopped
	switch res.Status {
	case run.Succeeded:
		text := string(value.AppendJSON(nil, res.Output))
		rec.output = &text
	case run.Failed, run.TimedOut:
		e, c := res.Error, res.Cause
		if e != "" {
			rec.err = &e
		}
		if c != "" || res.Status == run.Failed {
			rec.cause = &c
		}
	case run.Aborted:
		var sr stopReason
		if errors.As(context.Cause(ctx), &sr) {
			rec.err, rec.cause = sr.Err, sr.Cause
			// AWS records StopExecution's error and cause in the ExecutionAborted event.
			if n := len(rec.events); n > 0 && rec.events[n-1].Type == "ExecutionAborted" {
				d := map[string]any{}
				if sr.Err != nil {
					d["error"] = *sr.Err
				}
				if sr.Cause != nil {
					d["cause"] = *sr.Cause
				}
				rec.events[n-1].Details = d
			}
		}
	}
}

// handlers is the handler of each Task state: the resolver's (mocks, sfn.yaml), else a callback
// for .waitForTaskToken resources, an activity's worker for activity ARNs, or the Lambda
// endpoint for Lambda functions.
func (s *Server) handlers(machine string, r *handler.Resolver) func(st *asl.State) run.TaskHandler {
	return func(st *asl.State) run.TaskHandler {
		if s.opts.TaskHandlers != nil {
			if h := s.opts.TaskHandlers(machine, st); h != nil {
				return h
			}
		}
		if h := r.Handler(st); h != nil {
			return h
		}
		res := handler.Resource(st)
		switch {
		case strings.HasSuffix(res, ".waitForTaskToken"):
			cb := &callbackHandler{tokens: s.tokens}
			if send := r.CallbackEndpoint(res); send != nil { // --endpoint: send the message, then wait
				return &handler.SendThenWait{Send: send, Wait: cb}
			}
			return cb
		case strings.Contains(res, ":activity:"):
			return &activityHandler{s: s, arn: res}
		case s.opts.LambdaEndpoint != "" && handler.IsLambdaFunction(res):
			return &handler.LambdaEndpoint{Endpoint: s.opts.LambdaEndpoint}
		}
		return nil
	}
}

type execArnRequest struct {
	ExecutionArn *string `json:"executionArn"`
}

// execution finds the execution of an ARN member.
func (s *Server) execution(p *string) (*execRec, *apiError) {
	if p == nil {
		return nil, required("executionArn")
	}
	if _, e := parseArn(*p, "execution", "express"); e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	rec := s.store.execs[*p]
	s.store.mu.RUnlock()
	if rec == nil {
		return nil, execDoesNotExist(*p)
	}
	return rec, nil
}

func (s *Server) describeExecution(_ context.Context, req *execArnRequest) (any, *apiError) {
	rec, e := s.execution(req.ExecutionArn)
	if e != nil {
		return nil, e
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := map[string]any{
		"executionArn": rec.Arn, "stateMachineArn": rec.MachineArn, "name": rec.Name, "status": rec.status,
		"startDate": epoch(rec.Start), "input": rec.Input, "inputDetails": included, "redriveCount": 0,
		"redriveStatus": "NOT_REDRIVABLE",
	}
	if rec.status != "RUNNING" {
		out["stopDate"] = epoch(rec.stop)
		out["redriveStatusReason"] = "Execution is not redrivable in sfn serve"
	} else {
		out["redriveStatusReason"] = "Execution is RUNNING and cannot be redriven"
	}
	rec.addResult(out)
	return out, nil
}

func (s *Server) describeMachineForExecution(_ context.Context, req *execArnRequest) (any, *apiError) {
	rec, e := s.execution(req.ExecutionArn)
	if e != nil {
		return nil, e
	}
	m := rec.Machine
	d := describeMachine(m)
	delete(d, "status")
	delete(d, "creationDate")
	delete(d, "type")
	d["updateDate"] = epoch(m.Created)
	return d, nil
}

type listExecRequest struct {
	StateMachineArn *string `json:"stateMachineArn"`
	StatusFilter    string  `json:"statusFilter"`
	MaxResults      int     `json:"maxResults"`
	NextToken       string  `json:"nextToken"`
}

func (s *Server) listExecutions(_ context.Context, req *listExecRequest) (any, *apiError) {
	m, e := s.machine("stateMachineArn", req.StateMachineArn)
	if e != nil {
		return nil, e
	}
	switch req.StatusFilter {
	case "", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE":
	default:
		return nil, errorf(errValidation, "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]", clipText(req.StatusFilter, 100))
	}
	s.store.mu.RLock()
	all := append([]*execRec(nil), s.store.byMachine[m.Arn]...)
	s.store.mu.RUnlock()
	var items []map[string]any
	for i := len(all) - 1; i >= 0; i-- { // the newest first, as AWS lists them
		rec := all[i]
		rec.mu.Lock()
		if req.StatusFilter == "" || rec.status == req.StatusFilter {
			it := map[string]any{"executionArn": rec.Arn, "stateMachineArn": rec.MachineArn, "name": rec.Name,
				"status": rec.status, "startDate": epoch(rec.Start), "redriveCount": 0}
			if rec.status != "RUNNING" {
				it["stopDate"] = epoch(rec.stop)
			}
			items = append(items, it)
		}
		rec.mu.Unlock()
	}
	from, to, next, e := page(len(items), req.NextToken, req.MaxResults)
	if e != nil {
		return nil, e
	}
	out := map[string]any{"executions": append([]map[string]any{}, items[from:to]...)}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

type stopRequest struct {
	ExecutionArn *string `json:"executionArn"`
	Error        *string `json:"error"`
	Cause        *string `json:"cause"`
}

// maxStopError and maxStopCause are AWS's limits on StopExecution's error and cause.
const (
	maxStopError = 256
	maxStopCause = 32768
)

func (s *Server) stopExecution(_ context.Context, req *stopRequest) (any, *apiError) {
	rec, e := s.execution(req.ExecutionArn)
	if e != nil {
		return nil, e
	}
	if req.Error != nil && utf8.RuneCountInString(*req.Error) > maxStopError {
		return nil, tooLong("error", maxStopError)
	}
	if req.Cause != nil && utf8.RuneCountInString(*req.Cause) > maxStopCause {
		return nil, tooLong("cause", maxStopCause)
	}
	if rec.Type == run.Express {
		return nil, errorf(errSMTypeNotSupported, "StopExecution is not supported for Express executions: '%s'", rec.Arn)
	}
	rec.mu.Lock()
	running := rec.status == "RUNNING"
	rec.mu.Unlock()
	if running {
		rec.cancel(stopReason{Err: req.Error, Cause: req.Cause})
		<-rec.done
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return map[string]any{"stopDate": epoch(rec.stop)}, nil
}
