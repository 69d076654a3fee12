package validate

import "strings"

func init() {
	register(&Rule{
		ID: "jsonata-top-level-ref", Severity: Error, AWSCode: "UNSUPPORTED_JSONATA_EXPRESSION",
		Summary: "a JSONata expression does not read a field name, $ or $$ at the top level: data comes from $states.input, $states.context, $states.result, $states.errorOutput and variables",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"v": "{% phone %}"}, "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"v": "{% $states.input.phone %}"}, "End": true}}}`,
		Check: func(c *Context) {
			for _, e := range jsonataExprs(c) {
				for _, r := range e.JSONata.TopLevelReferences() {
					if r.Name == "States" && intrinsicAt(e.Source(), r.Offset) != "" {
						continue // intrinsic-in-jsonata's
					}
					c.Report(e.Node.Pos, e.Pointer(), "Reference to '%s' at the top level is not supported.%s", r.Name, topLevelHint(r.Name))
				}
			}
		},
	})
}

// topLevelHint says what to write instead of a top-level reference.
func topLevelHint(name string) string {
	switch name {
	case "$":
		return " JSONata expressions have no context item: read the input with $states.input."
	case "$$":
		return " Read the input with $states.input and the context object with $states.context."
	case "*", "**":
		return " Start the path from $states.input."
	}
	return " Start the path from $states.input ($states.input." + name + ") or from a variable ($" + name + ")."
}

// intrinsicAt returns the intrinsic function name ("States.Format") when the expression source has an
// intrinsic call at offset, else "".
func intrinsicAt(src string, off int) string {
	if off < 0 || off > len(src) || !strings.HasPrefix(src[off:], "States.") {
		return ""
	}
	rest := src[off+len("States."):]
	n := 0
	for n < len(rest) && (rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= '0' && rest[n] <= '9') {
		n++
	}
	if n == 0 || !strings.HasPrefix(strings.TrimLeft(rest[n:], " \t\r\n"), "(") {
		return ""
	}
	return "States." + rest[:n]
}
