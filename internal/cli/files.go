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
	"github.com/sfn-tool/sfn/validate"
)

// target is one input to check.
type target struct {
	name   string // path to read, and the name reported
	stdin  bool   // read from standard input (src already holds it)
	src    []byte
	walked bool // found by walking a directory: skipped unless it is a definition
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
			src, err := io.ReadAll(stdin)
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
		if d.Type().IsRegular() && isDefinitionExt(path) {
			out = append(out, target{name: path, walked: true})
		}
		return nil
	})
	if err != nil {
		errs = append(errs, &pathError{p, err})
	}
	return out, errs
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
	skipped bool  // a walked file that is not a definition
	err     error // the file could not be read
}

// checkAll checks the targets with a bounded pool of workers and calls emit for each outcome in
// target order, as soon as it and every earlier one are done.
func checkAll(targets []target, opts *validate.Options, jobs int, emit func(outcome) error) error {
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
				results[i] = checkOne(targets[i], opts)
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

// checkOne reads, parses and validates one target.
func checkOne(t target, opts *validate.Options) outcome {
	src := t.src
	if !t.stdin {
		var err error
		if src, err = os.ReadFile(t.name); err != nil {
			return outcome{err: &pathError{t.name, err}}
		}
	}
	if t.walked && !isASLName(t.name) && !(bytes.Contains(src, []byte("States")) && bytes.Contains(src, []byte("StartAt"))) {
		return outcome{skipped: true}
	}
	format := load.FormatFor(t.name, src)
	if t.stdin && t.name == stdinDefaultName {
		format = load.Sniff(src)
	}
	res := validate.FileResult{File: t.name, Source: src}
	doc, err := load.Parse(t.name, src, format)
	switch {
	case err != nil && t.walked && !isASLName(t.name):
		return outcome{skipped: true}
	case err != nil:
		res.Diagnostics = []validate.Diagnostic{validate.LoadError(t.name, err, opts)}
	case t.walked && !isASLName(t.name) && !load.IsDefinition(doc.Root):
		return outcome{skipped: true}
	default:
		res.Diagnostics = validate.Check(doc, opts)
	}
	return outcome{result: res}
}

// stdinDefaultName is the name reported for standard input without --stdin-filename.
const stdinDefaultName = "<stdin>"
