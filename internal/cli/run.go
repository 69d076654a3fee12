package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/sfn-tool/sfn/internal/safetext"
	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/template"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run"
	"github.com/sfn-tool/sfn/run/handler"
	"github.com/sfn-tool/sfn/run/history"
	"github.com/sfn-tool/sfn/validate"
)

// Exit codes of sfn run (besides exitOK, exitUsage and exitIO).
const (
	exitExecution   = 1   // the execution FAILED, TIMED_OUT or was ABORTED
	exitInterrupted = 130 // Ctrl-C
)

// waitHint is the sleep above which a real-clock run suggests --clock virtual.
const waitHint = 5 * time.Second

// runFlags are the flags of sfn run.
type runFlags struct {
	input, name, clock, config, mockConfig, testCase, smName string
	history, historyFile, color, startTime                   string
	stubMissing, verbose, noPayloadLimit, noValidate         bool
	noEventLimit, watch, answerTokens, children              bool
	s3Dir, logicalID, typ                                    string
	subs, endpoints                                          []string
	summary                                                  summaryFlags
	st                                                       stateFlags // --state
	answer                                                   *answerer  // answers task tokens (nil: none)
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Run a state machine locally, with mocked, stubbed or command task handlers",
		Long: "Run a state machine definition (JSON or YAML; '-' reads standard input) on this machine.\n\n" +
			"Task states need handlers. They are chosen per state, first match wins:\n" +
			"  1. --mock-config F --test-case NAME: a state listed in the test case (AWS Step Functions\n" +
			"     Local's MockConfigFile format);\n" +
			"  2. the config file (sfn.yaml beside FILE, or --config): an entry of \"tasks\" with the\n" +
			"     state's name (a command, a fixed result or error, or a sequence of them);\n" +
			"  3. the config file: the first entry of \"resources\" whose glob matches the Resource;\n" +
			"  4. --endpoint SERVICE=URL: a request-response integration of SERVICE (dynamodb:putItem,\n" +
			"     aws-sdk:dynamodb:putItem, sqs, sns, ...) sends its request to the endpoint;\n" +
			"  5. --stub-missing: the task succeeds with a stand-in result shaped like the integration's\n" +
			"     response (a Lambda function returns its input, lambda:invoke the Lambda response around\n" +
			"     the Payload it was sent, sqs:sendMessage a MessageId, ...; else {}), marked \"stub\" in\n" +
			"     the history table.\n" +
			"A .waitForTaskToken task left without a handler waits for its answer on standard input\n" +
			"with --answer-tokens (the default when standard input is a terminal and --stub-missing is\n" +
			"off): a JSON output, fail [ERROR [CAUSE]], or heartbeat. A command handler's standard output\n" +
			"is its token's answer (the token is in SFN_TASK_TOKEN).\n" +
			"Any other Task state left without a handler stops the run before it starts.\n\n" +
			"The history streams to standard error as a table (--history table, the default), as AWS\n" +
			"GetExecutionHistory JSON (--history json), or not at all (--history none); --history-file F\n" +
			"also writes the JSON to F. The output of a successful execution goes to standard output.\n\n" +
			"Exit status: 0 SUCCEEDED, 1 FAILED, TIMED_OUT or ABORTED, 2 the run could not start (usage\n" +
			"error; invalid definition, input or config; missing handlers), 3 a file could not be read\n" +
			"(definition, input), or an internal error,\n" +
			"130 interrupted (Ctrl-C, SIGTERM, SIGHUP or SIGQUIT: handler processes are killed and the\n" +
			"partial history printed; a second signal stops sfn at once).\n\n" +
			"AWS's limits apply on either clock: a STANDARD execution fails (States.Runtime) when its\n" +
			"history reaches 25,000 events, and an execution times out (States.Timeout) after 1 year\n" +
			"(STANDARD) or 5 minutes (EXPRESS), or its TimeoutSeconds.",
		Example: "  sfn run samples/order-processing/order-processing.asl.json --input samples/order-processing/input.json\n" +
			"  sfn run machine.asl.json --input '{\"orderId\": \"o-1\"}' --clock virtual --history json --history-file h.json\n" +
			"  sfn run machine.asl.json --mock-config MockConfigFile.json --test-case HappyPath",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.input, "input", "i", "", "execution input: a FILE, '-' for standard input, or JSON text (default {})")
	fl.StringVar(&f.name, "name", "", "execution name (default: from the start time)")
	fl.StringVar(&f.clock, "clock", "real", "real (Waits and retry intervals sleep) or virtual (they finish at once; timestamps advance)")
	fl.StringVar(&f.startTime, "start-time", "", "with --clock virtual: the execution's start time, RFC 3339 (default: now); fixes the history's timestamps")
	fl.StringVar(&f.config, "config", "", "task handler config (default: sfn.yaml beside FILE)")
	fl.StringVar(&f.mockConfig, "mock-config", "", "AWS Step Functions Local MockConfigFile")
	fl.StringVar(&f.testCase, "test-case", "", "test case of the mock config to use")
	fl.StringVar(&f.logicalID, "state-machine", "", "in a template (CloudFormation, SAM, CDK, Serverless): the logical id of the state machine to run")
	fl.StringArrayVar(&f.subs, "sub", nil, "put VALUE in for ${KEY} placeholders (in a template: add or override a DefinitionSubstitutions value), KEY=VALUE (repeatable)")
	fl.StringVar(&f.smName, "state-machine-name", "", "state machine of the mock config (needed when it has several); also names the ARNs")
	fl.BoolVar(&f.noValidate, "no-validate", false, "run even when sfn validate reports errors (AWS would refuse to create such a machine)")
	fl.StringArrayVar(&f.endpoints, "endpoint", nil, endpointUsage)
	fl.BoolVar(&f.answerTokens, "answer-tokens", false, "answer the task tokens of .waitForTaskToken tasks without a handler on standard input: a JSON output, fail [ERROR [CAUSE]], or heartbeat (default when standard input is a terminal)")
	fl.BoolVar(&f.stubMissing, "stub-missing", false, "Task states without a handler succeed with a stand-in result shaped like the integration's response")
	fl.StringVar(&f.s3Dir, "s3-dir", "", "local directory standing for Amazon S3: s3://BUCKET/KEY is DIR/BUCKET/KEY (distributed Map ItemReader, ResultWriter; default: s3: in sfn.yaml)")
	fl.StringVar(&f.typ, "type", "", "execution type: STANDARD or EXPRESS (default: the template's Type, else STANDARD)")
	fl.BoolVar(&f.children, "children", false, "show the histories of a distributed Map's child executions in the table, each under its name (they are not part of the JSON history, as on AWS)")
	fl.BoolVar(&f.noEventLimit, "no-event-limit", false, "lift AWS's limit of 25,000 history events in a STANDARD execution (benchmarks of long loops)")
	fl.BoolVar(&f.noPayloadLimit, "no-payload-limit", false, "lift AWS's 256 KiB limit on state inputs, outputs and task results (States.DataLimitExceeded)")
	fl.StringVar(&f.history, "history", "table", "history on standard error: table, json or none")
	fl.StringVar(&f.historyFile, "history-file", "", "write the history as AWS JSON to FILE (streamed; FILE is replaced when the run ends, also when interrupted)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "show payloads whole in the history table")
	fl.BoolVarP(&f.watch, "watch", "w", false, "run again whenever the definition, the input file, sfn.yaml, the mock config or a handler script changes (Ctrl-C stops, exit 130)")
	fl.StringVar(&f.color, "color", "auto", "colour the history table: auto, always or never")
	f.summary.register(fl)
	f.st.register(fl)
	return cmd
}

