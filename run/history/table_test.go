package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// refTable is how the table rendered a line before it wrote plain bytes: every cell through
// lipgloss. The table must write the same bytes.
type refTable struct {
	opts                                    TableOptions
	elapsed, state, dim, ok, bad, start, no lipgloss.Style
}

func newRefTable(opts TableOptions) *refTable {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	if opts.Color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return &refTable{opts: opts,
		elapsed: r.NewStyle().Faint(true), state: r.NewStyle().Bold(true), dim: r.NewStyle().Faint(true),
		ok: r.NewStyle().Foreground(lipgloss.Color("2")), bad: r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
		start: r.NewStyle().Foreground(lipgloss.Color("6")), no: lipgloss.NewStyle()}
}

func refPad(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func refClip(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	return b.String() + "…"
}

func (r *refTable) typeStyle(typ string) lipgloss.Style {
	switch {
	case strings.HasSuffix(typ, "Failed"), strings.HasSuffix(typ, "TimedOut"), strings.HasSuffix(typ, "Aborted"):
		return r.bad
	case typ == "ExecutionSucceeded", strings.HasSuffix(typ, "Succeeded"):
		return r.ok
	case strings.HasSuffix(typ, "Entered"), typ == "ExecutionStarted":
		return r.start
	}
	return r.no
}

// line is the old Table.line with the payload text given (unescaped).
func (r *refTable) line(el time.Duration, typ, name, payload string) string {
	e := formatElapsed(el)
	if n := lipgloss.Width(e); n < elapsedWidth {
		e = strings.Repeat(" ", elapsedWidth-n) + e
	}
	st := r.state.Render(refPad(refClip(safetext.Escape(name), r.opts.StateWidth), r.opts.StateWidth))
	payload = safetext.Escape(payload)
	if !r.opts.Verbose {
		payload = refClip(payload, max(r.opts.Width-elapsedWidth-typeWidth-r.opts.StateWidth-3, 20))
	}
	line := r.elapsed.Render(e) + " " + r.typeStyle(typ).Render(refPad(typ, typeWidth)) + " " + st
	if payload != "" {
		line += " " + r.dim.Render(payload)
	}
	return strings.TrimRight(line, " ") + "\n"
}

// refDetailText is the old detailText: the whole text compacted, or folded on one line.
func refDetailText(s string) string {
	var buf bytes.Buffer
	if json.Valid([]byte(s)) && json.Compact(&buf, []byte(s)) == nil {
		return buf.String()
	}
	return oneLine(s)
}

func tableOptionSets() []TableOptions {
	return []TableOptions{
		{Width: 100, StateWidth: 16},
		{Width: 100, StateWidth: 16, Color: true},
		{Width: 60, StateWidth: 12, Verbose: true},
		{Width: 60, StateWidth: 12, Verbose: true, Color: true},
		{Width: 10, StateWidth: 3},
	}
}

// checkLine compares the table's line with lipgloss's for one event's cells.
func checkLine(t *testing.T, opts TableOptions, el time.Duration, typ, name, payload string) {
	t.Helper()
	tab := NewTable(&bytes.Buffer{}, opts)
	got := string(tab.appendLine(nil, el, typ, name, []byte(safetext.Escape(payload)), false))
	if want := newRefTable(tab.opts).line(el, typ, name, payload); got != want {
		t.Errorf("%+v %q %q %q:\n got %q\nwant %q", opts, typ, name, payload, got, want)
	}
}

// TestTableLineMatchesLipgloss: plain and styled lines are byte for byte what rendering each
// cell with lipgloss gave, for wide, combining, emoji, control and invalid characters.
func TestTableLineMatchesLipgloss(t *testing.T) {
	names := []string{"", "A", "Validate Order", "a very long state name that does not fit", "注文を検証する状態", "e\u0301e\u0301", "👩‍👩‍👧 family", "tab\there", "\x1b[31mred\xff", "x\u200by"}
	payloads := []string{"", `{"a":1}`, strings.Repeat("长", 80), "\u0301\u0301\u0301", "line\nbreak\ttab  ", strings.Repeat("🙂", 50), "\xfe\xff"}
	types := []string{"PassStateEntered", "TaskFailed", "ExecutionSucceeded", "TaskScheduled", "ExecutionTimedOut"}
	for _, opts := range tableOptionSets() {
		for i, name := range names {
			for j, p := range payloads {
				el := time.Duration(i*j) * 937 * time.Second / 7
				checkLine(t, opts, el, types[(i+j)%len(types)], name, p)
			}
		}
	}
}

// FuzzTableLine: any state name and payload give lipgloss's bytes.
func FuzzTableLine(f *testing.F) {
	f.Add("Validate", `{"a":1}`, uint8(0), int64(1250))
	f.Add("注文\u0301", "👩‍👩‍👧\x1b[2J", uint8(1), int64(3_600_000))
	f.Fuzz(func(t *testing.T, name, payload string, o uint8, ms int64) {
		sets := tableOptionSets()
		checkLine(t, sets[int(o)%len(sets)], time.Duration(ms)*time.Millisecond, "TaskSucceeded", name, payload)
	})
}

// bigJSON is a JSON payload of about n bytes: an array of objects holding text.
func bigJSON(n int, text string) string {
	item, _ := json.Marshal(map[string]any{"text": text, "n": 12345})
	var b strings.Builder
	b.WriteString("[\n")
	for b.Len() < n {
		b.WriteString("  ")
		b.Write(item)
		b.WriteString(",\n")
	}
	b.WriteString("  null\n]")
	return b.String()
}

// shortLine is the line of an event whose output is payload, as the table writes it.
func shortLine(opts TableOptions, payload string) string {
	var buf bytes.Buffer
	tab := NewTable(&buf, opts)
	tab.Event(run.Event{ID: 1, Type: "PassStateExited", Timestamp: t0, DetailsKey: "stateExitedEventDetails",
		Details: map[string]any{"name": "P", "output": payload}})
	tab.Close()
	return buf.String()
}

// TestTableBigPayloadLine: a payload of megabytes (JSON, indented or not, and text) shows as the
// same clipped line as when it was compacted whole.
func TestTableBigPayloadLine(t *testing.T) {
	for name, payload := range map[string]string{
		"indented":  bigJSON(1<<20, "héllo \u202e wörld"),
		"compact":   refDetailText(bigJSON(1<<20, "x")),
		"text":      strings.Repeat("Traceback (most recent call last):\n\t  File \"x.py\", line 1\n", 20000),
		"string":    `"` + strings.Repeat(`\n ab`, 300000) + `"`,
		"leadingWS": strings.Repeat(" \n", 10000) + `{"a" : [ 1 , 2 ]}` + strings.Repeat(" ", 10000),
	} {
		for _, opts := range tableOptionSets()[:2] {
			got := shortLine(opts, payload)
			want := newRefTable(NewTable(nil, opts).opts).line(0, "PassStateExited", "P", refDetailText(payload))
			if got != want {
				t.Errorf("%s %+v:\n got %q\nwant %q", name, opts, got, want)
			}
		}
	}
}

// TestTableBigPayloadCost: showing a 4 MB payload on a clipped line reads a bounded part of
// it: the bytes allocated per event do not depend on the payload's size (they were several
// times the payload).
func TestTableBigPayloadCost(t *testing.T) {
	allocPerEvent := func(payload string) uint64 {
		tab := NewTable(discard{}, TableOptions{})
		e := run.Event{ID: 1, Type: "PassStateExited", Timestamp: t0, DetailsKey: "stateExitedEventDetails",
			Details: map[string]any{"name": "P", "output": payload, "assignedVariables": map[string]any{"big": payload}}}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := range 50 {
			e.ID, e.PreviousEventID = int64(i+2), int64(i+1)
			tab.Event(e)
		}
		runtime.ReadMemStats(&after)
		tab.Close()
		return (after.TotalAlloc - before.TotalAlloc) / 50
	}
	for name, payload := range map[string]string{
		"json":  bigJSON(4<<20, "abc"),
		"text":  strings.Repeat("word \n", 700000),
		"space": strings.Repeat(" ", 4<<20) + "x",
	} {
		if n := allocPerEvent(payload); n > 32<<10 {
			t.Errorf("%s: %d bytes allocated per event for a %d-byte payload", name, n, len(payload))
		}
	}
}

// TestTableClippedMarksMore: a long payload whose shown part fits in the column (zero-width
// characters) still ends with "…": the line says there is more, and stays short.
func TestTableClippedMarksMore(t *testing.T) {
	payload := `"` + strings.Repeat("\u0301", 100000) + `"`
	got := shortLine(TableOptions{}, payload)
	if !strings.HasSuffix(got, "…\n") || len(got) > 2000 {
		t.Errorf("%d bytes: %q", len(got), got[:min(len(got), 200)])
	}
}

// FuzzTablePayload: for a big JSON payload holding any text, the clipped line read from its
// start is the one from the whole payload compacted.
func FuzzTablePayload(f *testing.F) {
	f.Add("hello", uint16(5000))
	f.Add("\u0301\u0301 \"\\ \n 注文", uint16(9000))
	f.Fuzz(func(t *testing.T, text string, size uint16) {
		payload := bigJSON(exactText+int(size), text)
		for _, opts := range tableOptionSets()[:2] {
			got := shortLine(opts, payload)
			want := newRefTable(NewTable(nil, opts).opts).line(0, "PassStateExited", "P", refDetailText(payload))
			if got != want {
				t.Fatalf("%+v:\n got %q\nwant %q", opts, got, want)
			}
		}
	})
}

// passLoop feeds tab n transitions of a Choice + Pass loop as the interpreter records them.
func passLoop(tab *Table, n int) {
	id := int64(1)
	tab.Event(run.Event{ID: 1, Type: "ExecutionStarted", Timestamp: t0, DetailsKey: "executionStartedEventDetails",
		Details: map[string]any{"input": `{"limit":1000000}`}})
	for i := range n {
		name, typ := "Check", "Choice"
		if i%2 == 1 {
			name, typ = "Increment", "Pass"
		}
		text := fmt.Sprintf(`{"i":%d,"limit":1000000}`, i)
		for _, ev := range []struct{ typ, key, field string }{
			{typ + "StateEntered", "stateEnteredEventDetails", "input"},
			{typ + "StateExited", "stateExitedEventDetails", "output"},
		} {
			id++
			tab.Event(run.Event{ID: id, PreviousEventID: id - 1, Timestamp: t0.Add(time.Duration(id) * time.Microsecond),
				Type: ev.typ, DetailsKey: ev.key, Details: map[string]any{"name": name, ev.field: text}})
		}
	}
}

// mapRuns feeds tab n runs of a Map of 20 iterations that fails, entered again each time (a
// retry loop through Catch).
func mapRuns(tab *Table, n int) {
	b := &builder{}
	last := b.add(0, 0, "ExecutionStarted", "executionStartedEventDetails", map[string]any{"input": "{}"})
	for range n {
		b.events = b.events[:0]
		typ, key, d := entered("Map", "Fan", "[]")
		m := b.add(last, 0, typ, key, d)
		started := b.add(m, 0, "MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": 20})
		it := started
		for i := range 20 {
			it = b.add(started, 0, "MapIterationStarted", "mapIterationStartedEventDetails", map[string]any{"name": "Fan", "index": i})
			it = b.add(it, 0, "MapIterationFailed", "mapIterationFailedEventDetails", map[string]any{"name": "Fan", "index": i})
		}
		last = b.add(it, 0, "MapStateFailed", "", nil)
		for _, e := range b.events {
			tab.Event(e)
		}
	}
}

