// Package history presents an execution's history events: a readable table streamed as events
// happen, or AWS GetExecutionHistory JSON.
package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// TableOptions configure a Table.
type TableOptions struct {
	Color   bool // ANSI colours
	Verbose bool // whole payloads instead of one clipped line
	// Live is for a terminal: a Map of at least LiveMapMin iterations shows one progress line,
	// rewritten in place, instead of a line per iteration and per event inside them.
	Live       bool
	LiveMapMin int // default 10
	Width      int // line width that payloads are clipped to (default 120)
	StateWidth int // width of the state column (default 24)
	// Now is the wall clock that throttles progress redraws (default time.Now).
	Now func() time.Time
	// Stubbed says whether a Task state's results are stand-ins (sfn run --stub-missing): its
	// succeeded events are marked "(stub)". Nil: none is.
	Stubbed func(state string) bool
	// Where says where a state runs: directly in a Map's processor (map), or in a Parallel's
	// branch (its number, from 1). Rows of such states show the iteration index ("Reserve [3]")
	// or the branch ("Charge [b2]"). Nil: rows show names only.
	Where func(state string) (inMap bool, branch int)
}

// Column widths.
const (
	elapsedWidth = 9
	typeWidth    = 24
)

// Bounds of the table's work and memory, whatever the history's length and payload sizes.
const (
	// recentEvents is the number of recent events the table remembers (their state, the open
	// Parallel and Map states, their Map iteration); older ones are kept while later events
	// refer to them (eventCache).
	recentEvents = 1 << 15
	// exactText is the size up to which a payload is shown exactly as json.Compact (or, for
	// text that is not JSON, whitespace folding) makes it; longer payloads are read only as far
	// as the clipped line shows, taking text that starts with '{', '[' or '"' for JSON.
	exactText = 4 << 10
	// scanText bounds how much of a payload is read for a clipped line (whitespace included).
	scanText = 64 << 10
	// maxCells bounds the caches of rendered type and state cells (names come from the
	// definition; the bound only guards against a machine with very many).
	maxCells = 4096
	// flushDelay is how long a written line may wait in the buffer.
	flushDelay = 50 * time.Millisecond
)

// Table writes history events as lines: elapsed time, event type, state name, short payload.
// Lines go through a buffer, flushed within flushDelay, by Print and by Close. Memory does not
// grow with the number of events. It is safe for concurrent use.
type Table struct {
	mu   sync.Mutex
	w    *bufio.Writer
	out  *asyncWriter // behind w: writes in the background between flushes
	sync func()       // waits for the events on their way (SetSync)
	// lastPlace is the last state name with its place (located).
	lastPlace struct {
		key  placeKey
		text string
	}
	opts TableOptions
	st   styles
	line []byte // the line being built, reused
	pay  []byte // the payload being read, reused

	first    time.Time
	started  bool
	events   eventCache         // what later events need to know of earlier ones (bounded)
	active   map[string]*mapRun // Map state name → its innermost active run
	progress *mapRun            // the folded Map whose progress line is on screen
	drawn    bool               // a progress line is on screen
	lastDraw time.Time
	lastName string

	typeCells  cellCache // event type → its padded, styled cell
	stateCells cellCache // state name → its escaped, clipped, padded, styled cell
	// elapsed and elapsedCell: the last elapsed time written and its padded, styled cell.
	elapsed     time.Duration
	elapsedCell []byte

	flushArmed bool // a flush is scheduled
	timer      *time.Timer
	closed     bool // after Close, every write is flushed at once
}

// mapRun is one execution of a Map state.
type mapRun struct {
	name                         string
	parent                       *mapRun // the Map iteration this Map runs in (nil: none)
	shadowed                     *mapRun // the active run of the same name this one hides
	folded                       bool    // shown as a progress line
	ended                        bool    // its MapStateSucceeded/Failed/Aborted was seen
	total, done, running, failed int
}

