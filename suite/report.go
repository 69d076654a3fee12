package suite

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// Formats are the report formats of sfn test.
var Formats = []string{"text", "json", "junit", "github", "tap"}

// ReportOptions configure a report.
type ReportOptions struct {
	Verbose bool // text: a line for every case, not only failing ones
	// NoTimes writes zero durations (golden files).
	NoTimes bool
}

// Summary counts the results of a run.
type Summary struct {
	Files, Cases, Passed, Failed, Errors, Skipped int
	Invalid                                       int // test files not run: invalid or unreadable
	Duration                                      time.Duration
}

// Summarize counts results.
func Summarize(results []*CaseResult, files int, d time.Duration) Summary {
	s := Summary{Files: files, Cases: len(results), Duration: d}
	for _, r := range results {
		switch {
		case r.Skipped:
			s.Skipped++
		case r.Err != nil:
			s.Errors++
		case len(r.Failures) > 0:
			s.Failed++
		default:
			s.Passed++
		}
	}
	return s
}

// OK reports whether every case that ran passed.
func (s Summary) OK() bool { return s.Failed == 0 && s.Errors == 0 && s.Invalid == 0 }

// Reporter writes the results of a run in one format. Case is called for each result in order
// (streaming formats write then), End once with the warnings and the summary.
type Reporter interface {
	Case(r *CaseResult) error
	End(warnings []string, s Summary) error
}

