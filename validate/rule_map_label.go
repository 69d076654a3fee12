package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"strings"
	"unicode"

	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "map-label", Severity: Error, AWSCode: "INVALID_LABEL_NAME",
		Summary: "a Map's Label is a string of 1..40 characters without whitespace, brackets, wildcards, special or control characters, unique in the machine",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "my files", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "MyFiles", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapLabel,
	})
}

// labelForbidden are the characters AWS does not allow in a Map run label (besides whitespace and control characters).
const labelForbidden = "<>{}[]?*\"#%\\^|~`$&,;:/"

// checkMapLabel checks every Map Label and that no two Maps share one.
func checkMapLabel(c *Context) {
	seen := map[string]asl.Loc{}
	for _, st := range statesOfType(c, "Map") {
		n := st.Field("Label")
		if n == nil || c.Opaque(n) {
			continue
		}
		loc := asl.At(st, "/Label")
		if n.Kind != load.String {
			c.Report(n.Pos, loc.Pointer(), "The field 'Label' must be a string, but it is %s", n.Describe())
			continue
		}
		if msg := labelProblem(n.Text); msg != "" {
			c.Report(n.Pos, loc.Pointer(), "Invalid Label %q: %s", n.Text, msg)
			continue
		}
		if first, dup := seen[n.Text]; dup {
			c.Report(n.Pos, loc.Pointer(), "DUPLICATE_LABEL_NAME: Label %q is already used by the Map state at %s; labels must be unique in the state machine", n.Text, first.Pointer())
			continue
		}
		seen[n.Text] = asl.At(st, "")
	}
}

// labelProblem says what is wrong with a label, or "".
func labelProblem(s string) string {
	r := []rune(s)
	switch {
	case len(r) == 0:
		return "it must not be empty"
	case len(r) > 40:
		return "it must be at most 40 characters long"
	}
	for _, ch := range r {
		switch {
		case unicode.IsSpace(ch):
			return "it must not contain whitespace"
		case ch < 0x20 || (ch >= 0x7f && ch <= 0x9f):
			return "it must not contain control characters"
		case strings.ContainsRune(labelForbidden, ch):
			return "it must not contain " + string(ch) + " (no brackets < > { } [ ], wildcards ? *, or special characters \" # % \\ ^ | ~ ` $ & , ; : /)"
		}
	}
	return ""
}
