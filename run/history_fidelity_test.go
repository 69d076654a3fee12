package run

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

// objectOf asserts that v is an object.
func objectOf(t *testing.T, v any) *value.Object {
	t.Helper()
	o, ok := v.(*value.Object)
	if !ok {
		t.Fatalf("%v is not an object", v)
	}
	return o
}

// historyLines is a history as "id prev Type" lines.
func historyLines(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		fmt.Fprintf(&b, "%d %d %s\n", e.ID, e.PreviousEventID, e.Type)
	}
	return b.String()
}

// TestParallelRetryLinks: a Parallel retried after a branch failed starts again after the failed
// branch's last event. AWS's recording error_output_states_variables_task_mocks/
// test_error_output__test_parallel_catch_error__PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY links the
// second ParallelStateStarted (9) to event 7, the first attempt's TaskFailed (sfn linked it to
// the first ParallelStateStarted, 3), and ParallelStateExited (16) to ParallelStateFailed (15).
func TestParallelRetryLinks(t *testing.T) {
	def := `{"StartAt": "P", "States": {
	  "P": {"Type": "Parallel", "Next": "Done",
	    "Branches": [{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
	      "Parameters": {"FunctionName": "f", "Payload": {}}, "End": true}}}],
	    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}],
	    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Fallback"}]},
	  "Fallback": {"Type": "Pass", "End": true},
	  "Done": {"Type": "Pass", "End": true}}}`
	fail := func(context.Context, TaskRequest) TaskResult {
		return TaskResult{Failed: true, Error: "Exception", Cause: "Some exception was raised."}
	}
	res := runDef(t, def, `{"inputData": "dummy"}`, fail)
	want := `1 0 ExecutionStarted
2 0 ParallelStateEntered
3 2 ParallelStateStarted
4 3 TaskStateEntered
5 4 TaskScheduled
6 5 TaskStarted
7 6 TaskFailed
8 7 TaskStateAborted
9 7 ParallelStateStarted
10 9 TaskStateEntered
11 10 TaskScheduled
12 11 TaskStarted
13 12 TaskFailed
14 13 TaskStateAborted
15 13 ParallelStateFailed
16 15 ParallelStateExited
17 16 PassStateEntered
18 17 PassStateExited
19 18 ExecutionSucceeded
`
	if got := historyLines(res.Events); got != want {
		t.Errorf("history\n%s\nwant (AWS's links)\n%s", got, want)
	}

	// A Fail branch retried twice: LocalStack's AWS-validated snapshot test_parallel_state_retry
	// (2023-12-16, not normalised) links each ParallelStateStarted to the FailStateEntered before.
	def = `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "Final",
	  "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Fail", "Error": "FailureType", "Cause": "Cause description"}}}],
	  "Retry": [{"ErrorEquals": ["FailureType"], "MaxAttempts": 2}]},
	  "Final": {"Type": "Pass", "End": true}}}`
	res = runDef(t, def, `{}`, nil)
	want = `1 0 ExecutionStarted
2 0 ParallelStateEntered
3 2 ParallelStateStarted
4 3 FailStateEntered
5 4 ParallelStateStarted
6 5 FailStateEntered
7 6 ParallelStateStarted
8 7 FailStateEntered
9 8 ParallelStateFailed
10 9 ExecutionFailed
`
	if got := historyLines(res.Events); got != want {
		t.Errorf("history\n%s\nwant (AWS's links)\n%s", got, want)
	}
}

// TestMapStartedLength: MapStateStarted's length is the size of the items array; a Map whose
// ItemReader reads the items records 0, batched or not, as AWS does in every recording of one
// (LocalStack's AWS-validated snapshots test_map_item_reader_base_json, _csv_*, _max_items* and
// test_map_item_batching_base_json_max_per_batch_jsonata: "mapStateStartedEventDetails":
// {"length": 0}); sfn recorded the number of items read.
func TestMapStartedLength(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "items.json"), `[{"a": 1}, {"a": 2}, {"a": 3}]`)
	reader := `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
	  "Parameters": {"Bucket": "data", "Key": "items.json"}}`
	inputMap := func(extra string) string {
		return `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemsPath": "$.items"` + extra + `,
		  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
		    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}`
	}
	for _, tc := range []struct {
		name, def string
		want      string
	}{
		{"ItemReader", distributedMap(reader, ""), "0"},
		{"ItemReader and ItemBatcher", distributedMap(reader, `, "ItemBatcher": {"MaxItemsPerBatch": 2}`), "0"},
		{"items from the input", inputMap(""), "3"},
		// No recording: the size of the array, as AWS documents the member.
		{"items from the input, batched", inputMap(`, "ItemBatcher": {"MaxItemsPerBatch": 2}`), "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runS3(t, dir, tc.def, `{"items": [1, 2, 3]}`)
			if res.Status != Succeeded {
				t.Fatalf("%s: %s %s", res.Status, res.Error, res.Cause)
			}
			for _, e := range res.Events {
				if e.Type == "MapStateStarted" {
					if got := fmt.Sprint(e.Details["length"]); got != tc.want {
						t.Errorf("MapStateStarted length %s, want %s", got, tc.want)
					}
					return
				}
			}
			t.Fatal("no MapStateStarted")
		})
	}
}

