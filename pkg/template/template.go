// Package template finds state machine definitions where users keep them: CloudFormation and
// SAM templates (JSON or YAML with short tags such as !Sub), CDK output (cdk.out/*.template.json)
// and Serverless Framework files. Each state machine becomes a *load.Document whose positions
// point into the file the user edits: the template itself for inline Definition and
// DefinitionString (built from Fn::Sub or Fn::Join and mapped back), or the file DefinitionUri or
// ${file(...)} names.
//
// Substitutions (DefinitionSubstitutions, Fn::Sub variables, --sub) with literal values are
// applied; anything computed at deploy time (Ref, Fn::GetAtt, pseudo parameters) stays an opaque
// ${Name} placeholder, which validation accepts anywhere (see asl.IsPlaceholder).
package template

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// Kind says what sort of file holds the state machines.
type Kind string

// The kinds of template.
const (
	None           Kind = ""               // not a template (a plain definition, or anything else)
	CloudFormation Kind = "cloudformation" // Resources with AWS::StepFunctions::StateMachine (CDK output is one)
	SAM            Kind = "sam"            // CloudFormation with the AWS::Serverless transform or resources
	Serverless     Kind = "serverless"     // Serverless Framework: stepFunctions.stateMachines
)

// Resource types holding a state machine.
const (
	TypeStepFunctions = "AWS::StepFunctions::StateMachine"
	TypeServerless    = "AWS::Serverless::StateMachine"
)

// Rule ids of the problems the extractor reports (registered as rules by package validate).
const (
	RuleDefinition = "template-definition"           // error: the definition cannot be read
	RuleNotLocal   = "template-definition-not-local" // warning: the definition lives in S3
)

// Machine is one state machine found in a template.
type Machine struct {
	// LogicalID is the resource's logical id (CloudFormation, SAM, CDK) or the key under
	// stepFunctions.stateMachines (Serverless). Empty for a plain definition file.
	LogicalID string
	// ResourceType is AWS::StepFunctions::StateMachine, AWS::Serverless::StateMachine, or
	// "serverless" for a Serverless Framework machine; empty for a plain definition file.
	ResourceType string
	// Form says where the definition came from: Definition, DefinitionString, Fn::Sub, Fn::Join,
	// DefinitionUri, DefinitionS3Location, definition (Serverless inline), ${file()}, or "file".
	Form string
	// Type is STANDARD or EXPRESS when the template says so literally, otherwise "".
	Type string
	// Pos is the position of the logical id in the template.
	Pos load.Pos
	// Doc is the definition, ready for validate.Check, render or run: Name and Source are the
	// file its positions point into (the template, or the DefinitionUri file). Nil when the
	// definition could not be read (see Problems).
	Doc *load.Document
	// Problems are what kept the definition from being read, or warnings about it.
	Problems []*Problem
}

// Problem is a finding of the extractor, at a position in File.
type Problem struct {
	File      string // the template, or the file DefinitionUri / ${file()} names
	Source    []byte // File's content, for snippets (may be nil)
	Warning   bool   // a warning (definition not local), not an error
	LogicalID string
	Err       *load.Error // Pos, Message, Rule (template-definition, template-definition-not-local, json-syntax, ...)
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Err.Pos.Line, p.Err.Pos.Col, p.Err.Message)
}

// Template is a parsed template and its state machines, in source order.
type Template struct {
	Name     string
	Source   []byte
	Kind     Kind
	Root     *load.Node
	Machines []*Machine
	// Problems are findings not tied to one machine (a Serverless ${file()} that cannot be read).
	Problems []*Problem
}

// Options configure extraction.
type Options struct {
	// Subs adds or overrides substitutions (--sub Key=Value) for every machine.
	Subs map[string]string
	// ReadFile reads files named by DefinitionUri or ${file()}; nil means os.ReadFile.
	// ReadDir lists a directory to check the letter case of those paths; nil means os.ReadDir
	// (when ReadFile is nil too).
	ReadFile func(name string) ([]byte, error)
	ReadDir  func(name string) ([]os.DirEntry, error)
	// NoFiles forbids reading other files (DefinitionUri is then reported as an error).
	NoFiles bool
	// Root is the project root: DefinitionUri and ${file()} files must lie inside it (symbolic
	// links resolved), be regular files and hold at most 1 MiB (a definition) or 4 MiB. Empty
	// means load.ProjectRoot of the template's directory: the repository holding it, else that
	// directory.
	Root string
}

