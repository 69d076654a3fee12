package jsonata

// $formatInteger and $parseInteger: XPath F&O 3.1 fn:format-integer pictures, as jsonata-js 2.0.6
// implements them (src/datetime.js): decimal-digit patterns in any Unicode decimal digit family with
// grouping separators, "a"/"A" spreadsheet letters, "i"/"I" roman numerals, "w"/"W"/"Ww" English
// words, and the ";o" ordinal modifier. Anything else is a numbering sequence jsonata-js does not
// support (D3130).

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// integerKind is the primary format of an integer picture.
type integerKind int

const (
	intDecimal integerKind = iota
	intLetters
	intRoman
	intWords
	intSequence
)

// letterCase is the case of letters, roman numerals, words and names.
type letterCase int

const (
	caseLower letterCase = iota
	caseUpper
	caseTitle
)

// groupSep is a grouping separator: its character and how many digits lie to its right.
type groupSep struct {
	position int
	char     string
}

// integerFormat is an analysed integer picture (jsonata-js analyseIntegerPicture).
type integerFormat struct {
	kind    integerKind
	lcase   letterCase
	ordinal bool
	token   string // the picture of an unsupported numbering sequence (D3130)

	zeroCode  rune
	mandatory float64 // mandatory digits; a float because a date width of NaN flows through it as in JavaScript
	optional  int
	regular   bool       // the separators repeat at a fixed interval: sep every group[0].position digits
	groups    []groupSep // the separators, right to left
	// n is the maximum width of a year, month or day when parsing (0: any).
	n float64
}

// decimalGroups are the zero digits of the Unicode decimal digit families jsonata-js knows.
var decimalGroups = []rune{0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10}

// digitFamily returns the zero digit of the decimal family of r, or -1.
func digitFamily(r rune) rune {
	for _, g := range decimalGroups {
		if r >= g && r <= g+9 {
			return g
		}
	}
	return -1
}

