package jsonata

// registerDateTimeFunctions registers the date/time functions: $millis (the picture functions are in
// picture_funcs.go).
func registerDateTimeFunctions() {
	def("millis", 0, false, fnMillis)
}

// fnMillis implements $millis.
func fnMillis(ev *evaluator, args []any) (any, error) {
	return float64(ev.now.UnixMilli()), nil
}
