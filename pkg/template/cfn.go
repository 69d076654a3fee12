package template

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sfn-tool/sfn/pkg/load"
)

type extractor struct {
	doc  *load.Document
	opts *Options
	ix   *srcIndex
	dir  string // directory of the template: relative paths start there
	root string // the project root: referenced files must lie inside it
}

// problem records an extractor finding at pos in the template.
func (x *extractor) problem(m *Machine, pos load.Pos, rule string, format string, args ...any) {
	m.Problems = append(m.Problems, x.newProblem(m.LogicalID, pos, rule, format, args...))
}

func (x *extractor) newProblem(id string, pos load.Pos, rule string, format string, args ...any) *Problem {
	return &Problem{
		File: x.doc.Name, Source: x.doc.Source, Warning: rule == RuleNotLocal, LogicalID: id,
		Err: &load.Error{Pos: pos, Rule: rule, Message: fmt.Sprintf(format, args...)},
	}
}

// intrinsic recognises a CloudFormation intrinsic function: {"Ref": x}, {"Fn::Sub": x}, or a YAML
// short tag (!Ref x, !Sub x, !GetAtt a.b, ...). It returns the long name ("Ref", "Fn::Sub") and
// the argument (for a tag, the node itself without its tag).
func intrinsic(n *load.Node) (string, *load.Node) {
	if n == nil {
		return "", nil
	}
	if n.Tag != "" {
		arg := *n
		arg.Tag = ""
		name := strings.TrimPrefix(n.Tag, "!")
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		return name, &arg
	}
	if n.Kind == load.Object && len(n.Fields) == 1 {
		k := n.Fields[0].Key
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, n.Fields[0].Value
		}
	}
	return "", nil
}

// placeholderName is the ${...} text standing for an intrinsic's value: ${Name} for Ref,
// ${Res.Attr} for Fn::GetAtt, ${Fn::If} and the like for the rest.
func placeholderName(fn string, arg *load.Node) string {
	switch fn {
	case "Ref":
		if arg.IsString() {
			return arg.Text
		}
	case "Fn::GetAtt":
		if arg.IsString() {
			return arg.Text
		}
		if arg != nil && arg.Kind == load.Array && len(arg.Items) == 2 && arg.Items[0].IsString() && arg.Items[1].IsString() {
			return arg.Items[0].Text + "." + arg.Items[1].Text
		}
	case "Fn::ImportValue":
		return "ImportValue"
	}
	return fn
}

func (x *extractor) cloudFormation(res *load.Node) []*Machine {
	var out []*Machine
	if res == nil || res.Kind != load.Object {
		return nil
	}
	for _, f := range res.Fields {
		t := f.Value.Get("Type")
		if !t.IsString() || (t.Text != TypeStepFunctions && t.Text != TypeServerless) {
			continue
		}
		m := &Machine{LogicalID: f.Key, ResourceType: t.Text, Pos: f.KeyPos}
		out = append(out, m)
		x.cfnMachine(m, f.Value)
	}
	return out
}

func (x *extractor) cfnMachine(m *Machine, res *load.Node) {
	props := res.Get("Properties")
	if props == nil || props.Kind != load.Object {
		x.problem(m, m.Pos, RuleDefinition, "the state machine has no Properties, so no definition")
		return
	}
	typeField := "StateMachineType"
	if m.ResourceType == TypeServerless {
		typeField = "Type"
	}
	if tn := props.Get(typeField); tn.IsString() && tn.Tag == "" {
		if u := strings.ToUpper(tn.Text); u == "STANDARD" || u == "EXPRESS" {
			m.Type = u
		}
	}
	subs := x.substitutions(m, props.Get("DefinitionSubstitutions"))
	for _, key := range []string{"Definition", "DefinitionString", "DefinitionUri", "DefinitionS3Location"} {
		f := props.Field(key)
		if f == nil {
			continue
		}
		m.Form = key
		switch key {
		case "Definition":
			x.inline(m, f.Value, subs)
		case "DefinitionString":
			x.definitionString(m, f.Value, subs)
		case "DefinitionUri":
			x.definitionURI(m, f, subs)
		case "DefinitionS3Location":
			x.problem(m, f.KeyPos, RuleNotLocal, "the definition is in S3 (DefinitionS3Location), not in a local file: it is not checked")
		}
		return
	}
	x.problem(m, m.Pos, RuleDefinition, "the state machine has no Definition, DefinitionString, DefinitionUri or DefinitionS3Location")
}

// subst is one substitution value.
type subst struct {
	text    string
	kind    load.Kind // String, Number, Bool (literal), or Null for an opaque intrinsic
	literal bool
}

