package jsonata

import (
	"encoding/json"
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
)

func evalText(t *testing.T, src string, vars map[string]any) string {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	v, err := e.Eval(&Env{Var: func(n string) (any, bool) { x, ok := vars[n]; return x, ok }})
	if err != nil {
		return "error: " + err.Error()
	}
	if v == Undefined {
		return "undefined"
	}
	j, ok := ToJSON(v)
	if !ok {
		return "function"
	}
	b, _ := json.Marshal(j)
	return string(b)
}

func TestEval(t *testing.T) {
	input, _ := value.Decode(jsonDecoder(`{"a": 1, "items": [{"p": 3, "n": "x"}, {"p": 5, "n": "y"}], "s": "Hello World", "e": [], "o": {"k": [1, 2]}, "z": {"b": 1, "a": 2, "c": 3}}`))
	vars := map[string]any{"states": value.ObjectOf("input", input), "v": json.Number("2")}
	for _, c := range []struct{ src, want string }{
		{`$states.input.a`, `1`},
		{`$states.input.a + $v`, `3`},
		{`0.1 + 0.2`, `0.30000000000000004`},
		{`[]`, `[]`},
		{`$states.input.e`, `[]`},
		{`$states.input.items.p`, `[3,5]`},
		{`$states.input.items[p > 3].n`, `"y"`},
		{`$states.input.items[0]`, `{"p":3,"n":"x"}`},
		{`$states.input.items[-1].n`, `"y"`},
		{`$sum($states.input.items.p)`, `8`},
		{`$sum([])`, `0`},
		{`$max($states.input.items.p)`, `5`},
		{`$min([4, -2, 7])`, `-2`},
		{`$average([1, 2, 4])`, `2.3333333333333335`},
		{`$exists($max([]))`, `false`},
		{`$count($states.input.items)`, `2`},
		{`$states.input.o.k`, `[1,2]`},
		{`$states.input.o.k[]`, `[1,2]`},
		{`$states.input.items[0].p[]`, `[3]`},
		{`$uppercase($states.input.s)`, `"HELLO WORLD"`},
		{`$states.input.s & "!"`, `"Hello World!"`},
		{`$doesNotExist`, `undefined`},
		{`$randomSeeded(1)`, `error: T1006: Attempted to invoke a non-function`},
		{`$objmerge(1)`, `error: T1006: Attempted to invoke a non-function`},
		{`$range(0, 10, 3)`, `[0,3,6,9]`},
		{`$partition([0,1,2,3,4], 2)`, `[[0,1],[2,3],[4]]`},
		{`$parse('{"a": [1, 2.5]}')`, `{"a":[1,2.5]}`},
		{`$hash("abc", "SHA-1")`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{`$random(7) = $random(7)`, `true`},
		{`($x := 3; $y := function($a){$a * $x}; $y(2))`, `6`},
		{`$map([1,2,3], function($v, $i){$v + $i})`, `[1,3,5]`},
		{`$filter([1,2,3], function($v){$v > 1})`, `[2,3]`},
		{`$reduce([1,2,3], function($a, $b){$a + $b})`, `6`},
		{`$states.input.items^(>p).n`, `["y","x"]`},
		{`$states.input.items{n: p}`, `{"x":3,"y":5}`},
		{`$string({"a": 1.0, "b": [true]})`, `"{\"a\":1,\"b\":[true]}"`},
		{`$contains("hello$world", /^hello\$/)`, `true`},
		{`$merge([{"a":1},{"b":2}])`, `{"a":1,"b":2}`},
		{`1 / 0 + 1`, `error: D1001: Number out of range: null`},
		{`$string(1 / 0)`, `error: D3001: Attempting to invoke string function on Infinity or NaN`},
		{`$string([1 / 0])`, `error: D1001: Number out of range: null`},
		{`0 / 0`, `error: D1001: Number out of range: null`},
		{`"a" + 1`, `error: T2001: The left side of the "+" operator must evaluate to a number`},
		{`$states.input ~> |items|{"q": p * 2}|`, ``},
		{`$states.input.items ~> $map(function($i){$i.p})`, `[3,5]`},
		{`$exists($states.input.zz) ? 'a' : 'b'`, `"b"`},
		{`{'foo': 'bar', 'n': $doesNotExist}`, `{"foo":"bar"}`},
		{`$fn := function($x){$x}`, `function`},
		{`$number("12.5") + 1`, `13.5`},
		{`$round(2.5) & "," & $round(3.5) & "," & $round(1.005, 2)`, `"2,4,1"`},
		{`$join(["a","b"], "-")`, `"a-b"`},
		{`$split("a,b,c", ",", 2)`, `["a","b"]`},
		{`$states.input.items.(p * 10)`, `[30,50]`},
		{`$keys($states.input.o)`, `"k"`},
		{`[1..3]`, `[1,2,3]`},
		{`1e21 + 0`, `1e+21`},
		{`$states.input.items[n = "x"].p = 3 and true`, `true`},
		// objects keep their insertion order, as in jsonata-js
		{`{"z": 1, "a": 2, "m": {"y": 1, "b": 2}}`, `{"z":1,"a":2,"m":{"y":1,"b":2}}`},
		{`$states.input.z`, `{"b":1,"a":2,"c":3}`},
		{`$keys($states.input.z)`, `["b","a","c"]`},
		{`$each($states.input.z, function($v, $k){$k & $v})`, `["b1","a2","c3"]`},
		{`$spread($states.input.z)`, `[{"b":1},{"a":2},{"c":3}]`},
		{`$merge([{"b":1,"a":2},{"c":3,"b":4}])`, `{"b":4,"a":2,"c":3}`},
		{`$sift($states.input.z, function($v){$v > 1})`, `{"a":2,"c":3}`},
		{`$string($states.input.z)`, `"{\"b\":1,\"a\":2,\"c\":3}"`},
		{`$parse('{"y": 1, "x": 2}')`, `{"y":1,"x":2}`},
		{`$states.input.z ~> |$|{"d": 4, "b": 5}, ["a"]|`, `{"b":5,"c":3,"d":4}`},
		{`$states.input.items{n: p}`, `{"x":3,"y":5}`},
		{`[{"k":"q"},{"k":"b"}]{k: 1}`, `{"q":1,"b":1}`},
		{`$states.input.z.*`, `[1,2,3]`},
	} {
		got := evalText(t, c.src, vars)
		if c.want != "" && got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
	}
}
