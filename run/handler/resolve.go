package handler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/run"
)

// Options choose the handlers of a run.
type Options struct {
	Config *Config // sfn.yaml (nil: none)

	Mock         *MockConfig // --mock-config (nil: none)
	StateMachine string      // --state-machine-name ("" when the mock file holds one machine)
	TestCase     string      // --test-case (required with Mock)

	StubMissing bool // --stub-missing: unresolved tasks succeed with StubResponse

	// Answer, when set, handles the .waitForTaskToken tasks that no mock or config entry
	// handles (sfn run --answer-tokens: an *Answerer), before StubMissing.
	Answer run.TaskHandler

	// Logs, when set, receives what command handlers write to stderr, a line at a time.
	Logs LogFunc
}

// Resolver picks the handler of each Task state.
type Resolver struct {
	opts  Options
	mocks map[string]string // state name → response name, from the test case
	mu    sync.Mutex
	cache map[*asl.State]run.TaskHandler
}

// NewResolver checks the options (the test case must exist) and returns a resolver.
func NewResolver(opts Options) (*Resolver, error) {
	r := &Resolver{opts: opts, cache: map[*asl.State]run.TaskHandler{}}
	switch {
	case opts.Mock != nil && opts.TestCase == "":
		return nil, fmt.Errorf("--mock-config needs --test-case (%s)", strings.Join(r.testCases(), ", "))
	case opts.Mock == nil && opts.TestCase != "":
		return nil, fmt.Errorf("--test-case needs --mock-config")
	case opts.Mock != nil:
		tc, err := opts.Mock.TestCase(opts.StateMachine, opts.TestCase)
		if err != nil {
			return nil, err
		}
		r.mocks = tc
	}
	return r, nil
}

func (r *Resolver) testCases() []string {
	var all []string
	for sm, cases := range r.opts.Mock.StateMachines {
		for tc := range cases {
			if len(r.opts.Mock.StateMachines) > 1 {
				tc = sm + "/" + tc
			}
			all = append(all, tc)
		}
	}
	sort.Strings(all)
	if len(all) == 0 {
		return []string{"the file has no test case"}
	}
	return append([]string{"one of"}, all...)
}

// Source says where the handler of st comes from: "mock", "task" (sfn.yaml tasks),
// "resource" (sfn.yaml resources), "endpoint" (--endpoint), "stub-missing", or "" when it has none.
func (r *Resolver) Source(st *asl.State) string {
	_, src := r.lookup(st)
	return src
}

// S3Dir is the config file's s3: directory ("" without one).
func (r *Resolver) S3Dir() string {
	if r.opts.Config == nil {
		return ""
	}
	return r.opts.Config.S3Dir
}

// Handler returns the handler of the Task state st, or nil when none applies. It is safe for
// concurrent use.
func (r *Resolver) Handler(st *asl.State) run.TaskHandler {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.cache[st]; ok {
		return h
	}
	h, _ := r.lookup(st)
	r.cache[st] = h
	return h
}

func (r *Resolver) lookup(st *asl.State) (run.TaskHandler, string) {
	if name, ok := r.mocks[st.Name]; ok {
		return &Mock{Name: name, Steps: r.opts.Mock.Responses[name]}, "mock"
	}
	if c := r.opts.Config; c != nil {
		if s, ok := c.Tasks[st.Name]; ok {
			return r.withLogs(c.handler(s)), "task"
		}
		res := Resource(st)
		for _, rs := range c.Resources {
			if Glob(rs.Match, res) {
				return r.withLogs(c.handler(rs.Spec)), "resource"
			}
		}
		if h := c.endpoint(res); h != nil {
			return h, "endpoint"
		}
	}
	if r.opts.Answer != nil && strings.HasSuffix(Resource(st), ".waitForTaskToken") {
		if send := r.CallbackEndpoint(Resource(st)); send != nil {
			return &SendThenWait{Send: send, Wait: r.opts.Answer}, "answer"
		}
		return r.opts.Answer, "answer"
	}
	if r.opts.StubMissing {
		return Missing, "stub-missing"
	}
	return nil, ""
}

// withLogs passes a command's stderr lines to Options.Logs.
func (r *Resolver) withLogs(h run.TaskHandler) run.TaskHandler {
	if c, ok := h.(*Command); ok {
		c.Log = r.opts.Logs
	}
	return h
}

func (c *Config) handler(s *Spec) run.TaskHandler {
	switch {
	case s.Lambda != "":
		return &LambdaEndpoint{Endpoint: s.Lambda}
	case s.AWS != "":
		return &AWSEndpoint{Endpoint: s.AWS}
	case s.Command != nil:
		return &Command{Argv: s.Command, Env: s.Env, Dir: c.Dir}
	case s.Fixed != nil:
		return &Stub{Outcomes: []Outcome{*s.Fixed}}
	}
	return &Stub{Outcomes: s.Sequence}
}

