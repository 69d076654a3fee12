package run

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// mapJSONata is the JSONata counterpart of map_inline.asl.json: an inline Map over the 10,000 items
// of map_inline.input.json whose processor (a Task and two Pass states) uses Arguments, Output and
// Assign; 30,002 transitions per execution.
const mapJSONata = `{
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
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": { "v": "{% $states.input.value.n %}", "sum": "{% $states.input.value.n + $states.input.index %}", "tag": "{% $states.input.tag %}" },
            "Output": "{% $states.result %}",
            "Assign": { "first": "{% $states.result.v %}" },
            "Next": "P2"
          },
          "P2": {
            "Type": "Pass",
            "Output": { "v": "{% $states.input.v %}", "sum": "{% $states.input.sum %}", "label": "{% $states.input.tag & '-' & $first %}" },
            "Assign": { "label": "{% $states.input.tag %}" },
            "Next": "P3"
          },
          "P3": {
            "Type": "Pass",
            "Output": "{% $merge([$states.input, {'done': true}]) %}",
            "End": true
          }
        }
      },
      "Output": { "results": "{% $states.result %}" },
      "Next": "Summarise"
    },
    "Summarise": {
      "Type": "Pass",
      "Output": { "count": "{% $count($states.input.results) %}", "last": "{% $states.input.results[9999] %}" },
      "End": true
    }
  }
}`

// jsonataBenchRunner runs the JSONata definition def over map_inline.input.json, its Tasks echoing
// their input.
func jsonataBenchRunner(tb testing.TB, def string, noHistory bool) (*Runner, any) {
	doc, err := load.Parse("bench.asl.json", []byte(def), load.JSON)
	if err != nil {
		tb.Fatal(err)
	}
	in := loadInput(tb, filepath.Join(benchDir(), "map_inline.input.json"))
	echo := TaskHandlerFunc(func(_ context.Context, req TaskRequest) TaskResult { return TaskResult{Output: req.Input} })
	r, err := New(asl.Build(doc), Options{
		Clock:    NewVirtualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
		Handlers: func(*asl.State) TaskHandler { return echo }, NoPayloadLimit: true, NoHistory: noHistory, NoEventLimit: true,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return r, in
}

// benchJSONataMap runs def (30,002 transitions) with and without a history, in transitions/s.
func benchJSONataMap(b *testing.B, def string) {
	for _, noHistory := range []bool{false, true} {
		name := "history"
		if noHistory {
			name = "nohistory"
		}
		b.Run(name, func(b *testing.B) {
			r, in := jsonataBenchRunner(b, def, noHistory)
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

// BenchmarkMapJSONata: compare its transitions/s with BenchmarkMapInline's.
func BenchmarkMapJSONata(b *testing.B) { benchJSONataMap(b, mapJSONata) }

func TestMapJSONataBenchDefinition(t *testing.T) {
	r, in := jsonataBenchRunner(t, mapJSONata, false)
	res := r.Start(context.Background(), in)
	if res.Status != Succeeded || transitions(res.Events) != 30002 {
		t.Fatalf("%s %s %s, %d transitions", res.Status, res.Error, res.Cause, transitions(res.Events))
	}
	out := toJSON(res.Output)
	if want := `{"count":10000,"last":{"v":9999,"sum":19998,"label":"bench-9999","done":true}}`; out != want {
		t.Fatalf("output %.300s", out)
	}
}