// TestNormaliseParallel: the harness's port of LocalStack's SfnNoneRecursiveParallelTransformer
// turns sfn's nested-Parallel history into the shape of AWS's normalised recording
// scenarios_parallel/test_base_scenarios__test_parallel_state_nested (ids 1 2 3 [0] 5 [0] [0] 11
// 12: the inner ParallelStateSucceeded and ParallelStateExited and the outer
// ParallelStateSucceeded dropped), and a flat Parallel's into test_parallel_state[PARALLEL_STATE]'s.
func TestNormaliseParallel(t *testing.T) {
	tests := []struct{ name, def, want string }{
		{"nested", `{"StartAt": "L1", "States": {"L1": {"Type": "Parallel", "End": true, "Branches": [
		  {"StartAt": "L2", "States": {"L2": {"Type": "Parallel", "End": true, "Branches": [
		    {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}]}}}`,
			"1 0 ExecutionStarted; 2 0 ParallelStateEntered; 3 2 ParallelStateStarted; [0] ParallelStateEntered; " +
				"5 4 ParallelStateStarted; [0] PassStateEntered; [0] PassStateExited; 11 9 ParallelStateExited; 12 11 ExecutionSucceeded"},
		{"flat", `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
		  {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
		  {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "B2"}, "B2": {"Type": "Pass", "End": true}}}]}}}`,
			"1 0 ExecutionStarted; 2 0 ParallelStateEntered; 3 2 ParallelStateStarted; [0] PassStateEntered; [0] PassStateExited; " +
				"[0] PassStateEntered; [0] PassStateExited; [0] PassStateEntered; [0] PassStateExited; 11 9 ParallelStateExited; 12 11 ExecutionSucceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runDef(t, tc.def, `{}`, nil)
			events, problems := sfnEvents(res.Events)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			var got []string
			for _, e := range normaliseParallel(events) {
				if e.zeroed {
					got = append(got, "[0] "+e.typ)
				} else {
					got = append(got, fmt.Sprintf("%d %d %s", e.id, e.prev, e.typ))
				}
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("normalised\n%s\nwant\n%s", strings.Join(got, "; "), tc.want)
			}
		})
	}
}

