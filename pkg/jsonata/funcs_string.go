package jsonata

import (
	"encoding/base64"
	"math"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/value"
)

// registerStringFunctions registers the string functions: $string, $length, $substring, ..., $replace, the
// URL and base64 codecs.
func registerStringFunctions() {
	def("string", 1, true, fnString)
	str1("length", func(s string) any { return float64(utf8.RuneCountInString(s)) })
	str1("uppercase", func(s string) any { return strings.ToUpper(s) })
	str1("lowercase", func(s string) any { return strings.ToLower(s) })
	wsRE := regexp.MustCompile(`[ \t\n\r]+`)
	str1("trim", func(s string) any { return strings.Trim(wsRE.ReplaceAllString(s, " "), " ") })
	str1("base64encode", func(s string) any { return base64.StdEncoding.EncodeToString([]byte(s)) })
	def("base64decode", 1, true, fnBase64decode)
	str1("encodeUrlComponent", func(s string) any { return encodeURI(s, true) })
	str1("encodeUrl", func(s string) any { return encodeURI(s, false) })
	for _, name := range []string{"decodeUrlComponent", "decodeUrl"} {
		def(name, 1, true, func(ev *evaluator, args []any) (any, error) {
			s, ok, err := strArg(args, 0, name)
			if err != nil || !ok {
				return Undefined, err
			}
			r, err := url.PathUnescape(s)
			if err != nil {
				return nil, evalErr("D3140", "Malformed URL passed to $%s(): %s", name, token(s))
			}
			return r, nil
		})
	}
	def("substring", 3, true, fnSubstring)
	def("substringBefore", 2, true, fnSubstringBefore)
	def("substringAfter", 2, true, fnSubstringAfter)
	def("pad", 3, true, fnPad)
	def("contains", 2, true, fnContains)
	def("split", 3, true, fnSplit)
	def("join", 2, true, fnJoin)
	def("match", 3, true, fnMatch)
	def("replace", 4, true, fnReplace)
	definePictureFunctions()
}

// str1 registers a function of one string; an undefined argument gives undefined.
func str1(name string, f func(string) any) {
	def(name, 1, true, func(ev *evaluator, args []any) (any, error) {
		s, ok, err := strArg(args, 0, name)
		if err != nil || !ok {
			return Undefined, err
		}
		r := f(s)
		if rs, ok := r.(string); ok {
			ev.str(len(rs)) // $base64encode and $encodeUrl grow their input
		}
		return r, nil
	})
}

// fnString implements $string.
func fnString(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	if p, ok := argAt(args, 1).(bool); ok && p {
		if _, isStr := v.(string); !isStr && !isFunction(v) {
			return string(ev.appendJSON(nil, v, "  ", "")), nil
		}
	}
	return ev.stringify(v)
}

// fnBase64decode implements $base64decode.
func fnBase64decode(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "base64decode")
	if err != nil || !ok {
		return Undefined, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil {
		return nil, evalErr("D3137", "Invalid base64 string")
	}
	return string(b), nil
}

// fnSubstring implements $substring.
func fnSubstring(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "substring")
	if err != nil || !ok {
		return Undefined, err
	}
	start, _, err := numArg(args, 1, "substring")
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	st := int(start)
	if st < 0 {
		st = max(len(r)+st, 0)
	}
	st = min(st, len(r))
	end := len(r)
	if l, ok, err := numArg(args, 2, "substring"); err != nil {
		return nil, err
	} else if ok {
		if l <= 0 {
			return "", nil
		}
		end = min(st+int(l), len(r))
	}
	return string(r[st:end]), nil
}

// fnSubstringBefore implements $substringBefore.
func fnSubstringBefore(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "substringBefore")
	if err != nil || !ok {
		return Undefined, err
	}
	c, _, err := strArg(args, 1, "substringBefore")
	if err != nil {
		return nil, err
	}
	if i := strings.Index(s, c); i >= 0 {
		return s[:i], nil
	}
	return s, nil
}

// fnSubstringAfter implements $substringAfter.
func fnSubstringAfter(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "substringAfter")
	if err != nil || !ok {
		return Undefined, err
	}
	c, _, err := strArg(args, 1, "substringAfter")
	if err != nil {
		return nil, err
	}
	if i := strings.Index(s, c); i >= 0 {
		return s[i+len(c):], nil
	}
	return s, nil
}

// fnPad implements $pad.
func fnPad(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "pad")
	if err != nil || !ok {
		return Undefined, err
	}
	w, _, err := numArg(args, 1, "pad")
	if err != nil {
		return nil, err
	}
	ch := " "
	if c, ok, _ := strArg(args, 2, "pad"); ok && c != "" {
		ch = c
	}
	if math.Abs(w) > float64(ev.lim.MaxString) {
		ev.str(int(min(math.Abs(w), math.MaxInt32)))
	}
	n := int(math.Abs(w)) - utf8.RuneCountInString(s)
	if n <= 0 {
		return s, nil
	}
	ev.str(len(s) + n*len(ch))
	padding := []rune(strings.Repeat(ch, n))[:n]
	if w < 0 {
		return string(padding) + s, nil
	}
	return s + string(padding), nil
}