// TestTableBounded: the table's memory does not grow with the history: the live heap after
// 100,000 transitions (or 2,000 failed Map runs) is what it is after 2,000 (or 50).
func TestTableBounded(t *testing.T) {
	for _, tc := range []struct {
		name        string
		feed        func(*Table, int)
		small, many int
	}{
		{"pass loop", passLoop, 2000, 100000},
		{"failed maps", mapRuns, 50, 2000},
	} {
		for _, opts := range []TableOptions{{}, {Live: true, LiveMapMin: 10, Now: func() time.Time { return t0 }}} {
			heapAfter := func(n int) uint64 {
				tab := NewTable(discard{}, opts)
				tc.feed(tab, n)
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				tab.Close()
				runtime.KeepAlive(tab)
				return ms.HeapAlloc
			}
			small, large := heapAfter(tc.small), heapAfter(tc.many)
			// The event cache holds at most 2×recentEvents small entries (a few MB).
			if large > small+8<<20 {
				t.Errorf("%s %+v: live heap %d bytes after %d, %d after %d", tc.name, opts, large, tc.many, small, tc.small)
			}
		}
	}
}

// TestTableCacheKeepsReferencedEvents: an event referred to again after many others (a Map's
// MapStateStarted, which each iteration follows) is still known: the iterations long after it
// are counted in the Map's progress, not shown.
func TestTableCacheKeepsReferencedEvents(t *testing.T) {
	b := &builder{}
	start := b.add(0, 0, "ExecutionStarted", "executionStartedEventDetails", map[string]any{"input": "{}"})
	typ, key, d := entered("Map", "Fan", "[]")
	m := b.add(start, 0, typ, key, d)
	n := 3 * recentEvents / 4
	started := b.add(m, 0, "MapStateStarted", "mapStateStartedEventDetails", map[string]any{"length": n})
	last := started
	for i := range n {
		it := b.add(started, 0, "MapIterationStarted", "mapIterationStartedEventDetails", map[string]any{"name": "Fan", "index": i})
		typ, key, d := entered("Pass", "P", "{}")
		p := b.add(it, 0, typ, key, d)
		typ, key, d = exited("Pass", "P", "{}")
		p = b.add(p, 0, typ, key, d)
		last = b.add(p, 0, "MapIterationSucceeded", "mapIterationSucceededEventDetails", map[string]any{"name": "Fan", "index": i})
	}
	last = b.add(last, 0, "MapStateSucceeded", "", nil)
	typ, key, d = exited("Map", "Fan", "[]")
	b.add(last, 0, typ, key, d)
	out := render1(b.events, TableOptions{Live: true, Now: func() time.Time { return t0 }})
	if strings.Contains(out, "PassState") || !strings.Contains(out, fmt.Sprintf("%d/%d iterations succeeded, 0 failed", n, n)) {
		t.Errorf("iterations shown or miscounted:\n%s", out[max(len(out)-600, 0):])
	}
}

