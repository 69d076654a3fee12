package path

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

func decodeDoc(tb testing.TB, s string) any {
	tb.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	v, err := jv.Decode(d)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func mustEval(tb testing.TB, src string, doc any, ctx *EvalContext) any {
	tb.Helper()
	p, err := Parse(src)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", src, err)
	}
	v, err := p.Eval(doc, ctx)
	if err != nil {
		tb.Fatalf("%s: %v", src, err)
	}
	return v
}

// Inside a filter, `$` is the document the path is evaluated on (as in
// Jayway, which AWS runs), `$$` the context object and `$name` a variable.
func TestFilterRootReferences(t *testing.T) {
	doc := decodeDoc(t, `{"agent_id": "w2", "limit": 2, "approaches": [
		{"workerId": "w1", "approach": "a", "n": 1}, {"workerId": "w2", "approach": "b", "n": 2},
		{"workerId": "w2", "approach": "c", "n": 3}]}`)
	ctx := &EvalContext{
		Context: decodeDoc(t, `{"Execution": {"Name": "w1"}, "Execution2": {"Input": {"id": 1, "items": [{"id": 1}, {"id": 2}]}}}`),
		Variable: func(name string) (any, bool) {
			if name == "who" {
				return "w2", true
			}
			return nil, false
		},
	}
	for _, c := range []struct{ path, want string }{
		{"$.approaches[?(@.workerId == $.agent_id)].approach", `["b","c"]`},
		{"$.approaches[?($.agent_id == @.workerId && @.n > $.limit)].approach", `["c"]`},
		{"$.approaches[?(@.n <= $['limit'])].approach", `["a","b"]`},
		{"$.approaches[?(@.workerId == $$.Execution.Name)].approach", `["a"]`},
		{"$.approaches[?(@.workerId == $who)].approach", `["b","c"]`},
		{"$.approaches[?(@.workerId == $nobody)].approach", `[]`},
		{"$.approaches[?(@.workerId == $.missing)].approach", `[]`},
		{"$.approaches[?($.agent_id)].n", `[1,2,3]`},
		{"$.approaches[?(@.n == $.approaches.length)].approach", `["c"]`},
		{"$.approaches[?(@.n in $..n)].approach", ``}, // not Jayway syntax: parse error checked below
		// For a `$$` path, `$` inside the filter is the context object.
		{"$$.Execution2.Input.items[?(@.id == $.Execution2.Input.id)]", `[{"id":1}]`},
	} {
		p, err := Parse(c.path)
		if c.want == "" {
			if err == nil {
				t.Errorf("Parse(%q): want an error", c.path)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", c.path, err)
			continue
		}
		got, err := p.Eval(doc, ctx)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if s, _ := json.Marshal(got); string(s) != c.want {
			t.Errorf("%s = %s, want %s", c.path, s, c.want)
		}
	}
}

// A root path inside a filter has the same value for every node: it is
// evaluated once, so a filter over n elements with `$..*` inside costs
// O(n), not O(n²) (which would exceed the step budget here).
func TestFilterRootReferenceOnce(t *testing.T) {
	const n = 20000
	items := make([]any, n)
	for i := range items {
		items[i] = jv.ObjectOf("v", json.Number(strconv.Itoa(i)))
	}
	doc := jv.ObjectOf("items", items)
	got := mustEval(t, "$.items[?(@.v == $..v.length)]", doc, nil)
	if a := got.([]any); len(a) != 0 {
		t.Errorf("got %d matches, want 0 (the value of $..v.length is a list, not a number)", len(a))
	}
	got = mustEval(t, "$.items[?($..v)].v", doc, &EvalContext{Shared: true})
	if a := got.([]any); len(a) != n {
		t.Errorf("got %d matches, want %d", len(a), n)
	}
}

// Filter comparisons are exact for large integers and cheap for numbers
// beyond a double's range (which Jackson reads as ±Infinity).
func TestFilterNumbers(t *testing.T) {
	doc := decodeDoc(t, `[{"n": 9007199254740993}, {"n": 9007199254740992}, {"n": 1e400}, {"n": -1e4000000}, {"n": 1e-500},
		{"n": 123456789012345678901234567890}]`)
	for _, c := range []struct{ path, want string }{
		{"$[?(@.n == 9007199254740993)].n", `[9007199254740993]`},
		{"$[?(@.n > 9007199254740992 && @.n < 1e300)].n", `[9007199254740993,123456789012345678901234567890]`},
		{"$[?(@.n == 1e500)].n", `[1e400]`},
		{"$[?(@.n < -1e308)].n", `[-1e4000000]`},
		{"$[?(@.n == 0)].n", `[1e-500]`},
		{"$[?(@.n == 123456789012345678901234567891)].n", `[]`},
	} {
		got := mustEval(t, c.path, doc, nil)
		if s, _ := json.Marshal(got); string(s) != c.want {
			t.Errorf("%s = %s, want %s", c.path, s, c.want)
		}
	}
}

// deepArrays returns n arrays nested in each other.
func deepArrays(n int) any {
	var v any = json.Number("1")
	for i := 0; i < n; i++ {
		v = []any{v, json.Number("2")}
	}
	return v
}

// Shapes whose cost multiplies end with a *LimitError instead of running
// for hours or exhausting memory.
func TestEvalBounded(t *testing.T) {
	deep := deepArrays(5000) // a ~25 KB document, 10,000 nodes
	wide := make([]any, 2000)
	for i := range wide {
		wide[i] = json.Number(strconv.Itoa(i))
	}
	shared := any("x")
	for i := 0; i < 40; i++ {
		shared = []any{shared, shared} // 2^40 leaves when copied
	}
	union := "[" + strings.TrimSuffix(strings.Repeat("0,", 300), ",") + "]"
	for _, c := range []struct {
		path string
		doc  any
		ctx  *EvalContext
	}{
		{"$..*..*..*", deep, &EvalContext{Shared: true}},
		{"$..*..*", deep, nil}, // the matches, copied, would be 25 million nodes
		{"$" + union + union + union, deepArrays(4), &EvalContext{Shared: true}},
		{"$..[?(@..*)]", deep, &EvalContext{Shared: true}},
		{"$", shared, nil},
		{"$[0]", shared, nil},
		{"$[*]", shared, nil},
	} {
		p, err := Parse(c.path)
		if err != nil {
			t.Fatalf("Parse(%.40q): %v", c.path, err)
		}
		_, err = p.Eval(c.doc, c.ctx)
		var le *LimitError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), "exceeded") {
			t.Errorf("%.40s: want a *LimitError, got %v", c.path, err)
		}
	}
	// The same shapes over ordinary documents are fine.
	if got := mustEval(t, "$..*..*", deepArrays(50), nil); len(got.([]any)) == 0 {
		t.Error("$..*..* over a small document selected nothing")
	}
	if got := mustEval(t, "$..*", deep, &EvalContext{Shared: true}); len(got.([]any)) != 10000 {
		t.Errorf("$..* selected %d nodes, want 10000", len(got.([]any)))
	}
}