// CallbackEndpoint is the --endpoint handler that sends the request of a .waitForTaskToken
// Resource (arn:aws:states:::sqs:sendMessage.waitForTaskToken: the sendMessage), or nil.
func (r *Resolver) CallbackEndpoint(resource string) run.TaskHandler {
	base, ok := strings.CutSuffix(resource, ".waitForTaskToken")
	if !ok || r.opts.Config == nil {
		return nil
	}
	return r.opts.Config.endpoint(base)
}

// endpoint is the --endpoint handler of a Resource: the endpoint of its service, for a
// request-response integration (nil: none).
func (c *Config) endpoint(res string) run.TaskHandler {
	if len(c.Endpoints) == 0 {
		return nil
	}
	call, err := awsCallOf(res)
	if err != nil {
		return nil
	}
	if u, ok := c.Endpoints[call.svc.ID]; ok {
		return &AWSEndpoint{Endpoint: u}
	}
	return nil
}

// Resource is the Resource of a Task state ("" when it is not a string).
func Resource(st *asl.State) string {
	if n := st.Field("Resource"); n != nil && n.Kind == load.String {
		return n.Text
	}
	return ""
}

// UnknownMocks lists the states of the test case that m does not have (typos, usually).
func (r *Resolver) UnknownMocks(m *asl.Machine) []string {
	have := map[string]bool{}
	for _, st := range m.All {
		have[st.Name] = true
	}
	var unknown []string
	for name := range r.mocks {
		if !have[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// UnresolvedError lists the Task states without a handler.
type UnresolvedError struct {
	States []*asl.State
}

func (e *UnresolvedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no task handler for %d state", len(e.States))
	if len(e.States) != 1 {
		b.WriteString("s")
	}
	b.WriteString(" (configure them in sfn.yaml, mock them with --mock-config/--test-case, or use --stub-missing")
	for _, st := range e.States {
		if strings.HasSuffix(Resource(st), ".waitForTaskToken") {
			b.WriteString("; sfn run --answer-tokens answers task tokens on standard input")
			break
		}
	}
	b.WriteString("):")
	for _, st := range e.States {
		fmt.Fprintf(&b, "\n  %s (%s)", st.Name, Resource(st))
	}
	return b.String()
}

// Check returns the entries of sfn.yaml's tasks that name no state of m (*ConfigError, with
// their position and a "did you mean"), else an *UnresolvedError listing every Task state of m
// that has no handler.
func (r *Resolver) Check(m *asl.Machine) error {
	if err := r.unknownTasks(m); err != nil {
		return err
	}
	return r.checkStates(m)
}

// checkStates returns an error for the Task states of m that an aws: handler cannot run, else
// an *UnresolvedError listing those without a handler.
func (r *Resolver) checkStates(m *asl.Machine) error {
	var missing []*asl.State
	var bad []error
	for _, st := range m.All {
		if st.Type != "Task" {
			continue
		}
		h := r.Handler(st)
		if h == nil {
			missing = append(missing, st)
		}
		if _, ok := h.(*AWSEndpoint); ok {
			if err := CheckResource(Resource(st)); err != nil {
				bad = append(bad, fmt.Errorf("state %q: aws: %w", st.Name, err))
			}
		}
	}
	if len(bad) > 0 {
		return errors.Join(bad...)
	}
	if len(missing) > 0 {
		return &UnresolvedError{States: missing}
	}
	return nil
}

// CheckPart is Check for a run of part of whole (sfn run --state): the tasks entries are
// checked against whole, the handlers of part's Task states only.
func (r *Resolver) CheckPart(whole, part *asl.Machine) error {
	if err := r.unknownTasks(whole); err != nil {
		return err
	}
	return r.checkStates(part)
}

// unknownTasks reports the tasks entries of the config that name no state of m, in file order.
func (r *Resolver) unknownTasks(m *asl.Machine) error {
	c := r.opts.Config
	if c == nil || len(c.Tasks) == 0 {
		return nil
	}
	have := map[string]bool{}
	var tasks []string
	for _, st := range m.All {
		have[st.Name] = true
		if st.Type == "Task" {
			tasks = append(tasks, st.Name)
		}
	}
	var errs []error
	for name := range c.Tasks {
		if !have[name] {
			errs = append(errs, &ConfigError{File: c.Path, Pos: c.TaskPos[name], Message: fmt.Sprintf(
				"tasks: %q is not a state of the state machine%s", name, suggest(name, tasks))})
		}
	}
	sort.Slice(errs, func(i, j int) bool {
		a, b := errs[i].(*ConfigError).Pos, errs[j].(*ConfigError).Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return errors.Join(errs...)
}
