package validate

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestRuleGolden runs every file under testdata/rules/<rule-id>/ and compares all its diagnostics
// with the .golden file beside it. Files named bad* must raise the directory's rule; files named
// good* must not. Files named *.express.* are checked with --type EXPRESS.
func TestRuleGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata/rules")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		ruleID := d.Name()
		if Lookup(ruleID) == nil {
			t.Errorf("testdata/rules/%s: no rule with that id", ruleID)
			continue
		}
		files, _ := filepath.Glob(filepath.Join("testdata/rules", ruleID, "*"))
		for _, f := range files {
			if strings.HasSuffix(f, ".golden") {
				continue
			}
			f := f
			t.Run(ruleID+"/"+filepath.Base(f), func(t *testing.T) {
				got := runFile(t, f)
				base := filepath.Base(f)
				has := strings.Contains(got, "["+ruleID+"]")
				switch {
				case strings.HasPrefix(base, "bad") && !has:
					t.Errorf("%s: expected a %s diagnostic, got:\n%s", f, ruleID, got)
				case strings.HasPrefix(base, "good") && has:
					t.Errorf("%s: expected no %s diagnostic, got:\n%s", f, ruleID, got)
				}
				golden := f + ".golden"
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("missing golden file (run go test ./validate -run TestRuleGolden -update): %v", err)
				}
				if string(want) != got {
					t.Errorf("%s: diagnostics differ from %s\n--- want\n%s--- got\n%s", f, golden, want, got)
				}
			})
		}
	}
}

// TestEveryRuleHasGolden makes sure no rule ships without a bad example under testdata/rules.
func TestEveryRuleHasGolden(t *testing.T) {
	for _, r := range Rules() {
		bad, _ := filepath.Glob(filepath.Join("testdata/rules", r.ID, "bad*"))
		if len(bad) == 0 {
			t.Errorf("rule %s has no testdata/rules/%s/bad* example", r.ID, r.ID)
		}
		if r.Summary == "" || r.Bad == "" || r.Good == "" || r.AWSCode == "" {
			t.Errorf("rule %s needs Summary, Bad, Good and AWSCode", r.ID)
		}
	}
}

// TestRuleExamples checks that each rule's documented Bad example raises it and Good does not.
func TestRuleExamples(t *testing.T) {
	for _, r := range Rules() {
		opts := &Options{}
		if r.ExpressOnly {
			opts.Type = "EXPRESS"
		}
		opts.StrictPlaceholders = r.StrictPlaceholdersOnly
		opts.Advice = r.Category == CategoryAdvice
		if !hasRule(checkSource(r.Bad, opts), r.ID) {
			t.Errorf("rule %s: its Bad example does not raise it", r.ID)
		}
		if hasRule(checkSource(r.Good, opts), r.ID) {
			t.Errorf("rule %s: its Good example raises it", r.ID)
		}
	}
}

func hasRule(ds []Diagnostic, id string) bool {
	for _, d := range ds {
		if d.Rule == id {
			return true
		}
	}
	return false
}

// checkSource validates an in-memory document (format sniffed), including load errors.
func checkSource(src string, opts *Options) []Diagnostic {
	doc, err := load.Parse("example", []byte(src), load.Sniff([]byte(src)))
	if err != nil {
		return []Diagnostic{LoadError("example", err, opts)}
	}
	return Check(doc, opts)
}

func runFile(t *testing.T, f string) string {
	t.Helper()
	src, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	opts := &Options{}
	if strings.Contains(filepath.Base(f), ".express.") {
		opts.Type = "EXPRESS"
	}
	if strings.Contains(filepath.Base(f), ".strict.") {
		opts.StrictPlaceholders = true
	}
	if r := Lookup(filepath.Base(filepath.Dir(f))); r != nil && r.Category == CategoryAdvice {
		opts.Advice = true // an advice rule's directory: its rule runs with the others
	}
	doc, err := load.Parse(filepath.Base(f), src, load.FormatFor(f, src))
	var ds []Diagnostic
	if err != nil {
		ds = []Diagnostic{LoadError(filepath.Base(f), err, opts)}
	} else {
		ds = Check(doc, opts)
	}
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%d:%d: %s: %s [%s] at %s (%s)\n", d.Pos.Line, d.Pos.Col, d.Severity, d.Message, d.Rule, d.Location, d.Code)
	}
	return b.String()
}
