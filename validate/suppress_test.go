package validate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

func checkSrc(t *testing.T, src string, opts *Options) []Diagnostic {
	t.Helper()
	doc, err := load.Parse("m.json", []byte(src), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	return Check(doc, opts)
}

func rulesOf(ds []Diagnostic) string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.Rule)
	}
	return strings.Join(ids, " ")
}

// TestSuppressionOptions: a directive for a rule that did not run is not "unused"; the
// suppression rule itself can be turned off or filtered by --min-severity.
func TestSuppressionOptions(t *testing.T) {
	unusedWarning := `{"Comment": "sfn-ignore: version-value", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`
	for _, tc := range []struct {
		what string
		src  string
		opts *Options
		want string
	}{
		{"unused", unusedWarning, &Options{}, "suppression"},
		{"rule off", unusedWarning, &Options{Severity: map[string]Severity{"version-value": Off}}, ""},
		{"rule below min-severity", unusedWarning, &Options{MinSeverity: Error}, ""},
		{"suppression off", unusedWarning, &Options{Severity: map[string]Severity{SuppressionRule: Off}}, ""},
		{"express-only rule under STANDARD", `{"Comment": "sfn-ignore: express-integration", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`, &Options{}, ""},
		{"used", `{"Comment": "sfn-ignore: version-value", "Version": "2", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`, &Options{}, ""},
		{"other state's directive does not cover", `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope", "Comment": "x"}, "B": {"Type": "Succeed", "Comment": "sfn-ignore: next-target-exists"}}}`, &Options{}, "next-target-exists suppression"},
		{"a directive in a non-string Comment is no directive", `{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": ["sfn-ignore: x"]}}}`, &Options{}, "comment-type"},
	} {
		if got := rulesOf(checkSrc(t, tc.src, tc.opts)); got != tc.want {
			t.Errorf("%s: got [%s], want [%s]", tc.what, got, tc.want)
		}
	}
}

// TestSuppressionMissingTargetRootCause: a suppressed missing target no longer hides the
// unreachable states of its scope (it is not a root cause the user will fix).
func TestSuppressionMissingTargetRootCause(t *testing.T) {
	src := `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Later", "Comment": "sfn-ignore: next-target-exists"}, "B": {"Type": "Succeed"}}}`
	if got := rulesOf(checkSrc(t, src, &Options{})); got != "unreachable-state" {
		t.Errorf("got [%s]", got)
	}
}

// TestSuppressionScale: many directives and many diagnostics stay linear (generated input:
// 3,000 states, each with a missing target and a directive of its own).
func TestSuppressionScale(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Comment": "sfn-ignore: ` + strings.Repeat("state-type, ", 2000) + `state-type", "StartAt": "S0", "States": {`)
	const n = 3000
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"S%d": {"Type": "Pass", "Next": "Nope%d", "Comment": "sfn-ignore: next-target-exists"}`, i, i)
	}
	b.WriteString("}}")
	ds := checkSrc(t, b.String(), &Options{})
	for _, d := range ds {
		if d.Rule == "next-target-exists" {
			t.Fatalf("not suppressed: %s at %s", d.Message, d.Location)
		}
	}
	// 2,001 unused state-type ids at the top level: each reported once.
	if got := strings.Count(rulesOf(ds), SuppressionRule); got != 2001 {
		t.Errorf("%d suppression diagnostics, want 2001", got)
	}
}

// TestMetadataSuppressions: the shapes Metadata sfn accepts and refuses.
func TestMetadataSuppressions(t *testing.T) {
	for _, tc := range []struct{ src, rules, problem string }{
		{`{}`, "", ""},
		{`{"Metadata": {"sfn": {"ignore": ["a", " b "]}}}`, "a,b", ""},
		{`{"Metadata": {"sfn": "x"}}`, "", `but it is string "x"`},
		{`{"Metadata": {"sfn": {"ignroe": []}}}`, "", `it has the key "ignroe"`},
		{`{"Metadata": {"sfn": {"ignore": "a"}}}`, "", `ignore is string "a"`},
		{`{"Metadata": {"sfn": {"ignore": [1]}}}`, "", `an item of ignore is number 1`},
	} {
		doc, err := load.Parse("t.json", []byte(tc.src), load.JSON)
		if err != nil {
			t.Fatal(err)
		}
		sups, ds := MetadataSuppressions("t.json", doc.Root, &Options{})
		var rules []string
		for _, s := range sups {
			rules = append(rules, strings.Join(s.Rules, ","))
		}
		if got := strings.Join(rules, ";"); got != tc.rules {
			t.Errorf("%s: rules %q, want %q", tc.src, got, tc.rules)
		}
		switch {
		case tc.problem == "" && len(ds) > 0:
			t.Errorf("%s: unexpected %v", tc.src, ds)
		case tc.problem != "" && (len(ds) != 1 || !strings.Contains(ds[0].Message, tc.problem) || ds[0].Pos.Line != 1):
			t.Errorf("%s: got %v, want %q", tc.src, ds, tc.problem)
		}
	}
}

// FuzzSuppressionDirective: any Comment text parses without panicking, and every id found is
// non-empty and free of separators.
func FuzzSuppressionDirective(f *testing.F) {
	for _, s := range []string{"sfn-ignore: a, b reason", "sfn-ignore:", "x sfn-ignore:a,,b sfn-ignore: c", "sfn-ignore: \t,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, comment string) {
		for _, m := range directive.FindAllStringSubmatch(comment, -1) {
			for _, id := range splitIDs(m[1]) {
				if id == "" || strings.ContainsAny(id, ", \t") {
					t.Fatalf("bad id %q from %q", id, comment)
				}
			}
		}
	})
}
