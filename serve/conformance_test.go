package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// confCase is the part of a conformance case (../shared/conformance/aws) the API test uses.
type confCase struct {
	Source struct {
		Type          string `json:"state_machine_type"`
		LastValidated string `json:"last_validated_date"`
	} `json:"source"`
	Definition json.RawMessage              `json:"definition"`
	Input      json.RawMessage              `json:"input"`
	Mocks      map[string][]json.RawMessage `json:"mocks"`
	Expected   struct {
		History []map[string]json.RawMessage `json:"history"`
	} `json:"expected"`
}

// replayMocks answers each state's calls with its recorded results, in order.
type replayMocks struct {
	mu   sync.Mutex
	list map[string][]*value.Object
}

func (h *replayMocks) Invoke(ctx context.Context, req run.TaskRequest) run.TaskResult {
	h.mu.Lock()
	list := h.list[req.StateName]
	if len(list) == 0 {
		h.mu.Unlock()
		return run.TaskResult{Failed: true, Error: "NoMock", Cause: "no mock left"}
	}
	e := list[0]
	h.list[req.StateName] = list[1:]
	h.mu.Unlock()
	if a, _ := objGet(e, "aborted").(bool); a {
		<-ctx.Done()
		return run.TaskResult{Failed: true, Error: "Aborted"}
	}
	if th, ok := objGet(e, "throw").(*value.Object); ok {
		name, _ := objGet(th, "error").(string)
		cause, _ := objGet(th, "cause").(string)
		if k, _ := objGet(e, "kind").(string); k == "timeout" || name == "States.Timeout" {
			return run.TaskResult{TimedOut: true, Cause: cause}
		}
		return run.TaskResult{Failed: true, Error: name, Cause: cause}
	}
	return run.TaskResult{Output: objGet(e, "return")}
}

func objGet(o *value.Object, k string) any {
	if o == nil {
		return nil
	}
	v, _ := o.Get(k)
	return v
}

func newReplay(c *confCase) *replayMocks {
	h := &replayMocks{list: map[string][]*value.Object{}}
	for name, list := range c.Mocks {
		for _, raw := range list {
			v, _ := load.DecodeJSON(raw)
			e, _ := v.(*value.Object)
			h.list[name] = append(h.list[name], e)
		}
	}
	return h
}

var stubLambda = regexp.MustCompile(`arn:aws:stub:[^"]*`)