type substs map[string]subst

// substitutions reads DefinitionSubstitutions and applies --sub on top.
func (x *extractor) substitutions(m *Machine, n *load.Node) substs {
	out := substs{}
	if n != nil && n.Kind == load.Object && n.Tag == "" {
		for _, f := range n.Fields {
			v := f.Value
			switch {
			case v.Tag != "" || v.Kind == load.Object || v.Kind == load.Array:
				out[f.Key] = subst{}
			case v.Kind == load.String || v.Kind == load.Number:
				out[f.Key] = subst{text: v.Text, kind: v.Kind, literal: true}
			case v.Kind == load.Bool:
				out[f.Key] = subst{text: fmt.Sprint(v.Bool), kind: load.Bool, literal: true}
			default:
				out[f.Key] = subst{}
			}
		}
	}
	for k, v := range x.opts.Subs {
		out[k] = subst{text: v, kind: load.String, literal: true}
	}
	return out
}

func (s substs) lookup(name string) (string, bool, bool) {
	v, ok := s[name]
	return v.text, v.literal, ok
}

// inline uses a Definition object as it is, substituting literal values.
func (x *extractor) inline(m *Machine, n *load.Node, subs substs) {
	if n == nil || n.Kind != load.Object || n.Tag != "" {
		if fn, arg := intrinsic(n); fn != "" {
			x.problem(m, n.Pos, RuleNotLocal, "the Definition is computed at deploy time (%s): it is not checked", fn)
			_ = arg
			return
		}
		x.problem(m, n.Pos, RuleDefinition, "the Definition must be an object, not %s", n.Describe())
		return
	}
	m.Doc = &load.Document{Name: x.doc.Name, Source: x.doc.Source, Format: x.doc.Format, Root: substitute(n, subs)}
}

// definitionString builds the definition from a literal string, Fn::Sub or Fn::Join.
func (x *extractor) definitionString(m *Machine, n *load.Node, subs substs) {
	tb := &textBuilder{}
	if !x.stringPart(m, tb, n, subs, 0) {
		return
	}
	root, _, err := tb.parseBuilt()
	if err != nil {
		var le *load.Error
		if !errors.As(err, &le) {
			le = &load.Error{Pos: n.Pos, Rule: "json-syntax", Message: err.Error()}
		}
		m.Problems = append(m.Problems, &Problem{File: x.doc.Name, Source: x.doc.Source, LogicalID: m.LogicalID, Err: le})
		return
	}
	m.Doc = &load.Document{Name: x.doc.Name, Source: x.doc.Source, Format: x.doc.Format, Root: root}
}

// stringPart appends the text of one part of a DefinitionString. It reports false (after
// recording a problem) when the part cannot be turned into text.
func (x *extractor) stringPart(m *Machine, tb *textBuilder, n *load.Node, subs substs, depth int) bool {
	if n == nil {
		x.problem(m, m.Pos, RuleDefinition, "DefinitionString is empty")
		return false
	}
	if depth > 20 {
		x.problem(m, n.Pos, RuleDefinition, "DefinitionString nests intrinsic functions too deeply")
		return false
	}
	if n.Tag == "" && n.Kind == load.String {
		tb.addSubText(n.Text, alignString(x.ix, n), subs.lookup, false)
		if depth == 0 {
			m.Form = "DefinitionString"
		}
		return true
	}
	if n.Tag == "" && (n.Kind == load.Number || n.Kind == load.Bool) {
		text := n.Text
		if n.Kind == load.Bool {
			text = fmt.Sprint(n.Bool)
		}
		tb.addValue(text, n.Pos)
		return true
	}
	fn, arg := intrinsic(n)
	switch fn {
	case "Fn::Sub":
		if depth == 0 {
			m.Form = "Fn::Sub"
		}
		return x.sub(m, tb, n, arg, subs)
	case "Fn::Join":
		if depth == 0 {
			m.Form = "Fn::Join"
		}
		if arg == nil || arg.Kind != load.Array || len(arg.Items) != 2 || !arg.Items[0].IsString() || arg.Items[0].Tag != "" {
			x.problem(m, n.Pos, RuleDefinition, "Fn::Join takes [delimiter, [values...]]")
			return false
		}
		delim := arg.Items[0]
		list := arg.Items[1]
		if fn2, _ := intrinsic(list); fn2 != "" || list.Kind != load.Array {
			if depth == 0 {
				x.problem(m, n.Pos, RuleNotLocal, "the definition is computed at deploy time (Fn::Join over %s): it is not checked", list.Describe())
				return false
			}
			tb.addPlaceholder("Fn::Join", n.Pos)
			return true
		}
		dpos := alignString(x.ix, delim)
		for i, it := range list.Items {
			if i > 0 && delim.Text != "" {
				tb.addSubText(delim.Text, dpos, nil, false)
			}
			if !x.stringPart(m, tb, it, subs, depth+1) {
				return false
			}
		}
		return true
	case "":
		x.problem(m, n.Pos, RuleDefinition, "DefinitionString must be a string, Fn::Sub or Fn::Join, not %s", n.Describe())
		return false
	}
	if depth == 0 {
		x.problem(m, n.Pos, RuleNotLocal, "the definition is computed at deploy time (%s): it is not checked", fn)
		return false
	}
	tb.addPlaceholder(placeholderName(fn, arg), n.Pos)
	return true
}

