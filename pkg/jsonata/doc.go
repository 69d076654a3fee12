// Package jsonata is the JSONata front end shared by "sfn validate" and
// (later) "sfn run": it recognises "{% expr %}" templates, parses the
// expression once and analyses the AST for the rules Step Functions enforces
// at create time (INVALID_JSONATA_EXPRESSION, UNSUPPORTED_JSONATA_EXPRESSION
// for top-level references, $states field scoping, unknown functions).
//
// # Library choice: github.com/xiatechs/jsonata-go (v1.8.8)
//
// Both candidates are the same Go port of jsonata-js 1.5 (xiatechs is a fork of
// blues, whose last release v1.5.4 dates from 2021-05; xiatechs v1.8.8 from
// 2024-12). Measured on 2 vCPU, Go 1.26:
//
//   - Syntax: identical verdicts on all 117 distinct "{% %}" expressions of
//     /work/shared/conformance/aws and /work/shared/validation (115 parse; the
//     2 failures, an unclosed "$sum(" and "420.", are invalid for jsonata-js
//     too). Both parse regexes, "~>", lambdas (function/λ, signatures),
//     object constructors, group-by, sort, predicates, "$states.input.items[0]",
//     "$count($states.input)", transforms, partial application, "**".
//     Both reject "?:" and "??" (JSONata 2.1, July 2025 — AWS runs 2.0.x,
//     so rejecting them is right) and the 2.0 "%" parent operator. "@"
//     (context binding) is a syntax error in xiatechs and silently lexed into
//     a field name by blues; "#" (positional binding) is lexed into a field
//     name by both. Top-level "a; b" without parentheses is a syntax error in
//     both, as in jsonata-js. Parse reports these gaps with
//     SyntaxError.Unsupported so a validator can downgrade them to warnings.
//   - Evaluation: the 11 single-Pass-state JSONata conformance recordings
//     evaluate identically with both (9 match AWS; both turn "[]" into null,
//     which AWS keeps as []). xiatechs adds non-standard functions
//     ($objmerge, $sjoin, ...) that "sfn run" must hide.
//   - Start-up (GODEBUG=inittrace=1, sum of init times of a main that
//     compiles one expression): no library 0.12 ms, blues 0.66 ms, xiatechs
//     0.70-0.94 ms; the parser package jparse alone, which is all this
//     package imports, inits in 0.05 ms. Binary: +1.9 MB (blues) vs +4.5 MB
//     (xiatechs) for the evaluator; jparse alone is small.
//   - AST: both export the jparse AST (PathNode, PredicateNode, ...). Only
//     xiatechs records source positions on every node (Node.Pos) and in
//     errors, which gives Ref/VarRef/FuncRef and SyntaxError offsets. That,
//     and being maintained, decided it.
//
// The AST is parsed once by Parse and kept in Expr.Root. Neither library
// can evaluate a pre-parsed jparse tree (jsonata.Compile takes source
// text), so evaluation will compile Expr.Source once and cache it.
//
// # JSONata 2.0.6 conformance
//
// TestJSONataSuite runs the official JSONata 2.0.6 test suite ($SFN_JSONATA_SUITE, else
// ../shared/jsonata-suite) as jsonata-js's own runner does; testdata/suite-failing.txt lists every
// case that still fails, with its cause. On top of jparse's 1.5 grammar, Parse reads /* comments */
// and string-literal path steps (desugar.go, offsets kept); built-in and lambda signatures are
// validated as jsonata-js does (signature.go: T0410, T0411, T0412); calls in tail position run in
// constant depth. The 2.0 grammar for the "@" focus and "#" index bindings and the "%" parent
// operator is what jparse cannot read: those expressions fail to parse (SyntaxError.Unsupported).
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
