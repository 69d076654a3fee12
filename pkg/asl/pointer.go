package asl

import "strconv"

// AWS-style locations ("/States/P/Branches[0]/States/X/Choices[2]/And[0]") are not stored: every
// model object knows its parent and its own segment, and Pointer walks up when a diagnostic or an
// event needs the text. Storing them would cost states × nesting depth memory.

// Locator is a model object with an AWS-style location.
type Locator interface {
	// Pointer returns the location, "" for the top level of the machine.
	Pointer() string
	appendPointer(b []byte) []byte
}

// segment is one step of a location: "/Key" when index < 0, else "/Key[index]" ("[index]" without a key).
type segment struct {
	key   string
	index int
}

func (s segment) appendTo(b []byte) []byte {
	if s.key != "" {
		b = append(b, '/')
		b = append(b, s.key...)
	}
	if s.index >= 0 {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s.index), 10)
		b = append(b, ']')
	}
	return b
}

// pointerOf renders a locator's location in one buffer.
func pointerOf(l Locator) string { return string(l.appendPointer(make([]byte, 0, 64))) }

// Pointer returns the scope's location: "" for the root, "/States/P/Branches[0]", "/States/M/ItemProcessor".
func (sm *StateMachine) Pointer() string { return pointerOf(sm) }

func (sm *StateMachine) appendPointer(b []byte) []byte {
	if sm.Parent == nil {
		return b
	}
	return sm.seg.appendTo(sm.Parent.appendPointer(b))
}

// Pointer returns the state's location: "/States/Name", nested "/States/P/Branches[0]/States/Name".
func (s *State) Pointer() string { return pointerOf(s) }

func (s *State) appendPointer(b []byte) []byte {
	b = s.Scope.appendPointer(b)
	b = append(b, "/States/"...)
	return append(b, s.Name...)
}

// Pointer returns the rule's location: "/States/C/Choices[0]", nested "/States/C/Choices[0]/And[1]/Not".
func (r *ChoiceRule) Pointer() string { return pointerOf(r) }

func (r *ChoiceRule) appendPointer(b []byte) []byte {
	switch {
	case r.up != nil:
		b = r.up.appendPointer(b)
	case r.state != nil:
		b = r.state.appendPointer(b)
	}
	return r.seg.appendTo(b)
}

// Pointer returns the retrier's location: "/States/T/Retry[0]".
func (r *Retrier) Pointer() string { return pointerOf(r) }

func (r *Retrier) appendPointer(b []byte) []byte {
	return segment{"Retry", r.index}.appendTo(r.state.appendPointer(b))
}

// Pointer returns the catcher's location: "/States/T/Catch[0]".
func (c *Catcher) Pointer() string { return pointerOf(c) }

func (c *Catcher) appendPointer(b []byte) []byte {
	return segment{"Catch", c.index}.appendTo(c.state.appendPointer(b))
}

// Loc is a location below a model object, rendered only when asked: At(st, "/Parameters").
type Loc struct {
	at     Locator
	suffix string
}

// At returns the location of l followed by suffix ("/Next", "/Retry[0]/ErrorEquals").
func At(l Locator, suffix string) Loc { return Loc{l, suffix} }

// Pointer returns the location text.
func (l Loc) Pointer() string { return pointerOf(l) }

func (l Loc) appendPointer(b []byte) []byte {
	if l.at != nil {
		b = l.at.appendPointer(b)
	}
	return append(b, l.suffix...)
}

// place is where the expression collector is: a model object and the path below it.
type place struct {
	at   Locator
	path *pathStep
}

// pathStep is one step of a path below a model object; steps share their parents.
type pathStep struct {
	up  *pathStep
	seg segment
}

func (p *pathStep) appendTo(b []byte) []byte {
	if p == nil {
		return b
	}
	return p.seg.appendTo(p.up.appendTo(b))
}

// field returns the place of the member key below p.
func (p place) field(key string) place { return place{p.at, &pathStep{p.path, segment{key, -1}}} }

// item returns the place of the array element i below p.
func (p place) item(i int) place { return place{p.at, &pathStep{p.path, segment{"", i}}} }

// Pointer returns the expression's location: "/States/S/Parameters/x.$", "/States/C/Choices[0]/Condition".
func (e *Expr) Pointer() string { return pointerOf(e) }

func (e *Expr) appendPointer(b []byte) []byte {
	if e.at.at != nil {
		b = e.at.at.appendPointer(b)
	}
	return e.at.path.appendTo(b)
}

// Sub returns the location suffix below l ("/Next", "[2]").
func (l Loc) Sub(suffix string) Loc { return Loc{l.at, l.suffix + suffix} }

// Item returns the location of element i of the array at l.
func (l Loc) Item(i int) Loc { return l.Sub("[" + strconv.Itoa(i) + "]") }

// BaseField returns the first field of the expression's location below the object it was collected
// from: the state field for state-level expressions, or the field of its Catcher or Choice rule
// ("Output", "Assign", "Condition", "ResultPath"); "" when the value sits directly on that object.
func (e *Expr) BaseField() string {
	p := e.at.path
	if p == nil {
		return ""
	}
	for p.up != nil {
		p = p.up
	}
	return p.seg.key
}
