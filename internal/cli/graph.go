package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sfn-tool/sfn/internal/atomicfile"
	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/render"
)

// graphFlags are the flags of sfn graph (and of an sfn:graph marker).
type graphFlags struct {
	format, out, direction, highlight string
	stateMachine                      string
	subs                              []string
	collapse, check                   bool
	inject                            []string
}

func (f *graphFlags) define(fl *pflag.FlagSet, marker bool) {
	fl.StringVarP(&f.format, "format", "f", "", "output format: dot or mermaid (default: from -o's extension, else dot; mermaid in --inject blocks)")
	fl.StringVar(&f.direction, "direction", "TB", "layout direction: TB (top to bottom) or LR (left to right)")
	fl.BoolVar(&f.collapse, "collapse", false, "draw Map and Parallel states as single nodes (for very large machines)")
	fl.StringVar(&f.highlight, "highlight", "", "colour the path of one execution, from its history (GetExecutionHistory JSON)")
	fl.StringVar(&f.stateMachine, "state-machine", "", "in a template (CloudFormation, SAM, CDK, Serverless): the logical id of the state machine to draw")
	fl.StringArrayVar(&f.subs, "sub", nil, "in a template: add or override a DefinitionSubstitutions value, KEY=VALUE (repeatable)")
	if !marker {
		fl.StringVarP(&f.out, "output", "o", "", "write to FILE; .dot/.gv, .mmd, .md (fenced Mermaid), or .svg/.png/.pdf (needs Graphviz's dot)")
		fl.StringArrayVar(&f.inject, "inject", nil, "rewrite the <!-- sfn:graph PATH [flags] --> blocks of a Markdown FILE (repeatable)")
		fl.BoolVar(&f.check, "check", false, "with --inject: change nothing, exit 1 when a block is stale")
	}
}

func newGraphCmd() *cobra.Command {
	var f graphFlags
	cmd := &cobra.Command{
		Use:   "graph FILE | --inject MARKDOWN",
		Short: "Draw a state machine as Graphviz DOT, Mermaid, SVG, PNG or PDF",
		Long: "Draw a state machine definition (JSON or YAML; '-' reads standard input), or one state machine\n" +
			"of a CloudFormation, SAM, CDK or Serverless template (--state-machine LogicalId when it has several).\n\n" +
			"The format follows -o's extension: .dot/.gv (DOT), .mmd (Mermaid), .md (a fenced Mermaid\n" +
			"block), .svg/.png/.pdf (rendered by Graphviz's dot program, which must be on PATH).\n\n" +
			"--inject rewrites every block of a Markdown file between\n" +
			"  <!-- sfn:graph PATH [--format F] [--direction D] [--collapse] [--highlight H] -->\n" +
			"  <!-- /sfn:graph -->\n" +
			"with the current diagram of PATH (relative to the Markdown file); --check only reports stale blocks.\n\n" +
			"Exit status: 0 done, 1 a definition does not load or (--check) a block is stale,\n" +
			"2 usage error, 3 a file could not be read or written, or dot failed.",
		Example: "  sfn graph order.asl.json -o order.svg\n  sfn graph --format mermaid --direction LR order.asl.json\n" +
			"  sfn graph order.asl.json --highlight history.json -o run.png\n  sfn graph --inject README.md --check",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGraph(cmd, args, &f)
		},
	}
	f.define(cmd.Flags(), false)
	return cmd
}

func runGraph(cmd *cobra.Command, args []string, f *graphFlags) error {
	if len(f.inject) > 0 {
		if len(args) > 0 || f.out != "" {
			return usageErr("--inject takes no FILE and no -o")
		}
		return runInject(cmd, f)
	}
	if f.check {
		return usageErr("--check needs --inject")
	}
	if len(args) != 1 {
		return usageErr("graph needs exactly one FILE (or --inject MARKDOWN)")
	}
	format, err := outputFormat(f.format, f.out)
	if err != nil {
		return err
	}
	g, err := buildGraph(cmd, args[0], f, "")
	if err != nil {
		return err
	}
	text, err := writeGraph(g, format)
	if err != nil {
		return &exitError{code: exitIO, err: err}
	}
	if format == "mermaid" || format == "md" {
		if w := render.MermaidWarning(g, text); w != "" {
			printLine(cmd.ErrOrStderr(), "sfn: warning: %s", w)
		}
	}
	if isImage(format) && f.out != "" && f.out != "-" {
		return runDot(text, format, f.out)
	}
	return writeResult(cmd.OutOrStdout(), f.out, text)
}

