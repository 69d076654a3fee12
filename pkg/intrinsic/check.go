package intrinsic

import (
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"
)

// MaxNesting is the maximum depth of nested intrinsic calls in one field
// (the outermost call counts as 1).
const MaxNesting = 10

// MaxArrayRange is the maximum number of elements States.ArrayRange may
// produce.
const MaxArrayRange = 1000

// MaxBase64Input is the maximum length of a literal argument of
// States.Base64Encode and States.Base64Decode.
const MaxBase64Input = 10000

// Variadic is the MaxArgs of a function that takes any number of arguments.
const Variadic = -1

// Function describes a known intrinsic function.
type Function struct {
	// Name is the full name, e.g. "States.Format".
	Name string
	// MinArgs and MaxArgs bound the number of arguments; MaxArgs is
	// Variadic for no upper bound.
	MinArgs, MaxArgs int
}

var functions = []Function{
	{"States.Format", 1, Variadic},
	{"States.StringToJson", 1, 1},
	{"States.JsonToString", 1, 1},
	{"States.Array", 0, Variadic},
	{"States.ArrayPartition", 2, 2},
	{"States.ArrayContains", 2, 2},
	{"States.ArrayRange", 3, 3},
	{"States.ArrayGetItem", 2, 2},
	{"States.ArrayLength", 1, 1},
	{"States.ArrayUnique", 1, 1},
	{"States.Base64Encode", 1, 1},
	{"States.Base64Decode", 1, 1},
	{"States.Hash", 2, 2},
	{"States.JsonMerge", 3, 3},
	{"States.MathRandom", 2, 3},
	{"States.MathAdd", 2, 2},
	{"States.StringSplit", 2, 2},
	{"States.UUID", 0, 0},
}

// Functions returns the known intrinsic functions with their arity, in a
// fresh slice the caller may modify.
func Functions() []Function {
	return append([]Function(nil), functions...)
}

