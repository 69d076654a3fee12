package path

import (
	"fmt"
	"strconv"
	"strings"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

// EvalContext gives the roots other than the input that a Path may start
// from.
type EvalContext struct {
	// Context is the context object, the root of `$$` paths.
	Context any
	// Variable returns the value of a workflow variable, the root of `$name`
	// paths. A nil Variable means no variable is defined.
	Variable func(name string) (any, bool)
	// Shared lets results share maps and slices with the input, for callers
	// that never modify values in place (Eval copies them otherwise).
	Shared bool
}

// NotFoundError is returned by Eval when a definite path selects nothing.
type NotFoundError struct {
	// Path is the source text of the path that was evaluated.
	Path string
	// Message is Jayway JsonPath's description of the failure, the text AWS
	// quotes after "Invalid path '<Path>' : ", e.g.
	// "No results for path: $['a']['b']" or "Missing property in path $['a']".
	Message string
}

// Error implements error: "Invalid path '$.a' : No results for path: $['a']".
func (e *NotFoundError) Error() string {
	return "Invalid path '" + e.Path + "' : " + e.Message
}

// SetError is returned by Set when the value cannot be placed at the path
// (the interpreter reports it as States.ResultPathMatchFailure).
type SetError struct {
	// Path is the source text of the result path.
	Path string
	// Message says why the value could not be placed.
	Message string
}

// Error implements error.
func (e *SetError) Error() string {
	return "cannot apply result path '" + e.Path + "': " + e.Message
}

// IsDefinite reports whether Eval returns a single value for p rather than a
// list of matches. It follows Jayway JsonPath, which AWS uses: a path is
// definite when every segment is a field name, a single index (negative
// indexes included) or, as the last segment, a union of member names (which
// yields one object holding the named members that exist).
func (p *Path) IsDefinite() bool {
	for i, s := range p.Segments {
		switch s.Kind {
		case Field, Index:
		case Union:
			if len(s.Names) == 0 || i != len(p.Segments)-1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Eval evaluates p against input (the `$` root); ctx supplies the `$$` and
// `$name` roots and may be nil.
//
// A definite path (see IsDefinite; every path that IsReference accepts is
// definite) returns the single selected value, or a *NotFoundError when the
// path selects nothing (a missing member, an index out of range, a member of
// a non-object, ...). An indefinite path (wildcards, slices, index unions,
// filters, scripts, recursive descent) returns a []any of the matches in
// document order; when nothing matches the result is an empty []any (AWS:
// wildcards and slices over missing data give []).
//
// Object members are visited in their order (the document's, as Jayway).
// Filters follow Jayway: applied to an
// array they select its matching elements, applied to an object they select
// the object itself when it matches; inside a filter, `$` is the document
// the path is evaluated on (input for a `$` path, the context object for a
// `$$` path), `$$` the context object and `$name` a variable.
//
// Any path fails with a *LimitError when evaluating it (or copying its
// result) would take more than MaxSteps steps.
//
// The result never shares maps or slices with input or the context object:
// every selected object or array is deep-copied, so callers may modify it
// (unless ctx.Shared). Numbers are returned as they are stored (json.Number
// for decoded JSON).
func (p *Path) Eval(input any, ctx *EvalContext) (any, error) {
	root, err := p.root(input, ctx)
	if err != nil {
		return nil, err
	}
	shared := ctx != nil && ctx.Shared
	if v, ok := fastGet(root, p.Segments); ok {
		if shared {
			return v, nil
		}
		return copyBounded(p, v)
	}
	run := &evalRun{path: p, root: root, input: input, ctx: ctx, steps: MaxSteps}
	ev := &evaluator{path: p, definite: p.IsDefinite(), run: run}
	var out []any
	err = ev.walk(root, p.Segments, &out)
	if err == nil {
		err = run.err
	}
	if err != nil {
		return nil, err
	}
	if ev.definite {
		if len(out) == 0 {
			return nil, &NotFoundError{Path: p.Source, Message: "No results for path: " + jaywayPath(p)}
		}
		if shared {
			return out[0], nil
		}
		return copyBounded(p, out[0])
	}
	if out == nil {
		out = []any{}
	}
	if shared {
		return out, nil
	}
	return copyBounded(p, out)
}

// MaxSteps bounds the work of one Eval: every node a path (or a filter
// inside it) visits, and every value copied, is a step. A path over a
// payload-sized document (256 KiB, at most ~130,000 nodes) needs far fewer;
// only shapes whose cost multiplies (nested `..`, repeated unions, a `..`
// inside a filter applied at every level) reach it.
const MaxSteps = 1 << 21

// LimitError is returned by Eval when evaluating a path would take more
// than MaxSteps steps; the interpreter reports it as States.Runtime.
type LimitError struct {
	// Path is the source text of the path that was evaluated.
	Path string
}

// Error implements error.
func (e *LimitError) Error() string {
	return "Invalid path '" + e.Path + "' : the path selects too much; evaluating it exceeded " +
		strconv.Itoa(MaxSteps) + " steps"
}

// evalRun is the state one Eval shares between the path and the paths of
// its filters: the documents `$`, `$$` and `$name` inside a filter refer to,
// the values of those root paths (the same for every node a filter tests),
// and the step budget.
type evalRun struct {
	path  *Path
	root  any // the document the top-level path is evaluated against
	input any
	ctx   *EvalContext
	memo  map[*Path]any
	steps int
	err   error
}

// step takes n steps from the budget; false once it is spent.
func (r *evalRun) step(n int) bool {
	r.steps -= n
	if r.steps < 0 {
		if r.err == nil {
			r.err = &LimitError{Path: r.path.Source}
		}
		return false
	}
	return true
}

// copyBounded deep-copies v within the step budget.
func copyBounded(p *Path, v any) (any, error) {
	budget := MaxSteps
	out, ok := jv.Copy(v, &budget)
	if !ok {
		return nil, &LimitError{Path: p.Source}
	}
	return out, nil
}

// fastGet follows a path made only of field names and indexes that all
// exist, without building the texts error messages need; ok is false when
// the full walk must decide (other segments, missing data).
func fastGet(v any, segs []Segment) (any, bool) {
	for i := range segs {
		s := &segs[i]
		switch s.Kind {
		case Field:
			m, ok := v.(*jv.Object)
			if !ok {
				return nil, false
			}
			c, ok := m.Get(s.key())
			if !ok {
				return nil, false
			}
			v = c
		case Index:
			a, ok := v.([]any)
			if !ok {
				return nil, false
			}
			j := s.Index
			if j < 0 {
				j += len(a)
			}
			if j < 0 || j >= len(a) {
				return nil, false
			}
			v = a[j]
		default:
			return nil, false
		}
	}
	return v, true
}

// root returns the value p starts from.
func (p *Path) root(input any, ctx *EvalContext) (any, error) {
	switch p.Root {
	case RootContext:
		if ctx == nil {
			return nil, nil
		}
		return ctx.Context, nil
	case RootVariable:
		if ctx != nil && ctx.Variable != nil {
			if v, ok := ctx.Variable(p.Variable); ok {
				return v, nil
			}
		}
		return nil, &NotFoundError{Path: p.Source, Message: "Variable '" + p.Variable + "' is not defined"}
	}
	return input, nil
}

func rootText(p *Path) string {
	switch p.Root {
	case RootContext:
		return "$$"
	case RootVariable:
		return "$" + p.Variable
	case RootCurrent:
		return "@"
	}
	return "$"
}

// jaywayPath renders p the way Jayway JsonPath prints a compiled path
// (`$['a'][0]`), as quoted in AWS's error messages.
func jaywayPath(p *Path) string {
	var b strings.Builder
	b.WriteString(rootText(p))
	for i := range p.Segments {
		b.WriteString(jaywaySegment(&p.Segments[i]))
	}
	return b.String()
}

func jaywaySegment(s *Segment) string {
	switch s.Kind {
	case Field:
		return "['" + s.key() + "']"
	case Index:
		return "[" + strconv.Itoa(s.Index) + "]"
	case Wildcard:
		return "[*]"
	case Union:
		parts := make([]string, 0, len(s.Indexes)+len(s.Names))
		for _, i := range s.Indexes {
			parts = append(parts, strconv.Itoa(i))
		}
		for _, n := range s.keys() {
			parts = append(parts, "'"+n+"'")
		}
		return "[" + strings.Join(parts, ",") + "]"
	case RecursiveDescent:
		if s.Child != nil {
			return ".." + jaywaySegment(s.Child)
		}
		return "..['" + s.Name + "']"
	case Slice:
		var b strings.Builder
		b.WriteByte('[')
		if s.Start != nil {
			b.WriteString(strconv.Itoa(*s.Start))
		}
		b.WriteByte(':')
		if s.End != nil {
			b.WriteString(strconv.Itoa(*s.End))
		}
		if s.Step != nil {
			b.WriteString(":" + strconv.Itoa(*s.Step))
		}
		b.WriteByte(']')
		return b.String()
	case Filter:
		return "[?(" + s.Expr + ")]"
	case Script:
		return "[(" + s.Expr + ")]"
	}
	return ""
}

// key returns the member name a Field segment looks up: the raw quoted text
// for a bracket name (see Segment.Raw), else Name.
func (s *Segment) key() string {
	if len(s.Raw) == 1 {
		return s.Raw[0]
	}
	return s.Name
}

// keys returns the member names of a name Union, raw as for key.
func (s *Segment) keys() []string {
	if len(s.Raw) == len(s.Names) {
		return s.Raw
	}
	return s.Names
}

type evaluator struct {
	path     *Path
	definite bool
	run      *evalRun
}

// at renders, for a definite path's error messages, the part of the path
// before segs (segs is then always a suffix of the path's segments) the way
// Jayway prints it: `$['a'][0]`.
func (e *evaluator) at(segs []Segment) string {
	var b strings.Builder
	b.WriteString(rootText(e.path))
	for i := range e.path.Segments[:len(e.path.Segments)-len(segs)] {
		b.WriteString(jaywaySegment(&e.path.Segments[i]))
	}
	return b.String()
}

// walk applies segs to v, appending the selected nodes to out. Only definite
// paths fail with a *NotFoundError; indefinite ones skip whatever does not
// match. Every call is a step: once the budget is spent, walk fails with the
// run's *LimitError.
func (e *evaluator) walk(v any, segs []Segment, out *[]any) error {
	if !e.run.step(1) {
		return e.run.err
	}
	if len(segs) == 0 {
		*out = append(*out, v)
		return nil
	}
	switch segs[0].Kind {
	case Field:
		return e.walkField(v, segs, out)
	case Index:
		return e.walkIndex(v, segs, out)
	case Wildcard:
		return e.each(children(v), segs[1:], out)
	case Union:
		if len(segs[0].Names) > 0 {
			return e.walkNameUnion(v, segs, out)
		}
		return e.walkIndexUnion(v, segs, out)
	case Slice:
		return e.walkSlice(v, segs, out)
	case RecursiveDescent:
		return e.walkDescendants(v, segs, out)
	case Filter:
		return e.walkFilter(v, segs, out)
	case Script:
		return e.walkScript(v, segs, out)
	}
	return nil
}

// walkField selects a member by name ($.a, $['a']). A definite path fails where Jayway fails:
// a non-object, or a missing member before the last segment.
func (e *evaluator) walkField(v any, segs []Segment, out *[]any) error {
	s, rest := &segs[0], segs[1:]
	name := s.key()
	m, ok := v.(*jv.Object)
	if !ok {
		if e.definite {
			return &NotFoundError{Path: e.path.Source, Message: fmt.Sprintf(
				"Expected to find an object with property ['%s'] in path %s but found '%s'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.",
				name, e.at(segs), javaClass(v))}
		}
		return nil
	}
	child, ok := m.Get(name)
	if !ok {
		if e.definite && len(rest) > 0 {
			return &NotFoundError{Path: e.path.Source, Message: "Missing property in path " + e.at(rest)}
		}
		return nil
	}
	return e.walk(child, rest, out)
}

// walkIndex selects an array element ($[2], $[-1]).
func (e *evaluator) walkIndex(v any, segs []Segment, out *[]any) error {
	s, rest := &segs[0], segs[1:]
	a, ok := v.([]any)
	if !ok {
		if e.definite {
			if v == nil {
				return &NotFoundError{Path: e.path.Source, Message: "The path " + e.at(segs) + " is null"}
			}
			return &NotFoundError{Path: e.path.Source, Message: fmt.Sprintf(
				"Filter: [%d] can only be applied to arrays. Current context is: %s", s.Index, javaString(v))}
		}
		return nil
	}
	if i, ok := arrayIndex(s.Index, len(a)); ok {
		return e.walk(a[i], rest, out)
	}
	return nil
}

// arrayIndex resolves a possibly negative index against an array of n elements.
func arrayIndex(i, n int) (int, bool) {
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

// walkNameUnion selects several members ($['a','b']); Jayway merges the members of a leaf union
// into one object.
func (e *evaluator) walkNameUnion(v any, segs []Segment, out *[]any) error {
	s, rest := &segs[0], segs[1:]
	m, ok := v.(*jv.Object)
	if !ok {
		if e.definite {
			return &NotFoundError{Path: e.path.Source, Message: fmt.Sprintf(
				"Expected to find an object with property %s in path %s but found '%s'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.",
				jaywaySegment(s), e.at(segs), javaClass(v))}
		}
		return nil
	}
	if len(rest) == 0 {
		merged := jv.NewObject(len(s.Names))
		for _, n := range s.keys() {
			if c, ok := m.Get(n); ok {
				merged.Set(n, c)
			}
		}
		*out = append(*out, merged)
		return nil
	}
	for _, n := range s.keys() {
		if c, ok := m.Get(n); ok {
			if err := e.walk(c, rest, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkIndexUnion selects several elements ($[0,2]).
func (e *evaluator) walkIndexUnion(v any, segs []Segment, out *[]any) error {
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	for _, idx := range segs[0].Indexes {
		if i, ok := arrayIndex(idx, len(a)); ok {
			if err := e.walk(a[i], segs[1:], out); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkSlice selects a slice of an array ($[1:3], $[::2]).
func (e *evaluator) walkSlice(v any, segs []Segment, out *[]any) error {
	s := &segs[0]
	a, ok := v.([]any)
	if !ok {
		return nil
	}
	for _, i := range sliceIndexes(len(a), s.Start, s.End, s.Step) {
		if err := e.walk(a[i], segs[1:], out); err != nil {
			return err
		}
	}
	return nil
}

// walkDescendants applies the child selector of $..x to v and to every node below it, in
// document (pre-)order.
func (e *evaluator) walkDescendants(v any, segs []Segment, out *[]any) error {
	s := &segs[0]
	child := s.Child
	if child == nil {
		child = &Segment{Kind: Field, Name: s.Name}
	}
	var nodes []any
	if !e.collectDescendants(v, &nodes) {
		return e.run.err
	}
	step := append([]Segment{*child}, segs[1:]...)
	return e.each(nodes, step, out)
}

// walkFilter keeps the elements of an array (or an object itself) for which the filter
// expression ($[?(@.a > 1)]) holds.
func (e *evaluator) walkFilter(v any, segs []Segment, out *[]any) error {
	s, rest := &segs[0], segs[1:]
	switch t := v.(type) {
	case []any:
		for _, el := range t {
			if e.evalBool(s.Cond, el) {
				if err := e.walk(el, rest, out); err != nil {
					return err
				}
			}
		}
	case *jv.Object:
		if e.evalBool(s.Cond, t) {
			return e.walk(t, rest, out)
		}
	}
	return e.run.err
}

// walkScript selects by a computed key ($[(@.length-1)]): a number indexes an array, a string or
// number names an object member.
func (e *evaluator) walkScript(v any, segs []Segment, out *[]any) error {
	s, rest := &segs[0], segs[1:]
	key := e.evalValue(s.Cond, v)
	switch t := v.(type) {
	case []any:
		n, ok := toNumber(key)
		if !ok {
			return nil
		}
		i, ok := n.int()
		if !ok {
			return nil
		}
		if i, ok := arrayIndex(i, len(t)); ok {
			return e.walk(t[i], rest, out)
		}
	case *jv.Object:
		name, ok := key.(string)
		if !ok {
			n, isNum := toNumber(key)
			if !isNum {
				return nil
			}
			name = n.String()
		}
		if c, ok := t.Get(name); ok {
			return e.walk(c, rest, out)
		}
	}
	return e.run.err
}

// each applies segs to every node of nodes.
func (e *evaluator) each(nodes []any, segs []Segment, out *[]any) error {
	for _, n := range nodes {
		if err := e.walk(n, segs, out); err != nil {
			return err
		}
	}
	return nil
}

// children returns the members of an object or the elements of an array, in
// order; nothing for a scalar.
func children(v any) []any {
	switch t := v.(type) {
	case *jv.Object:
		out := make([]any, t.Len())
		for i, m := range t.Members() {
			out[i] = m.Value
		}
		return out
	case []any:
		return t
	}
	return nil
}

// collectDescendants appends v and every node below it, in pre-order; one
// step per node. False when the budget is spent.
func (e *evaluator) collectDescendants(v any, out *[]any) bool {
	if !e.run.step(1) {
		return false
	}
	*out = append(*out, v)
	for _, c := range children(v) {
		switch c.(type) {
		case *jv.Object, []any:
			if !e.collectDescendants(c, out) {
				return false
			}
		}
	}
	return true
}

// sliceIndexes returns the indexes a Start:End:Step slice selects from an
// array of length n (Python semantics, which agree with Jayway's for the
// step-less forms).
func sliceIndexes(n int, start, end, step *int) []int {
	st := 1
	if step != nil && *step != 0 {
		st = *step
	}
	norm := func(p *int, def int, lo, hi int) int {
		if p == nil {
			return def
		}
		i := *p
		if i < 0 {
			i += n
		}
		if i < lo {
			i = lo
		}
		if i > hi {
			i = hi
		}
		return i
	}
	var out []int
	if st > 0 {
		from, to := norm(start, 0, 0, n), norm(end, n, 0, n)
		for i := from; i < to; i += st {
			out = append(out, i)
		}
	} else {
		from, to := norm(start, n-1, -1, n-1), norm(end, -1, -1, n-1)
		if end != nil && *end < 0 && *end+n < 0 {
			to = -1
		}
		for i := from; i > to; i += st {
			out = append(out, i)
		}
	}
	return out
}

// javaClass names the Java class Jayway reports for a value in messages.
func javaClass(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "java.lang.String"
	case bool:
		return "java.lang.Boolean"
	case []any:
		return "java.util.ArrayList"
	case *jv.Object:
		return "java.util.LinkedHashMap"
	}
	if _, ok := toNumber(v); ok {
		return "java.lang.Integer"
	}
	return fmt.Sprintf("%T", v)
}

// javaString renders a value for a Jayway message (objects and arrays as compact JSON).
func javaString(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	}
	if n, ok := toNumber(v); ok {
		return n.String()
	}
	if jv.IsContainer(v) {
		return jv.String(v) // Jackson's JsonNode.toString: compact JSON
	}
	return fmt.Sprint(v)
}
