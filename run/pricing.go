package run

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"
)

// AWS Step Functions prices, from https://aws.amazon.com/step-functions/pricing/ (read 2026-12-03).
// Standard workflows: a price per 1,000 state transitions by region, the first 4,000 transitions of
// a month free. Express workflows: $1.00 per million requests and a price per GB-hour of duration
// in three monthly tiers (the pricing page's figures for US East (N. Virginia), used for every
// region here); duration is rounded up to the nearest 100 ms and memory billed in 64 MB chunks.

// PricingSource and PricingDate say where and when the prices were read.
const (
	PricingSource = "https://aws.amazon.com/step-functions/pricing/"
	PricingDate   = "2026-12-03"
)

// standardPer1000 is the price in USD of 1,000 state transitions by region.
var standardPer1000 = map[string]string{
	"us-east-1": "0.025", "us-east-2": "0.025", "us-west-2": "0.025", "us-west-1": "0.0279",
	"ca-central-1": "0.025", "sa-east-1": "0.0375", "us-gov-east-1": "0.03", "us-gov-west-1": "0.03",
	"eu-west-1": "0.025", "eu-central-1": "0.025", "eu-west-2": "0.025", "eu-west-3": "0.0297",
	"eu-north-1": "0.025", "ap-southeast-1": "0.025", "ap-northeast-1": "0.025", "ap-southeast-2": "0.025",
	"ap-northeast-2": "0.0271", "ap-south-1": "0.0285",
}

// The other figures of the pricing page.
const (
	freeTransitionsPerMonth = 4000
	expressPerMillion       = "1.00" // USD per million requests
	expressBillingStep      = 100 * time.Millisecond
	expressMemoryChunkMB    = 64
	expressBaseMemoryMB     = 50 // "Workflow memory utilized = 50 MB + definition size + data size x Map or Parallel steps"
)

// expressTiers are the monthly GB-hour tiers of Express duration: up to GBHours (0: no bound), the
// price per GB-hour in USD.
var expressTiers = []struct {
	GBHours int64
	Price   string
}{{1000, "0.06"}, {4000, "0.03"}, {0, "0.01642"}}

