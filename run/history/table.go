// Package history presents an execution's history events: a readable table streamed as events
// happen, or AWS GetExecutionHistory JSON.
package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sfn-tool/sfn/internal/safetext"
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
}

// Column widths.
const (
	elapsedWidth = 9
	typeWidth    = 24
)

// Table writes history events as lines: elapsed time, event type, state name, short payload.
// It is safe for concurrent use.
type Table struct {
	mu   sync.Mutex
	w    io.Writer
	opts TableOptions

	elapsed, state, dim lipgloss.Style
	ok, bad, start      lipgloss.Style

	first    time.Time
	started  bool
	names    map[int64]string   // event id → state name
	scopes   map[int64]*scope   // event id → the Parallel and Map states open on its line
	owner    map[int64]*mapRun  // event id → the Map iteration it belongs to (nil: none)
	active   map[string]*mapRun // Map state name → its innermost active run
	progress *mapRun            // the folded Map whose progress line is on screen
	drawn    bool               // a progress line is on screen
	lastDraw time.Time
	lastName string
}

// mapRun is one execution of a Map state.
type mapRun struct {
	name                         string
	parent                       *mapRun // the Map iteration this Map runs in (nil: none)
	shadowed                     *mapRun // the active run of the same name this one hides
	folded                       bool    // shown as a progress line
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
	r := lipgloss.NewRenderer(w)
	if opts.Color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return &Table{
		w: w, opts: opts,
		elapsed: r.NewStyle().Faint(true),
		state:   r.NewStyle().Bold(true),
		dim:     r.NewStyle().Faint(true),
		ok:      r.NewStyle().Foreground(lipgloss.Color("2")),
		bad:     r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		start:   r.NewStyle().Foreground(lipgloss.Color("6")),
		names:   map[int64]string{},
		scopes:  map[int64]*scope{},
		owner:   map[int64]*mapRun{},
		active:  map[string]*mapRun{},
	}
}

// Event writes one event (or, inside a folded Map, updates its progress line).
func (t *Table) Event(e run.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.started {
		t.first, t.started = e.Timestamp, true
	}
	name := t.stateName(e)
	owner := t.ownerOf(e)
	t.names[e.ID] = name
	t.owner[e.ID] = owner

	if t.opts.Live && folded(owner) {
		// Inside a folded Map: count iterations of the outermost folded one, print nothing.
		if m := outermostFolded(owner); m != nil && strings.HasPrefix(e.Type, "MapIteration") && m.name == detailString(e, "name") && t.iterationOf(e) == m {
			m.count(e.Type)
			t.draw(m, false)
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
		if m := t.active[name]; m != nil && m.folded {
			summary = fmt.Sprintf("%d/%d iterations succeeded, %d failed", m.done, m.total, m.failed)
			if t.progress == m {
				t.progress = nil
			}
		}
	}
	t.clearProgress()
	t.line(e, name, summary)
	if m := t.progress; m != nil {
		t.draw(m, true)
	}
}

// Print writes a line of text between events (keeping a progress line below it); control
// characters in it are escaped (safetext).
func (t *Table) Print(text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearProgress()
	fmt.Fprintln(t.w, safetext.Escape(text))
	if m := t.progress; m != nil {
		t.draw(m, true)
	}
}

// Close removes the progress line, if any.
func (t *Table) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearProgress()
	t.progress = nil
}

// scope is a Parallel or Map state open on an event's line (a persistent stack).
type scope struct {
	name   string
	parent *scope
}

// stateName is the state an event belongs to: its details' name; for the events of a Parallel
// or Map state that carry none, that state; else its previous event's state.
func (t *Table) stateName(e run.Event) string {
	sc := t.scopes[e.PreviousEventID]
	defer func() { t.scopes[e.ID] = sc }()
	if strings.HasPrefix(e.Type, "Execution") {
		return ""
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
		return n
	}
	if composite && sc != nil {
		return sc.name
	}
	if n, ok := t.names[e.PreviousEventID]; ok && n != "" {
		return n
	}
	return t.lastName
}

// ownerOf finds the Map iteration an event runs in, and keeps track of Map runs.
func (t *Table) ownerOf(e run.Event) *mapRun {
	prevOwner := t.owner[e.PreviousEventID]
	name := detailString(e, "name")
	switch e.Type {
	case "MapStateEntered":
		m := &mapRun{name: name, parent: prevOwner, shadowed: t.active[name]}
		t.active[name] = m
		return prevOwner
	case "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted":
		if m := t.active[name]; m != nil {
			return m
		}
	case "MapStateSucceeded", "MapStateFailed", "MapStateAborted", "MapStateExited",
		"MapRunStarted", "MapRunSucceeded", "MapRunFailed", "MapRunAborted", "MapStateStarted":
		if m := t.active[t.lastMapName(e)]; m != nil {
			if e.Type == "MapStateExited" {
				t.active[m.name] = m.shadowed
			}
			return m.parent
		}
	}
	return prevOwner
}

// iterationOf is the Map run a MapIteration event counts for.
func (t *Table) iterationOf(e run.Event) *mapRun { return t.active[detailString(e, "name")] }

