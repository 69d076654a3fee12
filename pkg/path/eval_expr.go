package path

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

// undefined is the value of an `@` path that selects nothing.
type undefined struct{}

// number is an exact numeric value (JSON numbers are compared by value, so
// 1 == 1.0 and 10 > 9.5).
type number struct{ r *big.Rat }

// beyondDouble (10^400) stands for numbers too large for a double: larger
// than any double, equal to each other as Infinity is.
var beyondDouble = new(big.Rat).SetFrac(new(big.Int).Exp(big.NewInt(10), big.NewInt(400), nil), big.NewInt(1))

// beyondExactRange reports whether the JSON number text s has an exponent
// beyond ±400, and returns its value as a double (±Inf or 0 when out of
// range).
func beyondExactRange(s string) (float64, bool) {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return 0, false
	}
	if e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+")); err == nil && e >= -400 && e <= 400 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// toNumber converts a JSON number (json.Number, any Go integer or float
// type) to a number.
func toNumber(v any) (number, bool) {
	r := new(big.Rat)
	switch t := v.(type) {
	case number:
		return t, true
	case json.Number:
		if f, ok := beyondExactRange(string(t)); ok {
			// A huge exponent: read as the double Jackson (AWS) reads,
			// instead of building a rational with a huge exponent
			// (1e4000000 would take 100 ms per comparison).
			switch {
			case math.IsInf(f, 1):
				return number{beyondDouble}, true
			case math.IsInf(f, -1):
				return number{new(big.Rat).Neg(beyondDouble)}, true
			}
			r.SetFloat64(f)
			return number{r}, true
		}
		if _, ok := r.SetString(string(t)); !ok {
			return number{}, false
		}
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return number{}, false
		}
		r.SetFloat64(t)
	case float32:
		if math.IsNaN(float64(t)) || math.IsInf(float64(t), 0) {
			return number{}, false
		}
		r.SetFloat64(float64(t))
	case int:
		r.SetInt64(int64(t))
	case int8:
		r.SetInt64(int64(t))
	case int16:
		r.SetInt64(int64(t))
	case int32:
		r.SetInt64(int64(t))
	case int64:
		r.SetInt64(t)
	case uint:
		r.SetUint64(uint64(t))
	case uint8:
		r.SetUint64(uint64(t))
	case uint16:
		r.SetUint64(uint64(t))
	case uint32:
		r.SetUint64(uint64(t))
	case uint64:
		r.SetUint64(t)
	default:
		return number{}, false
	}
	return number{r}, true
}

// int returns n as an int when it is integral and fits.
func (n number) int() (int, bool) {
	if !n.r.IsInt() || !n.r.Num().IsInt64() {
		return 0, false
	}
	i := n.r.Num().Int64()
	if int64(int(i)) != i {
		return 0, false
	}
	return int(i), true
}

// String renders n as a decimal (integers without a fraction).
func (n number) String() string {
	if n.r.IsInt() {
		return n.r.Num().String()
	}
	f, _ := n.r.Float64()
	b, _ := json.Marshal(f)
	return string(b)
}

// value normalises a JSON value for expression evaluation: numbers become
// number, everything else is kept.
func value(v any) any {
	if n, ok := toNumber(v); ok {
		return n
	}
	return v
}

// evalPathExpr evaluates a path inside a filter or script: an `@` path
// against the current node; a `$`, `$$` or `$name` path, as Jayway does,
// against the document the whole path is evaluated on (`$`), the context
// object or the variable; the value of such a root path is the same for
// every node, so it is computed once per Eval.
func (ev *evaluator) evalPathExpr(p *Path, cur any) any {
	if p.Root == RootCurrent {
		return ev.pathValue(p, cur)
	}
	if v, ok := ev.run.memo[p]; ok {
		return v
	}
	var v any = undefined{}
	doc := ev.run.root
	var err error
	if p.Root != RootInput {
		doc, err = p.root(ev.run.input, ev.run.ctx)
	}
	if err == nil {
		v = ev.pathValue(p, doc)
	}
	if ev.run.memo == nil {
		ev.run.memo = map[*Path]any{}
	}
	ev.run.memo[p] = v
	return v
}

// pathValue evaluates p with doc as its root: the selected value of a
// definite path (undefined when it selects nothing), the list of matches of
// an indefinite one. `.length` of an array or string is its length when the
// node has no member of that name.
func (ev *evaluator) pathValue(p *Path, doc any) any {
	if n := len(p.Segments); n > 0 && p.Segments[n-1].Kind == Field && p.Segments[n-1].Name == "length" {
		base := &Path{Source: p.Source, Root: p.Root, Segments: p.Segments[:n-1]}
		if base.IsDefinite() {
			if b, ok := ev.evalAt(base, doc); ok {
				switch t := b.(type) {
				case []any:
					return number{new(big.Rat).SetInt64(int64(len(t)))}
				case string:
					return number{new(big.Rat).SetInt64(int64(utf8.RuneCountInString(t)))}
				}
			}
		}
	}
	v, ok := ev.evalAt(p, doc)
	if !ok {
		return undefined{}
	}
	return value(v)
}

// evalAt evaluates p with doc as its root, without copying, within the
// run's step budget.
func (ev *evaluator) evalAt(p *Path, doc any) (any, bool) {
	sub := &evaluator{path: p, definite: p.IsDefinite(), run: ev.run}
	var out []any
	if err := sub.walk(doc, p.Segments, &out); err != nil {
		return nil, false
	}
	if sub.definite {
		if len(out) == 0 {
			return nil, false
		}
		return out[0], true
	}
	if out == nil {
		out = []any{}
	}
	return out, true
}

