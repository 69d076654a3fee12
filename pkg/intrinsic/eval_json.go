package intrinsic

import (
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/value"
)

// FormatJSON serialises a JSON value (*value.Object, []any, string, bool,
// nil, json.Number or a Go number) the way AWS does in States.JsonToString
// (Jackson): compact, object members in their order,
// only `"`, `\` and control characters escaped, integers as written and
// other numbers as Java doubles ("1.1", "100.0", "1.0E20").
func FormatJSON(v any) string {
	var b strings.Builder
	writeJSON(&b, v, false)
	return b.String()
}

// canonicalJSON is FormatJSON with every object's members in key order: the
// same text for objects that differ only in their order.
func canonicalJSON(v any) string {
	var b strings.Builder
	writeJSON(&b, v, true)
	return b.String()
}

// writeJSON writes v as FormatJSON does; sorted puts object members in key
// order.
func writeJSON(b *strings.Builder, v any, sorted bool) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case string:
		writeJSONString(b, t)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e, sorted)
		}
		b.WriteByte(']')
	case *value.Object:
		members := t.Members()
		byKey := func(x, y value.Member) int { return strings.Compare(x.Key, y.Key) }
		if sorted && !slices.IsSortedFunc(members, byKey) {
			members = slices.Clone(members)
			slices.SortFunc(members, byKey)
		}
		b.WriteByte('{')
		for i, m := range members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, m.Key)
			b.WriteByte(':')
			writeJSON(b, m.Value, sorted)
		}
		b.WriteByte('}')
	default:
		if s, ok := javaNumber(v); ok {
			b.WriteString(s)
			return
		}
		data, _ := json.Marshal(v)
		b.Write(data)
	}
}

const hexDigits = "0123456789ABCDEF"

// writeJSONString writes s quoted with Jackson's escaping.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[r>>4])
				b.WriteByte(hexDigits[r&0xF])
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// javaString renders a value the way Java's String.valueOf prints the
// objects AWS converts JSON to (States.Format): strings as they are, maps as
// `{a=1, b=[x, y]}` (members in order), lists as `[1, 2]`, numbers as Java does.
func javaString(v any) string {
	var b strings.Builder
	writeJava(&b, v)
	return b.String()
}

func writeJava(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case string:
		b.WriteString(t)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, e)
		}
		b.WriteByte(']')
	case *value.Object:
		b.WriteByte('{')
		for i, m := range t.Members() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(m.Key)
			b.WriteByte('=')
			writeJava(b, m.Value)
		}
		b.WriteByte('}')
	default:
		if s, ok := javaNumber(v); ok {
			b.WriteString(s)
			return
		}
		data, _ := json.Marshal(v)
		b.Write(data)
	}
}

// canonicalInteger reports whether s is an integer as strconv.FormatInt writes it, within the
// int64 range (at most 18 digits): no sign but '-', no leading zero, not "-0".
func canonicalInteger(s string) bool {
	d := s
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 18 || d[0] == '0' && (len(d) > 1 || len(s) > 1) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// isIntegerText reports whether s is a JSON integer (no fraction or
// exponent), which Jackson reads as an integral node.
func isIntegerText(s string) bool {
	return s != "" && !strings.ContainsAny(s, ".eE")
}

// javaNumber formats a number as Jackson/Java print it: integer literals as
// integers (normalised, "-0" is "0"), other numbers as Java's
// Double.toString.
func javaNumber(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		s := string(t)
		if canonicalInteger(s) {
			return s, true // as ParseInt and FormatInt would give it back
		}
		if isIntegerText(s) {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return strconv.FormatInt(i, 10), true
			}
			if i, ok := new(big.Int).SetString(s, 10); ok {
				return i.String(), true
			}
			return "", false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", false
		}
		return javaDouble(f), true
	case float64:
		return javaDouble(t), true
	case float32:
		return javaDouble(float64(t)), true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case int32:
		return strconv.FormatInt(int64(t), 10), true
	case uint64:
		return strconv.FormatUint(t, 10), true
	case uint32:
		return strconv.FormatUint(uint64(t), 10), true
	case uint:
		return strconv.FormatUint(uint64(t), 10), true
	}
	return "", false
}

// javaDouble formats f like Java's Double.toString (shortest digits that
// round-trip): plain notation with at least one fraction digit for
// 1e-3 <= |f| < 1e7, otherwise "d.dddE±n".
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // -1.2345e+07
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// normalizeNumbers rewrites every json.Number in v (in place) to the text
// Jackson would print for it, as AWS does when it parses JSON text
// (States.StringToJson): "-0" becomes 0, "1.10" becomes 1.1, "1e2" 100.0.
func normalizeNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if s, ok := javaNumber(t); ok {
			return json.Number(s)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = normalizeNumbers(e)
		}
	case *value.Object: // just decoded, not shared yet
		ms := t.Members()
		for i := range ms {
			ms[i].Value = normalizeNumbers(ms[i].Value)
		}
	}
	return v
}
