package jsonata

import "strings"

// builtins are the functions of JSONata 2.0 (the version AWS Step Functions
// runs) plus the Step Functions extras, without the leading "$".
var builtins = map[string]bool{
	// String functions.
	"string": true, "length": true, "substring": true, "substringBefore": true,
	"substringAfter": true, "uppercase": true, "lowercase": true, "trim": true,
	"pad": true, "contains": true, "split": true, "join": true, "match": true,
	"replace": true, "eval": true, "base64encode": true, "base64decode": true,
	"encodeUrlComponent": true, "encodeUrl": true, "decodeUrlComponent": true,
	"decodeUrl": true, "formatNumber": true, "formatBase": true,
	"formatInteger": true, "parseInteger": true,
	// Numeric functions.
	"number": true, "abs": true, "floor": true, "ceil": true, "round": true,
	"power": true, "sqrt": true, "random": true,
	// Aggregation functions.
	"sum": true, "max": true, "min": true, "average": true, "count": true,
	// Boolean functions.
	"boolean": true, "not": true, "exists": true,
	// Array functions.
	"append": true, "sort": true, "reverse": true, "shuffle": true,
	"distinct": true, "zip": true,
	// Object functions.
	"keys": true, "lookup": true, "spread": true, "merge": true, "sift": true,
	"each": true, "error": true, "assert": true, "type": true,
	// Date/time functions.
	"now": true, "millis": true, "fromMillis": true, "toMillis": true,
	// Higher-order functions.
	"map": true, "filter": true, "single": true, "reduce": true,
	// AWS Step Functions extras ($random above also takes an optional seed).
	"partition": true, "range": true, "hash": true, "uuid": true, "parse": true,
}

// unsupportedByAWS are JSONata 2.0 built-ins that Step Functions does not
// provide: $eval fails at run time.
var unsupportedByAWS = map[string]bool{"eval": true}

// KnownFunction reports whether name (with or without the leading "$") is a
// function Step Functions provides: a JSONata 2.0 built-in or one of the AWS
// extras $partition, $range, $hash, $random, $uuid, $parse. It is false for
// $eval, which AWS does not support (see UnsupportedByAWS).
func KnownFunction(name string) bool {
	name = strings.TrimPrefix(name, "$")
	return builtins[name] && !unsupportedByAWS[name]
}

// UnsupportedByAWS reports whether name (with or without the leading "$") is a
// JSONata 2.0 built-in that Step Functions does not provide ($eval), so that a
// validator can say "not supported" rather than "unknown".
func UnsupportedByAWS(name string) bool {
	return unsupportedByAWS[strings.TrimPrefix(name, "$")]
}

// isBuiltin reports a JSONata/AWS built-in, including the unsupported ones:
// a reference to it is a function, not an Assign variable.
func isBuiltin(name string) bool { return builtins[name] }
