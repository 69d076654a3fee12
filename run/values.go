package run

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// Values at run time are immutable once built: states never modify a value in place (path.Set copies
// along the path, templates build new objects), so literals converted once can be shared.

// nodeValue converts a definition node into a run-time value (numbers as json.Number).
func nodeValue(n *load.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case load.Null:
		return nil
	case load.Bool:
		return n.Bool
	case load.Number:
		return json.Number(n.Text)
	case load.String:
		return n.Text
	case load.Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = nodeValue(it)
		}
		return out
	default:
		out := make(map[string]any, len(n.Fields))
		for _, f := range n.Fields {
			out[f.Key] = nodeValue(f.Value)
		}
		return out
	}
}

// normalize converts values coming from handlers (float64, int, typed maps) into run-time values by
// a JSON round trip when they are not already plain.
func normalize(v any) any {
	switch t := v.(type) {
	case nil, string, bool, json.Number:
		return v
	case map[string]any:
		for k, x := range t {
			if nx := normalize(x); !sameKind(nx, x) {
				t[k] = nx
			}
		}
		return t
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
	case load.NumberLiteral:
		return json.Number(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	out, _ := decodeJSON(b)
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

// decodeJSON parses JSON text with numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// toJSON writes v as compact JSON without HTML escaping, as AWS prints payloads.
func toJSON(v any) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// number returns v as a float64 when it is a JSON number.
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return 0, false
		}
		return f, true
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	}
	return 0, false
}

// bigNumber returns v as an exact rational when it is a JSON number.
func bigNumber(v any) (*big.Rat, bool) {
	switch t := v.(type) {
	case json.Number:
		r, ok := new(big.Rat).SetString(string(t))
		return r, ok
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(t), true
	case int:
		return new(big.Rat).SetInt64(int64(t)), true
	case int64:
		return new(big.Rat).SetInt64(t), true
	}
	return nil, false
}

// isNumber reports whether v is a JSON number.
func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64, int, int64:
		return true
	}
	return false
}

// integer returns v as an int when it is an integral JSON number.
func integer(v any) (int64, bool) {
	r, ok := bigNumber(v)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// jsonEqual compares two values as JSON (numbers by value, key order ignored).
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	ra, ok1 := bigNumber(a)
	rb, ok2 := bigNumber(b)
	return ok1 && ok2 && ra.Cmp(rb) == 0
}

// typeName names the JSON type of v.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	if isNumber(v) {
		return "number"
	}
	return "unknown"
}