// TestTableFailedMapsNotKept: Map runs that failed (no MapStateExited) are not kept in the
// chain of runs a new one hides.
func TestTableFailedMapsNotKept(t *testing.T) {
	tab := NewTable(discard{}, TableOptions{})
	mapRuns(tab, 100)
	depth := 0
	for m := tab.active["Fan"]; m != nil; m = m.shadowed {
		depth++
	}
	if depth > 1 {
		t.Errorf("%d Map runs kept", depth)
	}
}

// TestTableWritesOut: lines are buffered; Print and Close write them out, and lines after
// Close are written at once.
func TestTableWritesOut(t *testing.T) {
	var buf bytes.Buffer
	tab := NewTable(&buf, TableOptions{})
	events := orderHistory(2)
	for _, e := range events[:3] {
		tab.Event(e)
	}
	tab.Print("note")
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("after Print: %d lines written:\n%s", n, buf.String())
	}
	tab.Close()
	tab.Event(events[3])
	if n := strings.Count(buf.String(), "\n"); n != 5 {
		t.Errorf("after Close: %d lines written:\n%s", n, buf.String())
	}
	tab.Print("done")
	if !strings.HasSuffix(buf.String(), "\ndone\n") {
		t.Errorf("Print after Close: %q", buf.String())
	}
}

