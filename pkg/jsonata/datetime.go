package jsonata

// $fromMillis, $now and $toMillis with XPath F&O 3.1 date/time pictures (§9.8.4), as jsonata-js
// 2.0.6 implements them (src/datetime.js): formatDateTime, parseDateTime and the ISO 8601 default.
// Times are UTC; a timezone argument is "±HHMM" read with parseInt, as in jsonata-js.

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dtPart is a literal or a variable marker of a date/time picture.
type dtPart struct {
	literal bool
	value   string // the literal text

	component string // the component specifier ("" in "[]")
	pres1     string
	pres2     string
	ordinal   bool
	names     letterCase
	hasNames  bool
	width     *dtWidth
	intFmt    *integerFormat
	n         float64 // the year/month/day width (§9.8.4.4), -1 when free
}

// dtWidth is a width modifier: each bound absent, a number, or NaN (parseInt of a non-number).
type dtWidth struct {
	min, max       float64
	hasMin, hasMax bool
}

// defaultPresentation is the presentation modifier of a marker that gives none.
var defaultPresentation = map[string]string{
	"Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1", "H": "1", "h": "1",
	"P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01", "C": "n", "E": "n",
}

// analyseDateTimePicture splits a date/time picture into literals and markers.
func analyseDateTimePicture(picture string) ([]dtPart, error) {
	var parts []dtPart
	p := []rune(picture)
	addLiteral := func(start, end int) {
		if end > start {
			parts = append(parts, dtPart{literal: true, value: strings.ReplaceAll(string(p[start:end]), "]]", "]")})
		}
	}
	start, pos := 0, 0
	for pos < len(p) {
		if p[pos] == '[' {
			if pos+1 < len(p) && p[pos+1] == '[' {
				addLiteral(start, pos)
				parts = append(parts, dtPart{literal: true, value: "["})
				pos += 2
				start = pos
				continue
			}
			addLiteral(start, pos)
			start = pos
			end := runeIndex(p, []rune("]"), start)
			if end == -1 {
				return nil, evalErr("D3135", "No matching closing bracket ']' in date/time picture string")
			}
			part, err := analyseMarker(stripSpace(string(p[start+1 : end])))
			if err != nil {
				return nil, err
			}
			parts = append(parts, part)
			pos = end
			start = pos + 1
		}
		pos++
	}
	addLiteral(start, len(p))
	return parts, nil
}

// stripSpace removes the white space of a marker.
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if jsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// analyseMarker reads one variable marker: component, presentation modifiers, width.
func analyseMarker(marker string) (dtPart, error) {
	m := []rune(marker)
	d := dtPart{component: charAt(m, 0), n: math.NaN()}
	presMod := ""
	if comma := runeLastIndex(m, []rune(",")); comma != -1 {
		widthMod := string(m[comma+1:])
		w := &dtWidth{}
		lo, hi, hasDash := strings.Cut(widthMod, "-")
		w.min, w.hasMin = parseWidth(lo)
		if hasDash {
			w.max, w.hasMax = parseWidth(hi)
		}
		d.width = w
		presMod = string(jsSubstring(m, 1, comma))
	} else {
		presMod = string(jsSubstring(m, 1, len(m)))
	}
	pm := []rune(presMod)
	switch {
	case len(pm) == 1:
		d.pres1 = presMod
	case len(pm) > 1:
		last := pm[len(pm)-1]
		if strings.ContainsRune("atco", last) {
			d.pres2 = string(last)
			d.ordinal = last == 'o'
			d.pres1 = string(pm[:len(pm)-1])
		} else {
			d.pres1 = presMod
		}
	default:
		p, ok := defaultPresentation[d.component]
		if !ok {
			return d, evalErr("D3132", "Unknown component specifier %s in date/time picture string", token(d.component))
		}
		d.pres1 = p
	}
	switch {
	case strings.HasPrefix(d.pres1, "n"):
		d.names, d.hasNames = caseLower, true
	case strings.HasPrefix(d.pres1, "N"):
		d.hasNames = true
		d.names = caseUpper
		if strings.HasPrefix(d.pres1[1:], "n") {
			d.names = caseTitle
		}
	case d.component != "" && strings.Contains("YMDdFWwXxHhmsf", d.component):
		pattern := d.pres1
		if d.pres2 != "" {
			pattern += ";" + d.pres2
		}
		f, err := analyseIntegerPicture(pattern)
		if err != nil {
			return d, err
		}
		d.intFmt = f
		if d.width != nil && d.width.hasMin && f.kind == intDecimal && f.mandatory < d.width.min {
			f.mandatory = d.width.min
		}
		if strings.Contains("YMD", d.component) {
			d.n = -1
			if d.width != nil && d.width.hasMax {
				d.n = d.width.max
				f.mandatory = d.n
			} else if f.kind == intDecimal {
				if w := f.mandatory + float64(f.optional); w >= 2 {
					d.n = w
				}
			}
		}
	}
	if d.component == "Z" || d.component == "z" {
		f, err := analyseIntegerPicture(d.pres1)
		if err != nil {
			return d, err
		}
		d.intFmt = f
	}
	return d, nil
}

