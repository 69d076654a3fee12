package jsonata

import (
	"encoding/json"
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
)

// TestSemantics2: jsonata-js 2.0.6 behaviours the suite found (each row also stands when
// ../shared/jsonata-suite is absent). The input is the context item (EvalInput).
func TestSemantics2(t *testing.T) {
	phones := `[{"phone": [{"number": 0}]}, {"phone": [{"number": 1}]}, {"phone": [{"number": 2}]}]`
	for _, c := range []struct{ input, expr, want string }{
		{phones, `phone[0].number`, `0`},
		{phones, `$.phone[0].number`, `[0,1,2]`},
		{`[1, 2, [3]]`, `*`, `[1,2,3]`},
		{`{"value": 3, "s": 16}`, `$.[value, s][]`, `[[3,16]]`},
		{`null`, `($sq := function($x){ $x * $x }; [2] ~> $map($sq)[])`, `[4]`},
		{`{}`, `$x <= 'hello'`, `undefined`},
		{`null`, `$string(1e-7) & " " & $string(0.000001)`, `"1e-7 0.000001"`},
		{`null`, `$round(4.525, 2) & " " & $round(4.515, 2) & " " & $round(2.5)`, `"4.52 4.52 2"`},
		{`null`, `$number("0123") + $number("000.5")`, `123.5`},
		{`null`, `$replace("abcdefghijklmno", /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)/, "$8$5$12$12$18$123")`, `"hella8l3no"`},
		{`null`, `$replace("abracadabra", /.*?/, "x")`, `error D1004`},
		{`{"Account": 1}`, `sum(Account)`, `error T1005`},
		{`null`, `$sum(["a"])`, `error T0412`},
		{`null`, `$count(1, 2)`, `error T0410`},
		{`"hello"`, `$length()`, `5`},
		{`5`, `$length()`, `error T0411`},
		{`null`, `(function($a, $b)<n-n:n>{ $a + $b })(1, "2")`, `error T0410`},
		{`null`, `$map([1, 2], $string)`, `["1","2"]`},
		{`{"Product Name": "Hat"}`, `$."Product Name" & /* a comment */ "!"`, `"Hat!"`},
		// A tail call runs in constant depth: far deeper than the depth limit allows nesting.
		{`null`, `($loop := function($i){ $i = 0 ? 'done' : $loop($i - 1) }; $loop(100000))`, `"done"`},
		{`null`, `($even := function($n){ $n = 0 ? true : $odd($n - 1) }; $odd := function($n){ $n = 0 ? false : ($even($n - 1)) }; $odd(50001))`, `true`},
	} {
		input, err := value.Decode(jsonDecoder(c.input))
		if err != nil {
			t.Fatal(err)
		}
		e, err := Parse(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		v, err := e.EvalInput(input, nil)
		got := ""
		switch {
		case err != nil:
			got = "error " + errorCode(err)
		case v == Undefined:
			got = "undefined"
		default:
			j, _ := ToJSON(v)
			b, _ := json.Marshal(j)
			got = string(b)
		}
		if got != c.want {
			t.Errorf("%s: got %s (%v), want %s", c.expr, got, err, c.want)
		}
	}
}

// TestCustomMatcher: a function in place of a regular expression, as jsonata-js allows.
func TestCustomMatcher(t *testing.T) {
	matcher := `$m := function($str, $off){(
		$before := $substringBefore($str, 'a');
		$start := $length($before) + ($exists($off) ? $off : 0);
		$before != $str ? {'match': 'a', 'start': $start, 'end': $start + 1, 'groups': [],
			'next': function(){ $m($substringAfter($str, 'a'), $start + 1) }}
	)};`
	for _, c := range []struct{ expr, want string }{
		{"(" + matcher + " $match('banana', $m).index)", `[1,3,5]`},
		{"(" + matcher + " $match('banana', $m, 2).index)", `[1,3]`},
		{"(" + matcher + " $split('banana', $m))", `["b","n","n",""]`},
		{"(" + matcher + " $split('banana', $m, 2))", `["b","n"]`},
		{"$split('some text', $uppercase)", `error T1010`},
		{"$match('abc', function($s){ 42 })", `error T1010`},
		{"$match('abc', function($s){ undefined })", `undefined`},
	} {
		e, err := Parse(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		v, err := e.EvalInput(Undefined, nil)
		got := ""
		if err != nil {
			got = "error " + errorCode(err)
		} else if v = finish(v); v == Undefined {
			got = "undefined"
		} else {
			j, _ := ToJSON(v)
			b, _ := json.Marshal(j)
			got = string(b)
		}
		if got != c.want {
			t.Errorf("%s: got %s (%v), want %s", c.expr, got, err, c.want)
		}
	}
}
