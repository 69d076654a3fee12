package run

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// The data-flow steps Options.Inspect reports, named as AWS's TestState names them in its
// inspectionData (JSONPath: afterInputPath, afterParameters, result, afterResultSelector,
// afterResultPath; JSONata: afterArguments, result).
const (
	StepAfterInputPath      = "afterInputPath"
	StepAfterParameters     = "afterParameters"
	StepResult              = "result"
	StepAfterResultSelector = "afterResultSelector"
	StepAfterResultPath     = "afterResultPath"
	StepAfterArguments      = "afterArguments"
)

// inspect reports one data-flow step of the state to Options.Inspect, when set.
func (s *stateRun) inspect(step string, v any) {
	if f := s.t.ex.r.opts.Inspect; f != nil {
		f(s.st, step, v)
	}
}

// seedVariables sets the execution's first workflow variables (Options.Variables).
func (v *varScope) seed(vars *value.Object) {
	if vars == nil || vars.Len() == 0 {
		return
	}
	v.vars = make(map[string]variable, vars.Len())
	for _, x := range vars.Members() {
		size := len(toJSON(x.Value))
		v.vars[x.Key] = variable{value: x.Value, size: size}
		v.total += size
	}
}

// SingleState returns a state machine that runs only the state named name of m (at any depth):
// the state as it is written (positions kept), under the machine's QueryLanguage, and for each
// state it may go on to (Next, Default, a Choice rule's or a Catcher's Next) a Succeed state of
// that name, so that the state's outcome and its next state show in the history. It fails when
// m has no state of that name.
func SingleState(m *asl.Machine, name string) (*asl.Machine, error) {
	st := findState(m, name)
	if st == nil {
		return nil, fmt.Errorf("no state %q in the state machine%s", name, suggestState(m, name))
	}
	root := &load.Node{Kind: load.Object, Pos: m.Doc.Root.Pos}
	if q := m.Doc.Root.Field("QueryLanguage"); q != nil {
		root.Fields = append(root.Fields, *q)
	}
	states := &load.Node{Kind: load.Object, Pos: st.Node.Pos}
	states.Fields = append(states.Fields, load.Field{Key: st.Name, KeyPos: st.NamePos, Value: st.Node})
	var nexts []string
	for _, n := range successorNames(st) {
		if n != st.Name && !slices.Contains(nexts, n) {
			nexts = append(nexts, n)
		}
	}
	sort.Strings(nexts)
	for _, n := range nexts {
		succeed := &load.Node{Kind: load.Object, Pos: st.Node.Pos, Fields: []load.Field{{Key: "Type", Value: &load.Node{Kind: load.String, Text: "Succeed", Pos: st.Node.Pos}}}}
		states.Fields = append(states.Fields, load.Field{Key: n, KeyPos: st.NamePos, Value: succeed})
	}
	root.Fields = append(root.Fields,
		load.Field{Key: "StartAt", Value: &load.Node{Kind: load.String, Text: st.Name, Pos: st.NamePos}},
		load.Field{Key: "States", Value: states})
	doc := *m.Doc
	doc.Root = root
	sm := asl.Build(&doc)
	if sm == nil {
		return nil, fmt.Errorf("state %q cannot be run on its own", name)
	}
	return sm, nil
}

// findState is the state of m named name (the first, in definition order).
func findState(m *asl.Machine, name string) *asl.State {
	for _, st := range m.All {
		if st.Name == name {
			return st
		}
	}
	return nil
}

// successorNames are the names st may transition to, as written.
func successorNames(st *asl.State) []string {
	var out []string
	add := func(n *load.Node) {
		if n != nil && n.Kind == load.String && n.Text != "" {
			out = append(out, n.Text)
		}
	}
	add(st.Node.Get("Next"))
	add(st.Node.Get("Default"))
	if cs := st.Node.Get("Choices"); cs != nil && cs.Kind == load.Array {
		for _, c := range cs.Items {
			add(c.Get("Next"))
		}
	}
	if cs := st.Node.Get("Catch"); cs != nil && cs.Kind == load.Array {
		for _, c := range cs.Items {
			add(c.Get("Next"))
		}
	}
	return out
}

// suggestState is " (did you mean \"X\"?)" for a state whose name differs from name only in
// letter case, else "".
func suggestState(m *asl.Machine, name string) string {
	for _, st := range m.All {
		if strings.EqualFold(st.Name, name) {
			return fmt.Sprintf(" (did you mean %q?)", st.Name)
		}
	}
	return ""
}
