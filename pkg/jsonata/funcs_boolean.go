package jsonata

// registerBooleanFunctions registers the boolean functions: $boolean, $not, $exists.
func registerBooleanFunctions() {
	def("boolean", 1, true, fnBoolean)
	def("not", 1, true, fnNot)
	def("exists", 1, false, fnExists)
}

// fnBoolean implements $boolean.
func fnBoolean(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	return ev.truthy(v), nil
}

// fnNot implements $not.
func fnNot(ev *evaluator, args []any) (any, error) {
	v := argAt(args, 0)
	if v == Undefined {
		return Undefined, nil
	}
	return !ev.truthy(v), nil
}

// fnExists implements $exists.
func fnExists(ev *evaluator, args []any) (any, error) {
	if len(args) != 1 {
		return nil, evalErr("T0410", "Argument 1 of function \"exists\" does not match function signature")
	}
	return args[0] != Undefined, nil
}
