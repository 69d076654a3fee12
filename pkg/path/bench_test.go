package path

import (
	"encoding/json"
	"strconv"
	"testing"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

// benchDoc builds a document of about 256 KiB (AWS's payload limit):
// "items", objects with an id, a number and a nested object; "target".
func benchDoc() any {
	var items []any
	for i, size := 0, 0; size < 256<<10; i++ {
		items = append(items, map[string]any{
			"id": "item-" + strconv.Itoa(i), "v": json.Number(strconv.Itoa(i % 1000)),
			"tags": map[string]any{"k": json.Number(strconv.Itoa(i % 7))},
		})
		size += 52
	}
	return jv.FromGo(map[string]any{"items": items, "target": json.Number("3"), "a": map[string]any{"b": map[string]any{"c": "d"}}})
}

// BenchmarkEval evaluates the heavy JSONPath shapes over a 256 KiB
// document (shared results, as the interpreter evaluates), and Set.
func BenchmarkEval(b *testing.B) {
	doc := benchDoc()
	var deep any = json.Number("1")
	for i := 0; i < 5000; i++ {
		deep = []any{deep, json.Number("2")}
	}
	shared := &EvalContext{Shared: true}
	for _, c := range []struct {
		name, path string
		doc        any
		ctx        *EvalContext
	}{
		{"definite", "$.a.b.c", doc, shared},
		{"definite/missing", "$.a.b.x.y", doc, shared},
		{"wildcard", "$.items[*].v", doc, shared},
		{"slice", "$.items[10:20000:3].id", doc, shared},
		{"union", "$.items[0,1,2,3,-1].id", doc, shared},
		{"descent", "$..*", doc, shared},
		{"descent/copied", "$..*", doc, nil},
		{"descent/name", "$..k", doc, shared},
		{"descent/deep", "$..*", deep, shared},
		{"filter", "$.items[?(@.v > 500 && @.tags.k == 3)].id", doc, shared},
		{"filter/root", "$.items[?(@.tags.k == $.target)].id", doc, shared},
		{"filter/descent", "$..[?(@.k)]", doc, shared},
	} {
		p, err := Parse(c.path)
		if err != nil {
			continue // not supported by this version
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := p.Eval(c.doc, c.ctx); err != nil && c.name != "definite/missing" {
					b.Fatal(err)
				}
			}
		})
	}
	p, _ := Parse("$.a.b.x")
	b.Run("set", func(b *testing.B) {
		for b.Loop() {
			if _, err := p.Set(doc, "v"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
