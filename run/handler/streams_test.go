package handler

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/run"
)

// TestCapBuffer: stdout is kept up to the limit; white space around the value does not count;
// one byte of anything else past it is an overflow, reported once, and ends the copy.
func TestCapBuffer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		keep   string
		over   bool
	}{
		{"under", []string{`{"a":`, `1}`}, `{"a":1}`, false},
		{"exactly", []string{`"12345678"`}, `"12345678"`, false},
		{"trailing space", []string{`"12345678"`, "\n", "  \r\n\t"}, `"12345678"`, false},
		{"leading space", []string{"\n\n  ", ` "12345678"`, "\n"}, `"12345678"`, false},
		{"one byte over", []string{`"123456789"`}, `"123456789`, true},
		{"over after space", []string{`"12345678"`, " ", "x"}, `"12345678"`, true},
	} {
		overs := 0
		b := &capBuffer{max: 10, onOver: func() { overs++ }}
		var err error
		for _, w := range tc.writes {
			var n int
			if n, err = b.Write([]byte(w)); err != nil {
				break
			}
			if n != len(w) {
				t.Errorf("%s: wrote %d of %d", tc.name, n, len(w))
			}
		}
		wantCalls := 0
		if tc.over {
			wantCalls = 1
		}
		if got := string(b.Bytes()); got != tc.keep || b.over != tc.over || (err == errOverLimit) != tc.over || overs != wantCalls {
			t.Errorf("%s: kept %q over=%v err=%v calls=%d; want %q over=%v", tc.name, got, b.over, err, overs, tc.keep, tc.over)
		}
		if tc.over {
			if _, err := b.Write([]byte(" ")); err != errOverLimit || overs != 1 {
				t.Errorf("%s: a write after the overflow: %v (%d calls)", tc.name, err, overs)
			}
		}
	}
}

// TestTailBuffer: only the last max bytes are kept, whatever the sizes of the writes; lines drops
// the partial first line of a cut stream.
func TestTailBuffer(t *testing.T) {
	var all strings.Builder
	tb := &tailBuffer{max: 100}
	for i := range 500 {
		chunk := strings.Repeat(fmt.Sprint(i%10), i%37) + "\n"
		all.WriteString(chunk)
		_, _ = tb.Write([]byte(chunk))
		want := all.String()
		if len(want) > 100 {
			want = want[len(want)-100:]
		}
		if string(tb.buf) != want {
			t.Fatalf("after %d writes: kept %q, want %q", i+1, tb.buf, want)
		}
	}
	_, _ = tb.Write(bytes.Repeat([]byte("y"), 1000))
	if string(tb.buf) != strings.Repeat("y", 100) || cap(tb.buf) > 1024 {
		t.Errorf("a write larger than max: %q (cap %d)", tb.buf, cap(tb.buf))
	}
	tb = &tailBuffer{max: 10}
	_, _ = tb.Write([]byte("partial line\nlast\n"))
	if string(tb.lines()) != "last\n" {
		t.Errorf("lines: %q", tb.lines())
	}
	tb = &tailBuffer{max: 100}
	_, _ = tb.Write([]byte("whole\nlast\n"))
	if string(tb.lines()) != "whole\nlast\n" {
		t.Errorf("lines of an uncut stream: %q", tb.lines())
	}
}

// allocated runs f and returns the bytes the Go heap allocated meanwhile.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestCommandOutputCap: a handler that prints without end (yes) fails with
// States.DataLimitExceeded once it passes the payload limit, its process group killed; the bytes
// read and allocated do not depend on what it prints. With the limit lifted, the hard cap applies.
func TestCommandOutputCap(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "endless.sh", "#!/bin/sh\necho $$ > pids\nprintf '\"'\nexec yes\n")
	script(t, dir, "big.sh", "#!/bin/sh\nprintf '\"'\nhead -c 1000000 /dev/zero | tr '\\0' a\nprintf '\"'\n")
	script(t, dir, "fits.sh", "#!/bin/sh\nprintf '\"'\nhead -c 262142 /dev/zero | tr '\\0' a\nprintf '\"\\n\\n'\n")
	// (TimeoutSeconds only bounds a failure of the test: an uncapped read would never end.)
	req := run.TaskRequest{StateName: "Big", Resource: "arn:aws:lambda:us-east-1:123456789012:function:big", MaxOutput: 256 << 10, Timeout: time.Minute}
	var res run.TaskResult
	mem := allocated(func() {
		res = (&Command{Argv: []string{"sh", "endless.sh"}, Dir: dir}).Invoke(context.Background(), req)
	})
	if !res.Failed || !res.OverLimit || res.Error != "States.DataLimitExceeded" || !strings.Contains(res.Cause, "more than 262144 bytes") {
		t.Errorf("endless output: %+v", res)
	}
	if mem > 8<<20 {
		t.Errorf("reading an endless stdout allocated %d bytes", mem)
	}
	for _, pid := range readPids(t, filepath.Join(dir, "pids")) {
		if alive(pid) {
			t.Errorf("handler %d still runs", pid)
		}
	}

	if res := (&Command{Argv: []string{"sh", "big.sh"}, Dir: dir}).Invoke(context.Background(), req); !res.OverLimit {
		t.Errorf("1 MB output: %+v", res)
	}
	// Exactly the limit, with trailing line breaks, is a result.
	if res := (&Command{Argv: []string{"sh", "fits.sh"}, Dir: dir}).Invoke(context.Background(), req); res.Failed || len(res.Output.(string)) != 262142 {
		t.Errorf("output of exactly the limit: %s %s", res.Error, res.Cause)
	}
	// Lifted (MaxOutput 0): 1 MB is read whole; the hard cap is maxStdout.
	req.MaxOutput = 0
	if res := (&Command{Argv: []string{"sh", "big.sh"}, Dir: dir}).Invoke(context.Background(), req); res.Failed || len(res.Output.(string)) != 1000000 {
		t.Errorf("1 MB output, limit lifted: %s %s", res.Error, res.Cause)
	}
	if outputLimit(0) != maxStdout || outputLimit(1<<40) != maxStdout || outputLimit(10) != 10 {
		t.Error("outputLimit")
	}
}

