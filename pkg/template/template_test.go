package template_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
)

// at returns the source text at pos (the rest of its line).
func at(src []byte, p load.Pos) string {
	line := []rune(load.SourceLine(src, p.Line))
	if p.Col-1 > len(line) || p.Col < 1 {
		return "<out of range " + p.String() + ">"
	}
	return string(line[p.Col-1:])
}

// walk follows a path of keys (and [i] indexes) from n.
func walk(t *testing.T, n *load.Node, path string) *load.Node {
	t.Helper()
	for _, k := range strings.Split(path, "/") {
		if k == "" {
			continue
		}
		if n.Kind == load.Array {
			var i int
			if _, err := fmtSscan(k, &i); err != nil || i >= len(n.Items) {
				t.Fatalf("no item %s in %s", k, path)
			}
			n = n.Items[i]
			continue
		}
		next := n.Get(k)
		if next == nil {
			t.Fatalf("no key %q (path %s); keys: %v", k, path, keys(n))
		}
		n = next
	}
	return n
}

func keys(n *load.Node) []string {
	var out []string
	for _, f := range n.Fields {
		out = append(out, f.Key)
	}
	return out
}

type posCheck struct {
	path   string // node path in the definition
	text   string // the node's value (Text for strings and numbers), "" to skip
	source string // the template source at the node's position starts with this
	opaque bool   // the value is a placeholder
}

