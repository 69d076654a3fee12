package jsonata

// $formatNumber: XPath F&O 3.1 fn:format-number pictures (§4.7), as jsonata-js 2.0.6 implements
// them (src/functions.js formatNumber), including its quirks: the per-mille and other properties
// may be overridden by an options object, a sub-picture without a decimal separator takes its
// suffix as fractional part, and a number is written with JavaScript's toFixed. Characters are code
// points (jsonata-js counts UTF-16 units: they differ only outside the Basic Multilingual Plane).

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// numberProps are the properties of a decimal format (F&O §4.7.1), overridable by the options
// argument of $formatNumber.
type numberProps struct {
	decimal, grouping, exponent, infinity, minus, nan, percent, perMille, zero, digit, pattern []rune
}

func defaultNumberProps() *numberProps {
	return &numberProps{
		decimal: []rune("."), grouping: []rune(","), exponent: []rune("e"), infinity: []rune("Infinity"),
		minus: []rune("-"), nan: []rune("NaN"), percent: []rune("%"), perMille: []rune("\u2030"),
		zero: []rune("0"), digit: []rune("#"), pattern: []rune(";"),
	}
}

// set overrides the property named as in the options object; unknown names are ignored.
func (p *numberProps) set(name, value string) {
	v := []rune(value)
	switch name {
	case "decimal-separator":
		p.decimal = v
	case "grouping-separator":
		p.grouping = v
	case "exponent-separator":
		p.exponent = v
	case "infinity":
		p.infinity = v
	case "minus-sign":
		p.minus = v
	case "NaN":
		p.nan = v
	case "percent":
		p.percent = v
	case "per-mille":
		p.perMille = v
	case "zero-digit":
		p.zero = v
	case "digit":
		p.digit = v
	case "pattern-separator":
		p.pattern = v
	}
}

// numberPropNames are the option names of $formatNumber.
var numberPropNames = []string{"decimal-separator", "grouping-separator", "exponent-separator", "infinity", "minus-sign", "NaN", "percent", "per-mille", "zero-digit", "digit", "pattern-separator"}

// numberPicture is one analysed sub-picture (F&O §4.7.4).
type numberPicture struct {
	prefix, suffix, picture []rune
	intGroups               []int
	regular                 int
	minInt, scaling         int
	fracGroups              []int
	minFrac, maxFrac        int
	minExp                  int
}

// subPicture is a sub-picture split into its parts (jsonata-js splitParts).
type subPicture struct {
	sub, prefix, suffix, active, mantissa, integer, fraction []rune
	exponent                                                 []rune
	hasExponent                                              bool
}

// numberFormatter formats numbers with the properties of one call.
type numberFormatter struct {
	p      *numberProps
	family []rune // the ten digits from the zero digit
}

func newNumberFormatter(p *numberProps) *numberFormatter {
	f := &numberFormatter{p: p}
	if len(p.zero) > 0 {
		for r := p.zero[0]; r < p.zero[0]+10; r++ {
			f.family = append(f.family, r)
		}
	}
	return f
}

func (f *numberFormatter) isDigit(r rune) bool {
	return len(f.family) == 10 && r >= f.family[0] && r <= f.family[9]
}

// is reports whether the single character r equals the property prop (a multi-character
// property never does, as in jsonata-js).
func is(r rune, prop []rune) bool { return len(prop) == 1 && prop[0] == r }

func (f *numberFormatter) isActive(r rune) bool {
	p := f.p
	return f.isDigit(r) || is(r, p.decimal) || is(r, p.exponent) || is(r, p.grouping) || is(r, p.digit) || is(r, p.pattern)
}

