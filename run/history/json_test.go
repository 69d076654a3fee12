package history

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

// encodeWhole is how the JSON history was written before it was streamed: the whole document
// through one indenting encoder, its C1 and bidi controls then escaped (safetext.JSON). The
// streamed output must stay byte-identical to it.
func encodeWhole(events []run.Event) []byte {
	if events == nil {
		events = []run.Event{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Events []run.Event `json:"events"`
	}{events}); err != nil {
		panic(err)
	}
	return safetext.JSON(buf.Bytes())
}

// TestJSONWriterBytes: the streamed history is the whole-document encoding, byte for byte, for
// no events, one, and many (with HTML characters, control characters and non-ASCII text).
func TestJSONWriterBytes(t *testing.T) {
	odd := orderHistory(1)[:2]
	odd[1].Details = map[string]any{"name": "<a&b>\u2028é\x1b", "input": `{"s":"<\u0000>"}`, "inputDetails": map[string]any{"truncated": false}}
	for name, events := range map[string][]run.Event{
		"none":    nil,
		"empty":   {},
		"one":     orderHistory(0)[:1],
		"order":   orderHistory(12),
		"odd":     odd,
		"ordered": oddEvents(orderedDetails()),
		"keys":    detailsKeyEvents(),
		"slow":    slowEvents(),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			jw := NewJSONWriter(&buf)
			for _, e := range events {
				jw.Event(e)
			}
			if err := jw.Close(); err != nil {
				t.Fatal(err)
			}
			if want := encodeWhole(events); !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("streamed:\n%s\nwant:\n%s", buf.Bytes(), want)
			}
			buf.Reset()
			if err := WriteJSON(&buf, events); err != nil || !bytes.Equal(buf.Bytes(), encodeWhole(events)) {
				t.Errorf("WriteJSON differs (%v)", err)
			}
		})
	}
}

// hostile is text with every kind of character the history escapes: JSON's, HTML's, C0 and C1
// controls, bidi controls, line separators and invalid UTF-8.
const hostile = "q\"\\/<a&b>\b\f\n\r\t\x00\x1f\x7f\u0085\u009f\u00a0\u202e\u2066\u2028\u2029\ufffd\xff\xc3é€😀"

// orderedDetails is details holding ordered objects (written as value.AppendJSON writes them)
// inside a map (written as json.Marshal writes it), with every kind of value in both.
func orderedDetails() map[string]any {
	inner := value.ObjectOf("z", hostile, hostile, []any{json.Number("-1.5e+3"), int64(7), 3, true, nil, []any{}, value.NewObject(0)},
		"m", map[string]any{"b": hostile, "a": json.Number(""), hostile: nil})
	return map[string]any{"name": hostile, "obj": inner, "list": []any{inner, map[string]any{}, []any{}, "x"},
		"nilMap": map[string]any(nil), "nilList": []any(nil), "nilObj": (*value.Object)(nil), "n": json.Number("0.25"),
		"big": int64(-1 << 63), "empty": value.NewObject(0), hostile: false}
}

// oddEvents is two events with details d (one under an unusual key).
func oddEvents(d map[string]any) []run.Event {
	return []run.Event{
		{ID: 1, Type: "PassStateEntered", Timestamp: t0, DetailsKey: "stateEnteredEventDetails", Details: d},
		{ID: 2, PreviousEventID: 1, Type: hostile, Timestamp: t0.Add(1500 * time.Microsecond), DetailsKey: hostile, Details: d},
	}
}

// detailsKeyEvents has the details member sorted at each place among the fixed members, in
// place of each of them, and nil details.
func detailsKeyEvents() []run.Event {
	var events []run.Event
	for i, key := range []string{"a", "id", "ib", "previousEventId", "q", "timestamp", "tz", "type", "z", ""} {
		events = append(events, run.Event{ID: int64(i), PreviousEventID: -1, Type: "T", Timestamp: t0, DetailsKey: key,
			Details: map[string]any{"k": key}})
	}
	return append(events, run.Event{ID: 99, Type: "T", Timestamp: t0, DetailsKey: "x"})
}

