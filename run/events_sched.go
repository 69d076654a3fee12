package run

import (
	"container/heap"
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// On the virtual clock the threads of an execution (Parallel branches, Map iteration workers) take
// turns instead of racing, so that the same definition, input and mocks always give the same
// history, ids and timestamps included.
//
// One thread at a time holds the baton and runs interpreter code; every event is recorded by the
// holder. The holder gives the baton up when it sleeps (a Wait, a retry interval: it becomes ready
// again at its new virtual time), when it waits for the branches or iterations it started, when it
// ends, and while a slow task handler runs. The next holder is the ready thread with the earliest
// virtual time, first come first served among equals: branches start in order; a Map's first
// worker takes items while the others wait, so iterations without Waits or slow tasks run one
// after another, as AWS records them.
//
// Task handlers run while their thread holds the baton (mocks and stubs answer at once). A handler
// that says it is slow (commands: SlowHandler) or that has not answered after handlerGrace gives
// the baton up while it runs, so a handler that blocks does not stop its siblings (a branch may
// wait for a sibling's failure to cancel it); its thread queues again when the handler returns.
// Histories are byte-identical from run to run when every handler answers within handlerGrace.

// maxInlineConcurrency is how many iterations of an inline Map AWS runs at once, whatever
// MaxConcurrency says.
const maxInlineConcurrency = 40

// handlerGrace is how long a task handler may run holding the baton.
const handlerGrace = 50 * time.Millisecond

// SlowHandler is implemented by task handlers whose calls take real time (shell commands): on the
// virtual clock other branches and iterations run while they do.
type SlowHandler interface {
	Slow() bool
}

// HeartbeatKeeper is implemented by task handlers that enforce HeartbeatSeconds themselves (a
// callback whose deadline SendTaskHeartbeat restarts): the interpreter then sets no heartbeat
// deadline, and the handler fails the task with States.HeartbeatTimeout when it passes.
type HeartbeatKeeper interface {
	KeepsHeartbeat() bool
}

type sched struct {
	mu    sync.Mutex
	ready readyQueue
	seq   uint64
	busy  bool // a thread holds the baton
}

// threadSched is a thread's scheduling state (virtual clock only).
type threadSched struct {
	at       time.Time // ready at this virtual time
	seq      uint64
	index    int
	wake     chan struct{}
	start    func() // not started yet: the goroutine to start when it first gets the baton
	parent   *thread
	live     int // children still running (the thread waits for them)
	waiting  bool
	childMax time.Time
	invoking bool // in a task handler, holding the baton
}

func newSched() *sched { return &sched{busy: true} } // the execution's first thread holds the baton

// push makes t ready at its virtual time (mu held).
func (s *sched) push(t *thread, at time.Time) {
	s.seq++
	t.sch.at, t.sch.seq = at, s.seq
	if t.sch.start == nil && t.sch.wake == nil {
		t.sch.wake = make(chan struct{}, 1)
	}
	heap.Push(&s.ready, t)
}

// pass hands the baton to the next ready thread (mu held, by the thread that gives it up).
func (s *sched) pass() {
	if len(s.ready) == 0 {
		s.busy = false
		return
	}
	n := heap.Pop(&s.ready).(*thread)
	s.busy = true
	if f := n.sch.start; f != nil {
		n.sch.start = nil
		go f()
		return
	}
	n.sch.wake <- struct{}{}
}

// yield lets the threads that are ready earlier run first (after a virtual sleep).
func (s *sched) yield(t *thread) {
	s.mu.Lock()
	s.push(t, t.now)
	if s.ready[0] == t {
		heap.Pop(&s.ready)
		s.mu.Unlock()
		return
	}
	s.pass()
	s.mu.Unlock()
	<-t.sch.wake
}

// spawn starts a child thread of the group: at once on the real clock, when its turn comes on the
// virtual clock.
func (g *group) spawn(t *thread, fn func()) {
	g.wg.Add(1)
	s := g.parent.ex.sched
	if s == nil {
		go func() {
			defer g.wg.Done()
			fn()
		}()
		return
	}
	p := g.parent
	s.mu.Lock()
	p.sch.live++
	t.sch.parent = p
	t.sch.start = func() {
		fn()
		g.wg.Done()
		s.exit(t)
	}
	s.push(t, t.now)
	s.mu.Unlock()
}

// waitChildren gives the baton up until every child thread of t has ended.
func (s *sched) waitChildren(t *thread) {
	s.mu.Lock()
	if t.sch.live == 0 {
		s.mu.Unlock()
		return
	}
	t.sch.waiting = true
	if t.sch.wake == nil {
		t.sch.wake = make(chan struct{}, 1)
	}
	s.pass()
	s.mu.Unlock()
	<-t.sch.wake
}

// exit ends a child thread: its parent is ready again when it was the last one.
func (s *sched) exit(t *thread) {
	s.mu.Lock()
	if p := t.sch.parent; p != nil {
		p.sch.live--
		if t.now.After(p.sch.childMax) {
			p.sch.childMax = t.now
		}
		if p.sch.live == 0 && p.sch.waiting {
			p.sch.waiting = false
			at := p.now
			if p.sch.childMax.After(at) {
				at = p.sch.childMax
			}
			p.sch.childMax = time.Time{}
			s.push(p, at)
		}
	}
	s.pass()
	s.mu.Unlock()
}

// reacquire waits for the baton after a handler ran without it.
func (s *sched) reacquire(t *thread) {
	s.mu.Lock()
	if !s.busy {
		s.busy = true
		s.mu.Unlock()
		return
	}
	s.push(t, t.now)
	s.mu.Unlock()
	<-t.sch.wake
}

var errHeartbeat = errors.New("heartbeat timeout")

// callHandler invokes a task handler, with its deadlines. ctx carries TimeoutSeconds (a real
// deadline, on either clock). A callback task (.waitForTaskToken) or an activity with
// HeartbeatSeconds must answer within HeartbeatSeconds too, since a local handler has no way to
// send heartbeats: past it the task fails with States.HeartbeatTimeout. On the virtual clock a
// timed-out task moves its branch's time to the deadline, so the history shows the timeout when
// AWS would record it.
func (t *thread) callHandler(h TaskHandler, ctx context.Context, req TaskRequest) TaskResult {
	start := t.now
	hctx := ctx
	heartbeat := req.Heartbeat > 0 && (req.Timeout == 0 || req.Heartbeat < req.Timeout) &&
		(strings.Contains(req.Resource, ".waitForTaskToken") || strings.Contains(req.Resource, ":activity:"))
	if hk, ok := h.(HeartbeatKeeper); ok && hk.KeepsHeartbeat() {
		heartbeat = false // the handler restarts the deadline at each heartbeat and fails the task itself
	}
	if heartbeat {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeoutCause(ctx, req.Heartbeat, errHeartbeat)
		defer cancel()
	}
	res := t.invokeInTurn(h, hctx, req)
	var late time.Duration
	switch {
	case ctx.Err() == nil && heartbeat && errors.Is(context.Cause(hctx), errHeartbeat):
		res, late = TaskResult{Failed: true, Error: "States.HeartbeatTimeout"}, req.Heartbeat
	case req.Timeout > 0 && (res.TimedOut || errors.Is(ctx.Err(), context.DeadlineExceeded)):
		late = req.Timeout
	}
	if v := t.ex.virtual; v != nil && late > 0 && start.Add(late).After(t.now) {
		t.now = start.Add(late)
		if !t.pastDeadline() {
			v.advanceTo(t.now)
		}
	}
	return res
}

// invokeInTurn calls the handler; on the virtual clock it gives the baton up while a slow handler
// runs.
func (t *thread) invokeInTurn(h TaskHandler, ctx context.Context, req TaskRequest) TaskResult {
	s := t.ex.sched
	if s == nil {
		return h.Invoke(ctx, req)
	}
	if sh, ok := h.(SlowHandler); ok && sh.Slow() {
		s.mu.Lock()
		s.pass()
		s.mu.Unlock()
		res := h.Invoke(ctx, req)
		s.reacquire(t)
		return res
	}
	s.mu.Lock()
	t.sch.invoking = true
	s.mu.Unlock()
	timer := time.AfterFunc(handlerGrace, func() {
		s.mu.Lock()
		if t.sch.invoking {
			t.sch.invoking = false
			s.pass()
		}
		s.mu.Unlock()
	})
	res := h.Invoke(ctx, req)
	timer.Stop()
	s.mu.Lock()
	if t.sch.invoking {
		t.sch.invoking = false
		s.mu.Unlock()
		return res
	}
	s.mu.Unlock()
	s.reacquire(t)
	return res
}

// readyQueue orders ready threads by virtual time, then by arrival.
type readyQueue []*thread

func (q readyQueue) Len() int { return len(q) }
func (q readyQueue) Less(i, j int) bool {
	a, b := &q[i].sch, &q[j].sch
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	return a.seq < b.seq
}
func (q readyQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].sch.index, q[j].sch.index = i, j
}
func (q *readyQueue) Push(x any) {
	t := x.(*thread)
	t.sch.index = len(*q)
	*q = append(*q, t)
}
func (q *readyQueue) Pop() any {
	old := *q
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return t
}
