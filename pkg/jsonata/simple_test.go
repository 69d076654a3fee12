package jsonata

import (
	"encoding/json"
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
)

// TestSimplePathSameAnswers evaluates member chains with and without the simplePath shortcut:
// every answer (value or error) must be the same, and the shortcut must be taken exactly where
// the answer is plain.
func TestSimplePathSameAnswers(t *testing.T) {
	doc := value.ObjectOf(
		"input", value.ObjectOf(
			"order", value.ObjectOf("id", "o-1", "total", json.Number("12.50"), "paid", true, "note", nil,
				"lines", []any{value.ObjectOf("sku", "a"), value.ObjectOf("sku", "b")},
				"customer", value.ObjectOf("name", "Ann")),
			"list", []any{json.Number("1"), json.Number("2")}),
	)
	env := &Env{Var: func(name string) (any, bool) {
		switch name {
		case "states":
			return doc, true
		case "n":
			return json.Number("3"), true
		}
		return nil, false
	}}
	for _, tc := range []struct {
		src      string
		shortcut bool
	}{
		{"$states.input.order.id", true},
		{"$states.input.order.total", true},
		{"$states.input.order.paid", true},
		{"$states.input.order.note", true},
		{"$states.input.order.customer", true},      // an object of the variable
		{"$states.input.order.lines.sku", false},    // an array on the way
		{"$states.input.list", true},                // an array of the variable, as it is
		{"$states.input.order.missing", false},      // undefined
		{"$states.input.order.id.more", false},      // a string on the way
		{"$states.input.order.note.more", false},    // null on the way
		{"$unbound.x", false},                       // an unbound variable
		{"$n.x", false},                             // a number on the way
		{"$states.input.order.lines[0].sku", false}, // a predicate
		{"$states.input.`order`.id", true},          // an escaped name is a name
		{"$states.input.order.id & ''", false},      // not a path
	} {
		e, err := Parse(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if e.simple == nil && tc.shortcut {
			t.Errorf("%s: no shortcut", tc.src)
		}
		took := false
		if e.simple != nil {
			_, took = e.simple.eval(env)
		}
		if took != tc.shortcut {
			t.Errorf("%s: shortcut taken %v, want %v", tc.src, took, tc.shortcut)
		}
		got, gotErr := e.Eval(env)
		general := &Expr{Source: e.Source, Root: e.Root}
		want, wantErr := general.Eval(env)
		if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
			t.Errorf("%s: error %v, want %v", tc.src, gotErr, wantErr)
			continue
		}
		if IsUndefined(want) != IsUndefined(got) || (!IsUndefined(want) && !value.Equal(got, want)) {
			t.Errorf("%s = %v, want %v", tc.src, got, want)
		}
	}
}

// TestSimplePathMember: with Env.Member, $states.input.x is read without $states being built;
// a member Member does not know goes to Var.
func TestSimplePathMember(t *testing.T) {
	built := 0
	env := &Env{
		Var: func(name string) (any, bool) {
			built++
			return value.ObjectOf("input", value.ObjectOf("x", "from var"), "result", value.ObjectOf("y", json.Number("2"))), true
		},
		Member: func(variable, name string) (any, bool) {
			if variable == "states" && name == "input" {
				return value.ObjectOf("x", "from member"), true
			}
			return nil, false
		},
	}
	for src, want := range map[string]any{"$states.input.x": "from member", "$states.result.y": json.Number("2")} {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := e.Eval(env); err != nil || !value.Equal(got, want) {
			t.Errorf("%s = %v, %v; want %v", src, got, err, want)
		}
	}
	if built != 1 {
		t.Errorf("$states built %d times, want once (for result only)", built)
	}
}

// testVars is an Env.Vars: $states (whose input member is read alone) and $n.
type testVars struct{ built int }

func (v *testVars) Var(name string) (any, bool) {
	switch name {
	case "states":
		v.built++
		return value.ObjectOf("input", value.ObjectOf("x", "var")), true
	case "n":
		return json.Number("2"), true
	}
	return nil, false
}

func (v *testVars) Member(variable, name string) (any, bool) {
	if variable == "states" && name == "input" {
		return value.ObjectOf("x", "member"), true
	}
	return nil, false
}

// TestEnvVars: Env.Vars answers as Var and Member do, in the shortcut and in the evaluator's
// paths ($states.input.x read as a member everywhere; $states whole only where it is read whole).
func TestEnvVars(t *testing.T) {
	vars := &testVars{}
	env := &Env{Vars: vars}
	for src, want := range map[string]any{"$states.input.x": "member", "$n + 1": 3.0, "$states.input.x & $string($n)": "member2", "($s := $states; $s.input.x)": "var"} {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := e.Eval(env); err != nil || !value.Equal(got, want) {
			t.Errorf("%s = %v, %v; want %v", src, got, err, want)
		}
	}
	if vars.built != 1 {
		t.Errorf("$states built %d times, want once (only where a block reads it whole)", vars.built)
	}
}

// TestConcatenationChain: a chain a & b & c (written into one buffer) answers as the nested
// operators do, value and error alike (the parenthesised form is not flattened).
func TestConcatenationChain(t *testing.T) {
	for _, tc := range [][2]string{
		{"'a' & 1 & true & null & [1,2] & {'k': 'v'}", "(((('a' & 1) & true) & null) & [1,2]) & {'k': 'v'}"},
		{"'a' & 1/0 & $error('x')", "('a' & 1/0) & $error('x')"},
		{"$error('y') & 1/0 & 'b'", "($error('y') & 1/0) & 'b'"},
		{"'a' & $undefined & 'c'", "('a' & $undefined) & 'c'"},
		{"'1' & '2' & '3' & '4' & '5' & '6' & '7' & '8' & '9' & '10'", "((((((((('1' & '2') & '3') & '4') & '5') & '6') & '7') & '8') & '9') & '10')"},
	} {
		var got, want [2]any
		for i, src := range tc {
			e, err := Parse(src)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			v, err := e.Eval(&Env{})
			if err != nil {
				v = err.Error()
			}
			if i == 0 {
				got[0] = v
			} else {
				want[0] = v
			}
		}
		if got != want {
			t.Errorf("%s = %v; %s = %v", tc[0], got[0], tc[1], want[0])
		}
	}
}
