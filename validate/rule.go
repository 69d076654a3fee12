// Package validate checks state machine definitions: one small rule per file, each with an id,
// a default severity, the AWS diagnostic code it corresponds to, and diagnostics that carry both
// an AWS-style location (/States/C/Choices[0]/Next) and a file:line:col position.
package validate

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Severity of a diagnostic.
type Severity int

// Severities, most severe first. Off disables a rule.
const (
	Off Severity = iota
	Info
	Warning
	Error
)

// String returns the lower-case name: "error", "warning", "info", "off".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "off"
}

// AWS returns AWS's spelling of the severity ("ERROR", "WARNING"); info maps to "WARNING".
func (s Severity) AWS() string {
	if s == Error {
		return "ERROR"
	}
	return "WARNING"
}

// ParseSeverity parses "error", "warning", "info" or "off".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	case "off", "none", "ignore":
		return Off, nil
	}
	return Off, fmt.Errorf("unknown severity %q (want error, warning, info or off)", s)
}

// Rule is one check.
type Rule struct {
	ID       string
	Severity Severity // default severity
	AWSCode  string   // AWS ValidateStateMachineDefinition code it corresponds to
	Summary  string   // one line: what is checked
	Bad      string   // example that violates the rule (for `sfn rules ID`)
	Good     string   // the fixed example
	Check    func(c *Context)
	// ExpressOnly rules run only for --type EXPRESS.
	ExpressOnly bool
	// StrictPlaceholdersOnly rules run only with --strict-placeholders.
	StrictPlaceholdersOnly bool
	// Category is "" for the rules of the definition's validity and CategoryAdvice for best-practice
	// advice, which runs only with Options.Advice or when the rule's severity is set explicitly.
	Category string
}

// CategoryAdvice is the category of the advice rules (rule_advice_*.go).
const CategoryAdvice = "advice"

var registry = map[string]*Rule{}

// register adds a rule; rule files call it from init.
func register(r *Rule) {
	if _, dup := registry[r.ID]; dup {
		panic("duplicate rule id " + r.ID)
	}
	registry[r.ID] = r
}

// Rules returns all rules sorted by id (the same slice every call; do not modify it).
func Rules() []*Rule {
	sortRules.Do(func() {
		sorted = make([]*Rule, 0, len(registry))
		for _, r := range registry {
			sorted = append(sorted, r)
		}
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	})
	return sorted
}

var (
	sortRules sync.Once
	sorted    []*Rule
)

// Lookup returns the rule with the given id, or nil.
func Lookup(id string) *Rule { return registry[id] }

// Diagnostic is one finding.
type Diagnostic struct {
	Rule     string
	Severity Severity
	Code     string // AWS code
	Message  string
	Location string // AWS-style JSON pointer, "/" for the root
	File     string
	Pos      load.Pos
}

// Options configure a validation run.
type Options struct {
	Type               string // "STANDARD" (default) or "EXPRESS"
	StrictPlaceholders bool   // report ${...} placeholders instead of treating them as opaque
	// Severity overrides rule severities (Off disables a rule).
	Severity map[string]Severity
	// MinSeverity drops diagnostics below it (rules below it do not run); zero keeps everything.
	MinSeverity Severity
	// Advice runs the advice rules (Category CategoryAdvice); without it only those whose severity
	// Severity sets run.
	Advice bool
}

// Context is what a rule's Check receives.
type Context struct {
	Machine *asl.Machine
	Doc     *load.Document
	Opts    *Options
	rule    *Rule
	sev     Severity
	out     *[]Diagnostic
}

// Report records a diagnostic of the running rule at pos with the AWS-style location.
func (c *Context) Report(pos load.Pos, location, format string, args ...any) {
	if location == "" {
		location = "/"
	}
	*c.out = append(*c.out, Diagnostic{
		Rule: c.rule.ID, Severity: c.sev, Code: c.rule.AWSCode,
		Message: fmt.Sprintf(format, args...), Location: location, File: c.Doc.Name, Pos: pos,
	})
}

// ReportSoft records a diagnostic at most at warning level (lower if the rule is configured lower).
// Rules use it for findings whose evidence is weaker than the rule's (AWS's verdict is not known).
func (c *Context) ReportSoft(pos load.Pos, location, format string, args ...any) {
	saved := c.sev
	if c.sev > Warning {
		c.sev = Warning
	}
	c.Report(pos, location, format, args...)
	c.sev = saved
}

