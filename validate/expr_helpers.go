package validate

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/load"
	"github.com/sfn-tool/sfn/pkg/path"
)

// Helpers shared by the expression rules (JSONPath paths, payload templates, intrinsic functions).
// They read the expressions the model parsed once (c.Machine.Exprs); they never parse strings again.

// exprEach calls fn for every non-JSONata expression of the definition whose value is not a
// deploy-time placeholder.
func exprEach(c *Context, fn func(e *asl.Expr)) {
	for _, e := range c.Machine.Exprs {
		if e.Kind == asl.KindJSONata || e.Placeholder && !c.Opts.StrictPlaceholders {
			continue
		}
		fn(e)
	}
}

// exprSyntaxError returns e's syntax error when validators should report it: nil when the value
// parsed, and nil for text Jayway JsonPath (which AWS uses) accepts although the ASL grammar does not.
func exprSyntaxError(e *asl.Expr) *path.SyntaxError {
	if e.Err == nil {
		return nil
	}
	var se *path.SyntaxError
	if !errors.As(e.Err, &se) {
		return &path.SyntaxError{Message: e.Err.Error()}
	}
	if se.Jayway {
		return nil
	}
	return se
}

// exprIsCall reports whether e's value is written as an intrinsic function call (States.…).
func exprIsCall(e *asl.Expr) bool {
	return e.Node.Kind == load.String && intrinsic.IsCall(e.Node.Text)
}

// exprPayloadLocation is AWS's location for a payload-template finding: the object holding the
// "key.$" field (AWS reports /States/S/Parameters for 'x.$' inside Parameters).
func exprPayloadLocation(e *asl.Expr) string {
	return strings.TrimSuffix(e.Pointer(), "/"+e.Key)
}

// exprPosAt returns the position of byte offset off inside the string node n: the string's own
// position moved right to the offending character when the source spells the string without
// escape sequences on one line (a "…" or '…' quoted or a plain scalar); otherwise n's position.
func exprPosAt(c *Context, n *load.Node, off int) load.Pos {
	if n == nil || n.Kind != load.String || off < 0 || c.Doc == nil {
		return n.Pos
	}
	if off > len(n.Text) {
		off = len(n.Text)
	}
	line := []rune(load.SourceLine(c.Doc.Source, n.Pos.Line))
	i := n.Pos.Col - 1
	if i < 0 || i >= len(line) {
		return n.Pos
	}
	shift := utf8.RuneCountInString(n.Text[:off])
	rest := string(line[i:])
	switch q := line[i]; {
	case q == '"' || q == '\'':
		if strings.HasPrefix(rest[1:], n.Text+string(q)) {
			return load.Pos{Line: n.Pos.Line, Col: n.Pos.Col + 1 + shift}
		}
	case strings.HasPrefix(rest, n.Text):
		return load.Pos{Line: n.Pos.Line, Col: n.Pos.Col + shift}
	}
	return n.Pos
}

// exprCalls calls fn for c and every intrinsic call nested in its arguments.
func exprCalls(c *intrinsic.Call, fn func(*intrinsic.Call)) {
	if c == nil {
		return
	}
	fn(c)
	for _, a := range c.Args {
		if a.Kind == intrinsic.ArgCall {
			exprCalls(a.Call, fn)
		}
	}
}

// exprProblems reports the intrinsic.Check problems of category cat in e's call.
func exprProblems(c *Context, cat intrinsic.Category) {
	exprEach(c, func(e *asl.Expr) {
		if e.Call == nil {
			return
		}
		for _, p := range intrinsic.Check(e.Call) {
			if p.Category != cat {
				continue
			}
			msg := p.Message
			if cat == intrinsic.CategoryUnknown {
				msg += "; the functions are " + exprFunctionNames()
			}
			c.Report(exprPosAt(c, e.Node, p.Offset), exprLocation(e), "Invalid intrinsic function call in '%s': %s", e.Key, msg)
		}
	})
}

// exprLocation is the AWS location of a finding about e.
func exprLocation(e *asl.Expr) string {
	if e.Kind == asl.KindPayload {
		return exprPayloadLocation(e)
	}
	return e.Pointer()
}

// exprFunctionNames lists the known intrinsic functions: "States.Format, States.StringToJson, …".
func exprFunctionNames() string {
	var names []string
	for _, f := range intrinsic.Functions() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// exprFieldAllowed reports whether e's state-level InputPath/OutputPath/ResultPath is a field its
// state type has (otherwise field-not-supported reports the field and the path rules stay quiet).
func exprFieldAllowed(e *asl.Expr) bool {
	if e.Catcher != nil || e.Rule != nil || e.Field != e.Key {
		return true
	}
	switch e.Key {
	case "InputPath", "OutputPath":
		return e.State.Type != "Fail"
	case "ResultPath":
		switch e.State.Type {
		case "Task", "Parallel", "Map", "Pass":
			return true
		}
		return false
	}
	return true
}
