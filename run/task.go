package run

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// resourceKind says which family of history events a Task resource records.
type resourceKind int

const (
	kindService  resourceKind = iota // TaskScheduled, TaskStarted, ...
	kindLambda                       // LambdaFunctionScheduled, ... (a Lambda function ARN)
	kindActivity                     // ActivityScheduled, ...
)

// classify splits a Task Resource into its event family, resourceType and resource, as AWS reports
// them (asl.ParseResource decides which integration it is): arn:aws:states:::aws-sdk:s3:getObject
// → ("aws-sdk:s3", "getObject"). A Lambda function ARN records LambdaFunction events with the
// whole ARN; so does a Resource that is no ARN (a placeholder such as ${FunctionArn} stands for
// a function ARN far more often than for anything else; AWS accepts no other non-ARN).
func classify(res string) (kind resourceKind, typ, name string) {
	in := asl.ParseResource(res)
	switch in.Kind {
	case asl.ServiceIntegration:
		return kindService, in.ResourceType(), in.ResourceName()
	case asl.LambdaFunction, asl.NotARN:
		return kindLambda, "lambda", res
	case asl.Activity:
		return kindActivity, "activity", res
	}
	return kindService, "", res
}

func (ex *execution) newToken() string {
	ex.mu.Lock()
	ex.tokenSeq++
	n := ex.tokenSeq
	ex.mu.Unlock()
	h := fnv64(fmt.Sprintf("%s#%d", ex.arn, n))
	return fmt.Sprintf("AQC%016x%016xTOKEN%d", h, fnv64(ex.name)^h, n)
}

func (ex *execution) attempt(st *asl.State) int {
	ex.attemptsMu.Lock()
	defer ex.attemptsMu.Unlock()
	n := ex.attempts[st]
	ex.attempts[st] = n + 1
	return n
}

// secondsField resolves TimeoutSeconds(Path) / HeartbeatSeconds(Path).
func (s *stateRun) secondsField(lit int64, p *path.Path, input any, name string) (int64, *stateError) {
	if p == nil {
		return lit, nil
	}
	v, err := p.Eval(input, s.pctx)
	if err != nil {
		return 0, s.runtime(err.Error())
	}
	n, ok := integer(v)
	if !ok || n <= 0 {
		return 0, s.runtime(fmt.Sprintf("The %s field refers to value \"%s\" which is not a valid positive integer: %s", name, valueText(v), p.Source))
	}
	return n, nil
}

func (s *stateRun) task(input any) (any, *asl.State, *stateError) {
	si := s.si
	if si.j != nil {
		return s.jsonataTask(input)
	}
	eff, serr := s.applyPath(si.inputPath, input)
	if serr != nil {
		return nil, nil, serr
	}
	s.inspect(StepAfterInputPath, eff)
	timeout, serr := s.secondsField(si.timeout, si.timeoutPath, eff, "TimeoutSecondsPath")
	if serr != nil {
		return nil, nil, serr
	}
	heartbeat, serr := s.secondsField(si.heartbeat, si.heartbeatPth, eff, "HeartbeatSecondsPath")
	if serr != nil {
		return nil, nil, serr
	}
	enteredTime := s.entered
	counts := make([]int64, len(si.retriers))
	for retry := 0; ; retry++ {
		token := ""
		if strings.Contains(si.resource, ".waitForTaskToken") || strings.Contains(si.resource, ".sync") {
			token = s.t.ex.newToken()
		}
		if retry > 0 || token != "" {
			s.setContext(s.t.contextObject(s.st, enteredTime, retry, token))
		}
		params := eff
		if si.parameters != nil {
			if params, serr = s.template(si.parameters, eff); serr != nil {
				return nil, nil, serr
			}
		}
		s.inspect(StepAfterParameters, params)
		var creds any
		if si.credentials != nil {
			if creds, serr = s.template(si.credentials, eff); serr != nil {
				return nil, nil, serr
			}
		}
		result, terr := s.invoke(params, creds, token, timeout, heartbeat)
		if terr == nil {
			s.inspect(StepResult, result)
			if si.resultSelector != nil {
				if result, serr = s.template(si.resultSelector, result); serr != nil {
					return nil, nil, serr
				}
			}
			s.inspect(StepAfterResultSelector, result)
			if serr := s.assignPath(si.assign, result); serr != nil {
				return nil, nil, serr
			}
			out, serr := s.applyResultPath(si.resultPath, input, result)
			if serr != nil {
				return nil, nil, serr
			}
			s.inspect(StepAfterResultPath, out)
			out, serr = s.applyPath(si.outputPath, out)
			return out, si.next, serr
		}
		if terr.aborted {
			return nil, nil, terr
		}
		if d, ok := s.retryDelay(terr, counts); ok {
			if err := s.t.sleep(d); err != nil {
				return nil, nil, abortedError()
			}
			continue
		}
		return s.catch(input, terr)
	}
}

