package run

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// pathShown is how many steps of the slowest path the text summary shows at each end.
const pathShown = 6

// WriteSummaryText writes a summary (and a cost estimate, when cost is not nil) as a table for
// people. clock names the kind of time measured: "virtual" or "real".
func WriteSummaryText(w io.Writer, s *Summary, cost *Cost, clock string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Summary: %s in %v (%s time): %d states entered, %d retries, %d state transitions billed, %d errors caught\n",
		s.Status, s.Duration, clock, s.StatesEntered, s.Retries, s.Transitions, s.ErrorsCaught)
	if s.ChildTransitions > 0 {
		fmt.Fprintf(&b, "  + %d states entered by distributed Map child executions (not in the history; each child is billed as an execution)\n", s.ChildTransitions)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  state\ttype\tentered\tretries\tfailures\tcaught\ttime\tmax")
	for _, st := range s.States {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%d\t%v\t%v\n", safetext.Escape(st.Name), safetext.Escape(st.Type),
			st.Entered, st.Retries, st.Failures, st.ErrorsCaught, st.Time, st.Max)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range s.FanOut {
		fmt.Fprintf(&b, "Fan-out: %s %q: %s\n", f.Type, safetext.Escape(f.State), fanText(f))
	}
	if len(s.SlowestPath) > 0 {
		fmt.Fprintf(&b, "Slowest path: %s\n", pathText(s))
	}
	if cost != nil {
		fmt.Fprintf(&b, "Cost estimate (%s, %s; prices of %s from %s):\n", cost.Type, cost.Region, PricingDate, PricingSource)
		for _, step := range cost.Steps {
			fmt.Fprintf(&b, "  %s\n", step)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fanText(f *FanOut) string {
	parts := []string{plural(f.Runs, "run")}
	if f.Type == "Parallel" {
		parts = append(parts, plural(f.Branches, "branch"))
	} else if f.Distributed {
		parts = append(parts, "distributed (child executions not in the history)")
	} else {
		parts = append(parts, plural(f.Iterations, "iteration"), fmt.Sprintf("at most %d at once", f.MaxConcurrent))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "ch") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// pathText shows the slowest path, eliding its middle when it is long.
func pathText(s *Summary) string {
	step := func(p PathStep) string { return fmt.Sprintf("%s (%v)", safetext.Escape(p.State), p.Time) }
	var parts []string
	path := s.SlowestPath
	omitted := s.PathOmitted
	if len(path) > 2*pathShown {
		for _, p := range path[:pathShown] {
			parts = append(parts, step(p))
		}
		omitted += len(path) - 2*pathShown
		parts = append(parts, fmt.Sprintf("... %d more ...", omitted))
		path = path[len(path)-pathShown:]
	} else if omitted > 0 {
		parts = append(parts, fmt.Sprintf("... %d earlier ...", omitted))
	}
	for _, p := range path {
		parts = append(parts, step(p))
	}
	return strings.Join(parts, " > ")
}

// summaryJSON is the JSON shape of a summary: durations in milliseconds.
type summaryJSON struct {
	*Summary
	DurationMs float64     `json:"durationMs"`
	Clock      string      `json:"clock"`
	States     []stateJSON `json:"states"`
	Path       []pathJSON  `json:"slowestPath"`
	Cost       *costJSON   `json:"cost,omitempty"`
}

type stateJSON struct {
	*StateSummary
	TimeMs float64 `json:"timeMs"`
	MaxMs  float64 `json:"maxMs"`
}

type pathJSON struct {
	State  string  `json:"state"`
	TimeMs float64 `json:"timeMs"`
}

type costJSON struct {
	Type               string   `json:"type"`
	Region             string   `json:"region"`
	ExecutionsPerMonth int64    `json:"executionsPerMonth"`
	Transitions        int      `json:"transitions,omitempty"`
	BilledDurationMs   int64    `json:"billedDurationMs,omitempty"`
	BilledMemoryMB     int      `json:"billedMemoryMB,omitempty"`
	MemoryEstimate     bool     `json:"memoryEstimated,omitempty"`
	GBSeconds          string   `json:"gbSeconds,omitempty"`
	PerExecutionUSD    string   `json:"perExecutionUSD"`
	MonthlyUSD         string   `json:"monthlyUSD"`
	Steps              []string `json:"steps"`
	PricesFrom         string   `json:"pricesFrom"`
	PricesDate         string   `json:"pricesDate"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// WriteSummaryJSON writes a summary (and a cost estimate, when cost is not nil) as one JSON
// document; durations are in milliseconds, amounts in USD as decimal strings.
func WriteSummaryJSON(w io.Writer, s *Summary, cost *Cost, clock string) error {
	out := summaryJSON{Summary: s, DurationMs: ms(s.Duration), Clock: clock, States: []stateJSON{}, Path: []pathJSON{}}
	for _, st := range s.States {
		out.States = append(out.States, stateJSON{st, ms(st.Time), ms(st.Max)})
	}
	for _, p := range s.SlowestPath {
		out.Path = append(out.Path, pathJSON{p.State, ms(p.Time)})
	}
	if cost != nil {
		cj := &costJSON{Type: cost.Type, Region: cost.Region, ExecutionsPerMonth: cost.ExecutionsPerMonth, Transitions: cost.Transitions,
			BilledMemoryMB: cost.BilledMemoryMB, MemoryEstimate: cost.MemoryEstimate, PerExecutionUSD: USD(cost.PerExecution),
			MonthlyUSD: Cents(cost.Monthly), Steps: cost.Steps, PricesFrom: PricingSource, PricesDate: PricingDate}
		if cost.Type == Express {
			cj.BilledDurationMs = int64(cost.BilledDuration / time.Millisecond)
			cj.GBSeconds = cost.GBSeconds.FloatString(6)
		}
		out.Cost = cj
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
