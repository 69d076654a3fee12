package jsonata

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	mrand "math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/value"
)

// builtinFuncs are the functions of JSONata 2.0 that Step Functions provides, and its own extras
// ($partition, $range, $hash, $random with a seed, $uuid, $parse). Names the library does not know
// ($eval, xiatechs' $objmerge, ...) evaluate to undefined, so calling them fails with T1006 as in AWS.
var builtinFuncs map[string]*builtin

func argAt(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined
}

func argErr(i int, name string) error {
	return evalErr("T0410", "Argument %d of function %s does not match function signature", i+1, token(name))
}

func def(name string, arity int, ctx bool, fn func(ev *evaluator, args []any) (any, error)) {
	builtinFuncs[name] = &builtin{name: name, arity: arity, ctx: ctx, minArgs: 1, fn: fn}
}

// strArg returns argument i as a string; ok=false when undefined; an error for another type.
func strArg(args []any, i int, name string) (string, bool, error) {
	v := argAt(args, i)
	if v == Undefined {
		return "", false, nil
	}
	if a, ok := v.([]any); ok && len(a) == 1 {
		v = a[0]
	}
	s, ok := v.(string)
	if !ok {
		return "", false, argErr(i, name)
	}
	return s, true, nil
}

func numArg(args []any, i int, name string) (float64, bool, error) {
	v := argAt(args, i)
	if v == Undefined {
		return 0, false, nil
	}
	if a, ok := v.([]any); ok && len(a) == 1 {
		v = a[0]
	}
	f, ok := toNumber(v)
	if !ok {
		return 0, false, argErr(i, name)
	}
	return f, true, nil
}

func arrArg(args []any, i int) ([]any, bool) {
	v := argAt(args, i)
	if v == Undefined {
		return nil, false
	}
	return asArray(v), true
}

// numbersArg returns an array argument of numbers (aggregation functions).
func numbersArg(args []any, name string) ([]float64, bool, error) {
	a, ok := arrArg(args, 0)
	if !ok {
		return nil, false, nil
	}
	out := make([]float64, len(a))
	for i, x := range a {
		f, ok := toNumber(x)
		if !ok {
			return nil, false, argErr(0, name)
		}
		out[i] = f
	}
	return out, true, nil
}

func fnArg(args []any, i int, name string) (any, error) {
	f := argAt(args, i)
	if !isFunction(f) {
		return nil, argErr(i, name)
	}
	return f, nil
}

