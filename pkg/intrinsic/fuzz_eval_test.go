package intrinsic

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// FuzzEval evaluates arbitrary intrinsic calls over arbitrary input
// documents: no panic, every failure an *EvalError, bounded work (texts
// capped at MaxTextSize, paths by their step budget), the input untouched.
func FuzzEval(f *testing.F) {
	docs := []string{
		`{"a": [1, 1.0, {"b": 2, "a": 1}, {"a": 1, "b": 2}, "x"], "s": "a,b;c", "n": 9223372036854775807, "o": {"k": "v"}}`,
		`[[[[1]]], {"k": [{"k": 9007199254740993}]}]`, `"text"`, `{"big": 1e400, "neg": -1.5, "agent": "w", "l": [{"w": "w"}]}`,
	}
	for i, s := range append(fuzzSeeds,
		"States.ArrayUnique($.a)", "States.MathAdd($.n, 1)", "States.MathAdd($.big, $.neg)", "States.StringSplit($.s, ',;')",
		"States.JsonToString($..*)", "States.Format('{} {}', $, $..*)", "States.ArrayGetItem($.l[?(@.w == $.agent)], 0)",
		"States.ArrayRange(1, 1000000000, 1)", "States.MathRandom($.neg, $.n, 3)", "States.Hash($, 'MD5')") {
		f.Add(s, docs[i%len(docs)])
	}
	env := &Env{Int63n: func(n int64) int64 { return n / 2 }, UUID: func() string { return "u" }}
	f.Fuzz(func(t *testing.T, expr, docText string) {
		c, err := Parse(expr)
		if err != nil {
			return
		}
		d := json.NewDecoder(strings.NewReader(docText))
		d.UseNumber()
		doc, err := value.Decode(d)
		if err != nil {
			doc = docText
		}
		before, _ := json.Marshal(doc)
		ctx := &path.EvalContext{Context: doc, Shared: true, Variable: func(string) (any, bool) { return doc, true }}
		_, err = EvalWith(c, doc, ctx, env)
		var ee *EvalError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%q: error %T %v, want *EvalError", expr, err, err)
		}
		if after, _ := json.Marshal(doc); string(after) != string(before) {
			t.Fatalf("%q modified the input: %s -> %s", expr, before, after)
		}
	})
}
