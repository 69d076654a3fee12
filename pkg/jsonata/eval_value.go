package jsonata

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/value"
)

// Function values.

type lambda struct {
	sig    *signature // nil: no signature
	params []string
	body   Node
	input  any
	sc     *frame
	ev     *evaluator
}

type builtin struct {
	name  string
	arity int // declared parameters (how many a higher-order function passes)
	// ctx: called with fewer than minArgs arguments, the context item becomes the first one.
	ctx     bool
	minArgs int
	fn      func(ev *evaluator, args []any) (any, error)
}

type partial struct {
	fn    any
	args  []any
	holes []bool
}

type chain struct{ first, second any }

type regexFn struct{ re *regexp.Regexp }

type transform struct {
	node *ObjectTransformationNode
	sc   *frame
	ev   *evaluator
}

func isFunction(v any) bool {
	switch v.(type) {
	case *lambda, *builtin, *partial, *chain, *regexFn, *transform:
		return true
	}
	return false
}

// arity is the number of arguments a higher-order function passes to f.
func arity(f any) int {
	switch t := f.(type) {
	case *lambda:
		return len(t.params)
	case *builtin:
		return t.arity
	case *partial:
		n := 0
		for _, h := range t.holes {
			if h {
				n++
			}
		}
		return n
	case *chain:
		return arity(t.first)
	}
	return 1
}

func (ev *evaluator) invoke(f any, args []any, input any) (any, error) {
	var v any
	var err error
	switch t := f.(type) {
	case *lambda:
		for {
			var tail *tailCall
			if v, tail, err = ev.callLambda(t, args, input); err != nil || tail == nil {
				break
			}
			next, ok := tail.fn.(*lambda)
			if !ok { // a built-in (which may call back): one level deeper, as a call
				ev.enter()
				v, err = ev.invoke(tail.fn, tail.args, tail.input)
				ev.leave()
				break
			}
			t, args, input = next, tail.args, tail.input
			ev.tick(1)
		}
	case *builtin:
		if sig := builtinSignature(t.name); sig != nil {
			if args, err = sig.validate(t.name, args, input); err != nil {
				return nil, err
			}
		} else if t.ctx && len(args) < t.minArgs && input != Undefined {
			args = append([]any{input}, args...)
		}
		v, err = t.fn(ev, args)
	case *partial:
		full := make([]any, len(t.args))
		j := 0
		for i := range t.args {
			if t.holes[i] {
				if j < len(args) {
					full[i] = args[j]
				} else {
					full[i] = Undefined
				}
				j++
			} else {
				full[i] = t.args[i]
			}
		}
		v, err = ev.invoke(t.fn, full, input)
	case *chain:
		v, err = ev.invoke(t.first, args, input)
		if err == nil {
			v, err = ev.invoke(t.second, []any{v}, input)
		}
	case *regexFn:
		s, _ := argAt(args, 0).(string)
		v = regexMatch(t.re, s, 0)
	case *transform:
		v, err = t.apply(argAt(args, 0))
	default:
		return nil, evalErr("T1006", "Attempted to invoke a non-function")
	}
	if err != nil {
		return nil, err
	}
	return finish(v), nil
}

// callLambda binds a lambda's parameters and evaluates its body, up to a call in tail position.
func (ev *evaluator) callLambda(t *lambda, args []any, input any) (any, *tailCall, error) {
	if t.sig != nil {
		var err error
		if args, err = t.sig.validate("", args, input); err != nil {
			return nil, nil, err
		}
	}
	sc := &frame{vars: make(map[string]any, len(t.params)), parent: t.sc}
	for i, p := range t.params {
		p = strings.TrimPrefix(p, "$")
		if i < len(args) {
			sc.vars[p] = args[i]
		} else {
			sc.vars[p] = Undefined
		}
	}
	t.ev.enter()
	defer t.ev.leave()
	return t.ev.evalTail(t.body, t.input, sc)
}

// hof calls f for a higher-order function with as many of (value, index, array) as it declares.
func (ev *evaluator) hof(f any, value any, index int, array []any) (any, error) {
	args := []any{value, float64(index), array}
	n := arity(f)
	if n < 1 {
		n = 1
	}
	if n > 3 {
		n = 3
	}
	return ev.invoke(f, args[:n], Undefined)
}

