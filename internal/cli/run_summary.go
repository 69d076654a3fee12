package cli

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/run"
)

// summaryFlags are sfn run's flags for the run summary and the cost estimate.
type summaryFlags struct {
	format             string // "", text or json
	cost               bool
	executionsPerMonth int64
	expressMemory      int
	region             string
}

func (s *summaryFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&s.format, "summary", "", "after the run, print on standard error a summary per state (entries, time, retries, errors caught), the transitions AWS bills, Map/Parallel fan-out and the slowest path (--summary=json for JSON)")
	fl.Lookup("summary").NoOptDefVal = "text"
	fl.BoolVar(&s.cost, "cost", false, "with the summary, estimate what such executions cost on AWS (Standard: per state transition; Express: requests and GB-seconds)")
	fl.Int64Var(&s.executionsPerMonth, "executions-per-month", 1, "with --cost: executions a month, to scale the estimate (free tier and Express duration tiers applied)")
	fl.IntVar(&s.expressMemory, "express-memory", 0, "with --cost for EXPRESS: memory an execution uses in MB (default: AWS's estimate from the definition, payloads and fan-out), billed in 64 MB chunks")
	fl.StringVar(&s.region, "region", "", "region of the execution's ARNs and of the prices (default us-east-1)")
}

// start checks the flags and, when a summary is wanted, feeds a Summarizer from the run's events
// (the history is then recorded even with --history none).
func (s *summaryFlags) start(opts *run.Options) (*run.Summarizer, error) {
	if s.region != "" {
		opts.Region = s.region
	}
	switch s.format {
	case "":
		if s.cost {
			s.format = "text"
		} else {
			return nil, nil
		}
	case "text", "json":
	default:
		return nil, usageErr("unknown --summary %q (want text or json)", s.format)
	}
	if s.executionsPerMonth < 1 || s.expressMemory < 0 {
		return nil, usageErr("--executions-per-month must be at least 1 and --express-memory at least 0")
	}
	if s.cost {
		if _, err := run.EstimateCost(&run.Summary{}, run.CostOptions{Region: s.region}); err != nil {
			return nil, usageErr("%v", err)
		}
	}
	sum := run.NewSummarizer()
	opts.NoHistory = false
	opts.OnEvent = sum.Tee(opts.OnEvent)
	return sum, nil
}

// write prints the summary (and the cost estimate) of a finished run.
func (s *summaryFlags) write(w io.Writer, sum *run.Summarizer, res *run.Result, m *asl.Machine, typ, clock string) error {
	if sum == nil || res == nil {
		return nil
	}
	summary := run.SummarizeResult(sum, res)
	var cost *run.Cost
	if s.cost {
		var err error
		cost, err = run.EstimateCost(summary, run.CostOptions{Type: strings.ToUpper(typ), Region: s.region,
			ExecutionsPerMonth: s.executionsPerMonth, ExpressMemoryMB: s.expressMemory, DefinitionBytes: definitionBytes(m)})
		if err != nil {
			return usageErr("%v", err)
		}
	}
	if s.format == "json" {
		return run.WriteSummaryJSON(w, summary, cost, clock)
	}
	return run.WriteSummaryText(w, summary, cost, clock)
}

// definitionBytes is the size of the definition as AWS stores it (compact JSON).
func definitionBytes(m *asl.Machine) int {
	if m == nil || m.Doc == nil || m.Doc.Root == nil {
		return 0
	}
	b, err := json.Marshal(m.Doc.Root.Interface())
	if err != nil {
		return len(m.Doc.Source)
	}
	return len(b)
}
