package suite

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// Failure is one expectation a case did not meet, at the expectation's position in the test file.
type Failure struct {
	Pos load.Pos
	Msg string
}

// assertTimeout bounds one JSONata assertion (the evaluator's own limits bound memory and depth).
var assertTimeout = 2 * time.Second

// Check compares an execution with the case's expectations. Without any expectation a case
// expects SUCCEEDED.
func Check(c *Case, x *Execution) []Failure {
	var fs []Failure
	add := func(pos load.Pos, format string, args ...any) {
		fs = append(fs, Failure{Pos: pos, Msg: fmt.Sprintf(format, args...)})
	}
	for _, st := range x.Missing {
		add(c.Pos, "the Task state %q was reached without a handler: mock it (mocks: or mock-case:) or configure it in sfn.yaml", st)
	}
	res := x.Result
	e := &c.Expect
	want := e.Status
	if want == "" && e.Error == nil && e.Cause == nil {
		want = string(run.Succeeded)
	} else if want == "" {
		want = string(run.Failed)
	}
	if string(res.Status) != want {
		pos := e.StatusPos
		if pos.Line == 0 {
			pos = c.Pos
		}
		msg := fmt.Sprintf("status: want %s, got %s", want, res.Status)
		if res.Error != "" {
			msg += " (" + res.Error
			if res.Cause != "" {
				msg += ": " + clip(res.Cause)
			}
			msg += ")"
		}
		add(pos, "%s", msg)
	}
	if e.Error != nil && !e.Error.Match(res.Error) {
		add(e.Error.Pos, "error: want %s, got %q", e.Error, res.Error)
	}
	if e.Cause != nil && !e.Cause.Match(res.Cause) {
		add(e.Cause.Pos, "cause: want %s, got %q", e.Cause, clip(res.Cause))
	}
	if e.Output != nil {
		if res.Status != run.Succeeded {
			add(e.Output.Pos, "%s: the execution has no output (it %s)", e.Output.Key, res.Status)
		} else if d := Diff(e.Output.Want, res.Output, e.Output.Contains); d != "" {
			add(e.Output.Pos, "%s: %s", e.Output.Key, d)
		}
	}
	path := x.Path()
	if p := e.Path; p != nil {
		if p.Contains {
			if i := subsequence(p.States, path); i >= 0 {
				add(p.Pos, "path-contains: %q not entered (in order) in %s", p.States[i], showPath(path))
			}
		} else if i := firstDiff(p.States, path); i >= 0 {
			add(p.Pos, "path: differs at step %d: want %s, got %s", i+1, showPath(p.States), showPath(path))
		}
	}
	for _, ct := range e.Counts {
		n := 0
		for _, v := range path {
			if v == ct.State {
				n++
			}
		}
		if n != ct.N {
			add(ct.Pos, "counts: %q entered %s, want %d", ct.State, plural(n, "time"), ct.N)
		}
	}
	for _, se := range e.States {
		checkState(se, x, add)
	}
	if len(e.Asserts) > 0 {
		doc := executionDoc(x)
		for _, a := range e.Asserts {
			if msg := evalAssert(a, doc); msg != "" {
				add(a.Pos, "%s", msg)
			}
		}
	}
	return fs
}

func firstDiff(want, got []string) int {
	for i := range max(len(want), len(got)) {
		if i >= len(want) || i >= len(got) || want[i] != got[i] {
			return i
		}
	}
	return -1
}

func clip(s string) string {
	if len(s) > maxShown {
		return s[:maxShown] + "…"
	}
	return s
}