var extractCases = []struct {
	name   string
	file   string
	src    string
	subs   map[string]string
	ids    []string
	form   string
	checks []posCheck
}{
	{
		name: "JSON DefinitionString literal with escapes",
		file: "t.json",
		src: `{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
  "DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"}}}"}}}}`,
		ids: []string{"M"}, form: "DefinitionString",
		checks: []posCheck{{path: "States/A/Next", text: "Nope", source: `"Nope\"`}, {path: "StartAt", text: "A", source: `"A\"`}},
	},
	{
		name: "YAML block scalar DefinitionString is exact",
		file: "t.yaml",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: |
        {
          "StartAt": "A",
          "States": {"A": {"Type": "Pass", "Next": "Nope"}}
        }
`,
		ids: []string{"M"}, form: "DefinitionString",
		checks: []posCheck{{path: "States/A/Next", text: "Nope", source: `"Nope"}}`}, {path: "States", source: `{"A": {"Type"`}},
	},
	{
		name: "short !Sub block with GetAtt variable and pseudo parameter",
		file: "t.yaml",
		src: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn: {Type: AWS::Lambda::Function}
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineType: EXPRESS
      DefinitionString: !Sub
        - |
          {"StartAt": "A", "States": {"A": {"Type": "Task",
            "Resource": "${FnArn}", "TimeoutSeconds": ${Timeout},
            "Comment": "in ${AWS::Region}, ${!Literal}", "End": true}}}
        - FnArn: !GetAtt Fn.Arn
          Timeout: 30
`,
		ids: []string{"M"}, form: "Fn::Sub",
		checks: []posCheck{
			{path: "States/A/Resource", text: "${FnArn}", source: `"${FnArn}"`, opaque: true},
			{path: "States/A/TimeoutSeconds", text: "30", source: `${Timeout}`},
			{path: "States/A/Comment", text: "in ${AWS::Region}, ${Literal}", source: `"in ${AWS::Region}`, opaque: true},
		},
	},
	{
		name: "Fn::Join as CDK writes it",
		file: "cdk.template.json",
		src: `{
 "Resources": {
  "SM1": {
   "Type": "AWS::StepFunctions::StateMachine",
   "Properties": {
    "DefinitionString": {
     "Fn::Join": [
      "",
      [
       "{\"StartAt\":\"Invoke\",\"States\":{\"Invoke\":{\"Next\":\"Done\",\"Type\":\"Task\",\"TimeoutSeconds\":",
       {"Ref": "Timeout"},
       ",\"Resource\":\"arn:",
       {"Ref": "AWS::Partition"},
       ":states:::lambda:invoke\",\"Parameters\":{\"FunctionName\":\"",
       {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]},
       "\",\"Payload.$\":\"$\"}},\"Done\":{\"Type\":\"Succeed\"}}}"
      ]
     ]
    }
   }
  }
 }
}`,
		ids: []string{"SM1"}, form: "Fn::Join",
		checks: []posCheck{
			{path: "States/Invoke/Next", text: "Done", source: `"Done\"`},
			{path: "States/Invoke/TimeoutSeconds", text: "${Timeout}", source: `{"Ref": "Timeout"}`, opaque: true},
			{path: "States/Invoke/Resource", text: "arn:${AWS::Partition}:states:::lambda:invoke", source: `"arn:"`, opaque: true},
			{path: "States/Invoke/Parameters/FunctionName", text: "${Fn9270CBC0.Arn}", source: `"",`, opaque: true},
			{path: "States/Done/Type", text: "Succeed", source: `"Succeed\"`},
		},
	},
	{
		name: "short !Join with !Ref and !GetAtt",
		file: "t.yml",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Join
        - ""
        - - '{"StartAt": "A", "States": {"A": {"Type": "Task",'
          - '"Resource": "'
          - !GetAtt [Fn, Arn]
          - '", "Next": "Nope"}}}'
`,
		ids: []string{"M"}, form: "Fn::Join",
		checks: []posCheck{
			{path: "States/A/Resource", text: "${Fn.Arn}", source: `"'`, opaque: true},
			{path: "States/A/Next", text: "Nope", source: `"Nope"}}}'`},
		},
	},
	{
		name: "inline Definition with DefinitionSubstitutions and !If",
		file: "t.yaml",
		src: `Transform: AWS::Serverless-2016-10-31
Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      DefinitionSubstitutions:
        FnArn: arn:aws:lambda:us-east-1:123456789012:function:f
        Wait: 5
        Table: !Ref Table
      Definition:
        StartAt: A
        States:
          A:
            Type: Task
            Resource: ${FnArn}
            Parameters:
              TableName: ${Table}
              Flag: !If [IsProd, a, b]
            Next: W
          W:
            Type: Wait
            Seconds: ${Wait}
            End: true
`,
		ids: []string{"M"}, form: "Definition",
		checks: []posCheck{
			{path: "States/A/Resource", text: "arn:aws:lambda:us-east-1:123456789012:function:f", source: "${FnArn}"},
			{path: "States/A/Parameters/TableName", text: "${Table}", source: "${Table}", opaque: true},
			{path: "States/A/Parameters/Flag", source: "!If", opaque: true},
			{path: "States/W/Seconds", text: "5", source: "${Wait}"},
		},
	},
	{
		name: "--sub overrides and adds",
		file: "t.yaml",
		subs: map[string]string{"FnArn": "arn:aws:lambda:eu-west-1:1:function:g", "Extra": "x"},
		src: `Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        FnArn: !GetAtt Fn.Arn
      Definition:
        StartAt: A
        States:
          A: {Type: Task, Resource: "${FnArn}", Comment: "${Extra}-${Other}", End: true}
`,
		ids: []string{"M"}, form: "Definition",
		checks: []posCheck{
			{path: "States/A/Resource", text: "arn:aws:lambda:eu-west-1:1:function:g", source: `"${FnArn}"`},
			{path: "States/A/Comment", text: "x-${Other}", source: `"${Extra}`, opaque: true},
		},
	},
	{
		name: "literal DefinitionString with DefinitionSubstitutions",
		file: "t.yaml",
		src: `Resources:
  stm:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: '{"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": "${StartFn}", "HeartbeatSeconds": ${Beat}, "End": true}}}'
      DefinitionSubstitutions:
        StartFn: {"Fn::GetAtt": [startFn, Arn]}
        Beat: 10
`,
		ids: []string{"stm"}, form: "DefinitionString",
		checks: []posCheck{
			{path: "States/S/Resource", text: "${StartFn}", source: `"${StartFn}"`, opaque: true},
			{path: "States/S/HeartbeatSeconds", text: "10", source: "${Beat}"},
		},
	},
	{
		name: "Serverless inline and resources",
		file: "serverless.yml",
		src: `service: s
provider: {name: aws}
stepFunctions:
  stateMachines:
    first:
      type: express
      definition:
        StartAt: A
        States:
          A: {Type: Task, Resource: {"Fn::GetAtt": [hello, Arn]}, Next: B}
          B: {Type: Succeed}
resources:
  Resources:
    Other:
      Type: AWS::StepFunctions::StateMachine
      Properties:
        Definition: {StartAt: X, States: {X: {Type: Succeed}}}
`,
		ids: []string{"first", "Other"}, form: "definition",
		checks: []posCheck{{path: "States/A/Next", text: "B", source: "B}"}, {path: "States/A/Resource", source: `{"Fn::GetAtt"`, opaque: true}},
	},
	{
		name: "Serverless fragment included as stepFunctions",
		file: "taskdef.yml",
		src: `stateMachines:
  StateMachine:
    definition:
      StartAt: EntryPoint
      States:
        EntryPoint: {Type: Pass, End: True}
`,
		ids: []string{"StateMachine"}, form: "definition",
		checks: []posCheck{{path: "StartAt", text: "EntryPoint", source: "EntryPoint"}},
	},
}

