package history

import (
	"fmt"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/run"
)

// Bounds of a Pipe.
const (
	// pipeBatch is the number of waiting events that wakes an idle consumer at once.
	pipeBatch = 256
	// pipeMax is the most events waiting: the interpreter waits beyond it (memory stays bounded).
	pipeMax = 4096
	// pipeDelay is how long fewer than pipeBatch events may wait for an idle consumer (events
	// that come slowly, on the real clock, are shown within it).
	pipeDelay = 2 * time.Millisecond
)

// Pipe hands history events to a consumer goroutine in batches, so that the table and the JSON
// history are formatted and written beside the interpreter (on another CPU) instead of between
// its transitions. Events reach the consumer in the order given, one at a time, never
// concurrently; Sync waits until every event given has been delivered. At most pipeMax events
// wait at any time. A panic in the consumer is recovered and reported by Close.
type Pipe struct {
	deliver func(run.Event)

	mu      sync.Mutex
	more    sync.Cond // the consumer waits for events
	room    sync.Cond // producers wait for room; Sync waits for the consumer to be idle
	queue   []run.Event
	spare   []run.Event
	waiting bool // the consumer waits for events
	busy    bool // the consumer is delivering a batch
	armed   bool // a timer will wake the consumer
	closed  bool
	timer   *time.Timer
	failure error // a panic of the consumer
	done    chan struct{}
}

// NewPipe starts a pipe delivering events to deliver. Close ends it.
func NewPipe(deliver func(run.Event)) *Pipe {
	p := &Pipe{deliver: deliver, done: make(chan struct{})}
	p.more.L, p.room.L = &p.mu, &p.mu
	go p.consume()
	return p
}

// Event queues e for delivery (a run.Options.OnEvent function). It waits while pipeMax events
// wait. Events given after Close are dropped.
func (p *Pipe) Event(e run.Event) {
	p.mu.Lock()
	for len(p.queue) >= pipeMax && !p.closed && p.failure == nil {
		p.room.Wait()
	}
	if p.closed || p.failure != nil {
		p.mu.Unlock()
		return
	}
	p.queue = append(p.queue, e)
	if p.waiting {
		switch {
		case len(p.queue) >= pipeBatch:
			p.more.Signal()
		case !p.armed:
			p.armed = true
			if p.timer == nil {
				p.timer = time.AfterFunc(pipeDelay, p.wake)
			} else {
				p.timer.Reset(pipeDelay)
			}
		}
	}
	p.mu.Unlock()
}

// wake wakes the consumer for the events waiting (pipeDelay after the first).
func (p *Pipe) wake() {
	p.mu.Lock()
	p.armed = false
	p.more.Signal()
	p.mu.Unlock()
}

// Sync waits until every event given so far has been delivered.
func (p *Pipe) Sync() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for (len(p.queue) > 0 || p.busy) && p.failure == nil {
		p.more.Signal()
		p.room.Wait()
	}
}

// Close delivers the events still waiting and ends the pipe; it returns an error when the
// consumer panicked (the events after that were dropped).
func (p *Pipe) Close() error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		if p.timer != nil {
			p.timer.Stop()
		}
		p.more.Signal()
		p.room.Broadcast()
	}
	p.mu.Unlock()
	<-p.done
	return p.failure
}

// consume delivers the events, a batch at a time.
func (p *Pipe) consume() {
	defer close(p.done)
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		for len(p.queue) == 0 && !p.closed {
			p.waiting = true
			p.more.Wait()
			p.waiting = false
		}
		if len(p.queue) == 0 {
			return
		}
		batch := p.queue
		p.queue, p.busy = p.spare[:0], true
		p.room.Broadcast()
		p.mu.Unlock()
		err := p.deliverAll(batch)
		clear(batch) // hold no payloads
		p.mu.Lock()
		p.spare, p.busy = batch[:0], false
		if err != nil {
			p.failure = err
			p.queue = nil
			p.room.Broadcast()
			return
		}
		p.room.Broadcast()
	}
}

// deliverAll delivers a batch; a panic becomes an error.
func (p *Pipe) deliverAll(batch []run.Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: writing the history: %v", r)
		}
	}()
	for i := range batch {
		p.deliver(batch[i])
	}
	return nil
}