// slowEvents has what the direct path leaves to encoding/json: floats, other Go types, nil
// containers inside ordered objects, times not in UTC.
func slowEvents() []run.Event {
	d := func(v any) map[string]any { return map[string]any{"v": v} }
	events := []run.Event{
		{ID: 1, Type: "F", Timestamp: t0, DetailsKey: "d", Details: d(1.5e-7)},
		{ID: 2, Type: "F", Timestamp: t0, DetailsKey: "d", Details: d(value.ObjectOf("f", 1e21))},
		{ID: 3, Type: "I", Timestamp: t0, DetailsKey: "d", Details: d(int32(5))},
		{ID: 4, Type: "N", Timestamp: t0, DetailsKey: "d", Details: d(value.ObjectOf("l", []any(nil)))},
		{ID: 5, Type: "N", Timestamp: t0, DetailsKey: "d", Details: d(value.ObjectOf("m", map[string]any(nil)))},
		{ID: 6, Type: "Z", Timestamp: t0.In(time.FixedZone("X", 5*3600+1800)), DetailsKey: "d", Details: d(hostile)},
		{ID: 7, Type: "S", Timestamp: t0, DetailsKey: "d", Details: d(struct{ A string }{hostile})},
	}
	var jw JSONWriter
	for _, e := range events {
		if _, ok := jw.appendEvent(nil, &e); ok {
			panic(fmt.Sprintf("event %d takes the direct path", e.ID))
		}
	}
	return events
}

