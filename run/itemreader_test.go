package run

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

func writeFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runS3(t *testing.T, dir, def, input string) *Result {
	t.Helper()
	r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start()), ExecutionName: "e1", S3Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := load.DecodeJSON([]byte(input))
	return r.Start(context.Background(), in)
}

func distributedMap(reader, extra string) string {
	return `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Label": "Lines",
	  "ItemReader": ` + reader + extra + `,
	  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
	    "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}`
}

func TestItemReader(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "in/items.json"), `[{"a": 1}, {"a": 2}, {"a": 3}]`)
	writeFile(t, filepath.Join(dir, "data", "in/items.jsonl"), "{\"a\": 1}\n\n{\"a\": 2}\n")
	writeFile(t, filepath.Join(dir, "data", "in/rows.csv"), "name,qty\nbolt,3\n\"nut, hex\",5\n")
	writeFile(t, filepath.Join(dir, "data", "in/rows.psv"), "bolt|3\nnut|5\n")
	for _, c := range []struct{ name, reader, input, want string }{
		{"json", `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
		  "Parameters": {"Bucket": "data", "Key.$": "$.key"}}`, `{"key": "in/items.json"}`, `[{"a":1},{"a":2},{"a":3}]`},
		{"max items", `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.n"},
		  "Parameters": {"Bucket": "data", "Key": "in/items.json"}}`, `{"n": 2}`, `[{"a":1},{"a":2}]`},
		{"jsonl", `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
		  "Parameters": {"Bucket": "data", "Key": "in/items.jsonl"}}`, `{}`, `[{"a":1},{"a":2}]`},
		{"csv first row", `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
		  "Parameters": {"Bucket": "data", "Key": "in/rows.csv"}}`, `{}`, `[{"qty":"3","name":"bolt"},{"qty":"5","name":"nut, hex"}]`}, // AWS's (Java HashMap) member order
		{"csv given, s3 url", `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN",
		  "CSVHeaders": ["part", "n"], "CSVDelimiter": "PIPE"}, "Parameters": {"Bucket": "s3://data/in", "Key": "rows.psv"}}`, `{}`, `[{"part":"bolt","n":"3"},{"part":"nut","n":"5"}]`},
		{"arn", `{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
		  "Parameters": {"Bucket": "data", "Key": "arn:aws:s3:::data/in/items.jsonl"}}`, `{}`, `[{"a":1},{"a":2}]`},
	} {
		res := runS3(t, dir, distributedMap(c.reader, ""), c.input)
		if got := toJSON(res.Output); res.Status != Succeeded || got != c.want {
			t.Errorf("%s: %s %s %s: %s", c.name, res.Status, res.Error, res.Cause, got)
		}
	}
	res := runS3(t, dir, distributedMap(`{"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "in/items"}}`, ""), `{}`)
	var keys []string
	for _, o := range res.Output.([]any) {
		keys = append(keys, get(o.(*value.Object), "Key").(string))
	}
	if res.Status != Succeeded || strings.Join(keys, ",") != "in/items.json,in/items.jsonl" {
		t.Errorf("listObjectsV2: %s %s %v", res.Status, res.Cause, keys)
	}
	res = runS3(t, dir, distributedMap(`{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
	  "Parameters": {"Bucket": "data", "Key": "missing.json"}}`, ""), `{}`)
	if res.Status != Failed || res.Error != "States.ItemReaderFailed" || !strings.Contains(res.Cause, "missing.json") {
		t.Errorf("missing object: %s %s %s", res.Status, res.Error, res.Cause)
	}
}

func TestItemBatcherAndResultWriter(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "data", "items.json"), `[1, 2, 3, 4, 5]`)
	def := `{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Label": "Batches", "ToleratedFailureCount": 5,
	  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "data", "Key": "items.json"}},
	  "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"job.$": "$.job"}},
	  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},
	  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
	    "StartAt": "C", "States": {
	      "C": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 5, "Next": "F"}], "Default": "P"},
	      "F": {"Type": "Fail", "Error": "Odd", "Cause": "last batch"},
	      "P": {"Type": "Pass", "End": true}}}}}}`
	res := runS3(t, dir, def, `{"job": "j1"}`)
	if res.Status != Succeeded {
		t.Fatalf("%s %s %s", res.Status, res.Error, res.Cause)
	}
	out := res.Output.(*value.Object)
	key := get(get(out, "ResultWriterDetails").(*value.Object), "Key").(string)
	if !strings.HasPrefix(key, "runs/") || !strings.HasSuffix(key, "/manifest.json") || !strings.Contains(get(out, "MapRunArn").(string), ":mapRun:StateMachine/Batches:") {
		t.Fatalf("output %s", toJSON(res.Output))
	}
	var manifest struct {
		DestinationBucket string
		ResultFiles       map[string][]struct{ Key string }
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", key))
	if err != nil || json.Unmarshal(b, &manifest) != nil {
		t.Fatalf("manifest: %v %s", err, b)
	}
	if manifest.DestinationBucket != "out" || len(manifest.ResultFiles["SUCCEEDED"]) != 1 || len(manifest.ResultFiles["FAILED"]) != 1 {
		t.Fatalf("manifest %s", b)
	}
	var ok, failed []map[string]any
	b1, _ := os.ReadFile(filepath.Join(dir, "out", manifest.ResultFiles["SUCCEEDED"][0].Key))
	b2, _ := os.ReadFile(filepath.Join(dir, "out", manifest.ResultFiles["FAILED"][0].Key))
	if json.Unmarshal(b1, &ok) != nil || json.Unmarshal(b2, &failed) != nil || len(ok) != 2 || len(failed) != 1 {
		t.Fatalf("results\n%s\n%s", b1, b2)
	}
	if ok[0]["Input"] != `{"BatchInput":{"job":"j1"},"Items":[1,2]}` || ok[0]["Status"] != "SUCCEEDED" || ok[1]["Output"] != `{"BatchInput":{"job":"j1"},"Items":[3,4]}` {
		t.Fatalf("succeeded %s", b1)
	}
	if failed[0]["Error"] != "Odd" || failed[0]["Cause"] != "last batch" || failed[0]["Status"] != "FAILED" {
		t.Fatalf("failed %s", b2)
	}
}
