package run

import (
	"encoding/json"
	"fmt"

	"github.com/sfn-tool/sfn/pkg/value"
)

// History events are built here. When nobody reads the history (Options.NoHistory), an event is
// only an id: no details map is built and no payload is serialised, so a state transition costs
// no allocation for its history. Ids still advance exactly as they would, because runtime-error
// causes quote them ("entered at the event id #4").

// initEvents prepares the history of an execution.
func (ex *execution) initEvents() {
	ex.recording = !ex.r.opts.NoHistory
	ex.randomFn, ex.uuidFn = ex.random, ex.uuid
	ex.intrEnv = ex.newIntrinsicEnv()
	if ex.recording && !ex.r.opts.DiscardEvents {
		ex.events = make([]Event, 0, 64)
	}
	if ex.virtual != nil {
		ex.sched = newSched()
	}
	// The context object's Execution and StateMachine members are built once and shared: run-time
	// values are never modified in place.
	// Members in AWS's order (as recorded in execution histories).
	ex.ctxExec = value.ObjectOf(
		"Id", ex.arn, "Input", ex.input, "StartTime", ex.startText, "Name", ex.name,
		"RoleArn", ex.r.opts.RoleArn, "RedriveCount", jsonInt(0),
	)
	ex.ctxSM = value.ObjectOf("Id", ex.smArn, "Name", ex.r.opts.StateMachineName)
}

// itemContext is the context object of a Map iteration's ItemSelector: base (the Map state's)
// with $$.Map.Item. The members of its three objects share one allocation, and base's are copied
// by reference (run-time values are never modified in place).
func itemContext(base *value.Object, index int, item any) *value.Object {
	n := base.Len()
	var ms []value.Member
	var objs *[3]value.Object
	switch {
	case n+1+1+2 <= 7: // the usual base: Execution, StateMachine, State
		b := new(itemContextBlock7)
		ms, objs = b.ms[:n+1+1+2], &b.objs
	case n+1+1+2 <= 8:
		b := new(itemContextBlock)
		ms, objs = b.ms[:n+1+1+2], &b.objs
	default:
		ms, objs = make([]value.Member, n+1+1+2), new([3]value.Object)
	}
	ctx, mp, it := ms[:n:n+1], ms[n+1:n+2:n+2], ms[n+2:]
	copy(ctx, base.Members())
	it[0], it[1] = value.Member{Key: "Index", Value: jsonInt(index)}, value.Member{Key: "Value", Value: item}
	mp[0] = value.Member{Key: "Item", Value: value.FromMembersIn(&objs[0], it)}
	m := value.Member{Key: "Map", Value: value.FromMembersIn(&objs[1], mp)}
	for i := range ctx {
		if ctx[i].Key == "Map" { // in place, as Set replaces a member
			ctx[i] = m
			return value.FromMembersIn(&objs[2], ctx)
		}
	}
	return value.FromMembersIn(&objs[2], append(ctx, m))
}

// itemContextBlock holds the objects of an item's context object and their members: one
// allocation for a base of up to 4 members (itemContextBlock7: 3, 320 bytes).
type itemContextBlock struct {
	objs [3]value.Object
	ms   [8]value.Member
}

type itemContextBlock7 struct {
	objs [3]value.Object
	ms   [7]value.Member
}

// record appends an event; update says whether it becomes the thread's previous event.
func (t *thread) record(typ, key string, details map[string]any, prev int64, update bool) int64 {
	return t.recordEvent(typ, key, details, CompactDetails{}, prev, update)
}

// recordCompact is record for an event whose details are compact.
func (t *thread) recordCompact(typ, key string, c CompactDetails, prev int64, update bool) int64 {
	return t.recordEvent(typ, key, nil, c, prev, update)
}

// recordEvent appends an event with its details in either form.
func (t *thread) recordEvent(typ, key string, details map[string]any, c CompactDetails, prev int64, update bool) int64 {
	ex := t.ex
	if t.silent {
		t.child.count()
		if t.child != nil && t.child.hist != nil {
			return t.recordChild(typ, key, details, c, prev, update)
		}
		return t.last
	}
	if !ex.recording {
		ex.mu.Lock()
		if ex.full() {
			ex.mu.Unlock()
			ex.cancel(errEventLimit)
			return t.last
		}
		ex.nextID++
		id := ex.nextID
		ex.mu.Unlock()
		if update {
			t.last = id
		}
		return id
	}
	ts := t.timestamp()
	ex.mu.Lock()
	if ex.full() {
		ex.mu.Unlock()
		ex.cancel(errEventLimit)
		return t.last
	}
	ex.nextID++
	ev := Event{ID: ex.nextID, PreviousEventID: prev, Timestamp: ts, Type: typ, Details: details, DetailsKey: key, Compact: c}
	if details == nil && c.Shape == NoShape {
		ev.DetailsKey = ""
	}
	if c.Shape != NoShape && (!ex.r.opts.DiscardEvents || !ex.r.opts.CompactDetails) {
		// A kept history (Result.Events), and OnEvent unless it takes compact details, see
		// every event's details in a map.
		ev.Details, ev.Compact = ev.DetailsMap(), CompactDetails{}
	}
	if !ex.r.opts.DiscardEvents {
		ex.events = append(ex.events, ev)
	}
	if ex.r.opts.OnEvent != nil {
		ex.r.opts.OnEvent(ev)
	}
	ex.mu.Unlock()
	if update {
		t.last = ev.ID
	}
	return ev.ID
}

