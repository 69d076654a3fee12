// Package jsonata is the JSONata front end shared by "sfn validate" and
// "sfn run": it recognises "{% expr %}" templates, parses the
// expression once and analyses the AST for the rules Step Functions enforces
// at create time (INVALID_JSONATA_EXPRESSION, UNSUPPORTED_JSONATA_EXPRESSION
// for top-level references, $states field scoping, unknown functions).
//
// # Parser
//
// The package has its own parser for the JSONata 2.0.6 grammar (jsonata-js's, which AWS runs):
// lexer.go reads tokens as jsonata-js's tokenizer (comments, escapes, regex literals), parser.go is
// its Pratt parser, process.go its post-pass (processAST: paths flattened into steps, predicates
// into stages, the "@" focus and "#" index bindings, each "%" parent operator resolved to the step
// it denotes), and build.go makes the evaluator's tree (nodes.go). Errors carry jsonata-js's codes
// (S0101 ... S0217, S0301, S0302, S0401, S0402) and messages, and byte offsets. Every node records
// its offset (Node.Pos), which gives Ref/VarRef/FuncRef offsets.
//
// A path that binds "@" or "#", or that a "%" reaches into, is a TuplePathNode and is evaluated as
// a stream of tuples (tuple.go, jsonata-js's evaluateTupleStep); every other path stays a PathNode
// on the ordinary evaluator, so the common case pays nothing for the 2.0 grammar.
//
// # JSONata 2.0.6 conformance
//
// TestJSONataSuite runs the official JSONata 2.0.6 test suite ($SFN_JSONATA_SUITE, else
// ../shared/jsonata-suite) as jsonata-js's own runner does; testdata/suite-failing.txt lists every
// case that still fails, with its cause. Built-in and lambda signatures are validated as
// jsonata-js does (signature.go: T0410, T0411, T0412); calls in tail position run in constant
// depth.
//
// # Top-level references
//
// Step Functions evaluates expressions with no context item: data arrives
// through $states.input / $states.context / $states.result /
// $states.errorOutput and Assign variables. A path that starts with a field
// name, "$" or "$$" is refused (floci-io/floci#2670 measured 277 such shapes
// against AWS). See Expr.TopLevelReferences for which positions count as top
// level.
//
// # Limits
//
// Input is hostile: Parse refuses an expression nested deeper than MaxNesting
// (brackets and operator chains, checked on the text before the recursive
// parser runs) with a positioned SyntaxError, and every evaluation runs under
// Limits (DefaultLimits unless Env.Limits says otherwise): a depth limit
// (U1001 "Stack overflow error", as jsonata-js), a time limit (U1001
// "Expression evaluation timeout") and Env.Context (Ctrl-C), a budget of array
// items and object members and a longest string (S0501), and a result nested
// at most MaxResultDepth deep. No expression can crash, hang or exhaust the
// memory of the process.
package jsonata
