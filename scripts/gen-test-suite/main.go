// Command gen-test-suite writes a benchmark suite for sfn test: N machines (default 10), each with a
// test file of M cases (default 100) using inline mocks (numbered responses, Throw), Choices,
// Retry and Catch, a Map and a Parallel, and expectations of every common kind.
//
//	go run ./scripts/gen-test-suite -dir /tmp/suite && time sfn test /tmp/suite
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const machine = `{
  "Comment": "gen-test-suite machine %d",
  "StartAt": "Load",
  "States": {
    "Load": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "load-%d", "Payload.$": "$"},
      "ResultSelector": {"items.$": "$.Payload.items", "kind.$": "$.Payload.kind"},
      "ResultPath": "$.loaded",
      "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 2}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
      "Next": "Kind?"},
    "Kind?": {"Type": "Choice", "Choices": [
        {"Variable": "$.loaded.kind", "StringEquals": "batch", "Next": "Each"},
        {"Variable": "$.loaded.kind", "StringEquals": "pair", "Next": "Both"}],
      "Default": "Single"},
    "Each": {"Type": "Map", "ItemsPath": "$.loaded.items", "ResultPath": "$.done",
      "ItemProcessor": {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:work-%d", "End": true}}},
      "Next": "Done"},
    "Both": {"Type": "Parallel", "ResultPath": "$.done", "Branches": [
        {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "Result": "L", "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Result": "R", "End": true}}}],
      "Next": "Done"},
    "Single": {"Type": "Pass", "Parameters": {"only.$": "$.loaded.items[0]"}, "ResultPath": "$.done", "Next": "Done"},
    "Done": {"Type": "Succeed"},
    "Failed": {"Type": "Fail", "Error": "LoadFailed", "Cause": "the load failed"}
  }
}
`

func main() {
	dir := flag.String("dir", "gen-test-suite", "directory to write into (created)")
	machines := flag.Int("machines", 10, "machines")
	cases := flag.Int("cases", 100, "cases per machine")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for m := range *machines {
		name := fmt.Sprintf("m%02d", m)
		if err := os.WriteFile(filepath.Join(*dir, name+".asl.json"), []byte(fmt.Sprintf(machine, m, m, m)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "machine: %s.asl.json\ncases:\n", name)
		for c := range *cases {
			fmt.Fprintf(&b, "  - name: case %d\n    input: {id: %d}\n", c, c)
			switch c % 5 {
			case 0: // batch: a Map of three items
				b.WriteString("    mocks:\n      Load: {Return: {Payload: {kind: batch, items: [1, 2, 3]}}}\n      Work: {Return: {ok: true}}\n")
				b.WriteString("    expect:\n      status: SUCCEEDED\n      counts: {Work: 3}\n      output-contains: {done: [{ok: true}, {ok: true}, {ok: true}]}\n")
			case 1: // pair: a Parallel
				b.WriteString("    mocks:\n      Load: {Return: {Payload: {kind: pair, items: []}}}\n")
				b.WriteString("    expect:\n      path: [Load, Kind?, Both, Left, Right, Done]\n      output-contains: {done: [L, R]}\n")
			case 2: // single, after a retry
				b.WriteString("    mocks:\n      Load:\n        \"0\": {Throw: {Error: Busy, Cause: later}}\n        \"1\": {Return: {Payload: {kind: one, items: [7]}}}\n")
				b.WriteString("    expect:\n      states:\n        Load: {retries: 1}\n        Single: {output-contains: {done: {only: 7}}}\n")
			case 3: // caught failure
				b.WriteString("    mocks:\n      Load: {Throw: {Error: Broken, Cause: disk}}\n")
				b.WriteString("    expect:\n      error: LoadFailed\n      cause: /failed/\n      path-contains: [Load, Failed]\n")
			default: // retries exhausted, with an assertion
				b.WriteString("    mocks:\n      Load: {Throw: {Error: Busy, Cause: always}}\n")
				fmt.Fprintf(&b, "    expect:\n      status: FAILED\n      assert: [\"{%% $states[name = 'Load'].retries = 2 and $input.id = %d %%}\"]\n", c)
			}
		}
		if err := os.WriteFile(filepath.Join(*dir, name+".sfn-test.yaml"), []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