// Regions returns the regions of the price table, sorted.
func Regions() []string {
	out := make([]string, 0, len(standardPer1000))
	for r := range standardPer1000 {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// CostOptions are the inputs of an estimate besides the run.
type CostOptions struct {
	Type               string // STANDARD or EXPRESS
	Region             string // default us-east-1
	ExecutionsPerMonth int64  // 0: 1
	// ExpressMemoryMB is the memory an Express execution uses (0: AWS's estimate from the
	// definition's size, the largest payload and the Map and Parallel fan-out).
	ExpressMemoryMB int
	DefinitionBytes int
}

// Cost is an estimate of what executions like one run cost on AWS.
type Cost struct {
	Type, Region       string
	ExecutionsPerMonth int64
	// Standard: the transitions billed per execution (a distributed Map's children included).
	Transitions int `json:",omitempty"`
	// Express: the billed duration and memory per execution, and the GB-seconds they make.
	BilledDuration time.Duration `json:"-"`
	BilledMemoryMB int           `json:",omitempty"`
	MemoryEstimate bool          `json:",omitempty"` // BilledMemoryMB is AWS's estimate, not --express-memory
	GBSeconds      *big.Rat      `json:"-"`
	// PerExecution and Monthly are in USD; Monthly counts the free tier (Standard) and the duration
	// tiers (Express).
	PerExecution, Monthly *big.Rat `json:"-"`
	// Steps explain the arithmetic, one line each.
	Steps []string
}

// EstimateCost prices executions like the summarised one.
func EstimateCost(s *Summary, o CostOptions) (*Cost, error) {
	region := o.Region
	if region == "" {
		region = "us-east-1"
	}
	per1000, ok := standardPer1000[region]
	if !ok {
		return nil, fmt.Errorf("no Step Functions prices for region %q (known: %v)", region, Regions())
	}
	n := o.ExecutionsPerMonth
	if n <= 0 {
		n = 1
	}
	c := &Cost{Type: o.Type, Region: region, ExecutionsPerMonth: n}
	if c.Type == "" {
		c.Type = Standard
	}
	if c.Type == Express {
		c.express(s, o, n)
		return c, nil
	}
	c.Transitions = s.Transitions + s.ChildTransitions
	price := new(big.Rat).Quo(rat(per1000), big.NewRat(1000, 1))
	c.PerExecution = new(big.Rat).Mul(big.NewRat(int64(c.Transitions), 1), price)
	billed := max(int64(c.Transitions)*n-freeTransitionsPerMonth, 0)
	c.Monthly = new(big.Rat).Mul(big.NewRat(billed, 1), price)
	c.Steps = append(c.Steps,
		fmt.Sprintf("%d transitions per execution (%d states entered + %d retries%s) x $%s / 1,000 = $%s",
			c.Transitions, s.StatesEntered, s.Retries, childNote(s), per1000, USD(c.PerExecution)),
		fmt.Sprintf("per month: %d executions x %d = %d transitions, minus 4,000 free = %d x $%s / 1,000 = $%s",
			n, c.Transitions, int64(c.Transitions)*n, billed, per1000, Cents(c.Monthly)))
	return c, nil
}

func childNote(s *Summary) string {
	if s.ChildTransitions == 0 {
		return ""
	}
	return fmt.Sprintf(" + %d in distributed Map child executions, priced as STANDARD", s.ChildTransitions)
}

// express prices an Express execution: a request plus its duration in GB-seconds.
func (c *Cost) express(s *Summary, o CostOptions, n int64) {
	c.BilledDuration = roundUp(s.Duration, expressBillingStep)
	mb := o.ExpressMemoryMB
	if mb <= 0 {
		c.MemoryEstimate = true
		steps := 0
		for _, f := range s.FanOut {
			steps += f.Branches + f.Iterations
		}
		data := s.MaxPayload
		if steps > 0 {
			data = s.MaxBranchPayload
		}
		bytes := int64(o.DefinitionBytes) + int64(data)*int64(max(steps, 1))
		mb = expressBaseMemoryMB + int((bytes+(1<<20)-1)>>20)
	}
	c.BilledMemoryMB = int(roundUp(time.Duration(mb), expressMemoryChunkMB))
	// GB-seconds = billed seconds x billed MB / 1024
	c.GBSeconds = new(big.Rat).Mul(big.NewRat(int64(c.BilledDuration/time.Millisecond), 1000), big.NewRat(int64(c.BilledMemoryMB), 1024))
	request := new(big.Rat).Quo(rat(expressPerMillion), big.NewRat(1_000_000, 1))
	firstTier := new(big.Rat).Quo(rat(expressTiers[0].Price), big.NewRat(3600, 1))
	c.PerExecution = new(big.Rat).Add(request, new(big.Rat).Mul(c.GBSeconds, firstTier))
	// The month: n requests, and n x GB-seconds / 3600 GB-hours priced by tier.
	gbHours := new(big.Rat).Quo(new(big.Rat).Mul(big.NewRat(n, 1), c.GBSeconds), big.NewRat(3600, 1))
	monthly := new(big.Rat).Mul(big.NewRat(n, 1), request)
	left := new(big.Rat).Set(gbHours)
	for _, t := range expressTiers {
		part := new(big.Rat).Set(left)
		if t.GBHours > 0 && part.Cmp(big.NewRat(t.GBHours, 1)) > 0 {
			part.SetInt64(t.GBHours)
		}
		monthly.Add(monthly, new(big.Rat).Mul(part, rat(t.Price)))
		left.Sub(left, part)
		if left.Sign() <= 0 {
			break
		}
	}
	c.Monthly = monthly
	how := "--express-memory"
	if c.MemoryEstimate {
		how = fmt.Sprintf("estimated: 50 MB + %d bytes of definition + %d bytes of largest payload", o.DefinitionBytes, s.MaxPayload)
		if n := fanSteps(s); n > 0 {
			how = fmt.Sprintf("estimated: 50 MB + %d bytes of definition + %d bytes of largest branch or iteration input x %d Map/Parallel steps",
				o.DefinitionBytes, s.MaxBranchPayload, n)
		}
	}
	c.Steps = append(c.Steps,
		fmt.Sprintf("duration %v, billed %v (rounded up to 100 ms); memory billed %d MB (%s, in 64 MB chunks)",
			s.Duration, c.BilledDuration, c.BilledMemoryMB, how),
		fmt.Sprintf("per execution: 1 request x $1.00 / 1,000,000 + %s s x %d MB / 1024 = %s GB-s x $0.06 / 3,600 = $%s",
			seconds3(c.BilledDuration), c.BilledMemoryMB, c.GBSeconds.FloatString(6), USD(c.PerExecution)),
		fmt.Sprintf("per month: %d requests + %s GB-hours in tiers ($0.06, then $0.03 after 1,000, $0.01642 after 5,000 GB-hours) = $%s",
			n, gbHours.FloatString(4), Cents(c.Monthly)))
}

func fanSteps(s *Summary) int {
	n := 0
	for _, f := range s.FanOut {
		n += f.Branches + f.Iterations
	}
	return n
}

// roundUp rounds d up to a multiple of step.
func roundUp(d, step time.Duration) time.Duration {
	if d <= 0 {
		return step
	}
	return (d + step - 1) / step * step
}

func seconds3(d time.Duration) string {
	return big.NewRat(int64(d/time.Millisecond), 1000).FloatString(1)
}

// rat parses a decimal price.
func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad price " + s)
	}
	return r
}

// USD formats an amount of dollars exactly, to at most 8 decimals (rounded) and at least 2.
func USD(r *big.Rat) string {
	s := r.FloatString(8)
	for strings.HasSuffix(s, "0") && len(s)-strings.IndexByte(s, '.') > 3 {
		s = s[:len(s)-1]
	}
	return s
}

// Cents formats an amount of dollars rounded to the cent, as a bill shows it.
func Cents(r *big.Rat) string { return r.FloatString(2) }