// outputFormat picks the format from --format and -o's extension:
// dot, mermaid, md (fenced Mermaid), svg, png or pdf.
func outputFormat(flag, out string) (string, error) {
	flag = strings.ToLower(flag)
	switch flag {
	case "", "dot", "mermaid":
	case "gv":
		flag = "dot"
	case "mmd":
		flag = "mermaid"
	default:
		return "", usageErr("unknown --format %q (want dot or mermaid)", flag)
	}
	var byExt string
	if out != "" && out != "-" {
		switch ext := strings.ToLower(filepath.Ext(out)); ext {
		case ".dot", ".gv":
			byExt = "dot"
		case ".mmd", ".mermaid":
			byExt = "mermaid"
		case ".md", ".markdown":
			byExt = "md"
		case ".svg", ".png", ".pdf":
			byExt = ext[1:]
		default:
			if flag == "" {
				return "", usageErr("cannot tell the format from %q: use .dot, .gv, .mmd, .md, .svg, .png or .pdf, or --format", out)
			}
		}
	}
	switch {
	case byExt == "":
		if flag == "" {
			return "dot", nil
		}
		return flag, nil
	case flag == "":
		return byExt, nil
	case flag == byExt, flag == "mermaid" && byExt == "md", flag == "dot" && isImage(byExt):
		return byExt, nil
	}
	return "", usageErr("--format %s does not match the output file %q", flag, out)
}

func isImage(format string) bool { return format == "svg" || format == "png" || format == "pdf" }

// buildGraph loads a definition and builds its graph. Paths in marker flags (--highlight) are
// relative to baseDir. A definition that does not load is reported like sfn validate reports it.
func buildGraph(cmd *cobra.Command, name string, f *graphFlags, baseDir string) (*render.Graph, error) {
	dir := strings.ToUpper(f.direction)
	if dir != "TB" && dir != "LR" {
		return nil, usageErr("unknown --direction %q (want TB or LR)", f.direction)
	}
	opts := render.Options{Direction: dir, Collapse: f.collapse, Name: graphName(name)}
	root := "" // a marker's files must lie inside the Markdown file's project
	if baseDir != "" {
		root = load.ProjectRoot(baseDir)
	}
	if f.highlight != "" {
		hp, data, err := readHistoryFile(f.highlight, baseDir, root)
		if err != nil {
			return nil, err
		}
		if opts.Trace, err = render.ParseHistory(data); err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: not an execution history: %v", hp, err)}
		}
	}
	tm, err := loadDefinitionIn(cmd, root, name, f.stateMachine, f.subs)
	if err != nil {
		return nil, err
	}
	m := asl.Build(tm.Doc)
	if m == nil {
		le := &load.Error{Pos: load.Pos{Line: 1, Col: 1}, Message: "the definition is not an object", Rule: "definition-not-object"}
		printLoadError(cmd, tm.Doc.Name, tm.Doc.Source, le)
		return nil, &exitError{code: exitFindings}
	}
	return render.Build(m, opts), nil
}

// readHistoryFile reads --highlight: given on the command line, or in a marker (relative to
// baseDir, inside root). Reads are capped at load.MaxHistorySize.
func readHistoryFile(name, baseDir, root string) (string, []byte, error) {
	if root == "" {
		data, err := load.ReadFile(name, load.MaxHistorySize)
		if err != nil {
			return name, nil, &exitError{code: exitIO, err: &pathError{name, err}}
		}
		return name, data, nil
	}
	hp, err := load.RefPath(baseDir, name)
	if err != nil {
		return name, nil, &exitError{code: exitUsage, err: fmt.Errorf("--highlight %s: %v", name, err)}
	}
	data, err := load.ReadFileIn(root, hp, load.MaxHistorySize)
	if err != nil {
		return hp, nil, &exitError{code: exitIO, err: &pathError{hp, err}}
	}
	return hp, data, nil
}

// graphName is the DOT graph name: the file name without its extensions.
func graphName(name string) string {
	base := filepath.Base(name)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

// writeGraph renders the graph as text (DOT for image formats).
func writeGraph(g *render.Graph, format string) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch format {
	case "mermaid", "md":
		err = render.WriteMermaid(&b, g)
	default:
		err = render.WriteDOT(&b, g)
	}
	if err != nil {
		return nil, err
	}
	if format == "md" {
		return []byte(render.Fenced("mermaid", b.Bytes())), nil
	}
	return b.Bytes(), nil
}

