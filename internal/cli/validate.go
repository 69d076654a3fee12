package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/validate"
)

// validateFlags are the flags of sfn validate.
type validateFlags struct {
	format, color, typ, stdinName, config string
	minSeverity                           string
	noConfig, strictPlaceholders, strict  bool
	verbose, skipOther, advice, watch     bool
	maxWarnings, jobs                     int
	rules                                 []string
	subs                                  []string
}

func newValidateCmd() *cobra.Command {
	var f validateFlags
	cmd := &cobra.Command{
		Use:   "validate [file|dir|glob|-]...",
		Short: "Check state machine definitions",
		Long: "Check state machine definitions (JSON or YAML). Directories are walked: a .json, .yaml\n" +
			"or .yml file found there is checked when its top level has States and StartAt (or its\n" +
			"name ends in .asl.json, .asl.yaml or .asl.yml), or when it is a template holding state\n" +
			"machines. Files named on the command line are always checked. '-' reads standard input.\n" +
			"Without arguments, '.' is checked.\n\n" +
			"Templates: every state machine of a CloudFormation or SAM template (Definition,\n" +
			"DefinitionString as a literal, Fn::Sub or Fn::Join, DefinitionUri), of CDK output\n" +
			"(cdk.out/*.template.json) and of a Serverless Framework file (stepFunctions.stateMachines)\n" +
			"is checked. Findings point into the file you edit and end with the machine's logical id,\n" +
			"\"(in MyStateMachine)\". DefinitionSubstitutions with literal values are substituted (--sub\n" +
			"adds or overrides them); values computed at deploy time stay opaque placeholders.\n\n" +
			"Inline suppression: \"sfn-ignore: RULE-ID[, RULE-ID] reason\" in a Comment (of the machine, a\n" +
			"branch, a state or a choice rule), or Metadata: {sfn: {ignore: [RULE-ID]}} on a template's\n" +
			"state machine resource; a directive that suppresses nothing is a warning (rule suppression).\n\n" +
			"Exit status: 0 no problems (warnings allowed unless --strict or --max-warnings),\n" +
			"1 problems found, 2 usage or config error, 3 a file could not be read or a directory or\n" +
			"glob holds no definition, 130 --watch stopped by Ctrl-C.",
		Example: "  sfn validate samples/\n  sfn validate template.yaml --sub Env=prod\n  sfn validate --format sarif . > sfn.sarif\n  cat m.json | sfn validate --stdin-filename m.json -",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: "+strings.Join(validate.Formats(), ", "))
	fl.StringVar(&f.color, "color", "auto", "colour the text output: auto, always or never")
	fl.StringVar(&f.typ, "type", "", "state machine type: STANDARD or EXPRESS (default STANDARD, or the config's type)")
	fl.BoolVar(&f.strictPlaceholders, "strict-placeholders", false, "check ${...} deploy-time placeholders instead of accepting them anywhere")
	fl.StringVar(&f.stdinName, "stdin-filename", "", "name to report for standard input; its extension picks the format")
	fl.StringVar(&f.config, "config", "", "config file (default: .sfn.yaml in the working directory or a parent)")
	fl.BoolVar(&f.noConfig, "no-config", false, "do not read a config file")
	fl.StringArrayVar(&f.rules, "rule", nil, "set a rule's severity, ID=error|warning|info|off (repeatable)")
	fl.StringVar(&f.minSeverity, "min-severity", "warning", "report diagnostics of at least this severity: error, warning or info")
	fl.BoolVar(&f.strict, "strict", false, "fail (exit 1) on warnings too")
	fl.IntVar(&f.maxWarnings, "max-warnings", -1, "fail (exit 1) when there are more than N warnings")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "files checked at once (default: number of CPUs)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print the summary even when there are no problems")
	fl.BoolVar(&f.skipOther, "skip-other", false, "skip named files that are neither a definition nor a template, as a directory walk does (for pre-commit)")
	fl.BoolVar(&f.advice, "advice", false, "also run the advice rules (best practices: timeouts, retries, polling loops, secrets; see sfn rules)")
	fl.StringArrayVar(&f.subs, "sub", nil, "template substitution Key=Value: adds to or overrides DefinitionSubstitutions (repeatable)")
	fl.BoolVarP(&f.watch, "watch", "w", false, "check again whenever a file checked, a directory walked or the config changes (Ctrl-C stops, exit 130)")
	return cmd
}

// setup turns the flags and config into validation and formatting options.
func (f *validateFlags) setup() (*validate.Options, *validate.Config, error) {
	switch f.color {
	case "auto", "always", "never":
	default:
		return nil, nil, usageErr("unknown --color %q (want auto, always or never)", f.color)
	}
	cfg, err := f.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	opts := &validate.Options{Type: "STANDARD", StrictPlaceholders: f.strictPlaceholders, Severity: map[string]validate.Severity{}}
	minSev, err := validate.ParseSeverity(f.minSeverity)
	if err != nil || minSev == validate.Off {
		return nil, nil, usageErr("unknown --min-severity %q (want error, warning or info)", f.minSeverity)
	}
	opts.MinSeverity = minSev
	opts.Advice = f.advice
	cfg.Apply(opts)
	if f.typ != "" {
		opts.Type = strings.ToUpper(f.typ)
		if opts.Type != "STANDARD" && opts.Type != "EXPRESS" {
			return nil, nil, usageErr("unknown --type %q (want STANDARD or EXPRESS)", f.typ)
		}
	}
	for _, r := range f.rules {
		id, sev, err := validate.ParseRuleSetting(r)
		if err != nil {
			return nil, nil, &exitError{code: exitUsage, err: err, usage: true}
		}
		opts.Severity[id] = sev
	}
	return opts, cfg, nil
}