func benchTable(b *testing.B, opts TableOptions, events []run.Event) {
	tab := NewTable(discard{}, opts)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := events[i%len(events)]
		e.ID, e.PreviousEventID = int64(i+1), int64(i)
		tab.Event(e)
	}
	tab.Close()
}

// BenchmarkTableEvent measures one event line: plain (not a terminal), coloured, inside a
// folded Map on a terminal, and with a 200 KB payload.
func BenchmarkTableEvent(b *testing.B) {
	events := orderHistory(20)
	big := bigJSON(200<<10, "payload text")
	bigEvents := []run.Event{{Type: "WaitStateEntered", Timestamp: t0, DetailsKey: "stateEnteredEventDetails",
		Details: map[string]any{"name": "Wait", "input": big}}}
	b.Run("plain", func(b *testing.B) { benchTable(b, TableOptions{}, events) })
	b.Run("color", func(b *testing.B) { benchTable(b, TableOptions{Color: true}, events) })
	b.Run("verbose", func(b *testing.B) { benchTable(b, TableOptions{Verbose: true}, events) })
	b.Run("big-payload", func(b *testing.B) { benchTable(b, TableOptions{}, bigEvents) })
	b.Run("folded", func(b *testing.B) {
		b.ReportAllocs()
		tab := NewTable(discard{}, TableOptions{Live: true, Now: func() time.Time { return t0 }})
		var id int64
		ev := func(typ string, d map[string]any) {
			id++
			tab.Event(run.Event{ID: id, PreviousEventID: id - 1, Type: typ, Timestamp: t0, DetailsKey: "x", Details: d})
		}
		ev("MapStateEntered", map[string]any{"name": "Fan", "input": "[]"})
		ev("MapStateStarted", map[string]any{"length": 1 << 30})
		it := map[string]any{"name": "Fan", "index": 1}
		for b.Loop() {
			ev("MapIterationStarted", it)
			ev("PassStateEntered", map[string]any{"name": "P", "input": "{}"})
		}
		tab.Close()
	})
}

