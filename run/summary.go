package run

import (
	"strings"
	"time"
)

// Summary is what one execution did, computed from its history events alone (the events of sfn run,
// or an execution history recorded by AWS): per state how often it was entered, its time, retries
// and errors caught; the state transitions AWS bills; the fan-out of Map and Parallel states; and the
// slowest path.
//
// AWS bills a Standard execution per state transition: every state entered (a <Type>StateEntered
// event, in Parallel branches and Map iterations too) and every retry ("each retry will be charged
// as an additional state transition", aws.amazon.com/step-functions/pricing). A retry is a new
// attempt of a state already entered: TaskScheduled (LambdaFunctionScheduled, ActivityScheduled)
// again for a Task, ParallelStateStarted or MapStateStarted again for a Parallel or Map.
type Summary struct {
	Status string `json:"status"`
	// Duration is from ExecutionStarted to the last event (virtual time on the virtual clock).
	Duration time.Duration `json:"-"`
	// StatesEntered counts the <Type>StateEntered events; Retries the new attempts of entered states.
	StatesEntered int `json:"statesEntered"`
	Retries       int `json:"retries"`
	// Transitions is what AWS bills a Standard execution for: StatesEntered + Retries.
	Transitions int `json:"transitions"`
	// ChildTransitions are the states entered by the child executions of a distributed Map, which
	// are not in the parent's history (set by SummarizeResult; each child is billed as an
	// execution of its own).
	ChildTransitions int `json:"childTransitions,omitempty"`
	// ErrorsCaught counts the failures a Catcher handled (the state failed and then exited).
	ErrorsCaught int `json:"errorsCaught"`
	// Events is the number of history events.
	Events int `json:"events"`
	// MaxPayload is the size in bytes of the largest state input or output of the history (an
	// Express execution's memory estimate uses it).
	MaxPayload int `json:"maxPayloadBytes"`
	// MaxBranchPayload is the size of the largest input of a state inside a Parallel branch or a Map
	// iteration (the data each of those steps holds).
	MaxBranchPayload int `json:"maxBranchPayloadBytes"`
	// States lists every state entered, in the order of its first entry.
	States []*StateSummary `json:"states"`
	// FanOut lists the Map and Parallel states entered, in the order of their first entry.
	FanOut []*FanOut `json:"fanOut,omitempty"`
	// SlowestPath is the chain of states that ended last: from the final event back to the start
	// along the events' previousEventId links (through the branch or iteration that finished last
	// in a Parallel or Map). At most MaxPathSteps steps are kept, the last ones; PathOmitted counts
	// the others.
	SlowestPath []PathStep `json:"slowestPath"`
	PathOmitted int        `json:"pathOmitted,omitempty"`
}

// StateSummary is one state's share of an execution.
type StateSummary struct {
	Name         string        `json:"name"`
	Type         string        `json:"type"`
	Entered      int           `json:"entered"`
	Retries      int           `json:"retries"`
	Failures     int           `json:"failures"`     // attempts that failed (retried, caught or not)
	ErrorsCaught int           `json:"errorsCaught"` // failures a Catcher handled
	Time         time.Duration `json:"-"`            // total time from entry to exit, all entries
	Max          time.Duration `json:"-"`            // the longest entry
}

// FanOut is how far a Map or Parallel state spread.
type FanOut struct {
	State string `json:"state"`
	Type  string `json:"type"`
	// Runs counts the state's runs (entries and retries).
	Runs int `json:"runs"`
	// Branches counts the Parallel branches started, Iterations the Map iterations started (all runs).
	Branches   int `json:"branches,omitempty"`
	Iterations int `json:"iterations,omitempty"`
	// MaxConcurrent is the most Map iterations running at once.
	MaxConcurrent int `json:"maxConcurrent,omitempty"`
	// Distributed: a distributed Map (its child executions are not in this history).
	Distributed bool `json:"distributed,omitempty"`
}

// PathStep is one state on the slowest path and the time from its entry to its exit.
type PathStep struct {
	State string        `json:"state"`
	Time  time.Duration `json:"-"`
}

