package validate

import (
	"fmt"
	"unicode"
)

func init() {
	register(&Rule{
		ID: "state-name-chars", Severity: Warning, AWSCode: "INVALID_STATE_NAME",
		Summary: "state names contain no control characters (newlines, tabs, U+0000–U+001F, U+007F–U+009F)",
		Bad:     `{"StartAt": "A\tB", "States": {"A\tB": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A B", "States": {"A B": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				for _, r := range st.Name {
					if unicode.IsControl(r) {
						c.Report(st.NamePos, st.Pointer(), "State name %q contains the control character %s; AWS rejects state names that do not follow its naming rules (INVALID_STATE_NAME)", st.Name, runeName(r))
						break
					}
				}
			}
		},
	})
}

// runeName formats a rune as U+XXXX.
func runeName(r rune) string { return fmt.Sprintf("U+%04X", r) }
