// Package cli is sfn's command line: cobra wiring only. The work lives in package validate
// (checking, output formats, config) and in files.go here (finding the files to check).
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK       = 0 // no findings (warnings allowed unless --strict or --max-warnings)
	exitFindings = 1 // diagnostics that fail the run
	exitUsage    = 2 // bad flag, unknown format, unknown rule, bad config
	exitIO       = 3 // unreadable or missing file, or an internal error
)

// exitError carries an exit code; its message (if any) is printed as "sfn: message".
type exitError struct {
	code  int
	err   error
	usage bool // also point at --help
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...), usage: true}
}

// Run runs sfn with the arguments (without the program name) and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Errors that do not come from our RunE functions are cobra's: unknown command,
		// wrong number of arguments.
		ee = &exitError{code: exitUsage, err: commandLineError(err), usage: true}
	}
	if ee.err != nil {
		printError(stderr, ee.err)
	}
	if ee.usage && cmd != nil {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return ee.code
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "sfn",
		Short: "Validate, run and graph AWS Step Functions state machine definitions",
		Long: "sfn validates, runs and draws AWS Step Functions state machines (Amazon States Language,\n" +
			"JSON or YAML, or inside CloudFormation, SAM, CDK and Serverless templates) on your machine:\n" +
			"no AWS account, JVM or Docker.",
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("sfn {{.Version}}\n")
	// --version has no -v: -v is --verbose wherever it exists (validate, run).
	root.Flags().Bool("version", false, "print the version of sfn (as sfn version does)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: verboseHint(err), usage: true}
	})
	root.AddCommand(newValidateCmd(), newRulesCmd(), newVersionCmd())
	root.AddCommand(newGraphCmd())
	root.AddCommand(newRunCmd())
	root.AddCommand(newInitCmd())
	root.AddCommand(newConvertCmd())
	root.AddCommand(newTestCmd())
	root.AddCommand(newServeCmd())
	return root
}

// verboseHint explains a -v given to a command that has no --verbose: -v is never the version.
func verboseHint(err error) error {
	if strings.HasPrefix(err.Error(), "unknown shorthand flag: 'v'") {
		return fmt.Errorf("%w (-v is --verbose, for sfn validate and sfn run; the version is sfn --version or sfn version)", err)
	}
	return err
}