// MaxPathSteps is the most steps Summary.SlowestPath keeps (a long loop's path is every state it
// entered).
const MaxPathSteps = 200

// maxLinkedID bounds the event ids a Summarizer indexes (a hostile history with huge ids is then
// summarised without links): AWS keeps at most 25,000 events, sfn's --no-event-limit runs more.
const maxLinkedID = 1 << 26

// Summarizer builds a Summary from events as they come (Add), so that a streamed run needs no
// stored history. Its memory grows with the number of events (one link per event, for the slowest
// path) and of distinct states.
type Summarizer struct {
	sum     Summary
	byName  map[string]*StateSummary
	fans    map[string]*FanOut
	prev    []int64  // previousEventId by event id
	owner   []*entry // the state entry an event belongs to, by event id
	current *entry   // the last entry, for histories without ids (normalised)
	// iterStart maps a MapIterationStarted event to its Map's entry: the slowest path goes from an
	// iteration's start to the Map's entry, not through the iteration before it (AWS links them).
	iterStart map[int64]*entry
	start     time.Time
	last      Event
}

// entry is one visit of a state (kept small: a long loop keeps one per state entered, for the
// slowest path). Its name and type are those of stats.
type entry struct {
	parent      *entry
	stats       *StateSummary
	fan         *FanOut
	enterID     int64
	branchStart int64         // the ParallelStateStarted or MapStateStarted event of the current run
	start, dur  time.Duration // since the Summarizer's epoch; the time from entry to exit
	attempts    int32
	iterations  int32 // Map iterations running
	failedLast  bool  // the last attempt failed
	closed      bool
}

func (e *entry) name() string { return e.stats.Name }
func (e *entry) typ() string  { return e.stats.Type }

// NewSummarizer returns an empty Summarizer.
func NewSummarizer() *Summarizer {
	return &Summarizer{byName: map[string]*StateSummary{}, fans: map[string]*FanOut{}, iterStart: map[int64]*entry{}}
}

// Tee returns an Options.OnEvent function that adds each event to s and then calls next (if any).
func (s *Summarizer) Tee(next func(Event)) func(Event) {
	return func(e Event) {
		s.Add(e)
		if next != nil {
			next(e)
		}
	}
}

// Summarize builds the summary of a whole history.
func Summarize(events []Event) *Summary {
	s := NewSummarizer()
	for _, e := range events {
		s.Add(e)
	}
	return s.Summary()
}

// SummarizeResult builds the summary of an execution from its events (res.Events when events is
// nil) and adds what only the result knows: the states entered by a distributed Map's child
// executions (res.Transitions counts them, the history does not).
func SummarizeResult(s *Summarizer, res *Result) *Summary {
	if s == nil {
		s = NewSummarizer()
		for _, e := range res.Events {
			s.Add(e)
		}
	}
	sum := s.Summary()
	if sum.Status == "" {
		sum.Status = string(res.Status)
	}
	if hidden := res.Transitions - sum.StatesEntered; hidden > 0 {
		sum.ChildTransitions = hidden
	}
	return sum
}

// The events of an attempt, a failure and a success of a state.
var (
	attemptEvents = map[string]bool{"TaskScheduled": true, "LambdaFunctionScheduled": true, "ActivityScheduled": true,
		"ParallelStateStarted": true, "MapStateStarted": true}
	failureEvents = map[string]bool{"TaskFailed": true, "TaskTimedOut": true, "TaskStartFailed": true, "TaskSubmitFailed": true,
		"LambdaFunctionFailed": true, "LambdaFunctionTimedOut": true, "LambdaFunctionStartFailed": true, "LambdaFunctionScheduleFailed": true,
		"ActivityFailed": true, "ActivityTimedOut": true, "ActivityScheduleFailed": true,
		"ParallelStateFailed": true, "MapStateFailed": true, "MapRunFailed": true, "EvaluationFailed": true}
	successEvents = map[string]bool{"TaskSucceeded": true, "LambdaFunctionSucceeded": true, "ActivitySucceeded": true,
		"ParallelStateSucceeded": true, "MapStateSucceeded": true}
)

