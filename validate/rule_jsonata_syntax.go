package validate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
)

func init() {
	register(&Rule{
		ID: "jsonata-syntax", Severity: Error, AWSCode: "INVALID_JSONATA_EXPRESSION",
		Summary: "every \"{% ... %}\" expression of a JSONata state parses as JSONata 2.0",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $sum($states.input.n %}", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $sum($states.input.n) %}", "End": true}}}`,
		Check: func(c *Context) {
			for _, e := range c.Machine.Exprs {
				if e.Kind == asl.KindJSONata && e.Err != nil {
					checkSyntax(c, e)
				}
			}
		},
	})
}

// checkSyntax reports an expression that does not parse. A JavaScript-only regular expression
// feature, which Go's RE2 lacks but AWS accepts, is only a warning.
func checkSyntax(c *Context, e *asl.Expr) {
	if strings.TrimSpace(e.Source()) == "" {
		c.Report(e.Node.Pos, e.Pointer(), "Invalid JSONata expression: nothing between '{%%' and '%%}' (write an expression, or a plain value without the delimiters)")
		return
	}
	msg, off := e.Err.Error(), -1
	var se *jsonata.SyntaxError
	if errors.As(e.Err, &se) {
		msg, off = se.Message, se.Offset
		if se.Unsupported {
			c.ReportSoft(e.Node.Pos, e.Pointer(), "The JSONata expression '%s' could not be checked: %s", exprSnippet(e.Source()), msg)
			return
		}
	}
	at := ""
	if off >= 0 {
		at = fmt.Sprintf(" at character %d of the expression", off+1)
	}
	c.Report(e.Node.Pos, e.Pointer(), "Invalid JSONata expression '%s': %s%s", exprSnippet(e.Source()), msg, at)
}