// TestRecorderPlaceholders pins the recorder's replacements the harness undoes: an ISO date
// anywhere in a text becomes "date"; a member named like "timestamp" whose value is no ISO date
// becomes "timestamp" (LocalStack's snapshot transformers); a value replaced by its own path.
func TestRecorderPlaceholders(t *testing.T) {
	m := &caseMatcher{}
	for _, tc := range []struct {
		got, want string
		ok        bool
	}{
		{`"2024-11-06T09:42:03Z"`, `"date"`, true},
		{`at 2024-11-06T09:42:03.123+01:00 done`, `at date done`, true},
		{`"2024-13-06T09:42:03Z"`, `"date"`, false}, // no calendar date: the recorder keeps it
		{`"tomorrow"`, `"date"`, false},
		{`update`, `update`, true},
	} {
		if got := m.matchString(tc.got, tc.want); got != tc.ok {
			t.Errorf("matchString(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.ok)
		}
	}
	for _, tc := range []struct {
		key  string
		got  any
		want bool
	}{
		{"TimestampValue", "2016-13-05T21:29:29Z", true},
		{"BatchTimestamp", "2016-12-05 21:29:29Z", true},
		{"TimestampValue", "2016-12-05T21:29:29Z", false}, // an ISO date is recorded as "date"
		{"Value", "not a date", false},
	} {
		if got := recorderTimestamp(tc.key, tc.got, "timestamp"); got != tc.want {
			t.Errorf("recorderTimestamp(%q, %v) = %v, want %v", tc.key, tc.got, got, tc.want)
		}
	}
	hm := &historyMatcher{m: m}
	g, w := mustDecode([]byte(`{"name": "S", "output": "{\"a\":1}"}`)), mustDecode([]byte(`{"name": "S", "output": "stateExitedEventDetails.output"}`))
	if _, d := hm.details(objectOf(t, g), objectOf(t, w), "event 3", "stateExitedEventDetails", false); d != "" {
		t.Errorf("a value replaced by its path: %s", d)
	}
	w = mustDecode([]byte(`{"name": "S", "output": "taskSucceededEventDetails.output"}`))
	if _, d := hm.details(objectOf(t, g), objectOf(t, w), "event 3", "stateExitedEventDetails", false); d == "" {
		t.Error("another member's path matched")
	}
}

// TestDistributedMapExitLink: a distributed Map's MapStateExited follows MapRunStarted, the Map
// first or not. So AWS records it in LocalStack's AWS-validated snapshots since 2024-11-13, e.g.
// test_map_item_reader_base_json_max_items_jsonata (the Map first: MapRunStarted 4,
// MapRunSucceeded 5 4, MapStateSucceeded 6 5, MapStateExited 7 4) and, in ../shared/conformance,
// test_map_state_config_distributed_item_selector_parameters (after a Pass: 9 6). Recordings up
// to 2024-08-19 link it to MapRunSucceeded (listed in conformance-history.txt).
func TestDistributedMapExitLink(t *testing.T) {
	def := `{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
	  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
	    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}`
	res := runDef(t, def, `{"items": [1, 2]}`, nil)
	want := `1 0 ExecutionStarted
2 0 MapStateEntered
3 2 MapStateStarted
4 3 MapRunStarted
5 4 MapRunSucceeded
6 5 MapStateSucceeded
7 4 MapStateExited
8 7 ExecutionSucceeded
`
	if got := historyLines(res.Events); got != want {
		t.Errorf("history\n%s\nwant (AWS's links)\n%s", got, want)
	}
}

// TestHistoryMatcher: the harness's comparison finds each kind of difference, in a recording made
// here from sfn's own history (payloads parsed, as the recorder stores them).
func TestHistoryMatcher(t *testing.T) {
	res := runDef(t, `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": 1}, "End": true}}}`, `{"x": true}`, nil)
	record := func() []map[string]json.RawMessage {
		var out []map[string]json.RawMessage
		for _, e := range res.Events {
			b, _ := json.Marshal(e)
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			m["timestamp"] = json.RawMessage(`"timestamp"`)
			if e.DetailsKey != "" {
				d := map[string]json.RawMessage{}
				_ = json.Unmarshal(m[e.DetailsKey], &d)
				for _, k := range []string{"input", "output"} {
					var text string
					if json.Unmarshal(d[k], &text) == nil {
						d[k] = json.RawMessage(text)
					}
				}
				m[e.DetailsKey], _ = json.Marshal(d)
			}
			out = append(out, m)
		}
		return out
	}
	edit := func(f func(h []map[string]json.RawMessage)) []map[string]json.RawMessage {
		h := record()
		f(h)
		return h
	}
	hm := &historyMatcher{m: &caseMatcher{}}
	if ps := hm.compare(record(), res.Events, false); len(ps) > 0 {
		t.Fatalf("the same history differs: %v", ps)
	}
	for _, tc := range []struct {
		name  string
		rec   []map[string]json.RawMessage
		where string
	}{
		{"previous event", edit(func(h []map[string]json.RawMessage) { h[2]["previousEventId"] = json.RawMessage(`1`) }), "PassStateExited/id"},
		{"missing member", edit(func(h []map[string]json.RawMessage) {
			h[1]["stateEnteredEventDetails"] = json.RawMessage(`{"input": {"x": true}, "inputDetails": {"truncated": false}, "name": "P", "extra": 1}`)
		}), "PassStateEntered/extra"},
		{"unexpected member", edit(func(h []map[string]json.RawMessage) {
			h[1]["stateEnteredEventDetails"] = json.RawMessage(`{"input": {"x": true}, "name": "P"}`)
		}), "PassStateEntered/inputDetails"},
		{"payload", edit(func(h []map[string]json.RawMessage) {
			h[2]["stateExitedEventDetails"] = json.RawMessage(`{"name": "P", "output": {"a": 2}, "outputDetails": {"truncated": false}}`)
		}), "PassStateExited/output"},
		{"no timestamp", edit(func(h []map[string]json.RawMessage) { delete(h[0], "timestamp") }), "ExecutionStarted/timestamp"},
		{"recorded member", edit(func(h []map[string]json.RawMessage) { h[0]["other"] = json.RawMessage(`1`) }), "ExecutionStarted/other"},
		{"types", edit(func(h []map[string]json.RawMessage) { h[2]["type"] = json.RawMessage(`"TaskStateExited"`) }), "history"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := hm.compare(tc.rec, res.Events, false)
			if len(ps) != 1 || ps[0].where != tc.where {
				t.Errorf("problems %v, want one at %s", ps, tc.where)
			}
		})
	}
	// sfn's own timestamps: present and never going back.
	events := append([]Event(nil), res.Events...)
	events[2].Timestamp = events[1].Timestamp.Add(-time.Millisecond)
	if ps := hm.compare(record(), events, false); len(ps) != 1 || ps[0].where != "PassStateExited/timestamp" {
		t.Errorf("a timestamp going back: %v", ps)
	}
}