// NewTable returns a table writing to w.
func NewTable(w io.Writer, opts TableOptions) *Table {
	if opts.LiveMapMin <= 0 {
		opts.LiveMapMin = 10
	}
	if opts.Width <= 0 {
		opts.Width = 120
	}
	if opts.StateWidth <= 0 {
		opts.StateWidth = 24
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	t := &Table{
		opts:       opts,
		active:     map[string]*mapRun{},
		typeCells:  cellCache{m: map[string]string{}},
		stateCells: cellCache{m: map[string]string{}},
	}
	t.out = &asyncWriter{bg: bgWriter{w: w}}
	t.w = bufio.NewWriterSize(t.out, 32<<10)
	if opts.Color {
		t.st = colorStyles()
	}
	t.events.init(recentEvents)
	return t
}

// Event writes one event (or, inside a folded Map, updates its progress line).
func (t *Table) Event(ev run.Event) {
	e := &ev
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.started {
		t.first, t.started = e.Timestamp, true
	}
	if e.Child != "" {
		t.childEvent(e)
		return
	}
	prev := t.events.get(e.PreviousEventID)
	name, sc := t.stateName(e, prev)
	owner := t.ownerOf(e, prev)
	at, inherit, mapLevel := iterationOf(e, name, prev)
	t.events.put(e.ID, eventInfo{known: true, name: name, scope: sc, owner: owner, at: at, inherit: inherit, mapLevel: mapLevel})

	if t.opts.Live && folded(owner) {
		// Inside a folded Map: count iterations of the outermost folded one, print nothing.
		if m := outermostFolded(owner); m != nil && strings.HasPrefix(e.Type, "MapIteration") && m.name == detailString(e, "name") && t.iterationOf(e) == m {
			m.count(e.Type)
			t.draw(m, false)
			t.written()
		}
		return
	}
	summary := ""
	switch e.Type {
	case "MapStateStarted":
		if m := t.active[name]; m != nil {
			if n, ok := detailNumber(e, "length"); ok {
				m.total = n
			}
			m.folded = t.opts.Live && m.total >= t.opts.LiveMapMin
		}
	case "MapStateSucceeded", "MapStateFailed", "MapStateAborted":
		if m := t.active[name]; m != nil {
			m.ended = true
			if m.folded {
				summary = fmt.Sprintf("%d/%d iterations succeeded, %d failed", m.done, m.total, m.failed)
				if t.progress == m {
					t.progress = nil
				}
			}
		}
	}
	t.clearProgress()
	t.writeLine(e, t.located(name, at), summary)
	if summary == "" {
		t.writeCause(e)
	}
	if m := t.progress; m != nil {
		t.draw(m, true)
	}
	t.written()
}

// SetSync sets a function that Print and Log call first, to wait for the events on their way to
// the table (Pipe.Sync), so that a line comes after the events recorded before it. It must not
// be called by the goroutine that delivers the events.
func (t *Table) SetSync(sync func()) {
	t.mu.Lock()
	t.sync = sync
	t.mu.Unlock()
}

// waitEvents calls the sync function, if any (mu not held: the events need it).
func (t *Table) waitEvents() {
	t.mu.Lock()
	sync := t.sync
	t.mu.Unlock()
	if sync != nil {
		sync()
	}
}

// Print writes a line of text between events (keeping a progress line below it); control
// characters in it are escaped (safetext). It is written out at once.
func (t *Table) Print(text string) {
	t.waitEvents()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearProgress()
	t.w.WriteString(safetext.Escape(text))
	t.w.WriteByte('\n')
	if m := t.progress; m != nil {
		t.draw(m, true)
	}
	t.flush()
}

// Close removes the progress line, if any, and writes out what is buffered. Lines written
// after Close are written out at once.
func (t *Table) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearProgress()
	t.progress = nil
	t.closed = true
	if t.timer != nil {
		t.timer.Stop()
	}
	t.flush()
	t.out.close() // from now on, writes are made at once
}

// written schedules a flush of what was just buffered (mu held).
func (t *Table) written() {
	switch {
	case t.closed:
		t.flush()
	case !t.flushArmed && t.w.Buffered() > 0:
		t.flushArmed = true
		if t.timer == nil {
			t.timer = time.AfterFunc(flushDelay, t.timedFlush)
		} else {
			t.timer.Reset(flushDelay)
		}
	}
}

// timedFlush hands the lines buffered to the background writer.
func (t *Table) timedFlush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flushArmed = false
	_ = t.w.Flush()
	t.out.flush(t.closed)
}

// flush writes the buffer out and waits until it is written (mu held). Write errors are
// ignored: the table is a display.
func (t *Table) flush() {
	t.flushArmed = false
	_ = t.w.Flush()
	t.out.flush(true)
}