// A definite path of many segments that fails deep in a deep document
// reports the Jayway rendering of the path up to the failure.
func TestEvalLongDefinitePath(t *testing.T) {
	doc := deepArrays(3000)
	src := "$" + strings.Repeat("[0]", 3000) + "[0]"
	p, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Eval(doc, nil)
	var nf *NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(nf.Message, "Current context is: 1") {
		t.Errorf("want a *NotFoundError, got %.200v", err)
	}
}

// Filter and script expressions count against the step budget, and script
// arithmetic stays within a bounded size.
func TestExpressionsBounded(t *testing.T) {
	items := make([]any, 5000)
	for i := range items {
		items[i] = jv.ObjectOf("a", json.Number("2"))
	}
	chain := strings.TrimSuffix(strings.Repeat("@.a*", 5000), "*")
	p, err := Parse("$[(" + chain + ")]")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.Eval(jv.ObjectOf("a", json.Number("1e300")), nil); err != nil || len(got.([]any)) != 0 {
		t.Errorf("huge script product: %v, %v", got, err)
	}
	p, err = Parse("$[?(" + strings.TrimSuffix(strings.Repeat("@.a == 1 || ", 2000), " || ") + ")]")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Eval(items, &EvalContext{Shared: true})
	var le *LimitError
	if !errors.As(err, &le) {
		t.Errorf("a 2000-term filter over 5000 elements: want a *LimitError, got %v", err)
	}
}
