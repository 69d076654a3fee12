package run

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

func benchDir() string { return filepath.Join("..", "..", "shared", "bench") }

// loadMachine parses and builds a definition file.
func loadMachine(tb testing.TB, file string) *asl.Machine {
	tb.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		tb.Skipf("%v", err)
	}
	doc, err := load.Parse(file, src, load.JSON)
	if err != nil {
		tb.Fatal(err)
	}
	return asl.Build(doc)
}

func loadInput(tb testing.TB, file string) any {
	tb.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		tb.Skipf("%v", err)
	}
	v, err := load.DecodeJSON(src)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// transitions counts the states entered in a history.
func transitions(events []Event) int {
	n := 0
	for _, e := range events {
		if strings.HasSuffix(e.Type, "StateEntered") {
			n++
		}
	}
	return n
}

func runBench(b *testing.B, def, input string, want int) {
	b.Run("history", func(b *testing.B) { runBenchOpts(b, def, input, want, false) })
	b.Run("nohistory", func(b *testing.B) { runBenchOpts(b, def, input, want, true) })
}

func runBenchOpts(b *testing.B, def, input string, want int, noHistory bool) {
	m := loadMachine(b, filepath.Join(benchDir(), def))
	in := loadInput(b, filepath.Join(benchDir(), input))
	// The Map's output (661 KB) is over AWS's 256 KiB limit: AWS would fail it.
	r, err := New(m, Options{Clock: NewVirtualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), NoPayloadLimit: true, NoHistory: noHistory, NoEventLimit: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		res := r.Start(context.Background(), in)
		if res.Status != Succeeded {
			b.Fatalf("%s: %s %s", res.Status, res.Error, res.Cause)
		}
		n := res.Transitions
		if !noHistory && transitions(res.Events) != n {
			b.Fatalf("%d transitions in the history, %d counted", transitions(res.Events), n)
		}
		if n != want {
			b.Fatalf("%d transitions, want %d", n, want)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "transitions/s")
}

func BenchmarkPassLoop(b *testing.B) {
	runBench(b, "pass_loop.asl.json", "pass_loop.input.json", 20003)
}

func BenchmarkMapInline(b *testing.B) {
	b.Run("unbounded", func(b *testing.B) { runBench(b, "map_inline.asl.json", "map_inline.input.json", 30002) })
	b.Run("mc40", func(b *testing.B) { runBench(b, "map_inline_mc40.asl.json", "map_inline.input.json", 30002) })
}

// TestBenchDefinitions checks that the benchmark definitions run correctly.
func TestBenchDefinitions(t *testing.T) {
	clock := NewVirtualClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	m := loadMachine(t, filepath.Join(benchDir(), "pass_loop.asl.json"))
	r, err := New(m, Options{Clock: clock, NoEventLimit: true}) // 40,000+ events
	if err != nil {
		t.Fatal(err)
	}
	res := r.Start(context.Background(), loadInput(t, filepath.Join(benchDir(), "pass_loop.input.json")))
	if got := toJSON(res.Output); res.Status != Succeeded || got != `{"limit":10000,"i":10000}` {
		t.Fatalf("pass_loop: %s %s", res.Status, got)
	}
	for _, def := range []string{"map_inline.asl.json", "map_inline_mc40.asl.json"} {
		m := loadMachine(t, filepath.Join(benchDir(), def))
		r, err := New(m, Options{Clock: clock, NoPayloadLimit: true, NoEventLimit: true})
		if err != nil {
			t.Fatal(err)
		}
		res := r.Start(context.Background(), loadInput(t, filepath.Join(benchDir(), "map_inline.input.json")))
		if res.Status != Succeeded || transitions(res.Events) != 30002 {
			t.Fatalf("%s: %s %s %s, %d transitions", def, res.Status, res.Error, res.Cause, transitions(res.Events))
		}
		out, _ := res.Output.(*value.Object)
		last, _ := json.Marshal(get(out, "last"))
		if get(out, "count") != json.Number("10000") || !strings.Contains(string(last), `"label":"bench-9999"`) {
			t.Fatalf("%s: output %s", def, toJSON(res.Output))
		}
	}
}
