package asl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/load"
)

func build(t *testing.T, src string) *Machine {
	t.Helper()
	doc, err := load.Parse("t.json", []byte(src), load.JSON)
	if err != nil {
		t.Fatal(err)
	}
	return Build(doc)
}

func TestBuildScopesAndPointers(t *testing.T) {
	m := build(t, `{"StartAt":"P","States":{
  "P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"Next":"M"},
  "M":{"Type":"Map","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},"End":true}}}`)
	var got []string
	for _, st := range m.All {
		got = append(got, fmt.Sprintf("%s@%d:%d", st.Pointer(), st.NamePos.Line, st.NamePos.Col))
	}
	want := "/States/P@2:3 /States/P/Branches[0]/States/A@2:63 /States/M@3:3 /States/M/ItemProcessor/States/B@3:62"
	if strings.Join(got, " ") != want {
		t.Errorf("states:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if len(m.Scopes) != 3 || m.Scopes[1].Parent.Name != "P" || m.Scopes[2].Depth != 1 {
		t.Errorf("scopes wrong: %d", len(m.Scopes))
	}
}

func TestCollectExprs(t *testing.T) {
	m := build(t, `{"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.a","ResultPath":"$$.bad",
       "Parameters":{"x.$":"States.Format('{}', $.n)","nested":{"y.$":"$$.Execution.Id"},"lit":"$.no","n.$":3,"r.$":{"Ref":"X"}},
       "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"J"}],"Next":"C"},
  "C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.v","StringEqualsPath":"$.w"},"Next":"J"}]},
  "J":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"a":"{% $states.input.x %}","b":["{%1+%}"]},"End":true}}}`)
	var got []string
	for _, e := range m.Exprs {
		s := fmt.Sprintf("%d %s", e.Kind, e.Pointer())
		if e.Err != nil {
			s += " ERR"
		}
		if e.Parent == nil && e.Kind != KindJSONata {
			s += " NOPARENT"
		}
		got = append(got, s)
	}
	want := []string{
		"0 /States/T/InputPath",
		"2 /States/T/ResultPath ERR",
		"3 /States/T/Parameters/x.$",
		"3 /States/T/Parameters/nested/y.$",
		"3 /States/T/Parameters/n.$ ERR",
		"2 /States/T/Catch[0]/ResultPath",
		"0 /States/C/Choices[0]/Not/Variable",
		"0 /States/C/Choices[0]/Not/StringEqualsPath",
		"5 /States/J/Output/a",
		"5 /States/J/Output/b[0] ERR",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exprs:\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
