package intrinsic_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/path"
	"github.com/sfn-tool/sfn/pkg/value"
)

// conformanceDir holds executions recorded against AWS (see its README).
const conformanceDir = "../../../shared/conformance/aws"

type confCase struct {
	Definition struct {
		QueryLanguage string                     `json:"QueryLanguage"`
		StartAt       string                     `json:"StartAt"`
		States        map[string]json.RawMessage `json:"States"`
	} `json:"definition"`
	Input    json.RawMessage `json:"input"`
	Expected struct {
		Status string          `json:"status"`
		Output json.RawMessage `json:"output"`
		Error  string          `json:"error"`
		Cause  string          `json:"cause"`
	} `json:"expected"`
	Mocks        json.RawMessage `json:"mocks"`
	Placeholders []string        `json:"placeholders"`
	Features     []string        `json:"features"`
}

func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return value.Decode(d)
}

// passState is a single Pass state, the only shape this harness runs.
type passState struct {
	Type       string          `json:"Type"`
	Parameters json.RawMessage `json:"Parameters"`
	Result     json.RawMessage `json:"Result"`
	InputPath  *string         `json:"InputPath"`
	OutputPath *string         `json:"OutputPath"`
	ResultPath *string         `json:"ResultPath"`
	Assign     json.RawMessage `json:"Assign"`
}

// errPath is a Pass-state failure: error name and cause text.
type stateError struct{ name, cause string }

func (e *stateError) Error() string { return e.name + ": " + e.cause }

// runPass runs a Pass state the way AWS does, enough for the corpus:
// InputPath, Parameters (payload template with paths and intrinsic calls),
// Result, ResultPath, OutputPath.
func runPass(st *passState, stateName string, input any, ctx *path.EvalContext) (any, error) {
	prefix := fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #2). ", stateName)
	eff := input
	if st.InputPath != nil {
		p, err := path.Parse(*st.InputPath)
		if err != nil {
			return nil, err
		}
		if eff, err = p.Eval(input, ctx); err != nil {
			return nil, &stateError{"States.Runtime", prefix + err.Error()}
		}
	}
	var result any = eff
	switch {
	case st.Parameters != nil:
		tmpl, err := decodeJSON(st.Parameters)
		if err != nil {
			return nil, err
		}
		if result, err = template(tmpl, eff, ctx, prefix); err != nil {
			return nil, err
		}
	case st.Result != nil:
		r, err := decodeJSON(st.Result)
		if err != nil {
			return nil, err
		}
		result = r
	}
	out := result
	if st.ResultPath != nil {
		p, err := path.Parse(*st.ResultPath)
		if err != nil {
			return nil, err
		}
		if out, err = p.Set(input, result); err != nil {
			return nil, &stateError{"States.ResultPathMatchFailure", prefix + err.Error()}
		}
	}
	if st.OutputPath != nil {
		p, err := path.Parse(*st.OutputPath)
		if err != nil {
			return nil, err
		}
		if out, err = p.Eval(out, ctx); err != nil {
			return nil, &stateError{"States.Runtime", prefix + err.Error()}
		}
	}
	return out, nil
}

// template evaluates a payload template.
func template(t any, input any, ctx *path.EvalContext, prefix string) (any, error) {
	switch x := t.(type) {
	case *value.Object:
		out := value.NewObject(x.Len())
		for _, m := range x.Members() {
			k, v := m.Key, m.Value
			if name, ok := strings.CutSuffix(k, ".$"); ok {
				s, _ := v.(string)
				p, call, err := intrinsic.ParsePayloadValue(s)
				if err != nil {
					return nil, err
				}
				var val any
				if call != nil {
					val, err = intrinsic.Eval(call, input, ctx)
					if err != nil {
						var nf *path.NotFoundError
						if errors.As(err, &nf) {
							return nil, &stateError{"States.Runtime", prefix + err.Error()}
						}
						return nil, &stateError{"States.IntrinsicFailure", prefix + err.Error()}
					}
				} else if val, err = p.Eval(input, ctx); err != nil {
					return nil, &stateError{"States.Runtime", prefix + fmt.Sprintf(
						"The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", s, k, intrinsic.FormatJSON(input))}
				}
				out.Set(name, val)
				continue
			}
			v2, err := template(v, input, ctx, prefix)
			if err != nil {
				return nil, err
			}
			out.Set(k, v2)
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, v := range x {
			v2, err := template(v, input, ctx, prefix)
			if err != nil {
				return nil, err
			}
			out[i] = v2
		}
		return out, nil
	}
	return t, nil
}

var placeholderRE = regexp.MustCompile(`<[A-Za-z_][\w-]*(?::\d+)?>`)

// match compares an actual value with an expected one, with the corpus's
// placeholder rules and numbers by value.
func match(got, want any, placeholders []string) bool {
	switch w := want.(type) {
	case string:
		for _, p := range placeholders {
			if w == p {
				return true
			}
		}
		if placeholderRE.MatchString(w) {
			if placeholderRE.FindString(w) == w {
				return true
			}
			g, ok := got.(string)
			if !ok {
				return false
			}
			parts := placeholderRE.Split(w, -1)
			for i := range parts {
				parts[i] = regexp.QuoteMeta(parts[i])
			}
			return regexp.MustCompile(`(?s)^` + strings.Join(parts, ".*") + `$`).MatchString(g)
		}
		g, ok := got.(string)
		return ok && g == w
	case json.Number:
		wr, ok1 := new(big.Rat).SetString(string(w))
		g, ok := got.(json.Number)
		if !ok || !ok1 {
			return false
		}
		gr, ok2 := new(big.Rat).SetString(string(g))
		return ok2 && gr.Cmp(wr) == 0
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !match(g[i], w[i], placeholders) {
				return false
			}
		}
		return true
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok || g.Len() != w.Len() {
			return false
		}
		for _, m := range w.Members() {
			gv, ok := g.Get(m.Key)
			if !ok || !match(gv, m.Value, placeholders) {
				return false
			}
		}
		return true
	}
	return got == want
}

