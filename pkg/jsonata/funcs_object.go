package jsonata

import "github.com/sfn-tool/sfn/pkg/value"

// registerObjectFunctions registers the object functions: $keys, $lookup, $spread, $merge, $sift, $each,
// $error, $assert, $type.
func registerObjectFunctions() {
	def("keys", 1, true, fnKeys)
	def("lookup", 2, false, fnLookup)
	def("spread", 1, true, fnSpread)
	def("merge", 1, false, fnMerge)
	def("sift", 2, true, fnSift)
	def("each", 2, true, fnEach)
	def("error", 1, false, fnError)
	def("assert", 2, false, fnAssert)
	def("type", 1, false, fnType)
}

// fnKeys implements $keys.
func fnKeys(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	var keys []any
	seen := map[string]bool{}
	add := func(m *value.Object) {
		for _, x := range m.Members() {
			if k := x.Key; !seen[k] {
				ev.alloc(1)
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	switch t := v.(type) {
	case *value.Object:
		add(t)
	case []any, *sequence:
		for _, x := range asArray(t) {
			if m, ok := x.(*value.Object); ok {
				add(m)
			}
		}
	}
	if len(keys) == 0 {
		return Undefined, nil
	}
	return &sequence{items: keys}, nil
}

// fnLookup implements $lookup.
func fnLookup(ev *evaluator, args []any) (any, error) {
	k, _, err := strArg(args, 1, "lookup")
	if err != nil {
		return nil, err
	}
	return ev.field(argAt(args, 0), k), nil
}

// fnSpread implements $spread.
func fnSpread(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	switch t := v.(type) {
	case *value.Object:
		out := []any{}
		ev.alloc(2 * t.Len())
		for _, m := range t.Members() {
			out = append(out, value.ObjectOf(m.Key, m.Value))
		}
		return &sequence{items: out}, nil
	case []any, *sequence:
		out := []any{}
		for _, x := range asArray(t) {
			if o, ok := x.(*value.Object); ok {
				ev.alloc(2 * o.Len())
				for _, m := range o.Members() {
					out = append(out, value.ObjectOf(m.Key, m.Value))
				}
			} else {
				ev.alloc(1)
				out = append(out, x)
			}
		}
		return &sequence{items: out}, nil
	}
	return v, nil
}

// fnMerge implements $merge.
func fnMerge(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	out := value.NewObject(4)
	for _, x := range asArray(v) {
		m, ok := x.(*value.Object)
		if !ok {
			return nil, argErr(0, "merge")
		}
		ev.alloc(m.Len())
		for _, y := range m.Members() {
			out.Set(y.Key, y.Value) // a later value replaces an earlier one in its place
		}
	}
	return out, nil
}

// fnSift implements $sift.
func fnSift(ev *evaluator, args []any) (any, error) {
	m, ok := argAt(args, 0).(*value.Object)
	if !ok {
		return Undefined, nil
	}
	f, err := fnArg(args, 1, "sift")
	if err != nil {
		return nil, err
	}
	out := value.NewObject(m.Len())
	for _, x := range m.Members() {
		all := []any{x.Value, x.Key, m}
		r, err := ev.invoke(f, all[:max(1, min(arity(f), 3))], Undefined)
		if err != nil {
			return nil, err
		}
		if ev.truthy(r) {
			out.Set(x.Key, x.Value)
		}
	}
	if out.Len() == 0 {
		return Undefined, nil
	}
	return out, nil
}

// fnEach implements $each.
func fnEach(ev *evaluator, args []any) (any, error) {
	m, ok := argAt(args, 0).(*value.Object)
	if !ok {
		return Undefined, nil
	}
	f, err := fnArg(args, 1, "each")
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, x := range m.Members() {
		all := []any{x.Value, x.Key, m}
		r, err := ev.invoke(f, all[:max(1, min(arity(f), 3))], Undefined)
		if err != nil {
			return nil, err
		}
		if r != Undefined {
			out = append(out, r)
		}
	}
	return &sequence{items: out}, nil
}

// fnError implements $error.
func fnError(ev *evaluator, args []any) (any, error) {
	msg, _, _ := strArg(args, 0, "error")
	if msg == "" {
		msg = "$error() function evaluated"
	}
	return nil, evalErr("D3137", "%s", msg)
}

// fnAssert implements $assert.
func fnAssert(ev *evaluator, args []any) (any, error) {
	c, ok := argAt(args, 0).(bool)
	if !ok {
		return nil, evalErr("T0410", "Argument 1 of function \"assert\" does not match function signature")
	}
	if !c {
		msg, _, _ := strArg(args, 1, "assert")
		if msg == "" {
			msg = "$assert() statement failed"
		}
		return nil, evalErr("D3141", "%s", msg)
	}
	return Undefined, nil
}

// fnType implements $type.
func fnType(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	return typeOf(v), nil
}
