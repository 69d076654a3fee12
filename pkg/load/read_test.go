package load

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// confinedTree makes root/ (a repository: root/.git) with proj/def.json inside and secret.txt
// beside root, plus symbolic links inside root that point out of it and within it.
func confinedTree(t testing.TB) (root, secret string) {
	base := t.TempDir()
	root = filepath.Join(base, "root")
	secret = filepath.Join(base, "secret.txt")
	for _, d := range []string{".git", "proj/sub", "proj/dir.json"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(secret, "SECRET=1\n")
	write(filepath.Join(root, "proj", "def.json"), `{"StartAt": "A"}`)
	write(filepath.Join(root, "shared.json"), `{}`)
	links := map[string]string{
		"proj/out.json":    secret,
		"proj/rel-out":     "../../secret.txt",
		"proj/in.json":     "def.json",
		"proj/zero":        "/dev/zero",
		"proj/sub/up.json": "../../shared.json",
		"proj/outdir":      filepath.Dir(root),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	return root, secret
}

func TestReadFileIn(t *testing.T) {
	root, _ := confinedTree(t)
	proj := filepath.Join(root, "proj")
	fifoErr := mkfifo(filepath.Join(proj, "fifo.json"))
	big := filepath.Join(proj, "big.json")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 3<<30); err != nil { // sparse: 3 GB that costs nothing
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref  string
		want string // content, or the error
	}{
		{"def.json", `{"StartAt": "A"}`},
		{"./sub/../def.json", `{"StartAt": "A"}`},
		{"in.json", `{"StartAt": "A"}`},
		{"../shared.json", `{}`},
		{"sub/up.json", `{}`},
		{"../../secret.txt", ErrOutsideRoot.Error()},
		{"../../../../../../../../etc/passwd", ErrOutsideRoot.Error()},
		{"../../nonexistent", ErrOutsideRoot.Error()},
		{"out.json", ErrOutsideRoot.Error()},
		{"rel-out", ErrOutsideRoot.Error()},
		{"outdir/secret.txt", ErrOutsideRoot.Error()},
		{"zero", ErrOutsideRoot.Error()},
		{"dir.json", ErrNotRegular.Error()},
		{"fifo.json", ErrNotRegular.Error()}, // and does not block
		{"big.json", "the file is 3221225472 bytes, more than the limit of 1 MiB (1048576 bytes)"},
		{"missing.json", "no such file or directory"},
		{"/etc/passwd", ErrAbsolute.Error()},
		{"/proc/self/environ", ErrAbsolute.Error()},
		{"/dev/zero", ErrAbsolute.Error()},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			if tc.ref == "fifo.json" && fifoErr != nil {
				t.Skipf("no FIFO: %v", fifoErr)
			}
			path, err := RefPath(proj, tc.ref)
			var b []byte
			if err == nil {
				b, err = ReadFileIn(root, path, MaxDefinitionSize)
			}
			got := string(b)
			if err != nil {
				got = err.Error()
				if strings.Contains(got, "SECRET") {
					t.Fatalf("the error quotes the file: %v", err)
				}
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReadCaps(t *testing.T) {
	// a stream is read up to the cap and one byte more, never to its end
	r := &countingReader{}
	_, err := ReadAll(r, 1<<20)
	var tl *TooLargeError
	if !errors.As(err, &tl) || err.Error() != "more than the limit of 1 MiB (1048576 bytes)" {
		t.Fatalf("got %v", err)
	}
	if r.n > 1<<20+64<<10 {
		t.Errorf("read %d bytes of an endless stream", r.n)
	}
	if b, err := ReadAll(strings.NewReader("abc"), 3); err != nil || string(b) != "abc" {
		t.Errorf("at the cap: %q %v", b, err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := ReadFile("/dev/zero", MaxFileSize); !errors.As(err, &tl) || !strings.Contains(err.Error(), "/dev/zero") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	if _, err := ReadFile(t.TempDir(), MaxFileSize); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
}

// countingReader is an endless stream of zeros that counts what was read.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) {
	clear(p)
	r.n += len(p)
	return len(p), nil
}

var _ io.Reader = (*countingReader)(nil)

func TestProjectRoot(t *testing.T) {
	root, _ := confinedTree(t)
	real, _ := filepath.EvalSymlinks(root)
	if got := ProjectRoot(filepath.Join(root, "proj", "sub")); got != real {
		t.Errorf("in a repository: %s, want %s", got, real)
	}
	plain := t.TempDir()
	realPlain, _ := filepath.EvalSymlinks(plain)
	if got := ProjectRoot(plain); got != realPlain && !strings.HasPrefix(realPlain, got) {
		t.Errorf("outside a repository: %s, want %s", got, realPlain)
	}
}

// FuzzReadFileIn: whatever the reference, nothing outside the root is ever read.
func FuzzReadFileIn(f *testing.F) {
	for _, s := range []string{"def.json", "../../secret.txt", "out.json", "rel-out", "outdir/secret.txt", "zero", "/etc/passwd",
		"sub/../../../secret.txt", "sub/up.json", "..", ".", "", "dir.json/..", "in.json/", "//secret.txt", `..\..\secret.txt`} {
		f.Add(s)
	}
	root, _ := confinedTree(f)
	proj := filepath.Join(root, "proj")
	f.Fuzz(func(t *testing.T, ref string) {
		path, err := RefPath(proj, ref)
		if err != nil {
			return
		}
		b, err := ReadFileIn(root, path, 64)
		if err != nil {
			return
		}
		if bytes.Contains(b, []byte("SECRET")) {
			t.Fatalf("%q read a file outside the root", ref)
		}
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			t.Fatalf("%q was read but does not resolve: %v", ref, err)
		}
		realRoot, _ := filepath.EvalSymlinks(root)
		if !within(realRoot, real) {
			t.Fatalf("%q resolves to %s, outside %s", ref, real, realRoot)
		}
	})
}

func TestCheckInside(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Skip("symlinks:", err)
	}
	for _, c := range []struct {
		path string
		ok   bool
	}{
		{"d", true},
		{"d/new/file.json", true}, // not there yet: created inside
		{"out", false},
		{"out/new/file.json", false}, // through a link that leaves root
		{"../x", false},
		{"d/../../x", false},
	} {
		err := CheckInside(root, filepath.Join(root, c.path))
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want inside=%v", c.path, err, c.ok)
		}
	}
}

// A project reached through a symbolic link (a checkout under a linked directory, macOS's /tmp)
// reads its own files, whether the root or the name is written through the link; a file outside
// stays refused, without saying whether it exists.
func TestReadFileInThroughLinkedDirectory(t *testing.T) {
	real := t.TempDir()
	if err := os.MkdirAll(filepath.Join(real, "proj", "sm"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "proj", "sm", "a.json"), []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("symlinks:", err)
	}
	for _, c := range []struct{ root, name string }{
		{filepath.Join(link, "proj"), filepath.Join(link, "proj", "sm", "a.json")},
		{ProjectRoot(filepath.Join(link, "proj")), filepath.Join(link, "proj", "sm", "a.json")},
		{filepath.Join(link, "proj"), filepath.Join(real, "proj", "sm", "a.json")},
	} {
		if _, err := ReadFileIn(c.root, c.name, 100); err != nil {
			t.Errorf("root %s, name %s: %v", c.root, c.name, err)
		}
	}
	for _, name := range []string{filepath.Join(link, "other.json"), filepath.Join(link, "missing", "x.json")} {
		if _, err := ReadFileIn(filepath.Join(link, "proj"), name, 100); !errors.Is(err, ErrOutsideRoot) {
			t.Errorf("%s: %v, want ErrOutsideRoot", name, err)
		}
	}
}
