package jsonata

import (
	"strings"
)

// Ref is a field/path reference at the top level of an expression.
type Ref struct {
	// Name is the reference as AWS prints it in "Reference to 'phone' at the
	// top level is not supported.": a field name, "$" (the context item),
	// "$$" (the root), or "*" / "**" for a leading wildcard.
	Name string
	// Offset is the byte offset of the reference in the expression (best effort).
	Offset int
}

// VarRef is a reference to a free variable ($name).
type VarRef struct {
	// Name is the variable name without the leading "$" ("states", "x").
	Name string
	// Field is the first field accessed on $states ("input", "context",
	// "result", "errorOutput", or whatever was written); empty for other
	// variables and for a bare "$states".
	Field string
	// Offset is the byte offset of the "$" in the expression (best effort).
	Offset int
}

// FuncRef is a call of a named function ($name(...)) that is not bound inside
// the expression.
type FuncRef struct {
	// Name is the function name without the leading "$".
	Name string
	// Offset is the byte offset of the "$" in the expression (best effort).
	Offset int
}

// TopLevelReferences returns the field/path references evaluated against the
// context item at the top level of the expression, one per distinct name in
// source order. Step Functions evaluates JSONata with no context item and
// refuses such references at create time with UNSUPPORTED_JSONATA_EXPRESSION
// "Reference to 'phone' at the top level is not supported."
//
// A reference is top level when the context item it reads is the root one:
// the first step of a path (`phone`, `$.a` → "$", `phone.number`), operands,
// function arguments, array items, object-constructor values (`{'a': b}` →
// "b"), block statements and lambda bodies (a lambda captures the context of
// its definition). Steps after the first ($states.input.a), predicates
// (items[price > 3]), sort terms, group-by objects ($x{a: b}) and transform
// patterns are relative to a value and are not reported. "$$" always denotes
// the root and is reported wherever it appears.
func (e *Expr) TopLevelReferences() []Ref {
	a := e.analyze()
	return a.refs
}

// Variables returns the free variables of the expression, one per distinct
// (Name, Field) in source order: every $name that is not bound by ":=" earlier
// in an enclosing block, not a lambda parameter and not a built-in function.
// For $states the accessed field is reported in Field.
func (e *Expr) Variables() []VarRef {
	a := e.analyze()
	return a.vars
}

// FunctionCalls returns the named functions called by the expression ($f(...)
// or partial application $f(?, 1)), one per distinct name in source order,
// excluding functions bound inside the expression ($f := function(){...}).
// Use KnownFunction to flag unknown ones.
func (e *Expr) FunctionCalls() []FuncRef {
	a := e.analyze()
	return a.funcs
}

type analysis struct {
	src   string
	refs  []Ref
	vars  []VarRef
	funcs []FuncRef
	seen  map[string]bool
}

// scope is a chain of variable frames (blocks and lambdas).
type scope struct {
	names  map[string]bool
	parent *scope
}

func (s *scope) bound(name string) bool {
	for ; s != nil; s = s.parent {
		if s.names[name] {
			return true
		}
	}
	return false
}

func (s *scope) child() *scope { return &scope{names: map[string]bool{}, parent: s} }

func (e *Expr) analyze() *analysis {
	a := &analysis{src: e.Source, seen: map[string]bool{}}
	if e.Root != nil {
		a.walk(e.Root, true, (*scope)(nil).child())
	}
	return a
}

func (a *analysis) addRef(name string, off int) {
	if a.seen["r\x00"+name] {
		return
	}
	a.seen["r\x00"+name] = true
	a.refs = append(a.refs, Ref{Name: name, Offset: clampOffset(off, len(a.src))})
}

func (a *analysis) addVar(name, field string, off int) {
	key := "v\x00" + name + "\x00" + field
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	a.vars = append(a.vars, VarRef{Name: name, Field: field, Offset: clampOffset(off, len(a.src))})
}

func (a *analysis) addFunc(name string, off int) {
	if a.seen["f\x00"+name] {
		return
	}
	a.seen["f\x00"+name] = true
	a.funcs = append(a.funcs, FuncRef{Name: name, Offset: clampOffset(off, len(a.src))})
}

func clampOffset(off, n int) int {
	if off < 0 || off > n {
		return 0
	}
	return off
}

// varOffset returns the offset of the "$" of a variable.
func (a *analysis) varOffset(n *VariableNode) int { return n.Pos() }

// nameOffset returns the offset of a name (the opening backtick for an escaped name).
func (a *analysis) nameOffset(n *NameNode) int { return n.Pos() }

// variable handles a variable reference; top says whether the context item at
// this point is the root one.
func (a *analysis) variable(n *VariableNode, top bool, sc *scope, field string) {
	switch n.Name {
	case "":
		if top {
			a.addRef("$", a.varOffset(n))
		}
	case "$":
		a.addRef("$$", a.varOffset(n))
	default:
		if sc.bound(n.Name) || (isBuiltin(n.Name) && n.Name != "states") {
			return
		}
		a.addVar(n.Name, field, a.varOffset(n))
	}
}

// stepName returns the field name of a path step (unwrapping a predicate or
// sort: $states.input[0]).
func stepName(n Node) string {
	for {
		switch t := n.(type) {
		case *NameNode:
			return t.Value
		case *PredicateNode:
			n = t.Expr
		case *SortNode:
			n = t.Expr
		case *GroupNode:
			n = t.Expr
		default:
			return ""
		}
	}
}

func (a *analysis) walkAll(ns []Node, top bool, sc *scope) {
	for _, n := range ns {
		a.walk(n, top, sc)
	}
}

