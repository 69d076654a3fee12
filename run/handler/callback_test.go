package handler

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

func TestParseAnswer(t *testing.T) {
	cases := []struct {
		line      string
		tooLong   bool
		out       string // the output as JSON text ("": none)
		failed    bool
		err       string
		cause     string
		heartbeat bool
		problem   string // a prefix of the problem ("": an answer)
	}{
		{line: `{"ok": true}`, out: `{"ok":true}`},
		{line: `  [1, 2]  `, out: `[1,2]`},
		{line: `"text"`, out: `"text"`},
		{line: `null`, out: `null`},
		{line: `fail`, failed: true},
		{line: `fail Rejected`, failed: true, err: "Rejected"},
		{line: `fail Rejected too  expensive `, failed: true, err: "Rejected", cause: "too  expensive"},
		{line: `heartbeat`, heartbeat: true},
		{line: `heartbeat now`, problem: "heartbeat takes nothing"},
		{line: ``, problem: "an empty line"},
		{line: `yes`, problem: "not JSON: 1:1"},
		{line: `{"a": 1`, problem: "not JSON"},
		{line: `{"a": 1, "a": 2}`, problem: "not JSON"},
		{line: `fail ` + strings.Repeat("E", MaxAnswerError+1), problem: "the error is longer than 256"},
		{line: `fail E ` + strings.Repeat("é", MaxAnswerCause+1), problem: "the cause is longer than 32768"},
		{line: `fail E ` + strings.Repeat("é", MaxAnswerCause), failed: true, err: "E", cause: strings.Repeat("é", MaxAnswerCause)},
		{tooLong: true, problem: "the answer is longer than 262144 bytes"},
	}
	for _, c := range cases {
		res, hb, problem := ParseAnswer(c.line, c.tooLong)
		switch {
		case c.problem != "":
			if !strings.HasPrefix(problem, c.problem) {
				t.Errorf("%.40q: problem %q, want %q…", c.line, problem, c.problem)
			}
			continue
		case problem != "":
			t.Errorf("%.40q: problem %q", c.line, problem)
			continue
		}
		out := ""
		if !res.Failed && !hb {
			out = string(value.AppendJSON(nil, res.Output))
		}
		if out != c.out || res.Failed != c.failed || res.Error != c.err || res.Cause != c.cause || hb != c.heartbeat {
			t.Errorf("%.40q: output %s failed %v error %q cause %.20q heartbeat %v", c.line, out, res.Failed, res.Error, res.Cause, hb)
		}
	}
}

// TestReadAnswerLine reads lines of every length around the buffer and the limit: a line
// longer than MaxAnswer is reported as too long, and the next line is read whole.
func TestReadAnswerLine(t *testing.T) {
	for _, n := range []int{0, 1, 64*1024 - 1, 64 * 1024, 64*1024 + 1, MaxAnswer, MaxAnswer + 1, 3 * MaxAnswer} {
		long := strings.Repeat("x", n)
		r := bufio.NewReaderSize(strings.NewReader(long+"\r\nnext"), 64*1024)
		l, err := readAnswerLine(r)
		if err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		if want := n > MaxAnswer; l.tooLong != want || !want && l.text != long {
			t.Errorf("%d: tooLong %v, text of %d bytes", n, l.tooLong, len(l.text))
		}
		l, err = readAnswerLine(r)
		if l.text != "next" || !errors.Is(err, io.EOF) {
			t.Errorf("%d: next line %q, %v", n, l.text, err)
		}
	}
}

