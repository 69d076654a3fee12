package template

import (
	"path/filepath"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

// fileRef parses a Serverless Framework file variable: ${file(./path.yml)} or
// ${file(./path.yml):key.sub}. ok is false for anything else.
func fileRef(s string) (path, key string, ok bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "${file(") || !strings.HasSuffix(s, "}") {
		return "", "", false
	}
	inner := s[len("${file(") : len(s)-1]
	end := strings.IndexByte(inner, ')')
	if end < 0 {
		return "", "", false
	}
	path = strings.Trim(strings.TrimSpace(inner[:end]), `'"`)
	rest := inner[end+1:]
	if strings.HasPrefix(rest, ":") {
		key = strings.TrimSpace(rest[1:])
	} else if strings.TrimSpace(rest) != "" {
		return "", "", false
	}
	return path, key, path != ""
}

// child returns an extractor for a file included from this one.
func (x *extractor) child(doc *load.Document) *extractor {
	return &extractor{doc: doc, opts: x.opts, ix: newSrcIndex(doc.Source), dir: filepath.Dir(doc.Name), root: x.root}
}

// include resolves a ${file()} reference at n: the extractor of the included file and the node the
// reference picks (its root, or the value under key). A nil extractor means a problem.
func (x *extractor) include(id string, n *load.Node, path, key string, max int64) (*extractor, *load.Node, *Problem) {
	doc, p := x.readDoc(id, n, path, "${file("+path+")}", max)
	if p != nil {
		return nil, nil, p
	}
	v := doc.Root
	if key != "" {
		for _, k := range strings.Split(key, ".") {
			v = v.Get(k)
			if v == nil {
				return nil, nil, x.newProblem(id, n.Pos, RuleDefinition, "${file(%s):%s}: the file has no key %s", path, key, key)
			}
		}
	}
	return x.child(doc), v, nil
}

// serverless extracts stepFunctions.stateMachines (and CloudFormation machines under resources.Resources).
func (x *extractor) serverless(root *load.Node) ([]*Machine, []*Problem) {
	var problems []*Problem
	var machines []*Machine
	sx, sf := x, root.Get("stepFunctions")
	if root.Has("stateMachines") && sf == nil {
		sf = root // an included stepFunctions file
	}
	if sf != nil && sf.Kind == load.String && sf.Tag == "" {
		if path, key, ok := fileRef(sf.Text); ok {
			var p *Problem
			sx, sf, p = x.include("", sf, path, key, load.MaxFileSize)
			if p != nil {
				problems = append(problems, p)
			}
		}
	}
	if sf != nil && sf.Kind == load.Object {
		sms := sf.Get("stateMachines")
		if sms != nil && sms.Kind == load.String && sms.Tag == "" {
			if path, key, ok := fileRef(sms.Text); ok {
				var p *Problem
				sx, sms, p = sx.include("", sms, path, key, load.MaxFileSize)
				if p != nil {
					problems = append(problems, p)
				}
			}
		}
		if sms != nil && sms.Kind == load.Object {
			for _, f := range sms.Fields {
				m := &Machine{LogicalID: f.Key, ResourceType: "serverless", Pos: f.KeyPos}
				machines = append(machines, m)
				sx.serverlessMachine(m, f.Value)
			}
		}
	}
	if res := root.Get("resources"); res != nil && res.Kind == load.Object {
		machines = append(machines, x.cloudFormation(res.Get("Resources"))...)
	}
	return machines, problems
}

func (x *extractor) serverlessMachine(m *Machine, n *load.Node) {
	if n != nil && n.Kind == load.String && n.Tag == "" {
		if path, key, ok := fileRef(n.Text); ok {
			ix, v, p := x.include(m.LogicalID, n, path, key, load.MaxFileSize)
			if p != nil {
				m.Problems = append(m.Problems, p)
				return
			}
			x, n = ix, v
		}
	}
	if n == nil || n.Kind != load.Object {
		x.problem(m, m.Pos, RuleDefinition, "the state machine must be an object with a definition")
		return
	}
	if t := n.Get("type"); t.IsString() {
		if u := strings.ToUpper(t.Text); u == "STANDARD" || u == "EXPRESS" {
			m.Type = u
		}
	}
	subs := x.substitutions(m, nil)
	def := n.Field("definition")
	if def == nil {
		x.problem(m, m.Pos, RuleDefinition, "the state machine has no definition")
		return
	}
	m.Form = "definition"
	v := def.Value
	if v.Kind == load.String && v.Tag == "" {
		if path, key, ok := fileRef(v.Text); ok {
			m.Form = "${file()}"
			ix, dv, p := x.include(m.LogicalID, v, path, key, load.MaxDefinitionSize)
			if p != nil {
				m.Problems = append(m.Problems, p)
				return
			}
			if !looksLikeDefinition(dv) {
				x.problem(m, v.Pos, RuleDefinition, "%s: %s", v.Text, notADefinition)
				return
			}
			ix.inline(m, dv, subs)
			return
		}
		m.Form = "DefinitionString"
		x.definitionString(m, v, subs)
		return
	}
	x.inline(m, v, subs)
}
