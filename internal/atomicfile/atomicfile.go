// Package atomicfile replaces files so that a reader, or a crash, a full disk or any write
// error, sees either the old content or the new content, never a mix or a truncated file.
//
// The new content is written to a temporary file in the same directory as the target
// (".<name>.tmp-<random>"), synced, closed and then renamed over the target. On any failure the
// temporary file is removed and the target is left as it was.
//
// An existing target keeps its permission bits (not its owner). A symbolic link is followed:
// the file it points to is replaced and the link stays. A target that exists but is not a
// regular file (/dev/stdout, /dev/null, a FIFO) cannot be replaced by a rename; it is written
// directly, without the atomicity guarantee.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// tempFile is what a File writes through; a test seam replaces it to inject errors.
type tempFile interface {
	Write(p []byte) (int, error)
	Sync() error
	Close() error
	Chmod(mode fs.FileMode) error
}

// openFile opens (creating exclusively, or truncating a non-regular target) a file to write;
// tests replace it to inject write, sync or close errors.
var openFile = func(name string, flag int, perm fs.FileMode) (tempFile, error) {
	return os.OpenFile(name, flag, perm)
}

// rename is os.Rename; tests replace it to inject a failed rename.
var rename = os.Rename

// File is a file being written. Nothing is visible under its name until Commit succeeds.
// Call Abort (typically deferred) to discard it; Abort after Commit does nothing.
type File struct {
	name   string // the target, symbolic links resolved
	tmp    string // the temporary file; "" when writing a non-regular target directly
	f      tempFile
	err    error // the first write error; Commit returns it
	closed bool
}

// WriteFile writes data to name atomically. A new file gets perm (less the umask); an existing
// file keeps its mode.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, err := Create(name, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// Create starts writing a replacement for name. A new file gets perm (less the umask); an
// existing file keeps its mode. The caller must call Commit or Abort.
func Create(name string, perm fs.FileMode) (*File, error) {
	target, mode, regular, err := resolve(name, perm)
	if err != nil {
		return nil, err
	}
	if !regular {
		f, err := openFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return &File{name: target, f: f}, nil
	}
	dir, base := filepath.Split(target)
	for range 100 {
		tmp := filepath.Join(dir, "."+base+".tmp-"+randomSuffix())
		f, err := openFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm.Perm())
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "create", Path: name, Err: unwrapPath(err)}
		}
		af := &File{name: target, tmp: tmp, f: f}
		if mode != 0 {
			if err := f.Chmod(mode); err != nil {
				af.Abort()
				return nil, &fs.PathError{Op: "chmod", Path: name, Err: unwrapPath(err)}
			}
		}
		return af, nil
	}
	return nil, &fs.PathError{Op: "create", Path: name, Err: errors.New("cannot create a unique temporary file")}
}

// resolve follows symbolic links from name and reports the file to replace, the mode to keep
// (0 for a new file), and whether it is (or will be) a regular file.
func resolve(name string, perm fs.FileMode) (string, fs.FileMode, bool, error) {
	target := name
	if fi, err := os.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		t, err := filepath.EvalSymlinks(name)
		if err != nil {
			return "", 0, false, err
		}
		target = t
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target, 0, true, nil
	case err != nil:
		return "", 0, false, err
	case fi.IsDir():
		return "", 0, false, &fs.PathError{Op: "write", Path: name, Err: errors.New("is a directory")}
	case !fi.Mode().IsRegular():
		return target, 0, false, nil
	}
	return target, fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky), true, nil
}

// Write writes p to the temporary file. After an error every later Write and Commit fail with it.
func (f *File) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if f.closed {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: fs.ErrClosed}
	}
	n, err := f.f.Write(p)
	if err != nil {
		f.err = &fs.PathError{Op: "write", Path: f.name, Err: unwrapPath(err)}
		return n, f.err
	}
	return n, nil
}

// Commit syncs and closes the temporary file and renames it over the target. On failure the
// temporary file is removed, the target is unchanged and the error names the target.
func (f *File) Commit() error {
	if f.closed {
		if f.err != nil {
			return f.err
		}
		return &fs.PathError{Op: "commit", Path: f.name, Err: fs.ErrClosed}
	}
	if f.err != nil {
		f.Abort()
		return f.err
	}
	if f.tmp == "" {
		f.closed = true
		if err := f.f.Close(); err != nil {
			return &fs.PathError{Op: "close", Path: f.name, Err: unwrapPath(err)}
		}
		return nil
	}
	if err := f.f.Sync(); err != nil {
		f.err = &fs.PathError{Op: "sync", Path: f.name, Err: unwrapPath(err)}
		f.Abort()
		return f.err
	}
	f.closed = true
	if err := f.f.Close(); err != nil {
		f.err = &fs.PathError{Op: "close", Path: f.name, Err: unwrapPath(err)}
		_ = os.Remove(f.tmp)
		return f.err
	}
	if err := rename(f.tmp, f.name); err != nil {
		f.err = &fs.PathError{Op: "rename", Path: f.name, Err: unwrapPath(err)}
		_ = os.Remove(f.tmp)
		return f.err
	}
	syncDir(filepath.Dir(f.name))
	return nil
}

// Abort discards the temporary file and leaves the target as it was. It does nothing after
// Commit and may be called more than once.
func (f *File) Abort() {
	if f.closed {
		return
	}
	f.closed = true
	_ = f.f.Close()
	if f.tmp != "" {
		_ = os.Remove(f.tmp)
	}
}

// Name is the path of the file being replaced (symbolic links resolved).
func (f *File) Name() string { return f.name }

// syncDir makes the rename durable; failures are ignored (not every file system supports it).
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// unwrapPath drops an *fs.PathError naming the temporary file so errors name the target.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// randomSuffix is 12 random hex digits.
func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // never returns an error (Go 1.24+)
	return hex.EncodeToString(b[:])
}
