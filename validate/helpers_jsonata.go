package validate

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/path"
)

// Helpers shared by the JSONata and variable rules.

// jsonataExprs returns the parsed JSONata expressions of the definition (those that failed to parse
// are jsonata-syntax's).
func jsonataExprs(c *Context) []*asl.Expr {
	var out []*asl.Expr
	for _, e := range c.Machine.Exprs {
		if e.Kind == asl.KindJSONata && e.JSONata != nil && e.Err == nil {
			out = append(out, e)
		}
	}
	return out
}

// assignment is one Assign object: a state's, a top-level choice rule's or a catcher's.
type assignment struct {
	State *asl.State
	Field *load.Field // the "Assign" field
	At    asl.Loc     // location of the Assign value
}

// Pointer returns the location of the Assign value.
func (a assignment) Pointer() string { return a.At.Pointer() }

// allAssigns returns the Assign fields of the definition that sit where Assign is allowed (misplaced ones
// are field-not-supported's, catcher-fields' and choice-rule-assign-output's).
func allAssigns(c *Context) []assignment {
	var out []assignment
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		if f := st.Node.Field("Assign"); f != nil && asl.FieldAllowed(st.Type, "Assign") {
			out = append(out, assignment{State: st, Field: f, At: asl.At(st, "/Assign")})
		}
		if st.Type == "Choice" {
			for _, r := range st.Choices {
				if r.Node != nil && r.Node.Kind == load.Object && r.TopLevel {
					if f := r.Node.Field("Assign"); f != nil {
						out = append(out, assignment{State: st, Field: f, At: asl.At(r, "/Assign")})
					}
				}
			}
		}
		if asl.FieldAllowed(st.Type, "Catch") {
			for _, cc := range st.Catch {
				if cc.Node != nil && cc.Node.Kind == load.Object {
					if f := cc.Node.Field("Assign"); f != nil {
						out = append(out, assignment{State: st, Field: f, At: asl.At(cc, "/Assign")})
					}
				}
			}
		}
	}
	return out
}

// assignedVar is one variable an Assign object assigns.
type assignedVar struct {
	Name   string      // the variable name (a JSONPath "x.$" key gives "x")
	Key    *load.Field // the key in the Assign object
	Assign assignment
}

// assignedVars returns every key of every object-valued Assign (placeholders are skipped).
func assignedVars(c *Context) []assignedVar {
	var out []assignedVar
	for _, a := range allAssigns(c) {
		v := a.Field.Value
		if v.Kind != load.Object || c.Opaque(v) {
			continue
		}
		for i := range v.Fields {
			f := &v.Fields[i]
			out = append(out, assignedVar{Name: varName(f.Key, a.State.QueryLanguage), Key: f, Assign: a})
		}
	}
	return out
}

// varName returns the variable an Assign key assigns: in JSONPath states a "x.$" key assigns x.
func varName(key string, ql asl.QueryLanguage) string {
	if ql == asl.JSONPath {
		return strings.TrimSuffix(key, ".$")
	}
	return key
}

// maxVarName is the longest variable name the spec allows, in characters.
const maxVarName = 80

// validVarName reports whether name is a Unicode identifier (ID_Start ID_Continue*, with "_" also
// accepted first, as in JSONata) of at most 80 characters.
func validVarName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > maxVarName {
		return false
	}
	for i, r := range name {
		if i == 0 && !idStart(r) && r != '_' {
			return false
		}
		if i > 0 && !idContinue(r) {
			return false
		}
	}
	return true
}