func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{`{"a": [1, {"b": null}]}`, "fail E cause", "heartbeat", "fail", " ", "\x00", `"\ud800"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		res, hb, problem := ParseAnswer(line, false)
		if problem != "" && (hb || res.Failed || res.Output != nil) {
			t.Fatalf("a problem and an answer: %q", line)
		}
		if res.Failed && (len(res.Error) > 4*MaxAnswerError || strings.IndexFunc(res.Error, unicode.IsSpace) >= 0) {
			t.Fatalf("error %q", res.Error)
		}
	})
}

// answerReq is a callback task's request.
func answerReq(name string, heartbeat time.Duration) run.TaskRequest {
	return run.TaskRequest{StateName: name, Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		Input: value.ObjectOf("token", "T-"+name), TaskToken: "T-" + name, Heartbeat: heartbeat}
}

// lines collects what the Answerer prints.
type lines struct {
	mu sync.Mutex
	l  []string
}

func (l *lines) print(s string) { l.mu.Lock(); l.l = append(l.l, s); l.mu.Unlock() }
func (l *lines) text() string   { l.mu.Lock(); defer l.mu.Unlock(); return strings.Join(l.l, "\n") }

func TestAnswerer(t *testing.T) {
	var out lines
	a := &Answerer{In: strings.NewReader("\nmaybe\nheartbeat\n{\"n\": 1}\n\nfail Bad because\n"), Print: out.print}
	defer a.Close()
	ctx := context.Background()
	res := a.Invoke(ctx, answerReq("First", time.Hour))
	if res.Failed || string(value.AppendJSON(nil, res.Output)) != `{"n":1}` {
		t.Errorf("first: %+v", res)
	}
	res = a.Invoke(ctx, answerReq("Second", 0))
	if !res.Failed || res.Error != "Bad" || res.Cause != "because" {
		t.Errorf("second: %+v", res)
	}
	res = a.Invoke(ctx, answerReq("Third", 0)) // standard input has ended
	if !res.Failed || res.Error != "States.Runtime" || !strings.Contains(res.Cause, "ended") {
		t.Errorf("third: %+v", res)
	}
	text := out.text()
	for _, want := range []string{
		`sfn: "First" waits for its task token (HeartbeatSeconds 3600)`, "  token: T-First", `  sent:  {"token":"T-First"}`,
		"sfn: not JSON: 1:1", `sfn: heartbeat sent for "First"`, `sfn: "Second" waits for its task token`, `"Third"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("printed:\n%s\nwant %q", text, want)
		}
	}
	if strings.Contains(text, "an empty line") {
		t.Errorf("empty lines are skipped:\n%s", text)
	}
}

// TestAnswererDeadlines: HeartbeatSeconds passes without an answer (States.HeartbeatTimeout);
// the run's end (Ctrl-C, TimeoutSeconds) stops the wait; the payload shown is cut.
func TestAnswererDeadlines(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var out lines
	a := &Answerer{In: pr, Print: out.print}
	defer a.Close()
	res := a.Invoke(context.Background(), answerReq("Beat", time.Millisecond))
	if res.Error != "States.HeartbeatTimeout" {
		t.Errorf("heartbeat: %+v", res)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res := a.Invoke(ctx, answerReq("Stopped", 0)); res.Error != "States.Runtime" || res.Cause != "the task was stopped" {
		t.Errorf("stopped: %+v", res)
	}
	req := answerReq("Long", 0)
	req.Input = strings.Repeat("é", maxShownPayload)
	a.prompt(req)
	text := out.text()
	if !strings.Contains(text, "é… (8194 bytes)") || len(text) > 3*maxShownPayload {
		t.Errorf("long payload not cut:\n%.300s", text)
	}
}

// TestAnswererOneAtATime: tasks waiting together are asked one after the other, each answer
// going to the task asked.
func TestAnswererOneAtATime(t *testing.T) {
	pr, pw := io.Pipe()
	var out lines
	a := &Answerer{In: pr, Print: out.print}
	defer a.Close()
	results := make(chan string, 2)
	var wg sync.WaitGroup
	for _, name := range []string{"A", "B"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := a.Invoke(context.Background(), answerReq(name, 0))
			results <- name + "=" + string(value.AppendJSON(nil, res.Output))
		}()
	}
	for i := range 2 {
		for strings.Count(out.text(), "waits for its task token") != i+1 { // the i-th question is printed
			time.Sleep(time.Millisecond)
		}
		text := out.text()
		asked := text[strings.LastIndex(text, "token: T-")+len("token: T-"):][:1]
		if _, err := io.WriteString(pw, `"for `+asked+`"`+"\n"); err != nil {
			t.Fatal(err)
		}
		if got := <-results; got != asked+`="for `+asked+`"` {
			t.Errorf("answer %d: %s", i, got)
		}
	}
	wg.Wait()
	pw.Close()
}