// eventInfo is what later events need to know of an event.
type eventInfo struct {
	known bool    // the event was seen (and is still remembered)
	name  string  // its state
	scope *scope  // the Parallel and Map states open on its line
	owner *mapRun // the Map iteration it belongs to (nil: none)
	// at is the Map iteration the event's row shows (nil: none); inherit is the one the events
	// after it run in (a MapIterationStarted starts its iteration); mapLevel names the Map
	// state whose own event it is ("" for others).
	at, inherit *iterLoc
	mapLevel    string
}

// eventCache maps event ids to their eventInfo: the last recentEvents events by id in a ring
// (ids are consecutive), and the older events still referred to in two generations of a map: an
// event looked up when it is half the ring old moves to the current generation; when that is
// full it becomes the old one and the old one is dropped. Memory stays bounded whatever the
// number of events.
type eventCache struct {
	ring     []eventSlot
	latest   int64 // the largest id put
	cur, old map[int64]eventInfo
}

type eventSlot struct {
	id   int64
	info eventInfo
}

func (c *eventCache) init(size int) {
	c.ring = make([]eventSlot, size) // size: a power of two
	c.cur, c.old = map[int64]eventInfo{}, map[int64]eventInfo{}
}

func (c *eventCache) get(id int64) eventInfo {
	if s := &c.ring[id&int64(len(c.ring)-1)]; s.id == id && s.info.known {
		if c.latest-id >= int64(len(c.ring)/2) {
			c.keep(id, s.info) // still referred to: keep it when the ring moves on
		}
		return s.info
	}
	if v, ok := c.cur[id]; ok {
		return v
	}
	v, ok := c.old[id]
	if ok {
		c.keep(id, v)
	}
	return v
}

func (c *eventCache) put(id int64, v eventInfo) {
	c.ring[id&int64(len(c.ring)-1)] = eventSlot{id, v}
	c.latest = max(c.latest, id)
}

// keep puts an older event in the current generation.
func (c *eventCache) keep(id int64, v eventInfo) {
	if len(c.cur) >= len(c.ring)/4 {
		c.old, c.cur = c.cur, c.old
		clear(c.cur)
	}
	c.cur[id] = v
}

// scope is a Parallel or Map state open on an event's line (a persistent stack).
type scope struct {
	name   string
	parent *scope
}

// stateName is the state an event belongs to: its details' name; for the events of a Parallel
// or Map state that carry none, that state; else its previous event's state. It returns the
// scopes open on the event's line too.
func (t *Table) stateName(e *run.Event, prev eventInfo) (string, *scope) {
	sc := prev.scope
	if strings.HasPrefix(e.Type, "Execution") {
		return "", sc
	}
	composite := strings.HasPrefix(e.Type, "ParallelState") || strings.HasPrefix(e.Type, "MapState")
	if n := detailString(e, "name"); n != "" {
		switch {
		case composite && strings.HasSuffix(e.Type, "Entered"):
			sc = &scope{name: n, parent: sc}
		case composite && strings.HasSuffix(e.Type, "Exited") && sc != nil:
			sc = sc.parent
		}
		t.lastName = n
		return n, sc
	}
	if composite && sc != nil {
		return sc.name, sc
	}
	if prev.name != "" {
		return prev.name, sc
	}
	return t.lastName, sc
}

// ownerOf finds the Map iteration an event runs in, and keeps track of Map runs.
func (t *Table) ownerOf(e *run.Event, prev eventInfo) *mapRun {
	name := detailString(e, "name")
	switch e.Type {
	case "MapStateEntered":
		// Runs that ended without MapStateExited (failed) are hidden no more.
		sh := t.active[name]
		for sh != nil && sh.ended {
			sh = sh.shadowed
		}
		t.active[name] = &mapRun{name: name, parent: prev.owner, shadowed: sh}
		return prev.owner
	case "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted":
		if m := t.active[name]; m != nil {
			return m
		}
	case "MapStateSucceeded", "MapStateFailed", "MapStateAborted", "MapStateExited",
		"MapRunStarted", "MapRunSucceeded", "MapRunFailed", "MapRunAborted", "MapStateStarted":
		if m := t.active[t.lastMapName(e, prev)]; m != nil {
			if e.Type == "MapStateExited" {
				t.active[m.name] = m.shadowed
			}
			return m.parent
		}
	}
	return prev.owner
}

// iterationOf is the Map run a MapIteration event counts for.
func (t *Table) iterationOf(e *run.Event) *mapRun { return t.active[detailString(e, "name")] }

