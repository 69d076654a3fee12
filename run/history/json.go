package history

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
)

// WriteJSON writes events as AWS GetExecutionHistory returns them: {"events": [...]}.
func WriteJSON(w io.Writer, events []run.Event) error {
	jw := NewJSONWriter(w)
	for _, e := range events {
		jw.Event(e)
	}
	return jw.Close()
}

// The layout of the JSON history: an object with one member, "events", holding the events
// indented two levels (as json.Encoder with SetIndent("", "  ") writes the whole document).
const (
	jsonStart     = "{\n  \"events\": ["
	jsonEventSep  = ",\n    "
	jsonEventPre  = "\n    "
	jsonEnd       = "\n  ]\n}\n"
	jsonEmptyEnd  = "]\n}\n"
	jsonIndent    = "  "
	jsonEventBase = "    "
)

// JSONWriter streams a history as WriteJSON writes it, one event at a time, so that memory does
// not grow with the history: the document's start is written at once, each event as it is
// given, and the end by Close. Events are appended to a buffer written out when it holds
// jsonFlushSize bytes; Close writes the rest. After a write error it discards the rest and Close
// returns the error. It is safe for concurrent use.
type JSONWriter struct {
	mu  sync.Mutex
	w   bgWriter      // writes the text beside the formatting
	out []byte        // the text not yet written, reused
	buf bytes.Buffer  // the slow path's text, reused
	enc *json.Encoder // the slow path: encodes into buf
	// when is the time last written and stamp its text (events often share a time).
	when  time.Time
	stamp []byte
	// payload is the last compact payload written (a state's output is the next state's input)
	// and escaped its text, when it is at most maxEscapedPayload bytes.
	payload string
	escaped []byte
	// keys and types are the texts of recent details keys and event types.
	keys, types textCache
	// shapes are the sorted keys of the details maps seen (see sortedMembers).
	shapes [][]string
	n      int // events written
	err    error
	closed bool
}

// NewJSONWriter starts a JSON history on w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	jw := &JSONWriter{w: bgWriter{w: w}, out: make([]byte, 0, jsonFlushSize+4<<10)}
	jw.enc = json.NewEncoder(&jw.buf)
	jw.enc.SetIndent(jsonEventBase, jsonIndent)
	jw.enc.SetEscapeHTML(false)
	jw.out = append(jw.out, jsonStart...)
	return jw
}

// jsonFlushSize is how much text the writer collects before writing it out.
const jsonFlushSize = 64 << 10

// maxEscapedPayload bounds the payload text the writer remembers escaped.
const maxEscapedPayload = 64 << 10

// Event writes e (a run.Options.OnEvent function).
func (jw *JSONWriter) Event(e run.Event) {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	if jw.err != nil || jw.closed {
		return
	}
	sep := jsonEventSep
	if jw.n == 0 {
		sep = jsonEventPre
	}
	mark := len(jw.out)
	text, ok := jw.appendEvent(append(jw.out, sep...), &e)
	if !ok {
		slow, err := jw.slowEvent(e, sep)
		if err != nil {
			jw.out, jw.err = text[:mark], err
			return
		}
		text = append(text[:mark], slow...)
	}
	jw.out = text
	jw.n++
	if len(jw.out) >= jsonFlushSize {
		jw.writeOut()
	}
}

// writeOut hands the text collected to the background writer (mu held).
func (jw *JSONWriter) writeOut() {
	jw.out = jw.w.write(jw.out)
	jw.err = jw.w.failed()
}

// slowEvent is the event's text (after sep) as encoding/json writes it, for the events
// appendEvent does not take: the event through an indenting encoder, then its C1 controls and
// bidi overrides rewritten as \u escapes (the same JSON value) so the history can be read on a
// terminal safely.
func (jw *JSONWriter) slowEvent(e run.Event, sep string) ([]byte, error) {
	jw.buf.Reset()
	jw.buf.WriteString(sep)
	if err := jw.enc.Encode(e); err != nil {
		return nil, err
	}
	return safetext.JSON(bytes.TrimSuffix(jw.buf.Bytes(), []byte("\n"))), nil
}

