package validate

import (
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// definitionMaxChars is the maximum length of the definition parameter of CreateStateMachine /
// UpdateStateMachine (API reference: 1,048,576 characters).
const definitionMaxChars = 1048576

func init() {
	register(&Rule{
		ID: "definition-size", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "the definition, minified as JSON, fits the API's 1,048,576-character limit",
		// YAML aliases expand to a definition of about 1.1 million characters.
		Bad: "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Result:\n" +
			"      a: &a " + strings.Repeat("x", 98) + "\n" +
			"      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"      d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"      e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
		Good: `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			n := compactJSONLen(c.Doc.Root)
			if n <= definitionMaxChars {
				return
			}
			c.Report(c.Doc.Root.Pos, "/", "The definition is %s characters long even when minified; the Step Functions API accepts at most %s (split it, e.g. into nested state machines)", groupDigits(n), groupDigits(definitionMaxChars))
		},
	})
}

// compactJSONLen is the length in characters of the value serialised as minified JSON.
func compactJSONLen(n *load.Node) int {
	if n == nil {
		return 4
	}
	switch n.Kind {
	case load.Null:
		return 4
	case load.Bool:
		if n.Bool {
			return 4
		}
		return 5
	case load.Number:
		return len(n.Text)
	case load.String:
		return jsonStringLen(n.Text)
	case load.Array:
		size := 2 + max(len(n.Items)-1, 0)
		for _, it := range n.Items {
			size += compactJSONLen(it)
		}
		return size
	default:
		size := 2 + max(len(n.Fields)-1, 0)
		for _, f := range n.Fields {
			size += jsonStringLen(f.Key) + 1 + compactJSONLen(f.Value)
		}
		return size
	}
}

// jsonStringLen is the length in characters of s as a JSON string literal (quotes and escapes included).
func jsonStringLen(s string) int {
	size := 2
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t' || r == '\b' || r == '\f':
			size += 2
		case r < 0x20:
			size += 6
		default:
			size++
		}
	}
	return size
}

// groupDigits formats n with thousands separators.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
