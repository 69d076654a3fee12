package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "string-matches-escape", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: `StringMatches patterns use only the escapes \* and \\ (any other backslash fails at run time)`,
		Bad:     `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringMatches": "log-\\d*", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringMatches": "log-\\**", "Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			eachChoiceRule(c, func(st *asl.State, r *asl.ChoiceRule) {
				if isJSONataState(st) {
					return
				}
				n := r.Node.Get("StringMatches")
				if n == nil || n.Kind != load.String || c.Opaque(n) {
					return
				}
				if bad, ok := badMatchEscape(n.Text); ok {
					what := "the escape '" + bad + "'"
					if bad == `\` {
						what = "a lone backslash at the end"
					}
					c.Report(n.Pos, r.Pointer()+"/StringMatches", "StringMatches pattern '%s' has %s: only \\* (a literal *) and \\\\ (a literal \\) are allowed, other escapes fail at run time", n.Text, what)
				}
			})
		},
	})
}

// badMatchEscape returns the first illegal backslash escape of a StringMatches pattern.
func badMatchEscape(s string) (string, bool) {
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '\\' {
			continue
		}
		if i+1 == len(rs) {
			return `\`, true
		}
		if rs[i+1] != '*' && rs[i+1] != '\\' {
			return string(rs[i : i+2]), true
		}
		i++
	}
	return "", false
}
