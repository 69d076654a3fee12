package serve

import (
	"context"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/validate"
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
	Variables       *string `json:"variables"`
}

// testStateName is the name a state definition runs under.
const testStateName = "TestState"

// testStateLimit is how long AWS's TestState may run.
const testStateLimit = 5 * time.Minute

// testState runs one state, as AWS's TestState does: the state alone (a state definition, or
// stateName's state of a whole machine) in run.SingleState's machine, its transitions stubbed.
// The answer is run.Inspection's: the status (SUCCEEDED, CAUGHT_ERROR, FAILED), output or error
// and cause, nextState, and at DEBUG and TRACE the inspectionData (the input, each data-flow
// step, the variables). Its task runs with the server's handlers (sfn.yaml, --lambda-endpoint);
// its retries run (AWS answers RETRIABLE instead). As AWS's, it refuses Parallel and Map
// states, activity tasks and the .sync and .waitForTaskToken patterns, and stops after five
// minutes (States.Timeout).
func (s *Server) testState(_ context.Context, req *testStateRequest) (any, *apiError) {
	if req.Definition == nil {
		return nil, required("definition")
	}
	if len(*req.Definition) > maxDefinition {
		return nil, tooLong("definition", maxDefinition)
	}
	debug := false
	switch req.InspectionLevel {
	case "", "INFO":
	case "DEBUG", "TRACE":
		debug = true
	default:
		return nil, errorf(errValidation, "1 validation error detected: Value '%s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", clipText(req.InspectionLevel, 100))
	}
	input, e := decodeTestJSON(req.Input, "input")
	if e != nil {
		return nil, e
	}
	vars, e := testVariables(req.Variables)
	if e != nil {
		return nil, e
	}
	sm, name, e := testMachine(*req.Definition, req.StateName)
	if e != nil {
		return nil, e
	}
	resolver, err := handler.NewResolver(handler.Options{Config: s.opts.Config})
	if err != nil {
		return nil, errorf(errValidation, "%s", err.Error())
	}
	ctx, cancel := context.WithTimeout(s.ctx, testStateLimit)
	defer cancel()
	insp := run.NewInspection(name, input, vars, cancel) // a state that goes on to itself runs once
	r, err := run.New(sm, run.Options{Clock: run.NewVirtualClock(s.now()), Handlers: s.handlers("", resolver),
		StateMachineName: "TestState", ExecutionName: newUUID(), Region: s.opts.Region, Account: s.opts.Account,
		Inspect: insp.Step, Variables: vars, OnEvent: insp.Event, DiscardEvents: true})
	if err != nil {
		return nil, errorf(errInvalidDefinition, "Invalid State Machine Definition: '%s'", strings.TrimPrefix(err.Error(), "run: "))
	}
	res := s.runSafely(r, ctx, input)
	out := insp.Response(res)
	if !insp.Looped() && ctx.Err() != nil && s.ctx.Err() == nil { // AWS: TestState runs for up to five minutes
		out.Status, out.Output, out.NextState = run.TestFailed, nil, ""
		out.Error, out.Cause = "States.Timeout", "TestState ran for more than five minutes"
	}
	if !debug {
		out.InspectionData = nil
	}
	return out, nil
}

// decodeTestJSON decodes a request's JSON text member (absent: {}).
func decodeTestJSON(p *string, member string) (any, *apiError) {
	text := "{}"
	if p != nil {
		text = *p
	}
	if len(text) > maxInput {
		return nil, tooLong(member, maxInput)
	}
	v, err := load.DecodeJSON([]byte(text))
	if err != nil {
		return nil, errorf(errInvalidExecInput, "Invalid State Machine Execution Input: '%s'", err.Error())
	}
	return v, nil
}

// testVariables decodes the request's variables: a JSON object of workflow variables (nil: none).
func testVariables(p *string) (*value.Object, *apiError) {
	if p == nil {
		return nil, nil
	}
	v, e := decodeTestJSON(p, "variables")
	if e != nil {
		return nil, e
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, errorf(errValidation, "variables must be a JSON object of variable names and values")
	}
	return o, nil
}

// testMachine is the machine that runs the state to test alone (run.SingleState), and the
// state's name: def is a state (run as TestState) or a whole machine (stateName's state). The
// machine is checked as sfn validate checks definitions; positions are in def.
func testMachine(def, stateName string) (*asl.Machine, string, *apiError) {
	opts := &validate.Options{Type: "STANDARD", MinSeverity: validate.Error, Severity: map[string]validate.Severity{}}
	doc, err := load.Parse("definition", []byte(def), load.JSON)
	if err != nil {
		return nil, "", invalidDefinition([]validate.Diagnostic{validate.LoadError("definition", err, opts)})
	}
	if doc.Root == nil || doc.Root.Kind != load.Object {
		return nil, "", errorf(errInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the definition must be a state (an object)'")
	}
	name := stateName
	if states := doc.Root.Get("States"); states != nil { // a whole machine: test stateName's state
		if stateName == "" {
			return nil, "", errorf(errValidation, "stateName is required when the definition is a state machine")
		}
		st := states.Get(stateName)
		if st == nil {
			return nil, "", errorf(errValidation, "the state machine has no state '%s'", clipText(stateName, 100))
		}
		if st.Kind != load.Object {
			return nil, "", errorf(errInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: state %s is not an object'", clipText(stateName, 100))
		}
	} else {
		name = testStateName
		doc.Root = wrapState(doc.Root)
	}
	m := asl.Build(doc)
	if m == nil {
		return nil, "", errorf(errInvalidDefinition, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The definition must have States and StartAt at /'")
	}
	sm, err := run.SingleState(m, name)
	if err != nil {
		return nil, "", errorf(errValidation, "%s", err.Error())
	}
	if why := unsupported(sm.Root.Start()); why != "" {
		return nil, "", errorf(errValidation, "TestState doesn't support %s", why)
	}
	if ds := validate.CheckMachine(sm.Doc, sm, opts); len(ds) > 0 {
		return nil, "", invalidDefinition(ds)
	}
	return sm, name, nil
}

// wrapState is a machine whose one state is st, named TestState, under st's QueryLanguage.
func wrapState(st *load.Node) *load.Node {
	root := &load.Node{Kind: load.Object, Pos: st.Pos}
	if q := st.Field("QueryLanguage"); q != nil {
		root.Fields = append(root.Fields, *q)
	}
	states := &load.Node{Kind: load.Object, Pos: st.Pos, Fields: []load.Field{{Key: testStateName, KeyPos: st.Pos, Value: st}}}
	root.Fields = append(root.Fields,
		load.Field{Key: "StartAt", Value: &load.Node{Kind: load.String, Text: testStateName, Pos: st.Pos}},
		load.Field{Key: "States", Value: states})
	return root
}

// unsupported names what AWS's TestState refuses in st: Parallel and Map states, activity tasks,
// the .sync and .waitForTaskToken patterns ("" when none).
func unsupported(st *asl.State) string {
	if st == nil {
		return ""
	}
	switch st.Type {
	case "Parallel", "Map":
		return st.Type + " states"
	}
	r := handler.Resource(st)
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
