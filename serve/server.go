// Package serve is the AWS Step Functions API on a local HTTP server (sfn serve): AWS JSON 1.0
// (X-Amz-Target: AWSStepFunctions.<Action>, application/x-amz-json-1.0), AWS's request
// validation, error types and ARNs, with executions run by package run.
//
// One file per family of actions: statemachines.go, executions.go, history.go, tasks.go
// (SendTask*, the callback handler), activities.go, tags.go, teststate.go; errors.go has AWS's
// error shape. State is kept in memory (store.go) and, with Options.DataDir, in a bbolt file
// (persist.go).
package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
)

// Options configure a Server.
type Options struct {
	Region  string // default us-east-1
	Account string // default 123456789012
	// Clock is "real" (default) or "virtual": each execution then runs on its own virtual clock
	// that starts at the request's time (Waits and retry intervals finish at once).
	Clock string
	// Mock is Step Functions Local's MockConfigFile: StartExecution with
	// "<stateMachineArn>#<TestCase>" runs with the test case's mocked responses.
	Mock *handler.MockConfig
	// Config is the task handler config (sfn.yaml): its tasks and resources serve every execution.
	Config *handler.Config
	// TaskHandlers, when set, is asked first for the handler of each Task state of the machine
	// named machine (nil: the usual handlers); for programs that embed the server.
	TaskHandlers func(machine string, st *asl.State) run.TaskHandler
	// LambdaEndpoint is the URL of a Lambda Invoke endpoint (sam local start-lambda, LocalStack)
	// that runs the Lambda tasks no mock or config entry handles ("": none).
	LambdaEndpoint string
	// Logf logs a line per failed request and per internal error (nil: log.Printf).
	Logf func(format string, args ...any)
	// DataDir, when set, keeps state machines, activities, tags and finished executions in
	// DataDir/sfn-serve.db across restarts ("": in memory only).
	DataDir string
	// Now is the time source of the API's timestamps (nil: time.Now).
	Now func() time.Time
}

// Server answers the Step Functions API. Create it with New; it is an http.Handler.
type Server struct {
	opts  Options
	store *memStore
	disk  *diskStore // nil: in memory only
	// tokens are the task tokens of .waitForTaskToken tasks and activities waiting for an answer.
	tokens *tokenRegistry

	ctx    context.Context // cancelled by Shutdown: running executions are aborted
	cancel context.CancelFunc
	wg     sync.WaitGroup // running executions
	mu     sync.Mutex
	closed bool

	qmu    sync.Mutex
	queues map[string]*activityQueue // activity ARN → tasks waiting for a worker
	poll   time.Duration             // GetActivityTask's wait (0: activityPoll; tests shorten it)
}

// New returns a server with opts; with a DataDir it reads what the directory keeps.
func New(opts Options) (*Server, error) {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Account == "" {
		opts.Account = "123456789012"
	}
	if opts.Clock == "" {
		opts.Clock = "real"
	}
	if opts.Logf == nil {
		opts.Logf = log.Printf
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, store: newMemStore(), tokens: newTokenRegistry()}
	if opts.DataDir != "" {
		d, err := openDisk(opts.DataDir)
		if err != nil {
			return nil, err
		}
		if err := d.load(s.store, opts.Logf); err != nil {
			d.close()
			return nil, fmt.Errorf("%s: %v", opts.DataDir, err)
		}
		s.disk = d
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// persist writes a change to the data directory (none without one); a failure is the server's.
func (s *Server) persist(bucket []byte, key string, v any) *apiError {
	if err := s.disk.put(bucket, key, v); err != nil {
		s.opts.Logf("sfn serve: data dir: %v", err)
		return &apiError{Type: errInternalFailure, Message: "the change could not be saved in the data directory", Status: http.StatusInternalServerError}
	}
	return nil
}

// Shutdown stops the server's executions: running ones end ABORTED (their history kept), and
// Shutdown waits for them until ctx ends. Requests after it fail.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if s.disk != nil {
		return s.disk.close()
	}
	return nil
}

