package run

import (
	"context"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// A JSONPath whose cost multiplies (recursive descent after recursive descent over a deep
// document) fails the state with States.Runtime naming the limit, not "could not be found".
func TestPathLimitCause(t *testing.T) {
	def := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$..*..*..*"}, "End": true}}}`
	input := strings.Repeat(`{"a":`, 300) + "1" + strings.Repeat("}", 300)
	r, err := New(machine(t, def), Options{Clock: NewVirtualClock(start())})
	if err != nil {
		t.Fatal(err)
	}
	in, err := load.DecodeJSON([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	res := r.Start(context.Background(), in)
	if res.Status != Failed || res.Error != "States.Runtime" || !strings.Contains(res.Cause, "exceeded") || strings.Contains(res.Cause, "could not be found") {
		t.Fatalf("%s %s %.200s", res.Status, res.Error, res.Cause)
	}
}
