package run

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
)

// Values at run time are immutable once built: states never modify a value in place (path.Set copies
// along the path, templates build new objects), so literals converted once can be shared.

// nodeValue converts a definition node into a run-time value (numbers as json.Number).
func nodeValue(n *load.Node) any { return n.Interface() }

// normalize converts values coming from handlers (float64, int, typed maps) into run-time values by
// a JSON round trip when they are not already plain.
func normalize(v any) any {
	switch t := v.(type) {
	case nil, string, bool, json.Number:
		return v
	case *value.Object:
		ms := t.Members()
		for i := range ms {
			if nx := normalize(ms[i].Value); !sameKind(nx, ms[i].Value) {
				ms[i].Value = nx
			}
		}
		return t
	case map[string]any: // a Go map has no order: its keys sorted
		return normalize(value.FromGo(t))
	case []any:
		for i, x := range t {
			t[i] = normalize(x)
		}
		return t
	case float64:
		return json.Number(strconv.FormatFloat(t, 'f', -1, 64))
	case int:
		return json.Number(strconv.Itoa(t))
	case int64:
		return json.Number(strconv.FormatInt(t, 10))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	out, _ := load.DecodeJSON(b)
	return out
}

func sameKind(a, b any) bool {
	switch a.(type) {
	case json.Number:
		_, ok := b.(json.Number)
		return ok
	}
	return true
}

// toJSON writes v as compact JSON without HTML escaping, as AWS prints payloads.
func toJSON(v any) string {
	return string(appendJSON(make([]byte, 0, 64), v))
}

// number returns v as a float64 when it is a JSON number (value.Float's strict rule).
func number(v any) (float64, bool) { return value.Float(v) }

// compareNumbers compares two JSON numbers by value (exactly).
func compareNumbers(a, b any) (int, bool) {
	if x, ok := a.(json.Number); ok && len(x) <= 15 {
		if y, ok := b.(json.Number); ok && len(y) <= 15 {
			fx, err1 := strconv.ParseFloat(string(x), 64)
			fy, err2 := strconv.ParseFloat(string(y), 64)
			if err1 == nil && err2 == nil && !strings.ContainsAny(string(x)+string(y), "eE") {
				switch {
				case fx < fy:
					return -1, true
				case fx > fy:
					return 1, true
				}
				return 0, true
			}
		}
	}
	ra, ok1 := value.Rat(a)
	rb, ok2 := value.Rat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return ra.Cmp(rb), true
}

// isNumber reports whether v is a JSON number.
func isNumber(v any) bool { return value.IsNumber(v) }

// integer returns v as an int when it is an integral JSON number.
func integer(v any) (int64, bool) {
	r, ok := value.Rat(v)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// typeName names the JSON type of v.
func typeName(v any) string { return value.TypeName(v) }

// appendJSON writes v as compact JSON (members in order, no HTML escaping, numbers as written):
// the text of history payloads, without reflection.
func appendJSON(b []byte, v any) []byte { return value.AppendJSON(b, v) }

// get returns the member key of o (nil when o is nil or has none).
func get(o *value.Object, key string) any {
	v, _ := o.Get(key)
	return v
}
