package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
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
	coverage                          string
	stateMachine                      string
	subs                              []string
	collapse, check, stats            bool
	inject                            []string
	dpi, scale                        float64
}

func (f *graphFlags) define(fl *pflag.FlagSet, marker bool) {
	fl.StringVarP(&f.format, "format", "f", "", "output format: dot, mermaid, svg, png or pdf (default: from -o's extension, else dot; mermaid in --inject blocks)")
	fl.StringVar(&f.direction, "direction", "TB", "layout direction: TB (top to bottom) or LR (left to right)")
	fl.BoolVar(&f.collapse, "collapse", false, "draw Map and Parallel states as single nodes (for very large machines)")
	fl.StringVar(&f.highlight, "highlight", "", "colour the path of one execution, from its history (GetExecutionHistory JSON)")
	fl.StringVar(&f.coverage, "coverage", "", "draw what a test suite covered, from sfn test --coverage-profile FILE (uncovered states dashed)")
	fl.BoolVar(&f.stats, "stats", false, "with --highlight: label each state with how often the execution entered it and its time")
	fl.StringVar(&f.stateMachine, "state-machine", "", "in a template (CloudFormation, SAM, CDK, Serverless): the logical id of the state machine to draw")
	fl.StringArrayVar(&f.subs, "sub", nil, "in a template: add or override a DefinitionSubstitutions value, KEY=VALUE (repeatable)")
	if !marker {
		fl.StringVarP(&f.out, "output", "o", "", "write to FILE; .dot/.gv, .mmd, .md (fenced Mermaid), or .svg/.png/.pdf (needs Graphviz's dot)")
		fl.StringArrayVar(&f.inject, "inject", nil, "rewrite the <!-- sfn:graph PATH [flags] --> blocks of a Markdown FILE (repeatable)")
		fl.BoolVar(&f.check, "check", false, "with --inject: change nothing, exit 1 when a block is stale")
		fl.Float64Var(&f.dpi, "dpi", 0, fmt.Sprintf("svg, png, pdf: resolution in dots per inch (Graphviz -Gdpi; %d to %d, default %d)", minDPI, maxDPI, defaultDPI))
		fl.Float64Var(&f.scale, "scale", 0, fmt.Sprintf("svg, png, pdf: size factor, the same as --dpi %d×SCALE", defaultDPI))
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
			"block), .svg/.png/.pdf (rendered by Graphviz's dot program, which must be on PATH), or\n" +
			"--format; without -o (or with -o -) the output goes to standard output, images too (PNG and\n" +
			"PDF not to a terminal). --dpi or --scale sizes an image.\n\n" +
			"--inject rewrites every block of a Markdown file between\n" +
			"  <!-- sfn:graph PATH [--format F] [--direction D] [--collapse] [--highlight H] -->\n" +
			"  <!-- /sfn:graph -->\n" +
			"with the current diagram of PATH (relative to the Markdown file); --check only reports stale blocks.\n\n" +
			"Exit status: 0 done, 1 a definition does not load or (--check) a block is stale,\n" +
			"2 usage error, 3 a file could not be read or written, or dot failed.",
		Example: "  sfn graph order.asl.json -o order.svg\n  sfn graph --format mermaid --direction LR order.asl.json\n" +
			"  sfn graph -f png --scale 2 order.asl.json > order.png\n" +
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
	dpi, err := imageDPI(f, format)
	if err != nil {
		return err
	}
	toStdout := f.out == "" || f.out == "-"
	if toStdout && (format == "png" || format == "pdf") && isTerminal(cmd.OutOrStdout()) {
		return usageErr("not writing %s to a terminal: redirect standard output or use -o FILE.%s", strings.ToUpper(format), format)
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
	if isImage(format) {
		return runDot(text, format, dpi, f.out, cmd.OutOrStdout())
	}
	return writeResult(cmd.OutOrStdout(), f.out, text)
}

// outputFormat picks the format from --format and -o's extension:
// dot, mermaid, md (fenced Mermaid), svg, png or pdf.
func outputFormat(flag, out string) (string, error) {
	flag = strings.ToLower(flag)
	switch flag {
	case "", "dot", "mermaid", "svg", "png", "pdf":
	case "gv":
		flag = "dot"
	case "mmd":
		flag = "mermaid"
	default:
		return "", usageErr("unknown --format %q (want dot, mermaid, svg, png or pdf)", flag)
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
	if f.stats && f.highlight == "" {
		return nil, usageErr("--stats needs --highlight HISTORY")
	}
	opts.TraceStats = f.stats
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
	if f.coverage != "" {
		if opts.Coverage, err = readCoverage(f.coverage, tm.Doc.Name, f.stateMachine, baseDir, root); err != nil {
			return nil, err
		}
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

// Image resolution (Graphviz's dpi attribute; its default for bitmaps is 96). The ceiling keeps a
// large machine's PNG within memory: dot's bitmap grows with the square of the dpi.
const (
	defaultDPI = 96
	minDPI     = 10
	maxDPI     = 600
)

// imageDPI returns the dpi that --dpi or --scale ask for (0: dot's default).
func imageDPI(f *graphFlags, format string) (float64, error) {
	if f.dpi == 0 && f.scale == 0 {
		return 0, nil
	}
	switch {
	case !isImage(format):
		return 0, usageErr("--dpi and --scale size images (svg, png, pdf), not %s text", format)
	case f.dpi != 0 && f.scale != 0:
		return 0, usageErr("give --dpi or --scale, not both")
	}
	dpi := f.dpi
	if f.scale != 0 {
		dpi = defaultDPI * f.scale
	}
	if !(dpi >= minDPI && dpi <= maxDPI) { // also false for NaN
		if f.scale != 0 {
			return 0, usageErr("--scale %g is out of range (%g to %g)", f.scale, float64(minDPI)/defaultDPI, float64(maxDPI)/defaultDPI)
		}
		return 0, usageErr("--dpi %g is out of range (%d to %d)", f.dpi, minDPI, maxDPI)
	}
	return dpi, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd()))
}

// runDot renders DOT text to an image with Graphviz's dot program, into the file out or (out ""
// or "-") to stdout. dpi 0 keeps dot's default.
func runDot(dotText []byte, format string, dpi float64, out string, stdout io.Writer) error {
	toFile := out != "" && out != "-"
	what := safetext.Escape(out)
	if !toFile {
		what = strings.ToUpper(format) + " to standard output"
	}
	bin, err := exec.LookPath("dot")
	if err != nil {
		return &exitError{code: exitIO, err: linesError{
			"writing " + what + " needs Graphviz's dot program, which is not on PATH.",
			"Install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; " +
				"others: https://graphviz.org/download/), or write DOT or Mermaid text instead (-o FILE.dot, -o FILE.mmd)"}}
	}
	args := []string{"-T" + format}
	if dpi != 0 {
		args = append(args, "-Gdpi="+strconv.FormatFloat(dpi, 'f', -1, 64))
	}
	c := exec.Command(bin, args...)
	c.Stdin = bytes.NewReader(dotText)
	var image bytes.Buffer // to stdout only once dot succeeded
	var af *atomicfile.File
	if toFile {
		var err error
		if af, err = atomicfile.Create(out, 0o644); err != nil {
			return &exitError{code: exitIO, err: &pathError{out, err}}
		}
		defer af.Abort()
		c.Stdout = af
	} else {
		c.Stdout = &image
	}
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
	if af == nil {
		if _, err := stdout.Write(image.Bytes()); err != nil {
			return stdoutError(err)
		}
		return nil
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