func fmtSscan(s string, i *int) (int, error) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, os.ErrInvalid
		}
		n = n*10 + int(c-'0')
	}
	*i = n
	return 1, nil
}

func TestExtract(t *testing.T) {
	for _, tc := range extractCases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := template.Load(tc.file, []byte(tc.src), "", &template.Options{Subs: tc.subs, NoFiles: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(template.IDs(tpl.Machines), ","); got != strings.Join(tc.ids, ",") {
				t.Fatalf("machines %s, want %s", got, strings.Join(tc.ids, ","))
			}
			m := tpl.Machines[0]
			for _, p := range m.Problems {
				t.Errorf("problem: %v [%s]", p, p.Err.Rule)
			}
			if m.Doc == nil {
				t.Fatal("no definition")
			}
			if m.Form != tc.form {
				t.Errorf("form %q, want %q", m.Form, tc.form)
			}
			if m.Doc.Name != tc.file || string(m.Doc.Source) != tc.src {
				t.Errorf("document %q does not point into the template", m.Doc.Name)
			}
			for _, c := range tc.checks {
				n := walk(t, m.Doc.Root, c.path)
				if c.text != "" && n.Text != c.text {
					t.Errorf("%s: value %q, want %q", c.path, n.Text, c.text)
				}
				if got := at([]byte(tc.src), n.Pos); !strings.HasPrefix(got, c.source) {
					t.Errorf("%s at %s: source there is %q, want it to start with %q", c.path, n.Pos, got, c.source)
				}
				if asl.IsPlaceholder(n) != c.opaque {
					t.Errorf("%s: placeholder %v, want %v", c.path, asl.IsPlaceholder(n), c.opaque)
				}
			}
		})
	}
}

func TestMachineType(t *testing.T) {
	for _, tc := range extractCases {
		tpl, err := template.Load(tc.file, []byte(tc.src), "", &template.Options{NoFiles: true})
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if strings.Contains(tc.src, "EXPRESS") || strings.Contains(tc.src, "type: express") {
			want = "EXPRESS"
		}
		if tpl.Machines[0].Type != want {
			t.Errorf("%s: type %q, want %q", tc.name, tpl.Machines[0].Type, want)
		}
	}
}

var problemCases = []struct {
	name, src string
	rule      string
	warning   bool
	message   string // substring
	source    string // the template source at the problem's position starts with this
}{
	{
		name: "DefinitionS3Location is not local",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionS3Location: {Bucket: b, Key: k}
`,
		rule: template.RuleNotLocal, warning: true, message: "in S3", source: "DefinitionS3Location",
	},
	{
		name: "DefinitionUri in S3",
		src: `Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri:
        Bucket: b
        Key: k
`,
		rule: template.RuleNotLocal, warning: true, message: "Bucket and Key", source: "DefinitionUri:",
	},
	{
		name: "DefinitionString computed by !If",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !If [C, '{}', '{}']
`,
		rule: template.RuleNotLocal, warning: true, message: "Fn::If", source: "!If",
	},
	{
		name: "DefinitionString that is not JSON",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: |
        {"StartAt": "A",
         "States": {"A": {"Type": "Pass", "End": true,}}}
`,
		rule: "json-syntax", message: "in the definition string", source: "}}}",
	},
	{
		name: "no definition at all",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties: {RoleArn: x}
`,
		rule: template.RuleDefinition, message: "has no Definition", source: "M:",
	},
	{
		name: "Definition that is a string",
		src: `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition: "{}"
`,
		rule: template.RuleDefinition, message: "must be an object", source: `"{}"`,
	},
}