// parseWidth reads one bound of a width modifier: absent for "" or "*", else parseInt.
func parseWidth(s string) (float64, bool) {
	if s == "*" {
		return 0, false
	}
	return jsParseInt(s), true
}

var (
	dayNames   = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

const millisInADay = 86400000.0

// maxTime is the largest distance from the epoch of a JavaScript Date (TimeClip).
const maxTime = 8.64e15

// jsDate is a JavaScript Date: milliseconds since the epoch, NaN when invalid.
type jsDate float64

func newJSDate(ms float64) jsDate {
	if math.IsNaN(ms) || math.Abs(ms) > maxTime {
		return jsDate(math.NaN())
	}
	return jsDate(math.Trunc(ms) + 0) // + 0: no -0
}

func (d jsDate) valid() bool { return !math.IsNaN(float64(d)) }

func (d jsDate) time() time.Time { return time.UnixMilli(int64(d)).UTC() }

// utc returns the getUTC* fields: year, month (0-11), day, hours, minutes, seconds, millis,
// weekday (0 = Sunday); all NaN for an invalid date.
func (d jsDate) utc() (y, mo, day, h, mi, s, ms, wd float64) {
	if !d.valid() {
		n := math.NaN()
		return n, n, n, n, n, n, n, n
	}
	t := d.time()
	return float64(t.Year()), float64(t.Month() - 1), float64(t.Day()), float64(t.Hour()), float64(t.Minute()),
		float64(t.Second()), float64(t.Nanosecond() / 1e6), float64(t.Weekday())
}

// dateUTC is JavaScript's Date.UTC(y, mo, d, h, mi, s, ms): fields overflow into the next ones, a
// year 0-99 is 1900-1999, NaN when out of range.
func dateUTC(y, mo, d, h, mi, s, ms float64) float64 {
	for _, v := range []float64{y, mo, d, h, mi, s, ms} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.NaN()
		}
	}
	y, mo, d, h, mi, s, ms = math.Trunc(y), math.Trunc(mo), math.Trunc(d), math.Trunc(h), math.Trunc(mi), math.Trunc(s), math.Trunc(ms)
	if y >= 0 && y <= 99 {
		y += 1900
	}
	ym := y + math.Floor(mo/12)
	mn := math.Mod(mo, 12)
	if mn < 0 {
		mn += 12
	}
	if math.Abs(ym) > 400000 {
		return math.NaN()
	}
	days := float64(daysFromCivil(int64(ym), int64(mn)+1, 1)) + d - 1
	t := days*millisInADay + h*3600000 + mi*60000 + s*1000 + ms
	if math.Abs(t) > maxTime {
		return math.NaN()
	}
	return t
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d (proleptic Gregorian).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// startOfFirstWeek is the start of the first ISO week of the month (the week with its first Thursday).
func startOfFirstWeek(year, month float64) float64 {
	jan1 := dateUTC(year, month, 1, 0, 0, 0, 0)
	_, _, _, _, _, _, _, wd := newJSDate(jan1).utc()
	if wd == 0 {
		wd = 7
	}
	if wd > 4 {
		return jan1 + (8-wd)*millisInADay
	}
	return jan1 - (wd-1)*millisInADay
}

func deltaWeeks(start, end float64) float64 { return (end-start)/(millisInADay*7) + 1 }

// fragment is one component of a date (getDateTimeFragment): a number, a string, or undefined.
type fragment struct {
	num     float64
	str     string
	isStr   bool
	defined bool
}