// Close ends the document (a partial history is a valid one) and flushes it; it returns the
// first error of any write. Events given after Close are ignored.
func (jw *JSONWriter) Close() error {
	jw.mu.Lock()
	defer jw.mu.Unlock()
	if jw.closed {
		return jw.err
	}
	jw.closed = true
	if jw.err != nil {
		_ = jw.w.close(nil) // the background writer ends
		return jw.err
	}
	end := jsonEnd
	if jw.n == 0 {
		end = jsonEmptyEnd
	}
	jw.err = jw.w.close(append(jw.out, end...))
	jw.out = nil
	return jw.err
}

// appendEvent appends e's text (as slowEvent writes it) to b without reflection, in one pass:
// members in encoding/json's order (keys sorted), indented as the document is, strings escaped
// as slowEvent escapes them. It reports false (and b is then of no use) for an event holding what
// it does not write the same way, which slowEvent then writes: a float, another Go type, a nil
// container inside an ordered object, an invalid json.Number, a time outside RFC 3339 or not UTC.
func (jw *JSONWriter) appendEvent(b []byte, e *run.Event) ([]byte, bool) {
	if e.Timestamp != jw.when || jw.stamp == nil {
		if y := e.Timestamp.Year(); y < 0 || y > 9999 {
			return b, false
		}
		if _, off := e.Timestamp.Zone(); off != 0 {
			return b, false
		}
		jw.when = e.Timestamp
		jw.stamp = append(e.Timestamp.AppendFormat(append(jw.stamp[:0], '"'), time.RFC3339Nano), '"')
	}
	details := e.DetailsKey == "" // written (or none to write)
	ok, first := true, true
	b = append(b, '{')
	for i, k := range fixedKeys {
		if !details && e.DetailsKey <= k {
			details = true
			if !first {
				b = append(b, ',')
			}
			b = append(b, jw.keys.get(e.DetailsKey, detailsKeyText)...)
			first = false
			if b, ok = jw.appendDetails(b, e); !ok {
				return b, false
			}
			if e.DetailsKey == k { // the details replace the member of the same name
				continue
			}
		}
		if !first {
			b = append(b, ',')
		}
		b = append(b, fixedKeyText[i]...)
		first = false
		switch i {
		case 0:
			b = strconv.AppendInt(b, e.ID, 10)
		case 1:
			b = strconv.AppendInt(b, e.PreviousEventID, 10)
		case 2:
			b = append(b, jw.stamp...)
		case 3:
			b = append(b, jw.types.get(e.Type, typeText)...)
		}
	}
	if !details {
		b = append(b, ',')
		b = append(b, jw.keys.get(e.DetailsKey, detailsKeyText)...)
		if b, ok = jw.appendDetails(b, e); !ok {
			return b, false
		}
	}
	b = appendNewline(b, 0)
	return append(b, '}'), true
}

// appendDetails appends the event's details member's value (as appendValue).
func (jw *JSONWriter) appendDetails(b []byte, e *run.Event) ([]byte, bool) {
	c := &e.Compact
	switch c.Shape {
	case run.EnteredShape:
		b = append(b, '{')
		b = append(b, keyInput...)
		b = jw.appendPayload(b, c.Payload)
		b = append(b, keyInputDetails...)
		b = append(b, keyName...)
		b = appendString(b, c.Name, false)
	case run.ExitedShape:
		b = append(b, '{')
		b = append(b, keyName[1:]...)
		b = appendString(b, c.Name, false)
		b = append(b, keyOutput...)
		b = jw.appendPayload(b, c.Payload)
		b = append(b, keyOutputDetails...)
	case run.IterationShape:
		b = append(b, '{')
		b = append(b, keyIndex...)
		b = strconv.AppendInt(b, int64(c.Index), 10)
		b = append(b, keyName...)
		b = appendString(b, c.Name, false)
	default:
		return jw.appendValue(b, e.Details, 1, false)
	}
	b = appendNewline(b, 1)
	return append(b, '}'), true
}

