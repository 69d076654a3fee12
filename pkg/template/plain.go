package template

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// plainMachine is the one machine of a plain definition file: the file itself, with the --sub
// values (Options.Subs) put in for its ${KEY} placeholders as AWS applies DefinitionSubstitutions
// (in string values and keys; the value is a string). A --sub that matches no placeholder is a
// warning Problem of the machine: it is never silently ignored.
func plainMachine(doc *load.Document, opts *Options) *Machine {
	m := &Machine{Form: "file", Doc: doc}
	if opts == nil || len(opts.Subs) == 0 || doc.Root == nil {
		return m
	}
	subs := substs{}
	for k, v := range opts.Subs {
		subs[k] = subst{text: v, kind: load.String, literal: true}
	}
	used := map[string]bool{}
	placeholderNames(doc.Root, used, 0)
	c := *doc
	c.Root = substitute(doc.Root, subs)
	m.Doc = &c
	keys := make([]string, 0, len(opts.Subs))
	for k := range opts.Subs {
		if !used[k] {
			keys = append(keys, k)
		}
	}
	m.Problems = append(m.Problems, unusedSubProblems(doc, keys)...)
	return m
}

// RuleSubUnused is the rule id of the warning for a --sub that matches no placeholder.
const RuleSubUnused = "template-sub-unused"

// unusedSubProblems are the warnings for the --sub keys that match no placeholder of doc.
func unusedSubProblems(doc *load.Document, keys []string) []*Problem {
	sort.Strings(keys)
	var out []*Problem
	for _, k := range keys {
		out = append(out, &Problem{File: doc.Name, Source: doc.Source, Warning: true, Err: &load.Error{
			Pos:     doc.Root.Pos,
			Message: fmt.Sprintf("--sub %s matches no ${%s} placeholder in the definition", k, k),
			Rule:    RuleSubUnused,
		}})
	}
	return out
}

// checkTemplateSubs adds a warning to a template's machine for each --sub whose ${KEY} appears
// nowhere in the text its definition comes from (the template, or its DefinitionUri file).
func checkTemplateSubs(m *Machine, opts *Options) {
	if m == nil || m.Doc == nil || m.Doc.Root == nil || opts == nil || len(opts.Subs) == 0 {
		return
	}
	var keys []string
	for k := range opts.Subs {
		if !strings.Contains(string(m.Doc.Source), "${"+k+"}") {
			keys = append(keys, k)
		}
	}
	m.Problems = append(m.Problems, unusedSubProblems(m.Doc, keys)...)
}

// placeholderNames adds the names of the ${NAME} placeholders in n's strings and keys to names.
func placeholderNames(n *load.Node, names map[string]bool, depth int) {
	if n == nil || depth > 10000 {
		return
	}
	switch n.Kind {
	case load.String:
		addPlaceholderNames(n.Text, names)
	case load.Object:
		for _, f := range n.Fields {
			addPlaceholderNames(f.Key, names)
			placeholderNames(f.Value, names, depth+1)
		}
	case load.Array:
		for _, it := range n.Items {
			placeholderNames(it, names, depth+1)
		}
	}
}

// addPlaceholderNames adds the names of the ${NAME} placeholders of s to names.
func addPlaceholderNames(s string, names map[string]bool) {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return
		}
		s = s[i+2:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return
		}
		names[s[:j]] = true
		s = s[j+1:]
	}
}