func init() {
	builtinFuncs = map[string]*builtin{}
	str1 := func(name string, f func(string) any) {
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

	// String functions.
	def("string", 1, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	str1("length", func(s string) any { return float64(utf8.RuneCountInString(s)) })
	str1("uppercase", func(s string) any { return strings.ToUpper(s) })
	str1("lowercase", func(s string) any { return strings.ToLower(s) })
	wsRE := regexp.MustCompile(`[ \t\n\r]+`)
	str1("trim", func(s string) any { return strings.Trim(wsRE.ReplaceAllString(s, " "), " ") })
	str1("base64encode", func(s string) any { return base64.StdEncoding.EncodeToString([]byte(s)) })
	def("base64decode", 1, true, func(ev *evaluator, args []any) (any, error) {
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
	})
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
	def("substring", 3, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("substringBefore", 2, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("substringAfter", 2, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("pad", 3, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("contains", 2, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("split", 3, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("join", 2, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("match", 3, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	def("replace", 4, true, func(ev *evaluator, args []any) (any, error) {
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
	})
	definePictureFunctions()

	// Numeric functions.
	def("number", 1, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		switch t := v.(type) {
		case bool:
			if t {
				return 1.0, nil
			}
			return 0.0, nil
		case string:
			if f, ok := parseJSNumber(t); ok {
				return f, nil
			}
			return nil, evalErr("D3030", "Unable to cast value to a number: %s", token(t))
		}
		if v == Undefined {
			return Undefined, nil
		}
		if f, ok := toNumber(v); ok {
			return f, nil
		}
		return nil, evalErr("D3030", "Unable to cast value to a number: %s", ev.jsonText(v))
	})
	num1 := func(name string, f func(float64) (any, error)) {
		def(name, 1, true, func(ev *evaluator, args []any) (any, error) {
			n, ok, err := numArg(args, 0, name)
			if err != nil || !ok {
				return Undefined, err
			}
			return f(n)
		})
	}
	num1("abs", func(x float64) (any, error) { return math.Abs(x), nil })
	num1("floor", func(x float64) (any, error) { return math.Floor(x), nil })
	num1("ceil", func(x float64) (any, error) { return math.Ceil(x), nil })
	num1("sqrt", func(x float64) (any, error) {
		if x < 0 {
			return nil, evalErr("D3060", "The sqrt function cannot be applied to a negative number: %s", formatNumber(x))
		}
		return math.Sqrt(x), nil
	})
	def("round", 2, true, func(ev *evaluator, args []any) (any, error) {
		n, ok, err := numArg(args, 0, "round")
		if err != nil || !ok {
			return Undefined, err
		}
		p, _, err := numArg(args, 1, "round")
		if err != nil {
			return nil, err
		}
		return roundHalfEven(n, int(p)), nil
	})
	def("power", 2, true, func(ev *evaluator, args []any) (any, error) {
		b, ok, err := numArg(args, 0, "power")
		if err != nil || !ok {
			return Undefined, err
		}
		e, _, err := numArg(args, 1, "power")
		if err != nil {
			return nil, err
		}
		r := math.Pow(b, e)
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, evalErr("D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base=%s, exponent=%s", formatNumber(b), formatNumber(e))
		}
		return r, nil
	})
	// $random([seed]): AWS's extension takes an optional integer seed.
	def("random", 1, false, func(ev *evaluator, args []any) (any, error) {
		if s, ok, err := numArg(args, 0, "random"); err != nil {
			return nil, err
		} else if ok {
			r := mrand.New(mrand.NewPCG(uint64(int64(s)), 0x5f3759df))
			return r.Float64(), nil
		}
		if ev.env.Random != nil {
			return ev.env.Random(), nil
		}
		return mrand.Float64(), nil
	})

	// Aggregation functions.
	// aggregate defines a function of an array of numbers; empty is its value for [] (nil: undefined).
	aggregate := func(name string, empty any, fold func(a []float64) float64) {
		def(name, 1, true, func(ev *evaluator, args []any) (any, error) {
			a, ok, err := numbersArg(args, name)
			if err != nil || !ok {
				return Undefined, err
			}
			if len(a) == 0 {
				if empty == nil {
					return Undefined, nil
				}
				return empty, nil
			}
			return fold(a), nil
		})
	}
	sum := func(a []float64) float64 {
		t := 0.0
		for _, x := range a {
			t += x
		}
		return t
	}
	aggregate("sum", 0.0, sum)
	aggregate("max", nil, func(a []float64) float64 { return slices.Max(a) })
	aggregate("min", nil, func(a []float64) float64 { return slices.Min(a) })
	aggregate("average", nil, func(a []float64) float64 { return sum(a) / float64(len(a)) })
	def("count", 1, true, func(ev *evaluator, args []any) (any, error) {
		a, _ := arrArg(args, 0)
		return float64(len(a)), nil
	})

	// Boolean functions.
	def("boolean", 1, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		if v == Undefined {
			return Undefined, nil
		}
		return ev.truthy(v), nil
	})
	def("not", 1, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		if v == Undefined {
			return Undefined, nil
		}
		return !ev.truthy(v), nil
	})
	def("exists", 1, false, func(ev *evaluator, args []any) (any, error) {
		if len(args) != 1 {
			return nil, evalErr("T0410", "Argument 1 of function \"exists\" does not match function signature")
		}
		return args[0] != Undefined, nil
	})

	// Array functions.
	def("append", 2, false, func(ev *evaluator, args []any) (any, error) {
		a, b := argAt(args, 0), argAt(args, 1)
		if a == Undefined {
			return b, nil
		}
		if b == Undefined {
			return a, nil
		}
		ev.alloc(len(asArray(a)) + len(asArray(b)))
		out := append(append([]any{}, asArray(a)...), asArray(b)...)
		return out, nil
	})
	def("reverse", 1, true, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		ev.alloc(len(a))
		out := make([]any, len(a))
		for i, x := range a {
			out[len(a)-1-i] = x
		}
		return out, nil
	})
	def("shuffle", 1, true, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		ev.alloc(len(a))
		out := append([]any{}, a...)
		mrand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out, nil
	})
	def("distinct", 1, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		if v == Undefined {
			return Undefined, nil
		}
		if !isArray(v) {
			return v, nil
		}
		out := []any{}
		seen := map[any]bool{} // scalars: by value (numbers by their float value)
		var composites []any   // arrays and objects: compared with deepEqual
		for _, x := range asArray(v) {
			ev.tick(1)
			dup := false
			if k, ok := distinctKey(x); ok {
				dup = seen[k]
				seen[k] = true
			} else {
				for _, y := range composites {
					if ev.deepEqual(x, y) {
						dup = true
						break
					}
				}
				if !dup {
					composites = append(composites, x)
				}
			}
			if !dup {
				ev.alloc(1)
				out = append(out, x)
			}
		}
		return out, nil
	})
	def("zip", 2, false, func(ev *evaluator, args []any) (any, error) {
		if len(args) == 0 {
			return []any{}, nil
		}
		n := math.MaxInt
		lists := make([][]any, len(args))
		for i, a := range args {
			lists[i] = asArray(a)
			n = min(n, len(lists[i]))
		}
		ev.alloc(n * (len(lists) + 1))
		out := make([]any, n)
		for i := range out {
			row := make([]any, len(lists))
			for j := range lists {
				row[j] = lists[j][i]
			}
			out[i] = row
		}
		return out, nil
	})
	def("sort", 2, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		if v == Undefined {
			return Undefined, nil
		}
		ev.alloc(len(asArray(v)))
		a := append([]any{}, asArray(v)...)
		if len(a) <= 1 {
			return a, nil
		}
		var cmpErr error
		if f := argAt(args, 1); f != Undefined {
			if !isFunction(f) {
				return nil, argErr(1, "sort")
			}
			sort.SliceStable(a, func(i, j int) bool {
				if cmpErr != nil {
					return false
				}
				r, err := ev.invoke(f, []any{a[j], a[i]}, Undefined)
				if err != nil {
					cmpErr = err
					return false
				}
				return ev.truthy(r)
			})
			return a, cmpErr
		}
		allNum, allStr := true, true
		for _, x := range a {
			if !isNumber(x) {
				allNum = false
			}
			if _, ok := x.(string); !ok {
				allStr = false
			}
		}
		if !allNum && !allStr {
			return nil, evalErr("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function")
		}
		sort.SliceStable(a, func(i, j int) bool { return compareValues(a[i], a[j]) < 0 })
		return a, nil
	})

	// Object functions.
	def("keys", 1, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		var keys []any
		seen := map[string]bool{}
		add := func(m *value.Object) {
			for _, x := range m.Members() {
				if k := x.Key; !seen[k] {
					ev.alloc(1)
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		switch t := v.(type) {
		case *value.Object:
			add(t)
		case []any, *sequence:
			for _, x := range asArray(t) {
				if m, ok := x.(*value.Object); ok {
					add(m)
				}
			}
		}
		if len(keys) == 0 {
			return Undefined, nil
		}
		return &sequence{items: keys}, nil
	})
	def("lookup", 2, false, func(ev *evaluator, args []any) (any, error) {
		k, _, err := strArg(args, 1, "lookup")
		if err != nil {
			return nil, err
		}
		return ev.field(argAt(args, 0), k), nil
	})
	def("spread", 1, true, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		switch t := v.(type) {
		case *value.Object:
			out := []any{}
			ev.alloc(2 * t.Len())
			for _, m := range t.Members() {
				out = append(out, value.ObjectOf(m.Key, m.Value))
			}
			return &sequence{items: out}, nil
		case []any, *sequence:
			out := []any{}
			for _, x := range asArray(t) {
				if o, ok := x.(*value.Object); ok {
					ev.alloc(2 * o.Len())
					for _, m := range o.Members() {
						out = append(out, value.ObjectOf(m.Key, m.Value))
					}
				} else {
					ev.alloc(1)
					out = append(out, x)
				}
			}
			return &sequence{items: out}, nil
		}
		return v, nil
	})
	def("merge", 1, false, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		if v == Undefined {
			return Undefined, nil
		}
		out := value.NewObject(4)
		for _, x := range asArray(v) {
			m, ok := x.(*value.Object)
			if !ok {
				return nil, argErr(0, "merge")
			}
			ev.alloc(m.Len())
			for _, y := range m.Members() {
				out.Set(y.Key, y.Value) // a later value replaces an earlier one in its place
			}
		}
		return out, nil
	})
	def("sift", 2, true, func(ev *evaluator, args []any) (any, error) {
		m, ok := argAt(args, 0).(*value.Object)
		if !ok {
			return Undefined, nil
		}
		f, err := fnArg(args, 1, "sift")
		if err != nil {
			return nil, err
		}
		out := value.NewObject(m.Len())
		for _, x := range m.Members() {
			all := []any{x.Value, x.Key, m}
			r, err := ev.invoke(f, all[:max(1, min(arity(f), 3))], Undefined)
			if err != nil {
				return nil, err
			}
			if ev.truthy(r) {
				out.Set(x.Key, x.Value)
			}
		}
		if out.Len() == 0 {
			return Undefined, nil
		}
		return out, nil
	})
	def("each", 2, true, func(ev *evaluator, args []any) (any, error) {
		m, ok := argAt(args, 0).(*value.Object)
		if !ok {
			return Undefined, nil
		}
		f, err := fnArg(args, 1, "each")
		if err != nil {
			return nil, err
		}
		out := []any{}
		for _, x := range m.Members() {
			all := []any{x.Value, x.Key, m}
			r, err := ev.invoke(f, all[:max(1, min(arity(f), 3))], Undefined)
			if err != nil {
				return nil, err
			}
			if r != Undefined {
				out = append(out, r)
			}
		}
		return &sequence{items: out}, nil
	})
	def("error", 1, false, func(ev *evaluator, args []any) (any, error) {
		msg, _, _ := strArg(args, 0, "error")
		if msg == "" {
			msg = "$error() function evaluated"
		}
		return nil, evalErr("D3137", "%s", msg)
	})
	def("assert", 2, false, func(ev *evaluator, args []any) (any, error) {
		c, ok := argAt(args, 0).(bool)
		if !ok {
			return nil, evalErr("T0410", "Argument 1 of function \"assert\" does not match function signature")
		}
		if !c {
			msg, _, _ := strArg(args, 1, "assert")
			if msg == "" {
				msg = "$assert() statement failed"
			}
			return nil, evalErr("D3141", "%s", msg)
		}
		return Undefined, nil
	})
	def("type", 1, false, func(ev *evaluator, args []any) (any, error) {
		v := argAt(args, 0)
		if v == Undefined {
			return Undefined, nil
		}
		return typeOf(v), nil
	})

	// Date/time functions.
	def("millis", 0, false, func(ev *evaluator, args []any) (any, error) {
		return float64(ev.now.UnixMilli()), nil
	})

	// Higher-order functions.
	def("map", 2, false, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		f, err := fnArg(args, 1, "map")
		if err != nil {
			return nil, err
		}
		ev.alloc(len(a))
		out := make([]any, 0, len(a))
		for i, x := range a {
			r, err := ev.hof(f, x, i, a)
			if err != nil {
				return nil, err
			}
			if r != Undefined {
				out = append(out, r)
			}
		}
		return &sequence{items: out}, nil
	})
	def("filter", 2, false, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		f, err := fnArg(args, 1, "filter")
		if err != nil {
			return nil, err
		}
		out := []any{}
		for i, x := range a {
			r, err := ev.hof(f, x, i, a)
			if err != nil {
				return nil, err
			}
			if ev.truthy(r) {
				ev.alloc(1)
				out = append(out, x)
			}
		}
		return &sequence{items: out}, nil
	})
	def("single", 2, false, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		var found any = Undefined
		n := 0
		for i, x := range a {
			keep := true
			if f := argAt(args, 1); f != Undefined {
				r, err := ev.hof(f, x, i, a)
				if err != nil {
					return nil, err
				}
				keep = ev.truthy(r)
			}
			if keep {
				n++
				found = x
			}
		}
		switch {
		case n > 1:
			return nil, evalErr("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.")
		case n == 0:
			return nil, evalErr("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.")
		}
		return found, nil
	})
	def("reduce", 3, false, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		f, err := fnArg(args, 1, "reduce")
		if err != nil {
			return nil, err
		}
		if arity(f) < 2 {
			return nil, evalErr("D3050", "The second argument of reduce function must be a function with at least two arguments")
		}
		acc := argAt(args, 2)
		start := 0
		if acc == Undefined && len(a) > 0 {
			acc, start = a[0], 1
		}
		for i := start; i < len(a); i++ {
			all := []any{acc, a[i], float64(i), a}
			r, err := ev.invoke(f, all[:min(arity(f), 4)], Undefined)
			if err != nil {
				return nil, err
			}
			acc = r
		}
		return acc, nil
	})

	// Step Functions extras.
	def("partition", 2, false, func(ev *evaluator, args []any) (any, error) {
		a, ok := arrArg(args, 0)
		if !ok {
			return Undefined, nil
		}
		n, ok, err := numArg(args, 1, "partition")
		if err != nil || !ok || n < 1 || n != math.Trunc(n) {
			return nil, argErr(1, "partition")
		}
		size := int(n)
		out := []any{}
		ev.alloc(len(a) + len(a)/size + 1)
		for i := 0; i < len(a); i += size {
			out = append(out, append([]any{}, a[i:min(i+size, len(a))]...))
		}
		return out, nil
	})
	def("range", 3, false, func(ev *evaluator, args []any) (any, error) {
		var v [3]float64
		for i := range v {
			n, ok, err := numArg(args, i, "range")
			if err != nil {
				return nil, err
			}
			if !ok {
				if i == 2 {
					n = 1
				} else {
					return nil, argErr(i, "range")
				}
			}
			v[i] = n
		}
		if v[2] == 0 {
			return nil, argErr(2, "range")
		}
		out := []any{}
		for x := v[0]; (v[2] > 0 && x <= v[1]) || (v[2] < 0 && x >= v[1]); x += v[2] {
			out = append(out, x)
			if len(out) > 1000 {
				return nil, evalErr("D2014", "The $range function can not generate more than 1000 items")
			}
		}
		return out, nil
	})
	def("hash", 2, false, func(ev *evaluator, args []any) (any, error) {
		s, ok, err := strArg(args, 0, "hash")
		if err != nil || !ok {
			return Undefined, err
		}
		alg := "SHA-256"
		if a, ok, _ := strArg(args, 1, "hash"); ok {
			alg = a
		}
		var h hash.Hash
		switch alg {
		case "MD5":
			h = md5.New()
		case "SHA-1":
			h = sha1.New()
		case "SHA-256":
			h = sha256.New()
		case "SHA-384":
			h = sha512.New384()
		case "SHA-512":
			h = sha512.New()
		default:
			return nil, argErr(1, "hash")
		}
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil)), nil
	})
	def("uuid", 0, false, func(ev *evaluator, args []any) (any, error) {
		if ev.env.UUID != nil {
			return ev.env.UUID(), nil
		}
		var b [16]byte
		_, _ = rand.Read(b[:])
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
	})
	def("parse", 1, false, func(ev *evaluator, args []any) (any, error) {
		s, ok, err := strArg(args, 0, "parse")
		if err != nil || !ok {
			return Undefined, err
		}
		v, err := parseJSON(s)
		if err != nil {
			return nil, evalErr("D3140", "Unable to parse JSON string: %s", token(s))
		}
		return v, nil
	})
}

