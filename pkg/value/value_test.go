package value

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func decode(tb testing.TB, s string) any {
	tb.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	v, err := Decode(d)
	if err != nil {
		tb.Fatalf("Decode(%s): %v", s, err)
	}
	return v
}

// bigObject has n members k0..k(n-1) in reverse order of their names' numbers.
func bigObject(n int) *Object {
	o := NewObject(n)
	for i := n - 1; i >= 0; i-- {
		o.Set(fmt.Sprintf("k%d", i), json.Number(fmt.Sprint(i)))
	}
	return o
}

func TestObjectOrder(t *testing.T) {
	for _, c := range []struct {
		name string
		o    *Object
		want string
	}{
		{"insertion order", ObjectOf("b", 1, "a", 2, "c", 3), `{"b":1,"a":2,"c":3}`},
		{"set replaces in place", func() *Object { o := ObjectOf("b", 1, "a", 2); o.Set("b", 9); return o }(), `{"b":9,"a":2}`},
		{"set appends", func() *Object { o := ObjectOf("b", 1); o.Set("a", 2); return o }(), `{"b":1,"a":2}`},
		{"delete keeps the rest", func() *Object { o := ObjectOf("c", 1, "b", 2, "a", 3); o.Delete("b"); return o }(), `{"c":1,"a":3}`},
		{"delete missing", func() *Object { o := ObjectOf("a", 1); o.Delete("x"); return o }(), `{"a":1}`},
		{"empty", NewObject(0), `{}`},
		{"nil", nil, `{}`},
		{"repeated key: first place, last value", FromMembers([]Member{{"b", 1}, {"a", 2}, {"b", 3}}), `{"b":3,"a":2}`},
		{"repeated key, indexed", FromMembers(append(bigObject(10).Members(), Member{"k9", "x"})),
			`{"k9":"x","k8":8,"k7":7,"k6":6,"k5":5,"k4":4,"k3":3,"k2":2,"k1":1,"k0":0}`},
		{"from Go map: sorted", FromGo(map[string]any{"b": 1, "a": map[string]any{"d": 1, "c": 2}}).(*Object), `{"a":{"c":2,"d":1},"b":1}`},
		{"decoded: document order", decode(t, `{"z": 1, "y": {"b": [1, {"d": null, "c": true}], "a": "s"}}`).(*Object),
			`{"z":1,"y":{"b":[1,{"d":null,"c":true}],"a":"s"}}`},
		{"decoded, repeated key (Jackson)", decode(t, `{"b": 1, "a": 2, "b": 3}`).(*Object), `{"b":3,"a":2}`},
	} {
		if got := String(c.o); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if b, err := json.Marshal(c.o); c.o != nil && (err != nil || string(b) != c.want) {
			t.Errorf("%s: json.Marshal = %s, %v", c.name, b, err)
		}
	}
}

func TestObjectLookup(t *testing.T) {
	for _, n := range []int{0, 1, indexMin, indexMin + 1, 100} {
		o := bigObject(n)
		if o.Len() != n {
			t.Fatalf("Len = %d, want %d", o.Len(), n)
		}
		for i := 0; i < n; i++ {
			if v, ok := o.Get(fmt.Sprintf("k%d", i)); !ok || v != json.Number(fmt.Sprint(i)) {
				t.Fatalf("n=%d: Get(k%d) = %v, %v", n, i, v, ok)
			}
		}
		if _, ok := o.Get("missing"); ok || o.Has("missing") {
			t.Fatalf("n=%d: found a missing key", n)
		}
		// Deleting keeps lookups right (the index is rebuilt or dropped).
		if n > 0 {
			o.Delete("k0")
			if o.Has("k0") || o.Len() != n-1 {
				t.Fatalf("n=%d: k0 still there after Delete", n)
			}
			for i := 1; i < n; i++ {
				if !o.Has(fmt.Sprintf("k%d", i)) {
					t.Fatalf("n=%d: lost k%d after Delete", n, i)
				}
			}
		}
	}
	var nilObj *Object
	if nilObj.Len() != 0 || nilObj.Has("a") || nilObj.Keys() == nil || len(nilObj.Members()) != 0 {
		t.Error("a nil object is not empty")
	}
}

func TestCopyOnWrite(t *testing.T) {
	for _, n := range []int{2, 20} {
		o := bigObject(n)
		before := String(o)
		with := o.With("new", true)
		replaced := o.With("k0", "x")
		without := o.Without("k1")
		if String(o) != before {
			t.Fatalf("n=%d: With/Without changed the original: %s", n, String(o))
		}
		if with.Len() != n+1 || with.Members()[n].Key != "new" {
			t.Errorf("n=%d: With appends: %s", n, String(with))
		}
		if v, _ := replaced.Get("k0"); v != "x" || replaced.Members()[n-1].Key != "k0" || replaced.Len() != n {
			t.Errorf("n=%d: With replaces in place: %s", n, String(replaced))
		}
		if without.Has("k1") || without.Len() != n-1 {
			t.Errorf("n=%d: Without: %s", n, String(without))
		}
		if o.Without("missing") != o {
			t.Errorf("n=%d: Without a missing key copies", n)
		}
		// Appending to copies made from the same original never shows in the other.
		a, b := o.With("x", 1), o.With("y", 2)
		if a.Has("y") || b.Has("x") {
			t.Errorf("n=%d: copies share their members", n)
		}
	}
}

