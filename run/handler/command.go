package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// Command runs a program (an argv list, no shell) for each invocation:
//
//   - stdin: the task's effective input as JSON (for Lambda resources, what the function
//     receives: the Payload parameter of arn:aws:states:::lambda:invoke);
//   - environment: the process's, Env, and SFN_STATE_NAME, SFN_RESOURCE, SFN_EXECUTION_ARN,
//     SFN_TASK_TOKEN, SFN_ATTEMPT and SFN_CONTEXT (the context object as JSON);
//   - working directory: Dir (the config file's directory);
//   - exit 0: stdout is the JSON result (empty stdout is null);
//   - non-zero exit: the task fails with the error named by a Lambda-style
//     {"errorType": ..., "errorMessage": ...} object printed on stdout or stderr (the whole
//     stream or its last line), else with States.TaskFailed and the end of stderr as cause;
//   - TimeoutSeconds, or the run's context ending (Ctrl-C): the whole process group is killed;
//     a timeout fails the task with States.Timeout;
//   - stdout longer than the task's MaxOutput (AWS's 256 KiB payload limit; maxStdout when the
//     run lifts it), not counting surrounding white space: reading stops, the process group is
//     killed and the task fails with States.DataLimitExceeded. Of stderr only the last
//     stderrKeep bytes are kept;
//   - on Linux the kernel kills the process if sfn dies without a chance to (SIGKILL); its own
//     children then survive (the signals sfn catches kill the whole process group).
type Command struct {
	Argv []string
	Env  map[string]string
	Dir  string
	// Log, when set, receives each line the command writes to stderr as it writes it.
	Log LogFunc
}

// stderrTail is how much of the end of stderr becomes the cause.
const stderrTail = 1024

// stderrKeep is how much of the end of stderr is kept: enough for a Lambda-style error object as
// long as AWS's longest cause (32,768 characters, TaskFailedEventDetails).
const stderrKeep = 32 << 10

// maxStdout caps a command's stdout when the run lifts the payload limit (--no-payload-limit).
const maxStdout = 64 << 20

// errOverLimit stops the copy of stdout past the limit and kills the process group.
var errOverLimit = errors.New("task handler output over the limit")

// waitDelay bounds the wait for the output pipes once the process group has been killed.
const waitDelay = 2 * time.Second

// Invoke implements run.TaskHandler.
func (c *Command) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	input := req.Input
	if IsLambdaFunction(req.Resource) {
		input = LambdaPayload(req)
	}
	stdin, err := json.Marshal(input)
	if err != nil {
		return runtimeFailure("cannot encode the task input: %v", err)
	}
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if req.Timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, req.Timeout)
	}
	defer cancel()

	// Stdout past the limit cancels pctx: the process group is killed at once.
	pctx, stop := context.WithCancelCause(cctx)
	defer stop(nil)
	stdout := &capBuffer{max: outputLimit(req.MaxOutput), onOver: func() { stop(errOverLimit) }}
	stderr := &tailBuffer{max: stderrKeep}

	cmd := exec.CommandContext(pctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	var logs *lineWriter
	if c.Log != nil {
		logs = &lineWriter{emit: func(line string) { c.Log(req.StateName, req.Attempt, line) }}
		cmd.Stderr = io.MultiWriter(stderr, logs)
	}
	cmd.Env = c.environ(req)
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd.Process) }

	// On Linux the handler dies with sfn (Pdeathsig), which the kernel ties to the thread that
	// starts it: keep this goroutine on that thread until the handler has exited.
	defer lockThread()()
	if err := cmd.Start(); err != nil {
		return runtimeFailure("task handler %s: %v", c.name(), err)
	}
	procs.add(cmd.Process)
	err = cmd.Wait()
	// Leave nothing behind: background children of a handler go with it.
	_ = killGroup(cmd.Process)
	procs.remove(cmd.Process)
	if logs != nil {
		logs.Flush()
	}

	switch {
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return run.TaskResult{Failed: true, Error: "States.Runtime", Cause: "the execution was aborted"}
	case stdout.over:
		return run.TaskResult{Failed: true, OverLimit: true, Error: "States.DataLimitExceeded",
			Cause: fmt.Sprintf("task handler %s printed more than %d bytes", c.name(), stdout.max)}
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		// TimeoutSeconds, whether this handler or the interpreter set the deadline.
		return run.TaskResult{Failed: true, TimedOut: true, Error: "States.Timeout"}
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay) {
		return runtimeFailure("task handler %s: %v", c.name(), err)
	}
	if exitErr != nil {
		return c.failure(req, exitErr, stdout.Bytes(), stderr.lines())
	}
	out := bytes.TrimSpace(stdout.Bytes())
	if len(out) == 0 {
		return Shape(req, run.TaskResult{Output: nil})
	}
	v, err := load.DecodeJSON(out)
	if err != nil {
		return runtimeFailure("task handler %s printed what is not one JSON value (%v): %s", c.name(), err, clip(string(out), 200))
	}
	return Shape(req, run.TaskResult{Output: v})
}