// idStart approximates Unicode ID_Start: letters (L*) and letter numbers (Nl).
func idStart(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

// idContinue approximates Unicode ID_Continue: ID_Start plus Mn, Mc, Nd, Pc.
func idContinue(r rune) bool {
	return idStart(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) ||
		unicode.Is(unicode.Other_ID_Continue, r)
}

// varRef is a reference to a workflow variable.
type varRef struct {
	Name string
	Expr *asl.Expr
}

// varRefs returns every variable reference of the definition: free $name variables of JSONata
// expressions (not $states) and variable-rooted JSONPath paths, including intrinsic arguments.
func varRefs(c *Context) []varRef {
	var out []varRef
	for _, e := range c.Machine.Exprs {
		if e.Err != nil {
			continue
		}
		if e.JSONata != nil {
			for _, v := range e.JSONata.Variables() {
				if v.Name != "states" {
					out = append(out, varRef{Name: v.Name, Expr: e})
				}
			}
			continue
		}
		for _, name := range pathVars(e.Path, e.Call, nil) {
			out = append(out, varRef{Name: name, Expr: e})
		}
	}
	return out
}

// pathVars appends the variables a path or an intrinsic call (with nested calls) reads.
func pathVars(p *path.Path, call *intrinsic.Call, out []string) []string {
	if p != nil && p.Root == path.RootVariable && p.Variable != "" {
		out = append(out, p.Variable)
	}
	if call != nil {
		for _, a := range call.Args {
			switch a.Kind {
			case intrinsic.ArgPath:
				out = pathVars(a.Path, nil, out)
			case intrinsic.ArgCall:
				out = pathVars(nil, a.Call, out)
			}
		}
	}
	return out
}

// outerStates returns the chain of states that own sc and its enclosing scopes, innermost first.
func outerStates(sc *asl.StateMachine) []*asl.State {
	var out []*asl.State
	for sc != nil && sc.Parent != nil {
		out = append(out, sc.Parent)
		sc = sc.Parent.Scope
	}
	return out
}

// isDistributedMap reports whether a Map state runs its processor as child workflows.
func isDistributedMap(st *asl.State) bool {
	p := st.Processor
	if st.Type != "Map" || p == nil || p.Node == nil {
		return false
	}
	mode := p.Node.Get("ProcessorConfig").Get("Mode")
	return mode != nil && mode.Kind == load.String && mode.Text == "DISTRIBUTED"
}

// exprSnippet returns an expression's text for a message, shortened to one line of at most 60 characters.
func exprSnippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:57]) + "..."
	}
	return s
}

// varVisibility answers "which state assigning variable name can run before state st, in st's scope
// or an enclosing one" for many queries in time linear in the machine per variable name, not per query
// (a chain of 8,000 states each reading a variable took 119 s and 4 GB when every query walked all
// predecessors). Assign takes effect after its state, so an assigner is visible to the states it
// reaches by one or more transitions in its scope, and to every state nested inside those.
type varVisibility struct {
	assigners map[string][]*asl.State                       // states assigning each name, in document order
	assigned  map[varAt]bool                                // (name, state) pairs of assigners
	preds     map[*asl.StateMachine]map[string][]*asl.State // per scope: state name -> states transitioning to it
	enter     map[*asl.StateMachine]int                     // scopes numbered in preorder ...
	exit      map[*asl.StateMachine]int                     // ... and the last number inside each
	indexes   map[string]*nameIndex                         // per variable, built when first asked about
	reached   *nameIndex                                    // the variable whose reach is kept
}

// varAt is a variable name assigned by a state.
type varAt struct {
	name string
	st   *asl.State
}

// nameIndex is what varVisibility knows about one variable.
type nameIndex struct {
	name   string
	enters []int                     // preorder numbers of the scopes holding an assigner, sorted
	maxEnd []int                     // maxEnd[i]: the largest exit among enters[:i+1]'s scopes
	reach  map[*asl.State]*asl.State // states that see the variable -> an assigner they see (lazy)
}

// newVarVisibility indexes the assigners of every variable of m.
func newVarVisibility(m *asl.Machine, vars []assignedVar) *varVisibility {
	v := &varVisibility{assigners: map[string][]*asl.State{}, assigned: map[varAt]bool{},
		preds: map[*asl.StateMachine]map[string][]*asl.State{}, indexes: map[string]*nameIndex{},
		enter: make(map[*asl.StateMachine]int, len(m.Scopes)), exit: make(map[*asl.StateMachine]int, len(m.Scopes))}
	for _, a := range vars {
		if k := (varAt{a.Name, a.Assign.State}); !v.assigned[k] {
			v.assigned[k] = true
			v.assigners[a.Name] = append(v.assigners[a.Name], a.Assign.State)
		}
	}
	if len(vars) == 0 {
		return v // no assigner: every query is false before the scopes are needed
	}
	for i, sc := range m.Scopes { // Build lists scopes in preorder
		v.enter[sc], v.exit[sc] = i, i
	}
	for i := len(m.Scopes) - 1; i > 0; i-- {
		if sc := m.Scopes[i]; sc.Parent != nil {
			v.exit[sc.Parent.Scope] = max(v.exit[sc.Parent.Scope], v.exit[sc])
		}
	}
	return v
}

// visibleProbe is how many states a query inspects backwards before the whole variable is indexed
// (a variable so tests can force the indexed path).
var visibleProbe = 64

