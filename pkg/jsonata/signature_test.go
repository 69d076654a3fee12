package jsonata

import (
	"errors"
	"testing"
)

// TestSignatureOddChoice: a choice group of a lambda's signature holding characters that mean
// something in a regular expression, or invalid UTF-8, is taken literally (found by FuzzEval:
// "λ( )<(\xd0)->{()}" panicked compiling "[\xd0m]").
func TestSignatureOddChoice(t *testing.T) {
	for _, src := range []string{
		"λ( )<(\xd0)->{()}",
		"λ($x)<(]^-\\\\)->{$x}(1)",
		"λ($x)<(s-)>{$x}('a')",
	} {
		e, err := Parse(src)
		if err != nil {
			continue // refused at parse time: fine
		}
		_, err = e.Eval(&Env{})
		var ee *EvalError
		if errors.As(err, &ee) && ee.Code == "S0500" {
			t.Errorf("%q: internal error %v", src, err)
		}
	}
}
