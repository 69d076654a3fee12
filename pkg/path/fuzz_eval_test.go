package path

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

// decodeFuzzDoc reads s as a JSON document (numbers as json.Number), or
// takes s itself as a string value when it is not JSON.
func decodeFuzzDoc(s string) any {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	v, err := jv.Decode(d)
	if err != nil {
		return s
	}
	return v
}

// FuzzEval evaluates arbitrary paths over arbitrary documents: no panic,
// only *NotFoundError or *LimitError failures (the step budget keeps every
// evaluation bounded), indefinite paths give lists, the document is never
// modified, and Set on reference paths keeps the document intact too.
func FuzzEval(f *testing.F) {
	docs := []string{
		`{"a": {"b": [1, 2.5, "x", null, true]}, "agent_id": "w2", "approaches": [{"workerId": "w2", "n": 1e400}]}`,
		`[[[[1]]], {"k": [{"k": 9007199254740993}]}]`, `"text"`, `null`, `{"": {"": [0]}}`, `[1e-500, -0, 123456789012345678901234567890]`,
	}
	for i, s := range append(fuzzSeeds, "$.approaches[?(@.workerId == $.agent_id)]", "$..[?(@ == $$.x || $v.y)]",
		"$..*..*", "$[0,0,0][0,0][*]", "$.a.b[-1:0:-1]", "$[?(@.n > 1e300)].n", "$.approaches[?(@.n == $.approaches[0].n)]") {
		f.Add(s, docs[i%len(docs)])
	}
	f.Fuzz(func(t *testing.T, src, docText string) {
		p, err := Parse(src)
		if err != nil {
			return
		}
		doc := decodeFuzzDoc(docText)
		before, _ := json.Marshal(doc)
		ctx := &EvalContext{Context: doc, Variable: func(name string) (any, bool) { return doc, name == "v" }}
		for _, shared := range []bool{false, true} {
			ctx.Shared = shared
			v, err := p.Eval(doc, ctx)
			var nf *NotFoundError
			var le *LimitError
			switch {
			case err == nil:
				if _, isList := v.([]any); !p.IsDefinite() && !isList {
					t.Fatalf("%q: indefinite path gave %T", src, v)
				}
			case errors.As(err, &nf), errors.As(err, &le):
			default:
				t.Fatalf("%q: unexpected error %T %v", src, err, err)
			}
		}
		if rp, err := ParseIn(src, ContextResultPath); err == nil {
			if _, err := rp.Set(doc, jv.ObjectOf("new", true)); err != nil {
				var se *SetError
				if !errors.As(err, &se) {
					t.Fatalf("%q: Set error %T", src, err)
				}
			}
		}
		if after, _ := json.Marshal(doc); string(after) != string(before) {
			t.Fatalf("%q modified the document: %s -> %s", src, before, after)
		}
	})
}
