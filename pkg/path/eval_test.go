package path

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
	jv "github.com/sfn-tool/sfn/pkg/value"
)

// decode parses JSON as the interpreter does (ordered objects, json.Number numbers).
func decode(tb testing.TB, s string) any {
	tb.Helper()
	v, err := load.DecodeJSON([]byte(s))
	if err != nil {
		tb.Fatalf("decode %s: %v", s, err)
	}
	return v
}

const storeDoc = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "arr": [0, 1, 2, 3, 4, 5],
  "flags": [{"id": 1, "ok": true}, {"id": 2, "ok": false}, {"id": 3, "ok": null}, {"id": "4"}],
  "n": null,
  "s": "str"
}`

func TestEval(t *testing.T) {
	doc := decode(t, storeDoc)
	cases := []struct {
		path string
		want string // JSON; "" means a *NotFoundError
	}{
		{"$", storeDoc},
		{"$.expensive", `10`},
		{"$.n", `null`},
		{"$.store.bicycle.color", `"red"`},
		{"$['store']['bicycle']['color']", `"red"`},
		{"$.store.book[0].author", `"Nigel Rees"`},
		{"$.store.book[-1].author", `"J. R. R. Tolkien"`},
		{"$.arr[(@.length-1)]", `[5]`},
		{"$.arr[(@.length-2)]", `[4]`},
		{"$.[0]", ""},
		{"$.arr.[0]", `0`},
		{"$.missing", ""},
		{"$.store.missing.x", ""},
		{"$.s.x", ""},
		{"$.n.x", ""},
		{"$.arr[6]", ""},
		{"$.arr[-7]", ""},
		{"$.s[0]", ""},
		{"$.store.book[*].author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{"$.store.*.color", `["red"]`},
		{"$.arr[1:3]", `[1,2]`},
		{"$.arr[-2:]", `[4,5]`},
		{"$.arr[:2]", `[0,1]`},
		{"$.arr[::2]", `[0,2,4]`},
		{"$.arr[::-2]", `[5,3,1]`},
		{"$.arr[4:1:-1]", `[4,3,2]`},
		{"$.arr[10:]", `[]`},
		{"$.arr[0,2,-1]", `[0,2,5]`},
		{"$.arr[0,9]", `[0]`},
		{"$.store.bicycle['color','price']", `{"color":"red","price":19.95}`},
		{"$.store.bicycle['color','nope']", `{"color":"red"}`},
		{"$.store.book[0:2]['title','price']", `[{"title":"Sayings of the Century","price":8.95},{"title":"Sword of Honour","price":12.99}]`},
		{"$..author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{"$.store..price", `[8.95,12.99,8.99,22.99,19.95]`}, // document order, as Jayway
		{"$..book[2].title", `["Moby Dick"]`},
		{"$..book[-1:].title", `["The Lord of the Rings"]`},
		{"$.store.book[?(@.isbn)].title", `["Moby Dick","The Lord of the Rings"]`},
		{"$.store.book[?(!@.isbn)].title", `["Sayings of the Century","Sword of Honour"]`},
		{"$.store.book[?(@.price < 10)].title", `["Sayings of the Century","Moby Dick"]`},
		{"$.store.book[?(@.price < 10 && @.category == 'fiction')].title", `["Moby Dick"]`},
		{"$.store.book[?(@.price > 20 || @.category == 'reference')].title", `["Sayings of the Century","The Lord of the Rings"]`},
		{"$.store.book[?(@.category != 'fiction')].title", `["Sayings of the Century"]`},
		{"$.store.book[?(@.price == 8.950)].title", `["Sayings of the Century"]`},
		{"$.store.book[?(@.author == \"Herman Melville\")].price", `[8.99]`},
		{"$.store.book[?(@.category == fiction)].price", `[12.99,8.99,22.99]`},
		{"$.flags[?(@.ok == true)].id", `[1]`},
		{"$.flags[?(@.ok == false)].id", `[2]`},
		{"$.flags[?(@.ok == null)].id", `[3]`},
		{"$.flags[?(@.ok)].id", `[1,2,3]`},
		{"$.flags[?(@.ok != true)].id", `[2,3,"4"]`},
		{"$.flags[?(@.id == 4)].id", `["4"]`},
		{"$.flags[?(@.id >= 2)].id", `[2,3]`},
		{"$.store.bicycle[?(@.color == 'red')].price", `[19.95]`},
		{"$.store.bicycle[?(@.color == 'blue')].price", `[]`},
		{"$.missing[*]", `[]`},
		{"$.item.items[:1]", `[]`},
		{"$.items[1:].itemValue", `[]`},
		{"$.items[*].itemValue", `[]`},
		{"$.s[*]", `[]`},
		{"$.arr[?(@ > 3)]", `[4,5]`},
	}
	for _, c := range cases {
		p, err := Parse(c.path)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.path, err)
			continue
		}
		got, err := p.Eval(doc, nil)
		if c.want == "" {
			var nf *NotFoundError
			if !errors.As(err, &nf) {
				t.Errorf("Eval(%q) = %v, %v; want a NotFoundError", c.path, js(got), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Eval(%q): %v", c.path, err)
			continue
		}
		if want := decode(t, c.want); !jsonEqual(got, want) {
			t.Errorf("Eval(%q) = %s, want %s", c.path, js(got), c.want)
		}
	}
}

// AWS's Jayway keeps the backslash of an escape in a quoted bracket name
// (recorded: scenarios_escape_sequences, ESCAPE_SEQUENCES_JSONPATH).
func TestEvalRawQuotedNames(t *testing.T) {
	doc := decode(t, `{"Test\\\"\"Name\"": 1, "a\\'b": 2, "x": 3}`)
	for path, want := range map[string]string{
		`$['Test\""Name"']`: `1`,
		`$['a\'b']`:         `2`,
		`$['a\'b','x']`:     `{"a\\'b":2,"x":3}`,
	} {
		got, err := MustParse(t, path).Eval(doc, nil)
		if err != nil || !jsonEqual(got, decode(t, want)) {
			t.Errorf("Eval(%s) = %s, %v; want %s", path, js(got), err, want)
		}
	}
	got, err := MustParse(t, `$['a\'b']`).Set(doc, "z")
	if v, _ := got.(*jv.Object).Get(`a\'b`); err != nil || v != "z" {
		t.Errorf("Set with a raw name = %s, %v", js(got), err)
	}
}

