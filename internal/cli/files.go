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
	from   string // the command-line argument it came from
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
// searched lists the arguments that are directories or glob patterns: each must yield at least
// one definition (see nothingFound).
func discover(args []string, stdin io.Reader, stdinName string, cfg *validate.Config) (targets []target, errs []error, searched []string) {
	var out []target
	for _, arg := range args {
		if arg == "-" {
			src, err := load.ReadAll(stdin, load.MaxFileSize)
			if err != nil {
				errs = append(errs, &pathError{"<stdin>", err})
				continue
			}
			out = append(out, target{name: stdinName, stdin: true, src: src, from: arg})
			continue
		}
		paths := []string{arg}
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			searched = append(searched, arg)
		}
		if _, err := os.Lstat(arg); err != nil && hasMeta(arg) {
			var globErrs []error
			paths, globErrs = expandGlob(arg)
			errs = append(errs, globErrs...)
			if len(paths) == 0 {
				if len(globErrs) == 0 {
					errs = append(errs, &pathError{arg, errors.New("no files match the pattern")})
				}
				continue
			}
			searched = append(searched, arg)
		}
		for _, p := range paths {
			ts, es := expandPath(p, cfg)
			for i := range ts {
				ts[i].from = arg
			}
			out = append(out, ts...)
			errs = append(errs, es...)
		}
	}
	return out, errs, searched
}

// walkedDirs lists the directories a walk of the searched arguments enters (for --watch: a new
// definition in any of them is checked).
func walkedDirs(searched []string, cfg *validate.Config) []string {
	var out []string
	for _, arg := range searched {
		roots := []string{arg}
		if _, err := os.Lstat(arg); err != nil && hasMeta(arg) {
			roots, _ = expandGlob(arg)
		}
		for _, root := range roots {
			_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				switch {
				case err != nil || !d.IsDir():
					return nil
				case p != root && (skipDir(d.Name()) || cfg.Ignored(p)):
					return filepath.SkipDir
				}
				out = append(out, p)
				return nil
			})
		}
	}
	return out
}

// errNothingFound is the error of a directory or glob argument that holds no definition: a wrong
// path in CI must not pass as "no problems".
var errNothingFound = errors.New("no state machine definition or template found here (a directory walk checks .json, .yaml and .yml files with States and StartAt, *.asl.json/.yaml/.yml files and templates)")

// nothingFound returns a path error for each searched argument none of whose targets was checked.
func nothingFound(searched []string, checked map[string]bool) []error {
	var errs []error
	for _, arg := range searched {
		if !checked[arg] {
			errs = append(errs, &pathError{arg, errNothingFound})
		}
	}
	return errs
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

// readDir lists a directory during glob expansion (a variable so tests can make one fail).
var readDir = os.ReadDir

// expandGlob expands a glob pattern segment by segment. "**" matches any number of directories
// (hidden ones, node_modules and vendor excepted; symbolic links not followed); a trailing "**"
// matches every entry of those directories. A matched directory is walked later, so nothing below
// it is returned. A directory that cannot be listed is returned as a path error, not skipped.
func expandGlob(pattern string) ([]string, []error) {
	slash := filepath.ToSlash(pattern)
	segs := strings.Split(slash, "/")
	i := 0
	for i < len(segs)-1 && !hasMeta(segs[i]) {
		i++
	}
	root := strings.Join(segs[:i], "/")
	switch {
	case root == "" && strings.HasPrefix(slash, "/"):
		root = "/"
	case root == "":
		root = "."
	}
	g := &globber{seen: map[string]bool{}}
	g.expand(filepath.FromSlash(root), segs[i:])
	return g.outermost(), g.errs
}

// globber collects the matches and errors of one expandGlob.
type globber struct {
	out  []string
	errs []error
	seen map[string]bool
}

func (g *globber) add(p string) {
	if !g.seen[p] {
		g.seen[p] = true
		g.out = append(g.out, p)
	}
}

// expand matches the remaining segments below dir.
func (g *globber) expand(dir string, segs []string) {
	if len(segs) == 0 {
		g.add(dir)
		return
	}
	seg, rest := segs[0], segs[1:]
	if seg == "" { // a trailing or doubled slash
		g.expand(dir, rest)
		return
	}
	if !hasMeta(seg) {
		if p := filepath.Join(dir, seg); exists(p) {
			g.expand(p, rest)
		}
		return
	}
	entries, err := readDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return // the pattern's fixed prefix names no directory: nothing matches
	}
	if err != nil {
		g.errs = append(g.errs, &pathError{dir, err})
		return
	}
	if seg == "**" {
		if len(rest) == 0 {
			for _, e := range entries {
				if !e.IsDir() || !skipDir(e.Name()) {
					g.add(filepath.Join(dir, e.Name()))
				}
			}
			return
		}
		g.expand(dir, rest) // zero directories
		for _, e := range entries {
			if e.IsDir() && !skipDir(e.Name()) { // IsDir is false for a symbolic link
				g.expand(filepath.Join(dir, e.Name()), segs)
			}
		}
		return
	}
	for _, e := range entries {
		if ok, _ := filepath.Match(seg, e.Name()); !ok {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if len(rest) > 0 && !isDirFollow(e, p) {
			continue
		}
		g.expand(p, rest)
	}
}

// outermost returns the matches sorted, without those inside another matched directory (which
// is walked whole).
func (g *globber) outermost() []string {
	sort.Strings(g.out)
	out := g.out[:0]
	for _, p := range g.out {
		inside := false
		for c, d := p, filepath.Dir(p); d != c && !inside; c, d = d, filepath.Dir(d) {
			inside = g.seen[d]
		}
		if !inside {
			out = append(out, p)
		}
	}
	return out
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// isDirFollow reports whether a directory entry is a directory, following a symbolic link (as
// filepath.Glob does for the segments of a pattern without "**").
func isDirFollow(e fs.DirEntry, p string) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
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
		sups, bad := validate.MetadataSuppressions(tpl.Name, machineResource(tpl, m), opts)
		for _, d := range append(validate.ApplySuppressions(validate.Check(m.Doc, opts), sups, opts), bad...) {
			d.Message += machineSuffix(m.LogicalID)
			if d.File == tpl.Name && m.Doc.Name != tpl.Name { // a Metadata directive, for a DefinitionUri file
				main.Diagnostics = append(main.Diagnostics, d)
				continue
			}
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

// machineResource returns the template resource of a CloudFormation, SAM or CDK state machine
// (nil for Serverless, whose machines have no Metadata).
func machineResource(tpl *template.Template, m *template.Machine) *load.Node {
	if m.LogicalID == "" || m.ResourceType == "serverless" {
		return nil
	}
	return tpl.Root.Get("Resources").Get(m.LogicalID)
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