// before returns a state assigning name that can run before st (in st's scope or an enclosing one),
// or nil. A short backward search answers the usual case (the variable is assigned a few states
// before); otherwise, when an assigner sits in st's scope or an enclosing one, the states reached by
// the name's assigners are computed once for that name. Queries should come grouped by name.
func (v *varVisibility) before(st *asl.State, name string) *asl.State {
	if len(v.assigners[name]) == 0 {
		return nil
	}
	if p, ok := v.probe(st, name); ok {
		return p
	}
	ix := v.indexOf(name)
	if !ix.encloses(v.enter[st.Scope]) {
		return nil
	}
	if ix.reach == nil {
		if v.reached != nil {
			v.reached.reach = nil // keep one variable's reach at a time
		}
		ix.reach, v.reached = v.reachOf(name), ix
	}
	return ix.reach[st]
}

// indexOf returns the index of name, built when first asked for.
func (v *varVisibility) indexOf(name string) *nameIndex {
	if ix := v.indexes[name]; ix != nil {
		return ix
	}
	type span struct{ enter, exit int }
	var spans []span
	for _, a := range v.assigners[name] {
		spans = append(spans, span{v.enter[a.Scope], v.exit[a.Scope]})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].enter < spans[j].enter })
	ix := &nameIndex{name: name}
	for i, s := range spans {
		ix.enters = append(ix.enters, s.enter)
		if i > 0 {
			s.exit = max(s.exit, ix.maxEnd[i-1])
		}
		ix.maxEnd = append(ix.maxEnd, s.exit)
	}
	v.indexes[name] = ix
	return ix
}

// encloses reports whether a scope holding an assigner is the scope numbered at, or encloses it:
// among the scopes numbered at most at, one must end at or after it.
func (ix *nameIndex) encloses(at int) bool {
	i := sort.SearchInts(ix.enters, at+1) - 1
	return i >= 0 && ix.maxEnd[i] >= at
}

// assigns reports whether state p assigns name.
func (v *varVisibility) assigns(p *asl.State, name string) bool { return v.assigned[varAt{name, p}] }

// predsOf returns the predecessor index of a scope, built once.
func (v *varVisibility) predsOf(sc *asl.StateMachine) map[string][]*asl.State {
	if m, ok := v.preds[sc]; ok {
		return m
	}
	m := map[string][]*asl.State{}
	for _, st := range sc.States {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		for _, next := range st.Successors() {
			m[next] = append(m[next], st)
		}
	}
	v.preds[sc] = m
	return m
}

// probe searches backwards from st and its enclosing states, visiting at most visibleProbe states;
// ok is false when it gave up before finishing.
func (v *varVisibility) probe(st *asl.State, name string) (by *asl.State, ok bool) {
	budget := visibleProbe
	var seen, stack []*asl.State // at most visibleProbe states: a slice beats a map
	for cur := st; cur != nil; cur = cur.Scope.Parent {
		preds := v.predsOf(cur.Scope)
		seen, stack = seen[:0], append(stack[:0], cur)
		for len(stack) > 0 {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, p := range preds[s.Name] {
				if slices.Contains(seen, p) {
					continue
				}
				if v.assigns(p, name) {
					return p, true
				}
				if budget--; budget <= 0 {
					return nil, false
				}
				seen = append(seen, p)
				stack = append(stack, p)
			}
		}
	}
	return nil, true
}

// reachOf maps every state that sees name to an assigner it sees: the states reached from the
// assigners by transitions in their scope, and every state nested inside those. Deeper assigners
// are processed first, so a state is attributed to the innermost assigner that reaches it.
func (v *varVisibility) reachOf(name string) map[*asl.State]*asl.State {
	srcs := append([]*asl.State(nil), v.assigners[name]...)
	sort.SliceStable(srcs, func(i, j int) bool { return srcs[i].Scope.Depth > srcs[j].Scope.Depth })
	reach := map[*asl.State]*asl.State{}
	var nested func(st, by *asl.State)
	mark := func(st, by *asl.State) bool {
		if reach[st] != nil {
			return false
		}
		reach[st] = by
		nested(st, by)
		return true
	}
	nested = func(st, by *asl.State) {
		scopes := st.Branches
		if st.Processor != nil {
			scopes = append(scopes[:len(scopes):len(scopes)], st.Processor)
		}
		for _, sc := range scopes {
			for _, in := range sc.States {
				mark(in, by)
			}
		}
	}
	var queue []*asl.State
	for _, p := range srcs {
		queue = append(queue[:0], p)
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, next := range s.Next() {
				if mark(next, p) {
					queue = append(queue, next)
				}
			}
		}
	}
	return reach
}

