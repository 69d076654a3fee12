package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestExpandGlob pins the matches of globs with and without "**" on a generated tree.
func TestExpandGlob(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a/x.json", "a/b/y.json", "a/b/c/z.json", "a/.hidden/h.json", "a/node_modules/n.json", "top.json"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"*.json", []string{"top.json"}},
		{"a/*.json", []string{"a/x.json"}},
		{"a/**/*.json", []string{"a/b/c/z.json", "a/b/y.json", "a/x.json"}},
		{"**/z.json", []string{"a/b/c/z.json"}},
		{"a/**", []string{"a/b", "a/x.json"}},
		{"a/**/b", []string{"a/b"}},
		{"*/b/*", []string{"a/b/c", "a/b/y.json"}},
		{"nope/**/*.json", nil},
	} {
		got, errs := expandGlob(tc.pattern)
		for i := range got {
			got[i] = filepath.ToSlash(got[i])
		}
		if len(errs) > 0 || (len(got) > 0 || len(tc.want) > 0) && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, %v; want %q", tc.pattern, got, errs, tc.want)
		}
	}
}

// TestExpandGlobUnreadableDirectory: a directory that cannot be listed is reported with its path,
// not skipped (the test runs as any user: listing fails by injection, not by permissions).
func TestExpandGlobUnreadableDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"ok", "locked"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ok", "m.asl.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	saved := readDir
	t.Cleanup(func() { readDir = saved })
	readDir = func(name string) ([]os.DirEntry, error) {
		if filepath.Base(name) == "locked" {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}
		return saved(name)
	}
	got, errs := expandGlob("**/*.asl.json")
	if len(got) != 1 || filepath.ToSlash(got[0]) != "ok/m.asl.json" {
		t.Errorf("matches: %q", got)
	}
	if len(errs) != 1 || !errors.Is(errs[0].(*pathError).err, fs.ErrPermission) || !strings.HasPrefix(errs[0].Error(), "locked: ") {
		t.Errorf("errors: %v", errs)
	}
}