func checkState(se *StateExpect, x *Execution, add func(load.Pos, string, ...any)) {
	var v *Visit
	n := 0
	for _, vi := range x.Visits {
		if vi.Name == se.State {
			if n == se.Visit || se.Visit < 0 {
				v = vi
			}
			n++
		}
	}
	what := "states." + se.State
	if se.Visit > 0 {
		what += "[" + strconv.Itoa(se.Visit) + "]"
	} else if se.Visit < 0 {
		what += "[last]"
	}
	if v == nil {
		if n == 0 {
			add(se.Pos, "%s: the state was never entered", what)
		} else {
			add(se.Pos, "%s: the state was entered %s, not %d", what, plural(n, "time"), se.Visit+1)
		}
		return
	}
	value1 := func(want *Value, got any, has bool, why string) {
		if want == nil {
			return
		}
		if !has {
			add(want.Pos, "%s.%s: %s", what, want.Key, why)
			return
		}
		if d := Diff(want.Want, got, want.Contains); d != "" {
			add(want.Pos, "%s.%s: %s", what, want.Key, d)
		}
	}
	value1(se.Input, v.Input, true, "")
	value1(se.Output, v.Output, v.Exited, "the state did not exit (it failed or the execution stopped)")
	value1(se.Result, v.Result, v.HasResult, "the state returned no task result")
	value1(se.Parameters, v.Parameters, v.HasParameters, "the state called no task")
	vars := any(v.Variables)
	if v.Variables == nil {
		vars = value.NewObject(0)
	}
	value1(se.Variables, vars, true, "")
	if se.Retries != nil {
		got := max(v.Attempts-1, 0)
		if got != *se.Retries {
			add(se.Pos, "%s.retries: want %d, got %d", what, *se.Retries, got)
		}
	}
	if se.Error != nil && !(v.Failed && se.Error.Match(v.Error)) {
		if v.Failed {
			add(se.Error.Pos, "%s.error: want %s, got %q", what, se.Error, v.Error)
		} else {
			add(se.Error.Pos, "%s.error: want %s, the state raised no error", what, se.Error)
		}
	}
	if se.Cause != nil && !se.Cause.Match(v.Cause) {
		add(se.Cause.Pos, "%s.cause: want %s, got %q", what, se.Cause, clip(v.Cause))
	}
}

// executionDoc is what a JSONata assertion sees, as $ and as variables: status, input, output,
// error, cause, path (state names) and states (each visit: name, type, input, output, result,
// error, cause, retries, variables).
func executionDoc(x *Execution) *value.Object {
	res := x.Result
	states := make([]any, len(x.Visits))
	path := make([]any, len(x.Visits))
	for i, v := range x.Visits {
		o := value.ObjectOf("name", v.Name, "type", v.Type, "input", v.Input)
		if v.Exited {
			o.Set("output", v.Output)
		}
		if v.HasResult {
			o.Set("result", v.Result)
		}
		if v.HasParameters {
			o.Set("parameters", v.Parameters)
		}
		if v.Failed {
			o.Set("error", v.Error)
			o.Set("cause", v.Cause)
		}
		o.Set("retries", jsonInt(max(v.Attempts-1, 0)))
		if v.Variables != nil {
			o.Set("variables", v.Variables)
		}
		states[i], path[i] = o, v.Name
	}
	doc := value.ObjectOf("status", string(res.Status), "input", x.Input)
	if res.Status == run.Succeeded {
		doc.Set("output", res.Output)
	}
	if res.Error != "" || res.Cause != "" {
		doc.Set("error", res.Error)
		doc.Set("cause", res.Cause)
	}
	doc.Set("path", path)
	doc.Set("states", states)
	return doc
}

func jsonInt(n int) any { return json.Number(strconv.Itoa(n)) }

func evalAssert(a *Assert, doc *value.Object) string {
	ctx, cancel := context.WithTimeout(context.Background(), assertTimeout)
	defer cancel()
	env := &jsonata.Env{
		Var:     func(name string) (any, bool) { return doc.Get(name) },
		Now:     StartTime,
		Random:  func() float64 { return 0.5 },
		UUID:    func() string { return "00000000-0000-4000-8000-000000000000" },
		Context: ctx,
	}
	got, err := a.expr.EvalInput(doc, env)
	switch {
	case err != nil:
		return fmt.Sprintf("assert %s: %v", clip(a.Text), err)
	case got == true:
		return ""
	case jsonata.IsUndefined(got):
		return fmt.Sprintf("assert %s: undefined, want true", clip(a.Text))
	}
	if j, ok := jsonata.ToJSON(got); ok {
		return fmt.Sprintf("assert %s: %s, want true", clip(a.Text), show(j))
	}
	return fmt.Sprintf("assert %s: not true", clip(a.Text))
}