// distinctKey is the key of a scalar for $distinct (equal keys exactly when deepEqual); ok=false
// for arrays and objects.
func distinctKey(v any) (any, bool) {
	if f, ok := toNumber(v); ok {
		if f == 0 {
			f = 0 // -0 = 0
		}
		return f, true
	}
	switch v.(type) {
	case nil, bool, string:
		return v, true
	}
	return nil, false
}

func parseJSON(s string) (any, error) {
	d := jsonDecoder(s)
	v, err := value.Decode(d)
	if err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

var jsNumberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)

func parseJSNumber(s string) (float64, bool) {
	if jsNumberRE.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil && !math.IsInf(f, 0)
	}
	for _, p := range []struct {
		prefix string
		base   int
	}{{"0x", 16}, {"0X", 16}, {"0b", 2}, {"0B", 2}, {"0o", 8}, {"0O", 8}} {
		if strings.HasPrefix(s, p.prefix) {
			n, err := strconv.ParseInt(s[2:], p.base, 64)
			return float64(n), err == nil
		}
	}
	return 0, false
}

// roundHalfEven rounds to precision decimal places, halves to even, as jsonata's $round: the
// decimal point is shifted in the number's shortest decimal form, not by multiplying (4.525 is
// 4.52499999... as a double, yet rounds to 4.52, not 4.53).
func roundHalfEven(x float64, precision int) float64 {
	if precision != 0 {
		x = roundShift(x, precision)
	}
	r := math.Floor(x + 0.5) // JavaScript's Math.round
	if math.Abs(r-x) == 0.5 && math.Mod(math.Abs(r), 2) == 1 {
		r--
	}
	if precision != 0 {
		r = roundShift(r, -precision)
	}
	if r == 0 {
		r = 0 // no negative zero
	}
	return r
}