// formatPictureNumber is $formatNumber(value, picture, options).
func (b *budget) formatPictureNumber(value float64, picture string, p *numberProps) (string, error) {
	f := newNumberFormatter(p)
	var subs [][]rune
	if len(p.pattern) == 0 {
		for _, r := range picture {
			subs = append(subs, []rune{r})
		}
	} else {
		for _, s := range strings.Split(picture, string(p.pattern)) {
			subs = append(subs, []rune(s))
		}
	}
	if len(subs) > 2 {
		return "", evalErr("D3080", "The picture string must only contain a maximum of two sub-pictures")
	}
	if len(subs) == 0 {
		return "", evalErr("D3085", "%s", numberErrors["D3085"])
	}
	// As in jsonata-js, every sub-picture is split before any is validated.
	var parts []*subPicture
	for _, s := range subs {
		part, err := f.split(s)
		if err != nil {
			return "", err
		}
		parts = append(parts, part)
	}
	for _, part := range parts {
		if err := f.validate(part); err != nil {
			return "", err
		}
	}
	var pics []*numberPicture
	for _, part := range parts {
		pics = append(pics, f.analyse(b, part))
	}
	if len(pics) == 1 {
		neg := *pics[0]
		neg.prefix = append(append([]rune{}, p.minus...), neg.prefix...)
		pics = append(pics, &neg)
	}
	pic := pics[0]
	if !(value >= 0) {
		pic = pics[1]
	}
	return f.format(b, value, pic)
}

// split is jsonata-js splitParts: prefix and suffix are the passive characters before the first
// and after the last active one (the exponent separator does not count).
func (f *numberFormatter) split(sub []rune) (*subPicture, error) {
	first, last := -1, -1
	for i, r := range sub {
		if f.isActive(r) && !is(r, f.p.exponent) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		// jsonata-js fails with a TypeError here; no mantissa digit is what is wrong.
		return nil, evalErr("D3085", "%s", numberErrors["D3085"])
	}
	s := &subPicture{sub: sub, prefix: sub[:first], suffix: sub[last+1:]}
	s.active = sub[first : last+1]
	expPos := runeIndex(sub, f.p.exponent, len(s.prefix))
	if expPos == -1 || expPos > len(sub)-len(s.suffix) {
		s.mantissa = s.active
	} else {
		s.mantissa = jsSubstring(s.active, 0, expPos)
		s.exponent = jsSubstring(s.active, expPos+1, len(s.active))
		s.hasExponent = true
	}
	if d := runeIndex(s.mantissa, f.p.decimal, 0); d == -1 {
		s.integer, s.fraction = s.mantissa, s.suffix
	} else {
		s.integer = s.mantissa[:d]
		s.fraction = jsSubstring(s.mantissa, d+1, len(s.mantissa))
	}
	return s, nil
}

// numberErrors are jsonata-js's messages of the $formatNumber picture errors.
var numberErrors = map[string]string{
	"D3081": "The sub-picture must not contain more than one instance of the 'decimal-separator' character",
	"D3082": "The sub-picture must not contain more than one instance of the 'percent' character",
	"D3083": "The sub-picture must not contain more than one instance of the 'per-mille' character",
	"D3084": "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
	"D3085": "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'",
	"D3086": "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
	"D3087": "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character",
	"D3088": "The sub-picture must not contain a 'grouping-separator' at the end of the integer part",
	"D3089": "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character",
	"D3090": "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'",
	"D3091": "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'",
	"D3092": "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'",
	"D3093": "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'",
}

// validate checks a sub-picture (F&O §4.7.3); as in jsonata-js, the last rule broken is reported.
func (f *numberFormatter) validate(s *subPicture) error {
	p, sub := f.p, s.sub
	code := ""
	decimalPos := runeIndex(sub, p.decimal, 0)
	if decimalPos != runeLastIndex(sub, p.decimal) {
		code = "D3081"
	}
	if runeIndex(sub, p.percent, 0) != runeLastIndex(sub, p.percent) {
		code = "D3082"
	}
	if runeIndex(sub, p.perMille, 0) != runeLastIndex(sub, p.perMille) {
		code = "D3083"
	}
	if runeIndex(sub, p.percent, 0) != -1 && runeIndex(sub, p.perMille, 0) != -1 {
		code = "D3084"
	}
	valid := false
	for _, r := range s.mantissa {
		if f.isDigit(r) || is(r, p.digit) {
			valid = true
			break
		}
	}
	if !valid {
		code = "D3085"
	}
	for _, r := range s.active {
		if !f.isActive(r) {
			code = "D3086"
			break
		}
	}
	if decimalPos != -1 {
		if charAt(sub, decimalPos-1) == string(p.grouping) || charAt(sub, decimalPos+1) == string(p.grouping) {
			code = "D3087"
		}
	} else if charAt(s.integer, len(s.integer)-1) == string(p.grouping) {
		code = "D3088"
	}
	if runeIndex(sub, append(append([]rune{}, p.grouping...), p.grouping...), 0) != -1 {
		code = "D3089"
	}
	if pos := runeIndex(s.integer, p.digit, 0); pos != -1 && f.countDigits(s.integer[:pos], false) > 0 {
		code = "D3090"
	}
	if pos := runeLastIndex(s.fraction, p.digit); pos != -1 && f.countDigits(s.fraction[pos:], false) > 0 {
		code = "D3091"
	}
	if s.hasExponent && len(s.exponent) > 0 && (runeIndex(sub, p.percent, 0) != -1 || runeIndex(sub, p.perMille, 0) != -1) {
		code = "D3092"
	}
	if s.hasExponent && (len(s.exponent) == 0 || f.countDigits(s.exponent, false) != len(s.exponent)) {
		code = "D3093"
	}
	if code != "" {
		return evalErr(code, "%s", numberErrors[code])
	}
	return nil
}

