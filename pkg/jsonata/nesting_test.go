package jsonata

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

var nodeType = reflect.TypeOf((*Node)(nil)).Elem()

// astDepth measures the depth of a parsed tree (nodes inside nodes, through any field).
func astDepth(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		d := astDepth(v.Elem())
		if v.Kind() == reflect.Pointer && v.Type().Implements(nodeType) {
			d++ // one node (the interface holding it is not a level)
		}
		return d
	case reflect.Slice, reflect.Array:
		m := 0
		for i := 0; i < v.Len(); i++ {
			m = max(m, astDepth(v.Index(i)))
		}
		return m
	case reflect.Struct:
		if v.Type().PkgPath() != nodeType.PkgPath() {
			return 0
		}
		m := 0
		for i := 0; i < v.NumField(); i++ {
			m = max(m, astDepth(v.Field(i)))
		}
		return m
	}
	return 0
}

// randomExpr builds a random expression of about depth levels from the shapes that nest.
func randomExpr(r *rand.Rand, depth int) string {
	if depth <= 0 {
		return [...]string{"1", "$x", "'s)]}'", `"(["`, "a.b", "$match('a', /[)(]\\//)", "true"}[r.IntN(7)]
	}
	shape := r.IntN(14)
	deep := r.IntN([14]int{1, 2, 1, 1, 2, 3, 1, 2, 1, 1, 2, 1, 1, 1}[shape]) // the operand that goes deep
	n := 0
	sub := func() string {
		n++
		if n-1 == deep {
			return randomExpr(r, depth-1)
		}
		return randomExpr(r, r.IntN(3))
	}
	switch shape {
	case 0:
		return "(" + sub() + ")"
	case 1:
		return "[" + sub() + ", " + sub() + "]"
	case 2:
		return "{'k': " + sub() + "}"
	case 3:
		return "-" + sub()
	case 4:
		return sub() + " & " + sub()
	case 5:
		return sub() + " ? " + sub() + " : " + sub()
	case 6:
		return "$f(" + sub() + ")"
	case 7:
		return sub() + "[" + sub() + "]"
	case 8:
		return "function($x){" + sub() + "}"
	case 9:
		return "($v := " + sub() + "; $v)"
	case 10:
		return sub() + " and " + sub()
	case 11:
		return "$x.(" + sub() + ")"
	case 12:
		return "$not(" + sub() + ")"
	}
	return "$match(" + sub() + ", /(a)\\)/)"
}

// TestNestingBoundsTheTree: whatever Parse accepts has a parse tree no deeper than the limit (so
// the analyses and the evaluator, which recurse over it, stay within MaxDepth), on random
// expressions built around the limit.
func TestNestingBoundsTheTree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	accepted, refused := 0, 0
	for i := 0; i < 200; i++ {
		src := randomExpr(r, 50+r.IntN(1100))
		e, err := Parse(src)
		if err != nil {
			if strings.Contains(err.Error(), "nested too deeply") {
				refused++
			}
			continue
		}
		accepted++
		if d := astDepth(reflect.ValueOf(&e.Root).Elem()); d > MaxNesting+1 {
			t.Fatalf("accepted a tree %d deep: %.200s", d, src)
		}
	}
	if accepted == 0 || refused == 0 {
		t.Fatalf("accepted %d, refused %d: the generator misses the limit", accepted, refused)
	}
	t.Logf("accepted %d, refused %d", accepted, refused)
}
