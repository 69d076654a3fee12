package run

import (
	"path/filepath"
	"strings"
)

// MachineName names a state machine after its definition file, for its ARN and $$.StateMachine
// (order.asl.json → order): the letters, digits, '-' and '_' of the name without its extensions,
// "StateMachine" when none is left.
func MachineName(file string) string {
	base := filepath.Base(file)
	for _, ext := range []string{".json", ".yaml", ".yml", ".asl"} {
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	for _, r := range base {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "StateMachine"
	}
	return b.String()
}