func runRun(cmd *cobra.Command, args []string, f *runFlags) error {
	if err := checkRunFlags(args, f); err != nil {
		return err
	}
	if err := checkAnswerFlags(args, f); err != nil {
		return err
	}
	if f.watch {
		return watchRun(cmd, args, f)
	}
	// A run's heap is mostly short-lived values (each state's input and output): the default GC
	// pace keeps the peak memory at about twice the live data (main sets 400 for validate's
	// long-lived trees).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
	start, err := runStartTime(f)
	if err != nil {
		return err
	}
	if err := checkStateFlags(f); err != nil {
		return err
	}
	f.answer = newAnswerer(cmd.InOrStdin(), cmd.ErrOrStderr(), args, f)
	defer f.answer.close()
	if f.st.state != "" {
		return runState(cmd, args[0], f, start)
	}
	p, err := prepareRun(cmd, args[0], f)
	if err != nil {
		return err
	}
	out := newRunOutput(cmd, f, p)
	defer out.close()
	p.logs.setOutput(out)
	f.answer.setOutput(out)
	return execute(cmd, f, p, out, start)
}

// checkRunFlags checks the arguments and the flags that take one of a few values.
func checkRunFlags(args []string, f *runFlags) error {
	if len(args) != 1 {
		return usageErr("run needs exactly one FILE")
	}
	switch f.history {
	case "table", "json", "none":
	default:
		return usageErr("unknown --history %q (want table, json or none)", f.history)
	}
	switch f.clock {
	case "real", "virtual":
	default:
		return usageErr("unknown --clock %q (want real or virtual)", f.clock)
	}
	switch f.typ = strings.ToUpper(f.typ); f.typ {
	case "", run.Standard, run.Express:
	default:
		return usageErr("unknown --type %q (want STANDARD or EXPRESS)", f.typ)
	}
	switch f.color {
	case "auto", "always", "never":
	default:
		return usageErr("unknown --color %q (want auto, always or never)", f.color)
	}
	if args[0] == "-" && f.input == "-" {
		return usageErr("the definition and --input cannot both be standard input")
	}
	if f.children && f.history != "table" {
		return usageErr("--children shows child executions in the history table: it goes with --history table (the JSON history is the parent's, as AWS's)")
	}
	return nil
}