// TestCommandStderrTail: a failing handler that prints megabytes to stderr costs no more than
// the kept tail; the cause is the end of stderr, and a Lambda-style error object on its last line
// is still found.
func TestCommandStderrTail(t *testing.T) {
	dir := t.TempDir()
	script(t, dir, "noisy.sh", "#!/bin/sh\nyes 'log line' | head -c 30000006 >&2\necho 'the end' >&2\nexit 1\n")
	script(t, dir, "noisy-lambda.sh", "#!/bin/sh\nyes 'log line' | head -c 30000006 >&2\n"+
		`echo '{"errorType": "Boom", "errorMessage": "after much noise"}' >&2`+"\nexit 1\n")
	req := run.TaskRequest{StateName: "Noisy", Resource: "arn:aws:states:::sqs:sendMessage", MaxOutput: 256 << 10}
	var res run.TaskResult
	mem := allocated(func() {
		res = (&Command{Argv: []string{"sh", "noisy.sh"}, Dir: dir}).Invoke(context.Background(), req)
	})
	if res.Error != "States.TaskFailed" || !strings.HasPrefix(res.Cause, "…") || !strings.HasSuffix(res.Cause, "log line\nthe end") || len(res.Cause) > stderrTail+8 {
		t.Errorf("noisy: %s %q", res.Error, res.Cause)
	}
	if mem > 8<<20 {
		t.Errorf("30 MB of stderr allocated %d bytes", mem)
	}
	res = (&Command{Argv: []string{"sh", "noisy-lambda.sh"}, Dir: dir}).Invoke(context.Background(), req)
	if res.Error != "Boom" || res.Cause != "after much noise" {
		t.Errorf("noisy lambda error: %s %q", res.Error, res.Cause)
	}
}

// FuzzStreams: however a stream is cut into writes, capBuffer keeps its first max bytes (less
// leading white space) and overflows exactly when a byte other than white space lies past them,
// and tailBuffer keeps its last max bytes.
func FuzzStreams(f *testing.F) {
	f.Add([]byte("  {\"a\": 1}\n\n"), uint8(5), uint8(3))
	f.Add([]byte("yyyyyyyyyyyyyyyyyyyy"), uint8(10), uint8(7))
	f.Add([]byte("\n\t 12345678  \r\n x"), uint8(8), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, size, chunk uint8) {
		m, c := int(size)+1, int(chunk)+1
		cb := &capBuffer{max: m}
		tb := &tailBuffer{max: m}
		over := false
		for i := 0; i < len(data); i += c {
			part := data[i:min(i+c, len(data))]
			if _, err := cb.Write(part); err != nil {
				over = true
				break
			}
			_, _ = tb.Write(part)
		}
		body := bytes.TrimLeft(data, jsonSpace)
		wantKeep, wantOver := body, false
		if len(body) > m {
			wantKeep = body[:m]
			wantOver = len(bytes.TrimLeft(body[m:], jsonSpace)) > 0
		}
		if !bytes.Equal(cb.Bytes(), wantKeep) || over != wantOver || cb.over != wantOver {
			t.Fatalf("capBuffer(%d) in writes of %d: kept %q over=%v, want %q over=%v", m, c, cb.Bytes(), over, wantKeep, wantOver)
		}
		if !over {
			wantTail := data[max(0, len(data)-m):]
			if !bytes.Equal(tb.buf, wantTail) || len(tb.buf) > m {
				t.Fatalf("tailBuffer(%d) in writes of %d: kept %q, want %q", m, c, tb.buf, wantTail)
			}
		}
	})
}
