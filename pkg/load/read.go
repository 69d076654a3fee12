package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Size caps on what sfn reads. A read never goes past its cap (it stops at cap+1 bytes), so a
// device such as /dev/zero or a huge file costs nothing.
const (
	// MaxDefinitionSize is AWS's maximum state machine definition size, 1 MiB: a definition file
	// that a template references (DefinitionUri, Serverless ${file()}) may not be larger.
	MaxDefinitionSize = 1 << 20
	// MaxFileSize caps every other file sfn reads: a template or definition named on the command
	// line, standard input, an execution input (--input). CloudFormation accepts template bodies of
	// at most 1 MB (51,200 bytes inline); 4 MiB leaves room for Serverless files and CDK output.
	MaxFileSize = 4 << 20
	// MaxHistorySize caps an execution history read by sfn graph --highlight (AWS's JSON history
	// of a long execution is much larger than a definition).
	MaxHistorySize = 64 << 20
)

// ErrOutsideRoot is returned for a referenced file that lies outside the project root (after
// resolving symbolic links).
var ErrOutsideRoot = errors.New("the path leaves the project root")

// ErrAbsolute is returned for a reference written as an absolute path.
var ErrAbsolute = errors.New("absolute paths are not read (write the path relative to the file that names it)")

// ErrNotRegular is returned for a referenced file that is a directory, device, FIFO or socket.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is a file or stream larger than its cap.
type TooLargeError struct {
	Size int64 // the size when known (a regular file), else 0: "more than Max"
	Max  int64
}

func (e *TooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("the file is %d bytes, more than the limit of %s", e.Size, sizeText(e.Max))
	}
	return fmt.Sprintf("more than the limit of %s", sizeText(e.Max))
}

// sizeText writes a byte count as "1 MiB (1048576 bytes)".
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB (%d bytes)", n>>20, n)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB (%d bytes)", n>>10, n)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadAll reads r to its end, but not more than max bytes: a longer stream is a *TooLargeError
// after reading max+1 bytes.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &TooLargeError{Max: max}
	}
	return b, nil
}

// ReadFile reads a file the user named (a command-line argument), capped at max bytes. Pipes and
// process substitutions are read too (the user chose them); directories are refused.
func ReadFile(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpen(f, name, max, false)
}

// ReadFileIn reads a file that another file references (a template's DefinitionUri, a Serverless
// ${file()}, a Markdown sfn:graph marker). The file must lie inside root once symbolic links are
// resolved (ErrOutsideRoot), be a regular file (ErrNotRegular), and hold at most max bytes
// (*TooLargeError). Errors are *fs.PathError naming name.
func ReadFileIn(root, name string, max int64) ([]byte, error) {
	fail := func(err error) ([]byte, error) { return nil, &fs.PathError{Op: "read", Path: name, Err: err} }
	// Judged on resolved paths, whichever of root and name is written through a link (a checkout
	// under a symlinked directory, macOS's /tmp); a path that does not exist is judged by its
	// nearest existing ancestor, so no answer says whether a file outside root exists.
	if err := CheckInside(root, name); err != nil {
		return fail(err)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return fail(err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fail(err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return fail(err)
	}
	if !st.Mode().IsRegular() { // checked before opening: opening a FIFO would block
		return fail(ErrNotRegular)
	}
	f, err := openNonBlocking(real)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	b, err := readOpen(f, name, max, true)
	if err != nil {
		var pe *fs.PathError
		if !errors.As(err, &pe) {
			return fail(err)
		}
	}
	return b, err
}

// readOpen reads an open file with a cap; regular says only regular files are accepted.
func readOpen(f *os.File, name string, max int64, regular bool) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	case regular && !st.Mode().IsRegular():
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	case st.Mode().IsRegular() && st.Size() > max:
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: st.Size(), Max: max}}
	}
	b, err := ReadAll(f, max)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// within reports whether path is root or lies below it (both absolute and clean).
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// RefPath turns a reference written in a file (relative to dir, the directory of that file) into a
// path to read. Absolute references are refused (ErrAbsolute): what a file may read does not depend
// on where the repository is checked out.
func RefPath(dir, ref string) (string, error) {
	if filepath.IsAbs(ref) || strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, `\`) || filepath.VolumeName(ref) != "" {
		return "", ErrAbsolute
	}
	return filepath.Join(dir, filepath.FromSlash(ref)), nil
}

// ProjectRoot is the directory whose files a file in dir may reference: the nearest ancestor of
// dir (dir included) holding a .git entry, that is the repository, else dir itself. The result is
// absolute with symbolic links resolved.
func ProjectRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}

// CheckInside returns ErrOutsideRoot when path does not lie inside root once symbolic links are
// resolved: a file sfn is about to write (or read) under a directory the user chose, such as
// --s3-dir, cannot be redirected out of it by a link. Parts of path that do not exist yet are
// taken as written (they will be created inside their existing parent).
func CheckInside(root, path string) error {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if r, err := filepath.EvalSymlinks(absRoot); err == nil {
		absRoot = r
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	rest := ""
	for p := abs; ; {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			abs = filepath.Join(r, rest)
			break
		}
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
	if !within(absRoot, abs) {
		return ErrOutsideRoot
	}
	return nil
}
