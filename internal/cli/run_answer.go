package cli

import (
	"io"
	"os"
	"sync"

	"github.com/charmbracelet/x/term"

	"github.com/sfn-tool/sfn/run/handler"
)

// answerer answers the task tokens of .waitForTaskToken tasks that have no handler from
// standard input (sfn run --answer-tokens, or by default when standard input is a terminal).
type answerer struct {
	h *handler.Answerer

	mu     sync.Mutex
	out    *runOutput
	stderr io.Writer
}

// newAnswerer is the answerer of the run (nil: tokens are not answered from standard input).
// --answer-tokens asks for it; without the flag it is on when standard input is a terminal
// that nothing else reads, and --stub-missing is off.
func newAnswerer(stdin io.Reader, stderr io.Writer, args []string, f *runFlags) *answerer {
	if !f.answerTokens && (stdinUsed(args, f) || f.stubMissing || f.watch || !stdinTerminal(stdin)) {
		return nil
	}
	a := &answerer{stderr: stderr}
	a.h = &handler.Answerer{In: stdin, Print: a.print}
	return a
}

// checkAnswerFlags refuses --answer-tokens where standard input is read for something else, and
// with --watch.
func checkAnswerFlags(args []string, f *runFlags) error {
	switch {
	case f.answerTokens && stdinUsed(args, f):
		return usageErr("--answer-tokens reads standard input: the definition, --input and --variables cannot be '-'")
	case f.answerTokens && f.watch:
		return usageErr("--answer-tokens does not go with --watch")
	}
	return nil
}

// stdinUsed says whether the definition, --input or --variables is read from standard input.
func stdinUsed(args []string, f *runFlags) bool {
	return args[0] == "-" || f.input == "-" || f.st.variables == "-"
}

// stdinTerminal says whether r is a terminal.
func stdinTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// setOutput sends the prompts to the run's output (the history table when there is one).
func (a *answerer) setOutput(out *runOutput) {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.out = out
	a.mu.Unlock()
}

// print shows a prompt line: in the table, else on standard error (also with --history json
// there: the user asked to be asked).
func (a *answerer) print(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.out != nil && a.out.table != nil {
		a.out.table.Print(s)
		return
	}
	printLine(a.stderr, "%s", s)
}

// handler is the task handler for the resolver (nil without an answerer).
func (a *answerer) handler() *handler.Answerer {
	if a == nil {
		return nil
	}
	return a.h
}

// close stops reading standard input.
func (a *answerer) close() {
	if a != nil {
		a.h.Close()
	}
}
