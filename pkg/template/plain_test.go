package template

import (
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

// TestPlainDefinitionSubs: --sub values go into a plain definition's ${KEY} placeholders (values,
// keys, inside longer strings); the others stay; a --sub matching nothing is a warning.
func TestPlainDefinitionSubs(t *testing.T) {
	src := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"${K}": "a ${V} b", "n": "${N}", "other": "${Other}"}, "End": true}}}`
	tpl, err := Load("m.asl.json", []byte(src), "", &Options{Subs: map[string]string{"K": "key", "V": "val", "N": "12", "Unused": "x", "Also": "y"}})
	if err != nil {
		t.Fatal(err)
	}
	m := tpl.Machines[0]
	params := m.Doc.Root.Get("States").Get("P").Get("Parameters")
	var got []string
	for _, f := range params.Fields {
		got = append(got, f.Key+"="+f.Value.Text+"/"+f.Value.Kind.String())
	}
	if want := "key=a val b/string n=12/string other=${Other}/string"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if f := params.Fields[0]; f.Value.Pos.Line != 1 || f.Value.Pos.Col == 0 {
		t.Errorf("position lost: %v", f.Value.Pos)
	}
	var warnings []string
	for _, p := range m.Problems {
		if !p.Warning {
			t.Errorf("not a warning: %v", p)
		}
		warnings = append(warnings, p.Err.Message)
	}
	if want := "--sub Also matches no ${Also} placeholder in the definition|--sub Unused matches no ${Unused} placeholder in the definition"; strings.Join(warnings, "|") != want {
		t.Errorf("warnings %q", warnings)
	}
	// The file's tree is not changed; without --sub nothing is.
	if tpl.Root.Get("States").Get("P").Get("Parameters").Fields[0].Key != "${K}" {
		t.Error("the file's tree was modified")
	}
	plain, _ := Load("m.asl.json", []byte(src), "", nil)
	if len(plain.Machines[0].Problems) != 0 || plain.Machines[0].Doc.Root != plain.Root {
		t.Error("no --sub: the definition must be the file as it is")
	}
}

// TestPlainDefinitionSubsDeep: a generated, deeply nested definition is substituted without
// trouble (the loader's depth limit bounds the walk).
func TestPlainDefinitionSubsDeep(t *testing.T) {
	depth := 500
	src := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ` + strings.Repeat(`{"a": `, depth) + `"${X}"` + strings.Repeat("}", depth) + `, "End": true}}}`
	tpl, err := Load("m.json", []byte(src), load.JSON, &Options{Subs: map[string]string{"X": "y"}})
	if err != nil {
		t.Skipf("deeper than the loader allows: %v", err)
	}
	n := tpl.Machines[0].Doc.Root.Get("States").Get("P").Get("Result")
	for n.Kind == load.Object {
		n = n.Get("a")
	}
	if n.Text != "y" || len(tpl.Machines[0].Problems) != 0 {
		t.Errorf("got %q, problems %v", n.Text, tpl.Machines[0].Problems)
	}
}

// TestTemplateSubsUnused: in a template, a --sub whose ${KEY} appears nowhere in the text the
// definition comes from is a warning of the machine sfn run and sfn graph pick.
func TestTemplateSubsUnused(t *testing.T) {
	src := `{"Resources": {"SM": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
	  "Definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Used}", "End": true}}},
	  "DefinitionSubstitutions": {"Used": "x"}}}}}`
	m, err := Definition("t.json", []byte(src), "", "", &Options{Subs: map[string]string{"Used": "y", "Typo": "z"}})
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, p := range m.Problems {
		if p.Warning && p.Err.Rule == RuleSubUnused {
			warnings = append(warnings, p.Err.Message)
		}
	}
	if strings.Join(warnings, "|") != "--sub Typo matches no ${Typo} placeholder in the definition" {
		t.Errorf("warnings %q", warnings)
	}
	if got := m.Doc.Root.Get("States").Get("P").Get("Result").Text; got != "y" {
		t.Errorf("--sub did not override DefinitionSubstitutions: %q", got)
	}
}