// lastMapName is the Map state a MapState*/MapRun* event (which has no name) belongs to.
func (t *Table) lastMapName(e *run.Event, prev eventInfo) string {
	if n := detailString(e, "name"); n != "" {
		return n
	}
	if prev.known && t.active[prev.name] != nil {
		return prev.name
	}
	// The innermost active Map.
	best := ""
	for n, m := range t.active {
		if m != nil && (best == "" || n < best) {
			best = n
		}
	}
	return best
}

func folded(m *mapRun) bool { return outermostFolded(m) != nil }

func outermostFolded(m *mapRun) *mapRun {
	var out *mapRun
	for ; m != nil; m = m.parent {
		if m.folded {
			out = m
		}
	}
	return out
}

func (m *mapRun) count(typ string) {
	switch typ {
	case "MapIterationStarted":
		m.running++
	case "MapIterationSucceeded":
		m.running--
		m.done++
	case "MapIterationFailed", "MapIterationAborted":
		m.running--
		m.failed++
	}
}

// draw (re)writes the progress line of m, at most every 50 ms unless force.
func (t *Table) draw(m *mapRun, force bool) {
	now := t.opts.Now()
	if !force && t.progress == m && t.drawn && now.Sub(t.lastDraw) < 50*time.Millisecond && m.done+m.failed < m.total {
		return
	}
	t.progress, t.lastDraw = m, now
	text := fmt.Sprintf("%s %s: %d/%d done, %d running, %d failed",
		strings.Repeat(" ", elapsedWidth), safetext.Escape(m.name), m.done, m.total, m.running, m.failed)
	t.w.WriteString("\r\x1b[2K")
	t.w.Write(t.st.start.wrap(t.line[:0], clip(text, t.opts.Width)))
	t.drawn = true
}

func (t *Table) clearProgress() {
	if t.drawn {
		t.w.WriteString("\r\x1b[2K")
		t.drawn = false
	}
	if m := t.progress; m != nil && t.active[m.name] != m {
		t.progress = nil
	}
}

// writeLine writes one event line. State names and payloads come from the definition and the
// data: their control characters are escaped (safetext) before they are clipped. A clipped
// payload is read only as far as the line shows it.
func (t *Table) writeLine(e *run.Event, name, summary string) {
	var payload []byte
	more := false
	stub := ""
	if t.opts.Stubbed != nil && stubbable(e.Type) && t.opts.Stubbed(name) {
		stub = "(stub) "
	}
	switch {
	case summary != "":
		payload = []byte(summary)
	case t.opts.Verbose:
		payload = []byte(stub + safetext.Escape(t.payload(e)))
	default:
		c := clipBuf{b: t.pay[:0], limit: 4*t.payloadRoom() + 16}
		c.str(stub)
		t.appendPayload(&c, e)
		t.pay, payload, more = c.b, c.b, c.cut
		if !printableASCII(payload) {
			payload = []byte(safetext.Escape(string(payload)))
		}
	}
	t.line = t.appendLine(t.line[:0], e.Timestamp.Sub(t.first), e.Type, name, payload, more)
	t.w.Write(t.line)
}

// stubbable reports whether an event carries a task's result (marked when it is a stand-in).
func stubbable(typ string) bool {
	return typ == "TaskSucceeded" || typ == "LambdaFunctionSucceeded" || typ == "ActivitySucceeded"
}

// payloadRoom is the width payloads are clipped to.
func (t *Table) payloadRoom() int {
	return max(t.opts.Width-elapsedWidth-typeWidth-t.opts.StateWidth-3, 20)
}

