package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Transition kinds of coverage.
const (
	KindNext    = "Next"
	KindChoice  = "Choice" // Choices[Index]
	KindDefault = "Default"
	KindCatch   = "Catch" // Catch[Index]
	KindRetry   = "Retry" // some retrier of the state retried
)

// Coverage is what a suite's cases covered of one machine. A transition is told from the others
// of its state by its target: Choice rules (or Catchers) that share a Next are covered together,
// as the history does not say which rule matched.
type Coverage struct {
	File         string        `json:"file"`
	StateMachine string        `json:"stateMachine,omitempty"`
	Name         string        `json:"name"`
	States       []*StateCount `json:"states"`
	Transitions  []*Transition `json:"transitions"`
	StatePct     float64       `json:"stateCoverage"`
	TransPct     float64       `json:"transitionCoverage"`
}

// StateCount is how many times the suite entered a state.
type StateCount struct {
	Name    string `json:"name"`
	Scope   string `json:"scope,omitempty"` // "" at the top level, else the enclosing Parallel / Map state
	Entered int    `json:"entered"`
}

// Transition is one possible transition and how many times the suite took it.
type Transition struct {
	From  string `json:"from"`
	To    string `json:"to,omitempty"` // empty for Retry
	Kind  string `json:"kind"`
	Index int    `json:"index,omitempty"`
	Taken int    `json:"taken"`
}

// Profile is the --coverage-profile file.
type Profile struct {
	Machines []*Coverage `json:"machines"`
}

// ComputeCoverage sums up the coverage of the results, one entry per machine (file and logical
// id), in the order first met.
func ComputeCoverage(results []*CaseResult) []*Coverage {
	type key struct{ file, id string }
	var out []*Coverage
	byKey := map[key]*Coverage{}
	index := map[*Coverage]*covIndex{}
	for _, r := range results {
		s := r.Suite
		k := key{s.MachinePath, s.StateMachine}
		c := byKey[k]
		if c == nil {
			c = newCoverage(s)
			byKey[k] = c
			out = append(out, c)
			index[c] = newCovIndex(s.M, c)
		}
		if r.Exec != nil {
			index[c].add(r.Exec)
		}
	}
	for _, c := range out {
		c.StatePct, c.TransPct = c.percentages()
	}
	return out
}

func newCoverage(s *Suite) *Coverage {
	c := &Coverage{File: s.MachinePath, StateMachine: s.StateMachine, Name: s.Name}
	for _, st := range s.M.All {
		sc := ""
		if st.Scope != nil && st.Scope.Parent != nil {
			sc = st.Scope.Parent.Name
		}
		c.States = append(c.States, &StateCount{Name: st.Name, Scope: sc})
		c.Transitions = append(c.Transitions, Transitions(st)...)
	}
	return c
}

// Transitions lists the transitions of a state: Next, each Choice rule, Default, each Catch, and
// Retry when it has retriers.
func Transitions(st *asl.State) []*Transition {
	var out []*Transition
	text := func(n *load.Node) (string, bool) {
		if n != nil && n.Kind == load.String {
			return n.Text, true
		}
		return "", false
	}
	if st.Type == "Choice" {
		for i, r := range st.Choices {
			if to, ok := text(r.Node.Get("Next")); ok {
				out = append(out, &Transition{From: st.Name, To: to, Kind: KindChoice, Index: i})
			}
		}
		if to, ok := text(st.Field("Default")); ok {
			out = append(out, &Transition{From: st.Name, To: to, Kind: KindDefault})
		}
	} else if to, ok := st.NextName(); ok {
		out = append(out, &Transition{From: st.Name, To: to, Kind: KindNext})
	}
	if len(st.Retry) > 0 {
		out = append(out, &Transition{From: st.Name, Kind: KindRetry})
	}
	for i, c := range st.Catch {
		if to, ok := text(c.Node.Get("Next")); ok {
			out = append(out, &Transition{From: st.Name, To: to, Kind: KindCatch, Index: i})
		}
	}
	return out
}

type covIndex struct {
	c      *Coverage
	states map[string]*StateCount
	trans  map[string][]*Transition // by from state
}