func numFragment(v float64) fragment { return fragment{num: v, defined: true} }

// dateFragment returns a component of date as jsonata-js's getDateTimeFragment.
func dateFragment(date jsDate, component string) fragment {
	y, mo, day, h, mi, s, ms, wd := date.utc()
	switch component {
	case "Y":
		return numFragment(y)
	case "M":
		return numFragment(mo + 1)
	case "D":
		return numFragment(day)
	case "d":
		today := dateUTC(y, mo, day, 0, 0, 0, 0)
		firstJan := dateUTC(y, 0, 1, 0, 0, 0, 0)
		return numFragment((today-firstJan)/millisInADay + 1)
	case "F":
		if wd == 0 {
			wd = 7
		}
		return numFragment(wd)
	case "W":
		week1 := startOfFirstWeek(y, 0)
		today := dateUTC(y, mo, day, 0, 0, 0, 0)
		week := deltaWeeks(week1, today)
		if week > 52 {
			if today >= startOfFirstWeek(y+1, 0) {
				week = 1
			}
		} else if week < 1 {
			week = deltaWeeks(startOfFirstWeek(y-1, 0), today)
		}
		return numFragment(math.Floor(week))
	case "w":
		week1 := startOfFirstWeek(y, mo)
		today := dateUTC(y, mo, day, 0, 0, 0, 0)
		week := deltaWeeks(week1, today)
		if week > 4 {
			ny, nm := y, mo+1
			if mo == 11 {
				ny, nm = y+1, 0
			}
			if today >= startOfFirstWeek(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := y, mo-1
			if mo == 0 {
				py, pm = y-1, 11
			}
			week = deltaWeeks(startOfFirstWeek(py, pm), today)
		}
		return numFragment(math.Floor(week))
	case "X":
		now := float64(date)
		switch {
		case now < startOfFirstWeek(y, 0):
			return numFragment(y - 1)
		case now >= startOfFirstWeek(y+1, 0):
			return numFragment(y + 1)
		}
		return numFragment(y)
	case "x":
		now := float64(date)
		ny, nm := y, mo+1
		if mo == 11 {
			ny, nm = y+1, 0
		}
		switch {
		case now < startOfFirstWeek(y, mo):
			pm := mo - 1
			if mo == 0 {
				pm = 11
			}
			return numFragment(pm + 1)
		case now >= startOfFirstWeek(ny, nm):
			return numFragment(nm + 1)
		}
		return numFragment(mo + 1)
	case "H":
		return numFragment(h)
	case "h":
		v := math.Mod(h, 12)
		if v == 0 {
			v = 12
		}
		return numFragment(v)
	case "P":
		if h >= 12 {
			return fragment{str: "pm", isStr: true, defined: true}
		}
		return fragment{str: "am", isStr: true, defined: true}
	case "m":
		return numFragment(mi)
	case "s":
		return numFragment(s)
	case "f":
		return numFragment(ms)
	case "C", "E":
		return fragment{str: "ISO", isStr: true, defined: true}
	}
	return fragment{}
}

// isoPicture is the picture of $fromMillis and $now without one.
const isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

// formatDateTime is $fromMillis(millis, picture, timezone); picture and timezone may be absent.
func (b *budget) formatDateTime(millis float64, picture string, hasPicture bool, timezone string, hasTimezone bool) (string, error) {
	offsetHours, offsetMinutes := 0.0, 0.0
	if hasTimezone {
		offset := jsParseInt(timezone)
		offsetHours = math.Floor(offset / 100)
		offsetMinutes = math.Mod(offset, 100)
	}
	if !hasPicture {
		picture = isoPicture
	}
	parts, err := analyseDateTimePicture(picture)
	if err != nil {
		return "", err
	}
	date := newJSDate(millis + (60*offsetHours+offsetMinutes)*60000)
	var sb strings.Builder
	for i := range parts {
		p := &parts[i]
		if p.literal {
			sb.WriteString(p.value)
			continue
		}
		s, err := b.formatComponent(date, p, offsetHours, offsetMinutes)
		if err != nil {
			return "", err
		}
		b.str(sb.Len() + len(s))
		sb.WriteString(s)
	}
	return sb.String(), nil
}

// formatComponent writes one marker (§9.8.4.3 - §9.8.4.7).
func (b *budget) formatComponent(date jsDate, p *dtPart, offsetHours, offsetMinutes float64) (string, error) {
	v := dateFragment(date, p.component)
	c := p.component
	switch {
	case c != "" && strings.Contains("YMDdFWwXxHhms", c):
		n := v.num
		if c == "Y" && p.n != -1 {
			n = math.Mod(n, math.Pow(10, p.n))
		}
		if !p.hasNames {
			return b.formatInteger(n, p.intFmt)
		}
		var name string
		switch c {
		case "M", "x":
			name = nameAt(monthNames, n-1)
		case "F":
			name = nameAt(dayNames, n)
		default:
			return "", evalErr("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not %s", token(c))
		}
		if name == "undefined" {
			// An invalid date has no name: jsonata-js fails on undefined.
			switch {
			case p.names == caseUpper:
				return "", jsTypeError("toUpperCase")
			case p.names == caseLower:
				return "", jsTypeError("toLowerCase")
			case p.width != nil:
				return "", jsTypeError("length")
			}
			return name, nil
		}
		switch p.names {
		case caseUpper:
			name = strings.ToUpper(name)
		case caseLower:
			name = strings.ToLower(name)
		}
		if p.width != nil && p.width.hasMax && float64(len([]rune(name))) > p.width.max {
			name = string([]rune(name)[:max(int(p.width.max), 0)])
		}
		return name, nil
	case c == "f":
		if p.intFmt == nil {
			return "", evalErr("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not %s", token(c))
		}
		return b.formatInteger(v.num, p.intFmt)
	case c == "Z" || c == "z":
		return b.formatTimezone(p, offsetHours, offsetMinutes)
	case c == "P":
		if p.hasNames && p.names == caseUpper {
			return strings.ToUpper(v.str), nil
		}
		return v.str, nil
	}
	if !v.defined {
		return "undefined", nil
	}
	return v.str, nil
}

// jsTypeError is the error jsonata-js fails with when it reads a property of undefined.
func jsTypeError(property string) error {
	return &EvalError{Code: "TypeError", Message: "Cannot read properties of undefined (reading '" + property + "')"}
}

// nameAt is names[i], "undefined" out of range (as JavaScript writes a missing element).
func nameAt(names []string, i float64) string {
	if i >= 0 && i < float64(len(names)) && i == math.Trunc(i) {
		return names[int(i)]
	}
	return "undefined"
}

// formatTimezone writes a Z or z marker (§9.8.4.6).
func (b *budget) formatTimezone(p *dtPart, offsetHours, offsetMinutes float64) (string, error) {
	offset := offsetHours*100 + offsetMinutes
	f := p.intFmt
	var s string
	var err error
	if f.regular {
		s, err = b.formatInteger(offset, f)
	} else {
		switch f.mandatory {
		case 1, 2:
			s, err = b.formatInteger(offsetHours, f)
			if err == nil && offsetMinutes != 0 {
				two, _ := analyseIntegerPicture("00")
				var mins string
				mins, err = b.formatInteger(math.Floor(offsetMinutes), two)
				s += ":" + mins
			}
		case 3, 4:
			s, err = b.formatInteger(offset, f)
		default:
			return "", evalErr("D3134", "The timezone integer format specifier cannot have more than four digits")
		}
	}
	if err != nil {
		return "", err
	}
	if offset >= 0 {
		s = "+" + s
	}
	if p.component == "z" {
		s = "GMT" + s
	}
	if offset == 0 && p.pres2 == "t" {
		s = "Z"
	}
	return s, nil
}

// dtMatcher reads one part of a timestamp: its regular expression and how to read its value
// (ok=false: undefined).
type dtMatcher struct {
	regex     string
	component string
	parse     func(string) (float64, bool, error)
}

// integerMatcher is jsonata-js's generateRegex for an integer format.
func integerMatcher(f *integerFormat) (*dtMatcher, error) {
	m := &dtMatcher{}
	upper := f.lcase == caseUpper
	switch f.kind {
	case intLetters:
		m.regex = "[a-z]+"
		if upper {
			m.regex = "[A-Z]+"
		}
		m.parse = func(s string) (float64, bool, error) { return lettersToDecimal(s, upper), true, nil }
	case intRoman:
		m.regex = "[mdclxvi]+"
		if upper {
			m.regex = "[MDCLXVI]+"
		}
		m.parse = func(s string) (float64, bool, error) {
			if !upper {
				s = strings.ToUpper(s)
			}
			return romanToDecimal(s), true, nil
		}
	case intWords:
		m.regex = wordsRegex
		m.parse = func(s string) (float64, bool, error) { return wordsToNumber(strings.ToLower(s)), true, nil }
	case intDecimal:
		occurrences := "+"
		if f.n > 0 {
			if f.optional == 0 {
				occurrences = "{" + formatNumber(f.n) + "}"
			} else {
				occurrences = "{" + formatNumber(f.n-float64(f.optional)) + "," + formatNumber(f.n) + "}"
			}
		}
		m.regex = "[0-9]" + occurrences
		if f.ordinal {
			m.regex += "(?:th|st|nd|rd)"
		}
		m.parse = func(s string) (float64, bool, error) {
			v, err := f.parse(s)
			return v, true, err
		}
	case intSequence:
		return nil, evalErr("D3130", "Formatting or parsing an integer as a sequence starting with %s is not supported by this implementation", token(f.token))
	}
	return m, nil
}

// wordsRegex matches a number in words: jsonata-js's alternatives, in its order.
var wordsRegex = func() string {
	var alts []string
	for _, w := range wordValues {
		alts = append(alts, w.word)
	}
	return "(?:" + strings.Join(append(alts, "and", `[\-, ]`), "|") + ")+"
}()

// partMatcher is the matcher of one part of a date/time picture.
func partMatcher(p *dtPart) (*dtMatcher, error) {
	switch {
	case p.literal:
		return &dtMatcher{regex: regexp.QuoteMeta(p.value)}, nil
	case p.component == "Z" || p.component == "z":
		return timezoneMatcher(p), nil
	case p.intFmt != nil:
		f := *p.intFmt
		f.n = 0
		if strings.Contains("YMD", p.component) {
			f.n = p.n
		}
		m, err := integerMatcher(&f)
		if err != nil {
			return nil, err
		}
		m.component = p.component
		return m, nil
	}
	lookup := map[string]float64{}
	truncate := func(name string) string {
		if p.width != nil && p.width.hasMax && p.width.max > 0 {
			if r := []rune(name); float64(len(r)) > p.width.max {
				return string(r[:int(p.width.max)])
			}
		}
		return name
	}
	switch p.component {
	case "M", "x":
		for i, name := range monthNames {
			lookup[truncate(name)] = float64(i + 1)
		}
	case "F":
		for i, name := range dayNames[1:] {
			lookup[truncate(name)] = float64(i + 1)
		}
	case "P":
		lookup = map[string]float64{"am": 0, "AM": 0, "pm": 1, "PM": 1}
	default:
		return nil, evalErr("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not %s", token(p.component))
	}
	return &dtMatcher{regex: "[a-zA-Z]+", component: p.component, parse: func(s string) (float64, bool, error) {
		v, ok := lookup[s]
		return v, ok, nil
	}}, nil
}

// timezoneMatcher reads "±hh", "±hhmm" or "±hh:mm" (after "GMT" for z) as minutes.
func timezoneMatcher(p *dtPart) *dtMatcher {
	sep := ""
	if p.intFmt.kind == intDecimal && p.intFmt.regular {
		sep = p.intFmt.groups[0].char
	}
	m := &dtMatcher{component: p.component}
	if p.component == "z" {
		m.regex = "GMT"
	}
	m.regex += "[-+][0-9]+"
	if sep != "" {
		m.regex += regexp.QuoteMeta(sep) + "[0-9]+"
	}
	m.parse = func(value string) (float64, bool, error) {
		if p.component == "z" {
			value = value[3:]
		}
		hours, minutes := 0.0, 0.0
		if sep != "" {
			i := strings.Index(value, sep)
			hours, minutes = jsParseInt(value[:i]), jsParseInt(value[i+len(sep):])
		} else if len(value)-1 <= 2 {
			hours = jsParseInt(value)
		} else {
			hours, minutes = jsParseInt(value[:3]), jsParseInt(value[3:])
		}
		return hours*60 + minutes, true, nil
	}
	return m
}

// Component masks of parseDateTime: which date and time components a timestamp may give.
const (
	maskDateA = 161 // Y M D
	maskDateB = 130 // Y d
	maskDateC = 84  // X x w F
	maskDateD = 72  // X W F
	maskTimeA = 23  // H m s f
	maskTimeB = 47  // P h m s f
)

// maxParseRegex bounds the regular expression $toMillis builds from a picture (a "[Yw]" marker
// alone is 600 bytes of it), so that compiling it stays fast and small.
const maxParseRegex = 1 << 20

// parseDateTime is $toMillis(timestamp, picture): ok=false when the timestamp does not match.
func (b *budget) parseDateTime(timestamp, picture string, now time.Time) (float64, bool, error) {
	c, ok, err := b.matchTimestamp(timestamp, picture)
	if err != nil || !ok {
		return 0, false, err
	}
	k := c.kind()
	if err := c.fillUnspecified(k, now); err != nil {
		return 0, false, err
	}
	if k.dateC || k.dateD {
		return 0, false, evalErr("D3136", "The date/time picture string is missing specifiers required to parse the timestamp")
	}
	return c.millis(k), true, nil
}

// dtComponents are the components a timestamp gave, by picture letter (Y, M, D, H, ...).
type dtComponents struct {
	value   map[string]float64
	defined map[string]bool
}

// dtKind says which combination of components a timestamp gives (jsonata-js's date types A–D
// and time types A–B).
type dtKind struct {
	dateA, dateB, dateC, dateD, timeA, timeB bool
}

// matchTimestamp matches timestamp against the regular expression the picture makes and reads
// each component; ok=false when it does not match or gives no component.
func (b *budget) matchTimestamp(timestamp, picture string) (*dtComponents, bool, error) {
	parts, err := analyseDateTimePicture(picture)
	if err != nil {
		return nil, false, err
	}
	var matchers []*dtMatcher
	var re strings.Builder
	re.WriteString("(?i)^")
	for i := range parts {
		m, err := partMatcher(&parts[i])
		if err != nil {
			return nil, false, err
		}
		matchers = append(matchers, m)
		re.WriteString("(" + m.regex + ")")
	}
	re.WriteString("$")
	if re.Len() > maxParseRegex {
		panic(evalErr(codeTooLarge, "Evaluation too large: the date/time picture makes a pattern of %d bytes, beyond %d", re.Len(), maxParseRegex))
	}
	b.tick(re.Len() / 64)
	rx, err := regexp.Compile(re.String())
	if err != nil {
		// A width beyond what RE2 repeats (1000): no timestamp of that many digits is read.
		return nil, false, nil
	}
	info := rx.FindStringSubmatch(timestamp)
	if info == nil {
		return nil, false, nil
	}
	c := &dtComponents{value: map[string]float64{}, defined: map[string]bool{}}
	seen := map[string]bool{}
	for i, m := range matchers {
		if m.parse == nil {
			continue
		}
		v, ok, err := m.parse(info[i+1])
		if err != nil {
			return nil, false, err
		}
		seen[m.component] = true
		c.value[m.component], c.defined[m.component] = v, ok
	}
	return c, len(seen) > 0, nil
}

// truthy is jsonata-js's test of a component: given, non-zero and a number.
func (c *dtComponents) truthy(letter string) bool {
	return c.defined[letter] && c.value[letter] != 0 && !math.IsNaN(c.value[letter])
}

// mask sets one bit per letter, first letter highest, for the truthy components.
func (c *dtComponents) mask(letters string) int {
	mask := 0
	for _, r := range letters {
		mask <<= 1
		if c.truthy(string(r)) {
			mask++
		}
	}
	return mask
}

// kind classifies the components as jsonata-js does.
func (c *dtComponents) kind() dtKind {
	isType := func(mask, t int) bool { return ^t&mask == 0 && t&mask != 0 }
	dmask, tmask := c.mask("YXMxWwdD"), c.mask("PHhmsf")
	var k dtKind
	k.dateA = isType(dmask, maskDateA)
	k.dateB = !k.dateA && isType(dmask, maskDateB)
	k.dateC = isType(dmask, maskDateC)
	k.dateD = !k.dateC && isType(dmask, maskDateD)
	k.timeA = isType(tmask, maskTimeA)
	k.timeB = !k.timeA && isType(tmask, maskTimeB)
	return k
}

// fillUnspecified gives the components the timestamp left out: those before the first given one
// are taken from now, those after the last are their minimum; a gap in between is D3136.
func (c *dtComponents) fillUnspecified(k dtKind, now time.Time) error {
	dateComps := "YMD"
	switch {
	case k.dateB:
		dateComps = "YD"
	case k.dateC:
		dateComps = "XxwF"
	case k.dateD:
		dateComps = "XWF"
	}
	timeComps := "Hmsf"
	if k.timeB {
		timeComps = "Phmsf"
	}
	nowDate := newJSDate(float64(now.UnixMilli()))
	startSpecified, endSpecified := false, false
	for _, r := range dateComps + timeComps {
		letter := string(r)
		if c.defined[letter] {
			startSpecified = true
			if endSpecified {
				return evalErr("D3136", "The date/time picture string is missing specifiers required to parse the timestamp")
			}
			continue
		}
		c.defined[letter] = true
		if startSpecified {
			c.value[letter] = 0
			if strings.Contains("MDd", letter) {
				c.value[letter] = 1
			}
			endSpecified = true
		} else if f := dateFragment(nowDate, letter); f.isStr {
			c.value[letter] = -1 // "am"/"pm": never the 1 of "pm" parsed
		} else {
			c.value[letter] = f.num
		}
	}
	return nil
}

// get returns a component, NaN when not given.
func (c *dtComponents) get(letter string) float64 {
	if !c.defined[letter] {
		return math.NaN()
	}
	return c.value[letter]
}

// millis computes the instant the components name, in milliseconds since the epoch.
func (c *dtComponents) millis(k dtKind) float64 {
	month := 0.0
	if c.get("M") > 0 {
		month = c.get("M") - 1
	}
	day := c.get("D")
	if k.dateB {
		derived := newJSDate(dateUTC(c.get("Y"), 0, 1, 0, 0, 0, 0) + (c.get("d")-1)*millisInADay)
		_, mo, dd, _, _, _, _, _ := derived.utc()
		month, day = mo, dd
	}
	hour := c.get("H")
	if k.timeB {
		hour = c.get("h")
		if hour == 12 {
			hour = 0
		}
		if c.get("P") == 1 {
			hour += 12
		}
	}
	millis := dateUTC(c.get("Y"), month, day, hour, c.get("m"), c.get("s"), c.get("f"))
	if c.truthy("Z") {
		millis -= c.value["Z"] * 60000
	} else if c.truthy("z") {
		millis -= c.value["z"] * 60000
	}
	return millis
}

// iso8601 is jsonata-js's test of a $toMillis argument without a picture.
var iso8601 = regexp.MustCompile(`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`)

// isoParts reads what JavaScript's Date.parse reads of a timestamp that passes iso8601.
var isoParts = regexp.MustCompile(`^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d:?\d\d)?$`)

// parseISO is $toMillis(timestamp) without a picture: D3110 unless ISO 8601, then Date.parse
// (UTC when no offset is given, as in AWS's runtime); ok=false for a date Date.parse rejects.
func parseISO(timestamp string) (float64, bool, error) {
	if !iso8601.MatchString(timestamp) {
		return 0, false, evalErr("D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given %s", token(timestamp))
	}
	m := isoParts.FindStringSubmatch(timestamp)
	if m == nil || m[4] == "" && m[8] != "" && m[8] != "Z" { // a date takes "Z" but no offset
		return 0, false, nil
	}
	num := func(s string, def float64) float64 {
		if s == "" {
			return def
		}
		v, _ := strconv.Atoi(s)
		return float64(v)
	}
	y, mo, d := num(m[1], 0), num(m[2], 1), num(m[3], 1)
	h, mi, s := num(m[4], 0), num(m[5], 0), num(m[6], 0)
	ms := 0.0
	if m[7] != "" {
		frac := (m[7] + "00")[:3]
		ms = num(frac, 0)
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || h == 24 && (mi != 0 || s != 0 || ms != 0) {
		return 0, false, nil
	}
	t := float64(daysFromCivil(int64(y), int64(mo), 1))*millisInADay + (d-1)*millisInADay + h*3600000 + mi*60000 + s*1000 + ms
	if z := m[8]; z != "" && z != "Z" {
		digits := strings.ReplaceAll(z[1:], ":", "")
		off := num(digits[:2], 0)*60 + num(digits[2:], 0)
		if z[0] == '+' {
			t -= off * 60000
		} else {
			t += off * 60000
		}
	}
	return t, true, nil
}