// lastMapName is the Map state a MapState*/MapRun* event (which has no name) belongs to.
func (t *Table) lastMapName(e run.Event) string {
	if n := detailString(e, "name"); n != "" {
		return n
	}
	if n, ok := t.names[e.PreviousEventID]; ok && t.active[n] != nil {
		return n
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
	total := fmt.Sprint(m.total)
	text := fmt.Sprintf("%s %s: %d/%s done, %d running, %d failed",
		strings.Repeat(" ", elapsedWidth), safetext.Escape(m.name), m.done, total, m.running, m.failed)
	fmt.Fprint(t.w, "\r\x1b[2K"+t.start.Render(clip(text, t.opts.Width)))
	t.drawn = true
}

func (t *Table) clearProgress() {
	if t.drawn {
		fmt.Fprint(t.w, "\r\x1b[2K")
		t.drawn = false
	}
	if m := t.progress; m != nil && t.active[m.name] != m {
		t.progress = nil
	}
}

// line writes one event line. State names and payloads come from the definition and the
// data: their control characters are escaped (safetext) before they are clipped.
func (t *Table) line(e run.Event, name, summary string) {
	el := formatElapsed(e.Timestamp.Sub(t.first))
	typ := t.typeStyle(e.Type).Render(pad(e.Type, typeWidth))
	st := t.state.Render(pad(clip(safetext.Escape(name), t.opts.StateWidth), t.opts.StateWidth))
	payload := safetext.Escape(t.payload(e))
	if summary != "" {
		payload = summary
	}
	if !t.opts.Verbose {
		room := t.opts.Width - elapsedWidth - typeWidth - t.opts.StateWidth - 3
		payload = clip(payload, max(room, 20))
	}
	line := t.elapsed.Render(padLeft(el, elapsedWidth)) + " " + typ + " " + st
	if payload != "" {
		line += " " + t.dim.Render(payload)
	}
	fmt.Fprintln(t.w, strings.TrimRight(line, " "))
}

func (t *Table) typeStyle(typ string) lipgloss.Style {
	switch {
	case strings.HasSuffix(typ, "Failed"), strings.HasSuffix(typ, "TimedOut"), strings.HasSuffix(typ, "Aborted"):
		return t.bad
	case typ == "ExecutionSucceeded", strings.HasSuffix(typ, "Succeeded"):
		return t.ok
	case strings.HasSuffix(typ, "Entered"), typ == "ExecutionStarted":
		return t.start
	}
	return lipgloss.NewStyle()
}

// payload is the interesting part of an event's details, on one line.
func (t *Table) payload(e run.Event) string {
	d := e.Details
	if d == nil {
		return ""
	}
	if errName, ok := d["error"].(string); ok {
		s := errName
		if c := detailText(d["cause"]); c != "" {
			s += ": " + c
		}
		return s
	}
	for _, k := range []string{"output", "input", "parameters"} {
		if v, ok := d[k]; ok {
			if vars := assignedText(d["assignedVariables"]); vars != "" {
				return vars + "; " + k + " " + detailText(v)
			}
			return detailText(v)
		}
	}
	switch e.Type {
	case "MapStateStarted":
		if n, ok := detailNumber(e, "length"); ok {
			if n == 1 {
				return "1 iteration"
			}
			return fmt.Sprintf("%d iterations", n)
		}
	case "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted":
		if n, ok := detailNumber(e, "index"); ok {
			return fmt.Sprintf("#%d", n)
		}
	}
	rest := map[string]any{}
	for k, v := range d {
		if k != "name" && !strings.HasSuffix(k, "Details") {
			rest[k] = v
		}
	}
	if len(rest) == 0 {
		return ""
	}
	if len(rest) == 2 && rest["resourceType"] != nil && rest["resource"] != nil {
		return fmt.Sprintf("%v:%v", rest["resourceType"], rest["resource"])
	}
	return compact(rest)
}

// assignedText shows the variables a state assigned (assignedVariables: name → JSON text) as
// "$a=1, $b=[2]" in name order.
func assignedText(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return ""
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = "$" + k + "=" + detailText(m[k])
	}
	return strings.Join(parts, ", ")
}

// detailText shows a details value: JSON text (input, output, ...) compacted, other values as JSON.
func detailText(v any) string {
	if s, ok := v.(string); ok {
		var buf bytes.Buffer
		if json.Valid([]byte(s)) && json.Compact(&buf, []byte(s)) == nil {
			return buf.String()
		}
		return oneLine(s)
	}
	if v == nil {
		return ""
	}
	return compact(v)
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

func detailString(e run.Event, key string) string {
	s, _ := e.Details[key].(string)
	return s
}

func detailNumber(e run.Event, key string) (int, bool) {
	switch v := e.Details[key].(type) {
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
func formatElapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	ms := d.Milliseconds()
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d.%03ds", ms/1000, ms%1000)
	case d < time.Hour:
		return fmt.Sprintf("%dm%02d.%03ds", ms/60000, ms/1000%60, ms%1000)
	}
	return fmt.Sprintf("%dh%02dm%02ds", ms/3600000, ms/60000%60, ms/1000%60)
}

// pad right-pads s with spaces to width cells.
func pad(s string, width int) string {
	if w := lipgloss.Width(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// padLeft left-pads s with spaces to width cells.
func padLeft(s string, width int) string {
	if w := lipgloss.Width(s); w < width {
		return strings.Repeat(" ", width-w) + s
	}
	return s
}

// clip shortens s to width cells, ending it with "…".
func clip(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// StateWidth is a state column width that fits the longest of names (at least 12, at most 32).
func StateWidth(names []string) int {
	w := 12
	for _, n := range names {
		w = max(w, lipgloss.Width(n))
	}
	return min(w, 32)
}
