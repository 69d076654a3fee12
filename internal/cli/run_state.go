package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sfn-tool/sfn/internal/safetext"
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
	f.answer.setOutput(out)
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	insp := run.NewInspection(f.st.state, p.input, p.vars, cancel) // a state that goes on to itself runs once
	opts := runOptions(f, p.preparedRun, out, start)
	opts.Inspect, opts.Variables, opts.NoHistory = insp.Step, p.vars, false
	p.logs.setClock(opts.Clock)
	sink, err := openHistory(f, out.stderr)
	if err != nil {
		return err
	}
	defer sink.abort()
	sinks := eventSinks(out.table, sink, &eventSpan{})
	opts.OnEvent = func(e run.Event) { insp.Event(e); sinks(e) }
	runner, err := run.New(p.m, opts)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %v", p.name, strings.TrimPrefix(err.Error(), "run: "))}
	}
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
	r := insp.Response(res)
	if err := writeInspection(cmd.OutOrStdout(), r, f.st.format); err != nil {
		return stdoutError(err)
	}
	switch {
	case interrupted() && !insp.Looped():
		return &exitError{code: exitInterrupted}
	case r.Status == run.TestFailed:
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
		p.smName = run.MachineName(name)
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

// writeInspection prints the response: aligned rows of JSON text, or AWS's JSON.
func writeInspection(w io.Writer, r *run.TestStateResponse, format string) error {
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
	for _, x := range r.Rows {
		row(x.Key, x.Text)
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