func (t *transform) apply(obj any) (any, error) {
	if obj == Undefined {
		return Undefined, nil
	}
	if _, ok := obj.(*value.Object); !ok && !isArray(obj) {
		return nil, evalErr("T0410", "Argument 1 of function \"transform\" does not match function signature")
	}
	result := t.ev.deepCopy(obj)
	matches, err := t.ev.eval(t.node.Pattern, result, t.sc)
	if err != nil {
		return nil, err
	}
	for _, m := range asArray(matches) {
		mo, ok := m.(*value.Object) // a member of result, the deep copy: changed in place
		if !ok {
			continue
		}
		upd, err := t.ev.eval(t.node.Updates, mo, t.sc)
		if err != nil {
			return nil, err
		}
		if upd != Undefined {
			uo, ok := upd.(*value.Object)
			if !ok {
				return nil, evalErr("T2011", "The insert/update clause of the transform expression must evaluate to an object: %s", t.ev.jsonText(upd))
			}
			for _, x := range uo.Members() {
				mo.Set(x.Key, x.Value) // an existing member keeps its place, a new one is appended
			}
		}
		if t.node.Deletes != nil {
			del, err := t.ev.eval(t.node.Deletes, mo, t.sc)
			if err != nil {
				return nil, err
			}
			if del != Undefined {
				for _, k := range asArray(del) {
					ks, ok := k.(string)
					if !ok {
						return nil, evalErr("T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: %s", t.ev.jsonText(del))
					}
					mo.Delete(ks)
				}
			}
		}
	}
	return result, nil
}

func (b *budget) deepCopy(v any) any {
	b.enter()
	defer b.leave()
	switch t := v.(type) {
	case *value.Object:
		b.alloc(t.Len())
		ms := make([]value.Member, t.Len())
		for i, x := range t.Members() {
			ms[i] = value.Member{Key: x.Key, Value: b.deepCopy(x.Value)}
		}
		return value.FromMembers(ms)
	case []any:
		b.alloc(len(t))
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = b.deepCopy(x)
		}
		return out
	case *sequence:
		return b.deepCopy(t.items)
	}
	return v
}

// Numbers.

// toNumber reads a JSON number as JavaScript does (a double; value.Float's strict rule).
func toNumber(v any) (float64, bool) { return value.Float(v) }

func isNumber(v any) bool {
	_, ok := toNumber(v)
	return ok
}

// formatNumber prints a number as JavaScript's Number.prototype.toString does.
func formatNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 0) {
		if f > 0 {
			return "Infinity"
		}
		return "-Infinity"
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1.5e-08, 1e+21
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[:1]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + exp
}

// precise15 rounds to 15 significant digits, as $string and JSON output do in jsonata-js.
func precise15(f float64) float64 {
	if f == 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return f
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// Strings.

// stringify is $string: strings as they are, other values as JSON (numbers to 15 significant
// digits); functions become "".
func (b *budget) stringify(v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return "", evalErr("D3001", "Attempting to invoke string function on Infinity or NaN")
		}
		return formatNumber(precise15(t)), nil
	case json.Number:
		f, _ := toNumber(t)
		return formatNumber(precise15(f)), nil
	}
	if isFunction(v) {
		return "", nil
	}
	return string(b.appendJSON(nil, v, "", "")), nil
}

// jsonText is a value in an error message.
func (b *budget) jsonText(v any) string {
	if v == Undefined {
		return "undefined"
	}
	return string(b.appendJSON(nil, v, "", ""))
}