// runStartTime is the execution's start time: now, or --start-time with --clock virtual.
func runStartTime(f *runFlags) (time.Time, error) {
	if f.startTime == "" {
		return time.Now().UTC().Truncate(time.Millisecond), nil
	}
	if f.clock != "virtual" {
		return time.Time{}, usageErr("--start-time needs --clock virtual")
	}
	t, err := time.Parse(time.RFC3339Nano, f.startTime)
	if err != nil {
		return time.Time{}, usageErr("--start-time %q is not an RFC 3339 time such as 2024-05-01T10:00:00Z", f.startTime)
	}
	return t.UTC(), nil
}

// preparedRun is everything a run needs before it starts.
type preparedRun struct {
	logs     *handlerLogs // what command handlers print on stderr
	m        *asl.Machine
	name     string // the file, or the template's logical id
	smName   string // the state machine's name in ARNs
	input    any
	resolver *handler.Resolver
}

// prepareRun loads the definition, the input and the handlers, and checks that every Task state
// has a handler.
func prepareRun(cmd *cobra.Command, file string, f *runFlags) (*preparedRun, error) {
	m, name, err := loadMachine(cmd, file, f)
	if err != nil {
		return nil, err
	}
	input, err := readInput(f.input, cmd.InOrStdin())
	if err != nil {
		return nil, err
	}
	logs := &handlerLogs{keep: f.historyFile != ""}
	resolver, smName, err := setupHandlers(file, f, logs.log)
	if err != nil {
		return nil, err
	}
	if err := resolver.Check(m); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	for _, st := range resolver.UnknownMocks(m) {
		printLine(cmd.ErrOrStderr(), "sfn: warning: test case %q mocks %q, which is not a state of %s", f.testCase, st, name)
	}
	return &preparedRun{logs: logs, m: m, name: name, smName: cmp.Or(smName, run.MachineName(name)), input: input, resolver: resolver}, nil
}