// NewReporter returns the reporter of a format (one of Formats).
func NewReporter(format string, w io.Writer, o ReportOptions) (Reporter, error) {
	switch format {
	case "text":
		return &textReporter{w: w, o: o}, nil
	case "json":
		return &jsonReporter{w: w, o: o}, nil
	case "junit":
		return &junitReporter{w: w, o: o}, nil
	case "github":
		return &githubReporter{textReporter{w: w, o: o}}, nil
	case "tap":
		return &tapReporter{w: w, o: o}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

func (o ReportOptions) secs(d time.Duration) float64 {
	if o.NoTimes {
		return 0
	}
	return d.Seconds()
}

// caseID names a case in reports: "<test file>: <case>".
func caseID(r *CaseResult) string { return r.Suite.Path + ": " + r.Case.Name }

// messages are the reasons a case failed, each "file:line:col: message".
func messages(r *CaseResult) []string {
	if r.Err != nil {
		return []string{fmt.Sprintf("%s:%s: %v", r.Suite.Path, r.Case.Pos, r.Err)}
	}
	out := make([]string, len(r.Failures))
	for i, f := range r.Failures {
		out[i] = fmt.Sprintf("%s:%s: %s", r.Suite.Path, f.Pos, f.Msg)
	}
	return out
}

// text: like go test.

type textReporter struct {
	w io.Writer
	o ReportOptions
}

func (t *textReporter) Case(r *CaseResult) error {
	var b strings.Builder
	switch {
	case r.Skipped:
		if !t.o.Verbose {
			return nil
		}
		fmt.Fprintf(&b, "--- SKIP: %s\n", safetext.Escape(caseID(r)))
	case r.Passed():
		if !t.o.Verbose {
			return nil
		}
		fmt.Fprintf(&b, "--- PASS: %s (%.3fs)\n", safetext.Escape(caseID(r)), t.o.secs(r.Duration))
	default:
		fmt.Fprintf(&b, "--- FAIL: %s (%.3fs)\n", safetext.Escape(caseID(r)), t.o.secs(r.Duration))
		for _, m := range messages(r) {
			for _, l := range strings.Split(m, "\n") {
				b.WriteString("    " + safetext.Escape(l) + "\n")
			}
		}
	}
	if r.Snapshot != "" && t.o.Verbose {
		fmt.Fprintf(&b, "    snapshot %s: %s\n", r.Snapshot, safetext.Escape(r.Suite.SnapshotPath(r.Case)))
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textReporter) End(warnings []string, s Summary) error {
	var b strings.Builder
	for _, w := range warnings {
		b.WriteString("sfn: warning: " + safetext.Escape(w) + "\n")
	}
	word := "ok"
	if !s.OK() {
		word = "FAIL"
	}
	fmt.Fprintf(&b, "%s\t%d passed, %d failed", word, s.Passed, s.Failed)
	if s.Errors > 0 {
		fmt.Fprintf(&b, ", %d errors", s.Errors)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", s.Skipped)
	}
	if s.Invalid > 0 {
		fmt.Fprintf(&b, ", %s not run", plural(s.Invalid, "test file"))
	}
	fmt.Fprintf(&b, " (%s in %s) %.3fs\n", plural(s.Cases, "case"), plural(s.Files, "file"), t.o.secs(s.Duration))
	_, err := io.WriteString(t.w, b.String())
	return err
}

// json: one document at the end.

type jsonReporter struct {
	w     io.Writer
	o     ReportOptions
	cases []jsonCase
}

type jsonCase struct {
	File     string        `json:"file"`
	Machine  string        `json:"machine"`
	Name     string        `json:"name"`
	Result   string        `json:"result"` // pass, fail, error, skip
	Seconds  float64       `json:"seconds"`
	Status   string        `json:"status,omitempty"` // the execution's
	Error    string        `json:"error,omitempty"`
	Cause    string        `json:"cause,omitempty"`
	Path     []string      `json:"path,omitempty"`
	Failures []jsonFailure `json:"failures,omitempty"`
	Snapshot string        `json:"snapshot,omitempty"`
}

type jsonFailure struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func result(r *CaseResult) string {
	switch {
	case r.Skipped:
		return "skip"
	case r.Err != nil:
		return "error"
	case len(r.Failures) > 0:
		return "fail"
	}
	return "pass"
}

func (j *jsonReporter) Case(r *CaseResult) error {
	c := jsonCase{File: r.Suite.Path, Machine: r.Suite.Name, Name: r.Case.Name, Result: result(r), Seconds: j.o.secs(r.Duration), Snapshot: r.Snapshot}
	if x := r.Exec; x != nil {
		c.Status, c.Error, c.Cause, c.Path = string(x.Result.Status), x.Result.Error, x.Result.Cause, x.Path()
	}
	if r.Err != nil {
		c.Failures = append(c.Failures, jsonFailure{File: r.Suite.Path, Line: r.Case.Pos.Line, Column: r.Case.Pos.Col, Message: r.Err.Error()})
	}
	for _, f := range r.Failures {
		c.Failures = append(c.Failures, jsonFailure{File: r.Suite.Path, Line: f.Pos.Line, Column: f.Pos.Col, Message: f.Msg})
	}
	j.cases = append(j.cases, c)
	return nil
}

func (j *jsonReporter) End(warnings []string, s Summary) error {
	doc := struct {
		Cases    []jsonCase `json:"cases"`
		Warnings []string   `json:"warnings"`
		Summary  any        `json:"summary"`
	}{j.cases, warnings, map[string]any{
		"files": s.Files, "cases": s.Cases, "passed": s.Passed, "failed": s.Failed,
		"errors": s.Errors, "skipped": s.Skipped, "invalid": s.Invalid, "seconds": j.o.secs(s.Duration), "ok": s.OK(),
	}}
	if doc.Cases == nil {
		doc.Cases = []jsonCase{}
	}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// junit: the JUnit XML that Jenkins (junit plugin) and GitLab read: <testsuites> of one
// <testsuite> per test file, <testcase name classname time> with <failure message type>,
// <error message type> or <skipped/>.

type junitReporter struct {
	w       io.Writer
	o       ReportOptions
	suites  []*JUnitSuite
	bySuite map[*Suite]*JUnitSuite
}

// JUnitSuites is the root element of a JUnit report.
type JUnitSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Time     string        `xml:"time,attr"`
	Suites   []*JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one test file.
type JUnitSuite struct {
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Cases    []*JUnitCase `xml:"testcase"`
	secs     float64
}

// JUnitCase is one test case.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *JUnitProblem `xml:"failure,omitempty"`
	Error     *JUnitProblem `xml:"error,omitempty"`
	Skipped   *struct{}     `xml:"skipped,omitempty"`
}

// JUnitProblem is a <failure> or <error>.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitReporter) Case(r *CaseResult) error {
	if j.bySuite == nil {
		j.bySuite = map[*Suite]*JUnitSuite{}
	}
	s := j.bySuite[r.Suite]
	if s == nil {
		s = &JUnitSuite{Name: safetext.Escape(r.Suite.Path)}
		j.bySuite[r.Suite] = s
		j.suites = append(j.suites, s)
	}
	secs := j.o.secs(r.Duration)
	c := &JUnitCase{Name: safetext.Escape(r.Case.Name), Classname: safetext.Escape(r.Suite.Name), Time: fmt.Sprintf("%.3f", secs), File: safetext.Escape(r.Suite.Path), Line: r.Case.Pos.Line}
	msgs := messages(r)
	for i, m := range msgs {
		lines := strings.Split(m, "\n")
		for j, l := range lines {
			lines[j] = safetext.Escape(l)
		}
		msgs[i] = strings.Join(lines, "\n")
	}
	switch {
	case r.Skipped:
		c.Skipped = &struct{}{}
		s.Skipped++
	case r.Err != nil:
		c.Error = &JUnitProblem{Message: firstLine(msgs[0]), Type: "error", Text: strings.Join(msgs, "\n")}
		s.Errors++
	case len(msgs) > 0:
		c.Failure = &JUnitProblem{Message: firstLine(msgs[0]), Type: "expectation", Text: strings.Join(msgs, "\n")}
		s.Failures++
	}
	s.Tests++
	s.secs += secs
	s.Time = fmt.Sprintf("%.3f", s.secs)
	s.Cases = append(s.Cases, c)
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func (j *junitReporter) End(_ []string, s Summary) error {
	doc := JUnitSuites{Name: "sfn test", Tests: s.Cases, Failures: s.Failed, Errors: s.Errors, Skipped: s.Skipped,
		Time: fmt.Sprintf("%.3f", j.o.secs(s.Duration)), Suites: j.suites}
	if _, err := io.WriteString(j.w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(j.w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(j.w, "\n")
	return err
}

// github: workflow commands (an annotation per failure at its line) and the text summary.

type githubReporter struct{ textReporter }

func (g *githubReporter) Case(r *CaseResult) error {
	if r.Passed() || r.Skipped {
		return g.textReporter.Case(r)
	}
	var b strings.Builder
	for i, m := range messages(r) {
		pos := r.Case.Pos
		if r.Err == nil {
			pos = r.Failures[i].Pos
		}
		_, msg, _ := strings.Cut(m, ": ") // the position is in the properties
		if r.Err == nil {
			msg = r.Failures[i].Msg
		}
		fmt.Fprintf(&b, "::error file=%s,line=%d,col=%d,title=%s::%s\n", ghProp(r.Suite.Path), pos.Line, pos.Col,
			ghProp("sfn test: "+r.Case.Name), ghData(msg))
	}
	if _, err := io.WriteString(g.w, b.String()); err != nil {
		return err
	}
	return g.textReporter.Case(r)
}

func (g *githubReporter) End(warnings []string, s Summary) error {
	var b strings.Builder
	for _, w := range warnings {
		fmt.Fprintf(&b, "::warning title=sfn test::%s\n", ghData(w))
	}
	if _, err := io.WriteString(g.w, b.String()); err != nil {
		return err
	}
	return g.textReporter.End(nil, s)
}

// ghData escapes a workflow command's message; ghProp a property value.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(safetext.Escape(s))
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(safetext.Escape(s))
}

// tap: TAP version 14, with a YAML diagnostic block per failing case.

type tapReporter struct {
	w io.Writer
	o ReportOptions
	n int
	b strings.Builder
}

func (t *tapReporter) Case(r *CaseResult) error {
	t.n++
	id := tapText(caseID(r))
	switch {
	case r.Skipped:
		fmt.Fprintf(&t.b, "ok %d - %s # SKIP fail-fast\n", t.n, id)
	case r.Passed():
		fmt.Fprintf(&t.b, "ok %d - %s\n", t.n, id)
	default:
		fmt.Fprintf(&t.b, "not ok %d - %s\n  ---\n  failures:\n", t.n, id)
		for _, m := range messages(r) {
			q, _ := json.Marshal(safetext.Escape(m)) // a JSON string is a YAML flow scalar
			fmt.Fprintf(&t.b, "    - %s\n", q)
		}
		t.b.WriteString("  ...\n")
	}
	return nil
}

// tapText keeps a description on one line and out of TAP's directives.
func tapText(s string) string {
	return strings.NewReplacer("#", `\#`, "\n", " ").Replace(safetext.Escape(s))
}

func (t *tapReporter) End(_ []string, s Summary) error {
	_, err := fmt.Fprintf(t.w, "TAP version 14\n1..%d\n%s", t.n, t.b.String())
	return err
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
