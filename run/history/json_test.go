package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/run"
)

// encodeWhole is how the JSON history was written before it was streamed: the whole document
// through one indenting encoder. The streamed output must stay byte-identical to it.
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
	return buf.Bytes()
}

// TestJSONWriterBytes: the streamed history is the whole-document encoding, byte for byte, for
// no events, one, and many (with HTML characters, control characters and non-ASCII text).
func TestJSONWriterBytes(t *testing.T) {
	odd := orderHistory(1)[:2]
	odd[1].Details = map[string]any{"name": "<a&b>\u2028é\x1b", "input": `{"s":"<\u0000>"}`, "inputDetails": map[string]any{"truncated": false}}
	for name, events := range map[string][]run.Event{
		"none":  nil,
		"empty": {},
		"one":   orderHistory(0)[:1],
		"order": orderHistory(12),
		"odd":   odd,
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

// FuzzJSONWriter: for any text in an event's fields the streamed history is the whole-document
// encoding, byte for byte.
func FuzzJSONWriter(f *testing.F) {
	f.Add("PassStateEntered", "stateEnteredEventDetails", "P", `{"a":"<b>"}`, int64(1), uint8(3))
	f.Add("ExecutionFailed", "", "\x1b[2J\u2028", "\xff\xfe", int64(0), uint8(1))
	f.Fuzz(func(t *testing.T, typ, key, name, payload string, id int64, n uint8) {
		id %= 1e9 // timestamps stay within what JSON can hold
		events := make([]run.Event, n%5)
		for i := range events {
			events[i] = run.Event{ID: id + int64(i), PreviousEventID: id, Timestamp: t0.Add(time.Duration(id) * time.Millisecond),
				Type: typ, DetailsKey: key, Details: map[string]any{"name": name, "input": payload, "n": i}}
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
