package intrinsic

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

func decodeValue(tb testing.TB, s string) any {
	tb.Helper()
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	v, err := value.Decode(d)
	if err != nil {
		tb.Fatalf("decode %s: %v", s, err)
	}
	return v
}

func evalString(tb testing.TB, expr string, input any) (any, error) {
	tb.Helper()
	c, err := Parse(expr)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", expr, err)
	}
	return Eval(c, input, &path.EvalContext{Context: value.ObjectOf("Execution", value.ObjectOf("Name", "run-1"))})
}

func TestEvalTable(t *testing.T) {
	input := decodeValue(t, `{"s": "a,b", "n": 2.5, "i": 3, "arr": [1, 2, 2, "x", {"k": 1}, {"k": 1}, 1.0],
		"obj": {"b": [1, {"c": null}], "a": "q\"\n<"}, "big": 1e20, "small": 0.0001, "t": "Hi {} and \\{}"}`)
	cases := []struct{ expr, want string }{
		{"States.Format('x{}y{}', $.s, $.n)", `"xa,by2.5"`},
		{"States.Format('{}', $.obj)", `"{b=[1, {c=null}], a=q\"\n<}"`}, // members in input order
		{"States.Format('\\{\\} {}', 1)", `"{} 1"`},
		{"States.Format('{} {}', true, null)", `"true null"`},
		{"States.Format('{}', 1.50)", `"1.5"`},
		{"States.Format('{}', $.big)", `"1.0E20"`},
		{"States.Format($.t, 7)", `"Hi 7 and {}"`},
		{"States.Format('{}', $$.Execution.Name)", `"run-1"`},
		{"States.JsonToString($.obj)", `"{\"b\":[1,{\"c\":null}],\"a\":\"q\\\"\\n<\"}"`}, // input order
		{"States.JsonToString($.big)", `"1.0E20"`},
		{"States.JsonToString($.small)", `"1.0E-4"`},
		{"States.JsonToString($.n)", `"2.5"`},
		{"States.StringToJson('{\"a\": [1, 2.50, -0]}')", `{"a": [1, 2.5, 0]}`},
		{"States.StringToJson('  ')", `null`},
		{"States.Array(1, 'a', $.i, States.Array())", `[1, "a", 3, []]`},
		{"States.ArrayPartition($.arr, 3)", `[[1, 2, 2], ["x", {"k": 1}, {"k": 1}], [1.0]]`},
		{"States.ArrayContains($.arr, $.arr[4])", `true`},
		{"States.ArrayContains($.arr, 'y')", `false`},
		{"States.ArrayRange(1, 9, 2)", `[1, 3, 5, 7, 9]`},
		{"States.ArrayRange(5, 1, -2)", `[5, 3, 1]`},
		{"States.ArrayRange(5, 1, 2)", `[]`},
		{"States.ArrayRange(0, 999, 1)", ``}, // checked for length below
		{"States.ArrayGetItem($.arr, 3)", `"x"`},
		{"States.ArrayLength($.arr)", `7`},
		{"States.ArrayUnique($.arr)", `[1, 2, "x", {"k": 1}, 1.0]`},
		{"States.Base64Encode('Data to encode')", `"RGF0YSB0byBlbmNvZGU="`},
		{"States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", `"Data to encode"`},
		{"States.Hash('input data', 'SHA-256')", `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`},
		{"States.Hash('input data', 'SHA-384')", `"d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"`},
		{"States.JsonMerge($.obj, States.StringToJson('{\"a\": 1, \"z\": {}}'), false)", `{"a": 1, "b": [1, {"c": null}], "z": {}}`},
		// AWS's JsonMerge result iterates as a Java HashMap (recorded on AWS: the second key first)
		{"States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), States.StringToJson('{\"constant_input_field\": \"v\"}'), false)", `{"constant_input_field": "v", "constant_in_literal": "false"}`},
		{"States.StringToJson('{\"b\": 1, \"a\": 2, \"b\": 3}')", `{"b": 3, "a": 2}`}, // Jackson: a repeated key keeps its place, the last value wins
		{"States.JsonToString(States.StringToJson('{\"z\": 1, \"y\": {\"d\": 1, \"c\": 2}}'))", `"{\"z\":1,\"y\":{\"d\":1,\"c\":2}}"`},
		{"States.MathAdd(1.49, 1.5)", `3`},
		{"States.MathAdd(-1.5, 0)", `-1`},
		{"States.MathAdd($.n, -3)", `0`},
		{"States.MathAdd(0.49999999999999994, 0)", `0`},
		{"States.StringSplit('a.b+c,,d', '.+,')", `["a", "b", "c", "d"]`},
		{"States.StringSplit('', ',')", `[]`},
		{"States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), 1)", `"1"`},
	}
	for _, c := range cases {
		got, err := evalString(t, c.expr, input)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if c.want == "" {
			if a, ok := got.([]any); !ok || len(a) != 1000 {
				t.Errorf("%s: want 1000 elements, got %d", c.expr, len(a))
			}
			continue
		}
		if want := decodeValue(t, c.want); FormatJSON(got) != FormatJSON(want) {
			t.Errorf("%s = %s, want %s", c.expr, FormatJSON(got), FormatJSON(want))
		}
	}
}

