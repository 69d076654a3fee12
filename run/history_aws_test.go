package run

import (
	"encoding/json"
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
	// A distributed Map after another state: AWS links MapStateExited to MapRunStarted (9 6); a
	// distributed Map entered first links it to MapRunSucceeded (7 5).
	{"scenarios_map_distributed/test_base_scenarios__test_map_state_config_distributed_item_selector_parameters__get_execution_history.json", "distributed Map after a state"},
	{"scenarios_map_distributed/test_base_scenarios__test_map_state_config_distributed_items_path_from_previous__get_execution_history.json", "distributed Map after a state, ItemsPath"},
	{"scenarios_map_distributed/test_base_scenarios__test_map_state_config_distributed_item_selector__get_execution_history.json", "distributed Map first"},
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
				t.Skipf("conformance corpus: %v", err)
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
