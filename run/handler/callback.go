package handler

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// Waiter is one .waitForTaskToken task (or activity task) waiting for its token's answer: an
// answer (SendTaskSuccess, SendTaskFailure, or a line typed at a terminal) is sent on Result,
// a heartbeat (SendTaskHeartbeat) on Heartbeat. sfn serve and sfn run's Answerer share it.
type Waiter struct {
	Result    chan run.TaskResult // buffered: one answer
	Heartbeat chan struct{}       // buffered: heartbeats coalesce
}

// NewWaiter returns a waiter ready for one answer.
func NewWaiter() *Waiter {
	return &Waiter{Result: make(chan run.TaskResult, 1), Heartbeat: make(chan struct{}, 1)}
}

// Beat sends a heartbeat without blocking (one pending heartbeat is enough).
func (w *Waiter) Beat() {
	select {
	case w.Heartbeat <- struct{}{}:
	default:
	}
}

// Wait waits for the answer, a heartbeat timeout (heartbeat > 0: each heartbeat restarts it;
// past it the task fails with States.HeartbeatTimeout), or ctx's end (TimeoutSeconds, an abort:
// the interpreter then records the timeout or the abort).
func (w *Waiter) Wait(ctx context.Context, heartbeat time.Duration) run.TaskResult {
	var beat <-chan time.Time
	var timer *time.Timer
	if heartbeat > 0 {
		timer = time.NewTimer(heartbeat)
		defer timer.Stop()
		beat = timer.C
	}
	for {
		select {
		case res := <-w.Result:
			return res
		case <-w.Heartbeat:
			if timer != nil {
				timer.Reset(heartbeat)
			}
		case <-beat:
			return run.TaskResult{Failed: true, Error: "States.HeartbeatTimeout"}
		case <-ctx.Done():
			return run.TaskResult{Failed: true, Error: "States.Runtime", Cause: "the task was stopped"}
		}
	}
}

// AWS's limits on SendTaskSuccess's output and SendTaskFailure's error and cause.
const (
	MaxAnswer      = 256 * 1024
	MaxAnswerError = 256
	MaxAnswerCause = 32768
)

// maxShownPayload is how much of the payload a task sent the Answerer's prompt shows.
const maxShownPayload = 4096

// Answerer answers .waitForTaskToken tasks from lines of text (sfn run --answer-tokens: a
// terminal): for each task it prints the state, the token and the payload sent, then reads one
// answer: a JSON value (the task's output, as SendTaskSuccess), "fail [ERROR [CAUSE]]" (as
// SendTaskFailure), or "heartbeat" (as SendTaskHeartbeat; the task goes on waiting).
// HeartbeatSeconds and TimeoutSeconds are enforced as for sfn serve's callbacks; tasks waiting
// at the same time are asked one after another. When In ends before a task is answered, the
// task fails with States.Runtime.
type Answerer struct {
	In    io.Reader
	Print func(line string) // prints a line for the user

	once  sync.Once
	lines chan answerLine // from the reading goroutine; closed at the end of In
	turn  chan struct{}   // held while a task is asked

	quitOnce, closeOnce sync.Once
	quit                chan struct{} // closed by Close
}

// Close stops reading In once the line being read ends (a read in progress cannot be
// interrupted: on a terminal it ends with the process).
func (a *Answerer) Close() {
	a.quitOnce.Do(func() { a.quit = make(chan struct{}) })
	a.closeOnce.Do(func() { close(a.quit) })
}

type answerLine struct {
	text    string
	tooLong bool
}

// Slow tells the virtual clock's scheduler that the handler waits in real time.
func (a *Answerer) Slow() bool { return true }

// KeepsHeartbeat tells the interpreter that the handler enforces HeartbeatSeconds.
func (a *Answerer) KeepsHeartbeat() bool { return true }

// Invoke asks for the answer of req.TaskToken and waits for it.
func (a *Answerer) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	a.once.Do(a.start)
	w := NewWaiter()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		a.ask(req, w, done)
	}()
	res := w.Wait(ctx, req.Heartbeat)
	close(done)
	<-finished
	return res
}