func TestEvalNotFoundMessages(t *testing.T) {
	doc := decode(t, `{"a": {"b": 1}, "s": "x"}`)
	for path, want := range map[string]string{
		"$.NoSuchInputPath": "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
		"$.a.c":             "Invalid path '$.a.c' : No results for path: $['a']['c']",
		"$.x.y":             "Invalid path '$.x.y' : Missing property in path $['x']",
		"$.a.b[0]":          "Invalid path '$.a.b[0]' : Filter: [0] can only be applied to arrays. Current context is: 1",
		"$.a[0]":            `Invalid path '$.a[0]' : Filter: [0] can only be applied to arrays. Current context is: {"b":1}`,
	} {
		_, err := MustParse(t, path).Eval(doc, nil)
		if err == nil || err.Error() != want {
			t.Errorf("Eval(%q) error = %v, want %q", path, err, want)
		}
	}
}

func MustParse(tb testing.TB, s string) *Path {
	tb.Helper()
	p, err := Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestEvalRoots(t *testing.T) {
	ctx := &EvalContext{
		Context: decode(t, `{"Execution": {"Name": "exec", "Input": {"k": [1, 2]}}}`),
		Variable: func(name string) (any, bool) {
			if name == "v" {
				return jv.ObjectOf("x", json.Number("7")), true
			}
			return nil, false
		},
	}
	for path, want := range map[string]string{
		"$$.Execution.Name":       `"exec"`,
		"$$.Execution.Input.k[1]": `2`,
		"$v.x":                    `7`,
		"$v":                      `{"x":7}`,
		"$$.Execution.Input.k[*]": `[1,2]`,
	} {
		got, err := MustParse(t, path).Eval(nil, ctx)
		if err != nil || !jsonEqual(got, decode(t, want)) {
			t.Errorf("Eval(%q) = %s, %v; want %s", path, js(got), err, want)
		}
	}
	var nf *NotFoundError
	if _, err := MustParse(t, "$w").Eval(nil, ctx); !errors.As(err, &nf) {
		t.Errorf("undefined variable: got %v", err)
	}
	if _, err := MustParse(t, "$v").Eval(nil, nil); !errors.As(err, &nf) {
		t.Errorf("variable without context: got %v", err)
	}
	if got, err := MustParse(t, "$$").Eval(nil, nil); err != nil || got != nil {
		t.Errorf("$$ without context = %v, %v", got, err)
	}
}

func TestEvalCopies(t *testing.T) {
	doc := decode(t, `{"a": {"b": [1, {"c": 2}]}}`)
	got, err := MustParse(t, "$.a").Eval(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := got.(*jv.Object).Get("b")
	b.([]any)[1].(*jv.Object).Members()[0].Value = "changed"
	list, _ := MustParse(t, "$..c").Eval(doc, nil)
	if !jsonEqual(list, decode(t, `[2]`)) {
		t.Errorf("input modified through the result: %s", js(doc))
	}
}

func TestSet(t *testing.T) {
	cases := []struct {
		root, path, value, want string // want "" means a *SetError
	}{
		{`{"a":1}`, "$", `{"r":1}`, `{"r":1}`},
		{`"str"`, "$", `2`, `2`},
		{`{"a":1}`, "$.r", `[1]`, `{"a":1,"r":[1]}`},
		{`{"a":1}`, "$.a", `null`, `{"a":null}`},
		{`{"a":1}`, "$.x.y.z", `true`, `{"a":1,"x":{"y":{"z":true}}}`},
		{`{"a":{"b":1}}`, "$.a.c", `2`, `{"a":{"b":1,"c":2}}`},
		{`{"a":[1,{"b":1}]}`, "$.a[1].c", `2`, `{"a":[1,{"b":1,"c":2}]}`},
		{`{"a":[1,2]}`, "$.a[0]", `9`, `{"a":[9,2]}`},
		{`{"a":[1,2]}`, "$.a[-1]", `9`, `{"a":[1,9]}`},
		// order: a replaced member keeps its place, a new one is appended
		{`{"b":1,"a":2,"c":3}`, "$.a", `{"y":1,"x":2}`, `{"b":1,"a":{"y":1,"x":2},"c":3}`},
		{`{"b":1,"a":2}`, "$.z", `0`, `{"b":1,"a":2,"z":0}`},
		{`{"b":{"d":1,"c":2},"a":2}`, "$.b.a", `0`, `{"b":{"d":1,"c":2,"a":0},"a":2}`},
		{`{"a":[1,2]}`, "$.a[2]", `9`, ``},
		{`{"a":"s"}`, "$.a.b", `1`, ``},
		{`{"a":null}`, "$.a.b", `1`, ``},
		{`"str"`, "$.a", `1`, ``},
		{`[1]`, "$.a", `1`, ``},
		{`{"a":{}}`, "$.a[0]", `1`, ``},
		{`{}`, "$.a[*]", `1`, ``},
		{`{}`, "$$.a", `1`, ``},
	}
	for _, c := range cases {
		root := decode(t, c.root)
		before := js(root)
		got, err := MustParse(t, c.path).Set(root, decode(t, c.value))
		if c.want == "" {
			var se *SetError
			if !errors.As(err, &se) {
				t.Errorf("Set(%s, %q) = %s, %v; want a SetError", c.root, c.path, js(got), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Set(%s, %q): %v", c.root, c.path, err)
			continue
		}
		if jv.String(got) != c.want {
			t.Errorf("Set(%s, %q) = %s, want %s", c.root, c.path, jv.String(got), c.want)
		}
		if js(root) != before {
			t.Errorf("Set(%s, %q) modified its root: %s", c.root, c.path, js(root))
		}
	}
}

func TestSliceIndexes(t *testing.T) {
	ip := func(i int) *int { return &i }
	for _, c := range []struct {
		start, end, step *int
		want             []int
	}{
		{nil, nil, nil, []int{0, 1, 2, 3, 4}},
		{ip(-2), nil, nil, []int{3, 4}},
		{ip(-10), ip(2), nil, []int{0, 1}},
		{nil, ip(-3), nil, []int{0, 1}},
		{nil, nil, ip(-1), []int{4, 3, 2, 1, 0}},
		{ip(3), ip(0), ip(-1), []int{3, 2, 1}},
		{ip(10), nil, ip(-2), []int{4, 2, 0}},
		{nil, ip(-10), ip(-1), []int{4, 3, 2, 1, 0}},
		{ip(1), ip(1), nil, nil},
	} {
		if got := sliceIndexes(5, c.start, c.end, c.step); !reflect.DeepEqual(got, c.want) {
			t.Errorf("sliceIndexes(%v,%v,%v) = %v, want %v", c.start, c.end, c.step, got, c.want)
		}
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonEqual compares JSON values with numbers by value.
func jsonEqual(a, b any) bool { return equal(value(a), value(b)) }
