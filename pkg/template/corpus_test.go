package template_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/internal/testshared"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
	"github.com/sfn-tool/sfn/render"
	"github.com/sfn-tool/sfn/validate"
)

// corpusDir is the shared template corpus (../shared/corpus/templates from the repository root).
const corpusDir = "../../../shared/corpus"

type indexEntry struct {
	Template      string `json:"template"`
	File          string `json:"file"`
	Tree          string `json:"tree"`
	Kind          string `json:"kind"`
	StateMachines []struct {
		LogicalID          *string `json:"logical_id"`
		Name               *string `json:"name"`
		DefinitionForm     string  `json:"definition_form"`
		DefinitionFormKind string  `json:"definition_form_kind"`
		IncludeResolved    string  `json:"include_resolved"`
		DefinitionURI      any     `json:"definition_uri"`
		URIMissing         *bool   `json:"definition_uri_missing"`
	} `json:"state_machines"`
}

// readExceptions reads testdata/corpus-exceptions.txt: "<template file> <logical id> <rule>: reason".
func readExceptions(t *testing.T) map[string]string {
	f, err := os.Open("testdata/corpus-exceptions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, ok := strings.Cut(line, ": ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("corpus-exceptions.txt: %q needs a reason after ': '", line)
		}
		out[key] = reason
	}
	return out
}

// TestTemplateCorpus extracts every template of the shared corpus (INDEX.json), including the
// trees with DefinitionUri files, checks that exactly the indexed state machines are found and
// that validation reports no error other than the justified exceptions.
func TestTemplateCorpus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "templates", "INDEX.json"))
	if err != nil {
		testshared.Skip(t, "corpus", filepath.Join(corpusDir, "templates", "INDEX.json"))
	}
	var index []indexEntry
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	exceptions := readExceptions(t)
	used := map[string]bool{}
	var templates, machines, withDoc, notLocal, graphed, errs int
	for _, e := range index {
		paths := []string{e.File}
		if e.Tree != "" {
			paths = append(paths, e.Tree)
		}
		for _, rel := range paths {
			inTree := rel == e.Tree
			path := filepath.Join(corpusDir, rel)
			templates++
			src, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			tpl, err := template.Load(path, src, "", nil)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			if tpl.Kind == template.None {
				t.Errorf("%s: not recognised as a template", rel)
				continue
			}
			var want []string
			includeMissing := false
			for _, sm := range e.StateMachines {
				switch {
				case sm.LogicalID != nil:
					want = append(want, *sm.LogicalID)
				case sm.Name != nil:
					want = append(want, *sm.Name)
				case sm.DefinitionFormKind == "serverless-include":
					if inTree {
						want = append(want, includedIDs(t, filepath.Join(filepath.Dir(path), sm.IncludeResolved))...)
					} else {
						includeMissing = true
					}
				}
			}
			got := template.IDs(tpl.Machines)
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				t.Errorf("%s: state machines %v, INDEX lists %v", rel, got, want)
			}
			templateErrors := 0
			for _, p := range tpl.Problems {
				if !p.Warning {
					templateErrors++
				}
			}
			if includeMissing != (templateErrors > 0) {
				t.Errorf("%s: template problems %v (include missing: %v)", rel, tpl.Problems, includeMissing)
			}
			for _, m := range tpl.Machines {
				machines++
				for _, p := range m.Problems {
					if p.Warning {
						notLocal++
					}
					key := fmt.Sprintf("%s %s %s", filepath.Base(rel), m.LogicalID, p.Err.Rule)
					if inTree {
						key = fmt.Sprintf("%s %s %s", rel, m.LogicalID, p.Err.Rule)
					}
					if p.Warning {
						continue
					}
					// a DefinitionUri outside its tree has no file next to it
					if !inTree && m.Form == "DefinitionUri" && p.Err.Rule == template.RuleDefinition && e.Tree != "" {
						continue
					}
					if exceptions[key] == "" {
						errs++
						t.Errorf("%s: %s: %s [%s] (%s)", rel, m.LogicalID, p.Error(), p.Err.Rule, key)
					}
					used[key] = true
				}
				if m.Doc == nil {
					continue
				}
				withDoc++
				// graph it: DOT and Mermaid, with a node per state
				am := asl.Build(m.Doc)
				if am == nil {
					t.Errorf("%s: %s: no model", rel, m.LogicalID)
					continue
				}
				g := render.Build(am, render.Options{Direction: "TB", Name: m.LogicalID})
				var dot, mmd bytes.Buffer
				if err := render.WriteDOT(&dot, g); err != nil || !strings.Contains(dot.String(), "digraph") {
					t.Errorf("%s: %s: DOT: %v", rel, m.LogicalID, err)
				}
				if err := render.WriteMermaid(&mmd, g); err != nil || mmd.Len() == 0 {
					t.Errorf("%s: %s: Mermaid: %v", rel, m.LogicalID, err)
				}
				graphed++
				typ := m.Type
				if typ == "" {
					typ = "STANDARD"
				}
				for _, d := range validate.Check(m.Doc, &validate.Options{Type: typ}) {
					if d.Severity != validate.Error {
						continue
					}
					key := fmt.Sprintf("%s %s %s", filepath.Base(rel), m.LogicalID, d.Rule)
					if inTree {
						key = fmt.Sprintf("%s %s %s", rel, m.LogicalID, d.Rule)
					}
					used[key] = true
					if exceptions[key] == "" {
						errs++
						t.Errorf("%s:%d:%d: %s [%s] (%s)", d.File, d.Pos.Line, d.Pos.Col, d.Message, d.Rule, key)
					}
				}
			}
		}
	}
	for k := range exceptions {
		if !used[k] {
			t.Errorf("corpus-exceptions.txt: %q no longer happens", k)
		}
	}
	t.Logf("%d template files (%d INDEX entries), %d state machines, %d with a definition read and graphed (%d), %d not local (S3), %d unexpected errors", templates, len(index), machines, withDoc, graphed, notLocal, errs)
}

// includedIDs are the machine names of an included Serverless stepFunctions file.
func includedIDs(t *testing.T, path string) []string {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v", err)
		return nil
	}
	root, err := load.ParseYAML(src)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return nil
	}
	var out []string
	for _, f := range root.Get("stateMachines").Fields {
		out = append(out, f.Key)
	}
	return out
}
