package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// adviceIDs lists the rules of category advice.
func adviceIDs() []string {
	var ids []string
	for _, r := range Rules() {
		if r.Category == CategoryAdvice {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestAdviceOptIn: the advice rules run only with Options.Advice, or one by one when a severity
// is set for them (.sfn.yaml rules:, --rule).
func TestAdviceOptIn(t *testing.T) {
	if len(adviceIDs()) != 9 {
		t.Fatalf("advice rules %v, want 9", adviceIDs())
	}
	src := Lookup("task-timeout-missing").Bad
	if ds := checkSource(src, &Options{}); hasRule(ds, "task-timeout-missing") {
		t.Errorf("advice ran without Advice: %v", ds)
	}
	if ds := checkSource(src, &Options{Advice: true}); !hasRule(ds, "task-timeout-missing") {
		t.Errorf("advice did not run with Advice: %v", ds)
	}
	opts := &Options{Severity: map[string]Severity{"task-timeout-missing": Error}}
	ds := checkSource(src, opts)
	if !hasRule(ds, "task-timeout-missing") || hasRule(ds, "heartbeat-missing") {
		t.Errorf("a severity set for one advice rule should run it alone: %v", ds)
	}
	opts = &Options{Advice: true, Severity: map[string]Severity{"task-timeout-missing": Off}}
	if ds := checkSource(src, opts); hasRule(ds, "task-timeout-missing") {
		t.Errorf("off should win over Advice: %v", ds)
	}
}

// TestAdviceHostile runs the advice rules on generated hostile definitions: a long chain closed into
// one cycle (the cycle search is iterative), a payload nested thousands deep, a huge string and many
// Retriers. Each must finish with the expected findings and no internal error.
func TestAdviceHostile(t *testing.T) {
	const n = 20000
	var chain strings.Builder
	chain.WriteString(`{"StartAt": "S0", "States": {`)
	for i := 0; i < n; i++ {
		next := fmt.Sprintf("S%d", i+1)
		switch {
		case i == n-1:
			fmt.Fprintf(&chain, `"S%d": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "End"}], "Default": "S0"}, "End": {"Type": "Succeed"}`, i)
		case i == 0:
			fmt.Fprintf(&chain, `"S%d": {"Type": "Wait", "Seconds": 1, "Next": %q},`, i, next)
		case i == 1:
			fmt.Fprintf(&chain, `"S%d": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:headObject", "Next": %q},`, i, next)
		default:
			fmt.Fprintf(&chain, `"S%d": {"Type": "Pass", "Next": %q},`, i, next)
		}
	}
	chain.WriteString(`}}`)

	deep := strings.Repeat(`{"a": [`, 4000) + `"AKIAIOSFODNN7EXAMPLE"` + strings.Repeat(`]}`, 4000)
	deepDef := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ` + deep + `, "End": true}}}`

	huge := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"password": "` + strings.Repeat("p", 2<<20) + `"}, "End": true}}}`

	var retry strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&retry, `{"ErrorEquals": ["E%d", "States.TaskFailed"], "MaxAttempts": 2},`, i)
	}
	manyRetriers := `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [` +
		strings.TrimSuffix(retry.String(), ",") + `], "End": true}}}`

	tests := []struct {
		name, src string
		want      map[string]int // rule -> findings
	}{
		{"chain of 20,000 states in one polling cycle", chain.String(), map[string]int{"polling-loop-unbounded": 1}},
		{"secret 4,000 levels deep", deepDef, map[string]int{"secret-literal": 1}},
		{"2 MiB password literal", huge, map[string]int{"secret-literal": 1, "payload-large-static": 1}},
		{"2,000 overlapping retriers", manyRetriers, map[string]int{"handler-shadowed": 1999, "lambda-retry-missing": 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]int{}
			for _, d := range Check(documentOf(t, tc.src), &Options{Advice: true}) {
				if d.Code == "SFN_INTERNAL" {
					t.Fatalf("internal error: %s", d.Message)
				}
				got[d.Rule]++
			}
			for id, want := range tc.want {
				if got[id] != want {
					t.Errorf("%s: %d findings, want %d", id, got[id], want)
				}
			}
		})
	}
}

// FuzzAdvice runs the advice rules on arbitrary documents, seeded with their examples and golden
// inputs: none may panic (a panic would show as an SFN_INTERNAL diagnostic), and every finding has
// a position and a location.
func FuzzAdvice(f *testing.F) {
	for _, id := range adviceIDs() {
		r := Lookup(id)
		f.Add([]byte(r.Bad))
		f.Add([]byte(r.Good))
		files, _ := filepath.Glob(filepath.Join("testdata/rules", id, "*"))
		for _, p := range files {
			if filepath.Ext(p) != ".golden" {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := load.Parse("fuzz", data, load.Sniff(data))
		if err != nil {
			return
		}
		for _, d := range Check(doc, &Options{Advice: true}) {
			if d.Code == "SFN_INTERNAL" || d.Pos.Line < 1 || d.Pos.Col < 1 || d.Location == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
	})
}

// TestAdviceConfig: "advice: true" in .sfn.yaml runs the advice rules; a value other than a
// boolean is an error with its position.
func TestAdviceConfig(t *testing.T) {
	c, err := ParseConfig("c.yaml", []byte("advice: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	opts := &Options{}
	c.Apply(opts)
	if !opts.Advice {
		t.Error("advice: true did not turn the advice rules on")
	}
	if _, err := ParseConfig("c.yaml", []byte("advice: yes please\n")); err == nil || !strings.Contains(err.Error(), "c.yaml:1:9: advice must be true or false") {
		t.Errorf("got %v", err)
	}
}
