package run

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
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
func BenchmarkMapInlineJSONata(b *testing.B) {
	for _, noHistory := range []bool{false, true} {
		name := "history"
		if noHistory {
			name = "nohistory"
		}
		b.Run(name, func(b *testing.B) {
			doc, err := load.Parse("map_inline_jsonata.asl.json", []byte(mapInlineJSONata), load.JSON)
			if err != nil {
				b.Fatal(err)
			}
			in := loadInput(b, filepath.Join(benchDir(), "map_inline.input.json"))
			r, err := New(asl.Build(doc), Options{Clock: NewVirtualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
				NoPayloadLimit: true, NoHistory: noHistory, NoEventLimit: true})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			total := 0
			for i := 0; i < b.N; i++ {
				res := r.Start(context.Background(), in)
				if res.Status != Succeeded || res.Transitions != 30002 {
					b.Fatalf("%s %s %s, %d transitions", res.Status, res.Error, res.Cause, res.Transitions)
				}
				total += res.Transitions
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "transitions/s")
		})
	}
}