// appendPayload appends a payload's text as a JSON string, escaping it once for consecutive
// events that show the same payload.
func (jw *JSONWriter) appendPayload(b []byte, p string) []byte {
	if len(p) > maxEscapedPayload {
		return appendString(b, p, false)
	}
	if jw.escaped == nil || p != jw.payload {
		jw.payload, jw.escaped = p, appendString(jw.escaped[:0], p, false)
	}
	return append(b, jw.escaped...)
}

// detailsKeyText is the start of an event's details member (after its comma, if any).
func detailsKeyText(b []byte, key string) []byte { return appendKey(b, key, 1, true, false) }

// typeText is the value of an event's type member.
func typeText(b []byte, typ string) []byte { return appendString(b, typ, false) }

// textCache remembers the texts of a few strings (details keys, event types: the same few come
// again and again) in a direct-mapped array.
type textCache struct {
	slots [16]textSlot
}

type textSlot struct {
	key  string
	text []byte
}

// get is the text f makes of key, remembered when key is short.
func (c *textCache) get(key string, f func([]byte, string) []byte) []byte {
	if len(key) > 64 {
		return f(nil, key)
	}
	h := len(key)
	if h > 0 {
		h = h*7 + int(key[0])*3 + int(key[h-1]) + int(key[h/2])
	}
	s := &c.slots[h&(len(c.slots)-1)]
	if s.text == nil || s.key != key {
		s.key, s.text = key, f(s.text[:0], key)
	}
	return s.text
}

// The members of compact details at depth 2, each after a comma but the first ones (keyName
// without its comma is first).
var (
	keyInput         = string(appendKey(nil, "input", 2, true, false))
	keyIndex         = string(appendKey(nil, "index", 2, true, false))
	keyName          = string(appendKey(nil, "name", 2, false, false))
	keyOutput        = string(appendKey(nil, "output", 2, false, false))
	keyInputDetails  = string(appendNewline(append(appendKey(nil, "inputDetails", 2, false, false), "{"+string(appendKey(nil, "truncated", 3, true, false))+"false"...), 2)) + "}"
	keyOutputDetails = string(appendNewline(append(appendKey(nil, "outputDetails", 2, false, false), "{"+string(appendKey(nil, "truncated", 3, true, false))+"false"...), 2)) + "}"
)

// fixedKeys are the names of an event's members other than its details, in order.
var fixedKeys = [...]string{"id", "previousEventId", "timestamp", "type"}

// fixedKeyText is the text that starts each of fixedKeys' members, after the comma.
var fixedKeyText = func() (t [len(fixedKeys)]string) {
	for i, k := range fixedKeys {
		t[i] = string(appendKey(nil, k, 1, true, false))
	}
	return t
}()

// newlines is a line break and the indentation of the first few depths.
const newlines = "\n" + jsonEventBase + "                                "

// appendNewline starts a line of the event at nesting depth d.
func appendNewline(b []byte, d int) []byte {
	if n := 1 + len(jsonEventBase) + d*len(jsonIndent); n <= len(newlines) {
		return append(b, newlines[:n]...)
	}
	b = append(b, newlines...)
	for range d - (len(newlines)-1-len(jsonEventBase))/len(jsonIndent) {
		b = append(b, jsonIndent...)
	}
	return b
}

// appendKey starts the member key of an object at depth d (after a comma unless first); ordered
// as for appendValue.
func appendKey(b []byte, key string, d int, first, ordered bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendNewline(b, d)
	b = appendString(b, key, ordered)
	return append(b, ':', ' ')
}

