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
	c := &taskCall{s: s, timeout: timeout, heartbeat: heartbeat, creds: creds}
	c.kind, c.typ, c.name = classify(s.si.resource)
	// quiet: no event is recorded, so none is typed or detailed (record ignores both then).
	c.quiet = t.muted()
	c.scheduled(t.payloadJSON(params))
	h := t.ex.r.handlers[s.st]
	if h == nil {
		return nil, c.failed(failure("States.Runtime", fmt.Sprintf("no task handler for the state '%s' (Resource %s)", s.st.Name, s.si.resource)))
	}
	res, serr := c.call(h, params, token)
	if serr != nil {
		return nil, serr
	}
	return c.succeeded(res)
}

// taskCall is one call of a Task's handler and the history events it records.
type taskCall struct {
	s                    *stateRun
	kind                 resourceKind
	typ, name            string
	prefix, detailPrefix string // LambdaFunction/lambdaFunction, Activity/activity, Task/task
	timeout, heartbeat   int64
	creds                any
	quiet                bool
}

// scheduled records the Scheduled, Started (and, for .sync and .waitForTaskToken, Submitted)
// events, as AWS records each kind of Resource.
func (c *taskCall) scheduled(paramsJSON string) {
	t, si, name, typ := c.s.t, c.s.si, c.name, c.typ
	switch {
	case c.quiet:
		t.emit("", "", nil) // Scheduled
		t.emit("", "", nil) // Started
		if c.kind != kindLambda && c.kind != kindActivity && (strings.Contains(name, ".sync") || strings.Contains(name, ".waitForTaskToken")) {
			t.emit("", "", nil) // TaskSubmitted
		}
	case c.kind == kindLambda:
		c.prefix, c.detailPrefix = "LambdaFunction", "lambdaFunction"
		t.emit("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", c.options(map[string]any{
			"input": paramsJSON, "inputDetails": truncated(), "resource": si.resource}))
		t.emit("LambdaFunctionStarted", "", nil)
	case c.kind == kindActivity:
		c.prefix, c.detailPrefix = "Activity", "activity"
		t.emit("ActivityScheduled", "activityScheduledEventDetails", c.options(map[string]any{
			"input": paramsJSON, "inputDetails": truncated(), "resource": si.resource}))
		t.emit("ActivityStarted", "activityStartedEventDetails", map[string]any{})
	default:
		c.prefix, c.detailPrefix = "Task", "task"
		t.emit("TaskScheduled", "taskScheduledEventDetails", c.options(map[string]any{
			"parameters": paramsJSON, "region": t.ex.r.opts.Region, "resource": name, "resourceType": typ}))
		t.emit("TaskStarted", "taskStartedEventDetails", map[string]any{"resource": name, "resourceType": typ})
		if strings.Contains(name, ".sync") || strings.Contains(name, ".waitForTaskToken") {
			// the request was accepted; the task now waits for the job or the callback.
			t.emit("TaskSubmitted", "taskSubmittedEventDetails", map[string]any{
				"output": "{}", "outputDetails": truncated(), "resource": name, "resourceType": typ})
		}
	}
}

// options adds the scheduled event's optional details: timeout, heartbeat, credentials.
func (c *taskCall) options(d map[string]any) map[string]any {
	if c.timeout > 0 {
		d["timeoutInSeconds"] = c.timeout
	}
	if c.heartbeat > 0 && c.kind != kindLambda {
		d["heartbeatInSeconds"] = c.heartbeat
	}
	if cr, ok := c.creds.(*value.Object); ok && c.kind != kindActivity { // as AWS records them
		if arn, ok := cr.Get("RoleArn"); ok {
			d["taskCredentials"] = map[string]any{"roleArn": arn}
		}
	}
	return d
}

// service adds a service integration's resource and resourceType to an outcome's details.
func (c *taskCall) service(d map[string]any) map[string]any {
	if c.kind == kindService {
		d["resource"], d["resourceType"] = c.name, c.typ
	}
	return d
}

