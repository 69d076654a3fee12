package validate

import (
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "states-error-name-known", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "error names starting with \"States.\" in ErrorEquals are ones Step Functions can raise",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.Timeot"]}], "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.Timeout"]}], "End": true}}}`,
		Check: func(c *Context) {
			for _, h := range append(handlersOf(c, "Retry"), handlersOf(c, "Catch")...) {
				checkErrorNames(c, h)
			}
		},
	})
}

// extraErrors are predefined errors AWS documents outside the ASL spec list.
var extraErrors = []string{"States.Http.Socket"}

// knownError reports whether name is a predefined States.* error.
func knownError(name string) bool {
	for _, e := range asl.PredefinedErrors {
		if e == name {
			return true
		}
	}
	for _, e := range extraErrors {
		if e == name {
			return true
		}
	}
	return false
}

// checkErrorNames warns about unknown States.* names in one Retrier or Catcher.
func checkErrorNames(c *Context, h errorHandler) {
	ee := h.Node.Get("ErrorEquals")
	if ee == nil || ee.Kind != load.Array {
		return
	}
	for i, it := range ee.Items {
		if it.Kind != load.String || c.Opaque(it) || !strings.HasPrefix(it.Text, "States.") || knownError(it.Text) {
			continue
		}
		hint := ""
		if s := closestError(it.Text); s != "" {
			hint = "; did you mean " + strconv.Quote(s) + "?"
		}
		c.Report(it.Pos, h.Pointer()+"/ErrorEquals["+strconv.Itoa(i)+"]", "%q is not a predefined error (names starting with \"States.\" are reserved for Step Functions' own errors), so this %s never matches it%s", it.Text, h.Kind, hint)
	}
}

// closestError returns the predefined error closest to name (edit distance <= 3), or "".
func closestError(name string) string {
	best, bestD := "", 4
	for _, e := range append(append([]string{}, asl.PredefinedErrors...), extraErrors...) {
		if d := editDistance(strings.ToLower(name), strings.ToLower(e)); d < bestD {
			best, bestD = e, d
		}
	}
	return best
}