func abortedError() *stateError {
	return &stateError{Error: "States.Aborted", runtime: true, aborted: true}
}

// invoke calls the handler of the task once, with its history events; creds is the evaluated
// Credentials (nil without).
func (s *stateRun) invoke(params, creds any, token string, timeout, heartbeat int64) (any, *stateError) {
	t := s.t
	si := s.si
	kind, typ, name := classify(si.resource)
	// quiet: no event is recorded, so none is typed or detailed (record ignores both then).
	quiet := !t.ex.recording || t.silent
	paramsJSON := t.payloadJSON(params)
	opt := func(d map[string]any) map[string]any {
		if timeout > 0 {
			d["timeoutInSeconds"] = timeout
		}
		if heartbeat > 0 && kind != kindLambda {
			d["heartbeatInSeconds"] = heartbeat
		}
		if c, ok := creds.(*value.Object); ok && kind != kindActivity { // as AWS records them
			if arn, ok := c.Get("RoleArn"); ok {
				d["taskCredentials"] = map[string]any{"roleArn": arn}
			}
		}
		return d
	}
	var prefix, detailPrefix string
	switch {
	case quiet:
		t.emit("", "", nil) // Scheduled
		t.emit("", "", nil) // Started
		if kind != kindLambda && kind != kindActivity && (strings.Contains(name, ".sync") || strings.Contains(name, ".waitForTaskToken")) {
			t.emit("", "", nil) // TaskSubmitted
		}
	case kind == kindLambda:
		prefix, detailPrefix = "LambdaFunction", "lambdaFunction"
		t.emit("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", opt(map[string]any{
			"input": paramsJSON, "inputDetails": truncated(), "resource": si.resource}))
		t.emit("LambdaFunctionStarted", "", nil)
	case kind == kindActivity:
		prefix, detailPrefix = "Activity", "activity"
		t.emit("ActivityScheduled", "activityScheduledEventDetails", opt(map[string]any{
			"input": paramsJSON, "inputDetails": truncated(), "resource": si.resource}))
		t.emit("ActivityStarted", "activityStartedEventDetails", map[string]any{})
	default:
		prefix, detailPrefix = "Task", "task"
		t.emit("TaskScheduled", "taskScheduledEventDetails", opt(map[string]any{
			"parameters": paramsJSON, "region": t.ex.r.opts.Region, "resource": name, "resourceType": typ}))
		t.emit("TaskStarted", "taskStartedEventDetails", map[string]any{"resource": name, "resourceType": typ})
		if strings.Contains(name, ".sync") || strings.Contains(name, ".waitForTaskToken") {
			// the request was accepted; the task now waits for the job or the callback.
			t.emit("TaskSubmitted", "taskSubmittedEventDetails", map[string]any{
				"output": "{}", "outputDetails": truncated(), "resource": name, "resourceType": typ})
		}
	}
	svc := func(d map[string]any) map[string]any {
		if kind == kindService {
			d["resource"], d["resourceType"] = name, typ
		}
		return d
	}
	failed := func(serr *stateError) *stateError {
		if serr.Error == "States.Timeout" || serr.Error == "States.HeartbeatTimeout" {
			d := map[string]any{"error": serr.Error}
			if serr.hasCause {
				d["cause"] = serr.Cause
			}
			t.emit(prefix+"TimedOut", detailPrefix+"TimedOutEventDetails", svc(d))
			return serr
		}
		d := map[string]any{}
		if serr.Error != "" {
			d["error"] = serr.Error
		}
		if serr.hasCause {
			d["cause"] = serr.Cause
		}
		t.emit(prefix+"Failed", detailPrefix+"FailedEventDetails", svc(d))
		return serr
	}

	h := t.ex.r.handlers[s.st]
	if h == nil {
		return nil, failed(failure("States.Runtime", fmt.Sprintf("no task handler for the state '%s' (Resource %s)", s.st.Name, si.resource)))
	}
	req := TaskRequest{
		StateName: s.st.Name, Resource: si.resource, Input: params, Context: s.ctxObj, TaskToken: token,
		Timeout: time.Duration(clampSeconds(timeout)) * time.Second, Heartbeat: time.Duration(clampSeconds(heartbeat)) * time.Second,
		ExecutionArn: t.ex.arn, Attempt: t.ex.attempt(s.st),
	}
	if !t.ex.r.opts.NoPayloadLimit {
		req.MaxOutput = maxPayload
	}
	hctx := t.ctx
	// TimeoutSeconds is a real deadline on the virtual clock too: a handler that hangs is stopped
	// (callHandler moves the virtual time to the timeout).
	if timeout > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(hctx, req.Timeout)
		defer cancel()
	}
	res := t.callHandler(h, hctx, req)
	if t.ctx.Err() != nil {
		return nil, abortedError()
	}
	if !res.TimedOut && errors.Is(hctx.Err(), context.DeadlineExceeded) {
		res = TaskResult{TimedOut: true} // the handler ran past TimeoutSeconds
	}
	if res.TimedOut {
		serr := &stateError{Error: "States.Timeout"}
		if res.Cause != "" {
			serr.Cause, serr.hasCause = res.Cause, true
		}
		return nil, failed(serr)
	}
	// A result over the payload limit, whether the handler or this check finds it. (Past the
	// handler's own cap, when the run lifts the limit, its failure says so in its words.)
	tooLarge := func() *stateError {
		who := si.resource
		if kind == kindService {
			who = s.st.Name
		}
		return failed(failure("States.DataLimitExceeded", fmt.Sprintf(
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", who)))
	}
	if res.OverLimit && !t.ex.r.opts.NoPayloadLimit {
		return nil, tooLarge()
	}
	if res.Failed {
		serr := &stateError{Error: res.Error, Cause: res.Cause, hasCause: res.Cause != ""}
		if serr.Error == "States.Timeout" {
			return nil, failed(serr)
		}
		return nil, failed(serr)
	}
	out := normalize(res.Output)
	if quiet {
		if !t.ex.r.opts.NoPayloadLimit && t.overPayload(out) {
			return nil, tooLarge()
		}
		t.emit("", "", nil) // Succeeded
		return out, nil
	}
	outJSON := toJSON(out)
	if t.ex.overLimit(len(outJSON)) {
		return nil, tooLarge()
	}
	t.emit(prefix+"Succeeded", detailPrefix+"SucceededEventDetails", svc(map[string]any{"output": outJSON, "outputDetails": truncated()}))
	return out, nil
}

// errorMatches reports whether a Retry / Catch ErrorEquals list matches an error name.
func errorMatches(list []string, name string) bool {
	for _, e := range list {
		switch {
		case e == name, e == "States.ALL":
			return true
		case e == "States.TaskFailed" && name != "States.Timeout" && name != "States.Runtime" && name != "States.HeartbeatTimeout":
			return true
		}
	}
	return false
}

// retryDelay returns the wait before the next attempt when a retrier matches the error and has
// attempts left.
func (s *stateRun) retryDelay(serr *stateError, counts []int64) (time.Duration, bool) {
	if serr.runtime {
		return 0, false
	}
	for i, r := range s.si.retriers {
		if !errorMatches(r.errors, serr.Error) {
			continue
		}
		if counts[i] >= r.maxAttempts {
			return 0, false
		}
		delay := r.interval * math.Pow(r.backoff, float64(counts[i]))
		if r.maxDelay > 0 && delay > r.maxDelay {
			delay = r.maxDelay
		}
		delay = min(delay, maxSeconds) // BackoffRate^n overflows to +Inf: clamp before the jitter
		if r.jitterFull {
			delay *= s.t.ex.random()
		}
		counts[i]++
		return seconds(delay), true
	}
	return 0, false
}

// catch applies the first matching catcher: the error output goes to the catcher's ResultPath and the
// execution continues at its Next.
func (s *stateRun) catch(input any, serr *stateError) (any, *asl.State, *stateError) {
	if serr.runtime {
		return nil, nil, serr
	}
	for _, c := range s.si.catchers {
		if !errorMatches(c.errors, serr.Error) {
			continue
		}
		errOut := errorOutput(serr)
		if s.si.j != nil {
			return s.jsonataCatch(c, input, errOut)
		}
		s.assigned = nil
		if err := s.assignPath(c.assign, errOut); err != nil {
			return nil, nil, err
		}
		out, err := s.applyResultPath(c.resultPath, input, errOut)
		if err != nil {
			return nil, nil, err
		}
		return out, c.next, nil
	}
	return nil, nil, serr
}

// errorOutput is the {"Error", "Cause"} object a Catch passes on (null when the failure has none; a
// timeout without a cause has an empty one).
func errorOutput(serr *stateError) *value.Object {
	var e, c any
	if serr.Error != "" {
		e = serr.Error
	}
	switch {
	case serr.hasCause:
		c = serr.Cause
	case serr.Error == "States.Timeout":
		c = ""
	}
	out := value.ObjectOf("Error", e, "Cause", c)
	return out
}

// valueText prints a value in a runtime-error message: strings as they are, others as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return intrinsic.FormatJSON(v)
}