func TestProblems(t *testing.T) {
	for _, tc := range problemCases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := template.Load("t.yaml", []byte(tc.src), "", &template.Options{NoFiles: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(tpl.Machines) != 1 || len(tpl.Machines[0].Problems) != 1 {
				t.Fatalf("want one machine with one problem, got %+v", tpl.Machines)
			}
			m := tpl.Machines[0]
			p := m.Problems[0]
			if m.Doc != nil {
				t.Errorf("a definition was read")
			}
			if p.Err.Rule != tc.rule || p.Warning != tc.warning || !strings.Contains(p.Err.Message, tc.message) || p.LogicalID != "M" {
				t.Errorf("got %v [%s] warning=%v", p, p.Err.Rule, p.Warning)
			}
			if got := at([]byte(tc.src), p.Err.Pos); !strings.HasPrefix(got, tc.source) {
				t.Errorf("problem at %s: source there is %q, want %q", p.Err.Pos, got, tc.source)
			}
		})
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const samURI = `Transform: AWS::Serverless-2016-10-31
Resources:
  Order:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/order.asl.json
      DefinitionSubstitutions:
        FnArn: arn:aws:lambda:us-east-1:123456789012:function:f
`

const orderDef = `{
  "StartAt": "A",
  "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "Next": "Nope"}}
}
`

func TestDefinitionUri(t *testing.T) {
	dir := writeFiles(t, map[string]string{"template.yaml": samURI, "statemachine/order.asl.json": orderDef})
	name := filepath.Join(dir, "template.yaml")
	tpl, err := template.Load(name, []byte(samURI), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := tpl.Machines[0]
	if len(m.Problems) > 0 || m.Doc == nil {
		t.Fatalf("problems %v", m.Problems)
	}
	if want := filepath.Join(dir, "statemachine", "order.asl.json"); m.Doc.Name != want {
		t.Errorf("document %s, want %s", m.Doc.Name, want)
	}
	res := walk(t, m.Doc.Root, "States/A/Resource")
	if res.Text != "arn:aws:lambda:us-east-1:123456789012:function:f" || res.Pos != (load.Pos{Line: 3, Col: 48}) {
		t.Errorf("Resource %q at %s", res.Text, res.Pos)
	}
	if got := tpl.Files(); len(got) != 1 || got[0] != filepath.Join(dir, "statemachine", "order.asl.json") {
		t.Errorf("Files() = %v", got)
	}
}

func TestDefinitionUriCaseAndMissing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"file case", map[string]string{"statemachine/Order.asl.json": orderDef}, "no such file; statemachine/Order.asl.json differs only in letter case"},
		{"dir case", map[string]string{"StateMachine/order.asl.json": orderDef}, "no such file; StateMachine/order.asl.json differs only in letter case"},
		{"missing", map[string]string{"statemachine/other.json": orderDef}, "DefinitionUri statemachine/order.asl.json: no such file"},
		{"missing dir", map[string]string{}, "no such file (there is no directory statemachine)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.files["template.yaml"] = samURI
			dir := writeFiles(t, tc.files)
			name := filepath.Join(dir, "template.yaml")
			tpl, err := template.Load(name, []byte(samURI), "", nil)
			if err != nil {
				t.Fatal(err)
			}
			m := tpl.Machines[0]
			if m.Doc != nil || len(m.Problems) != 1 {
				t.Fatalf("want one problem, got doc %v, %v", m.Doc != nil, m.Problems)
			}
			p := m.Problems[0]
			if !strings.Contains(p.Err.Message, tc.want) || p.Err.Rule != template.RuleDefinition || p.Warning || p.File != name {
				t.Errorf("got %v [%s]", p, p.Err.Rule)
			}
			if p.Err.Pos != (load.Pos{Line: 6, Col: 22}) {
				t.Errorf("problem at %s, want the DefinitionUri value 6:22", p.Err.Pos)
			}
			if _, err := template.Definition(name, []byte(samURI), "", "", nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Definition: %v", err)
			}
		})
	}
}