// Every conformance case run through the API (CreateStateMachine, StartExecution, polling
// DescribeExecution, GetExecutionHistory) ends as the same execution run in process as sfn run
// runs it (run.New, the same mocks and start time): same status, output, error, cause and
// history, byte for byte, so the API gives the conformance harness's verdicts. The cases
// CreateStateMachine refuses (sfn validate's errors) are counted apart.
func TestConformanceThroughAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	dir := os.Getenv("SFN_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "conformance", "aws")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if len(files) == 0 {
		testshared.Skip(t, "conformance", dir+" (or set SFN_CONFORMANCE_DIR)")
	}
	var now atomic.Value
	now.Store(time.Time{})
	mocks := map[string]*replayMocks{}
	var mu sync.Mutex
	ts := newTestServer(t, Options{Clock: "virtual", Account: "111111111111",
		Now: func() time.Time { return now.Load().(time.Time) },
		TaskHandlers: func(machine string, _ *asl.State) run.TaskHandler {
			mu.Lock()
			defer mu.Unlock()
			return mocks[machine]
		}})
	ctx := context.Background()
	same, refused := 0, []string{}
	var differ []string
	for i, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var c confCase
		if err := json.Unmarshal(src, &c); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		def := string(stubLambda.ReplaceAll(c.Definition, []byte("arn:aws:lambda:us-east-1:111111111111:function:lambda_function")))
		def = strings.ReplaceAll(def, `"activity_arn"`, `"arn:aws:states:us-east-1:111111111111:activity:activity"`)
		start, err := time.Parse(time.RFC3339, c.Source.LastValidated)
		if err != nil {
			start = time.Date(2026, 11, 24, 21, 43, 48, 0, time.UTC)
		}
		now.Store(start)
		role := roleArn
		if len(c.Expected.History) > 0 {
			var d struct{ RoleArn string }
			// (the recordings' placeholder "snf_role_arn" is no ARN: CreateStateMachine refuses it)
			if json.Unmarshal(c.Expected.History[0]["executionStartedEventDetails"], &d) == nil && strings.HasPrefix(d.RoleArn, "arn:") {
				role = d.RoleArn
			}
		}
		typ := c.Source.Type
		if typ == "" {
			typ = "STANDARD"
		}
		name := fmt.Sprintf("case%04d", i)
		mu.Lock()
		mocks[name] = newReplay(&c)
		mu.Unlock()
		created, err := ts.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name),
			Definition: aws.String(def), RoleArn: aws.String(role), Type: sfnType(typ)})
		if err != nil {
			refused = append(refused, filepath.Base(file)+": "+clipText(err.Error(), 300))
			continue
		}
		input := "{}"
		if len(c.Input) > 0 {
			input = string(c.Input)
		}
		out, err := ts.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("exec"), Input: aws.String(input)})
		if err != nil {
			differ = append(differ, filepath.Base(file)+": StartExecution: "+err.Error())
			continue
		}
		api := ts.wait(*out.ExecutionArn)
		_, page := ts.postJSON("GetExecutionHistory", map[string]any{"executionArn": *out.ExecutionArn, "maxResults": 1000})
		apiHistory, _ := json.Marshal(page["events"])

		// The same execution in process.
		doc, _ := load.Parse(name, []byte(def), load.JSON)
		r, err := run.New(asl.Build(doc), run.Options{Clock: run.NewVirtualClock(start),
			Handlers: func(*asl.State) run.TaskHandler { return newReplayOnce(&c) }, Type: typ,
			ExecutionName: "exec", StateMachineName: name, RoleArn: role, Account: "111111111111"})
		if err != nil {
			differ = append(differ, filepath.Base(file)+": run.New: "+err.Error())
			continue
		}
		in, _ := load.DecodeJSON([]byte(input))
		rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		res := r.Start(rctx, in)
		cancel()
		b := []byte("[")
		for j, ev := range res.Events {
			if j > 0 {
				b = append(b, ',')
			}
			b, _ = appendEvent(b, ev, true)
		}
		b = append(b, ']')
		var direct []any
		_ = json.Unmarshal(b, &direct)
		directHistory, _ := json.Marshal(direct)

		var why []string
		if string(api.Status) != string(res.Status) {
			why = append(why, fmt.Sprintf("status %s, in process %s", api.Status, res.Status))
		}
		if res.Status == run.Succeeded && (api.Output == nil || compact(t, *api.Output) != string(value.AppendJSON(nil, res.Output))) {
			why = append(why, "output differs")
		}
		if deref(api.Error) != res.Error || deref(api.Cause) != res.Cause {
			why = append(why, fmt.Sprintf("error/cause %q/%.80q, in process %q/%.80q", deref(api.Error), deref(api.Cause), res.Error, res.Cause))
		}
		if !bytes.Equal(apiHistory, directHistory) {
			why = append(why, "history differs")
		}
		if len(why) > 0 {
			differ = append(differ, filepath.Base(file)+": "+strings.Join(why, "; "))
			continue
		}
		same++
	}
	sort.Strings(refused)
	t.Logf("conformance through the API: %d cases, %d end as in process, %d refused by CreateStateMachine, %d differ", len(files), same, len(refused), len(differ))
	for _, r := range refused {
		t.Logf("refused: %s", r)
	}
	for _, d := range differ {
		t.Errorf("differs: %s", d)
	}
}

// newReplayOnce is the in-process run's own copy of the case's mocks (one per Task state, as
// the API run's handler map gives one per machine: states share it by name).
func newReplayOnce(c *confCase) run.TaskHandler {
	replayOnceMu.Lock()
	defer replayOnceMu.Unlock()
	if replayOnce.c != c {
		replayOnce.c, replayOnce.h = c, newReplay(c)
	}
	return replayOnce.h
}

var (
	replayOnceMu sync.Mutex
	replayOnce   struct {
		c *confCase
		h *replayMocks
	}
)

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
