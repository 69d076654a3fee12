package run

import (
	"context"
	"fmt"
	"strings"

	"encoding/json"
	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/value"
	"os"
	"path/filepath"
	"testing"
)

// awsHistoryCases are recorded AWS executions (../shared/conformance/aws) whose whole history —
// event ids, previousEventId and every details object — sfn once got wrong.
var awsHistoryCases = []struct{ file, what string }{
	// An empty Map: AWS links MapStateSucceeded and MapStateExited to MapStateStarted (4 3, 5 3;
	// 6 5, 7 5), not to event 0.
	{"scenarios_map/test_base_scenarios__test_map_state_items_eval_jsonata__empty__get_execution_history.json", "empty Map"},
	{"scenarios_map/test_base_scenarios__test_map_state_items_input_array__empty__get_execution_history.json", "empty Map after a state"},
	// A distributed Map: AWS links MapStateExited to MapRunStarted (9 6) since November 2024 (the
	// recordings before link it to MapRunSucceeded; see TestDistributedMapExitLink).
	{"scenarios_map_distributed/test_base_scenarios__test_map_state_config_distributed_item_selector_parameters__get_execution_history.json", "distributed Map after a state"},
	{"scenarios_map_distributed/test_base_scenarios__test_map_state_config_distributed_items_path_from_previous__get_execution_history.json", "distributed Map after a state, ItemsPath"},
	// "Assign": {} — AWS records neither assignedVariables nor assignedVariablesDetails.
	{"variables_assign/test_assign_base__test_base_cases__BASE_EMPTY__get_execution_history.json", "empty Assign"},
}

// TestAWSHistories runs each case and compares its history with AWS's, event by event.
func TestAWSHistories(t *testing.T) {
	dir := conformanceDir()
	for _, tc := range awsHistoryCases {
		t.Run(tc.what, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.file)))
			if err != nil {
				testshared.Skip(t, "conformance", filepath.Join(dir, filepath.FromSlash(tc.file)))
			}
			var c confCase
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			if len(c.Expected.History) == 0 || c.Expected.Normalised {
				t.Fatalf("%s: no unnormalised history recorded", tc.file)
			}
			res := runCase(tc.file, &c)
			if !res.pass {
				t.Fatalf("%s: %s", tc.file, res.reason)
			}
			if res.history != "same" {
				t.Errorf("%s: history differs from AWS: %s", tc.file, res.historyDiff)
			}
		})
	}
}

// TestAWSHistoryLinks pins the same rules without the corpus: each event's id, previous id and
// details key, for a definition built here.
func TestAWSHistoryLinks(t *testing.T) {
	tests := []struct {
		name  string
		items []any // the execution input's "items"
		def   string
		want  []string // "id prev Type detailsKey"
	}{
		{"empty Map", []any{}, `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
			"ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}`,
			[]string{"1 0 ExecutionStarted executionStartedEventDetails", "2 0 MapStateEntered stateEnteredEventDetails",
				"3 2 MapStateStarted mapStateStartedEventDetails", "4 3 MapStateSucceeded ",
				"5 3 MapStateExited stateExitedEventDetails", "6 5 ExecutionSucceeded executionSucceededEventDetails"}},
		{"empty Assign", nil, `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Assign": {}, "End": true}}}`,
			[]string{"1 0 ExecutionStarted executionStartedEventDetails", "2 0 PassStateEntered stateEnteredEventDetails",
				"3 2 PassStateExited stateExitedEventDetails", "4 3 ExecutionSucceeded executionSucceededEventDetails"}},
		{"distributed Map after a state", []any{"x", "y"}, `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "M"},
			"M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
			"ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}`,
			[]string{"1 0 ExecutionStarted executionStartedEventDetails", "2 0 PassStateEntered stateEnteredEventDetails",
				"3 2 PassStateExited stateExitedEventDetails", "4 3 MapStateEntered stateEnteredEventDetails",
				"5 4 MapStateStarted mapStateStartedEventDetails", "6 5 MapRunStarted mapRunStartedEventDetails",
				"7 6 MapRunSucceeded ", "8 7 MapStateSucceeded ", "9 6 MapStateExited stateExitedEventDetails",
				"10 9 ExecutionSucceeded executionSucceededEventDetails"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := New(machine(t, tc.def), Options{Clock: NewVirtualClock(start())})
			if err != nil {
				t.Fatal(err)
			}
			res := r.Start(context.Background(), value.ObjectOf("items", tc.items))
			if res.Status != Succeeded {
				t.Fatalf("%s: %s %s", res.Status, res.Error, res.Cause)
			}
			var got []string
			for _, e := range res.Events {
				got = append(got, fmt.Sprintf("%d %d %s %s", e.ID, e.PreviousEventID, e.Type, e.DetailsKey))
				if v, ok := e.DetailsMap()["assignedVariables"]; ok {
					t.Errorf("event %d %s records assignedVariables %v", e.ID, e.Type, v)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("history\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
