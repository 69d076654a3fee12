package intrinsic

import (
	"strings"
	"testing"
)

func TestProblemCategory(t *testing.T) {
	nest := strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11)
	for _, tc := range []struct {
		src  string
		want Category
	}{
		{"States.Nope(1)", CategoryUnknown},
		{"States.MathAdd(1, 2, 3)", CategoryArity},
		{"States.UUID(1)", CategoryArity},
		{"States.Format('x {}')", CategoryLiteral},
		{"States.Hash($.a, 'SHA-2')", CategoryLiteral},
		{nest, CategoryNesting},
	} {
		c, err := Parse(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		probs := Check(c)
		if len(probs) != 1 || probs[0].Category != tc.want {
			t.Errorf("%s: got %+v, want one problem of category %d", tc.src, probs, tc.want)
		}
	}
}
