package jsonata

import (
	"regexp"
	"strings"
	"sync"
)

// Function signatures, as jsonata-js validates them (its signature.js): a signature such as
// "<s-nn?:s>" lists one type symbol per parameter (s string, n number, b boolean, l null, o object,
// a array, f function, j any JSON value, x anything, (sn) a choice), each optionally followed by
// <subtype> (arrays, functions), "-" (the context item stands in for a missing argument), "?"
// (optional) or "+" (one or more). The arguments' type symbols, one letter each ("m" for
// undefined), are matched against a regular expression built from the signature.

// sigParam is one parameter of a signature.
type sigParam struct {
	regex   string
	typ     string
	subtype string
	context *regexp.Regexp // set for "-": the types the context item may have
}

// signature is a parsed signature.
type signature struct {
	params []sigParam
	re     *regexp.Regexp
	memo   sigMemo
}

// sigMemo remembers how a signature's regular expression matched the argument types of earlier
// calls: a builtin is called with the same few type strings over and over.
type sigMemo struct {
	mu sync.Mutex
	m  map[uint64][]string
}

// maxMemo bounds a signature's memo (its keys are type strings of up to 7 arguments).
const maxMemo = 256

// match is s.re.FindStringSubmatch(sym), remembered for short type strings.
func (s *signature) match(sym []byte) []string {
	if len(sym) > 7 {
		return s.re.FindStringSubmatch(string(sym))
	}
	key := uint64(len(sym)) << 56
	for i, c := range sym {
		key |= uint64(c) << (8 * i)
	}
	s.memo.mu.Lock()
	m, ok := s.memo.m[key]
	s.memo.mu.Unlock()
	if ok {
		return m
	}
	m = s.re.FindStringSubmatch(string(sym))
	s.memo.mu.Lock()
	if s.memo.m == nil {
		s.memo.m = map[uint64][]string{}
	}
	if len(s.memo.m) < maxMemo {
		s.memo.m[key] = m
	}
	s.memo.mu.Unlock()
	return m
}

// signatures caches parsed signatures by text (builtins and lambdas share them).
var signatures sync.Map

// parseSignature parses a signature ("<...>"); nil when it cannot be (the parser has checked
// lambda signatures already).
func parseSignature(sig string) *signature {
	if s, ok := signatures.Load(sig); ok {
		return s.(*signature)
	}
	var params []sigParam
	var cur sigParam
	prev := -1
	next := func() {
		params = append(params, cur)
		prev = len(params) - 1
		cur = sigParam{}
	}
	for pos := 1; pos < len(sig); pos++ {
		c := sig[pos]
		if c == ':' {
			break
		}
		switch c {
		case 's', 'n', 'b', 'l', 'o':
			cur.regex, cur.typ = "["+string(c)+"m]", string(c)
			next()
		case 'a':
			cur.regex, cur.typ = "[asnblfom]", "a"
			next()
		case 'f':
			cur.regex, cur.typ = "f", "f"
			next()
		case 'j':
			cur.regex, cur.typ = "[asnblom]", "j"
			next()
		case 'x':
			cur.regex, cur.typ = "[asnblfom]", "x"
			next()
		case '-':
			if prev >= 0 {
				re, err := regexp.Compile(params[prev].regex)
				if err != nil {
					return nil
				}
				params[prev].context = re
				params[prev].regex += "?"
			}
		case '?', '+':
			if prev >= 0 {
				params[prev].regex += string(c)
			}
		case '(':
			end := closing(sig, pos, '(', ')')
			choice := sig[pos+1 : end]
			if strings.ContainsRune(choice, '<') {
				return nil
			}
			cur.regex, cur.typ = "["+classMembers(choice)+"m]", "("+choice+")"
			pos = end
			next()
		case '<':
			end := closing(sig, pos, '<', '>')
			if prev >= 0 {
				params[prev].subtype = sig[pos+1 : end]
			}
			pos = end
		}
	}
	var re strings.Builder
	re.WriteString("^")
	for _, p := range params {
		re.WriteString("(" + p.regex + ")")
	}
	re.WriteString("$")
	compiled, err := regexp.Compile(re.String())
	if err != nil {
		return nil
	}
	s := &signature{params: params, re: compiled}
	signatures.Store(sig, s)
	return s
}

