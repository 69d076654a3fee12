package path

// Context is the kind of ASL field a path appears in; it decides which
// restrictions ParseIn applies.
type Context int

const (
	// ContextPath is a plain Path (InputPath, OutputPath, Choice Variable,
	// *Path comparators): any path is allowed.
	ContextPath Context = iota
	// ContextReferencePath is a Reference Path (ItemsPath, SecondsPath,
	// TimestampPath, ...): the path must select a single node.
	ContextReferencePath
	// ContextResultPath is a ResultPath: a Reference Path that starts with
	// `$` (not `$$`) and does not refer to a variable.
	ContextResultPath
)

// String returns a readable name of the context.
func (c Context) String() string {
	switch c {
	case ContextPath:
		return "path"
	case ContextReferencePath:
		return "reference path"
	case ContextResultPath:
		return "result path"
	}
	return "unknown context"
}

// ParseIn parses s and checks the restrictions of ctx: reference paths must
// satisfy IsReference; result paths must in addition not start with `$$` and
// must not be variable paths. Errors are *SyntaxError.
func ParseIn(s string, ctx Context) (*Path, error) {
	p, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if ctx == ContextResultPath {
		switch p.Root {
		case RootContext:
			return nil, &SyntaxError{Offset: 0, Message: "a result path must not start with '$$' (the context object)"}
		case RootVariable:
			return nil, &SyntaxError{Offset: 0, Message: "a result path must not refer to a variable ('$" + p.Variable + "')"}
		}
	}
	if ctx == ContextReferencePath || ctx == ContextResultPath {
		if seg := p.nonReference(); seg != nil {
			return nil, &SyntaxError{Offset: seg.Offset, Message: segmentWhat(seg) + " not allowed in a " + ctx.String()}
		}
	}
	return p, nil
}

// segmentWhat names a non-reference segment for error messages.
func segmentWhat(s *Segment) string {
	switch s.Kind {
	case Index:
		return "negative indexes are"
	case Wildcard:
		return "wildcards ('*') are"
	case RecursiveDescent:
		return "recursive descent ('..') is"
	case Slice:
		return "slices are"
	case Union:
		return "unions are"
	case Filter:
		return "filters are"
	case Script:
		return "script expressions are"
	}
	return "this segment is"
}