// Detect says whether a parsed root is a template holding (or able to hold) state machines.
func Detect(root *load.Node) Kind {
	if root == nil || root.Kind != load.Object || load.IsDefinition(root) {
		return None
	}
	if res := root.Get("Resources"); res != nil && res.Kind == load.Object {
		kind := Kind(None)
		for _, f := range res.Fields {
			t := f.Value.Get("Type")
			if !t.IsString() {
				continue
			}
			switch t.Text {
			case TypeServerless:
				return SAM
			case TypeStepFunctions:
				kind = CloudFormation
			}
		}
		if kind != None && isSAMTransform(root.Get("Transform")) {
			return SAM
		}
		if kind != None {
			return kind
		}
		if root.Has("AWSTemplateFormatVersion") || root.Has("Transform") {
			// a template without state machines: nothing to check, but not a definition either
			return CloudFormation
		}
	}
	if sf := root.Get("stepFunctions"); sf != nil && (root.Has("service") || root.Has("provider") || sf.Kind == load.Object) {
		return Serverless
	}
	if root.Has("service") && root.Has("provider") {
		return Serverless
	}
	if sm := root.Get("stateMachines"); sm != nil && sm.Kind == load.Object {
		for _, f := range sm.Fields {
			if f.Value.Has("definition") {
				return Serverless // a file included with ${file(...)} as stepFunctions
			}
		}
	}
	return None
}

func isSAMTransform(n *load.Node) bool {
	if n == nil {
		return false
	}
	if n.IsString() {
		return strings.HasPrefix(n.Text, "AWS::Serverless")
	}
	for _, it := range n.Items {
		if it.IsString() && strings.HasPrefix(it.Text, "AWS::Serverless") {
			return true
		}
	}
	return false
}

// MayBeTemplate is a cheap test on raw bytes: false means the file is certainly not a template
// holding state machines (directory walks use it before parsing).
func MayBeTemplate(src []byte) bool {
	return bytes.Contains(src, []byte(TypeStepFunctions)) || bytes.Contains(src, []byte(TypeServerless)) ||
		bytes.Contains(src, []byte("stateMachines"))
}

// Extract finds the state machines of a parsed document. It returns nil when the document is
// not a template (Detect is None).
func Extract(doc *load.Document, opts *Options) *Template {
	kind := Detect(doc.Root)
	if kind == None {
		return nil
	}
	if opts == nil {
		opts = &Options{}
	}
	x := &extractor{doc: doc, opts: opts, ix: newSrcIndex(doc.Source), dir: filepath.Dir(doc.Name), root: opts.Root}
	if x.root == "" && !opts.NoFiles {
		x.root = load.ProjectRoot(x.dir)
	}
	t := &Template{Name: doc.Name, Source: doc.Source, Kind: kind, Root: doc.Root}
	if kind == Serverless {
		t.Machines, t.Problems = x.serverless(doc.Root)
	} else {
		t.Machines = x.cloudFormation(doc.Root.Get("Resources"))
	}
	return t
}

// Load parses a file and extracts its state machines. A plain definition (or anything that is not
// a template) comes back as a Template of Kind None with one Machine whose Doc is the file
// (LogicalID empty), with opts.Subs put in for its ${KEY} placeholders. The error is the parse
// error (*load.Error) of the file itself.
func Load(name string, src []byte, format load.Format, opts *Options) (*Template, error) {
	if format == "" {
		format = load.FormatFor(name, src)
	}
	doc, err := load.Parse(name, src, format)
	if err != nil {
		if t := loadWithDuplicates(name, src, format, err, opts); t != nil {
			return t, nil
		}
		return nil, err
	}
	if t := Extract(doc, opts); t != nil {
		return t, nil
	}
	return &Template{Name: name, Source: src, Root: doc.Root, Machines: []*Machine{plainMachine(doc, opts)}}, nil
}

// IDs returns the logical ids of the machines, in order.
func IDs(machines []*Machine) []string {
	out := make([]string, len(machines))
	for i, m := range machines {
		out[i] = m.LogicalID
	}
	return out
}