// runOutput is where a run writes for people: the history table (or nil) and notes.
type runOutput struct {
	live   bool // the table is on a terminal
	table  *history.Table
	stderr io.Writer
	quiet  bool // --history json on standard error: notes would break the JSON
}

func newRunOutput(cmd *cobra.Command, f *runFlags, p *preparedRun) *runOutput {
	stderr := cmd.ErrOrStderr()
	o := &runOutput{stderr: stderr, quiet: f.history == "json" && f.historyFile == ""}
	if f.history == "table" {
		opts := tableOptions(f, p.m, stderr)
		opts.Stubbed = stubbedStates(p.m, p.resolver)
		if opts.Where = statePlaces(p.m); opts.Where != nil {
			opts.StateWidth = stateColumn(placedNames(p.m, opts.Where), opts.Width)
		}
		o.table, o.live = history.NewTable(stderr, opts), opts.Live
	}
	return o
}

// note prints a line for people: in the table, else on standard error unless the JSON history
// is there.
func (o *runOutput) note(s string) {
	switch {
	case o.table != nil:
		o.table.Print(s)
	case !o.quiet:
		printLine(o.stderr, "%s", s)
	}
}

func (o *runOutput) close() {
	if o.table != nil {
		o.table.Close()
	}
}

// runOptions are the interpreter's options for the flags.
func runOptions(f *runFlags, p *preparedRun, out *runOutput, start time.Time) run.Options {
	var clock run.Clock
	if f.clock == "virtual" {
		clock = run.NewVirtualClock(start)
	} else {
		hc := &hintClock{Clock: run.RealClock, note: out.note}
		if out.table != nil && out.live {
			hc.countdown = out.table.Countdown
		}
		clock = hc
	}
	return run.Options{
		Clock:            clock,
		Handlers:         p.resolver.Handler,
		ExecutionName:    f.name,
		StateMachineName: p.smName,
		NoHistory:        f.history == "none" && f.historyFile == "",
		NoPayloadLimit:   f.noPayloadLimit,
		Type:             f.typ,
		NoEventLimit:     f.noEventLimit,
		Children:         f.children,
		S3Dir:            cmp.Or(f.s3Dir, p.resolver.S3Dir()),
		// The history is streamed as events happen (the table, the JSON history): the runner
		// keeps none of it.
		DiscardEvents: true,
	}
}

// execute runs the prepared execution, streams its history and reports its outcome.
func execute(cmd *cobra.Command, f *runFlags, p *preparedRun, out *runOutput, start time.Time) error {
	opts := runOptions(f, p, out, start)
	p.logs.setClock(opts.Clock)
	sink, err := openHistory(f, out.stderr)
	if err != nil {
		return err
	}
	defer sink.abort()
	span := &eventSpan{}
	opts.OnEvent = eventSinks(out.table, sink, span)
	summarizer, err := f.summary.start(&opts)
	if err != nil {
		return err
	}
	// The table, the JSON history and the summary take the events beside the interpreter, with
	// their details compact.
	pipe := history.NewPipe(opts.OnEvent)
	defer pipe.Close()
	opts.OnEvent, opts.CompactDetails = pipe.Event, true
	if out.table != nil {
		out.table.SetSync(pipe.Sync) // a line printed between events comes after those recorded
	}
	runner, err := run.New(p.m, opts)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %v", p.name, strings.TrimPrefix(err.Error(), "run: "))}
	}

	// Ctrl-C, SIGTERM, SIGHUP or SIGQUIT aborts the execution: handler processes are killed, the
	// partial history is printed, and sfn exits 130.
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	stopWatching, interrupted := stopOnSignal(cancel, sink)
	res, err := startSafely(runner, ctx, p.input)
	stopWatching()
	if perr := pipe.Close(); err == nil {
		err = perr
	}
	if err != nil {
		handler.KillAll()
		return &exitError{code: exitIO, err: err}
	}
	out.close()
	wasInterrupted := interrupted()
	if sink != nil {
		if err := sink.finish(); err != nil {
			if !wasInterrupted {
				return err
			}
			printError(out.stderr, err)
		}
	}
	if err := p.logs.finish(f.historyFile); err != nil {
		if !wasInterrupted {
			return err
		}
		printError(out.stderr, err)
	}
	err = report(cmd.OutOrStdout(), out, res, statusLine(res, span), wasInterrupted)
	if serr := f.summary.write(out.stderr, summarizer, res, p.m, opts.Type, f.clock); serr != nil {
		return serr
	}
	return err
}