// roundShift multiplies x by 10^n exactly in its shortest decimal form.
func roundShift(x float64, n int) float64 {
	mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'g', -1, 64), "e")
	e := n
	if exp != "" {
		k, _ := strconv.Atoi(exp)
		e += k
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e), 64)
	if err != nil {
		return x * math.Pow(10, float64(n))
	}
	return f
}

func regexMatchAt(s string, m []int) *value.Object {
	groups := []any{}
	for g := 2; g+1 < len(m); g += 2 {
		if m[g] < 0 {
			groups = append(groups, "")
		} else {
			groups = append(groups, s[m[g]:m[g+1]])
		}
	}
	return value.ObjectOf("match", s[m[0]:m[1]], "index", float64(m[0]), "groups", groups)
}

func regexMatch(re *regexp.Regexp, s string, from int) any {
	m := re.FindStringSubmatchIndex(s[from:])
	if m == nil {
		return Undefined
	}
	for i := range m {
		if m[i] >= 0 {
			m[i] += from
		}
	}
	out := regexMatchAt(s, m)
	out.Set("start", float64(m[0]))
	out.Set("end", float64(m[1]))
	next := m[1]
	if next == m[0] {
		next++
	}
	out.Set("next", &builtin{name: "next", fn: func(ev *evaluator, args []any) (any, error) {
		if next > len(s) {
			return Undefined, nil
		}
		return regexMatch(re, s, next), nil
	}})
	return out
}

