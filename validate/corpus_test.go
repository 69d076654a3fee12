package validate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/load"
)

// The suites over ../shared (the labelled validation corpus and the real-world corpus).
// They skip with a message when ../shared is absent, so a fresh clone still passes.

const sharedDir = "../../shared"

func requireShared(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join(sharedDir, sub)
	if _, err := os.Stat(dir); err != nil {
		testshared.Skip(t, sub, dir)
	}
	return dir
}

type manifestEntry struct {
	File        string `json:"file"`
	Expect      string `json:"expect"`
	Why         string `json:"why"`
	Format      string `json:"format"`
	Group       string `json:"group"`
	SfnType     string `json:"sfn_type"`
	LabelCaveat string `json:"label_caveat"`
}

// validateFile loads and checks one file the way the CLI does.
func validateFile(path, format string, opts *Options) []Diagnostic {
	src, err := os.ReadFile(path)
	if err != nil {
		return []Diagnostic{{Rule: "io", Severity: Error, Message: err.Error()}}
	}
	f := load.FormatFor(path, src)
	if format == "json" {
		f = load.JSON
	} else if format == "yaml" {
		f = load.YAML
	}
	doc, err := load.Parse(path, src, f)
	if err != nil {
		return []Diagnostic{LoadError(path, err, opts)}
	}
	return Check(doc, opts)
}

func errorsOf(ds []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// readReasons reads a "key: reason" list (lines starting with # are comments).
func readReasons(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return out
		}
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, reason, ok := strings.Cut(line, ": ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("%s:%d: want \"file: reason\"", path, i+1)
		}
		out[k] = reason
	}
	return out
}

// TestValidationManifest is the acceptance gate for sfn validate: the verdict matches the label on at
// least 97 % of the labelled files and on every aws-recorded file; every invalid file gets an error with
// a position; disagreements must be listed with a reason in testdata/known-disagreements.txt.
func TestValidationManifest(t *testing.T) {
	dir := requireShared(t, "validation")
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []manifestEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	known := readReasons(t, "testdata/known-disagreements.txt")
	agree, caveated := 0, 0
	var report []string
	for _, e := range entries {
		opts := &Options{Type: e.SfnType}
		ds := validateFile(filepath.Join(dir, e.File), e.Format, opts)
		errs := errorsOf(ds)
		verdict := "valid"
		if len(errs) > 0 {
			verdict = "invalid"
		}
		for _, d := range errs {
			if d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Errorf("%s: error without a position: %s [%s]", e.File, d.Message, d.Rule)
			}
		}
		if verdict == e.Expect {
			agree++
			if _, listed := known[e.File]; listed {
				t.Errorf("%s now agrees with its label (%s): remove it from testdata/known-disagreements.txt", e.File, e.Expect)
			}
			continue
		}
		var msgs []string
		for _, d := range errs {
			msgs = append(msgs, fmt.Sprintf("%d:%d %s [%s]", d.Pos.Line, d.Pos.Col, d.Message, d.Rule))
		}
		report = append(report, fmt.Sprintf("%s: label %s, sfn %s %v (why: %s)", e.File, e.Expect, verdict, msgs, e.Why))
		if e.LabelCaveat != "" {
			caveated++ // the label itself is in doubt (label_caveat): not counted against sfn
		}
		switch {
		case e.Group == "aws-recorded":
			t.Errorf("aws-recorded %s: label %s but sfn says %s %v", e.File, e.Expect, verdict, msgs)
		case known[e.File] == "":
			t.Errorf("%s: label %s but sfn says %s %v (why: %s); fix the rule or list it with a reason in testdata/known-disagreements.txt", e.File, e.Expect, verdict, msgs, e.Why)
		}
	}
	raw := 100 * float64(agree) / float64(len(entries))
	pct := 100 * float64(agree+caveated) / float64(len(entries))
	t.Logf("validation corpus: %d/%d agree with the label (%.1f%%); %d more disagree with a label that has a label_caveat; %.1f%% respecting caveats", agree, len(entries), raw, caveated, pct)
	if os.Getenv("SFN_CORPUS_REPORT") != "" {
		sort.Strings(report)
		for _, r := range report {
			t.Log(r)
		}
	}
	if pct < 97 {
		t.Errorf("agreement (respecting label caveats) %.1f%% is below 97%%", pct)
	}
}

// TestRealWorldCorpus: no error on the real-world definitions, except those listed with the reason AWS
// rejects them too in testdata/corpus-errors.txt.
func TestRealWorldCorpus(t *testing.T) {
	dir := requireShared(t, "corpus/definitions")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	listed := readReasons(t, "testdata/corpus-errors.txt")
	for _, f := range files {
		base := filepath.Base(f)
		errs := errorsOf(validateFile(f, "", &Options{}))
		_, isListed := listed[base]
		switch {
		case len(errs) > 0 && !isListed:
			var msgs []string
			for _, d := range errs {
				msgs = append(msgs, fmt.Sprintf("%d:%d %s [%s]", d.Pos.Line, d.Pos.Col, d.Message, d.Rule))
			}
			t.Errorf("%s: %s", base, strings.Join(msgs, "; "))
		case len(errs) == 0 && isListed:
			t.Errorf("%s has no error now: remove it from testdata/corpus-errors.txt", base)
		}
	}
}

// TestConformanceDefinitions: every definition AWS executed in ../shared/conformance must validate
// without an error (AWS accepted it), except those listed in testdata/conformance-errors.txt with why.
func TestConformanceDefinitions(t *testing.T) {
	dir := requireShared(t, "conformance/aws")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	listed := readReasons(t, "testdata/conformance-errors.txt")
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Definition json.RawMessage `json:"definition"`
			Source     struct {
				Type string `json:"state_machine_type"`
			} `json:"source"`
		}
		if json.Unmarshal(data, &c) != nil || len(c.Definition) == 0 {
			continue
		}
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		doc, err := load.Parse(name, c.Definition, load.JSON)
		var errs []Diagnostic
		if err != nil {
			errs = []Diagnostic{LoadError(name, err, nil)}
		} else {
			errs = errorsOf(Check(doc, &Options{Type: c.Source.Type}))
		}
		checked++
		_, isListed := listed[name]
		switch {
		case len(errs) > 0 && !isListed:
			t.Errorf("%s: AWS executed this definition, but sfn reports %d:%d %s [%s]", name, errs[0].Pos.Line, errs[0].Pos.Col, errs[0].Message, errs[0].Rule)
		case len(errs) == 0 && isListed:
			t.Errorf("%s has no error now: remove it from testdata/conformance-errors.txt", name)
		}
	}
	t.Logf("conformance definitions validated: %d", checked)
}
