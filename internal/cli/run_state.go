package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

// stateFlags are the flags of sfn run --state (AWS's TestState API, locally).
type stateFlags struct {
	state     string // --state NAME
	variables string // --variables FILE|-|JSON
	format    string // --format text|json
}

func (s *stateFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&s.state, "state", "", "run only the state NAME (at any depth), with its handler, mock or stub, and print each data-flow step as AWS's TestState API does (inspection level DEBUG)")
	fl.StringVar(&s.variables, "variables", "", "with --state: the workflow variables the state sees, a JSON object (FILE, '-' or JSON text)")
	fl.StringVar(&s.format, "format", "text", "with --state: text, or json (AWS's TestState response)")
}

// inspectionSteps are TestState's inspectionData members, in its order (input and variables
// aside).
var inspectionSteps = []string{run.StepAfterArguments, run.StepAfterInputPath, run.StepAfterParameters, run.StepResult, run.StepAfterResultSelector, run.StepAfterResultPath}

// checkStateFlags checks the flags that only go with --state.
func checkStateFlags(f *runFlags) error {
	if f.st.state == "" {
		if f.st.variables != "" || f.st.format != "text" {
			return usageErr("--variables and --format go with --state")
		}
		return nil
	}
	switch f.st.format {
	case "text", "json":
	default:
		return usageErr("unknown --format %q (want text or json)", f.st.format)
	}
	if f.st.variables == "-" && f.input == "-" {
		return usageErr("--input and --variables cannot both be standard input")
	}
	return nil
}

// runState runs one state of the definition alone and prints its data flow (sfn run --state).
func runState(cmd *cobra.Command, file string, f *runFlags, start time.Time) error {
	p, err := prepareState(cmd, file, f)
	if err != nil {
		return err
	}
	out := newRunOutput(cmd, f, p.preparedRun)
	defer out.close()
	p.logs.setOutput(out)
	insp := &inspection{name: f.st.state, input: p.input, vars: p.vars}
	opts := runOptions(f, p.preparedRun, out, start)
	opts.Inspect, opts.Variables, opts.NoHistory = insp.step, p.vars, false
	p.logs.setClock(opts.Clock)
	sink, err := openHistory(f, out.stderr)
	if err != nil {
		return err
	}
	defer sink.abort()
	sinks := eventSinks(out.table, sink, &eventSpan{})
	opts.OnEvent = func(e run.Event) { insp.event(e); sinks(e) }
	runner, err := run.New(p.m, opts)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %v", p.name, strings.TrimPrefix(err.Error(), "run: "))}
	}
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	insp.stop = cancel // a state that goes on to itself runs once
	stopWatching, interrupted := stopOnSignal(cancel, sink)
	res, err := startSafely(runner, ctx, p.input)
	stopWatching()
	if err != nil {
		handler.KillAll()
		return &exitError{code: exitIO, err: err}
	}
	out.close()
	if sink != nil {
		if err := sink.finish(); err != nil {
			return err
		}
	}
	if err := p.logs.finish(f.historyFile); err != nil {
		return err
	}
	r := insp.response(res)
	if err := writeInspection(cmd.OutOrStdout(), r, f.st.format); err != nil {
		return stdoutError(err)
	}
	switch {
	case interrupted() && !insp.looped:
		return &exitError{code: exitInterrupted}
	case r.Status == "FAILED":
		return &exitError{code: exitExecution}
	}
	return nil
}

// preparedState is a preparedRun whose machine is the one state alone, with the variables.
type preparedState struct {
	*preparedRun
	vars *value.Object
}

// prepareState loads the definition, picks the state, reads the input, the variables and the
// handlers (the state's Task states need one; sfn.yaml's tasks are checked against the whole
// machine).
func prepareState(cmd *cobra.Command, file string, f *runFlags) (*preparedState, error) {
	m, name, err := loadMachine(cmd, file, f)
	if err != nil {
		return nil, err
	}
	sm, err := run.SingleState(m, f.st.state)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: --state: %v", name, err)}
	}
	input, err := readInput(f.input, cmd.InOrStdin())
	if err != nil {
		return nil, err
	}
	vars, err := readVariables(f.st.variables, cmd.InOrStdin())
	if err != nil {
		return nil, err
	}
	logs := &handlerLogs{keep: f.historyFile != ""}
	resolver, smName, err := setupHandlers(file, f, logs.log)
	if err != nil {
		return nil, err
	}
	if err := resolver.CheckPart(m, sm); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	p := &preparedRun{logs: logs, m: sm, name: name, smName: smName, input: input, resolver: resolver}
	if p.smName == "" {
		p.smName = machineName(name)
	}
	return &preparedState{preparedRun: p, vars: vars}, nil
}

// readVariables reads --variables: a JSON object (a file, '-' or JSON text), like --input.
func readVariables(flag string, stdin io.Reader) (*value.Object, error) {
	if flag == "" {
		return nil, nil
	}
	v, err := readJSONFlag("--variables", "variables are", flag, stdin)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, usageErr("--variables: want a JSON object of variable names and values")
	}
	for _, m := range o.Members() {
		if !validVariableName(m.Key) {
			return nil, usageErr("--variables: %q is not a variable name (a letter or _, then letters, digits or _)", m.Key)
		}
	}
	return o, nil
}