// TestJSONWriterPartial: a history closed part way (an interrupted run) is a valid document with
// the events given so far; events after Close are ignored.
func TestJSONWriterPartial(t *testing.T) {
	events := orderHistory(5)
	var buf bytes.Buffer
	jw := NewJSONWriter(&buf)
	for _, e := range events[:7] {
		jw.Event(e)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	jw.Event(events[7])
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), encodeWhole(events[:7])) {
		t.Errorf("partial history:\n%s", buf.Bytes())
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errFull = errors.New("no space left on device")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestJSONWriterError: the first write error is returned by Close, and nothing more is encoded.
func TestJSONWriterError(t *testing.T) {
	fw := &failWriter{n: 100}
	jw := NewJSONWriter(fw)
	for _, e := range orderHistory(3000) {
		jw.Event(e)
	}
	if err := jw.Close(); !errors.Is(err, errFull) {
		t.Fatalf("Close: %v, want %v", err, errFull)
	}
	if jw.n >= 3000 {
		t.Errorf("%d events encoded after the error", jw.n)
	}
	if err := WriteJSON(&failWriter{}, nil); !errors.Is(err, errFull) {
		t.Errorf("WriteJSON: %v", err)
	}
}

// TestJSONWriterBounded: memory does not grow with the number of events written: the live heap
// after 100,000 events is what it is after 1,000.
func TestJSONWriterBounded(t *testing.T) {
	heapAfter := func(n int) uint64 {
		jw := NewJSONWriter(discard{})
		e := run.Event{ID: 1, Type: "PassStateEntered", Timestamp: t0, DetailsKey: "stateEnteredEventDetails",
			Details: map[string]any{"name": "P", "input": `{"n":1}`, "inputDetails": map[string]any{"truncated": false}}}
		for i := range n {
			e.ID, e.PreviousEventID = int64(i+1), int64(i)
			jw.Event(e)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if err := jw.Close(); err != nil {
			t.Fatal(err)
		}
		return ms.HeapAlloc
	}
	small, large := heapAfter(1000), heapAfter(100000)
	if large > small+1<<20 {
		t.Errorf("live heap %d bytes after 100,000 events, %d after 1,000", large, small)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkJSONWriter measures one event streamed.
func BenchmarkJSONWriter(b *testing.B) {
	events := orderHistory(20)
	jw := NewJSONWriter(discard{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		jw.Event(events[i%len(events)])
	}
	_ = jw.Close()
}

func ExampleJSONWriter() {
	jw := NewJSONWriter(os.Stdout)
	jw.Event(run.Event{ID: 1, Type: "PassStateEntered", Timestamp: t0, DetailsKey: "stateEnteredEventDetails",
		Details: map[string]any{"name": "P", "input": "{}"}})
	_ = jw.Close()
	// Output:
	// {
	//   "events": [
	//     {
	//       "id": 1,
	//       "previousEventId": 0,
	//       "stateEnteredEventDetails": {
	//         "input": "{}",
	//         "name": "P"
	//       },
	//       "timestamp": "2024-05-01T10:00:00Z",
	//       "type": "PassStateEntered"
	//     }
	//   ]
	// }
}

// FuzzJSONWriter: for any text in an event's fields, in maps and in ordered objects, and any
// number text, the streamed history is the whole-document encoding, byte for byte.
func FuzzJSONWriter(f *testing.F) {
	f.Add("PassStateEntered", "stateEnteredEventDetails", "P", `{"a":"<b>"}`, int64(1), uint8(3))
	f.Add("ExecutionFailed", "", "\x1b[2J\u2028", "\xff\xfe", int64(0), uint8(1))
	f.Add("T", "type", "\u0085\u202e\b<&>", "-0.5E+10", int64(7), uint8(2))
	f.Fuzz(func(t *testing.T, typ, key, name, payload string, id int64, n uint8) {
		id %= 1e9 // timestamps stay within what JSON can hold
		events := make([]run.Event, n%5)
		for i := range events {
			events[i] = run.Event{ID: id + int64(i), PreviousEventID: id, Timestamp: t0.Add(time.Duration(id) * time.Millisecond),
				Type: typ, DetailsKey: key, Details: map[string]any{"name": name, "input": payload, "n": i,
					"obj": value.ObjectOf(name, payload, "l", []any{payload, map[string]any{name: i}})}}
			if validNumber(payload) {
				events[i].Details[payload] = json.Number(payload)
			}
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, events); err != nil {
			t.Fatal(err)
		}
		if want := encodeWhole(events); !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("streamed:\n%s\nwant:\n%s", buf.Bytes(), want)
		}
	})
}

// passLoopASL is a Choice + Pass loop counting to its input's "limit" (two transitions a round).
const passLoopASL = `{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Parameters": {"i": 0, "limit.$": "$.limit"}, "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.limit", "Next": "Increment"}], "Default": "Done"},
  "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit"}, "Next": "Check"},
  "Done": {"Type": "Succeed"}}}`

// BenchmarkJSONHistoryPassLoop measures a run of the Pass loop (per 20,003 transitions): with no
// history, with the events recorded but dropped, streaming its JSON history as
// `sfn run --history json` does, and as the table `sfn run` shows by default.
func BenchmarkJSONHistoryPassLoop(b *testing.B) {
	doc, err := load.Parse("loop.asl.json", []byte(passLoopASL), load.JSON)
	if err != nil {
		b.Fatal(err)
	}
	m := asl.Build(doc)
	for _, sink := range []string{"none", "dropped", "json", "table"} {
		b.Run(sink, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				jw := NewJSONWriter(discard{})
				opts := run.Options{Clock: run.NewVirtualClock(t0), DiscardEvents: true, NoEventLimit: true, NoPayloadLimit: true}
				switch sink {
				case "none":
					opts.NoHistory = true
				case "dropped":
					opts.OnEvent = func(run.Event) {}
				case "json":
					opts.OnEvent, opts.CompactDetails = jw.Event, true
				case "table":
					tab := NewTable(discard{}, TableOptions{})
					defer tab.Close()
					opts.OnEvent, opts.CompactDetails = tab.Event, true
				}
				r, err := run.New(m, opts)
				if err != nil {
					b.Fatal(err)
				}
				res := r.Start(context.Background(), value.ObjectOf("limit", json.Number("10000")))
				if err := jw.Close(); err != nil || res.Status != run.Succeeded {
					b.Fatal(res.Status, err)
				}
			}
		})
	}
}

// runEvents runs the definition src with input (every task answered {}) on the virtual clock and
// returns its history as sfn run streams it (compact details); ok is false for a definition that
// does not load or start.
func runEvents(t *testing.T, file string, src []byte, input any) (events []run.Event, ok bool) {
	t.Helper()
	doc, err := load.Parse(file, src, load.FormatFor(file, src))
	if err != nil || !load.IsDefinition(doc.Root) {
		return nil, false
	}
	resolver, err := handler.NewResolver(handler.Options{StubMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := run.New(asl.Build(doc), run.Options{Clock: run.NewVirtualClock(t0), Handlers: resolver.Handler,
		ExecutionName: "exec", S3Dir: t.TempDir(), DiscardEvents: true, CompactDetails: true,
		OnEvent: func(e run.Event) { events = append(events, e) }})
	if err != nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r.Start(ctx, input)
	return events, true
}

// checkRunHistory: the streamed history of events is the whole-document encoding, byte for
// byte, and every event took the direct path.
func checkRunHistory(t *testing.T, name string, events []run.Event) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, events); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if want := encodeWhole(events); !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s: streamed history differs from the whole-document encoding:\n%s\nwant:\n%s", name, buf.Bytes(), want)
	}
	var jw JSONWriter
	for _, e := range events {
		if _, ok := jw.appendEvent(nil, &e); !ok {
			t.Errorf("%s: event %d (%s) took the slow path", name, e.ID, e.Type)
		}
	}
}

// TestJSONWriterSamples: the JSON history of every sample's run is the whole-document encoding.
func TestJSONWriterSamples(t *testing.T) {
	files, _ := filepath.Glob("../../samples/*/*.asl.*")
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	ran := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var input any = value.NewObject(0)
		if in, err := os.ReadFile(filepath.Join(filepath.Dir(file), "input.json")); err == nil {
			if input, err = load.DecodeJSON(in); err != nil {
				t.Fatal(err)
			}
		}
		events, ok := runEvents(t, file, src, input)
		if ok {
			ran++
			checkRunHistory(t, file, events)
		}
	}
	if ran < len(files)/2 {
		t.Errorf("only %d of %d samples ran", ran, len(files))
	}
}

