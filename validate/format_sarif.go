package validate

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/sfn-tool/sfn/internal/safetext"
)

// SARIF 2.1.0 output, the subset GitHub code scanning reads.
// See https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html.

// SARIFLog is the top-level SARIF document.
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one run of the tool.
type SARIFRun struct {
	Tool    SARIFTool     `json:"tool"`
	Results []SARIFResult `json:"results"`
}

// SARIFTool describes sfn.
type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

// SARIFDriver is the tool component: its name, version and every rule.
type SARIFDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []SARIFRule `json:"rules"`
}

// SARIFRule is a reportingDescriptor for one rule.
type SARIFRule struct {
	ID                   string            `json:"id"`
	ShortDescription     SARIFMessage      `json:"shortDescription"`
	FullDescription      SARIFMessage      `json:"fullDescription"`
	Help                 SARIFHelp         `json:"help"`
	DefaultConfiguration SARIFRuleConfig   `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

// SARIFHelp is a rule's help text in plain text and Markdown.
type SARIFHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

// SARIFRuleConfig holds a rule's level: "error", "warning", "note" or "none".
type SARIFRuleConfig struct {
	Level string `json:"level"`
}

// SARIFMessage is a plain-text message.
type SARIFMessage struct {
	Text string `json:"text"`
}

// SARIFResult is one diagnostic.
type SARIFResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   SARIFMessage    `json:"message"`
	Locations []SARIFLocation `json:"locations"`
}

// SARIFLocation wraps a physical location.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysicalLocation `json:"physicalLocation"`
}

// SARIFPhysicalLocation is a file and a region in it.
type SARIFPhysicalLocation struct {
	ArtifactLocation SARIFArtifactLocation `json:"artifactLocation"`
	Region           SARIFRegion           `json:"region"`
}

// SARIFArtifactLocation names the file: a URI relative to the working directory (%SRCROOT%).
type SARIFArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// SARIFRegion is a 1-based start line and column.
type SARIFRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "note"
	}
	return "none"
}

type sarifFormatter struct {
	w     io.Writer
	o     FormatOptions
	log   SARIFLog
	index map[string]int
}

func newSARIFFormatter(w io.Writer, o FormatOptions) Formatter {
	f := &sarifFormatter{w: w, o: o, index: map[string]int{}}
	driver := SARIFDriver{Name: "sfn", Version: o.ToolVersion, InformationURI: "https://github.com/sfn-tool/sfn", Rules: []SARIFRule{}}
	for i, r := range Rules() {
		sev := r.Severity
		if s, ok := o.Severity[r.ID]; ok {
			sev = s
		}
		f.index[r.ID] = i
		driver.Rules = append(driver.Rules, SARIFRule{
			ID:               r.ID,
			ShortDescription: SARIFMessage{Text: r.Summary},
			FullDescription:  SARIFMessage{Text: r.Summary + " (AWS code " + r.AWSCode + ")"},
			Help: SARIFHelp{
				Text:     r.Summary + "\n\nBad:\n" + r.Bad + "\n\nGood:\n" + r.Good,
				Markdown: r.Summary + "\n\nBad:\n\n```\n" + r.Bad + "\n```\n\nGood:\n\n```\n" + r.Good + "\n```",
			},
			DefaultConfiguration: SARIFRuleConfig{Level: sarifLevel(sev)},
			Properties:           map[string]string{"awsCode": r.AWSCode},
		})
	}
	f.log = SARIFLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []SARIFRun{{Tool: SARIFTool{Driver: driver}, Results: []SARIFResult{}}},
	}
	return f
}

func (f *sarifFormatter) Write(r FileResult) error {
	uri := artifactURI(r.File, f.o.BaseDir)
	run := &f.log.Runs[0]
	for _, d := range r.Diagnostics {
		loc := SARIFArtifactLocation{URI: uri}
		if !strings.HasPrefix(uri, "file:") {
			loc.URIBaseID = "%SRCROOT%"
		}
		idx, ok := f.index[d.Rule]
		if !ok {
			idx = -1
		}
		run.Results = append(run.Results, SARIFResult{
			RuleID: d.Rule, RuleIndex: idx, Level: sarifLevel(d.Severity), Message: SARIFMessage{Text: d.Message},
			Locations: []SARIFLocation{{PhysicalLocation: SARIFPhysicalLocation{
				ArtifactLocation: loc,
				Region:           SARIFRegion{StartLine: max(d.Pos.Line, 1), StartColumn: max(d.Pos.Col, 1)},
			}}},
		})
	}
	return nil
}

func (f *sarifFormatter) Flush() error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f.log); err != nil {
		return err
	}
	_, err := f.w.Write(safetext.JSON(b.Bytes()))
	return err
}

// artifactURI turns a reported file name into a SARIF URI: relative to base with forward
// slashes when the file is under base, else an absolute file: URI. "<stdin>" becomes "stdin".
func artifactURI(file, base string) string {
	if file == "<stdin>" {
		return "stdin"
	}
	p := file
	if filepath.IsAbs(p) && base != "" {
		if rel, err := filepath.Rel(base, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
	}
	if filepath.IsAbs(p) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
	}
	p = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(p)), "./")
	return (&url.URL{Path: p}).String()
}