func (bud *budget) appendJSON(b []byte, v any, indent, prefix string) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, t)
	case string:
		return appendQuoted(b, t)
	case float64:
		if math.IsInf(t, 0) { // jsonata-js's JSON replacer reads each number with isNumeric
			panic(evalErr("D1001", "Number out of range: %s", "null"))
		}
		return append(b, formatNumber(precise15(t))...)
	case json.Number:
		f, _ := toNumber(t)
		return append(b, formatNumber(precise15(f))...)
	case *sequence:
		return bud.appendJSON(b, t.items, indent, prefix)
	case []any:
		bud.enter()
		defer bud.leave()
		b = append(b, '[')
		n := 0
		for _, x := range t {
			if x == Undefined {
				continue
			}
			if n > 0 {
				b = append(b, ',')
			}
			bud.str(len(b))
			if indent != "" {
				b = append(b, '\n')
				b = append(b, prefix+indent...)
			}
			if isFunction(x) {
				b = append(b, `""`...)
			} else {
				b = bud.appendJSON(b, x, indent, prefix+indent)
			}
			n++
		}
		if indent != "" && n > 0 {
			b = append(b, '\n')
			b = append(b, prefix...)
		}
		return append(b, ']')
	case *value.Object:
		bud.enter()
		defer bud.leave()
		b = append(b, '{')
		n := 0
		for _, m := range t.Members() {
			k, x := m.Key, m.Value
			if x == Undefined {
				continue
			}
			if n > 0 {
				b = append(b, ',')
			}
			bud.str(len(b))
			if indent != "" {
				b = append(b, '\n')
				b = append(b, prefix+indent...)
			}
			b = appendQuoted(b, k)
			b = append(b, ':')
			if indent != "" {
				b = append(b, ' ')
			}
			if isFunction(x) {
				b = append(b, `""`...)
			} else {
				b = bud.appendJSON(b, x, indent, prefix+indent)
			}
			n++
		}
		if indent != "" && n > 0 {
			b = append(b, '\n')
			b = append(b, prefix...)
		}
		return append(b, '}')
	}
	if isFunction(v) {
		return append(b, `""`...)
	}
	return append(b, "null"...)
}

// appendQuoted writes s as JSON.stringify does.
func appendQuoted(b []byte, s string) []byte {
	return value.AppendQuoted(b, s, value.JavaScriptQuoting)
}

// typeOf is $type.
func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case *value.Object:
		return "object"
	case []any, *sequence:
		return "array"
	}
	if isNumber(v) {
		return "number"
	}
	if isFunction(v) {
		return "function"
	}
	return "undefined"
}

// ToJSON converts an evaluation result into a plain JSON value: float64 numbers become json.Number
// (printed as JavaScript prints them) and sequences arrays. It reports false when the value holds a
// function (which has no JSON form).
func ToJSON(v any) (any, bool) {
	switch t := v.(type) {
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil, true
		}
		return json.Number(formatNumber(t)), true
	case *sequence:
		return ToJSON(t.items)
	case []any:
		for i, x := range t {
			switch x.(type) {
			case float64, *sequence:
				y, ok := ToJSON(x)
				if !ok {
					return nil, false
				}
				t[i] = y
			case []any:
				if _, ok := ToJSON(x); !ok {
					return nil, false
				}
			case *value.Object:
				y, ok := ToJSON(x)
				if !ok {
					return nil, false
				}
				if y != any(x) { // rebuilt without undefined members (never shared: built here)
					t[i] = y
				}
			default:
				if isFunction(x) {
					return nil, false
				}
			}
		}
		return t, true
	case *value.Object:
		// Values that need converting only occur in objects built by the evaluation, which are not
		// shared yet: they are converted in place.
		ms := t.Members()
		drop := false
		for i := range ms {
			switch x := ms[i].Value.(type) {
			case float64, *sequence:
				y, ok := ToJSON(x)
				if !ok {
					return nil, false
				}
				ms[i].Value = y
			case []any:
				if _, ok := ToJSON(x); !ok {
					return nil, false
				}
			case *value.Object:
				y, ok := ToJSON(x)
				if !ok {
					return nil, false
				}
				if y != any(x) {
					ms[i].Value = y
				}
			default:
				if x == Undefined {
					drop = true
				} else if isFunction(x) {
					return nil, false
				}
			}
		}
		if drop {
			kept := value.NewObject(len(ms))
			for _, m := range ms {
				if m.Value != Undefined {
					kept.Set(m.Key, m.Value)
				}
			}
			return kept, true
		}
		return t, true
	}
	if isFunction(v) {
		return nil, false
	}
	return v, true
}

func jsonDecoder(s string) *json.Decoder {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	return d
}