// appendValue appends v, nested at depth d. ordered tells that v is inside a *value.Object,
// whose text value.AppendJSON writes (json.Marshal then escapes its HTML characters); outside,
// json.Marshal writes it. It reports false for a value the two might write otherwise than here.
func (jw *JSONWriter) appendValue(b []byte, v any, d int, ordered bool) ([]byte, bool) {
	ok := true
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, t), true
	case string:
		return appendString(b, t, ordered), true
	case int:
		return strconv.AppendInt(b, int64(t), 10), true
	case int64:
		return strconv.AppendInt(b, t, 10), true
	case json.Number:
		if t == "" {
			return append(b, '0'), true
		}
		if !validNumber(string(t)) {
			return b, false
		}
		return append(b, t...), true
	case map[string]any:
		if t == nil {
			return append(b, "null"...), !ordered
		}
		if len(t) == 0 {
			return append(b, '{', '}'), true
		}
		var few [maxShapeKeys]value.Member // on the stack: no write barriers, nothing kept
		ms := jw.sortedMembers(t, few[:0])
		b = append(b, '{')
		for i, m := range ms {
			b = appendKey(b, m.Key, d+1, i == 0, ordered)
			if b, ok = jw.appendValue(b, m.Value, d+1, ordered); !ok {
				break
			}
		}
		b = appendNewline(b, d)
		return append(b, '}'), ok
	case *value.Object:
		if t == nil {
			return append(b, "null"...), !ordered
		}
		ms := t.Members()
		if len(ms) == 0 {
			return append(b, '{', '}'), true
		}
		b = append(b, '{')
		for i, m := range ms {
			b = appendKey(b, m.Key, d+1, i == 0, true)
			if b, ok = jw.appendValue(b, m.Value, d+1, true); !ok {
				return b, false
			}
		}
		b = appendNewline(b, d)
		return append(b, '}'), true
	case []any:
		if t == nil {
			return append(b, "null"...), !ordered
		}
		if len(t) == 0 {
			return append(b, '[', ']'), true
		}
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNewline(b, d+1)
			if b, ok = jw.appendValue(b, x, d+1, ordered); !ok {
				return b, false
			}
		}
		b = appendNewline(b, d)
		return append(b, ']'), true
	}
	return b, false
}

// Details maps come in a few shapes (sets of keys): the writer keeps the sorted keys of up to
// maxShapes shapes of up to maxShapeKeys keys, and reads a map of a known shape by looking its
// keys up rather than iterating and sorting it.
const (
	maxShapes    = 32
	maxShapeKeys = 8
)

// sortedMembers appends t's members to ms, sorted by key.
func (jw *JSONWriter) sortedMembers(t map[string]any, ms []value.Member) []value.Member {
	start := len(ms)
shapes:
	for _, keys := range jw.shapes {
		if len(keys) != len(t) {
			continue
		}
		ms = ms[:start]
		for _, k := range keys {
			v, ok := t[k]
			if !ok {
				continue shapes
			}
			ms = append(ms, value.Member{Key: k, Value: v})
		}
		return ms // as many keys, all present: the same set
	}
	ms = ms[:start]
	for k, v := range t {
		ms = append(ms, value.Member{Key: k, Value: v})
	}
	sortMembers(ms[start:])
	if len(t) <= maxShapeKeys && len(jw.shapes) < maxShapes {
		keys := make([]string, 0, len(t))
		for _, m := range ms[start:] {
			keys = append(keys, m.Key)
		}
		jw.shapes = append(jw.shapes, keys)
	}
	return ms
}

// sortMembers sorts ms by key (as encoding/json sorts a map's keys): by insertion for the few
// members of an event's details.
func sortMembers(ms []value.Member) {
	if len(ms) > 12 {
		slices.SortFunc(ms, func(x, y value.Member) int { return strings.Compare(x.Key, y.Key) })
		return
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Key < ms[j-1].Key; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// appendString appends s as a JSON string escaped as the history's strings are
// (value.HistoryQuoting: as json.Marshal escapes, plus the C1 and bidi controls, as safetext.JSON
// does); payload texts (ordered) write \b and \f as AWS's Jackson does (value.HistoryPayloadQuoting).
func appendString(b []byte, s string, ordered bool) []byte {
	if ordered {
		return value.AppendQuoted(b, s, value.HistoryPayloadQuoting)
	}
	return value.AppendQuoted(b, s, value.HistoryQuoting)
}

// validNumber reports whether s is a JSON number (what json.Marshal accepts in a json.Number).
func validNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}