// countDigits counts the members of the digit family in s, and the optional digit signs too when
// optional is set.
func (f *numberFormatter) countDigits(s []rune, optional bool) int {
	n := 0
	for _, r := range s {
		if f.isDigit(r) || optional && is(r, f.p.digit) {
			n++
		}
	}
	return n
}

// analyse computes the variables of a sub-picture (F&O §4.7.4).
func (f *numberFormatter) analyse(b *budget, s *subPicture) *numberPicture {
	p := f.p
	groupPositions := func(part []rune, toLeft bool) []int {
		if len(p.grouping) == 0 {
			// jsonata-js loops for ever looking for an empty separator.
			panic(&EvalError{Code: codeLimit, Message: msgTimeout})
		}
		// before[i] counts the digits of part[:i].
		before := make([]int, len(part)+1)
		for i, r := range part {
			before[i+1] = before[i]
			if f.isDigit(r) || is(r, p.digit) {
				before[i+1]++
			}
		}
		var out []int
		pos := runeIndex(part, p.grouping, 0)
		for pos != -1 {
			at := min(pos, len(part))
			if toLeft {
				out = append(out, before[at])
			} else {
				out = append(out, before[len(part)]-before[at])
			}
			b.tick(1)
			// jsonata-js looks for the next separator in the integer part, whichever part it reads.
			pos = runeIndex(s.integer, p.grouping, pos+1)
		}
		return out
	}
	n := &numberPicture{prefix: s.prefix, suffix: s.suffix, picture: s.sub}
	n.intGroups = groupPositions(s.integer, false)
	n.regular = regularFactor(n.intGroups)
	n.fracGroups = groupPositions(s.fraction, true)
	n.minInt = f.countDigits(s.integer, false)
	n.scaling = n.minInt
	n.minFrac = f.countDigits(s.fraction, false)
	n.maxFrac = f.countDigits(s.fraction, true)
	if n.minInt == 0 && n.maxFrac == 0 {
		if s.hasExponent {
			n.minFrac, n.maxFrac = 1, 1
		} else {
			n.minInt = 1
		}
	}
	if s.hasExponent && n.minInt == 0 && runeIndex(s.integer, p.digit, 0) != -1 {
		n.minInt = 1
	}
	if n.minInt == 0 && n.minFrac == 0 {
		n.minFrac = 1
	}
	if s.hasExponent {
		n.minExp = f.countDigits(s.exponent, false)
	}
	return n
}

