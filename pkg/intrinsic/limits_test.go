package intrinsic

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// evalErr evaluates expr against input and returns the *EvalError message.
func evalErr(t *testing.T, expr string, input any) string {
	t.Helper()
	c, err := Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	// Shared, as the interpreter evaluates: a copy of input would expand
	// the values shared inside it.
	got, err := Eval(c, input, &path.EvalContext{Shared: true})
	var ee *EvalError
	if !errors.As(err, &ee) {
		t.Fatalf("%s = %.80s, %v; want an *EvalError", expr, FormatJSON(got), err)
	}
	return ee.Message
}

// A 40,000-element array (the size that took minutes when ArrayUnique
// compared every pair) is deduplicated by canonical keys.
func TestArrayUniqueLarge(t *testing.T) {
	const n = 40000
	nums := make([]any, 0, 2*n)
	for i := 0; i < n; i++ {
		nums = append(nums, json.Number(strconv.Itoa(i)), json.Number(strconv.Itoa(i)))
	}
	got, err := evalString(t, "States.ArrayUnique($.a)", value.ObjectOf("a", nums))
	if err != nil {
		t.Fatal(err)
	}
	a := got.([]any)
	if len(a) != n || a[0] != json.Number("0") || a[n-1] != json.Number(strconv.Itoa(n-1)) {
		t.Fatalf("ArrayUnique of %d pairs: %d elements", n, len(a))
	}
}

// canonicalKey equates exactly the values jsonEqual does (Jackson's
// equality: 1 and 1.0 differ, 1.0 and 1.00 and 1e0 agree, key order of
// objects does not matter).
func TestCanonicalKeyMatchesJSONEqual(t *testing.T) {
	texts := []string{
		`1`, `1.0`, `1.00`, `1e0`, `10`, `1e1`, `-0`, `0`, `0.0`, `-0.0`, `100000000000000000000`, `1e20`,
		`"1"`, `"a"`, `"a\"b"`, `null`, `true`, `false`, `[]`, `[null]`, `[1]`, `[1.0]`, `{}`,
		`{"a":1,"b":2}`, `{"b":2,"a":1}`, `{"a":1,"b":1}`, `{"a":[1,{"c":"x"}]}`, `{"a":[1,{"c":"x"}] }`,
		`[[],{}]`, `[{},[]]`, `"[]"`, `"null"`, `{"a":"1"}`, `{"a":1}`,
	}
	vals := make([]any, len(texts))
	for i, s := range texts {
		vals[i] = decodeValue(t, s)
	}
	vals = append(vals, 1.0, int64(1), 2.5, json.Number("2.5"))
	for i, a := range vals {
		for j, b := range vals {
			if eq, same := jsonEqual(a, b), canonicalKey(a) == canonicalKey(b); eq != same {
				t.Errorf("%d %s vs %d %s: jsonEqual %v, keys equal %v", i, FormatJSON(a), j, FormatJSON(b), eq, same)
			}
		}
	}
	got, err := evalString(t, "States.ArrayUnique($)", decodeValue(t, `[1, 1.0, 1.00, {"a":1,"b":2}, {"b":2,"a":1}, "1", 1]`))
	if err != nil || FormatJSON(got) != `[1,1.0,{"a":1,"b":2},"1"]` {
		t.Errorf("ArrayUnique = %s, %v", FormatJSON(got), err)
	}
}

// Integer arithmetic is exact over the whole 64-bit range, as with Java
// longs; non-integers keep being rounded half up (conformance).
func TestIntegerArithmeticExact(t *testing.T) {
	input := decodeValue(t, `{"big": 9007199254740993, "max": 9223372036854775807, "huge": 99999999999999999999}`)
	for _, c := range []struct{ expr, want string }{
		{"States.MathAdd(9007199254740993, 1)", "9007199254740994"},
		{"States.MathAdd($.big, -9007199254740992)", "1"},
		{"States.MathAdd($.max, -1)", "9223372036854775806"},
		{"States.MathAdd(-9223372036854775808, 0)", "-9223372036854775808"},
		{"States.MathAdd(1.5, 9007199254740993)", "9007199254740995"},
		{"States.MathAdd(-1.5, 0)", "-1"},
		{"States.ArrayGetItem(States.Array(1, 2), 1.0)", "2"},
		{"States.ArrayLength(States.ArrayRange(9007199254740993, 9007199254740995, 1))", "3"},
		{"States.ArrayGetItem(States.ArrayRange(9007199254740993, 9007199254740995, 1), 2)", "9007199254740995"},
	} {
		got, err := evalString(t, c.expr, input)
		if err != nil || FormatJSON(got) != c.want {
			t.Errorf("%s = %v, %v; want %s", c.expr, got, err, c.want)
		}
	}
	for expr, want := range map[string]string{
		"States.MathAdd($.max, 1)":                      "out of the range of a 64-bit integer",
		"States.MathAdd(-9223372036854775808, -1)":      "out of the range of a 64-bit integer",
		"States.MathAdd($.huge, 0)":                     "99999999999999999999 is out of the range",
		"States.MathRandom(0, $.huge)":                  "out of the range",
		"States.ArrayRange(1, 1000000000, 1)":           "at most 1000 are allowed",
		"States.ArrayPartition(States.Array(1), 0)":     "greater than 0",
		"States.ArrayGetItem(States.Array(1), $.big)":   "out of bounds",
		"States.ArrayPartition(States.Array(1), 1.5)":   "expected an integer",
		"States.ArrayRange(0, 9223372036854775807, 1)":  "at most 1000 are allowed",
		"States.ArrayRange(-9223372036854775808, 0, 1)": "at most 1000 are allowed",
		"States.ArrayGetItem(States.Array(1), 1e400)":   "expected an integer",
		"States.MathAdd(9223372036854775807, 1.0E0)":    "out of the range",
	} {
		if msg := evalErr(t, expr, input); !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want it to mention %q", expr, msg, want)
		}
	}
	c, _ := Parse("States.MathRandom($.big, 9007199254740996)")
	got, err := EvalWith(c, input, nil, &Env{Int63n: func(n int64) int64 { return n - 1 }})
	if err != nil || got != json.Number("9007199254740995") {
		t.Errorf("MathRandom near 2^53 = %v, %v", got, err)
	}
}

