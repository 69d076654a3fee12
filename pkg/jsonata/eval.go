package jsonata

// Evaluation of a parsed expression, as jsonata-js (the engine AWS Step Functions runs) evaluates it.
//
// The evaluator walks the tree that Parse built (an expression is parsed once, by pkg/asl, and
// evaluated any number of times, concurrently). Values are plain Go JSON values: nil (null), bool,
// string, float64 or json.Number (numbers), *value.Object (members in insertion order, as jsonata-js
// keeps them), []any; functions are *lambda, *builtin,
// *partial, ... values that only live during an evaluation. Undefined (JSONata's "no value") is the
// Undefined sentinel.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

type undefinedType struct{}

// Undefined is the result of an expression that evaluates to nothing.
var Undefined any = &undefinedType{}

// IsUndefined reports whether v is Undefined.
func IsUndefined(v any) bool { return v == Undefined }

// Env is what an evaluation sees besides the expression: its free variables and the sources of
// $now/$millis, $random and $uuid.
type Env struct {
	// Var returns the value of a free variable ($states, an Assign variable); ok=false for an
	// unbound one (which evaluates to undefined).
	Var func(name string) (v any, ok bool)
	// Member, when set, returns one member of a free variable without the variable itself
	// ($states.input without building $states); ok=false sends the lookup to Var.
	Member func(variable, name string) (v any, ok bool)
	// Vars, when Var is nil, supplies the free variables and their members as Var and Member do
	// (an implementation needs no closure per evaluation context).
	Vars Variables
	// Now is the time $now() and $millis() return (zero: time.Now at the start of Eval).
	Now time.Time
	// Random returns a number in [0, 1) for an unseeded $random() (nil: math/rand).
	Random func() float64
	// UUID returns a v4 UUID for $uuid() (nil: crypto/rand).
	UUID func() string
	// Context, when done, stops the evaluation (nil: never).
	Context context.Context
	// Limits bound the evaluation (nil: DefaultLimits).
	Limits *Limits
}

// Variables supplies an evaluation's free variables (Env.Vars).
type Variables interface {
	// Var returns the value of a free variable; ok=false for an unbound one.
	Var(name string) (v any, ok bool)
	// Member returns one member of a free variable without the variable itself; ok=false sends
	// the lookup to Var.
	Member(variable, name string) (v any, ok bool)
}

// variable looks a free variable up through Var, else Vars.
func (env *Env) variable(name string) (any, bool) {
	switch {
	case env.Var != nil:
		return env.Var(name)
	case env.Vars != nil:
		return env.Vars.Var(name)
	}
	return nil, false
}

// member looks one member of a free variable up through Member, else Vars.
func (env *Env) member(variable, name string) (any, bool) {
	switch {
	case env.Member != nil:
		return env.Member(variable, name)
	case env.Var == nil && env.Vars != nil:
		return env.Vars.Member(variable, name)
	}
	return nil, false
}

// EvalError is a JSONata run-time error: jsonata-js's code (T1006, D3001, ...) and message.
type EvalError struct {
	Code    string
	Message string
	// Offset is the byte offset in the expression, when known (best effort).
	Offset int
}

// Error returns "<code>: <message>", as AWS quotes it in a States.QueryEvaluationError cause.
func (e *EvalError) Error() string { return e.Code + ": " + e.Message }

