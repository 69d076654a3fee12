package cli_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"go.uber.org/goleak"

	"github.com/sfn-tool/sfn/internal/cli"
	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/validate"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(testshared.Reporting(m))
}

// cliCase is one case of testdata/cli.yaml.
type cliCase struct {
	Name  string            `yaml:"name"`
	Args  []string          `yaml:"args"`
	Stdin string            `yaml:"stdin"`
	Files map[string]string `yaml:"files"` // created in a fresh temporary working directory
	Env   map[string]string `yaml:"env"`
	// Stdout and Stderr are compared exactly; StdoutMatch and StderrMatch are regular
	// expressions that must match. When neither is given the stream must be empty.
	Stdout      *string `yaml:"stdout"`
	StdoutMatch string  `yaml:"stdout_match"`
	Stderr      *string `yaml:"stderr"`
	StderrMatch string  `yaml:"stderr_match"`
	Exit        int     `yaml:"exit"`
	// Check names a structural check of stdout: "json", "sarif" or "xml" (well-formed).
	Check string `yaml:"check"`
}

// TestCLI runs every case of testdata/cli.yaml through cli.Run, in process.
func TestCLI(t *testing.T) { runCaseFile(t, "testdata/cli.yaml") }

// TestRunCLI runs testdata/run.yaml: sfn run's development loop.
func TestRunCLI(t *testing.T) { runCaseFile(t, "testdata/run.yaml") }

// TestTestCLI runs testdata/test.yaml: sfn test, every format and exit code.
func TestTestCLI(t *testing.T) { runCaseFile(t, "testdata/test.yaml") }

// TestAnswerCLI runs testdata/answer.yaml: sfn run --answer-tokens, callbacks answered on
// standard input.
func TestAnswerCLI(t *testing.T) { runCaseFile(t, "testdata/answer.yaml") }

// runCaseFile runs every case of a case file (the format of testdata/cli.yaml) through cli.Run,
// in process; case names are unique within a file.
func runCaseFile(t *testing.T, file string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cases []cliCase
	if err := yaml.UnmarshalWithOptions(src, &cases, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	names := map[string]bool{}
	for _, tc := range cases {
		if names[tc.Name] {
			t.Errorf("%s: duplicate case name %q", file, tc.Name)
		}
		names[tc.Name] = true
		t.Run(tc.Name, func(t *testing.T) { runCase(t, tc) })
	}
}

func runCase(t *testing.T, tc cliCase) {
	dir := t.TempDir()
	for name, content := range tc.Files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Keep config discovery inside the temporary directory.
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("NO_COLOR", "")
	for k, v := range tc.Env {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Run(tc.Args, strings.NewReader(tc.Stdin), &stdout, &stderr)
	if code != tc.Exit {
		t.Errorf("exit code: want %d, got %d\nstdout:\n%s\nstderr:\n%s", tc.Exit, code, stdout.String(), stderr.String())
	}
	compare(t, "stdout", stdout.String(), tc.Stdout, tc.StdoutMatch)
	compare(t, "stderr", stderr.String(), tc.Stderr, tc.StderrMatch)
	switch tc.Check {
	case "":
	case "json":
		checkJSON(t, stdout.Bytes())
	case "sarif":
		checkSARIF(t, stdout.Bytes())
	case "xml":
		checkXML(t, stdout.Bytes())
	default:
		t.Fatalf("unknown check %q", tc.Check)
	}
}

func compare(t *testing.T, stream, got string, exact *string, match string) {
	t.Helper()
	switch {
	case exact != nil && got != *exact:
		t.Errorf("%s differs\n--- want\n%s--- got\n%s", stream, *exact, got)
	case match != "":
		re, err := regexp.Compile(match)
		if err != nil {
			t.Fatalf("%s_match: %v", stream, err)
		}
		if !re.MatchString(got) {
			t.Errorf("%s does not match /%s/\n--- got\n%s", stream, match, got)
		}
	case exact == nil && match == "" && got != "":
		t.Errorf("%s: want nothing, got\n%s", stream, got)
	}
}

func strictUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("output is not the expected JSON: %v\n%s", err, data)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", data)
	}
}