// walk visits n. top reports whether the context item is the root one.
func (a *analysis) walk(n Node, top bool, sc *scope) {
	switch t := n.(type) {
	case nil:
	case *StringNode, *NumberNode, *BooleanNode,
		*NullNode, *RegexNode, *PlaceholderNode:
	case *NameNode:
		if top {
			a.addRef(t.Value, a.nameOffset(t))
		}
	case *WildcardNode:
		if top {
			a.addRef("*", t.Pos())
		}
	case *DescendentNode:
		if top {
			a.addRef("**", t.Pos())
		}
	case *VariableNode:
		a.variable(t, top, sc, "")
	case *PathNode:
		if len(t.Steps) == 0 {
			return
		}
		if v, ok := t.Steps[0].(*VariableNode); ok && v.Name == "states" && len(t.Steps) > 1 {
			a.variable(v, top, sc, stepName(t.Steps[1]))
		} else {
			a.walk(t.Steps[0], top, sc)
		}
		a.walkAll(t.Steps[1:], false, sc)
	case *TuplePathNode:
		a.tuplePath(t, top, sc)
	case *ParentNode:
	case *PredicateNode:
		a.walk(t.Expr, top, sc)
		a.walkAll(t.Filters, false, sc)
	case *SortNode:
		a.walk(t.Expr, top, sc)
		for _, term := range t.Terms {
			a.walk(term.Expr, false, sc)
		}
	case *GroupNode:
		a.walk(t.Expr, top, sc)
		if t.ObjectNode != nil {
			for _, p := range t.ObjectNode.Pairs {
				a.walk(p[0], false, sc)
				a.walk(p[1], false, sc)
			}
		}
	case *ObjectNode:
		for _, p := range t.Pairs {
			a.walk(p[0], top, sc)
			a.walk(p[1], top, sc)
		}
	case *ArrayNode:
		a.walkAll(t.Items, top, sc)
	case *BlockNode:
		inner := sc.child()
		a.walkAll(t.Exprs, top, inner)
	case *AssignmentNode:
		a.walk(t.Value, top, sc)
		sc.names[t.Name] = true
	case *LambdaNode:
		a.lambda(t, top, sc)
	case *FunctionCallNode:
		a.call(t.Func, t.Args, top, sc)
	case *PartialNode:
		a.call(t.Func, t.Args, top, sc)
	case *FunctionApplicationNode:
		a.walk(t.LHS, top, sc)
		a.walk(t.RHS, top, sc)
	case *ConditionalNode:
		a.walk(t.If, top, sc)
		a.walk(t.Then, top, sc)
		a.walk(t.Else, top, sc)
	case *NegationNode:
		a.walk(t.RHS, top, sc)
	case *RangeNode:
		a.walk(t.LHS, top, sc)
		a.walk(t.RHS, top, sc)
	case *NumericOperatorNode:
		a.walk(t.LHS, top, sc)
		a.walk(t.RHS, top, sc)
	case *ComparisonOperatorNode:
		a.walk(t.LHS, top, sc)
		a.walk(t.RHS, top, sc)
	case *BooleanOperatorNode:
		a.walk(t.LHS, top, sc)
		a.walk(t.RHS, top, sc)
	case *StringConcatenationNode:
		a.walk(t.LHS, top, sc)
		a.walk(t.RHS, top, sc)
	case *ObjectTransformationNode:
		// |pattern|update,delete| is a function of the object it transforms.
		a.walk(t.Pattern, false, sc)
		a.walk(t.Updates, false, sc)
		a.walk(t.Deletes, false, sc)
	}
}

func (a *analysis) lambda(l *LambdaNode, top bool, sc *scope) {
	inner := sc.child()
	for _, p := range l.ParamNames {
		inner.names[strings.TrimPrefix(p, "$")] = true
	}
	a.walk(l.Body, top, inner)
}

func (a *analysis) call(fn Node, args []Node, top bool, sc *scope) {
	if v, ok := fn.(*VariableNode); ok && v.Name != "" && v.Name != "$" {
		if !sc.bound(v.Name) {
			a.addFunc(v.Name, a.varOffset(v))
		}
	} else {
		a.walk(fn, top, sc)
	}
	a.walkAll(args, top, sc)
}

// tuplePath walks a path with focus, index or parent bindings: the variables it binds (@$v, #$i)
// are bound for the steps after them.
func (a *analysis) tuplePath(t *TuplePathNode, top bool, sc *scope) {
	inner := sc.child()
	for i, st := range t.Steps {
		stepTop := top && i == 0
		if st.Expr != nil {
			if v, ok := st.Expr.(*VariableNode); ok && v.Name == "states" && i+1 < len(t.Steps) && t.Steps[i+1].Expr != nil {
				a.variable(v, stepTop, inner, stepName(t.Steps[i+1].Expr))
			} else {
				a.walk(st.Expr, stepTop, inner)
			}
		}
		for _, term := range st.Sort {
			a.walk(term.Expr, false, inner)
		}
		for _, name := range [...]string{st.Focus, st.Index} {
			if name != "" {
				inner.names[name] = true
			}
		}
		for _, s := range st.Stages {
			if s.Filter != nil {
				a.walk(s.Filter, false, inner)
			} else {
				inner.names[s.Index] = true
			}
		}
	}
	if t.Group != nil {
		for _, p := range t.Group.Pairs {
			a.walk(p[0], false, inner)
			a.walk(p[1], false, inner)
		}
	}
}