// TestItemReaderFailedEvents: an ItemReader that fails records the Map's start (length 0), the
// map run's start and failure with the reader's error, then MapStateFailed, as AWS does in
// LocalStack's AWS-validated snapshots test_map_item_reader_json_no_json_list_object and
// test_map_item_reader_csv_headers_decl_duplicate_headers (2023-09-21) and
// test_map_item_reader_csv_max_items_paths[-1] (2024-03-25); sfn recorded ExecutionFailed right
// after MapStateEntered.
func TestItemReaderFailedEvents(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "file.json"), `{"a": 1}`)
	def := distributedMap(`{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
	  "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}}`, "")
	res := runS3(t, dir, def, `{"Bucket": "data", "Key": "file.json"}`)
	want := `1 0 ExecutionStarted
2 0 MapStateEntered
3 2 MapStateStarted
4 3 MapRunStarted
5 4 MapRunFailed
6 5 MapStateFailed
7 6 ExecutionFailed
`
	if got := historyLines(res.Events); got != want {
		t.Fatalf("history\n%s\nwant (AWS's)\n%s", got, want)
	}
	if d := res.Events[2].Details; fmt.Sprint(d["length"]) != "0" {
		t.Errorf("MapStateStarted %v, want length 0", d)
	}
	if d := res.Events[4].Details; d["error"] != "States.ItemReaderFailed" || d["cause"] != res.Cause || res.Cause == "" {
		t.Errorf("MapRunFailed %v, want the execution's error and cause (%s)", d, res.Cause)
	}
}

