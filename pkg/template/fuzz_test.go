package template_test

import (
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
)

// FuzzExtract feeds arbitrary documents to the extractor: it must never panic, every machine has a
// definition or a problem, and every position it reports lies inside the source.
func FuzzExtract(f *testing.F) {
	for _, tc := range extractCases {
		f.Add(tc.src, tc.file == "t.json" || tc.file == "cdk.template.json")
	}
	for _, tc := range problemCases {
		f.Add(tc.src, false)
	}
	f.Add(`{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["\\", ["{\"a\u00e9\\\"", {"Ref": "X"}, "}"]]}}}}}`, true)
	f.Add("Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub \"${A}${!B}${\"\n", false)
	f.Fuzz(func(t *testing.T, src string, asJSON bool) {
		format := load.YAML
		if asJSON {
			format = load.JSON
		}
		tpl, err := template.Load("fuzz", []byte(src), format, &template.Options{NoFiles: true, Subs: map[string]string{"A": "1"}})
		if err != nil {
			return
		}
		lines := 1
		for _, c := range src {
			if c == '\n' {
				lines++
			}
		}
		check := func(what string, p load.Pos) {
			if p.Line < 1 || p.Col < 1 || p.Line > lines {
				t.Fatalf("%s at %s is outside the source (%d lines)", what, p, lines)
			}
		}
		for _, m := range tpl.Machines {
			if m.Doc == nil && len(m.Problems) == 0 {
				t.Fatalf("machine %s has neither a definition nor a problem", m.LogicalID)
			}
			for _, p := range m.Problems {
				check("problem "+p.Err.Message, p.Err.Pos)
			}
			if m.Doc != nil && tpl.Kind != template.None {
				var walk func(n *load.Node)
				walk = func(n *load.Node) {
					check("node", n.Pos)
					for _, f := range n.Fields {
						check("key "+f.Key, f.KeyPos)
						walk(f.Value)
					}
					for _, it := range n.Items {
						walk(it)
					}
				}
				walk(m.Doc.Root)
			}
		}
	})
}