// Texts built by intrinsics are bounded: amplification (a value repeated by
// many placeholders or shared many times) fails instead of exhausting
// memory.
func TestTextLimits(t *testing.T) {
	big := strings.Repeat("x", 300<<10)
	shared := make([]any, 100)
	for i := range shared {
		shared[i] = value.ObjectOf("v", big)
	}
	deep := any("leaf")
	for i := 0; i < 30; i++ {
		deep = []any{deep, deep} // 2^30 leaves, a few hundred bytes in memory
	}
	input := value.ObjectOf("big", big, "shared", shared, "deep", deep, "ctl", strings.Repeat("\x01", 100<<10))
	for _, expr := range []string{
		"States.JsonToString($.shared)",
		"States.JsonToString($.deep)",
		"States.Format('" + strings.Repeat("{}", 20) + "'" + strings.Repeat(", $.big", 20) + ")",
		"States.Format('{}', $.deep)",
		"States.Hash($.deep, 'SHA-256')",
		"States.ArrayUnique($.shared)",
		"States.ArrayUnique($.deep)",
		"States.ArrayContains(States.Array($.deep), $.deep)",
	} {
		if msg := evalErr(t, expr, input); !strings.Contains(msg, "maximum") {
			t.Errorf("%.60s: %q", expr, msg)
		}
	}
	// A payload-sized value, even with every character escaped, is fine.
	for _, expr := range []string{"States.JsonToString($.big)", "States.JsonToString($.ctl)", "States.Format('{}{}', $.big, $.ctl)"} {
		c, _ := Parse(expr)
		if _, err := Eval(c, input, &path.EvalContext{Shared: true}); err != nil {
			t.Errorf("%.60s: %v", expr, err)
		}
	}
}

// A long delimiter string is looked up in a set, not scanned per character.
func TestStringSplitLongDelimiter(t *testing.T) {
	input := value.ObjectOf("s", "a,b;c"+strings.Repeat("z", 1000), "d", ",;"+strings.Repeat("#", 100000))
	got, err := evalString(t, "States.StringSplit($.s, $.d)", input)
	if err != nil || len(got.([]any)) != 3 || got.([]any)[1] != "b" {
		t.Errorf("StringSplit = %.40v, %v", got, err)
	}
}

func TestTextSizeBound(t *testing.T) {
	for _, s := range []string{`[1, 2.5, 1e300, -0, "a\u0001\n", {"k": [null, true, false]}, {}]`, `"é"`, `123456789012345678901234567890`} {
		v := decodeValue(t, s)
		n, over := textSize(v, 1<<20)
		if over || n < len(FormatJSON(v)) || n < len(javaString(v)) {
			t.Errorf("textSize(%s) = %d, %v; texts %d and %d bytes", s, n, over, len(FormatJSON(v)), len(javaString(v)))
		}
	}
}

// A root reference inside a filter of an argument path refers to the input.
func TestFilterRootReferenceArgument(t *testing.T) {
	input := decodeValue(t, `{"agent_id": "w2", "approaches": [{"workerId": "w1", "approach": "a"}, {"workerId": "w2", "approach": "b"}]}`)
	got, err := evalString(t, "States.ArrayGetItem($.approaches[?(@.workerId == $.agent_id)].approach, 0)", input)
	if err != nil || got != "b" {
		t.Errorf("got %v, %v; want b", got, err)
	}
}