// Lookup returns the function called name ("States.Format").
func Lookup(name string) (Function, bool) {
	for _, f := range functions {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}

// HashAlgorithms are the algorithms States.Hash accepts.
var HashAlgorithms = []string{"MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"}

// Category classifies a Problem so that callers can report kinds of problems separately.
type Category int

// The problem categories.
const (
	// CategoryLiteral is a literal argument of the wrong type or value (the default).
	CategoryLiteral Category = iota
	// CategoryUnknown is a function name that is not one of the known functions.
	CategoryUnknown
	// CategoryArity is a wrong number of arguments.
	CategoryArity
	// CategoryNesting is calls nested more than MaxNesting deep.
	CategoryNesting
)

// Problem is one issue found by Check.
type Problem struct {
	// Offset is the byte offset (in the string given to Parse) of the call
	// or argument concerned.
	Offset int
	// Message describes the problem.
	Message string
	// Category says what kind of problem it is.
	Category Category
}

// String formats the problem as "message at offset N".
func (p Problem) String() string { return fmt.Sprintf("%s at offset %d", p.Message, p.Offset) }

// Check validates c and its nested calls against the function table: known
// name, arity, literal argument types and values, and nesting depth. It
// returns every problem found, in source order of the checks (nil if none).
func Check(c *Call) []Problem {
	var ck checker
	ck.call(c, 1)
	return ck.problems
}

type checker struct {
	problems       []Problem
	reportedNested bool
}

func (ck *checker) add(off int, format string, args ...any) {
	ck.addCategory(CategoryLiteral, off, format, args...)
}

func (ck *checker) addCategory(cat Category, off int, format string, args ...any) {
	ck.problems = append(ck.problems, Problem{Offset: off, Message: fmt.Sprintf(format, args...), Category: cat})
}

func (ck *checker) call(c *Call, depth int) {
	if depth > MaxNesting && !ck.reportedNested {
		ck.reportedNested = true
		ck.addCategory(CategoryNesting, c.Offset, "intrinsic functions are nested more than %d deep", MaxNesting)
	}
	f, known := Lookup(c.Name)
	if !known {
		ck.addCategory(CategoryUnknown, c.Offset, "unknown intrinsic function %s", c.Name)
	} else {
		n := len(c.Args)
		switch {
		case f.MaxArgs == Variadic && n < f.MinArgs:
			ck.addCategory(CategoryArity, c.Offset, "%s takes at least %d argument%s, got %d", f.Name, f.MinArgs, plural(f.MinArgs), n)
		case f.MaxArgs != Variadic && (n < f.MinArgs || n > f.MaxArgs):
			if f.MinArgs == f.MaxArgs {
				ck.addCategory(CategoryArity, c.Offset, "%s takes %d argument%s, got %d", f.Name, f.MinArgs, plural(f.MinArgs), n)
			} else {
				ck.addCategory(CategoryArity, c.Offset, "%s takes %d to %d arguments, got %d", f.Name, f.MinArgs, f.MaxArgs, n)
			}
		default:
			ck.args(c)
		}
	}
	for _, a := range c.Args {
		if a.Kind == ArgCall {
			ck.call(a.Call, depth+1)
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ordinal returns "argument 1" style labels.
func argLabel(c *Call, i int) string { return fmt.Sprintf("argument %d of %s", i+1, c.Name) }

// literalInt returns the integer value of a literal argument, or reports a
// problem and returns nil when the literal is not an integer. Non-literal
// arguments return nil without a problem.
func (ck *checker) literalInt(c *Call, i int) *big.Int {
	a := c.Args[i]
	switch a.Kind {
	case ArgPath, ArgCall:
		return nil
	case ArgNumber:
		if v, ok := new(big.Int).SetString(a.Number, 10); ok {
			return v
		}
		ck.add(a.Offset, "%s must be an integer, got %s", argLabel(c, i), a.Number)
		return nil
	}
	ck.add(a.Offset, "%s must be an integer, got a %s literal", argLabel(c, i), a.Kind)
	return nil
}

// wantString reports a literal argument that is not a string.
func (ck *checker) wantString(c *Call, i int) {
	a := c.Args[i]
	if a.IsLiteral() && a.Kind != ArgString {
		ck.add(a.Offset, "%s must be a string, got a %s literal", argLabel(c, i), a.Kind)
	}
}

// wantNonLiteral reports a literal where a JSON array/object is expected.
func (ck *checker) wantNonLiteral(c *Call, i int, what string) {
	a := c.Args[i]
	if a.IsLiteral() {
		ck.add(a.Offset, "%s must be %s (a path or an intrinsic call), got a %s literal", argLabel(c, i), what, a.Kind)
	}
}

func (ck *checker) args(c *Call) {
	switch c.Name {
	case "States.Format":
		t := c.Args[0]
		switch {
		case t.Kind == ArgString:
			if n := countPlaceholders(t.Raw); n != len(c.Args)-1 {
				ck.add(t.Offset, "the template of %s has %d '{}' placeholder%s but %d value%s follow%s", c.Name, n, plural(n), len(c.Args)-1, plural(len(c.Args)-1), verbS(len(c.Args)-1))
			}
		case t.IsLiteral():
			ck.add(t.Offset, "%s must be a template string, got a %s literal", argLabel(c, 0), t.Kind)
		}
	case "States.StringToJson":
		ck.wantString(c, 0)
	case "States.JsonToString":
		if a := c.Args[0]; a.Kind != ArgPath {
			ck.add(a.Offset, "%s must be a path, got a %s", argLabel(c, 0), a.Kind)
		}
	case "States.ArrayPartition":
		ck.wantNonLiteral(c, 0, "an array")
		if v := ck.literalInt(c, 1); v != nil && v.Sign() <= 0 {
			ck.add(c.Args[1].Offset, "%s (the chunk size) must be greater than 0, got %s", argLabel(c, 1), v)
		}
	case "States.ArrayContains":
		ck.wantNonLiteral(c, 0, "an array")
	case "States.ArrayGetItem":
		ck.wantNonLiteral(c, 0, "an array")
		if v := ck.literalInt(c, 1); v != nil && v.Sign() < 0 {
			ck.add(c.Args[1].Offset, "%s (the index) must not be negative, got %s", argLabel(c, 1), v)
		}
	case "States.ArrayLength", "States.ArrayUnique":
		ck.wantNonLiteral(c, 0, "an array")
	case "States.ArrayRange":
		start, end, step := ck.literalInt(c, 0), ck.literalInt(c, 1), ck.literalInt(c, 2)
		if step != nil && step.Sign() == 0 {
			ck.add(c.Args[2].Offset, "%s (the step) must not be 0", argLabel(c, 2))
		} else if start != nil && end != nil && step != nil {
			if n := rangeLen(start, end, step); n.Cmp(big.NewInt(MaxArrayRange)) > 0 {
				ck.add(c.Offset, "%s would produce %s elements; at most %d are allowed", c.Name, n, MaxArrayRange)
			}
		}
	case "States.Base64Encode", "States.Base64Decode":
		ck.wantString(c, 0)
		if a := c.Args[0]; a.Kind == ArgString && utf8.RuneCountInString(a.String) > MaxBase64Input {
			ck.add(a.Offset, "%s is longer than %d characters", argLabel(c, 0), MaxBase64Input)
		}
	case "States.Hash":
		ck.wantString(c, 1)
		if a := c.Args[1]; a.Kind == ArgString && !contains(HashAlgorithms, a.String) {
			ck.add(a.Offset, "%s must be one of %s, got '%s'", argLabel(c, 1), strings.Join(HashAlgorithms, ", "), a.String)
		}
	case "States.JsonMerge":
		ck.wantNonLiteral(c, 0, "a JSON object")
		ck.wantNonLiteral(c, 1, "a JSON object")
		if a := c.Args[2]; a.IsLiteral() && a.Kind != ArgBool {
			ck.add(a.Offset, "%s must be a boolean, got a %s literal", argLabel(c, 2), a.Kind)
		}
	case "States.MathRandom":
		for i := range c.Args {
			ck.literalInt(c, i)
		}
	case "States.MathAdd":
		ck.literalInt(c, 0)
		ck.literalInt(c, 1)
	case "States.StringSplit":
		ck.wantString(c, 0)
		ck.wantString(c, 1)
	}
}

func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// countPlaceholders counts the `{}` placeholders of a Format template given
// in its raw form (escapes intact): an escaped brace is not a placeholder.
func countPlaceholders(raw string) int {
	n := 0
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '{':
			if i+1 < len(raw) && raw[i+1] == '}' {
				n++
				i++
			}
		}
	}
	return n
}

// rangeLen returns how many elements ArrayRange(start, end, step) produces
// (step != 0).
func rangeLen(start, end, step *big.Int) *big.Int {
	diff := new(big.Int).Sub(end, start)
	if diff.Sign() != 0 && diff.Sign() != step.Sign() {
		return big.NewInt(0)
	}
	n := new(big.Int).Quo(diff, step)
	return n.Add(n, big.NewInt(1))
}