// format writes value with an analysed sub-picture (F&O §4.7.5).
func (f *numberFormatter) format(b *budget, value float64, pic *numberPicture) (string, error) {
	p := f.p
	adjusted := value
	if runeIndex(pic.picture, p.percent, 0) != -1 {
		adjusted = value * 100
	} else if runeIndex(pic.picture, p.perMille, 0) != -1 {
		adjusted = value * 1000
	}
	mantissa := adjusted
	exponent, hasExponent := 0, false
	if pic.minExp != 0 {
		hasExponent = true
		maxM, minM := math.Pow(10, float64(pic.scaling)), math.Pow(10, float64(pic.scaling-1))
		if !(mantissa > 0) || math.IsInf(minM, 0) || math.IsInf(mantissa, 0) {
			// jsonata-js scales zero, a negative mantissa or an infinite bound for ever.
			panic(&EvalError{Code: codeLimit, Message: msgTimeout})
		}
		for mantissa < minM {
			mantissa *= 10
			exponent--
		}
		for mantissa > maxM {
			mantissa /= 10
			exponent++
		}
	}
	rounded := jsRound(mantissa, pic.maxFrac)
	str, err := f.makeString(rounded, pic.maxFrac)
	if err != nil {
		return "", err
	}
	s := []rune(str)
	if i := runeIndex(s, []rune("."), 0); i == -1 {
		s = append(s, p.decimal...)
	} else {
		s = append(append(append([]rune{}, s[:i]...), p.decimal...), s[i+1:]...)
	}
	zero := string(p.zero)
	for len(s) > 0 && string(s[0]) == zero {
		s = s[1:]
	}
	for len(s) > 0 && string(s[len(s)-1]) == zero {
		s = s[:len(s)-1]
	}
	decimalPos := runeIndex(s, p.decimal, 0)
	padLeft := pic.minInt - decimalPos
	padRight := pic.minFrac - (len(s) - decimalPos - 1)
	b.str(len(s) + max(padLeft, 0)*len(p.zero) + max(padRight, 0)*len(p.zero))
	if padLeft > 0 {
		s = append(repeatRunes(p.zero, padLeft), s...)
	}
	if padRight > 0 {
		s = append(s, repeatRunes(p.zero, padRight)...)
	}
	decimalPos = runeIndex(s, p.decimal, 0)
	if pic.regular > 0 {
		s = f.groupRegular(b, s, decimalPos, pic.regular)
	} else {
		for _, pos := range pic.intGroups {
			s = jsSliceInsert(s, decimalPos-pos, p.grouping)
			b.tick(len(s) / 64)
			decimalPos++
		}
	}
	decimalPos = runeIndex(s, p.decimal, 0)
	for _, pos := range pic.fracGroups {
		s = jsSliceInsert(s, pos+decimalPos+1, p.grouping)
		b.tick(len(s) / 64)
	}
	decimalPos = runeIndex(s, p.decimal, 0)
	if runeIndex(pic.picture, p.decimal, 0) == -1 || decimalPos == len(s)-1 {
		if len(s) > 0 {
			s = s[:len(s)-1]
		}
	}
	if hasExponent {
		e, err := f.makeString(float64(exponent), 0)
		if err != nil {
			return "", err
		}
		es := []rune(e)
		if pad := pic.minExp - len(es); pad > 0 {
			b.str(pad)
			es = append(repeatRunes(p.zero, pad), es...)
		}
		s = append(s, p.exponent...)
		if exponent < 0 {
			s = append(s, p.minus...)
		}
		s = append(s, es...)
	}
	out := string(pic.prefix) + string(s) + string(pic.suffix)
	b.str(len(out))
	return out, nil
}

// groupRegular inserts the grouping separator every `every` digits left of decimalPos.
func (f *numberFormatter) groupRegular(b *budget, s []rune, decimalPos, every int) []rune {
	count := (decimalPos - 1) / every
	if decimalPos-1 < 0 {
		count = 0 // Math.floor of a negative fraction is -1: no group.
	}
	if count <= 0 {
		return s
	}
	sep := f.p.grouping
	b.str(len(s) + count*len(sep))
	out := make([]rune, 0, len(s)+count*len(sep))
	first := decimalPos - count*every
	for i, r := range s {
		if i >= first && i < decimalPos && (decimalPos-i)%every == 0 {
			out = append(out, sep...)
		}
		out = append(out, r)
	}
	return out
}

// makeString is Math.abs(value).toFixed(dp) with the digits mapped to the digit family.
func (f *numberFormatter) makeString(value float64, dp int) (string, error) {
	s, err := jsToFixed(math.Abs(value), dp)
	if err != nil {
		return "", err
	}
	if string(f.p.zero) == "0" {
		return s, nil
	}
	var sb strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' && len(f.family) == 10 {
			sb.WriteRune(f.family[r-'0'])
		} else if r >= '0' && r <= '9' {
			sb.WriteString("undefined")
		} else {
			sb.WriteRune(r)
		}
	}
	return sb.String(), nil
}

