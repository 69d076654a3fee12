package serve

import (
	"context"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

func init() {
	actions["TestState"] = op((*Server).testState)
}

type testStateRequest struct {
	Definition      *string `json:"definition"`
	RoleArn         string  `json:"roleArn"`
	Input           *string `json:"input"`
	InspectionLevel string  `json:"inspectionLevel"`
	StateName       string  `json:"stateName"`
}

// testStateName is the name the tested state runs under.
const testStateName = "TestState"

// testState runs one state, as AWS's TestState does: the state alone (a state definition, or
// stateName's state of a whole machine), its transitions stubbed. The answer has the status
// (SUCCEEDED, CAUGHT_ERROR, FAILED), output or error and cause, nextState, and at DEBUG and
// TRACE the state's input as inspectionData. Its task runs with the server's handlers
// (sfn.yaml, --lambda-endpoint); its retries run (AWS answers RETRIABLE instead). As AWS's, it
// refuses Parallel and Map states, activity tasks and the .sync and .waitForTaskToken patterns,
// and stops after five minutes (States.Timeout).
func (s *Server) testState(_ context.Context, req *testStateRequest) (any, *apiError) {
	if req.Definition == nil {
		return nil, required("definition")
	}
	if len(*req.Definition) > maxDefinition {
		return nil, tooLong("definition", maxDefinition)
	}
	switch req.InspectionLevel {
	case "", "INFO", "DEBUG", "TRACE":
	default:
		return nil, errorf(errValidation, "1 validation error detected: Value '%s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", clipText(req.InspectionLevel, 100))
	}
	inputText := "{}"
	if req.Input != nil {
		inputText = *req.Input
	}
	if len(inputText) > maxInput {
		return nil, tooLong("input", maxInput)
	}
	input, err := load.DecodeJSON([]byte(inputText))
	if err != nil {
		return nil, errorf(errInvalidExecInput, "Invalid State Machine Execution Input: '%s'", err.Error())
	}
	def, e := testMachine(*req.Definition, req.StateName)
	if e != nil {
		return nil, e
	}
	m, e := checkDefinition(def, "STANDARD")
	if e != nil {
		return nil, e
	}
	resolver, err := handler.NewResolver(handler.Options{Config: s.opts.Config})
	if err != nil {
		return nil, errorf(errValidation, "%s", err.Error())
	}
	var events []run.Event
	r, err := run.New(m, run.Options{Clock: run.NewVirtualClock(s.now()), Handlers: s.handlers("", resolver),
		StateMachineName: "TestState", ExecutionName: newUUID(), Region: s.opts.Region, Account: s.opts.Account,
		OnEvent: func(ev run.Event) { events = append(events, ev) }, DiscardEvents: true})
	if err != nil {
		return nil, errorf(errInvalidDefinition, "Invalid State Machine Definition: '%s'", strings.TrimPrefix(err.Error(), "run: "))
	}
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Minute)
	defer cancel()
	res := s.runSafely(r, ctx, input)
	out := map[string]any{}
	next, output := "", ""
	for _, ev := range events {
		name, _ := ev.Details["name"].(string)
		switch {
		case ev.Type != "" && strings.HasSuffix(ev.Type, "StateExited") && name == testStateName:
			output, _ = ev.Details["output"].(string)
		case strings.HasSuffix(ev.Type, "StateEntered") && name != testStateName && next == "":
			next = name
		}
	}
	switch {
	case ctx.Err() != nil && s.ctx.Err() == nil: // AWS: TestState runs for up to five minutes
		out["status"] = "FAILED"
		out["error"], out["cause"] = "States.Timeout", "TestState ran for more than five minutes"
	case res.Status != run.Succeeded:
		out["status"] = "FAILED"
		out["error"], out["cause"] = res.Error, res.Cause
	case next != "" && caught(events):
		out["status"] = "CAUGHT_ERROR"
		out["output"], out["nextState"] = output, next
	default:
		out["status"] = "SUCCEEDED"
		out["output"] = output
		if next != "" {
			out["nextState"] = next
		}
	}
	if req.InspectionLevel == "DEBUG" || req.InspectionLevel == "TRACE" {
		out["inspectionData"] = map[string]any{"input": string(value.AppendJSON(nil, input))}
	}
	return out, nil
}

// caught says whether the tested state failed and a Catch took the error.
func caught(events []run.Event) bool {
	for _, ev := range events {
		if strings.HasSuffix(ev.Type, "Failed") && ev.Type != "ExecutionFailed" || strings.HasSuffix(ev.Type, "TimedOut") {
			return true
		}
	}
	return false
}

// testMachine wraps the state to test in a machine whose other states are stubs: every state it
// may go to (Next, Default, Choices' and Catch's Next) is a Succeed state of that name.
func testMachine(def, stateName string) (string, *apiError) {
	root, err := load.ParseJSON([]byte(def))
	if err != nil {
		return "", errorf(errInvalidDefinition, "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: %s'", err.Error())
	}
	v, _ := root.Interface().(*value.Object)
	if v == nil {
		return "", errorf(errInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the definition must be a state (an object)'")
	}
	ql, _ := v.Get("QueryLanguage")
	if states, ok := v.Get("States"); ok { // a whole machine: test stateName's state
		so, _ := states.(*value.Object)
		if stateName == "" {
			return "", errorf(errValidation, "stateName is required when the definition is a state machine")
		}
		st, ok := so.Get(stateName)
		if !ok {
			return "", errorf(errValidation, "the state machine has no state '%s'", clipText(stateName, 100))
		}
		if v, _ = st.(*value.Object); v == nil {
			return "", errorf(errInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: state %s is not an object'", stateName)
		}
		if sq, ok := v.Get("QueryLanguage"); ok {
			ql = sq
		}
	}
	if why := unsupported(v); why != "" {
		return "", errorf(errValidation, "TestState doesn't support %s", why)
	}
	states := value.ObjectOf(testStateName, v)
	for _, t := range targets(v) {
		if t != testStateName && !states.Has(t) {
			states.Set(t, value.ObjectOf("Type", "Succeed"))
		}
	}
	machine := value.ObjectOf("StartAt", testStateName, "States", states)
	if ql != nil {
		machine.Set("QueryLanguage", ql)
	}
	return string(value.AppendJSON(nil, machine)), nil
}

// unsupported names what AWS's TestState refuses in st: Parallel and Map states, activity tasks,
// the .sync and .waitForTaskToken patterns ("" when none).
func unsupported(st *value.Object) string {
	switch typ, _ := st.Get("Type"); typ {
	case "Parallel", "Map":
		return typ.(string) + " states"
	}
	res, _ := st.Get("Resource")
	r, _ := res.(string)
	switch {
	case strings.Contains(r, ":activity:"):
		return "activity tasks"
	case strings.HasSuffix(r, ".sync") || strings.Contains(r, ".sync:"):
		return "the .sync integration pattern"
	case strings.HasSuffix(r, ".waitForTaskToken"):
		return "the .waitForTaskToken integration pattern"
	}
	return ""
}

// targets are the state names a state may go to.
func targets(st *value.Object) []string {
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	add(objGetOr(st, "Next"))
	add(objGetOr(st, "Default"))
	for _, key := range []string{"Choices", "Catch"} {
		list, _ := objGetOr(st, key).([]any)
		for _, it := range list {
			if o, ok := it.(*value.Object); ok {
				add(objGetOr(o, "Next"))
			}
		}
	}
	return out
}

func objGetOr(o *value.Object, k string) any {
	v, _ := o.Get(k)
	return v
}