// expandReplacement expands $0..$9 and $$ in a $replace replacement string.
func expandReplacement(r, s string, m []int) string {
	groups := len(m)/2 - 1
	maxDigits := len(strconv.Itoa(max(groups, 1)))
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c != '$' || i+1 >= len(r) {
			b.WriteByte(c)
			continue
		}
		if r[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		// As jsonata-js: as many digits as the number of groups has, one fewer when that names no group.
		d := 0
		for d < maxDigits && i+1+d < len(r) && r[i+1+d] >= '0' && r[i+1+d] <= '9' {
			d++
		}
		if d == 0 {
			b.WriteByte(c)
			continue
		}
		g, _ := strconv.Atoi(r[i+1 : i+1+d])
		if d > 1 && g > groups {
			d--
			g, _ = strconv.Atoi(r[i+1 : i+1+d])
		}
		if g <= groups && m[2*g] >= 0 {
			b.WriteString(s[m[2*g]:m[2*g+1]])
		}
		i += d
	}
	return b.String()
}

// encodeURI encodes as JavaScript's encodeURIComponent (component) or encodeURI.
func encodeURI(s string, component bool) string {
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()"
	const reserved = ";,/?:@&=+$#"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(unreserved, c) >= 0 || !component && strings.IndexByte(reserved, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