func TestServerlessFileInclude(t *testing.T) {
	sls := `service: s
provider: {name: aws}
stepFunctions:
  stateMachines:
    one:
      definition: ${file(./defs/one.yml)}
    two: ${file(./defs/two.yml):machine}
`
	dir := writeFiles(t, map[string]string{
		"serverless.yml": sls,
		"defs/one.yml":   "StartAt: A\nStates:\n  A: {Type: Pass, Next: Nope}\n",
		"defs/two.yml":   "machine:\n  definition:\n    StartAt: B\n    States:\n      B: {Type: Succeed}\n",
	})
	name := filepath.Join(dir, "serverless.yml")
	tpl, err := template.Load(name, []byte(sls), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(template.IDs(tpl.Machines), ","); got != "one,two" {
		t.Fatalf("machines %s", got)
	}
	for _, m := range tpl.Machines {
		if m.Doc == nil {
			t.Fatalf("%s: %v", m.LogicalID, m.Problems)
		}
	}
	one := tpl.Machines[0].Doc
	if one.Name != filepath.Join(dir, "defs", "one.yml") || walk(t, one.Root, "States/A/Next").Pos != (load.Pos{Line: 3, Col: 25}) {
		t.Errorf("one: %s %s", one.Name, walk(t, one.Root, "States/A/Next").Pos)
	}
	two := tpl.Machines[1].Doc
	if two.Name != filepath.Join(dir, "defs", "two.yml") || two.Root.Get("StartAt").Pos != (load.Pos{Line: 3, Col: 14}) {
		t.Errorf("two: %s %s", two.Name, two.Root.Get("StartAt").Pos)
	}
}

func TestDuplicateKeysInTemplate(t *testing.T) {
	src := `Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionSubstitutions:
        A: one
        A: two
      Definition:
        StartAt: S
        States:
          S: {Type: Pass, Result: "${A}", End: true}
`
	tpl, err := template.Load("t.yaml", []byte(src), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Problems) != 1 || !tpl.Problems[0].Warning || tpl.Problems[0].Err.Pos != (load.Pos{Line: 7, Col: 9}) {
		t.Fatalf("problems %v", tpl.Problems)
	}
	if got := walk(t, tpl.Machines[0].Doc.Root, "States/S/Result").Text; got != "two" {
		t.Errorf("the last value should win, got %q", got)
	}
	// a plain definition with duplicate keys is still an error
	if _, err := template.Load("d.json", []byte(`{"StartAt": "A", "StartAt": "B", "States": {}}`), "", nil); err == nil {
		t.Errorf("duplicate keys in a definition were accepted")
	}
}

func TestSelect(t *testing.T) {
	two := []*template.Machine{{LogicalID: "Alpha", ResourceType: template.TypeStepFunctions}, {LogicalID: "Beta", ResourceType: template.TypeStepFunctions}}
	if _, err := template.Select(two, ""); err == nil || err.Error() != "the template has 2 state machines; choose one with --state-machine: Alpha, Beta" {
		t.Errorf("no id: %v", err)
	}
	if m, err := template.Select(two, "Beta"); err != nil || m.LogicalID != "Beta" {
		t.Errorf("Beta: %v", err)
	}
	if _, err := template.Select(two, "beta"); err == nil || err.Error() != `no state machine "beta" in the template (did you mean Beta?); it has: Alpha, Beta` {
		t.Errorf("beta: %v", err)
	}
	if m, err := template.Select(two[:1], ""); err != nil || m.LogicalID != "Alpha" {
		t.Errorf("one machine: %v", err)
	}
	if _, err := template.Select(nil, ""); err == nil {
		t.Errorf("no machines: no error")
	}
	plain, err := template.Load("m.json", []byte(`{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`), "", nil)
	if err != nil || plain.Kind != template.None {
		t.Fatal(err)
	}
	if m, err := template.Select(plain.Machines, ""); err != nil || m.Doc == nil {
		t.Errorf("plain: %v", err)
	}
	if _, err := template.Select(plain.Machines, "X"); err == nil || !strings.Contains(err.Error(), "not a template") {
		t.Errorf("plain with id: %v", err)
	}
}