// sub appends the text of Fn::Sub: "text" or ["text", {vars}].
func (x *extractor) sub(m *Machine, tb *textBuilder, n, arg *load.Node, subs substs) bool {
	str := arg
	vars := map[string]subst{}
	if arg != nil && arg.Kind == load.Array && arg.Tag == "" {
		if len(arg.Items) != 2 {
			x.problem(m, n.Pos, RuleDefinition, "Fn::Sub takes a string or [string, {variables}]")
			return false
		}
		str = arg.Items[0]
		if vm := arg.Items[1]; vm.Kind == load.Object && vm.Tag == "" {
			for _, f := range vm.Fields {
				v := f.Value
				if v.Tag == "" && (v.Kind == load.String || v.Kind == load.Number) {
					vars[f.Key] = subst{text: v.Text, kind: v.Kind, literal: true}
				} else {
					vars[f.Key] = subst{}
				}
			}
		}
	}
	if str == nil || str.Kind != load.String || str.Tag != "" {
		x.problem(m, n.Pos, RuleDefinition, "Fn::Sub takes a string or [string, {variables}], not %s", str.Describe())
		return false
	}
	look := func(name string) (string, bool, bool) {
		if v, ok := vars[name]; ok {
			return v.text, v.literal, true
		}
		if v, ok := subs[name]; ok {
			return v.text, v.literal, true
		}
		// pseudo parameters, resources and their attributes: resolved at deploy time
		return "", false, true
	}
	tb.addSubText(str.Text, alignString(x.ix, str), look, true)
	return true
}

// definitionURI loads the local file a SAM DefinitionUri names.
func (x *extractor) definitionURI(m *Machine, f *load.Field, subs substs) {
	n := f.Value
	if n == nil || n.Kind != load.String || n.Tag != "" {
		if n != nil && n.Kind == load.Object && (n.Has("Bucket") || n.Has("Key")) {
			x.problem(m, f.KeyPos, RuleNotLocal, "the definition is in S3 (DefinitionUri with Bucket and Key), not in a local file: it is not checked")
			return
		}
		x.problem(m, n.Pos, RuleNotLocal, "DefinitionUri is computed at deploy time: it is not checked")
		return
	}
	if strings.HasPrefix(n.Text, "s3://") {
		x.problem(m, n.Pos, RuleNotLocal, "the definition is in S3 (%s), not in a local file: it is not checked", n.Text)
		return
	}
	if doc := x.loadFile(m, n, n.Text, "DefinitionUri", subs); doc != nil && !looksLikeDefinition(doc.Root) {
		m.Doc = nil
		x.problem(m, n.Pos, RuleDefinition, "DefinitionUri %s: %s", n.Text, notADefinition)
	}
}

// notADefinition is the problem of a referenced file that is not a state machine definition. Its
// content is not shown: a template must not be able to print any file of the repository.
const notADefinition = "the file is not a state machine definition (no States or StartAt); its content is not shown"

// looksLikeDefinition reports whether a referenced file's root is an object with States or
// StartAt, that is a definition (perhaps a faulty one) whose diagnostics may quote it.
func looksLikeDefinition(root *load.Node) bool {
	return root != nil && root.Kind == load.Object && (root.Has("States") || root.Has("StartAt"))
}

// loadFile reads a definition file named (relative to the template) at node n into m.Doc.
func (x *extractor) loadFile(m *Machine, n *load.Node, rel, what string, subs substs) *load.Document {
	doc, p := x.readDoc(m.LogicalID, n, rel, what, load.MaxDefinitionSize)
	if p != nil {
		m.Problems = append(m.Problems, p)
		return nil
	}
	doc.Root = substitute(doc.Root, subs)
	m.Doc = doc
	return doc
}

