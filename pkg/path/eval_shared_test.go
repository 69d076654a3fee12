package path

import (
	"testing"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

// Eval copies its results unless the context says they may be shared; the fast and the full walk
// give the same values.
func TestEvalShared(t *testing.T) {
	inner := jv.ObjectOf("b", []any{"x"})
	input := jv.ObjectOf("a", inner, "l", []any{inner, inner})
	for _, src := range []string{"$.a", "$.l[1]", "$.l[-1]", "$.l[0:1]", "$['a']"} {
		p := MustParse(t, src)
		copied, err := p.Eval(input, nil)
		if err != nil {
			t.Fatal(err)
		}
		shared, err := p.Eval(input, &EvalContext{Shared: true})
		if err != nil {
			t.Fatal(err)
		}
		if jv.String(copied) != jv.String(shared) {
			t.Fatalf("%s: %v != %v", src, copied, shared)
		}
		if m, ok := copied.(*jv.Object); ok {
			m.Set("b", "changed")
			if b, _ := inner.Get("b"); b == "changed" {
				t.Fatalf("%s: the copy shares the input", src)
			}
		}
	}
	if v, _ := MustParse(t, "$.a").Eval(input, &EvalContext{Shared: true}); !v.(*jv.Object).Has("b") {
		t.Fatal("shared result lost its member")
	}
	for _, src := range []string{"$.missing", "$.a.b.c", "$.l[5]"} {
		_, err1 := MustParse(t, src).Eval(input, nil)
		_, err2 := MustParse(t, src).Eval(input, &EvalContext{Shared: true})
		if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
			t.Fatalf("%s: %v / %v", src, err1, err2)
		}
	}
}
