package run

import (
	"testing"

	"github.com/sfn-tool/sfn/pkg/value"
)

// TestItemContext: $$ of an ItemSelector keeps the base members in order, adds (or replaces) Map,
// and never changes the base.
func TestItemContext(t *testing.T) {
	for _, tc := range []struct {
		name string
		base *value.Object
		want string
	}{
		{"plain", value.ObjectOf("Execution", "e", "State", "s"),
			`{"Execution":"e","State":"s","Map":{"Item":{"Index":12345,"Value":{"k":1}}}}`},
		{"replaces Map in place", value.ObjectOf("Execution", "e", "Map", "old", "State", "s"),
			`{"Execution":"e","Map":{"Item":{"Index":12345,"Value":{"k":1}}},"State":"s"}`},
		{"empty", value.NewObject(0), `{"Map":{"Item":{"Index":12345,"Value":{"k":1}}}}`},
	} {
		before := toJSON(tc.base)
		c := itemContext(tc.base, 12345, value.ObjectOf("k", jsonInt(1)))
		if got := toJSON(c); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		c.Set("extra", true) // the copy's members are its own
		if after := toJSON(tc.base); after != before {
			t.Errorf("%s: base changed: %s -> %s", tc.name, before, after)
		}
	}
}