// report prints the summary and, for a successful execution, its output; the error carries the
// exit code.
func report(stdout io.Writer, out *runOutput, res *run.Result, summary string, interrupted bool) error {
	switch {
	case res.Status == run.Succeeded:
		if out.table != nil {
			out.note(summary)
		}
		if err := writeOutput(stdout, res.Output); err != nil {
			return stdoutError(err)
		}
		return nil
	case interrupted:
		out.note(summary + " (interrupted)")
		return &exitError{code: exitInterrupted}
	default:
		out.note(summary)
		return &exitError{code: exitExecution}
	}
}

// startSafely runs the execution, turning a panic of the interpreter into an internal error.
func startSafely(r *run.Runner, ctx context.Context, input any) (res *run.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	res = r.Start(ctx, input)
	if res == nil {
		return nil, errors.New("internal error: no result")
	}
	return res, nil
}

// loadMachine reads and builds the definition: a definition file, or the state machine of a
// template that --state-machine names (with --sub substitutions). Problems are printed as sfn
// validate prints them; for sfn run they mean the run could not start (exit 2), except a file
// that cannot be read (exit 3, as in validate and graph).
func loadMachine(cmd *cobra.Command, name string, f *runFlags) (*asl.Machine, string, error) {
	tm, err := loadDefinition(cmd, name, f.logicalID, f.subs)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) && ee.code != exitUsage && ee.code != exitIO {
			ee.code = exitUsage // an unreadable file keeps exit 3, as in validate and graph
		}
		return nil, name, err
	}
	for _, p := range tm.Problems {
		if p.Warning && p.Err.Rule == template.RuleSubUnused {
			printLine(cmd.ErrOrStderr(), "sfn: warning: %s", p.Err.Message)
		}
	}
	m := asl.Build(tm.Doc)
	if m == nil || !load.IsDefinition(tm.Doc.Root) {
		return nil, name, &exitError{code: exitUsage, err: fmt.Errorf("%s: not a state machine definition (no States and StartAt)", name)}
	}
	if !f.noValidate {
		// AWS refuses to create a machine it would reject, so sfn run refuses it too, with the
		// positioned errors sfn validate gives (warnings are left to sfn validate).
		opts := &validate.Options{Type: cmp.Or(f.typ, strings.ToUpper(tm.Type), "STANDARD"), MinSeverity: validate.Error, Severity: map[string]validate.Severity{}}
		if ds := validate.CheckMachine(tm.Doc, m, opts); len(ds) > 0 {
			stderr := cmd.ErrOrStderr()
			fm, _ := validate.NewFormatter("text", stderr, validate.FormatOptions{Color: useColor(f.color, stderr)})
			_ = fm.Write(validate.FileResult{File: tm.Doc.Name, Source: tm.Doc.Source, Diagnostics: ds})
			_ = fm.Flush()
			return nil, name, &exitError{code: exitUsage, err: fmt.Errorf("%s: the definition has errors AWS would reject (--no-validate runs it anyway)", name)}
		}
	}
	if tm.LogicalID != "" {
		name = tm.LogicalID
	}
	f.typ = cmp.Or(f.typ, strings.ToUpper(tm.Type)) // the template's Type, unless --type says
	return m, name, nil
}

// readInput reads --input: '-' (standard input), a file, or JSON text. The default is {}.
func readInput(flag string, stdin io.Reader) (any, error) {
	if flag == "" {
		return value.NewObject(0), nil
	}
	return readJSONFlag("--input", "input is", flag, stdin)
}