// jsToFixed is JavaScript's Number.prototype.toFixed for a non-negative value: exact decimal
// rounding, a tie rounded up; ToString at 1e21 and above; a RangeError beyond 100 digits.
func jsToFixed(x float64, dp int) (string, error) {
	if dp < 0 || dp > 100 {
		return "", &EvalError{Code: "RangeError", Message: "toFixed() digits argument must be between 0 and 100"}
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || x >= 1e21 {
		return formatNumber(x), nil
	}
	if fractionDigits(x) != dp+1 {
		// Not a tie: Go rounds to the nearest as JavaScript does.
		return strconv.FormatFloat(x, 'f', dp, 64), nil
	}
	// A tie (x has exactly dp+1 fraction digits, the last a 5): JavaScript rounds it up, Go to even.
	exact := strconv.FormatFloat(x, 'f', dp+1, 64)
	point := strings.IndexByte(exact, '.')
	digits := []byte(exact[:point] + exact[point+1:point+1+dp])
	i := len(digits) - 1
	for ; i >= 0 && digits[i] == '9'; i-- {
		digits[i] = '0'
	}
	if i < 0 {
		digits = append([]byte{'1'}, digits...)
	} else {
		digits[i]++
	}
	intLen := len(digits) - dp
	if dp == 0 {
		return string(digits), nil
	}
	return string(digits[:intLen]) + "." + string(digits[intLen:]), nil
}

// fractionDigits is the number of digits after the decimal point of the exact value of x (a
// binary fraction m/2^k has k of them, the last a 5).
func fractionDigits(x float64) int {
	b := math.Float64bits(x)
	mant, exp := b&(1<<52-1), int(b>>52&0x7ff)
	if exp == 0 {
		exp = 1
	} else {
		mant |= 1 << 52
	}
	if mant == 0 {
		return 0
	}
	e := exp - 1075 + bits.TrailingZeros64(mant)
	return max(-e, 0)
}

// jsRound is jsonata-js's round(arg, precision): half to even, shifting the decimal point in the
// number's text.
func jsRound(arg float64, precision int) float64 {
	if precision != 0 {
		arg = shiftDecimal(arg, precision)
	}
	result := math.Floor(arg)
	if arg-result >= 0.5 {
		result++
	}
	if math.Abs(result-arg) == 0.5 && math.Abs(math.Mod(result, 2)) == 1 {
		result--
	}
	if precision != 0 {
		result = shiftDecimal(result, -precision)
	}
	if result == 0 {
		result = 0 // no -0
	}
	return result
}

// shiftDecimal is +(mantissa + 'e' + (exponent + by)) on the JavaScript text of x.
func shiftDecimal(x float64, by int) float64 {
	mant, exp, _ := strings.Cut(formatNumber(x), "e")
	e := 0
	if exp != "" {
		e, _ = strconv.Atoi(exp)
	}
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+by), 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err != strconv.ErrRange {
		return math.NaN() // "Infinitye2", "NaNe2"
	}
	return v
}

// runeIndex is JavaScript's s.indexOf(sub, from).
func runeIndex(s, sub []rune, from int) int {
	from = max(from, 0)
	if len(sub) == 0 {
		return min(from, len(s))
	}
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i] == sub[0] && equalRunes(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// runeLastIndex is JavaScript's s.lastIndexOf(sub).
func runeLastIndex(s, sub []rune) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if equalRunes(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func equalRunes(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// charAt is JavaScript's s.charAt(i): "" out of range.
func charAt(s []rune, i int) string {
	if i < 0 || i >= len(s) {
		return ""
	}
	return string(s[i])
}

// jsSubstring is JavaScript's s.substring(start, end): clamped, swapped when start > end.
func jsSubstring(s []rune, start, end int) []rune {
	start, end = min(max(start, 0), len(s)), min(max(end, 0), len(s))
	if start > end {
		start, end = end, start
	}
	return s[start:end]
}

// jsSliceInsert is [s.slice(0, pos), ins, s.slice(pos)].join(”) in JavaScript (a negative pos
// counts from the end).
func jsSliceInsert(s []rune, pos int, ins []rune) []rune {
	if pos < 0 {
		pos = max(len(s)+pos, 0)
	}
	pos = min(pos, len(s))
	out := make([]rune, 0, len(s)+len(ins))
	out = append(out, s[:pos]...)
	out = append(out, ins...)
	return append(out, s[pos:]...)
}

func repeatRunes(r []rune, n int) []rune {
	out := make([]rune, 0, n*len(r))
	for range n {
		out = append(out, r...)
	}
	return out
}
