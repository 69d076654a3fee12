package handler

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/sfn-tool/sfn/run"
)

func TestLineWriter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		want   []string
	}{
		{"lines", []string{"a\nb\n"}, []string{"a", "b"}},
		{"split writes", []string{"he", "llo\nwor", "ld"}, []string{"hello", "world"}},
		{"crlf and empty lines", []string{"a\r\n\nb\r\n"}, []string{"a", "", "b"}},
		{"long line cut", []string{strings.Repeat("x", maxLogLine+10) + "\nnext\n"}, []string{strings.Repeat("x", maxLogLine) + "…", "next"}},
		{"long line over many writes", []string{strings.Repeat("y", maxLogLine-1), "zz", "zz\nok"}, []string{strings.Repeat("y", maxLogLine-1) + "z…", "ok"}},
		{"cut inside a character", []string{strings.Repeat("x", maxLogLine-1) + "é\n"}, []string{strings.Repeat("x", maxLogLine-1) + "…"}},
	} {
		var got []string
		w := &lineWriter{emit: func(s string) { got = append(got, s) }}
		for _, s := range tc.writes {
			if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
				t.Fatalf("%s: Write = %d, %v", tc.name, n, err)
			}
		}
		w.Flush()
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestLineWriterBounded: a generated stderr of one 8 MiB line costs at most maxLogLine bytes.
func TestLineWriterBounded(t *testing.T) {
	var got []string
	w := &lineWriter{emit: func(s string) { got = append(got, s) }}
	chunk := []byte(strings.Repeat("z", 64<<10))
	for range 128 {
		w.Write(chunk)
		if cap(w.buf) > 2*maxLogLine {
			t.Fatalf("buffer grew to %d", cap(w.buf))
		}
	}
	w.Flush()
	if len(got) != 1 || len(got[0]) != maxLogLine+len("…") {
		t.Errorf("got %d lines", len(got))
	}
}

// TestCommandLogs: a command's stderr lines reach Options.Logs with the state and attempt, and
// still make the failure cause.
func TestCommandLogs(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	c := &Command{Argv: []string{"sh", "-c", "echo one >&2; printf 'two' >&2; exit 3"}, Log: func(state string, attempt int, line string) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, state+"#"+string(rune('0'+attempt))+" "+line)
	}}
	res := c.Invoke(context.Background(), run.TaskRequest{StateName: "S", Attempt: 1})
	if !res.Failed || res.Cause != "one\ntwo" {
		t.Errorf("result %+v", res)
	}
	if strings.Join(lines, "|") != "S#1 one|S#1 two" {
		t.Errorf("logs %q", lines)
	}
}

// FuzzLineWriter: whatever is written, in whatever pieces, each line passed on is at most
// maxLogLine bytes (plus the cut mark) and valid where the input was, and lines that fit come
// out as written.
func FuzzLineWriter(f *testing.F) {
	f.Add([]byte("a\nb\r\nc"), uint8(2))
	f.Add([]byte(strings.Repeat("é", maxLogLine)), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		var got []string
		w := &lineWriter{emit: func(s string) { got = append(got, s) }}
		step := int(split)%64 + 1
		for i := 0; i < len(data); i += step {
			w.Write(data[i:min(i+step, len(data))])
		}
		w.Flush()
		var want []string
		for _, l := range strings.Split(string(data), "\n") {
			want = append(want, strings.TrimSuffix(l, "\r"))
		}
		if len(data) == 0 || data[len(data)-1] == '\n' {
			want = want[:len(want)-1]
		}
		if len(got) != len(want) {
			t.Fatalf("%d lines, want %d", len(got), len(want))
		}
		for i, l := range got {
			if len(l) > maxLogLine+len("…") {
				t.Fatalf("line %d is %d bytes", i, len(l))
			}
			if len(want[i]) <= maxLogLine && l != want[i] {
				t.Fatalf("line %d: %q, want %q", i, l, want[i])
			}
		}
	})
}