// Select picks the machine named logicalID. With an empty logicalID it picks the only machine,
// and otherwise fails listing them. The error says which ids exist.
func Select(machines []*Machine, logicalID string) (*Machine, error) {
	plain := len(machines) == 1 && machines[0].LogicalID == "" && machines[0].ResourceType == ""
	if plain {
		if logicalID != "" {
			return nil, fmt.Errorf("--state-machine %s: the file is a state machine definition, not a template", logicalID)
		}
		return machines[0], nil
	}
	if len(machines) == 0 {
		return nil, errors.New("the template has no state machine")
	}
	if logicalID == "" {
		if len(machines) == 1 {
			return machines[0], nil
		}
		return nil, fmt.Errorf("the template has %d state machines; choose one with --state-machine: %s", len(machines), strings.Join(IDs(machines), ", "))
	}
	for _, m := range machines {
		if m.LogicalID == logicalID {
			return m, nil
		}
	}
	msg := fmt.Sprintf("no state machine %q in the template", logicalID)
	for _, m := range machines {
		if strings.EqualFold(m.LogicalID, logicalID) {
			msg += fmt.Sprintf(" (did you mean %s?)", m.LogicalID)
			break
		}
	}
	return nil, fmt.Errorf("%s; it has: %s", msg, strings.Join(IDs(machines), ", "))
}

// Definition is what sfn run and sfn graph need: the file (a plain definition or a template)
// loaded, the machine chosen by logicalID (optional with one machine), and its definition. The
// error is a *load.Error for a file that does not parse, a *Problem when the chosen machine's
// definition cannot be read, or a plain error from Select.
func Definition(name string, src []byte, format load.Format, logicalID string, opts *Options) (*Machine, error) {
	t, err := Load(name, src, format, opts)
	if err != nil {
		return nil, err
	}
	m, err := Select(t.Machines, logicalID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if t.Kind != None {
		checkTemplateSubs(m, opts) // a plain definition's are checked by Load
	}
	if m.Doc == nil {
		for _, p := range m.Problems {
			if !p.Warning {
				return m, p
			}
		}
		if len(m.Problems) > 0 {
			return m, m.Problems[0]
		}
		return m, fmt.Errorf("%s: state machine %s has no definition", name, m.LogicalID)
	}
	return m, nil
}

// Files returns the other files the template's machines were read from (DefinitionUri,
// ${file()}), cleaned, so a directory walk can avoid checking them a second time on their own.
func (t *Template) Files() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range t.Machines {
		if m.Doc != nil && m.Doc.Name != t.Name && !seen[m.Doc.Name] {
			seen[m.Doc.Name] = true
			out = append(out, filepath.Clean(m.Doc.Name))
		}
		for _, p := range m.Problems {
			if p.File != t.Name && !seen[p.File] {
				seen[p.File] = true
				out = append(out, filepath.Clean(p.File))
			}
		}
	}
	sort.Strings(out)
	return out
}

// loadWithDuplicates handles a template with duplicate keys, which CloudFormation and SAM accept
// (the last one wins) while sfn's loader rejects them: the earlier occurrences are renamed in a
// copy of the source (same length, so positions stay) and each duplicate becomes a warning of the
// template. It returns nil when the file is not a template or has other problems.
func loadWithDuplicates(name string, src []byte, format load.Format, err error, opts *Options) *Template {
	var dups []*load.Error
	work := append([]byte(nil), src...)
	ix := newSrcIndex(work)
	for range 100 {
		le, ok := err.(*load.Error)
		if !ok || le.Rule != "duplicate-key" {
			return nil
		}
		dups = append(dups, le)
		at := le.Pos
		if i := strings.LastIndex(le.Message, " already defined at "); i >= 0 {
			var l, c int
			if _, e := fmt.Sscanf(le.Message[i+len(" already defined at "):], "%d:%d", &l, &c); e == nil {
				at = load.Pos{Line: l, Col: c}
			}
		}
		off := ix.offset(at)
		if off < 0 || off >= len(work) {
			return nil
		}
		if work[off] == '"' || work[off] == '\'' {
			off++
		}
		if off >= len(work) || work[off] >= 0x80 || work[off] == '\\' || work[off] == '"' {
			return nil
		}
		// a character no key of a template starts with
		if work[off] == '~' {
			work[off] = '^'
		} else {
			work[off] = '~'
		}
		var doc *load.Document
		doc, err = load.Parse(name, work, format)
		if err != nil {
			continue
		}
		doc.Source = src
		t := Extract(doc, opts)
		if t == nil {
			return nil
		}
		for _, d := range dups {
			msg := strings.Replace(d.Message, ": already defined", " (CloudFormation keeps the last one): already defined", 1)
			t.Problems = append(t.Problems, &Problem{File: name, Source: src, Warning: true,
				Err: &load.Error{Pos: d.Pos, Rule: d.Rule, Message: msg}})
		}
		return t
	}
	return nil
}
