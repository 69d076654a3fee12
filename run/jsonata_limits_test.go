package run

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// jsonataPass is a one-state JSONata machine whose Pass state outputs expr.
func jsonataPass(expr string) string {
	b, _ := json.Marshal("{% " + expr + " %}")
	return `{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": ` + string(b) + `, "End": true}}}`
}

// Hostile JSONata expressions fail the execution with States.QueryEvaluationError and jsonata's
// error in the cause (a recursive function without a base case used to kill the process with a
// fatal Go stack overflow).
func TestJSONataLimitsFailTheState(t *testing.T) {
	cases := []struct{ expr, cause string }{
		{"($f := function($x){ $f($x) + 1 }; $f(1))", "U1001: Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."},
		{"$pad('x', 1000000000)", "S0501: Evaluation too large: a string of"},
		{"($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1) }; $s('ab', 40))", "S0501: Evaluation too large: a string of"},
		{"$map([1..10000000], function($v){ $v * 2 })", "S0501: Evaluation too large"},
		{"[1..1e9]", "D2014"},
	}
	for _, c := range cases {
		res := runDef(t, jsonataPass(c.expr), `{}`, nil)
		if res.Status != Failed || res.Error != "States.QueryEvaluationError" || !strings.Contains(res.Cause, c.cause) {
			t.Errorf("%s: %s %s: %s; want States.QueryEvaluationError with %q", c.expr, res.Status, res.Error, res.Cause, c.cause)
		}
	}
}

// An interrupted execution stops inside a long evaluation and is aborted, not failed.
func TestJSONataEvaluationAborted(t *testing.T) {
	r, err := New(machine(t, jsonataPass("$reduce([1..3000000], function($a, $v){ $a + $v }, 0)")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// the evaluation takes seconds: the interrupt arrives while it runs (as in TestAbort)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if res := r.Start(ctx, map[string]any{}); res.Status != Aborted {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
}