// appendLine appends the line of an event: the elapsed time, the type and state cells and the
// payload (clipped unless Verbose; more: the payload goes on past its text), with no trailing
// spaces, and a newline.
func (t *Table) appendLine(b []byte, elapsed time.Duration, typ, name string, payload []byte, more bool) []byte {
	b = append(b, t.elapsedText(elapsed)...)
	b = append(b, ' ')
	b = append(b, t.typeCell(typ)...)
	b = append(b, ' ')
	b = t.appendStateCell(b, name)
	if !t.opts.Verbose && (more || len(payload) > 0) {
		payload = clipBytes(payload, t.payloadRoom(), more)
	}
	if len(payload) > 0 {
		b = append(b, ' ')
		b = append(b, t.st.dim.pre...)
		b = append(b, payload...)
		b = append(b, t.st.dim.post...)
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return append(b, '\n')
}

// elapsedText is the elapsed time padded to its column and styled (the last one remembered:
// on the virtual clock many events share a time).
func (t *Table) elapsedText(elapsed time.Duration) []byte {
	if t.elapsedCell != nil && elapsed == t.elapsed {
		return t.elapsedCell
	}
	var num [24]byte
	el := appendElapsed(num[:0], elapsed)
	b := append(t.elapsedCell[:0], t.st.elapsed.pre...)
	for range elapsedWidth - len(el) {
		b = append(b, ' ')
	}
	b = append(b, el...)
	t.elapsed, t.elapsedCell = elapsed, append(b, t.st.elapsed.post...)
	return t.elapsedCell
}

// typeCell is an event type padded to its column and styled (cached per type).
func (t *Table) typeCell(typ string) string {
	if c, ok := t.typeCells.get(typ); ok {
		return c
	}
	c := string(t.st.forType(typ).wrap(nil, pad(typ, typeWidth)))
	t.typeCells.put(typ, c)
	return c
}

// cellCache maps texts (event types, state names) to their rendered cells: a small
// direct-mapped array in front of a map, since the same few come again and again. The map
// holds at most maxCells.
type cellCache struct {
	slots [32]cellSlot
	m     map[string]string
}

type cellSlot struct {
	key, cell string
	set       bool
}

// slot is where key goes in the array: a cheap mix of its length and its ends.
func (c *cellCache) slot(key string) *cellSlot {
	h := len(key)
	if h > 0 {
		h = h*7 + int(key[0])*3 + int(key[h-1])
	}
	return &c.slots[h&(len(c.slots)-1)]
}

func (c *cellCache) get(key string) (string, bool) {
	s := c.slot(key)
	if s.set && s.key == key {
		return s.cell, true
	}
	cell, ok := c.m[key]
	if ok {
		*s = cellSlot{key, cell, true}
	}
	return cell, ok
}

func (c *cellCache) put(key, cell string) {
	*c.slot(key) = cellSlot{key, cell, true}
	if len(c.m) < maxCells {
		c.m[key] = cell
	}
}

// appendStateCell appends the state cell of name: a short printable ASCII name (most names, and
// the names with a Map iteration's index, each seen once) directly, others through stateCell.
func (t *Table) appendStateCell(b []byte, name string) []byte {
	w := t.opts.StateWidth
	if len(name) > w || !printableASCIIString(name) {
		return append(b, t.stateCell(name)...)
	}
	b = append(b, t.st.state.pre...)
	b = append(b, name...)
	for range w - len(name) {
		b = append(b, ' ')
	}
	return append(b, t.st.state.post...)
}

// printableASCIIString is printableASCII for a string.
func printableASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// stateCell is a state name escaped, clipped and padded to its column, and styled (cached per
// name).
func (t *Table) stateCell(name string) string {
	if c, ok := t.stateCells.get(name); ok {
		return c
	}
	w := t.opts.StateWidth
	c := string(t.st.state.wrap(nil, pad(clip(safetext.Escape(name), w), w)))
	t.stateCells.put(name, c)
	return c
}

// style is a pre-rendered text style: the escape codes around a text (none: plain).
type style struct{ pre, post string }

func (s style) wrap(b []byte, text string) []byte {
	if s.pre == "" {
		return append(b, text...)
	}
	b = append(b, s.pre...)
	b = append(b, text...)
	return append(b, s.post...)
}

// styles are the table's styles; the zero value is plain text.
type styles struct {
	elapsed, state, dim, ok, bad, start style
}

// colorStyles renders each lipgloss style once around a marker and keeps the codes on either
// side, so that a line costs no lipgloss call (the same bytes as rendering each cell: a one-line
// text without tabs, as escaped cells are, is rendered as prefix + text + suffix).
func colorStyles() styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	of := func(s lipgloss.Style) style {
		out := s.Render("x")
		i := strings.IndexByte(out, 'x')
		return style{pre: out[:i], post: out[i+1:]}
	}
	return styles{
		elapsed: of(r.NewStyle().Faint(true)),
		state:   of(r.NewStyle().Bold(true)),
		dim:     of(r.NewStyle().Faint(true)),
		ok:      of(r.NewStyle().Foreground(lipgloss.Color("2"))),
		bad:     of(r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)),
		start:   of(r.NewStyle().Foreground(lipgloss.Color("6"))),
	}
}

func (s *styles) forType(typ string) style {
	switch {
	case strings.HasSuffix(typ, "Failed"), strings.HasSuffix(typ, "TimedOut"), strings.HasSuffix(typ, "Aborted"):
		return s.bad
	case typ == "ExecutionSucceeded", strings.HasSuffix(typ, "Succeeded"):
		return s.ok
	case strings.HasSuffix(typ, "Entered"), typ == "ExecutionStarted":
		return s.start
	}
	return style{}
}

