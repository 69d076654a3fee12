// Package asl is the typed model of an Amazon States Language definition, built from the
// position-preserving tree of package load. Building never fails: malformed parts are kept as
// raw nodes so that validation rules can report them, and the interpreter and renderer can
// rely on a model that validation has accepted.
package asl

import (
	"github.com/sfn-tool/sfn/pkg/load"
)

// QueryLanguage is "JSONPath" or "JSONata".
type QueryLanguage string

// The query languages.
const (
	JSONPath QueryLanguage = "JSONPath"
	JSONata  QueryLanguage = "JSONata"
)

// StateMachine is a States scope: the top-level machine, a Parallel branch or a Map processor.
type StateMachine struct {
	Node   *load.Node
	Parent *State  // the Parallel or Map state that owns this scope; nil at the top level
	Depth  int     // 0 at the top level
	seg    segment // this scope's place in its parent state: "/Branches[0]", "/ItemProcessor"

	StartAt *load.Node
	States  []*State          // in source order
	ByName  map[string]*State // first state of each name in this scope

	// QueryLanguage is the machine-wide default (nested scopes inherit the top level's, not the parent state's).
	QueryLanguage QueryLanguage

	reachable, canFinish map[*State]bool // cached by Reachable and CanFinish
	opaque               bool            // computed by Build (TransitionsOpaque)
}

// State is one state of a scope.
type State struct {
	Name    string
	NamePos load.Pos
	Node    *load.Node
	Scope   *StateMachine
	Index   int    // position in Machine.All
	Type    string // value of "Type" ("" when missing or not a string)

	// QueryLanguage is the state's effective language (its own field, else the machine's).
	QueryLanguage QueryLanguage

	Choices   []*ChoiceRule   // Choice
	Branches  []*StateMachine // Parallel
	Processor *StateMachine   // Map: ItemProcessor or Iterator
	Retry     []*Retrier
	Catch     []*Catcher

	successors []string // computed by Build
	next       []*State // computed by Build
}

// ChoiceRule is one Choices entry or a nested And/Or/Not rule.
type ChoiceRule struct {
	Node     *load.Node
	TopLevel bool
	Nested   []*ChoiceRule // And/Or items, or the Not rule
	state    *State        // the Choice state (for top-level rules)
	up       *ChoiceRule   // the enclosing rule (for nested rules)
	seg      segment       // "/Choices[0]", "/And[1]", "/Not"
}

// Retrier is one Retry entry.
type Retrier struct {
	Node  *load.Node
	state *State
	index int
}

// Catcher is one Catch entry.
type Catcher struct {
	Node  *load.Node
	state *State
	index int
}

// Machine is a whole definition with all its scopes.
type Machine struct {
	Doc  *load.Document
	Root *StateMachine
	// All lists every state of every scope in document order (depth first).
	All []*State
	// Scopes lists every scope, the root first.
	Scopes []*StateMachine
	// Exprs lists every path, payload-template, intrinsic and JSONata value, parsed once.
	Exprs []*Expr
}

// Field returns the value of the state's field, or nil.
func (s *State) Field(name string) *load.Node { return s.Node.Get(name) }

// Has reports whether the state has the field.
func (s *State) Has(name string) bool { return s.Node.Has(name) }

// NextName returns the value of "Next" when it is a string.
func (s *State) NextName() (string, bool) {
	n := s.Field("Next")
	if n == nil || n.Kind != load.String {
		return "", false
	}
	return n.Text, true
}

// IsEnd reports whether the state has "End": true.
func (s *State) IsEnd() bool {
	n := s.Field("End")
	return n != nil && n.Kind == load.Bool && n.Bool
}

// IsTerminal reports whether the state ends its scope: Succeed, Fail, or End: true.
func (s *State) IsTerminal() bool {
	return s.Type == "Succeed" || s.Type == "Fail" || s.IsEnd()
}

// Build builds the model of a parsed document. It returns nil when the root is not an object.
func Build(doc *load.Document) *Machine {
	if doc == nil || doc.Root == nil || doc.Root.Kind != load.Object {
		return nil
	}
	m := &Machine{Doc: doc}
	ql := JSONPath
	if q := doc.Root.Get("QueryLanguage"); q != nil && q.Kind == load.String && q.Text == string(JSONata) {
		ql = JSONata
	}
	m.Root = m.buildScope(doc.Root, segment{}, nil, 0, ql)
	m.collectExprs()
	for _, st := range m.All {
		st.link()
	}
	for _, sc := range m.Scopes { // graph facts are computed here, so the model is read-only afterwards
		sc.Reachable()
		sc.CanFinish()
		sc.opaque = sc.transitionsOpaque()
	}
	return m
}

