package validate

import "unicode/utf8"

// maxStateNameLen is the spec's limit on state names, in Unicode characters.
const maxStateNameLen = 80

func init() {
	register(&Rule{
		ID: "state-name-length", Severity: Error, AWSCode: "INVALID_STATE_NAME",
		Summary: "state names are 1 to 80 characters long",
		Bad:     `{"StartAt": "", "States": {"": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				n := utf8.RuneCountInString(st.Name)
				switch {
				case n == 0:
					c.Report(st.NamePos, st.Pointer(), "State name must not be empty: state names are 1 to %d characters long", maxStateNameLen)
				case n > maxStateNameLen:
					c.Report(st.NamePos, st.Pointer(), "State name %q is %d characters long; state names can have at most %d characters", truncateName(st.Name), n, maxStateNameLen)
				}
			}
		},
	})
}

// truncateName shortens a long name for messages.
func truncateName(s string) string {
	r := []rune(s)
	if len(r) <= 40 {
		return s
	}
	return string(r[:37]) + "..."
}
