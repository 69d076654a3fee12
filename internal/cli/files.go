package cli

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
	"github.com/sfn-tool/sfn/validate"
)

// target is one input to check.
type target struct {
	name   string // path to read, and the name reported
	stdin  bool   // read from standard input (src already holds it)
	src    []byte
	walked bool   // found by walking a directory: skipped unless it is a definition
	root   string // the directory walked: a walked file is read only inside it, regular and capped
}

// pathError is a path that could not be read or found; it is reported on stderr and gives exit 3.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string {
	var pe *fs.PathError
	if errors.As(e.err, &pe) {
		return e.path + ": " + pe.Err.Error()
	}
	return e.path + ": " + e.err.Error()
}

// skipDir reports whether a directory walk skips the directory named name.
func skipDir(name string) bool {
	switch name {
	case ".git", "node_modules", "vendor":
		return true
	}
	return strings.HasPrefix(name, ".") && name != "." && name != ".."
}

// isDefinitionExt reports whether a walked file is considered at all (.json, .yaml, .yml).
func isDefinitionExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// isASLName reports whether the name says it is a definition (*.asl.json, *.asl.yaml, *.asl.yml);
// such files are checked in a walk even when they do not parse or lack States/StartAt.
func isASLName(name string) bool {
	n := strings.ToLower(filepath.Base(name))
	return strings.HasSuffix(n, ".asl.json") || strings.HasSuffix(n, ".asl.yaml") || strings.HasSuffix(n, ".asl.yml")
}

// discover expands the arguments into targets, in argument order and then walk order (sorted).
// Arguments that cannot be found are returned as path errors; the rest are still expanded.
func discover(args []string, stdin io.Reader, stdinName string, cfg *validate.Config) ([]target, []error) {
	var out []target
	var errs []error
	for _, arg := range args {
		if arg == "-" {
			src, err := load.ReadAll(stdin, load.MaxFileSize)
			if err != nil {
				errs = append(errs, &pathError{"<stdin>", err})
				continue
			}
			out = append(out, target{name: stdinName, stdin: true, src: src})
			continue
		}
		paths := []string{arg}
		if _, err := os.Lstat(arg); err != nil && hasMeta(arg) {
			paths = expandGlob(arg)
			if len(paths) == 0 {
				errs = append(errs, &pathError{arg, errors.New("no files match the pattern")})
				continue
			}
		}
		for _, p := range paths {
			ts, es := expandPath(p, cfg)
			out = append(out, ts...)
			errs = append(errs, es...)
		}
	}
	return out, errs
}

// expandPath turns one existing path into targets: a file itself, or a directory's walk.
func expandPath(p string, cfg *validate.Config) ([]target, []error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, []error{&pathError{p, err}}
	}
	if cfg.Ignored(p) {
		return nil, nil
	}
	if !st.IsDir() {
		return []target{{name: p}}, nil
	}
	var out []target
	var errs []error
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &pathError{path, err})
			if d != nil && d.IsDir() && path != p {
				return filepath.SkipDir
			}
			return nil
		}
		if path != p && cfg.Ignored(path) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != p && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		// symbolic links are not followed (d.Type() is the link's own type): only regular files
		if d.Type().IsRegular() && isDefinitionExt(path) {
			out = append(out, target{name: path, walked: true, root: p})
		}
		return nil
	})
	if err != nil {
		errs = append(errs, &pathError{p, err})
	}
	return skipTemplateFiles(out), errs
}

// skipTemplateFiles drops walked files that a walked template reads (DefinitionUri, Serverless
// ${file()}): they are checked through the template, with its substitutions, not a second time alone.
func skipTemplateFiles(ts []target) []target {
	covered := map[string]bool{}
	for _, t := range ts {
		if !t.walked || isASLName(t.name) {
			continue
		}
		src, err := t.read()
		if err != nil || !(bytes.Contains(src, []byte("DefinitionUri")) || bytes.Contains(src, []byte("${file("))) || !template.MayBeTemplate(src) {
			continue
		}
		if tpl, err := template.Load(t.name, src, "", nil); err == nil && tpl.Kind != template.None {
			for _, f := range tpl.Files() {
				covered[f] = true
			}
		}
	}
	if len(covered) == 0 {
		return ts
	}
	out := ts[:0]
	for _, t := range ts {
		if !t.walked || !covered[filepath.Clean(t.name)] {
			out = append(out, t)
		}
	}
	return out
}

