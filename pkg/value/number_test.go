package value

import (
	"encoding/json"
	"math"
	"testing"
)

func TestFloatRules(t *testing.T) {
	for _, tc := range []struct {
		in               any
		strict, jackson  float64
		strictOK, jackOK bool
	}{
		{json.Number("1.5"), 1.5, 1.5, true, true},
		{json.Number("1e400"), 0, math.Inf(1), false, true},
		{json.Number("-1e400"), 0, math.Inf(-1), false, true},
		{json.Number("x"), 0, 0, false, false},
		{int64(7), 7, 7, true, true},
		{uint32(3), 3, 3, true, true},
		{"1", 0, 0, false, false},
		{nil, 0, 0, false, false},
	} {
		f, ok := Float(tc.in)
		if ok != tc.strictOK || (ok && f != tc.strict) {
			t.Errorf("Float(%#v) = %v, %v; want %v, %v", tc.in, f, ok, tc.strict, tc.strictOK)
		}
		f, ok = JacksonFloat(tc.in)
		if ok != tc.jackOK || (ok && f != tc.jackson) {
			t.Errorf("JacksonFloat(%#v) = %v, %v; want %v, %v", tc.in, f, ok, tc.jackson, tc.jackOK)
		}
	}
}

func TestTypeName(t *testing.T) {
	for v, want := range map[any]string{nil: "null", "s": "string", true: "boolean", json.Number("1"): "number", 2.5: "number", struct{}{}: "unknown"} {
		if got := TypeName(v); got != want {
			t.Errorf("TypeName(%#v) = %q, want %q", v, got, want)
		}
	}
	if TypeName([]any{}) != "array" || TypeName(NewObject(0)) != "object" {
		t.Error("containers misnamed")
	}
}

func TestCopy(t *testing.T) {
	inner := []any{json.Number("1")}
	o := ObjectOf("a", inner, "b", "x")
	budget := 10
	c, ok := Copy(o, &budget)
	if !ok || !Equal(c, o) {
		t.Fatalf("Copy = %v, %v", c, ok)
	}
	c.(*Object).Set("b", "y")
	if v, _ := o.Get("b"); v != "x" {
		t.Error("copy shares the object")
	}
	a, _ := c.(*Object).Get("a")
	a.([]any)[0] = "changed"
	if inner[0] != json.Number("1") {
		t.Error("copy shares the array")
	}
	small := 2
	if _, ok := Copy(o, &small); ok {
		t.Error("budget of 2 copied 4 nodes")
	}
}