// classMembers writes the symbols of a choice group "(sn)" as members of a regular expression
// character class: each character literally (jsonata-js puts them in its regular expression as
// they are; a character that means something in a class, or invalid UTF-8, must not break it).
func classMembers(choice string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(choice, "\uFFFD") {
		if r == '-' || r == '^' || r == ']' || r == '[' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// closing returns the index of the bracket that closes the one at start (len(s)-1 when none).
func closing(s string, start int, open, close byte) int {
	depth := 0
	for i := start; i < len(s); i++ {
		switch s[i] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s) - 1
}

// typeSymbol is the signature letter of a value's type.
func typeSymbol(v any) byte {
	switch v.(type) {
	case string:
		return 's'
	case bool:
		return 'b'
	case nil:
		return 'l'
	case []any, *sequence:
		return 'a'
	}
	switch {
	case v == Undefined:
		return 'm'
	case isNumber(v):
		return 'n'
	case isFunction(v):
		return 'f'
	}
	return 'o'
}

// validate checks args against the signature of the function called name and returns them as the
// function receives them: the context item in place of a missing "-" argument, a value given for
// an array parameter wrapped in an array. Errors: T0410 (an argument does not match), T0411 (the
// context item does not), T0412 (an array's items are not of the required type).
func (s *signature) validate(name string, args []any, context any) ([]any, error) {
	var symBuf [8]byte
	sym := symBuf[:0]
	for _, a := range args {
		sym = append(sym, typeSymbol(a))
	}
	m := s.match(sym)
	if m == nil {
		return nil, s.mismatch(name, string(sym))
	}
	out := make([]any, 0, len(s.params))
	ai := 0
	for pi, p := range s.params {
		match := m[pi+1]
		if match == "" {
			if p.context != nil {
				if !p.context.MatchString(string(typeSymbol(context))) {
					return nil, evalErr("T0411", "Context value being used as argument %d of function %s does not match function signature", ai+1, token(name))
				}
				out = append(out, context)
				continue
			}
			out = append(out, argAt(args, ai))
			ai++
			continue
		}
		for _, single := range []byte(match) {
			arg := argAt(args, ai)
			if p.typ == "a" && single != 'm' {
				if !arrayItemsMatch(p.subtype, single, match, arg) {
					return nil, evalErr("T0412", "Argument %d of function %s must be an array of %s", ai+1, token(name), pluralType(p.subtype))
				}
				if single != 'a' {
					arg = []any{arg}
				}
			}
			out = append(out, arg)
			ai++
		}
	}
	return out, nil
}

// arrayItemsMatch applies jsonata-js's check of an array parameter's subtype (its first letter).
func arrayItemsMatch(subtype string, single byte, match string, arg any) bool {
	if subtype == "" {
		return true
	}
	if single != 'a' {
		return match == subtype
	}
	items := asArray(arg)
	if len(items) == 0 {
		return true
	}
	first := typeSymbol(items[0])
	if first != subtype[0] {
		return false
	}
	for _, it := range items {
		if typeSymbol(it) != first {
			return false
		}
	}
	return true
}

// mismatch finds the first argument that does not match (as jsonata-js reports it): T0410.
func (s *signature) mismatch(name, sym string) error {
	pattern := "^"
	good := 0
	for _, p := range s.params {
		pattern += p.regex
		loc := regexp.MustCompile(pattern).FindStringIndex(sym)
		if loc == nil {
			break
		}
		good = loc[1]
	}
	return evalErr("T0410", "Argument %d of function %s does not match function signature", good+1, token(name))
}

// pluralType names a subtype letter in T0412's message.
func pluralType(subtype string) string {
	switch subtype {
	case "a":
		return "arrays"
	case "b":
		return "booleans"
	case "f":
		return "functions"
	case "n":
		return "numbers"
	case "o":
		return "objects"
	case "s":
		return "strings"
	}
	return subtype
}

// builtinSignatures are jsonata-js 2.0.6's signatures of its built-in functions. AWS's own
// additions ($partition, $range, $hash, $uuid, $parse, $random with a seed) check their own arguments.
var builtinSignatures = map[string]string{
	"sum": "<a<n>:n>", "count": "<a:n>", "max": "<a<n>:n>", "min": "<a<n>:n>", "average": "<a<n>:n>",
	"string": "<x-b?:s>", "substring": "<s-nn?:s>", "substringBefore": "<s-s:s>",
	"substringAfter": "<s-s:s>", "lowercase": "<s-:s>", "uppercase": "<s-:s>", "length": "<s-:n>",
	"trim": "<s-:s>", "pad": "<s-ns?:s>", "match": "<s-f<s:o>n?:a<o>>", "contains": "<s-(sf):b>",
	"replace": "<s-(sf)(sf)n?:s>", "split": "<s-(sf)n?:a<s>>", "join": "<a<s>s?:s>",
	"formatNumber": "<n-so?:s>", "formatBase": "<n-n?:s>", "formatInteger": "<n-s:s>",
	"parseInteger": "<s-s:n>", "number": "<(nsb)-:n>", "floor": "<n-:n>", "ceil": "<n-:n>",
	"round": "<n-n?:n>", "abs": "<n-:n>", "sqrt": "<n-:n>", "power": "<n-n:n>",
	"boolean": "<x-:b>", "not": "<x-:b>", "map": "<af>", "zip": "<a+>", "filter": "<af>",
	"single": "<af?>", "reduce": "<afj?:j>", "sift": "<o-f?:o>", "keys": "<x-:a<s>>",
	"lookup": "<x-s:x>", "append": "<xx:a>", "exists": "<x:b>", "spread": "<x-:a<o>>",
	"merge": "<a<o>:o>", "reverse": "<a:a>", "each": "<o-f:a>", "error": "<s?:x>",
	"assert": "<bs?:x>", "type": "<x:s>", "sort": "<af?:a>", "shuffle": "<a:a>",
	"distinct": "<x:x>", "base64encode": "<s-:s>", "base64decode": "<s-:s>",
	"encodeUrlComponent": "<s-:s>", "encodeUrl": "<s-:s>", "decodeUrlComponent": "<s-:s>",
	"decodeUrl": "<s-:s>", "toMillis": "<s-s?:n>", "fromMillis": "<n-s?s?:s>",
	"now": "<s?s?:s>", "millis": "<:n>",
}

// builtinSignature returns the parsed signature of a built-in (nil: it checks its own arguments).
func builtinSignature(name string) *signature {
	if s, ok := builtinSignatures[name]; ok {
		return parseSignature(s)
	}
	return nil
}

// lambdaSignature returns the parsed signature of a function definition ("<n-:n>"), nil when it
// declares none.
func lambdaSignature(n *LambdaNode) *signature {
	if n.Signature == "" {
		return nil
	}
	return parseSignature(n.Signature)
}