// muted reports whether t's events are not recorded, so that none need its details: no history
// is kept, or t runs a child execution whose history is not recorded (Options.Children).
func (t *thread) muted() bool {
	return !t.ex.recording || t.silent && (t.child == nil || t.child.hist == nil)
}

// recordChild appends an event to the history of the child execution t runs and hands it to
// OnEvent with Event.Child set.
func (t *thread) recordChild(typ, key string, details map[string]any, c CompactDetails, prev int64, update bool) int64 {
	ex, h := t.ex, t.child.hist
	ts := t.timestamp()
	ex.mu.Lock()
	h.nextID++
	ev := Event{ID: h.nextID, PreviousEventID: prev, Timestamp: ts, Type: typ, Details: details, DetailsKey: key, Compact: c, Child: h.name}
	if details == nil && c.Shape == NoShape {
		ev.DetailsKey = ""
	}
	if c.Shape != NoShape && !ex.r.opts.CompactDetails {
		ev.Details, ev.Compact = ev.DetailsMap(), CompactDetails{}
	}
	ex.r.opts.OnEvent(ev)
	ex.mu.Unlock()
	if update {
		t.last = ev.ID
	}
	return ev.ID
}

// full reports whether the history has room only for the execution's last event (mu held): the
// next event would be number MaxHistoryEvents. The execution then fails, and every event recorded
// meanwhile by a thread that has not yet seen the cancellation is dropped.
func (ex *execution) full() bool {
	return ex.r.maxEvents > 0 && !ex.ending && ex.nextID+1 >= ex.r.maxEvents
}

func (t *thread) emit(typ, key string, details map[string]any) int64 {
	return t.record(typ, key, details, t.last, true)
}

// eventTypes are the types of a state's events (<Type>StateEntered, ...).
type eventTypes struct {
	entered, exited, aborted string
}

func eventTypesOf(typ string) eventTypes {
	return eventTypes{entered: typ + "StateEntered", exited: typ + "StateExited", aborted: typ + "StateAborted"}
}

// stateEntered records <Type>StateEntered and counts the transition.
func (t *thread) stateEntered(si *stateInfo, input any) int64 {
	t.ex.mu.Lock()
	t.ex.transitions++
	t.ex.mu.Unlock()
	if t.muted() {
		return t.emit(si.events.entered, "", nil)
	}
	return t.recordCompact(si.events.entered, "stateEnteredEventDetails",
		CompactDetails{Shape: EnteredShape, Name: si.st.Name, Payload: t.jsonText(input)}, t.last, true)
}

// stateExited records <Type>StateExited, unless the output is over the payload limit: then the
// state fails with States.DataLimitExceeded (and AWS records no exit).
func (t *thread) stateExited(si *stateInfo, out any) *stateError {
	st := si.st
	if t.muted() {
		if !t.ex.r.opts.NoPayloadLimit && t.overPayload(out) {
			return dataLimit(st.Name)
		}
		t.emit(si.events.exited, "", nil)
		return nil
	}
	text := t.jsonText(out)
	if t.ex.overLimit(len(text)) {
		return dataLimit(st.Name)
	}
	t.recordCompact(si.events.exited, "stateExitedEventDetails",
		CompactDetails{Shape: ExitedShape, Name: st.Name, Payload: text}, t.last, true)
	return nil
}

// overLimit reports whether a payload of n bytes is over AWS's limit.
func (ex *execution) overLimit(n int) bool {
	return n > maxPayload && !ex.r.opts.NoPayloadLimit
}

// dataLimit is the failure of a state whose input or output is over 256 KiB, worded as AWS words it.
func dataLimit(who string) *stateError {
	return failure("States.DataLimitExceeded", fmt.Sprintf(
		"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", who))
}

// iterationDetails is the details of the MapIteration* events of one iteration (none when the
// history is not recorded).
func (t *thread) iterationDetails(index int, name string) CompactDetails {
	if t.muted() {
		return CompactDetails{}
	}
	return CompactDetails{Shape: IterationShape, Index: index, Name: name}
}

// payloadJSON serialises a payload for an event's details ("" when the history is not recorded).
func (t *thread) payloadJSON(v any) string {
	if t.muted() {
		return ""
	}
	return toJSON(v)
}

// jsonSizeOver reports whether the JSON text of v (as toJSON writes it) is longer than limit
// bytes, without writing it.
func jsonSizeOver(v any, limit int) bool {
	n := 0
	return !jsonSize(v, &n, limit)
}

// jsonSize adds the size of v to *n; it returns false as soon as *n passes limit.
func jsonSize(v any, n *int, limit int) bool {
	switch t := v.(type) {
	case nil:
		*n += 4
	case bool:
		*n += 4
		if !t {
			*n++
		}
	case string:
		*n += stringSize(t)
	case json.Number:
		*n += max(len(t), 1)
	case *value.Object:
		*n += 1 + 2*t.Len() // braces, colons and commas
		for _, m := range t.Members() {
			*n += stringSize(m.Key)
			if *n > limit || !jsonSize(m.Value, n, limit) {
				return false
			}
		}
	case []any:
		*n += 1 + len(t)
		for _, x := range t {
			if !jsonSize(x, n, limit) {
				return false
			}
		}
	default:
		*n += len(toJSON(v))
	}
	return *n <= limit
}

// stringSize is the length of s as a JSON string literal (a close upper bound: escapes counted as
// appendString writes them).
func stringSize(s string) int {
	n := len(s) + 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20:
			n += 5
		}
	}
	return n
}
