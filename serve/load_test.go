package serve

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfn-tool/sfn/run/handler"
)

// startMany starts n executions of arn concurrently through the API and returns their ARNs.
func (ts *testServer) startMany(tb testing.TB, arn, input string, n int) []string {
	arns := make([]string, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := ts.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(arn),
				Name: aws.String(fmt.Sprintf("e%05d", i)), Input: aws.String(input)})
			if err != nil {
				errs <- err
				return
			}
			arns[i] = *out.ExecutionArn
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	return arns
}

// waitAll polls ListExecutions until no execution of arn runs, and returns the count by status.
func (ts *testServer) waitAll(tb testing.TB, arn string) map[string]int {
	for {
		l, err := ts.client.ListExecutions(context.Background(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), StatusFilter: "RUNNING", MaxResults: 1})
		if err != nil {
			tb.Fatal(err)
		}
		if len(l.Executions) == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	counts := map[string]int{}
	p := sfn.NewListExecutionsPaginator(ts.client, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn), MaxResults: 1000})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range page.Executions {
			counts[string(e.Status)]++
		}
	}
	return counts
}

// loadDef waits a second on the real clock, so that every execution runs at the same time.
const loadDef = `{"StartAt": "Prepare", "States": {
  "Prepare": {"Type": "Pass", "Parameters": {"id.$": "$.id", "at.$": "$$.Execution.StartTime"}, "Next": "Wait"},
  "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.id", "IsPresent": true, "Next": "Done"}], "Default": "Lost"},
  "Lost": {"Type": "Fail", "Error": "Lost"},
  "Done": {"Type": "Succeed"}}}`

// 1,000 executions started concurrently through the API all succeed, each with its history; no
// goroutine is left behind (goleak in TestMain).
func TestThousandConcurrentExecutions(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	ts := newTestServer(t, Options{})
	ts.http.Transport.(bufferedBody).rt.(*http.Transport).MaxIdleConnsPerHost = 100
	arn := ts.create("Load", loadDef, "")
	ts.startMany(t, arn, `{"id": 1}`, 1000)
	if counts := ts.waitAll(t, arn); counts["SUCCEEDED"] != 1000 {
		t.Fatalf("statuses %v", counts)
	}
	h, err := ts.client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:Load:e00999")})
	if err != nil || len(h.Events) != 10 {
		t.Errorf("history of the last: %d events, %v", len(h.Events), err)
	}
}

// BenchmarkMockedExecutions runs the order-processing sample with its HappyPath mocks (virtual
// clock, 31 events each) b.N times through the API, all started at once, and reports
// executions per second and the process's peak resident memory.
func BenchmarkMockedExecutions(b *testing.B) {
	mc, err := handler.LoadMockConfig("../samples/order-processing/MockConfigFile.json")
	if err != nil {
		b.Fatal(err)
	}
	ts := newTestServerTB(b, Options{Mock: mc, Clock: "virtual"})
	ts.http.Transport.(bufferedBody).rt.(*http.Transport).MaxIdleConnsPerHost = 100
	def, _ := os.ReadFile("../samples/order-processing/order-processing.asl.json")
	input, _ := os.ReadFile("../samples/order-processing/input.json")
	arn := ts.create("OrderProcessing", string(def), "")
	b.ResetTimer()
	start := time.Now()
	ts.startMany(b, arn+"#HappyPath", string(input), b.N)
	counts := ts.waitAll(b, arn)
	elapsed := time.Since(start)
	b.StopTimer()
	if counts["SUCCEEDED"] != b.N {
		b.Fatalf("statuses %v", counts)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "executions/s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}

// peakRSS is the process's peak resident set (VmHWM), in bytes (0 where /proc is absent).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkRunDirect runs the same mocked execution as BenchmarkMockedExecutions in process, as
// sfn run does, without the API: the cost the server adds is the difference.
func BenchmarkRunDirect(b *testing.B) {
	mc, err := handler.LoadMockConfig("../samples/order-processing/MockConfigFile.json")
	if err != nil {
		b.Fatal(err)
	}
	def, _ := os.ReadFile("../samples/order-processing/order-processing.asl.json")
	input, _ := os.ReadFile("../samples/order-processing/input.json")
	s := mustNew(b, Options{Mock: mc, Clock: "virtual"})
	defer s.Shutdown(context.Background())
	body := fmt.Sprintf(`{"name": "OrderProcessing", "definition": %q, "roleArn": %q}`, def, roleArn)
	if _, e := s.call(actions["CreateStateMachine"], context.Background(), []byte(body)); e != nil {
		b.Fatal(e)
	}
	b.ResetTimer()
	for i := range b.N {
		req := fmt.Sprintf(`{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:OrderProcessing#HappyPath", "name": "d%d", "input": %q}`, i, input)
		resp, e := s.call(actions["StartExecution"], context.Background(), []byte(req))
		if e != nil {
			b.Fatal(e)
		}
		rec := s.store.execs[resp.(map[string]any)["executionArn"].(string)]
		<-rec.done
	}
}
