package serve

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

func init() {
	actions["SendTaskSuccess"] = op((*Server).sendTaskSuccess)
	actions["SendTaskFailure"] = op((*Server).sendTaskFailure)
	actions["SendTaskHeartbeat"] = op((*Server).sendTaskHeartbeat)
}

// tokenRegistry holds the task tokens waiting for SendTaskSuccess / SendTaskFailure (callbacks
// and activity tasks), and remembers the tokens that were answered or timed out.
type tokenRegistry struct {
	mu      sync.Mutex
	waiting map[string]*handler.Waiter
	closed  map[string]bool
	changed chan struct{} // closed and replaced when a token starts waiting
}

func newTokenRegistry() *tokenRegistry {
	return &tokenRegistry{waiting: map[string]*handler.Waiter{}, closed: map[string]bool{}, changed: make(chan struct{})}
}

// maxClosedTokens bounds the memory of answered tokens (past it, a late answer gets
// TaskDoesNotExist instead of TaskTimedOut).
const maxClosedTokens = 100000

func (r *tokenRegistry) register(token string) *handler.Waiter {
	w := handler.NewWaiter()
	r.mu.Lock()
	r.waiting[token] = w
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	return w
}

func (r *tokenRegistry) unregister(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.waiting, token)
	if len(r.closed) >= maxClosedTokens {
		clear(r.closed)
	}
	r.closed[token] = true
}

// registerGrace is how long an answer waits for its token to be registered: a client that reads
// the token from the history (TaskScheduled) may answer before the task starts waiting.
const registerGrace = 2 * time.Second

// take removes the waiter of token for an answer (heartbeat: it stays), or returns AWS's error.
func (r *tokenRegistry) lookup(ctx context.Context, token string, remove bool) (*handler.Waiter, *apiError) {
	deadline := time.NewTimer(registerGrace)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		w := r.waiting[token]
		closed := r.closed[token]
		if w != nil && remove {
			delete(r.waiting, token)
			r.closed[token] = true
		}
		changed := r.changed
		r.mu.Unlock()
		switch {
		case w != nil:
			return w, nil
		case closed:
			return nil, errorf(errTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
		case !wellFormedToken(token):
			return nil, errorf(errInvalidToken, "Invalid Token: 'Invalid token'")
		}
		select {
		case <-changed:
		case <-deadline.C:
			return nil, errorf(errTaskDoesNotExist, "Task Does Not Exist: 'Provided task does not exist'")
		case <-ctx.Done():
			return nil, errorf(errTaskDoesNotExist, "Task Does Not Exist: 'Provided task does not exist'")
		}
	}
}

// wellFormedToken says whether token has the shape of the tokens sfn issues.
func wellFormedToken(token string) bool {
	return strings.HasPrefix(token, "AQC") && strings.Contains(token, "TOKEN")
}

// callbackHandler runs a .waitForTaskToken task: it waits until SendTaskSuccess or
// SendTaskFailure answers the task's token, enforcing HeartbeatSeconds itself (each
// SendTaskHeartbeat restarts it); TimeoutSeconds and aborts end it through ctx.
type callbackHandler struct {
	tokens *tokenRegistry
}

// Slow tells the virtual clock's scheduler that the handler waits in real time.
func (h *callbackHandler) Slow() bool { return true }

// KeepsHeartbeat tells the interpreter that the handler enforces HeartbeatSeconds.
func (h *callbackHandler) KeepsHeartbeat() bool { return true }

// Invoke waits for the answer of req.TaskToken.
func (h *callbackHandler) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	return waitForAnswer(ctx, h.tokens, h.tokens.register(req.TaskToken), req.TaskToken, req.Heartbeat)
}

// waitForAnswer waits for the waiter's answer, a heartbeat timeout, or ctx's end (the
// interpreter then records the timeout or the abort), and forgets the token.
func waitForAnswer(ctx context.Context, reg *tokenRegistry, w *handler.Waiter, token string, heartbeat time.Duration) run.TaskResult {
	defer reg.unregister(token)
	return w.Wait(ctx, heartbeat)
}

type sendTaskRequest struct {
	TaskToken *string `json:"taskToken"`
	Output    *string `json:"output"`
	Error     *string `json:"error"`
	Cause     *string `json:"cause"`
}

// maxToken is AWS's limit on a task token's length.
const maxToken = 2048

func checkToken(p *string) *apiError {
	switch {
	case p == nil:
		return required("taskToken")
	case *p == "":
		return errorf(errValidation, "1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case len(*p) > maxToken:
		return tooLong("taskToken", maxToken)
	}
	return nil
}

func (s *Server) sendTaskSuccess(ctx context.Context, req *sendTaskRequest) (any, *apiError) {
	if e := checkToken(req.TaskToken); e != nil {
		return nil, e
	}
	if req.Output == nil {
		return nil, required("output")
	}
	if len(*req.Output) > maxInput {
		return nil, tooLong("output", maxInput)
	}
	out, err := load.DecodeJSON([]byte(*req.Output))
	if err != nil {
		return nil, errorf(errInvalidOutput, "Invalid Output: '%s'", err.Error())
	}
	w, e := s.tokens.lookup(ctx, *req.TaskToken, true)
	if e != nil {
		return nil, e
	}
	w.Result <- run.TaskResult{Output: out}
	return struct{}{}, nil
}

func (s *Server) sendTaskFailure(ctx context.Context, req *sendTaskRequest) (any, *apiError) {
	if e := checkToken(req.TaskToken); e != nil {
		return nil, e
	}
	if req.Error != nil && utf8.RuneCountInString(*req.Error) > maxStopError {
		return nil, tooLong("error", maxStopError)
	}
	if req.Cause != nil && utf8.RuneCountInString(*req.Cause) > maxStopCause {
		return nil, tooLong("cause", maxStopCause)
	}
	w, e := s.tokens.lookup(ctx, *req.TaskToken, true)
	if e != nil {
		return nil, e
	}
	res := run.TaskResult{Failed: true}
	if req.Error != nil {
		res.Error = *req.Error
	}
	if req.Cause != nil {
		res.Cause = *req.Cause
	}
	w.Result <- res
	return struct{}{}, nil
}

func (s *Server) sendTaskHeartbeat(ctx context.Context, req *sendTaskRequest) (any, *apiError) {
	if e := checkToken(req.TaskToken); e != nil {
		return nil, e
	}
	w, e := s.tokens.lookup(ctx, *req.TaskToken, false)
	if e != nil {
		return nil, e
	}
	w.Beat()
	return struct{}{}, nil
}
