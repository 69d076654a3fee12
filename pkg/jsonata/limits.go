package jsonata

import (
	"context"
	"time"

	"github.com/sfn-tool/sfn/pkg/value"
)

// Limits bound one evaluation, so that no expression can exhaust the stack, the memory or the
// time of the process that evaluates it. A zero field takes its value from DefaultLimits.
type Limits struct {
	// MaxDepth is the deepest nesting of evaluation steps (expression nodes inside one another,
	// function calls inside function calls). Beyond it the evaluation fails with jsonata-js's
	// U1001 "Stack overflow error".
	MaxDepth int
	// Timeout is the longest one evaluation may run; it then fails with jsonata-js's U1001
	// "Expression evaluation timeout".
	Timeout time.Duration
	// MaxCells is how many array items and object members one evaluation may create, counted
	// cumulatively (a reference to an existing value is one cell): about 24 bytes each.
	MaxCells int
	// MaxString is the longest string (in bytes) an evaluation may create.
	MaxString int
}

// DefaultLimits are the limits of an evaluation whose Env sets none.
//
// MaxCells keeps the items an evaluation holds near 100 MB (a cell costs about 24 bytes, and the
// garbage collector lets the heap reach about twice what is live), so that sfn stays under 300 MB
// whatever the expression; it is below jsonata-js's own ceiling on a range ([1..10000000], D2014),
// which a caller that wants jsonata-js's exact behaviour can restore with Limits.MaxCells.
// MaxString is 64 times Step Functions' 256 KiB payload limit. MaxDepth lets a recursive function
// go several thousand calls deep (jsonata-js recurses as far as the JavaScript stack goes); each
// level takes well under a kilobyte of Go stack. Timeout stops a loop that neither recurses nor
// allocates (a $reduce over millions of items) within the 5 s that a hostile input may take.
var DefaultLimits = Limits{
	MaxDepth:  20000,
	Timeout:   4 * time.Second,
	MaxCells:  4_000_000,
	MaxString: 16 << 20,
}

// Error codes and messages of the limits: the first two are jsonata-js's (its test suite's
// timebox), the others sfn's own.
const (
	codeLimit        = "U1001"
	msgStackOverflow = "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
	msgTimeout       = "Expression evaluation timeout: Check for infinite loop"
	codeTooLarge     = "S0501"
	codeCanceled     = "S0502"
)

// budget tracks one evaluation against its limits. Its checks panic with an *EvalError, which
// Eval recovers and returns, so that any helper can stop the evaluation.
type budget struct {
	lim      Limits
	ctx      context.Context
	deadline time.Time
	depth    int
	work     int // work units since the last clock and context check
	cells    int
}

// checkEvery is how many work units pass between two checks of the clock and the context.
const checkEvery = 1024

func newBudget(env *Env, start time.Time) *budget {
	b := makeBudget(env, start)
	return &b
}

// makeBudget is the budget of one evaluation under env's limits (DefaultLimits where unset),
// starting at start.
func makeBudget(env *Env, start time.Time) budget {
	lim := DefaultLimits
	if env.Limits != nil {
		if env.Limits.MaxDepth > 0 {
			lim.MaxDepth = env.Limits.MaxDepth
		}
		if env.Limits.Timeout > 0 {
			lim.Timeout = env.Limits.Timeout
		}
		if env.Limits.MaxCells > 0 {
			lim.MaxCells = env.Limits.MaxCells
		}
		if env.Limits.MaxString > 0 {
			lim.MaxString = env.Limits.MaxString
		}
	}
	ctx := env.Context
	if ctx == nil {
		ctx = context.Background()
	}
	b := budget{lim: lim, ctx: ctx}
	if !start.IsZero() {
		b.deadline = start.Add(lim.Timeout)
	}
	return b
}

// enter counts one nested evaluation step; leave undoes it.
func (b *budget) enter() {
	b.depth++
	if b.depth > b.lim.MaxDepth {
		panic(&EvalError{Code: codeLimit, Message: msgStackOverflow})
	}
	b.tick(1)
}

func (b *budget) leave() { b.depth-- }

// tick records n units of work (an evaluation step, a loop iteration, a kilobyte copied) and
// checks the clock and the context every checkEvery units.
func (b *budget) tick(n int) {
	b.work += n
	if b.work < checkEvery {
		return
	}
	b.work = 0
	b.check()
}

// check fails the evaluation when its context is done or its time is up.
func (b *budget) check() {
	if err := b.ctx.Err(); err != nil {
		panic(&EvalError{Code: codeCanceled, Message: "Evaluation canceled: " + err.Error()})
	}
	now := time.Now()
	if b.deadline.IsZero() { // set at the first check: an evaluation that ends sooner reads no clock
		b.deadline = now.Add(b.lim.Timeout)
	}
	if now.After(b.deadline) {
		panic(&EvalError{Code: codeLimit, Message: msgTimeout})
	}
}

// alloc records n new cells (array items, object members).
func (b *budget) alloc(n int) {
	b.cells += n
	if b.cells > b.lim.MaxCells {
		panic(evalErr(codeTooLarge, "Evaluation too large: it created more than %d array items and object members", b.lim.MaxCells))
	}
	b.tick(n / 1024)
}

// room returns how many results a function that makes them all at once (a regular expression
// match, a split) may make, each worth per cells: limit (negative: no limit) capped at one more
// than the cells left, so that counting them fails instead of holding them all first.
func (b *budget) room(limit, per int) int {
	r := (b.lim.MaxCells-b.cells)/per + 1
	if limit < 0 || limit > r {
		return r
	}
	return limit
}

// str checks the length of a string about to be created (n bytes).
func (b *budget) str(n int) {
	if n > b.lim.MaxString {
		panic(evalErr(codeTooLarge, "Evaluation too large: a string of %d bytes exceeds the limit of %d bytes", n, b.lim.MaxString))
	}
	b.tick(n / 1024)
}

// MaxResultDepth is the deepest nesting of arrays and objects an evaluation may return: the
// nesting limit of the JSON documents sfn reads (pkg/load), so that every result can be written
// and read back as JSON.
const MaxResultDepth = 10000

// checkResult fails when the result of an evaluation is nested deeper than MaxResultDepth or,
// counting every path to a shared value, holds more than MaxCells values (an expression can build
// a value that shares its parts, [$a, $a] nested n times, whose JSON form is 2^n times larger).
//
// It reports whether the result holds a function value (which may keep the evaluator alive).
func (b *budget) checkResult(v any) (holdsFunction bool) {
	visited := 0
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		visited++
		if visited > b.lim.MaxCells {
			panic(evalErr(codeTooLarge, "Evaluation too large: the result holds more than %d values", b.lim.MaxCells))
		}
		b.tick(1)
		var items []any
		switch t := v.(type) {
		case []any:
			items = t
		case *sequence:
			items = t.items
		case *value.Object:
			if depth >= MaxResultDepth {
				panic(evalErr(codeTooLarge, "Evaluation too large: the result is nested more than %d levels deep", MaxResultDepth))
			}
			for _, m := range t.Members() {
				walk(m.Value, depth+1)
			}
			return
		default:
			holdsFunction = holdsFunction || isFunction(v)
			return
		}
		if depth >= MaxResultDepth {
			panic(evalErr(codeTooLarge, "Evaluation too large: the result is nested more than %d levels deep", MaxResultDepth))
		}
		for _, x := range items {
			walk(x, depth+1)
		}
	}
	walk(v, 0)
	return holdsFunction
}
