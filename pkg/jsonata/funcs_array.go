package jsonata

import (
	"math"
	mrand "math/rand/v2"
	"sort"
)

// registerArrayFunctions registers the array functions: $append, $reverse, $shuffle, $distinct, $zip, $sort.
func registerArrayFunctions() {
	def("append", 2, false, fnAppend)
	def("reverse", 1, true, fnReverse)
	def("shuffle", 1, true, fnShuffle)
	def("distinct", 1, true, fnDistinct)
	def("zip", 2, false, fnZip)
	def("sort", 2, true, fnSort)
}

// fnAppend implements $append.
func fnAppend(ev *evaluator, args []any) (any, error) {
	a, b := argAt(args, 0), argAt(args, 1)
	if a == Undefined {
		return b, nil
	}
	if b == Undefined {
		return a, nil
	}
	ev.alloc(len(asArray(a)) + len(asArray(b)))
	out := append(append([]any{}, asArray(a)...), asArray(b)...)
	return out, nil
}

// fnReverse implements $reverse.
func fnReverse(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	ev.alloc(len(a))
	out := make([]any, len(a))
	for i, x := range a {
		out[len(a)-1-i] = x
	}
	return out, nil
}

// fnShuffle implements $shuffle.
func fnShuffle(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	ev.alloc(len(a))
	out := append([]any{}, a...)
	mrand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// fnDistinct implements $distinct.
func fnDistinct(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	if !isArray(v) {
		return v, nil
	}
	out := []any{}
	seen := map[any]bool{} // scalars: by value (numbers by their float value)
	var composites []any   // arrays and objects: compared with deepEqual
	for _, x := range asArray(v) {
		ev.tick(1)
		dup := false
		if k, ok := distinctKey(x); ok {
			dup = seen[k]
			seen[k] = true
		} else {
			for _, y := range composites {
				if ev.deepEqual(x, y) {
					dup = true
					break
				}
			}
			if !dup {
				composites = append(composites, x)
			}
		}
		if !dup {
			ev.alloc(1)
			out = append(out, x)
		}
	}
	return out, nil
}

// fnZip implements $zip.
func fnZip(ev *evaluator, args []any) (any, error) {
	if len(args) == 0 {
		return []any{}, nil
	}
	n := math.MaxInt
	lists := make([][]any, len(args))
	for i, a := range args {
		lists[i] = asArray(a)
		n = min(n, len(lists[i]))
	}
	ev.alloc(n * (len(lists) + 1))
	out := make([]any, n)
	for i := range out {
		row := make([]any, len(lists))
		for j := range lists {
			row[j] = lists[j][i]
		}
		out[i] = row
	}
	return out, nil
}

// fnSort implements $sort.
func fnSort(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	ev.alloc(len(asArray(v)))
	a := append([]any{}, asArray(v)...)
	if len(a) <= 1 {
		return a, nil
	}
	var cmpErr error
	if f := argAt(args, 1); f != Undefined {
		if !isFunction(f) {
			return nil, argErr(1, "sort")
		}
		sort.SliceStable(a, func(i, j int) bool {
			if cmpErr != nil {
				return false
			}
			r, err := ev.invoke(f, []any{a[j], a[i]}, Undefined)
			if err != nil {
				cmpErr = err
				return false
			}
			return ev.truthy(r)
		})
		return a, cmpErr
	}
	allNum, allStr := true, true
	for _, x := range a {
		if !isNumber(x) {
			allNum = false
		}
		if _, ok := x.(string); !ok {
			allStr = false
		}
	}
	if !allNum && !allStr {
		return nil, evalErr("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function")
	}
	sort.SliceStable(a, func(i, j int) bool { return compareValues(a[i], a[j]) < 0 })
	return a, nil
}
