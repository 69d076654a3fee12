package handler

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// MockConfig is an AWS Step Functions Local MockConfigFile:
//
//	{"StateMachines": {"<name>": {"TestCases": {"<case>": {"<State>": "<ResponseName>"}}}},
//	 "MockedResponses": {"<ResponseName>": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}
//
// Invocations of a state count from 0 (retries and loops included); a key "N-M" covers the
// invocations N to M inclusive.
type MockConfig struct {
	Path          string
	StateMachines map[string]map[string]map[string]string // machine → test case → state → response name
	Responses     map[string][]MockStep                   // by response name, sorted by From
}

// MockStep is the response of the invocations From to To (inclusive).
type MockStep struct {
	From, To int
	Return   any  // when !Throw
	Throw    bool // a failure with Error and Cause
	Error    string
	Cause    string
}

// LoadMockConfig reads a MockConfigFile.
func LoadMockConfig(path string) (*MockConfig, error) {
	src, err := load.ReadFile(path, load.MaxFileSize)
	if err != nil {
		return nil, err
	}
	mc, err := ParseMockConfig(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	mc.Path = path
	return mc, nil
}

// ParseMockConfig parses the text of a MockConfigFile.
func ParseMockConfig(src []byte) (*MockConfig, error) {
	v, err := load.DecodeJSON(src)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	top, ok := asMap(v)
	if !ok {
		return nil, errors.New("want a JSON object with StateMachines and MockedResponses")
	}
	mc := &MockConfig{StateMachines: map[string]map[string]map[string]string{}, Responses: map[string][]MockStep{}}
	sms, _ := asMap(top["StateMachines"])
	if sms == nil {
		return nil, errors.New("StateMachines: want an object")
	}
	for smName, smv := range sms {
		sm, _ := asMap(smv)
		tcs, _ := asMap(sm["TestCases"])
		if tcs == nil {
			return nil, fmt.Errorf("StateMachines.%s.TestCases: want an object", smName)
		}
		cases := map[string]map[string]string{}
		for tcName, tcv := range tcs {
			tc, ok := asMap(tcv)
			if !ok {
				return nil, fmt.Errorf("StateMachines.%s.TestCases.%s: want an object of state names to mocked responses", smName, tcName)
			}
			states := map[string]string{}
			for st, rv := range tc {
				r, ok := rv.(string)
				if !ok {
					return nil, fmt.Errorf("StateMachines.%s.TestCases.%s.%s: want a mocked response name", smName, tcName, st)
				}
				states[st] = r
			}
			cases[tcName] = states
		}
		mc.StateMachines[smName] = cases
	}
	rs, _ := asMap(top["MockedResponses"])
	if rs == nil && top["MockedResponses"] != nil {
		return nil, errors.New("MockedResponses: want an object")
	}
	for name, rv := range rs {
		steps, err := parseMockedResponse(rv)
		if err != nil {
			return nil, fmt.Errorf("MockedResponses.%s%w", name, err)
		}
		mc.Responses[name] = steps
	}
	// Every test case must name responses that exist.
	for smName, cases := range mc.StateMachines {
		for tcName, states := range cases {
			for st, r := range states {
				if _, ok := mc.Responses[r]; !ok {
					return nil, fmt.Errorf("StateMachines.%s.TestCases.%s.%s: no mocked response %q", smName, tcName, st, r)
				}
			}
		}
	}
	return mc, nil
}

func parseMockedResponse(v any) ([]MockStep, error) {
	m, ok := asMap(v)
	if !ok || len(m) == 0 {
		return nil, errors.New(`: want an object such as {"0": {"Return": ...}}`)
	}
	var steps []MockStep
	for key, sv := range m {
		from, to, err := parseRange(key)
		if err != nil {
			return nil, fmt.Errorf(".%s: %w", key, err)
		}
		sm, ok := asMap(sv)
		if !ok {
			return nil, fmt.Errorf(".%s: want {\"Return\": ...} or {\"Throw\": {\"Error\": ..., \"Cause\": ...}}", key)
		}
		step := MockStep{From: from, To: to}
		ret, hasRet := sm["Return"]
		thr, hasThr := sm["Throw"]
		switch {
		case hasRet == hasThr || len(sm) != 1:
			return nil, fmt.Errorf(".%s: want exactly one of Return or Throw", key)
		case hasRet:
			step.Return = ret
		default:
			t, ok := asMap(thr)
			if !ok {
				return nil, fmt.Errorf(".%s.Throw: want {\"Error\": ..., \"Cause\": ...}", key)
			}
			step.Throw = true
			step.Error, _ = t["Error"].(string)
			step.Cause, _ = t["Cause"].(string)
			if step.Error == "" {
				return nil, fmt.Errorf(".%s.Throw.Error: want an error name", key)
			}
		}
		steps = append(steps, step)
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].From < steps[j].From })
	for i := 1; i < len(steps); i++ {
		if steps[i].From <= steps[i-1].To {
			return nil, fmt.Errorf(": invocations %d-%d and %d-%d overlap", steps[i-1].From, steps[i-1].To, steps[i].From, steps[i].To)
		}
	}
	return steps, nil
}