// readJSONFlag reads the JSON value a flag gives (name; what: "input is"): '-' (standard input), a
// file, or JSON text; errors name the flag, or the file with the position.
func readJSONFlag(name, what, flag string, stdin io.Reader) (any, error) {
	var src []byte
	where := name
	switch {
	case flag == "-":
		b, err := load.ReadAll(stdin, load.MaxFileSize)
		if err != nil {
			return nil, &exitError{code: exitIO, err: fmt.Errorf("%s -: %v", name, err)}
		}
		src, where = b, "<stdin>"
	default:
		var tooLarge *load.TooLargeError
		if b, err := load.ReadFile(flag, load.MaxFileSize); err == nil {
			src, where = b, flag
		} else if looksLikeJSON(flag) && !errors.As(err, &tooLarge) {
			src = []byte(flag)
		} else {
			return nil, &exitError{code: exitIO, err: &pathError{flag, err}}
		}
	}
	v, err := load.DecodeJSON(src) // the same strict parser as definitions: errors have a position
	if err != nil {
		if le, ok := err.(*load.Error); ok {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s:%s: %s not JSON: %s", where, le.Pos, what, le.Message)}
		}
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s is not JSON: %v", where, err)}
	}
	return v, nil
}

// looksLikeJSON says whether an --input value that names no file is meant as JSON text.
func looksLikeJSON(s string) bool {
	s = strings.TrimSpace(s)
	switch {
	case s == "true", s == "false", s == "null":
		return true
	case s == "":
		return false
	}
	return strings.ContainsRune(`{["-0123456789`, rune(s[0]))
}

// setupHandlers reads the config and mock files and returns the resolver and the state
// machine name the mock file gives (or --state-machine-name).
func setupHandlers(file string, f *runFlags, logs handler.LogFunc) (*handler.Resolver, string, error) {
	opts := handler.Options{StubMissing: f.stubMissing, TestCase: f.testCase, StateMachine: f.smName, Logs: logs}
	if a := f.answer.handler(); a != nil {
		opts.Answer = a
	}
	cfgPath := f.config
	if cfgPath == "" {
		dir := "."
		if file != "-" {
			dir = filepath.Dir(file)
		}
		cfgPath = handler.FindConfig(dir)
	}
	if cfgPath != "" {
		c, err := handler.LoadConfig(cfgPath)
		if err != nil {
			return nil, "", &exitError{code: exitUsage, err: err}
		}
		opts.Config = c
	}
	c, err := withEndpoints(opts.Config, f.endpoints)
	if err != nil {
		return nil, "", err
	}
	opts.Config = c
	smName := f.smName
	if f.mockConfig != "" {
		mc, err := handler.LoadMockConfig(f.mockConfig)
		if err != nil {
			return nil, "", &exitError{code: exitUsage, err: err}
		}
		opts.Mock = mc
		if smName == "" && len(mc.StateMachines) == 1 {
			for n := range mc.StateMachines {
				smName = n
			}
		}
	}
	r, err := handler.NewResolver(opts)
	if err != nil {
		return nil, "", usageErr("%v", err)
	}
	return r, smName, nil
}

// statePlaces says, for the history table, which states run directly in a Map's processor and
// which in a Parallel's branch (its number, from 1).
func statePlaces(m *asl.Machine) func(string) (bool, int) {
	type place struct {
		inMap  bool
		branch int
	}
	places := map[string]place{}
	for _, st := range m.All {
		switch parent := st.Scope.Parent; {
		case parent == nil:
		case parent.Type == "Map":
			places[st.Name] = place{inMap: true}
		case parent.Type == "Parallel":
			places[st.Name] = place{branch: slices.Index(parent.Branches, st.Scope) + 1}
		}
	}
	if len(places) == 0 {
		return nil
	}
	return func(name string) (bool, int) {
		p := places[name]
		return p.inMap, p.branch
	}
}

