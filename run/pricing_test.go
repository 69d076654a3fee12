package run

import (
	"strings"
	"testing"
	"time"
)

// TestEstimateCost pins the arithmetic of the estimate, including AWS's own worked example of
// Express pricing (aws.amazon.com/step-functions/pricing, example 3: 100 million executions a month
// of 10 s at 64 MB cost $100.00 of requests and $382.97 of duration).
func TestEstimateCost(t *testing.T) {
	tests := []struct {
		name                  string
		sum                   Summary
		opts                  CostOptions
		perExecution, monthly string
	}{
		{"standard, in the free tier", Summary{StatesEntered: 12, Retries: 2, Transitions: 14},
			CostOptions{}, "0.00035", "0.00"},
		{"standard, Paris, 100,000 a month", Summary{StatesEntered: 11, Transitions: 11},
			CostOptions{Region: "eu-west-3", ExecutionsPerMonth: 100000}, "0.0003267", "32.55"},
		{"standard, distributed Map children", Summary{StatesEntered: 3, Transitions: 3, ChildTransitions: 2000},
			CostOptions{ExecutionsPerMonth: 2}, "0.050075", "0.00"},
		{"express, rounded up to 100 ms and 128 MB", Summary{Duration: 1234 * time.Millisecond},
			CostOptions{Type: Express, ExpressMemoryMB: 100, ExecutionsPerMonth: 10_000_000}, "0.00000371", "37.08"},
		{"express, second tier", Summary{Duration: 1234 * time.Millisecond},
			CostOptions{Type: Express, ExpressMemoryMB: 100, ExecutionsPerMonth: 100_000_000}, "0.00000371", "265.42"},
		{"express, AWS's example 3", Summary{Duration: 10 * time.Second},
			CostOptions{Type: Express, ExpressMemoryMB: 64, ExecutionsPerMonth: 100_000_000}, "0.00001142", "482.97"},
		{"express, memory estimated", Summary{Duration: 50 * time.Millisecond, MaxBranchPayload: 2000,
			FanOut: []*FanOut{{Type: "Map", Iterations: 10000}}},
			CostOptions{Type: Express, DefinitionBytes: 1000}, "0.00000121", "0.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := EstimateCost(&tc.sum, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := USD(c.PerExecution); got != tc.perExecution {
				t.Errorf("per execution $%s, want $%s\n%s", got, tc.perExecution, strings.Join(c.Steps, "\n"))
			}
			if got := Cents(c.Monthly); got != tc.monthly {
				t.Errorf("monthly $%s, want $%s\n%s", got, tc.monthly, strings.Join(c.Steps, "\n"))
			}
		})
	}
	if _, err := EstimateCost(&Summary{}, CostOptions{Region: "mars-1"}); err == nil || !strings.Contains(err.Error(), "us-east-1") {
		t.Errorf("unknown region: %v", err)
	}
}