// TestJSONWriterConformance: the same for every definition of the AWS-recorded conformance
// executions in ../shared (every tenth with -short; skipped when absent).
func TestJSONWriterConformance(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/conformance/aws/*/*.json")
	if len(files) == 0 {
		testshared.Skip(t, "conformance", "../../../shared/conformance")
	}
	ran := 0
	for i, file := range files {
		if testing.Short() && i%10 != 0 {
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Definition json.RawMessage `json:"definition"`
			Input      json.RawMessage `json:"input"`
		}
		if json.Unmarshal(raw, &c) != nil || len(c.Definition) == 0 {
			continue
		}
		var input any = value.NewObject(0)
		if len(c.Input) > 0 {
			if input, err = load.DecodeJSON(c.Input); err != nil {
				continue
			}
		}
		if events, ok := runEvents(t, "def.json", c.Definition, input); ok {
			ran++
			checkRunHistory(t, filepath.Base(file), events)
		}
	}
	t.Logf("%d conformance definitions run", ran)
}

// TestJSONWriterShapes: maps of as many keys but other keys than a shape seen, more shapes than
// are kept, and maps with more keys than a kept shape are written as encoding/json writes them.
func TestJSONWriterShapes(t *testing.T) {
	var events []run.Event
	add := func(d map[string]any) {
		events = append(events, run.Event{ID: int64(len(events) + 1), Type: "T", Timestamp: t0, DetailsKey: "d", Details: d})
	}
	for i := range 2 * maxShapes {
		add(map[string]any{"a": i, "b": 1, "c": 2})
		add(map[string]any{"a": i, "b": 1, fmt.Sprint("k", i): 2})
		add(map[string]any{"c": i, "b": map[string]any{"b": 1, "a": 0}, "a": map[string]any{fmt.Sprint("k", i%3): i}})
		big := map[string]any{}
		for k := range maxShapeKeys + 1 + i%3 {
			big[fmt.Sprint("k", (k*7)%11)] = k
		}
		add(big)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, events); err != nil {
		t.Fatal(err)
	}
	if want := encodeWhole(events); !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("streamed:\n%s\nwant:\n%s", buf.Bytes(), want)
	}
}

// FuzzJSONWriterCompact: for any name and payload text, events with compact details are
// written as the whole-document encoding of the same details in a map, byte for byte.
func FuzzJSONWriterCompact(f *testing.F) {
	f.Add("P", `{"a":"<b>"}`, 3)
	f.Add("\x1b[2J\u2028", "\xff\xfe\u202e", -1)
	f.Add("", "", 0)
	f.Fuzz(func(t *testing.T, name, payload string, index int) {
		var events []run.Event
		for i, c := range []run.CompactDetails{
			{Shape: run.EnteredShape, Name: name, Payload: payload},
			{Shape: run.ExitedShape, Name: name, Payload: payload},
			{Shape: run.EnteredShape, Name: name, Payload: payload}, // the same payload again
			{Shape: run.IterationShape, Name: name, Index: index},
		} {
			key := [...]string{"stateEnteredEventDetails", "stateExitedEventDetails", "stateEnteredEventDetails",
				"mapIterationStartedEventDetails"}[i]
			events = append(events, run.Event{ID: int64(i + 1), PreviousEventID: int64(i), Timestamp: t0,
				Type: "T" + key, DetailsKey: key, Compact: c})
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, events); err != nil {
			t.Fatal(err)
		}
		if want := encodeWhole(events); !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("streamed:\n%s\nwant:\n%s", buf.Bytes(), want)
		}
	})
}

// TestJSONWriterLongPayload: a compact payload over maxEscapedPayload (escaped each time, not
// remembered) and the events after it are written as the whole-document encoding.
func TestJSONWriterLongPayload(t *testing.T) {
	long := `{"s":"` + strings.Repeat(`a"\`+"\u2028", maxEscapedPayload/4) + `"}`
	var events []run.Event
	for i, p := range []string{long, long, `{}`, long} {
		shape, key := run.EnteredShape, "stateEnteredEventDetails"
		if i%2 == 1 {
			shape, key = run.ExitedShape, "stateExitedEventDetails"
		}
		events = append(events, run.Event{ID: int64(i + 1), Timestamp: t0, Type: "PassState", DetailsKey: key,
			Compact: run.CompactDetails{Shape: shape, Name: "P", Payload: p}})
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, events); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), encodeWhole(events)) {
		t.Fatal("the streamed history differs from the whole-document encoding")
	}
}