// runDot renders DOT text to an image with Graphviz's dot program.
func runDot(dotText []byte, format, out string) error {
	bin, err := exec.LookPath("dot")
	if err != nil {
		return &exitError{code: exitIO, err: linesError{
			"writing " + safetext.Escape(out) + " needs Graphviz's dot program, which is not on PATH.",
			"Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; " +
				"others: https://graphviz.org/download/), or write DOT or Mermaid text instead (-o FILE.dot, -o FILE.mmd)"}}
	}
	af, err := atomicfile.Create(out, 0o644)
	if err != nil {
		return &exitError{code: exitIO, err: &pathError{out, err}}
	}
	defer af.Abort()
	c := exec.Command(bin, "-T"+format)
	c.Stdin = bytes.NewReader(dotText)
	c.Stdout = af
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		lines := strings.Split(msg, "\n")
		for i, l := range lines {
			lines[i] = safetext.Escape(strings.TrimRight(l, "\r"))
		}
		lines[0] = "dot -T" + format + " failed: " + lines[0]
		return &exitError{code: exitIO, err: linesError(lines)}
	}
	if err := af.Commit(); err != nil {
		return &exitError{code: exitIO, err: &pathError{out, err}}
	}
	return nil
}

// runInject rewrites (or, with --check, checks) the sfn:graph blocks of Markdown files.
func runInject(cmd *cobra.Command, f *graphFlags) error {
	stale := 0
	for _, md := range f.inject {
		src, err := load.ReadFile(md, load.MaxFileSize)
		if err != nil {
			return &exitError{code: exitIO, err: &pathError{md, err}}
		}
		dir := filepath.Dir(md)
		out, blocks, err := render.Inject(src, func(args []string) (string, error) {
			return injectBlock(cmd, dir, args)
		})
		if err != nil {
			var ee *exitError
			if errors.As(err, &ee) {
				if ee.err != nil {
					ee.err = fmt.Errorf("%s: %w", md, err)
				}
				return ee
			}
			return &exitError{code: exitUsage, err: fmt.Errorf("%s: %v", md, err)}
		}
		for _, b := range blocks {
			if b.Old != b.New {
				stale++
				if f.check {
					printLine(cmd.ErrOrStderr(), "%s:%d: diagram of %s is stale (run sfn graph --inject %s)", md, b.Line, b.Args[0], md)
				}
			}
		}
		if len(blocks) == 0 {
			printLine(cmd.ErrOrStderr(), "sfn: warning: %s has no <!-- sfn:graph PATH --> block", md)
		}
		if !f.check && !bytes.Equal(out, src) {
			if err := writeFile(md, out, 0o644); err != nil {
				return err
			}
		}
	}
	if f.check && stale > 0 {
		return &exitError{code: exitFindings}
	}
	return nil
}

// injectBlock renders the content of one marker: a fenced Mermaid (or DOT) block.
func injectBlock(cmd *cobra.Command, dir string, args []string) (string, error) {
	var f graphFlags
	fs := pflag.NewFlagSet("sfn:graph", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.define(fs, true)
	if err := fs.Parse(args); err != nil {
		return "", &exitError{code: exitUsage, err: err}
	}
	if fs.NArg() != 1 {
		return "", &exitError{code: exitUsage, err: fmt.Errorf("want one definition path in the marker, got %q", fs.Args())}
	}
	format := strings.ToLower(f.format)
	switch format {
	case "", "mermaid", "mmd":
		format = "mermaid"
	case "dot", "gv":
		format = "dot"
	default:
		return "", &exitError{code: exitUsage, err: fmt.Errorf("unknown --format %q in marker (want mermaid or dot)", f.format)}
	}
	path, err := render.MarkerPath(dir, fs.Arg(0))
	if err != nil {
		return "", &exitError{code: exitUsage, err: err}
	}
	g, err := buildGraph(cmd, path, &f, dir)
	if err != nil {
		return "", err
	}
	text, err := writeGraph(g, format)
	if err != nil {
		return "", err
	}
	if format == "mermaid" {
		if w := render.MermaidWarning(g, text); w != "" {
			printLine(cmd.ErrOrStderr(), "sfn: warning: %s: %s", path, w)
		}
	}
	return render.Fenced(format, text), nil
}
