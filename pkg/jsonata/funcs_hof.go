package jsonata

// registerHigherOrderFunctions registers the higher-order functions: $map, $filter, $single, $reduce.
func registerHigherOrderFunctions() {
	def("map", 2, false, fnMap)
	def("filter", 2, false, fnFilter)
	def("single", 2, false, fnSingle)
	def("reduce", 3, false, fnReduce)
}

// fnMap implements $map.
func fnMap(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	f, err := fnArg(args, 1, "map")
	if err != nil {
		return nil, err
	}
	ev.alloc(len(a))
	out := make([]any, 0, len(a))
	for i, x := range a {
		r, err := ev.hof(f, x, i, a)
		if err != nil {
			return nil, err
		}
		if r != Undefined {
			out = append(out, r)
		}
	}
	return &sequence{items: out}, nil
}

// fnFilter implements $filter.
func fnFilter(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	f, err := fnArg(args, 1, "filter")
	if err != nil {
		return nil, err
	}
	out := []any{}
	for i, x := range a {
		r, err := ev.hof(f, x, i, a)
		if err != nil {
			return nil, err
		}
		if ev.truthy(r) {
			ev.alloc(1)
			out = append(out, x)
		}
	}
	return &sequence{items: out}, nil
}

// fnSingle implements $single.
func fnSingle(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	var found any = Undefined
	n := 0
	for i, x := range a {
		keep := true
		if f := argAt(args, 1); f != Undefined {
			r, err := ev.hof(f, x, i, a)
			if err != nil {
				return nil, err
			}
			keep = ev.truthy(r)
		}
		if keep {
			n++
			found = x
		}
	}
	switch {
	case n > 1:
		return nil, evalErr("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.")
	case n == 0:
		return nil, evalErr("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.")
	}
	return found, nil
}

// fnReduce implements $reduce.
func fnReduce(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	f, err := fnArg(args, 1, "reduce")
	if err != nil {
		return nil, err
	}
	if arity(f) < 2 {
		return nil, evalErr("D3050", "The second argument of reduce function must be a function with at least two arguments")
	}
	acc := argAt(args, 2)
	start := 0
	if acc == Undefined && len(a) > 0 {
		acc, start = a[0], 1
	}
	for i := start; i < len(a); i++ {
		all := []any{acc, a[i], float64(i), a}
		r, err := ev.invoke(f, all[:min(arity(f), 4)], Undefined)
		if err != nil {
			return nil, err
		}
		acc = r
	}
	return acc, nil
}