// Add adds the next event of the history.
func (s *Summarizer) Add(e Event) {
	if e.Child != "" { // a child execution's own history: counted by Result.Transitions
		return
	}
	s.sum.Events++
	s.last = e
	if e.Type == "ExecutionStarted" || s.start.IsZero() {
		s.start = e.Timestamp
	}
	for _, k := range [...]string{"input", "output"} {
		if t, ok := e.DetailString(k); ok {
			s.sum.MaxPayload = max(s.sum.MaxPayload, len(t))
		}
	}
	linked := e.ID > 0 && e.ID < maxLinkedID
	if linked {
		s.link(e.ID, e.PreviousEventID)
	}
	p := s.ownerOf(e.PreviousEventID)
	own := p
	typ := e.Type
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		ent := s.enter(e, p)
		own, s.current = ent, ent
	case strings.HasSuffix(typ, "StateExited"):
		ent := named(p, detailString(e, "name"))
		if ent != nil {
			s.close(ent, e.Timestamp, true)
			own, s.current = ent.parent, ent.parent
		}
	case strings.HasSuffix(typ, "StateAborted"):
		ent := ofType(p, strings.TrimSuffix(typ, "StateAborted"))
		if ent != nil {
			s.close(ent, e.Timestamp, false)
			own = ent.parent
		}
	case strings.HasPrefix(typ, "MapIteration"):
		own = ofType(p, "Map")
		s.iteration(own, typ == "MapIterationStarted")
		if typ == "MapIterationStarted" && own != nil && linked {
			s.iterStart[e.ID] = own
		}
	case strings.HasPrefix(typ, "Map"): // MapStateStarted, MapStateSucceeded, MapRunStarted, ...
		own = ofType(p, "Map")
	case strings.HasPrefix(typ, "Parallel"):
		own = ofType(p, "Parallel")
	case strings.HasPrefix(typ, "Execution") && typ != "ExecutionStarted":
		s.sum.Status = executionStatus(typ)
	}
	if own != nil {
		s.outcome(own, e)
	}
	if linked {
		s.owner[e.ID] = own
	}
}

// link records an event's previous event, growing the tables to its id.
func (s *Summarizer) link(id, prev int64) {
	for int64(len(s.prev)) <= id {
		s.prev = append(s.prev, -1)
		s.owner = append(s.owner, nil)
	}
	s.prev[id] = prev
}

// ownerOf returns the entry the event id belongs to, or the last entry when the history has no
// ids (AWS's normalised Parallel events have id 0).
func (s *Summarizer) ownerOf(id int64) *entry {
	if id > 0 && id < int64(len(s.owner)) && s.prev[id] >= 0 {
		return s.owner[id]
	}
	if id == 0 && s.last.ID != 0 {
		return nil // linked history: 0 is the start
	}
	return s.current
}

// enter starts an entry of a state.
func (s *Summarizer) enter(e Event, parent *entry) *entry {
	name := detailString(e, "name")
	typ := strings.TrimSuffix(e.Type, "StateEntered")
	st := s.byName[name]
	if st == nil {
		st = &StateSummary{Name: name, Type: typ}
		s.byName[name] = st
		s.sum.States = append(s.sum.States, st)
	}
	st.Entered++
	s.sum.StatesEntered++
	ent := &entry{parent: parent, enterID: e.ID, start: s.since(e.Timestamp), stats: st}
	if in, ok := e.DetailString("input"); ok && parent != nil {
		s.sum.MaxBranchPayload = max(s.sum.MaxBranchPayload, len(in))
	}
	if typ == "Map" || typ == "Parallel" {
		ent.fan = s.fans[name]
		if ent.fan == nil {
			ent.fan = &FanOut{State: name, Type: typ}
			s.fans[name] = ent.fan
			s.sum.FanOut = append(s.sum.FanOut, ent.fan)
		}
	}
	// The first state of a Parallel branch follows the ParallelStateStarted event.
	if parent != nil && parent.typ() == "Parallel" && parent.fan != nil && parent.branchStart != 0 && e.PreviousEventID == parent.branchStart {
		parent.fan.Branches++
	}
	return ent
}