// TestCSVDuplicateHeaders: CSV headers that repeat a name fail the ItemReader, as AWS does in
// LocalStack's AWS-validated snapshot test_map_item_reader_csv_headers_decl_duplicate_headers
// (States.ItemReaderFailed, "CSV headers cannot contain duplicates."); sfn kept the last column.
func TestCSVDuplicateHeaders(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "given.csv"), "1,2\n")
	writeFile(t, filepath.Join(dir, "data", "first.csv"), "a,b,a\n1,2,3\n")
	for _, tc := range []struct{ name, config, key string }{
		{"given", `"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "x"]`, "given.csv"},
		{"first row", `"CSVHeaderLocation": "FIRST_ROW"`, "first.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := distributedMap(`{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", `+tc.config+`},
			  "Parameters": {"Bucket": "data", "Key": "`+tc.key+`"}}`, "")
			res := runS3(t, dir, def, `{}`)
			if res.Status != Failed || res.Error != "States.ItemReaderFailed" || !strings.HasSuffix(res.Cause, "CSV headers cannot contain duplicates.") {
				t.Errorf("%s %s: %s, want States.ItemReaderFailed: ...CSV headers cannot contain duplicates.", res.Status, res.Error, res.Cause)
			}
		})
	}
}

// TestItemReaderMaxItemsPath: a MaxItemsPath that is no integer fails the execution with
// States.Runtime after MapStateStarted; a negative one fails the map run with
// States.ItemReaderFailed, "field MaxItems must be positive". So AWS in LocalStack's
// AWS-validated snapshots test_map_item_reader_csv_max_items_paths[1.5] and [-1] (2024-03-25);
// sfn failed both with States.Runtime right after MapStateEntered.
func TestItemReaderMaxItemsPath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bucket", "file.csv"), "Col1,Col2\nValue1,Value2\nValue3,Value4\n")
	def := distributedMap(`{"Resource": "arn:aws:states:::s3:getObject",
	  "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItemsPath": "$.MaxItems"},
	  "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}}`, "")
	for _, tc := range []struct {
		max, want, error, cause string
	}{
		{"1.5", "1 0 ExecutionStarted\n2 0 MapStateEntered\n3 2 MapStateStarted\n4 3 ExecutionFailed\n", "States.Runtime",
			`An error occurred while executing the state 'M' (entered at the event id #2). The MaxItemsPath field refers to value "1.5" which is not a valid integer: $.MaxItems`},
		{"-1", "1 0 ExecutionStarted\n2 0 MapStateEntered\n3 2 MapStateStarted\n4 3 MapRunStarted\n5 4 MapRunFailed\n6 5 MapStateFailed\n7 6 ExecutionFailed\n",
			"States.ItemReaderFailed", "field MaxItems must be positive"},
	} {
		t.Run(tc.max, func(t *testing.T) {
			res := runS3(t, dir, def, `{"Bucket": "bucket", "Key": "file.csv", "MaxItems": `+tc.max+`}`)
			if got := historyLines(res.Events); got != tc.want {
				t.Errorf("history\n%s\nwant (AWS's)\n%s", got, tc.want)
			}
			if res.Error != tc.error || res.Cause != tc.cause {
				t.Errorf("%s: %s, want %s: %s", res.Error, res.Cause, tc.error, tc.cause)
			}
		})
	}
}