func TestEqual(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[1,2]}`, `{"b":[1,2],"a":1}`, true}, // order ignored, as Jackson and JSONata compare
		{`{"a":1}`, `{"a":1.0}`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`{"a":1}`, `{"b":1}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`[]`, `{}`, false},
		{`null`, `null`, true},
		{`null`, `false`, false},
		{`"1"`, `1`, false},
		{`1e2`, `100`, true},
		{`true`, `true`, true},
	} {
		if got := Equal(decode(t, c.a), decode(t, c.b)); got != c.want {
			t.Errorf("Equal(%s, %s) = %v", c.a, c.b, got)
		}
	}
	if !Equal(json.Number("2"), 2.0) || !Equal(2, json.Number("2.0")) || Equal(math.NaN(), math.NaN()) {
		t.Error("numbers of Go types")
	}
}

func TestAppendJSON(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, `null`},
		{true, `true`},
		{json.Number("12.50"), `12.50`},
		{json.Number(""), `0`},
		{2.5, `2.5`},
		{1e21, `1e+21`},
		{math.Inf(1), `null`},
		{7, `7`},
		{int64(-3), `-3`},
		{"<a&b>\"\\\n\r\t\x01\u2028é", `"<a&b>\"\\\n\r\t\u0001\u2028é"`},
		{"bad \xff utf8", `"bad \ufffd utf8"`},
		{[]any{}, `[]`},
		{[]any{ObjectOf("y", 1, "x", []any{nil})}, `[{"y":1,"x":[null]}]`},
		{map[string]any{"b": 1, "a": 2}, `{"a":2,"b":1}`},
	} {
		if got := String(c.v); got != c.want {
			t.Errorf("AppendJSON(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestGoConversions(t *testing.T) {
	v := decode(t, `{"b":[{"d":1,"c":2}],"a":null}`)
	g := ToGo(v)
	if fmt.Sprint(g) != "map[a:<nil> b:[map[c:2 d:1]]]" {
		t.Errorf("ToGo = %v", g)
	}
	if String(FromGo(g)) != `{"a":null,"b":[{"c":2,"d":1}]}` {
		t.Errorf("FromGo = %s", String(FromGo(g)))
	}
	if !IsContainer(v) || !IsContainer([]any{}) || IsContainer("x") {
		t.Error("IsContainer")
	}
}

// HashMapOrder reproduces java.util.HashMap's iteration order; the expectations are those AWS
// recorded (see run/compile.go and pkg/intrinsic) and what Java prints for new HashMap<>() filled
// in the given order.
func TestHashMapOrder(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"constant_in_literal,constant_input_field", "constant_input_field,constant_in_literal"},
		{"Question,Answer", "Answer,Question"},
		{"Iterations,Values", "Values,Iterations"},
		{"a,b,d,c", "a,b,c,d"},
		{"n,retries", "retries,n"},
		{"", ""},
	} {
		var ms []Member
		if c.in != "" {
			for _, k := range strings.Split(c.in, ",") {
				ms = append(ms, Member{Key: k})
			}
		}
		HashMapOrder(ms)
		keys := make([]string, len(ms))
		for i, m := range ms {
			keys[i] = m.Key
		}
		if got := strings.Join(keys, ","); got != c.want {
			t.Errorf("HashMapOrder(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	// Java's "hello".hashCode() is 99162322; a supplementary character counts as two UTF-16 units.
	if h := JavaStringHash("hello"); h != 99162322^(99162322>>16) {
		t.Errorf("JavaStringHash(hello) = %d", h)
	}
	if JavaStringHash("😀") != JavaStringHash("\U0001F600") || JavaStringHash("😀") == JavaStringHash("\uFFFD") {
		t.Error("JavaStringHash of a supplementary character")
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, s := range []string{``, `{`, `{"a":}`, `[1,]`, `{"a" 1}`, strings.Repeat("[", 10001)} {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		if v, err := Decode(d); err == nil {
			t.Errorf("Decode(%.20q) = %v, want an error", s, v)
		}
	}
}

// Decoding then encoding keeps every member in place: the text comes back byte for byte (for
// compact input without repeated keys), and the value decodes to an equal one.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[true,null,{"z":"x","y":1.50}]}`, `[]`, `"s"`, `{"a":{"a":{"a":{}}}}`, `{"b":1,"b":2}`,
		` { "k\u00e9\"" : [ -1.5e+3 , "\ud83d\ude00\n" , "é\/" , {} ] } `, "\"bad \xff\"", `-0`, `1E400`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		v, err := Decode(d)
		if err != nil {
			return
		}
		// The same values as encoding/json reads (which keeps no order).
		d0 := json.NewDecoder(strings.NewReader(s))
		d0.UseNumber()
		var plain any
		if err := d0.Decode(&plain); err != nil || !reflect.DeepEqual(ToGo(v), plain) {
			t.Fatalf("Decode(%q) = %#v, encoding/json: %#v, %v", s, ToGo(v), plain, err)
		}
		text := String(v)
		d2 := json.NewDecoder(strings.NewReader(text))
		d2.UseNumber()
		v2, err := Decode(d2)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", text, err)
		}
		if !Equal(v, v2) || String(v2) != text {
			t.Fatalf("round trip of %q: %q then %q", s, text, String(v2))
		}
	})
}
