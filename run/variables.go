package run

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// Workflow variables (Assign) live in scopes: the execution has one, and every Parallel branch and
// Map iteration runs in a child scope that reads the outer variables but assigns only its own (and
// is dropped when the branch or iteration ends, so outer scopes never see inner variables). A scope
// is only written by its own thread, and an outer scope is never written while inner ones run
// (the Parallel / Map state waits for them), so no locking is needed.

// Variable size limits, as AWS documents them: 256 KiB per variable and per Assign field, 10 MiB
// for all the variables of an execution (checked per scope chain).
const (
	maxVariableSize = 256 * 1024
	maxAssignSize   = 256 * 1024
	maxVarsTotal    = 10 * 1024 * 1024
)

type varScope struct {
	vars   map[string]variable
	total  int
	parent *varScope
	// lookup is get as a function value, built once per scope (not once per state).
	lookup func(name string) (any, bool)
}

func newVarScope(parent *varScope) *varScope {
	v := &varScope{parent: parent}
	v.lookup = v.get
	return v
}

// get returns the value of a variable, looking outwards.
func (v *varScope) get(name string) (any, bool) {
	for s := v; s != nil; s = s.parent {
		if x, ok := s.vars[name]; ok {
			return x.value, true
		}
	}
	return nil, false
}

func (v *varScope) chainTotal() int {
	n := 0
	for s := v; s != nil; s = s.parent {
		n += s.total
	}
	return n
}

// variable is a workflow variable's value and the size of its JSON text.
type variable struct {
	value any
	size  int
}

// pending is the variables a state assigns: evaluated against the state's input and result before
// any of them takes effect (AWS's parallel assignment), applied when the state exits. Their names
// are distinct (an object's keys) and sorted.
type pending struct {
	vars []pendingVar
}

type pendingVar struct {
	name  string
	value any
	text  string // the JSON text, kept only when the history records it
	size  int
}

// setAssigned records the variables of an Assign (an object value) as pending.
func (s *stateRun) setAssigned(obj any) *stateError {
	m, ok := obj.(*value.Object)
	if !ok {
		return nil
	}
	keep := !s.t.muted()
	p := &pending{vars: make([]pendingVar, m.Len())}
	for i, x := range m.Members() {
		p.vars[i] = pendingVar{name: x.Key, value: x.Value}
	}
	// Sorted: AWS records assignedVariables in name order (and names the first too large).
	slices.SortFunc(p.vars, func(a, b pendingVar) int { return strings.Compare(a.name, b.name) })
	total := 0
	for i := range p.vars {
		v := &p.vars[i]
		text := toJSON(v.value)
		v.size = len(text)
		if keep {
			v.text = text
		}
		if v.size > maxVariableSize {
			return &stateError{Error: "States.Runtime", hasCause: true, runtime: true, Cause: s.prefix() + fmt.Sprintf(
				"The variable '%s' has a size of %d bytes, which exceeds the maximum size of %d bytes.", v.name, v.size, maxVariableSize)}
		}
		total += v.size
	}
	if total > maxAssignSize {
		return &stateError{Error: "States.Runtime", hasCause: true, runtime: true, Cause: s.prefix() + fmt.Sprintf(
			"The Assign field has a total size of %d bytes, which exceeds the maximum size of %d bytes.", total, maxAssignSize)}
	}
	s.assigned = p
	return nil
}

// assignPath evaluates a JSONPath Assign template against input ($: the state's result, a Choice's
// input, a Catch's error output).
func (s *stateRun) assignPath(t *tmpl, input any) *stateError {
	if t == nil {
		return nil
	}
	v, err := s.template(t, input)
	if err != nil {
		return err
	}
	return s.setAssigned(v)
}

// applyAssigned stores the pending variables in the thread's scope; it returns the
// assignedVariables of the state-exited event (name → JSON text; nil when no history is recorded).
func (s *stateRun) applyAssigned() (map[string]any, *stateError) {
	p := s.assigned
	if p == nil {
		return nil, nil
	}
	sc := s.t.vars
	if sc.vars == nil {
		sc.vars = make(map[string]variable, len(p.vars))
	}
	var details map[string]any
	if !s.t.muted() {
		details = make(map[string]any, len(p.vars))
	}
	for _, v := range p.vars {
		sc.total += v.size - sc.vars[v.name].size
		sc.vars[v.name] = variable{value: v.value, size: v.size}
		if details != nil {
			details[v.name] = v.text
		}
	}
	if sc.chainTotal() > maxVarsTotal {
		return nil, &stateError{Error: "States.Runtime", hasCause: true, runtime: true, Cause: s.prefix() + fmt.Sprintf(
			"The total size of the variables exceeds the maximum size of %d bytes.", maxVarsTotal)}
	}
	return details, nil
}

// setContext sets the state's context object and the evaluation context of its JSONPath paths and
// intrinsics ($$ and $name variables), which lives in the stateRun (no allocation of its own).
func (s *stateRun) setContext(ctxObj *value.Object) {
	s.ctxObj = ctxObj
	s.pc = path.EvalContext{Variable: s.t.vars.lookup, Shared: true}
	if ctxObj != nil {
		s.pc.Context = ctxObj
	}
	s.pctx = &s.pc
}

// stateExitedAssigned records <Type>StateExited with the variables the state assigned, as AWS
// records them (assignedVariables: name → JSON text; assignedVariablesDetails). An Assign that
// assigned nothing ("Assign": {}) records neither key.
func (t *thread) stateExitedAssigned(si *stateInfo, out any, assigned map[string]any) *stateError {
	st := si.st
	if t.muted() || len(assigned) == 0 {
		return t.stateExited(si, out)
	}
	text := toJSON(out)
	if t.ex.overLimit(len(text)) {
		return dataLimit(st.Name)
	}
	t.emit(si.events.exited, "stateExitedEventDetails", map[string]any{
		"name": st.Name, "output": text, "outputDetails": truncated(),
		"assignedVariables": assigned, "assignedVariablesDetails": truncated(),
	})
	return nil
}