// clipBuf collects text up to limit bytes (negative: no limit), cut at a character boundary;
// cut says whether text was left out.
type clipBuf struct {
	b     []byte
	limit int
	cut   bool
}

func (c *clipBuf) room() int {
	if c.limit < 0 {
		return int(^uint(0) >> 1)
	}
	return max(c.limit-len(c.b), 0)
}

func (c *clipBuf) full() bool { return c.room() == 0 }

// str appends as much of s as fits.
func (c *clipBuf) str(s string) {
	if r := c.room(); len(s) > r {
		for r > 0 && !utf8.RuneStart(s[r]) {
			r--
		}
		s = s[:r]
		c.cut = true
	}
	c.b = append(c.b, s...)
}

// payload is the interesting part of an event's details, on one line, whole.
func (t *Table) payload(e *run.Event) string {
	c := clipBuf{limit: -1}
	t.appendPayload(&c, e)
	return string(c.b)
}

// appendPayload writes the interesting part of an event's details, on one line, into c.
func (t *Table) appendPayload(c *clipBuf, e *run.Event) {
	switch e.Compact.Shape {
	case run.EnteredShape, run.ExitedShape:
		appendDetailString(c, e.Compact.Payload)
		return
	case run.IterationShape:
		c.str("#")
		c.b = strconv.AppendInt(c.b, int64(e.Compact.Index), 10) // a few bytes: within any clip
		return
	}
	if detailCount(e) == 0 {
		return
	}
	if errName, ok := detail(e, "error").(string); ok {
		c.str(errName)
		cause := detail(e, "cause")
		if cause == nil {
			return
		}
		if c.full() {
			c.cut = true
			return
		}
		mark, cut := len(c.b), c.cut
		c.str(": ")
		n := len(c.b)
		appendDetailText(c, cause)
		if len(c.b) == n && c.cut == cut {
			c.b = c.b[:mark] // the cause shows as nothing
		}
		return
	}
	for _, k := range []string{"output", "input", "parameters"} {
		if hasDetail(e, k) {
			if appendAssigned(c, detail(e, "assignedVariables")) {
				c.str("; " + k + " ")
			}
			appendDetailText(c, detail(e, k))
			return
		}
	}
	switch e.Type {
	case "MapStateStarted":
		if n, ok := detailNumber(e, "length"); ok {
			if n == 1 {
				c.str("1 iteration")
				return
			}
			c.str(strconv.Itoa(n) + " iterations")
			return
		}
	case "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted":
		if n, ok := detailNumber(e, "index"); ok {
			c.str("#" + strconv.Itoa(n))
			return
		}
	}
	rest := map[string]any{}
	seq, _ := members(e.DetailsMap())
	for k, v := range seq {
		if k != "name" && !strings.HasSuffix(k, "Details") {
			rest[k] = v
		}
	}
	if len(rest) == 0 {
		return
	}
	if len(rest) == 2 && rest["resourceType"] != nil && rest["resource"] != nil {
		if rest["resourceType"] == "" { // a Resource that is no service integration: as written
			c.str(fmt.Sprint(rest["resource"]))
			return
		}
		c.str(fmt.Sprintf("%v:%v", rest["resourceType"], rest["resource"]))
		return
	}
	c.str(compact(rest))
}

// appendAssigned shows the variables a state assigned (assignedVariables: name → JSON text) as
// "$a=1, $b=[2]" in name order; it reports whether there were any.
func appendAssigned(c *clipBuf, v any) bool {
	seq, n := members(v)
	if n == 0 {
		return false
	}
	vals := make(map[string]any, n)
	for k, x := range seq {
		vals[k] = x
	}
	for i, k := range slices.Sorted(maps.Keys(vals)) {
		if i > 0 {
			c.str(", ")
		}
		c.str("$" + k + "=")
		appendDetailText(c, vals[k])
	}
	return true
}

// appendDetailText shows a details value: JSON text (input, output, ...) compacted, other text
// on one line, other values as JSON. A text longer than exactText is read only as far as c
// holds.
func appendDetailText(c *clipBuf, v any) {
	s, ok := v.(string)
	switch {
	case v == nil:
	case !ok:
		c.str(compact(v))
	default:
		appendDetailString(c, s)
	}
}

