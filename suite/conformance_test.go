package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// confCase is the part of a ../shared/conformance case that a suite needs.
type confCase struct {
	Definition   json.RawMessage `json:"definition"`
	Input        json.RawMessage `json:"input"`
	Placeholders []string        `json:"placeholders"`
	Source       struct {
		Type string `json:"state_machine_type"`
	} `json:"source"`
	Expected struct {
		Status    string          `json:"status"`
		Output    json.RawMessage `json:"output"`
		Error     *string         `json:"error"`
		Cause     *string         `json:"cause"`
		CauseJSON json.RawMessage `json:"cause_json"`
	} `json:"expected"`
	Mocks map[string][]*confMock `json:"mocks"`
}

// confMock is one recorded call of a Task.
type confMock struct {
	Return     json.RawMessage                `json:"return"`
	Throw      *struct{ Error, Cause string } `json:"throw"`
	Kind       string                         `json:"kind"`
	Aborted    bool                           `json:"aborted"`
	Parameters json.RawMessage                `json:"parameters"`
}

var confPlaceholderRE = regexp.MustCompile(`<[A-Za-z_][\w.-]*(?::\d+)?>|\bdate\b|111111111111`)

// TestConformanceSuites turns every conformance case with mocked Tasks (Step Functions Local's
// MockConfigFile cases: recorded task results fed in invocation order) into a test file whose
// expectations are AWS's recorded outcome, and runs it through sfn test.
func TestConformanceSuites(t *testing.T) {
	root := "../../shared/conformance/aws"
	files, _ := filepath.Glob(root + "/*/*.json")
	if len(files) == 0 {
		testshared.Skip(t, "conformance", "../../shared/conformance")
	}
	sort.Strings(files)
	harness := map[string]bool{}
	if b, err := os.ReadFile("../run/testdata/conformance-passing.txt"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			harness[strings.TrimSpace(l)] = true
		}
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	var total, pass, harnessPass int
	var differ []string
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c confCase
		if err := json.Unmarshal(b, &c); err != nil || len(c.Mocks) == 0 {
			continue
		}
		rel, _ := filepath.Rel(root, f)
		rel = filepath.ToSlash(rel)
		total++
		if harness[rel] {
			harnessPass++
		}
		sub := filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		ok, why := runConformanceSuite(t, sub, &c)
		if ok {
			pass++
		}
		if ok != harness[rel] {
			differ = append(differ, fmt.Sprintf("%s: sfn test %v, harness %v: %s", rel, ok, harness[rel], clip(why)))
		}
	}
	t.Logf("conformance through sfn test: %d of %d mocked cases pass (the harness: %d)", pass, total, harnessPass)
	for _, d := range differ {
		t.Logf("  %s", d)
	}
	if pass != harnessPass {
		t.Errorf("sfn test passes %d mocked conformance cases, the harness %d", pass, harnessPass)
	}
}

// stub ARNs as the conformance harness replaces them (run/conformance_history_test.go).
var confReplacer = strings.NewReplacer(
	`"activity_arn"`, `"arn:aws:states:us-east-1:111111111111:activity:activity"`)

var stubRE = regexp.MustCompile(`arn:aws:stub:[^"]*`)

