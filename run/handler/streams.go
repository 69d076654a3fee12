package handler

import "bytes"

// outputLimit is the most bytes of a command's stdout read for a task whose result may be
// maxOutput bytes long (0: no limit, then maxStdout).
func outputLimit(maxOutput int) int {
	if maxOutput <= 0 || maxOutput > maxStdout {
		return maxStdout
	}
	return maxOutput
}

// capBuffer keeps a command's stdout up to max bytes, not counting white space before the first
// other byte nor after the last one kept. A byte other than white space past max is an overflow:
// onOver is called (once) and every write from then on fails with errOverLimit, which ends the
// copy from the pipe. Memory stays under max whatever the command prints.
type capBuffer struct {
	max    int
	buf    bytes.Buffer
	over   bool
	onOver func()
}

func (b *capBuffer) Write(p []byte) (int, error) {
	if b.over {
		return 0, errOverLimit
	}
	n := len(p)
	if b.buf.Len() == 0 {
		p = bytes.TrimLeft(p, jsonSpace)
	}
	room := b.max - b.buf.Len()
	if len(p) <= room {
		b.buf.Write(p)
		return n, nil
	}
	b.buf.Write(p[:room])
	if len(bytes.TrimLeft(p[room:], jsonSpace)) == 0 {
		return n, nil // trailing white space
	}
	b.over = true
	if b.onOver != nil {
		b.onOver()
	}
	return 0, errOverLimit
}

// Bytes returns what was kept.
func (b *capBuffer) Bytes() []byte { return b.buf.Bytes() }

// jsonSpace is the white space JSON allows around a value.
const jsonSpace = " \t\r\n"

// tailBuffer keeps the last max bytes written to it (a command's stderr): a command that prints
// without end costs no more memory than max.
type tailBuffer struct {
	max int
	buf []byte
	cut bool // bytes were dropped from the start
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		t.cut = true
		return n, nil
	}
	if drop := len(t.buf) + len(p) - t.max; drop > 0 {
		t.buf = t.buf[:copy(t.buf, t.buf[drop:])]
		t.cut = true
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// lines returns what was kept; when the start was dropped, without the partial first line
// (unless the kept bytes hold no line break at all).
func (t *tailBuffer) lines() []byte {
	if t.cut {
		if i := bytes.IndexByte(t.buf, '\n'); i >= 0 {
			return t.buf[i+1:]
		}
	}
	return t.buf
}
