package validate

// Suggest returns " (did you mean 'X'?)" when name is a likely misspelling of one of the
// candidates, else "": the hint sfn validate gives, for other commands' messages (sfn test).
func Suggest(name string, candidates []string) string { return suggest(name, candidates) }
