package suite

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/value"
)

// maxShown is the most characters of a value quoted in a failure message.
const maxShown = 200

// Diff compares got with want and describes the first difference ("" when they match): exact
// (numbers by value, object members in any order, arrays in order), or with contains a subset
// (objects may have more members; an expected array's items appear in order among the actual's).
// The description starts with the JSONPath of the difference: "$.items[2].price: want 3, got 4".
func Diff(want, got any, contains bool) string {
	return diff(want, got, contains, "$")
}

func diff(want, got any, contains bool, at string) string {
	switch w := want.(type) {
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok {
			return at + ": want an object, got " + show(got)
		}
		for _, m := range w.Members() {
			gv, ok := g.Get(m.Key)
			if !ok {
				return member(at, m.Key) + ": missing (want " + show(m.Value) + ")"
			}
			if d := diff(m.Value, gv, contains, member(at, m.Key)); d != "" {
				return d
			}
		}
		if !contains && g.Len() != w.Len() {
			for _, m := range g.Members() {
				if !w.Has(m.Key) {
					return member(at, m.Key) + ": unexpected member (got " + show(m.Value) + ")"
				}
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			return at + ": want an array, got " + show(got)
		}
		if contains {
			j := 0
			for i, x := range w {
				for j < len(g) && diff(x, g[j], true, at) != "" {
					j++
				}
				if j == len(g) {
					return at + "[" + strconv.Itoa(i) + "]: no item matches " + show(x) + " (in order) in " + show(got)
				}
				j++
			}
			return ""
		}
		for i := range min(len(w), len(g)) {
			if d := diff(w[i], g[i], false, at+"["+strconv.Itoa(i)+"]"); d != "" {
				return d
			}
		}
		if len(w) != len(g) {
			return at + ": want " + strconv.Itoa(len(w)) + " items, got " + strconv.Itoa(len(g))
		}
		return ""
	}
	if !value.Equal(want, got) {
		return at + ": want " + show(want) + ", got " + show(got)
	}
	return ""
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func member(at, key string) string {
	if identRe.MatchString(key) {
		return at + "." + key
	}
	b, _ := json.Marshal(key)
	return at + "[" + string(b) + "]"
}

// show writes a value as compact JSON for a message, cut to maxShown characters.
func show(v any) string {
	if v == nil {
		return "null"
	}
	s := string(value.AppendJSON(nil, v))
	if len(s) > maxShown {
		s = s[:maxShown] + "…"
	}
	return s
}

// subsequence reports whether want appears in got in order (not necessarily adjacent); it returns
// the index in want of the first state not found.
func subsequence(want, got []string) int {
	j := 0
	for i, w := range want {
		for j < len(got) && got[j] != w {
			j++
		}
		if j == len(got) {
			return i
		}
		j++
	}
	return -1
}

// showPath writes a path of states for a message.
func showPath(p []string) string {
	const most = 30
	if len(p) > most {
		return "[" + strings.Join(p[:most], " → ") + " → … (" + strconv.Itoa(len(p)) + " states)]"
	}
	return "[" + strings.Join(p, " → ") + "]"
}
