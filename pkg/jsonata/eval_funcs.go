package jsonata

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

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

// init registers the builtin library, one family of functions per file (funcs_*.go).
func init() {
	builtinFuncs = map[string]*builtin{}
	registerStringFunctions()
	registerNumericFunctions()
	registerAggregateFunctions()
	registerBooleanFunctions()
	registerArrayFunctions()
	registerObjectFunctions()
	registerDateTimeFunctions()
	registerHigherOrderFunctions()
	registerStepFunctionsExtras()
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