// appendDetailString is appendDetailText for a text.
func appendDetailString(c *clipBuf, s string) {
	switch {
	case (c.limit < 0 || len(s) <= exactText) && plainWord(s):
		c.str(s) // compacted or folded, it stays as it is
	case c.limit < 0 || len(s) <= exactText:
		if json.Valid([]byte(s)) {
			compactPrefix(c, s) // as json.Compact writes valid JSON
			return
		}
		c.str(oneLine(s))
	default:
		if len(s) > scanText {
			n := scanText
			for n > 0 && !utf8.RuneStart(s[n]) {
				n--
			}
			s = s[:n]
			defer func() { c.cut = true }()
		}
		t := strings.TrimLeft(s, " \t\r\n")
		if t != "" && (t[0] == '{' || t[0] == '[' || t[0] == '"') {
			compactPrefix(c, t)
		} else {
			oneLinePrefix(c, s)
		}
	}
}

// plainWord reports whether s is printable ASCII without spaces (most payloads the interpreter
// records: compact JSON whose strings hold no spaces).
func plainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// compactPrefix writes JSON text s without the white space outside its strings, as far as c
// holds (reading no further).
func compactPrefix(c *clipBuf, s string) {
	inString, escaped := false, false
	start, i := 0, 0
	for ; i < len(s) && i-start < c.room(); i++ {
		ch := s[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
		case ch == '"':
			inString = true
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			c.str(s[start:i])
			start = i + 1
		}
	}
	c.str(s[start:i])
	if strings.TrimRight(s[i:], " \t\r\n") != "" {
		c.cut = true
	}
}

// oneLinePrefix writes s with its runs of white space as one space and none at either end
// (strings.Fields joined by spaces), as far as c holds.
func oneLinePrefix(c *clipBuf, s string) {
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
			i += size
			continue
		}
		if c.full() {
			c.cut = true
			return
		}
		if space && len(c.b) > 0 {
			c.str(" ")
		}
		space = false
		c.str(s[i : i+size])
		i += size
	}
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// The event details are read only through detail, hasDetail, detailCount and members: the
// one place that knows their Go type.

func detailCount(e *run.Event) int {
	switch e.Compact.Shape {
	case run.NoShape:
		return len(e.Details)
	case run.IterationShape:
		return 2
	}
	return 3
}

// detail is a member of the details; compact details build no map for it.
func detail(e *run.Event, key string) any {
	if e.Compact.Shape == run.NoShape {
		return e.Details[key]
	}
	if !hasDetail(e, key) {
		return nil
	}
	switch key {
	case "name", "input", "output":
		s, _ := e.DetailString(key)
		return s
	case "index":
		return e.Compact.Index
	}
	return e.DetailsMap()[key]
}

func hasDetail(e *run.Event, key string) bool {
	switch e.Compact.Shape {
	case run.NoShape:
		_, ok := e.Details[key]
		return ok
	case run.EnteredShape:
		return key == "name" || key == "input" || key == "inputDetails"
	case run.ExitedShape:
		return key == "name" || key == "output" || key == "outputDetails"
	}
	return key == "name" || key == "index"
}

// members are the members of a JSON object value: a Go map (event details) or an ordered
// run-time object; n = 0 for anything else.
func members(v any) (seq iter.Seq2[string, any], n int) {
	switch m := v.(type) {
	case map[string]any:
		return maps.All(m), len(m)
	case *value.Object:
		if m != nil {
			return m.All(), m.Len()
		}
	}
	return func(func(string, any) bool) {}, 0
}

func detailString(e *run.Event, key string) string {
	if e.Compact.Shape != run.NoShape {
		if key == "name" {
			return e.Compact.Name
		}
		return ""
	}
	s, _ := detail(e, key).(string)
	return s
}