func parseRange(key string) (from, to int, err error) {
	a, b, isRange := strings.Cut(key, "-")
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to = from
	var err2 error
	if isRange {
		to, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	if err1 != nil || err2 != nil || from < 0 || to < from {
		return 0, 0, errors.New(`want an invocation number ("0") or an inclusive range ("1-2")`)
	}
	return from, to, nil
}

// TestCase returns the state → response map of a test case. machine may be "" when the file
// holds one state machine.
func (mc *MockConfig) TestCase(machine, testCase string) (map[string]string, error) {
	if machine == "" {
		if len(mc.StateMachines) != 1 {
			return nil, fmt.Errorf("%s holds %d state machines (%s): choose one with --state-machine-name",
				mc.name(), len(mc.StateMachines), strings.Join(sortedKeys(mc.StateMachines), ", "))
		}
		for name := range mc.StateMachines {
			machine = name
		}
	}
	cases, ok := mc.StateMachines[machine]
	if !ok {
		return nil, fmt.Errorf("%s has no state machine %q (it has %s)", mc.name(), machine, strings.Join(sortedKeys(mc.StateMachines), ", "))
	}
	tc, ok := cases[testCase]
	if !ok {
		return nil, fmt.Errorf("state machine %q of %s has no test case %q (it has %s)", machine, mc.name(), testCase, strings.Join(sortedKeys(cases), ", "))
	}
	return tc, nil
}

func (mc *MockConfig) name() string {
	if mc.Path != "" {
		return mc.Path
	}
	return "the mock config"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Mock answers each invocation with the mocked response's step for req.Attempt. Past the last
// step the task fails with States.Runtime (which ends the execution), as there is no answer.
type Mock struct {
	Name  string // the response name
	Steps []MockStep
}

// Invoke implements run.TaskHandler.
func (m *Mock) Invoke(_ context.Context, req run.TaskRequest) run.TaskResult {
	for _, s := range m.Steps {
		if req.Attempt < s.From || req.Attempt > s.To {
			continue
		}
		if s.Throw {
			return run.TaskResult{Failed: true, Error: s.Error, Cause: s.Cause}
		}
		return run.TaskResult{Output: copyJSON(s.Return)}
	}
	return run.TaskResult{Failed: true, Error: "States.Runtime",
		Cause: fmt.Sprintf("mocked response %q has no entry for invocation %d of state %q", m.Name, req.Attempt, req.StateName)}
}

// copyJSON deep-copies a JSON value so that a handler's result can be changed by the interpreter
// without changing the next invocation's.
func copyJSON(v any) any {
	switch v := v.(type) {
	case *value.Object:
		ms := make([]value.Member, v.Len())
		for i, x := range v.Members() {
			ms[i] = value.Member{Key: x.Key, Value: copyJSON(x.Value)}
		}
		return value.FromMembers(ms)
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = copyJSON(x)
		}
		return a
	}
	return v
}