// FuzzDetailText: a short details text shows as the old detailText showed it (json.Compact for
// JSON, white space folded otherwise), and so does the start of a long one read only in part.
func FuzzDetailText(f *testing.F) {
	f.Add(`{ "a" : [1, "b c"] }`)
	f.Add("not json\t at  all \u00a0")
	f.Add(`"\"{ } \\" `)
	f.Fuzz(func(t *testing.T, s string) {
		want := refDetailText(s)
		c := clipBuf{limit: -1}
		appendDetailText(&c, s)
		if string(c.b) != want {
			t.Fatalf("%q: got %q, want %q", s, c.b, want)
		}
		if !json.Valid([]byte(s)) {
			return
		}
		// A long JSON text (indented, as a document) read up to 64 bytes: the start of its compact form.
		long := "[\n" + strings.Repeat("  "+s+",\n", exactText/(len(s)+4)+1) + "  0\n]"
		full := refDetailText(long)
		c = clipBuf{limit: 64}
		appendDetailText(&c, long)
		if !strings.HasPrefix(full, string(c.b)) || len(c.b) < min(60, len(full)) || c.cut != (len(full) > len(c.b)) {
			t.Fatalf("%q: read %q (cut %v), whole %q", s, c.b, c.cut, full[:min(len(full), 80)])
		}
	})
}

// TestTableOrderedDetails: details values that are ordered run-time objects (pkg/value) show as
// Go maps do: assigned variables in name order.
func TestTableOrderedDetails(t *testing.T) {
	d := map[string]any{"name": "Init", "output": `{"a":1}`,
		"assignedVariables": value.ObjectOf("total", "42", "items", "[1,2]")}
	got := (&Table{}).payload(&run.Event{Type: "PassStateExited", DetailsKey: "stateExitedEventDetails", Details: d})
	if want := `$items=[1,2], $total=42; output {"a":1}`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestTableCompactDetails: an event with compact details reads as the same event with a map.
func TestTableCompactDetails(t *testing.T) {
	for _, c := range []run.CompactDetails{
		{Shape: run.EnteredShape, Name: "P", Payload: `{"a": 1}`},
		{Shape: run.ExitedShape, Name: "P", Payload: `[1, "x y"]`},
		{Shape: run.IterationShape, Name: "M", Index: 7},
	} {
		typ := map[run.Shape]string{run.EnteredShape: "PassStateEntered", run.ExitedShape: "PassStateExited",
			run.IterationShape: "MapIterationStarted"}[c.Shape]
		e := &run.Event{ID: 3, PreviousEventID: 2, Type: typ, DetailsKey: "k", Compact: c}
		m := &run.Event{ID: 3, PreviousEventID: 2, Type: typ, DetailsKey: "k", Details: e.DetailsMap()}
		if detailCount(e) != detailCount(m) {
			t.Errorf("%v: %d members, want %d", c, detailCount(e), detailCount(m))
		}
		for _, k := range []string{"name", "input", "output", "index", "inputDetails", "outputDetails", "error", "cause"} {
			if hasDetail(e, k) != hasDetail(m, k) || fmt.Sprint(detail(e, k)) != fmt.Sprint(detail(m, k)) {
				t.Errorf("%v %s: %v %v, want %v %v", c, k, hasDetail(e, k), detail(e, k), hasDetail(m, k), detail(m, k))
			}
		}
		if a, b := (&Table{}).payload(e), (&Table{}).payload(m); a != b {
			t.Errorf("%v: payload %q, want %q", c, a, b)
		}
	}
}

// TestAppendStateCell: the direct state cell is the cached one, plain and coloured.
func TestAppendStateCell(t *testing.T) {
	for _, color := range []bool{false, true} {
		tab := NewTable(discard{}, TableOptions{Color: color, StateWidth: 12})
		for _, name := range []string{"", "P1 [12]", "exactly12chr", "thirteen char", "Ünïcode", "tab\there", "\u202eevil"} {
			if got, want := string(tab.appendStateCell(nil, name)), tab.stateCell(name); got != want {
				t.Errorf("color %v, %q: %q, want %q", color, name, got, want)
			}
		}
	}
}
