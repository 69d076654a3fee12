package atomicfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// failing wraps a real file and fails the chosen operation.
type failing struct {
	tempFile
	failWrite, failSync, failClose bool
	written                        int
}

func (f *failing) Write(p []byte) (int, error) {
	if f.failWrite {
		// write half, as a full disk does
		n, _ := f.tempFile.Write(p[:len(p)/2])
		f.written += n
		return n, syscall.ENOSPC
	}
	return f.tempFile.Write(p)
}

func (f *failing) Sync() error {
	if f.failSync {
		return syscall.EIO
	}
	return f.tempFile.Sync()
}

func (f *failing) Close() error {
	err := f.tempFile.Close()
	if f.failClose {
		return syscall.EDQUOT
	}
	return err
}

// inject makes openFile return files that fail as fl says, for the duration of the test.
func inject(t *testing.T, fl failing) {
	t.Helper()
	orig := openFile
	t.Cleanup(func() { openFile = orig })
	openFile = func(name string, flag int, perm fs.FileMode) (tempFile, error) {
		f, err := orig(name, flag, perm)
		if err != nil {
			return nil, err
		}
		c := fl
		c.tempFile = f
		return &c, nil
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileNewAndReplace(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.txt")
	if err := WriteFile(name, []byte("one"), 0o640); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	umask := syscall.Umask(0)
	syscall.Umask(umask)
	if want := fs.FileMode(0o640 &^ umask); fi.Mode().Perm() != want {
		t.Errorf("new file mode = %v, want %v", fi.Mode().Perm(), want)
	}
	if err := os.Chmod(name, 0o751); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	if string(got) != "two" {
		t.Errorf("content = %q, want two", got)
	}
	fi, _ = os.Stat(name)
	if fi.Mode().Perm() != 0o751 {
		t.Errorf("replaced file mode = %v, want the old -rwxr-x--x", fi.Mode().Perm())
	}
	if e := entries(t, dir); len(e) != 1 {
		t.Errorf("directory holds %v, want only out.txt", e)
	}
}

// Every failure leaves the old content in place and no temporary file behind.
func TestFailureKeepsOldFile(t *testing.T) {
	old := []byte("# README\n\n<!-- sfn:graph a.json -->\nold diagram\n<!-- /sfn:graph -->\n\nmore text\n")
	for _, tc := range []struct {
		name   string
		fail   failing
		rename bool
		want   error
		op     string
	}{
		{"write", failing{failWrite: true}, false, syscall.ENOSPC, "write"},
		{"sync", failing{failSync: true}, false, syscall.EIO, "sync"},
		{"close", failing{failClose: true}, false, syscall.EDQUOT, "close"},
		{"rename", failing{}, true, syscall.EXDEV, "rename"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "README.md")
			if err := os.WriteFile(name, old, 0o644); err != nil {
				t.Fatal(err)
			}
			inject(t, tc.fail)
			if tc.rename {
				orig := rename
				t.Cleanup(func() { rename = orig })
				rename = func(string, string) error { return syscall.EXDEV }
			}
			err := WriteFile(name, bytes.Repeat([]byte("new diagram line\n"), 1000), 0o644)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != name || pe.Op != tc.op {
				t.Errorf("err = %#v, want a %s error naming %s", err, tc.op, name)
			}
			got, _ := os.ReadFile(name)
			if !bytes.Equal(got, old) {
				t.Errorf("old file changed to %q", got)
			}
			if e := entries(t, dir); len(e) != 1 {
				t.Errorf("directory holds %v, want only README.md", e)
			}
		})
	}
}

func TestStreamingCommitAbort(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "h.json")
	f, err := Create(name, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := f.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("target visible before Commit: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // no effect after Commit
	if got, _ := os.ReadFile(name); string(got) != "xxx" {
		t.Errorf("content = %q", got)
	}
	if err := f.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}

	g, err := Create(name, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = g.Write([]byte("discarded"))
	g.Abort()
	g.Abort()
	if _, err := g.Write([]byte("late")); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if got, _ := os.ReadFile(name); string(got) != "xxx" {
		t.Errorf("content after Abort = %q", got)
	}
	if e := entries(t, dir); len(e) != 1 {
		t.Errorf("directory holds %v", e)
	}
}

// A write error is sticky: a streaming writer that ignores it still cannot commit.
func TestStickyWriteError(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "h.json")
	inject(t, failing{failWrite: true})
	f, err := Create(name, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("abcd"))
	if err := f.Commit(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Commit = %v, want ENOSPC", err)
	}
	if e := entries(t, dir); len(e) != 0 {
		t.Errorf("directory holds %v", e)
	}
}

func TestSymlinkIsFollowed(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.md")
	link := filepath.Join(dir, "link.md")
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.md", link); err != nil {
		t.Skip(err)
	}
	if err := WriteFile(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link replaced: %v %v", fi, err)
	}
	if got, _ := os.ReadFile(real); string(got) != "new" {
		t.Errorf("target = %q", got)
	}
}

func TestNonRegularTargets(t *testing.T) {
	if err := WriteFile(os.DevNull, []byte("x"), 0o644); err != nil {
		t.Errorf("writing %s: %v", os.DevNull, err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode().IsRegular() {
		t.Errorf("%s replaced by a regular file", os.DevNull)
	}
	dir := t.TempDir()
	err := WriteFile(dir, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("writing a directory: %v", err)
	}
	err = WriteFile(filepath.Join(dir, "missing", "x"), []byte("x"), 0o644)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("writing into a missing directory: %v", err)
	}
}

// A real full disk: a 64 KiB tmpfs (needs root and mount; skipped otherwise).
func TestFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	name := filepath.Join(dir, "README.md")
	old := bytes.Repeat([]byte("old line\n"), 2000) // 18 KB
	if err := WriteFile(name, old, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(name, bytes.Repeat([]byte("new line\n"), 20000), 0o644) // 180 KB
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want ENOSPC", err)
	}
	if got, _ := os.ReadFile(name); !bytes.Equal(got, old) {
		t.Errorf("old file changed (%d bytes)", len(got))
	}
	if e := entries(t, dir); len(e) != 1 {
		t.Errorf("directory holds %v", e)
	}
}
