package suite

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeProject writes files into a fresh directory that is its own project root.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const passMachine = `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`

func TestHostileFiles(t *testing.T) {
	many := "machine: m.asl.json\ncases:\n" + strings.Repeat("  - {name: x}\n", MaxCases+1)
	deep := "machine: m.asl.json\ncases:\n  - name: a\n    input: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	longRe := "machine: m.asl.json\ncases:\n  - name: a\n    expect: {error: '/" + strings.Repeat("a", MaxRegexLen) + "/'}\n"
	bigRange := "machine: m.asl.json\ncases:\n  - name: a\n    mocks: {A: {\"0-99999999999\": {Return: 1}}}\n"
	for _, tc := range []struct{ name, text, want string }{
		{"too many cases", many, "at most 10000 per file"},
		{"deep input", deep, "nest"},
		{"long regexp", longRe, "at most 1000"},
		{"huge invocation range", bigRange, "want an invocation number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.sfn-test.yaml", []byte(tc.text))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("want Errors, got %v", err)
			}
			if !strings.Contains(strings.ToLower(err.Error()), tc.want) {
				t.Errorf("error %q does not mention %q", clip(err.Error()), tc.want)
			}
		})
	}
}

// TestHostileAssert: an assertion that never ends is stopped by the evaluator's limits and fails
// the case; it does not hang the run.
func TestHostileAssert(t *testing.T) {
	defer func(d time.Duration) { assertTimeout = d }(assertTimeout)
	assertTimeout = 100 * time.Millisecond
	dir := writeProject(t, map[string]string{
		"m.asl.json": passMachine,
		"t.sfn-test.yaml": "machine: m.asl.json\ncases:\n  - name: loop\n    expect:\n      assert:\n" +
			"        - \"{% ($f := function($n) { $f($n + 1) }; $f(0)) %}\"\n" +
			"        - \"{% $count([1..100000000]) > 0 %}\"\n",
	})
	s, err := LoadFile(filepath.Join(dir, "t.sfn-test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rs := RunAll(context.Background(), []*Suite{s}, Options{}, nil)
	if len(rs[0].Failures) != 2 {
		t.Fatalf("failures: %v", rs[0].Failures)
	}
	for _, f := range rs[0].Failures {
		if !strings.Contains(f.Msg, "assert") {
			t.Errorf("failure %q", f.Msg)
		}
	}
}

// TestHostileNames: case names, errors and outputs with control characters, markup and invalid
// UTF-8 reach every report escaped: one line per message in text, well-formed XML in JUnit.
func TestHostileNames(t *testing.T) {
	name := "evil \x1b[31m\n::error::forged <a>&]]> \xff\u202e"
	dir := writeProject(t, map[string]string{
		"m.asl.json":      `{"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "E\u001b]0;x\u0007", "Cause": "line\nforged: error"}}}`,
		"t.sfn-test.yaml": "machine: m.asl.json\ncases:\n  - name: " + strconv.Quote(name) + "\n    expect: {status: SUCCEEDED}\n",
	})
	s, err := LoadFile(filepath.Join(dir, "t.sfn-test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rs := RunAll(context.Background(), []*Suite{s}, Options{}, nil)
	for _, format := range Formats {
		out := report(t, format, []*Suite{s}, rs)
		if bytes.ContainsAny(out, "\x1b\x07\xff") || (format != "json" && bytes.Contains(out, []byte("\u202e"))) {
			t.Errorf("%s: raw control characters in %q", format, out)
		}
		switch format {
		case "text", "github":
			for _, l := range strings.Split(string(out), "\n") {
				if strings.HasPrefix(l, "::error::forged") || strings.HasPrefix(l, "forged") {
					t.Errorf("%s: forged line %q", format, l)
				}
			}
		case "junit":
			checkJUnit(t, out)
		}
	}
}

// checkJUnit checks a report against the JUnit XML schema that Jenkins' junit plugin and GitLab
// read (junit-10.xsd): well-formed XML; <testsuites> holding <testsuite> elements with the
// required name and tests attributes; <testcase> with a name, and at most one of <failure>,
// <error> (with message and type) or <skipped>; time attributes decimal numbers; no other elements;
// the counts of the attributes equal to the cases.
func checkJUnit(t *testing.T, data []byte) {
	t.Helper()
	allowed := map[string][]string{
		"testsuites": {"name", "tests", "failures", "errors", "skipped", "disabled", "time"},
		"testsuite":  {"name", "tests", "failures", "errors", "skipped", "disabled", "time", "timestamp", "hostname", "id", "package", "file"},
		"testcase":   {"name", "classname", "time", "file", "line", "assertions", "status"},
		"failure":    {"message", "type"},
		"error":      {"message", "type"},
		"skipped":    {"message"},
	}
	parent := map[string]string{"testsuites": "", "testsuite": "testsuites", "testcase": "testsuite", "failure": "testcase", "error": "testcase", "skipped": "testcase"}
	required := map[string][]string{"testsuite": {"name", "tests"}, "testcase": {"name"}, "failure": {"message", "type"}, "error": {"message", "type"}}
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	var cases, problems, declared int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("JUnit: not well-formed XML: %v\n%s", err, data)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			n := e.Name.Local
			up := ""
			if len(stack) > 0 {
				up = stack[len(stack)-1]
			}
			p, ok := parent[n]
			if !ok || p != up {
				t.Errorf("JUnit: <%s> inside <%s>", n, up)
			}
			attrs := map[string]string{}
			for _, a := range e.Attr {
				if !contains(allowed[n], a.Name.Local) {
					t.Errorf("JUnit: <%s %s>: attribute not in the schema", n, a.Name.Local)
				}
				attrs[a.Name.Local] = a.Value
			}
			for _, r := range required[n] {
				if _, ok := attrs[r]; !ok {
					t.Errorf("JUnit: <%s> without %s", n, r)
				}
			}
			if v, ok := attrs["time"]; ok {
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					t.Errorf("JUnit: <%s time=%q>", n, v)
				}
			}
			switch n {
			case "testcase":
				cases++
			case "failure", "error", "skipped":
				problems++
			case "testsuite":
				k, err := strconv.Atoi(attrs["tests"])
				if err != nil {
					t.Errorf("JUnit: tests=%q", attrs["tests"])
				}
				declared += k
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if cases != declared || problems > cases {
		t.Errorf("JUnit: %d testcases, %d declared, %d problems", cases, declared, problems)
	}
}

func TestJUnitSchema(t *testing.T) {
	suites, results := runFiles(t, Options{}, "testdata/expect/status.sfn-test.yaml", "testdata/expect/output.sfn-test.yaml")
	results[1].Skipped, results[1].Failures = true, nil
	checkJUnit(t, report(t, "junit", suites, results))
}

func TestSnapshots(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"m.asl.json": `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "A"},
			"A": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "at.$": "$$.State.EnteredTime"}, "End": true}}}`,
		"t.sfn-test.yaml": "machine: m.asl.json\ncases:\n  - name: snap\n    snapshot: true\n    input: {n: 1}\n",
	})
	path := filepath.Join(dir, "t.sfn-test.yaml")
	run1 := func(update bool) *CaseResult {
		s, err := LoadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return RunAll(context.Background(), []*Suite{s}, Options{Update: update}, nil)[0]
	}
	if r := run1(false); r.Passed() || !strings.Contains(r.Failures[0].Msg, "--update") {
		t.Fatalf("no snapshot yet: %v", r.Failures)
	}
	if r := run1(true); !r.Passed() || r.Snapshot != "written" {
		t.Fatalf("--update: %v %q", r.Failures, r.Snapshot)
	}
	snap := filepath.Join(dir, SnapshotDir, "t", "snap.json")
	first, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	if r := run1(false); !r.Passed() {
		t.Fatalf("unchanged: %v", r.Failures)
	}
	if err := os.WriteFile(path, []byte("machine: m.asl.json\ncases:\n  - name: snap\n    snapshot: true\n    input: {n: 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run1(false)
	if r.Passed() || !strings.Contains(r.Failures[0].Msg, "\n  -") || !strings.Contains(r.Failures[0].Msg, "\n  +") {
		t.Fatalf("changed: %v", r.Failures)
	}
	if r := run1(true); r.Snapshot != "updated" {
		t.Fatalf("update: %q", r.Snapshot)
	}
	second, _ := os.ReadFile(snap)
	if bytes.Equal(first, second) || !bytes.Contains(second, []byte(`"timestamp": "2024-01-01T00:00:05Z"`)) {
		t.Errorf("snapshot:\n%s", second)
	}
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		contains  bool
		diff      string
	}{
		{`{"a": 1}`, `{"a": 1.0}`, false, ""},
		{`{"a": [1, {"b": "x"}]}`, `{"a": [1, {"b": "y"}]}`, false, `$.a[1].b: want "x", got "y"`},
		{`{"a": 1}`, `{"a": 1, "b": 2}`, false, `$.b: unexpected member (got 2)`},
		{`{"a": 1}`, `{"a": 1, "b": 2}`, true, ``},
		{`[1, 3]`, `[1, 2, 3]`, true, ``},
		{`[3, 1]`, `[1, 2, 3]`, true, `$[1]: no item matches 1 (in order) in [1,2,3]`},
		{`{"a b": 1}`, `{}`, true, `$["a b"]: missing (want 1)`},
		{`[1]`, `{}`, false, `$: want an array, got {}`},
		{`null`, `0`, false, `$: want null, got 0`},
	} {
		w, g := mustJSON(t, tc.want), mustJSON(t, tc.got)
		if d := Diff(w, g, tc.contains); d != tc.diff {
			t.Errorf("Diff(%s, %s, %v) = %q, want %q", tc.want, tc.got, tc.contains, d, tc.diff)
		}
	}
}

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	n, err := Parse("x.json", []byte(fmt.Sprintf(`{"machine": "m", "cases": [{"name": "x", "input": %s}]}`, s)))
	if err != nil {
		t.Fatal(err)
	}
	return n.Cases[0].Input
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.sfn-test.yaml")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("f.sfn-test.yaml", src)
		if err == nil && file == nil {
			t.Fatal("nil file without error")
		}
		var es Errors
		if err != nil && !errors.As(err, &es) {
			t.Fatalf("error %T", err)
		}
	})
}

