package jsonata

import "github.com/sfn-tool/sfn/pkg/value"

// Tuple streams (jsonata-js 2.0's evaluateTupleStep): a path that binds a focus (@$v) or an index
// (#$i) variable, or that a parent operator (%) reaches into, is evaluated as a stream of tuples,
// each the context item and the variables bound along the way. Only such paths take this road;
// every other path is evaluated by path/step in eval.go.

// tuple is one binding of a tuple stream: the context item ("@" in jsonata-js) and the variables
// (focus, index, parent labels) bound so far. Each tuple owns its vars map.
type tuple struct {
	ctx  any
	vars map[string]any
}

// with returns a copy of t whose map has room for one more binding.
func (t tuple) with() tuple {
	vars := make(map[string]any, len(t.vars)+1)
	for k, v := range t.vars {
		vars[k] = v
	}
	return tuple{ctx: t.ctx, vars: vars}
}

// frame is a variable frame holding t's bindings, inside sc.
func (t tuple) frame(sc *frame) *frame {
	if len(t.vars) == 0 {
		return sc
	}
	return t.with().asFrame(sc)
}

func (t tuple) asFrame(sc *frame) *frame { return &frame{vars: t.vars, parent: sc} }

// tupleStream is the result of a path an enclosing % reaches through: the tuples themselves, so
// that the enclosing path keeps their ancestors.
type tupleStream struct{ tuples []tuple }

// values returns the context items of the stream.
func (s *tupleStream) values() *sequence {
	out := make([]any, len(s.tuples))
	for i, t := range s.tuples {
		out[i] = t.ctx
	}
	return &sequence{items: out}
}

// tuplePath evaluates a TuplePathNode as jsonata-js's evaluatePath does.
func (ev *evaluator) tuplePath(n *TuplePathNode, input any, sc *frame) (any, error) {
	var in []any
	if _, isVar := n.Steps[0].Expr.(*VariableNode); isArray(input) && !isVar {
		in = asArray(input)
	} else {
		in = []any{input}
	}
	var tuples []tuple
	tupleMode, started := false, false
	last := len(n.Steps) - 1
	for i, st := range n.Steps {
		tupleMode = tupleMode || st.Tuple
		var res []any
		var err error
		switch {
		case i == 0 && st.ConsArray:
			var v any
			v, err = ev.eval(st.Expr, in, sc)
			res = asArray(v)
		case tupleMode:
			tuples, err = ev.tupleStep(st, in, tuples, started, sc)
			started = true
		case st.Sort != nil:
			var idx []int
			idx, err = ev.sortOrder(len(in), st.Sort, func(i int) (any, *frame) { return in[i], sc })
			if err == nil {
				res = make([]any, len(in))
				for k, j := range idx {
					res[k] = in[j]
				}
				res, err = ev.filterStages(st.Stages, res, sc)
			}
		default:
			var v any
			v, err = ev.step(st.Plain, in, sc, i == last)
			if s, ok := v.(*sequence); ok {
				res = s.items
			} else {
				res = asArray(v)
			}
		}
		if err != nil {
			return nil, err
		}
		if !tupleMode && len(res) == 0 {
			return Undefined, nil
		}
		if st.Focus == "" && !tupleMode {
			in = res
		}
	}
	if n.Tuples {
		return &tupleStream{tuples: tuples}, nil
	}
	if n.Group != nil {
		return ev.groupTuples(n.Group, tuples, sc)
	}
	seq := (&tupleStream{tuples: tuples}).values()
	if n.KeepArrays {
		seq.keepSingletons = true
	}
	return seq, nil
}

// filterStages applies the filters of a step that is not (yet) a tuple stream.
func (ev *evaluator) filterStages(stages []Stage, items []any, sc *frame) ([]any, error) {
	var err error
	for _, s := range stages {
		if s.Filter != nil {
			if items, err = ev.filter(s.Filter, items, sc); err != nil {
				return nil, err
			}
		}
	}
	return items, nil
}