// read reads a target's file with the size cap (load.MaxFileSize); a walked file only inside the
// walked directory and only when it is a regular file.
func (t target) read() ([]byte, error) {
	if t.walked {
		return load.ReadFileIn(t.root, t.name, load.MaxFileSize)
	}
	return load.ReadFile(t.name, load.MaxFileSize)
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// expandGlob expands a glob pattern. "**" matches any number of directories.
func expandGlob(pattern string) []string {
	if !strings.Contains(pattern, "**") {
		m, _ := filepath.Glob(pattern)
		return m
	}
	// Walk the longest directory prefix without metacharacters and match the rest.
	slash := filepath.ToSlash(pattern)
	segs := strings.Split(slash, "/")
	i := 0
	for i < len(segs)-1 && !hasMeta(segs[i]) {
		i++
	}
	root := strings.Join(segs[:i], "/")
	if root == "" {
		root = "."
		if strings.HasPrefix(slash, "/") {
			root = "/"
		}
	}
	rest := strings.Join(segs[i:], "/")
	var out []string
	_ = filepath.WalkDir(filepath.FromSlash(root), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && p != filepath.FromSlash(root) && skipDir(d.Name()) {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(filepath.FromSlash(root), p)
		if err != nil || rel == "." {
			return nil
		}
		if globMatch(rest, filepath.ToSlash(rel)) {
			out = append(out, p)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// globMatch matches a whole slash-separated path against a pattern with "**".
func globMatch(pattern, name string) bool {
	return matchAll(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchAll(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if matchAll(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if ok, _ := filepath.Match(pat[0], segs[0]); !ok {
		return false
	}
	return matchAll(pat[1:], segs[1:])
}

// outcome is the result of checking one target.
type outcome struct {
	result  validate.FileResult
	more    []validate.FileResult // a template's other files (DefinitionUri, ${file()})
	skipped bool                  // a walked file that is not a definition
	err     error                 // the file could not be read
}

// results are the outcome's file results: the target's, then those of the files a template reads.
func (o outcome) results() []validate.FileResult {
	return append([]validate.FileResult{o.result}, o.more...)
}

// checkEnv is what checking needs besides the target.
type checkEnv struct {
	opts    *validate.Options
	subs    map[string]string // --sub Key=Value
	typeSet bool              // --type was given: it wins over the template's machine type
}

// checkAll checks the targets with a bounded pool of workers and calls emit for each outcome in
// target order, as soon as it and every earlier one are done.
func checkAll(targets []target, env *checkEnv, jobs int, emit func(outcome) error) error {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, max(len(targets), 1))
	results := make([]outcome, len(targets))
	done := make([]chan struct{}, len(targets))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = checkOne(targets[i], env)
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range targets {
			next <- i
		}
		close(next)
	}()
	var firstErr error
	for i := range targets {
		<-done[i]
		if firstErr == nil {
			firstErr = emit(results[i])
		}
		results[i] = outcome{} // let the source be collected
	}
	wg.Wait()
	return firstErr
}

// checkOne reads, parses and validates one target: a definition, or every state machine of a
// template (CloudFormation, SAM, CDK output, Serverless).
func checkOne(t target, env *checkEnv) outcome {
	opts := env.opts
	src := t.src
	if !t.stdin {
		var err error
		if src, err = t.read(); err != nil {
			if t.walked && !isASLName(t.name) {
				return outcome{skipped: true} // too large to be a definition, or no longer a regular file
			}
			return outcome{err: &pathError{t.name, err}}
		}
	}
	if t.walked && !isASLName(t.name) && !(bytes.Contains(src, []byte("States")) && bytes.Contains(src, []byte("StartAt"))) && !template.MayBeTemplate(src) {
		return outcome{skipped: true}
	}
	format := load.FormatFor(t.name, src)
	if t.stdin && t.name == stdinDefaultName {
		format = load.Sniff(src)
	}
	res := validate.FileResult{File: t.name, Source: src}
	tpl, err := template.Load(t.name, src, format, &template.Options{Subs: env.subs})
	switch {
	case err != nil && t.walked && !isASLName(t.name):
		return outcome{skipped: true}
	case err != nil:
		res.Diagnostics = []validate.Diagnostic{validate.LoadError(t.name, err, opts)}
	case tpl.Kind != template.None:
		return checkTemplate(tpl, env)
	case t.walked && !isASLName(t.name) && !load.IsDefinition(tpl.Root):
		return outcome{skipped: true}
	default:
		res.Diagnostics = validate.Check(tpl.Machines[0].Doc, opts)
	}
	return outcome{result: res}
}

// checkTemplate validates every state machine of a template. Diagnostics are reported in the file
// the user edits (the template, or the file DefinitionUri names) and their message ends with the
// machine's logical id: "... (in MyStateMachine)".
func checkTemplate(tpl *template.Template, env *checkEnv) outcome {
	main := &validate.FileResult{File: tpl.Name, Source: tpl.Source, Diagnostics: []validate.Diagnostic{}}
	byFile := map[string]*validate.FileResult{tpl.Name: main}
	var order []string
	result := func(file string, src []byte) *validate.FileResult {
		r := byFile[file]
		if r == nil {
			r = &validate.FileResult{File: file, Source: src, Diagnostics: []validate.Diagnostic{}}
			byFile[file] = r
			order = append(order, file)
		}
		return r
	}
	add := func(p *template.Problem) {
		d := validate.LoadError(p.File, p.Err, env.opts)
		if p.Warning && d.Severity > validate.Warning {
			d.Severity = validate.Warning
		}
		if r := validate.Lookup(d.Rule); r != nil {
			if s, ok := env.opts.Severity[d.Rule]; ok && s == validate.Off {
				return
			}
		}
		d.Message += machineSuffix(p.LogicalID)
		r := result(p.File, p.Source)
		r.Diagnostics = append(r.Diagnostics, d)
	}
	for _, p := range tpl.Problems {
		add(p)
	}
	for _, m := range tpl.Machines {
		for _, p := range m.Problems {
			add(p)
		}
		if m.Doc == nil {
			continue
		}
		opts := env.opts
		if m.Type != "" && !env.typeSet && !strings.EqualFold(m.Type, opts.Type) {
			o := *opts
			o.Type = m.Type
			opts = &o
		}
		r := result(m.Doc.Name, m.Doc.Source)
		for _, d := range validate.Check(m.Doc, opts) {
			d.Message += machineSuffix(m.LogicalID)
			r.Diagnostics = append(r.Diagnostics, d)
		}
	}
	validate.Sort(main.Diagnostics)
	out := outcome{result: *main}
	for _, f := range order {
		validate.Sort(byFile[f].Diagnostics)
		out.more = append(out.more, *byFile[f])
	}
	return out
}

// machineSuffix names the state machine of a template diagnostic.
func machineSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " (in " + id + ")"
}

// stdinDefaultName is the name reported for standard input without --stdin-filename.
const stdinDefaultName = "<stdin>"
