package jsonata

import (
	"math"
	mrand "math/rand/v2"
)

// registerNumericFunctions registers the numeric functions: $number, $abs, $floor, $ceil, $sqrt, $round,
// $power, $random.
func registerNumericFunctions() {
	def("number", 1, true, fnNumber)
	num1("abs", func(x float64) (any, error) { return math.Abs(x), nil })
	num1("floor", func(x float64) (any, error) { return math.Floor(x), nil })
	num1("ceil", func(x float64) (any, error) { return math.Ceil(x), nil })
	num1("sqrt", func(x float64) (any, error) {
		if x < 0 {
			return nil, evalErr("D3060", "The sqrt function cannot be applied to a negative number: %s", formatNumber(x))
		}
		return math.Sqrt(x), nil
	})
	def("round", 2, true, fnRound)
	def("power", 2, true, fnPower)
	def("random", 1, false, fnRandom)
}

// num1 registers a function of one number; an undefined argument gives undefined.
func num1(name string, f func(float64) (any, error)) {
	def(name, 1, true, func(ev *evaluator, args []any) (any, error) {
		n, ok, err := numArg(args, 0, name)
		if err != nil || !ok {
			return Undefined, err
		}
		return f(n)
	})
}

// fnNumber implements $number.
func fnNumber(ev *evaluator, args []any) (any, error) {
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
}

// fnRound implements $round.
func fnRound(ev *evaluator, args []any) (any, error) {
	n, ok, err := numArg(args, 0, "round")
	if err != nil || !ok {
		return Undefined, err
	}
	p, _, err := numArg(args, 1, "round")
	if err != nil {
		return nil, err
	}
	return roundHalfEven(n, int(p)), nil
}

// fnPower implements $power.
func fnPower(ev *evaluator, args []any) (any, error) {
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
}

// $random([seed]): AWS's extension takes an optional integer seed.
func fnRandom(ev *evaluator, args []any) (any, error) {
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
}
