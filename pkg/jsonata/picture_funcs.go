package jsonata

import (
	"math"
	"math/big"
)

// definePictureFunctions registers the functions that read or write numbers and dates with XPath
// F&O 3.1 picture strings: $formatNumber, $formatBase, $formatInteger, $parseInteger,
// $fromMillis, $toMillis and $now (with jsonata-js 2.0.6's signatures: the first argument may be
// the context item).
func definePictureFunctions() {
	defPicture := func(name string, arity, minArgs int, fn func(ev *evaluator, args []any) (any, error)) {
		builtinFuncs[name] = &builtin{name: name, arity: arity, ctx: true, minArgs: minArgs, fn: fn}
	}
	defPicture("formatNumber", 3, 2, builtinFormatNumber)
	defPicture("formatBase", 2, 1, builtinFormatBase)
	defPicture("formatInteger", 2, 2, builtinFormatInteger)
	defPicture("parseInteger", 2, 2, builtinParseInteger)
	defPicture("fromMillis", 3, 1, builtinFromMillis)
	defPicture("toMillis", 2, 1, builtinToMillis)
	builtinFuncs["now"] = &builtin{name: "now", arity: 2, minArgs: 0, fn: builtinNow}
}

// jsNumber turns a NaN result into null, as JSON.stringify writes it.
func jsNumber(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// optStr returns the optional string argument i (ok=false: absent or undefined).
func optStr(args []any, i int, name string) (string, bool, error) {
	return strArg(args, i, name)
}

func builtinFormatNumber(ev *evaluator, args []any) (any, error) {
	n, ok, err := numArg(args, 0, "formatNumber")
	if err != nil || !ok {
		return Undefined, err
	}
	pic, ok, err := strArg(args, 1, "formatNumber")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, argErr(1, "formatNumber")
	}
	props := defaultNumberProps()
	if opts := argAt(args, 2); opts != Undefined {
		if typeOf(opts) != "object" {
			return nil, argErr(2, "formatNumber")
		}
		for _, name := range numberPropNames {
			if v, ok := ev.field(opts, name).(string); ok {
				props.set(name, v)
			}
		}
	}
	return ev.formatPictureNumber(n, pic, props)
}

func builtinFormatBase(ev *evaluator, args []any) (any, error) {
	n, ok, err := numArg(args, 0, "formatBase")
	if err != nil || !ok {
		return Undefined, err
	}
	n = jsRound(n, 0)
	radix := 10.0
	if r, ok, err := numArg(args, 1, "formatBase"); err != nil {
		return nil, err
	} else if ok {
		radix = jsRound(r, 0)
	}
	if radix < 2 || radix > 36 {
		return nil, evalErr("D3100", "The radix of the formatBase function must be between 2 and 36.  It was given %s", formatNumber(radix))
	}
	return jsToString(n, int(radix)), nil
}

func builtinFormatInteger(ev *evaluator, args []any) (any, error) {
	n, ok, err := numArg(args, 0, "formatInteger")
	if err != nil || !ok {
		return Undefined, err
	}
	pic, ok, err := strArg(args, 1, "formatInteger")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, argErr(1, "formatInteger")
	}
	f, err := analyseIntegerPicture(pic)
	if err != nil {
		return nil, err
	}
	return ev.formatInteger(math.Floor(n), f)
}

func builtinParseInteger(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "parseInteger")
	if err != nil || !ok {
		return Undefined, err
	}
	pic, ok, err := strArg(args, 1, "parseInteger")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, argErr(1, "parseInteger")
	}
	f, err := analyseIntegerPicture(pic)
	if err != nil {
		return nil, err
	}
	v, err := parseIntegerPicture(s, f)
	if err != nil {
		return nil, err
	}
	return jsNumber(v), nil
}

func builtinFromMillis(ev *evaluator, args []any) (any, error) {
	n, ok, err := numArg(args, 0, "fromMillis")
	if err != nil || !ok {
		return Undefined, err
	}
	pic, hasPic, err := optStr(args, 1, "fromMillis")
	if err != nil {
		return nil, err
	}
	tz, hasTZ, err := optStr(args, 2, "fromMillis")
	if err != nil {
		return nil, err
	}
	return ev.formatDateTime(n, pic, hasPic, tz, hasTZ)
}

func builtinToMillis(ev *evaluator, args []any) (any, error) {
	s, ok, err := strArg(args, 0, "toMillis")
	if err != nil || !ok {
		return Undefined, err
	}
	pic, hasPic, err := optStr(args, 1, "toMillis")
	if err != nil {
		return nil, err
	}
	var v float64
	if hasPic {
		v, ok, err = ev.parseDateTime(s, pic, ev.now)
	} else {
		v, ok, err = parseISO(s)
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		if hasPic {
			return Undefined, nil
		}
		return nil, nil // Date.parse's NaN, written as null
	}
	return jsNumber(v), nil
}

func builtinNow(ev *evaluator, args []any) (any, error) {
	pic, hasPic, err := optStr(args, 0, "now")
	if err != nil {
		return nil, err
	}
	tz, hasTZ, err := optStr(args, 1, "now")
	if err != nil {
		return nil, err
	}
	return ev.formatDateTime(float64(ev.now.UnixMilli()), pic, hasPic, tz, hasTZ)
}

// jsToString is JavaScript's Number.prototype.toString(radix) for an integer value (exact, as
// JavaScript writes integer doubles).
func jsToString(n float64, radix int) string {
	if radix == 10 || math.IsNaN(n) || math.IsInf(n, 0) {
		return formatNumber(n)
	}
	i, _ := new(big.Float).SetFloat64(math.Trunc(n)).Int(nil)
	return i.Text(radix)
}
