package run

import (
	"strings"
	"testing"
)

// A filter that refers to the root ($) runs as on AWS (Jayway evaluates `$`
// against the document): in InputPath, in Parameters (against the effective
// input) and in an intrinsic argument; a reference path keeps refusing
// filters.
func TestFilterRootReference(t *testing.T) {
	const def = `{"StartAt": "P", "States": {
	  "P": {"Type": "Pass", "InputPath": "$.data",
	        "Parameters": {"approach.$": "$.approaches[?(@.workerId == $.agent_id)].approach",
	                       "first.$": "States.ArrayGetItem($.approaches[?(@.workerId == $.agent_id)].approach, 0)"},
	        "ResultPath": "$.picked", "Next": "Q"},
	  "Q": {"Type": "Pass", "OutputPath": "$.picked", "End": true}}}`
	in := `{"data": {"agent_id": "w2", "approaches": [{"workerId": "w1", "approach": "a"}, {"workerId": "w2", "approach": "b"}]}}`
	res := runDef(t, def, in, nil)
	if got := toJSON(res.Output); res.Status != Succeeded || got != `{"approach":["b"],"first":"b"}` {
		t.Fatalf("%s %s %s %s", res.Status, got, res.Error, res.Cause)
	}

	bad := strings.Replace(def, `"ResultPath": "$.picked"`, `"ResultPath": "$.picked[?(@ == $.x)]"`, 1)
	if _, err := New(machine(t, bad), Options{Clock: NewVirtualClock(start())}); err == nil || !strings.Contains(err.Error(), "filters are not allowed") {
		t.Errorf("a filter in ResultPath: want a compile error, got %v", err)
	}
}
