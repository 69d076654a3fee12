package render

import (
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// State names and choice values with terminal controls, C1 controls, bidi overrides and line
// separators reach neither DOT nor Mermaid raw (`sfn graph` prints to a terminal; the Mermaid
// goes into a README).
func TestLabelsDropControlCharacters(t *testing.T) {
	evil := `\u001b]0;pwned\u0007\u001b[2J\r\n::warning::x \u009b31m \u202eevil\u2066 \u2028`
	src := `{"StartAt": "A` + evil + `", "States": {
	  "A` + evil + `": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C` + evil + `",
	    "Catch": [{"ErrorEquals": ["E` + evil + `"], "Next": "F` + evil + `"}]},
	  "C` + evil + `": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "v` + evil + `", "Next": "F` + evil + `"}],
	    "Default": "Missing` + evil + `"},
	  "F` + evil + `": {"Type": "Fail"}}}`
	doc, err := load.Parse("evil.json", []byte(src), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	dot, mmd := renderBoth(t, asl.Build(doc), Options{Name: "evil"})
	for format, out := range map[string]string{"dot": string(dot), "mermaid": string(mmd)} {
		if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && r != '\t' && safetext.Unsafe(r) }); i >= 0 {
			t.Errorf("%s: unsafe character %q at %d:\n%s", format, out[i:i+1], i, out)
		}
		if !strings.Contains(out, "pwned") || !strings.Contains(out, "evil") {
			t.Errorf("%s: the names are missing:\n%s", format, out)
		}
	}
}