func newCovIndex(m *asl.Machine, c *Coverage) *covIndex {
	ix := &covIndex{c: c, states: map[string]*StateCount{}, trans: map[string][]*Transition{}}
	for _, s := range c.States {
		if ix.states[s.Name] == nil {
			ix.states[s.Name] = s
		}
	}
	for _, t := range c.Transitions {
		ix.trans[t.From] = append(ix.trans[t.From], t)
	}
	return ix
}

func (ix *covIndex) add(x *Execution) {
	for _, v := range x.Visits {
		if s := ix.states[v.Name]; s != nil {
			s.Entered++
		}
		if v.Attempts > 1 {
			for _, t := range ix.trans[v.Name] {
				if t.Kind == KindRetry {
					t.Taken++
				}
			}
		}
		f := v.From
		if f == nil {
			continue
		}
		// A caught failure moves on through a Catch; otherwise the state's Next, or the Choice's
		// rule or Default, with v as the target.
		kinds := []string{KindNext, KindChoice, KindDefault}
		if f.Failed {
			kinds = []string{KindCatch}
		}
		for _, t := range ix.trans[f.Name] {
			if t.To == v.Name && containsStr(kinds, t.Kind) {
				t.Taken++
			}
		}
	}
}

func (c *Coverage) percentages() (states, trans float64) {
	n := 0
	for _, s := range c.States {
		if s.Entered > 0 {
			n++
		}
	}
	states = pct(n, len(c.States))
	n = 0
	for _, t := range c.Transitions {
		if t.Taken > 0 {
			n++
		}
	}
	return states, pct(n, len(c.Transitions))
}

func pct(n, total int) float64 {
	if total == 0 {
		return 100
	}
	return math.Floor(1000*float64(n)/float64(total)) / 10
}

// WriteCoverageTable prints the coverage of each machine and what it left uncovered.
func WriteCoverageTable(w io.Writer, cs []*Coverage) error {
	var b strings.Builder
	b.WriteString("coverage:\n")
	for _, c := range cs {
		nS, nT := 0, 0
		for _, s := range c.States {
			if s.Entered > 0 {
				nS++
			}
		}
		for _, t := range c.Transitions {
			if t.Taken > 0 {
				nT++
			}
		}
		fmt.Fprintf(&b, "  %-40s states %5.1f%% (%d/%d)  transitions %5.1f%% (%d/%d)\n", safetext.Escape(c.File+machineSuffix(c.StateMachine)),
			c.StatePct, nS, len(c.States), c.TransPct, nT, len(c.Transitions))
		var miss []string
		for _, s := range c.States {
			if s.Entered == 0 {
				miss = append(miss, s.Name)
			}
		}
		if len(miss) > 0 {
			fmt.Fprintf(&b, "    states never entered: %s\n", safetext.Escape(strings.Join(miss, ", ")))
		}
		miss = nil
		for _, t := range c.Transitions {
			if t.Taken == 0 {
				miss = append(miss, t.Describe())
			}
		}
		if len(miss) > 0 {
			fmt.Fprintf(&b, "    transitions never taken: %s\n", safetext.Escape(strings.Join(miss, ", ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func machineSuffix(id string) string {
	if id == "" {
		return ""
	}
	return "#" + id
}

// Describe names a transition: "A -> B (Choices[1])".
func (t *Transition) Describe() string {
	switch t.Kind {
	case KindRetry:
		return t.From + " (Retry)"
	case KindChoice:
		return fmt.Sprintf("%s -> %s (Choices[%d])", t.From, t.To, t.Index)
	case KindCatch:
		return fmt.Sprintf("%s -> %s (Catch[%d])", t.From, t.To, t.Index)
	}
	return fmt.Sprintf("%s -> %s (%s)", t.From, t.To, t.Kind)
}

// WriteProfile writes the coverage as the --coverage-profile JSON.
func WriteProfile(cs []*Coverage) ([]byte, error) {
	p := Profile{Machines: cs}
	if p.Machines == nil {
		p.Machines = []*Coverage{}
	}
	b, err := json.MarshalIndent(p, "", "  ")
	return append(b, '\n'), err
}

// MinCoverage returns the machines whose state coverage is below min percent, sorted by file.
func MinCoverage(cs []*Coverage, min float64) []*Coverage {
	var out []*Coverage
	for _, c := range cs {
		if c.StatePct < min {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}