func TestEvalErrors(t *testing.T) {
	input := decodeValue(t, `{"s": "x", "arr": [1, 2], "o": {}, "n": 1.5}`)
	for _, expr := range []string{
		"States.Format('{} {}', 1)",
		"States.Format('{}', 1, 2)",
		"States.Format($.arr, 1)",
		"States.StringToJson('{')",
		"States.StringToJson('1 2')",
		"States.StringToJson($.arr)",
		"States.ArrayPartition($.arr, 0)",
		"States.ArrayPartition($.s, 1)",
		"States.ArrayPartition($.arr, $.n)",
		"States.ArrayContains($.o, 1)",
		"States.ArrayRange(0, 1000, 1)",
		"States.ArrayRange(0, 10, 0)",
		"States.ArrayRange(0, $.n, 1)",
		"States.ArrayGetItem($.arr, 2)",
		"States.ArrayGetItem($.arr, -1)",
		"States.ArrayLength($.s)",
		"States.ArrayUnique($.o)",
		"States.Base64Encode($.arr)",
		"States.Base64Decode('***')",
		"States.Hash('x', 'SHA-999')",
		"States.Hash(null, 'MD5')",
		"States.JsonMerge($.o, $.arr, false)",
		"States.JsonMerge($.o, $.o, true)",
		"States.MathRandom(5, 5)",
		"States.MathRandom('a', 5)",
		"States.MathAdd($.s, 1)",
		"States.StringSplit($.arr, ',')",
		"States.Nope(1)",
		"States.UUID(1)",
		"States.Array($.missing)",
	} {
		got, err := evalString(t, expr, input)
		var ee *EvalError
		if !errors.As(err, &ee) || ee.Message == "" {
			t.Errorf("%s = %v, %v; want an *EvalError", expr, FormatJSON(got), err)
		}
	}
	_, err := evalString(t, "States.Array($.missing)", input)
	var nf *path.NotFoundError
	if !errors.As(err, &nf) {
		t.Errorf("a missing argument path should wrap *path.NotFoundError, got %v", err)
	}
}

func TestEvalRandom(t *testing.T) {
	for i := 0; i < 200; i++ {
		got, err := evalString(t, "States.MathRandom(-3, 4)", nil)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(string(got.(json.Number)))
		if n < -3 || n >= 4 {
			t.Fatalf("MathRandom(-3, 4) = %d", n)
		}
	}
	a, _ := evalString(t, "States.MathRandom(0, 999, 3)", nil)
	b, _ := evalString(t, "States.MathRandom(0, 999, 3)", nil)
	if a != b {
		t.Errorf("seeded MathRandom differs: %v %v", a, b)
	}
	// java.util.Random: new Random(42).nextInt(10) == 0; nextInt(1<<4) takes the power-of-two path.
	if got := newJavaRandom(42).nextInt(10); got != 0 {
		t.Errorf("new Random(42).nextInt(10) = %d, want 0", got)
	}
	c, _ := Parse("States.MathRandom(10, 20)")
	got, err := EvalWith(c, nil, nil, &Env{Int63n: func(n int64) int64 { return n - 1 }})
	if err != nil || got != json.Number("19") {
		t.Errorf("EvalWith(Int63n) = %v, %v", got, err)
	}
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	u1, _ := evalString(t, "States.UUID()", nil)
	u2, _ := evalString(t, "States.UUID()", nil)
	if !uuidRE.MatchString(u1.(string)) || u1 == u2 {
		t.Errorf("UUID() = %v, %v", u1, u2)
	}
	c, _ = Parse("States.UUID()")
	if got, _ := EvalWith(c, nil, nil, &Env{UUID: func() string { return "fixed" }}); got != "fixed" {
		t.Errorf("EvalWith(UUID) = %v", got)
	}
}

func TestEvalDoesNotShareInput(t *testing.T) {
	input := decodeValue(t, `{"a": {"b": [1]}}`)
	got, err := evalString(t, "States.Array($.a)", input)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := got.([]any)[0].(*value.Object).Get("b")
	b.([]any)[0] = "changed"
	if FormatJSON(input) != `{"a":{"b":[1]}}` {
		t.Errorf("input modified through the result: %s", FormatJSON(input))
	}
}

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", 1: "1.0", 1.1: "1.1", -2.5: "-2.5", 1e7: "1.0E7", 9999999: "9999999.0",
		0.001: "0.001", 0.0001: "1.0E-4", 1.2345e-10: "1.2345E-10", 123456789.5: "1.234567895E8",
	} {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %s, want %s", f, got, want)
		}
	}
	if got := FormatJSON(value.ObjectOf("k", "\x01\t/é")); got != `{"k":"\u0001\t/é"}` {
		t.Errorf("FormatJSON escaping = %s", got)
	}
	if !strings.HasPrefix(FormatJSON(json.Number("-0")), "0") {
		t.Errorf("FormatJSON(-0) = %s", FormatJSON(json.Number("-0")))
	}
}
