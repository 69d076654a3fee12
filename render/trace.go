package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/pkg/asl"
)

// Trace is the execution history of one run, as AWS GetExecutionHistory returns it.
type Trace struct {
	Events []TraceEvent
}

// TraceEvent is one history event: its type, the state name its details carry, and its time.
type TraceEvent struct {
	Type string
	Name string // stateEnteredEventDetails.name, stateExitedEventDetails.name, ...
	// Timestamp is the event's time (zero when the history has none or a placeholder): RFC 3339
	// text, or seconds since the epoch as the AWS CLI prints them.
	Timestamp time.Time
}

// ParseHistory reads an execution history: {"events": [...]} (GetExecutionHistory, sfn run
// --history json), a bare array of events, or a recorded case with "expected": {"history": [...]}.
func ParseHistory(data []byte) (*Trace, error) {
	data = bytes.TrimSpace(data)
	var raw []map[string]json.RawMessage
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, err
		}
	} else {
		var doc struct {
			Events   []map[string]json.RawMessage `json:"events"`
			Expected *struct {
				History []map[string]json.RawMessage `json:"history"`
			} `json:"expected"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, err
		}
		switch {
		case doc.Events != nil:
			raw = doc.Events
		case doc.Expected != nil && doc.Expected.History != nil:
			raw = doc.Expected.History
		default:
			return nil, errors.New(`no execution history: want {"events": [...]} or an array of events`)
		}
	}
	t := &Trace{}
	for _, ev := range raw {
		var e TraceEvent
		_ = json.Unmarshal(ev["type"], &e.Type)
		e.Timestamp = eventTime(ev["timestamp"])
		for k, v := range ev {
			if !strings.HasSuffix(k, "EventDetails") {
				continue
			}
			var d struct {
				Name string `json:"name"`
			}
			if json.Unmarshal(v, &d) == nil && d.Name != "" {
				e.Name = d.Name
			}
		}
		t.Events = append(t.Events, e)
	}
	return t, nil
}

// eventTime reads an event's timestamp: RFC 3339 text or epoch seconds (zero otherwise).
func eventTime(raw json.RawMessage) time.Time {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		t, _ := time.Parse(time.RFC3339Nano, s)
		return t
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil && f > 0 && f < 1e11 {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC() // to the microsecond: a float's last digits are noise
	}
	return time.Time{}
}

// tracer replays a trace over a built graph.
type tracer struct {
	g       *Graph
	b       *builder
	byName  map[string]*asl.State
	last    map[*asl.StateMachine]*asl.State // state last entered in each scope
	open    map[*asl.State]bool              // entered, not yet exited
	order   []*asl.State                     // entry order of open states
	starts  map[*asl.State]int               // task schedules (or composite starts) since entry
	edges   map[[2]*Node][]*Edge
	lastPar *asl.State
	since   map[*asl.State]time.Time // when an open state was entered (for Node.Time)
}

func applyTrace(g *Graph, b *builder, t *Trace) {
	tr := &tracer{g: g, b: b, byName: map[string]*asl.State{}, last: map[*asl.StateMachine]*asl.State{},
		open: map[*asl.State]bool{}, starts: map[*asl.State]int{}, edges: map[[2]*Node][]*Edge{}, since: map[*asl.State]time.Time{}}
	if b.m != nil {
		for _, st := range b.m.All {
			if _, dup := tr.byName[st.Name]; !dup {
				tr.byName[st.Name] = st
			}
		}
	}
	for _, e := range g.Edges {
		k := [2]*Node{e.From, e.To}
		tr.edges[k] = append(tr.edges[k], e)
	}
	for _, ev := range t.Events {
		tr.event(ev)
	}
}

// in and out return the node an edge into / out of a state uses.
func (tr *tracer) in(st *asl.State) *Node {
	info := tr.b.scopes[st.Scope]
	if info == nil {
		return nil
	}
	if c := info.comp[st]; c != nil {
		return c.Entry
	}
	return info.nodes[st]
}

func (tr *tracer) out(st *asl.State) *Node {
	info := tr.b.scopes[st.Scope]
	if info == nil {
		return nil
	}
	if c := info.comp[st]; c != nil {
		return c.Exit
	}
	return info.nodes[st]
}

func (tr *tracer) mark(st *asl.State) {
	info := tr.b.scopes[st.Scope]
	if info == nil {
		return
	}
	if c := info.comp[st]; c != nil {
		c.Visited = true
		c.Entry.Visited, c.Exit.Visited = true, true
		return
	}
	if n := info.nodes[st]; n != nil {
		n.Visited = true
	}
}

// take marks the edge from → to as taken, preferring a Catch edge when catch is set.
func (tr *tracer) take(from, to *Node, catch bool) bool {
	es := tr.edges[[2]*Node{from, to}]
	if len(es) == 0 {
		return false
	}
	pick := es[0]
	for _, e := range es {
		if (e.Kind == EdgeCatch) == catch {
			pick = e
			break
		}
	}
	pick.Taken = true
	from.Visited, to.Visited = true, true
	return true
}

func (tr *tracer) event(ev TraceEvent) {
	switch {
	case strings.HasSuffix(ev.Type, "StateEntered"):
		if st := tr.byName[ev.Name]; st != nil {
			tr.enter(st)
			tr.timeIn(st, ev.Timestamp)
		}
	case strings.HasSuffix(ev.Type, "StateExited"):
		if st := tr.byName[ev.Name]; st != nil {
			tr.timeOut(st, ev.Timestamp)
			tr.exit(st)
		}
	case ev.Type == "MapIterationStarted":
		if st := tr.byName[ev.Name]; st != nil && st.Processor != nil {
			tr.last[st.Processor] = nil
		}
	case ev.Type == "ParallelStateStarted" || ev.Type == "MapStateStarted":
		st := tr.lastPar
		if ev.Type == "MapStateStarted" {
			st = tr.innermost("Map")
		}
		if st != nil {
			for _, sc := range tr.b.scopesOf(st) {
				tr.last[sc] = nil
			}
			tr.retry(st)
		}
	case strings.HasSuffix(ev.Type, "Scheduled"):
		if st := tr.innermost("Task"); st != nil {
			tr.retry(st)
		}
	case ev.Type == "ExecutionFailed" || ev.Type == "ExecutionTimedOut" || ev.Type == "ExecutionAborted":
		for i := len(tr.order) - 1; i >= 0; i-- {
			if st := tr.order[i]; tr.open[st] {
				tr.fail(st)
				break
			}
		}
	}
}

// timeIn counts an entry of a state and remembers when it happened.
func (tr *tracer) timeIn(st *asl.State, at time.Time) {
	if n := tr.out(st); n != nil {
		n.Entered++
	}
	tr.since[st] = at
}

// timeOut adds the time since the state's entry to its node.
func (tr *tracer) timeOut(st *asl.State, at time.Time) {
	from, ok := tr.since[st]
	delete(tr.since, st)
	if n := tr.out(st); n != nil && ok && !from.IsZero() && !at.IsZero() && at.After(from) {
		n.Time += at.Sub(from)
	}
}

// statsLines sets the stats label line of every state node the execution entered.
func statsLines(g *Graph) {
	for _, n := range g.Nodes {
		if n.Kind != NodeState || n.Entered == 0 {
			continue
		}
		n.Stats = "entered ×" + itoa(n.Entered)
		if d := n.Time.Round(time.Millisecond); d > 0 {
			n.Stats += ", " + d.String()
		}
	}
}

// fail marks the state where the execution failed (a Fail state also reaches the End marker).
func (tr *tracer) fail(st *asl.State) {
	n := tr.out(st)
	if n == nil {
		return
	}
	n.Failed = true
	if info := tr.b.scopes[st.Scope]; st.Type == "Fail" && info.exit != nil {
		tr.take(n, info.exit, false)
	}
}

// retry counts one more attempt (task schedule, composite start) of a state.
func (tr *tracer) retry(st *asl.State) {
	tr.starts[st]++
	if tr.starts[st] > 1 {
		if n := tr.out(st); n != nil {
			n.Retried++
		}
	}
}

// innermost returns the most recently entered open state of a type.
func (tr *tracer) innermost(typ string) *asl.State {
	for i := len(tr.order) - 1; i >= 0; i-- {
		if st := tr.order[i]; tr.open[st] && st.Type == typ {
			return st
		}
	}
	return nil
}

func (tr *tracer) enter(st *asl.State) {
	info := tr.b.scopes[st.Scope]
	to := tr.in(st)
	if info == nil || to == nil {
		return
	}
	tr.mark(st)
	prev := tr.last[st.Scope]
	switch {
	case prev != nil && prev != st || prev == st && !tr.open[st]:
		caught := tr.open[prev]
		if caught {
			tr.open[prev] = false
			if n := tr.out(prev); n != nil {
				n.Caught = true
			}
		}
		if !tr.take(tr.out(prev), to, caught) && info.entry != nil {
			tr.take(info.entry, to, false)
		}
	case prev == nil && info.entry != nil:
		tr.take(info.entry, to, false)
	}
	tr.last[st.Scope] = st
	tr.open[st] = true
	tr.starts[st] = 0
	tr.order = append(tr.order, st)
	if st.Type == "Parallel" {
		tr.lastPar = st
	}
}

func (tr *tracer) exit(st *asl.State) {
	tr.open[st] = false
	info := tr.b.scopes[st.Scope]
	if info == nil || info.exit == nil {
		return
	}
	if st.IsEnd() || st.Type == "Succeed" {
		tr.take(tr.out(st), info.exit, false)
	}
}
