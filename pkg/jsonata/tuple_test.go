package jsonata

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const tupleDoc = `{
  "loans": [{"isbn": "a", "who": "c1"}, {"isbn": "b", "who": "c2"}, {"isbn": "a", "who": "c2"}],
  "books": [{"isbn": "a", "title": "A"}, {"isbn": "b", "title": "B"}],
  "orders": [
    {"id": "o1", "items": [{"sku": "x", "price": 2}, {"sku": "y", "price": 1}]},
    {"id": "o2", "items": [{"sku": "z", "price": 3}]}
  ]
}`

// TestTuplePaths: the focus (@), index (#) and parent (%) bindings, evaluated as tuple streams.
func TestTuplePaths(t *testing.T) {
	in, err := decodeSuiteJSON([]byte(tupleDoc))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		// focus: a join of loans and books
		{`loans@$l.books@$b[$l.isbn = $b.isbn].{"t": $b.title, "w": $l.who}`,
			`[{"t":"A","w":"c1"},{"t":"B","w":"c2"},{"t":"A","w":"c2"}]`},
		// index: positions in the stream, before and after a filter
		{`orders.items#$i.sku`, `["x","y","z"]`},
		{`orders.items#$i[$i = 0].sku`, `["x","z"]`},
		{`orders.items[price > 1]#$i.($i & sku)`, `["0x","1z"]`}, // a stage numbers the whole stream
		{`loans#$i[who = "c2"].$i`, `[1,2]`},
		{`$.loans#$i[0].who`, `"c1"`},
		// parent: the step before, two steps up, inside a predicate and a sort
		{`orders.items.{"sku": sku, "order": %.id}`, `[{"sku":"x","order":"o1"},{"sku":"y","order":"o1"},{"sku":"z","order":"o2"}]`},
		{`orders.items.sku.%.%.id`, `["o1","o1","o2"]`},
		{`orders.items[%.id = "o2"].sku`, `"z"`},
		{`orders.items.sku^(>%.price)`, `["z","x","y"]`},
		{`orders.items^(price)#$i.{"sku": sku, "i": $i}`, `[{"sku":"y","i":0},{"sku":"x","i":1},{"sku":"z","i":2}]`},
		// group-by over tuples sees the bindings
		{`orders.items@$it{id: $count($it)}`, `{"o1":2,"o2":1}`}, // the focus keeps the order as context
		{`loans@$l.books@$b[$l.isbn = $b.isbn]{$b.title: $l.who}`, `{"A":["c1","c2"],"B":"c2"}`},
		// keep singleton arrays; an empty stream is undefined
		{`orders.items#$i[$i = 1].sku[]`, `["y"]`},
		{`loans@$l.books@$b[$l.isbn = "none"].$b`, `undefined`},
		// a block a parent reaches into
		{`(orders.items)[%.id = "o1"].sku`, `["x","y"]`},
	} {
		e, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		v, err := e.EvalInput(in, nil)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := shortJSON(v); got != c.want {
			t.Errorf("%q = %s; want %s", c.in, got, c.want)
		}
	}
}

// TestTupleLimits: tuple streams count against the evaluation's cell budget (a cross join of two
// generated arrays is refused, not built), and generated long chains of % parse and evaluate.
func TestTupleLimits(t *testing.T) {
	items := make([]string, 3000)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	arr := "[" + strings.Join(items, ",") + "]"
	e, err := Parse("$a@$x.$a@$y.($x + $y)")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := decodeSuiteJSON([]byte(arr))
	env := &Env{Limits: &Limits{MaxCells: 1_000_000}, Var: func(n string) (any, bool) { return a, n == "a" }}
	_, err = e.Eval(env)
	var ee *EvalError
	if !errors.As(err, &ee) || ee.Code != "S0501" {
		t.Fatalf("3000x3000 join: %v; want S0501", err)
	}

	// a.a.a...a.%.%...% : each % goes one step further up.
	for _, n := range []int{10, 300} {
		src := "a" + strings.Repeat(".a", n) + strings.Repeat(".%", n)
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("%d levels: %v", n, err)
		}
		doc := strings.Repeat(`{"a":`, n+1) + "1" + strings.Repeat("}", n+1)
		in, _ := decodeSuiteJSON([]byte(doc))
		v, err := e.EvalInput(in, nil)
		if err != nil {
			t.Fatalf("%d levels: %v", n, err)
		}
		if s := shortJSON(v); !strings.HasPrefix(s, `{"a":{"a":`) {
			t.Errorf("%d levels: %.40s", n, s)
		}
	}
	// more % than steps: S0217 at parse time
	if _, err := Parse("a.b" + strings.Repeat(".%", 3)); err == nil {
		t.Error("a.b.%.%.% parses")
	}
}

// TestTupleNestedBuild: tuple paths nested in the steps of tuple paths are built once each (a
// tree built twice per level would take 2^100 steps here: found by FuzzParse).
func TestTupleNestedBuild(t *testing.T) {
	src := strings.Repeat("$x@$a[0].(", 100) + "$a" + strings.Repeat(")", 100)
	e, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(&Env{Var: func(string) (any, bool) { return []any{1.0}, true }}); err != nil {
		t.Fatal(err)
	}
}