// loadConfig reads --config, or the .sfn.yaml found from the working directory up.
func (f *validateFlags) loadConfig() (*validate.Config, error) {
	if f.noConfig {
		return nil, nil
	}
	path := f.config
	if path == "" {
		found, err := validate.FindConfig(".")
		if err != nil || found == "" {
			return nil, nil
		}
		path = found
	}
	cfg, err := validate.LoadConfig(path)
	if err != nil {
		var ce *validate.ConfigError
		if errors.As(err, &ce) {
			return nil, &exitError{code: exitUsage, err: err}
		}
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("config: %w", (&pathError{path, err}))}
	}
	return cfg, nil
}

func runValidate(cmd *cobra.Command, args []string, f *validateFlags) error {
	if !f.watch {
		_, err := validateOnce(cmd, args, f)
		return err
	}
	if slices.Contains(args, "-") {
		return usageErr("--watch cannot read standard input ('-'): name the files")
	}
	return watchCommand(cmd, func() ([]string, error) { return validateOnce(cmd, args, f) })
}

// validateOnce checks the arguments once and returns the paths a watch follows (the files
// checked, the directories walked, the config file) and the error that carries the exit code.
func validateOnce(cmd *cobra.Command, args []string, f *validateFlags) ([]string, error) {
	var watch []string
	err := validateFiles(cmd, args, f, &watch)
	return watch, err
}

// validateFiles checks the arguments, adding the paths read to watch.
func validateFiles(cmd *cobra.Command, args []string, f *validateFlags, watch *[]string) error {
	f.format = strings.ToLower(f.format)
	opts, cfg, err := f.setup()
	if err != nil {
		return err
	}
	subs, err := parseSubs(f.subs)
	if err != nil {
		return err
	}
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	wd, _ := os.Getwd()
	formatter, err := validate.NewFormatter(f.format, stdout, validate.FormatOptions{
		Color: useColor(f.color, stdout), ToolVersion: toolVersion(), Severity: opts.Severity, BaseDir: wd,
	})
	if err != nil {
		return &exitError{code: exitUsage, err: err, usage: true}
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	stdinName := f.stdinName
	if stdinName == "" {
		stdinName = stdinDefaultName
	}
	targets, pathErrs, searched := discover(args, cmd.InOrStdin(), stdinName, cfg)
	if cfg != nil {
		*watch = append(*watch, cfg.Path)
	}
	*watch = append(*watch, walkedDirs(searched, cfg)...)
	if f.skipOther {
		for i := range targets {
			targets[i].walked = !targets[i].stdin
		}
	}
	for _, e := range pathErrs {
		printError(stderr, e)
	}
	env := &checkEnv{opts: opts, subs: subs, typeSet: f.typ != "" || (cfg != nil && cfg.Type != "")}
	var counts validate.Counts
	checked := map[string]bool{} // arguments that yielded a checked file
	next := 0
	usedSubs := map[string]bool{} // --sub keys some checked file has a ${KEY} for
	err = checkAll(targets, env, f.jobs, func(o outcome) error {
		from := targets[next].from
		next++
		if !o.skipped {
			checked[from] = true
		}
		switch {
		case o.err != nil:
			pathErrs = append(pathErrs, o.err)
			printError(stderr, o.err)
			return nil
		case o.skipped:
			return nil
		}
		for _, r := range o.results() {
			markSubs(usedSubs, env.subs, r.Source)
			if !targets[next-1].stdin {
				*watch = append(*watch, r.File)
			}
			counts.Add(r)
			if err := formatter.Write(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = formatter.Flush()
	}
	if err != nil {
		return stdoutError(err)
	}
	for _, k := range unusedSubs(env.subs, usedSubs) {
		printLine(stderr, "sfn: warning: --sub %s matches no ${%s} placeholder in the files checked", k, k)
	}
	for _, e := range nothingFound(searched, checked) {
		pathErrs = append(pathErrs, e)
		printError(stderr, e)
	}
	return finish(stderr, f, counts, pathErrs)
}

// finish prints the summary and picks the exit code.
func finish(stderr io.Writer, f *validateFlags, c validate.Counts, pathErrs []error) error {
	problems := c.Errors+c.Warnings+c.Infos > 0
	if f.format == "text" && (problems || f.verbose) {
		fmt.Fprintln(stderr, c.Summary())
	}
	switch {
	case len(pathErrs) > 0:
		return &exitError{code: exitIO}
	case c.Errors > 0,
		f.strict && c.Warnings > 0,
		f.maxWarnings >= 0 && c.Warnings > f.maxWarnings:
		if f.maxWarnings >= 0 && c.Warnings > f.maxWarnings {
			fmt.Fprintf(stderr, "sfn: %s (--max-warnings is %d)\n", plural(c.Warnings, "warning"), f.maxWarnings)
		}
		return &exitError{code: exitFindings}
	}
	return nil
}

// toolVersion is the bare version reported in SARIF.
func toolVersion() string {
	v, _ := buildVersion()
	return v
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// useColor decides whether text output to w is coloured: never, always, or (auto) when w is a
// terminal, NO_COLOR is unset and TERM is not "dumb".
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	file, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd()))
}

// parseSubs parses --sub Key=Value flags.
func parseSubs(flags []string) (map[string]string, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(flags))
	for _, kv := range flags {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageErr("bad --sub %q (want Key=Value)", kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}
