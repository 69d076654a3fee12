package intrinsic

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/value"
)

// MaxTextSize is the largest text (in bytes) an intrinsic function builds:
// the result of States.JsonToString and States.Format, the JSON text
// States.Hash digests and the keys States.ArrayUnique compares. It is 16
// times AWS's 256 KiB payload limit, so no text built from a valid state
// input reaches it; only amplification does (a value repeated by `$..*` or
// by many placeholders), and such a text could never be part of a state's
// output on AWS. Exceeding it is a States.IntrinsicFailure.
const MaxTextSize = 16 * 256 << 10

// textSize returns an upper bound of the length of v's JSON text (and of
// the Java rendering States.Format uses), giving up as soon as it exceeds
// limit: over is then true and the walk has cost O(limit), however large
// (or repeatedly shared) v is.
func textSize(v any, limit int) (size int, over bool) {
	t := &sizer{limit: limit}
	t.add(v)
	return t.n, t.n > limit
}

type sizer struct{ n, limit int }

func (t *sizer) add(v any) {
	if t.n > t.limit {
		return
	}
	switch x := v.(type) {
	case string:
		t.n += quotedLen(x, t.limit-t.n)
	case []any:
		t.n += 2
		for _, e := range x {
			t.n += 2 // ", " between Java list elements
			if t.add(e); t.n > t.limit {
				return
			}
		}
	case *value.Object:
		t.n += 2
		for _, m := range x.Members() {
			t.n += quotedLen(m.Key, t.limit-t.n) + 3
			if t.add(m.Value); t.n > t.limit {
				return
			}
		}
	case json.Number:
		t.n += len(x)
		if !isIntegerText(string(x)) {
			t.n += 24 // a double's Java rendering is at most 24 bytes
		}
	case nil, bool:
		t.n += 5
	default:
		t.n += 24
	}
}

// quotedLen is the length of s as a quoted JSON string with Jackson's
// escaping, or a value above limit once it exceeds it.
func quotedLen(s string, limit int) int {
	n := 2
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f':
			n += 2
		case c < 0x20:
			n += 6
		default:
			n++
		}
		if n > limit {
			return n
		}
	}
	return n
}

// checkText fails when the text of v may exceed the room left in a text
// of MaxTextSize bytes of which used are taken.
func checkText(c *Call, v any, used int) error {
	if _, over := textSize(v, MaxTextSize-used); over {
		return failf("The result of %s would exceed the maximum size of %d bytes", c.Name, MaxTextSize)
	}
	return nil
}

// wantLong converts a number argument to a Java long as States.MathAdd and
// States.MathRandom do: an integer exactly (json.Number text without
// fraction or exponent, which must fit in 64 bits), any other number rounded
// half up with Java's Math.round (which clamps at the long range).
func wantLong(c *Call, i int, v any) (int64, error) {
	if n, ok := v.(json.Number); ok && isIntegerText(string(n)) {
		x, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return 0, failf("Invalid argument %d of %s: %s is out of the range of a 64-bit integer", i+1, c.Name, n)
		}
		return x, nil
	}
	switch n := v.(type) {
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	}
	f, err := wantNumber(c, i, v)
	if err != nil {
		return 0, err
	}
	return javaRound(f), nil
}

// mathAdd implements States.MathAdd: the exact sum of its arguments as Java
// longs; a sum outside the 64-bit range fails rather than wrapping around.
func mathAdd(c *Call, args []any) (any, error) {
	var sum int64
	for i, v := range args {
		x, err := wantLong(c, i, v)
		if err != nil {
			return nil, err
		}
		if (x > 0 && sum > math.MaxInt64-x) || (x < 0 && sum < math.MinInt64-x) {
			return nil, failf("The result of %s is out of the range of a 64-bit integer", c.Name)
		}
		sum += x
	}
	return json.Number(strconv.FormatInt(sum, 10)), nil
}

// arrayUnique implements States.ArrayUnique: the first occurrence of each
// distinct element, in order. Elements are told apart by their canonical
// JSON text (FormatJSON: sorted keys, numbers as Jackson prints them), which
// equates exactly the values jsonEqual does, in linear time.
func arrayUnique(c *Call, a []any) (any, error) {
	if err := checkText(c, a, 0); err != nil {
		return nil, err
	}
	seen := make(map[string]struct{}, len(a))
	out := []any{}
	for _, e := range a {
		k := canonicalKey(e)
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		out = append(out, e)
	}
	return out, nil
}

// canonicalKey is a text that two values share exactly when jsonEqual
// holds between them.
func canonicalKey(v any) string {
	if s, ok := v.(string); ok {
		return "s" + s
	}
	if s, ok := javaNumber(v); ok {
		return "n" + s
	}
	return "j" + canonicalJSON(v)
}

// stringSplit implements States.StringSplit: s cut at every character of
// the delimiter string, empty parts dropped.
func stringSplit(s, delims string) []any {
	var isDelim func(r rune) bool
	if len(delims) <= 8 {
		isDelim = func(r rune) bool { return strings.ContainsRune(delims, r) }
	} else {
		set := make(map[rune]struct{})
		for _, r := range delims {
			set[r] = struct{}{}
		}
		isDelim = func(r rune) bool { _, ok := set[r]; return ok }
	}
	parts := strings.FieldsFunc(s, isDelim)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}
