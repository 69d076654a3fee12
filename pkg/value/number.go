package value

import (
	"encoding/json"
	"errors"
	"strconv"
)

// Numbers come in three engines, each with its own rule, decided here side by side:
//
//   - Float: a number read as a double, strictly: a json.Number beyond the range of a
//     float64 is not a number. The interpreter (Choice operands, Map limits, JSONata
//     results) and JSONata (jsonata-js reads JSON numbers as JavaScript doubles) use it.
//   - JacksonFloat: a number read as Jackson (AWS's Java runtime) reads a double: beyond
//     the range it is ±Inf or 0. The intrinsic functions (States.MathAdd, States.ArrayRange,
//     ...) use it.
//   - Rat: a number read exactly, as a rational; JSONPath comparisons and Choice's
//     Numeric* operators on large or precise numbers use it (see json.go).
//
// Equality follows the same split: Equal (exact numbers, the interpreter's Choice and
// JSONPath), EqualBy with an engine's own number rule (States.ArrayContains passes
// Jackson's), and JSONata's JavaScript equality in pkg/jsonata.

// Float returns v as a float64 when it is a JSON number: a json.Number (ok is false when
// it is malformed or beyond the range of a float64) or a Go integer or float.
func Float(v any) (float64, bool) {
	if n, ok := v.(json.Number); ok {
		f, err := strconv.ParseFloat(string(n), 64)
		return f, err == nil
	}
	return goFloat(v)
}

// JacksonFloat returns v as a float64 as Jackson reads a double: a json.Number beyond the
// range of a float64 is ±Inf (or 0 when too small); ok is false only for a non-number.
func JacksonFloat(v any) (float64, bool) {
	if n, ok := v.(json.Number); ok {
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		return f, true
	}
	return goFloat(v)
}

// goFloat converts the Go numeric types that values built in Go may hold.
func goFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case float32:
		return float64(t), true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case int32:
		return float64(t), true
	case uint64:
		return float64(t), true
	case uint32:
		return float64(t), true
	case uint:
		return float64(t), true
	}
	return 0, false
}

// IsNumber reports whether v is a JSON number (of any of the representations above).
func IsNumber(v any) bool {
	_, ok := JacksonFloat(v)
	return ok
}

// TypeName names the JSON type of v for messages: null, string, boolean, number, array,
// object ("unknown" for a Go value that is none of them).
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case *Object:
		return "object"
	}
	if IsNumber(v) {
		return "number"
	}
	return "unknown"
}

// Copy returns a copy of v that shares no objects or arrays with it, spending one unit of
// *budget per node; ok is false once the budget is spent (a value that shares one part many
// times would otherwise be copied as often).
func Copy(v any, budget *int) (any, bool) {
	*budget--
	if *budget < 0 {
		return nil, false
	}
	switch t := v.(type) {
	case *Object:
		ms := make([]Member, t.Len())
		for i, m := range t.Members() {
			c, ok := Copy(m.Value, budget)
			if !ok {
				return nil, false
			}
			ms[i] = Member{Key: m.Key, Value: c}
		}
		return FromMembers(ms), true
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			c, ok := Copy(x, budget)
			if !ok {
				return nil, false
			}
			a[i] = c
		}
		return a, true
	}
	return v, true
}
