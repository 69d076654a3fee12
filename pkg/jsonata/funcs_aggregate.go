package jsonata

import "slices"

// registerAggregateFunctions registers the aggregation functions: $sum, $max, $min, $average, $count.
func registerAggregateFunctions() {
	aggregate("sum", 0.0, sum)
	aggregate("max", nil, func(a []float64) float64 { return slices.Max(a) })
	aggregate("min", nil, func(a []float64) float64 { return slices.Min(a) })
	aggregate("average", nil, func(a []float64) float64 { return sum(a) / float64(len(a)) })
	def("count", 1, true, fnCount)
}

// aggregate defines a function of an array of numbers; empty is its value for [] (nil: undefined).
func aggregate(name string, empty any, fold func(a []float64) float64) {
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

// sum adds up the numbers of a (for $sum and $average).
func sum(a []float64) float64 {
	t := 0.0
	for _, x := range a {
		t += x
	}
	return t
}

// fnCount implements $count.
func fnCount(ev *evaluator, args []any) (any, error) {
	a, _ := arrArg(args, 0)
	return float64(len(a)), nil
}
