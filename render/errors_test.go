package render

import (
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// TestErrorSummary: ErrorEquals in a Retry/Catch label; a single long name is cut, never "+0".
func TestErrorSummary(t *testing.T) {
	long := strings.Repeat("Long", 20) + "Exception"
	for _, tc := range []struct{ src, want string }{
		{`["States.ALL"]`, "States.ALL"},
		{`["A", "B"]`, "A, B"},
		{`["` + long + `"]`, cut(long, maxErrorsLabel)},
		{`["` + long + `", 3]`, cut(long, maxErrorsLabel)},
		{`["` + long + `", "B", "C"]`, cut(long, maxErrorsLabel) + " +2"},
		{`[]`, "?"},
		{`[1]`, "?"},
		{`"States.ALL"`, "?"},
	} {
		doc, err := load.Parse("e.json", []byte(tc.src), load.JSON)
		if err != nil {
			t.Fatal(err)
		}
		if got := errorSummary(doc.Root); got != tc.want || strings.Contains(got, "+0") {
			t.Errorf("%s: got %q, want %q", tc.src, got, tc.want)
		}
	}
}
