package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/cli"
	"github.com/sfn-tool/sfn/internal/testshared"
)

// runSfn runs sfn in process from the repository root.
func runSfn(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if _, err := os.Stat("go.mod"); err != nil {
		t.Chdir(repoRoot) // once per test: the path is relative
	}
	var out, errb bytes.Buffer
	code = cli.Run(args, nil, &out, &errb)
	return code, out.String(), errb.String()
}

// TestRunSummaryCost pins what the README works out by hand: the summary and the cost of
// samples/order-processing, and of ../shared/bench/map_inline (skipped when absent).
func TestRunSummaryCost(t *testing.T) {
	order := []string{"run", "samples/order-processing/order-processing.asl.json", "--input", "samples/order-processing/input.json",
		"--clock", "virtual", "--start-time", "2026-01-01T00:00:00Z", "--history", "none"}
	mapInline := []string{"run", "../shared/bench/map_inline.asl.json", "--input", "../shared/bench/map_inline.input.json",
		"--clock", "virtual", "--history", "none", "--no-payload-limit", "--no-event-limit"}
	tests := []struct {
		name   string
		args   []string
		shared bool
		want   []string
	}{
		{"order-processing, Standard", append(order, "--summary", "--cost", "--executions-per-month", "100000"), false, []string{
			"11 states entered, 0 retries, 11 state transitions billed",
			"11 transitions per execution (11 states entered + 0 retries) x $0.025 / 1,000 = $0.000275",
			"1100000 transitions, minus 4,000 free = 1096000 x $0.025 / 1,000 = $27.40"}},
		{"order-processing, Express", append(order, "--cost", "--type", "EXPRESS", "--executions-per-month", "100000"), false, []string{
			"duration 0s, billed 100ms",
			"memory billed 64 MB (estimated: 50 MB + 3491 bytes of definition + 920 bytes of largest payload, in 64 MB chunks)",
			"1 request x $1.00 / 1,000,000 + 0.1 s x 64 MB / 1024 = 0.006250 GB-s x $0.06 / 3,600 = $0.0000011",
			"per month: 100000 requests + 0.1736 GB-hours", "= $0.11"}},
		{"map_inline, Standard", append(mapInline, "--cost", "--executions-per-month", "1000"), true, []string{
			"30002 states entered, 0 retries, 30002 state transitions billed",
			`Fan-out: Map "Fanout": 1 run, 10000 iterations`,
			"30002 transitions per execution (30002 states entered + 0 retries) x $0.025 / 1,000 = $0.75005",
			"1000 executions x 30002 = 30002000 transitions, minus 4,000 free = 29998000 x $0.025 / 1,000 = $749.95"}},
		{"map_inline, Express", append(mapInline, "--cost", "--type", "EXPRESS", "--executions-per-month", "1000"), true, []string{
			"memory billed 64 MB (estimated: 50 MB + 893 bytes of definition + 47 bytes of largest branch or iteration input x 10000 Map/Parallel steps",
			"0.1 s x 64 MB / 1024 = 0.006250 GB-s x $0.06 / 3,600 = $0.0000011", "= $0.00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.shared {
				if _, err := os.Stat("../../../shared/bench/map_inline.asl.json"); err != nil {
					testshared.Skip(t, "bench", "../../../shared/bench")
				}
			}
			code, _, stderr := runSfn(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestRunSummaryJSON checks the JSON summary's shape and the usage errors of the flags.
func TestRunSummaryJSON(t *testing.T) {
	code, _, stderr := runSfn(t, "run", "samples/order-processing/order-processing.asl.json", "--input", "samples/order-processing/input.json",
		"--clock", "virtual", "--history", "none", "--summary=json", "--cost", "--region", "eu-west-3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	i := strings.Index("\n"+stderr, "\n{") // the JSON document starts a line
	if i < 0 {
		t.Fatalf("no JSON on stderr:\n%s", stderr)
	}
	var doc struct {
		Status      string `json:"status"`
		Transitions int    `json:"transitions"`
		States      []struct {
			Name    string `json:"name"`
			Entered int    `json:"entered"`
		} `json:"states"`
		SlowestPath []struct{ State string } `json:"slowestPath"`
		Cost        struct {
			Region          string `json:"region"`
			PerExecutionUSD string `json:"perExecutionUSD"`
		} `json:"cost"`
	}
	if err := json.NewDecoder(strings.NewReader(stderr[i:])).Decode(&doc); err != nil {
		t.Fatalf("%v:\n%s", err, stderr)
	}
	if doc.Status != "SUCCEEDED" || doc.Transitions != 11 || len(doc.States) != 11 || len(doc.SlowestPath) != 11 ||
		doc.Cost.Region != "eu-west-3" || doc.Cost.PerExecutionUSD != "0.0003267" {
		t.Errorf("summary %+v", doc)
	}
	for _, args := range [][]string{{"--summary=xml"}, {"--cost", "--region", "mars-1"}, {"--cost", "--executions-per-month", "0"}} {
		code, _, stderr := runSfn(t, append([]string{"run", "samples/order-processing/order-processing.asl.json", "--clock", "virtual"}, args...)...)
		if code != 2 || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, want 2:\n%s", args, code, stderr)
		}
	}
}

// TestGraphStats draws the history of a run with --highlight --stats: the states carry their
// entries; --stats alone is a usage error.
func TestGraphStats(t *testing.T) {
	hist := t.TempDir() + "/h.json"
	code, _, stderr := runSfn(t, "run", "samples/order-processing/order-processing.asl.json", "--input", "samples/order-processing/input.json",
		"--clock", "virtual", "--history", "none", "--history-file", hist)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, out, stderr := runSfn(t, "graph", "samples/order-processing/order-processing.asl.json", "--highlight", hist, "--stats", "-f", "mermaid")
	if code != 0 || strings.Count(out, "entered ×1") != 11 {
		t.Errorf("graph: exit %d, %d states with stats, want 11:\n%s%s", code, strings.Count(out, "entered ×1"), out, stderr)
	}
	if code, _, _ := runSfn(t, "graph", "samples/order-processing/order-processing.asl.json", "--stats"); code != 2 {
		t.Errorf("--stats without --highlight: exit %d, want 2", code)
	}
}

// TestRulesAdvice: sfn rules says how an advice rule is turned on, and sfn validate runs it only
// with --advice.
func TestRulesAdvice(t *testing.T) {
	code, out, _ := runSfn(t, "rules", "task-timeout-missing")
	if code != 0 || !strings.Contains(out, "Category: advice (runs with --advice") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	dir := t.TempDir()
	def := dir + "/m.asl.json"
	if err := os.WriteFile(def, []byte(`{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:a", "HeartbeatSeconds": 5, "End": true}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runSfn(t, "validate", "--no-config", def); code != 0 || strings.Contains(out, "task-timeout-missing") {
		t.Errorf("without --advice: exit %d\n%s", code, out)
	}
	if code, out, _ := runSfn(t, "validate", "--no-config", "--advice", def); code != 0 || !strings.Contains(out, "[task-timeout-missing]") {
		t.Errorf("with --advice: exit %d\n%s", code, out)
	}
	if code, _, _ := runSfn(t, "validate", "--no-config", "--advice", "--strict", def); code != 1 {
		t.Errorf("--advice --strict: exit %d, want 1", code)
	}
}
