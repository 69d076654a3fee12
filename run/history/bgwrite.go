package history

import (
	"io"
	"sync"
)

// bgWriter writes buffers to w on a goroutine of its own, started with the first buffer, so
// that the writer of a long history formats the next events while the system writes the last
// ones. It holds at most three buffers. It is used by one goroutine at a time.
type bgWriter struct {
	w       io.Writer
	started bool
	made    int // buffers made besides the first
	full    chan []byte
	free    chan []byte
	done    chan struct{}

	pending sync.WaitGroup // buffers handed over, not yet written

	mu  sync.Mutex
	err error // the first write error
}

// write hands b over to be written and returns an empty buffer to fill next.
func (bw *bgWriter) write(b []byte) []byte {
	if !bw.started {
		bw.started = true
		bw.full, bw.free, bw.done = make(chan []byte, 1), make(chan []byte, 3), make(chan struct{})
		go bw.run()
	}
	bw.pending.Add(1)
	bw.full <- b
	select {
	case s := <-bw.free:
		return s
	default:
	}
	if bw.made < 2 {
		bw.made++
		return make([]byte, 0, cap(b))
	}
	return <-bw.free
}

// failed returns the first write error so far.
func (bw *bgWriter) failed() error {
	bw.mu.Lock()
	defer bw.mu.Unlock()
	return bw.err
}

// close writes last and waits until everything is written; it returns the first write error.
func (bw *bgWriter) close(last []byte) error {
	if !bw.started {
		if last == nil {
			return nil
		}
		_, err := bw.w.Write(last)
		return err
	}
	bw.pending.Add(1)
	bw.full <- last
	close(bw.full)
	<-bw.done
	return bw.failed()
}

func (bw *bgWriter) run() {
	defer close(bw.done)
	for b := range bw.full {
		if len(b) > 0 && bw.failed() == nil {
			if _, err := bw.w.Write(b); err != nil {
				bw.mu.Lock()
				bw.err = err
				bw.mu.Unlock()
			}
		}
		bw.free <- b[:0]
		bw.pending.Done()
	}
}

// drain waits until the buffers handed over are written.
func (bw *bgWriter) drain() {
	if bw.started {
		bw.pending.Wait()
	}
}

// asyncWriter is an io.Writer for a display (errors are not reported): Write collects the text
// and hands it to a bgWriter in asyncBufSize pieces; flush hands over what it holds, and waits
// until everything is written when wait is set.
type asyncWriter struct {
	bg  bgWriter
	buf []byte
}

const asyncBufSize = 64 << 10

func (a *asyncWriter) Write(p []byte) (int, error) {
	a.buf = append(a.buf, p...)
	if len(a.buf) >= asyncBufSize {
		a.buf = a.bg.write(a.buf)
	}
	return len(p), nil
}

// close ends the background writer after writing what it holds: later writes are made at once.
func (a *asyncWriter) close() {
	if a.bg.started {
		_ = a.bg.close(a.buf)
		a.buf, a.bg = nil, bgWriter{w: a.bg.w}
	}
}

func (a *asyncWriter) flush(wait bool) {
	if len(a.buf) > 0 {
		if !a.bg.started && wait {
			_, _ = a.bg.w.Write(a.buf) // nothing in flight: at once
			a.buf = a.buf[:0]
			return
		}
		a.buf = a.bg.write(a.buf)
	}
	if wait {
		a.bg.drain()
	}
}