// failed records the TimedOut or Failed event of serr and returns it.
func (c *taskCall) failed(serr *stateError) *stateError {
	t := c.s.t
	if serr.Error == "States.Timeout" || serr.Error == "States.HeartbeatTimeout" {
		d := map[string]any{"error": serr.Error}
		if serr.hasCause {
			d["cause"] = serr.Cause
		}
		t.emit(c.prefix+"TimedOut", c.detailPrefix+"TimedOutEventDetails", c.service(d))
		return serr
	}
	d := map[string]any{}
	if serr.Error != "" {
		d["error"] = serr.Error
	}
	if serr.hasCause {
		d["cause"] = serr.Cause
	}
	t.emit(c.prefix+"Failed", c.detailPrefix+"FailedEventDetails", c.service(d))
	return serr
}

// tooLarge fails the task with AWS's States.DataLimitExceeded.
func (c *taskCall) tooLarge() *stateError {
	who := c.s.si.resource
	if c.kind == kindService {
		who = c.s.st.Name
	}
	return c.failed(failure("States.DataLimitExceeded", fmt.Sprintf(
		"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", who)))
}

// call runs the handler within TimeoutSeconds (a real deadline on the virtual clock too: a
// handler that hangs is stopped, and callHandler moves the virtual time to the timeout); a
// timeout, a failure or a result over the payload limit is the task's failure.
func (c *taskCall) call(h TaskHandler, params any, token string) (TaskResult, *stateError) {
	s, t := c.s, c.s.t
	req := TaskRequest{
		StateName: s.st.Name, Resource: s.si.resource, Input: params, Context: s.ctxObj, TaskToken: token,
		Timeout: time.Duration(clampSeconds(c.timeout)) * time.Second, Heartbeat: time.Duration(clampSeconds(c.heartbeat)) * time.Second,
		ExecutionArn: t.ex.arn, Attempt: t.ex.attempt(s.st),
	}
	if !t.ex.r.opts.NoPayloadLimit {
		req.MaxOutput = maxPayload
	}
	hctx := t.ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(hctx, req.Timeout)
		defer cancel()
	}
	res := t.callHandler(h, hctx, req)
	if t.ctx.Err() != nil {
		return res, abortedError()
	}
	if !res.TimedOut && errors.Is(hctx.Err(), context.DeadlineExceeded) {
		res = TaskResult{TimedOut: true} // the handler ran past TimeoutSeconds
	}
	switch {
	case res.TimedOut:
		serr := &stateError{Error: "States.Timeout"}
		if res.Cause != "" {
			serr.Cause, serr.hasCause = res.Cause, true
		}
		return res, c.failed(serr)
	case res.OverLimit && !t.ex.r.opts.NoPayloadLimit:
		// A result over the payload limit, whether the handler or this check finds it. (Past the
		// handler's own cap, when the run lifts the limit, its failure says so in its words.)
		return res, c.tooLarge()
	case res.Failed:
		return res, c.failed(&stateError{Error: res.Error, Cause: res.Cause, hasCause: res.Cause != ""})
	}
	return res, nil
}

// succeeded records the Succeeded event of a result within the payload limit.
func (c *taskCall) succeeded(res TaskResult) (any, *stateError) {
	t := c.s.t
	out := normalize(res.Output)
	if c.quiet {
		if !t.ex.r.opts.NoPayloadLimit && t.overPayload(out) {
			return nil, c.tooLarge()
		}
		t.emit("", "", nil) // Succeeded
		return out, nil
	}
	outJSON := toJSON(out)
	if t.ex.overLimit(len(outJSON)) {
		return nil, c.tooLarge()
	}
	t.emit(c.prefix+"Succeeded", c.detailPrefix+"SucceededEventDetails", c.service(map[string]any{"output": outJSON, "outputDetails": truncated()}))
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
