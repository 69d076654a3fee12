package run

import (
	"fmt"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/value"
)

// JSONata states: every field value may hold "{% %}" expressions (nested in objects and arrays),
// evaluated with $states.input (the state's input), $states.context (the context object),
// $states.result (Task, Map, Parallel results, in Output and Assign) and $states.errorOutput (in a
// Catch), and the workflow variables. An evaluation error or an undefined result fails the state
// with States.QueryEvaluationError, worded as AWS words it.

// bindings are the $states fields of one evaluation.
type bindings struct {
	input       any
	result      any
	hasResult   bool
	errorOutput any
	hasError    bool

	states    *value.Object // $states, built on first use
	statesCtx bool          // states holds "context"
}

// statesVar returns the $states object (with "context" when withCtx).
// Its members are in the order of AWS's documentation: input, result, errorOutput, context.
func (s *stateRun) statesVar(b *bindings, withCtx bool) *value.Object {
	if b.states != nil && (b.statesCtx || !withCtx) {
		return b.states
	}
	m := value.NewObject(4)
	m.Set("input", b.input)
	if b.hasResult {
		m.Set("result", b.result)
	}
	if b.hasError {
		m.Set("errorOutput", b.errorOutput)
	}
	if withCtx {
		m.Set("context", s.context())
	}
	b.states, b.statesCtx = m, withCtx
	return m
}

// statesMember returns one member of $states without building it (ok=false when $states has no
// such member).
func (s *stateRun) statesMember(b *bindings, withCtx bool, name string) (any, bool) {
	switch name {
	case "input":
		return b.input, true
	case "result":
		return b.result, b.hasResult
	case "errorOutput":
		return b.errorOutput, b.hasError
	case "context":
		if withCtx {
			return s.context(), true
		}
	}
	return nil, false
}

func (s *stateRun) queryError(msg string) *stateError {
	return &stateError{Error: "States.QueryEvaluationError", Cause: s.prefix() + msg, hasCause: true, evaluation: true}
}

func (s *stateRun) fieldError(field, msg string) *stateError {
	e := s.queryError(msg)
	e.location = field
	return e
}

// evaluationFailed records the EvaluationFailed event of a failed evaluation that leaves the state
// (and MapStateFailed for a Map), linked as AWS links them.
func (s *stateRun) evaluationFailed(serr *stateError) {
	d := map[string]any{"error": serr.Error, "cause": serr.Cause, "state": s.st.Name}
	if serr.location != "" {
		d["location"] = serr.location
	}
	prev := s.enterPrev
	if s.st.Type == "Wait" {
		prev = s.t.last
	}
	serr.evaluation = false // recorded once, by the state where it happened
	s.t.record("EvaluationFailed", "evaluationFailedEventDetails", d, prev, true)
	if s.st.Type == "Map" {
		s.t.emit("MapStateFailed", "", nil)
	}
}

// context returns the state's context object, building it when first needed.
func (s *stateRun) context() *value.Object {
	if s.ctxObj == nil {
		s.ctxObj = s.t.contextObject(s.st, s.entered, 0, "")
	}
	return s.ctxObj
}

// jenv is the evaluation environment of one evaluation: the stateRun's own, set anew for each
// evaluation (an evaluation neither nests another nor outlives its call), its variable lookup
// made once per stateRun.
func (s *stateRun) jenv(b *bindings, withCtx bool) *jsonata.Env {
	if s.envOwner != s { // new, or a copy of another stateRun (whose lookup reads the other)
		s.envOwner = s
		s.env = jsonata.Env{Vars: (*jsonataVars)(s), Random: s.t.ex.randomFn, UUID: s.t.ex.uuidFn}
	}
	s.envB, s.envCtx = b, withCtx
	s.env.Now = s.t.timestamp()
	s.env.Context = s.t.ctx
	return &s.env
}

// jsonataVars are a stateRun's JSONata variables: $states (of the evaluation's bindings) and the
// workflow variables.
type jsonataVars stateRun

// Var returns $states or a workflow variable.
func (v *jsonataVars) Var(name string) (any, bool) {
	s := (*stateRun)(v)
	if name == "states" {
		return s.statesVar(s.envB, s.envCtx), true
	}
	return s.t.vars.get(name)
}