// start begins reading In, a line at a time (lines longer than MaxAnswer are reported, not
// kept).
func (a *Answerer) start() {
	a.lines = make(chan answerLine)
	a.turn = make(chan struct{}, 1)
	a.quitOnce.Do(func() { a.quit = make(chan struct{}) })
	go func() {
		defer close(a.lines)
		r := bufio.NewReaderSize(a.In, 64*1024)
		for {
			l, err := readAnswerLine(r)
			if strings.TrimSpace(l.text) != "" || l.tooLong {
				select {
				case a.lines <- l:
				case <-a.quit:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
}

// readAnswerLine reads one line (without its end), up to MaxAnswer bytes.
func readAnswerLine(r *bufio.Reader) (answerLine, error) {
	var b []byte
	var l answerLine
	for {
		chunk, err := r.ReadSlice('\n')
		if !l.tooLong {
			if len(b)+len(chunk) > MaxAnswer+2 {
				l.tooLong, b = true, nil
			} else {
				b = append(b, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		l.text = strings.TrimRight(string(b), "\r\n")
		return l, err
	}
}

// ask prints the question when its turn comes and passes the answer to w.
func (a *Answerer) ask(req run.TaskRequest, w *Waiter, done <-chan struct{}) {
	select {
	case a.turn <- struct{}{}:
	case <-done:
		return
	}
	defer func() { <-a.turn }()
	a.prompt(req)
	for {
		select {
		case <-done:
			return
		case l, ok := <-a.lines:
			if !ok {
				w.Result <- run.TaskResult{Failed: true, Error: "States.Runtime", Cause: "standard input ended before the task token was answered"}
				return
			}
			res, heartbeat, problem := ParseAnswer(l.text, l.tooLong)
			switch {
			case problem != "":
				a.Print("sfn: " + problem + "; answer with a JSON output, fail [ERROR [CAUSE]], or heartbeat")
			case heartbeat:
				w.Beat()
				a.Print(fmt.Sprintf("sfn: heartbeat sent for %q", req.StateName))
			default:
				w.Result <- res
				return
			}
		}
	}
}

// prompt prints the state, its deadlines, the token and the payload sent.
func (a *Answerer) prompt(req run.TaskRequest) {
	var limits []string
	if req.Heartbeat > 0 {
		limits = append(limits, fmt.Sprintf("HeartbeatSeconds %d", int64(req.Heartbeat/time.Second)))
	}
	if req.Timeout > 0 {
		limits = append(limits, fmt.Sprintf("TimeoutSeconds %d", int64(req.Timeout/time.Second)))
	}
	head := fmt.Sprintf("sfn: %q waits for its task token", req.StateName)
	if len(limits) > 0 {
		head += " (" + strings.Join(limits, ", ") + ")"
	}
	payload := string(value.AppendJSON(nil, req.Input))
	if len(payload) > maxShownPayload {
		cut := maxShownPayload
		for cut > 0 && !utf8.RuneStart(payload[cut]) {
			cut--
		}
		payload = fmt.Sprintf("%s… (%d bytes)", payload[:cut], len(payload))
	}
	a.Print(head)
	a.Print("  token: " + req.TaskToken)
	a.Print("  sent:  " + payload)
	a.Print("  answer: a JSON output, fail [ERROR [CAUSE]], or heartbeat")
}

// ParseAnswer reads one answer line: a JSON value (the output), "fail [ERROR [CAUSE]]" (a
// failure; AWS's limits of 256 and 32768 characters apply), or "heartbeat". problem says why
// the line is no answer ("" when it is one); an empty line is a problem too.
func ParseAnswer(line string, tooLong bool) (res run.TaskResult, heartbeat bool, problem string) {
	if tooLong {
		return res, false, fmt.Sprintf("the answer is longer than %d bytes (AWS's limit)", MaxAnswer)
	}
	line = strings.TrimSpace(line)
	word, rest := cutSpace(line)
	switch word {
	case "":
		return res, false, "an empty line is no answer"
	case "heartbeat":
		if rest != "" {
			return res, false, "heartbeat takes nothing after it"
		}
		return res, true, ""
	case "fail":
		errName, cause := cutSpace(rest)
		switch {
		case utf8.RuneCountInString(errName) > MaxAnswerError:
			return res, false, fmt.Sprintf("the error is longer than %d characters (AWS's limit)", MaxAnswerError)
		case utf8.RuneCountInString(cause) > MaxAnswerCause:
			return res, false, fmt.Sprintf("the cause is longer than %d characters (AWS's limit)", MaxAnswerCause)
		}
		return run.TaskResult{Failed: true, Error: errName, Cause: cause}, false, ""
	}
	v, err := load.DecodeJSON([]byte(line))
	if err != nil {
		return res, false, "not JSON: " + err.Error()
	}
	return run.TaskResult{Output: v}, false, ""
}

// cutSpace splits s at its first white space: the word before, and the rest without the white
// space around it.
func cutSpace(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}
