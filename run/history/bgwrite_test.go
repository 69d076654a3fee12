package history

import (
	"bytes"
	"errors"
	"strconv"
	"testing"
)

// TestBgWriter: buffers are written in order, whole, by the background writer; a write error
// is reported by failed and close, and nothing is written after it.
func TestBgWriter(t *testing.T) {
	var out, want bytes.Buffer
	bw := &bgWriter{w: &out}
	b := make([]byte, 0, 64)
	for i := range 1000 {
		b = strconv.AppendInt(b, int64(i), 10)
		want.WriteString(strconv.Itoa(i))
		if i%7 == 0 {
			b = bw.write(b)
			if len(b) != 0 {
				t.Fatalf("buffer %d: %d bytes left", i, len(b))
			}
		}
	}
	if err := bw.close(append(b, "end"...)); err != nil {
		t.Fatal(err)
	}
	want.WriteString("end")
	if !bytes.Equal(out.Bytes(), want.Bytes()) {
		t.Fatalf("wrote %d bytes, want %d", out.Len(), want.Len())
	}

	fw := &failWriter{n: 10}
	bw = &bgWriter{w: fw}
	for range 100 {
		bw.write([]byte("0123456789"))
	}
	if err := bw.close([]byte("x")); !errors.Is(err, errFull) || !errors.Is(bw.failed(), errFull) {
		t.Fatalf("close: %v", err)
	}
	if err := (&bgWriter{w: &out}).close(nil); err != nil {
		t.Fatal(err)
	}
}

// TestAsyncWriter: text written, flushed with or without waiting, and written after close,
// arrives whole and in order; flush(true) returns only when all of it is written.
func TestAsyncWriter(t *testing.T) {
	var out bytes.Buffer
	a := &asyncWriter{bg: bgWriter{w: &out}}
	var want bytes.Buffer
	for i := range 50000 {
		line := []byte("line " + strconv.Itoa(i) + "\n")
		a.Write(line)
		want.Write(line)
		switch {
		case i%9973 == 0:
			a.flush(true)
			if out.Len() != want.Len() {
				t.Fatalf("after flush(true): %d bytes written, want %d", out.Len(), want.Len())
			}
		case i%997 == 0:
			a.flush(false)
		}
	}
	a.close()
	a.Write([]byte("after\n"))
	a.flush(true)
	want.WriteString("after\n")
	if !bytes.Equal(out.Bytes(), want.Bytes()) {
		t.Fatalf("wrote %d bytes, want %d", out.Len(), want.Len())
	}
}