// tupleStep evaluates one step over a tuple stream (made from in when the stream starts here).
func (ev *evaluator) tupleStep(st *TupleStep, in []any, tuples []tuple, started bool, sc *frame) ([]tuple, error) {
	if st.Sort != nil {
		var out []tuple
		if started {
			idx, err := ev.sortOrder(len(tuples), st.Sort, func(i int) (any, *frame) { return tuples[i].ctx, tuples[i].frame(sc) })
			if err != nil {
				return nil, err
			}
			out = make([]tuple, len(tuples))
			for k, j := range idx {
				out[k] = tuples[j]
			}
		} else {
			idx, err := ev.sortOrder(len(in), st.Sort, func(i int) (any, *frame) { return in[i], sc })
			if err != nil {
				return nil, err
			}
			out = make([]tuple, len(in))
			for k, j := range idx {
				out[k] = tuple{ctx: in[j], vars: map[string]any{}}
				if st.Index != "" {
					out[k].vars[st.Index] = float64(k)
				}
			}
		}
		return ev.tupleStages(st.Stages, out, sc)
	}
	if !started {
		tuples = make([]tuple, len(in))
		for i, v := range in {
			tuples[i] = tuple{ctx: v}
		}
	}
	var out []tuple
	for _, t := range tuples {
		v, err := ev.eval(st.Expr, t.ctx, t.frame(sc))
		if err != nil {
			return nil, err
		}
		if v == Undefined {
			continue
		}
		if ts, ok := v.(*tupleStream); ok {
			ev.alloc(len(ts.tuples))
			for _, r := range ts.tuples {
				nt := t.with()
				for k, x := range r.vars {
					nt.vars[k] = x
				}
				nt.ctx = r.ctx
				out = append(out, nt)
			}
			continue
		}
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		ev.alloc(len(list))
		for i, r := range list {
			nt := t.with()
			if st.Focus != "" {
				nt.vars[st.Focus] = r
			} else {
				nt.ctx = r
			}
			if st.Index != "" {
				nt.vars[st.Index] = float64(i)
			}
			if st.Ancestor != "" {
				nt.vars[st.Ancestor] = t.ctx
			}
			out = append(out, nt)
		}
	}
	return ev.tupleStages(st.Stages, out, sc)
}

// tupleStages applies a step's predicates and index bindings to its tuples, in order.
func (ev *evaluator) tupleStages(stages []Stage, ts []tuple, sc *frame) ([]tuple, error) {
	for _, s := range stages {
		if s.Filter == nil {
			for i := range ts {
				ts[i] = ts[i].with()
				ts[i].vars[s.Index] = float64(i)
			}
			continue
		}
		var err error
		if ts, err = ev.filterTuples(s.Filter, ts, sc); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

// filterTuples is ev.filter over a tuple stream: each predicate sees its tuple's context and
// bindings.
func (ev *evaluator) filterTuples(f Node, ts []tuple, sc *frame) ([]tuple, error) {
	if num, ok := f.(*NumberNode); ok {
		i := floorIndex(num.Value, len(ts))
		if i >= 0 && i < len(ts) {
			return []tuple{ts[i]}, nil
		}
		return nil, nil
	}
	var out []tuple
	for i, t := range ts {
		r, err := ev.eval(f, t.ctx, t.frame(sc))
		if err != nil {
			return nil, err
		}
		if _, isNum := toNumber(r); isNum && !isBoolean(r) {
			r = []any{r}
		}
		if arr, ok := r.([]any); ok && len(arr) > 0 && allNumbers(arr) {
			for _, x := range arr {
				n, _ := toNumber(x)
				if floorIndex(n, len(ts)) == i {
					out = append(out, t)
					break
				}
			}
			continue
		}
		if ev.truthy(r) {
			out = append(out, t)
		}
	}
	return out, nil
}

// floorIndex is a predicate's index: rounded down, counted from the end when negative.
func floorIndex(f float64, n int) int {
	if f != f || f > 1e15 || f < -1e15 {
		return -1
	}
	i := int(f)
	if float64(i) > f {
		i--
	}
	if i < 0 {
		i += n
	}
	return i
}

// groupTuples is groupBy over a tuple stream: keys see each tuple's bindings, and a group's value
// sees the group's bindings merged (each variable appended across its tuples).
func (ev *evaluator) groupTuples(obj *ObjectNode, ts []tuple, sc *frame) (any, error) {
	if len(ts) == 0 {
		ts = []tuple{{ctx: Undefined}}
	}
	order, groups, err := ev.keyGroups(obj, len(ts), func(i int) (any, *frame) { return ts[i].ctx, ts[i].frame(sc) })
	if err != nil {
		return nil, err
	}
	out := value.NewObject(len(order))
	for _, k := range order {
		g := groups[k]
		merged := ts[g.members[0]].with()
		for _, m := range g.members[1:] {
			t := ts[m]
			merged.ctx = appendValues(merged.ctx, t.ctx)
			for name, x := range t.vars {
				prev, ok := merged.vars[name]
				if !ok {
					prev = Undefined
				}
				merged.vars[name] = appendValues(prev, x)
			}
		}
		v, err := ev.eval(obj.Pairs[g.pair][1], merged.ctx, merged.asFrame(sc))
		if err != nil {
			return nil, err
		}
		if v != Undefined {
			out.Set(k, v)
		}
	}
	return out, nil
}

// appendValues is jsonata-js's $append of two values (undefined is nothing, a non-array one item).
func appendValues(a, b any) any {
	if a == Undefined {
		return b
	}
	if b == Undefined {
		return a
	}
	out := append(append([]any(nil), asArray(a)...), asArray(b)...)
	return out
}
