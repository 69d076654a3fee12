// Package suite runs state machine test files (*.sfn-test.yaml, *.sfn-test.json) for sfn test:
// the strict reader of the file format (positions through pkg/load), the case runner (the
// interpreter of package run with the handlers of run/handler on a virtual clock), the
// expectations, coverage, snapshots, the reporters and the suite generator.
package suite

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/value"
	"github.com/sfn-tool/sfn/run/handler"
)

// Suffixes are the file name endings of test files, in the order they are looked for.
var Suffixes = []string{".sfn-test.yaml", ".sfn-test.yml", ".sfn-test.json"}

// IsTestFile reports whether name is a test file by its name.
func IsTestFile(name string) bool {
	for _, s := range Suffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// File is one parsed test file.
type File struct {
	Path   string // as given
	Source []byte
	Root   *load.Node

	Machine      string   // definition or template, relative to the test file
	MachinePos   load.Pos //
	StateMachine string   // template: logical id of the machine
	Subs         map[string]string
	Type         string // STANDARD or EXPRESS ("" : the template's, else STANDARD)
	Config       string // sfn.yaml ("" : the one beside the machine)
	ConfigPos    load.Pos
	MockConfig   string // MockConfigFile
	MockPos      load.Pos
	MockMachine  string // state machine name in the MockConfigFile
	NoValidate   bool
	Cases        []*Case
}

// Case is one test case.
type Case struct {
	Name      string
	Pos       load.Pos
	Input     any
	InputFile string
	InputPos  load.Pos
	MockCase  string // a test case of the file's MockConfigFile
	MockPos   load.Pos
	Mocks     map[string]*Mock // inline mocks by state name
	Handlers  map[string]*Override
	Snapshot  bool
	Expect    Expect
}

// Mock is an inline mock in the MockConfigFile response shape.
type Mock struct {
	State string
	Pos   load.Pos
	Steps []handler.MockStep
}

// Override is a handler in sfn.yaml's task shape (command, result, error, sequence).
type Override struct {
	State string
	Pos   load.Pos
	Node  *load.Node
}

// Expect holds a case's expectations; nil / empty fields are not checked.
type Expect struct {
	Status    string
	StatusPos load.Pos
	Error     *Text
	Cause     *Text
	Output    *Value
	Path      *PathExpect
	Counts    []*Count
	States    []*StateExpect
	Asserts   []*Assert
}

// Text is an exact string, or a regular expression written /like this/.
type Text struct {
	Pos   load.Pos
	Exact string
	Re    *regexp.Regexp
}

// Match reports whether s matches.
func (t *Text) Match(s string) bool {
	if t.Re != nil {
		return t.Re.MatchString(s)
	}
	return s == t.Exact
}

func (t *Text) String() string {
	if t.Re != nil {
		return "/" + t.Re.String() + "/"
	}
	return fmt.Sprintf("%q", t.Exact)
}

// Value is an expected JSON value: exact, or a subset ("contains": objects may have more members,
// arrays more items around the expected ones in order).
type Value struct {
	Pos      load.Pos
	Key      string // the key that holds it, for messages ("output", "output-contains")
	Want     any
	Contains bool
}

// PathExpect is the expected sequence of states entered: exact, or an ordered subsequence.
type PathExpect struct {
	Pos      load.Pos
	States   []string
	Contains bool
}

// Count is how many times a state is entered.
type Count struct {
	Pos   load.Pos
	State string
	N     int
}

// StateExpect is what one visit of a state (the first, the Visit-th, or the last) must show.
type StateExpect struct {
	Pos        load.Pos
	State      string
	Visit      int // 0-based index among the visits of the state
	Input      *Value
	Output     *Value
	Result     *Value
	Parameters *Value
	Retries    *int
	Error      *Text
	Cause      *Text
	Variables  *Value
}

// Assert is a JSONata expression ("{% ... %}") that must evaluate to true.
type Assert struct {
	Pos  load.Pos
	Text string
	expr *jsonata.Expr
}

// Error is a problem of a test file at a position.
type Error struct {
	File string
	Pos  load.Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Errors are the problems of one test file (exit 2).
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Sort orders the errors by file and position.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}

// valueOf converts a node into a run-time value.
func valueOf(n *load.Node) any {
	if n == nil {
		return value.NewObject(0)
	}
	return n.Interface()
}
