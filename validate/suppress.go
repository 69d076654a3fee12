package validate

import (
	"regexp"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Inline suppression. JSON has no comments and YAML comments do not survive parsing, so a
// directive lives in a field both keep and AWS accepts: a Comment. "sfn-ignore: ID[, ID...]
// [reason]" in the Comment of
//   - the state machine (top level): drops those rules' diagnostics in the whole definition;
//   - a Parallel branch or Map processor: in that scope;
//   - a state: in that state (its fields, Retry, Catch, Choices, and the states nested in it);
//   - a rule of Choices: in that rule.
// In a CloudFormation, SAM or CDK template, the state machine resource's Metadata holds them as
// cfn-lint's Metadata does ("Metadata: {sfn: {ignore: [ID, ...]}}", see MetadataSuppressions).
// A directive that drops nothing, or names no rule, is reported by rule "suppression".

// SuppressionRule is the id of the rule that reports directives that suppress nothing.
const SuppressionRule = "suppression"

func init() {
	register(&Rule{
		ID: SuppressionRule, Severity: Warning, AWSCode: "SFN_SUPPRESSION",
		Summary: "an sfn-ignore directive (in a Comment, or a template's Metadata sfn.ignore) names known rules and suppresses a diagnostic of each",
		Bad:     `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "sfn-ignore: unreachable-state", "End": true}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "Old": {"Type": "Succeed", "Comment": "sfn-ignore: unreachable-state kept for the v1 callers"}}}`,
		// Check is nil: ApplySuppressions reports, after every other rule has run.
	})
}

// Suppression is one sfn-ignore directive.
type Suppression struct {
	// Rules are the rule ids it names.
	Rules []string
	// Scope is the AWS-style pointer of what it covers: diagnostics located at it or below it
	// are dropped. "" covers the whole definition.
	Scope string
	// File, Pos and Location say where the directive is written (for its own diagnostics).
	File     string
	Pos      load.Pos
	Location string
	// RulePos, when set, holds the position of each rule id (Metadata lists them one by one).
	RulePos []load.Pos
}

// posOf returns where the j-th rule id is written.
func (s *Suppression) posOf(j int) load.Pos {
	if j < len(s.RulePos) {
		return s.RulePos[j]
	}
	return s.Pos
}

// covers reports whether the suppression drops d.
func (s *Suppression) covers(d Diagnostic, rule string) bool {
	return d.Rule == rule && (s.Scope == "" || d.Location == s.Scope || strings.HasPrefix(d.Location, s.Scope+"/"))
}

// directive matches "sfn-ignore:" and its comma-separated rule ids; what follows is the reason.
var directive = regexp.MustCompile(`sfn-ignore:[ \t]*([A-Za-z0-9_.-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.-]+)*)?`)

// Suppressions returns the sfn-ignore directives of the Comment fields of a definition.
func Suppressions(m *asl.Machine) []Suppression {
	if m == nil {
		return nil
	}
	var out []Suppression
	add := func(comment *load.Node, scope, location string) {
		if comment == nil || comment.Kind != load.String || !strings.Contains(comment.Text, "sfn-ignore:") {
			return
		}
		for _, ids := range directive.FindAllStringSubmatch(comment.Text, -1) {
			out = append(out, Suppression{Rules: splitIDs(ids[1]), Scope: scope, File: m.Doc.Name, Pos: comment.Pos, Location: location})
		}
	}
	for _, sc := range m.Scopes {
		scope := ""
		if sc.Parent != nil {
			scope = sc.Pointer()
		}
		add(sc.Node.Get("Comment"), scope, sc.Pointer()+"/Comment")
	}
	for _, st := range m.All {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		add(st.Field("Comment"), st.Pointer(), st.Pointer()+"/Comment")
		for _, r := range st.Choices {
			add(r.Node.Get("Comment"), r.Pointer(), r.Pointer()+"/Comment")
		}
	}
	return out
}

// splitIDs splits "a, b,c" into rule ids.
func splitIDs(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// MetadataSuppressions reads the directive of a template resource (its "Metadata" member
// "sfn: {ignore: [ID, ...]}"), which covers the whole state machine. file names the template.
// A malformed value is returned as a diagnostic of rule "suppression".
func MetadataSuppressions(file string, resource *load.Node, opts *Options) ([]Suppression, []Diagnostic) {
	sfn := resource.Get("Metadata").Get("sfn")
	if sfn == nil {
		return nil, nil
	}
	bad := func(n *load.Node, what string) []Diagnostic {
		return suppressionDiag(file, n.Pos, "/Metadata/sfn", opts, "Metadata sfn must be {ignore: [rule-id, ...]}, but "+what)
	}
	if sfn.Kind != load.Object {
		return nil, bad(sfn, "it is "+sfn.Describe())
	}
	var ids []string
	var at []load.Pos
	for _, f := range sfn.Fields {
		if f.Key != "ignore" {
			return nil, bad(f.Value, "it has the key "+quote(f.Key))
		}
		if f.Value.Kind != load.Array {
			return nil, bad(f.Value, "ignore is "+f.Value.Describe())
		}
		for _, it := range f.Value.Items {
			if it.Kind != load.String {
				return nil, bad(it, "an item of ignore is "+it.Describe())
			}
			ids, at = append(ids, strings.TrimSpace(it.Text)), append(at, it.Pos)
		}
	}
	return []Suppression{{Rules: ids, File: file, Pos: sfn.Pos, Location: "/Metadata/sfn/ignore", RulePos: at}}, nil
}

func quote(s string) string { return "\"" + s + "\"" }

// ApplySuppressions drops the diagnostics the suppressions cover and adds a "suppression"
// warning for each directive naming no rule or an unknown one, and for each rule id that drops
// nothing although its rule ran (a rule that is off or did not run for these options is not
// reported: it may well find something elsewhere).
func ApplySuppressions(ds []Diagnostic, sups []Suppression, opts *Options) []Diagnostic {
	if len(sups) == 0 {
		return ds
	}
	if opts == nil {
		opts = &Options{}
	}
	used := make([][]bool, len(sups))
	index := map[scopeRule][]ref{} // what covers a diagnostic is found by its location's prefixes
	for i := range sups {
		used[i] = make([]bool, len(sups[i].Rules))
		for j, id := range sups[i].Rules {
			k := scopeRule{sups[i].Scope, id}
			index[k] = append(index[k], ref{i, j})
		}
	}
	out := ds[:0:0]
	for _, d := range ds {
		dropped := false
		mark := func(scope string) {
			for _, r := range index[scopeRule{scope, d.Rule}] {
				used[r.i][r.j], dropped = true, true
			}
		}
		mark("")
		for k := 1; k < len(d.Location); k++ {
			if d.Location[k] == '/' {
				mark(d.Location[:k])
			}
		}
		if d.Location != "/" {
			mark(d.Location)
		}
		if !dropped {
			out = append(out, d)
		}
	}
	for i, s := range sups {
		if len(s.Rules) == 0 {
			out = append(out, suppressionDiag(s.File, s.Pos, s.Location, opts, "sfn-ignore: names no rule (write sfn-ignore: rule-id[, rule-id] reason)")...)
		}
		for j, id := range s.Rules {
			switch r := Lookup(id); {
			case r == nil:
				out = append(out, suppressionDiag(s.File, s.posOf(j), s.Location, opts, "sfn-ignore: "+UnknownRuleMessage(id))...)
			case !used[i][j] && ruleRuns(r, opts):
				out = append(out, suppressionDiag(s.File, s.posOf(j), s.Location, opts, "sfn-ignore: "+id+" suppresses nothing here: remove it")...)
			}
		}
	}
	Sort(out)
	return out
}

// scopeRule and ref index the rule ids of suppressions.
type (
	scopeRule struct{ scope, rule string }
	ref       struct{ i, j int }
)

// ruleRuns reports whether r runs under opts, so that its silence means something.
func ruleRuns(r *Rule, opts *Options) bool {
	s := opts.severityOf(r)
	return r.Check != nil && s != Off && s >= opts.MinSeverity && opts.adviceOn(r) &&
		!(r.ExpressOnly && !strings.EqualFold(opts.Type, "EXPRESS")) && !(r.StrictPlaceholdersOnly && !opts.StrictPlaceholders)
}

// suppressionDiag is a diagnostic of rule "suppression" (none when it is off or below
// MinSeverity).
func suppressionDiag(file string, pos load.Pos, location string, opts *Options, msg string) []Diagnostic {
	r := Lookup(SuppressionRule)
	if opts == nil {
		opts = &Options{}
	}
	sev := opts.severityOf(r)
	if sev == Off || sev < opts.MinSeverity {
		return nil
	}
	return []Diagnostic{{Rule: r.ID, Severity: sev, Code: r.AWSCode, Message: msg, Location: location, File: file, Pos: pos}}
}
