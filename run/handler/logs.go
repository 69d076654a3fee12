package handler

import (
	"bytes"
	"unicode/utf8"
)

// LogFunc receives what a command handler writes to stderr, a line at a time (without its line
// break): the state it runs for and the invocation (TaskRequest.Attempt).
type LogFunc func(state string, attempt int, line string)

// maxLogLine is the longest stderr line passed on whole; a longer one is cut and marked "…".
const maxLogLine = 4 << 10

// lineWriter splits what is written to it into lines and passes each to emit. A line longer than
// maxLogLine is passed on cut (the rest of it dropped), so memory stays bounded whatever the
// command prints. Flush passes on a last line without a line break.
type lineWriter struct {
	emit func(line string)
	buf  []byte
	long bool // the current line was cut: drop the rest of it
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if !w.long {
			room := maxLogLine - len(w.buf)
			if len(chunk) > room {
				w.buf = append(w.buf, chunk[:room]...)
				w.emitLine(true)
				w.long = true
			} else {
				w.buf = append(w.buf, chunk...)
			}
		}
		if i < 0 {
			break
		}
		if !w.long {
			w.emitLine(false)
		}
		w.long = false
		p = p[i+1:]
	}
	return n, nil
}

// Flush passes on a last line that has no line break.
func (w *lineWriter) Flush() {
	if len(w.buf) > 0 && !w.long {
		w.emitLine(false)
	}
	w.buf, w.long = w.buf[:0], false
}

func (w *lineWriter) emitLine(cut bool) {
	b := bytes.TrimSuffix(w.buf, []byte("\r"))
	if cut && len(b) > 0 && !utf8.FullRune(b[lastRuneStart(b):]) {
		b = b[:lastRuneStart(b)] // not half a character
	}
	line := string(b)
	if cut {
		line += "…"
	}
	w.buf = w.buf[:0]
	w.emit(line)
}

// lastRuneStart is the index of the start of the last rune of b.
func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i > 0; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return 0
}
