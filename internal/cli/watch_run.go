package cli

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
	"github.com/sfn-tool/sfn/run/handler"
)

// watchRun is sfn run --watch: the run again whenever the definition (or a file its template
// reads), the input file, the handler config, the mock config or a handler script changes.
func watchRun(cmd *cobra.Command, args []string, f *runFlags) error {
	if len(args) == 1 && (args[0] == "-" || f.input == "-") {
		return usageErr("--watch cannot read standard input ('-'): name the files")
	}
	once := *f
	once.watch = false
	return watchCommand(cmd, func() ([]string, error) {
		err := runRun(cmd, args, &once)
		var ee *exitError
		if errors.As(err, &ee) && ee.code == exitExecution && ee.err == nil {
			err = nil // a FAILED execution is a result, shown in the table: watch on
		}
		if len(args) != 1 {
			return nil, err
		}
		return runPaths(args[0], &once), err
	})
}

// runPaths lists the files a run of file reads, for --watch.
func runPaths(file string, f *runFlags) []string {
	paths := []string{file}
	if src, err := load.ReadFile(file, load.MaxFileSize); err == nil && template.MayBeTemplate(src) {
		if tpl, err := template.Load(file, src, "", nil); err == nil {
			paths = append(paths, tpl.Files()...)
		}
	}
	if f.input != "" && isRegular(f.input) {
		paths = append(paths, f.input)
	}
	if f.mockConfig != "" {
		paths = append(paths, f.mockConfig)
	}
	cfgPath := f.config
	if cfgPath == "" {
		cfgPath = handler.FindConfig(filepath.Dir(file))
	}
	if cfgPath == "" {
		return paths
	}
	paths = append(paths, cfgPath)
	if cfg, err := handler.LoadConfig(cfgPath); err == nil {
		paths = append(paths, handlerScripts(cfg)...)
	}
	return paths
}

// handlerScripts are the arguments of the config's commands that name files (relative to the
// config's directory, where commands run): the scripts a handler runs.
func handlerScripts(cfg *handler.Config) []string {
	var out []string
	add := func(s *handler.Spec) {
		if s == nil {
			return
		}
		for _, arg := range s.Command {
			p := arg
			if !filepath.IsAbs(p) {
				p = filepath.Join(cfg.Dir, p)
			}
			if isRegular(p) {
				out = append(out, p)
			}
		}
	}
	for _, s := range cfg.Tasks {
		add(s)
	}
	for _, r := range cfg.Resources {
		add(r.Spec)
	}
	return out
}

func isRegular(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