// placedNames are the state names as the table shows them with their place (a Map index of two
// digits assumed), to size its state column.
func placedNames(m *asl.Machine, where func(string) (bool, int)) []string {
	names := make([]string, 0, len(m.All))
	for _, st := range m.All {
		switch inMap, branch := where(st.Name); {
		case inMap:
			names = append(names, st.Name+" [00]")
		case branch > 0:
			names = append(names, fmt.Sprintf("%s [b%d]", st.Name, branch))
		default:
			names = append(names, st.Name)
		}
	}
	return names
}

// stubbedStates says which Task states --stub-missing answers (nil: none).
func stubbedStates(m *asl.Machine, r *handler.Resolver) func(string) bool {
	stubbed := map[string]bool{}
	for _, st := range m.All {
		if st.Type == "Task" && r.Source(st) == "stub-missing" {
			stubbed[st.Name] = true
		}
	}
	if len(stubbed) == 0 {
		return nil
	}
	return func(name string) bool { return stubbed[name] }
}

func tableOptions(f *runFlags, m *asl.Machine, stderr io.Writer) history.TableOptions {
	names := make([]string, 0, len(m.All))
	for _, st := range m.All {
		names = append(names, st.Name)
	}
	opts := history.TableOptions{
		Color:   useColor(f.color, stderr),
		Verbose: f.verbose,
	}
	if file, ok := stderr.(*os.File); ok && term.IsTerminal(file.Fd()) && os.Getenv("TERM") != "dumb" {
		opts.Live = true
		if w, _, err := term.GetSize(file.Fd()); err == nil && w > 40 {
			opts.Width = w
		}
	}
	opts.StateWidth = stateColumn(names, opts.Width)
	return opts
}

// stateColumn is the width of the table's state column: history.StateWidth (the longest name,
// 12 to 32), wider on a wide terminal when names are longer, leaving the payload 40 columns.
func stateColumn(names []string, termWidth int) int {
	w := history.StateWidth(names)
	longest := 0
	for _, n := range names {
		longest = max(longest, utf8.RuneCountInString(n))
	}
	if room := termWidth - 9 - 24 - 3 - 40; termWidth > 0 && longest > w && room > w {
		w = min(longest, room)
	}
	return w
}

// statusLine sums up a finished execution: "SUCCEEDED in 0.042s", "FAILED in 2.1s: Error: cause".
func statusLine(res *run.Result, span *eventSpan) string {
	s := string(res.Status)
	if span.n > 1 {
		s += " in " + span.last.Sub(span.first).Round(time.Millisecond).String()
	} else if !res.Started.IsZero() {
		s += " in " + res.Stopped.Sub(res.Started).Round(time.Millisecond).String()
	}
	if res.Error != "" || res.Cause != "" {
		s += ": " + res.Error
		if res.Cause != "" {
			s += ": " + res.Cause
		}
	}
	return s
}

func writeOutput(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return writeIndented(w, safetext.JSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
}

// hintClock is the real clock; each sleep longer than waitHint says so, the first suggests
// --clock virtual, and on a terminal (countdown set) the time left is counted down.
type hintClock struct {
	run.Clock
	note      func(string)
	countdown func(string) // the history table's Countdown on a terminal (nil: none)
	once      sync.Once
}

func (c *hintClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= waitHint {
		return c.Clock.Sleep(ctx, d)
	}
	first := false
	c.once.Do(func() { first = true })
	msg := fmt.Sprintf("sfn: waiting %v for real", d.Round(time.Second))
	if first {
		msg += "; --clock virtual finishes Waits and retry intervals at once"
	}
	c.note(msg)
	if c.countdown == nil {
		return c.Clock.Sleep(ctx, d)
	}
	defer c.countdown("")
	for left := d; left > 0; left -= time.Second {
		c.countdown(fmt.Sprintf("%s waiting: %v left (Ctrl-C stops)", strings.Repeat(" ", 9), left.Round(time.Second)))
		if err := c.Clock.Sleep(ctx, min(left, time.Second)); err != nil {
			return err
		}
	}
	return nil
}