// evalBool evaluates a filter condition. A bare path is an existence
// test, as in Jayway (`[?(@.isbn)]`).
func (ev *evaluator) evalBool(e *Expr, cur any) bool {
	if e == nil || !ev.run.step(1) {
		return false
	}
	switch e.Kind {
	case ExprAnd:
		return ev.evalBool(e.Left, cur) && ev.evalBool(e.Right, cur)
	case ExprOr:
		return ev.evalBool(e.Left, cur) || ev.evalBool(e.Right, cur)
	case ExprNot:
		return !ev.evalBool(e.Left, cur)
	case ExprCompare:
		return compare(e.Op, ev.evalValue(e.Left, cur), ev.evalValue(e.Right, cur))
	case ExprPath:
		v := ev.evalValue(e, cur)
		if _, ok := v.(undefined); ok {
			return false
		}
		if a, ok := v.([]any); ok && !e.Path.IsDefinite() {
			return len(a) > 0
		}
		return true
	case ExprBool:
		return e.Bool
	case ExprNull:
		return false
	}
	return true
}

// evalValue evaluates an operand or a script expression.
func (ev *evaluator) evalValue(e *Expr, cur any) any {
	if e == nil || !ev.run.step(1) {
		return undefined{}
	}
	switch e.Kind {
	case ExprPath:
		return ev.evalPathExpr(e.Path, cur)
	case ExprString:
		return e.String
	case ExprNumber:
		if n, ok := toNumber(json.Number(e.Number)); ok {
			return n
		}
		return undefined{}
	case ExprBool:
		return e.Bool
	case ExprNull:
		return nil
	case ExprCompare, ExprAnd, ExprOr, ExprNot:
		return ev.evalBool(e, cur)
	case ExprNeg:
		if n, ok := ev.evalValue(e.Left, cur).(number); ok {
			return number{new(big.Rat).Neg(n.r)}
		}
		return undefined{}
	case ExprArith:
		return arith(e.Op, ev.evalValue(e.Left, cur), ev.evalValue(e.Right, cur))
	}
	return undefined{}
}

// arith applies a script operator; `+` concatenates when either side is a
// string.
func arith(op string, l, r any) any {
	ln, lok := l.(number)
	rn, rok := r.(number)
	if !lok || !rok {
		if op == "+" {
			ls, lsok := scalarString(l)
			rs, rsok := scalarString(r)
			if lsok && rsok {
				return ls + rs
			}
		}
		return undefined{}
	}
	z := new(big.Rat)
	switch op {
	case "+":
		z.Add(ln.r, rn.r)
	case "-":
		z.Sub(ln.r, rn.r)
	case "*":
		z.Mul(ln.r, rn.r)
	case "/":
		if rn.r.Sign() == 0 {
			return undefined{}
		}
		z.Quo(ln.r, rn.r)
	case "%":
		if rn.r.Sign() == 0 {
			return undefined{}
		}
		// Truncated remainder, as in Java and JavaScript: l - r*trunc(l/r).
		q := new(big.Rat).Quo(ln.r, rn.r)
		t := new(big.Int).Quo(q.Num(), q.Denom())
		z.Sub(ln.r, new(big.Rat).Mul(rn.r, new(big.Rat).SetInt(t)))
	default:
		return undefined{}
	}
	if z.Num().BitLen() > maxArithBits || z.Denom().BitLen() > maxArithBits {
		return undefined{} // far beyond a double, as Jayway's arithmetic would overflow
	}
	return number{z}
}

// maxArithBits bounds the numerator and denominator of a script result, so
// that a long chain of multiplications stays cheap (10^400 needs 1329 bits).
const maxArithBits = 2048

func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case number:
		return t.String(), true
	}
	return "", false
}

// compare applies a filter comparison with Jayway's rules: == and != compare
// numbers by value (a string that reads as a number equals that number),
// strings, booleans, null and (deeply) arrays and objects; < <= > >= compare
// two numbers or two strings and are false otherwise. An undefined operand
// equals nothing.
func compare(op string, l, r any) bool {
	switch op {
	case "==":
		return equal(l, r)
	case "!=":
		return !equal(l, r)
	}
	var c int
	switch lt := l.(type) {
	case number:
		rt, ok := r.(number)
		if !ok {
			return false
		}
		c = lt.r.Cmp(rt.r)
	case string:
		rt, ok := r.(string)
		if !ok {
			return false
		}
		c = strings.Compare(lt, rt)
	default:
		return false
	}
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// equal reports whether two normalised values are equal.
func equal(l, r any) bool {
	switch lt := l.(type) {
	case undefined:
		return false
	case nil:
		return r == nil
	case bool:
		rt, ok := r.(bool)
		return ok && lt == rt
	case number:
		switch rt := r.(type) {
		case number:
			return lt.r.Cmp(rt.r) == 0
		case string:
			if n, ok := toNumber(json.Number(strings.TrimSpace(rt))); ok && rt != "" {
				return lt.r.Cmp(n.r) == 0
			}
		}
		return false
	case string:
		switch rt := r.(type) {
		case string:
			return lt == rt
		case number:
			return equal(r, l)
		}
		return false
	case []any:
		rt, ok := r.([]any)
		if !ok || len(lt) != len(rt) {
			return false
		}
		for i := range lt {
			if !equal(value(lt[i]), value(rt[i])) {
				return false
			}
		}
		return true
	case *jv.Object:
		rt, ok := r.(*jv.Object)
		if !ok || lt.Len() != rt.Len() {
			return false
		}
		for _, m := range lt.Members() {
			rv, ok := rt.Get(m.Key)
			if !ok || !equal(value(m.Value), value(rv)) {
				return false
			}
		}
		return true
	}
	return false
}