func (m *Machine) buildScope(n *load.Node, seg segment, parent *State, depth int, ql QueryLanguage) *StateMachine {
	sm := &StateMachine{Node: n, seg: seg, Parent: parent, Depth: depth, QueryLanguage: ql, ByName: map[string]*State{}}
	m.Scopes = append(m.Scopes, sm)
	if n == nil || n.Kind != load.Object {
		return sm
	}
	sm.StartAt = n.Get("StartAt")
	states := n.Get("States")
	if states == nil || states.Kind != load.Object {
		return sm
	}
	for i := range states.Fields {
		f := &states.Fields[i]
		st := &State{
			Name: f.Key, NamePos: f.KeyPos, Node: f.Value, Scope: sm,
			QueryLanguage: ql,
		}
		sm.States = append(sm.States, st)
		if _, dup := sm.ByName[f.Key]; !dup {
			sm.ByName[f.Key] = st
		}
		st.Index = len(m.All)
		m.All = append(m.All, st)
		if f.Value == nil || f.Value.Kind != load.Object {
			continue
		}
		if t := f.Value.Get("Type"); t != nil && t.Kind == load.String {
			st.Type = t.Text
		}
		if q := f.Value.Get("QueryLanguage"); q != nil && q.Kind == load.String && (q.Text == string(JSONata) || q.Text == string(JSONPath)) {
			st.QueryLanguage = QueryLanguage(q.Text)
		}
		m.buildChildren(st, depth, ql)
	}
	return sm
}

func (m *Machine) buildChildren(st *State, depth int, ql QueryLanguage) {
	if choices := st.Field("Choices"); choices != nil && choices.Kind == load.Array {
		for i, c := range choices.Items {
			r := buildRule(c, segment{"Choices", i}, true)
			r.state = st
			st.Choices = append(st.Choices, r)
		}
	}
	if r := st.Field("Retry"); r != nil && r.Kind == load.Array {
		for i, it := range r.Items {
			st.Retry = append(st.Retry, &Retrier{Node: it, state: st, index: i})
		}
	}
	if c := st.Field("Catch"); c != nil && c.Kind == load.Array {
		for i, it := range c.Items {
			st.Catch = append(st.Catch, &Catcher{Node: it, state: st, index: i})
		}
	}
	if st.Type == "Parallel" {
		if b := st.Field("Branches"); b != nil && b.Kind == load.Array {
			for i, it := range b.Items {
				st.Branches = append(st.Branches, m.buildScope(it, segment{"Branches", i}, st, depth+1, ql))
			}
		}
	}
	if st.Type == "Map" {
		for _, name := range []string{"ItemProcessor", "Iterator"} {
			if p := st.Field(name); p != nil {
				st.Processor = m.buildScope(p, segment{name, -1}, st, depth+1, ql)
				break
			}
		}
	}
}

func buildRule(n *load.Node, seg segment, top bool) *ChoiceRule {
	r := &ChoiceRule{Node: n, seg: seg, TopLevel: top}
	if n == nil || n.Kind != load.Object {
		return r
	}
	for _, op := range []string{"And", "Or"} {
		if arr := n.Get(op); arr != nil && arr.Kind == load.Array {
			for i, it := range arr.Items {
				nr := buildRule(it, segment{op, i}, false)
				nr.up = r
				r.Nested = append(r.Nested, nr)
			}
		}
	}
	if not := n.Get("Not"); not != nil && not.Kind == load.Object {
		nr := buildRule(not, segment{"Not", -1}, false)
		nr.up = r
		r.Nested = append(r.Nested, nr)
	}
	return r
}

// Successors returns the names of the states a state can transition to within its scope
// (Next, Choices[].Next, Default, Catch[].Next), in that order, without duplicates. Build computes
// them once; the slice is shared, do not modify it.
func (s *State) Successors() []string { return s.successors }

// link computes the state's successors (names, without duplicates, with a set so that a Choice with
// many rules costs linear time) and resolves them to the states of its scope (unknown names dropped).
func (s *State) link() {
	var seen map[string]bool
	add := func(n *load.Node) {
		if n == nil || n.Kind != load.String {
			return
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		if seen[n.Text] {
			return
		}
		seen[n.Text] = true
		s.successors = append(s.successors, n.Text)
	}
	add(s.Field("Next"))
	for _, c := range s.Choices {
		add(c.Node.Get("Next"))
	}
	add(s.Field("Default"))
	for _, c := range s.Catch {
		add(c.Node.Get("Next"))
	}
	s.next = []*State{}
	for _, name := range s.successors {
		if n := s.Scope.ByName[name]; n != nil {
			s.next = append(s.next, n)
		}
	}
}
