package run

import (
	"encoding/json"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/load"
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
	ra, ok1 := bigNumber(a)
	rb, ok2 := bigNumber(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return ra.Cmp(rb), true
}

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

// appendJSON writes v as compact JSON (keys sorted, no HTML escaping, numbers as written): the
// text of history payloads, without reflection.
func appendJSON(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if t {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case string:
		return appendString(b, t)
	case json.Number:
		if t == "" {
			return append(b, '0')
		}
		return append(b, t...)
	case map[string]any:
		b = append(b, '{')
		if len(t) == 1 {
			for k, x := range t {
				b = appendString(b, k)
				b = append(b, ':')
				b = appendJSON(b, x)
			}
			return append(b, '}')
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendJSON(b, t[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, x)
		}
		return append(b, ']')
	case float64:
		return strconv.AppendFloat(b, t, 'g', -1, 64)
	case int:
		return strconv.AppendInt(b, int64(t), 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