// checkJSON checks the structure of --format json output: AWS-shaped top level and files,
// consistent results, and every diagnostic complete.
func checkJSON(t *testing.T, data []byte) {
	t.Helper()
	var r validate.JSONReport
	strictUnmarshal(t, data, &r)
	var all []validate.JSONDiagnostic
	for _, f := range r.Files {
		if f.File == "" {
			t.Errorf("file entry without a name")
		}
		if f.Diagnostics == nil {
			t.Errorf("%s: diagnostics must be an array, not null", f.File)
		}
		checkJSONResult(t, f.File, f.Result, f.Diagnostics)
		for _, d := range f.Diagnostics {
			if d.File != f.File {
				t.Errorf("diagnostic of %s says file %q", f.File, d.File)
			}
		}
		all = append(all, f.Diagnostics...)
	}
	checkJSONResult(t, "top level", r.Result, r.Diagnostics)
	if len(all) != len(r.Diagnostics) {
		t.Errorf("top-level diagnostics (%d) are not the files' diagnostics (%d)", len(r.Diagnostics), len(all))
	}
	for i := range min(len(all), len(r.Diagnostics)) {
		if all[i] != r.Diagnostics[i] {
			t.Errorf("top-level diagnostic %d is %+v, the files' is %+v", i, r.Diagnostics[i], all[i])
		}
	}
}

func checkJSONResult(t *testing.T, what, result string, ds []validate.JSONDiagnostic) {
	t.Helper()
	want := "OK"
	for _, d := range ds {
		if d.Severity == "ERROR" {
			want = "FAIL"
		}
		rule := validate.Lookup(d.Rule)
		switch {
		case rule == nil:
			t.Errorf("%s: unknown rule %q", what, d.Rule)
		case d.Code != rule.AWSCode:
			t.Errorf("%s: code %q, rule %s has %q", what, d.Code, d.Rule, rule.AWSCode)
		}
		if d.Severity != "ERROR" && d.Severity != "WARNING" {
			t.Errorf("%s: severity %q is not AWS's", what, d.Severity)
		}
		if (d.Level == "error") != (d.Severity == "ERROR") {
			t.Errorf("%s: level %q does not go with severity %q", what, d.Level, d.Severity)
		}
		if d.Message == "" || !strings.HasPrefix(d.Location, "/") || d.Line < 1 || d.Column < 1 {
			t.Errorf("%s: incomplete diagnostic %+v", what, d)
		}
	}
	if result != want {
		t.Errorf("%s: result %q, want %q", what, result, want)
	}
}

// checkSARIF checks --format sarif output against what GitHub code scanning needs.
func checkSARIF(t *testing.T, data []byte) {
	t.Helper()
	var log validate.SARIFLog
	strictUnmarshal(t, data, &log)
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") {
		t.Errorf("version %q, schema %q", log.Version, log.Schema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("want 1 run, got %d", len(log.Runs))
	}
	run := log.Runs[0]
	levels := map[string]bool{"error": true, "warning": true, "note": true, "none": true}
	d := run.Tool.Driver
	if d.Name != "sfn" || d.InformationURI == "" {
		t.Errorf("driver %q, informationUri %q", d.Name, d.InformationURI)
	}
	if len(d.Rules) != len(validate.Rules()) {
		t.Errorf("driver lists %d rules, sfn has %d", len(d.Rules), len(validate.Rules()))
	}
	for _, r := range d.Rules {
		if validate.Lookup(r.ID) == nil || r.ShortDescription.Text == "" || r.FullDescription.Text == "" ||
			!strings.Contains(r.Help.Text, "Bad:") || !strings.Contains(r.Help.Text, "Good:") || !levels[r.DefaultConfiguration.Level] {
			t.Errorf("incomplete rule %+v", r)
		}
	}
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(d.Rules) || d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d does not point at it", res.RuleID, res.RuleIndex)
		}
		if !levels[res.Level] || res.Message.Text == "" || len(res.Locations) != 1 {
			t.Errorf("incomplete result %+v", res)
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		uri := pl.ArtifactLocation.URI
		if uri == "" || filepath.IsAbs(uri) || strings.Contains(uri, `\`) || strings.HasPrefix(uri, "./") {
			t.Errorf("result %s: artifact uri %q is not a relative URI", res.RuleID, uri)
		}
		if pl.Region.StartLine < 1 || pl.Region.StartColumn < 1 {
			t.Errorf("result %s: region %+v", res.RuleID, pl.Region)
		}
	}
}

// checkXML checks that data is one well-formed XML document.
func checkXML(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}