// contextObject builds a context object like AWS's for an execution.
func contextObject(input any, stateName string) any {
	return value.ObjectOf(
		"Execution", value.ObjectOf(
			"Id", "arn:aws:states:us-east-1:111111111111:execution:sm_name:exec_name",
			"Input", input,
			"StartTime", "2024-01-01T00:00:00.000Z",
			"Name", "exec_name",
			"RoleArn", "arn:aws:iam::111111111111:role/sfn_role",
			"RedriveCount", json.Number("0"),
		),
		"StateMachine", value.ObjectOf(
			"Id", "arn:aws:states:us-east-1:111111111111:stateMachine:sm_name",
			"Name", "sm_name",
		),
		"State", value.ObjectOf(
			"Name", stateName,
			"EnteredTime", "2024-01-01T00:00:00.000Z",
		),
	)
}

// TestConformanceSinglePass runs every JSONPath case of the corpus whose
// definition is a single Pass state (without Assign): all of
// intrinsic_functions, and the path cases of base, context_object,
// scenarios_misc, ... It checks the output (SUCCEEDED) or the error and
// cause (FAILED).
func TestConformanceSinglePass(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(conformanceDir, "*", "*.json"))
	if len(files) == 0 {
		testshared.Skip(t, "conformance", conformanceDir)
	}
	sort.Strings(files)
	type tally struct{ ran, passed int }
	groups := map[string]*tally{}
	for _, f := range files {
		if filepath.Base(f) == "index.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c confCase
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.Definition.QueryLanguage == "JSONata" || len(c.Definition.States) != 1 || len(c.Mocks) > 0 {
			continue
		}
		if strings.Contains(strings.Join(c.Features, ","), "JSONata") {
			continue
		}
		var st passState
		raw := c.Definition.States[c.Definition.StartAt]
		if raw == nil || json.Unmarshal(raw, &st) != nil || st.Type != "Pass" || st.Assign != nil {
			continue
		}
		if c.Expected.Status == "FAILED" && c.Expected.Error == "States.DataLimitExceeded" {
			continue // a limit of the interpreter, not of paths or intrinsics
		}
		group := filepath.Base(filepath.Dir(f))
		rel := group + "/" + filepath.Base(f)
		if groups[group] == nil {
			groups[group] = &tally{}
		}
		groups[group].ran++
		input, err := decodeJSON(c.Input)
		if err != nil {
			t.Fatalf("%s: input: %v", rel, err)
		}
		ctx := &path.EvalContext{Context: contextObject(input, c.Definition.StartAt)}
		out, err := runPass(&st, c.Definition.StartAt, input, ctx)
		switch c.Expected.Status {
		case "SUCCEEDED":
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			want, _ := decodeJSON(c.Expected.Output)
			// Outputs are compared as JSON text re-decoded, as AWS returns them.
			got, err := decodeJSON([]byte(intrinsic.FormatJSON(out)))
			if err != nil {
				t.Errorf("%s: output does not re-decode: %v", rel, err)
				continue
			}
			if !match(got, want, c.Placeholders) {
				t.Errorf("%s:\n got  %s\n want %s", rel, intrinsic.FormatJSON(out), c.Expected.Output)
				continue
			}
		case "FAILED":
			var se *stateError
			if !errors.As(err, &se) {
				t.Errorf("%s: want %s, got %v (output %s)", rel, c.Expected.Error, err, intrinsic.FormatJSON(out))
				continue
			}
			if se.name != c.Expected.Error || !match(se.cause, c.Expected.Cause, c.Placeholders) {
				t.Errorf("%s:\n got  %s: %s\n want %s: %s", rel, se.name, se.cause, c.Expected.Error, c.Expected.Cause)
				continue
			}
		default:
			t.Errorf("%s: unexpected status %s", rel, c.Expected.Status)
			continue
		}
		groups[group].passed++
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	total, passed := 0, 0
	for _, g := range names {
		t.Logf("%-28s %d/%d reproduced", g, groups[g].passed, groups[g].ran)
		total += groups[g].ran
		passed += groups[g].passed
	}
	t.Logf("single-Pass-state conformance: %d/%d reproduced", passed, total)
	if g := groups["intrinsic_functions"]; g == nil || g.ran != 111 {
		t.Errorf("expected 111 JSONPath intrinsic_functions cases, ran %v", g)
	}
}
