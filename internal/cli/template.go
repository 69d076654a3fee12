package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
	"github.com/sfn-tool/sfn/validate"
)

// loadDefinition reads FILE ('-' is standard input) for sfn run and sfn graph: a definition, or a
// template (CloudFormation, SAM, CDK output, Serverless) from which the machine logicalID names is
// taken (optional when the template has one). subs are --sub Key=Value flags.
//
// A file or definition that does not load is printed on stderr as sfn validate prints it, and
// the error is an *exitError: exitFindings (1) when the definition does not load, exitUsage (2)
// for a bad --sub or a --state-machine that does not pick one machine (the message lists them),
// exitIO (3) when the file cannot be read. m.Doc is then the definition, with positions in the
// file the user edits (m.Doc.Name, m.Doc.Source).
func loadDefinition(cmd *cobra.Command, name, logicalID string, subs []string) (*template.Machine, error) {
	return loadDefinitionIn(cmd, "", name, logicalID, subs)
}

// loadDefinitionIn is loadDefinition for a file that another file names (an sfn:graph marker of a
// Markdown file): with a root, the file must be a regular file inside root (load.ReadFileIn) and
// '-' is not standard input. Every read is capped at load.MaxFileSize.
func loadDefinitionIn(cmd *cobra.Command, root, name, logicalID string, subs []string) (*template.Machine, error) {
	sm, err := parseSubs(subs)
	if err != nil {
		return nil, err
	}
	var src []byte
	format := load.Format("")
	switch {
	case root != "":
		src, err = load.ReadFileIn(root, name, load.MaxFileSize)
	case name == "-":
		src, err = load.ReadAll(cmd.InOrStdin(), load.MaxFileSize)
		name = stdinDefaultName
		format = load.Sniff(src)
	default:
		src, err = load.ReadFile(name, load.MaxFileSize)
	}
	if err != nil {
		return nil, &exitError{code: exitIO, err: &pathError{name, err}}
	}
	m, err := template.Definition(name, src, format, logicalID, &template.Options{Subs: sm})
	if err == nil {
		return m, nil
	}
	var le *load.Error
	var p *template.Problem
	switch {
	case errors.As(err, &p):
		printLoadError(cmd, p.File, p.Source, p.Err)
	case errors.As(err, &le):
		printLoadError(cmd, name, src, le)
	default:
		return nil, &exitError{code: exitUsage, err: err}
	}
	return nil, &exitError{code: exitFindings}
}

// printLoadError prints one loader or extraction finding in the text format on stderr.
func printLoadError(cmd *cobra.Command, file string, src []byte, e *load.Error) {
	stderr := cmd.ErrOrStderr()
	fm, _ := validate.NewFormatter("text", stderr, validate.FormatOptions{Color: useColor("auto", stderr)})
	_ = fm.Write(validate.FileResult{File: file, Source: src, Diagnostics: []validate.Diagnostic{validate.LoadError(file, e, nil)}})
	_ = fm.Flush()
}