func evalErr(code, format string, args ...any) *EvalError {
	return &EvalError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// token quotes an operator or value as jsonata-js's messages do (JSON.stringify).
func token(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Eval evaluates the expression without a context item (as Step Functions does: data arrives through
// variables). The result is a JSON value, a function value, or Undefined. Numbers computed by the
// expression are float64; numbers taken from variables keep their type.
func (e *Expr) Eval(env *Env) (result any, err error) {
	return e.EvalInput(Undefined, env)
}

// EvalInput evaluates the expression with input as its context item ("$" and "$$"), as jsonata-js
// evaluates an expression against a document; Undefined means no context item (as Eval).
func (e *Expr) EvalInput(input any, env *Env) (result any, err error) {
	if env == nil {
		env = &Env{}
	}
	if e.simple != nil {
		if v, ok := e.simple.eval(env); ok {
			return v, nil
		}
	}
	// The evaluator and its budget come from a pool: an expression is evaluated once per field per
	// state, so this is on every transition's path. They go back unless the result holds a
	// function (a lambda keeps its evaluator).
	st := evalStates.Get().(*evalState)
	st.b = makeBudget(env, time.Time{})
	st.ev = evaluator{env: env, now: env.Now, root: input, budget: &st.b}
	ev := &st.ev
	if ev.now.IsZero() {
		ev.now = time.Now()
	}
	reuse := false
	defer func() {
		if r := recover(); r != nil {
			if ee, ok := r.(*EvalError); ok {
				result, err = nil, ee
				return
			}
			result, err = nil, evalErr("S0500", "internal evaluation error: %v", r)
			return
		}
		if reuse {
			*st = evalState{}
			evalStates.Put(st)
		}
	}()
	v, err := ev.eval(e.Root, input, nil)
	if err != nil {
		return nil, err
	}
	v = finish(v)
	reuse = !ev.checkResult(v)
	return v, nil
}

// evalState is an evaluator with its budget, pooled across evaluations.
type evalState struct {
	ev evaluator
	b  budget
}

var evalStates = sync.Pool{New: func() any { return new(evalState) }}

// finish turns a sequence into an array and drops internal wrappers.
func finish(v any) any {
	switch t := v.(type) {
	case *sequence:
		return t.value()
	case *tupleStream:
		return t.values().value()
	}
	return v
}

type evaluator struct {
	env  *Env
	now  time.Time
	root any // the context item of the whole expression ("$$")
	*budget
}

// frame is a frame of variables bound inside the expression (blocks, lambdas, :=).
type frame struct {
	vars   map[string]any
	parent *frame
}

func (s *frame) lookup(name string) (any, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func (ev *evaluator) lookup(name string, sc *frame) any {
	if v, ok := sc.lookup(name); ok {
		return v
	}
	if v, ok := ev.env.variable(name); ok {
		return v
	}
	if f, ok := builtinFuncs[name]; ok {
		return f
	}
	return Undefined
}

// sequence is jsonata-js's result sequence: a flat list of values produced by a path.
type sequence struct {
	items          []any
	keepSingletons bool
}

func (s *sequence) value() any {
	switch {
	case len(s.items) == 0:
		return Undefined
	case len(s.items) == 1 && !s.keepSingletons:
		return s.items[0]
	}
	return s.items
}

// asArray returns v as a list: arrays and sequences as they are, undefined as empty, others wrapped.
func asArray(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case *sequence:
		return t.items
	}
	if v == Undefined {
		return nil
	}
	return []any{v}
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, *sequence:
		return true
	}
	return false
}

func (ev *evaluator) eval(n Node, input any, sc *frame) (any, error) {
	v, err := ev.eval1(n, input, sc)
	if err != nil {
		return nil, err
	}
	if s, ok := v.(*sequence); ok {
		return s.value(), nil
	}
	return v, nil
}

// eval1 evaluates n, counting the step against the evaluation's depth and time limits.
func (ev *evaluator) eval1(n Node, input any, sc *frame) (any, error) {
	ev.enter()
	v, err := ev.node(n, input, sc)
	ev.leave()
	return v, err
}

// node evaluates n (through eval1 only): a dispatch on the kind of node.
func (ev *evaluator) node(n Node, input any, sc *frame) (any, error) {
	switch t := n.(type) {
	case *StringNode:
		return t.Value, nil
	case *NumberNode:
		return t.Value, nil
	case *BooleanNode:
		return t.Value, nil
	case *NullNode:
		return nil, nil
	case *RegexNode:
		return &regexFn{re: t.Value}, nil
	case *VariableNode:
		return ev.variable(t, input, sc), nil
	case *NameNode:
		return ev.field(input, t.Value), nil
	case *PathNode:
		return ev.path(t, input, sc)
	case *NegationNode:
		return ev.negation(t, input, sc)
	case *RangeNode:
		return ev.rangeOp(t, input, sc)
	case *ArrayNode:
		return ev.array(t, input, sc)
	case *ObjectNode:
		return ev.object(t, input, sc)
	case *BlockNode:
		return ev.block(t, input, sc)
	case *ConditionalNode:
		return ev.conditional(t, input, sc)
	case *AssignmentNode:
		return ev.assignment(t, input, sc)
	case *WildcardNode:
		return ev.wildcard(input), nil
	case *DescendentNode:
		seq := &sequence{}
		ev.descendents(input, seq)
		return seq, nil
	case *GroupNode:
		items, err := ev.eval(t.Expr, input, sc)
		if err != nil {
			return nil, err
		}
		return ev.groupBy(t.ObjectNode, items, sc)
	case *PredicateNode:
		return ev.predicate(t, input, sc)
	case *TuplePathNode:
		return ev.tuplePath(t, input, sc)
	case *ParentNode:
		return ev.lookup(t.Label, sc), nil
	case *SortNode:
		return ev.sortOp(t, input, sc)
	case *LambdaNode:
		return &lambda{sig: lambdaSignature(t), params: t.ParamNames, body: t.Body, input: input, sc: sc, ev: ev}, nil
	case *ObjectTransformationNode:
		return &transform{node: t, sc: sc, ev: ev}, nil
	case *PartialNode:
		return ev.partialApplication(t, input, sc)
	case *FunctionCallNode:
		return ev.call(t, nil, input, sc)
	case *FunctionApplicationNode:
		return ev.apply(t, input, sc)
	case *NumericOperatorNode:
		return ev.numeric(t, input, sc)
	case *ComparisonOperatorNode:
		return ev.comparison(t, input, sc)
	case *BooleanOperatorNode:
		return ev.boolean(t, input, sc)
	case *StringConcatenationNode:
		return ev.concatenation(t, input, sc)
	case *PlaceholderNode:
		return Undefined, nil
	}
	return nil, evalErr("S0500", "unsupported expression node %T", n)
}

// variable reads $ (the context item), $$ (the root) or a bound variable.
func (ev *evaluator) variable(t *VariableNode, input any, sc *frame) any {
	switch t.Name {
	case "":
		return input
	case "$":
		return ev.root
	}
	return ev.lookup(t.Name, sc)
}

// negation is unary minus.
func (ev *evaluator) negation(t *NegationNode, input any, sc *frame) (any, error) {
	v, err := ev.eval(t.RHS, input, sc)
	if err != nil || v == Undefined {
		return Undefined, err
	}
	f, ok := toNumber(v)
	if !ok {
		return nil, evalErr("D1002", "Cannot negate a non-numeric value: %s", ev.jsonText(v))
	}
	return -f, nil
}

// block evaluates ( a; b; c ) in a frame of its own; its value is the last expression's.
func (ev *evaluator) block(t *BlockNode, input any, sc *frame) (any, error) {
	inner := &frame{vars: map[string]any{}, parent: sc}
	var res any = Undefined
	for _, x := range t.Exprs {
		v, err := ev.eval(x, input, inner)
		if err != nil {
			return nil, err
		}
		res = v
	}
	return res, nil
}

// conditional is c ? a : b.
func (ev *evaluator) conditional(t *ConditionalNode, input any, sc *frame) (any, error) {
	c, err := ev.eval(t.If, input, sc)
	if err != nil {
		return nil, err
	}
	if ev.truthy(c) {
		return ev.eval(t.Then, input, sc)
	}
	if t.Else != nil {
		return ev.eval(t.Else, input, sc)
	}
	return Undefined, nil
}

// assignment is $name := value, bound in the enclosing block's frame.
func (ev *evaluator) assignment(t *AssignmentNode, input any, sc *frame) (any, error) {
	v, err := ev.eval(t.Value, input, sc)
	if err != nil {
		return nil, err
	}
	if sc == nil {
		// a top-level ":=": bind in a frame of its own (nothing can read it afterwards).
		return v, nil
	}
	sc.vars[t.Name] = v
	return v, nil
}

// wildcard is *: the values of an object's members (arrays among them flattened), or an array's
// items.
func (ev *evaluator) wildcard(input any) any {
	seq := &sequence{}
	if isArray(input) { // an array's values are its items (JavaScript's Object.keys)
		seq.items = ev.flatten(asArray(input), nil)
		return seq
	}
	ev.walkValues(input, func(v any) {
		if isArray(v) {
			seq.items = ev.flatten(asArray(v), seq.items)
		} else {
			ev.alloc(1)
			seq.items = append(seq.items, v)
		}
	})
	return seq
}

// partialApplication is $f(a, ?, c): a function of the arguments left as holes.
func (ev *evaluator) partialApplication(t *PartialNode, input any, sc *frame) (any, error) {
	f, err := ev.eval(t.Func, input, sc)
	if err != nil {
		return nil, err
	}
	if !isFunction(f) {
		return nil, evalErr("T1008", "Attempted to partially apply a non-function")
	}
	p := &partial{fn: f, args: make([]any, len(t.Args)), holes: make([]bool, len(t.Args))}
	for i, a := range t.Args {
		if _, ok := a.(*PlaceholderNode); ok {
			p.holes[i] = true
			continue
		}
		v, err := ev.eval(a, input, sc)
		if err != nil {
			return nil, err
		}
		p.args[i] = v
	}
	return p, nil
}

// boolean is and / or, which evaluate their right side only when the left does not decide.
func (ev *evaluator) boolean(t *BooleanOperatorNode, input any, sc *frame) (any, error) {
	l, err := ev.eval(t.LHS, input, sc)
	if err != nil {
		return nil, err
	}
	if t.Type == BooleanAnd && !ev.truthy(l) {
		return false, nil
	}
	if t.Type == BooleanOr && ev.truthy(l) {
		return true, nil
	}
	r, err := ev.eval(t.RHS, input, sc)
	if err != nil {
		return nil, err
	}
	return ev.truthy(r), nil
}

// concatenation is a & b, each side cast to a string as $string does. A chain a & b & c is
// written into one buffer, left to right, as the nested operators would evaluate it.
func (ev *evaluator) concatenation(t *StringConcatenationNode, input any, sc *frame) (any, error) {
	var operands [8]Node
	parts := operands[:0]
	n := Node(t)
	for {
		c, ok := n.(*StringConcatenationNode)
		if !ok || len(parts) == len(operands)-1 {
			parts = append(parts, n)
			break
		}
		parts = append(parts, c.RHS)
		n = c.LHS
	}
	// The nested operators evaluate both sides of the innermost a & b before either is cast,
	// then each further operand before it is cast: the same order here, so errors are the same.
	last := len(parts) - 1
	l, err := ev.eval(parts[last], input, sc)
	if err != nil {
		return nil, err
	}
	var buf [64]byte
	b := buf[:0]
	for i := last - 1; i >= 0; i-- {
		r, err := ev.eval(parts[i], input, sc)
		if err != nil {
			return nil, err
		}
		if i == last-1 {
			ls, err := ev.concatString(l)
			if err != nil {
				return nil, err
			}
			b = append(b, ls...)
		}
		rs, err := ev.concatString(r)
		if err != nil {
			return nil, err
		}
		ev.str(len(b) + len(rs))
		b = append(b, rs...)
	}
	return string(b), nil
}

func (b *budget) concatString(v any) (string, error) {
	if v == Undefined {
		return "", nil
	}
	return b.stringify(v)
}

// field returns obj.name; over an array it maps (a sequence).
func (b *budget) field(v any, name string) any {
	switch t := v.(type) {
	case *value.Object:
		if x, ok := t.Get(name); ok {
			return x
		}
		return Undefined
	case []any, *sequence:
		b.enter()
		defer b.leave()
		seq := &sequence{}
		for _, it := range asArray(v) {
			x := b.field(it, name)
			if x == Undefined {
				continue
			}
			if s, ok := x.(*sequence); ok {
				b.alloc(len(s.items))
				seq.items = append(seq.items, s.items...)
				continue
			}
			if a, ok := x.([]any); ok {
				b.alloc(len(a))
				seq.items = append(seq.items, a...)
				continue
			}
			b.alloc(1)
			seq.items = append(seq.items, x)
		}
		return seq
	}
	return Undefined
}

func (ev *evaluator) path(n *PathNode, input any, sc *frame) (any, error) {
	if len(n.Steps) == 0 {
		return Undefined, nil
	}
	// The first step sees the context item whole, even an array (jsonata-js 2.0: "phone[0]" over
	// an array of objects is the first phone of all, not the first of each).
	var cur any
	last := len(n.Steps) - 1
	first := 0
	if v, ok := ev.variableMember(n, sc); ok { // $states.input...: its first two steps at once
		if v == Undefined {
			return Undefined, nil
		}
		ev.alloc(1)
		cur, first = v, 2
		switch v.(type) {
		case *sequence, []any:
			var err error
			if cur, err = ev.collectStep(n.Steps[1], []any{v}, last == 1); err != nil {
				return nil, err
			}
		}
	}
	for i := first; i < len(n.Steps); i++ {
		step := n.Steps[i]
		var err error
		switch a, cons := step.(*ArrayNode); {
		case i == 0 && cons:
			cur, err = ev.eval1(a, []any{input}, sc)
		case i == 0:
			cur, err = ev.stepOne(step, input, sc, i == last)
		default:
			cur, err = ev.step(step, cur, sc, i == last)
		}
		if err != nil {
			return nil, err
		}
		if cur == Undefined {
			return Undefined, nil
		}
	}
	if n.KeepArrays {
		if _, cons := n.Steps[last].(*ArrayNode); cons {
			if a, ok := cur.([]any); ok { // one array built by the constructor: an item, kept whole
				return &sequence{items: []any{a}, keepSingletons: true}, nil
			}
		}
		switch t := cur.(type) {
		case *sequence:
			t.keepSingletons = true
			return t, nil
		case []any:
			return &sequence{items: t, keepSingletons: true}, nil
		default:
			return &sequence{items: []any{t}, keepSingletons: true}, nil
		}
	}
	return cur, nil
}

// variableMember reads the first two steps of a path $name.member through Env.Member, when the
// environment offers it and no frame binds $name: the member without the variable built whole.
// ok is false when the path does not start so or the environment does not answer.
func (ev *evaluator) variableMember(n *PathNode, sc *frame) (any, bool) {
	if len(n.Steps) < 2 {
		return nil, false
	}
	v, ok := n.Steps[0].(*VariableNode)
	if !ok || v.Name == "" || v.Name == "$" {
		return nil, false
	}
	name, ok := n.Steps[1].(*NameNode)
	if !ok {
		return nil, false
	}
	if _, bound := sc.lookup(v.Name); bound {
		return nil, false
	}
	return ev.env.member(v.Name, name.Value)
}

func (ev *evaluator) step(step Node, data any, sc *frame, lastStep bool) (any, error) {
	items := asArray(data)
	if len(items) == 1 {
		return ev.stepOne(step, items[0], sc, lastStep)
	}
	results := make([]any, 0, len(items))
	for _, it := range items {
		v, err := ev.stepItem(step, it, sc)
		if err != nil {
			return nil, err
		}
		if v != Undefined {
			ev.alloc(1)
			results = append(results, v)
		}
	}
	return ev.collectStep(step, results, lastStep)
}

// stepOne is a step over one item, the common case ($states.input.order.id): a step that gives
// one plain value (neither an array nor a sequence) passes it on as it is, without building a
// sequence of one that the next step or the path's end would unwrap again.
func (ev *evaluator) stepOne(step Node, item any, sc *frame, lastStep bool) (any, error) {
	v, err := ev.stepItem(step, item, sc)
	if err != nil || v == Undefined {
		return v, err
	}
	ev.alloc(1)
	switch v.(type) {
	case *sequence, []any:
		return ev.collectStep(step, []any{v}, lastStep)
	}
	return v, nil
}

// stepItem evaluates a step over one item; a sequence it gives is unwrapped (a singleton to
// its item) unless it keeps its singletons.
func (ev *evaluator) stepItem(step Node, item any, sc *frame) (any, error) {
	v, err := ev.eval1(step, item, sc)
	if err != nil {
		return nil, err
	}
	if s, ok := v.(*sequence); ok {
		v = s.value()
		if sv, ok := v.([]any); ok && s.keepSingletons {
			v = &sequence{items: sv, keepSingletons: true}
		}
	}
	return v, nil
}

// collectStep flattens the results of a step over each item into the step's sequence, as
// jsonata-js's evaluateStep does.
func (ev *evaluator) collectStep(step Node, results []any, lastStep bool) (any, error) {
	if lastStep && len(results) == 1 {
		if a, ok := results[0].([]any); ok {
			return a, nil
		}
	}
	_, isCons := step.(*ArrayNode)
	seq := &sequence{items: make([]any, 0, len(results))}
	for _, v := range results {
		if s, ok := v.(*sequence); ok {
			ev.alloc(len(s.items))
			seq.keepSingletons = seq.keepSingletons || s.keepSingletons
			seq.items = append(seq.items, s.items...)
			continue
		}
		if a, ok := v.([]any); ok && !isCons {
			ev.alloc(len(a))
			seq.items = append(seq.items, a...)
			continue
		}
		seq.items = append(seq.items, v)
	}
	if len(seq.items) == 0 {
		return Undefined, nil
	}
	return seq, nil
}

func (ev *evaluator) rangeOp(n *RangeNode, input any, sc *frame) (any, error) {
	l, r, err := ev.evalOperands(n.LHS, n.RHS, input, sc)
	if err != nil {
		return nil, err
	}
	lf, lok := toNumber(l)
	if l != Undefined && (!lok || lf != math.Trunc(lf)) {
		return nil, evalErr("T2003", "The left side of the range operator (..) must evaluate to an integer")
	}
	rf, rok := toNumber(r)
	if r != Undefined && (!rok || rf != math.Trunc(rf)) {
		return nil, evalErr("T2004", "The right side of the range operator (..) must evaluate to an integer")
	}
	if l == Undefined || r == Undefined || lf > rf {
		return []any{}, nil
	}
	size := rf - lf + 1
	if size > 1e7 {
		return nil, evalErr("D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate %s.", formatNumber(size))
	}
	ev.alloc(int(size))
	out := make([]any, int(size))
	for i := range out {
		out[i] = lf + float64(i)
	}
	return out, nil
}

// isRange reports whether n is a range operator (whose value is a new array nothing else holds).
func isRange(n Node) bool {
	_, ok := n.(*RangeNode)
	return ok
}

func (ev *evaluator) array(n *ArrayNode, input any, sc *frame) (any, error) {
	out := make([]any, 0, len(n.Items))
	for _, it := range n.Items {
		v, err := ev.eval(it, input, sc)
		if err != nil {
			return nil, err
		}
		if v == Undefined {
			continue
		}
		if a, ok := v.([]any); ok && len(out) == 0 && isRange(it) {
			out = a // a fresh sequence (already counted): [1..n] is not copied
			continue
		}
		if _, cons := it.(*ArrayNode); cons {
			ev.alloc(1)
			out = append(out, v)
			continue
		}
		if a, ok := v.([]any); ok {
			ev.alloc(len(a))
			out = append(out, a...)
			continue
		}
		ev.alloc(1)
		out = append(out, v)
	}
	return out, nil
}

func (ev *evaluator) object(n *ObjectNode, input any, sc *frame) (any, error) {
	// An object constructor on its own evaluates each pair once against the context.
	ev.alloc(len(n.Pairs))
	out := value.NewObject(len(n.Pairs))
	undefined := false
	for _, p := range n.Pairs {
		k, err := ev.eval(p[0], input, sc)
		if err != nil {
			return nil, err
		}
		ks, ok := k.(string)
		if !ok {
			return nil, evalErr("T1003", "Key in object structure must evaluate to a string; got: %s", ev.jsonText(k))
		}
		if out.Has(ks) {
			return nil, evalErr("D1009", "Multiple key definitions evaluate to same key: %s", token(ks))
		}
		v, err := ev.eval(p[1], input, sc)
		if err != nil {
			return nil, err
		}
		out.Set(ks, v) // an Undefined value keeps the key taken; dropped below
		undefined = undefined || v == Undefined
	}
	if undefined {
		kept := value.NewObject(out.Len())
		for _, m := range out.Members() {
			if m.Value != Undefined {
				kept.Set(m.Key, m.Value)
			}
		}
		out = kept
	}
	return out, nil
}

// groupBy evaluates expr{k: v}: items are grouped by key and v is evaluated over each group.
func (ev *evaluator) groupBy(obj *ObjectNode, items any, sc *frame) (any, error) {
	list := asArray(items)
	if items == Undefined {
		list = []any{Undefined}
	}
	order, groups, err := ev.keyGroups(obj, len(list), func(i int) (any, *frame) { return list[i], sc })
	if err != nil {
		return nil, err
	}
	out := value.NewObject(len(groups))
	for _, k := range order {
		g := groups[k]
		var ctx any = list[g.members[0]]
		if len(g.members) > 1 {
			items := make([]any, len(g.members))
			for j, m := range g.members {
				items[j] = list[m]
			}
			ctx = items
		}
		v, err := ev.eval(obj.Pairs[g.pair][1], ctx, sc)
		if err != nil {
			return nil, err
		}
		if v != Undefined {
			out.Set(k, v)
		}
	}
	return out, nil
}

// keyGroup is one group of a group-by: the pair whose key named it and the items in it.
type keyGroup struct {
	pair    int
	members []int
}

// keyGroups evaluates every pair's key of a group-by over each of n items (item i's context and
// frame given by at) and groups the items by key, keys in first-seen order, as jsonata-js does:
// a key that is not a string is T1003, two pairs giving one key D1009.
func (ev *evaluator) keyGroups(obj *ObjectNode, n int, at func(i int) (any, *frame)) ([]string, map[string]*keyGroup, error) {
	groups := map[string]*keyGroup{}
	var order []string
	for i := range n {
		ctx, f := at(i)
		for pi, p := range obj.Pairs {
			k, err := ev.eval(p[0], ctx, f)
			if err != nil {
				return nil, nil, err
			}
			if k == Undefined {
				continue
			}
			ks, ok := k.(string)
			if !ok {
				return nil, nil, evalErr("T1003", "Key in object structure must evaluate to a string; got: %s", ev.jsonText(k))
			}
			g := groups[ks]
			if g == nil {
				g = &keyGroup{pair: pi}
				groups[ks] = g
				order = append(order, ks)
			} else if g.pair != pi {
				return nil, nil, evalErr("D1009", "Multiple key definitions evaluate to same key: %s", token(ks))
			}
			ev.alloc(1)
			g.members = append(g.members, i)
		}
	}
	return order, groups, nil
}

func (ev *evaluator) predicate(n *PredicateNode, input any, sc *frame) (any, error) {
	v, err := ev.eval1(n.Expr, input, sc)
	if err != nil {
		return nil, err
	}
	if ts, ok := v.(*tupleStream); ok { // a block a parent operator reaches into: filter its tuples
		for _, f := range n.Filters {
			if ts.tuples, err = ev.filterTuples(f, ts.tuples, sc); err != nil {
				return nil, err
			}
		}
		return ts, nil
	}
	keep := false
	if s, ok := v.(*sequence); ok {
		keep = s.keepSingletons
		v = s.value()
	}
	if v == Undefined {
		return Undefined, nil
	}
	items := asArray(v)
	for _, f := range n.Filters {
		items, err = ev.filter(f, items, sc)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return Undefined, nil
		}
	}
	return &sequence{items: items, keepSingletons: keep}, nil
}

func (ev *evaluator) filter(f Node, items []any, sc *frame) ([]any, error) {
	if num, ok := f.(*NumberNode); ok {
		i := int(math.Floor(num.Value))
		if i < 0 {
			i += len(items)
		}
		if i >= 0 && i < len(items) {
			return []any{items[i]}, nil
		}
		return nil, nil
	}
	var out []any
	for i, it := range items {
		r, err := ev.eval(f, it, sc)
		if err != nil {
			return nil, err
		}
		if _, isNum := toNumber(r); isNum && !isBoolean(r) {
			r = []any{r}
		}
		if arr, ok := r.([]any); ok && len(arr) > 0 && allNumbers(arr) {
			for _, x := range arr {
				n, _ := toNumber(x)
				idx := int(math.Floor(n))
				if idx < 0 {
					idx += len(items)
				}
				if idx == i {
					out = append(out, it)
					break
				}
			}
			continue
		}
		if ev.truthy(r) {
			out = append(out, it)
		}
	}
	return out, nil
}

func isBoolean(v any) bool { _, ok := v.(bool); return ok }

func allNumbers(a []any) bool {
	for _, x := range a {
		if _, ok := toNumber(x); !ok {
			return false
		}
	}
	return true
}

func (ev *evaluator) sortOp(n *SortNode, input any, sc *frame) (any, error) {
	v, err := ev.eval(n.Expr, input, sc)
	if err != nil || v == Undefined {
		return Undefined, err
	}
	items := asArray(v)
	idx, err := ev.sortOrder(len(items), n.Terms, func(i int) (any, *frame) { return items[i], sc })
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, k := range idx {
		out[i] = items[k]
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

// sortOrder returns the order of n items under an order-by clause's terms (a stable sort, as
// jsonata-js's merge sort); item(i) gives the context and the frame a term is evaluated in.
func (ev *evaluator) sortOrder(n int, terms []SortTerm, item func(i int) (any, *frame)) ([]int, error) {
	keys := make([][]any, n)
	for i := range keys {
		ctx, sc := item(i)
		keys[i] = make([]any, len(terms))
		for j, term := range terms {
			k, err := ev.eval(term.Expr, ctx, sc)
			if err != nil {
				return nil, err
			}
			keys[i][j] = k
		}
	}
	for j := range terms {
		isNum, isStr := false, false
		for i := range keys {
			switch k := keys[i][j]; {
			case k == Undefined:
			case isNumber(k):
				isNum = true
			default:
				if _, ok := k.(string); ok {
					isStr = true
				} else {
					return nil, evalErr("T2008", "The expressions within an order-by clause must evaluate to numeric or string values")
				}
			}
		}
		if isNum && isStr {
			return nil, evalErr("T2007", "Type mismatch when comparing values in order-by clause")
		}
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		for j, term := range terms {
			ka, kb := keys[idx[a]][j], keys[idx[b]][j]
			switch {
			case ka == Undefined && kb == Undefined:
				continue
			case ka == Undefined:
				return false
			case kb == Undefined:
				return true
			}
			c := compareValues(ka, kb)
			if c == 0 {
				continue
			}
			if term.Dir == SortDescending {
				return c > 0
			}
			return c < 0
		}
		return false
	})
	return idx, nil
}

func compareValues(a, b any) int {
	if x, ok := toNumber(a); ok {
		y, _ := toNumber(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(a.(string), b.(string))
}

func (ev *evaluator) numeric(n *NumericOperatorNode, input any, sc *frame) (any, error) {
	l, r, err := ev.evalOperands(n.LHS, n.RHS, input, sc)
	if err != nil {
		return nil, err
	}
	op := n.Type.String()
	lf, lok := toNumber(l)
	if lok && math.IsInf(lf, 0) { // an infinity from a division reaches an operator (jsonata-js's isNumeric)
		return nil, evalErr("D1001", "Number out of range: %s", "null")
	}
	if l != Undefined && !lok {
		return nil, evalErr("T2001", "The left side of the %s operator must evaluate to a number", token(op))
	}
	rf, rok := toNumber(r)
	if rok && math.IsInf(rf, 0) {
		return nil, evalErr("D1001", "Number out of range: %s", "null")
	}
	if r != Undefined && !rok {
		return nil, evalErr("T2002", "The right side of the %s operator must evaluate to a number", token(op))
	}
	if l == Undefined || r == Undefined {
		return Undefined, nil
	}
	var x float64
	switch n.Type {
	case NumericAdd:
		x = lf + rf
	case NumericSubtract:
		x = lf - rf
	case NumericMultiply:
		x = lf * rf
	case NumericDivide:
		x = lf / rf
	case NumericModulo:
		x = math.Mod(lf, rf)
	}
	if math.IsNaN(x) {
		return nil, evalErr("D1001", "Number out of range: %s", "null")
	}
	return x, nil // an infinity is a value (1/0), as in jsonata-js, until an operator or a function reads it
}

func (ev *evaluator) comparison(n *ComparisonOperatorNode, input any, sc *frame) (any, error) {
	l, r, err := ev.evalOperands(n.LHS, n.RHS, input, sc)
	if err != nil {
		return nil, err
	}
	switch n.Type {
	case ComparisonEqual:
		if l == Undefined || r == Undefined {
			return false, nil
		}
		return ev.deepEqual(l, r), nil
	case ComparisonNotEqual:
		if l == Undefined || r == Undefined {
			return false, nil
		}
		return !ev.deepEqual(l, r), nil
	case ComparisonIn:
		if l == Undefined || r == Undefined {
			return false, nil
		}
		for _, x := range asArray(r) {
			if ev.deepEqual(l, x) {
				return true, nil
			}
		}
		return false, nil
	}
	op := n.Type.String()
	comparable := func(v any) bool {
		if v == Undefined || isNumber(v) {
			return true
		}
		_, ok := v.(string)
		return ok
	}
	if !comparable(l) || !comparable(r) {
		return nil, evalErr("T2010", "The expressions either side of operator %s must evaluate to numeric or string values", token(op))
	}
	if l == Undefined || r == Undefined {
		return Undefined, nil // jsonata-js: an ordering against nothing is undefined, not false
	}
	if isNumber(l) != isNumber(r) {
		return nil, evalErr("T2009", "The values %s and %s either side of operator %s must be of the same data type", ev.jsonText(l), ev.jsonText(r), token(op))
	}
	c := compareValues(l, r)
	switch n.Type {
	case ComparisonLess:
		return c < 0, nil
	case ComparisonLessEqual:
		return c <= 0, nil
	case ComparisonGreater:
		return c > 0, nil
	case ComparisonGreaterEqual:
		return c >= 0, nil
	}
	return false, nil
}

// call evaluates a function call; pre is an argument put first (the left side of "~>").
func (ev *evaluator) call(n *FunctionCallNode, pre []Node, input any, sc *frame) (any, error) {
	f, args, err := ev.callee(n, pre, input, sc)
	if err != nil {
		return nil, err
	}
	return ev.invoke(f, args, input)
}

// callee evaluates the function and the arguments of a call.
func (ev *evaluator) callee(n *FunctionCallNode, pre []Node, input any, sc *frame) (any, []any, error) {
	f, err := ev.eval(n.Func, input, sc)
	if err != nil {
		return nil, nil, err
	}
	if !isFunction(f) {
		if name := calledName(n.Func); isBuiltin(name) {
			return nil, nil, evalErr("T1005", "Attempted to invoke a non-function. Did you mean ${%s}?", name)
		}
		return nil, nil, evalErr("T1006", "Attempted to invoke a non-function")
	}
	args := make([]any, 0, len(pre)+len(n.Args))
	for _, a := range pre {
		v, err := ev.eval(a, input, sc)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, v)
	}
	for _, a := range n.Args {
		v, err := ev.eval(a, input, sc)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, v)
	}
	return f, args, nil
}

// calledName is the field name a call names instead of a function ("sum(x)" for "$sum(x)").
func calledName(n Node) string {
	if p, ok := n.(*PathNode); ok && len(p.Steps) == 1 {
		n = p.Steps[0]
	}
	if name, ok := n.(*NameNode); ok {
		return name.Value
	}
	return ""
}

// tailCall is a call in a lambda's tail position, made by invoke's loop instead of recursively
// (as jsonata-js's thunks), so that a tail-recursive function runs in constant depth.
type tailCall struct {
	fn    any
	args  []any
	input any
}

// evalTail evaluates a lambda body; a function call in tail position (the body itself, a
// branch of a condition, the last expression of a block) is returned, not made.
func (ev *evaluator) evalTail(n Node, input any, sc *frame) (any, *tailCall, error) {
	switch t := n.(type) {
	case *FunctionCallNode:
		f, args, err := ev.callee(t, nil, input, sc)
		if err != nil {
			return nil, nil, err
		}
		return nil, &tailCall{fn: f, args: args, input: input}, nil
	case *ConditionalNode:
		c, err := ev.eval(t.If, input, sc)
		if err != nil {
			return nil, nil, err
		}
		if ev.truthy(c) {
			return ev.evalTail(t.Then, input, sc)
		}
		if t.Else != nil {
			return ev.evalTail(t.Else, input, sc)
		}
		return Undefined, nil, nil
	case *BlockNode:
		if len(t.Exprs) == 0 {
			return Undefined, nil, nil
		}
		inner := &frame{vars: map[string]any{}, parent: sc}
		for _, x := range t.Exprs[:len(t.Exprs)-1] {
			if _, err := ev.eval(x, input, inner); err != nil {
				return nil, nil, err
			}
		}
		return ev.evalTail(t.Exprs[len(t.Exprs)-1], input, inner)
	}
	v, err := ev.eval(n, input, sc)
	return v, nil, err
}

func (ev *evaluator) apply(n *FunctionApplicationNode, input any, sc *frame) (any, error) {
	if fc, ok := n.RHS.(*FunctionCallNode); ok {
		return ev.call(fc, []Node{n.LHS}, input, sc)
	}
	if p, ok := n.RHS.(*PathNode); ok && p.KeepArrays && len(p.Steps) == 1 {
		if fc, ok := p.Steps[0].(*FunctionCallNode); ok { // x ~> $f(y)[]
			v, err := ev.call(fc, []Node{n.LHS}, input, sc)
			if err != nil || v == Undefined {
				return v, err
			}
			return &sequence{items: asArray(v), keepSingletons: true}, nil
		}
	}
	l, r, err := ev.evalOperands(n.LHS, n.RHS, input, sc)
	if err != nil {
		return nil, err
	}
	if !isFunction(r) {
		return nil, evalErr("T2006", "The right side of the function application operator ~> must be a function")
	}
	if isFunction(l) {
		return &chain{first: l, second: r}, nil
	}
	return ev.invoke(r, []any{l}, input)
}

func (b *budget) truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case float64:
		return t != 0
	case json.Number:
		f, _ := toNumber(t)
		return f != 0
	case []any:
		b.enter()
		defer b.leave()
		for _, x := range t {
			b.tick(1)
			if b.truthy(x) {
				return true
			}
		}
		return false
	case *sequence:
		return b.truthy(t.items)
	case *value.Object:
		return t.Len() > 0
	}
	return false // undefined, functions
}