func runConformanceSuite(t *testing.T, dir string, c *confCase) (bool, string) {
	def := stubRE.ReplaceAll(c.Definition, []byte("arn:aws:lambda:us-east-1:111111111111:function:lambda_function"))
	def = []byte(confReplacer.Replace(string(def)))
	m := refile(def, c.Mocks)
	if err := os.WriteFile(filepath.Join(dir, "sm.asl.json"), def, 0o644); err != nil {
		t.Fatal(err)
	}
	j := func(v any) string { return string(value.AppendJSON(nil, v)) }
	var b bytes.Buffer
	b.WriteString("machine: sm.asl.json\nno-validate: true\n")
	if c.Source.Type != "" {
		fmt.Fprintf(&b, "type: %s\n", c.Source.Type)
	}
	input := "{}"
	if len(c.Input) > 0 {
		input = string(c.Input)
	}
	fmt.Fprintf(&b, "cases:\n  - name: exec\n    input: %s\n    mocks:\n", input)
	for _, st := range sortedKeys(m.mocks) {
		fmt.Fprintf(&b, "      %s:\n", j(st))
		for i, m := range m.mocks[st] {
			switch {
			case m.Aborted:
				fmt.Fprintf(&b, "        \"%d\": {Throw: {Error: States.Aborted}}\n", i)
			case m.Throw != nil || m.Kind == "timeout":
				e := "States.Timeout"
				cause := ""
				if m.Throw != nil {
					e, cause = m.Throw.Error, m.Throw.Cause
					if m.Kind == "timeout" {
						e = "States.Timeout"
					}
				}
				fmt.Fprintf(&b, "        \"%d\": {Throw: {Error: %s, Cause: %s}}\n", i, j(e), j(cause))
			default:
				ret := "null"
				if len(m.Return) > 0 {
					ret = string(m.Return)
				}
				fmt.Fprintf(&b, "        \"%d\": {Return: %s}\n", i, ret)
			}
		}
	}
	fmt.Fprintf(&b, "    expect:\n      status: %s\n", c.Expected.Status)
	ph := placeholdersRE(c.Placeholders)
	// What AWS recorded each top-level Task as sending (the same on every call).
	var params, asserts []string
	for _, st := range sortedKeys(c.Mocks) {
		if p := lastParameters(c.Mocks[st]); p != nil && m.top[st] {
			v, err := decodeJSON(p)
			if err != nil {
				t.Fatal(err)
			}
			key := "parameters"
			if w, exact := withoutPlaceholders(ph, v); !exact {
				// A subset without the placeholders, and the exact shape by assertions.
				at := "$states[name = " + j(st) + "][-1].parameters"
				asserts = append(asserts, shapeAsserts(at, v)...)
				v, key = w, "parameters-contains"
			}
			params = append(params, fmt.Sprintf("        %s: {visit: last, %s: %s}\n", j(st), key, j(v)))
		}
	}
	if len(params) > 0 {
		b.WriteString("      states:\n" + strings.Join(params, ""))
	}
	if len(asserts) > 0 {
		b.WriteString("      assert:\n")
		for _, a := range asserts {
			fmt.Fprintf(&b, "        - %s\n", j("{% "+a+" %}"))
		}
	}
	text := func(key string, s *string) {
		if s == nil {
			return
		}
		if ph.MatchString(*s) {
			fmt.Fprintf(&b, "      %s: %s\n", key, j("/(?s)^"+placeholderPattern(ph, *s)+"$/"))
		} else {
			fmt.Fprintf(&b, "      %s: %s\n", key, j(literal(*s)))
		}
	}
	switch {
	case c.Expected.Status == "SUCCEEDED" && len(c.Expected.Output) > 0:
		v, err := decodeJSON(c.Expected.Output)
		if err != nil {
			t.Fatal(err)
		}
		if w, exact := withoutPlaceholders(ph, v); exact {
			fmt.Fprintf(&b, "      output: %s\n", j(v))
		} else if _, isStr := v.(string); isStr {
			// the whole output is a placeholder: nothing to compare
		} else {
			fmt.Fprintf(&b, "      output-contains: %s\n", j(w))
		}
	case c.Expected.Status != "SUCCEEDED":
		text("error", c.Expected.Error)
		if len(c.Expected.CauseJSON) == 0 {
			text("cause", c.Expected.Cause)
		}
	}
	path := filepath.Join(dir, "sm.sfn-test.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadFile(path)
	if err != nil {
		return false, "load: " + err.Error()
	}
	rs := RunAll(context.Background(), []*Suite{s}, Options{}, nil)
	switch {
	case rs[0].Err != nil:
		return false, rs[0].Err.Error()
	case len(rs[0].Failures) > 0:
		return false, rs[0].Failures[0].Msg
	}
	return true, ""
}

func decodeJSON(b []byte) (any, error) {
	f, err := Parse("x.json", []byte(`{"machine": "m", "cases": [{"name": "x", "input": `+string(b)+`}]}`))
	if err != nil {
		return nil, err
	}
	return f.Cases[0].Input, nil
}

func placeholdersRE(extra []string) *regexp.Regexp {
	alts := []string{confPlaceholderRE.String()}
	for _, p := range extra {
		if p != "" {
			alts = append(alts, regexp.QuoteMeta(p))
		}
	}
	return regexp.MustCompile(strings.Join(alts, "|"))
}

// placeholderPattern turns a recorded text into a pattern: each placeholder matches anything.
func placeholderPattern(ph *regexp.Regexp, s string) string {
	var out strings.Builder
	last := 0
	for _, loc := range ph.FindAllStringIndex(s, -1) {
		out.WriteString(regexp.QuoteMeta(s[last:loc[0]]))
		out.WriteString(".*")
		last = loc[1]
	}
	out.WriteString(regexp.QuoteMeta(s[last:]))
	return out.String()
}

// withoutPlaceholders drops the strings holding placeholders (and the members and items holding
// them); exact says nothing was dropped.
func withoutPlaceholders(ph *regexp.Regexp, v any) (any, bool) {
	switch x := v.(type) {
	case string:
		return x, !ph.MatchString(x)
	case *value.Object:
		o, exact := value.NewObject(0), true
		for _, m := range x.Members() {
			w, ok := withoutPlaceholders(ph, m.Value)
			if !ok {
				exact = false
				if _, isStr := m.Value.(string); isStr {
					continue
				}
			}
			o.Set(m.Key, w)
		}
		return o, exact
	case []any:
		a, exact := []any{}, true
		for _, it := range x {
			w, ok := withoutPlaceholders(ph, it)
			if !ok {
				exact = false
				if _, isStr := it.(string); isStr {
					continue
				}
			}
			a = append(a, w)
		}
		return a, exact
	}
	return v, true
}

// refiled is a case's mocks with the recorder's misfiled calls moved, and the top-level Tasks.
type refiled struct {
	mocks map[string][]*confMock
	top   map[string]bool
}

// refile moves recorded calls the recorder filed under a sibling Parallel branch's Task to the
// Task that has none (the harness matches such calls by their parameters).
func refile(def []byte, mocks map[string][]*confMock) refiled {
	out := refiled{mocks: map[string][]*confMock{}, top: map[string]bool{}}
	for k, v := range mocks {
		out.mocks[k] = append([]*confMock(nil), v...)
	}
	doc, err := load.Parse("sm.asl.json", def, load.JSON)
	m := asl.Build(doc)
	if err != nil || m == nil {
		return out
	}
	for _, st := range m.All {
		if st.Type == "Task" && st.Scope == m.Root {
			out.top[st.Name] = true
		}
	}
	for _, st := range m.All {
		if st.Type != "Task" || len(out.mocks[st.Name]) > 0 || st.Scope.Parent == nil {
			continue
		}
		for _, o := range m.All {
			if o != st && o.Type == "Task" && o.Scope.Parent == st.Scope.Parent && len(out.mocks[o.Name]) > 1 {
				out.mocks[st.Name] = out.mocks[o.Name][:1]
				out.mocks[o.Name] = out.mocks[o.Name][1:]
				break
			}
		}
	}
	return out
}

// lastParameters is what the last recorded call sent (nil when not recorded).
func lastParameters(ms []*confMock) json.RawMessage {
	if len(ms) == 0 || ms[len(ms)-1].Aborted {
		return nil
	}
	return ms[len(ms)-1].Parameters
}

// shapeAsserts are JSONata assertions that the value at `at` has as many members and items as v,
// at every level: with a -contains expectation they make the comparison exact but for the values
// of placeholders.
func shapeAsserts(at string, v any) []string {
	switch x := v.(type) {
	case *value.Object:
		out := []string{fmt.Sprintf("$count($keys(%s)) = %d", at, x.Len())}
		for _, m := range x.Members() {
			k := strings.ReplaceAll(m.Key, "`", "")
			out = append(out, shapeAsserts(at+".`"+k+"`", m.Value)...)
		}
		return out
	case []any:
		return []string{fmt.Sprintf("$count(%s) = %d", at, len(x))}
	}
	return nil
}