// validVariableName reports whether s can name a workflow variable (AWS: a letter or underscore,
// then letters, digits or underscores).
func validVariableName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return s != ""
}

// inspection collects what TestState reports of one state: the data-flow steps (run.Options.Inspect)
// and, from the history, its output, the variables it assigned, the next state and the error.
type inspection struct {
	mu       sync.Mutex
	name     string
	input    any
	vars     *value.Object
	steps    map[string]any
	output   *string
	assigned map[string]any // name → JSON text
	exited   bool
	next     string
	failure  [2]string // the last task failure's error and cause (a caught error)
	failed   bool      // a failure was seen since the last success
	stop     func()    // ends the run (the state went on to itself)
	looped   bool      // it did: the run was stopped there
}

func (in *inspection) step(st *asl.State, step string, v any) {
	if st.Name != in.name {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.steps == nil {
		in.steps = map[string]any{}
	}
	in.steps[step] = v
}

func (in *inspection) event(e run.Event) {
	in.mu.Lock()
	defer in.mu.Unlock()
	name, _ := e.Details["name"].(string)
	switch {
	case in.exited:
		if in.next == "" && strings.HasSuffix(e.Type, "StateEntered") {
			in.next = name
			if name == in.name && in.stop != nil {
				in.looped = true
				in.stop()
			}
		}
	case strings.HasSuffix(e.Type, "StateExited") && name == in.name:
		in.exited = true
		if s, ok := e.Details["output"].(string); ok {
			in.output = &s
		}
		if a, ok := e.Details["assignedVariables"].(map[string]any); ok {
			in.assigned = a
		}
	case strings.HasSuffix(e.Type, "Failed") && e.Details["error"] != nil:
		in.failure[0], _ = e.Details["error"].(string)
		in.failure[1], _ = e.Details["cause"].(string)
		in.failed = true
	case strings.HasSuffix(e.Type, "Succeeded"):
		in.failed = false
	}
}

// testStateResponse is AWS's TestState response (inspection level DEBUG); the data are JSON text.
type testStateResponse struct {
	Output         *string         `json:"output,omitempty"`
	Error          string          `json:"error,omitempty"`
	Cause          string          `json:"cause,omitempty"`
	InspectionData *value.Object   `json:"inspectionData"`
	NextState      string          `json:"nextState,omitempty"`
	Status         string          `json:"status"`
	order          []inspectionRow // the text format's rows
}

type inspectionRow struct{ key, text string }

// response is the TestState response of the finished run.
func (in *inspection) response(res *run.Result) *testStateResponse {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := &testStateResponse{InspectionData: value.NewObject(8)}
	add := func(key string, v any) {
		text := compactJSON(v)
		r.InspectionData.Set(key, text)
		r.order = append(r.order, inspectionRow{key, text})
	}
	add("input", in.input)
	for _, s := range inspectionSteps {
		if v, ok := in.steps[s]; ok {
			add(s, v)
		}
	}
	if vars := in.variables(); vars != nil {
		add("variables", vars)
	}
	succeeded := res.Status == run.Succeeded || in.looped
	switch {
	case !succeeded:
		r.Status, r.Error, r.Cause = "FAILED", res.Error, res.Cause
	case in.failed:
		r.Status, r.Error, r.Cause = "CAUGHT_ERROR", in.failure[0], in.failure[1]
	default:
		r.Status = "SUCCEEDED"
	}
	if succeeded && in.output != nil {
		r.Output, r.NextState = in.output, in.next
	}
	return r
}

// variables are the seeded variables with those the state assigned (nil: none).
func (in *inspection) variables() *value.Object {
	if in.vars == nil && len(in.assigned) == 0 {
		return nil
	}
	out := value.NewObject(0)
	if in.vars != nil {
		for _, m := range in.vars.Members() {
			out.Set(m.Key, m.Value)
		}
	}
	for k, text := range in.assigned {
		if s, ok := text.(string); ok {
			out.Set(k, json.RawMessage(s))
		}
	}
	return out
}

// compactJSON is v as compact JSON text, with HTML characters as they are.
func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// writeInspection prints the response: aligned rows of JSON text, or AWS's JSON.
func writeInspection(w io.Writer, r *testStateResponse, format string) error {
	if format == "json" {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
		_, err := w.Write(safetext.JSON(b.Bytes()))
		return err
	}
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%-20s %s\n", k, safetext.Escape(v)) }
	for _, x := range r.order {
		row(x.key, x.text)
	}
	if r.Output != nil {
		row("output", *r.Output)
	}
	if r.Error != "" {
		row("error", r.Error)
		row("cause", r.Cause)
	}
	if r.NextState != "" {
		row("nextState", r.NextState)
	}
	row("status", r.Status)
	_, err := io.WriteString(w, b.String())
	return err
}