// analyseIntegerPicture analyses a $formatInteger picture (primary format, then ";" and modifiers).
func analyseIntegerPicture(picture string) (*integerFormat, error) {
	f := &integerFormat{kind: intDecimal, lcase: caseLower}
	primary := picture
	if i := strings.LastIndexByte(picture, ';'); i >= 0 {
		primary = picture[:i]
		if strings.HasPrefix(picture[i+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.kind, f.lcase = intLetters, caseUpper
	case "a":
		f.kind = intLetters
	case "I":
		f.kind, f.lcase = intRoman, caseUpper
	case "i":
		f.kind = intRoman
	case "W":
		f.kind, f.lcase = intWords, caseUpper
	case "Ww":
		f.kind, f.lcase = intWords, caseTitle
	case "w":
		f.kind = intWords
	default:
		if err := f.analyseDigits(primary); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// analyseDigits reads a decimal-digit pattern, right to left; without a mandatory digit the picture
// is an (unsupported) numbering sequence.
func (f *integerFormat) analyseDigits(primary string) error {
	runes := []rune(primary)
	zero := rune(-1)
	mandatory, position := 0, 0
	var seps []groupSep
	for i := len(runes) - 1; i >= 0; i-- {
		r := runes[i]
		if g := digitFamily(r); g >= 0 {
			mandatory++
			position++
			if zero < 0 {
				zero = g
			} else if g != zero {
				return evalErr("D3131", "In a decimal digit pattern, all digits must be from the same decimal group")
			}
			continue
		}
		if r == '#' {
			position++
			f.optional++
			continue
		}
		seps = append(seps, groupSep{position: position, char: string(r)})
	}
	if mandatory == 0 {
		f.kind, f.token = intSequence, primary
		return nil
	}
	f.zeroCode, f.mandatory, f.groups = zero, float64(mandatory), seps
	if every := regularInterval(seps); every > 0 {
		f.regular = true
		f.groups = []groupSep{{position: every, char: seps[0].char}}
	}
	return nil
}

// regularInterval returns the interval of separators that are all the same character at every
// multiple of their greatest common divisor, else 0.
func regularInterval(seps []groupSep) int {
	if len(seps) == 0 {
		return 0
	}
	pos := make([]int, len(seps))
	for i, s := range seps {
		if s.char != seps[0].char {
			return 0
		}
		pos[i] = s.position
	}
	return regularFactor(pos)
}

// regularFactor is jsonata-js's test for regular grouping positions: the gcd of the positions when
// every multiple of it up to their count is among them, else 0.
func regularFactor(pos []int) int {
	if len(pos) == 0 {
		return 0
	}
	factor := pos[0]
	for _, p := range pos[1:] {
		factor = gcd(factor, p)
	}
	present := make(map[int]bool, len(pos))
	for _, p := range pos {
		present[p] = true
	}
	for i := 1; i <= len(pos); i++ {
		if !present[i*factor] {
			return 0
		}
	}
	return factor
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// formatInteger formats value (already an integer) with an analysed picture.
func (b *budget) formatInteger(value float64, f *integerFormat) (string, error) {
	negative := value < 0
	value = math.Abs(value)
	var s string
	switch f.kind {
	case intLetters:
		if math.IsInf(value, 0) {
			panic(&EvalError{Code: codeLimit, Message: msgTimeout}) // jsonata-js loops for ever
		}
		s = decimalToLetters(value, f.lcase == caseUpper)
	case intRoman:
		if value >= romanStackLimit {
			// jsonata-js recurses once per numeral: its stack overflows.
			panic(&EvalError{Code: codeLimit, Message: msgStackOverflow})
		}
		s = decimalToRoman(value)
		if f.lcase == caseUpper {
			s = strings.ToUpper(s)
		}
	case intWords:
		if math.IsNaN(value) || math.IsInf(value, 0) {
			// jsonata-js recurses without end on these.
			panic(&EvalError{Code: codeLimit, Message: msgStackOverflow})
		}
		s = numberToWords(value, f.ordinal)
		switch f.lcase {
		case caseUpper:
			s = strings.ToUpper(s)
		case caseLower:
			s = strings.ToLower(s)
		}
	case intDecimal:
		s = b.formatDecimalInteger(value, f)
	case intSequence:
		return "", evalErr("D3130", "Formatting or parsing an integer as a sequence starting with %s is not supported by this implementation", token(f.token))
	}
	if negative {
		s = "-" + s
	}
	return s, nil
}

// formatDecimalInteger pads value to the mandatory digits, maps it to the digit family, inserts
// the grouping separators and the ordinal suffix.
func (b *budget) formatDecimalInteger(value float64, f *integerFormat) string {
	s := formatNumber(value)
	if pad := f.mandatory - float64(len(s)); pad > 0 {
		b.str(int(math.Min(pad, math.MaxInt32)) + len(s))
		s = strings.Repeat("0", int(pad)) + s
	}
	if f.zeroCode != '0' {
		var sb strings.Builder
		for _, r := range s {
			sb.WriteRune(r + f.zeroCode - '0')
		}
		s = sb.String()
	}
	runes := []rune(s)
	if f.regular && len(f.groups) == 1 {
		every, sep := f.groups[0].position, []rune(f.groups[0].char)
		b.str(len(s) + len(s)/every*len(string(sep)))
		out := make([]rune, 0, len(runes)+len(runes)/every*len(sep))
		for i, r := range runes {
			if k := len(runes) - i; i > 0 && k%every == 0 {
				out = append(out, sep...)
			}
			out = append(out, r)
		}
		runes = out
	} else {
		for i := len(f.groups) - 1; i >= 0; i-- {
			g := f.groups[i]
			pos := len(runes) - g.position
			runes = jsInsert(runes, pos, []rune(g.char))
			b.tick(len(runes) / 64)
		}
	}
	s = string(runes)
	if f.ordinal {
		s += ordinalSuffix(runes)
	}
	return s
}

// jsInsert is s.substr(0, pos) + ins + s.substr(pos) in JavaScript: a negative pos counts from
// the end (substr's start), clamped to 0.
func jsInsert(s []rune, pos int, ins []rune) []rune {
	start := pos
	if start < 0 {
		start = max(len(s)+start, 0)
	}
	start = min(start, len(s))
	// substr(0, pos) with a negative length is empty.
	head := s[:max(min(pos, len(s)), 0)]
	tail := s[start:]
	out := make([]rune, 0, len(head)+len(ins)+len(tail))
	out = append(out, head...)
	out = append(out, ins...)
	return append(out, tail...)
}

// ordinalSuffix is "st", "nd", "rd" or "th" after the last digit of s.
func ordinalSuffix(s []rune) string {
	if len(s) == 0 {
		return "th"
	}
	suffix := map[rune]string{'1': "st", '2': "nd", '3': "rd"}[s[len(s)-1]]
	if suffix == "" || len(s) > 1 && s[len(s)-2] == '1' {
		suffix = "th"
	}
	return suffix
}

// decimalToLetters is the spreadsheet column name of value (1 = a, 27 = aa); "" below 1.
func decimalToLetters(value float64, upper bool) string {
	a := 'a'
	if upper {
		a = 'A'
	}
	var out []rune
	for value > 0 {
		out = append(out, rune(math.Mod(value-1, 26))+a)
		value = math.Floor((value - 1) / 26)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// lettersToDecimal reads a spreadsheet column name (UTF-16 code units, as jsonata-js).
func lettersToDecimal(letters string, upper bool) float64 {
	a := 'a'
	if upper {
		a = 'A'
	}
	units := utf16Units(letters)
	d := 0.0
	for i := range units {
		d += float64(int(units[len(units)-i-1])-int(a)+1) * pow26(i)
	}
	return d
}

// romanStackLimit is the smallest number whose roman numerals overflow jsonata-js's stack (it
// recurses once per numeral, one "m" per thousand): under node 20, 8,500,000 is written and
// 9,000,000 fails with "Maximum call stack size exceeded".
const romanStackLimit = 8_750_000

// pow26s are 26^i correctly rounded (as the C library's pow that JavaScript's Math.pow uses), up to
// the first that overflows.
var pow26s = func() []float64 {
	var out []float64
	p := big.NewInt(1)
	for {
		f, _ := new(big.Float).SetInt(p).Float64()
		out = append(out, f)
		if math.IsInf(f, 0) {
			return out
		}
		p.Mul(p, big.NewInt(26))
	}
}()

// pow26 is Math.pow(26, i).
func pow26(i int) float64 {
	if i < len(pow26s) {
		return pow26s[i]
	}
	return math.Inf(1)
}

var romanNumerals = []struct {
	value float64
	text  string
}{
	{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
	{40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"},
}

// decimalToRoman writes value in lower-case roman numerals ("" for 0); fractions are dropped.
func decimalToRoman(value float64) string {
	var sb strings.Builder
	for _, n := range romanNumerals {
		if value >= n.value {
			k := math.Floor(value / n.value)
			sb.WriteString(strings.Repeat(n.text, int(k)))
			value -= k * n.value
		}
	}
	return sb.String()
}

var romanValues = map[rune]float64{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}

// romanToDecimal reads upper-case roman numerals; another character makes NaN, as in jsonata-js.
func romanToDecimal(roman string) float64 {
	d, maxV := 0.0, 1.0
	r := []rune(roman)
	for i := len(r) - 1; i >= 0; i-- {
		v, ok := romanValues[r[i]]
		if !ok {
			return math.NaN()
		}
		if v < maxV {
			d -= v
		} else {
			maxV = v
			d += v
		}
	}
	return d
}

var (
	fewWords     = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	ordinalWords = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	decadeWords  = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"}
	magnitudes   = []string{"Thousand", "Million", "Billion", "Trillion"}
)

// numberToWords writes value in English words (title case), cardinal or ordinal.
func numberToWords(value float64, ordinal bool) string {
	var lookup func(num float64, prev, ord bool) string
	lookup = func(num float64, prev, ord bool) string {
		words := ""
		switch {
		case num <= 19:
			if prev {
				words = " and "
			}
			i := int(num)
			if ord {
				words += ordinalWords[i]
			} else {
				words += fewWords[i]
			}
		case num < 100:
			tens, rem := math.Floor(num/10), math.Mod(num, 10)
			if prev {
				words = " and "
			}
			words += decadeWords[int(tens)-2]
			if rem > 0 {
				words += "-" + lookup(rem, false, ord)
			} else if ord {
				words = words[:len(words)-1] + "ieth"
			}
		case num < 1000:
			hundreds, rem := math.Floor(num/100), math.Mod(num, 100)
			if prev {
				words = ", "
			}
			words += fewWords[int(hundreds)] + " Hundred"
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		default:
			mag := magnitude(num)
			if mag > len(magnitudes) {
				mag = len(magnitudes)
			}
			factor := math.Pow(10, float64(mag*3))
			mant := math.Floor(num / factor)
			rem := num - mant*factor
			if prev {
				words = ", "
			}
			words += lookup(mant, false, false) + " " + magnitudes[mag-1]
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		}
		return words
	}
	return lookup(value, false, ordinal)
}

// magnitude is floor(log10(num) / 3) for num >= 1000, computed exactly on powers of ten.
func magnitude(num float64) int {
	m := 0
	for p := 1000.0; num >= p && !math.IsInf(p, 0); p *= 1000 {
		m++
	}
	return m
}

// wordValue is one word of a number in words and its value.
type wordValue struct {
	word  string
	value float64
}

// wordValues are the words jsonata-js reads, in its (insertion) order, which is also the order of
// the alternatives of its parsing regex.
var wordValues = func() []wordValue {
	var out []wordValue
	seen := map[string]int{}
	add := func(w string, v float64) {
		if i, ok := seen[w]; ok {
			out[i].value = v
			return
		}
		seen[w] = len(out)
		out = append(out, wordValue{w, v})
	}
	for i, w := range fewWords {
		add(strings.ToLower(w), float64(i))
	}
	for i, w := range ordinalWords {
		add(strings.ToLower(w), float64(i))
	}
	for i, w := range decadeWords {
		lw := strings.ToLower(w)
		add(lw, float64((i+2)*10))
		add(lw[:len(lw)-1]+"ieth", float64((i+2)*10))
	}
	add("hundredth", 100)
	for i, w := range magnitudes {
		lw := strings.ToLower(w)
		v := math.Pow(10, float64((i+1)*3))
		add(lw, v)
		add(lw+"th", v)
	}
	return out
}()

var wordValueOf = func() map[string]float64 {
	m := map[string]float64{}
	for _, w := range wordValues {
		m[w.word] = w.value
	}
	return m
}()

// wordsToNumber reads a number in (lower-case) English words; an unknown word makes NaN.
func wordsToNumber(text string) float64 {
	segs := []float64{0}
	for _, part := range splitWords(text) {
		v, ok := wordValueOf[part]
		if !ok {
			return math.NaN()
		}
		top := segs[len(segs)-1]
		segs = segs[:len(segs)-1]
		if v < 100 {
			if top >= 1000 {
				segs = append(segs, top)
				top = 0
			}
			segs = append(segs, top+v)
		} else {
			segs = append(segs, top*v)
		}
	}
	sum := 0.0
	for _, s := range segs {
		sum += s
	}
	return sum
}

// splitWords is text.split(/,\s|\sand\s|[\s\\-]/) in JavaScript.
func splitWords(text string) []string {
	var parts []string
	start := 0
	isSpace := func(r rune) bool { return jsSpace(r) }
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		sepLen := 0
		switch {
		case r == ',':
			if r2, n2 := utf8.DecodeRuneInString(text[i+n:]); i+n < len(text) && isSpace(r2) {
				sepLen = n + n2
			}
		case isSpace(r):
			if strings.HasPrefix(text[i+n:], "and") {
				if r2, n2 := utf8.DecodeRuneInString(text[i+n+3:]); i+n+3 < len(text) && isSpace(r2) {
					sepLen = n + 3 + n2
				}
			}
			if sepLen == 0 {
				sepLen = n
			}
		case r == '\\' || r == '-':
			sepLen = n
		}
		if sepLen > 0 {
			parts = append(parts, text[start:i])
			i += sepLen
			start = i
			continue
		}
		i += n
	}
	return append(parts, text[start:])
}

// jsSpace is JavaScript's \s.
func jsSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// utf16Units returns the UTF-16 code units of s.
func utf16Units(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

// parseInteger reads value as an integer written with picture (jsonata-js parseInteger: the
// value is not validated against the picture, only read).
func parseIntegerPicture(value string, f *integerFormat) (float64, error) {
	if f.kind == intSequence {
		return 0, evalErr("D3130", "Formatting or parsing an integer as a sequence starting with %s is not supported by this implementation", token(f.token))
	}
	return f.parse(value)
}

// parse reads one integer in the format f.
func (f *integerFormat) parse(value string) (float64, error) {
	switch f.kind {
	case intLetters:
		return lettersToDecimal(value, f.lcase == caseUpper), nil
	case intRoman:
		if f.lcase != caseUpper {
			value = strings.ToUpper(value)
		}
		return romanToDecimal(value), nil
	case intWords:
		return wordsToNumber(strings.ToLower(value)), nil
	}
	digits := value
	if f.ordinal && len(digits) >= 2 {
		digits = string([]rune(digits)[:len([]rune(digits))-2])
	} else if f.ordinal {
		digits = ""
	}
	if f.regular {
		digits = strings.ReplaceAll(digits, ",", "")
	} else {
		for _, g := range f.groups {
			digits = strings.ReplaceAll(digits, g.char, "")
		}
	}
	if f.zeroCode != '0' {
		var sb strings.Builder
		for _, r := range digits {
			c := r - f.zeroCode + '0'
			if c < 0 || c > unicode.MaxRune {
				// String.fromCodePoint in jsonata-js throws.
				return 0, &EvalError{Code: "RangeError", Message: "Invalid code point " + strconv.Itoa(int(c))}
			}
			sb.WriteRune(c)
		}
		digits = sb.String()
	}
	return jsParseInt(digits), nil
}

// jsParseInt is JavaScript's parseInt(s) in base 10: leading white space, a sign, then the
// longest run of ASCII digits; NaN without one.
func jsParseInt(s string) float64 {
	s = strings.TrimLeftFunc(s, jsSpace)
	sign := 1.0
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return math.NaN()
	}
	f, _ := strconv.ParseFloat(s[:end], 64)
	return sign * f
}
