package history

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/run"
)

// maxCauseLines bounds the lines a failure's whole cause takes under its event.
const maxCauseLines = 40

// Log writes a line a task handler printed (its stderr) under the event lines, indented to the
// state column: on a terminal (Live) it stands under its state, elsewhere it names the state.
// Control characters are escaped; it is written out at once.
func (t *Table) Log(state, line string) {
	t.waitEvents()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearProgress()
	b := t.line[:0]
	for range elapsedWidth + 1 + typeWidth + 1 {
		b = append(b, ' ')
	}
	if !t.opts.Live {
		b = append(b, t.stateCell(state)...)
		b = append(b, ' ')
	}
	b = append(b, t.st.dim.pre...)
	b = append(b, "│ "...)
	b = append(b, safetext.Escape(line)...)
	b = append(b, t.st.dim.post...)
	b = append(b, '\n')
	t.line = b
	t.w.Write(b)
	if m := t.progress; m != nil {
		t.draw(m, true)
	}
	t.flush()
}

// writeCause writes the whole cause of a failure event whose line does not show all of it,
// wrapped to the payload column, line breaks kept (at most maxCauseLines lines). mu held.
func (t *Table) writeCause(e *run.Event) {
	if t.opts.Verbose {
		return
	}
	cause, ok := detail(e, "cause").(string)
	errName, _ := detail(e, "error").(string)
	if !ok || cause == "" {
		return
	}
	room := t.payloadRoom()
	if width(safetext.Escape(errName+": "+strings.Join(strings.Fields(cause), " "))) <= room {
		return // the line shows it all (white space folded)
	}
	indent := elapsedWidth + 1 + typeWidth + 1 + t.opts.StateWidth + 1
	room -= 2 // "│ "
	lines := 0
	shown := cause
	if limit := maxCauseLines * (room + 1) * 4; len(shown) > limit { // no more is shown: not read
		shown = shown[:limit]
	}
	for part := range strings.SplitSeq(strings.TrimRight(shown, "\n"), "\n") {
		for _, piece := range wrapText(safetext.Escape(strings.TrimRight(part, "\r")), room) {
			if lines == maxCauseLines {
				t.writeIndented(indent, "… ("+strconv.Itoa(utf8.RuneCountInString(cause))+" characters: --history json has them all)")
				return
			}
			t.writeIndented(indent, piece)
			lines++
		}
	}
}

// writeIndented writes one dim line at the given indent, after a "│ " (so that no text of the
// data starts a line: CI systems read "::command" lines).
func (t *Table) writeIndented(indent int, text string) {
	b := t.line[:0]
	for range indent {
		b = append(b, ' ')
	}
	b = append(b, t.st.dim.pre...)
	b = append(b, "│ "...)
	b = append(b, strings.TrimRight(text, " ")...)
	b = append(b, t.st.dim.post...)
	b = append(b, '\n')
	t.line = b
	t.w.Write(b)
}

// wrapText splits s into pieces of at most w cells, at spaces where it can.
func wrapText(s string, w int) []string {
	if s == "" {
		return []string{""}
	}
	var out []string
	for width(s) > w {
		cut := cutAt(s, w)
		if sp := strings.LastIndexByte(s[:cut], ' '); sp > cut/2 {
			cut = sp + 1
		}
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = s[cut:]
	}
	return append(out, s)
}

// cutAt is the byte index of the end of the longest prefix of s that fits in w cells (at least
// one character).
func cutAt(s string, w int) int {
	n := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		rw := width(s[i : i+size])
		if n+rw > w && i > 0 {
			return i
		}
		n += rw
		i += size
	}
	return len(s)
}

// iterLoc is a Map iteration: its index and the iteration its Map state runs in.
type iterLoc struct {
	index  int
	parent *iterLoc
}

// iterationOf works out, from the event before it, the Map iteration an event's row shows, the
// one the events after it run in, and whether it is a Map state's own event (of which Map). A
// Map's own events show the iteration the Map state runs in: the one of its own previous event,
// else (the previous event ran inside one of its iterations) that iteration's parent.
func iterationOf(e *run.Event, name string, prev eventInfo) (at, inherit *iterLoc, mapLevel string) {
	switch {
	case e.Type == "MapStateEntered":
		return prev.inherit, prev.inherit, name
	case strings.HasPrefix(e.Type, "MapState") || strings.HasPrefix(e.Type, "MapIteration") || strings.HasPrefix(e.Type, "MapRun"):
		at = prev.at
		if prev.mapLevel != name && prev.inherit != nil {
			at = prev.inherit.parent // prev ran inside one of this Map's iterations
		} else if prev.mapLevel != name {
			at = nil
		}
		inherit = at
		if n, ok := detailNumber(e, "index"); ok && e.Type == "MapIterationStarted" {
			inherit = &iterLoc{index: n, parent: at}
		}
		return at, inherit, name
	}
	return prev.inherit, prev.inherit, ""
}

// located is the state cell's text for a row: the name, with the Map iteration index or the
// Parallel branch it runs in (TableOptions.Where).
func (t *Table) located(name string, at *iterLoc) string {
	if t.opts.Where == nil || name == "" {
		return name
	}
	inMap, branch := t.opts.Where(name)
	key := placeKey{name: name, index: -1, branch: branch}
	switch {
	case inMap && at != nil:
		key.index, key.branch = at.index, 0
	case branch > 0:
	default:
		return name
	}
	if t.lastPlace.text != "" && t.lastPlace.key == key { // a state's Entered, then its Exited
		return t.lastPlace.text
	}
	var tag string
	if key.index >= 0 {
		tag = " [" + strconv.Itoa(key.index) + "]"
	} else {
		tag = " [b" + strconv.Itoa(branch) + "]"
	}
	if room := t.opts.StateWidth - len(tag); width(name) > room && room > 1 {
		name = clipTo(name, room) // the name is cut, the place stays
	}
	t.lastPlace.key, t.lastPlace.text = key, name+tag
	return t.lastPlace.text
}

// placeKey is what located's text depends on.
type placeKey struct {
	name          string
	index, branch int
}

// Countdown shows text on a line of its own at the bottom of a live table (a terminal),
// rewritten in place by the next call; "" removes it. The next event line removes it too (the
// next call draws it again). A Map's progress line keeps the bottom: nothing is drawn then.
func (t *Table) Countdown(text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.opts.Live || t.closed || t.progress != nil {
		return
	}
	if t.drawn {
		t.w.WriteString("\r\x1b[2K")
		t.drawn = false
	}
	if text != "" {
		t.w.Write(t.st.dim.wrap(t.line[:0], clip(safetext.Escape(text), t.opts.Width)))
		t.drawn = true
	}
	t.flush()
}