// maxBody is the largest request body read: a 1 MB definition whose every character is
// escaped (\uXXXX) with the other members fits.
const maxBody = 8 << 20

// targetPrefix starts the X-Amz-Target header of every action.
const targetPrefix = "AWSStepFunctions."

// action is one API action: it decodes its request from body and returns the response value.
type action func(s *Server, ctx context.Context, body []byte) (any, *apiError)

// actions maps each implemented action to its function (filled by the files of each family).
var actions = map[string]action{}

// op adapts a typed action function.
func op[Req any](f func(s *Server, ctx context.Context, req *Req) (any, *apiError)) action {
	return func(s *Server, ctx context.Context, body []byte) (any, *apiError) {
		req := new(Req)
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, req); err != nil {
				return nil, serializationError(err)
			}
		}
		return f(s, ctx, req)
	}
}

// serializationError is AWS's answer to a body that is not the action's JSON.
func serializationError(err error) *apiError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return errorf(errSerialization, "Unexpected value type for '%s': expected %s", te.Field, te.Type)
	}
	return errorf(errSerialization, "Request body is not valid JSON: %v", err)
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.writeError(w, &apiError{Type: errUnknownOperation, Message: "Step Functions API requests are POST requests", Status: http.StatusMethodNotAllowed})
		return
	}
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		s.writeError(w, errorf(errMissingAction, "Missing Action: no X-Amz-Target header"))
		return
	}
	name, ok := strings.CutPrefix(target, targetPrefix)
	act := actions[name]
	if !ok || act == nil {
		s.writeError(w, errorf(errUnknownOperation, "Unknown operation: %q is not implemented by sfn serve", clipText(target, 100)))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeError(w, &apiError{Type: errRequestEntityTooLarge, Message: "Request entity too large", Status: http.StatusRequestEntityTooLarge})
			return
		}
		s.writeError(w, errorf(errSerialization, "reading the request: %v", err))
		return
	}
	resp, aerr := s.call(act, r.Context(), body)
	if aerr != nil {
		if aerr.Status >= 500 {
			s.opts.Logf("sfn serve: %s: %s", name, aerr.Message)
		}
		s.writeError(w, aerr)
		return
	}
	out, err := json.Marshal(resp)
	if err != nil {
		s.opts.Logf("sfn serve: %s: encoding the response: %v", name, err)
		s.writeError(w, &apiError{Type: errInternalFailure, Message: "internal error encoding the response", Status: http.StatusInternalServerError})
		return
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(out)
}

// call runs an action, turning a panic into an InternalFailure (never a stack trace to the client).
func (s *Server) call(act action, ctx context.Context, body []byte) (resp any, aerr *apiError) {
	defer func() {
		if p := recover(); p != nil {
			s.opts.Logf("sfn serve: internal error: %v", p)
			resp, aerr = nil, &apiError{Type: errInternalFailure, Message: "internal error", Status: http.StatusInternalServerError}
		}
	}()
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, &apiError{Type: "ServiceUnavailable", Message: "sfn serve is shutting down", Status: http.StatusServiceUnavailable}
	}
	return act(s, ctx, body)
}

const contentType = "application/x-amz-json-1.0"

func (s *Server) writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-ErrorType", e.Type)
	w.WriteHeader(e.Status)
	b, _ := json.Marshal(map[string]string{"__type": e.Type, "message": e.Message})
	_, _ = w.Write(b)
}

// clipText shortens s to n bytes for a message.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}

// epoch is a time written as AWS JSON 1.0 writes timestamps: seconds since 1970 (milliseconds
// as the fraction).
type epoch time.Time

// MarshalJSON writes the seconds.
func (t epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return appendEpoch(nil, ms), nil
}

func appendEpoch(b []byte, ms int64) []byte {
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec, frac = sec-1, frac+1000
	}
	b = appendInt(b, sec)
	if frac != 0 {
		b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	}
	return b
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// clock is the clock of an execution started at start.
func (s *Server) clock(start time.Time) run.Clock {
	if s.opts.Clock == "virtual" {
		return run.NewVirtualClock(start)
	}
	return run.RealClock
}
