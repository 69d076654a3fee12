package run

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

// mapInlineJSONata is map_inline.asl.json written in JSONata, state for state and field for
// field: the same ItemSelector, the same three Pass states computing the same values
// ($states.input.value.n + $states.input.index for States.MathAdd, & for States.Format), the same
// 30,002 transitions. BenchmarkMapInlineJSONata against BenchmarkMapInline is what JSONata costs.
const mapInlineJSONata = `{
  "QueryLanguage": "JSONata",
  "StartAt": "Fanout",
  "States": {
    "Fanout": {
      "Type": "Map",
      "Items": "{% $states.input.items %}",
      "ItemSelector": {
        "value": "{% $states.context.Map.Item.Value %}",
        "index": "{% $states.context.Map.Item.Index %}",
        "tag": "{% $states.input.tag %}"
      },
      "ItemProcessor": {
        "ProcessorConfig": { "Mode": "INLINE" },
        "StartAt": "P1",
        "States": {
          "P1": {
            "Type": "Pass",
            "Output": { "v": "{% $states.input.value.n %}", "sum": "{% $states.input.value.n + $states.input.index %}", "tag": "{% $states.input.tag %}" },
            "Next": "P2"
          },
          "P2": {
            "Type": "Pass",
            "Output": { "v": "{% $states.input.v %}", "sum": "{% $states.input.sum %}", "label": "{% $states.input.tag & '-' & $states.input.v %}" },
            "Next": "P3"
          },
          "P3": {
            "Type": "Pass",
            "Output": "{% $merge([$states.input, {'done': true}]) %}",
            "End": true
          }
        }
      },
      "Output": "{% $merge([$states.input, {'results': $states.result}]) %}",
      "Next": "Summarise"
    },
    "Summarise": {
      "Type": "Pass",
      "Output": { "count": "{% $count($states.input.results) %}", "last": "{% $states.input.results[9999] %}" },
      "End": true
    }
  }
}`

// BenchmarkMapInlineJSONata: compare its transitions/s with BenchmarkMapInline's.
func BenchmarkMapInlineJSONata(b *testing.B) { benchJSONataMap(b, mapInlineJSONata) }

// TestMapInlineJSONataSameOutput: the JSONata version computes what map_inline.asl.json does.
func TestMapInlineJSONataSameOutput(t *testing.T) {
	r, in := jsonataBenchRunner(t, mapInlineJSONata, true)
	got := r.Start(context.Background(), in)
	m := loadMachine(t, filepath.Join(benchDir(), "map_inline.asl.json"))
	jp, err := New(m, Options{Clock: NewVirtualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), NoPayloadLimit: true, NoHistory: true, NoEventLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	want := jp.Start(context.Background(), in)
	// The same values; the key order differs as on AWS (JSONPath's .$ fields in Java HashMap order).
	if got.Status != Succeeded || want.Status != Succeeded || !value.Equal(got.Output, want.Output) {
		t.Fatalf("JSONata %s %.300s\nJSONPath %s %.300s", got.Status, toJSON(got.Output), want.Status, toJSON(want.Output))
	}
}