func detailNumber(e *run.Event, key string) (int, bool) {
	if e.Compact.Shape == run.IterationShape && key == "index" {
		return e.Compact.Index, true
	}
	switch v := detail(e, key).(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		return int(v), true
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// formatElapsed formats a duration as seconds with milliseconds ("1.250s"), or minutes and
// seconds past a minute ("2m03.500s"), or hours past an hour.
func formatElapsed(d time.Duration) string { return string(appendElapsed(nil, d)) }

func appendElapsed(b []byte, d time.Duration) []byte {
	if d < 0 {
		d = 0
	}
	ms := d.Milliseconds()
	switch {
	case d < time.Minute: // 59.999s
		b = strconv.AppendInt(b, ms/1000, 10)
		b = append(b, '.')
		b = appendDigits(b, ms%1000, 3)
	case d < 10*time.Minute: // 9m59.999s
		b = strconv.AppendInt(b, ms/60000, 10)
		b = append(b, 'm')
		b = appendDigits(b, ms/1000%60, 2)
		b = append(b, '.')
		b = appendDigits(b, ms%1000, 3)
	case d < time.Hour: // 59m59.9s: the column stays elapsedWidth wide
		b = strconv.AppendInt(b, ms/60000, 10)
		b = append(b, 'm')
		b = appendDigits(b, ms/1000%60, 2)
		b = append(b, '.')
		b = appendDigits(b, ms%1000/100, 1)
	case d < 100*time.Hour: // 99h59m59s
		b = strconv.AppendInt(b, ms/3600000, 10)
		b = append(b, 'h')
		b = appendDigits(b, ms/60000%60, 2)
		b = append(b, 'm')
		b = appendDigits(b, ms/1000%60, 2)
	default: // 364d23h59m (a virtual run of days; a year at most)
		days := ms / 86400000
		b = strconv.AppendInt(b, days, 10)
		b = append(b, 'd')
		b = appendDigits(b, ms/3600000%24, 2)
		b = append(b, 'h')
		if days < 100 {
			b = appendDigits(b, ms/60000%60, 2)
			b = append(b, 'm')
		}
		return b
	}
	return append(b, 's')
}

// appendDigits appends n (0 ≤ n < 10^width) zero-padded to width digits.
func appendDigits(b []byte, n int64, width int) []byte {
	var d [3]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}

// width is the number of terminal cells s takes (as lipgloss measures a line): its length
// for printable ASCII, which escaped text mostly is.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return lipglossWidth(s)
		}
	}
	return len(s)
}

// lipglossWidth is lipgloss.Width: the width of the widest line.
func lipglossWidth(s string) int {
	w := 0
	for line := range strings.SplitSeq(s, "\n") {
		w = max(w, ansi.StringWidth(line))
	}
	return w
}

// pad right-pads s with spaces to width cells.
func pad(s string, w int) string {
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// clip shortens s to w cells, ending it with "…".
func clip(s string, w int) string {
	if width(s) <= w {
		return s
	}
	return clipTo(s, w)
}

// clipTo keeps the characters of s that fit in w-1 cells and adds "…".
func clipTo(s string, w int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		rw := width(s[i : i+size])
		if n+rw > w-1 {
			break
		}
		b.WriteString(s[i : i+size])
		n += rw
		i += size
	}
	return b.String() + "…"
}

// clipMore is clip for the start of a longer text (more): it ends with "…" even when it fits.
func clipMore(s string, w int, more bool) string {
	if !more || width(s) > w {
		return clip(s, w)
	}
	return clipTo(s, w)
}

// clipBytes is clipMore for text in a buffer it may write into: printable ASCII (one cell a
// byte) is cut in place.
func clipBytes(p []byte, w int, more bool) []byte {
	if !printableASCII(p) {
		return []byte(clipMore(string(p), w, more))
	}
	if !more && len(p) <= w {
		return p
	}
	return append(p[:min(len(p), w-1)], "…"...)
}

// printableASCII reports whether p is printable ASCII: safe to show (safetext leaves it as it
// is) and one cell a byte.
func printableASCII(p []byte) bool {
	for _, c := range p {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// StateWidth is a state column width that fits the longest of names (at least 12, at most 32).
func StateWidth(names []string) int {
	w := 12
	for _, n := range names {
		w = max(w, width(n))
	}
	return min(w, 32)
}

// childEvent writes an event of a distributed Map child execution's own history (--children):
// its state, or the execution event, tagged with the child's name. Its ids are its own history's,
// so it is kept apart from the execution's events.
func (t *Table) childEvent(e *run.Event) {
	if t.opts.Live && t.progress != nil && t.progress.folded {
		return // a folded Map shows its progress line instead
	}
	// "↳3 Resize": the state of child 3; its Execution events carry the child's whole name.
	child := e.Child // the cell is escaped where it is written (stateCell)
	index := child[strings.LastIndexByte(child, '-')+1:]
	cell := "↳" + index + " " + child
	if name := detailString(e, "name"); name != "" {
		cell = "↳" + index + " " + name
	}
	t.clearProgress()
	t.writeLine(e, cell, "")
	t.writeCause(e)
	t.written()
}
