package run

import (
	"fmt"
	"strings"
	"testing"
)

// TestAssignChecksInNameOrder: the variables of an Assign are measured in name order (AWS records
// them so), with or without a history, so the first too large one named is the first by name.
func TestAssignChecksInNameOrder(t *testing.T) {
	big := strings.Repeat("x", maxVariableSize)
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"zz.$":"$.big","bb.$":"$.big","ok":1},"End":true}}}`
	input := fmt.Sprintf(`{"big":%q}`, big)
	for _, noHistory := range []bool{false, true} {
		res := runOpts(t, def, input, Options{NoHistory: noHistory})
		if res.Status != Failed || res.Error != "States.Runtime" || !strings.Contains(res.Cause, "The variable 'bb' has a size of 262146 bytes") {
			t.Errorf("noHistory=%v: %s %s %.200s", noHistory, res.Status, res.Error, res.Cause)
		}
	}
	// Small values: assigned, recorded in name order with their JSON texts.
	res := runOpts(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"zz":{"a":[1]},"bb":"s"},"Next":"B"},
		"B":{"Type":"Pass","Parameters":{"z.$":"$zz","b.$":"$bb"},"End":true}}}`, `{}`, Options{})
	if got := toJSON(res.Output); res.Status != Succeeded || got != `{"b":"s","z":{"a":[1]}}` {
		t.Fatalf("%s %s %s", res.Status, res.Cause, got)
	}
	var exited Event
	for _, e := range res.Events {
		if e.Type == "PassStateExited" {
			exited = e
			break
		}
	}
	if got := toJSON(exited.Details["assignedVariables"]); got != `{"bb":"\"s\"","zz":"{\"a\":[1]}"}` {
		t.Errorf("assignedVariables %s", got)
	}
}
