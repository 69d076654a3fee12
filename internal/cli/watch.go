package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/spf13/cobra"
)

// Watch mode (sfn validate --watch, sfn run --watch): run once, then again whenever one of the
// files the run read changes. Directories are watched rather than files, because editors save
// by writing a new file and renaming it over the old one; an event counts when it names a
// watched file, or any entry of a watched directory. fsnotify is initialised only here, so a
// command without --watch pays nothing for it.

// watchDebounce is how long the files must stay quiet after a change before the re-run: an
// editor's save is several events (write, chmod, rename), a git checkout many.
const watchDebounce = 150 * time.Millisecond

// clearScreen moves the cursor home and clears the screen and its scrollback.
const clearScreen = "\x1b[H\x1b[2J\x1b[3J"

// watchConfig configures watchLoop.
type watchConfig struct {
	Debounce time.Duration // quiet time after the last change before re-running
	Clear    bool          // clear the screen before each re-run (when writing to a terminal)
	Out      io.Writer     // the clear sequence and the "watching" line
	Ready    func()        // called each time the watches are in place (tests wait on it)
}

// watchLoop calls run, then calls it again each time one of the paths it returned changes,
// until ctx is done (it then returns nil). A path that is a directory stands for every entry
// directly in it (a new definition in a walked directory). An error is returned only when
// fsnotify cannot start; a path that cannot be watched is reported on cfg.Out and skipped.
func watchLoop(ctx context.Context, cfg watchConfig, run func() []string) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("--watch: %v", err)
	}
	defer w.Close()
	watched := map[string]bool{} // directories with a watch
	for first := true; ; first = false {
		if !first && cfg.Clear {
			fmt.Fprint(cfg.Out, clearScreen)
		}
		set := newWatchSet(run())
		for dir := range watched {
			if !set.dirs[dir] {
				_ = w.Remove(dir)
				delete(watched, dir)
			}
		}
		for _, dir := range set.sortedDirs() {
			if watched[dir] {
				continue
			}
			if err := w.Add(dir); err != nil {
				printLine(cfg.Out, "sfn: warning: --watch: cannot watch %s: %v", dir, err)
				continue
			}
			watched[dir] = true
		}
		printLine(cfg.Out, "sfn: watching %s for changes (Ctrl-C to stop)", plural(set.count(), "path"))
		if cfg.Ready != nil {
			cfg.Ready()
		}
		if !waitForChange(ctx, w, set, cfg.Debounce, cfg.Out) {
			return nil
		}
	}
}

// waitForChange waits for an event that concerns the set, then for quiet; false when ctx is done.
func waitForChange(ctx context.Context, w *fsnotify.Watcher, set *watchSet, debounce time.Duration, out io.Writer) bool {
	var quiet <-chan time.Time // nil until a relevant event
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-quiet:
			return true
		case ev, ok := <-w.Events:
			if !ok {
				return false
			}
			if ev.Op == fsnotify.Chmod || !set.concerns(ev.Name) {
				continue
			}
			if timer == nil {
				timer = time.NewTimer(debounce)
				quiet = timer.C
			} else {
				timer.Reset(debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return false
			}
			printLine(out, "sfn: warning: --watch: %v", err)
		}
	}
}

// watchSet is what a run read: files, and directories whose every entry counts.
type watchSet struct {
	files map[string]bool // cleaned absolute paths
	trees map[string]bool // directories whose entries count
	dirs  map[string]bool // directories to watch: the files' parents and the trees
}

func newWatchSet(paths []string) *watchSet {
	s := &watchSet{files: map[string]bool{}, trees: map[string]bool{}, dirs: map[string]bool{}}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			s.trees[abs], s.dirs[abs] = true, true
			continue
		}
		s.files[abs] = true
		s.dirs[filepath.Dir(abs)] = true
	}
	return s
}

// concerns reports whether an event on name should re-run: a watched file, or in a watched
// directory an entry a walk would check (.json, .yaml, .yml) or enter (a name without an
// extension, such as a new directory); editors' swap and backup files do not count.
func (s *watchSet) concerns(name string) bool {
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	if s.files[abs] {
		return true
	}
	return s.trees[filepath.Dir(abs)] && (isDefinitionExt(abs) || filepath.Ext(abs) == "")
}

func (s *watchSet) count() int { return len(s.files) + len(s.trees) }

func (s *watchSet) sortedDirs() []string {
	out := make([]string, 0, len(s.dirs))
	for d := range s.dirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// watchCommand runs once under watchLoop until Ctrl-C (exit 130). once returns the paths to
// watch and the command's error; the error is printed and the loop goes on, except a usage
// error on the first run, which is returned (a wrong flag does not get better by editing files).
func watchCommand(cmd *cobra.Command, once func() ([]string, error)) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	var usage error // returned as is: a usage error of the first run, or an interrupted run
	first := true
	err := watchLoop(ctx, watchConfig{
		Debounce: watchDebounce, Clear: isTerminal(stdout) && isTerminal(stderr), Out: stderr, Ready: watchReady,
	}, func() []string {
		paths, err := once()
		var ee *exitError
		if errors.As(err, &ee) && (ee.code == exitUsage && first || ee.code == exitInterrupted) {
			usage = err // a run interrupted by Ctrl-C ends the watch too
			stop()      // leave the loop at once
		} else if errors.As(err, &ee) && ee.err != nil {
			printError(stderr, ee.err)
		} else if err != nil && !errors.As(err, &ee) {
			printError(stderr, err)
		}
		first = false
		return paths
	})
	switch {
	case usage != nil:
		return usage
	case err != nil:
		return &exitError{code: exitIO, err: err}
	}
	return &exitError{code: exitInterrupted}
}

// watchReady is called each time watch mode is ready for changes (a hook for tests).
var watchReady func()
