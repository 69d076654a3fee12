package cli

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// writeIndented writes what json.Indent writes.
func TestWriteIndentedMatchesJSONIndent(t *testing.T) {
	for _, src := range []string{
		`1`, `"a"`, `null`, `[]`, `{}`, `[[]]`, `{"a":{}}`, `[1,[2,[3]],{"k":"v,:{}[]\"\\"}]`,
		`{"a":[{"b":null,"c":true}],"d":"\u00e9"}`, strings.Repeat("[", 50) + strings.Repeat("]", 50),
	} {
		checkIndented(t, []byte(src))
	}
}

func FuzzWriteIndented(f *testing.F) {
	for _, s := range []string{`[1,{"a":[]}]`, `{"x":"\"]"}`, `[[[{}]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var v any
		if json.Unmarshal(src, &v) != nil {
			return
		}
		compact, _ := json.Marshal(v)
		checkIndented(t, compact)
	})
}

func checkIndented(t *testing.T, src []byte) {
	t.Helper()
	var want bytes.Buffer
	if err := json.Indent(&want, src, "", "  "); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	want.WriteByte('\n')
	var got bytes.Buffer
	if err := writeIndented(&got, src); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("%s:\ngot  %q\nwant %q", src, got.String(), want.String())
	}
}

// A deeply nested output is written without holding its indented text (quadratic in depth).
func TestWriteOutputDeepIsStreamed(t *testing.T) {
	depth := 5000
	var v any = 1.0
	for range depth {
		v = []any{v}
	}
	var n countWriter
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := writeOutput(&n, v); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n.n < int64(depth)*int64(depth) { // about depth² spaces of indentation: 25 MB
		t.Fatalf("wrote %d bytes", n.n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(n.n)/4 {
		t.Fatalf("allocated %d bytes to write %d", alloc, n.n)
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