func (b *budget) deepEqual(u, v any) bool {
	b.tick(1)
	if x, ok := toNumber(u); ok {
		y, ok := toNumber(v)
		return ok && x == y
	}
	switch x := u.(type) {
	case nil:
		return v == nil
	case string:
		y, ok := v.(string)
		return ok && x == y
	case bool:
		y, ok := v.(bool)
		return ok && x == y
	case []any, *sequence:
		if !isArray(v) {
			return false
		}
		xa, ya := asArray(u), asArray(v)
		if len(xa) != len(ya) {
			return false
		}
		b.enter()
		defer b.leave()
		for i := range xa {
			if !b.deepEqual(xa[i], ya[i]) {
				return false
			}
		}
		return true
	case *value.Object:
		y, ok := v.(*value.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		b.enter()
		defer b.leave()
		for _, m := range x.Members() {
			w, ok := y.Get(m.Key)
			if !ok || !b.deepEqual(m.Value, w) {
				return false
			}
		}
		return true
	}
	return u == v
}

func (b *budget) walkValues(v any, fn func(any)) {
	b.enter()
	defer b.leave()
	switch t := v.(type) {
	case *value.Object:
		for _, m := range t.Members() {
			fn(m.Value)
		}
	case []any:
		for _, x := range t {
			b.walkValues(x, fn)
		}
	case *sequence:
		for _, x := range t.items {
			b.walkValues(x, fn)
		}
	}
}

func (b *budget) descendents(v any, seq *sequence) {
	if v == Undefined {
		return
	}
	b.enter()
	defer b.leave()
	if !isArray(v) {
		b.alloc(1)
		seq.items = append(seq.items, v)
	}
	switch t := v.(type) {
	case *value.Object:
		for _, m := range t.Members() {
			b.descendents(m.Value, seq)
		}
	case []any:
		for _, x := range t {
			b.descendents(x, seq)
		}
	}
}

func (b *budget) flatten(a []any, out []any) []any {
	b.enter()
	defer b.leave()
	for _, x := range a {
		if isArray(x) {
			out = b.flatten(asArray(x), out)
		} else {
			b.alloc(1)
			out = append(out, x)
		}
	}
	return out
}

// evalOperands evaluates the two operands of a binary operator, left first.
func (ev *evaluator) evalOperands(lhs, rhs Node, input any, sc *frame) (l, r any, err error) {
	if l, err = ev.eval(lhs, input, sc); err != nil {
		return nil, nil, err
	}
	if r, err = ev.eval(rhs, input, sc); err != nil {
		return nil, nil, err
	}
	return l, r, nil
}
