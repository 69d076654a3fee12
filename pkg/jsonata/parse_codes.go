package jsonata

import "github.com/xiatechs/jsonata-go/jparse"

// syntaxCodes maps the parser's error kinds to jsonata-js's error codes (S0101 ... S0402), so that
// a parse failure carries the code jsonata-js (and so AWS) reports for it.
var syntaxCodes = map[jparse.ErrType]string{
	jparse.ErrSyntaxError:        "S0201",
	jparse.ErrUnexpectedEOF:      "S0207",
	jparse.ErrUnexpectedToken:    "S0202",
	jparse.ErrMissingToken:       "S0203",
	jparse.ErrPrefix:             "S0211",
	jparse.ErrInfix:              "S0204",
	jparse.ErrUnterminatedString: "S0101",
	jparse.ErrUnterminatedRegex:  "S0302",
	jparse.ErrUnterminatedName:   "S0105",
	jparse.ErrIllegalEscape:      "S0103",
	jparse.ErrIllegalEscapeHex:   "S0104",
	jparse.ErrInvalidNumber:      "S0102",
	jparse.ErrNumberRange:        "S0102",
	jparse.ErrEmptyRegex:         "S0301",
	jparse.ErrInvalidRegex:       "S0303",
	jparse.ErrGroupPredicate:     "S0209",
	jparse.ErrGroupGroup:         "S0210",
	jparse.ErrPathLiteral:        "S0213",
	jparse.ErrIllegalAssignment:  "S0212",
	jparse.ErrIllegalParam:       "S0208",
	jparse.ErrDuplicateParam:     "S0208",
	jparse.ErrParamCount:         "S0401",
	jparse.ErrInvalidUnionType:   "S0402",
	jparse.ErrUnmatchedOption:    "S0401",
	jparse.ErrUnmatchedSubtype:   "S0401",
	jparse.ErrInvalidSubtype:     "S0401",
	jparse.ErrInvalidParamType:   "S0401",
}

// syntaxCode returns jsonata-js's code for a parser error kind (S0201 when there is no closer one).
func syntaxCode(t jparse.ErrType) string {
	if c, ok := syntaxCodes[t]; ok {
		return c
	}
	return "S0201"
}