// TestCSVRowsAsAWS: CSV items as AWS builds them, in LocalStack's AWS-validated snapshots (the
// files are the tests'): fields beyond the headers dropped (test_map_item_reader_csv_headers_
// decl_extra_fields; sfn failed the map run), missing ones "", and members in the iteration order
// of a Java HashMap (test_map_item_reader_csv_headers_first_row_typed_headers,
// test_map_item_reader_csv_first_row_extra_fields; sfn kept the headers' order).
func TestCSVRowsAsAWS(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b", "decl.csv"), "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n")
	writeFile(t, filepath.Join(dir, "b", "typed.csv"), "0,True,{}\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n")
	writeFile(t, filepath.Join(dir, "b", "extra.csv"), "H1,\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n")
	for _, tc := range []struct{ name, config, key, want string }{
		{"declared, extra fields", `"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1"]`, "decl.csv",
			`[{"H1":"Value1"},{"H1":"Value4"},{"H1":""},{"H1":"true"},{"H1":"Null"},{"H1":"   "}]`},
		{"first row, typed headers", `"CSVHeaderLocation": "FIRST_ROW"`, "typed.csv",
			`[{"0":"Value4","{}":"Value6","True":"Value5"},{"0":"","{}":"","True":""},{"0":"true","{}":"'HelloWorld'","True":"1"},{"0":"Null","{}":"","True":"None"},{"0":"   ","{}":"","True":""}]`},
		{"first row, extra fields", `"CSVHeaderLocation": "FIRST_ROW"`, "extra.csv",
			`[{"":"Value5","H1":"Value4"},{"":"","H1":""},{"":"1","H1":"true"},{"":"None","H1":"Null"},{"":"","H1":"   "}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := distributedMap(`{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", `+tc.config+`},
			  "Parameters": {"Bucket": "b", "Key": "`+tc.key+`"}}`, "")
			res := runS3(t, dir, def, `{}`)
			if got := toJSON(res.Output); res.Status != Succeeded || got != tc.want {
				t.Errorf("%s %s %s\n%s\nwant (AWS's)\n%s", res.Status, res.Error, res.Cause, got, tc.want)
			}
		})
	}
}

// TestItemReaderIgnoresItemsPath: beside an ItemReader, ItemsPath is ignored, even one that
// selects nothing: AWS maps over the object's items in LocalStack's AWS-validated snapshots
// test_map_item_reader_base_json_with_items_path[VALID_ITEMS_PATH_FROM_PREVIOUS,
// VALID_ITEMS_PATH_FROM_ITEM_READER, INVALID_ITEMS_PATH] (2025-01-09); sfn applied it to the
// state's input (and failed with States.Runtime on the third).
func TestItemReaderIgnoresItemsPath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b", "file.json"), `[["from-bucket-item-0"]]`)
	for _, itemsPath := range []string{"$.from_previous", "$[0]", "$.no_such_path_in_bucket_result"} {
		t.Run(itemsPath, func(t *testing.T) {
			def := `{"StartAt": "LoadState", "States": {
			  "LoadState": {"Type": "Pass", "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key", "from_previous": ["from-previous-item-0"]}, "Next": "MapState"},
			  "MapState": {"Type": "Map", "MaxConcurrency": 1, "ItemsPath": "` + itemsPath + `",
			    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}, "ReaderConfig": {"InputType": "JSON"}},
			    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
			      "StartAt": "PassState", "States": {"PassState": {"Type": "Pass", "End": true}}}, "End": true}}}`
			res := runS3(t, dir, def, `{"Bucket": "b", "Key": "file.json", "from_input_items": ["input-item-0"]}`)
			if got := toJSON(res.Output); res.Status != Succeeded || got != `[["from-bucket-item-0"]]` {
				t.Errorf("%s %s %s: %s, want (AWS's) [[\"from-bucket-item-0\"]]", res.Status, res.Error, res.Cause, got)
			}
		})
	}
}

// TestTaskCredentialsRecorded: a Task's Credentials appear in its TaskScheduled (or
// LambdaFunctionScheduled) event as "taskCredentials": {"roleArn": ...}, evaluated like the
// task's Parameters or Arguments, on every attempt: so AWS records them in LocalStack's
// AWS-validated snapshots test_credentials_base (test_cross_account_lambda_task,
// _service_lambda_invoke(_retry), _states_start_sync_execution[ROLE_ARN_PATH, _INTRINSIC,
// _JSONATA], 2024-12); sfn recorded no taskCredentials.
func TestTaskCredentialsRecorded(t *testing.T) {
	const role = "arn:aws:iam::111111111111:role/trusted"
	task := func(ql, resource, creds string) string {
		return `{"QueryLanguage": "` + ql + `", "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "` + resource + `",
		  "Credentials": ` + creds + `, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}], "End": true}}}`
	}
	for _, tc := range []struct{ name, def, scheduled string }{
		{"JSONata, lambda:invoke", task("JSONata", "arn:aws:states:::lambda:invoke", `{"RoleArn": "{% $states.input.CredentialsRoleArn %}"}`), "TaskScheduled"},
		{"JSONata, a Lambda function", task("JSONata", "arn:aws:lambda:us-east-1:111111111111:function:f", `{"RoleArn": "{% $states.input.CredentialsRoleArn %}"}`), "LambdaFunctionScheduled"},
		{"path", task("JSONPath", "arn:aws:states:::states:startExecution.sync", `{"RoleArn.$": "$.CredentialsRoleArn"}`), "TaskScheduled"},
		{"intrinsic", task("JSONPath", "arn:aws:states:::states:startExecution.sync", `{"RoleArn.$": "States.Format('{}', $.CredentialsRoleArn)"}`), "TaskScheduled"},
		{"literal", task("JSONPath", "arn:aws:states:::lambda:invoke", `{"RoleArn": "`+role+`"}`), "TaskScheduled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			fail := func(context.Context, TaskRequest) TaskResult {
				calls++
				return TaskResult{Failed: true, Error: "Boom"}
			}
			res := runDef(t, tc.def, `{"CredentialsRoleArn": "`+role+`"}`, fail)
			n := 0
			for _, e := range res.Events {
				if e.Type != tc.scheduled {
					continue
				}
				n++
				if got := toJSON(e.Details["taskCredentials"]); got != `{"roleArn":"`+role+`"}` {
					t.Errorf("%s taskCredentials %s", e.Type, got)
				}
			}
			if n != 2 || calls != 2 {
				t.Errorf("%d %s events, %d calls, want 2 (a retry)", n, tc.scheduled, calls)
			}
		})
	}
	// Without Credentials, no member.
	res := runDef(t, `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}`, `{}`,
		func(context.Context, TaskRequest) TaskResult { return TaskResult{Output: value.NewObject(0)} })
	for _, e := range res.Events {
		if _, ok := e.Details["taskCredentials"]; ok {
			t.Errorf("%s records taskCredentials without Credentials", e.Type)
		}
	}
}