// varQuery asks whether variable name is assigned before state st runs.
type varQuery struct {
	st   *asl.State
	name string
}

// visibleAll answers many queries at once. The short backward probe answers most, and a query whose
// variable has no assigner in the state's scope or an enclosing one is false; the rest are answered
// 64 variables at a time by one forward pass over every scope, where bit i of a state's mask says
// that variable i is assigned before it (inherited from the enclosing Parallel/Map state, or flowing
// along transitions from an assigner). That costs O(states × variables / 64) instead of a search per
// query (20,000 variables assigned along a chain and read at its end took 26 s).
func (v *varVisibility) visibleAll(m *asl.Machine, qs []varQuery) []bool {
	out := make([]bool, len(qs))
	pending := map[string][]int{}
	for i, q := range qs {
		if len(v.assigners[q.name]) == 0 || !v.indexOf(q.name).encloses(v.enter[q.st.Scope]) {
			continue
		}
		if p, ok := v.probe(q.st, q.name); ok {
			out[i] = p != nil
			continue
		}
		pending[q.name] = append(pending[q.name], i)
	}
	if len(pending) == 0 {
		return out
	}
	names := make([]string, 0, len(pending))
	for n := range pending {
		names = append(names, n)
	}
	sort.Strings(names)
	order := flowOrder(m)
	assigns := make([]uint64, len(m.All))
	vis := make([]uint64, len(m.All))
	queued := make([]bool, len(m.All))
	for len(names) > 0 {
		chunk := names[:min(64, len(names))]
		names = names[len(chunk):]
		clear(assigns)
		for bit, n := range chunk {
			for _, a := range v.assigners[n] {
				assigns[a.Index] |= 1 << bit
			}
		}
		flowMasks(m, order, assigns, vis, queued)
		for bit, n := range chunk {
			for _, qi := range pending[n] {
				out[qi] = vis[qs[qi].st.Index]&(1<<bit) != 0
			}
		}
	}
	return out
}

// flowOrder lists the states of each scope (in Machine.Scopes order) in reverse postorder of a
// depth-first walk from StartAt, then the states it does not reach: on a graph without loops every
// state comes after the states that lead to it, so one pass carries every mask to its end.
func flowOrder(m *asl.Machine) [][]*asl.State {
	out := make([][]*asl.State, len(m.Scopes))
	done := make([]bool, len(m.All))
	for si, sc := range m.Scopes {
		var post []*asl.State
		type frame struct {
			st   *asl.State
			next int
		}
		visit := func(root *asl.State) {
			if done[root.Index] {
				return
			}
			done[root.Index] = true
			stack := []frame{{root, 0}}
			for len(stack) > 0 {
				f := &stack[len(stack)-1]
				if nexts := f.st.Next(); f.next < len(nexts) {
					n := nexts[f.next]
					f.next++
					if !done[n.Index] {
						done[n.Index] = true
						stack = append(stack, frame{n, 0})
					}
					continue
				}
				post = append(post, f.st)
				stack = stack[:len(stack)-1]
			}
		}
		if start := sc.Start(); start != nil {
			visit(start)
		}
		for _, st := range sc.States {
			visit(st)
		}
		slices.Reverse(post)
		out[si] = post
	}
	return out
}

// flowMasks sets vis[s] to the bits of assigns visible before state s: those of its enclosing
// Parallel/Map state, and those of the states that reach s in its scope (a worklist in flow order;
// a state is queued again only when its mask grows, at most 64 times).
func flowMasks(m *asl.Machine, order [][]*asl.State, assigns, vis []uint64, queued []bool) {
	var queue []*asl.State
	for si, sc := range m.Scopes { // parents before the scopes nested in them
		var inherited uint64
		if sc.Parent != nil {
			inherited = vis[sc.Parent.Index]
		}
		for _, s := range sc.States {
			vis[s.Index] = inherited
			queued[s.Index] = true
		}
		queue = append(queue[:0], order[si]...)
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			queued[s.Index] = false
			flow := vis[s.Index] | assigns[s.Index]
			for _, next := range s.Next() {
				if flow&^vis[next.Index] != 0 {
					vis[next.Index] |= flow
					if !queued[next.Index] {
						queued[next.Index] = true
						queue = append(queue, next)
					}
				}
			}
		}
	}
}