// outcome counts an event's attempt, failure or success for its entry.
func (s *Summarizer) outcome(ent *entry, e Event) {
	switch {
	case attemptEvents[e.Type]:
		ent.attempts++
		if ent.attempts > 1 {
			ent.stats.Retries++
			s.sum.Retries++
		}
		if ent.fan != nil && (e.Type == "ParallelStateStarted" || e.Type == "MapStateStarted") {
			ent.fan.Runs++
			ent.branchStart = e.ID
		}
	case failureEvents[e.Type]:
		ent.failedLast = true
		ent.stats.Failures++
	case successEvents[e.Type]:
		ent.failedLast = false
	case e.Type == "MapRunStarted" && ent.fan != nil:
		ent.fan.Distributed = true
	}
}

// iteration counts a Map iteration starting or ending.
func (s *Summarizer) iteration(ent *entry, started bool) {
	if ent == nil || ent.fan == nil {
		return
	}
	if started {
		ent.fan.Iterations++
		ent.iterations++
		ent.fan.MaxConcurrent = max(ent.fan.MaxConcurrent, int(ent.iterations))
	} else if ent.iterations > 0 {
		ent.iterations--
	}
}

// close ends an entry: its time, and a caught error when it exits after a failure.
func (s *Summarizer) close(ent *entry, at time.Time, exited bool) {
	if ent.closed {
		return
	}
	d := max(s.since(at)-ent.start, 0)
	ent.closed, ent.dur = true, d
	ent.stats.Time += d
	ent.stats.Max = max(ent.stats.Max, d)
	if exited && ent.failedLast {
		ent.stats.ErrorsCaught++
		s.sum.ErrorsCaught++
	}
}

// named returns the innermost open entry from ent up whose state is name (ent itself when none is).
func named(ent *entry, name string) *entry {
	for e := ent; e != nil; e = e.parent {
		if e.name() == name && !e.closed {
			return e
		}
	}
	return ent
}

// ofType returns the innermost open entry from ent up of the state type typ (ent when none is).
func ofType(ent *entry, typ string) *entry {
	for e := ent; e != nil; e = e.parent {
		if e.typ() == typ && !e.closed {
			return e
		}
	}
	return ent
}

// executionStatus maps an execution's last event type to its status.
func executionStatus(typ string) string {
	switch typ {
	case "ExecutionSucceeded":
		return string(Succeeded)
	case "ExecutionFailed":
		return string(Failed)
	case "ExecutionTimedOut":
		return string(TimedOut)
	case "ExecutionAborted":
		return string(Aborted)
	}
	return ""
}

// since returns a time as the duration since the first event.
func (s *Summarizer) since(t time.Time) time.Duration { return t.Sub(s.start) }

// detailString returns a string member of an event's details ("" when absent).
func detailString(e Event, key string) string {
	s, _ := e.DetailString(key)
	return s
}

// Summary returns the summary of the events added so far.
func (s *Summarizer) Summary() *Summary {
	sum := s.sum
	sum.Transitions = sum.StatesEntered + sum.Retries
	if !s.start.IsZero() {
		sum.Duration = max(s.last.Timestamp.Sub(s.start), 0)
	}
	sum.SlowestPath, sum.PathOmitted = s.slowestPath()
	return &sum
}

// slowestPath walks the previousEventId links back from the last event and lists the states entered
// on the way, the first first; only the last MaxPathSteps are kept.
func (s *Summarizer) slowestPath() ([]PathStep, int) {
	var rev []PathStep
	omitted := 0
	id := s.last.ID
	for id > 0 && id < int64(len(s.prev)) {
		if ent := s.owner[id]; ent != nil && ent.enterID == id {
			if len(rev) < MaxPathSteps {
				d := ent.dur
				if !ent.closed {
					d = max(s.since(s.last.Timestamp)-ent.start, 0)
				}
				rev = append(rev, PathStep{State: ent.name(), Time: d})
			} else {
				omitted++
			}
		}
		p := s.prev[id]
		if m := s.iterStart[id]; m != nil && m.enterID > 0 && m.enterID < id {
			p = m.enterID
		}
		if p >= id {
			break // links go back in time; anything else is a broken history
		}
		id = p
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev, omitted
}