// Opaque reports whether n is a deploy-time placeholder that rules must treat as satisfying
// any field (unless --strict-placeholders).
func (c *Context) Opaque(n *load.Node) bool {
	return !c.Opts.StrictPlaceholders && asl.IsPlaceholder(n)
}

// severityOf returns the effective severity of a rule under opts.
func (o *Options) severityOf(r *Rule) Severity {
	if s, ok := o.Severity[r.ID]; ok {
		return s
	}
	return r.Severity
}

// adviceOn reports whether r may run: every rule but an advice rule, which needs Advice or an
// explicit severity.
func (o *Options) adviceOn(r *Rule) bool {
	if r.Category != CategoryAdvice || o.Advice {
		return true
	}
	_, set := o.Severity[r.ID]
	return set
}

// LoadError turns a loader error into a diagnostic.
func LoadError(file string, err error, opts *Options) Diagnostic {
	d := Diagnostic{Rule: "json-syntax", Severity: Error, Code: "INVALID_JSON_DESCRIPTION", Message: err.Error(), Location: "/", File: file, Pos: load.Pos{Line: 1, Col: 1}}
	if le, ok := err.(*load.Error); ok {
		d.Message, d.Pos = le.Message, le.Pos
		if le.Rule != "" {
			d.Rule = le.Rule
		}
	}
	if r := Lookup(d.Rule); r != nil {
		d.Code = r.AWSCode
		if opts != nil {
			if s := opts.severityOf(r); s != Off {
				d.Severity = s
			}
		}
	}
	return d
}

// Check runs every enabled rule on a parsed document and returns the diagnostics sorted by position.
// On large definitions the rules run on several goroutines (the model is read-only after asl.Build).
func Check(doc *load.Document, opts *Options) []Diagnostic {
	return CheckMachine(doc, asl.Build(doc), opts)
}

// CheckMachine is Check on a model already built from doc (nil when the root is not an object),
// for callers such as sfn run that keep the model.
func CheckMachine(doc *load.Document, m *asl.Machine, opts *Options) []Diagnostic {
	if opts == nil {
		opts = &Options{}
	}
	var rules []*Rule
	for _, r := range Rules() {
		if r.Check == nil || (r.ExpressOnly && !strings.EqualFold(opts.Type, "EXPRESS")) ||
			(r.StrictPlaceholdersOnly && !opts.StrictPlaceholders) || opts.severityOf(r) == Off || opts.severityOf(r) < opts.MinSeverity ||
			!opts.adviceOn(r) {
			continue
		}
		if m == nil && !r.acceptsNonObject() {
			continue
		}
		rules = append(rules, r)
	}
	workers := 1
	if m != nil && len(m.All) >= parallelRulesThreshold {
		workers = min(runtime.GOMAXPROCS(0), len(rules))
	}
	outs := make([][]Diagnostic, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := &Context{Machine: m, Doc: doc, Opts: opts, out: &outs[w]}
			for i := w; i < len(rules); i += workers {
				ctx.rule, ctx.sev = rules[i], opts.severityOf(rules[i])
				ctx.run()
			}
		}()
	}
	wg.Wait()
	var out []Diagnostic
	for _, o := range outs {
		out = append(out, o...)
	}
	Sort(out)
	if m != nil {
		out = ApplySuppressions(out, Suppressions(m), opts)
	}
	return out
}

// run runs the current rule; a rule that panics is reported as an error diagnostic instead of
// ending the process (the other rules and files are still checked).
func (c *Context) run() {
	defer func() {
		if p := recover(); p != nil {
			*c.out = append(*c.out, Diagnostic{
				Rule: c.rule.ID, Severity: Error, Code: "SFN_INTERNAL", Location: "/", File: c.Doc.Name, Pos: load.Pos{Line: 1, Col: 1},
				Message: fmt.Sprintf("internal error in rule %s: %v (please report it with this file)", c.rule.ID, p),
			})
		}
	}()
	c.rule.Check(c)
}

// parallelRulesThreshold is the number of states from which Check spreads rules over goroutines.
var parallelRulesThreshold = 500

// rules that inspect the raw document even when it is not an object.
func (r *Rule) acceptsNonObject() bool { return r.ID == "definition-not-object" }

// Sort orders diagnostics by line, column, then rule id and message.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