// TestGenerate: the generated file of the fixture (golden), its suite passes, and a second
// --generate does not overwrite it.
func TestGenerate(t *testing.T) {
	src, err := os.ReadFile("testdata/machines/shop.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeProject(t, map[string]string{"shop.asl.json": string(src)})
	out, err := Generate(filepath.Join(dir, "shop.asl.json"), GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/generate/shop.golden", text)
	s, err := LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range RunAll(context.Background(), []*Suite{s}, Options{}, nil) {
		if !r.Passed() {
			t.Errorf("generated case %q fails: %v %v", r.Case.Name, r.Err, r.Failures)
		}
	}
	if cov := ComputeCoverage(RunAll(context.Background(), []*Suite{s}, Options{}, nil)); cov[0].StatePct != 100 {
		t.Errorf("generated suite covers %.1f %% of the states", cov[0].StatePct)
	}
	if _, err := Generate(filepath.Join(dir, "shop.asl.json"), GenerateOptions{}); !errors.Is(err, ErrExists) {
		t.Errorf("second generate: %v", err)
	}
	if after, _ := os.ReadFile(out); !bytes.Equal(after, text) {
		t.Error("the file was overwritten")
	}
}

// TestGenerateLoops: a loop the mocks never leave is cut, not run to the history limit; a machine
// with only such paths is refused with the reason.
func TestGenerateLoops(t *testing.T) {
	dir := writeProject(t, map[string]string{"loop.asl.json": `{"StartAt": "Poll", "States": {
		"Poll": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getCrawler", "ResultSelector": {"state.$": "$.Crawler.State"}, "Next": "Done?"},
		"Done?": {"Type": "Choice", "Choices": [{"Variable": "$.state", "StringEquals": "READY", "Next": "End"}], "Default": "Wait"},
		"Wait": {"Type": "Wait", "Seconds": 30, "Next": "Poll"},
		"End": {"Type": "Succeed"}}}`})
	out, err := Generate(filepath.Join(dir, "loop.asl.json"), GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(out)
	if !bytes.Contains(text, []byte(`"Crawler":{"State":"READY"`)) {
		t.Errorf("the mock does not steer the Choice:\n%s", text)
	}
}

// TestCaseTimeout: a handler command that never returns fails its case at the timeout (the
// process group is killed), and the other cases still run.
func TestCaseTimeout(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"m.asl.json": `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f", "End": true}}}`,
		"t.sfn-test.yaml": "machine: m.asl.json\ncases:\n  - name: hangs\n    handlers: {T: {command: [sleep, '600']}}\n" +
			"  - name: returns\n    handlers: {T: {result: {ok: true}}}\n",
	})
	s, err := LoadFile(filepath.Join(dir, "t.sfn-test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rs := RunAll(context.Background(), []*Suite{s}, Options{Timeout: 200 * time.Millisecond, Jobs: 1}, nil)
	if rs[0].Err == nil || !strings.Contains(rs[0].Err.Error(), "--timeout") {
		t.Errorf("hanging case: %v %v", rs[0].Err, rs[0].Failures)
	}
	if !rs[1].Passed() {
		t.Errorf("second case: %v %v", rs[1].Err, rs[1].Failures)
	}
}

// TestUnreachedMocks: an inline mock the case never called, a MockConfigFile test case's mock no
// case called, and the states no case entered are warnings.
func TestUnreachedMocks(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"m.asl.json": `{"StartAt": "C", "States": {
			"C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "BooleanEquals": true, "Next": "A"}], "Default": "B"},
			"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true},
			"B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}`,
		"mocks.json": `{"StateMachines": {"m": {"TestCases": {"Both": {"A": "R", "B": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": {}}}}}`,
		"t.sfn-test.yaml": "machine: m.asl.json\nmock-config: mocks.json\ncases:\n" +
			"  - name: a\n    input: {a: true}\n    mock-case: Both\n" +
			"  - name: a inline\n    input: {a: true}\n    mocks: {A: {Return: {}}, B: {Return: {}}}\n",
	})
	s, err := LoadFile(filepath.Join(dir, "t.sfn-test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ws := Warnings(RunAll(context.Background(), []*Suite{s}, Options{}, nil))
	got := strings.Join(ws, "\n")
	for _, want := range []string{`case "a inline": the mock of "B" was never called`, "mock-case Both: no case called the mock of B", "1 state of m entered by no case: B"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
}