// Slow says that a command takes real time: on the virtual clock other branches and iterations
// run meanwhile (run.SlowHandler).
func (c *Command) Slow() bool { return true }

func (c *Command) name() string { return strings.Join(c.Argv, " ") }

func (c *Command) environ(req run.TaskRequest) []string {
	ctxJSON, _ := json.Marshal(req.Context)
	env := os.Environ()
	for k, v := range c.Env {
		env = append(env, k+"="+v)
	}
	return append(env,
		"SFN_STATE_NAME="+req.StateName,
		"SFN_RESOURCE="+req.Resource,
		"SFN_EXECUTION_ARN="+req.ExecutionArn,
		"SFN_TASK_TOKEN="+req.TaskToken,
		fmt.Sprintf("SFN_ATTEMPT=%d", req.Attempt),
		"SFN_CONTEXT="+string(ctxJSON),
	)
}

// failure is the result of a non-zero exit.
func (c *Command) failure(req run.TaskRequest, exitErr *exec.ExitError, stdout, stderr []byte) run.TaskResult {
	for _, stream := range [][]byte{stdout, stderr} {
		if obj, text, ok := lambdaError(stream); ok {
			cause := text
			if !IsLambdaFunction(req.Resource) {
				cause, _ = get(obj, "errorMessage").(string)
			}
			return run.TaskResult{Failed: true, Error: get(obj, "errorType").(string), Cause: cause}
		}
	}
	cause := strings.TrimSpace(string(stderr))
	if len(cause) > stderrTail {
		cut := len(cause) - stderrTail
		for cut < len(cause) && !utf8.RuneStart(cause[cut]) {
			cut++
		}
		cause = "…" + cause[cut:]
	}
	if cause == "" {
		cause = fmt.Sprintf("%s: %v", c.name(), exitErr)
	}
	return run.TaskResult{Failed: true, Error: "States.TaskFailed", Cause: cause}
}

// lambdaError finds a Lambda-style error object ({"errorType": "...", ...}) in a stream: the
// whole stream or its last non-empty line. It returns the object and its text.
func lambdaError(stream []byte) (*value.Object, string, bool) {
	text := strings.TrimSpace(string(stream))
	candidates := []string{text}
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		candidates = append(candidates, strings.TrimSpace(text[i+1:]))
	}
	for _, s := range candidates {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		v, err := load.DecodeJSON([]byte(s))
		if err != nil {
			continue
		}
		obj, ok := v.(*value.Object)
		if t, isStr := get(obj, "errorType").(string); ok && isStr && t != "" {
			return obj, s, true
		}
	}
	return nil, "", false
}

func runtimeFailure(format string, args ...any) run.TaskResult {
	return run.TaskResult{Failed: true, Error: "States.Runtime", Cause: fmt.Sprintf(format, args...)}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// procs are the running handler processes, for KillAll.
var procs = &procSet{m: map[*os.Process]bool{}}

type procSet struct {
	mu sync.Mutex
	m  map[*os.Process]bool
}

func (s *procSet) add(p *os.Process) {
	s.mu.Lock()
	s.m[p] = true
	s.mu.Unlock()
}

func (s *procSet) remove(p *os.Process) {
	s.mu.Lock()
	delete(s.m, p)
	s.mu.Unlock()
}

// KillAll kills every running command handler with its process group (for Ctrl-C: the run's
// context ending does the same for handlers that are being waited for).
func KillAll() {
	procs.mu.Lock()
	defer procs.mu.Unlock()
	for p := range procs.m {
		_ = killGroup(p)
	}
}
