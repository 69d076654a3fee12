package value

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
)

// AppendJSON appends v as compact JSON: object members in order, numbers as written, no HTML
// escaping (as AWS prints payloads), without reflection for run-time values.
func AppendJSON(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if t {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case string:
		return AppendString(b, t)
	case json.Number:
		if t == "" {
			return append(b, '0')
		}
		return append(b, t...)
	case *Object:
		b = append(b, '{')
		for i, m := range t.Members() {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, m.Key)
			b = append(b, ':')
			b = AppendJSON(b, m.Value)
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSON(b, x)
		}
		return append(b, ']')
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, t, 'g', -1, 64)
	case int:
		return strconv.AppendInt(b, int64(t), 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case map[string]any:
		return AppendJSON(b, FromGo(t))
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

// String returns v as compact JSON text (see AppendJSON).
func String(v any) string {
	return string(AppendJSON(make([]byte, 0, 64), v))
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string as AWS's payloads write it (JacksonQuoting): `"`, `\`
// and control characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped.
func AppendString(b []byte, s string) []byte { return AppendQuoted(b, s, JacksonQuoting) }

// Equal reports whether a and b are the same JSON value: numbers by exact value (1 equals 1.0),
// objects by their members whatever the order (as JSONata compares), arrays in order.
func Equal(a, b any) bool { return EqualBy(a, b, numbersEqual) }

// EqualBy compares a and b as Equal does, but numbers with numbersEqual: the engines differ only
// there (Jackson, which States.ArrayContains follows, tells the integer 1 from 1.0).
func EqualBy(a, b any, numbersEqual func(a, b any) bool) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !EqualBy(x[i], y[i], numbersEqual) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, m := range x.Members() {
			w, ok := y.Get(m.Key)
			if !ok || !EqualBy(m.Value, w, numbersEqual) {
				return false
			}
		}
		return true
	}
	return numbersEqual(a, b)
}

// numbersEqual compares JSON numbers by exact value; anything else is unequal.
func numbersEqual(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		if y, ok := b.(json.Number); ok && x == y {
			return true
		}
	}
	ra, ok1 := Rat(a)
	rb, ok2 := Rat(b)
	return ok1 && ok2 && ra.Cmp(rb) == 0
}

// Rat returns a JSON number as an exact rational; ok is false for anything else.
func Rat(v any) (*big.Rat, bool) {
	switch t := v.(type) {
	case json.Number:
		return new(big.Rat).SetString(string(t))
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
