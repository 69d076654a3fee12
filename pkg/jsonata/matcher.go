package jsonata

import "github.com/sfn-tool/sfn/pkg/value"

// Custom matchers: jsonata-js accepts a function wherever it accepts a regular expression
// ($match, $split, ...). The function is called with the string and returns undefined (no match)
// or an object {match, start, end, groups, next}, where next() returns the following match.

// customMatch is one match a matcher function returned.
type customMatch struct {
	match  any
	start  any
	end    any
	groups any
	next   any
}

// customMatches calls the matcher fn on s and follows next() for up to limit matches (negative:
// no limit). A result that is not a match object is T1010, as in jsonata-js.
func (ev *evaluator) customMatches(fn any, s string, limit int, name string) ([]customMatch, error) {
	var out []customMatch
	v, err := ev.invoke(fn, []any{s}, Undefined)
	for err == nil && v != Undefined && (limit < 0 || len(out) < limit) {
		m, ok := matchObject(v)
		if !ok {
			return nil, evalErr("T1010", "The matcher function argument passed to function %s does not return the correct object structure", token(name))
		}
		ev.alloc(3)
		out = append(out, m)
		if !isFunction(m.next) {
			break
		}
		v, err = ev.invoke(m.next, nil, Undefined)
	}
	return out, err
}

// matchObject reads a matcher's result: an object with a numeric start or end, an array of
// groups or a next function.
func matchObject(v any) (customMatch, bool) {
	o, ok := v.(*value.Object)
	if !ok {
		return customMatch{}, false
	}
	m := customMatch{match: field(o, "match"), start: field(o, "start"), end: field(o, "end"), groups: field(o, "groups"), next: field(o, "next")}
	_, groups := m.groups.([]any)
	return m, isNumber(m.start) || isNumber(m.end) || groups || isFunction(m.next)
}

// field is o[k], or Undefined.
func field(o *value.Object, k string) any {
	if v, ok := o.Get(k); ok {
		return v
	}
	return Undefined
}

// matchResults turns custom matches into $match's results ({match, index, groups}).
func matchResults(ms []customMatch) []any {
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		r := value.NewObject(3)
		for _, kv := range []value.Member{{Key: "match", Value: m.match}, {Key: "index", Value: m.start}, {Key: "groups", Value: m.groups}} {
			if kv.Value != Undefined {
				r.Set(kv.Key, kv.Value)
			}
		}
		out = append(out, r)
	}
	return out
}

// splitAt splits s (by character positions) at the custom matches' [start, end) ranges, as
// jsonata-js's $split does with a matcher; at most limit parts (negative: no limit).
func splitAt(s string, ms []customMatch, limit int) []string {
	r := []rune(s)
	clamp := func(v any, lo int) int {
		f, _ := toNumber(v)
		return min(max(int(f), lo), len(r))
	}
	var out []string
	start := 0
	for _, m := range ms {
		if limit >= 0 && len(out) >= limit {
			return out
		}
		out = append(out, string(r[start:clamp(m.start, start)]))
		start = clamp(m.end, start)
	}
	if limit < 0 || len(out) < limit {
		out = append(out, string(r[start:]))
	}
	return out
}