// Member returns a member of $states without building it.
func (v *jsonataVars) Member(variable, name string) (any, bool) {
	if variable != "states" {
		return nil, false
	}
	s := (*stateRun)(v)
	return s.statesMember(s.envB, s.envCtx, name)
}

// jeval evaluates a compiled field value.
func (s *stateRun) jeval(v *jv, b *bindings) (any, *stateError) {
	if v.static {
		return v.lit, nil
	}
	if v.expr != nil {
		r, err := v.expr.Eval(s.jenv(b, v.ctx))
		if err != nil && s.t.ctx.Err() != nil {
			return nil, abortedError() // interrupted: the evaluation stopped, it did not fail
		}
		if err != nil {
			return nil, s.fieldError(v.field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", v.src, v.field, err.Error()))
		}
		if jsonata.IsUndefined(r) {
			return nil, s.fieldError(v.field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", v.src, v.field))
		}
		out, ok := jsonata.ToJSON(r)
		if !ok {
			return nil, s.fieldError(v.field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' returned an unsupported result type.", v.src, v.field))
		}
		return out, nil
	}
	if v.obj {
		out := value.NewObject(len(v.fields)) // the template's order
		for i, f := range v.fields {
			x, err := s.jeval(f, b)
			if err != nil {
				return nil, err
			}
			out.Set(v.keys[i], x)
		}
		return out, nil
	}
	out := make([]any, len(v.items))
	for i, it := range v.items {
		x, err := s.jeval(it, b)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// jsonataOutput evaluates Output (default: dflt) and Assign with the same bindings: Assign takes
// effect when the state exits, so Output sees the variables as they were.
func (s *stateRun) jsonataOutput(output, assign *jv, b *bindings, dflt any) (any, *stateError) {
	out := dflt
	if output != nil {
		var err *stateError
		if out, err = s.jeval(output, b); err != nil {
			return nil, err
		}
	}
	if assign != nil {
		v, err := s.jeval(assign, b)
		if err != nil {
			return nil, err
		}
		if err := s.setAssigned(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// jsonataState runs a JSONata Pass, Succeed, Wait, Fail or Choice state.
func (s *stateRun) jsonataState(input any) (any, *asl.State, *stateError) {
	j := s.si.j
	s.bind = bindings{input: input} // the state's only bindings: kept in the stateRun, no allocation
	b := &s.bind
	switch s.st.Type {
	case "Pass":
		out, err := s.jsonataOutput(j.output, j.assign, b, input)
		return out, s.si.next, err
	case "Succeed":
		out, err := s.jsonataOutput(j.output, j.assign, b, input)
		return out, nil, err
	case "Fail":
		return nil, nil, s.jsonataFail(b)
	case "Wait":
		if err := s.jsonataWait(b); err != nil {
			return nil, nil, err
		}
		out, err := s.jsonataOutput(j.output, j.assign, b, input)
		return out, s.si.next, err
	case "Choice":
		for _, r := range s.si.choices {
			c, err := s.jeval(r.jcond, b)
			if err != nil {
				return nil, nil, err
			}
			ok, isBool := c.(bool)
			if !isBool {
				return nil, nil, s.queryError(fmt.Sprintf("The JSONata expression '%s' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '%s' for value: %s",
					r.jcond.src, typeName(c), intrinsic.FormatJSON(c)))
			}
			if ok {
				output := r.joutput
				if output == nil {
					output = j.output
				}
				out, err := s.jsonataOutput(output, r.jassign, b, input)
				return out, r.next, err
			}
		}
		if s.si.dflt == nil {
			return nil, nil, &stateError{Error: "States.NoChoiceMatched", hasCause: true, runtime: true, Cause: s.prefix() + "No Matches!"}
		}
		out, err := s.jsonataOutput(j.output, j.assign, b, input)
		return out, s.si.dflt, err
	}
	return nil, nil, s.runtime(fmt.Sprintf("unsupported state type %q", s.st.Type))
}

func (s *stateRun) jsonataFail(b *bindings) *stateError {
	j := s.si.j
	se := &stateError{}
	for _, f := range []struct {
		v   *jv
		set func(string)
	}{
		{j.errorV, func(v string) { se.Error = v }},
		{j.cause, func(v string) { se.Cause, se.hasCause = v, true }},
	} {
		if f.v == nil {
			continue
		}
		v, err := s.jeval(f.v, b)
		if err != nil {
			return err
		}
		str, ok := v.(string)
		if !ok {
			str = intrinsic.FormatJSON(v)
		}
		f.set(str)
	}
	return se
}

func (s *stateRun) jsonataWait(b *bindings) *stateError {
	j := s.si.j
	now := s.t.timestamp()
	var d time.Duration
	switch {
	case j.seconds != nil:
		v, err := s.jeval(j.seconds, b)
		if err != nil {
			return err
		}
		n, ok := integer(v)
		if !ok || n < 0 {
			return s.queryError(fmt.Sprintf("The Seconds field must be a non-negative integer, but was: %s", intrinsic.FormatJSON(v)))
		}
		if n > maxWaitSeconds {
			return s.runtime("Wait state delay is too long.")
		}
		d = time.Duration(n) * time.Second
	case j.timestamp != nil:
		v, err := s.jeval(j.timestamp, b)
		if err != nil {
			return err
		}
		str, _ := v.(string)
		ts, ok := parseTimestamp(str)
		if !ok {
			return s.fieldError("Timestamp", "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "+valueText(v))
		}
		d = ts.Sub(now)
	}
	if !waitDelay(d) {
		return s.runtime("Wait state delay is too long.")
	}
	if d > 0 {
		if err := s.t.sleep(d); err != nil {
			return abortedError()
		}
	}
	return nil
}

// jsonataSeconds evaluates TimeoutSeconds / HeartbeatSeconds.
func (s *stateRun) jsonataSeconds(v *jv, b *bindings, name string) (int64, *stateError) {
	x, err := s.jeval(v, b)
	if err != nil {
		return 0, err
	}
	n, ok := integer(x)
	if !ok || n <= 0 {
		return 0, s.queryError(fmt.Sprintf("The %s field must be a positive integer, but was: %s", name, intrinsic.FormatJSON(x)))
	}
	return n, nil
}

// jsonataTask runs a JSONata Task state.
func (s *stateRun) jsonataTask(input any) (any, *asl.State, *stateError) {
	si, j := s.si, s.si.j
	b := &bindings{input: input}
	timeout, heartbeat := si.timeout, si.heartbeat
	var serr *stateError
	if j.timeout != nil && !j.timeout.static {
		if timeout, serr = s.jsonataSeconds(j.timeout, b, "TimeoutSeconds"); serr != nil {
			return s.catch(input, serr)
		}
	}
	if j.heartbeat != nil && !j.heartbeat.static {
		if heartbeat, serr = s.jsonataSeconds(j.heartbeat, b, "HeartbeatSeconds"); serr != nil {
			return s.catch(input, serr)
		}
	}
	counts := make([]int64, len(si.retriers))
	for retry := 0; ; retry++ {
		token := ""
		if strings.Contains(si.resource, ".waitForTaskToken") || strings.Contains(si.resource, ".sync") {
			token = s.t.ex.newToken()
		}
		if retry > 0 || token != "" {
			s.setContext(s.t.contextObject(s.st, s.entered, retry, token))
		}
		params := input
		if j.arguments != nil {
			if params, serr = s.jeval(j.arguments, b); serr != nil {
				return s.catch(input, serr)
			}
		}
		s.inspect(StepAfterArguments, params)
		var creds any
		if j.credentials != nil {
			if creds, serr = s.jeval(j.credentials, b); serr != nil {
				return s.catch(input, serr)
			}
		}
		result, terr := s.invoke(params, creds, token, timeout, heartbeat)
		if terr == nil {
			s.inspect(StepResult, result)
			rb := &bindings{input: input, result: result, hasResult: true}
			out, serr := s.jsonataOutput(j.output, j.assign, rb, result)
			if serr != nil {
				return s.catch(input, serr)
			}
			return out, si.next, nil
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

// jsonataFinish evaluates a JSONata Map's or Parallel's Output and Assign over its result.
func (s *stateRun) jsonataFinish(input, result any) (any, *asl.State, *stateError) {
	j := s.si.j
	b := &bindings{input: input, result: result, hasResult: true}
	out, serr := s.jsonataOutput(j.output, j.assign, b, result)
	if serr != nil {
		return nil, nil, serr
	}
	return out, s.si.next, nil
}

// jsonataCatch applies a JSONata catcher: its Output (default: the error output) and Assign see
// $states.input and $states.errorOutput.
func (s *stateRun) jsonataCatch(c catcher, input, errOut any) (any, *asl.State, *stateError) {
	s.assigned = nil
	b := &bindings{input: input, errorOutput: errOut, hasError: true}
	out, serr := s.jsonataOutput(c.joutput, c.jassign, b, errOut)
	if serr != nil {
		return nil, nil, serr
	}
	return out, c.next, nil
}

// jsonataItems evaluates a JSONata Map's Items (default: the state input, which must be an array).
func (s *stateRun) jsonataItems(input any) ([]any, *stateError) {
	j := s.si.j
	if j.items == nil {
		list, ok := input.([]any)
		if !ok {
			return nil, s.queryError("Map state input must be an array but was: " + intrinsic.FormatJSON(input))
		}
		return list, nil
	}
	v, err := s.jeval(j.items, &bindings{input: input})
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, s.fieldError("Items", fmt.Sprintf("The JSONata expression '%s' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '%s' for value: %s",
			j.items.src, typeName(v), intrinsic.FormatJSON(v)))
	}
	return list, nil
}

// jsonataMapConfig evaluates a JSONata Map's MaxConcurrency and tolerated failures.
func (s *stateRun) jsonataMapConfig(input any) (mapConfig, *stateError) {
	j := s.si.j
	cfg := mapConfig{toleratedCount: -1}
	b := &bindings{input: input}
	num := func(v *jv, name string) (any, *stateError) {
		x, err := s.jeval(v, b)
		if err != nil {
			return nil, err
		}
		if !isNumber(x) {
			return nil, s.queryError(fmt.Sprintf("The %s field must be a number, but was: %s", name, intrinsic.FormatJSON(x)))
		}
		return x, nil
	}
	if j.maxConcurrency != nil {
		x, err := num(j.maxConcurrency, "MaxConcurrency")
		if err != nil {
			return cfg, err
		}
		n, ok := integer(x)
		if !ok || n < 0 {
			return cfg, s.queryError(fmt.Sprintf("The MaxConcurrency field must be a non-negative integer, but was: %s", intrinsic.FormatJSON(x)))
		}
		cfg.maxConcurrency = n
	}
	if j.toleratedCount != nil {
		x, err := num(j.toleratedCount, "ToleratedFailureCount")
		if err != nil {
			return cfg, err
		}
		n, ok := integer(x)
		if !ok || n < 0 {
			return cfg, s.queryError(fmt.Sprintf("The ToleratedFailureCount field must be a non-negative integer, but was: %s", intrinsic.FormatJSON(x)))
		}
		cfg.toleratedCount = n
	}
	if j.toleratedPct != nil {
		x, err := num(j.toleratedPct, "ToleratedFailurePercentage")
		if err != nil {
			return cfg, err
		}
		f, _ := number(x)
		if f < 0 || f > 100 {
			return cfg, s.queryError("ToleratedFailurePercentage must be between 0 and 100.")
		}
		cfg.toleratedPct, cfg.hasPct = f, true
	}
	return cfg, nil
}

// jsonataItemInput evaluates a JSONata Map's ItemSelector for one item: $states.input is the
// state's input and $states.context.Map.Item the item (base: the Map state's context object). s
// is a copy of the Map's stateRun that serves every item.
func (s *stateRun) jsonataItemInput(input any, index int, item any, base *value.Object) (any, *stateError) {
	j := s.si.j
	if j.itemSelector == nil {
		return item, nil
	}
	s.ctxObj = itemContext(base, index, item)
	return s.jeval(j.itemSelector, &bindings{input: input})
}

// uuid returns a v4 UUID, deterministic per execution on the virtual clock.
func (ex *execution) uuid() string {
	a := uint64(ex.random() * (1 << 53))
	b := uint64(ex.random() * (1 << 53))
	c := uint64(ex.random() * (1 << 53))
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(a), uint16(a>>32), uint16(b)&0xfff, uint16(b>>16)&0x3fff|0x8000, c&0xffffffffffff)
}