// fnContains implements $contains.
func fnContains(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "contains")
	if err != nil || !ok {
		return Undefined, err
	}
	switch p := argAt(args, 1).(type) {
	case string:
		return strings.Contains(s, p), nil
	case *regexFn:
		return p.re.MatchString(s), nil
	}
	return nil, argErr(1, "contains")
}

// fnSplit implements $split.
func fnSplit(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "split")
	if err != nil || !ok {
		return Undefined, err
	}
	limit := -1
	if l, ok, err := numArg(args, 2, "split"); err != nil {
		return nil, err
	} else if ok {
		if l < 0 {
			return nil, evalErr("D3020", "Third argument of split function must evaluate to a positive number")
		}
		limit = int(l)
	}
	var parts []string
	switch p := argAt(args, 1).(type) {
	case string:
		parts = strings.SplitN(s, p, ev.room(-1, 1))
		if p == "" {
			parts = nil
			for _, r := range s {
				if limit >= 0 && len(parts) >= limit {
					break
				}
				ev.alloc(1)
				parts = append(parts, string(r))
			}
		}
	case *regexFn:
		parts = p.re.Split(s, ev.room(-1, 1))
	default:
		if !isFunction(p) {
			return nil, argErr(1, "split")
		}
		ms, err := ev.customMatches(p, s, limit, "split") // a custom matcher (matcher.go)
		if err != nil {
			return nil, err
		}
		parts = splitAt(s, ms, limit)
	}
	out := []any{}
	for _, x := range parts {
		if limit >= 0 && len(out) >= limit {
			break
		}
		ev.alloc(1)
		out = append(out, x)
	}
	return out, nil
}

// fnJoin implements $join.
func fnJoin(ev *evaluator, args []any) (any, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return Undefined, nil
	}
	sep, _, err := strArg(args, 1, "join")
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(a))
	size := 0
	for i, x := range a {
		s, ok := x.(string)
		if !ok {
			return nil, argErr(0, "join")
		}
		parts[i] = s
		size += len(s) + len(sep)
		ev.str(size)
	}
	return strings.Join(parts, sep), nil
}

// fnMatch implements $match.
func fnMatch(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "match")
	if err != nil || !ok {
		return Undefined, err
	}
	re, ok := argAt(args, 1).(*regexFn)
	limit := -1
	if l, ok, _ := numArg(args, 2, "match"); ok {
		limit = int(l)
	}
	if !ok && isFunction(argAt(args, 1)) { // a custom matcher (matcher.go)
		ms, err := ev.customMatches(argAt(args, 1), s, limit, "match")
		return &sequence{items: matchResults(ms)}, err
	}
	if !ok {
		return nil, argErr(1, "match")
	}
	out := []any{}
	for _, m := range re.re.FindAllStringSubmatchIndex(s, ev.room(limit, 3)) {
		groups := []any{}
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 {
				groups = append(groups, "")
			} else {
				groups = append(groups, s[m[g]:m[g+1]])
			}
		}
		ev.alloc(3 + len(groups))
		out = append(out, value.ObjectOf("match", s[m[0]:m[1]], "index", float64(utf8.RuneCountInString(s[:m[0]])), "groups", groups))
	}
	return &sequence{items: out}, nil
}

// fnReplace implements $replace.
func fnReplace(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "replace")
	if err != nil || !ok {
		return Undefined, err
	}
	limit := -1
	if l, ok, err := numArg(args, 3, "replace"); err != nil {
		return nil, err
	} else if ok {
		if l < 0 {
			return nil, evalErr("D3011", "Fourth argument of replace function must evaluate to a positive number")
		}
		limit = int(l)
	}
	repl := argAt(args, 2)
	switch p := argAt(args, 1).(type) {
	case string:
		if p == "" {
			return nil, evalErr("D3010", "Second argument of replace function cannot be an empty string")
		}
		r, ok := repl.(string)
		if !ok {
			return nil, argErr(2, "replace")
		}
		if n := strings.Count(s, p); len(r) > len(p) && n > 0 {
			ev.str(len(s) + n*(len(r)-len(p)))
		}
		return strings.Replace(s, p, r, limit), nil
	case *regexFn:
		var b strings.Builder
		last := 0
		for _, m := range p.re.FindAllStringSubmatchIndex(s, ev.room(limit, 1)) {
			if m[0] == m[1] {
				return nil, evalErr("D1004", "Regular expression matches zero length string")
			}
			ev.alloc(1)
			ev.str(b.Len() + m[0] - last)
			b.WriteString(s[last:m[0]])
			switch r := repl.(type) {
			case string:
				b.WriteString(expandReplacement(r, s, m))
			default:
				if !isFunction(r) {
					return nil, argErr(2, "replace")
				}
				v, err := ev.invoke(r, []any{regexMatchAt(s, m)}, Undefined)
				if err != nil {
					return nil, err
				}
				rs, ok := v.(string)
				if !ok {
					return nil, evalErr("D3012", "Attempted to replace a matched string with a non-string value")
				}
				b.WriteString(rs)
			}
			last = m[1]
		}
		b.WriteString(s[last:])
		return b.String(), nil
	}
	return nil, argErr(1, "replace")
}
