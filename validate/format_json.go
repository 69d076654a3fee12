package validate

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// JSONReport is the document written by --format json. Its top level has the shape of AWS's
// ValidateStateMachineDefinition response (result, diagnostics, truncated), so tools written
// for that API read it unchanged; diagnostics there are those of every file, in report order.
// Files breaks the same diagnostics down per file, each entry again AWS-shaped.
type JSONReport struct {
	// Result is "OK" when no diagnostic has severity error, else "FAIL".
	Result      string           `json:"result"`
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
	// Truncated is always false; it is there for AWS compatibility.
	Truncated bool       `json:"truncated"`
	Files     []JSONFile `json:"files"`
}

// JSONFile is the result for one file.
type JSONFile struct {
	File        string           `json:"file"`
	Result      string           `json:"result"`
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
}

// JSONDiagnostic is one diagnostic: AWS's four fields followed by sfn's.
type JSONDiagnostic struct {
	// Severity is AWS's spelling: "ERROR" or "WARNING" (info diagnostics are "WARNING").
	Severity string `json:"severity"`
	// Code is the AWS diagnostic code, such as "MISSING_TRANSITION_TARGET".
	Code    string `json:"code"`
	Message string `json:"message"`
	// Location is AWS's JSON-pointer-like location, such as "/States/A/Next".
	Location string `json:"location"`
	// Rule is the sfn rule id.
	Rule string `json:"rule"`
	// Level is sfn's severity: "error", "warning" or "info".
	Level string `json:"level"`
	File  string `json:"file"`
	// Line and Column are 1-based; columns count Unicode characters.
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonFormatter struct {
	w      io.Writer
	report JSONReport
}

func newJSONFormatter(w io.Writer, _ FormatOptions) Formatter {
	return &jsonFormatter{w: w, report: JSONReport{Result: "OK", Diagnostics: []JSONDiagnostic{}, Files: []JSONFile{}}}
}

func (f *jsonFormatter) Write(r FileResult) error {
	jf := JSONFile{File: r.File, Result: "OK", Diagnostics: make([]JSONDiagnostic, 0, len(r.Diagnostics))}
	for _, d := range r.Diagnostics {
		if d.Severity == Error {
			jf.Result, f.report.Result = "FAIL", "FAIL"
		}
		jd := JSONDiagnostic{
			Severity: d.Severity.AWS(), Code: d.Code, Message: d.Message, Location: d.Location,
			Rule: d.Rule, Level: d.Severity.String(), File: r.File, Line: d.Pos.Line, Column: d.Pos.Col,
		}
		jf.Diagnostics = append(jf.Diagnostics, jd)
		f.report.Diagnostics = append(f.report.Diagnostics, jd)
	}
	f.report.Files = append(f.report.Files, jf)
	return nil
}

func (f *jsonFormatter) Flush() error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f.report); err != nil {
		return err
	}
	_, err := f.w.Write(safetext.JSON(b.Bytes()))
	return err
}