// readDoc reads and parses a file named (relative to the template) at node n: inside the project
// root, a regular file, at most max bytes (see load.ReadFileIn). A file that does not parse is
// quoted in the problem only when it looks like what sfn expected (a definition or Serverless
// stateMachines); anything else is reported at n without its content.
func (x *extractor) readDoc(id string, n *load.Node, rel, what string, max int64) (*load.Document, *Problem) {
	if x.opts.NoFiles {
		return nil, x.newProblem(id, n.Pos, RuleDefinition, "%s %s: reading other files is disabled", what, rel)
	}
	path, err := load.RefPath(x.dir, rel)
	if err != nil {
		return nil, x.newProblem(id, n.Pos, RuleDefinition, "%s %s: %v", what, rel, err)
	}
	src, err := x.read(path, max)
	msg := ""
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if msg = x.checkPath(path, rel); msg == "" {
			msg = "no such file"
		}
	case errors.Is(err, load.ErrOutsideRoot):
		msg = fmt.Sprintf("%v %s (sfn reads only files inside the repository, or the template's directory outside one)", load.ErrOutsideRoot, x.root)
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		msg = err.Error()
	default:
		msg = x.checkPath(path, rel)
	}
	if msg != "" {
		return nil, x.newProblem(id, n.Pos, RuleDefinition, "%s %s: %s", what, rel, msg)
	}
	doc, err := load.Parse(path, src, load.FormatFor(path, src))
	if err != nil {
		var le *load.Error
		if !errors.As(err, &le) {
			le = &load.Error{Pos: load.Pos{Line: 1, Col: 1}, Rule: "json-syntax", Message: err.Error()}
		}
		if !mentionsMachine(src) {
			return nil, x.newProblem(id, n.Pos, RuleDefinition, "%s %s: the file does not parse (%s at %s) and is not a state machine definition; its content is not shown", what, rel, le.Rule, le.Pos)
		}
		return nil, &Problem{File: path, Source: src, LogicalID: id, Err: le}
	}
	return doc, nil
}

// read reads a referenced file: with Options.ReadFile when set, else confined to the project root.
func (x *extractor) read(path string, max int64) ([]byte, error) {
	if x.opts.ReadFile != nil {
		return x.opts.ReadFile(path)
	}
	return load.ReadFileIn(x.root, path, max)
}

// mentionsMachine reports whether raw text names what a definition or a Serverless file holds.
func mentionsMachine(src []byte) bool {
	for _, w := range []string{"States", "StartAt", "stateMachines", "definition"} {
		if bytes.Contains(src, []byte(w)) {
			return true
		}
	}
	return false
}

// checkPath verifies that path exists with exactly this letter case (a template deployed from
// Linux needs it, even when this file system ignores case). It returns "" or what is wrong.
func (x *extractor) checkPath(path, rel string) string {
	if x.opts.ReadFile != nil && x.opts.ReadDir == nil {
		return "" // custom reader: it decides
	}
	readDir := x.opts.ReadDir
	if readDir == nil {
		readDir = os.ReadDir
	}
	// only the components the template wrote are checked
	want := 0
	for _, p := range strings.Split(filepath.ToSlash(filepath.Clean(rel)), "/") {
		if p != "" && p != "." && p != ".." {
			want++
		}
	}
	var parts []string
	dir := filepath.Clean(path)
	for len(parts) < want {
		parent, base := filepath.Dir(dir), filepath.Base(dir)
		if parent == dir || base == "." || base == ".." || base == string(filepath.Separator) {
			break
		}
		parts = append([]string{base}, parts...)
		dir = parent
	}
	cur := dir
	fixed := dir
	mismatch := false
	for i, p := range parts {
		entries, err := readDir(cur)
		if err != nil {
			return "no such file"
		}
		exact, folded := "", ""
		for _, e := range entries {
			if e.Name() == p {
				exact = p
				break
			}
			if folded == "" && strings.EqualFold(e.Name(), p) {
				folded = e.Name()
			}
		}
		switch {
		case exact != "":
			cur, fixed = filepath.Join(cur, exact), filepath.Join(fixed, exact)
		case folded != "":
			mismatch = true
			cur, fixed = filepath.Join(cur, folded), filepath.Join(fixed, folded)
		default:
			if mismatch {
				return "no such file"
			}
			if i == len(parts)-1 {
				return "no such file"
			}
			return "no such file (there is no directory " + strings.Join(parts[:i+1], "/") + ")"
		}
	}
	if mismatch {
		r, err := filepath.Rel(x.dir, fixed)
		if err != nil {
			r = fixed
		}
		return fmt.Sprintf("no such file; %s differs only in letter case (paths are case-sensitive when deployed)", filepath.ToSlash(r))
	}
	return ""
}
